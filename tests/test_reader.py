"""Reading articles: encodings, the date header, paragraphs, headline and dateline."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_cli.data import BODY, DATELINE, HEADLINE
from translate_cli.errors import InputError
from translate_cli.reader import iter_inputs, parse_article, parse_date_header, read_article


@pytest.mark.parametrize(
    ("text", "date", "rest"),
    [
        ("date 2023-09 Lideri tha.", "2023-09", "Lideri tha."),
        (" date 2023-08 Udhëheqësi tha.", "2023-08", "Udhëheqësi tha."),
        ("date 2024-02-29 Teksti.", "2024-02-29", "Teksti."),
        ("date 2023-13 Teksti.", None, "date 2023-13 Teksti."),
        ("date 2023-02-30 Teksti.", None, "date 2023-02-30 Teksti."),
        ("Teksti pa datë.", None, "Teksti pa datë."),
        ("update 2023-09 Teksti.", None, "update 2023-09 Teksti."),
    ],
)
def test_date_header(text: str, date: str | None, rest: str) -> None:
    assert parse_date_header(text) == (date, rest)


def test_seed_article_keeps_its_paragraphs_and_date(seeds: Path) -> None:
    article = read_article(str(seeds / "000_fea4830ee9b7d6af.txt"))
    assert article.date == "2023-09"
    assert len(article.paragraphs) == 15
    assert article.paragraphs[0].sentences[0].startswith("Lideri i Koresë")
    assert all(p.kind == BODY for p in article.paragraphs)
    assert [len(p.sentences) for p in article.paragraphs][12] == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_bom_and_crlf(tmp_path: Path, encoding: str, newline: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(newline.join(["date 2023-09 Rreshti i parë.", "", "Paragrafi i dytë."]).encode(encoding))
    article = read_article(str(path))
    assert article.date == "2023-09"
    assert [p.text for p in article.paragraphs] == ["Rreshti i parë.", "Paragrafi i dytë."]


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    text = (
        "Kim Jong Un pritet të takojë presidentin Vladimir Putin\n"
        "në Rusi për të diskutuar për furnizimin me armë të Moskës\n"
        "për luftën e saj në Ukrainë.\n\nParagrafi tjetër."
    )
    article = parse_article(text, "x")
    assert [p.kind for p in article.paragraphs] == [BODY, BODY]
    assert article.paragraphs[0].sentences == (
        "Kim Jong Un pritet të takojë presidentin Vladimir Putin në Rusi për të diskutuar për "
        "furnizimin me armë të Moskës për luftën e saj në Ukrainë.",
    )


def test_headline_and_dateline_stay_separate_units() -> None:
    text = (
        "Kim dhe Putin shkëmbejnë letra\n"
        "PHENIAN, 15 gusht (VOA) – Udhëheqësi i Koresë së Veriut i shkroi Putinit. Ai e falënderoi.\n\n"
        "Paragrafi i dytë."
    )
    article = parse_article(text, "x")
    assert [(p.kind, p.sentences) for p in article.paragraphs] == [
        (HEADLINE, ("Kim dhe Putin shkëmbejnë letra",)),
        (DATELINE, ("PHENIAN, 15 gusht (VOA) –",)),
        (BODY, ("Udhëheqësi i Koresë së Veriut i shkroi Putinit.", "Ai e falënderoi.")),
        (BODY, ("Paragrafi i dytë.",)),
    ]


def test_headline_as_its_own_paragraph() -> None:
    article = parse_article("date 2023-09 Titulli i lajmit\n\nTeksti i lajmit.", "x")
    assert article.date == "2023-09"
    assert [p.kind for p in article.paragraphs] == [HEADLINE, BODY]


@pytest.mark.parametrize("content", [b"", b"   \n\n  \t\n", b"date 2023-09   \n"])
def test_empty_articles_are_input_errors(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="no text"):
        read_article(str(path))


def test_missing_file_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article("nowhere.txt")


def test_folders_expand_to_sorted_txt_files_recursively(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt", "notes.md"]:
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text("Teksti.", encoding="utf-8")
    found = [Path(p).relative_to(tmp_path / "in").as_posix() for p in iter_inputs([str(tmp_path / "in")])]
    assert found == ["a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]
