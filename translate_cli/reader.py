"""Read article files: decode, parse the date header, and keep the article's structure."""

from __future__ import annotations

import calendar
import codecs
import os
import re
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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
_MONTHS_SQ = ("janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator", "tetor")
_MONTHS_SQ += ("nëntor", "dhjetor")
# A line that is only a date, as news sites print one under the headline: "28 dhjetor 2024",
# "E shtunë, 28 dhjetor 2024, 10:30", "28.12.2024 14:05". The weekday and the time are ignored.
_DATE_LINE = re.compile(
    r"\A(?:\w+ ?\w*, )?(?P<day>\d{1,2})(?:\.? (?P<name>[a-zë]+)|[./-](?P<month>\d{1,2})[./-]?)[ ,]*"
    r"(?P<year>(?:19|20)\d\d)(?:,? (?:ora |në )?\d{1,2}[:.]\d\d)?\Z",
    re.IGNORECASE,
)
# How many lines at the top may hold that date line: headline, author, date.
_DATE_LINE_SEARCH = 4


@dataclass(frozen=True)
class InputList:
    """A run's inputs, listed once: the CLI checks its outputs against them, then the run reads them."""

    items: tuple[str | InputError, ...]  # files in reading order ("-" is stdin), and listing problems
    notes: tuple[str, ...]  # harmless findings while listing, such as a symlink loop skipped


def list_inputs(paths: Sequence[str]) -> InputList:
    """Every input under `paths`, as `iter_inputs` yields them; paths only, nothing is read."""
    notes: list[str] = []
    items = tuple(iter_inputs(paths, notes))
    return InputList(items, tuple(notes))


def iter_inputs(paths: Sequence[str], notes: list[str] | None = None) -> Iterator[str | InputError]:
    """Expand command-line paths: a file as is, a folder into its `*.txt` files, sorted.

    A file reached twice (named twice, or through a symlinked folder such as
    `latest -> 2023-09`) is listed once, and so is standard input (`- -`). Problems inside a
    folder (an unreadable subfolder) are yielded as InputError values in place of files, so
    that the rest of the folder is still processed; a folder with nothing to read is an
    InputError too. Harmless findings, such as a symlink loop that was skipped, are appended to
    `notes`.
    """
    seen: set[str] = set()  # real paths of the files listed so far
    for path in paths:
        if path == STDIN:
            if STDIN not in seen:  # read once: a second read would find it empty
                seen.add(STDIN)
                yield path
            continue
        items = list(_walk(Path(path), notes)) if Path(path).is_dir() else [path]
        if not items:
            yield InputError(f"{path}: no *.txt files in this folder", path)
        for item in items:
            if isinstance(item, str):
                real = os.path.realpath(item)
                if real in seen:
                    continue
                seen.add(real)
            yield item


def _walk(folder: Path, notes: list[str] | None) -> Iterator[str | InputError]:
    """Every `*.txt` file (any case) below `folder` in sorted order, following symlinks.

    A folder reached again through a symlink is skipped quietly; a symlink back to a folder
    above it (a real loop) is skipped with a note.
    """
    found: list[tuple[str, str | InputError]] = []
    visited: set[tuple[int, int]] = set()
    chains: dict[str, tuple[tuple[int, int], ...]] = {}  # folder -> (device, inode) of it and its parents

    def report(error: OSError) -> None:
        name = error.filename or str(folder)
        found.append((name, InputError(f"{name}: cannot read folder ({error.strerror or error})", name)))

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=report):
        dirs.sort()  # walk in sorted order, so the first path to a folder reached twice is kept
        try:
            info = os.stat(root)
        except OSError as error:
            report(error)
            dirs.clear()
            continue
        key = (info.st_dev, info.st_ino)
        above = chains.get(os.path.dirname(root), ())
        if key in above:
            dirs.clear()
            if notes is not None:
                notes.append(f"{root}: symlink loop (it leads back to a folder above it), skipped")
            continue
        if key in visited:
            dirs.clear()
            continue
        visited.add(key)
        chains[root] = (*above, key)
        for name in files:
            if name.lower().endswith(".txt"):
                path = os.path.join(root, name)
                found.append((path, path))
    for _, item in sorted(found, key=lambda pair: Path(pair[0]).parts):
        yield item


def read_article(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one article from a file path, or from standard input when `path` is "-".

    Only regular files are read, and never more than `max_bytes`.
    """
    if path == STDIN:
        return parse_article(*decode(sys.stdin.buffer.read(max_bytes + 1), STDIN_NAME, max_bytes))
    return parse_article(*decode(read_bytes(path, max_bytes), path, max_bytes))


# What a path is, when it is not a regular file: named in the error.
_FILE_KINDS = (
    (stat.S_ISDIR, "is a folder"),
    (stat.S_ISFIFO, "is a FIFO (named pipe)"),
    (stat.S_ISCHR, "is a character device"),
    (stat.S_ISBLK, "is a block device"),
    (stat.S_ISSOCK, "is a socket"),
)


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The contents of a regular file of at most `max_bytes`; InputError for anything else.

    A FIFO would block forever and `/dev/zero` never ends, so only regular files are opened,
    and at most `max_bytes + 1` bytes are read even when the reported size is wrong.
    """
    try:
        _check_regular(path, os.stat(path))
        # O_NONBLOCK: should the path become a FIFO after the check, opening it must not wait.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as stream:
            info = os.fstat(stream.fileno())
            _check_regular(path, info)
            if info.st_size > max_bytes:
                raise InputError(
                    f"{path}: {_size_text(info.st_size)} is over the "
                    f"{_size_text(max_bytes)} size limit (--max-size)"
                )
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: over the {_size_text(max_bytes)} size limit (--max-size)")
    return data


def _check_regular(path: str, info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((text for test, text in _FILE_KINDS if test(info.st_mode)), "is a special file")
    raise InputError(f"{path}: {kind}, not a regular file")


def _size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000:.1f} KB" if size >= 1_000 else f"{size} bytes"


def decode(data: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, list[str]]:
    """Decode article bytes to text; return (text, source, warnings about guesses and repairs).

    UTF-8 (with or without BOM) is taken as is, and a few invalid bytes in it are replaced and
    reported. Only bytes that are clearly not UTF-8 go to charset detection. Binary data is
    refused, and lines of mojibake are repaired with ftfy. Every failure is an InputError.
    """
    if len(data) > max_bytes:
        raise InputError(f"{source}: over the {_size_text(max_bytes)} size limit (--max-size)")
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(
                f"{source}: not valid UTF-16 despite its byte order mark "
                f"({error.reason} at byte offset {error.start})"
            ) from None
        warnings.append("decoded as UTF-16 (it has a UTF-16 byte order mark)")
    elif b"\x00" in data:
        raise InputError(f"{source}: binary file (it contains NUL bytes), not text")
    else:
        text, invalid = _decode_utf8(data)
        if _clearly_not_utf8(text, invalid):
            text, encoding = _detect_encoding(data, source)
            warnings.append(f"not UTF-8; decoded as {encoding}")
        elif invalid:
            warnings.append(_invalid_bytes_warning(data, invalid))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Repair first: UTF-8 read as Latin-1 turns "Ç" into "Ã" and the C1 control U+0087.
    text, repairs = _repair_mojibake(text)
    warnings += repairs
    controls = _CONTROL.findall(text)
    if len(controls) > max(2, len(text) // 200):
        raise InputError(f"{source}: binary file ({len(controls)} control characters), not text")
    if controls:
        text = _CONTROL.sub("", text)
        warnings.append(f"removed {len(controls)} control character(s)")
    return text, source, warnings


_INVALID_SPANS = threading.local()  # (start, end) byte offsets of invalid UTF-8, per decode call


def _record_invalid(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    _INVALID_SPANS.spans.append((error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("translate_cli.record_invalid", _record_invalid)


def _decode_utf8(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """UTF-8 text with each invalid byte sequence replaced by U+FFFD, and where they were."""
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    _INVALID_SPANS.spans = []
    try:
        text = data[offset:].decode("utf-8", errors="translate_cli.record_invalid")
        spans = [(start + offset, end + offset) for start, end in _INVALID_SPANS.spans]
    finally:
        _INVALID_SPANS.spans = []
    return text, spans


def _clearly_not_utf8(text: str, invalid: list[tuple[int, int]]) -> bool:
    """More invalid sequences than valid multi-byte characters: a legacy 8-bit encoding, where
    nearly every accented letter is invalid UTF-8, rather than UTF-8 with a few damaged bytes."""
    if not invalid:
        return False
    valid_multibyte = sum(1 for char in text if char > "\x7f") - len(invalid)
    return len(invalid) > valid_multibyte


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _invalid_bytes_warning(data: bytes, invalid: list[tuple[int, int]], shown: int = 3) -> str:
    count = sum(end - start for start, end in invalid)
    places = [f"line {_line_of(data, start)} (byte offset {start})" for start, _ in invalid[:shown]]
    more = f" and {len(invalid) - shown} more" if len(invalid) > shown else ""
    return f"replaced {count} invalid UTF-8 byte(s) with \ufffd: at {', '.join(places)}{more}"


def _detect_encoding(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{source}: not text in any known encoding")
    return str(best), best.encoding


def _repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo UTF-8 read as Windows-1252/1250 or Latin-1 ("Ã«", "Ă«" for "ë"), line by line, so
    that a garbled headline above a clean body is repaired too; one warning per kind of repair."""
    if not _MOJIBAKE_HINT.search(text):
        return text, []  # saves importing ftfy for clean text, which is nearly all of it
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
    lines = text.split("\n")
    repaired: dict[str, list[tuple[int, str, str]]] = {}  # how -> (line number, before, after)
    for index, line in enumerate(lines):
        if not _MOJIBAKE_HINT.search(line):
            continue
        fixed, steps = ftfy.fix_and_explain(line, config=config)
        if steps and fixed != line:
            lines[index] = fixed
            repaired.setdefault(_describe_repair(steps), []).append((index + 1, line, fixed))
    warnings = [_repair_warning(how, changes) for how, changes in repaired.items()]
    return "\n".join(lines), warnings


def _describe_repair(steps: list[tuple[str, str]]) -> str:
    encoded = [detail for step, detail in steps if step == "encode"]
    if encoded and ("decode", "utf-8") in steps:
        return f"UTF-8 that had been read as {encoded[0].removeprefix('sloppy-')}"
    return ", ".join(f"{step} {detail}" for step, detail in steps)


def _repair_warning(how: str, changes: list[tuple[int, str, str]], shown: int = 5) -> str:
    numbers = ", ".join(str(number) for number, _, _ in changes[:shown])
    more = f" and {len(changes) - shown} more" if len(changes) > shown else ""
    where = f"line {numbers}" if len(changes) == 1 else f"lines {numbers}{more}"
    _, before, after = changes[0]
    pairs = zip(before.split(), after.split(), strict=False)  # ftfy keeps words, not always their number
    example = next((f": “{old}” → “{new}”" for old, new in pairs if old != new), "")
    return f"repaired mojibake on {where} ({how}){example}"


def parse_article(text: str, source: str, warnings: list[str] | None = None) -> Article:
    """Turn decoded text into an article: date header, headline, dateline and paragraphs."""
    date, text = parse_date_header(text)
    if not text.strip():
        raise InputError(f"{source}: no text to translate")
    blocks = [block for block in _BLANK_LINES.split(text.strip()) if block.strip()]
    date = date or find_date_line(blocks)
    units = list(_structure(blocks))
    paragraphs = tuple(Paragraph(kind, tuple(split_sentences(body))) for kind, body in units)
    return Article(source=source, date=date, paragraphs=paragraphs, warnings=tuple(warnings or ()))


def parse_date_header(text: str) -> tuple[str | None, str]:
    """Split a leading `date YYYY-MM[-DD]` header from the text; invalid dates stay text."""
    match = _DATE_HEADER.match(text)
    if not match or not _valid_date(match["date"]):
        return None, text
    return match["date"], text[match.end() :]


def find_date_line(blocks: list[str]) -> str | None:
    """The date of a line near the top that holds only a date ("28 dhjetor 2024"), as YYYY-MM-DD.

    The line stays in the text: it is translated like any other. Only the first lines are looked
    at, so that a date inside the article is never taken for the article's own.
    """
    lines = [line.strip() for block in blocks for line in block.split("\n") if line.strip()]
    for line in lines[:_DATE_LINE_SEARCH]:
        match = _DATE_LINE.match(_SPACES.sub(" ", line))
        if not match:
            continue
        name = (match["name"] or "").lower().replace("ë", "e")  # "nentor" is typed for "nëntor"
        folded = [month.replace("ë", "e") for month in _MONTHS_SQ]
        month = folded.index(name) + 1 if name in folded else int(match["month"] or 0)
        value = f"{match['year']}-{month:02d}-{int(match['day']):02d}"
        if _valid_date(value):
            return value
    return None


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
