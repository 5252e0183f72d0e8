"""Trust signals through the library and the command line, on tiny real checkpoints.

The tiny models write gibberish, so these tests assert where flags appear and their structure,
never which flags a given output gets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from translate_cli import RunOptions, run
from translate_cli.checks import KINDS
from translate_cli.data import Flag


def test_a_run_flags_sentences_and_summaries(seeds: Path, marian: Path, bart: Path) -> None:
    options = RunOptions(mt_model=str(marian), summary_model=str(bart), cache_dir=Path("cache"), device="cpu")
    result = run([str(seeds)], options)
    sentences = [s for a in result.articles for p in a.paragraphs for s in p.sentences]
    assert any(s.flags for s in sentences)  # gibberish always earns some
    for sentence in sentences:
        assert all(isinstance(f, Flag) and f.kind in KINDS and f.message for f in sentence.flags)
    for article in result.articles:
        assert isinstance(article.summary_flags, tuple)
        assert article.flag_count == sum(1 for p in article.paragraphs for s in p.sentences if s.flags) + len(
            article.summary_flags
        )


def _flags(document: dict) -> list:
    return [
        (s["flags"], s["confidence"])
        for a in document["articles"]
        for p in a["paragraphs"]
        for s in p["sentences"]
    ] + [a["summary_flags"] for a in document["articles"]]


def test_json_carries_flags_and_a_cached_run_shows_the_same(cli, seeds: Path, models: list[str]) -> None:
    assert cli("run", seeds, *models, "--json", "first.json", "-q")[0] == 0
    status, _, err = cli("run", seeds, *models, "--json", "cached.json", "-q")
    assert status == 0, err
    first = json.loads(Path("first.json").read_text(encoding="utf-8"))
    cached = json.loads(Path("cached.json").read_text(encoding="utf-8"))
    assert cached["cache"]["misses"] == 0
    assert _flags(first) == _flags(cached)
    for article in first["articles"]:
        for flag in article["summary_flags"]:
            assert set(flag) == {"kind", "message"}
        for sentence in (s for p in article["paragraphs"] for s in p["sentences"]):
            assert sentence["confidence"] is None or isinstance(sentence["confidence"], float)
            for flag in sentence["flags"]:
                assert set(flag) == {"kind", "message"} and flag["kind"] in KINDS


def test_the_view_and_the_report_show_what_to_check(cli, seeds: Path, models: list[str]) -> None:
    article = seeds / "000_fea4830ee9b7d6af.txt"
    status, out, err = cli("run", article, *models, "--format", "view", "--report", "r.md")
    assert status == 0, err
    assert "⚑ Check " in out  # the count per article; gibberish always earns flags
    report = Path("r.md").read_text(encoding="utf-8")
    assert "**Check these**" in report
    for anchor in re.findall(r"\]\(#(article-1-s\d+)\)", report):
        assert f'<a id="{anchor}"></a>⚑' in report  # each item links to a marked row


def test_narrow_views_number_flagged_sentences_across_the_article(
    cli, marian: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A headline, then a paragraph of three sentences: 1, then 2 to 4, as the text output counts.
    Path("a.txt").write_text(
        "Kim takon Putinin\n\nAi tha se po vjen. Ajo foli për Kosovën. Ata nuk erdhën.\n", encoding="utf-8"
    )
    args = ("run", "a.txt", "--mt-model", marian, "--no-summary")
    _, text, _ = cli(*args, "--format", "text")
    flagged = sorted(set(re.findall(r"sentence (\d+) \(", text)), key=int)
    assert flagged and set(flagged) - {"1"}  # gibberish earns flags in the second paragraph too
    for columns in ("80", "60"):  # a row per paragraph, and stacked
        monkeypatch.setenv("COLUMNS", columns)
        status, view, err = cli(*args, "--format", "view")
        assert status == 0, err
        numbers = sorted(set(re.findall(r"sentence (\d+):", view)), key=int)
        assert numbers == flagged, (columns, view)
