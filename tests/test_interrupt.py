"""Interrupted runs: Ctrl-C exits 130 cleanly, and a killed run resumes from the cache."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

TRANSLATIONS = "SELECT COUNT(*) FROM results WHERE stage = 'translation'"


def translated_entries(cache: Path) -> int:
    try:
        connection = sqlite3.connect(f"file:{cache / 'results.sqlite3'}?mode=ro", uri=True, timeout=5)
        try:
            return connection.execute(TRANSLATIONS).fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def start_long_run(
    tmp_path: Path, seeds: Path, models: list[str], *options: str
) -> tuple[subprocess.Popen, Path]:
    """Start a run over many articles in a subprocess; return once some results are cached.

    The last input is standard input, a pipe that stays open: after the articles the run waits
    for it, so it cannot end before the test stops it, however slow or fast the machine is.
    Each article is its own chunk (--chunk-sentences 1), so translation starts at once.
    """
    articles = tmp_path / "many"
    articles.mkdir()
    for copy in range(8):  # distinct sentences, so there is plenty to translate
        for source in seeds.glob("*.txt"):
            text = source.read_text(encoding="utf-8").replace(".", f" {copy}.")
            (articles / f"{copy}-{source.name}").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "translate_cli",
            "run",
            articles,
            "-",
            *models,
            "--batch-size",
            "1",
            "--chunk-sentences",
            "1",
            *options,
            "-q",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TRANSLATE_CLI_CACHE_DIR": str(cache)},
    )
    deadline = time.monotonic() + 120
    while translated_entries(cache) < 5:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return process, articles


def test_ctrl_c_stops_a_run_and_keeps_what_it_finished(
    tmp_path: Path, seeds: Path, models: list[str]
) -> None:
    process, _ = start_long_run(tmp_path, seeds, models, "--no-summary")
    done = translated_entries(tmp_path / "cache")
    assert process.poll() is None  # it waits for standard input at the latest: it cannot have ended
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)  # about 2 s on an idle machine; its stdin stays open meanwhile
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"the run went on after Ctrl-C; stderr: {process.communicate()[1]!r}")
    _, err = process.communicate()
    assert process.returncode == 130, err
    assert err == "translate-cli: error: interrupted\n"
    # It stops working at once: at most the batch in flight (one sentence) is added after the
    # signal, and what it finished before is kept.
    assert done >= 5 and translated_entries(tmp_path / "cache") - done <= 2


def test_a_killed_run_resumes_where_it_stopped(
    tmp_path: Path, seeds: Path, models: list[str], cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    process, articles = start_long_run(tmp_path, seeds, models, "--no-summary")
    assert process.poll() is None  # it waits for standard input at the latest: it cannot have ended
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    done_before = translated_entries(tmp_path / "cache")
    assert done_before >= 5

    monkeypatch.setenv("TRANSLATE_CLI_CACHE_DIR", str(tmp_path / "cache"))
    status, _, err = cli("run", articles, *models, "--no-summary")
    assert status == 0
    hits = int(err.rsplit("cache: ", 1)[1].split(" hits")[0])
    assert hits >= done_before
