"""Very long articles: bounded work per call, resumable summaries, and a size limit for news."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkpoints import SEEDS

from translate_cli.summarize import CHUNKS_PER_SLICE, Seq2SeqSummarizer


def long_article(path: Path, paragraphs: int) -> Path:
    """An article of many distinct paragraphs from the seed articles."""
    source = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")[1:]]
    text = "\n\n".join(source[i % len(source)].replace(".", f" {i}.", 1) for i in range(paragraphs))
    path.write_text(f"date 2023-09\n\n{text}\n", encoding="utf-8")
    return path


def test_an_interrupted_long_summary_resumes_from_its_chunk_summaries(
    cli, models: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = long_article(Path("long.txt"), paragraphs=24)
    original = Seq2SeqSummarizer.summarize
    calls: list[int] = []

    def counting(self, texts, **options):
        calls.append(len(texts))
        return original(self, texts, **options)

    def interrupted(self, texts, **options):
        if len(calls) == 1:
            raise KeyboardInterrupt
        return counting(self, texts, **options)

    monkeypatch.setattr(Seq2SeqSummarizer, "summarize", counting)
    assert cli("run", article, *models, "-q", "--cache-dir", "whole")[0] == 0
    whole = list(calls)
    assert len(whole) > 2 and whole[0] == CHUNKS_PER_SLICE  # a first round of several slices

    calls.clear()
    monkeypatch.setattr(Seq2SeqSummarizer, "summarize", interrupted)
    status, _, err = cli("run", article, *models, "-q")
    assert status == 130 and err.endswith("interrupted\n")

    calls.clear()
    monkeypatch.setattr(Seq2SeqSummarizer, "summarize", counting)
    status, _, err = cli("run", article, *models, "--json", "r.json")
    assert status == 0, err
    assert sum(calls) == sum(whole) - CHUNKS_PER_SLICE  # the finished slice was not redone
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["articles"][0]["summary"]


def test_files_over_one_megabyte_are_refused_by_default(cli, seeds: Path, models: list[str]) -> None:
    big = Path("big.txt")
    big.write_text("Qeveria miratoi sot buxhetin e ri. " * 30_000, encoding="utf-8")  # 1.05 MB
    status, _, err = cli("run", big, seeds / "000_fea4830ee9b7d6af.txt", *models, "--no-summary", "-q")
    assert status == 1
    assert err == "translate-cli: error: big.txt: 1.1 MB is over the 1.0 MB size limit (--max-size)\n"
    # --max-size sets the limit either way; shown on a small file, which runs in a moment
    small = Path("small.txt")
    small.write_text("Qeveria miratoi sot buxhetin e ri. " * 300, encoding="utf-8")  # 10.5 KB
    status, _, err = cli("run", small, *models, "--no-summary", "-q", "--max-size", "10KB")
    assert status == 1 and "size limit (--max-size)" in err
    status, _, err = cli("run", small, *models, "--no-summary", "-q", "--max-size", "2MB")
    assert status == 0 and "size limit" not in err
