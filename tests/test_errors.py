"""Errors stay visible and short: closed pipes, unexpected exceptions, bad sizes, missing local
model folders, and hostile file names on the terminal and in the report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = "Qeveria është e gatshme për reformat.\n\nKryeministri foli sot në Tiranë.\n"


@pytest.fixture
def translate_only(marian: Path) -> list[str]:
    return ["--mt-model", str(marian), "--no-summary"]


def test_a_closed_stdout_keeps_the_errors_on_stderr_and_the_exit_status(
    tmp_path: Path, translate_only: list[str]
) -> None:
    Path("good.txt").write_text(ARTICLE, encoding="utf-8")
    Path("empty.txt").write_text("", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "translate_cli", "run", "good.txt", "empty.txt", *translate_only],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # like `| head -1` that has read its line before the view is printed
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    assert "translate-cli: error: empty.txt: no text to translate" in err
    assert "1 of 2 articles translated, 1 failed" in err
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_an_unexpected_exception_is_one_line_naming_debug(
    cli, translate_only: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import translate_cli.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("something no one expected\nsecond line")

    monkeypatch.setattr(translate_cli.pipeline, "StreamingRun", broken)  # what the CLI runs
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    status, _, err = cli("run", "a.txt", *translate_only)
    assert status == 70
    assert err == (
        "translate-cli: error: unexpected error (RuntimeError: something no one expected); "
        "run again with --debug to see the traceback\n"
    )
    for args in (["--debug", "run", "a.txt"], ["run", "a.txt", "--debug"]):
        status, _, err = cli(*args, *translate_only)
        assert status == 70
        assert "Traceback (most recent call last)" in err and "RuntimeError" in err
        assert err.endswith(
            "translate-cli: error: unexpected error (RuntimeError: something no one expected)\n"
        )


@pytest.mark.parametrize("size", ["inf", "nan", "1e999", "5XB", "-5MB", "Infinity"])
def test_impossible_sizes_are_usage_errors(cli, size: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli("run", "a.txt", "--max-size", size)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--max-size" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["models/opus", "./opus", "../opus", "~/no-such-translate-cli-model"])
def test_a_missing_local_model_folder_is_not_tried_as_a_hub_id(cli, name: str, bart: Path) -> None:
    Path("models").mkdir()
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    status, _, err = cli("run", "a.txt", "--mt-model", name, "--summary-model", bart)
    assert status == 3
    assert err == f"translate-cli: error: {name}: model folder does not exist\n"


HOSTILE_NAME = "a\x1b]0;pwned\x07b\x1b[2J\u202e.txt"


def test_control_characters_in_file_names_are_escaped_everywhere(cli, translate_only: list[str]) -> None:
    Path(HOSTILE_NAME).write_text(ARTICLE, encoding="utf-8")
    Path("e\x1b[31m.txt").write_text("", encoding="utf-8")
    status, out, err = cli("run", HOSTILE_NAME, "e\x1b[31m.txt", *translate_only, "--report", "r.md")
    assert status == 1
    report = Path("r.md").read_text(encoding="utf-8")
    for shown in (out, err, report):
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "a\\x1b]0;pwned\\x07b\\x1b[2J\\u202e.txt" in out
    assert "translate-cli: error: e\\x1b[31m.txt: no text to translate" in err
    assert "e\\\\x1b\\[31m.txt" in report  # escaped for the terminal, then for Markdown


FORGING_NAME = "a.txt · 2024-01-01 <==\n\nfake text\n\n==> b.txt"


def test_a_newline_in_a_file_name_cannot_forge_a_text_header(cli, translate_only: list[str]) -> None:
    Path(FORGING_NAME).write_text(ARTICLE, encoding="utf-8")
    Path("e\n==> x.txt").write_text("", encoding="utf-8")  # a failed file's error line too
    status, out, err = cli("run", FORGING_NAME, "e\n==> x.txt", *translate_only, "--format", "text")
    assert status == 1
    headers = [line for line in out.splitlines() if line.startswith("==> ")]
    assert headers == ["==> a.txt · 2024-01-01 <==\\x0a\\x0afake text\\x0a\\x0a==> b.txt <=="]
    assert "\nfake text" not in out
    assert "translate-cli: error: e\\x0a==> x.txt: no text to translate\n" in err  # on stderr, one line


def test_a_hostile_model_folder_name_is_escaped_in_the_report(cli, marian: Path) -> None:
    model = Path("`<img src=x onerror=alert(1)>`")
    shutil.copytree(marian, model)
    Path("a.txt").write_text(ARTICLE, encoding="utf-8")
    status, _, err = cli("run", "a.txt", "--mt-model", f"./{model}", "--no-summary", "-q", "--report", "r.md")
    assert status == 0, err
    report = Path("r.md").read_text(encoding="utf-8")
    model_line = next(line for line in report.splitlines() if line.startswith("- **Translation model:**"))
    assert "<img" not in model_line
    assert "/\\`&lt;img src=x onerror=alert(1)&gt;\\`" in model_line  # no code span, no tag
