"""The CTranslate2 engine: int8 inference on the CPU, int8 weights with float16 on CUDA.

A checkpoint is converted on first use into a model store inside the cache folder, keyed by the
source model's identity, and reused from then on. A file lock makes sure that two runs starting
together convert it once. Tokens come from `tokenizer.py`, so this path never imports torch once
the model is converted.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .data import EngineIdentity, ModelInfo
from .engines import CUDA_EXTRA_FIX, DecodeOptions, Generation
from .errors import ModelUnavailable
from .tokenizer import Tokenizer

#: Weights are stored as int8; CUDA runs them as int8 with float16 activations.
STORED_QUANTIZATION = "int8"
COMPUTE_TYPES = {"cpu": "int8", "cuda": "int8_float16"}
#: Conversions are written to a scratch folder named after their target, then renamed.
_SCRATCH_PREFIX = ".converting-"
_TAGGED_SCRATCH = re.compile(rf"{re.escape(_SCRATCH_PREFIX)}[0-9a-f]{{20}}-{STORED_QUANTIZATION}-")


def store_path(store: Path, fingerprint: str) -> Path:
    """Where the converted copy of the model with this fingerprint lives in `store`."""
    key = hashlib.sha256(fingerprint.encode()).hexdigest()[:20]
    return store / f"{key}-{STORED_QUANTIZATION}"


def remove_leftovers(store: Path, name: str) -> None:
    """Remove scratch folders left in `store` by interrupted conversions to `name`.

    The caller holds `name`'s lock, so no conversion to it is under way. Folders of older
    versions, whose names do not say their target, go once they are a day old.
    """
    for folder in store.glob(f"{_SCRATCH_PREFIX}*"):
        ours = folder.name.startswith(f"{_SCRATCH_PREFIX}{name}-")
        untagged = not _TAGGED_SCRATCH.match(folder.name)
        try:
            stale = untagged and time.time() - folder.stat().st_mtime > 86_400
        except OSError:
            continue
        if ours or stale:
            shutil.rmtree(folder, ignore_errors=True)


def converted_model(info: ModelInfo, store: Path, fingerprint: str) -> Path:
    """The CTranslate2 conversion of a checkpoint in `store`, converting it once if needed."""
    target = store_path(store, fingerprint)
    if (target / "model.bin").is_file():
        return target
    from filelock import FileLock

    store.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        remove_leftovers(store, target.name)  # of conversions killed midway; the lock says none runs
        if (target / "model.bin").is_file():  # another run converted it while we waited
            return target
        from ctranslate2.converters import TransformersConverter

        from .tokenizer import quiet_transformers

        quiet_transformers()  # the converter loads the model with transformers: no progress bars
        scratch = Path(tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{target.name}-", dir=store))
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


#: cuBLAS 12 libraries in the nvidia-cublas-cu12 wheel, in the order they must load.
CUBLAS_LIBRARIES = ("libcublasLt.so.12", "libcublas.so.12")


def preload_cublas(search_path: Sequence[str] | None = None) -> Path | None:
    """Load cuBLAS 12 from the nvidia-cublas-cu12 wheel (`translate-cli[cuda]`), if installed.

    CTranslate2 4.x opens libcublas.so.12 at its first CUDA batch; a library already loaded
    under that name is found, whatever CUDA the machine has. Returns the folder it came from.
    """
    for entry in search_path if search_path is not None else sys.path:
        folder = Path(entry or ".") / "nvidia" / "cublas" / "lib"
        if all((folder / name).is_file() for name in CUBLAS_LIBRARIES):
            try:
                for name in CUBLAS_LIBRARIES:
                    ctypes.CDLL(str(folder / name), mode=ctypes.RTLD_GLOBAL)
            except OSError:
                continue
            return folder
    return None


class CTranslate2Engine:
    """A checkpoint converted to CTranslate2, on one device, with a torch-free tokenizer."""

    def __init__(
        self, info: ModelInfo, store: Path, fingerprint: str, device: str, tokenizer: Tokenizer
    ) -> None:
        self.info = info
        self.store = store  # the folder of conversions
        self.device = device  # "cpu" or "cuda", already resolved
        self.tokenizer = tokenizer
        self.identity = ct2_identity(device, fingerprint)
        self._translator: Any = None

    def loaded(self) -> CTranslate2Engine:
        """This engine, converted, loaded and probed, or ModelUnavailable naming cause and fix."""
        try:
            import ctranslate2
        except ImportError as error:
            raise ModelUnavailable(
                f"CTranslate2 is not installed ({error}); pip install ctranslate2"
            ) from None
        path = converted_model(self.info, self.store, self.identity.model)
        if self.device == "cuda":
            preload_cublas()
        try:
            self._translator = ctranslate2.Translator(
                str(path),
                device=self.device,
                compute_type=self.identity.compute_type,
                intra_threads=(os.cpu_count() or 0) if self.device == "cpu" else 0,
            )
        except Exception as error:  # bad files or an unsupported device come as RuntimeError/ValueError
            raise ModelUnavailable(
                f"{self.info.describe()}: CTranslate2 cannot load it ({error}); "
                f"delete {path} to convert it again"
            ) from None
        self.probe()
        return self

    def probe(self) -> None:
        """Generate one token, so that a device that cannot run fails now, not at the first batch.

        CTranslate2 loads cuBLAS only here: on a machine without cuBLAS 12 this is where it fails.
        """
        try:
            self._translator.translate_batch(
                self.tokenizer.tokenize(["a"]), beam_size=1, max_decoding_length=1, max_input_length=0
            )
        except Exception as error:  # CUDA library and device errors come as RuntimeError
            where = "the GPU" if self.device == "cuda" else "the CPU"
            fix = f"; to fix it: {CUDA_EXTRA_FIX}" if "libcublas" in str(error) else ""
            self.close()
            raise ModelUnavailable(
                f"{self.info.describe()}: CTranslate2 cannot run on {where} ({error}){fix}"
            ) from None

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's tokens, as CTranslate2 takes them."""
        return self.tokenizer.tokenize(texts)

    def generate_batch(
        self, inputs: list[list[str]], options: DecodeOptions, caps: list[int]
    ) -> list[Generation]:
        """One batch; CTranslate2 takes one length cap per batch, the longest input's."""
        results = self._translator.translate_batch(
            inputs,
            beam_size=options.beams,
            length_penalty=options.length_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            repetition_penalty=options.repetition_penalty,
            min_decoding_length=max(1, options.min_new_tokens),  # CTranslate2 never ends before one token
            max_decoding_length=max(caps),
            max_input_length=0,  # never truncate: inputs were split to fit
            return_scores=True,
        )
        return [
            Generation(self.tokenizer.detokenize(result.hypotheses[0]), float(result.scores[0]))
            for result in results
        ]

    def close(self) -> None:
        """Free the model's memory."""
        translator, self._translator = self._translator, None
        if translator is not None:
            translator.unload_model()
