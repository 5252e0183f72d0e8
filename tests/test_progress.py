"""Progress through the CLI: a step for preparing models, units, articles, the current file and
an ETA on a terminal; and no progress bars of other libraries, ever."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ARTICLE = "Kim Jong Un pritet të takojë Putinin. Ai tha se bisedimet po përparojnë."


def frames(stderr: str) -> list[str]:
    """Every line the progress bar drew, without terminal escapes."""
    return [line.strip() for line in ESCAPES.sub("", stderr).replace("\r", "\n").splitlines() if line.strip()]


@pytest.fixture
def news() -> str:
    for name, text in (("a/lajmi.txt", ARTICLE), ("b/lajmi.txt", "Ajo foli për Kosovën.")):
        Path("news", name).parent.mkdir(parents=True, exist_ok=True)
        Path("news", name).write_text(text, encoding="utf-8")
    return "news"


def test_the_bar_says_what_it_does_and_how_far_it_is(
    cli, news: str, models: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes stderr for a terminal: the bar shows
    status, _, err = cli("run", news, *models, "--format", "text")
    assert status == 0
    drawn = frames(err)
    assert any(f.startswith("preparing the translation model (first use only)") for f in drawn)
    assert any(f.startswith("preparing the summary model (first use only)") for f in drawn)
    translating = [f for f in drawn if f.startswith("translating")]
    assert any(re.search(r"\b\d+/\d+ sentences\b", f) for f in translating)
    assert any(re.search(r"\b[0-2]/2 articles\b", f) and "ETA" in f for f in translating)
    assert any(f.endswith(("a/lajmi.txt", "b/lajmi.txt")) for f in translating)  # the file worked on
    assert any(re.search(r"\b2/2 summaries 2/2 articles\b", f) for f in drawn if f.startswith("summarizing"))
    status, _, err = cli("run", news, *models, "--format", "text", "--no-cache")
    drawn = frames(err)
    assert any(f.startswith("preparing the translation model") for f in drawn)
    assert not any("first use only" in f for f in drawn)  # converted already: an ordinary load


def test_no_library_progress_bar_leaks_even_with_quiet(tmp_path: Path, marian: Path, bart: Path) -> None:
    Path(tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    models = ["--mt-model", str(marian), "--summary-model", str(bart)]
    code = (
        "import sys\nfrom translate_cli.cli import main\n"
        f"assert main(['run', 'a.txt', *{models!r}, '-q']) == 0\n"  # converts both models first
        f"assert main(['run', 'a.txt', *{models!r}, '-q', '--no-cache', '--backend', 'transformers']) == 0\n"
    )
    env = {**os.environ, "TRANSLATE_CLI_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""  # no "Loading weights", "Writing model shards"


def run_on_a_terminal(args: list[str], cwd: Path, *, stdout_too: bool = False) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (so the bar shows) and stdout on a pipe, or
    on the same terminal; returns (exit status, stdout, what the terminal showed)."""
    import pty
    import threading

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE")}
    env["TERM"] = "xterm-256color"
    shown = bytearray()

    def drain() -> None:  # the terminal must be read while the run draws, or it blocks
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the run closed its end
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "translate_cli", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=secondary if stdout_too else subprocess.PIPE,
            stderr=secondary,
            timeout=300,
        )
    finally:
        os.close(secondary)
        reader.join(timeout=60)
        os.close(primary)
    return process.returncode, (process.stdout or b"").decode(), shown.decode(errors="replace")


def test_text_goes_to_stdout_while_the_bar_is_on_a_terminal(tmp_path: Path, marian: Path) -> None:
    Path(tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    status, out, terminal = run_on_a_terminal(
        ["run", "a.txt", "--mt-model", str(marian), "--no-summary"], tmp_path
    )
    assert status == 0, terminal
    assert "translating" in ESCAPES.sub("", terminal)  # the bar was drawn on the terminal
    assert out.startswith("==> a.txt")  # and the English went where stdout points
    assert "==>" not in terminal


def screen_lines(transcript: str) -> list[str]:
    """The lines a terminal is left showing, roughly: a carriage return or an erase-line starts
    the line afresh, a cursor-up drops the last line, other escapes are ignored."""
    lines = [""]
    transcript = transcript.replace("\r\n", "\n")  # the terminal's own end of line
    for token in re.split(r"(\n|\r|\x1b\[2K|\x1b\[1A|\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\a]*\a)", transcript):
        if token == "\n":
            lines.append("")
        elif token in ("\r", "\x1b[2K"):
            lines[-1] = ""
        elif token == "\x1b[1A":
            lines.pop() if len(lines) > 1 else None
        elif token and not token.startswith("\x1b"):
            lines[-1] += token
    return lines


def test_the_bar_is_cleared_before_an_article_is_shown(tmp_path: Path, marian: Path) -> None:
    Path(tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    Path(tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    status, _, terminal = run_on_a_terminal(
        ["run", "a.txt", "b.txt", "--mt-model", str(marian), "--no-summary"], tmp_path, stdout_too=True
    )
    assert status == 0, terminal
    rules = [line for line in screen_lines(terminal) if " a.txt " in line or " b.txt " in line]
    assert len(rules) == 2, terminal
    assert all(rule.startswith("─") for rule in rules), rules  # not after the bar's last line


def test_file_names_in_the_bar_are_shown_as_they_are_and_harmless(
    cli, marian: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes stderr for a terminal: the bar shows
    names = ["\x1b]2;PWNED\x07.txt", "[link=https:example.com]x.txt", "[bold]b.txt"]
    Path("news").mkdir()
    for name in names:
        Path("news", name).write_text(ARTICLE, encoding="utf-8")
    status, _, err = cli("run", "news", "--mt-model", str(marian), "--no-summary", "--format", "text")
    assert status == 0
    assert "\x1b]" not in err and "\x07" not in err  # no title change, no hyperlink
    drawn = " ".join(frames(err))
    assert "\\x1b]2;PWNED\\x07.txt" in drawn  # escaped, as in the view's header and the errors
    assert "[link=https:example.com]x.txt" in drawn  # not taken as markup
    assert "[bold]b.txt" in drawn
