"""Summaries: chunking of long translations, on a stand-in and on real tiny checkpoints."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate_cli.data import ModelInfo
from translate_cli.engines import ModelEngine
from translate_cli.hub import input_limit
from translate_cli.prompts import prompt_for_family
from translate_cli.segment import longest_prefix
from translate_cli.summarize import (
    CHUNKS_PER_SLICE,
    Seq2SeqSummarizer,
    clip_to_tokens,
    pack_chunks,
    summarize_documents,
)


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


class CountingWords:
    """Counts words like `words`, and how many characters it was asked to count in all."""

    def __init__(self) -> None:
        self.characters = 0

    def __call__(self, text: str) -> int:
        self.characters += len(text)
        return words(text)


def exact_packing(paragraphs: list[str], limit: int) -> list[str]:
    """The packing by the definition: add each paragraph while the whole chunk fits."""
    chunks: list[str] = []
    for paragraph in paragraphs:
        if chunks and words(f"{chunks[-1]}\n{paragraph}") <= limit:
            chunks[-1] = f"{chunks[-1]}\n{paragraph}"
        else:
            chunks.append(paragraph)
    return chunks


@given(
    st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=60),
    st.integers(min_value=9, max_value=40),
)
def test_packing_counts_each_piece_once_and_cuts_like_the_definition(lengths: list[int], limit: int) -> None:
    paragraphs = [" ".join(f"w{i}-{j}" for j in range(length)) for i, length in enumerate(lengths)]
    counter = CountingWords()
    chunks = pack_chunks(paragraphs, counter, limit)
    assert chunks == exact_packing(paragraphs, limit)


def test_packing_a_long_document_tokenizes_about_its_length() -> None:
    paragraphs = [f"p{i} " + "word " * 20 for i in range(2000)]
    counter = CountingWords()
    chunks = pack_chunks(paragraphs, counter, 500)
    assert len(chunks) > 50
    # Re-counting the growing chunk for every paragraph counted it 14 times over.
    assert counter.characters < 5 * sum(len(p) for p in paragraphs)


class DictCache:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get_many(self, stage: str, keys: Sequence[str]) -> dict[str, str]:
        return {key: self.values[stage, key] for key in keys if (stage, key) in self.values}

    def put_many(self, stage: str, items) -> None:
        self.values.update(((stage, key), value) for key, value in items)


class StopAfter(RecordingSummarizer):
    """Interrupted like Ctrl-C after `calls` calls."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.left = calls

    def summarize(self, texts, **kwargs):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().summarize(texts, **kwargs)


def test_chunks_go_in_bounded_slices_and_an_interrupted_summary_resumes() -> None:
    long = [f"p{i} x y z" for i in range(5 * CHUNKS_PER_SLICE)]
    cache = DictCache()
    with pytest.raises(KeyboardInterrupt):
        summarize_documents(StopAfter(2), [long], cache=cache, identity="model")
    assert len(cache.values) == 2 * CHUNKS_PER_SLICE  # the two finished slices were kept

    resumed = RecordingSummarizer()
    summarize_documents(resumed, [long], cache=cache, identity="model")
    first_round = [texts for texts, cap in resumed.calls if cap == resumed.input_limit // 3]
    assert sum(map(len, first_round)) == 5 * CHUNKS_PER_SLICE - 2 * CHUNKS_PER_SLICE
    assert all(len(texts) <= CHUNKS_PER_SLICE for texts, _ in resumed.calls)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def start(self, stage: str, total: int) -> None:
        self.events.append((stage, total))

    def advance(self, count: int) -> None:
        self.events.append(("advance", count))


def test_progress_moves_inside_a_long_document() -> None:
    recorder = Recorder()
    summarize_documents(RecordingSummarizer(), [[f"p{i} x y z" for i in range(100)]], progress=recorder)
    stage, total = recorder.events[0]
    assert stage == "summarizing long articles, round 1" and total == 100
    first_round = recorder.events[1 : 1 + -(-100 // CHUNKS_PER_SLICE)]
    assert sum(count for _, count in first_round) == 100 and len(first_round) > 1
    assert ("summarizing", 1) in recorder.events


class BloatingSummarizer(RecordingSummarizer):
    """Generates `max_new_tokens` words that each read back as many tokens, as a model with
    untrained weights does when its output is rare pieces that decode to long strings."""

    input_limit = 60

    def count_tokens(self, text: str) -> int:
        return len(text.replace(" ", "").replace("\n", ""))  # a token per character

    def summarize(self, texts: Sequence[str], *, max_new_tokens=None, on_batch=None) -> list[str]:
        self.calls.append((list(texts), max_new_tokens))
        return [" ".join(["<unused4321>"] * (max_new_tokens or 20)) for _ in texts]


def test_output_that_reads_back_longer_than_generated_still_shrinks_every_round() -> None:
    summarizer = BloatingSummarizer()
    document = [f"paragraph{i:03d}" for i in range(300)]  # 12 tokens a paragraph: 60 chunks
    summarize_documents(summarizer, [document])
    rounds: dict[int, int] = {}
    for texts, cap in summarizer.calls:
        if cap is not None:
            rounds[cap] = rounds.get(cap, 0) + len(texts)
    first = rounds[summarizer.input_limit // 3]
    assert first == 60
    # Each round has at most about a third of the chunks of the one before: without the clip,
    # every round had as many chunks as the first, until the caps became tiny.
    assert sum(rounds.values()) <= 1.6 * first and len(rounds) <= 4
    assert summarizer.count_tokens(summarizer.calls[-1][0][0]) <= summarizer.input_limit


@given(
    st.lists(st.text(alphabet="abcdé", min_size=1, max_size=8), min_size=1, max_size=12),
    st.integers(min_value=1, max_value=30),
)
def test_the_longest_prefix_fits_and_ends_at_the_last_word_that_fits(words_: list[str], limit: int) -> None:
    text = " ".join(words_)
    prefix = longest_prefix(text, len, limit)
    assert text.startswith(prefix) and 0 < len(prefix) <= limit
    if prefix != text and len(words_[0]) <= limit:  # whole words, as many as fit
        kept = prefix.split(" ")
        assert kept == words_[: len(kept)]
        assert len(" ".join(words_[: len(kept) + 1])) > limit


def test_clipping_counts_only_the_text_not_the_prompt() -> None:
    def with_prompt(text: str) -> int:
        return words(f"Summarize: {text}")

    assert clip_to_tokens("a b c d", with_prompt, 4) == "a b c d"
    assert clip_to_tokens("a b c d e", with_prompt, 4) == "a b c d"


def test_cpu_batches_hold_half_their_inputs_at_full_length_on_ctranslate2(bart: Path, tmp_path: Path) -> None:
    """On the CPU a CTranslate2 summary batch has room for half its inputs at full length: fuller
    batches ran much faster there; the transformers engine ran slower so and keeps the token cap."""
    info = ModelInfo(name=str(bart), path=bart)
    sizes = {}
    for backend in ("ctranslate2", "transformers"):
        model = ModelEngine(info, "bart", backend=backend, device="cpu", store=tmp_path)
        summarizer = Seq2SeqSummarizer(model, prompt_for_family("bart"), input_limit=1024, batch_size=16)
        sizes[backend] = summarizer.batching()
    assert sizes["ctranslate2"].max_items == sizes["transformers"].max_items == 4
    assert sizes["ctranslate2"].max_tokens == 2 * 1024
    assert sizes["transformers"].max_tokens < 2 * 1024
