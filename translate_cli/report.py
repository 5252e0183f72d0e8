"""Report writers: Markdown, JSON and plain text, picked by `get_writer`, written atomically.

Writers only format a RunResult; they never recompute anything.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .data import DATELINE, HEADLINE, ArticleResult, EngineIdentity, Flag, ModelInfo, RunResult
from .errors import UsageError
from .printable import printable

JSON_SCHEMA_VERSION = 1
#: Put before a translation that still looked degenerate after a retry.
LOW_QUALITY_MARK = "⚠ *(low quality)*"
#: Put before a flagged translation and before each item of an article's "Check these" list.
FLAG_MARK = "⚑"

Writer = Callable[[RunResult], str]

# Characters that start Markdown inline syntax anywhere in a line.
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
# Characters that start block syntax at the beginning of a line (headings, lists, quotes, rules).
_BLOCK_START = re.compile(r"^(\s*)([#+=>-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str, *, inline: bool = True) -> str:
    """Escape text so that rendered Markdown shows it literally, with no HTML, links or images.

    `inline` text (a table cell) is also kept on one line so that it cannot break the table.
    """
    escaped = printable(text, multiline=not inline)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _INLINE_SYNTAX.sub(r"\\\1", escaped)
    if inline:
        return " ".join(escaped.split())
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker[0].isdigit():  # "1." starts a list; "1\." does not
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    return f"{indent}\\{marker}"


def render_markdown(result: RunResult) -> str:
    """The Markdown report: run details, then per article its summary and a side-by-side table."""
    failed = len(result.failed)
    lines = [
        "# Translation report",
        "",
        f"- **Run:** {escape_markdown(result.started)}",
    ]
    for role, info in result.models.items():
        line = f"- **{role.capitalize()} model:** {escape_markdown(info.describe())}"
        engine = result.engines.get(role)
        if engine is not None:
            line += f" on {engine.backend} ({engine.compute_type}, {engine.device})"
        lines.append(line)
    lines += [
        f"- **Articles:** {len(result.articles)} ({failed} failed)",
        f"- **Cache:** {result.cache_hits} hits, {result.cache_misses} misses",
    ]
    lines += [f"- **Warning:** {escape_markdown(w)}" for w in result.warnings]
    names = result.display_names()
    anchors = {article.source: f"article-{number}" for number, article in enumerate(result.articles, 1)}
    if len(result.articles) > 1:
        lines += ["", *_digest_markdown(result, names, anchors)]
    for article in result.articles:
        lines += ["", *_article_markdown(article, names[article.source], anchors[article.source])]
    return "\n".join(lines) + "\n"


def _digest_markdown(result: RunResult, names: dict[str, str], anchors: dict[str, str]) -> list[str]:
    """One row per article, sorted by date (undated last), each linking to its section, with the
    number of things to check in it."""
    with_summary = any(a.summary is not None for a in result.articles)
    header = (
        "| Date | Article | Check | Summary |\n| --- | --- | --: | --- |"
        if with_summary
        else "| Date | Article | Check |\n| --- | --- | --: |"
    )
    lines = ["## Digest", "", *header.split("\n")]
    ordered = sorted(result.articles, key=lambda a: (a.date is None, a.date or ""))  # stable: input order
    for article in ordered:
        title, name = article.title(), names[article.source]
        link = f"[{escape_markdown(title or name)}](#{anchors[article.source]})"
        if title:  # the file too: articles with the same headline must be told apart
            link += f" ({escape_markdown(name)})"
        date = _unbreakable(article.date or "—")
        row = f"| {date} | {link} | {_check_count(article, anchors[article.source])} |"
        if with_summary:
            if article.error is not None:
                gist = f"failed: {escape_markdown(article.error)}"
            else:
                gist = escape_markdown(one_line(article.summary or ""))
            row += f" {gist} |"
        lines.append(row)
    return lines


#: U+2011 NON-BREAKING HYPHEN: looks like "-", but a narrow table column does not wrap at it.
NON_BREAKING_HYPHEN = "\u2011"


def _unbreakable(date: str) -> str:
    """A date for the digest's narrow Date column, on one line when rendered (2023‑09‑12).

    Only there: the article sections, the JSON and the text keep the plain ISO date.
    """
    return date.replace("-", NON_BREAKING_HYPHEN)


def _check_count(article: ArticleResult, anchor: str) -> str:
    """The digest's count of flagged sentences and summary flags, linked to the article's list."""
    if article.error is not None:
        return "—"
    count = article.flag_count
    return f"[{FLAG_MARK} {count}](#{anchor}-check)" if count else "0"


def one_line(text: str, limit: int = 160) -> str:
    """The first sentence of `text` on one line, cut at a word boundary near `limit` characters."""
    flat = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    first = match.group(1) if match else flat
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def _article_markdown(article: ArticleResult, name: str, anchor: str) -> list[str]:
    title = article.title()
    lines = [f'## <a id="{anchor}"></a>{escape_markdown(title or name)}', ""]
    if article.error is not None:
        return [*lines, "> [!CAUTION]", f"> **Error:** {escape_markdown(article.error)}"]
    lines += [escape_markdown(article.source) + (f" · {article.date}" if article.date else ""), ""]
    lines += _check_these(article, anchor)
    if article.summary is not None:
        summary = escape_markdown(article.summary, inline=False).splitlines() or [""]
        lines += [f'<a id="{anchor}-summary"></a>', ""] if article.summary_flags else []
        lines += ["> [!NOTE]", "> **Summary**", ">", *(f"> {line}".rstrip() for line in summary)]
        if article.summary_flags:  # beside the summary: the facts in it the article does not have
            lines += [
                ">",
                *(f"> {FLAG_MARK} **Check:** {escape_markdown(f.message)}  " for f in article.summary_flags),
            ]
        lines.append("")
    if article.warnings:
        lines += ["> [!WARNING]"]
        lines += [f"> - {escape_markdown(warning)}" for warning in article.warnings]
        lines.append("")
    # The first column numbers the paragraphs, on each paragraph's first row: paragraph breaks
    # show without empty rows.
    lines += ["| ¶ | Albanian | English |", "| --: | --- | --- |"]
    position = 0
    for number, paragraph in enumerate(article.paragraphs, 1):
        style = {HEADLINE: "**", DATELINE: "_"}.get(paragraph.kind, "")
        for index, sentence in enumerate(paragraph.sentences):
            position += 1
            source = _styled(escape_markdown(sentence.source), style)
            translation = _styled(escape_markdown(sentence.translation), style)
            if sentence.low_quality:
                translation = f"{LOW_QUALITY_MARK} {translation}"
            if sentence.flags:
                kinds = ", ".join(dict.fromkeys(f.kind for f in sentence.flags))
                row_anchor = f'<a id="{sentence_anchor(anchor, position)}"></a>'
                translation = f"{row_anchor}{FLAG_MARK} *({kinds})* {translation}"
            lines.append(f"| {number if index == 0 else ''} | {source} | {translation} |")
    return lines


def sentence_anchor(article_anchor: str, position: int) -> str:
    """The id of a sentence's row in the report: "article-2-s14" for the 14th of article 2."""
    return f"{article_anchor}-s{position}"


def _check_these(article: ArticleResult, anchor: str) -> list[str]:
    """The list at the top of an article of what to double-check, each item linked to its row."""
    items = []
    if article.summary_flags:
        messages = " · ".join(escape_markdown(f.message) for f in article.summary_flags)
        items.append(f"> - {FLAG_MARK} [summary](#{anchor}-summary): {messages}")
    position = 0
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            position += 1
            if sentence.flags:
                link = f"[sentence {position}](#{sentence_anchor(anchor, position)})"
                messages = " · ".join(escape_markdown(f.message) for f in sentence.flags)
                items.append(f"> - {FLAG_MARK} {link}: {messages}")
    if not items:
        return []
    return [f'<a id="{anchor}-check"></a>', "", "> [!IMPORTANT]", "> **Check these**", ">", *items, ""]


def _styled(text: str, marker: str) -> str:
    return f"{marker}{text}{marker}" if marker and text else text


def render_json(result: RunResult) -> str:
    """Machine-readable results, in the schema documented in the README."""
    document = {
        "version": JSON_SCHEMA_VERSION,
        "started": result.started,
        "models": {role: _model_json(info, result.engines.get(role)) for role, info in result.models.items()},
        "cache": {"hits": result.cache_hits, "misses": result.cache_misses},
        "warnings": list(result.warnings),
        "articles": [article_json(article) for article in result.articles],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _model_json(info: ModelInfo, engine: EngineIdentity | None) -> dict:
    return {
        "id": info.name,
        "revision": info.revision,
        "path": str(info.path),
        "backend": engine.backend if engine else None,
        "compute_type": engine.compute_type if engine else None,
        "device": engine.device if engine else None,
    }


def article_json(article: ArticleResult) -> dict:
    """One article as an object of the JSON document; `--jsonl` writes the same object per line."""
    return {
        "path": article.source,
        "date": article.date,
        "warnings": list(article.warnings),
        "error": article.error,
        "paragraphs": [
            {
                "kind": paragraph.kind,
                "sentences": [
                    {
                        "source": s.source,
                        "translation": s.translation,
                        "low_quality": s.low_quality,
                        "score": s.score,
                        "retried": s.retried,
                        "confidence": s.confidence,
                        "flags": _flags_json(s.flags),
                    }
                    for s in paragraph.sentences
                ],
            }
            for paragraph in article.paragraphs
        ],
        "translation": article.translation,
        "summary": article.summary,
        "summary_flags": _flags_json(article.summary_flags),
    }


def _flags_json(flags: tuple[Flag, ...]) -> list[dict[str, str]]:
    return [{"kind": flag.kind, "message": flag.message} for flag in flags]


def _check_these_text(article: ArticleResult) -> str:
    """The plain-text "Check these" block: one line per flagged sentence (with the start of its
    English, since plain text has no rows to point at) and per summary fact."""
    lines = [f"{FLAG_MARK} summary: {flag.message}" for flag in article.summary_flags]
    position = 0
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            position += 1
            if sentence.flags:
                words = sentence.translation.split()
                start = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
                messages = " · ".join(flag.message for flag in sentence.flags)
                lines.append(f"{FLAG_MARK} sentence {position} (“{start}”): {messages}")
    return "\n".join(["Check these:", *lines]) if lines else ""


def render_text(result: RunResult) -> str:
    """Plain text for pipes: per article a `==> name · date <==` header, the English
    translation with its paragraphs, the summary, then what to double-check. No styling, no padding.

    Inputs that failed are left out: the text is a clean document of what was translated, and
    their errors belong on stderr, where the CLI prints them (`RunResult.failed`).
    """
    names = result.display_names()
    blocks = []
    for article in result.articles:
        if article.error is not None:
            continue
        # One line each, whatever the file name holds: a newline in it must not forge a header.
        header = printable(names[article.source]) + (f" · {article.date}" if article.date else "")
        parts = [f"==> {header} <==", *(p.translation for p in article.paragraphs if p.translation)]
        if article.summary is not None:
            parts.append(f"Summary: {' '.join(article.summary.split())}")
        check = _check_these_text(article)
        if check:
            parts.append(check)
        blocks.append("\n\n".join(parts))
    # File names and model output may hold escape sequences; this text is meant for terminals too.
    return printable("\n\n".join(blocks), multiline=True) + "\n" if blocks else ""


WRITERS: dict[str, Writer] = {"markdown": render_markdown, "json": render_json, "text": render_text}


def get_writer(fmt: str) -> Writer:
    """The writer for an output format: "markdown", "json" or "text"."""
    try:
        return WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(WRITERS)}") from None


# Names of a process's own streams: their real path is a terminal, a pipe or a redirected file.
_STREAM_ALIAS = re.compile(r"\A/(?:dev/(?:stdout|stderr|stdin|fd/\d+)|proc/[^/]+/fd/\d+)\Z")


def check_output_path(path: Path) -> None:
    """Raise UsageError unless `path` can be written: before a run, so no work is wasted.

    The folder must exist and take a new file (tried for real: permissions alone say nothing to
    root, and a read-only mount says nothing in its mode bits); the path must not be a folder
    or a special file.
    """
    target = Path(os.path.realpath(path))
    shown_folder = target.parent if os.path.islink(path) else Path(path).parent  # as the user wrote it
    name, folder = printable(str(path)), printable(str(shown_folder))
    if _STREAM_ALIAS.match(str(path)):  # renaming over whatever stdout is redirected to is no write
        raise UsageError(f"cannot write {name}: it names a stream (- writes to standard output)")
    if target.is_dir():
        raise UsageError(f"cannot write {name}: it is a folder")
    if target.exists() and not target.is_file():
        raise UsageError(f"cannot write {name}: it is not a regular file (- writes to standard output)")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {name}: folder {folder} does not exist")
    try:
        descriptor, probe = tempfile.mkstemp(prefix=".translate-cli-probe-", dir=target.parent)
        os.close(descriptor)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or error
        raise UsageError(f"cannot write {name}: folder {folder} is not writable ({reason})") from None


def write_atomic(path: Path, text: str) -> None:
    """Write a file via a temporary file and a rename, so it is never seen half-written.

    The result looks like a plain write: a new file gets the umask's permissions, an existing
    one keeps its mode (and owner, where allowed), and a symlink stays a link to the written
    target. If the write fails, the temporary file is removed and the old file is untouched.
    """
    target = Path(os.path.realpath(path))
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            os.fchmod(descriptor, mode)
            if existing:
                # Only root may give a file away; where that fails, the mode is what matters.
                with contextlib.suppress(OSError):
                    os.fchown(descriptor, existing.st_uid, existing.st_gid)
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: A temporary output file older than this is left over from an interrupted run: writing one
#: takes well under a second.
STALE_TEMPORARY_SECONDS = 60


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files that interrupted writes of `path` left beside it."""
    target = Path(os.path.realpath(path))
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if leftover.is_file() and leftover.lstat().st_mtime < cutoff:
                leftover.unlink()
