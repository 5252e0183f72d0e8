"""Trust signals: cheap checks that point the reader at sentences and summary facts to doubt.

Neural MT fails fluently: a wrong number, a dropped name, a swapped month, a lost "not", or a
sentence left in Albanian all read well to someone who cannot read the original. These checks
compare what can be compared without a model (numbers, months, names, negation, language) and
return flags a reader understands. They run on every sentence, cached runs included, so they
stay import-light: regular expressions and small data files; babel (CLDR) is loaded on first use.

    >>> check_sentence("Ai erdhi më 28 dhjetor.", "He came on 18 December.")[0].message
    'the original says 28 December; the English says 18 December'
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import gzip
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources

from .data import ArticleResult, Flag, TranslatedParagraph, TranslatedSentence

NUMBER = "number"
MONTH = "month"
NAME = "name"
NEGATION = "negation"
UNTRANSLATED = "untranslated"
#: The model's own doubts, from the engine rather than the text.
CONFIDENCE = "confidence"
RETRIED = "retried"
#: Every kind of flag, in the order flags are reported.
KINDS = (UNTRANSLATED, RETRIED, NUMBER, MONTH, NAME, NEGATION, CONFIDENCE)
#: The share of each article's sentences, the least confident, that get a confidence flag.
LEAST_CONFIDENT_SHARE = 0.10
#: Articles with fewer scored sentences get no confidence flags: their lowest score says little.
MIN_SENTENCES_FOR_CONFIDENCE = 4

__all__ = [
    "KINDS",
    "Flag",
    "annotate_article",
    "check_sentence",
    "check_summary",
    "confidence_ranks",
    "least_confident",
]


# --------------------------------------------------------------------------- text helpers

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_OPENERS = set('.!?:;"“”„«»()[]—–-•*')


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics: "Thaçi" and "Thaci" fold alike, as do "Vučić" and "Vuçiç"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("đ", "d").replace("ı", "i")  # Turkish dotless ı has no decomposition


@dataclass(frozen=True)
class _Token:
    text: str  # as written
    folded: str  # fold(text), possessive "'s" removed
    start: int  # offset in the text
    end: int
    initial: bool  # first word of a sentence, heading, quote or clause after a colon


def _tokens(text: str) -> list[_Token]:
    """The words of a text; each check tokenises the same sentence, so the work is cached."""
    return list(_cached_tokens(text))


@functools.lru_cache(maxsize=4096)
def _cached_tokens(text: str) -> tuple[_Token, ...]:
    tokens = []
    for match in _WORD.finditer(text):
        position = match.start() - 1
        while position >= 0 and text[position].isspace():
            position -= 1
        initial = position < 0 or text[position] in _SENTENCE_OPENERS
        if initial and position > 0 and position == match.start() - 1 and text[position] in "-–":
            initial = not text[position - 1].isalnum()  # "Durrës-Rrogozhinë": one compound, two names
        word = match.group()
        folded = fold(word[:-2] if word.endswith(("'s", "’s")) else word)
        tokens.append(_Token(word, folded, match.start(), match.end(), initial))
    return tuple(tokens)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and _roman(word) is None


# Only I, V and X (centuries, popes, kings): "CD", "DC" and "MC" are acronyms far more often.
_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")


def _roman(word: str) -> int | None:
    """The value of a Roman numeral of two letters or more ("III", "XIV"), or None."""
    if len(word) < 2 or not _ROMAN.fullmatch(word):
        return None
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for letter, following in itertools.zip_longest(word, word[1:], fillvalue=""):
        value = values[letter]
        total += -value if following and values[following] > value else value
    return total


# Albanian inflection of names: Berishën, Konjufcës, Putinin, Kosovës, Rusisë, Mynihut.
_SQ_SUFFIXES = sorted(
    ["it", "in", "ut", "un", "es", "en", "se", "ne", "ve", "ise", "ine", "ia", "ja", "ja", "i", "a", "e", "u",
     "n", "s", "t", "ut", "iut", "ut", "ës", "ën"],
    key=len,
    reverse=True,
)  # fmt: skip


# Albanian spells Slavic and other foreign names by ear: Vuçiq for Vučić (English Vucic), Gjukanoviq
# for Đukanović (Djukanovic), Xhaferi for Džaferi, Micotakis for Mitsotakis (Albanian c is "ts"),
# Kiriakos for Kyriakos. After fold() has dropped the diacritics, these
# rewrites bring the Albanian, the native and the English spellings to one form. Order matters:
# "dj" and "gj" (both Đ) before a lone "d"/"j" could be read.
_TRANSLITERATION = (("xh", "dz"), ("gj", "d"), ("dj", "d"), ("zh", "z"), ("sh", "s"), ("ch", "c"), ("q", "c"),
                    ("ts", "c"), ("tz", "c"), ("dz", "c"), ("y", "i"), ("j", "i"))  # fmt: skip
# Turkish c is Albanian xh and Turkish y Albanian j (Recep Tayyip = Rexhep Tajip): "dz" and "j" fold into
# "c" and "i" last; doubled letters count once (Tayyip, Asllani, Mitterrand).
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=65536)
def _transliterated(folded: str) -> str:
    """One spelling for a folded name in Albanian, Slavic or English letters: vuciq, vucic → vucic."""
    for written, common in _TRANSLITERATION:
        folded = folded.replace(written, common)
    return _DOUBLED.sub(r"\1", folded)


@functools.lru_cache(maxsize=65536)
def _spelled_alike(left: str, right: str) -> bool:
    """Two long folded names that are one name spelled in two alphabets' ways: Jerapetritis and
    Gerapetritis (Greek gamma), Xhukanoviq and Djukanovic; nine letters in ten alike."""
    if left == right or min(len(left), len(right)) < 7:
        return left == right
    a, b = _transliterated(left), _transliterated(right)
    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.9:
        return True
    # "Kalabrisë" and "Calabria": a Latin name in Albanian letters (k for c), inflected
    a, b = _cognate_spelling(left), _cognate_spelling(right)
    return min(len(a), len(b)) >= 7 and a[:7] == b[:7]


@functools.lru_cache(maxsize=65536)
def _sq_stems(folded: str) -> frozenset[str]:
    """Candidate stems of a folded Albanian word: itself, minus an inflection, minus a last vowel.

    Every candidate is kept ("Albin" keeps "albin" beside "alb" and "albi"; "Kurtin" keeps "kurti"),
    so a match with any of them counts. Words of the language (titles, nouns) match on these; names
    on _sq_keys, which adds spellings by ear ("Kallas" would read as "Kala", castle)."""
    keys = {folded}
    for suffix in _SQ_SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            keys.add(folded[: -len(suffix)])
    keys |= {k[:-1] for k in list(keys) if len(k) >= 4 and k[-1] in "aeiouy"}
    # The definite form drops the "ë" of "-ër": Zvicër → Zvicra, Londër → Londra, Shkodër → Shkodra.
    # Only the word as written: "Liberi" minus "-i" is no "-ër" word ("Librit", of the book, is not Liberia).
    if len(folded) >= 5 and folded.endswith("er"):
        keys.add(folded[:-2] + "r")
    return frozenset(keys)


@functools.lru_cache(maxsize=65536)
def _sq_keys(folded: str) -> frozenset[str]:
    """The stems of _sq_stems, each also in its transliterated form: for names, spelled by ear."""
    stems = _sq_stems(folded)
    return stems | {_transliterated(k) for k in stems}


@functools.lru_cache(maxsize=65536)
def _en_keys(folded: str) -> frozenset[str]:
    keys = {folded}
    if len(folded) >= 4 and folded[-1] in "aeiouy":
        keys.add(folded[:-1])
    if len(folded) >= 5 and folded.endswith("s"):
        keys.add(folded[:-1])
    if "ch" in folded:
        keys.add(folded.replace("ch", "h"))  # German ch is Albanian h: Richter is Rihter, München Mynih
    if len(folded) >= 5 and folded[-2:] in ("er", "el") and folded[-3] not in "aeiouy":
        # An Albanian place in its own spelling drops the ë of "-ër" when inflected: an English
        # "Gjadër" (folded "gjader") renders "Gjadrit", "Dibër" renders "Dibrës".
        keys.add(folded[:-2] + folded[-1])
    keys |= {_transliterated(k) for k in keys}
    return frozenset(keys)


#: Endings that derive one English word from another ("Democrat", "Democrats", "Democratic").
_DERIVATIONS = ("s", "es", "n", "ns", "an", "ans", "ian", "ians", "ic", "ics", "ism", "ist", "ists",
                "ese", "i")  # fmt: skip


def _derived(left: frozenset[str], right: frozenset[str]) -> bool:
    """Equal English keys, or one the other with a derivational ending ("Democrat", "Democratic")."""
    return bool(left & right) or any(
        long_.startswith(short) and long_[len(short) :] in _DERIVATIONS
        for a in left
        for b in right
        for short, long_ in ((a, b) if len(a) <= len(b) else (b, a),)
        if len(short) >= 4
    )


def _stems_match(left: frozenset[str], right: frozenset[str]) -> bool:
    """Equal stems, or one a prefix of the other when both are long enough to mean something."""
    if left & right:
        return True
    for a in left:
        for b in right:
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if len(short) >= 4 and long_.startswith(short) and len(short) >= 0.6 * len(long_):
                return True
    return False


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class _Entry:
    sq: tuple[str, ...]  # folded Albanian words of the name
    en: tuple[str, ...]  # English names, as written
    kind: str  # "place", "organisation", "person", "country"
    written: str = ""  # the Albanian name as the data writes it (uninflected)


def _read_table(name: str) -> list[tuple[str, ...]]:
    text = resources.files("translate_cli").joinpath("checkdata", name).read_text(encoding="utf-8")
    return [
        tuple(line.split("\t")) for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@functools.cache
def _gazetteer() -> tuple[_Entry, ...]:
    """Places, organisations, persons and CLDR countries, longest Albanian names first."""
    from babel import Locale

    entries = []
    for name, kind in (
        ("places.tsv", "place"),
        ("organisations.tsv", "organisation"),
        ("persons.tsv", "person"),
    ):
        for sq, en in _read_table(name):
            entries.append(_Entry(tuple(fold(sq).split()), tuple(en.split("|")), kind, sq))
    albanian, english = Locale("sq").territories, Locale("en").territories
    for code, sq_name in albanian.items():
        if code.isalpha() and code in english:  # letters: countries; digits: regions like "150" (Europe)
            en_names = [english[code], english[code].replace("&", "and")]
            if code == "US":
                en_names += ["US", "U.S.", "America", "American", "USA"]
            if code == "TR":
                en_names.insert(0, "Turkey")  # CLDR's "Türkiye" is rarer in English news
            entries.append(_Entry(tuple(fold(sq_name.replace("-", " ")).split()), tuple(en_names), "country"))
    entries += _cldr_cities({entry.sq for entry in entries})
    return tuple(sorted(entries, key=lambda e: -len(e.sq)))


def _cldr_cities(known: set[tuple[str, ...]]) -> list[_Entry]:
    """Cities whose Albanian name differs from the English one (Vjenë: Vienna), from CLDR's time zones.

    Only zones named Continent/City: longer ones name towns by their state ("Knox, Indiana")."""
    from babel import Locale

    albanian, english = Locale("sq").time_zones, Locale("en").time_zones
    holidays = tuple(stem for stem, _ in _demonyms())
    entries = []
    for zone, names in albanian.items():
        parts = zone.split("/")
        sq_city = names.get("city", "")
        if len(parts) != 2 or parts[0] == "Etc" or not sq_city or "," in sq_city:
            continue
        en_city = english.get(zone, {}).get("city") or parts[1].replace("_", " ")
        words = tuple(fold(sq_city.replace("-", " ")).split())
        if words in known or fold(sq_city.replace("-", " ")) == fold(en_city):
            continue
        if en_city.endswith(("Island", "Islands")) or words[0].startswith(holidays):
            continue  # "Pashkë" is Easter before it is Easter Island
        entries.append(_Entry(words, (en_city, parts[1].replace("_", " ")), "place", sq_city))
    return entries


@functools.cache
def _titles() -> dict[str, set[str]]:
    """Albanian title and institution words by kind, as stems."""
    kinds: dict[str, set[str]] = {"title": set(), "institution": set(), "unit": set(), "place": set()}
    for kind, word in _read_table("titles.tsv"):
        kinds[kind] |= _sq_stems(fold(word))
    for kind, word, _ in _read_table("nouns.tsv"):
        kinds[kind] |= {k for k in _sq_stems(fold(word)) if len(k) >= 4}  # "port", not "por" (but)
    return kinds


@functools.cache
def _noun_english() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """(stems of an Albanian common noun of names, its English words folded), from nouns.tsv."""
    return tuple(
        (
            frozenset(k for k in _sq_stems(fold(sq)) if len(k) >= 4),
            frozenset(fold(w) for w in re.split(r"[|\s]+", en)),
        )
        for _, sq, en in _read_table("nouns.tsv")
    )


@functools.cache
def _demonyms() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(
        (fold(stem), frozenset(fold(w) for w in re.split(r"[|\s-]+", en)))
        for stem, en in _read_table("demonyms.tsv")
    )


@functools.cache
def _demonym_adjectives() -> frozenset[str]:
    """English words of the demonym table that are not country names: Serbian, Albanians, Catholic."""
    countries = {fold(e) for entry in _gazetteer() if entry.kind == "country" for e in entry.en}
    return frozenset(w for _, english in _demonyms() for w in english if w not in countries)


@functools.cache
def _english_words() -> frozenset[str]:
    """Common English words in lower case (SCOWL's Hunspell dictionaries, english_words.txt.gz)."""
    raw = resources.files("translate_cli").joinpath("checkdata", "english_words.txt.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@functools.cache
def _english_homographs() -> frozenset[str]:
    """English words that are proper nouns too (doctor, snow, turkey: english_homographs.txt.gz)."""
    raw = resources.files("translate_cli").joinpath("checkdata", "english_homographs.txt.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@functools.cache
def _english_words_and_homographs() -> frozenset[str]:
    return _english_words() | _english_homographs()


def _is_english_word(folded: str, homographs: bool = False) -> bool:
    """Whether a folded word is a common English word or a regular inflection of one ("Files",
    "Borders": plural, past and -ing endings are undone); with `homographs`, words that are
    proper nouns too ("Doctors", "Snow") count."""
    words = _english_words_and_homographs() if homographs else _english_words()
    folded = re.sub(r"['’]s$", "", folded)  # "Harbour Master's Office"
    if folded in words:
        return True
    candidates = []
    if folded.endswith("ies"):
        candidates.append(folded[:-3] + "y")
    if folded.endswith("es"):
        candidates.append(folded[:-2])
    if folded.endswith("s"):
        candidates.append(folded[:-1])
    if folded.endswith("ed"):
        candidates += [folded[:-2], folded[:-1]]
    if folded.endswith("ing"):
        candidates += [folded[:-3], folded[:-3] + "e"]
    return any(c in words for c in candidates if len(c) >= 3)


@functools.cache
def _english_common() -> frozenset[str]:
    text = resources.files("translate_cli").joinpath("checkdata", "english_common.txt").read_text("utf-8")
    words = (line.strip() for line in text.splitlines() if not line.startswith("#"))
    # Month names and their abbreviations ("Feb.", "Sept."): the month check owns them.
    heads = resources.files("translate_cli").joinpath("checkdata", "english_heads.txt").read_text("utf-8")
    words = [*words, *(w.strip() for w in heads.splitlines() if not w.startswith("#"))]
    nouns = {w for _, english in _noun_english() for w in english}
    return frozenset(fold(w) for w in words if w) | frozenset(_months()[1]) | _EN_STOP | nouns


@functools.cache
def _months() -> tuple[dict[str, int], dict[str, int], tuple[str, ...]]:
    """Albanian month forms, English month forms, and English month names by number (CLDR)."""
    from babel import Locale

    sq, en = Locale("sq"), Locale("en")
    sq_forms: dict[str, int] = {}
    for number, name in sq.months["format"]["wide"].items():
        base = fold(name)
        for suffix in ("", "i", "it", "in", "u", "ut", "un"):  # "nga 1 korriku"
            sq_forms[base + suffix] = number
    en_forms: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in en.months["format"][width].items():
            en_forms[fold(name).rstrip(".")] = number
    en_forms["sept"] = 9
    names = tuple(en.months["format"]["wide"][n] for n in range(1, 13))
    return sq_forms, en_forms, names


def _words(text: str) -> list[str]:
    """A word list written as one string, a word per space."""
    return text.split()


_EN_STOP = frozenset(
    _words(
        """
    a an the and or but if of in on at to for from by with as is are was were be been it its this
    that these those he she they we you his her their our my your i me him them us who what when
    where which why how according more about around almost nearly over after before during since
    until while also there here some all both each every other such no not never yes only just
    """
    )
)


# --------------------------------------------------------------------------- untranslated

# Albanian words that are not also English words: their share tells Albanian output from English.
_ALBANIAN_WORDS = frozenset(
    fold(w)
    for w in _words(
        """
    dhe të në për një që është nga së nuk ka kanë janë tha këtë kjo ky por edhe sipas ishte gjatë
    duke ndaj midis mes tij saj tyre ajo ata shumë vetëm rreth deri mbi pas prej kundër pasi sepse
    nëse kur ku çdo cila cili tjetër viti vitit ishin kishte do ta ia i e u tani sot dje nesër
    kështu pra cilat cilët gjithë disa asnjë kurrë mund duhet pasur qenë bërë
    dy tre katër pesë gjashtë vjet vite muaj javë ditë orë
    """
    )
)
_ENGLISH_WORDS = frozenset(
    _words(
        """
    the of and to in is was that for on with as by at from it be are were has have had will would
    said not this an which but who been their its after about more also than they he she said over
    into
    """
    )
)


def _similar(left: str, right: str) -> bool:
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    # The quick upper bounds settle almost every real translation without the quadratic ratio().
    return matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


def _words_without_names(text: str) -> str:
    """The folded words of a text that are not capitalised (names, acronyms, sentence starts)."""
    return " ".join(t.folded for t in _tokens(text) if not _is_capitalised(t.text))


_COPY = "the English is a copy of the original"


def _untranslated(source: str, translation: str) -> Flag | None:
    if source.strip() and not translation.strip():
        return Flag(UNTRANSLATED, "the English is empty")
    # Names and acronyms are written alike in both languages, so a sentence that is mostly names
    # ("Ardian Gjini (AAK), Lumir Abdixhiku (LDK) dhe Bedri Hamza (PDK) debatuan në RTK") looks like
    # its translation: judge a copy on the other words only.
    source_words, translation_words = _words_without_names(source), _words_without_names(translation)
    if source_words and (
        source_words == translation_words
        or (len(source_words) >= 8 and _similar(source_words, translation_words))
    ):
        return Flag(UNTRANSLATED, _COPY)
    # Capitalised words are names, which look alike in both languages; Albanian letters (ë, ç) in a
    # lower-case word, or Albanian function words, are Albanian text left in the English.
    words = [t for t in _tokens(translation) if not _is_capitalised(t.text) or t.initial]
    # "për" is also English "per", and "lekë" the currency's English name: neither tells.
    albanian = sum(
        (t.folded in _ALBANIAN_WORDS and t.folded != "per")
        or (t.folded not in _CURRENCY and bool(re.search("[ëçË]", t.text)))
        for t in words
    )
    english = sum(t.folded in _ENGLISH_WORDS for t in words)
    if albanian >= 2 and albanian >= 0.2 * max(len(words), 1) and albanian > english / 2:
        return Flag(UNTRANSLATED, "part of the English is still Albanian")
    run = (
        _albanian_run(translation)
        or _copied_run(source, translation)
        or _copied_albanian_word(source, translation)
        or _copied_common_noun(source, translation)
        or _copied_linked_name(source, translation)
    )
    if run:
        return Flag(UNTRANSLATED, f"the English keeps Albanian words (“{run}”)")
    return None


_CURRENCY = frozenset({"leke", "lek", "leku", "lekesh"})


def _copied_albanian_word(source: str, translation: str) -> str:
    """A lower-case Albanian word copied from the original into the English, or "": one with
    Albanian letters ("the price of naftës"; the currency "lekë" aside, English has no such words)
    or an Albanian inflection ("Linja hekurudhore": -ore, -uar, -ohet...)."""
    source_words = {t.text.casefold() for t in _tokens(source)}
    for token in _tokens(translation):
        if (
            _is_capitalised(token.text)
            or token.folded in _CURRENCY
            or token.text.casefold() not in source_words
        ):
            continue
        if re.search("[ëç]", token.text) or (
            len(token.folded) >= 6
            and token.folded.endswith(_SQ_INFLECTED)
            and not _is_english_word(token.folded)
        ):  # "online" is English too
            return token.text
    return ""


#: Endings of Albanian words that no English word of six letters or more has.
_SQ_INFLECTED = ("ore", "ave", "eve", "uar", "uara", "ohet", "ojne", "uan", "ise", "ine", "shem", "shme")


def _copied_common_noun(source: str, translation: str) -> str:
    """A capitalised Albanian word that is translated, not a name, copied into the English in its
    inflected form ("Fitër Bajramin", "the Kuvendit", "in Malin e Zi"), or ""."""
    source_tokens = _tokens(source)
    source_words = {t.text for t in source_tokens}
    # Words of places whose English name is another ("Malin e Zi": Montenegro)
    exonyms = {
        source_tokens[k].folded
        for start, end, entry in _gazetteer_matches(source_tokens)
        if entry.kind != "person"
        for k in range(start, end)
        # inflected ("Malin", not "Mal"), and not a word of the English name
        if source_tokens[k].folded not in entry.sq
        and source_tokens[k].folded not in {fold(w) for e in entry.en for w in e.split()}
    }
    titles = _titles()
    translated = titles["institution"] | titles["title"]
    holidays = tuple(stem for stem, _ in _demonyms())
    for token in _tokens(translation):
        if not _is_capitalised(token.text) or token.text not in source_words or len(token.folded) < 4:
            continue
        inflected = token.folded.endswith(("in", "it", "ut", "es", "en", "ve", "se", "ne"))
        if inflected and (
            _sq_stems(token.folded) & translated
            or token.folded.startswith(holidays)
            or token.folded in exonyms
        ):
            return token.text
    return ""


_LINKED = re.compile(r"\b([^\W\d_]+)\s+(e|i|të|së)\s+([^\W\d_]+)")


def _copied_linked_name(source: str, translation: str) -> str:
    """A translated name of the original copied with its Albanian particle ("from Emiratet e
    Bashkuara Arabe", "the Kuvendi i Kosovës"), or "": a country with an English name of its own,
    or an institution. A place may keep its Albanian name ("Hani i Hotit"), and a quoted title its
    language."""
    quoted = _quoted_spans(translation)
    tokens = _tokens(source)
    translated_words = {
        tokens[k].folded
        for start, end, entry in _gazetteer_matches(tokens)
        if entry.kind == "country" and " ".join(entry.sq) not in {fold(e) for e in entry.en}
        for k in range(start, end)
    }
    institutions = _titles()["institution"]
    for match in _LINKED.finditer(translation):
        if any(start <= match.start() < end for start, end in quoted):
            continue
        left, right = match.group(1), match.group(3)
        if not (_is_capitalised(left) and _is_capitalised(right) and match.group() in source):
            continue
        if fold(left) in translated_words or _sq_stems(fold(left)) & institutions:
            return match.group()
    return ""


def _ablative_plural(folded: str) -> bool:
    """An Albanian ablative plural ("vitesh", "punimesh", "ditësh"): no English word ends so but
    a few short ones (fresh, mesh, thresh)."""
    return len(folded) >= 6 and folded.endswith("esh") and not folded.endswith(("fresh", "thresh"))


#: Latin phrases that Albanian and English both use as they are.
_SHARED_PHRASES = ("persona non grata", "de facto", "de jure", "status quo", "ad hoc", "in absentia",
                   "ex officio", "pro bono", "per capita", "vice versa", "a priori")  # fmt: skip


def _copied_run(source: str, translation: str) -> str:
    """Lower-case words of the original copied into the English, or "".

    Two or three lower-case words in a row that the original has in that order, plainly Albanian
    ("do të falet", "liturgjinë e", "paga minimale") or three of which two are long ("njoftoi se
    inflacioni"): names and numbers are written alike in both languages, but ordinary words are not."""

    def runs(text: str) -> list[list[_Token]]:
        found: list[list[_Token]] = [[]]
        tokens = _tokens(text)
        for left, right in itertools.zip_longest(tokens, tokens[1:]):
            if _is_capitalised(left.text) and not left.initial:
                found.append([])
                continue
            found[-1].append(left)
            if right is None or text[left.end : right.start].strip(" "):
                found.append([])  # punctuation ends a run
        return [r for r in found if r]

    def grams(run: list[_Token], n: int) -> list[tuple[str, ...]]:
        return [tuple(t.folded for t in run[k : k + n]) for k in range(len(run) - n + 1)]

    def albanian(tokens: list[_Token]) -> bool:
        # "lekë", the currency, is written so in English too: "500 lekë per kilogram"
        return any(
            t.folded not in _CURRENCY
            and (t.folded in _ALBANIAN_ONLY or re.search("[ëçË]", t.text) or _ablative_plural(t.folded))
            for t in tokens
        )

    def ending(tokens: list[_Token]) -> bool:
        return any(
            len(t.folded) >= 6 and t.folded.endswith(_SQ_INFLECTED + _SQ_ADJECTIVE_ENDINGS) for t in tokens
        )

    def long_words(tokens: list[_Token]) -> bool:
        # "lekë per kilogram" is English too: the currency and English words do not count
        shared = _CURRENCY | _ENGLISH_WORDS | _EN_STOP
        return sum(len(t.folded) >= 4 and t.folded not in shared for t in tokens) >= 2

    source_runs = runs(source)
    trigrams = {g for r in source_runs for g in grams(r, 3)}
    bigrams = {g for r in source_runs for g in grams(r, 2)}
    for run in runs(translation):
        for k in range(len(run)):
            for n, copied in ((3, trigrams), (2, bigrams)):
                words = run[k : k + n]
                if len(words) < n or tuple(t.folded for t in words) not in copied:
                    continue
                # Three words of four letters or more in the original's order are not English
                # ("njoftoi se inflacioni"); two need an Albanian letter or ending ("paga minimale").
                if " ".join(t.folded for t in words) in " ".join(_SHARED_PHRASES):
                    continue  # "persona non grata": Latin, in both languages
                if albanian(words) or (n == 3 and long_words(words)) or (n == 2 and ending(words)):
                    return " ".join(t.text for t in words)
    return ""


# Albanian words that are never English, even folded: "do", "i", "e", "per" or "se" are left out.
_ALBANIAN_ONLY = _ALBANIAN_WORDS - frozenset(
    _words("do i e u ta ka ia per pas se ne te mes sot ku kur mbi ata ajo tij saj pa ky deri")
)


def _albanian_run(translation: str) -> str:
    """Two lower-case Albanian words close together inside English ("lekë në muaj"), or "".

    A half-translated sentence is mostly English, so the share of Albanian words stays low; two
    Albanian words side by side do not happen in English (a currency, "lekë", stands alone)."""
    tokens = _tokens(translation)

    def albanian(token: _Token) -> bool:
        if _is_capitalised(token.text):
            return False
        return token.folded in _ALBANIAN_ONLY or bool(re.search("[ëçË]", token.text))

    marked = [i for i, token in enumerate(tokens) if albanian(token)]
    for left, right in itertools.pairwise(marked):
        # Two Albanian words with at most two words between them, in one phrase (no punctuation,
        # no capitalised name between): "masën e arrestit në burg" inside an English sentence.
        between = tokens[left + 1 : right]
        text = translation[tokens[left].start : tokens[right].end]
        if (
            right - left <= 3
            and not any(_is_capitalised(t.text) for t in between)
            and not re.search(r"[^\w\s'’-]", text)
        ):
            return text
    return ""


# --------------------------------------------------------------------------- numbers and months


@dataclass(frozen=True)
class _Value:
    candidates: frozenset  # floats (rounded) and ("time", minutes) tuples this mention may mean
    shown: str  # how to show it to the reader, in English conventions
    soft: bool = False  # may satisfy the other side, but is never reported missing or extra
    start: int = 0  # offset in the text


def _num(x: float) -> float:
    return float(f"{x:.12g}")  # enough digits to tell 1,000,000 from 1,000,001


def _show(x: float) -> str:
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if x >= scale and (x / scale) * 100 == int((x / scale) * 100):
            return f"{x / scale:g} {word}"
    if x >= 1000 and x == int(x) and not 1900 <= x <= 2100:  # "2,000", but the year 2025
        return f"{int(x):,}"
    return f"{x:g}"


_SQ_SMALL = {
    fold(w): n
    for n, w in enumerate(
        _words(
    """
    zero një dy tre katër pesë gjashtë shtatë tetë nëntë dhjetë njëmbëdhjetë dymbëdhjetë
    trembëdhjetë katërmbëdhjetë pesëmbëdhjetë gjashtëmbëdhjetë shtatëmbëdhjetë tetëmbëdhjetë
    nëntëmbëdhjetë njëzet
    """
)
    )
} | {"tri": 3, "tridhjete": 30, "dyzet": 40, "pesedhjete": 50, "gjashtedhjete": 60, "shtatedhjete": 70,
     "tetedhjete": 80, "nentedhjete": 90, "njeqind": 100, "dyqind": 200, "treqind": 300, "katerqind": 400,
     "peseqind": 500, "dyja": 2, "treja": 3}  # fmt: skip
_SQ_UNITS = {w: n for w, n in _SQ_SMALL.items() if 1 <= n <= 9}
#: "dhjetëra", "qindra", "mijëra": tens, hundreds, thousands of something, not a number but a size.
_SQ_MANY = {"dhjetera": 10, "qindra": 100, "qindrat": 100, "mijera": 1000, "mijerat": 1000, "miliona": 1e6}
_EN_MANY = {"dozens": 10, "tens": 10, "scores": 10, "hundreds": 100, "thousands": 1000, "millions": 1e6}
_MANY_SHOWN = {10: "dozens", 100: "hundreds", 1000: "thousands", 1e6: "millions"}
_SQ_TENS = frozenset({20, 30, 40, 50, 60, 70, 80, 90})
del _SQ_SMALL["zero"], _SQ_SMALL["nje"]  # "një" is mostly the article "a"
_EN_SMALL = {
    w: n
    for n, w in enumerate(
        _words(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty
    """
)
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
     "hundred": 100}  # fmt: skip
del _EN_SMALL["zero"], _EN_SMALL["one"]  # "one" is as often a pronoun: see _EN_SOFT
#: English words that may render a small source number, but never count as an extra number.
_EN_SOFT = {"one": 1, "first": 1, "both": 2, "couple": 2, "pair": 2, "twice": 2, "double": 2, "second": 2,
            "third": 3, "triple": 3, "half": 0.5, "quarter": 0.25, "dozen": 12, "zero": 0}  # fmt: skip

_SQ_SCALES = (("miliard", 1e9), ("mld", 1e9), ("mlrd", 1e9), ("milion", 1e6), ("mln", 1e6), ("mije", 1e3))
_EN_SCALES = (("trillion", 1e12), ("billion", 1e9), ("bn", 1e9), ("bcm", 1e9), ("million", 1e6), ("mln", 1e6),
              ("thousand", 1e3))  # fmt: skip

_NUMERIC = re.compile(r"\d+(?:[.,:]\d+)*")
_DATE = re.compile(r"\b(\d{1,4})([-./])(\d{1,2})\2(\d{1,4})\b")
_SQ_PLURAL_SCALES = ("mijera", "miliona", "milionesh")  # "thousands of": not a number


_SQ_NUMBER_COMPOUND = re.compile(
    r"(dy|tre|kater|pese|gjashte|shtate|tete|nente|dhjete)(?:ditor|vjecar|mujor|javor|oresh|katesh|fish|gjuhesh)"
)
_HOUR_PARTS = re.compile(r"\b(quarter|half|three quarters)\s+(?:of\s+)?an\s+hour\b", re.IGNORECASE)


def _scale_after(words: str, scales: Iterable[tuple[str, float]]) -> tuple[float, int] | None:
    """The scale word at the start of `words` ("milionë euro", "million"), with its length."""
    match = re.match(r"(?:\s*|-)([^\W\d_]+)", words)  # "4.2-million-euro tender"
    if not match:
        return None
    word = fold(match.group(1))
    if word in _SQ_PLURAL_SCALES:
        return None
    for prefix, scale in scales:
        if word == prefix or (len(prefix) > 3 and word.startswith(prefix)):
            return scale, match.end()
    return None


def _month_near(text: str, start: int, end: int, forms: dict[str, int], names: tuple[str, ...]) -> str:
    """The month written next to a number, in English, e.g. " December" for "28 dhjetor"."""
    after = re.match(r"[\s.]*([^\W\d_]+)", text[end:])
    if after and fold(after.group(1)).rstrip(".") in forms:
        return f"{names[forms[fold(after.group(1)).rstrip('.')] - 1]}"
    before = re.search(r"([^\W\d_]+)\.?\s+$", text[:start])
    if before and fold(before.group(1)) in forms:
        return f"{names[forms[fold(before.group(1))] - 1]}"
    return ""


_ROUND_THE_CLOCK = re.compile(r"\b(?:a)?round[- ]the[- ]clock\b|\b24/7\b", re.IGNORECASE)


def _numbers(text: str, albanian: bool, original: str = "") -> tuple[list[_Value], list[tuple[int, str]]]:
    """Numbers mentioned in a text, and months from numeric dates, in either language's conventions.

    A numeric date that an English text copies from its `original` ("12.03.2025") keeps the
    original's day-month order."""
    sq_months, en_months, names = _months()
    months = sq_months if albanian else en_months
    if not albanian:
        # "24 orë në ditë" is "round-the-clock": 24 hours, written in the same length to keep offsets
        text = _ROUND_THE_CLOCK.sub(lambda m: "24 hours".ljust(len(m.group())), text)
    values: list[_Value] = []
    date_months: list[tuple[int, str]] = []
    covered: list[tuple[int, int]] = []

    for match in _DATE.finditer(text):
        first, _, second, third = match.groups()
        if len(first) == 4:  # 2025-11-20
            year, month, day = int(first), int(second), int(third)
        else:
            day, month, year = int(first), int(second), int(third)
        if not (1 <= month <= 12 and 1 <= day <= 31 and (len(third) in (2, 4) or len(first) == 4)):
            continue  # not a date ("0000/13/0" has no 13th month)
        possible_months = {month}
        if not albanian and day <= 12 and match.group() not in original:  # 11/20/2025 or 20/11/2025
            possible_months.add(day)
        possible_days = {_num(day), _num(month)} if len(possible_months) > 1 else {_num(day)}
        for m in possible_months:
            date_months.append((m, names[m - 1]))
        values.append(_Value(frozenset(possible_days), f"{day} {names[month - 1]}", start=match.start()))
        values.append(_Value(frozenset({_num(year)}), str(year), start=match.start()))
        covered.append(match.span())

    skip_until = -1
    for match in _NUMERIC.finditer(text):
        start, end = match.span()
        if start < skip_until or any(a <= start < b for a, b in covered):
            continue
        raw = match.group()
        candidates: set = set()
        shown = raw
        time = re.fullmatch(r"(\d{1,2})[:.](\d{2})", raw)
        plain: float | None = None
        if albanian:
            if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
                plain = float(raw.replace(".", ""))
            elif re.fullmatch(r"\d+,\d+", raw):
                plain = float(raw.replace(",", "."))
            elif time and int(time.group(1)) <= 24 and int(time.group(2)) < 60:
                pass
            elif re.fullmatch(r"\d+\.\d{1,2}", raw) or re.fullmatch(r"\d+", raw):
                plain = float(raw)
            else:
                plain = None
        else:
            if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
                plain = float(raw.replace(",", ""))
            elif re.fullmatch(r"\d+(?:\.\d+)?", raw):
                plain = float(raw)
            elif re.fullmatch(r"\d+,\d+", raw):  # a decimal comma left in the English
                plain = float(raw.replace(",", "."))
        if time and int(time.group(1)) <= 24 and int(time.group(2)) < 60:
            hours, minutes = int(time.group(1)), int(time.group(2))
            suffix = re.match(r"\s*([ap])\.?\s?m\b\.?", text[end:], re.IGNORECASE)
            if suffix and suffix.group(1).lower() == "p" and hours < 12:
                hours += 12
            candidates.add(("time", hours * 60 + minutes))
            shown = f"{hours:02d}:{minutes:02d}"
        if plain is not None:
            scale = _scale_after(text[end:], _SQ_SCALES if albanian else _EN_SCALES)
            if scale is None and not albanian:
                suffix = re.match(r"(bn|m|k)\b", text[end:])
                if suffix:
                    factor = {"bn": 1e9, "m": 1e6, "k": 1e3}[suffix.group(1)]
                    candidates.add(_num(plain * factor))
                    if suffix.group(1) == "m":  # "10m" may be ten metres
                        candidates.add(_num(plain))
                    shown = _show(plain * factor)
                    plain = None
            if scale is not None:
                total = plain * scale[0]
                skip_until = end + scale[1]
                # "1 milion e 900 mijë", "1 million 900 thousand", "2 billion and 300 million"
                follow = re.match(r"\s+(?:e\s+|and\s+)?(\d+(?:[.,]\d+)?)", text[skip_until:])
                if follow:
                    rest = text[skip_until + follow.end() :]
                    smaller = _scale_after(rest, _SQ_SCALES if albanian else _EN_SCALES)
                    if smaller and smaller[0] < scale[0]:
                        total += float(follow.group(1).replace(",", ".")) * smaller[0]
                        skip_until += follow.end() + smaller[1]
                candidates.add(_num(total))
                shown = _show(total)
            elif plain is not None:
                candidates.add(_num(plain))
                hour_suffix = re.match(r"\s*([ap])\.?\s?m\b\.?", text[end:], re.IGNORECASE)
                if hour_suffix and plain == int(plain) and 1 <= plain <= 12:
                    hours = int(plain) % 12 + (12 if hour_suffix.group(1).lower() == "p" else 0)
                    candidates.add(("time", hours * 60))
                shown = _show(plain)
                if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw) and plain == int(plain):
                    shown = f"{int(plain):,}"  # "2.000" is 2,000 however year-like
                month = _month_near(text, start, end, months, names)
                if month and plain == int(plain) and plain <= 31:
                    shown = f"{int(plain)} {month}"
        if re.fullmatch(r"\d{2}", raw) and re.search(r"['’‘]$", text[:start]):
            # "vitet '90", "the '90s": a decade of the last century (or of this one)
            candidates |= {_num(1900 + int(raw))} | ({_num(2000 + int(raw))} if int(raw) <= 30 else set())
        if not albanian and re.fullmatch(r"\d{2}", raw):
            year = re.search(r"\b((?:19|20)\d{2})\s*[-/–]\s*$", text[:start])
            if year:  # "2024/25": the 25 is 2025
                candidates.add(_num(int(year.group(1)[:2] + raw)))
        if not albanian and plain is not None and re.match(r"\s+and\s+a\s+half\b", text[end:]):
            candidates = {_num(plain + 0.5)}  # "4 and a half years"
            shown = _show(plain + 0.5)
        if (
            plain is not None
            and re.search(r"(?:\bminus\s+|(?<![\w.,])[-−])$", text[:start], re.IGNORECASE)
            and not re.match(r"\s*kg\b", text[end:], re.IGNORECASE)  # "-57kg": a weight class
        ):
            # "minus 8 gradë", "-8C": a temperature below zero is not "8C"
            candidates = {-c if isinstance(c, float) else c for c in candidates}
            shown = f"minus {shown}"
        if not candidates and re.fullmatch(r"\d+:\d{2}[.,]\d+", raw):
            candidates.add(("raw", raw.replace(",", ".")))  # "9:18.50", a race time
        if candidates:
            values.append(_Value(frozenset(candidates), shown, start=start))

    if not albanian:
        # "every quarter of an hour" for "çdo 15 minuta": minutes that may satisfy the original
        for match in _HOUR_PARTS.finditer(text):
            minutes = {"quarter": 15, "half": 30, "three quarters": 45}[match.group(1).casefold()]
            values.append(_Value(frozenset({_num(minutes)}), match.group(), soft=True, start=match.start()))
    words = _tokens(text)
    used_until = -1  # English number words already read as part of a longer number
    for i, token in enumerate(words):
        if token.start < used_until:
            continue
        if not albanian and token.folded in ("noon", "midday", "midnight"):
            minutes = {"noon": {720}, "midday": {720}, "midnight": {0, 1440}}[token.folded]
            values.append(
                _Value(frozenset(("time", m) for m in minutes), token.text, soft=True, start=token.start)
            )
            continue
        roman = _roman(token.text)
        if roman is not None:  # "shekulli III": the 3rd century; "Leo XIV"
            values.append(_Value(frozenset({_num(roman)}), token.text, start=token.start))
            continue
        many = (_SQ_MANY if albanian else _EN_MANY).get(token.folded)
        if many is not None:  # "qindra" (hundreds) is not "thousands"
            values.append(_Value(frozenset({("many", many)}), _MANY_SHOWN[many], start=token.start))
            continue
        word = token.folded
        small = _SQ_SMALL if albanian else _EN_SMALL
        value = small.get(word)
        soft = False
        if value is None and not albanian and word in _EN_SOFT:
            value, soft = _EN_SOFT[word], True
        if (
            value is None
            and word.startswith(("dekad", "decade"))
            and not (i and words[i - 1].folded in small)
        ):
            value, soft = 10, True  # "niveli më i lartë i dekadës": "a ten-year high"
        if value is None and albanian:
            compound = _SQ_NUMBER_COMPOUND.match(word)
            if compound:  # "dyditore" (two-day), "trefish" (threefold): the number may be written
                value, soft = _SQ_SMALL.get(compound.group(1)), True
        if value is None and not albanian and word in _EN_ORDINALS:
            value, soft = _EN_ORDINALS[word], True  # "first to fifth grade" for "klasat 1-5"
        if value is None:
            continue
        if not albanian and not soft and re.match(r"\s+and\s+a\s+half\b", text[token.end :]):
            # "four and a half years": 4.5, which renders "4 vjet e 6 muaj" (see _sq_halves)
            values.append(_Value(frozenset({_num(value + 0.5)}), _show(value + 0.5), start=token.start))
            continue
        if not albanian and not soft:
            compound = _english_number_words(words, i, text)
            if compound is not None:
                value, used_until = compound
                values.append(_Value(frozenset({_num(value)}), _show(value), start=token.start))
                continue
        if albanian and value in _SQ_TENS and i + 2 < len(words) and words[i + 1].folded == "e":
            unit = _SQ_UNITS.get(words[i + 2].folded)
            if unit is not None:  # "tridhjetë e pesë": 35, "njëzet e një": 21
                value += unit
                used_until = words[i + 2].end
                token = words[i + 2]
        following = text[token.end :]
        scale = _scale_after(following, _SQ_SCALES if albanian else _EN_SCALES)
        if scale:
            value = value * scale[0]
        elif albanian and i > 0 and words[i - 1].folded == "te" and word in ("dy", "dyja", "tre", "treja"):
            soft = True  # "të dy": both
        elif albanian and i > 0 and words[i - 1].text.casefold() in ("e", "i", "së"):  # not "se": that
            soft = True  # "seanca e dhjetë": the tenth session, an ordinal (checked as one)
        values.append(_Value(frozenset({_num(value)}), _show(value), soft=soft, start=token.start))
    return _with_decades(text, albanian, values), date_months


_DECADES = re.compile(r"(?<![\w.,])([^\W_]+)[\s-]+(?:decades?|dekad\w*)\b", re.IGNORECASE)


def _with_decades(text: str, albanian: bool, values: list[_Value]) -> list[_Value]:
    """ "dy dekada" may be written "20 years", and "30 vjet" "three decades": a number of decades
    may also be read as ten times as many years."""
    decades = {match.start(1) for match in _DECADES.finditer(text)}
    return [
        dataclasses.replace(
            value,
            candidates=value.candidates | {_num(c * 10) for c in value.candidates if isinstance(c, float)},
        )
        if value.start in decades
        else value
        for value in values
    ]


_EN_YEAR_BEFORE = re.compile(
    r"\b(?:the )?(?:previous|prior|preceding) year\b|\ba year (?:earlier|before|ago)\b|\blast year\b|"
    r"\byear[- ]on[- ]year\b|\bthe year before\b",
    re.IGNORECASE,
)

_PAIR = re.compile(r"(?<![\d.,:/–-])(\d{1,2})\s*[-–]\s*(\d{1,2})(?![\d.,:/–-])")


def _score_pairs(
    source: str, translation: str, missing: list[_Value], extra: list[_Value], original: str, what: str
) -> tuple[list[_Value], list[_Value], list[Flag]]:
    """Scores and short ranges are pairs ("2-0 ... 1-1"): the English "2-2" has a 2 that the
    original has too, but not that pair. A pair of the English that the original lacks, when the
    original has pairs, is a wrong number; the numbers it explains are not reported again."""
    source_pairs = {(int(a), int(b)) for a, b in _PAIR.findall(source)}
    if not source_pairs:
        return missing, extra, []
    wrong = [
        (int(a), int(b))
        for a, b in _PAIR.findall(translation)
        if (int(a), int(b)) not in source_pairs and (int(b), int(a)) not in source_pairs
    ]
    if not wrong:
        return missing, extra, []
    english = {float(n) for pair in wrong for n in pair}
    lost = sorted(source_pairs - {(int(a), int(b)) for a, b in _PAIR.findall(translation)})
    said = ", ".join(f"{a}-{b}" for a, b in lost) or "other numbers"
    message = f"{original} says {said}; {what} says {', '.join(f'{a}-{b}' for a, b in wrong)}"
    extra = [v for v in extra if not (v.candidates & english)]
    missing = [v for v in missing if not any(v.candidates & {float(n)} for pair in lost for n in pair)]
    return missing, extra, [Flag(NUMBER, message)]


def _month_count(value: _Value, text: str, albanian: bool) -> int:
    """N when a value is the number of "the first N months" ("nëntë muajt e parë"), else 0."""
    for match in (_SQ_FIRST_MONTHS if albanian else _FIRST_MONTHS).finditer(text):
        if match.start() <= value.start < match.end():
            return next((int(c) for c in value.candidates if isinstance(c, float) and 1 <= c <= 12), 0)
    return 0


_EN_NUMBER_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _english_number_words(words: list[_Token], first: int, text: str) -> tuple[float, int] | None:
    """A number written in several English words from `words[first]` on, and where it ends.

    "two hundred thousand" is 200,000 and "twenty-five" 25; a single word ("two", "two million") is
    left to the caller. Returns None unless at least two number words are joined by spaces, hyphens
    or "and"."""
    total, current, count, end = 0.0, 0.0, 0, words[first].start
    i = first
    while i < len(words):
        token = words[i]
        if i > first and text[words[i - 1].end : token.start].strip() not in ("", "-"):
            break
        word = token.folded
        if word == "and" and count and i + 1 < len(words) and words[i + 1].folded in _EN_SMALL:
            i += 1
            continue
        after_tens = count and current in _TENS and text[words[i - 1].end : token.start] == "-"
        if word in _EN_SMALL and word != "hundred":
            current += _EN_SMALL[word]
        elif after_tens and (word == "one" or word in _EN_ORDINALS):
            # "sixty-one" ("one" is read as a pronoun alone), "twenty-first" (an ordinal's value)
            current += 1 if word == "one" else _EN_ORDINALS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _EN_NUMBER_SCALES:
            total += (current or 1) * _EN_NUMBER_SCALES[word]
            current = 0
        else:
            break
        count += 1
        end = token.end
        i += 1
    if count < 2 or (count == 2 and words[first + 1].folded in _EN_NUMBER_SCALES):
        return None  # one word, or "two million": the scale reading after a single word handles it
    return total + current, end


_TENS = frozenset(float(n) for n in range(20, 100, 10))

_SQ_HALF = re.compile(
    r"\b(\d+|[^\W\d_]+)\s+(?:vjet|vite|vjeç|or|muaj)\w*\s+e\s+(6|30|gjashtë|gjashte|tridhjetë)\s+(?:muaj|minut)",
    re.IGNORECASE,
)


def _sq_halves(source: str, values: list[_Value]) -> list[_Value]:
    """ "4 vjet e 6 muaj" is "four and a half years" (and "2 orë e 30 minuta" two and a half hours):
    the first number may also be read with its half, and the 6 (or 30) is part of it."""
    for match in _SQ_HALF.finditer(source):
        whole, half = match.start(1), match.start(2)
        first = match.group(1)
        number = float(first) if first.isdigit() else _SQ_SMALL.get(fold(first))
        if number is None:
            continue  # "vite" after a word that is no number
        values = [
            dataclasses.replace(v, candidates=v.candidates | {_num(number + 0.5)})
            if v.start == whole
            else dataclasses.replace(v, soft=True)
            if v.start == half
            else v
            for v in values
        ]
    return values


def _minutes_and_seconds(missing: list[_Value], extra: list[_Value]) -> tuple[list[_Value], list[_Value]]:
    """ "9 minuta e 14 sekonda" written "9:14": an English time whose two parts are both missing
    numbers of the original is a duration, not a wrong number."""
    for value in list(extra):
        for candidate in value.candidates:
            if not isinstance(candidate, tuple) or candidate[0] != "time":
                continue
            parts = {_num(candidate[1] // 60), _num(candidate[1] % 60)}
            found = [m for m in missing if m.candidates & parts]
            if {c for m in found for c in m.candidates} >= parts:
                missing = [m for m in missing if m not in found]
                extra = [e for e in extra if e is not value]
                break
    return missing, extra


_RANGE = re.compile(r"\b(\d{1,4})\s*(?:-|–|to|through|deri(?:\s+m[eë])?)\s*(\d{1,4})\b", re.IGNORECASE)


def _inside_range(value: _Value, text: str) -> bool:
    """Whether a whole number lies strictly inside a short range of the text ("20-22" holds 21)."""
    numbers = [c for c in value.candidates if isinstance(c, float) and c == int(c)]
    for match in _RANGE.finditer(text):
        low, high = int(match.group(1)), int(match.group(2))
        if 0 < high - low <= 10 and any(low < n < high for n in numbers):
            return True
    return False


def _match(value: _Value, others: list[_Value]) -> bool:
    for other in others:
        if value.candidates & other.candidates:
            return True
        # "at 8:00" may come out as "at 8" or "at 8 o'clock"
        for candidate in value.candidates:
            if isinstance(candidate, tuple) and candidate[0] == "time" and candidate[1] % 60 == 0:
                hour = candidate[1] // 60
                if {_num(hour), _num(hour - 12)} & other.candidates:
                    return True
    return False


#: Words before "shkurt" (also "short"), "May" (also "may") and the like that make them months.
_SQ_BEFORE_MONTH = frozenset(
    _words("ne muajin nga deri me te fund fundin fillim fillimin mes mesin gjate prej")
)
_EN_BEFORE_MONTH = frozenset(
    _words("in of since until from by early late mid end last next this on during before after through till")
)


def _mentioned_months(
    text: str, albanian: bool, expected: frozenset[int] = frozenset()
) -> list[tuple[int, str, int]]:
    """(month number, English name, offset) for each month name in the text.

    An English "May" or "March" away from a number is a month only after words such as "in" or
    "since", unless the original names that month (`expected`): then "the May hailstorm" is it."""
    sq_forms, en_forms, names = _months()
    found = []
    tokens = _tokens(text)
    for i, token in enumerate(tokens):
        if albanian:
            number = sq_forms.get(token.folded)
            if number is None:
                continue
            if token.folded.startswith("shkurt"):  # also "short": count it only as a date
                near_number = re.search(r"\d\s*$", text[: token.start]) or re.match(
                    r"\s*\d", text[token.end :]
                )
                before = tokens[i - 1].folded if i else ""
                if not near_number and before not in _SQ_BEFORE_MONTH:
                    continue
        else:
            number = en_forms.get(token.folded)
            if number is None or not _is_capitalised(token.text):
                continue
            if number in expected and not token.initial:
                pass  # the original names this month
            elif token.folded in ("may", "march") or (
                len(token.folded) <= 4 and token.folded not in ("june", "july")
            ):
                near_number = re.search(r"\d\s*$", text[: token.start]) or re.match(
                    r"\.?\s*\d", text[token.end :]
                )
                near_number = near_number or token.text.endswith(("'s", "’s"))  # "May's elections"
                before = tokens[i - 1].folded if i else ""
                if not near_number and before not in _EN_BEFORE_MONTH:
                    continue
        found.append((number, names[number - 1], token.start))
    return found


def _month_list(months: dict[int, str]) -> str:
    """Months for a message: "March and May", "January to September", or "no month"."""
    numbers = sorted(months)
    if not numbers:
        return "no month"
    if len(numbers) >= 3 and numbers[-1] - numbers[0] == len(numbers) - 1:
        return f"{months[numbers[0]]} to {months[numbers[-1]]}"
    return " and ".join(months[n] for n in numbers)


_SQ_FIRST_MONTHS = re.compile(r"\b(\d{1,2}|[^\W\d_]+)\s+muaj(?:t|ve)\s+(?:e|të)\s+par[eë]", re.IGNORECASE)
_SQ_FIRST_PARTS = {"tremujor": 3, "gjashtemujor": 6}


def _sq_implied_months(text: str) -> dict[int, str]:
    """Months an Albanian text names without a month's name: "tetë muajt e parë" (the first eight
    months) and "tremujori i parë" (the first quarter)."""
    names = _months()[2]
    found: dict[int, str] = {}
    lasts = [
        int(m.group(1)) if m.group(1).isdigit() else _SQ_SMALL.get(fold(m.group(1)), 0)
        for m in _SQ_FIRST_MONTHS.finditer(text)
    ]
    folded = fold(text)
    lasts += [n for stem, n in _SQ_FIRST_PARTS.items() if re.search(rf"\b{stem}\w*\s+(?:e|i)\s+par", folded)]
    for last in lasts:
        if 1 <= last <= 12:
            found |= {n: names[n - 1] for n in range(1, last + 1)}
    return found


_SQ_MONTH_BEFORE = re.compile(
    r"\b(?:nje\s+)?muaj\s+me\s+(?:pare|heret)\b|\bmuaj\w*\s+(?:e\s+|te\s+)?(?:kaluar|meparshem|paraardhes)\b"
)

_FIRST_MONTHS = re.compile(
    r"\bfirst\s+(?:(\d{1,2})|([a-z]+))\s+months\b|\bfirst\s+(quarter|half)\b", re.IGNORECASE
)


def _implied_months(text: str) -> dict[int, str]:
    """Months an English article names without a month's name: "the first nine months" of a year
    runs from January to September, so a summary's "January–September" says nothing new."""
    names = _months()[2]
    found: dict[int, str] = {}
    for match in _FIRST_MONTHS.finditer(text):
        digits, word, part = match.groups()
        last = {"quarter": 3, "half": 6}.get((part or "").lower()) or (
            int(digits) if digits else _EN_SMALL.get((word or "").lower(), 0)
        )
        if 1 <= last <= 12:
            found |= {n: names[n - 1] for n in range(1, last + 1)}
    return found


#: Albanian ordinal stems (folded) and their value: "e parë", "të dytën", "i treti", "e katërt".
_SQ_ORDINALS = {"par": 1, "dyt": 2, "tret": 3, "katert": 4, "pest": 5, "gjasht": 6, "shtat": 7, "tet": 8,
                "nent": 9, "dhjet": 10}  # fmt: skip
_SQ_ORDINAL_ENDINGS = ("", "e", "en", "et", "es", "i", "it", "in", "a", "ave")  # "": "i katërt"
_EN_ORDINALS = {w: n for n, w in enumerate(_words(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
))} | {w: 10 * n for n, w in enumerate(_words(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
), start=2)} | {"hundredth": 100}  # fmt: skip
_EN_ORDINAL_DIGITS = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)


def _ordinals(text: str, albanian: bool) -> dict[int, int]:
    """Ordinals in a text ("e dytë", "second", "2nd"): value → offset of the first mention."""
    found: dict[int, int] = {}
    tokens = _tokens(text)
    for i, token in enumerate(tokens):
        value = None
        if albanian:
            before = tokens[i - 1].folded if i else ""
            if before not in _PARTICLES:
                continue  # "i/e/të/së" make it an ordinal: "parë" alone is also "seen"
            for stem, number in _SQ_ORDINALS.items():
                ending = token.folded[len(stem) :]
                if token.folded.startswith(stem) and ending in _SQ_ORDINAL_ENDINGS:
                    value = number
                    if ending == "e" and number >= 6 and before == "te":
                        value = None  # "të gjashtë": all six
                    if number == 1 and before == "te" and i > 1 and tokens[i - 2].folded == "per":
                        value = None  # "për të parë": in order to see
                    if number == 1 and ending == "a" and before != "e":
                        value = None  # "para": before, money
        else:
            value = _EN_ORDINALS.get(token.folded)
        if value is not None:
            found.setdefault(value, token.start)
    if not albanian:
        for match in _EN_ORDINAL_DIGITS.finditer(text):
            found.setdefault(int(match.group(1)), match.start())
    return found


def _ordinal_name(number: int) -> str:
    return _EN_ORDINALS_BY_VALUE.get(number, f"{number}th")


_EN_ORDINALS_BY_VALUE = {n: w for w, n in _EN_ORDINALS.items()}


def _ordinal_flags(source: str, translation: str, original: str, what: str) -> list[Flag]:
    """A swapped ordinal: the original says "e dytë" where the English says "third".

    An ordinal the English leaves out or rewords ("e parë": "opening", "debut") is not flagged,
    because English rewords ordinals often; only one replaced by another ordinal is."""
    source_ordinals, target_ordinals = _ordinals(source, True), _ordinals(translation, False)
    missing = [n for n in source_ordinals if n not in target_ordinals]
    extra = [n for n in target_ordinals if n not in source_ordinals]
    if not (missing and extra):
        return []
    said = ", ".join(_ordinal_name(n) for n in sorted(missing, key=source_ordinals.__getitem__))
    target_said = ", ".join(_ordinal_name(n) for n in sorted(extra, key=target_ordinals.__getitem__))
    return [Flag(NUMBER, f"{original} says {said}; {what} says {target_said}")]


def _number_and_month_flags(source: str, translation: str, source_albanian: bool, what: str) -> list[Flag]:
    source_values, source_date_months = _numbers(source, source_albanian)
    target_values, target_date_months = _numbers(translation, False, source if source_albanian else "")
    if source_albanian:
        # "e dytë" may come out as "2nd": the ordinal accounts for that number in the English.
        source_values += [
            _Value(frozenset({_num(n)}), str(n), soft=True, start=at)
            for n, at in _ordinals(source, True).items()
        ]
    if source_albanian:
        source_values = _sq_halves(source, source_values)
    flags = []
    missing = [v for v in source_values if not v.soft and not _match(v, target_values)]
    extra = [v for v in target_values if not v.soft and not _match(v, source_values)]
    # "më 20, 21 dhe 22 dhjetor" is "December 20-22": a number inside the other side's range.
    missing = [v for v in missing if not _inside_range(v, translation)]
    extra = [v for v in extra if not _inside_range(v, source)]
    missing, extra = _minutes_and_seconds(missing, extra)
    # "nëntë muajt e parë" written "January-September", and "the first three months" for
    # "tremujori i parë": the number of months is the months the other side names.
    source_month_numbers = set(_sq_implied_months(source) if source_albanian else _implied_months(source))
    source_month_numbers |= {n for n, _, _ in _mentioned_months(source, source_albanian)}
    target_month_numbers = set(_implied_months(translation))
    target_month_numbers |= {n for n, _, _ in _mentioned_months(translation, False)}
    missing = [
        v
        for v in missing
        if not (n := _month_count(v, source, source_albanian)) or not {1, n} <= target_month_numbers
    ]
    extra = [
        v
        for v in extra
        if not (n := _month_count(v, translation, False)) or not {1, n} <= source_month_numbers
    ]
    if source_albanian and _EN_YEAR_BEFORE.search(translation):
        # "22 për qind më shumë se në vitin 2023" for a 2024 figure: "up 22% on the previous year"
        years = {c for v in source_values for c in v.candidates if isinstance(c, float) and 1900 <= c <= 2100}
        missing = [
            v for v in missing if not any(c + 1 in years for c in v.candidates if isinstance(c, float))
        ]
    original = "the original" if source_albanian else "the article"
    missing, extra, pair_flags = _score_pairs(source, translation, missing, extra, original, what)
    flags += pair_flags
    if source_albanian is False:
        missing = []  # a summary leaves things out by design
    if len(missing) == 1 and len(extra) == 1:
        flags.append(Flag(NUMBER, f"{original} says {missing[0].shown}; {what} says {extra[0].shown}"))
    else:
        if missing:
            shown = ", ".join(dict.fromkeys(v.shown for v in missing))
            flags.append(Flag(NUMBER, f"{original} says {shown}; {what} does not"))
        if extra:
            shown = ", ".join(dict.fromkeys(v.shown for v in extra))
            flags.append(Flag(NUMBER, f"{what} says {shown}; {original} does not"))

    if source_albanian:
        flags += _ordinal_flags(source, translation, original, what)

    source_months = {n: name for n, name, _ in _mentioned_months(source, source_albanian)}
    source_months |= dict(source_date_months)
    implied = _implied_months(source) if not source_albanian else _sq_implied_months(source)
    # Implied months account for the other side's months, but are never missing themselves.
    if source_albanian and _SQ_MONTH_BEFORE.search(fold(source)):
        # "2,4 për qind në tetor, nga 2,9 për qind një muaj më parë": the month before is September
        names = _months()[2]
        implied |= {(n - 2) % 12 + 1: names[(n - 2) % 12] for n in source_months}
    implied = {n: name for n, name in implied.items() if n not in source_months}
    target_months = {
        n: name for n, name, _ in _mentioned_months(translation, False, frozenset(source_months))
    }
    target_months |= dict(target_date_months)
    # "janar-shtator" written "the first nine months": months the English implies are not missing
    target_implied = _implied_months(translation)
    missing_months = (
        []
        if not source_albanian
        else [n for n in source_months if n not in target_months and n not in target_implied]
    )
    extra_months = [n for n in target_months if n not in source_months and n not in implied]
    if missing_months or extra_months:
        said = _month_list({**source_months, **implied})
        target_said = _month_list(target_months)
        if source_albanian or extra_months:
            flags.append(Flag(MONTH, f"{original} says {said}; {what} says {target_said}"))
    return flags


# --------------------------------------------------------------------------- names

_PARTICLES = {"i", "e", "te", "se"}
_NAME_FUNCTION_WORDS = {"pa", "per", "dhe", "kunder", "ne", "mbi", "nga"}
_INSTITUTION_LINKS_SQ = _PARTICLES | {"per", "dhe", "kunder"}  # "Gjykata ... kundër Korrupsionit"


#: Endings of Albanian adjectives that are capitalised inside institutions' names: Zgjedhor, Rajonal,
#: Politik, Kombëtare, Kushtetuese, Socialiste, Përgjithshëm.
_SQ_ADJECTIVE_ENDINGS = ("or", "ore", "al", "ale", "ik", "ike", "iak", "iake", "ar", "are", "ian", "iane",
                         "shem", "shme", "ist", "iste", "ese", "iv", "ive", "ues")  # fmt: skip
#: Endings of the definite form of a noun (Kodi, Kodin, Komunitetit, Gjykata, Spitalit).
_SQ_DEFINITE_ENDINGS = ("i", "in", "it", "ut", "un", "a", "ja", "es", "se", "en", "ne", "ve")  # -ve: Doganave
#: English words for Albania and Kosovo, whose news this is, that a translator adds as context.
_HOME = frozenset({"albania", "albanian", "albanians", "kosovo", "kosovar", "kosovars"})


def _sq_adjective(folded: str) -> bool:
    return len(folded) >= 5 and folded.endswith(_SQ_ADJECTIVE_ENDINGS)


@functools.cache
def _languages() -> tuple[tuple[str, str], ...]:
    """(folded stem of an Albanian language name, its English name folded), from CLDR.

    "në anglisht" may come out as "in English": a capitalised English word, but no name."""
    from babel import Locale

    albanian, english = Locale("sq").languages, Locale("en").languages
    pairs = []
    for code, name in albanian.items():
        if "_" in code or code not in english or " " in name or len(name) < 5:
            continue
        folded = fold(name)
        stem = folded[:-4] if folded.endswith("isht") else folded  # "anglisht": angl(isht)
        if len(stem) >= 4:
            pairs.append((stem, fold(english[code])))
    return tuple(pairs)


@functools.cache
def _demonyms_of_table() -> dict[str, frozenset[str]]:
    """English country name (folded) → its demonyms, from the demonym table's rows."""
    table: dict[str, set[str]] = {}
    for _, english in _demonyms():
        for word in english:
            table.setdefault(word, set()).update(english)
    return {word: frozenset(words) for word, words in table.items()}


def _demonyms_of(country_names: Iterable[str]) -> set[str]:
    """The English words derived from a country named in the original: Afghanistan gives Afghan."""
    found: set[str] = set()
    table = _demonyms_of_table()
    for name in country_names:
        folded = fold(name)
        found |= table.get(folded, frozenset())
        found.add(f"{folded[:5]}*")  # a prefix pattern: "afgha*" accounts for Afghan, Afghans
    return found


def _display_name(word: str) -> str:
    """An inflected Albanian name in a form a reader recognises: Berishën → Berisha, Putinin → Putini."""
    for suffix, replacement in (("ës", "a"), ("ën", "a"), ("in", "i"), ("it", "i"), ("ut", "u")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


@dataclass(frozen=True)
class _Name:
    shown: str  # how to name it in a message
    english: tuple[str, ...]  # English forms that render it (empty: the word itself)
    keys: frozenset[str]  # stems for matching
    acronym: str = ""  # the acronym in parentheses after it in the source; the English may give only that
    exact: bool = False  # a known person: the English must write one of `english` whole, not a stem of it
    demonyms: frozenset[str] = frozenset()  # a country's: "Afghan migrants" renders "nga Afganistani"


def _gazetteer_matches(tokens: list[_Token]) -> list[tuple[int, int, _Entry]]:
    """Gazetteer names in a tokenised Albanian text, as (first token, end token, entry); longest first."""
    index = _gazetteer_index()
    candidates = []
    for i, token in enumerate(tokens):
        if not _is_capitalised(token.text) or token.folded in _ALBANIAN_WORDS:
            continue  # "Për" starting a sentence is "for", not Peru
        entries = {id(e): e for key in _sq_keys(token.folded) for e in index.get(key, ())}
        for entry in entries.values():
            n = len(entry.sq)
            if i + n > len(tokens):
                continue
            shared = [_word_match(w, tokens[i + j], entry) for j, w in enumerate(entry.sq)]
            if all(shared):
                candidates.append((i, i + n, entry, sum(shared)))
    found: list[tuple[int, int, _Entry]] = []
    taken: set[int] = set()
    # Longest names first; among those, the closest spelling ("Libi" is Libya, not "Liban").
    for start, end, entry, _ in sorted(candidates, key=lambda c: (c[0] - c[1], -c[3])):
        if not taken & set(range(start, end)):
            found.append((start, end, entry))
            taken.update(range(start, end))
    return found


def _word_match(word: str, token: _Token, entry: _Entry) -> int:
    """How well one token matches one word of a name: the length of the longest shared stem, or 0."""
    if word in _PARTICLES:
        return int(token.folded in _PARTICLES)
    if word in _NAME_FUNCTION_WORDS:
        return int(token.folded == word)  # "Reporterët pa Kufij": lower-case words of a name
    if entry.kind == "organisation" and len(entry.sq) == 1 and len(word) <= 6 and entry.written.isupper():
        return len(word) if token.text.isupper() and token.folded == word else 0  # SHBA, not "shba"
    if not _is_capitalised(token.text):
        return 0
    if entry.kind != "person" and word[-1] in "ae" and token.folded == word[:-1] and len(word) > 4:
        return 0  # "Odës" is the genitive of "Odë" (chamber), not Odesa, whose would be "Odesës"
    if entry.kind != "person" and word[-1] in "ae" and token.folded.endswith(("it", "ut", "un", "in")):
        return 0  # a name ending in -a/-ë takes -s/-n, not -it or -in: "Krimit", "Krimin" are crime's
    if entry.kind == "person" and word[-1] in "iu" and not token.folded.startswith(word):
        return 0  # Albanian keeps a surname's -i and -u (Hasani: Hasanit, Hasanin): "Hasan" is a first name
    shared = max(map(len, _sq_keys(token.folded) & _sq_keys(word)), default=0)
    if shared >= min(4, len(word)):
        return shared
    # "Kina" shares "kin" with "Kinë": all of the name but its last vowel, as written. "Parë"
    # shares only "par" with "Paris", and "Qytet" only a transliterated "cit" with "Çita".
    whole_stem = len(word) - 1 if word[-1] in "aeiouy" else len(word)
    return shared if shared == whole_stem and token.folded.startswith(word[:whole_stem]) else 0


@functools.cache
def _gazetteer_index() -> dict[str, tuple[_Entry, ...]]:
    """Entries by the stems of their first word, so that a text is scanned once."""
    index: dict[str, list[_Entry]] = {}
    for entry in _gazetteer():
        for key in _sq_keys(entry.sq[0]):
            index.setdefault(key, []).append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


def _english_has(
    translation_folded: str, translation_keys: list[frozenset[str]], forms: Iterable[str]
) -> bool:
    for form in forms:
        folded = fold(form).replace("-", " ")
        if " " in folded or "." in folded:
            if re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", translation_folded.replace("-", " ")):
                return True
        elif any(_stems_match(_en_keys(folded), keys) for keys in translation_keys):
            return True
    return False


#: Plain Albanian adjectives that names take after a particle, folded: great, small, new, old,
#: upper, lower, middle, high, white, black, red, holy.
_SQ_NAME_ADJECTIVES = frozenset(
    _words(
        "madh madhe vogel ri re vjeter eper poshtem poshtme siperm siperme mesem mesme larte bardhe zi "
        "kuq kuqe shenjte shenjt"
    )
)


def _listed_in_name(source: str, tokens: list[_Token], i: int) -> bool:
    """Whether capitalised token i follows a comma inside a list of capitalised words that ends
    with "dhe" and one more ("Arsimit, Shkencës dhe Kulturës")."""
    if not i or source[tokens[i - 1].end : tokens[i].start].strip() != ",":
        return False
    k = i
    while k + 2 < len(tokens) and k < i + 6:
        between = source[tokens[k].end : tokens[k + 1].start].strip()
        if tokens[k + 1].folded == "dhe" and not between:
            return _is_capitalised(tokens[k + 2].text)
        if between != "," or not _is_capitalised(tokens[k + 1].text):
            return False
        k += 1
    return False


def _source_names(source: str) -> tuple[list[_Name], set[str], set[str]]:
    """Names the English should carry; English forms the source accounts for; the folded words of
    the runs of capitalised words taken for names (Marco Rubio: not cognates).

    A name is a gazetteer entry, an acronym, or a run of adjacent capitalised words that are not
    translated words (titles, institution words, adjectives such as Perëndimor or Përgjithshëm).
    A run is one person's name: Albanian inflects only its last word ("Albin Kurtit") and English
    often keeps only that surname ("Kurti"), so the surname is what the English must carry."""
    tokens = _tokens(source)
    titles = _titles()
    translated = titles["institution"] | titles["title"] | titles["unit"] | titles["place"]
    names: list[_Name] = []
    allowed: set[str] = set()
    covered: set[int] = set()
    person_starts: dict[int, int] = {}  # first token of a known person → index in names
    for start, end, entry in _gazetteer_matches(tokens):
        covered.update(range(start, end))
        if entry.kind == "person":
            person_starts[start] = len(names)
        allowed |= {fold(e) for e in entry.en}
        allowed |= {fold(w) for e in entry.en for w in re.split(r"[\s-]+", e)}
        allowed |= {fold(_initials_of(e)) for e in entry.en if _initials_of(e)}  # UAE, DRC
        shown = entry.written if entry.kind == "person" else entry.en[0]
        acronym = _acronym_after(source, tokens[end - 1]) or _initials_before(tokens, end)
        last = tokens[end - 1].folded
        # English often keeps a place's Albanian spelling ("Dibër" for Dibrës, not "Debar"): it
        # renders the name as well as the exonym does.
        keys = _sq_keys(last) if entry.kind in ("place", "country") and len(last) >= 4 else frozenset()
        if entry.kind == "organisation" and end - start == 1 and _is_acronym(tokens[start].text):
            keys = frozenset({last})  # "KQZ" kept as it is for the CEC
        demonyms = frozenset(_demonyms_of(entry.en)) if entry.kind == "country" else frozenset()
        allowed |= demonyms
        # The first five letters stand for the demonyms the table does not list: "afgha" for Afghan.
        prefixes = frozenset(d[:-1] for d in demonyms if d.endswith("*"))
        names.append(
            _Name(shown, entry.en, keys, acronym, exact=entry.kind == "person", demonyms=demonyms | prefixes)
        )
    demonyms = _demonyms()
    all_stems = tuple(stem for stem, _ in demonyms)
    adjectives = set()
    for i, token in enumerate(tokens):
        if token.folded.startswith(all_stems):
            allowed |= {w for stem, english in demonyms if token.folded.startswith(stem) for w in english}
            adjectives.add(i)
    languages = _languages()
    language_stems = tuple(stem for stem, _ in languages)
    for token in tokens:
        if token.folded.startswith(language_stems):  # one C-level test before the loop
            allowed |= {english for stem, english in languages if token.folded.startswith(stem)}
    if not adjectives:
        # No nationality in the original: one in the English is context the translator added to a
        # title ("Serbian President Aleksandar Vucic"), not a name; a swapped one is still caught.
        allowed |= _demonym_adjectives()
    # Albanian-language news is about Albania and Kosovo: "Albania's parliament" for "Kuvendi",
    # "Kosovo's power distributor KEDS" add context, not a name. A swap is still caught, because
    # the name it replaces is missing.
    allowed |= _HOME
    after_institution = False
    runs: list[list[int]] = []
    for i, token in enumerate(tokens):
        keys = _sq_stems(token.folded)  # a title or noun is a word of the language: no spelling by ear
        if i in covered:
            continue  # a place inside an institution's name ("Agjencia Kosovare ...") does not end it
        if not _is_capitalised(token.text):
            # "Zyra e Komisionerit për të Drejtën e Informimit": one name through i/e/të/së and për
            after_institution = after_institution and token.folded in _INSTITUTION_LINKS_SQ
            continue
        if _roman(token.text) is not None or token.folded in _months()[0]:
            continue  # "shekulli III", "28 Nëntori": numbers and months, which their checks own
        if _is_acronym(token.text) and len(token.folded) >= 2:
            after_institution = False
            if token.folded in titles["title"]:
                continue  # "FK Partizani": a club's prefix, dropped like a title; the name is checked
            if not (i and _acronym_after(source, tokens[i - 1]) == token.text):
                names.append(_Name(token.text, (token.text,), frozenset({token.folded})))
            # else: the Albanian acronym of the name before it ("(ZRRE)"); English gives its own (ERO)
            continue
        if keys & translated:
            # "Ministri i Jashtëm", "Sekretari i Përgjithshëm", "Pallati i Kongreseve": one name; after
            # a noun of geography the linked word is a real name ("Lugina e Preshevës": Preševo).
            after_institution = not keys & titles["place"] or bool(keys & titles["institution"])
            allowed |= {w for stems, english in _noun_english() if keys & stems for w in english}
            continue
        previous = tokens[i - 1] if i else None
        if (
            previous
            and _is_capitalised(previous.text)
            and not source[previous.end : token.start].strip()
            # "Këshillit Mbikëqyrës": an agent adjective in -ës (supervisory)
            and (_sq_adjective(token.folded) or (len(token.folded) >= 8 and token.folded.endswith("yres")))
            and previous.folded.endswith(_SQ_DEFINITE_ENDINGS)
        ):
            # "Kodin Zgjedhor", "Spitalin Rajonal", "Komunitetit Politik": a noun in its definite
            # form and an adjective after it are a translated institution's name (Electoral Code),
            # not a person's: a first name is not inflected, and a surname does not end so.
            if runs and runs[-1][-1] == i - 1:
                runs.pop()
            after_institution = True
            continue
        if after_institution and (i in adjectives or _sq_adjective(token.folded)):
            continue  # "Agjencia Kosovare e Privatizimit": the name goes on after its adjective
        if after_institution and i > 0 and tokens[i - 1].folded in _INSTITUTION_LINKS_SQ:
            continue  # "Ministria e Shëndetësisë": part of the institution's name
        if i >= 2 and tokens[i - 1].folded in _PARTICLES and token.folded in _SQ_NAME_ADJECTIVES:
            continue  # "Bajrami i Madh", "Drini i Zi": an adjective of a name, translated (Great, Black)
        if len(token.folded) >= 6 and token.folded.endswith(("eve", "ave")):
            # "Tatimeve", "Doganave": a plural genitive is a common noun's (of the taxes, of the
            # customs), translated; no person or place is named so
            after_institution = True
            continue
        if after_institution and _listed_in_name(source, tokens, i):
            continue  # "Sindikata e Arsimit, Shkencës dhe Kulturës": the name lists its fields
        if i >= 2 and tokens[i - 1].folded == "per" and _sq_stems(tokens[i - 2].folded) & titles["title"]:
            continue  # "komisioneren për Zgjerim": a portfolio, translated (Enlargement)
        after_institution = False
        if token.initial or len(token.folded) < 3 or i in adjectives:
            continue  # a capital at the start of a sentence says nothing; "Ballkani Perëndimor"
        if runs and runs[-1][-1] == i - 1 and not source[tokens[i - 1].end : token.start].strip():
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        last = tokens[run[-1]]
        following = run[-1] + 1
        if following in person_starts and not source[last.end : tokens[following].start].strip():
            # "Edi Rama": the first name of a known person, whose entry is checked.
            person = names[person_starts[following]]
            first = " ".join(tokens[k].text for k in run)
            names[person_starts[following]] = dataclasses.replace(person, shown=f"{first} {person.shown}")
            continue

        shown = " ".join([tokens[k].text for k in run[:-1]] + [_display_name(last.text)])
        names.append(_Name(shown, (), _sq_keys(last.folded), _acronym_after(source, last)))
    name_words = {tokens[k].folded for run in runs for k in run}
    return names, allowed, name_words


@functools.cache
def _portfolios() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(folded Albanian stem, English words, the usual one first) from portfolios.tsv."""
    return tuple((stem, tuple(english.split("|"))) for stem, english in _read_table("portfolios.tsv"))


def _portfolio_flags(source: str, translation: str) -> list[Flag]:
    """A ministry swapped for another: "Ministria e Shëndetësisë" (Health) as "Ministry of Finance".

    Only a swap is flagged: a portfolio of the original that the English leaves out ("Minister
    Koçiu said") may be a shortening, but one that the English names beside "ministry" or
    "minister" instead is a wrong ministry."""
    tokens = _tokens(source)
    portfolios = _portfolios()
    wanted: dict[str, tuple[str, ...]] = {}  # the Albanian word as written → its English words
    for i, token in enumerate(tokens):
        if not token.folded.startswith("ministr"):
            continue
        for previous, following in itertools.pairwise(tokens[i : i + 9]):
            between = source[previous.end : following.start]
            if re.search(r"[^\w\s,'’-]", between) or ("," in between and not _is_capitalised(following.text)):
                break  # the name ends at punctuation; "Ministria e Mjedisit, Planifikimit ... dhe
                # Infrastrukturës" lists its portfolios
            for stem, english in portfolios:
                if following.folded.startswith(stem):
                    wanted[following.text] = english
    if not wanted:
        return []
    english_tokens = _tokens(translation)
    english_words = {t.folded for t in english_tokens}
    near_ministry = {
        t.folded
        for i, t in enumerate(english_tokens)
        if any(o.folded.startswith("minist") for o in english_tokens[max(0, i - 3) : i + 4])
    }
    flags = []
    for written, english in wanted.items():
        if english_words.intersection(english):
            continue
        others = [
            words[0]
            for _, words in portfolios
            if words not in wanted.values() and near_ministry.intersection(words)
        ]  # "Ministria e Infrastrukturës dhe Energjisë" may be "the infrastructure ministry"
        if others:
            said, other = english[0].capitalize(), others[0].capitalize()
            flags.append(
                Flag(NAME, f"the original names the {said} ministry ({written}); the English says {other}")
            )
    return flags


def _expansions(tokens: list[_Token], text: str, reference_words: set[str]) -> set[int]:
    """Indices of the capitalised words right before an acronym in parentheses that the reference
    has, when they are an institution's name: "Special Anti-Corruption Structure (SPAK)" spells out
    the original's SPAK in English."""
    found: set[int] = set()
    for i, token in enumerate(tokens):
        if not (_is_acronym(token.text) and token.folded in reference_words and i):
            continue
        if text[tokens[i - 1].end : token.start].strip() != "(":
            continue
        k = i - 1
        run = []
        while k >= 0 and (_is_capitalised(tokens[k].text) or tokens[k].folded in _LINK_WORDS) and i - k <= 8:
            run.append(k)
            if k and text[tokens[k - 1].end : tokens[k].start].strip(" -"):
                break  # punctuation ends the name
            k -= 1
        # An institution's name has a common word ("Special", "Office"); a person's ("Memli
        # Krasniqi (PDK)", of the PDK) has none, and stays checked.
        if any(tokens[k].folded in _english_common() - _LINK_WORDS for k in run):
            found.update(run)
    return found


def _word_initials(text: str) -> set[str]:
    """The initials of every run of two to five words of an English text: a summary may write "AI"
    for the article's "artificial intelligence", or "CEC" for its "Central Election Commission"."""
    tokens = [t for t in _tokens(text) if t.folded not in ("of", "for", "and", "the")]
    return {
        "".join(t.text[0] for t in tokens[k : k + n]).upper()
        for n in range(2, 6)
        for k in range(len(tokens) - n + 1)
    }


def _name_initials(text: str) -> set[str]:
    """The initials of every name of two or more capitalised words in a text, through i/e/të/së/
    për/dhe: "Inspektorati Kombëtar i Mbrojtjes së Territorit" gives IKMT (and KMT, MT), which an
    English text may use for the name it translates."""
    tokens = _tokens(text)
    found = set()
    for end in range(1, len(tokens) + 1):
        if _is_capitalised(tokens[end - 1].text):
            initials = _initials_before(tokens, end)
            found |= {initials[k:] for k in range(len(initials) - 1)}
    return found


def _initials_before(tokens: list[_Token], end: int) -> str:
    """The initials of the capitalised name that ends at token `end` - 1, through i/e/të/së/për/dhe.

    "Lidhja Demokratike e Kosovës" gives "LDK": an English "LDK" renders the whole name, Kosovo
    included."""
    initials = []
    i = end - 1
    while i >= 0 and (_is_capitalised(tokens[i].text) or tokens[i].folded in _INSTITUTION_LINKS_SQ):
        if _is_capitalised(tokens[i].text):
            initials.append(tokens[i].text[0].upper())
        i -= 1
    return "".join(reversed(initials)) if len(initials) >= 2 else ""


def _initials_of(name: str) -> str:
    """The initials of an English name of three or more capitalised words ("United Arab
    Emirates": UAE), or "": two-letter initials are too often another name's."""
    capitals = [w[0] for w in name.split() if w[:1].isupper()]
    return "".join(capitals) if len(capitals) >= 3 else ""


def _display_in(name: str, text: str) -> bool:
    """Whether a name as shown (uninflected, "Kujtimi") stands in a text, inflected ("Kujtimit")."""
    keys = _sq_keys(fold(name.split()[-1]))
    return any(_stems_match(keys, _sq_keys(t.folded)) for t in _tokens(text))


def _acronym_after(source: str, token: _Token) -> str:
    """The acronym in parentheses right after a token ("Lidhja Demokratike e Kosovës (LDK)"), or ""."""
    match = re.match(r"\s*\(([^\W\d_]{2,})(?:-\w+)?\)", source[token.end :])
    return match.group(1) if match and _is_acronym(match.group(1)) else ""


def _name_flags(source: str, translation: str) -> list[Flag]:
    names, allowed, name_words = _source_names(source)
    target_tokens = _tokens(translation)
    target_keys = [_en_keys(t.folded) for t in target_tokens]
    target_folded = fold(translation)
    target_words = {t.text for t in target_tokens}
    missing: list[str] = []
    unknown_acronyms: list[str] = []  # missing acronyms the data does not know: English may translate them
    target_spellings = {k for t in target_tokens for k in _sq_keys(t.folded)}
    for name in names:
        if name.exact:
            # "Kurt" is a stem of "Kurti" but not Kurti: a person's name is written whole (or, in a
            # copy, inflected: "Vučićin").
            found = _english_has(target_folded, [], [e for e in name.english if " " in e or "." in e]) or any(
                _transliterated(fold(e)) in target_spellings for e in name.english
            )
        elif name.english:
            found = _english_has(target_folded, target_keys, name.english)
            if not found and name.keys:
                found = any(_stems_match(name.keys, k) for k in target_keys)
        else:
            found = any(_stems_match(name.keys, k) for k in target_keys)
        if not found and name.demonyms:
            found = any(t.folded in name.demonyms or t.folded[:5] in name.demonyms for t in target_tokens)
        if not found and not name.english:
            # "Jorgos Jerapetritis" written "Giorgos Gerapetritis": the surname spelled another way
            found = any(_spelled_alike(k, t.folded) for k in name.keys for t in target_tokens)
        if not found and not name.exact and " " not in name.shown and _cognate(fold(name.shown)):
            # "Asociacioni" as "Association", "Komuniteti" as "Community": a word of a name the
            # data does not know, translated by its Latin cognate
            found = _cognate(fold(name.shown)) in {_cognate(t.folded) for t in target_tokens}
        if not found and name.acronym in target_words:
            found = True  # "Lidhja Demokratike e Kosovës (LDK)" rendered as "LDK"
        if not found:
            # "Emiratet e Bashkuara Arabe" rendered as "UAE": the initials of its English name
            found = any(_initials_of(e) in target_words for e in name.english if _initials_of(e))
        if not found:
            missing.append(name.shown)
            if name.english == (name.shown,) and _is_acronym(name.shown):
                unknown_acronyms.append(name.shown)
    extra = _extra_names(target_tokens, translation, _Reference.albanian(source, allowed, name_words))
    if _quoted_spans(translation):
        # A short quoted title ("Lulja e Kujtimit") given in English ('The Flower of
        # Remembrance'): its words are translated, not names the English lost
        titles = [
            source[a:b]
            for a, b in _quoted_spans(source)
            if len(_words(source[a:b])) <= 6
            and any(not _is_capitalised(t.text) for t in _tokens(source[a:b]))  # not "Myslym Shyri"
        ]
        missing = [m for m in missing if not any(_display_in(m, title) for title in titles)]
    missing += _case_endings_kept(source, target_words)
    spare = _english_institution_names(target_tokens, translation) - _source_institution_names(source)
    missing, extra = _pair_acronyms(missing, unknown_acronyms, extra, spare)
    flags = _report_names(dict.fromkeys(missing), extra, "the original", "the English", missing_too=True)
    return flags + _portfolio_flags(source, translation)


@functools.cache
def _known_english_forms() -> frozenset[str]:
    """Every English name and name word of the gazetteer, folded (EU, GDP, Kurti)."""
    return _known_english_names() | {fold(e) for entry in _gazetteer() for e in entry.en}


@functools.cache
def _written_names() -> frozenset[str]:
    """The gazetteer's Albanian names as the data writes them (uninflected), folded."""
    return frozenset(fold(entry.written) for entry in _gazetteer() if entry.written)


def _case_endings_kept(source: str, target_words: set[str]) -> list[str]:
    """Inflected Albanian surnames copied into the English ("Hristijan Mickoskit" for Mickoski).

    Only the last word of a name of two or more words, ending in -it, -ut, -ës or -ën: a place may
    end so by itself (Durrës, Beirut), and so may a first name (Petrit Malaj)."""
    tokens = _tokens(source)

    def joined(left: int, right: int) -> bool:
        return (
            left >= 0
            and right < len(tokens)
            and tokens[left].end + 1 == tokens[right].start
            and source[tokens[left].end] == " "  # "Tiranë-Durrës": two places, not a first name and surname
        )

    # "Hekurudha Durrës": a place as the data writes it, after a translated noun, is no surname
    written = _written_names()
    titles = _titles()
    nouns = titles["institution"] | titles["title"] | titles["place"]
    found = []
    for i, token in enumerate(tokens):
        if token.text not in target_words or not _is_capitalised(token.text) or len(token.text) < 6:
            continue
        if token.folded in written:
            continue
        surname = (
            joined(i - 1, i)
            and _is_capitalised(tokens[i - 1].text)
            and not _sq_stems(tokens[i - 1].folded) & nouns
        )
        last = not (joined(i, i + 1) and _is_capitalised(tokens[i + 1].text))
        if surname and last and token.text.casefold().endswith(("it", "ut", "ës", "ën")):
            found.append(
                f"{_display_name(token.text)} (the English keeps the Albanian case form {token.text})"
            )
    return found


def _pair_acronyms(
    missing: list[str], acronyms: list[str], extra: list[str], spare_names: int
) -> tuple[list[str], list[str]]:
    """Drop an unknown source acronym together with an unknown English acronym or expansion.

    An acronym is usually translated: the Albanian "AKSH" of an institution the checker does not
    know is rendered by the English acronym of its English name, or by that name spelled out
    ("Albanian Power Corporation"), which shares no letters with it. Acronyms the data knows
    (NATO, PBB: GDP) are not paired: they are checked against their known English forms, so a
    known acronym swapped for another stays a flag. `spare_names` counts English institution names
    ("Albanian Power Corporation") beyond the institution names of the original: each may spell out
    one acronym."""
    known = _known_english_forms()
    en_candidates = [
        e for e in extra
        if (_is_acronym(e) and fold(e) not in known) or (" " in e and all(map(_is_capitalised, e.split())))
    ]  # fmt: skip
    pairs = min(len(acronyms), len(en_candidates))
    dropped = set(acronyms[:pairs]) | set(en_candidates[:pairs])
    dropped |= set(acronyms[pairs : pairs + max(spare_names, 0)])
    return [m for m in missing if m not in dropped], [e for e in extra if e not in dropped]


def _english_institution_names(tokens: list[_Token], text: str) -> int:
    """How many English names end in a head noun after capitalised words ("Power Corporation")."""
    inside = _inside_institution_names(tokens, text)
    heads = _english_heads()
    return sum(
        1 for i, t in enumerate(tokens) if t.folded in heads and _is_capitalised(t.text) and i - 1 in inside
    )


def _source_institution_names(source: str) -> int:
    """How many capitalised institution words start a name in the original ("Agjencia", "Banka")."""
    titles = _titles()
    words = titles["institution"] | titles["place"]
    tokens = _tokens(source)
    return sum(
        1
        for i, t in enumerate(tokens)
        if _is_capitalised(t.text)
        and _sq_stems(t.folded) & words
        and not (i and tokens[i - 1].folded in _INSTITUTION_LINKS_SQ)
    )


@dataclass(frozen=True)
class _Reference:
    """What a reference text (the Albanian original, or the English article of a summary) accounts
    for in an English text that renders it."""

    text: str  # the reference itself
    english: bool  # an English article (for a summary) rather than the Albanian original
    words: frozenset[str]  # its folded words
    keys: tuple[frozenset[str], ...]  # the stems of each of its words (Albanian or English keys)
    allowed: frozenset[str] = frozenset()  # English forms its names and words account for (_source_names)
    first_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # surname → first names (_first_names)
    cognates: frozenset[str] = frozenset()  # see _cognates

    @classmethod
    def albanian(cls, source: str, allowed: set[str], name_words: set[str]) -> _Reference:
        """An Albanian original, with what _source_names found in it."""
        tokens = _tokens(source)
        words = frozenset(t.folded for t in tokens)
        first_names = _first_names(tokens, source, albanian=True)
        # The words of names are not cognates: "Mark" does not translate "Marco".
        name_words = name_words | {
            n for surname, names in first_names.items() if surname in name_words for n in names
        }
        return cls(
            source,
            False,
            words,
            tuple(_sq_keys(w) for w in words),
            frozenset(allowed),
            tuple(first_names.items()),
            _cognates(words - name_words),
        )

    @classmethod
    def english_article(cls, article: str) -> _Reference:
        """The English article a summary is checked against."""
        tokens = _tokens(article)
        words = frozenset(t.folded for t in tokens)
        first_names = _first_names(tokens, article, albanian=False)
        # "Greek Foreign Minister" in the article accounts for "Greece" in the summary, and back.
        related = _demonyms_of_table()
        allowed = frozenset(w for word in words for w in related.get(word, ())) | _acronyms_spelled_in(
            article
        )
        return cls(
            article,
            True,
            words,
            tuple(_en_keys(w) for w in words),
            allowed,
            first_names=tuple(first_names.items()),
        )


def _acronyms_spelled_in(article: str) -> frozenset[str]:
    """Acronyms of the data whose names an English article spells out: the summary's "PDK" for
    the article's "Democratic Party of Kosovo"."""
    folded = fold(article)
    found: set[str] = set()
    for entry in _gazetteer():
        if entry.kind != "organisation" or not entry.written.isupper():
            continue
        if any(" " in e and fold(e) in folded for e in entry.en):
            found |= {fold(entry.written)} | {fold(e) for e in entry.en if e.isupper()}
    return frozenset(found)


def _extra_names(tokens: list[_Token], text: str, reference: _Reference) -> list[str]:
    """Capitalised words of an English text (tokens of `text`) that the reference does not account for."""
    allowed, reference_keys, reference_words = (
        set(reference.allowed),
        list(reference.keys),
        set(reference.words),
    )
    first_names = dict(reference.first_names)
    english_reference = reference.english
    initials = _name_initials(reference.text)
    expanded = _expansions(tokens, text, reference_words)
    if english_reference:
        initials |= _word_initials(reference.text)
    # A quoted title in the original ("Shtëpia e heshtjes") is translated word for word in the
    # English ('House of Silence'): its capitals are a title's, not names.
    quoted = _quoted_spans(text) if not english_reference and _quoted_spans(reference.text) else []
    common = _english_common() | _spelled_out_acronyms(tokens, text)
    content = [t for t in tokens if len(t.text) >= 3 and t.folded not in _EN_STOP]  # "met" is no title word
    if len(content) >= 6 and all(_is_capitalised(t.text) for t in content):
        return []  # a headline in title case: capitals say nothing
    institution_words = _inside_institution_names(tokens, text)
    places = _english_place_words()
    extra: list[str] = []
    extra_end = -2  # index in tokens of the last extra word
    for t_index, t in enumerate(tokens):
        if not _is_capitalised(t.text):
            continue
        word = t.folded
        if word in common or len(word) < 2 or _roman(t.text) is not None:
            continue
        if (
            not english_reference
            and t_index in institution_words
            and word not in places
            and not _is_acronym(t.text)
        ):
            # "Civil Aviation Authority", "Office of the Information Commissioner" translate an
            # Albanian name; against an English article ("University of Padua" for "of
            # Bologna"), the words of a name are the article's own.
            continue
        if _is_acronym(t.text) and t.text in initials:
            continue  # "IKMT" for "Inspektorati Kombëtar i Mbrojtjes së Territorit"
        if (
            not english_reference
            and _is_acronym(t.text)
            and not any(_is_acronym(s.text) and len(s.text) >= 2 for s in _cached_tokens(reference.text))
            and t_index - 1 in institution_words
            and re.fullmatch(r"\s*\(", text[tokens[t_index - 1].end : t.start])
            and text[t.end :].startswith(")")
        ):
            continue  # "the Institute of Statistics (INSTAT)": the acronym of the name it follows,
            # when the original has none of its own (ATK given as TAK is a wrong acronym)
        if t_index in expanded:
            continue  # "Special Anti-Corruption Structure (SPAK)": the original's SPAK, spelled out
        if any(a < t.start < b for a, b in quoted) and word not in _known_english_names():
            continue
        if (
            t.initial
            and not _is_acronym(t.text)
            and word not in _known_english_names()
            # A first word that is no English word is a name ("Dibër's harvest", "ProCredit
            # Bank posted"): checked like any other
            and not (len(word) >= 4 and not _is_english_word(word, homographs=True))
        ):
            following = tokens[t_index + 1] if t_index + 1 < len(tokens) else None
            if not (  # "Ivan Dačić" at the start: a first name before a known surname is checked
                following
                and following.folded in _person_words()
                and not text[t.end : following.start].strip()
            ):
                continue
        if word in allowed or re.sub(r"['’]s$", "", word) in allowed:
            continue
        if not _country_word(word) and any(_stems_match(_en_keys(word), _en_keys(a)) for a in allowed):
            continue  # (a country itself must be allowed as such: "Kosovo" is not "Kosovar")
        if len(word) >= 5 and f"{word[:5]}*" in allowed:
            continue  # "Afghan" for a country named in the original (Afganistani)
        if _cognate(word) in reference.cognates or any(
            _cognate_spelling(k) in reference.cognates for k in _en_keys(word) if len(k) >= 4
        ):
            continue  # "Political Community" for "Komunitetit Politik", "Crime" for "Krimit": translated
        following = tokens[t_index + 1] if t_index + 1 < len(tokens) else None
        before_surname = (
            following is not None
            and not _is_acronym(t.text)
            and _is_capitalised(following.text)
            and not text[t.end : following.start].strip()
            and following.folded not in common
            # in a summary, "Sarajevo Film Festival": an English word after it is no surname
            and not (english_reference and _is_english_word(following.folded))
            and _accounted(following.folded, allowed, reference_keys, reference_words)
        )
        if before_surname:
            if _first_name_fits(word, following.folded, first_names) and not _country_word(word):
                # A first name before a surname that the original has: the translator wrote the
                # person's full name ("Edi Rama" for "kryeministri Rama"), or spelled the
                # original's first name another way ("Giorgos Gerapetritis" for "Jorgos").
                continue
        elif (
            _is_english_word(word)
            and not english_reference  # against an English article, its words are there or not
            and not _is_acronym(t.text)
            and word not in _known_english_names()
            and not (extra_end == t_index - 1 and not text[tokens[t_index - 1].end : t.start].strip())
        ):  # (after an unaccounted name word it goes on that name: "Karim Khan")
            # A word of the language, capitalised in a translated name or title ("Fundamentals",
            # "Archbishop", "Reporters Without Borders"); but "Mark" for the original's "Marco"
            # before Rubio is still a wrong first name.
            continue
        if word in reference_words or (
            not english_reference and any(_spelled_alike(word, w) for w in reference_words)
        ):
            continue  # (or the original's name spelled another way: Giorgos Gerapetritis)
        if not _is_acronym(t.text) and (
            # English against English: the same word or a derivation ("Democrats", "Democratic"),
            # not a longer word ("Eurostat" is not "euros")
            any(_derived(_en_keys(word), keys) for keys in reference_keys)
            if english_reference
            else any(_stems_match(_en_keys(word), keys) for keys in reference_keys)
        ):
            continue
        adjacent = extra_end == t_index - 1 and not text[tokens[t_index - 1].end : t.start].strip()
        if extra and text and adjacent:
            extra[-1] = f"{extra[-1]} {t.text}"  # "Ramush Haradinaj": one name, said once
        else:
            extra.append(t.text)
        extra_end = t_index
    if english_reference:
        # Against an English reference only (a summary against its article): an English name
        # of a translated institution ("Special Court") has too many renderings to look up.
        extra += _common_word_names(tokens, text, allowed, reference_words)
        extra += _new_capitalised_runs(tokens, text, allowed, reference_keys, extra)
    return list(dict.fromkeys(extra))


def _new_capitalised_runs(
    tokens: list[_Token],
    text: str,
    allowed: set[str],
    reference_keys: list[frozenset[str]],
    reported: list[str],
) -> list[str]:
    """Runs of capitalised words in a summary with two or more words its English article never
    uses ("South East European University" for the article's "University of Tetovo"): a name the
    article does not have, however common its words. Its own names are reworded, but keep their
    words ("the Agriculture Ministry" for "the Ministry of Agriculture")."""
    runs: list[list[_Token]] = []
    for left, right in itertools.pairwise([None, *tokens]):
        if not _is_capitalised(right.text) or _is_acronym(right.text):
            continue
        if runs and left is runs[-1][-1] and not text[left.end : right.start].strip():
            runs[-1].append(right)
        else:
            runs.append([right])
    found = []
    for run in runs:
        while run and run[0].folded in _EN_STOP:
            run = run[1:]  # "The" starting a sentence is no word of the name
        new = [
            t
            for t in run
            if t.folded not in _EN_STOP
            and t.folded not in allowed
            and t.folded not in _months()[1]
            and not any(_stems_match(_en_keys(t.folded), keys) for keys in reference_keys)
        ]
        shown = text[run[0].start : run[-1].end] if run else ""
        if len(run) >= 2 and len(new) >= 2 and not any(r in shown or shown in r for r in reported):
            found.append(shown)
    return found


@functools.cache
def _common_word_name_index() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Known English names made of common words, and perhaps a country ("World Bank", "United
    Kingdom", "Bank of Albania"), by first word.

    The word-by-word check passes over their words, as it passes over "the Bank" or "a united front"."""
    common = _english_common()
    countries = _country_words()
    index: dict[str, list[tuple[str, ...]]] = {}
    for entry in _gazetteer():
        for name in entry.en:
            words = tuple(fold(w) for w in re.split(r"[\s-]+", name) if w)
            # "Bank of Albania" too: common words and a country's name
            if (
                len(words) >= 2
                and all(w in common or w in countries or _is_english_word(w) for w in words)
                and words[0] not in countries
            ):
                index.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(set(names), key=len, reverse=True)) for first, names in index.items()}


def _common_word_names(
    tokens: list[_Token], text: str, allowed: set[str], reference_words: set[str]
) -> list[str]:
    """Known names of common words in the text that the reference does not account for."""
    index = _common_word_name_index()
    found = []
    for i, token in enumerate(tokens):
        if not _is_capitalised(token.text):
            continue
        for words in index.get(token.folded, ()):
            window = tokens[i : i + len(words)]
            if tuple(t.folded for t in window) != words or not all(
                _is_capitalised(t.text) or t.folded in _LINK_WORDS for t in window
            ):
                continue
            if " ".join(words) not in allowed and not all(w in reference_words for w in words):
                found.append(text[window[0].start : window[-1].end] if text else " ".join(words))
            break
    return found


_QUOTED = re.compile(
    r"«[^»]{2,}»|“[^”]{2,}”|„[^“”]{2,}[“”]|\"[^\"]{2,}\"|‘[^’]{2,}’|(?<![\w])'[^']{2,}'(?!\w)"
)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the quoted passages of a text: «…», “…”, „…“, "…", ‘…’ and '…'."""
    return [match.span() for match in _QUOTED.finditer(text)]


_COGNATE_LENGTH = 5


def _cognate_spelling(folded: str) -> str:
    """A word in a spelling shared by Albanian and English cognates: k is c, ph is f, th is t."""
    return _DOUBLED.sub(r"\1", folded.replace("k", "c").replace("ph", "f").replace("th", "t"))


def _cognates(words: Iterable[str]) -> frozenset[str]:
    """What an English word may share with Albanian words to translate one of them: the first five
    letters of the long ones (see _cognate) and the stems of four letters or more in the cognate
    spelling ("Krimit": crim, which "Crime" has too)."""
    found = {_cognate(w) for w in words}
    found |= {_cognate_spelling(k) for w in words for k in _sq_stems(w) if len(k) >= 4}
    return frozenset(found - {""})


def _cognate(folded: str) -> str:
    """The first letters of a word in a spelling shared by Albanian and English cognates, or "".

    Institution words are mostly Latin in both languages (Komuniteti: Community, Politik: Political,
    Korrupsionit: Corruption, Postare: Postal), so that a capitalised English word whose first five
    letters, so written, are those of an Albanian word of the original translates it. Only words of
    six letters or more: two names that long which share five letters are one name."""
    if len(folded) < 6:
        return ""
    written = _cognate_spelling(folded)
    return written[:_COGNATE_LENGTH] if len(written) >= _COGNATE_LENGTH else ""


def _first_names(tokens: Sequence[_Token], text: str, albanian: bool) -> dict[str, tuple[str, ...]]:
    """Surnames (folded) that a text writes after a first name, with those first names.

    A pair of adjacent capitalised words is a first name and a surname unless the first is a title
    or an institution word ("Kryeministri Rama", "Prime Minister Rama")."""
    translated = _titles()["institution"] | _titles()["title"] if albanian else _english_common()
    found: dict[str, list[str]] = {}
    for first, second in itertools.pairwise(tokens):
        if not (_is_capitalised(first.text) and _is_capitalised(second.text)) or _is_acronym(first.text):
            continue
        if text[first.end : second.start].strip():
            continue
        if (albanian and _sq_stems(first.folded) & translated) or (
            not albanian and first.folded in translated
        ):
            continue
        found.setdefault(second.folded, []).append(first.folded)
    return {surname: tuple(names) for surname, names in found.items()}


@functools.cache
def _country_words() -> frozenset[str]:
    """Folded one-word English names of countries (CLDR) and the demonym table's words."""
    words = {fold(e) for entry in _gazetteer() if entry.kind == "country" for e in entry.en if " " not in e}
    return frozenset(words | {w for _, english in _demonyms() for w in english})


def _country_word(word: str) -> bool:
    """Whether a folded English word is a country or made from one ("Ethiopian", "Ethiopia's"):
    before a surname it is a nationality, never a first name the translator added."""
    countries = _country_words()
    base = re.sub(r"['’]s$", "", word)
    return base in countries or any(
        len(c) >= 5 and base.startswith(c[:-1]) and len(base) - len(c) <= 3 for c in countries
    )


def _first_name_fits(first: str, surname: str, first_names: dict[str, tuple[str, ...]]) -> bool:
    """Whether an English first name may stand before `surname`, given the reference's first names.

    Where the reference writes no first name, the translator may add one; where it does, the
    English one must be a spelling of it (Giorgos for Jorgos), so that "Mark Rubio" for "Marco
    Rubio" is still a wrong name."""
    keys = _en_keys(surname)
    written = [
        name
        for reference, names in first_names.items()
        if _stems_match(keys, _sq_keys(reference) | _en_keys(reference))
        for name in names
    ]
    if not written:
        return True
    mine = _transliterated(first)
    return any(
        _stems_match(_en_keys(first), _sq_keys(name) | _en_keys(name))
        or difflib.SequenceMatcher(None, mine, _transliterated(name)).ratio() >= 0.75
        for name in written
    )


def _accounted(
    word: str, allowed: set[str], reference_keys: list[frozenset[str]], reference_words: set[str]
) -> bool:
    """Whether a folded English name word is accounted for by the reference text or the data."""
    if word in allowed or word in reference_words:
        return True
    keys = _en_keys(word)
    return (
        any(_stems_match(keys, _en_keys(a)) for a in allowed if not a.endswith("*"))
        or any(_stems_match(keys, k) for k in reference_keys)
        or any(_spelled_alike(word, w) for w in reference_words)
    )


_LINK_WORDS = frozenset(_words("of for and the on in de"))


def _spelled_out_acronyms(tokens: list[_Token], text: str) -> frozenset[str]:
    """Acronyms the text spells out just before them: "Energy Regulatory Office (ERO)" gives "ero".

    The English acronym of a translated institution is not in the original (which has its own,
    ZRRE), but its capitalised words are, as translated words, so it is no invented name."""
    found = set()
    for i, token in enumerate(tokens):
        if not (_is_acronym(token.text) and i and text[tokens[i - 1].end : token.start].strip() == "("):
            continue
        initials = "".join(
            t.text[0] for t in tokens[max(0, i - 3 * len(token.text)) : i] if t.folded not in _LINK_WORDS
        )
        if initials.endswith(token.text):
            found.add(token.folded)
    return frozenset(found)


@functools.cache
def _known_english_names() -> frozenset[str]:
    """English names from the gazetteer: checked even at the start of a sentence.

    Common words of those names ("New" of New York, "Island") are left out: a sentence may start with them."""
    words = {
        fold(w) for entry in _gazetteer() if entry.kind != "country" for e in entry.en for w in e.split()
    }
    # Countries of one word ("Germany took 45%"); the words of longer ones ("United", "South") are
    # common at the start of a sentence.
    words |= {fold(e) for entry in _gazetteer() if entry.kind == "country" for e in entry.en if " " not in e}
    # Nationalities too ("Bosniak parties in Podgorica..."): the original's own are allowed anyway.
    words |= {w for _, english in _demonyms() for w in english if len(w) >= 4}
    # Nor plain English words of longer names ("Without" of Reporters Without Borders), unless
    # the name is that one word (Turkey, Mark)
    plain = {
        fold(w)
        for entry in _gazetteer()
        for e in entry.en
        if " " in e
        for w in e.split()
        if _is_english_word(fold(w))
    }
    single = {fold(e) for entry in _gazetteer() for e in entry.en if " " not in e}
    return frozenset(words) - _english_common() - (plain - single)


@functools.cache
def _person_words() -> frozenset[str]:
    """Folded words of known persons' English names (Dačić, Kurti)."""
    return frozenset(
        fold(w) for entry in _gazetteer() if entry.kind == "person" for e in entry.en for w in e.split()
    )


@functools.cache
def _english_place_words() -> frozenset[str]:
    """Words of gazetteer English names and nationalities, checked even inside an institution's name.

    Organisations' words are left out ("Investment" of European Investment Bank): inside another
    institution's name they are translated words too; their acronyms are still checked."""
    words = {
        fold(w)
        for entry in _gazetteer()
        if entry.kind != "organisation"
        for e in entry.en
        for w in re.split(r"[\s-]+", e)
    }
    words |= {w for _, english in _demonyms() for w in english}
    return frozenset(words) - _english_common()


@functools.cache
def _english_heads() -> frozenset[str]:
    text = resources.files("translate_cli").joinpath("checkdata", "english_heads.txt").read_text("utf-8")
    heads = {fold(w.strip()) for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(heads | {w for _, english in _noun_english() for w in english})


_INSTITUTION_LINKS = frozenset(_words("and of for the on & de"))


def _inside_institution_names(tokens: list[_Token], text: str) -> set[int]:
    """Indices of capitalised English words that belong to an institution's name with a head noun.

    English puts the head last ("Water Regulatory Authority") and the rest in "of" after it ("Court
    of Appeal", "Office of the Information Commissioner"): both are translated words."""
    heads = _english_heads()
    inside: set[int] = set()

    def joined(left: int, right: int) -> bool:
        # Not through a possessive: in "Gostivar's Pasha Mosque" the owner is a name, not a word
        # of the institution's name ("People's" is a common word and is passed over anyway).
        between = text[tokens[left].end : tokens[right].start] if text else " "
        plural_possessive = between.strip() in ("'", "’") and tokens[left].text.endswith("s")  # Teachers' Day
        return (not between.strip() or plural_possessive) and not tokens[left].text.endswith(("'s", "’s"))

    for i, token in enumerate(tokens):
        if token.folded not in heads or not _is_capitalised(token.text):
            continue
        j = i - 1
        while j >= 0 and joined(j, j + 1):
            if _is_capitalised(tokens[j].text):
                inside.add(j)
            elif tokens[j].folded not in _INSTITUTION_LINKS or not (
                j and _is_capitalised(tokens[j - 1].text)
            ):
                break
            j -= 1
        k = i + 1
        if k < len(tokens) and tokens[k].folded in ("of", "for") and joined(i, k):
            k += 1
            if k < len(tokens) and tokens[k].folded == "the" and joined(k - 1, k):
                k += 1
            while k < len(tokens) and _is_capitalised(tokens[k].text) and joined(k - 1, k):
                inside.add(k)
                k += 1
    return inside


def _report_names(
    missing: Iterable[str], extra: list[str], original: str, what: str, missing_too: bool
) -> list[Flag]:
    missing = list(missing)
    if len(missing) == 1 and len(extra) == 1:
        return [Flag(NAME, f"{original} names {missing[0]}; {what} names {extra[0]}")]
    flags = []
    if missing and missing_too:
        flags.append(Flag(NAME, f"{original} names {', '.join(missing)}; {what} does not"))
    if extra:
        flags.append(Flag(NAME, f"{what} names {', '.join(extra)}; {original} does not"))
    return flags


# --------------------------------------------------------------------------- negation

_SQ_NEGATION = re.compile(
    r"(?<![\w'’])(?:(?:nuk|mos|as|asnje|askush|asgje|askund|kurre|hic|jo|pa)(?!\w)|s['’](?=\w))",
    re.IGNORECASE,
)
_EN_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot|unable|lack\w*|absen\w*|"
    r"refus\w*|fail\w*|den(?:y|ied|ies)|reject\w*|yet to|instead of|rather than|\w+n['’]t|un\w{4,}|"
    r"non-\w+|"
    # Clear negative paraphrases: "të mos udhëtojnë" as "avoid travelling", "të mos lirohet" as
    # "remain in custody", "nuk do të punojë" as "will be closed".
    r"avoid\w*|refrain\w*|remain\w*|stay(?:s|ed|ing)?|closed|shut|no longer|unless|prevent\w*|"
    r"bann?(?:ed|s)?|halt\w*|hardly|barely|rarely|seldom|left out|exclud\w*|omit\w*|"
    # "nuk e mbështetën": "declined to back"; "nuk votuan": "abstained", "boycotted the vote"
    r"declin\w*|abstain\w*|abstention\w*|boycott\w*|ignor\w*|dismiss\w*|skip\w*|"
    # "nuk do të luajë": "will miss"; "të mos i pasivizojë më": "to stop deregistering"
    r"miss(?:es|ed|ing)?|stop(?:s|ped|ping)?|"
    # "pa punë": jobless; "pa leje": unlicensed (un-) or permitless
    r"\w{3,}less|"
    # "nuk ka pasur mjekë të mjaftueshëm": "has been short of doctors"
    r"short of|shortages?|scarc\w*|f(?:alls?|ell|alling) short|"
    # "pa viza": "visa-free"; "nuk janë bërë ende": "are still outstanding", "still pending"
    r"\w+-free|free of|outstanding|pending|still to|"
    # "nuk funksionoi": "was offline", "out of service"
    r"offline|out of (?:service|order|action|operation)|"
    # "nuk është kapur ende": "still at large"; "nuk reagoi në kohë": "too slow to respond"
    r"at large|too (?:slow|late) to|still wait\w*|"
    # "pa prekur familjet": "families will be spared"; "jo me dëshirën e tyre": "involuntarily"
    r"spar(?:e|es|ed|ing)|involuntar\w*|frozen|freeze|"
    # "nuk u kap": "escaped"; "nuk funksionoi": "was down"; "nuk ... pa reforma": "only once"
    r"escap\w*|(?:was|were|is|are|went|goes) down|only (?:\w+ ){0,3}(?:once|if|after|when)|"
    r"cut (?:power|off)|at the latest|grounded)\b",
    re.IGNORECASE,
)
# A paraphrase is no negation when the original negates the very verb it paraphrases: "nuk do të
# mbyllen" (will not be closed) rendered "will be closed" has lost its negation. English stem of the
# paraphrase: folded Albanian stems of the same verb.
_SAME_VERB = (
    (("clos", "shut"), ("mbyll",)),
    (("remain", "stay"), ("mbet", "qendr", "rri")),
    (("avoid",), ("shmang",)),
    (("ban", "halt", "stop"), ("ndal",)),
    (("prevent",), ("parandal", "pengo")),
    (("exclud",), ("perjasht",)),
    (("refus", "reject"), ("refuz",)),
    (("den",), ("moho", "mohu")),
)
# ("rri", to stay, is not "rritur", grown.)
# Negative nouns: "shortage" is no negation when the original says "mungesë" (shortage) anywhere.
_SAME_NOUN = ((("short", "scarc", "lack"), ("mung",)),)
_NOT_NEGATION = re.compile(r"\b(?:under\w*|until|union\w*|united|unit\w*|univers\w*|unique\w*|uncle)\b", re.I)


def _negation_flag(source: str, translation: str) -> Flag | None:
    folded = fold(source)
    markers = []
    negated: list[str] = []  # the words right after each negation: its verb
    litotes_end = -1
    for match in _SQ_NEGATION.finditer(folded):
        word = match.group()
        before = folded[: match.start()].split()[-1:] or [""]
        if word == "jo" and re.match(r"jo\s+vetem", folded[match.start() :]):
            continue  # "jo vetëm ... por edhe": not only ... but also
        if word == "pa" and before[0] in ("e", "i", "u", "ta", "te", "ia", "t'i"):
            continue  # "e pa": saw
        if word == "kurre" and before[0] == "se" and "me" in folded[: match.start()].split()[-6:]:
            continue  # "më të forta se kurrë": stronger than ever
        if word == "nuk" and re.match(
            r"nuk\s+(?:(?:do|te|i|u|ka|kane|kishte)\s+)*mung[ou]", folded[match.start() :]
        ):
            litotes_end = match.end() + 40
            continue  # "nuk munguan as besimtarë": were not missing, so were there
        if word == "as" and match.start() < litotes_end:
            continue
        markers.append(source[match.start() : match.end()])
        negated.extend(folded[match.end() :].split()[:4])
    if not markers:
        return None
    english = [m for m in _EN_NEGATION.findall(translation) if not _NOT_NEGATION.fullmatch(m)]
    english = [m for m in english if not _paraphrases_negated_verb(m, negated, folded.split())]
    if english:
        return None
    return Flag(NEGATION, f"the original is negative (“{markers[0]}”); the English has no negation")


def _paraphrases_negated_verb(english: str, negated: list[str], source_words: list[str]) -> bool:
    """Whether an English negative paraphrase ("closed") is the negated Albanian verb ("nuk mbyllen"),
    or a negative noun ("shortages") the original has as a noun ("mungesë")."""
    word = english.casefold()
    return any(
        word.startswith(en_stems) and any(w.startswith(sq_stems) and not w.startswith("rrit") for w in words)
        for table, words in ((_SAME_VERB, negated), (_SAME_NOUN, source_words))
        for en_stems, sq_stems in table
    )


# --------------------------------------------------------------------------- public API


def check_sentence(source: str, translation: str) -> tuple[Flag, ...]:
    """Flags for one Albanian sentence and its English translation; empty when nothing looks wrong."""
    if not source.strip():
        return ()
    untranslated = _untranslated(source, translation)
    if untranslated is not None and not translation.strip():
        return (untranslated,)
    if untranslated is not None and untranslated.message == _COPY:
        # A copy: names read alike in both languages, so a name swapped in it is still worth
        # saying; numbers, months and negation would only repeat that the words are Albanian.
        return (untranslated, *_name_flags(source, translation))
    # A half-translated sentence is still checked whole: "Parliament miratoi buxhetin with 87
    # votes" keeps Albanian words and has a wrong number.
    flags = [untranslated] if untranslated is not None else []
    flags += _number_and_month_flags(source, translation, True, "the English")
    flags += _name_flags(source, translation)
    negation = _negation_flag(source, translation)
    if negation is not None:
        flags.append(negation)
    return tuple(sorted(flags, key=lambda f: KINDS.index(f.kind)))


_UNITS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pc": "percent",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
    "tonne": "tonne", "tonnes": "tonne", "ton": "tonne", "tons": "tonne",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "euro": "euro", "euros": "euro", "eur": "euro", "€": "euro",
    "dollar": "dollar", "dollars": "dollar", "usd": "dollar", "$": "dollar",
    "lek": "lek", "leke": "lek", "lekë": "lek", "pound": "pound", "pounds": "pound", "£": "pound",
}  # fmt: skip
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
_NUMBER_TEXT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_TEXT = r"(?:\s*(thousand|million|billion|bn|m)\b)?"
_UNIT_TEXT = "|".join(sorted((re.escape(u) for u in _UNITS if u not in "€$£"), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"([€$£])\s?({_NUMBER_TEXT}){_SCALE_TEXT}|({_NUMBER_TEXT}){_SCALE_TEXT}\s*(?:({_UNIT_TEXT})\b|(%))",
    re.IGNORECASE,
)


def _quantities(text: str) -> list[tuple[float, str, str]]:
    """(value, unit, as written) for each number with a unit in an English text: "24 kg", "€2.3 billion"."""
    found = []
    for match in _QUANTITY.finditer(text):
        symbol, number, scale, number2, scale2, unit, percent = match.groups()
        raw, scale = (number, scale) if symbol else (number2, scale2)
        value = float(raw.replace(",", "")) * _SCALE_WORDS.get((scale or "").lower(), 1)
        found.append((_num(value), _UNITS[(symbol or unit or percent).lower()], match.group().strip()))
    return found


def _unit_flags(article: str, summary: str) -> list[Flag]:
    """A number that the article has, but of another quantity: "24 kg" where it says "aged 24" and
    "42 kilograms". Flagged only where the article gives that unit to other numbers."""
    article_quantities = _quantities(article)
    flags = []
    for value, unit, written in _quantities(summary):
        same_unit = [w for v, u, w in article_quantities if u == unit]
        if same_unit and not any(v == value and u == unit for v, u, _ in article_quantities):
            flags.append(Flag(NUMBER, f"the summary says {written}; the article says {', '.join(same_unit)}"))
    return flags


def check_summary(translation: str, summary: str) -> tuple[Flag, ...]:
    """Flags for facts in a summary (numbers, months, names) that the article's English does not have."""
    if not summary.strip():
        return ()
    flags = _number_and_month_flags(translation, summary, False, "the summary")
    if not any(flag.kind == NUMBER for flag in flags):
        flags += _unit_flags(translation, summary)
    extra = _extra_names(_tokens(summary), summary, _Reference.english_article(translation))
    flags += _report_names([], extra, "the article", "the summary", missing_too=False)
    return tuple(sorted(flags, key=lambda f: KINDS.index(f.kind)))


def least_confident(
    sentences: Sequence[TranslatedSentence], share: float = LEAST_CONFIDENT_SHARE
) -> set[int]:
    """Indices of the least confident sentences: the lowest `share` of scores, at least one.

    Raw log-probabilities are not calibrated across models, so a sentence is doubtful relative
    to the rest of its article, never against a fixed threshold.
    """
    scored = [(s.score, i) for i, s in enumerate(sentences) if s.score is not None and s.translation.strip()]
    if len(scored) < MIN_SENTENCES_FOR_CONFIDENCE:
        return set()
    count = max(1, math.ceil(len(scored) * share - 1e-9))
    return {i for _, i in sorted(scored)[:count]}


def confidence_ranks(sentences: Sequence[TranslatedSentence]) -> dict[int, float]:
    """Where each scored sentence ranks in its article: 0.0 the least confident, 1.0 the most.

    Ties share the rank of the first; an article with one scored sentence ranks it 1.0.
    """
    scores = {i: s.score for i, s in enumerate(sentences) if s.score is not None}
    if len(scores) == 1:
        return dict.fromkeys(scores, 1.0)
    ordered = sorted(scores.values())
    return {
        i: round(bisect.bisect_left(ordered, score) / (len(ordered) - 1), 4) for i, score in scores.items()
    }


def annotate_article(article: ArticleResult) -> ArticleResult:
    """The article with flags on each sentence and on its summary: text checks, the model's least
    confident sentences, and sentences the runaway guard retried.

    Cheap and model-free, so cached runs show the same flags; scores come from the cache.
    """
    if article.error is not None:
        return article
    sentences = [s for p in article.paragraphs for s in p.sentences]
    doubtful = least_confident(sentences)
    ranks = confidence_ranks(sentences)
    flagged = []
    for index, sentence in enumerate(sentences):
        flags = list(check_sentence(sentence.source, sentence.translation))
        if sentence.retried:
            flags.append(
                Flag(RETRIED, "the model's first output ran away or repeated itself; this is a retry")
            )
        if index in doubtful:
            flags.append(Flag(CONFIDENCE, "among the model's least confident sentences in this article"))
        ordered = tuple(sorted(flags, key=lambda f: KINDS.index(f.kind)))
        flagged.append(replace(sentence, flags=ordered, confidence=ranks.get(index)))
    position = iter(flagged)
    paragraphs = tuple(
        TranslatedParagraph(p.kind, tuple(next(position) for _ in p.sentences)) for p in article.paragraphs
    )
    summary_flags = ()
    if article.summary:
        summary_flags = check_summary(article.translation or "", article.summary)
    return replace(article, paragraphs=paragraphs, summary_flags=summary_flags)
