"""Real-world input through the CLI: encodings, mojibake, bad files, other languages,
walls of text, runaway output, size limits, symlink loops and hostile text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from translate_cli.engines import Generation
from translate_cli.translate import Translation, degeneracy, translate_with_retry

ALBANIAN = (
    "date 2023-09 Lideri i Koresë së Veriut, Kim Jong Un, pritet të takojë presidentin Putin në Rusi.\n\n"
    'Zëdhënësja tha se "negociatat për armët po përparojnë aktivisht". Çdo marrëveshje është shkelje.\n'
)


def squeeze(text: str) -> str:
    return "".join(text.split())


def run_json(cli, *args) -> tuple[int, dict, str, str]:
    status, out, err = cli("run", *args, "--json", "r.json", "--report", "r.md", "--format", "view")
    return status, json.loads(Path("r.json").read_text(encoding="utf-8")), out, err


def sources(article: dict) -> str:
    return squeeze(" ".join(s["source"] for p in article["paragraphs"] for s in p["sentences"]))


@pytest.mark.parametrize("encoding", ["cp1250", "cp1252", "iso-8859-1", "iso-8859-2"])
def test_legacy_encodings_are_detected(cli, models: list[str], encoding: str) -> None:
    Path("a.txt").write_bytes(ALBANIAN.encode(encoding))
    status, document, _, _ = run_json(cli, "a.txt", *models)
    article = document["articles"][0]
    assert status == 0 and article["error"] is None
    assert any(w.startswith("not UTF-8; decoded as") for w in article["warnings"])
    assert sources(article) == squeeze(ALBANIAN.removeprefix("date 2023-09"))


@pytest.mark.parametrize("wrong", ["cp1252", "cp1250", "latin-1"])
def test_mojibake_is_repaired_and_reported(cli, models: list[str], wrong: str) -> None:
    garbled = ALBANIAN.encode("utf-8").decode(wrong)
    assert "ë" not in garbled
    Path("a.txt").write_text(garbled, encoding="utf-8")
    status, document, out, _ = run_json(cli, "a.txt", *models)
    article = document["articles"][0]
    assert status == 0
    assert sources(article) == squeeze(ALBANIAN.removeprefix("date 2023-09"))
    assert any(w.startswith("repaired mojibake") for w in article["warnings"])
    assert "warning: repaired mojibake" in out
    assert "repaired mojibake" in Path("r.md").read_text(encoding="utf-8")


def test_empty_blank_and_binary_files_fail_alone(cli, models: list[str]) -> None:
    folder = Path("in")
    folder.mkdir()
    (folder / "a-good.txt").write_text(ALBANIAN, encoding="utf-8")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-blank.txt").write_bytes(b" \n\t\n  \r\n")
    (folder / "d-nul.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00data")
    (folder / "e-controls.txt").write_bytes(bytes(range(1, 9)) * 20 + b"tekst")
    status, document, _, err = run_json(cli, folder, *models)
    assert status == 1
    errors = {Path(a["path"]).name: a["error"] for a in document["articles"]}
    assert errors["a-good.txt"] is None
    assert "no text to translate" in errors["b-empty.txt"]
    assert "no text to translate" in errors["c-blank.txt"]
    assert "binary file (it contains NUL bytes)" in errors["d-nul.txt"]
    assert "binary file" in errors["e-controls.txt"]
    assert err.count("translate-cli: error:") == 4 and "Traceback" not in err
    report = Path("r.md").read_text(encoding="utf-8")
    assert report.count("**Error:**") == 4


def test_other_languages_are_processed_with_a_warning(cli, models: list[str]) -> None:
    Path("en.txt").write_text(
        "The leader of North Korea is expected to meet President Putin in Russia to discuss weapons.",
        encoding="utf-8",
    )
    Path("mixed.txt").write_text(
        "Ministri tha në konferencën për shtyp se qeveria do të vazhdojë reformat, duke shtuar: "
        "“We will never give up on Europe”, dhe u largua nga salla pa pritur pyetjet e gazetarëve.",
        encoding="utf-8",
    )
    status, document, out, _ = run_json(cli, "en.txt", "mixed.txt", *models)
    assert status == 0
    english, mixed = document["articles"]
    assert any("looks like 'en', not Albanian" in w for w in english["warnings"])
    assert english["paragraphs"] and english["summary"] is not None
    assert not any("Albanian" in w for w in mixed["warnings"])
    assert "looks like 'en'" in out and "looks like" in Path("r.md").read_text(encoding="utf-8")


def test_an_unpunctuated_wall_of_text_is_translated_whole(cli, models: list[str], marian: Path) -> None:
    from transformers import AutoTokenizer

    words = [f"fjala{i % 50} e Koresë" for i in range(300)]
    Path("wall.txt").write_text(" ".join(words), encoding="utf-8")
    status, document, _, _ = run_json(cli, "wall.txt", *models)
    assert status == 0
    article = document["articles"][0]
    units = [s["source"] for p in article["paragraphs"] for s in p["sentences"]]
    assert " ".join(units).split() == " ".join(words).split()
    tokenizer = AutoTokenizer.from_pretrained(marian)
    assert len(units) > 10
    assert all(len(tokenizer(unit)["input_ids"]) <= 64 for unit in units)


def test_degenerate_output_is_marked_low_quality_everywhere(cli, models: list[str]) -> None:
    Path("a.txt").write_text(ALBANIAN, encoding="utf-8")
    _, document, out, _ = run_json(cli, "a.txt", *models)
    sentences = [s for p in document["articles"][0]["paragraphs"] for s in p["sentences"]]
    flags = [s["low_quality"] for s in sentences]
    assert flags == [degeneracy(s["source"], s["translation"]) is not None for s in sentences]
    if any(flags):  # random tiny models nearly always repeat themselves
        assert any("marked low quality" in w for w in document["articles"][0]["warnings"])
        assert not any("degenerate" in w for w in document["articles"][0]["warnings"])  # plain words
        assert "⚠ *(low quality)*" in Path("r.md").read_text(encoding="utf-8")
        assert "⚠ low quality:" in out


class ScriptedTranslator:
    """A stand-in backend for the retry policy alone: plays back prepared outputs."""

    def __init__(self, first: list[str], retry: list[str]) -> None:
        self.outputs = {False: first, True: retry}
        self.calls: list[tuple[list[str], bool]] = []

    def translate(self, sentences, on_batch=None, *, constrained=False):
        self.calls.append((list(sentences), constrained))
        score = -2.0 if constrained else -1.0
        return [Generation(text, score) for text in self.outputs[constrained][: len(sentences)]]

    def settings(self):
        return {}


def test_a_degenerate_translation_is_retried_once_with_constraints() -> None:
    translator = ScriptedTranslator(["He said.", "war war war war war"], ["The war."])
    assert translate_with_retry(translator, ["Ai tha.", "Lufta."]) == [
        Translation("He said.", -1.0, retried=False),
        Translation("The war.", -2.0, retried=True),  # the retry's output, score and flag
    ]
    assert translator.calls == [(["Ai tha.", "Lufta."], False), (["Lufta."], True)]
    stubborn = ScriptedTranslator(["", "x"], ["", "y"])
    assert [t.text for t in translate_with_retry(stubborn, ["Ai tha.", "A"])] == ["", "x"]
    assert len(stubborn.calls) == 2  # one retry, never more


def test_files_over_the_size_limit_are_refused(cli, models: list[str]) -> None:
    Path("big.txt").write_text(ALBANIAN * 40, encoding="utf-8")
    Path("small.txt").write_text(ALBANIAN, encoding="utf-8")
    status, document, _, _ = run_json(cli, "big.txt", "small.txt", *models, "--max-size", "2KB")
    assert status == 1
    assert "size limit (--max-size)" in document["articles"][0]["error"]
    assert document["articles"][1]["error"] is None


def test_symlink_loops_and_broken_links_in_folders_are_reported(cli, models: list[str]) -> None:
    folder = Path("in")
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(ALBANIAN, encoding="utf-8")
    os.symlink("..", folder / "sub" / "loop")
    os.symlink("nowhere.txt", folder / "broken.txt")
    status, document, _, err = run_json(cli, folder, *models)
    assert status == 1  # the broken link; the loop is only a note
    errors = [a["error"] for a in document["articles"]]
    assert errors == ["in/broken.txt: no such file", None]
    assert document["warnings"] == ["in/sub/loop: symlink loop (it leads back to a folder above it), skipped"]
    assert "Traceback" not in err


def test_hostile_article_text_cannot_inject_into_the_report(cli, models: list[str]) -> None:
    Path("x.txt").write_text(
        "Ai shkroi <script>alert(1)</script> dhe <img src=x onerror=alert(1)>.\n\n"
        "Lidhja [kliko](javascript:alert(1)) | kolona ` kod `.",
        encoding="utf-8",
    )
    status, _, out, _ = run_json(cli, "x.txt", *models)
    assert status == 0
    report = Path("r.md").read_text(encoding="utf-8")
    assert "<script" not in report and "<img" not in report
    assert not re.search(r"(?<!\\)\]\(javascript", report)
    assert "&lt;script&gt;" in report and "\\[kliko\\]" in report and "\\|" in report
    assert "<script>alert(1)</script>" in out  # the terminal shows it literally
