"""Report writers: Markdown and JSON, picked by `get_writer`, written atomically.

Writers only format a RunResult; they never recompute anything.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from .data import DATELINE, HEADLINE, ArticleResult, RunResult

JSON_SCHEMA_VERSION = 1
#: Put before a translation that still looked degenerate after a retry.
LOW_QUALITY_MARK = "⚠ *(low quality)*"

Writer = Callable[[RunResult], str]

# Characters that start Markdown inline syntax anywhere in a line.
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
# Characters that start block syntax at the beginning of a line (headings, lists, quotes, rules).
_BLOCK_START = re.compile(r"^(\s*)([#+=>-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str, *, inline: bool = True) -> str:
    """Escape text so that rendered Markdown shows it literally, with no HTML, links or images.

    `inline` text (a table cell) is also kept on one line so that it cannot break the table.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
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
        lines.append(f"- **{role.capitalize()} model:** `{info.describe()}`")
    lines += [
        f"- **Articles:** {len(result.articles)} ({failed} failed)",
        f"- **Cache:** {result.cache_hits} hits, {result.cache_misses} misses",
    ]
    lines += [f"- **Warning:** {escape_markdown(w)}" for w in result.warnings]
    for article in result.articles:
        lines += ["", *_article_markdown(article)]
    return "\n".join(lines) + "\n"


def _article_markdown(article: ArticleResult) -> list[str]:
    heading = escape_markdown(article.name)
    if article.date:
        heading += f" · {article.date}"
    lines = [f"## {heading}", ""]
    if article.error is not None:
        return [*lines, f"**Error:** {escape_markdown(article.error)}"]
    for warning in article.warnings:
        lines.append(f"> **Warning:** {escape_markdown(warning)}")
    if article.warnings:
        lines.append("")
    if article.summary is not None:
        lines += ["### Summary", "", escape_markdown(article.summary, inline=False), ""]
    lines += ["### Text", "", "| Albanian | English |", "| --- | --- |"]
    for number, paragraph in enumerate(article.paragraphs):
        if number:
            lines.append("| | |")  # an empty row marks the paragraph break
        style = {HEADLINE: "**", DATELINE: "_"}.get(paragraph.kind, "")
        for sentence in paragraph.sentences:
            source = _styled(escape_markdown(sentence.source), style)
            translation = _styled(escape_markdown(sentence.translation), style)
            if sentence.low_quality:
                translation = f"{LOW_QUALITY_MARK} {translation}"
            lines.append(f"| {source} | {translation} |")
    return lines


def _styled(text: str, marker: str) -> str:
    return f"{marker}{text}{marker}" if marker and text else text


def render_json(result: RunResult) -> str:
    """Machine-readable results, in the schema documented in the README."""
    document = {
        "version": JSON_SCHEMA_VERSION,
        "started": result.started,
        "models": {
            role: {"id": info.name, "revision": info.revision, "path": str(info.path)}
            for role, info in result.models.items()
        },
        "cache": {"hits": result.cache_hits, "misses": result.cache_misses},
        "warnings": list(result.warnings),
        "articles": [article_json(article) for article in result.articles],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


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
                    {"source": s.source, "translation": s.translation, "low_quality": s.low_quality}
                    for s in paragraph.sentences
                ],
            }
            for paragraph in article.paragraphs
        ],
        "translation": article.translation,
        "summary": article.summary,
    }


WRITERS: dict[str, Writer] = {"markdown": render_markdown, "json": render_json}


def get_writer(fmt: str) -> Writer:
    """The writer for an output format: "markdown" or "json"."""
    try:
        return WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(WRITERS)}") from None


def write_atomic(path: Path, text: str) -> None:
    """Write a file via a temporary file and a rename, so it is never seen half-written."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
