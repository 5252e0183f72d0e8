"""Split Albanian text into sentences, and over-long sentences into units a model accepts.

Every function here returns spans of the input: text between spans is whitespace only, so
segmentation never loses, adds or reorders a character.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable

from .cache import SEGMENTATION, cache_key

# Abbreviations after which a period never ends a sentence: titles before names, and words that
# are always followed by a number or a name.
ABBREVIATIONS_NEVER_FINAL = frozenset(
    {
        # Albanian
        "z",
        "znj",
        "zj",
        "dr",
        "prof",
        "doc",
        "akad",
        "mr",
        "mag",
        "gjen",
        "kol",
        "ing",
        "av",
        "rr",
        "lagj",
        "bul",
        "nr",
        "fq",
        "shek",
        "vëll",
        "bot",
        "red",
        "krh",
        "sh",
        "p.sh",
        "d.m.th",
        "përkth",
        "përmb",
        "nënkol",
        "kap",
        "art",
        "pra",
        "psh",
        "vol",
        # English names and titles quoted in Albanian news
        "mrs",
        "ms",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "jr",
        "sr",
        "vs",
        "no",
    }
)
# Abbreviations that may end a sentence; before a number they never do ("v. 2020").
ABBREVIATIONS_MAY_BE_FINAL = frozenset(
    {"etj", "etc", "mln", "mld", "km", "kg", "v", "vv", "inc", "ltd", "co", "p.e.s", "e.s"}
)
MONTHS = frozenset(
    {
        "janar",
        "shkurt",
        "mars",
        "prill",
        "maj",
        "qershor",
        "korrik",
        "gusht",
        "shtator",
        "tetor",
        "nëntor",
        "dhjetor",
    }
)

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“„«‘‹([¿¡"
# Terminal punctuation, optional closing quotes or brackets (» may stand after a space), then a space.
_TERMINAL = re.compile(rf"(?:\.\.\.|…|[.!?])+[{re.escape(_CLOSERS)}]*(?: »)?(?=\s)")
# A period glued to the next sentence by a missing space, as scrapers produce: "tha ai.Pastaj".
_GLUED = re.compile(r"(?<=[a-zçë]{3})\.(?=[A-ZÇË][a-zçë])")
_INITIALS = re.compile(r"(?:[A-ZÇËŽŠĆČĐ]\.)*[A-ZÇËŽŠĆČĐ]")
_DASH_OPENER = re.compile(r"[–—-]\s+")
_CLAUSE_END = re.compile(r"[,;:–—)]+[\"'”’»]*(?=\s)|\s[–—-](?=\s)")
_WORD = re.compile(r"\S+")
_WORD_GAP = re.compile(r"(?<=\S)\s+(?=\S)")

Span = tuple[int, int]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; joined with whitespace they give back the paragraph."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[Span]:
    """Return (start, end) spans of the sentences of `text`, stripped of surrounding whitespace."""
    cuts = [0]
    for match in _TERMINAL.finditer(text):
        if _ends_sentence(text, match):
            cuts.append(match.end())
    for match in _GLUED.finditer(text):
        if _token_before(text, match.start()).lower() not in _ALL_ABBREVIATIONS:
            cuts.append(match.end())
    cuts.append(len(text))
    return _spans_between(text, sorted(set(cuts)))


_ALL_ABBREVIATIONS = ABBREVIATIONS_NEVER_FINAL | ABBREVIATIONS_MAY_BE_FINAL


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Decide whether a run of terminal punctuation ends a sentence."""
    following = _next_word(text, match.end())
    if not following or not (following[0].isupper() or following[0].isdigit()):
        return False
    if match.group() != ".":
        return True  # "?", "!", an ellipsis, or punctuation closed by a quote or bracket
    token = _token_before(text, match.start())
    lowered = token.lower()
    if lowered in ABBREVIATIONS_NEVER_FINAL:
        return False
    if lowered in ABBREVIATIONS_MAY_BE_FINAL and following[0].isdigit():
        return False
    if _INITIALS.fullmatch(token):
        return False
    if token.isdigit() and len(token) <= 2:
        # "1. janar", "15. Shtator": an ordinal date, not the end of a sentence.
        return following.lower().rstrip(".,;:") not in MONTHS
    return True


def _next_word(text: str, position: int) -> str:
    """The first word after `position`, skipping whitespace, opening quotes and a leading dash."""
    rest = text[position:].lstrip()
    dash = _DASH_OPENER.match(rest)
    if dash:
        rest = rest[dash.end() :]
    rest = rest.lstrip(_OPENERS).lstrip()  # French-style « spaced » quotes
    word = _WORD.match(rest)
    return word.group() if word else ""


def _token_before(text: str, position: int) -> str:
    """The non-space token ending at `position`, without opening quotes or brackets."""
    start = position
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:position].lstrip(_OPENERS)


def _spans_between(text: str, cuts: list[int]) -> list[Span]:
    """Turn cut positions into stripped, non-empty spans."""
    spans = []
    for start, end in itertools.pairwise(cuts):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def split_long(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Split `text` into pieces of at most `limit` tokens, preferring clause boundaries.

    The text is halved recursively: at the clause punctuation nearest its middle when one lies
    in the middle half, else at the word boundary nearest the middle, so pieces stay balanced.
    Nothing is dropped: the pieces joined with spaces give back `text` up to whitespace. A
    single word longer than the limit is cut into character runs as a last resort.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if count_tokens(text) <= limit:
        return [text]
    cut = _middle_cut(text)
    if cut is None:
        return _split_characters(text, count_tokens, limit)
    head, tail = text[:cut].rstrip(), text[cut:].lstrip()
    return split_long(head, count_tokens, limit) + split_long(tail, count_tokens, limit)


def longest_prefix(text: str, count_tokens: Callable[[str], int], limit: int) -> str:
    """`text` if it has at most `limit` tokens, else its longest prefix that ends at a word
    boundary and fits; if not even the first word fits, that word's longest fitting prefix.
    Counts tokens about log2(words) times."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if count_tokens(text) <= limit:
        return text
    gaps = [match.start() for match in _WORD_GAP.finditer(text)]  # where each word but the last ends
    low, high = 0, len(gaps)  # the most words a fitting prefix keeps
    while low < high:
        middle = (low + high + 1) // 2
        if count_tokens(text[: gaps[middle - 1]]) <= limit:
            low = middle
        else:
            high = middle - 1
    if low:
        return text[: gaps[low - 1]]
    return _split_characters(text[: gaps[0]] if gaps else text, count_tokens, limit)[0]


def _middle_cut(text: str) -> int | None:
    """The best place to halve `text`, or None when it is a single word."""
    middle = len(text) / 2
    clauses = [m.end() for m in _CLAUSE_END.finditer(text) if len(text) / 4 <= m.end() <= 3 * len(text) / 4]
    if clauses:
        return min(clauses, key=lambda cut: abs(cut - middle))
    words = [m.start() for m in _WORD_GAP.finditer(text)]
    return min(words, key=lambda cut: abs(cut - middle)) if words else None


def _split_characters(word: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut one unbreakable run into the longest prefixes that fit."""
    pieces = []
    while word:
        low, high = 1, len(word)
        while low < high:  # largest prefix length that fits
            middle = (low + high + 1) // 2
            if count_tokens(word[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        pieces.append(word[:low])
        word = word[low:]
    return pieces


def max_possible_tokens(text: str) -> int:
    """An upper bound on the tokens any subword tokenizer gives `text`, special tokens included.

    Each SentencePiece or byte-level BPE token covers at least one byte, plus at most one
    word-boundary piece per word; a text whose bound is within the limit needs no tokenizer.
    """
    return len(text.encode("utf-8")) + len(text.split()) + 4


class LongSentenceStage:
    """The long-sentence stage: a sentence in, the pieces that fit the model's input limit out.

    Keyed by the model (its tokenizer) and the limit, so a cached run needs no tokenizer.
    """

    name = SEGMENTATION
    commit_every = 64

    def __init__(self, count_tokens: Callable[[str], int], limit: int, model: str) -> None:
        self.count_tokens = count_tokens  # the translation model's tokenizer
        self.limit = limit  # most tokens one piece may have
        self.model = model  # the model's fingerprint, which names its tokenizer

    def key(self, item: str) -> str:
        """The model, the limit and the sentence."""
        return cache_key(self.model, self.limit, item)

    def encode(self, value: list[str]) -> str:
        """The pieces as a JSON list."""
        return json.dumps(value)

    def decode(self, stored: str) -> list[str]:
        """The pieces from their JSON list."""
        return json.loads(stored)

    def prepare(self) -> None:
        """The tokenizer loads on first use."""

    def compute(self, items: list[str]) -> list[list[str]]:
        """Each sentence cut into pieces that fit the limit."""
        return [split_long(sentence, self.count_tokens, self.limit) for sentence in items]
