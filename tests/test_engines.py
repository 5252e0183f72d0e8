"""Engines and stages: the cache wraps a stage, keys name the engine that ran, outputs carry scores."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from translate_cli import RunOptions, run
from translate_cli.cache import NullCache, ResultCache, cache_key
from translate_cli.ct2 import store_path
from translate_cli.data import EngineIdentity
from translate_cli.hub import model_fingerprint, resolve_model
from translate_cli.stage import CachedStage

ARTICLE = "000_fea4830ee9b7d6af.txt"


class Shouting:
    """A stand-in stage: upper-cases text. Its keys name a version that `prepare` may change,
    as a model engine's identity changes when it falls back."""

    name = "translation"
    commit_every = 2

    def __init__(self, after_prepare: str = "planned") -> None:
        self.version = "planned"
        self.after_prepare = after_prepare
        self.prepared = 0
        self.computed: list[list[str]] = []

    def key(self, item: str) -> str:
        return cache_key(self.version, item)

    def encode(self, value: str) -> str:
        return json.dumps({"value": value})

    def decode(self, stored: str) -> str:
        return json.loads(stored)["value"]

    def prepare(self) -> None:
        self.prepared += 1
        self.version = self.after_prepare

    def compute(self, items: list[str]) -> list[str]:
        self.computed.append(items)
        return [item.upper() for item in items]


def test_a_cached_stage_computes_only_misses_and_prepares_only_for_them(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    first = Shouting()
    assert CachedStage(first, cache).map(["a", "b", "a", "c"]) == {"a": "A", "b": "B", "c": "C"}
    assert first.computed == [["a", "b"], ["c"]] and first.prepared == 1  # committed per slice
    again = Shouting()
    assert CachedStage(again, cache).map(["c", "a"]) == {"c": "C", "a": "A"}
    assert again.prepared == 0 and again.computed == []  # nothing to compute: nothing loads
    assert cache.lookups.by_stage["translation"] == (2, 3)


def test_when_preparing_changes_the_keys_only_results_of_the_new_identity_count(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    CachedStage(Shouting(), cache).map(["a", "b"])  # stored under "planned"
    fallback = Shouting(after_prepare="fallback")
    CachedStage(fallback, cache).map(["a", "b", "c"])  # "c" is missing: the stage is prepared
    assert fallback.computed == [["a", "b"], ["c"]]  # "planned" results are not the fallback's
    later = Shouting(after_prepare="fallback")
    assert CachedStage(later, cache).map(["a", "b", "c", "d"]) == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert later.computed == [["d"]]  # the fallback's own results are found again


def test_a_cached_stage_with_no_cache_computes_everything() -> None:
    stage = Shouting()
    cache = NullCache()
    CachedStage(stage, cache).map(["a"])
    CachedStage(stage, cache).map(["a"])
    assert stage.computed == [["a"], ["a"]]


def _translate_only(cli, seeds: Path, marian: Path, *extra: str) -> dict:
    status, _, err = cli(
        "run", seeds / ARTICLE, "--mt-model", marian, "--no-summary", "-q", "--json", "r.json", *extra
    )
    assert status == 0, err
    return json.loads(Path("r.json").read_text(encoding="utf-8"))


def test_ctranslate2_then_auto_is_served_from_the_cache(cli, seeds: Path, marian: Path) -> None:
    first = _translate_only(cli, seeds, marian, "--backend", "ctranslate2")
    again = _translate_only(cli, seeds, marian, "--backend", "auto")
    assert again["cache"] == {"hits": first["cache"]["misses"], "misses": 0}
    assert again["models"]["translation"]["backend"] == "ctranslate2"


def test_transformers_then_auto_recomputes(cli, seeds: Path, marian: Path) -> None:
    first = _translate_only(cli, seeds, marian, "--backend", "transformers")
    assert (first["models"]["translation"]["backend"], first["models"]["translation"]["compute_type"]) == (
        "transformers",
        "float32",
    )
    again = _translate_only(cli, seeds, marian)
    assert again["cache"] == {"hits": 0, "misses": first["cache"]["misses"]}
    assert again["models"]["translation"]["backend"] == "ctranslate2"


def _damage_store(marian: Path) -> None:
    damaged = store_path(Path("cache/models"), model_fingerprint(resolve_model(str(marian))))
    damaged.mkdir(parents=True)
    (damaged / "model.bin").write_bytes(b"not a model")
    (damaged / "config.json").write_text("{}", encoding="utf-8")


def test_results_of_a_fallback_are_stored_under_the_engine_that_ran(cli, seeds: Path, marian: Path) -> None:
    _damage_store(marian)
    fallback = _translate_only(cli, seeds, marian)
    assert fallback["models"]["translation"]["backend"] == "transformers"
    assert any("using transformers instead" in warning for warning in fallback["warnings"])
    again = _translate_only(cli, seeds, marian, "--backend", "transformers")
    assert again["cache"] == {"hits": fallback["cache"]["misses"], "misses": 0}


@pytest.fixture
def options(marian: Path, tmp_path: Path) -> RunOptions:
    return RunOptions(mt_model=str(marian), summarize=False, cache_dir=tmp_path / "cache", device="cpu")


@pytest.mark.parametrize(("backend", "compute_type"), [("ctranslate2", "int8"), ("transformers", "float32")])
def test_every_translation_has_a_finite_score_from_either_engine(
    seeds: Path, options: RunOptions, backend: str, compute_type: str
) -> None:
    result = run([str(seeds / ARTICLE)], replace(options, backend=backend))
    sentences = [s for p in result.articles[0].paragraphs for s in p.sentences]
    assert all(s.score is not None and math.isfinite(s.score) and s.score <= 0 for s in sentences)
    fingerprint = model_fingerprint(resolve_model(options.mt_model))
    assert result.engines["translation"] == EngineIdentity(backend, compute_type, "cpu", fingerprint)
    # Random weights make outputs degenerate: those were retried, and the flag says so.
    assert all(s.retried for s in sentences if s.low_quality)


def test_a_fully_cached_run_has_the_same_scores_and_flags(seeds: Path, options: RunOptions) -> None:
    first = run([str(seeds / ARTICLE)], options)
    again = run([str(seeds / ARTICLE)], options)
    assert again.cache_misses == 0
    assert again.articles == first.articles
    assert again.engines == first.engines
