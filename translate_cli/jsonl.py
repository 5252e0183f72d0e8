"""The `--jsonl` output: one JSON line per finished article, appended as each one completes.

Each line is the article object of the `--json` document. Every line is flushed and fsynced
before the next article, so a killed run leaves a file of whole lines (at most the line being
written is cut, and the next run truncates it away). A re-run appends only the articles that
the file does not already hold without an error, so an archive can be resumed by running the
same command again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from .data import ArticleResult
from .report import article_json


class JsonlLog:
    """An append-only file of finished articles; open it with `JsonlLog.open`."""

    def __init__(self, path: Path, stream: IO[bytes], done: set[str]) -> None:
        self.path = path
        self._stream = stream
        self._done = done  # inputs whose line in the file has no error: never written again
        self.repaired = False  # True when a cut-off last line was removed on opening

    @classmethod
    def open(cls, path: Path) -> JsonlLog:
        """Open `path` for appending, creating it if needed.

        A last line without its newline (a run killed mid-write) is truncated away, and the
        inputs already written without an error are remembered, so that they are not repeated.
        Raises OSError when the file cannot be read or written.
        """
        path = Path(path)
        stream = open(path, "a+b")  # noqa: SIM115 - kept open for the whole run, closed by close()
        try:
            stream.seek(0)
            data = stream.read()
            whole = data[: data.rfind(b"\n") + 1]
            if len(whole) < len(data):
                stream.truncate(len(whole))
                stream.flush()
                os.fsync(stream.fileno())
            log = cls(path, stream, _finished_inputs(whole))
            log.repaired = len(whole) < len(data)
            return log
        except BaseException:
            stream.close()
            raise

    def __contains__(self, source: str) -> bool:
        return source in self._done

    def write(self, article: ArticleResult) -> bool:
        """Append `article` as one line, unless the file already holds it; True if written.

        A failed input (`error` set) is written on every run, so a later line for the same path
        supersedes an earlier one: readers keep the last line per path.
        """
        if article.source in self._done:
            return False
        line = json.dumps(article_json(article), ensure_ascii=False, separators=(",", ":")) + "\n"
        self._stream.write(line.encode("utf-8"))
        self._stream.flush()
        os.fsync(self._stream.fileno())
        if article.error is None:
            self._done.add(article.source)
        return True

    def close(self) -> None:
        """Close the file."""
        self._stream.close()

    def __enter__(self) -> JsonlLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _finished_inputs(data: bytes) -> set[str]:
    """The paths of the articles in whole JSON lines, less those whose last line is an error."""
    latest: dict[str, bool] = {}
    for line in data.splitlines():
        try:
            article = json.loads(line)
            latest[article["path"]] = article.get("error") is None
        except (ValueError, TypeError, KeyError):  # a foreign or damaged line: not ours to judge
            continue
    return {path for path, ok in latest.items() if ok}


def read_jsonl(path: Path) -> list[dict]:
    """The article objects of a `--jsonl` file, the last line per path winning, in file order."""
    articles: dict[str, dict] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            articles.pop(article["path"], None)
            articles[article["path"]] = article
    return list(articles.values())
