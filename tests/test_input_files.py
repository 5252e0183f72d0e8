"""Input files as users really have them, through the CLI: damaged UTF-8, partial mojibake,
broken UTF-16, special files, symlinked folders and case variants of `.txt`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from translate_cli.errors import InputError
from translate_cli.reader import decode, iter_inputs

BODY = "Qeveria është e gatshme për reformat.\n\nKryeministri foli sot në Tiranë për çështjen.\n"
HEADLINE = "Ministri i Jashtëm takon homologun e tij në Tiranë"


@pytest.fixture
def translate_only(marian: Path) -> list[str]:
    return ["--mt-model", str(marian), "--no-summary"]


def run_json(cli, *args: object) -> tuple[int, dict, str, str]:
    status, out, err = cli("run", *args, "--json", "r.json")
    return status, json.loads(Path("r.json").read_text(encoding="utf-8")), out, err


def sources(article: dict) -> str:
    return " ".join(s["source"] for p in article["paragraphs"] for s in p["sentences"])


def test_a_few_invalid_bytes_in_utf8_are_replaced_not_redecoded(cli, translate_only: list[str]) -> None:
    Path("a.txt").write_bytes(b"Qeveria \xc3\xabsht\xc3\xab e gatshme.\xff\n\nKryeministri foli sot.\n")
    status, document, out, _ = run_json(cli, "a.txt", *translate_only)
    article = document["articles"][0]
    assert status == 0
    assert sources(article) == "Qeveria është e gatshme.\ufffd Kryeministri foli sot."
    warnings = [w for w in article["warnings"] if "low quality" not in w]  # random weights: degenerate
    assert warnings == ["replaced 1 invalid UTF-8 byte(s) with \ufffd: at line 1 (byte offset 26)"]
    assert "mojibake" not in out  # the old decoder claimed a repair here


def test_bytes_that_are_clearly_not_utf8_still_go_to_detection() -> None:
    text, _, warnings = decode(BODY.encode("cp1250"), "a.txt")
    assert text == BODY
    assert len(warnings) == 1 and warnings[0].startswith("not UTF-8; decoded as")


@pytest.mark.parametrize("wrong", ["cp1252", "cp1250", "latin-1"])
def test_a_garbled_headline_above_a_clean_body_is_repaired(
    cli, translate_only: list[str], wrong: str
) -> None:
    garbled = HEADLINE.encode("utf-8").decode(wrong)
    Path("a.txt").write_text(f"{garbled}\n\n{BODY}", encoding="utf-8")
    status, document, _, _ = run_json(cli, "a.txt", *translate_only)
    article = document["articles"][0]
    assert status == 0
    assert article["paragraphs"][0]["sentences"][0]["source"] == HEADLINE
    assert sources(article).endswith(" ".join(BODY.split()))
    [warning] = [w for w in article["warnings"] if "low quality" not in w]
    assert warning.startswith("repaired mojibake on line 1 (UTF-8 that had been read as ")
    assert warning.endswith(f": “{'Jashtëm'.encode().decode(wrong)}” → “Jashtëm”")


def test_clean_text_with_mojibake_lookalikes_reports_no_repair(cli, translate_only: list[str]) -> None:
    text = "Åsa Larsson erdhi në Tiranë.\n\nÄrzte ohne Grenzen punon në Shqipëri.\n"  # Å, Ä hint at mojibake
    Path("a.txt").write_text(text, encoding="utf-8")
    status, document, _, _ = run_json(cli, "a.txt", *translate_only)
    assert status == 0
    assert not any("mojibake" in w for w in document["articles"][0]["warnings"])
    assert sources(document["articles"][0]) == " ".join(text.split())


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffQeveria është".encode("utf-16-le") + b"\x00\xd8" + "tekst".encode("utf-16-le"),  # lone high
        "\ufeffQeveria është gati.".encode("utf-16-be") + b"\xdc\x00",  # lone low surrogate
        "\ufeffQeveria është gati.".encode("utf-16-le") + b"\x41",  # odd byte count
    ],
)
def test_broken_utf16_fails_alone(cli, translate_only: list[str], content: bytes) -> None:
    Path("a-broken.txt").write_bytes(content)
    Path("b-good.txt").write_text(BODY, encoding="utf-8")
    status, document, _, err = run_json(cli, "a-broken.txt", "b-good.txt", *translate_only)
    assert status == 1
    broken, good = document["articles"]
    assert broken["error"].startswith("a-broken.txt: not valid UTF-16 despite its byte order mark (")
    assert good["error"] is None
    assert "Traceback" not in err and "translate-cli: error: a-broken.txt: not valid UTF-16" in err


def test_special_files_are_per_file_errors_and_never_hang(tmp_path: Path, marian: Path) -> None:
    folder = Path("in")
    folder.mkdir()
    (folder / "a.txt").write_text(BODY, encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    os.mkfifo("direct.fifo")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("/dev/urandom", "random.txt")
    result = subprocess.run(
        [sys.executable, "-m", "translate_cli", "run", "in", "direct.fifo", "random.txt", "--mt-model",
         str(marian), "--no-summary", "--max-size", "10KB", "--json", "r.json", "-q"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    errors = {Path(a["path"]).name: a["error"] for a in json.loads(Path("r.json").read_text())["articles"]}
    assert errors == {
        "a.txt": None,
        "fifo.txt": "in/fifo.txt: is a FIFO (named pipe), not a regular file",
        "zero.txt": "in/zero.txt: is a character device, not a regular file",
        "direct.fifo": "direct.fifo: is a FIFO (named pipe), not a regular file",
        "random.txt": "random.txt: is a character device, not a regular file",
    }
    assert result.stderr.count("translate-cli: error:") == 4


def test_reading_is_bounded_even_when_the_reported_size_is_wrong(cli, translate_only: list[str]) -> None:
    assert os.stat("/proc/self/maps").st_size == 0  # whatever it holds: many kB for this process
    status, document, _, _ = run_json(cli, "/proc/self/maps", *translate_only, "--max-size", "1KB")
    assert status == 1
    assert document["articles"][0]["error"] == "/proc/self/maps: over the 1.0 KB size limit (--max-size)"


def test_a_symlinked_folder_is_read_once_and_a_real_loop_is_a_note(cli, translate_only: list[str]) -> None:
    archive = Path("news")
    (archive / "2023-09").mkdir(parents=True)
    (archive / "2023-09" / "a.txt").write_text(BODY, encoding="utf-8")
    (archive / "2023-09" / "B.TXT").write_text(BODY.replace("Qeveria", "Presidenti"), encoding="utf-8")
    (archive / "2023-09" / "c.Txt").write_text(BODY.replace("Qeveria", "Ministria"), encoding="utf-8")
    (archive / "2023-09" / "notes.md").write_text(BODY, encoding="utf-8")
    os.symlink("2023-09", archive / "latest")
    os.symlink("2023-09/a.txt", archive / "top.txt")
    os.symlink("..", archive / "2023-09" / "up")
    status, document, _, err = run_json(cli, archive, archive / "2023-09" / "a.txt", *translate_only)
    assert status == 0, err
    assert [a["path"] for a in document["articles"]] == [
        "news/2023-09/B.TXT",
        "news/2023-09/a.txt",
        "news/2023-09/c.Txt",
    ]
    assert document["warnings"] == [
        "news/2023-09/up: symlink loop (it leads back to a folder above it), skipped"
    ]
    assert "translate-cli: warning: news/2023-09/up: symlink loop" in err


def test_a_folder_with_no_articles_is_a_failed_input(cli, translate_only: list[str]) -> None:
    Path("empty").mkdir()
    Path("notes").mkdir()
    Path("notes/readme.md").write_text("x", encoding="utf-8")
    Path("a.txt").write_text(BODY, encoding="utf-8")
    status, document, _, err = run_json(cli, "empty", "notes", "a.txt", *translate_only)
    assert status == 1
    errors = [a["error"] for a in document["articles"]]
    assert errors == ["empty: no *.txt files in this folder", "notes: no *.txt files in this folder", None]
    assert "translate-cli: error: empty: no *.txt files in this folder" in err


def test_every_decoding_failure_is_an_input_error() -> None:
    for data in [b"\xff\xfe\x00\xd8", b"\xfe\xff\x00", b"\xff\xfe" + b"\x00\xdc" * 3]:
        with pytest.raises(InputError):
            decode(data, "x.txt")


def test_iter_inputs_lists_a_file_named_twice_once(tmp_path: Path) -> None:
    Path("a.txt").write_text(BODY, encoding="utf-8")
    os.symlink("a.txt", "b.txt")
    assert list(iter_inputs(["a.txt", "./a.txt", "b.txt"])) == ["a.txt"]


def test_input_folders_are_listed_once_per_run(
    cli, tmp_path: Path, translate_only: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate_cli import reader

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(BODY, encoding="utf-8")
    walked: list[Path] = []
    walk = reader._walk

    def counted(folder: Path, notes: list[str] | None) -> object:
        walked.append(folder)
        return walk(folder, notes)

    monkeypatch.setattr(reader, "_walk", counted)
    status, document, _, err = run_json(cli, tmp_path / "in", *translate_only)
    assert status == 0, err
    assert walked == [tmp_path / "in"]  # the outputs were checked against the same listing
    assert [a["path"] for a in document["articles"]] == [str(tmp_path / "in" / "a.txt")]
