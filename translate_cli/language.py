"""Language identification, with py3langid's bundled model (offline, no download)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .cache import LANGUAGE, cache_key

ALBANIAN = "sq"
#: Identifier of the method, part of the cache key: a new model or rule is a new key.
METHOD = "py3langid-0.4"
#: Texts shorter than this many letters are too short to identify reliably.
MIN_LETTERS = 20


def identify_languages(texts: Sequence[str]) -> list[str]:
    """The ISO 639-1 code of each text's main language, or "" for texts too short to tell."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    # A local identifier, not py3langid's global one: its ~100 MB are freed before models load.
    identifier = LanguageIdentifier.from_modelpath(Path(MODEL_DIR) / MODEL_FILE)
    return [
        identifier.classify(text)[0] if sum(ch.isalpha() for ch in text) >= MIN_LETTERS else ""
        for text in texts
    ]


def language_warning(code: str) -> str | None:
    """A warning for an article that is not in Albanian, or None."""
    if code in ("", ALBANIAN):
        return None
    return f"the text looks like {code!r}, not Albanian ('sq'); the translation may be unreliable"


class LanguageStage:
    """The language stage: each article's text in, its language code out; keyed by the method
    and the text, so a cached run loads no language model."""

    name = LANGUAGE
    commit_every = 64

    def key(self, item: str) -> str:
        """The identification method and the text."""
        return cache_key(METHOD, item)

    def encode(self, value: str) -> str:
        """Codes are stored as they are."""
        return value

    def decode(self, stored: str) -> str:
        """Codes are stored as they are."""
        return stored

    def prepare(self) -> None:
        """Nothing to load ahead: the identifier loads per batch and is freed after it."""

    def compute(self, items: list[str]) -> list[str]:
        """The language code of each text."""
        return identify_languages(items)
