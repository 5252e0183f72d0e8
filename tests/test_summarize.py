"""Summaries: chunking of long translations, on a stand-in and on real tiny checkpoints."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translate_cli.data import ModelInfo
from translate_cli.engines import ModelEngine
from translate_cli.hub import input_limit
from translate_cli.prompts import prompt_for_family
from translate_cli.summarize import Seq2SeqSummarizer, pack_chunks, summarize_documents


def words(text: str) -> int:
    return len(text.split())


def test_chunks_are_cut_at_paragraph_boundaries() -> None:
    paragraphs = ["a b c", "d e f", "g h i", "j k"]
    assert pack_chunks(paragraphs, words, 6) == ["a b c\nd e f", "g h i\nj k"]


def test_a_paragraph_longer_than_the_limit_is_split_without_loss() -> None:
    paragraph = " ".join(f"w{i}" for i in range(50)) + ". Second sentence here."
    chunks = pack_chunks([paragraph], words, 10)
    assert all(words(chunk) <= 10 for chunk in chunks)
    assert " ".join(chunks).split() == paragraph.split()


class RecordingSummarizer:
    """A stand-in that keeps the first word of each input, and records every call."""

    input_limit = 6

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], int | None]] = []

    def count_tokens(self, text: str) -> int:
        return words(text)

    def summarize(self, texts: Sequence[str], *, max_new_tokens=None, on_batch=None) -> list[str]:
        self.calls.append((list(texts), max_new_tokens))
        return [" ".join(text.split()[:2]) for text in texts]

    def settings(self) -> dict:
        return {}


def test_long_documents_are_summarized_in_rounds_until_one_input_holds_everything() -> None:
    summarizer = RecordingSummarizer()
    short = ["one two"]
    long = [f"p{i} x y z" for i in range(12)]
    summaries = summarize_documents(summarizer, [short, long])
    assert len(summaries) == 2
    rounds = [call for call in summarizer.calls if call[1] is not None]
    assert rounds, "the long document needed chunk summaries"
    assert all(len(text.split()) <= 6 for texts, _ in summarizer.calls for text in texts)
    final_inputs, final_cap = summarizer.calls[-1]
    assert final_cap is None and len(final_inputs) == 2  # both documents finish together


def test_real_bart_summarizes_a_long_article_in_chunks(bart: Path, tmp_path: Path) -> None:
    info = ModelInfo(name=str(bart), path=bart)
    model = ModelEngine(info, "bart", backend="transformers", device="cpu", store=tmp_path)
    summarizer = Seq2SeqSummarizer(
        model, prompt_for_family("bart"), input_limit=input_limit(info), batch_size=4
    )
    calls = []
    original = summarizer.summarize

    def spy(texts, **kwargs):
        calls.append(len(texts))
        return original(texts, **kwargs)

    summarizer.summarize = spy
    paragraphs = [
        f"Paragrafi {i}: Kim Jong Un pritet të takojë presidentin Putin në Rusi." for i in range(20)
    ]
    assert sum(model.count_tokens(p) for p in paragraphs) > 3 * summarizer.input_limit
    [summary] = summarize_documents(summarizer, [paragraphs])
    assert isinstance(summary, str)
    assert len(calls) >= 2 and calls[0] > 1  # chunk summaries first, then the final one
