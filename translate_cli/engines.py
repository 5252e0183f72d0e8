"""The engines layer: which engine runs a model, what it is called, and what it returns.

A `ModelEngine` is one model behind whichever engine runs it (CTranslate2 or transformers). Its
`identity` is known before anything loads, so a fully cached run loads nothing; once loaded, it
is the identity of the engine that actually runs, and cache keys and reports use that.
Nothing heavy is imported at module import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .data import EngineIdentity, ModelInfo
from .errors import ModelUnavailable, UsageError

BACKENDS = ("auto", "ctranslate2", "transformers")
#: Called with the number of inputs finished after each batch.
BatchCallback = Callable[[int], None]


@dataclass(frozen=True)
class Generation:
    """One generated output."""

    text: str  # the decoded output, stripped
    score: float | None  # length-normalized log-probability of the chosen hypothesis


class Engine(Protocol):
    """A loaded seq2seq model on one backend and device."""

    identity: EngineIdentity  # what runs: backend, compute type, device, model fingerprint

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`, special tokens included."""
        ...

    def generate(
        self,
        texts: Sequence[str],
        *,
        batch_size: int,
        batch_tokens: int | None = None,
        output_cap: Callable[[int], int] | None = None,
        on_batch: BatchCallback | None = None,
        **settings: Any,
    ) -> list[Generation]:
        """One output per input, in length-sorted batches."""
        ...

    def generation_defaults(self) -> dict[str, Any]:
        """The checkpoint's own generation settings (num_beams, max_length, min_length, ...)."""
        ...

    def close(self) -> None:
        """Free the model's memory."""
        ...


def cuda_device_count() -> int:
    """CUDA GPUs visible, asked of CTranslate2 when installed: it does not import torch."""
    try:
        import ctranslate2
    except ImportError:
        import torch

        return torch.cuda.device_count() if torch.cuda.is_available() else 0
    return ctranslate2.get_cuda_device_count()


def resolve_device(device: str) -> str:
    """Map "auto" to "cuda" when a GPU is visible, else "cpu"; reject an unusable choice."""
    if device not in {"auto", "cpu", "cuda"}:
        raise UsageError(f"unknown device {device!r}; use auto, cpu or cuda")
    if device == "cpu":
        return "cpu"
    gpus = cuda_device_count()
    if device == "cuda" and not gpus:
        raise UsageError("--device cuda was asked for, but no CUDA GPU is visible")
    return "cuda" if gpus else "cpu"


class ModelEngine:
    """One model, behind the engine that `backend` picks, chosen and loaded on first use.

    "auto" tries CTranslate2 and falls back to transformers with a note; "ctranslate2" that
    cannot load is ModelUnavailable. The tokenizer is available without loading the model.
    """

    def __init__(self, info: ModelInfo, fingerprint: str, *, backend: str, device: str, store: Path) -> None:
        if backend not in BACKENDS:
            raise UsageError(f"unknown backend {backend!r}; use {', '.join(BACKENDS)}")
        self.info = info
        self.fingerprint = fingerprint
        self.backend = backend
        self.requested_device = device
        self.store = store
        self._engine: Engine | None = None
        self._tokens: Engine | None = None
        #: Notices from choosing the engine, such as a fallback; empty until it is loaded.
        self.notes: tuple[str, ...] = ()

    @property
    def identity(self) -> EngineIdentity:
        """The engine that runs the model: once loaded, the one that did; before, the planned one."""
        if self._engine is not None:
            return self._engine.identity
        from .ct2 import ct2_identity
        from .seq2seq import transformers_identity

        device = resolve_device(self.requested_device)
        if self.backend == "transformers":
            return transformers_identity(device, self.fingerprint)
        return ct2_identity(device, self.fingerprint)

    def load(self) -> Engine:
        """Choose and load the engine, once."""
        if self._engine is None:
            self._engine, self.notes = load_engine(
                self.info,
                self.fingerprint,
                backend=self.backend,
                device=self.requested_device,
                store=self.store,
            )
        return self._engine

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`; needs only the tokenizer, never the model."""
        if self._tokens is None:
            from .seq2seq import TransformersGenerator

            self._tokens = self._engine or TransformersGenerator(self.info, "cpu", self.fingerprint)
        return self._tokens.count_tokens(text)

    def generate(self, texts: Sequence[str], **options: Any) -> list[Generation]:
        """Generate with the loaded engine; see `Engine.generate`."""
        return self.load().generate(texts, **options)

    def generation_defaults(self) -> dict[str, Any]:
        """The checkpoint's own generation settings, read without loading it."""
        from .seq2seq import generation_defaults

        return generation_defaults(self.info)

    def close(self) -> None:
        """Free the model's memory; the identity of what ran stays known."""
        if self._engine is not None:
            self._engine.close()


def load_engine(
    info: ModelInfo, fingerprint: str, *, backend: str, device: str, store: Path
) -> tuple[Engine, tuple[str, ...]]:
    """The loaded engine for a backend choice, and notes on how it was chosen."""
    from .ct2 import CTranslate2Generator
    from .seq2seq import TransformersGenerator

    if backend == "transformers":
        return TransformersGenerator(info, device, fingerprint).loaded(), ()
    primary = CTranslate2Generator(info, store, fingerprint, device)
    try:
        return primary.loaded(), ()
    except ModelUnavailable as error:
        if backend == "ctranslate2":
            raise
        note = f"{error}; using transformers instead"
        return TransformersGenerator(info, device, fingerprint).loaded(), (note,)
