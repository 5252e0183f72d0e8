"""Albanian sentence splitting and long-sentence splitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_cli.segment import max_possible_tokens, sentence_spans, split_long, split_sentences

GOLD = Path(__file__).parent / "data" / "segmentation_gold.txt"


def gold_paragraphs() -> list[list[str]]:
    blocks = GOLD.read_text(encoding="utf-8").split("\n\n")
    paragraphs = [
        [line for line in b.splitlines() if line.strip() and not line.startswith("#")] for b in blocks
    ]
    return [p for p in paragraphs if p]


def boundaries(sentences: list[str]) -> set[int]:
    """Character offsets of the boundaries when sentences are joined with single spaces."""
    offsets, position = set(), 0
    for sentence in sentences[:-1]:
        position += len(sentence) + 1
        offsets.add(position)
    return offsets


def test_boundary_f1_on_albanian_news_is_at_least_098() -> None:
    true_positives = false_positives = false_negatives = 0
    for gold in gold_paragraphs():
        predicted = boundaries(split_sentences(" ".join(gold)))
        expected = boundaries(gold)
        true_positives += len(predicted & expected)
        false_positives += len(predicted - expected)
        false_negatives += len(expected - predicted)
    f1 = 2 * true_positives / (2 * true_positives + false_positives + false_negatives)
    assert true_positives > 40
    assert f1 >= 0.98


@pytest.mark.parametrize(
    "sentences",
    [
        ["Z. Patel tha se po.", "Znj. Watson shtoi."],
        ["U takua me dr. Ramën dhe prof. Hoxhën.", "Folën gjatë."],
        ["Antony J. Blinken mbërriti.", "Ai u takua me Osmanin."],
        ["Kompanitë, p.sh. ato të energjisë, paguajnë.", "Ministria e mbrojti."],
        ["Vendimi nr. 345 u botua.", "Ai hyn në fuqi."],
        ["Kalaja u ndërtua në shek. XV nga osmanët.", "Sot është muze."],
        ["Importon naftë, gaz etj.", "Eksportet ranë."],
        ["Inflacioni ishte 4,5 për qind.", "Çmimet u rritën."],
        ["Erdhën 1.250 persona.", "Nuk pati incidente."],
        ["Seanca filloi në 10.30 dhe zgjati.", "Deputetët dolën."],
        ["Ligji hyn në fuqi më 1. janar 2024.", "Qeveria është gati."],
        ["Ai tha ... se po.", "Pastaj iku."],
        ["Ai priti…", "Askush nuk erdhi."],
        ["A do të ketë zgjedhje?", "Kryeministri e mohoi."],
        ["“A do të vini?” pyeti gazetari.", "Ministri heshti."],
        ["“Nuk tërhiqemi!”", "Protestuesit duartrokitën."],
        ["Ministri tha: “Kjo është ditë e madhe.”", "Ceremonia përfundoi."],
        ["Ai tha se “bisedimet po përparojnë”.", "Nuk dha hollësi."],
        ["«Jemi gati», tha ai.", "«Por jo me kushte.»", "Takimi vazhdon."],
        ['"Situata është nën kontroll," tha ai.', '"Nuk ka panik."', "Banorët u kthyen."],
    ],
)
def test_albanian_cases(sentences: list[str]) -> None:
    assert split_sentences(" ".join(sentences)) == sentences


def test_hard_to_see_missing_space_is_a_boundary() -> None:
    assert split_sentences("Ai foli gjatë.Pastaj u largua.") == ["Ai foli gjatë.", "Pastaj u largua."]


ALPHABET = st.sampled_from(
    [*list("abcëçABCËÇ .,;:!?…\"'“”«»()–-0123456789\n\t "), "z.", "Dr.", "J.", "p.sh.", "..."]
)
TEXT = st.lists(ALPHABET, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_segmentation_never_loses_or_reorders_text(text: str) -> None:
    spans = sentence_spans(text)
    position = 0
    for start, end in spans:
        assert start < end
        assert text[position:start].strip() == ""  # only whitespace between sentences
        assert text[start:end] == text[start:end].strip()
        position = end
    assert text[position:].strip() == ""
    assert "".join("".join(split_sentences(text)).split()) == "".join(text.split())


def word_count(text: str) -> int:
    """A stand-in tokenizer for unit tests: one token per word, plus an end token."""
    return len(text.split()) + 1


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=12))
def test_split_long_keeps_every_character_in_order_within_the_limit(text: str, limit: int) -> None:
    pieces = split_long(text.strip(), lambda piece: len(piece) // 3 + 1, limit)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    assert all(len(piece) // 3 + 1 <= limit for piece in pieces)


def test_split_long_prefers_clause_punctuation_near_the_middle() -> None:
    sentence = "një dy tre katër pesë, gjashtë shtatë tetë nëntë dhjetë"
    assert split_long(sentence, word_count, 7) == [
        "një dy tre katër pesë,",
        "gjashtë shtatë tetë nëntë dhjetë",
    ]


def test_split_long_cuts_unpunctuated_walls_of_text_into_balanced_pieces() -> None:
    wall = " ".join(f"fjala{i}" for i in range(1000))
    pieces = split_long(wall, word_count, 50)
    assert " ".join(pieces) == wall
    assert all(word_count(piece) <= 50 for piece in pieces)
    assert len(pieces) <= 32


def test_split_long_cuts_a_single_overlong_word_into_runs() -> None:
    word = "a" * 100
    pieces = split_long(word, len, 30)
    assert "".join(pieces) == word and all(len(p) <= 30 for p in pieces)


@given(st.text(max_size=200))
def test_max_possible_tokens_bounds_a_byte_tokenizer(text: str) -> None:
    assert len(text.encode("utf-8")) + 2 <= max_possible_tokens(text)
