"""Read article files: decode, parse the date header, and keep the article's structure."""

from __future__ import annotations

import calendar
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from .data import BODY, DATELINE, HEADLINE, Article, Paragraph
from .errors import InputError
from .segment import split_sentences

STDIN = "-"
STDIN_NAME = "<stdin>"

_DATE_HEADER = re.compile(r"\A[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?=\s|\Z)[ \t]*")
_BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_SPACES = re.compile(r"[ \t\f\v]+")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)]\s*\Z")
# A dateline line or lead: "TIRANË, 5 shtator 2023 (VOA) –". The place is in capitals.
_DATELINE = re.compile(
    r"\A(?P<dateline>[A-ZÇË]{3,}(?:[ -][A-ZÇË]{2,})*"
    r"(?:,[^–—\-.!?]{1,40}?)?(?:\s*\([^)]{1,30}\))?\s+[–—-])(?:\s+|\Z)"
)


def iter_inputs(paths: list[str]) -> Iterator[str]:
    """Expand command-line paths: a file as is, a folder into its `*.txt` files, sorted."""
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            yield from (str(p) for p in sorted(Path(path).rglob("*.txt")) if p.is_file())
        else:
            yield path


def read_article(path: str) -> Article:
    """Read one article from a file path, or from standard input when `path` is "-"."""
    if path == STDIN:
        return parse_article(decode(sys.stdin.buffer.read(), STDIN_NAME), STDIN_NAME)
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    return parse_article(decode(data, path), path)


def decode(data: bytes, source: str) -> str:
    """Decode article bytes as UTF-8 (with or without BOM); newlines become LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{source}: not UTF-8 text (byte {error.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_article(text: str, source: str) -> Article:
    """Turn decoded text into an article: date header, headline, dateline and paragraphs."""
    date, text = parse_date_header(text)
    if not text.strip():
        raise InputError(f"{source}: no text to translate")
    blocks = [block for block in _BLANK_LINES.split(text.strip()) if block.strip()]
    units = list(_structure(blocks))
    paragraphs = tuple(Paragraph(kind, tuple(split_sentences(body))) for kind, body in units)
    return Article(source=source, date=date, paragraphs=paragraphs)


def parse_date_header(text: str) -> tuple[str | None, str]:
    """Split a leading `date YYYY-MM[-DD]` header from the text; invalid dates stay text."""
    match = _DATE_HEADER.match(text)
    if not match or not _valid_date(match["date"]):
        return None, text
    return match["date"], text[match.end() :]


def _valid_date(value: str) -> bool:
    year, month, *day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return False
    return not day or 1 <= day[0] <= calendar.monthrange(year, month)[1]


def _structure(blocks: list[str]) -> Iterator[tuple[str, str]]:
    """Yield (kind, text) units: a headline and a dateline split off the top, then paragraphs."""
    for index, block in enumerate(blocks):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if index == 0 and _is_headline(lines):
            yield HEADLINE, lines[0]
            lines = lines[1:]
            if not lines:
                continue
        if index <= 1:
            dateline = _DATELINE.match(lines[0])
            if dateline:
                yield DATELINE, dateline["dateline"]
                lines[0] = lines[0][dateline.end() :]
                lines = [line for line in lines if line]
                if not lines:
                    continue
        # Lines of one block are hard wraps of one paragraph: join them before splitting.
        yield BODY, " ".join(lines)


def _is_headline(lines: list[str]) -> bool:
    """A first line is a headline when it is short, unpunctuated and not a hard wrap."""
    first = lines[0]
    if _SENTENCE_END.search(first) or len(first.split()) > 25 or _DATELINE.match(first):
        return False
    if len(lines) == 1:
        return len(first) <= 200
    # A hard-wrapped paragraph's first line is about as long as its longest line.
    return len(first) < 0.7 * max(len(line) for line in lines[1:])
