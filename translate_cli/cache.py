"""A persistent, content-addressed result cache on SQLite (WAL mode).

Keys are SHA-256 hashes of everything that determines a result: the model's identity, the
settings, and the input. A changed model, setting or input never reuses an old entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
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
_SQLITE_HEADER = b"SQLite format 3\x00"
#: What `ResultCache.state` can be.
HEALTHY = "healthy"  # read and written
READ_ONLY = "read-only"  # read, but new results are not saved (read-only location, full disk)
DAMAGED = "damaged"  # damaged pages: lookups that fail count as misses, writes stop at the first failure
UNAVAILABLE = "unavailable"  # cannot be opened: the run goes on without a cache
_SEVERITY = (HEALTHY, READ_ONLY, DAMAGED, UNAVAILABLE)
_CAUSES = (
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_READONLY", "read-only"),
    ("SQLITE_CANTOPEN", "the file cannot be opened"),
    ("SQLITE_PERM", "permission denied"),
    ("SQLITE_IOERR", "an I/O error"),
    ("SQLITE_BUSY", "another process holds it locked"),
    ("SQLITE_LOCKED", "another process holds it locked"),
)
_COLUMNS = {
    "meta": {"key", "value"},
    "results": {"stage", "key", "value", "created"},
    "fingerprints": {"path", "size", "mtime_ns", "digest"},
}

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

    A fault never stops a run and never discards healthy data:

    - a file that is provably not a cache of ours (no SQLite header, or a foreign schema) is
      moved aside, but only while no other process has the cache open;
    - a read-only location or a full disk: results are still read, and new ones are not saved;
    - damaged pages: lookups that fail count as misses, and writes stop at the first failure;
    - a cache that cannot be opened at all: the run goes on without one.

    Each such case adds one line to `warnings`. `state` says which case holds.
    """

    def __init__(self, directory: Path, *, move_foreign: bool = True) -> None:
        """Open the cache in `directory`; with `move_foreign` False (for `cache info`, which must
        change nothing), a file that is not a cache of ours is left alone and the cache unused."""
        self.directory = directory
        self.move_foreign = move_foreign
        #: Why the file is not a cache of translate-cli, when it was left alone; else None.
        self.foreign: str | None = None
        self.path = directory / DATABASE_NAME
        self.warnings: list[str] = []
        self.lookups = StageLookups()
        self.state = HEALTHY
        self._connection: sqlite3.Connection | None = None
        self._writable = False
        self._lock: _SharedLock | None = None
        self._warned: set[str] = set()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._fault(UNAVAILABLE, f"cannot be created ({error.strerror or error}): results are not cached")
            return
        self._lock = _SharedLock.take(self.path.with_name(self.path.name + ".lock"))
        self._open()

    # Opening

    def _open(self) -> None:
        foreign = self._header_problem()
        if foreign is None and not self.move_foreign:
            foreign = self._foreign_schema()
        if foreign is None:
            try:
                connection, foreign = self._connect()
            except sqlite3.Error as error:
                self._open_degraded(error)
                return
            if foreign is None:
                self._use(connection, writable=True)
                return
            connection.close()
        if not self.move_foreign:
            self.foreign = foreign
            self._fault(UNAVAILABLE, f"is not a cache of translate-cli ({foreign}); it was left alone")
            return
        if self._move_aside(foreign):
            try:
                connection, _ = self._connect()
            except sqlite3.Error as error:
                self._open_degraded(error)
                return
            self._use(connection, writable=True)

    def _use(self, connection: sqlite3.Connection, *, writable: bool) -> None:
        self._connection, self._writable = connection, writable

    def _header_problem(self) -> str | None:
        """Why the file is certainly not an SQLite database, or None (also when it cannot be read)."""
        try:
            with self.path.open("rb") as stream:
                header = stream.read(len(_SQLITE_HEADER))
        except OSError:
            return None  # missing (a new cache), or unreadable: SQLite will say which
        return "not an SQLite database" if header and header != _SQLITE_HEADER else None

    def _foreign_schema(self) -> str | None:
        """Why the file is not a cache of ours, judged through a read-only connection that
        changes nothing (no WAL switch, no schema); None when it is ours, new, or unreadable."""
        if not self.path.exists():
            return None
        try:
            connection, foreign = self._connect(read_only=True)
        except sqlite3.Error:  # damaged or unreadable: the ordinary opening says which
            return None
        connection.close()
        return foreign

    def _connect(
        self, *, read_only: bool = False, immutable: bool = False, check: bool = True
    ) -> tuple[sqlite3.Connection, str | None]:
        """A connection, and why the file is not a cache of ours (None if it is, or is new).

        A writable connection to a cache of ours has the schema created; a failure closes it.
        """
        if read_only:
            uri = f"{self.path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
            connection = sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        else:
            connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if read_only:
                connection.execute("PRAGMA query_only = ON")
            else:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = NORMAL")
            foreign = _schema_problem(connection) if check else None
            if foreign is None and check and not read_only:
                _create_schema(connection)
        except sqlite3.Error:
            connection.close()
            raise
        return connection, foreign

    def _open_degraded(self, error: sqlite3.Error) -> None:
        """Make the best of a cache that could not be opened for writing."""
        if fault_of(error) == DAMAGED:
            with contextlib.suppress(
                sqlite3.Error
            ):  # most lookups may still work, and writes until one fails
                self._use(self._connect(check=False)[0], writable=True)
            self._fault(DAMAGED, _damaged_message(error), stop_writing=False)
            return
        has_results = False
        with contextlib.suppress(OSError):
            has_results = self.path.stat().st_size > 0
        for immutable in (False, True) if has_results else ():  # immutable: WAL in a read-only folder
            try:
                connection, foreign = self._connect(read_only=True, immutable=immutable)
            except sqlite3.Error:
                continue
            if foreign is None:
                self._use(connection, writable=False)
                self._fault(
                    READ_ONLY,
                    f"cannot be written ({self._describe(error)}): cached results are used, "
                    "new ones are not saved",
                )
                return
            connection.close()
        self._fault(UNAVAILABLE, f"cannot be opened ({self._describe(error)}): results are not cached")

    def _describe(self, error: sqlite3.Error) -> str:
        """SQLite's message, with the cause named for the faults users meet."""
        name = getattr(error, "sqlite_errorname", "") or ""
        cause = next((cause for prefix, cause in _CAUSES if name.startswith(prefix)), None)
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")) and self._read_only_place():
            cause = "a read-only location"
        return f"{cause}: {error}" if cause else str(error)

    def _read_only_place(self) -> bool:
        try:
            return bool(os.statvfs(self.directory).f_flag & os.ST_RDONLY) or not os.access(
                self.directory, os.W_OK
            )
        except (OSError, AttributeError):
            return False

    def _move_aside(self, reason: str) -> bool:
        """Rename the cache files to `*.broken-<time>`, but only if no other process has them open."""
        if self._lock is None or not self._lock.upgrade():
            self._fault(
                UNAVAILABLE,
                f"is not a cache of translate-cli ({reason}) and is open elsewhere, so it was left "
                "alone: results are not cached",
            )
            return False
        try:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            for suffix in ("", "-wal", "-shm"):
                source = self.path.with_name(self.path.name + suffix)
                if source.exists():
                    source.replace(source.with_name(f"{self.path.name}.broken-{stamp}{suffix}"))
        except OSError as error:
            self._fault(
                UNAVAILABLE,
                f"is not a cache of translate-cli ({reason}) and cannot be moved aside "
                f"({error.strerror or error}): results are not cached",
            )
            return False
        finally:
            self._lock.downgrade()
        self._fault(
            HEALTHY,
            f"was not a cache of translate-cli ({reason}); moved it aside and started a new one",
            topic="moved aside",
            stop_writing=False,
        )
        return True

    def _fault(
        self, state: str, message: str, *, topic: str | None = None, stop_writing: bool = True
    ) -> None:
        """Record a fault: the worse state holds, and each topic (by default the state) is warned once."""
        if stop_writing:
            self._writable = False
        if _SEVERITY.index(state) > _SEVERITY.index(self.state):
            self.state = state
        topic = topic or state
        if topic not in self._warned:
            self._warned.add(topic)
            self.warnings.append(f"cache {self.path} {message}")

    # Use

    def get_many(self, stage: str, keys: Sequence[str]) -> dict[str, str]:
        """The cached values of those `keys` that are present; unreadable entries count as missing."""
        found: dict[str, str] = {}
        if self._connection is None:
            return found
        for start in range(0, len(keys), 500):  # stay under SQLite's variable limit
            batch = keys[start : start + 500]
            try:
                found.update(self._select(stage, batch))
            except sqlite3.Error as error:
                self._read_failed(error)
                if fault_of(error) == DAMAGED:  # one key at a time: keep every entry still readable
                    for key in batch:
                        with contextlib.suppress(sqlite3.Error):
                            found.update(self._select(stage, [key]))
        return found

    def _select(self, stage: str, keys: Sequence[str]) -> list[tuple[str, str]]:
        assert self._connection is not None
        marks = ",".join("?" * len(keys))
        return self._connection.execute(
            f"SELECT key, value FROM results WHERE stage = ? AND key IN ({marks})", (stage, *keys)
        ).fetchall()

    def put_many(self, stage: str, items: Iterable[tuple[str, str]]) -> None:
        """Store results in one transaction; after a failed write, nothing more is stored."""
        now = time.time()
        self._write(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
            [(stage, key, value, now) for key, value in items],
        )

    def file_digest(self, path: Path, compute: Callable[[Path], str]) -> str:
        """A file's content digest, memoized by path, size and modification time."""
        stat = path.stat()
        if self._connection is not None:
            try:
                row = self._connection.execute(
                    "SELECT digest FROM fingerprints WHERE path = ? AND size = ? AND mtime_ns = ?",
                    (str(path), stat.st_size, stat.st_mtime_ns),
                ).fetchone()
            except sqlite3.Error as error:
                self._read_failed(error)
                row = None
            if row:
                return row[0]
        digest = compute(path)
        self._write(
            "INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?)",
            [(str(path), stat.st_size, stat.st_mtime_ns, digest)],
        )
        return digest

    def _write(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        if not self._writable or self._connection is None or not rows:
            return
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.executemany(statement, rows)
            self._connection.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
            if fault_of(error) == DAMAGED:
                self._fault(DAMAGED, _damaged_message(error))
            else:
                self._fault(
                    READ_ONLY,
                    f"cannot be written ({self._describe(error)}): "
                    "the rest of this run's results are not saved",
                )

    def _read_failed(self, error: sqlite3.Error) -> None:
        if fault_of(error) == DAMAGED:
            self._fault(DAMAGED, _damaged_message(error), stop_writing=False)
        else:
            self._fault(
                self.state,
                f"cannot be read ({self._describe(error)}): lookups that fail count as misses",
                topic="read",
                stop_writing=False,
            )

    # Maintenance, for `translate-cli cache`

    def check(self) -> str | None:
        """What is wrong with the cache file, or None when SQLite finds it whole; reads all of it."""
        if self._connection is None:
            return None
        try:
            result = self._connection.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.Error as error:
            return str(error)
        return None if result == "ok" else result

    def counts(self) -> dict[str, int]:
        """Entries per stage."""
        counts = dict.fromkeys(STAGES, 0)
        if self._connection is not None:
            rows = self._connection.execute("SELECT stage, COUNT(*) FROM results GROUP BY stage")
            counts.update(rows.fetchall())
        return counts

    def size_bytes(self) -> int:
        """Bytes on disk: the database and its write-ahead log."""
        files = [self.path.with_name(self.path.name + suffix) for suffix in ("", "-wal", "-shm")]
        return sum(file.stat().st_size for file in files if file.exists())

    def clear(self, stage: str | None = None) -> int:
        """Delete the entries of one stage, or all; return how many were deleted.

        Raises CacheError when the cache cannot be written; `reset` starts a damaged one anew.
        """
        if self._connection is None or not self._writable:
            raise CacheError(
                f"cannot clear {self.path}: {self.warnings[0] if self.warnings else 'read-only'}"
            )
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            if stage is None:
                cursor = self._connection.execute("DELETE FROM results")
                self._connection.execute("DELETE FROM fingerprints")
            else:
                cursor = self._connection.execute("DELETE FROM results WHERE stage = ?", (stage,))
            self._connection.execute("COMMIT")
            self._connection.execute("VACUUM")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
            raise CacheError(f"cannot clear {self.path} ({self._describe(error)})") from None
        return cursor.rowcount

    def reset(self) -> None:
        """Delete the cache files and start an empty cache; CacheError if another run has it open."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._lock is None or not self._lock.upgrade():
            raise CacheError(f"cannot reset {self.path}: another run is using it; try again when it ends")
        try:
            for suffix in ("", "-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        except OSError as error:
            raise CacheError(f"cannot reset {self.path} ({error.strerror or error})") from None
        finally:
            self._lock.downgrade()
        self.warnings, self.state, self._writable, self._warned = [], HEALTHY, False, set()
        self._open()
        if self.state != HEALTHY:
            raise CacheError(f"cannot reset {self.path}: {self.warnings[0]}")

    def close(self) -> None:
        """Close the database connection and let go of the cache."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def fault_of(error: sqlite3.Error) -> str:
    """DAMAGED for an error that says the file's pages are damaged; UNAVAILABLE for any other."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(error):
        return DAMAGED
    return UNAVAILABLE


def _damaged_message(error: sqlite3.Error) -> str:
    return (
        f"is damaged ({error}): lookups that fail count as misses, and saving stops at the first "
        "failed write; "
        "`translate-cli cache clear` starts it anew"
    )


def _schema_problem(connection: sqlite3.Connection) -> str | None:
    """Why the database is not a translate-cli cache of this schema version, or None (also when empty)."""
    tables = {
        name: {column[1] for column in connection.execute(f"PRAGMA table_info({_quoted(name)})")}
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not tables:
        return None
    for name, columns in _COLUMNS.items():
        if name in tables and tables[name] != columns:
            return f"table {name} has other columns"
    if "meta" not in tables:
        return f"other tables: {', '.join(sorted(tables))}"
    version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version is None:
        return None if set(tables) <= set(_COLUMNS) else f"other tables: {', '.join(sorted(tables))}"
    if version[0] != str(SCHEMA_VERSION):
        return f"schema version {version[0]}, expected {SCHEMA_VERSION}"
    return None


def _quoted(name: str) -> str:
    """An SQL identifier, whatever characters a foreign file's table name holds."""
    return '"' + name.replace('"', '""') + '"'


def _create_schema(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        connection.execute("COMMIT")
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise


class _SharedLock:
    """A lock file beside the cache: every user holds it shared; moving the cache aside needs it alone."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor

    @classmethod
    def take(cls, path: Path) -> _SharedLock | None:
        """The lock, held shared; None where it cannot be had (a read-only folder, no flock)."""
        try:
            import fcntl
        except ImportError:  # not POSIX: never move anything aside
            return None
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            try:  # a read-only folder: a shared lock still keeps others from moving the cache
                descriptor = os.open(path, os.O_RDONLY)
            except OSError:
                return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)
        except OSError:
            os.close(descriptor)
            return None
        return cls(descriptor)

    def upgrade(self) -> bool:
        """Hold the lock alone, if no other process holds it; never waits."""
        import fcntl

        try:
            fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fcntl.flock(self.descriptor, fcntl.LOCK_SH)  # a failed conversion may have dropped it
            return False
        return True

    def downgrade(self) -> None:
        """Share the lock again."""
        import fcntl

        fcntl.flock(self.descriptor, fcntl.LOCK_SH)

    def release(self) -> None:
        """Let go of the lock."""
        os.close(self.descriptor)


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
