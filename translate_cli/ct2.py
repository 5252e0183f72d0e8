"""The CTranslate2 backend: int8 inference on CPU, int8/float16 on CUDA.

A checkpoint is converted on first use into a model store inside the cache folder, keyed by the
source model's identity, and reused from then on. A file lock makes sure that two runs starting
together convert it once. Tokenization stays with the checkpoint's own transformers tokenizer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from .data import EngineIdentity, ModelInfo
from .engines import BatchCallback, Generation, resolve_device
from .errors import ModelUnavailable
from .seq2seq import (
    TransformersGenerator,
    generation_defaults,
    length_sorted_batches,
    max_output_tokens,
)

#: Weights are stored as int8; CUDA runs them as int8 with float16 activations.
STORED_QUANTIZATION = "int8"
COMPUTE_TYPES = {"cpu": "int8", "cuda": "int8_float16"}


def store_path(store: Path, fingerprint: str) -> Path:
    """Where the converted copy of the model with this fingerprint lives in `store`."""
    key = hashlib.sha256(fingerprint.encode()).hexdigest()[:20]
    return store / f"{key}-{STORED_QUANTIZATION}"


def converted_model(info: ModelInfo, store: Path, fingerprint: str) -> Path:
    """The CTranslate2 conversion of a checkpoint in `store`, converting it once if needed."""
    target = store_path(store, fingerprint)
    if (target / "model.bin").is_file():
        return target
    from filelock import FileLock

    store.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / "model.bin").is_file():  # another run converted it while we waited
            return target
        from ctranslate2.converters import TransformersConverter

        scratch = Path(tempfile.mkdtemp(prefix=".converting-", dir=store))
        try:
            TransformersConverter(str(info.path), low_cpu_mem_usage=True).convert(
                str(scratch), quantization=STORED_QUANTIZATION, force=True
            )
            os.replace(scratch, target)
        except Exception as error:  # the converter raises many types for unsupported models
            raise ModelUnavailable(f"{info.describe()}: CTranslate2 cannot convert it ({error})") from None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def ct2_identity(device: str, fingerprint: str) -> EngineIdentity:
    """The identity of a CTranslate2 engine on `device`."""
    return EngineIdentity("ctranslate2", COMPUTE_TYPES[device], device, fingerprint)


class CTranslate2Generator:
    """A checkpoint converted to CTranslate2, with its transformers tokenizer."""

    backend = "ctranslate2"

    def __init__(self, info: ModelInfo, store: Path, fingerprint: str, device: str = "auto") -> None:
        self.info = info
        self.store = store
        self.fingerprint = fingerprint
        self.requested_device = device
        self._tokens = TransformersGenerator(info, device)  # tokenizer only; its model never loads

    @cached_property
    def device(self) -> str:
        """The device CTranslate2 runs on."""
        return resolve_device(self.requested_device)

    @property
    def identity(self) -> EngineIdentity:
        """CTranslate2, its compute type and device, and the model."""
        return ct2_identity(self.device, self.fingerprint)

    def loaded(self) -> CTranslate2Generator:
        """This generator with its model converted and loaded, or ModelUnavailable."""
        self.translator  # noqa: B018 - converts and loads, or raises
        return self

    @cached_property
    def translator(self) -> Any:
        """The CTranslate2 model, converted on first use; threads set to the machine's cores."""
        try:
            import ctranslate2
        except ImportError as error:
            raise ModelUnavailable(f"CTranslate2 is not installed ({error})") from None
        path = converted_model(self.info, self.store, self.fingerprint)
        device = self.device
        try:
            return ctranslate2.Translator(
                str(path),
                device=device,
                compute_type=COMPUTE_TYPES[device],
                intra_threads=(os.cpu_count() or 0) if device == "cpu" else 0,
            )
        except Exception as error:  # bad files or an unsupported device come as RuntimeError/ValueError
            raise ModelUnavailable(f"{self.info.describe()}: CTranslate2 cannot load it ({error})") from None

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`, special tokens included."""
        return self._tokens.count_tokens(text)

    def generation_defaults(self) -> dict[str, Any]:
        """The checkpoint's own generation settings."""
        return generation_defaults(self.info)

    def close(self) -> None:
        """Free the model's memory; it loads again if used again."""
        translator = self.__dict__.pop("translator", None)
        if translator is not None:
            translator.unload_model()

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
        """Generate in length-sorted batches; the cap of a batch is its longest input's cap."""
        tokenizer = self._tokens.tokenizer
        sources = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(list(texts))["input_ids"]]
        options = self._options({**self.generation_defaults(), **settings})
        limit = max_output_tokens(self.info)
        outputs = [Generation("", None)] * len(texts)
        for batch in length_sorted_batches([len(tokens) for tokens in sources], batch_size, batch_tokens):
            batch_options = dict(options)
            if output_cap is not None:
                batch_options["max_decoding_length"] = max(output_cap(len(sources[i])) for i in batch)
            batch_options["max_decoding_length"] = min(batch_options.get("max_decoding_length", limit), limit)
            results = self.translator.translate_batch(
                [sources[i] for i in batch], return_scores=True, **batch_options
            )
            for index, result in zip(batch, results, strict=True):
                ids = tokenizer.convert_tokens_to_ids(result.hypotheses[0])
                text = tokenizer.decode(ids, skip_special_tokens=True).strip()
                outputs[index] = Generation(text, float(result.scores[0]))
            if on_batch is not None:
                on_batch(len(batch))
        return outputs

    @staticmethod
    def _options(settings: dict[str, Any]) -> dict[str, Any]:
        """transformers-style generation settings in CTranslate2's names."""
        options: dict[str, Any] = {"max_input_length": 0}  # never truncate: inputs were split to fit
        names = {
            "num_beams": "beam_size",
            "length_penalty": "length_penalty",
            "no_repeat_ngram_size": "no_repeat_ngram_size",
            "repetition_penalty": "repetition_penalty",
        }
        for name, value in settings.items():
            if name in names and value is not None:
                options[names[name]] = value
        # transformers' min_length and max_length count the decoder start token; CTranslate2's don't.
        if settings.get("min_length"):
            options["min_decoding_length"] = max(0, settings["min_length"] - 1)
        if settings.get("max_length"):
            options["max_decoding_length"] = settings["max_length"] - 1
        if settings.get("max_new_tokens"):  # beats the checkpoint's max_length, as in transformers
            options["max_decoding_length"] = settings["max_new_tokens"]
        options.setdefault("beam_size", 1)
        return options
