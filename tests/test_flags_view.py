"""Where the reader sees the flags: terminal, Markdown report and JSON, on hand-made results."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from rich.console import Console

from translate_cli.checks import NAME, Flag, annotate_article
from translate_cli.data import (
    BODY,
    HEADLINE,
    ArticleResult,
    RunResult,
    TranslatedParagraph,
    TranslatedSentence,
)
from translate_cli.render import FLAG_MARK, check_line, render_article
from translate_cli.report import render_json, render_markdown, render_text

S = TranslatedSentence


def _article() -> ArticleResult:
    article = ArticleResult(
        "kosovo.txt",
        "2023-12",
        (
            TranslatedParagraph(
                HEADLINE, (S("Gjykata cakton datën për Thaçin", "Court sets date for Thaci"),)
            ),
            TranslatedParagraph(
                BODY,
                (
                    S(
                        "Gjykata e ka caktuar aktgjykimin ndaj Hashim Thaçit për 28 dhjetor.",
                        "The court has scheduled the verdict against Hashim Thaçi for December 18.",
                    ),
                    S(
                        "Prokuroria ka kërkuar 45 vjet burg.",
                        "The prosecution has requested 45 years in prison.",
                    ),
                    S("Osmani nuk e ka komentuar vendimin.", "Osmani has commented on the decision."),
                ),
            ),
        ),
        summary="The verdict against Hashim Thaçi will be announced on December 18 by Karim Khan.",
    )
    return annotate_article(article)


def _clean() -> ArticleResult:
    sentence = S("Prokuroria ka kërkuar 45 vjet burg.", "The prosecution has requested 45 years in prison.")
    return annotate_article(
        ArticleResult("clean.txt", None, (TranslatedParagraph(BODY, (sentence,)),), summary="ok")
    )


def test_the_report_lists_what_to_check_with_links_to_rows_and_marks_the_rows() -> None:
    report = render_markdown(RunResult((_clean(), _article())))
    clean, flagged = report.split('<a id="article-2"></a>')
    clean = clean.split('<a id="article-1"></a>')[1]
    assert "Check these" not in clean and FLAG_MARK not in clean
    check_these = flagged.split("**Check these**")[1].split("**Summary**")[0]
    links = re.findall(r"\]\(#(article-2-[\w-]+)\)", check_these)
    assert links == ["article-2-summary", "article-2-s2", "article-2-s4"]
    for anchor in links:
        assert flagged.count(f'<a id="{anchor}"></a>') == 1
    assert "the original says 28 December; the English says 18 December" in check_these
    row = next(line for line in flagged.splitlines() if 'id="article-2-s2"' in line)
    assert "| Gjykata e ka caktuar" in row and f"{FLAG_MARK} *(number)*" in row
    negation_row = next(line for line in flagged.splitlines() if 'id="article-2-s4"' in line)
    assert "*(negation)*" in negation_row
    summary = flagged.split("**Summary**")[1].split("| ¶ |")[0]
    assert f"> {FLAG_MARK} **Check:** the summary names Karim Khan; the article does not" in summary


def test_the_digest_counts_what_to_check_per_article_and_links_to_the_list() -> None:
    failed = ArticleResult("bad.txt", None, error="not a text file")
    report = render_markdown(RunResult((_clean(), _article(), failed)))
    digest = report.split("## Digest")[1].split("## ")[0]
    assert "| Date | Article | Check | Summary |" in digest
    rows = [
        line
        for line in digest.splitlines()
        if line.startswith("| ") and "Date" not in line and "---" not in line
    ]
    checks = {re.search(r"\(#(article-\d)\)", row).group(1): row.split(" | ")[2] for row in rows}
    assert checks == {"article-1": "0", "article-2": f"[{FLAG_MARK} 3](#article-2-check)", "article-3": "—"}
    assert report.count('<a id="article-2-check"></a>') == 1


@pytest.mark.parametrize("width", [60, 100, 160])
def test_the_terminal_marks_flagged_sentences_shows_messages_and_counts(width: int) -> None:
    console = Console(width=width, record=True, color_system=None)
    render_article(_article(), console)
    text = console.export_text()
    flat = " ".join(text.split())
    assert "the original says 28 December; the English says 18 December" in flat
    assert "the summary names Karim Khan; the article does not" in flat
    assert f"{FLAG_MARK} Check 2 sentences (1 number, 1 negation) and the summary (1 fact)" in flat
    if width >= 100:  # a row per sentence: the marker sits on the flagged sentence
        assert re.search(rf"{FLAG_MARK} The court has scheduled", text)
    else:  # a row per paragraph: messages name the sentence by its number in the article
        assert "sentence 2: the original says 28 December" in flat


def test_check_line_counts_sentences_not_flags() -> None:
    article = _article()
    first = article.paragraphs[0].sentences[0]
    two_names = (
        Flag(NAME, "the original names Kim; the English does not"),
        Flag(NAME, "the English names X."),
    )
    sentence = dataclasses.replace(first, flags=two_names)
    paragraph = dataclasses.replace(article.paragraphs[0], sentences=(sentence,))
    line = check_line(dataclasses.replace(article, paragraphs=(paragraph,), summary_flags=()))
    assert line == f"{FLAG_MARK} Check 1 sentence (1 name)"


def test_check_line_is_empty_without_flags() -> None:
    assert check_line(_clean()) == ""
    console = Console(width=120, record=True, color_system=None)
    render_article(_clean(), console)
    assert FLAG_MARK not in console.export_text()


def test_json_has_flags_confidence_and_summary_flags() -> None:
    scored = annotate_article(
        ArticleResult(
            "a.txt",
            None,
            (
                TranslatedParagraph(
                    BODY, tuple(S(f"Fjalia {i}.", f"Sentence {i}.", score=-i / 10) for i in range(5))
                ),
            ),
        )
    )
    (article,) = json.loads(render_json(RunResult((scored,))))["articles"]
    sentences = article["paragraphs"][0]["sentences"]
    assert [s["score"] for s in sentences] == [0.0, -0.1, -0.2, -0.3, -0.4]  # raw, from the engine
    assert [s["confidence"] for s in sentences] == [1.0, 0.75, 0.5, 0.25, 0.0]  # its rank in the article
    assert sentences[4]["flags"] == [
        {"kind": "confidence", "message": "among the model's least confident sentences in this article"}
    ]
    assert all(s["flags"] == [] for s in sentences[:4])
    assert article["summary_flags"] == []


def test_the_plain_text_output_lists_what_to_check() -> None:
    text = render_text(RunResult((_clean(), _article())))
    clean, flagged = text.split("==> kosovo.txt")
    assert "Check these" not in clean
    lines = flagged.split("Check these:\n")[1].splitlines()
    assert lines[0] == f"{FLAG_MARK} summary: the summary names Karim Khan; the article does not"
    assert lines[1] == (
        f"{FLAG_MARK} sentence 2 (“The court has scheduled the verdict …”): "
        "the original says 28 December; the English says 18 December"
    )
