"""The summary stage: one interface, a transformers backend, and chunking of long texts.

A translation longer than the summarizer's input limit is summarized in chunks cut at paragraph
boundaries; the chunk summaries are then summarized again, until one input holds everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, replace
from typing import Any, Protocol

from .cache import SUMMARY, cache_key
from .engines import BatchCallback, Batching, DecodeOptions, ModelEngine
from .prompts import PromptTemplate
from .segment import longest_prefix, split_long, split_sentences

#: Paragraphs of a full translation are separated by a blank line.
PARAGRAPH_SEPARATOR = "\n\n"

#: A chunk summary in round r may use at most limit / (CHUNK_SUMMARY_SHARE * 2**r) tokens, as
#: the summarizer counts them when it reads the summary back (`clip_to_tokens`), so each round
#: has at most about a third of the chunks of the one before, and chunking always ends.
CHUNK_SUMMARY_SHARE = 3
#: Changes whenever the rule that makes chunk summaries changes, so cached summaries made by
#: another rule are not served (it is part of the summary stage's cache keys).
CHUNK_RULE = "share-3-halving-clipped"


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
        """A quarter of the device's translation batch; a quarter of its tokens too, and at least
        one full input's worth: beams over long inputs need much memory.

        CTranslate2 on the CPU gets room for half that many full inputs (2 of 1,024 tokens, or all
        4 of 512): the summary benchmark ran at 74 tokens/s so, against 57 with one input's room,
        on 2 cores; room for all would take a run with both models past 1 GB. The transformers
        engine ran slower in larger batches there (12 against 18 tokens/s) and keeps the rule."""
        sized = self.model.batching(self.options.beams, self.batch_size)
        items = max(1, sized.max_items // 4)
        identity = self.model.identity
        if identity.device == "cpu" and identity.backend == "ctranslate2":
            return Batching(items, max(self.input_limit, items * self.input_limit // 2))
        return Batching(items, max(self.input_limit, sized.max_tokens // 4))

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
            "chunk_rule": CHUNK_RULE,
        }


def pack_chunks(paragraphs: Sequence[str], count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Join consecutive paragraphs into chunks that fit `limit`; split only a paragraph too long alone.

    Each piece is tokenized once, and a chunk's length is estimated from its pieces', so the
    work grows with the text, not with the text times the chunk length. Each chunk is counted
    whole once, where the estimate says it is full, and once more when it is closed; a chunk
    whose estimate was too low (a tokenizer that merges across the line break) is packed again
    exactly.
    """
    overhead = count_tokens("")  # prompt and special tokens, which every count includes
    chunks: list[str] = []
    current: list[str] = []
    tokens = 0
    for piece, piece_tokens in _pieces(paragraphs, count_tokens, limit):
        if current:
            estimate = tokens + piece_tokens - overhead + _JOIN_TOKENS
            if estimate > limit:
                estimate = count_tokens("\n".join([*current, piece]))
            if estimate <= limit:
                current.append(piece)
                tokens = estimate
                continue
            chunks.extend(_close_chunk(current, count_tokens, limit))
        current, tokens = [piece], piece_tokens
    if current:
        chunks.extend(_close_chunk(current, count_tokens, limit))
    return chunks


#: Tokens that joining two pieces with a line break may add (byte-level BPE keeps it as a token).
_JOIN_TOKENS = 1


def _pieces(
    paragraphs: Sequence[str], count_tokens: Callable[[str], int], limit: int
) -> Iterator[tuple[str, int]]:
    """Each paragraph that fits `limit`, else its sentences split to fit; with their token counts."""
    for paragraph in paragraphs:
        tokens = count_tokens(paragraph)
        if tokens <= limit:
            yield paragraph, tokens
            continue
        for sentence in split_sentences(paragraph):
            for piece in split_long(sentence, count_tokens, limit):
                yield piece, count_tokens(piece)


def _close_chunk(pieces: list[str], count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """The pieces joined into one chunk, or, if the estimate was too low, packed exactly."""
    text = "\n".join(pieces)
    if len(pieces) == 1 or count_tokens(text) <= limit:
        return [text]
    chunks = [pieces[0]]
    for piece in pieces[1:]:
        if count_tokens(f"{chunks[-1]}\n{piece}") <= limit:
            chunks[-1] = f"{chunks[-1]}\n{piece}"
        else:
            chunks.append(piece)
    return chunks


class ChunkCache(Protocol):
    """Where chunk summaries are kept: the result cache, or anything with its two methods."""

    def get_many(self, stage: str, keys: Sequence[str]) -> dict[str, str]:
        """The stored values of those `keys` that are present."""
        ...

    def put_many(self, stage: str, items: Iterable[tuple[str, str]]) -> None:
        """Store values."""
        ...


class RoundProgress(Protocol):
    """Hears how the rounds of chunk summaries advance (the pipeline's progress bar)."""

    def start(self, stage: str, total: int) -> None:
        """A round begins with `total` chunks to summarize."""

    def advance(self, count: int) -> None:
        """`count` more chunks are summarized."""


def summarize_documents(
    summarizer: Summarizer,
    documents: Sequence[Sequence[str]],
    on_batch: BatchCallback | None = None,
    *,
    cache: ChunkCache | None = None,
    identity: Any = None,
    progress: RoundProgress | None = None,
) -> list[str]:
    """Summarize each document (a list of paragraphs) whole, chunking the long ones.

    All documents advance together, one round at a time, so that chunks from different
    documents share batches. Chunks are summarized `CHUNKS_PER_SLICE` at a time, so memory
    follows the text's length, not the number of chunks. With a `cache`, each slice's chunk
    summaries are stored under keys made of `identity` (the model and settings), the round's
    length cap and the chunk, so an interrupted long summary resumes where it stopped.
    `progress` hears each round and slice; `on_batch` hears the final summaries' batches.
    """
    limit = summarizer.input_limit
    chunked = [pack_chunks(doc, summarizer.count_tokens, limit) for doc in documents]
    for round_ in itertools.count():
        pending = [i for i, chunks in enumerate(chunked) if len(chunks) > 1]
        if not pending:
            break
        flat = [chunk for i in pending for chunk in chunked[i]]
        cap = max(1, limit // (CHUNK_SUMMARY_SHARE * 2**round_))
        if progress is not None:
            progress.start(f"summarizing long articles, round {round_ + 1}", len(flat))
        summaries: list[str] = []
        for start in range(0, len(flat), CHUNKS_PER_SLICE):
            piece = flat[start : start + CHUNKS_PER_SLICE]
            summaries.extend(
                clip_to_tokens(summary, summarizer.count_tokens, cap)
                for summary in _summarize_chunks(summarizer, piece, cap, cache, identity)
            )
            if progress is not None:
                progress.advance(len(piece))
        del flat
        position = 0
        for i in pending:
            count = len(chunked[i])
            chunked[i] = pack_chunks(summaries[position : position + count], summarizer.count_tokens, limit)
            position += count
    finals = [chunks[0] if chunks else "" for chunks in chunked]
    if progress is not None and round_ > 0:  # the rounds replaced the caller's bar
        progress.start("summarizing", len(finals))
    return summarizer.summarize(finals, on_batch=on_batch)


def clip_to_tokens(text: str, count_tokens: Callable[[str], int], cap: int) -> str:
    """`text`, or its longest prefix (at a word boundary) of at most `cap` tokens, as
    `count_tokens` counts them less what it counts for "" (the prompt and special tokens).

    A model generates at most `cap` tokens, but its output read back can count many more: output
    made of rare pieces or unknown tokens (untrained or damaged weights) decodes to long strings.
    Without the clip, such output makes a round of chunk summaries as long as the text it
    summarizes, and an article takes round after round. A healthy model's output reads back at
    about the tokens it generated, so it is rarely cut.
    """
    overhead = count_tokens("")
    return longest_prefix(text, lambda part: count_tokens(part) - overhead, cap)


#: Chunks summarized in one call: bounds the memory of tokenized inputs, and how much work an
#: interruption loses when chunk summaries are cached.
CHUNKS_PER_SLICE = 32


def _summarize_chunks(
    summarizer: Summarizer, chunks: list[str], cap: int, cache: ChunkCache | None, identity: Any
) -> list[str]:
    if cache is None:
        return summarizer.summarize(chunks, max_new_tokens=cap)
    keys = [cache_key("chunk", identity, cap, chunk) for chunk in chunks]
    found = cache.get_many(SUMMARY, keys)
    missing = [i for i, key in enumerate(keys) if key not in found]
    if missing:
        computed = summarizer.summarize([chunks[i] for i in missing], max_new_tokens=cap)
        cache.put_many(SUMMARY, [(keys[i], text) for i, text in zip(missing, computed, strict=True)])
        found.update((keys[i], text) for i, text in zip(missing, computed, strict=True))
    return [found[key] for key in keys]


class SummaryStage:
    """The summary stage: an article's full translation in, its summary out; keyed by the
    engine that runs, the prompt and generation settings, and the text."""

    name = SUMMARY

    def __init__(
        self,
        engine: ModelEngine,
        summarizer: Seq2SeqSummarizer,
        on_batch: BatchCallback | None = None,
        *,
        cache: ChunkCache | None = None,
        progress: RoundProgress | None = None,
    ) -> None:
        self.engine = engine
        self.summarizer = summarizer
        self.on_batch = on_batch  # hears how many articles each batch finished
        self.cache = cache  # keeps chunk summaries, so that an interrupted long summary resumes
        self.progress = progress  # hears the rounds of chunk summaries inside long articles

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
        return summarize_documents(
            self.summarizer,
            [text.split(PARAGRAPH_SEPARATOR) for text in items],
            self.on_batch,
            cache=self.cache,
            identity=[asdict(self.engine.identity), self.summarizer.settings()],
            progress=self.progress,
        )
