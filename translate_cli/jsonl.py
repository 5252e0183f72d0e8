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
from .errors import NotJsonLines
from .printable import printable
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
        Raises NotJsonLines, before changing anything, when the file is not one a run wrote
        (see `check_jsonl`), and OSError when it cannot be read or written.
        """
        path = Path(path)
        stream = open(path, "a+b")  # noqa: SIM115 - kept open for the whole run, closed by close()
        try:
            stream.seek(0)
            data = stream.read()
            whole = _checked_whole_lines(path, data)
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


def check_jsonl(path: Path) -> None:
    """Raise NotJsonLines if `path` exists and is not a JSON Lines file a run could append to:
    a whole line that is not a JSON object, or a cut-off last line that does not start like one
    (a run killed mid-write leaves the start of an object, which is repaired; anything else is
    someone's file, and truncating it would delete their last line). Changes nothing."""
    try:
        data = Path(path).read_bytes()
    except OSError:  # missing (created by the run), or unreadable: opening it says why
        return
    _checked_whole_lines(Path(path), data)


def _checked_whole_lines(path: Path, data: bytes) -> bytes:
    """The whole lines of `data`, once every one of them is checked to be a JSON object."""
    whole = data[: data.rfind(b"\n") + 1]
    lines = whole.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip() and not isinstance(_parsed(line), dict):
            raise _not_json_lines(path, number)
    if data[len(whole) :].strip() and not data[len(whole) :].lstrip().startswith(b"{"):
        raise _not_json_lines(path, len(lines) + 1)
    return whole


def _not_json_lines(path: Path, number: int) -> NotJsonLines:
    return NotJsonLines(
        f"{printable(str(path))}: line {number} is not a JSON object, so --jsonl will not append to "
        "it; give a new file or one that --jsonl wrote"
    )


def _parsed(line: bytes) -> object:
    """The JSON value of a line, or None when it is not JSON."""
    try:
        return json.loads(line)
    except ValueError:  # not JSON, or not UTF-8
        return None


def _finished_inputs(data: bytes) -> set[str]:
    """The paths of the articles in whole JSON lines, less those whose last line is an error."""
    latest: dict[str, bool] = {}
    for line in data.splitlines():
        article = _parsed(line)
        if isinstance(article, dict) and isinstance(article.get("path"), str):
            latest[article["path"]] = article.get("error") is None
        # any other object is not an article of ours: not ours to judge
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
