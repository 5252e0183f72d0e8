"""The data passed between stages: frozen dataclasses, never dicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .settings import (
    DEFAULT_CHUNK_SENTENCES,
    DEFAULT_MAX_BYTES,
    DEFAULT_MT_MODEL,
    DEFAULT_SUMMARY_MODEL,
    default_cache_dir,
)

#: Kinds of paragraph-level unit an article is made of.
HEADLINE = "headline"
DATELINE = "dateline"
BODY = "body"


@dataclass(frozen=True)
class Paragraph:
    """One structural unit of an article, already split into sentences."""

    kind: str  # HEADLINE, DATELINE or BODY
    sentences: tuple[str, ...]  # source sentences in order, whitespace-normalized

    @property
    def text(self) -> str:
        """The paragraph as one line of text."""
        return " ".join(self.sentences)


@dataclass(frozen=True)
class Article:
    """A source article as read from one input."""

    source: str  # the path as given on the command line, or "<stdin>"
    date: str | None  # "YYYY-MM" or "YYYY-MM-DD" from the date header, if any
    paragraphs: tuple[Paragraph, ...]
    warnings: tuple[str, ...] = ()  # things the reader noticed but could handle


@dataclass(frozen=True)
class Flag:
    """One reason for the reader to doubt a translated sentence or a summary."""

    kind: str  # "number", "month", "name", "negation", "untranslated", "confidence" or "retried"
    message: (
        str  # one line for the reader, e.g. "the original says 28 December; the English says 18 December"
    )


@dataclass(frozen=True)
class TranslatedSentence:
    """One source unit and its translation."""

    source: str  # the source unit as translated
    translation: str  # its English translation
    low_quality: bool = False  # degenerate output (empty, runaway, repetitive) even after a retry
    score: float | None = None  # length-normalized log-probability of the output; None if unknown
    retried: bool = False  # the runaway guard found the first output degenerate and retried it
    flags: tuple[Flag, ...] = ()  # what to double-check, from translate_cli.checks; () until checked
    confidence: float | None = None  # rank of `score` in its article: 0.0 least confident, 1.0 most


@dataclass(frozen=True)
class TranslatedParagraph:
    """A paragraph with its units aligned one to one with their translations."""

    kind: str  # HEADLINE, DATELINE or BODY
    sentences: tuple[TranslatedSentence, ...]

    @property
    def source(self) -> str:
        """The original paragraph as one line."""
        return " ".join(s.source for s in self.sentences)

    @property
    def translation(self) -> str:
        """The translated paragraph as one line."""
        return " ".join(s.translation for s in self.sentences if s.translation)


@dataclass(frozen=True)
class ArticleResult:
    """Everything the pipeline produced for one input; `error` is set when it failed."""

    source: str  # the path as given, or "<stdin>"
    date: str | None
    paragraphs: tuple[TranslatedParagraph, ...] = ()
    summary: str | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None  # one-line reason the input could not be processed
    summary_flags: tuple[Flag, ...] = ()  # facts in the summary that the translation does not have

    @property
    def flag_count(self) -> int:
        """How many things the reader should check: sentences with flags, plus summary flags."""
        return sum(1 for p in self.paragraphs for s in p.sentences if s.flags) + len(self.summary_flags)

    @property
    def translation(self) -> str | None:
        """The full English text, paragraphs separated by blank lines."""
        if self.error is not None:
            return None
        return "\n\n".join(p.translation for p in self.paragraphs)

    @property
    def name(self) -> str:
        """A short display name: the file name, or "<stdin>"."""
        return self.source if self.source.startswith("<") else Path(self.source).name

    def title(self, words: int = 12) -> str | None:
        """The translated headline, else the translation's start, cut to `words` words; None if failed."""
        if self.error is not None or not self.paragraphs:
            return None
        headline = next((p for p in self.paragraphs if p.kind == HEADLINE and p.translation.strip()), None)
        text = (headline.translation if headline is not None else self.translation or "").split()
        return " ".join(text[:words]) + ("…" if len(text) > words else "")


@dataclass(frozen=True)
class ModelInfo:
    """A model resolved to files on disk, before anything heavy is loaded."""

    name: str  # what the user asked for: a Hub id or a folder
    path: Path  # the folder holding config, tokenizer and weights
    revision: str | None = None  # Hub commit hash; None for a local folder

    @property
    def is_local(self) -> bool:
        """True when the model is a user's folder rather than a Hub snapshot."""
        return self.revision is None

    def describe(self) -> str:
        """Human-readable identity: "id@revision" or the folder path."""
        if self.revision is None:
            return str(self.path)
        return f"{self.name}@{self.revision}"


@dataclass(frozen=True)
class EngineIdentity:
    """The engine that runs a model, as named in cache keys and reports: what produced a result."""

    backend: str  # "ctranslate2" or "transformers"
    compute_type: str  # "int8", "int8_float16", "float16" or "float32"
    device: str  # "cpu" or "cuda"
    model: str  # the model's fingerprint: Hub id and commit, or a hash of a folder's files


@dataclass(frozen=True)
class RunOptions:
    """Settings for one pipeline run, resolved from options, environment and defaults."""

    mt_model: str = DEFAULT_MT_MODEL  # Hub id or local folder
    summary_model: str = DEFAULT_SUMMARY_MODEL  # Hub id or local folder
    summarize: bool = True  # False with --no-summary: translate only
    prompt: str | None = None  # template name or file; None picks one by model family
    beams: int | None = None  # None keeps each model's own generation config
    batch_size: int | None = None  # most sentences a translation batch; None sizes it to the device
    device: str = "auto"  # "auto", "cpu" or "cuda"
    backend: str = "auto"  # "auto" (CTranslate2, else transformers), "ctranslate2" or "transformers"
    max_bytes: int = DEFAULT_MAX_BYTES  # larger input files are refused
    cache_dir: Path = field(default_factory=default_cache_dir)  # results and the converted-model store
    use_cache: bool = True  # False with --no-cache: read and write nothing
    chunk_sentences: int = DEFAULT_CHUNK_SENTENCES  # sentences read and processed at a time


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run: one result per input, in input order."""

    articles: tuple[ArticleResult, ...]
    models: dict[str, ModelInfo] = field(default_factory=dict)  # "translation", "summary"
    engines: dict[str, EngineIdentity] = field(default_factory=dict)  # per model role: what produced it
    cache_hits: int = 0  # translations and summaries found in the cache
    cache_misses: int = 0  # translations and summaries computed
    started: str = ""  # ISO 8601 time the run started
    warnings: tuple[str, ...] = ()  # run-level notices, e.g. a damaged cache moved aside
    inputs: tuple[str, ...] = ()  # the paths as given (files, folders, "-"), for display names

    @property
    def failed(self) -> tuple[ArticleResult, ...]:
        """The inputs that could not be processed."""
        return tuple(a for a in self.articles if a.error is not None)

    def display_names(self) -> dict[str, str]:
        """A short, distinct name per article source, for headings.

        A file found in a folder given as input is named by its path relative to that folder
        (`a/lajmi.txt`, `b/lajmi.txt`); other files by their file name. A name that two
        sources would share falls back to the path as given.
        """
        names = {article.source: short_name(article.source, self.inputs) for article in self.articles}
        taken: dict[str, int] = {}
        for name in names.values():
            taken[name] = taken.get(name, 0) + 1
        return {source: name if taken[name] == 1 else source for source, name in names.items()}


def short_name(source: str, inputs: Sequence[str] = ()) -> str:
    """An article's short name: its path inside a folder given in `inputs`, else its file name,
    or "<stdin>"."""
    if source.startswith("<"):
        return source
    path = Path(source)
    for given in inputs:
        folder = Path(given)
        if given != "-" and path != folder and path.is_relative_to(folder) and folder.is_dir():
            return path.relative_to(folder).as_posix()
    return path.name
