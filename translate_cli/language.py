"""Language identification, with py3langid's bundled model (offline, no download)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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
