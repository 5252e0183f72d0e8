"""`translate-cli cache ...` and `translate-cli models ...`."""

from __future__ import annotations

import re
from pathlib import Path


def test_cache_info_and_clear_one_stage_then_all(cli, seeds: Path, models: list[str]) -> None:
    status, out, _ = cli("cache", "info")
    assert status == 0 and "no cache file yet" in out
    assert cli("run", seeds, *models, "-q")[0] == 0
    status, out, _ = cli("cache", "info")
    assert status == 0
    assert "results.sqlite3" in out and re.search(r"state\s+healthy", out)
    counts = dict(re.findall(r"^\s+(\w+)\s+(\d+) entries$", out, re.MULTILINE))
    assert int(counts["translation"]) > 20 and int(counts["summary"]) >= 2
    assert re.search(r"size\s+[\d.]+ KB", out)

    status, out, _ = cli("cache", "clear", "--stage", "summary")
    assert status == 0 and out.startswith(f"deleted {counts['summary']} summary entries")
    status, _, err = cli("run", seeds, *models)
    assert status == 0 and "cache: " in err
    hits, misses = map(int, re.search(r"cache: (\d+) hits, (\d+) misses", err).groups())
    assert misses == 2 and hits > 20  # only the summaries were recomputed
    assert cli("cache", "clear")[1].startswith("deleted")
    _, out, _ = cli("cache", "info")
    assert re.search(r"translation\s+0 entries", out)


def test_models_list_and_path(cli, marian: Path, bart: Path) -> None:
    status, out, _ = cli("models", "list")
    assert status == 3
    assert "Helsinki-NLP/opus-mt-sq-en  (not downloaded)" in out
    assert "sshleifer/distilbart-cnn-12-6  (not downloaded)" in out
    status, out, _ = cli("models", "list", "--mt-model", marian, "--summary-model", bart)
    assert status == 0 and f"present at {marian}" in out
    status, out, _ = cli("models", "path", "--mt-model", marian, "--summary-model", bart)
    assert status == 0 and out.splitlines() == [str(marian), str(bart)]
    status, _, err = cli("models", "path")
    assert status == 3 and "translate-cli models download" in err and "--mt-model DIR" in err


def test_models_download_offline_fails_with_one_line(cli) -> None:
    status, _, err = cli("models", "download")
    assert status == 3
    assert err.count("\n") == 1 and "Helsinki-NLP/opus-mt-sq-en" in err
