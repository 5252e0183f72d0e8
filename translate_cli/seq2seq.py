"""Text generators: the backends that run a seq2seq checkpoint, behind one small interface.

This module holds the interface and the transformers backend; `ct2.py` holds CTranslate2.
torch and transformers are imported only inside functions, never at module import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import Any

from .data import EngineIdentity, ModelInfo
from .engines import BatchCallback, Generation, resolve_device
from .errors import ModelUnavailable
from .hub import read_config

# Logits held at once while rescoring outputs: bounds the memory of the score pass.
_RESCORE_LOGITS = 1 << 25
# Generation settings that checkpoints keep in generation_config.json, or in older ones, config.json.
_GENERATION_KEYS = (
    "num_beams",
    "max_length",
    "min_length",
    "no_repeat_ngram_size",
    "length_penalty",
    "repetition_penalty",
    "early_stopping",
)


def generation_defaults(info: ModelInfo) -> dict[str, Any]:
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
            generation_defaults(info).get("max_length"),
        )
        if isinstance(value, int) and value > 1
    ]
    return min(limits, default=512) - 1


def length_sorted_batches(
    lengths: Sequence[int], max_items: int, max_tokens: int | None = None
) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length, longest first.

    A batch holds at most `max_items` inputs and, when given, at most `max_tokens` padded
    tokens, so that a batch of long inputs holds fewer of them.
    """
    batch: list[int] = []
    for index in sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True):
        longest = lengths[batch[0]] if batch else lengths[index]
        too_long = max_tokens is not None and (len(batch) + 1) * longest > max_tokens
        if batch and (len(batch) == max_items or too_long):
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


def transformers_identity(device: str, fingerprint: str) -> EngineIdentity:
    """The identity of a transformers engine: float16 on CUDA, float32 on the CPU."""
    return EngineIdentity("transformers", "float16" if device == "cuda" else "float32", device, fingerprint)


def _quiet_transformers() -> None:
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


class TransformersGenerator:
    """A tokenizer and, loaded on first use, a transformers encoder-decoder model on one device."""

    backend = "transformers"

    def __init__(self, info: ModelInfo, device: str = "auto", fingerprint: str = "") -> None:
        self.info = info
        self.requested_device = device
        self.fingerprint = fingerprint  # the model's identity in cache keys

    @property
    def identity(self) -> EngineIdentity:
        """transformers, its dtype and device, and the model."""
        return transformers_identity(self.device, self.fingerprint)

    def loaded(self) -> TransformersGenerator:
        """This generator with its model loaded: ModelUnavailable now rather than at first use."""
        self.model  # noqa: B018 - loads, or raises
        return self

    @cached_property
    def tokenizer(self) -> Any:
        """The model's tokenizer, loaded without the weights."""
        _quiet_transformers()
        from transformers import AutoTokenizer

        try:
            return AutoTokenizer.from_pretrained(self.info.path, trust_remote_code=False)
        except Exception as error:  # tokenizer classes raise many types for broken files
            raise ModelUnavailable(f"{self.info.describe()}: cannot load tokenizer ({error})") from None

    @cached_property
    def device(self) -> str:
        """The torch device generation runs on."""
        return resolve_device(self.requested_device)

    @cached_property
    def model(self) -> Any:
        """The model in eval mode on `device`; float16 on CUDA."""
        _quiet_transformers()
        import torch
        from transformers import AutoModelForSeq2SeqLM

        dtype = torch.float16 if self.device == "cuda" else torch.float32
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(
                self.info.path, trust_remote_code=False, dtype=dtype
            )
        except Exception as error:  # corrupt weights, unknown architecture, out of memory
            raise ModelUnavailable(f"{self.info.describe()}: cannot load model ({error})") from None
        return model.to(self.device).eval()

    @cached_property
    def max_output_tokens(self) -> int:
        """The most tokens the decoder can produce."""
        return max_output_tokens(self.info)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for `text`, special tokens included."""
        return len(self.tokenizer(text)["input_ids"])

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
        """Generate one output per input, batching inputs of similar token length together.

        `output_cap` maps an input's token count to the most tokens its output may have;
        `settings` override the model's own generation config (num_beams, max_new_tokens, ...).
        """
        import torch

        lengths = [len(ids) for ids in self.tokenizer(list(texts))["input_ids"]]
        outputs = [Generation("", None)] * len(texts)
        for batch in length_sorted_batches(lengths, batch_size, batch_tokens):
            encoded = self.tokenizer([texts[i] for i in batch], return_tensors="pt", padding=True).to(
                self.device
            )
            options = dict(settings)
            if output_cap is not None:
                caps = [min(output_cap(lengths[i]), self.max_output_tokens) for i in batch]
                options["max_new_tokens"] = max(caps)
                options["logits_processor"] = [self._length_cap(caps, options.get("num_beams"))]
            with torch.inference_mode():
                generated = self.model.generate(**encoded, **options)
                scores = self._mean_log_probs(encoded, generated)
            texts_out = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
            for index, text, score in zip(batch, texts_out, scores, strict=True):
                outputs[index] = Generation(text.strip(), score)
            if on_batch is not None:
                on_batch(len(batch))
        return outputs

    def generation_defaults(self) -> dict[str, Any]:
        """The checkpoint's own generation settings."""
        return generation_defaults(self.info)

    def close(self) -> None:
        """Free the model's memory; it loads again if used again."""
        self.__dict__.pop("model", None)

    def _mean_log_probs(self, encoded: Any, sequences: Any) -> list[float]:
        """Each output's mean log-probability per generated token, end of sequence included.

        One teacher-forced pass over the chosen outputs: `output_scores` would instead keep the
        whole vocabulary's scores for every beam and step, gigabytes for a large batch.
        """
        config = self.model.generation_config
        eos = config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        inputs, targets = sequences[:, :-1], sequences[:, 1:]
        is_eos = sum((targets == token).int() for token in eos_ids)
        # Tokens up to and including the first end of sequence count; the padding after it does not.
        counted = (is_eos.cumsum(dim=1) - is_eos) == 0
        rows = max(1, _RESCORE_LOGITS // max(1, targets.shape[1] * self.model.config.vocab_size))
        scores: list[float] = []
        for start in range(0, sequences.shape[0], rows):
            part = slice(start, start + rows)
            logits = self.model(
                input_ids=encoded["input_ids"][part],
                attention_mask=encoded["attention_mask"][part],
                decoder_input_ids=inputs[part],
            ).logits
            chosen = logits.float().log_softmax(dim=-1).gather(-1, targets[part].unsqueeze(-1)).squeeze(-1)
            mask = counted[part]
            totals = (chosen * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
            scores.extend(float(value) for value in totals)
        return scores

    def _length_cap(self, caps: list[int], num_beams: int | None) -> Any:
        beams = num_beams or self.model.generation_config.num_beams or 1
        return _per_row_length_cap(caps, beams, self.model.generation_config.eos_token_id)


def _per_row_length_cap(caps: list[int], beams: int, eos_token_id: int | list[int]) -> Any:
    """A logits processor that forces end-of-sequence once a row reaches its own cap.

    `max_new_tokens` applies to a whole batch; this keeps one degenerate output from running
    to the longest input's cap.
    """
    import torch
    from transformers import LogitsProcessor

    eos = eos_token_id[0] if isinstance(eos_token_id, list) else eos_token_id

    class PerRowLengthCap(LogitsProcessor):
        def __init__(self) -> None:
            self.caps = torch.tensor(caps).repeat_interleave(beams)

        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            generated = input_ids.shape[1] - 1  # the decoder start token is not output
            done = (self.caps.to(scores.device) <= generated)[: scores.shape[0]]
            if done.any():
                scores[done] = float("-inf")
                scores[done, eos] = 0.0
            return scores

    return PerRowLengthCap()
