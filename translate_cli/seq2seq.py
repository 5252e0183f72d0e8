"""The transformers engine: a seq2seq checkpoint on torch, float32 on the CPU, float16 on CUDA.

torch and transformers are imported only inside functions, never at module import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .data import EngineIdentity, ModelInfo
from .engines import DecodeOptions, Generation
from .errors import ModelUnavailable
from .tokenizer import load_transformers_tokenizer, quiet_transformers

# Logits held at once while rescoring outputs (64 MB in float32): bounds the memory of the score pass.
_RESCORE_LOGITS = 1 << 24


def transformers_identity(device: str, fingerprint: str) -> EngineIdentity:
    """The identity of a transformers engine: float16 on CUDA, float32 on the CPU."""
    return EngineIdentity("transformers", "float16" if device == "cuda" else "float32", device, fingerprint)


class TransformersEngine:
    """A transformers encoder-decoder model and its tokenizer on one device."""

    def __init__(self, info: ModelInfo, device: str, fingerprint: str) -> None:
        self.info = info
        self.device = device  # "cpu" or "cuda", already resolved
        self.identity = transformers_identity(device, fingerprint)
        self.tokenizer: Any = None
        self.model: Any = None

    def loaded(self) -> TransformersEngine:
        """This engine with its model loaded and probed, or ModelUnavailable."""
        import torch
        from transformers import AutoModelForSeq2SeqLM

        quiet_transformers()
        self.tokenizer = load_transformers_tokenizer(self.info)
        dtype = torch.float16 if self.device == "cuda" else torch.float32
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(
                self.info.path, trust_remote_code=False, dtype=dtype
            )
            self.model = model.to(self.device).eval()
        except Exception as error:  # corrupt weights, unknown architecture, out of memory
            raise ModelUnavailable(f"{self.info.describe()}: cannot load model ({error})") from None
        self.probe()
        return self

    def probe(self) -> None:
        """Generate one token on the device, so that a device that cannot run fails now."""
        try:
            self.generate_batch(self.encode(["a"]), DecodeOptions(max_new_tokens=1), [1])
        except Exception as error:  # CUDA errors come as RuntimeError and its kin
            self.close()
            where = "the GPU" if self.device == "cuda" else "the CPU"
            raise ModelUnavailable(
                f"{self.info.describe()}: transformers cannot run on {where} ({error})"
            ) from None

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids, special tokens included."""
        return self.tokenizer(list(texts))["input_ids"]

    def generate_batch(
        self, inputs: list[list[int]], options: DecodeOptions, caps: list[int]
    ) -> list[Generation]:
        """One batch, each output capped by its own `caps` entry, with its score."""
        import torch

        encoded = self.tokenizer.pad({"input_ids": inputs}, return_tensors="pt").to(self.device)
        beams = options.beams
        settings: dict[str, Any] = {
            "num_beams": beams,
            "max_new_tokens": max(caps),
            "min_length": 0,  # the checkpoint's own min_length counts the start token: replaced by
            "min_new_tokens": options.min_new_tokens,
            "length_penalty": options.length_penalty,
            "no_repeat_ngram_size": options.no_repeat_ngram_size,
            "repetition_penalty": options.repetition_penalty,
        }
        if min(caps) < max(caps):
            settings["logits_processor"] = [
                _per_row_length_cap(caps, beams, self.model.generation_config.eos_token_id)
            ]
        with torch.inference_mode():
            generated = self.model.generate(**encoded, **settings)
            scores = self._mean_log_probs(encoded, generated)
        texts = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
        return [Generation(text.strip(), score) for text, score in zip(texts, scores, strict=True)]

    def close(self) -> None:
        """Free the model's memory."""
        self.model = None

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
