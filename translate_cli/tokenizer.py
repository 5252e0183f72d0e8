"""Tokenizers read straight from a checkpoint's files, with `sentencepiece` or `tokenizers`.

Loading a tokenizer through transformers imports torch (about 1.8 s and 200 MB). The CTranslate2
engine and the long-sentence splitter need only tokens, so they use these instead; each gives
the same tokens as the checkpoint's transformers tokenizer (the tests compare them). A checkpoint
whose tokenizer is none of these falls back to transformers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .data import ModelInfo
from .errors import ModelUnavailable
from .hub import model_family, read_config


class Tokenizer(Protocol):
    """Text to the model's input tokens, and output tokens back to text."""

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's input tokens, special tokens included."""
        ...

    def detokenize(self, tokens: Sequence[str]) -> str:
        """The text of output tokens, special tokens left out."""
        ...


def load_tokenizer(info: ModelInfo) -> Tokenizer:
    """The fastest tokenizer that reads this checkpoint's files: SentencePiece for Marian, the
    `tokenizers` library for tokenizer.json or a byte-level BPE, else transformers."""
    folder = info.path
    try:
        if model_family(info) == "marian" and (folder / "source.spm").is_file():
            return MarianTokenizer(folder, read_config(info, "tokenizer_config.json"))
        if (folder / "tokenizer.json").is_file():
            return JsonTokenizer(folder / "tokenizer.json")
        if (folder / "vocab.json").is_file() and (folder / "merges.txt").is_file():
            return JsonTokenizer.byte_level_bpe(folder, read_config(info, "tokenizer_config.json"))
    except (OSError, ValueError, RuntimeError) as error:  # unreadable or malformed tokenizer files
        raise ModelUnavailable(f"{info.describe()}: cannot load tokenizer ({error})") from None
    return TransformersTokenizer(info)


class MarianTokenizer:
    """MarianMT's tokenizer: SentencePiece pieces looked up in vocab.json, then `</s>`.

    Like transformers' MarianTokenizer (v5), it does no punctuation normalization (transformers
    builds a Moses normalizer when sacremoses is installed, but does not apply it).
    """

    def __init__(self, folder: Path, config: dict[str, Any]) -> None:
        import sentencepiece

        self.source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        self.vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.eos = str(config.get("eos_token") or "</s>")
        self.unk = str(config.get("unk_token") or "<unk>")
        self.special = {self.eos, self.unk, str(config.get("pad_token") or "<pad>")}

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """Pieces of each text, unknown ones as `<unk>`, then `</s>`."""
        return [
            [piece if piece in self.vocab else self.unk for piece in pieces] + [self.eos]
            for pieces in self.source.encode(list(texts), out_type=str)
        ]

    def detokenize(self, tokens: Sequence[str]) -> str:
        """The text of output pieces; transformers decodes with the source model too."""
        pieces = [token for token in tokens if token not in self.special]
        return self.source.decode_pieces(pieces).replace("▁", " ").strip()


class JsonTokenizer:
    """A tokenizer of the `tokenizers` library: tokenizer.json, or built from vocab.json and
    merges.txt the way transformers builds BART's and RoBERTa's."""

    def __init__(self, path: Path | None = None, tokenizer: Any = None) -> None:
        if tokenizer is None:
            from tokenizers import Tokenizer as RustTokenizer

            tokenizer = RustTokenizer.from_file(str(path))
        self.tokenizer = tokenizer

    @classmethod
    def byte_level_bpe(cls, folder: Path, config: dict[str, Any]) -> JsonTokenizer:
        """BART's byte-level BPE: `<s>` text `</s>`, no prefix space."""
        from tokenizers import Tokenizer as RustTokenizer
        from tokenizers import decoders, pre_tokenizers, processors
        from tokenizers.models import BPE

        add_prefix_space = bool(config.get("add_prefix_space", False))
        tokenizer = RustTokenizer(BPE.from_file(str(folder / "vocab.json"), str(folder / "merges.txt")))
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=add_prefix_space)
        tokenizer.decoder = decoders.ByteLevel()
        bos, eos = str(config.get("bos_token") or "<s>"), str(config.get("eos_token") or "</s>")
        specials = [
            str(config.get(name))
            for name in ("bos_token", "eos_token", "unk_token", "pad_token", "mask_token")
        ]
        tokenizer.add_special_tokens([token for token in dict.fromkeys(specials) if token != "None"])
        tokenizer.post_processor = processors.RobertaProcessing(
            (eos, tokenizer.token_to_id(eos)),
            (bos, tokenizer.token_to_id(bos)),
            add_prefix_space=add_prefix_space,
        )
        return cls(tokenizer=tokenizer)

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's tokens, with the post-processor's special tokens; a piece that is not in the
        vocabulary is its unknown token, as transformers gives it."""
        to_token = self.tokenizer.id_to_token
        return [[to_token(i) for i in encoding.ids] for encoding in self.tokenizer.encode_batch(list(texts))]

    def detokenize(self, tokens: Sequence[str]) -> str:
        """The text of output tokens, special tokens left out."""
        ids = [self.tokenizer.token_to_id(token) for token in tokens]
        return self.tokenizer.decode([i for i in ids if i is not None], skip_special_tokens=True).strip()


class TransformersTokenizer:
    """The checkpoint's transformers tokenizer, for families none of the above reads."""

    def __init__(self, info: ModelInfo) -> None:
        self.tokenizer = load_transformers_tokenizer(info)

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's tokens, special tokens included."""
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenizer(list(texts))["input_ids"]]

    def detokenize(self, tokens: Sequence[str]) -> str:
        """The text of output tokens, special tokens left out."""
        ids = self.tokenizer.convert_tokens_to_ids(list(tokens))
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()


def quiet_transformers() -> None:
    """Keep transformers' warnings and progress bars ("Loading weights") off the terminal."""
    import warnings

    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    # transformers v5's MarianTokenizer builds a Moses punctuation normalizer when sacremoses is
    # installed, and warns when it is not, but never applies it: tokens are the same either way.
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses", category=UserWarning)


def load_transformers_tokenizer(info: ModelInfo) -> Any:
    """The checkpoint's transformers tokenizer (this imports torch)."""
    from transformers import AutoTokenizer

    quiet_transformers()
    try:
        return AutoTokenizer.from_pretrained(info.path, trust_remote_code=False)
    except Exception as error:  # tokenizer classes raise many types for broken files
        raise ModelUnavailable(f"{info.describe()}: cannot load tokenizer ({error})") from None
