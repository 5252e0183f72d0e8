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
