"""Read article files: decode, parse the date header, and keep the article's structure."""

from __future__ import annotations

import calendar
import codecs
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from .data import BODY, DATELINE, HEADLINE, Article, Paragraph
from .errors import InputError
from .segment import split_sentences
from .settings import DEFAULT_MAX_BYTES

STDIN = "-"
STDIN_NAME = "<stdin>"

# C0 and C1 control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Characters that mojibake of Albanian text contains and clean Albanian text does not.
_MOJIBAKE_HINT = re.compile(r"[ÃÂĂÄÅ]|â€")

_DATE_HEADER = re.compile(r"\A[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?=\s|\Z)[ \t]*")
_BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_SPACES = re.compile(r"[ \t\f\v]+")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)]\s*\Z")
# A dateline line or lead: "TIRANË, 5 shtator 2023 (VOA) –". The place is in capitals.
_DATELINE = re.compile(
    r"\A(?P<dateline>[A-ZÇË]{3,}(?:[ -][A-ZÇË]{2,})*"
    r"(?:,[^–—\-.!?]{1,40}?)?(?:\s*\([^)]{1,30}\))?\s+[–—-])(?:\s+|\Z)"
)


def iter_inputs(paths: list[str]) -> Iterator[str | InputError]:
    """Expand command-line paths: a file as is, a folder into its `*.txt` files, sorted.

    Problems inside a folder (a symlink loop, an unreadable subfolder) are yielded as
    InputError values in place of files, so that the rest of the folder is still processed.
    """
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            yield from _walk(Path(path))
        else:
            yield path


def _walk(folder: Path) -> Iterator[str | InputError]:
    """Every `*.txt` file below `folder` in sorted order, following symlinks but not loops."""
    found: list[tuple[str, str | InputError]] = []
    seen: set[tuple[int, int]] = set()

    def report(error: OSError) -> None:
        name = error.filename or str(folder)
        found.append((name, InputError(f"{name}: cannot read folder ({error.strerror or error})", name)))

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=report):
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs.clear()
            found.append((root, InputError(f"{root}: symlink loop, skipped", root)))
            continue
        seen.add((stat.st_dev, stat.st_ino))
        for name in files:
            if name.endswith(".txt"):
                path = os.path.join(root, name)
                found.append((path, path))
    for _, item in sorted(found, key=lambda pair: Path(pair[0]).parts):
        yield item


def read_article(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one article from a file path, or from standard input when `path` is "-".

    Files over `max_bytes` are refused rather than read.
    """
    if path == STDIN:
        return parse_article(*decode(sys.stdin.buffer.read(max_bytes + 1), STDIN_NAME, max_bytes))
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {_megabytes(size)} is over the {_megabytes(max_bytes)} size limit (--max-size)"
            )
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    return parse_article(*decode(data, path, max_bytes))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def decode(data: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, list[str]]:
    """Decode article bytes to text; return (text, source, warnings about guesses and repairs).

    UTF-8 (with or without BOM) is taken as is; anything else is detected with
    charset-normalizer. Binary data is refused, and mojibake is repaired with ftfy.
    """
    if len(data) > max_bytes:
        raise InputError(f"{source}: over the {_megabytes(max_bytes)} size limit (--max-size)")
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
        warnings.append("decoded as UTF-16 (it has a UTF-16 byte order mark)")
    elif b"\x00" in data:
        raise InputError(f"{source}: binary file (it contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, encoding = _detect_encoding(data, source)
            warnings.append(f"not UTF-8; decoded as {encoding}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Repair first: UTF-8 read as Latin-1 turns "Ç" into "Ã" and the C1 control U+0087.
    text, repairs = _repair_mojibake(text)
    if repairs:
        warnings.append(f"repaired mojibake ({repairs})")
    controls = _CONTROL.findall(text)
    if len(controls) > max(2, len(text) // 200):
        raise InputError(f"{source}: binary file ({len(controls)} control characters), not text")
    if controls:
        text = _CONTROL.sub("", text)
        warnings.append(f"removed {len(controls)} control character(s)")
    return text, source, warnings


def _detect_encoding(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{source}: not text in any known encoding")
    return str(best), best.encoding


def _repair_mojibake(text: str) -> tuple[str, str]:
    """Undo UTF-8 read as Windows-1252/1250 or Latin-1 ("Ã«", "Ă«" for "ë")."""
    if not _MOJIBAKE_HINT.search(text):
        return text, ""  # saves importing ftfy for clean text, which is nearly all of it
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
    )
    fixed, steps = ftfy.fix_and_explain(text, config=config)
    if not steps or fixed == text:
        return text, ""
    return fixed, ", ".join(f"{step}: {detail}" for step, detail in steps)


def parse_article(text: str, source: str, warnings: list[str] | None = None) -> Article:
    """Turn decoded text into an article: date header, headline, dateline and paragraphs."""
    date, text = parse_date_header(text)
    if not text.strip():
        raise InputError(f"{source}: no text to translate")
    blocks = [block for block in _BLANK_LINES.split(text.strip()) if block.strip()]
    units = list(_structure(blocks))
    paragraphs = tuple(Paragraph(kind, tuple(split_sentences(body))) for kind, body in units)
    return Article(source=source, date=date, paragraphs=paragraphs, warnings=tuple(warnings or ()))


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
