"""The translation stage: a translator on any engine, a guard against runaway output, and the
stage's cache identity (engine, decoding settings, sentence) and stored form."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

from .cache import TRANSLATION, cache_key
from .engines import BatchCallback, Batching, DecodeOptions, Generation, ModelEngine

#: Output tokens allowed per input token, plus a constant, so degenerate output stops early.
OUTPUT_TOKENS_PER_INPUT_TOKEN = 2
OUTPUT_TOKENS_EXTRA = 10


def output_cap(input_tokens: int) -> int:
    """The most tokens a translation of `input_tokens` tokens may have."""
    return OUTPUT_TOKENS_PER_INPUT_TOKEN * input_tokens + OUTPUT_TOKENS_EXTRA


#: Settings for the one retry of a degenerate translation.
RETRY_SETTINGS = {"no_repeat_ngram_size": 3, "repetition_penalty": 1.3}
# A run of 1-4 letters repeated six or more times inside a word: "sesesesese".
_STUTTER = re.compile(r"([^\W\d_]{1,4}?)\1{5,}")


@dataclass(frozen=True)
class Translation:
    """A sentence's translation as the stage produces and caches it."""

    text: str  # the English output
    score: float | None  # the engine's length-normalized log-probability of it; None if unknown
    retried: bool = False  # the first output looked degenerate, and this is the retry's


class Translator(Protocol):
    """Turns a list of source sentences into their translations, one for one."""

    def translate(
        self,
        sentences: Sequence[str],
        on_batch: BatchCallback | None = None,
        *,
        constrained: bool = False,
    ) -> list[Generation]:
        """Translate each sentence; `constrained` forbids repetition, for a retry."""
        ...

    def settings(self) -> dict[str, Any]:
        """The decoding settings that change outputs, for cache keys."""
        ...


class Seq2SeqTranslator:
    """A MarianMT (or other seq2seq) translator on any engine.

    Decoding follows the checkpoint's own generation config (only `beams` overrides it), and
    each output is capped by its input's length.
    """

    def __init__(
        self, model: ModelEngine, *, beams: int | None = None, batch_size: int | None = None
    ) -> None:
        self.model = model
        self.batch_size = batch_size  # most sentences a batch; None sizes batches to the device
        self.options = replace(
            DecodeOptions.for_checkpoint(model.info, beams),
            length_cap=(OUTPUT_TOKENS_PER_INPUT_TOKEN, OUTPUT_TOKENS_EXTRA),
        )

    def batching(self) -> Batching:
        """Batches sized to the device the model runs on, capped by `batch_size`."""
        return self.model.batching(self.options.beams, self.batch_size)

    def translate(
        self,
        sentences: Sequence[str],
        on_batch: BatchCallback | None = None,
        *,
        constrained: bool = False,
    ) -> list[Generation]:
        """Translate sentences in length-sorted batches, each output capped by its input length."""
        if not sentences:
            return []
        options = replace(self.options, **RETRY_SETTINGS) if constrained else self.options
        self.model.load()  # batches are sized to the engine that runs
        return self.model.generate(sentences, options, self.batching(), on_batch)

    def settings(self) -> dict[str, Any]:
        """Decoding options and the retry's; the model's identity is the engine's."""
        return {"decode": asdict(self.options), "retry": RETRY_SETTINGS}


def translate_with_retry(
    translator: Translator, sentences: Sequence[str], on_batch: BatchCallback | None = None
) -> list[Translation]:
    """Translate, then retry each degenerate output once with repetition constraints.

    A retry's output replaces the first one and is marked `retried`; if it is still
    degenerate, `degeneracy` will say so wherever it is shown.
    """
    outputs = [Translation(g.text, g.score) for g in translator.translate(sentences, on_batch)]
    bad = [
        i
        for i, (source, output) in enumerate(zip(sentences, outputs, strict=True))
        if degeneracy(source, output.text)
    ]
    if bad:
        retried = translator.translate([sentences[i] for i in bad], constrained=True)
        for index, output in zip(bad, retried, strict=True):
            outputs[index] = Translation(output.text, output.score, retried=True)
    return outputs


class TranslationStage:
    """The translation stage: its results are keyed by the engine that runs, the decoding
    settings and the sentence, and stored with their score and retry flag."""

    name = TRANSLATION

    def __init__(
        self, engine: ModelEngine, translator: Seq2SeqTranslator, on_batch: BatchCallback | None = None
    ) -> None:
        self.engine = engine
        self.translator = translator
        self.on_batch = on_batch  # hears how many sentences each batch finished

    @property
    def commit_every(self) -> int:
        """Results are stored after every batch."""
        return self.translator.batching().max_items

    def key(self, item: str) -> str:
        """Engine identity, decoding settings and the sentence."""
        return cache_key(asdict(self.engine.identity), self.translator.settings(), item)

    def encode(self, value: Translation) -> str:
        """JSON of the text, score and retry flag."""
        return json.dumps({"text": value.text, "score": value.score, "retried": value.retried})

    def decode(self, stored: str) -> Translation:
        """A translation from its JSON."""
        fields = json.loads(stored)
        return Translation(fields["text"], fields["score"], fields["retried"])

    def prepare(self) -> None:
        """Load the engine: if it falls back, its identity, and so the keys, change."""
        self.engine.load()

    def compute(self, items: list[str]) -> list[Translation]:
        """Translate, retrying runaway outputs once."""
        return translate_with_retry(self.translator, items, self.on_batch)


def degeneracy(source: str, translation: str) -> str | None:
    """Why a translation looks degenerate (empty, far too long, repetitive), or None if it looks fine."""
    if not translation.strip():
        return "empty translation" if any(ch.isalnum() for ch in source) else None
    if len(translation) > 3 * len(source) + 20:
        return "translation far longer than its source"
    words = translation.split()
    for size in (1, 2, 3, 4):
        needed = 4 if size == 1 else 3  # "very very" is English; four in a row is not
        if _longest_repeat(words, size) >= needed:
            return "repeated words"
    if len(words) >= 12 and len(set(words)) < 0.3 * len(words):
        return "repetitive translation"
    if _STUTTER.search(translation):
        return "repeated characters"
    return None


def _longest_repeat(words: list[str], size: int) -> int:
    """The most times any `size`-word sequence repeats back to back."""
    longest = 1
    for start in range(len(words) - size):
        count, position = 1, start + size
        while words[position : position + size] == words[start : start + size]:
            count += 1
            position += size
        longest = max(longest, count)
    return longest
