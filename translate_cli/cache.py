"""A persistent, content-addressed result cache on SQLite (WAL mode).

Keys are SHA-256 hashes of everything that determines a result: the model's identity, the
settings, and the input. A changed model, setting or input never reuses an old entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import CacheError

SCHEMA_VERSION = 1
DATABASE_NAME = "results.sqlite3"
LANGUAGE = "language"  # the language each article is written in
SEGMENTATION = "segmentation"  # over-long sentences split to the model's input limit
TRANSLATION = "translation"
SUMMARY = "summary"
STAGES = (LANGUAGE, SEGMENTATION, TRANSLATION, SUMMARY)
_BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    stage TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (stage, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fingerprints (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL
);
"""


class StageLookups:
    """Cache hits and misses of one run, per stage."""

    def __init__(self) -> None:
        self.by_stage: dict[str, tuple[int, int]] = {}

    def record(self, stage: str, *, hits: int, misses: int) -> None:
        """Add one lookup's hits and misses."""
        old_hits, old_misses = self.by_stage.get(stage, (0, 0))
        self.by_stage[stage] = (old_hits + hits, old_misses + misses)

    def totals(self, stages: Iterable[str] = (TRANSLATION, SUMMARY)) -> tuple[int, int]:
        """Hits and misses summed over `stages`: by default the results users see."""
        pairs = [self.by_stage.get(stage, (0, 0)) for stage in stages]
        return sum(h for h, _ in pairs), sum(m for _, m in pairs)


def cache_key(*parts: Any) -> str:
    """SHA-256 of the JSON encoding of `parts`."""
    encoded = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class ResultCache:
    """Stage results in one SQLite file under the cache directory.

    Opening never crashes on a damaged or foreign file: it is moved aside, reported in
    `warnings`, and a fresh cache is built in its place.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / DATABASE_NAME
        self.warnings: list[str] = []
        self.lookups = StageLookups()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CacheError(f"cannot create cache directory {directory} ({error.strerror})") from None
        try:
            self._connection = self._open()
        except sqlite3.DatabaseError as error:
            self._move_aside(str(error))
            self._connection = self._open()

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
            version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if version is None:
                connection.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
            elif version[0] != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"schema version {version[0]}, expected {SCHEMA_VERSION}")
            connection.execute("SELECT stage, key, value, created FROM results LIMIT 1").fetchall()
        except sqlite3.OperationalError as error:
            connection.close()
            if "locked" in str(error) or "busy" in str(error):
                raise CacheError(f"cache {self.path} is locked by another process ({error})") from None
            raise sqlite3.DatabaseError(str(error)) from None
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def _move_aside(self, reason: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.replace(source.with_name(f"{self.path.name}.broken-{stamp}{suffix}"))
        self.warnings.append(
            f"cache {self.path} was damaged or foreign ({reason}); moved it aside and started a new one"
        )

    def get_many(self, stage: str, keys: Sequence[str]) -> dict[str, str]:
        """The cached values of those `keys` that are present."""
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):  # stay under SQLite's variable limit
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self._connection.execute(
                f"SELECT key, value FROM results WHERE stage = ? AND key IN ({marks})",
                (stage, *batch),
            )
            found.update(rows.fetchall())
        return found

    def put_many(self, stage: str, items: Iterable[tuple[str, str]]) -> None:
        """Store results in one transaction."""
        now = time.time()
        with self._connection:
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                [(stage, key, value, now) for key, value in items],
            )

    def file_digest(self, path: Path, compute: Callable[[Path], str]) -> str:
        """A file's content digest, memoized by path, size and modification time."""
        stat = path.stat()
        row = self._connection.execute(
            "SELECT digest FROM fingerprints WHERE path = ? AND size = ? AND mtime_ns = ?",
            (str(path), stat.st_size, stat.st_mtime_ns),
        ).fetchone()
        if row:
            return row[0]
        digest = compute(path)
        with self._connection:
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.execute(
                "INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?)",
                (str(path), stat.st_size, stat.st_mtime_ns, digest),
            )
        return digest

    def counts(self) -> dict[str, int]:
        """Entries per stage."""
        rows = self._connection.execute("SELECT stage, COUNT(*) FROM results GROUP BY stage")
        counts = dict.fromkeys(STAGES, 0)
        counts.update(rows.fetchall())
        return counts

    def size_bytes(self) -> int:
        """Bytes on disk: the database and its write-ahead log."""
        files = [self.path.with_name(self.path.name + suffix) for suffix in ("", "-wal", "-shm")]
        return sum(file.stat().st_size for file in files if file.exists())

    def clear(self, stage: str | None = None) -> int:
        """Delete the entries of one stage, or all; return how many were deleted."""
        with self._connection:
            self._connection.execute("BEGIN IMMEDIATE")
            if stage is None:
                cursor = self._connection.execute("DELETE FROM results")
                self._connection.execute("DELETE FROM fingerprints")
            else:
                cursor = self._connection.execute("DELETE FROM results WHERE stage = ?", (stage,))
        self._connection.execute("VACUUM")
        return cursor.rowcount

    def close(self) -> None:
        """Close the database connection."""
        self._connection.close()


class NullCache:
    """The cache used with --no-cache: stores nothing, finds nothing."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.lookups = StageLookups()

    def get_many(self, stage: str, keys: Sequence[str]) -> dict[str, str]:
        """Nothing is ever found."""
        return {}

    def put_many(self, stage: str, items: Iterable[tuple[str, str]]) -> None:
        """Nothing is stored."""

    def file_digest(self, path: Path, compute: Callable[[Path], str]) -> str:
        """Computed every time."""
        return compute(path)

    def close(self) -> None:
        """Nothing to close."""


Cache = ResultCache | NullCache


def cached_map(
    cache: Cache,
    stage: str,
    inputs: Sequence[str],
    key_of: Callable[[str], str],
    compute: Callable[[list[str]], list[str]],
    *,
    commit_every: int,
    on_misses: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """Map each distinct input to its result, computing only cache misses.

    Misses are computed `commit_every` at a time and stored after each slice, so an
    interrupted run loses at most the slice in flight. `on_misses` hears how many will be computed.
    """
    distinct = list(dict.fromkeys(inputs))
    keys = {text: key_of(text) for text in distinct}
    found = cache.get_many(stage, list(keys.values()))
    results = {text: found[key] for text, key in keys.items() if key in found}
    missing = [text for text in distinct if text not in results]
    cache.lookups.record(stage, hits=len(results), misses=len(missing))
    if on_misses is not None:
        on_misses(len(missing))
    for start in range(0, len(missing), commit_every):
        batch = missing[start : start + commit_every]
        outputs = compute(batch)
        cache.put_many(stage, [(keys[text], output) for text, output in zip(batch, outputs, strict=True)])
        results.update(zip(batch, outputs, strict=True))
    return results
