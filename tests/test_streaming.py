"""Streaming: bounded chunks, flat memory, results as soon as ready, one article's failure its own,
and `--jsonl` whole lines after a kill -9, resumed by running the same command again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from translate_cli import RunOptions, iter_run, run
from translate_cli import pipeline as pipeline_module
from translate_cli.pipeline import StreamingRun


@pytest.fixture
def options(marian: Path, tmp_path: Path) -> RunOptions:
    """Translation only (summaries add nothing to what is streamed), in small chunks."""
    return RunOptions(
        mt_model=str(marian), summarize=False, cache_dir=tmp_path / "cache", device="cpu", chunk_sentences=30
    )


def archive(folder: Path, seeds: Path, copies: int) -> Path:
    """`copies` of each seed article. The texts repeat, so after the first chunk the sentences
    come from the cache: the runs are quick, while reading and chunking are as for any archive."""
    folder.mkdir()
    for copy in range(copies):
        for seed in sorted(seeds.glob("*.txt")):
            (folder / f"{copy:03d}-{seed.name}").write_text(
                seed.read_text(encoding="utf-8"), encoding="utf-8"
            )
    return folder


def test_what_is_held_at_once_does_not_grow_with_the_number_of_files(
    tmp_path: Path, seeds: Path, options: RunOptions
) -> None:
    peaks = []
    for copies in (3, 12):
        folder = archive(tmp_path / f"archive-{copies}", seeds, copies)
        with StreamingRun([str(folder)], options) as stream:
            results = list(stream)
        assert [Path(r.source).name for r in results] == sorted(p.name for p in folder.iterdir())
        assert all(r.error is None and r.paragraphs for r in results)
        peaks.append((stream.peak_articles, stream.peak_sentences))
    assert peaks[0] == peaks[1]
    articles, sentences = peaks[1]
    assert articles <= 3 and sentences < options.chunk_sentences + 16  # a chunk, plus one article


def test_the_first_article_comes_before_the_last_file_is_read(
    tmp_path: Path, seeds: Path, options: RunOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = archive(tmp_path / "archive", seeds, 6)
    read: list[str] = []
    real_read = pipeline_module.read_article
    monkeypatch.setattr(
        pipeline_module, "read_article", lambda path, **kw: read.append(path) or real_read(path, **kw)
    )
    results = iter_run([str(folder)], options)
    first = next(results)
    assert first.error is None and len(read) < 12
    assert len([first, *results]) == 12 and len(read) == 12


def test_sentences_of_different_articles_share_batches_in_a_chunk(
    tmp_path: Path, seeds: Path, options: RunOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    real = pipeline_module.CachedStage.map
    monkeypatch.setattr(
        pipeline_module.CachedStage,
        "map",
        lambda self, items: batches.append(len(set(items))) or real(self, items),
    )
    run([str(seeds)], replace(options, chunk_sentences=1000))
    assert max(batches) >= 16 + 10  # both seed articles' units went to the translation stage at once


def test_an_unexpected_failure_is_only_that_articles_error(
    tmp_path: Path, seeds: Path, options: RunOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_align = pipeline_module._align

    def align(article, translations):
        if article.source.endswith("002_ab33e44390d37e2a.txt"):
            raise RuntimeError("something inside went wrong\nwith a second line")
        return real_align(article, translations)

    monkeypatch.setattr(pipeline_module, "_align", align)
    result = run([str(seeds)], replace(options, chunk_sentences=1000))  # both articles in one chunk
    good, bad = result.articles
    assert good.error is None and good.paragraphs
    assert bad.error == (f"{bad.source}: could not be processed (RuntimeError: something inside went wrong)")
    assert not bad.paragraphs


def jsonl_paths(path: Path) -> list[str]:
    return [json.loads(line)["path"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_has_whole_lines_after_kill_9_and_a_rerun_appends_only_the_rest(
    tmp_path: Path, seeds: Path, marian: Path, bart: Path, cli
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for copy in range(4):  # distinct sentences, so every chunk has work to do
        for seed in seeds.glob("*.txt"):
            text = seed.read_text(encoding="utf-8").replace(".", f" {copy}.")
            (folder / f"{copy}-{seed.name}").write_text(text, encoding="utf-8")
    output = tmp_path / "out.jsonl"
    command = [
        *("run", folder, "--mt-model", marian, "--summary-model", bart),
        *("--jsonl", output, "--chunk-sentences", "20", "--batch-size", "2", "-q"),
    ]
    process = subprocess.Popen(
        [sys.executable, "-m", "translate_cli", *map(str, command)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TRANSLATE_CLI_CACHE_DIR": str(tmp_path / "cache")},
    )
    deadline = time.monotonic() + 240
    while not (output.exists() and output.read_bytes().count(b"\n") >= 2):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL

    data = output.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    before = [json.loads(line)["path"] for line in whole.splitlines()]  # every whole line parses
    assert 2 <= len(before) < 8 and len(set(before)) == len(before)

    status, _, _ = cli(*command)
    assert status == 0
    after = jsonl_paths(output)
    assert after[: len(before)] == before
    assert sorted(after) == sorted(str(path) for path in folder.iterdir())  # each article once
    lines = output.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["error"] is None and json.loads(line)["summary"] for line in lines)
