"""The translation stage: one interface, a transformers backend, and a guard against runaway output."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from .seq2seq import BatchCallback, TextGenerator

#: Padded tokens a batch may hold for each sentence of --batch-size: a batch of long sentences
#: holds fewer of them, which keeps memory flat.
TOKENS_PER_BATCH_ITEM = 64
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


class Translator(Protocol):
    """Turns a list of source sentences into their translations, one for one."""

    def translate(
        self,
        sentences: Sequence[str],
        on_batch: BatchCallback | None = None,
        *,
        constrained: bool = False,
    ) -> list[str]:
        """Translate each sentence; `constrained` forbids repetition, for a retry."""
        ...

    def settings(self) -> dict[str, Any]:
        """The decoding settings that change outputs, for cache keys."""
        ...


class Seq2SeqTranslator:
    """A MarianMT (or other seq2seq) translator on any text generator backend."""

    def __init__(self, model: TextGenerator, *, beams: int | None = None, batch_size: int = 16) -> None:
        self.model = model
        self.beams = beams
        self.batch_size = batch_size

    def translate(
        self,
        sentences: Sequence[str],
        on_batch: BatchCallback | None = None,
        *,
        constrained: bool = False,
    ) -> list[str]:
        """Translate sentences in length-sorted batches, each output capped by its input length."""
        if not sentences:
            return []
        overrides: dict[str, Any] = {} if self.beams is None else {"num_beams": self.beams}
        if constrained:
            overrides.update(RETRY_SETTINGS)
        return self.model.generate(
            sentences,
            batch_size=self.batch_size,
            batch_tokens=self.batch_size * TOKENS_PER_BATCH_ITEM,
            output_cap=output_cap,
            on_batch=on_batch,
            **overrides,
        )

    def settings(self) -> dict[str, Any]:
        """Beam override and length-cap rule; the model's own config is part of its identity."""
        return {
            "beams": self.beams,
            "cap": [OUTPUT_TOKENS_PER_INPUT_TOKEN, OUTPUT_TOKENS_EXTRA],
            "retry": RETRY_SETTINGS,
        }


def translate_with_retry(
    translator: Translator, sentences: Sequence[str], on_batch: BatchCallback | None = None
) -> list[str]:
    """Translate, then retry each degenerate output once with repetition constraints.

    A retry's output replaces the first one; if it is still degenerate, `degeneracy` will say
    so wherever it is shown.
    """
    outputs = translator.translate(sentences, on_batch)
    bad = [
        i
        for i, (source, output) in enumerate(zip(sentences, outputs, strict=True))
        if degeneracy(source, output)
    ]
    if bad:
        retried = translator.translate([sentences[i] for i in bad], constrained=True)
        for index, output in zip(bad, retried, strict=True):
            outputs[index] = output
    return outputs


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
