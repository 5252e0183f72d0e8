"""The SQLite result cache."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from translate_cli.cache import DATABASE_NAME, SCHEMA_VERSION, NullCache, ResultCache, cache_key, cached_map


def upper(batch: list[str]) -> list[str]:
    return [text.upper() for text in batch]


def test_results_are_stored_and_reused(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    calls: list[list[str]] = []

    def compute(batch: list[str]) -> list[str]:
        calls.append(batch)
        return upper(batch)

    first = cached_map(
        cache, "translation", ["a", "b", "a"], lambda t: cache_key("m", t), compute, commit_every=1
    )
    assert first == {"a": "A", "b": "B"}
    assert calls == [["a"], ["b"]]  # a repeated input is computed once, each batch committed
    again = cached_map(cache, "translation", ["b", "c"], lambda t: cache_key("m", t), compute, commit_every=8)
    assert again == {"b": "B", "c": "C"}
    assert calls[-1] == ["c"]
    assert cache.lookups.totals() == (1, 3)
    assert cache.counts()["translation"] == 3


def test_a_changed_model_or_setting_does_not_reuse_entries(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cached_map(
        cache, "translation", ["a"], lambda t: cache_key("model-1", {"beams": 4}, t), upper, commit_every=4
    )
    for key_of in (
        lambda t: cache_key("model-2", {"beams": 4}, t),
        lambda t: cache_key("model-1", {"beams": 1}, t),
    ):
        before = cache.lookups.totals()[1]
        cached_map(cache, "translation", ["a"], key_of, upper, commit_every=4)
        assert cache.lookups.totals()[1] == before + 1


def test_a_damaged_cache_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database" * 100)
    cache = ResultCache(tmp_path)
    assert cache.warnings and "moved it aside" in cache.warnings[0]
    assert list(tmp_path.glob(f"{DATABASE_NAME}.broken-*"))
    cached_map(cache, "summary", ["x"], lambda t: t, upper, commit_every=1)
    assert cache.counts()["summary"] == 1


def test_a_foreign_schema_version_is_moved_aside(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
    connection.commit()
    connection.close()
    cache = ResultCache(tmp_path)
    assert "schema version" in cache.warnings[0]


def _writer(directory: str, worker: int) -> None:
    cache = ResultCache(Path(directory))
    for round_ in range(20):
        items = [f"{worker}-{round_}-{i}" for i in range(10)]
        cached_map(cache, "translation", items, lambda t: t, upper, commit_every=5)
    cache.close()


def test_concurrent_writers_share_one_cache(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), n)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert ResultCache(tmp_path).counts()["translation"] == 3 * 20 * 10


def test_null_cache_stores_nothing() -> None:
    cache = NullCache()
    cached_map(cache, "translation", ["a"], lambda t: t, upper, commit_every=1)
    assert cached_map(cache, "translation", ["a"], lambda t: t, upper, commit_every=1) == {"a": "A"}
    assert cache.lookups.totals() == (0, 2)
