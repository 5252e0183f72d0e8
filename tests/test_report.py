"""Markdown and JSON writers: escaping, structure, atomic writes."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from translate_cli.data import (
    BODY,
    HEADLINE,
    ArticleResult,
    ModelInfo,
    RunResult,
    TranslatedParagraph,
    TranslatedSentence,
)
from translate_cli.report import escape_markdown, get_writer, render_json, render_markdown, write_atomic

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![image](http://example.com/x.png)",
    "a | b || c",
    "`code` and ```fence```",
    "**bold** _italic_ ~~strike~~",
    "line one\nline two",
    "&lt;already escaped&gt;",
]


def result_with(source: str, translation: str, summary: str = "Summary.") -> RunResult:
    article = ArticleResult(
        source="dir/a.txt",
        date="2023-09",
        paragraphs=(
            TranslatedParagraph(HEADLINE, (TranslatedSentence("Titulli", "Title"),)),
            TranslatedParagraph(
                BODY, (TranslatedSentence(source, translation), TranslatedSentence("B.", "B."))
            ),
        ),
        summary=summary,
    )
    return RunResult(
        articles=(article,),
        models={"translation": ModelInfo("m", Path("/models/m"))},
        started="2026-11-22T12:00:00+00:00",
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_article_text_cannot_break_the_table_or_inject_markup(text: str) -> None:
    report = render_markdown(result_with(text, text, summary=text))
    table = report.split("| --: | --- | --- |\n", 1)[1].splitlines()
    assert len(table) == 3  # headline row and two sentence rows: no empty row for the break
    for row in table:
        assert len(re.split(r"(?<!\\)\|", row)) == 5, row  # exactly three cells
    for dangerous in (r"<script", r"<img", r"(?<!\\)\]\(", r"!(?<!\\)\[", r"(?<!\\)`"):
        assert not re.search(dangerous, report.split("\n## ", 1)[1]), dangerous


def test_escape_keeps_plain_text_readable() -> None:
    assert (
        escape_markdown("Lideri i Koresë së Veriut, 4,5 për qind.")
        == "Lideri i Koresë së Veriut, 4,5 për qind."
    )
    assert escape_markdown("# 1. Titull", inline=False) == "\\# 1. Titull"
    assert escape_markdown("1. Para\n- list", inline=False) == "1\\. Para\n\\- list"


def test_json_roundtrip_keeps_every_field() -> None:
    document = json.loads(render_json(result_with("A.", "A.")))
    article = document["articles"][0]
    assert article["paragraphs"][0] == {
        "kind": "headline",
        "sentences": [
            {
                "source": "Titulli",
                "translation": "Title",
                "low_quality": False,
                "score": None,
                "retried": False,
                "confidence": None,
                "flags": [],
            }
        ],
    }
    assert article["translation"] == "Title\n\nA. B."
    assert article["summary_flags"] == []
    no_engine = {"backend": None, "compute_type": None, "device": None}  # no engine in this result
    assert document["models"]["translation"] == {
        "id": "m",
        "revision": None,
        "path": "/models/m",
        **no_engine,
    }


def test_get_writer_picks_by_format() -> None:
    assert get_writer("markdown") is render_markdown and get_writer("json") is render_json
    with pytest.raises(ValueError, match="unknown format"):
        get_writer("pdf")


def test_write_atomic_replaces_whole_files_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_temporary_files_left_by_an_interrupted_write_are_removed(
    cli, seeds: Path, models: list[str]
) -> None:
    stale, fresh = Path(".r.json.k1ll3d.tmp"), Path(".r.json.wr1t1ng.tmp")
    for leftover in (stale, fresh):
        leftover.write_text('{"half": ', encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    status, _, err = cli("run", seeds / "000_fea4830ee9b7d6af.txt", *models, "--json", "r.json", "-q")
    assert status == 0, err
    assert not stale.exists()
    assert fresh.exists()  # another run may be writing it right now
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["articles"]
