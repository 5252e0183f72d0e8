"""The translation stage: one interface, and a transformers backend behind it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .seq2seq import BatchCallback, Seq2SeqModel

#: Output tokens allowed per input token, plus a constant, so degenerate output stops early.
OUTPUT_TOKENS_PER_INPUT_TOKEN = 2
OUTPUT_TOKENS_EXTRA = 10


def output_cap(input_tokens: int) -> int:
    """The most tokens a translation of `input_tokens` tokens may have."""
    return OUTPUT_TOKENS_PER_INPUT_TOKEN * input_tokens + OUTPUT_TOKENS_EXTRA


class Translator(Protocol):
    """Turns a list of source sentences into their translations, one for one."""

    def translate(self, sentences: Sequence[str], on_batch: BatchCallback | None = None) -> list[str]:
        """Translate each sentence; the result has the same length and order."""
        ...

    def settings(self) -> dict[str, Any]:
        """The decoding settings that change outputs, for cache keys."""
        ...


class TransformersTranslator:
    """A MarianMT (or other seq2seq) translator run through transformers `generate`."""

    def __init__(self, model: Seq2SeqModel, *, beams: int | None = None, batch_size: int = 16) -> None:
        self.model = model
        self.beams = beams
        self.batch_size = batch_size

    def translate(self, sentences: Sequence[str], on_batch: BatchCallback | None = None) -> list[str]:
        """Translate sentences in length-sorted batches, each output capped by its input length."""
        if not sentences:
            return []
        overrides = {} if self.beams is None else {"num_beams": self.beams}
        return self.model.generate(
            sentences,
            batch_size=self.batch_size,
            output_cap=output_cap,
            on_batch=on_batch,
            **overrides,
        )

    def settings(self) -> dict[str, Any]:
        """Beam override and length-cap rule; the model's own config is part of its identity."""
        return {
            "beams": self.beams,
            "cap": [OUTPUT_TOKENS_PER_INPUT_TOKEN, OUTPUT_TOKENS_EXTRA],
        }
