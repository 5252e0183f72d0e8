"""Interrupted runs: Ctrl-C exits 130 cleanly, and a killed run resumes from the cache."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
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


def start_long_run(tmp_path: Path, seeds: Path, models: list[str]) -> tuple[subprocess.Popen, Path]:
    """Start a run over many articles in a subprocess; return once some results are cached."""
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
            *models,
            "--batch-size",
            "1",
            "--no-summary",
            "-q",
        ],
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


def cpu_seconds(pid: int) -> float:
    """CPU time a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_stops_a_run_within_seconds_and_keeps_what_it_finished(
    tmp_path: Path, seeds: Path, models: list[str]
) -> None:
    process, _ = start_long_run(tmp_path, seeds, models)
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    before = cpu_seconds(process.pid)
    process.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(process.pid, 0)
    watchdog.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    # CPU time, not wall time: it says the run stopped working, whatever the machine's load.
    # About 2 s of it is the interpreter shutting down torch.
    assert usage.ru_utime + usage.ru_stime - before < 5
    assert process.returncode == 130
    assert process.stderr.read() == "translate-cli: error: interrupted\n"
    assert translated_entries(tmp_path / "cache") >= 5


def test_a_killed_run_resumes_where_it_stopped(
    tmp_path: Path, seeds: Path, models: list[str], cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    process, articles = start_long_run(tmp_path, seeds, models)
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
