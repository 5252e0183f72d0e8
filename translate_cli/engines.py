"""The engines layer: one interface for CTranslate2 and transformers, and the choice between them.

An engine tokenizes, and generates a batch with typed decoding options, returning each output's
text and score. The length-sorted batching loop (`generate`) is written once, here, for both.

A `ModelEngine` is one model behind whichever engine runs it. Its `identity` is known before
anything loads, so a fully cached run loads nothing; once loaded, it is the identity of the
engine that actually runs, and cache keys and reports use that. `auto` is decided when the
engine loads, by a probe: a one-token generation on the chosen device. The engine that ran is
remembered in the model store, so that the next run plans on it: on a GPU where CTranslate2
cannot run, a fully cached run still loads and imports nothing.
Nothing heavy is imported at module import.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from .data import EngineIdentity, ModelInfo
from .errors import ModelUnavailable, UsageError
from .hub import read_config
from .settings import BACKENDS, DEVICES

#: Called with the number of inputs finished after each batch.
BatchCallback = Callable[[int], None]
#: What to install so that CTranslate2 finds cuBLAS 12 on any CUDA 12 or 13 machine.
CUDA_EXTRA_FIX = 'pip install "translate-cli[cuda]"'

# Device-sized batches. On the CPU, per core: today's measured sweet spot on 2 cores was 16
# sentences and 1,024 padded tokens a batch. On CUDA, at most 256 sentences (the best measured on
# an H100) and 16,384 tokens, and never more than a share of free GPU memory.
_CPU_ITEMS_PER_CORE = 8
_CPU_TOKENS_PER_CORE = 512
_CUDA_MAX_ITEMS = 256
_CUDA_MAX_TOKENS = 16_384
_CUDA_MEMORY_SHARE = 0.5
_CUDA_FREE_BYTES_UNKNOWN = 4 << 30
# Generation settings that checkpoints keep in generation_config.json, or in older ones, config.json.
_GENERATION_KEYS = (
    "num_beams",
    "max_length",
    "min_length",
    "no_repeat_ngram_size",
    "length_penalty",
    "repetition_penalty",
)


@dataclass(frozen=True)
class Generation:
    """One generated output."""

    text: str  # the decoded output, stripped
    score: float | None  # length-normalized log-probability of the chosen hypothesis


@dataclass(frozen=True)
class DecodeOptions:
    """How to decode: the same meaning on every engine. Lengths count generated tokens, the
    decoder start token excluded."""

    beams: int = 1  # beam size; 1 is greedy search
    max_new_tokens: int = 256  # most tokens an output may have
    min_new_tokens: int = 0  # fewest tokens before the end of sequence may come
    length_penalty: float = 1.0  # exponent of the length that beam scores are divided by
    no_repeat_ngram_size: int = 0  # forbid repeating any n-gram of this size; 0 allows all
    repetition_penalty: float = 1.0  # above 1, tokens already generated are less likely
    # When set, (a, b): an input of n tokens may have at most a * n + b output tokens, so one
    # runaway output stops early.
    length_cap: tuple[int, int] | None = None

    def cap(self, input_tokens: int) -> int:
        """The most tokens the output of an input of `input_tokens` tokens may have."""
        if self.length_cap is None:
            return self.max_new_tokens
        per_token, extra = self.length_cap
        return max(1, min(self.max_new_tokens, per_token * input_tokens + extra))

    @classmethod
    def for_checkpoint(cls, info: ModelInfo, beams: int | None = None) -> DecodeOptions:
        """The checkpoint's own generation settings; `beams` overrides its beam size."""
        config = checkpoint_generation_config(info)
        return cls(
            beams=beams or int(config.get("num_beams") or 1),
            max_new_tokens=max_output_tokens(info),
            min_new_tokens=max(0, int(config.get("min_length") or 0) - 1),
            length_penalty=float(config.get("length_penalty") or 1.0),
            no_repeat_ngram_size=int(config.get("no_repeat_ngram_size") or 0),
            repetition_penalty=float(config.get("repetition_penalty") or 1.0),
        )


@dataclass(frozen=True)
class Batching:
    """How many inputs go into one batch."""

    max_items: int  # most inputs
    max_tokens: int  # most padded input tokens: a batch of long inputs holds fewer of them


class Engine(Protocol):
    """A loaded seq2seq model on one backend and device."""

    #: What runs: backend, compute type, device and model fingerprint.
    identity: EngineIdentity

    def encode(self, texts: Sequence[str]) -> list[list[Any]]:
        """Each text as the engine's input tokens (strings or ids), special tokens included."""
        ...

    def generate_batch(
        self, inputs: list[list[Any]], options: DecodeOptions, caps: list[int]
    ) -> list[Generation]:
        """One output per input of a batch; `caps` are the most tokens each output may have."""
        ...

    def close(self) -> None:
        """Free the model's memory."""
        ...


def generate(
    engine: Engine,
    texts: Sequence[str],
    options: DecodeOptions,
    batching: Batching,
    on_batch: BatchCallback | None = None,
) -> list[Generation]:
    """One output per text, generated in batches of similar token length, longest first."""
    inputs = engine.encode(texts)
    lengths = [len(tokens) for tokens in inputs]
    outputs: list[Generation] = [Generation("", None)] * len(texts)
    for batch in length_sorted_batches(lengths, batching.max_items, batching.max_tokens):
        caps = [options.cap(lengths[i]) for i in batch]
        for index, output in zip(
            batch, engine.generate_batch([inputs[i] for i in batch], options, caps), strict=True
        ):
            outputs[index] = output
        if on_batch is not None:
            on_batch(len(batch))
    return outputs


def length_sorted_batches(lengths: Sequence[int], max_items: int, max_tokens: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length, longest first, each within both limits."""
    batch: list[int] = []
    for index in sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True):
        longest = lengths[batch[0]] if batch else lengths[index]
        if batch and (len(batch) == max_items or (len(batch) + 1) * longest > max_tokens):
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


def checkpoint_generation_config(info: ModelInfo) -> dict[str, Any]:
    """A checkpoint's generation settings, read from its config files without loading it."""
    config = read_config(info)
    defaults = {key: config[key] for key in _GENERATION_KEYS if config.get(key) is not None}
    generation = read_config(info, "generation_config.json")
    defaults.update({key: generation[key] for key in _GENERATION_KEYS if generation.get(key) is not None})
    return defaults


def max_output_tokens(info: ModelInfo) -> int:
    """The most tokens a checkpoint's decoder can produce: its position limit or its own
    max_length, less the decoder start token."""
    limits = [
        value
        for value in (
            read_config(info).get("max_position_embeddings"),
            checkpoint_generation_config(info).get("max_length"),
        )
        if isinstance(value, int) and value > 1
    ]
    return min(limits, default=512) - 1


# --- devices and batch sizes ---------------------------------------------------------------------

#: Where NVIDIA's driver lists the machine's GPUs, one folder each; and where it makes /dev/nvidia0...
NVIDIA_GPUS = Path("/proc/driver/nvidia/gpus")
DEVICE_FILES = Path("/dev")


def gpu_looks_visible() -> bool:
    """Whether a CUDA GPU looks visible, judged from the driver's files without importing
    CTranslate2 or torch; CUDA_VISIBLE_DEVICES="" or "-1" hides every GPU, as it does for CUDA.

    Only plans with this (which engine a cached run's results were made by); loading asks CUDA.
    """
    hidden = os.environ.get("CUDA_VISIBLE_DEVICES")
    if hidden is not None:
        first = hidden.split(",")[0].strip()
        if not first or first.startswith("-"):  # CUDA stops at the first invalid entry
            return False
    try:
        if any(NVIDIA_GPUS.iterdir()):
            return True
    except OSError:  # no NVIDIA driver, or /proc is not Linux's
        pass
    try:
        return any(name.name[len("nvidia") :].isdigit() for name in DEVICE_FILES.glob("nvidia*"))
    except OSError:
        return False


def cuda_device_count() -> int:
    """CUDA GPUs visible, asked of CTranslate2 when installed: it does not import torch."""
    try:
        import ctranslate2
    except ImportError:
        import torch

        return torch.cuda.device_count() if torch.cuda.is_available() else 0
    return ctranslate2.get_cuda_device_count()


def check_device(device: str) -> str:
    """`device` if it is one of auto, cpu and cuda, else a UsageError."""
    if device not in DEVICES:
        raise UsageError(f"unknown device {device!r}; use auto, cpu or cuda")
    return device


def resolve_device(device: str) -> str:
    """Map "auto" to "cuda" when CUDA sees a GPU, else "cpu"; reject an unusable choice.

    Asks CUDA (through CTranslate2 or torch), so only when a model is about to load.
    """
    if check_device(device) == "cpu":
        return "cpu"
    gpus = cuda_device_count()
    if device == "cuda" and not gpus:
        raise UsageError("--device cuda was asked for, but no CUDA GPU is visible")
    return "cuda" if gpus else "cpu"


def planned_device(device: str) -> str:
    """Where a model asked to run on `device` is expected to run, without asking CUDA: "auto"
    is "cuda" when a GPU looks visible."""
    if check_device(device) == "auto":
        return "cuda" if gpu_looks_visible() else "cpu"
    return device


def cpu_batching(cores: int | None = None) -> Batching:
    """Batches for the CPU, sized by its core count."""
    cores = max(1, cores or os.cpu_count() or 1)
    return Batching(_CPU_ITEMS_PER_CORE * cores, _CPU_TOKENS_PER_CORE * cores)


def cuda_batching(free_bytes: int, info: ModelInfo, beams: int) -> Batching:
    """Batches for a GPU with `free_bytes` of free memory once the model is loaded, and a model
    of `info`'s shape.

    Per padded input token, beam search keeps each beam's keys and values in every decoder
    layer, for the input (cross-attention) and for the output (up to twice as long), in 16 bits;
    and the vocabulary's scores of each beam, in 32 bits, counted as if each input were one token
    long to stay on the safe side.
    """
    config = read_config(info)
    layers = int(
        config.get("decoder_layers") or config.get("num_decoder_layers") or config.get("num_layers") or 6
    )
    width = int(config.get("d_model") or config.get("hidden_size") or 1024)
    vocab = int(config.get("vocab_size") or 50_000)
    per_token = max(1, beams) * (2 * 2 * layers * width * 3 + 4 * vocab)
    budget = free_bytes * _CUDA_MEMORY_SHARE
    tokens = int(min(_CUDA_MAX_TOKENS, max(512, budget // per_token)))
    return Batching(_CUDA_MAX_ITEMS, tokens)


def cuda_free_bytes() -> int:
    """Free memory of the first GPU: from torch when it is already loaded, else nvidia-smi."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        return int(torch.cuda.mem_get_info()[0])
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            found = subprocess.run(
                [smi, "--query-gpu=memory.free", "--format=csv,noheader,nounits", "-i", "0"],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            )
            return int(found.stdout.split()[0]) << 20
        except (OSError, subprocess.SubprocessError, ValueError, IndexError):
            pass
    return _CUDA_FREE_BYTES_UNKNOWN


# --- choosing and loading an engine --------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An engine that may be tried, in order, until one runs."""

    label: str  # for notes, e.g. "transformers on the GPU"
    load: Callable[[], Engine]  # loads and probes it, or raises ModelUnavailable


def first_that_runs(candidates: Sequence[Candidate]) -> tuple[Engine, tuple[str, ...]]:
    """The first candidate that loads and passes its probe, and a note for each one passed over.

    Raises the last candidate's ModelUnavailable when none runs.
    """
    notes: list[str] = []
    for number, candidate in enumerate(candidates):
        try:
            return candidate.load(), tuple(notes)
        except ModelUnavailable as error:
            if number == len(candidates) - 1:
                raise
            notes.append(f"{error}; using {candidates[number + 1].label} instead")
    raise ModelUnavailable("no engine to try")


def candidates_for(
    info: ModelInfo,
    fingerprint: str,
    *,
    backend: str,
    device: str,
    store: Path,
    tokenizer: Callable[[], Any],
) -> list[Candidate]:
    """The engines to try, in order, for a backend and a resolved device.

    auto on CUDA: CTranslate2 on the GPU, then transformers on the GPU, then CTranslate2 on the
    CPU. auto on the CPU: CTranslate2, then transformers.
    """
    from .ct2 import CTranslate2Engine
    from .seq2seq import TransformersEngine

    where = {"cuda": "the GPU", "cpu": "the CPU"}

    def ct2(on: str) -> Candidate:
        return Candidate(
            f"CTranslate2 on {where[on]}",
            lambda: CTranslate2Engine(info, store, fingerprint, on, tokenizer()).loaded(),
        )

    def transformers(on: str) -> Candidate:
        return Candidate(
            f"transformers on {where[on]}", lambda: TransformersEngine(info, on, fingerprint).loaded()
        )

    if backend == "transformers":
        return [transformers(device)]
    if backend == "ctranslate2":
        return [ct2(device)]
    if device == "cuda":
        return [ct2("cuda"), transformers("cuda"), ct2("cpu")]
    return [ct2("cpu"), transformers("cpu")]


#: Files in the model store that remember which engine ran a model for a request.
DECISION_SUFFIX = ".engine.json"


def decision_path(store: Path, fingerprint: str, backend: str, device: str) -> Path:
    """Where the store remembers the engine that ran the model with this fingerprint when
    `backend` and `device` were asked for, on a machine where `device` plans as it does here."""
    request = "\n".join((fingerprint, backend, device, planned_device(device)))
    return store / f"{hashlib.sha256(request.encode()).hexdigest()[:20]}{DECISION_SUFFIX}"


def remembered_engine(path: Path, fingerprint: str) -> EngineIdentity | None:
    """The engine a decision file names, or None when there is none or it is not one."""
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        identity = EngineIdentity(
            **{key: fields[key] for key in ("backend", "compute_type", "device", "model")}
        )
    except (OSError, ValueError, TypeError, KeyError):  # absent, unreadable or damaged: plan afresh
        return None
    if (
        identity.model != fingerprint
        or identity.backend not in BACKENDS[1:]
        or identity.device not in DEVICES[1:]
        or not isinstance(identity.compute_type, str)
    ):
        return None
    return identity


def remember_engine(path: Path, identity: EngineIdentity) -> None:
    """Write the decision file, atomically; a store that cannot be written only costs the plan."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(prefix=".decision-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(asdict(identity), file)
            os.replace(scratch, path)
        finally:
            Path(scratch).unlink(missing_ok=True)
    except OSError:  # read-only or full: the next run plans afresh, and loads if it must
        pass


class ModelEngine:
    """One model, behind the engine that `backend` picks, chosen and loaded on first use.

    "auto" tries the candidates of `candidates_for` in order, with a note for each fallback;
    "ctranslate2" or "transformers" that cannot run is ModelUnavailable. The tokenizer works
    without loading the model, and without torch for the checkpoints `tokenizer.py` reads.

    Before it loads, `identity` is the engine that ran this model for the same request last time
    (remembered in the store), else the first candidate on the planned device; planning imports
    no engine, so a fully cached run loads nothing.
    """

    def __init__(self, info: ModelInfo, fingerprint: str, *, backend: str, device: str, store: Path) -> None:
        if backend not in BACKENDS:
            raise UsageError(f"unknown backend {backend!r}; use {', '.join(BACKENDS)}")
        self.info = info
        self.fingerprint = fingerprint  # the model's identity
        self.backend = backend  # as asked for: "auto", "ctranslate2" or "transformers"
        self.requested_device = check_device(device)  # as asked for: "auto", "cpu" or "cuda"
        self.store = store  # the folder of CTranslate2 conversions and of remembered engines
        self._engine: Engine | None = None
        self._ran: EngineIdentity | None = None
        self._batching: dict[int, Batching] = {}  # per beam size, once loaded
        #: Notices from choosing the engine, such as a fallback; empty until it is loaded.
        self.notes: tuple[str, ...] = ()

    @cached_property
    def device(self) -> str:
        """The device asked for, resolved by CUDA: "cpu" or "cuda". Asked only to load."""
        return resolve_device(self.requested_device)

    @property
    def identity(self) -> EngineIdentity:
        """The engine that runs the model: once loaded, the one that did; before, the planned one."""
        return self._ran if self._ran is not None else self._planned

    @cached_property
    def _decision(self) -> Path:
        return decision_path(self.store, self.fingerprint, self.backend, self.requested_device)

    @cached_property
    def _planned(self) -> EngineIdentity:
        """The engine that ran last time for this request, else the first candidate, on the
        planned device; without importing any engine."""
        remembered = remembered_engine(self._decision, self.fingerprint)
        if (
            remembered is not None
            and self.backend in ("auto", remembered.backend)
            and self.requested_device in ("auto", "cuda", remembered.device)  # the CPU is asked for as such
        ):
            return remembered
        return self._first_choice()

    def _first_choice(self) -> EngineIdentity:
        """The first candidate's identity on the planned device."""
        device = planned_device(self.requested_device)
        if self.backend == "transformers":
            from .seq2seq import transformers_identity

            return transformers_identity(device, self.fingerprint)
        from .ct2 import ct2_identity

        return ct2_identity(device, self.fingerprint)

    @cached_property
    def tokenizer(self) -> Any:
        """The checkpoint's tokenizer, read without transformers where possible."""
        from .tokenizer import load_tokenizer

        return load_tokenizer(self.info)

    def load(self) -> Engine:
        """Choose, load and probe the engine, once; remember which one runs."""
        if self._engine is None:
            candidates = candidates_for(
                self.info,
                self.fingerprint,
                backend=self.backend,
                device=self.device,
                store=self.store,
                tokenizer=lambda: self.tokenizer,
            )
            self._engine, self.notes = first_that_runs(candidates)
            self._ran = self._engine.identity
            self._remember()
        return self._engine

    def _remember(self) -> None:
        """Remember the engine that ran when it is not the first choice; forget an old one when it is."""
        remembered = remembered_engine(self._decision, self.fingerprint)
        if self._ran == self._first_choice():  # the plan is right without a file: none is kept
            if remembered is not None:
                # A read-only store keeps it: the next run plans the old engine, misses, and loads.
                with suppress(OSError):
                    self._decision.unlink(missing_ok=True)
        elif self._ran != remembered:
            remember_engine(self._decision, self._ran)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`; needs only the tokenizer, never the model."""
        return len(self.tokenizer.tokenize([text])[0])

    def batching(self, beams: int, max_items: int | None = None) -> Batching:
        """Batches sized to the device the engine runs on, measured once it is loaded;
        `max_items` caps inputs per batch."""
        sized = self._batching.get(beams)
        if sized is None:
            if self.identity.device == "cuda":
                sized = cuda_batching(cuda_free_bytes(), self.info, beams)
            else:
                sized = cpu_batching()
            if self._ran is not None:  # measured on the engine that runs: keep it
                self._batching[beams] = sized
        return sized if max_items is None else replace(sized, max_items=max_items)

    def generate(
        self,
        texts: Sequence[str],
        options: DecodeOptions,
        batching: Batching,
        on_batch: BatchCallback | None = None,
    ) -> list[Generation]:
        """Generate with the loaded engine; see `generate`."""
        if not texts:
            return []
        return generate(self.load(), texts, options, batching, on_batch)

    def close(self) -> None:
        """Free the model's memory; the identity of what ran stays known."""
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()
