"""The summary stage: one interface, a transformers backend, and chunking of long texts.

A translation longer than the summarizer's input limit is summarized in chunks cut at paragraph
boundaries; the chunk summaries are then summarized again, until one input holds everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from typing import Any, Protocol

from .cache import SUMMARY, cache_key
from .engines import BatchCallback, Batching, DecodeOptions, ModelEngine
from .prompts import PromptTemplate
from .segment import split_long, split_sentences

#: Paragraphs of a full translation are separated by a blank line.
PARAGRAPH_SEPARATOR = "\n\n"

#: A chunk summary in round r may use at most limit / (CHUNK_SUMMARY_SHARE * 2**r) tokens, so
#: every round shrinks the text, even when re-tokenized output grows, and chunking always ends.
CHUNK_SUMMARY_SHARE = 3


class Summarizer(Protocol):
    """Turns texts that fit its input limit into summaries, one for one."""

    input_limit: int  # most tokens one rendered input may have

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` once rendered through the prompt template."""
        ...

    def summarize(
        self,
        texts: Sequence[str],
        *,
        max_new_tokens: int | None = None,
        on_batch: BatchCallback | None = None,
    ) -> list[str]:
        """Summarize each text; `max_new_tokens` caps chunk summaries below the model's own length."""
        ...

    def settings(self) -> dict[str, Any]:
        """The prompt and generation settings that change outputs, for cache keys."""
        ...


class Seq2SeqSummarizer:
    """A BART, Pegasus or T5 summarizer on any engine.

    The model's generation config (beams, min/max length, no_repeat_ngram_size, length
    penalty) is honoured; only `beams` can override it.
    """

    def __init__(
        self,
        model: ModelEngine,
        prompt: PromptTemplate,
        *,
        input_limit: int,
        beams: int | None = None,
        batch_size: int | None = None,
    ) -> None:
        self.model = model
        self.prompt = prompt
        self.input_limit = input_limit
        self.batch_size = batch_size  # most texts a batch; None sizes batches to the device
        self.options = DecodeOptions.for_checkpoint(model.info, beams)

    def count_tokens(self, text: str) -> int:
        """Tokens of the rendered prompt for `text`."""
        return self.model.count_tokens(self.prompt.render(text))

    def batching(self) -> Batching:
        """A quarter of the device's translation batch, and at least one full input's worth of
        tokens: beams over long inputs need much memory."""
        sized = self.model.batching(self.options.beams, self.batch_size)
        return Batching(max(1, sized.max_items // 4), max(self.input_limit, sized.max_tokens // 4))

    def summarize(
        self,
        texts: Sequence[str],
        *,
        max_new_tokens: int | None = None,
        on_batch: BatchCallback | None = None,
    ) -> list[str]:
        """Summarize texts that each fit the input limit."""
        if not texts:
            return []
        options = self.options
        if max_new_tokens is not None:
            cap = min(max_new_tokens, options.max_new_tokens)
            options = replace(
                options, max_new_tokens=cap, min_new_tokens=min(options.min_new_tokens, cap // 2)
            )
        self.model.load()  # batches are sized to the engine that runs
        generated = self.model.generate(
            [self.prompt.render(text) for text in texts], options, self.batching(), on_batch
        )
        return [output.text for output in generated]

    def settings(self) -> dict[str, Any]:
        """Prompt text, decoding options and chunking rule."""
        return {
            "prompt": self.prompt.text,
            "decode": asdict(self.options),
            "input_limit": self.input_limit,
            "chunk_share": CHUNK_SUMMARY_SHARE,
        }


def pack_chunks(paragraphs: Sequence[str], count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Join consecutive paragraphs into chunks that fit `limit`; split only a paragraph too long alone."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        if count_tokens(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        for sentence in split_sentences(paragraph):
            pieces.extend(split_long(sentence, count_tokens, limit))
    chunks: list[str] = []
    for piece in pieces:
        if chunks and count_tokens(f"{chunks[-1]}\n{piece}") <= limit:
            chunks[-1] = f"{chunks[-1]}\n{piece}"
        else:
            chunks.append(piece)
    return chunks


def summarize_documents(
    summarizer: Summarizer,
    documents: Sequence[Sequence[str]],
    on_batch: BatchCallback | None = None,
) -> list[str]:
    """Summarize each document (a list of paragraphs) whole, chunking the long ones.

    All documents advance together, one round at a time, so that chunks from different
    documents share batches.
    """
    limit = summarizer.input_limit
    chunked = [pack_chunks(doc, summarizer.count_tokens, limit) for doc in documents]
    for round_ in itertools.count():
        pending = [i for i, chunks in enumerate(chunked) if len(chunks) > 1]
        if not pending:
            break
        flat = [chunk for i in pending for chunk in chunked[i]]
        cap = max(1, limit // (CHUNK_SUMMARY_SHARE * 2**round_))
        summaries = iter(summarizer.summarize(flat, max_new_tokens=cap, on_batch=on_batch))
        for i in pending:
            chunk_summaries = [next(summaries) for _ in chunked[i]]
            chunked[i] = pack_chunks(chunk_summaries, summarizer.count_tokens, limit)
    finals = [chunks[0] if chunks else "" for chunks in chunked]
    return summarizer.summarize(finals, on_batch=on_batch)


class SummaryStage:
    """The summary stage: an article's full translation in, its summary out; keyed by the
    engine that runs, the prompt and generation settings, and the text."""

    name = SUMMARY

    def __init__(
        self, engine: ModelEngine, summarizer: Seq2SeqSummarizer, on_batch: BatchCallback | None = None
    ) -> None:
        self.engine = engine
        self.summarizer = summarizer
        self.on_batch = on_batch  # hears how many articles each batch finished

    @property
    def commit_every(self) -> int:
        """Results are stored after every batch."""
        return self.summarizer.batching().max_items

    def key(self, item: str) -> str:
        """Engine identity, prompt and generation settings, and the full translation."""
        return cache_key(asdict(self.engine.identity), self.summarizer.settings(), item)

    def encode(self, value: str) -> str:
        """Summaries are stored as they are."""
        return value

    def decode(self, stored: str) -> str:
        """Summaries are stored as they are."""
        return stored

    def prepare(self) -> None:
        """Load the engine: if it falls back, its identity, and so the keys, change."""
        self.engine.load()

    def compute(self, items: list[str]) -> list[str]:
        """Summarize each full translation, chunking long ones."""
        summaries = summarize_documents(self.summarizer, [text.split(PARAGRAPH_SEPARATOR) for text in items])
        if self.on_batch is not None:
            self.on_batch(len(items))
        return summaries
