"""The whole pipeline: read → segment → translate → summarize, for many articles at once.

Sentences of all articles are translated together in length-sorted batches, and every result
(long-sentence splits, translations, summaries) goes through the cache, so a re-run only
computes what changed. Models and tokenizers load on first use: a fully cached run loads none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from .cache import SUMMARY, TRANSLATION, Cache, NullCache, ResultCache
from .checks import annotate_article
from .data import (
    Article,
    ArticleResult,
    EngineIdentity,
    ModelInfo,
    Paragraph,
    RunOptions,
    RunResult,
    TranslatedParagraph,
    TranslatedSentence,
)
from .engines import ModelEngine
from .errors import InputError
from .hub import file_digest, input_limit, model_family, model_fingerprint, resolve_model
from .language import LanguageStage, language_warning
from .prompts import PromptTemplate, load_prompt, prompt_for_family
from .reader import iter_inputs, read_article
from .segment import LongSentenceStage, max_possible_tokens
from .stage import CachedStage
from .summarize import Seq2SeqSummarizer, SummaryStage
from .translate import Seq2SeqTranslator, Translation, TranslationStage, degeneracy

#: Folder in the cache directory holding CTranslate2 conversions of the models.
MODEL_STORE = "models"


class Progress(Protocol):
    """Receives progress as work is done; the CLI shows it as a progress bar."""

    def start(self, stage: str, total: int) -> None:
        """A stage begins with `total` items to compute."""

    def advance(self, count: int) -> None:
        """`count` more items of the current stage are done."""

    def articles(self, done: int, total: int, current: str | None) -> None:
        """`done` of `total` articles are through the current stage; `current` was worked on last."""


class _NoProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def articles(self, done: int, total: int, current: str | None) -> None:
        pass


#: Stage names for the progress bar; a first-use conversion says so.
PREPARING = "preparing the {role} model"
PREPARING_FIRST_USE = "preparing the {role} model (first use only)"


def _preparing(engine: ModelEngine, role: str, progress: Progress) -> Callable[[], None]:
    """Before a stage loads its model: a progress step that says whether this is the one-off
    conversion into the model store or an ordinary load."""

    def announce() -> None:
        from .ct2 import store_path

        converting = (
            engine.backend != "transformers" and not store_path(engine.store, engine.fingerprint).is_dir()
        )
        progress.start((PREPARING_FIRST_USE if converting else PREPARING).format(role=role), 0)

    return announce


class _ArticleCounter:
    """Counts articles whose every item has a result, for the progress bar."""

    def __init__(self, items_by_article: dict[str, set[str]], progress: Progress) -> None:
        self.remaining = {source: set(items) for source, items in items_by_article.items()}
        self.articles_of: dict[str, list[str]] = {}
        for source, items in items_by_article.items():
            for item in items:
                self.articles_of.setdefault(item, []).append(source)
        self.progress = progress
        self.total = len(items_by_article)

    def __call__(self, items: list[str]) -> None:
        current = None
        for item in items:
            for source in self.articles_of.get(item, ()):
                self.remaining[source].discard(item)
                current = source
        done = sum(1 for left in self.remaining.values() if not left)
        self.progress.articles(done, self.total, current)


def run(
    paths: Sequence[str], options: RunOptions | None = None, *, progress: Progress | None = None
) -> RunResult:
    """Translate and summarize every article under `paths` (files, folders, or "-" for stdin).

    Inputs that cannot be read get a result with `error` set; the others are still processed.
    Raises ModelUnavailable, PromptError or CacheError when the run as a whole cannot proceed.
    """
    options = options or RunOptions()
    progress = progress or _NoProgress()
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    models = {TRANSLATION: resolve_model(options.mt_model, option="--mt-model")}
    prompt = None
    if options.summarize:
        models[SUMMARY] = resolve_model(options.summary_model, option="--summary-model")
        prompt = resolve_prompt(options.prompt, models[SUMMARY])
    cache = ResultCache(options.cache_dir) if options.use_cache else NullCache()
    try:
        walk_notes: list[str] = []  # e.g. a symlink loop skipped in an input folder
        inputs = [_read(source, options.max_bytes) for source in iter_inputs(list(paths), walk_notes)]
        articles = [item for item in inputs if isinstance(item, Article)]
        processed = process_articles(articles, models, prompt, options, cache, progress)
        # Flags come from the text and cached scores, so a fully cached run shows the same ones.
        results = iter([annotate_article(article) for article in processed.articles])
        ordered = tuple(next(results) if isinstance(item, Article) else item for item in inputs)
        hits, misses = cache.lookups.totals()
        return RunResult(
            articles=ordered,
            models=models,
            engines=processed.engines,
            cache_hits=hits,
            cache_misses=misses,
            started=started,
            warnings=(*cache.warnings, *walk_notes, *processed.notes),
            inputs=tuple(paths),
        )
    finally:
        cache.close()


def resolve_prompt(prompt: str | None, summarizer: ModelInfo) -> PromptTemplate:
    """The template named by --prompt, or the one for the summarizer's model family."""
    return load_prompt(prompt) if prompt else prompt_for_family(model_family(summarizer))


def _read(source: str | InputError, max_bytes: int) -> Article | ArticleResult:
    if isinstance(source, InputError):  # a problem found while listing a folder
        return ArticleResult(source=source.source or "?", date=None, error=str(source))
    try:
        return read_article(source, max_bytes=max_bytes)
    except InputError as error:
        return ArticleResult(source=source, date=None, error=str(error))


def check_languages(articles: list[Article], cache: Cache) -> list[Article]:
    """Add a warning to each article whose text is not in Albanian; mixed text is fine."""
    texts = {article.source: "\n".join(p.text for p in article.paragraphs) for article in articles}
    languages = CachedStage(LanguageStage(), cache).map(list(texts.values()))
    checked = []
    for article in articles:
        warning = language_warning(languages[texts[article.source]])
        checked.append(replace(article, warnings=(*article.warnings, warning)) if warning else article)
    return checked


@dataclass(frozen=True)
class Processed:
    """What processing the readable articles gave."""

    articles: list[ArticleResult]  # one per article, in order
    engines: dict[str, EngineIdentity]  # per model role, the engine that produced its results
    notes: tuple[str, ...]  # run-level notices, such as a fallback from CTranslate2 to transformers


def process_articles(
    articles: list[Article],
    models: dict[str, ModelInfo],
    prompt: PromptTemplate | None,
    options: RunOptions,
    cache: Cache,
    progress: Progress,
) -> Processed:
    """Translate and summarize readable articles; results come back in the same order.

    Without a summary model in `models` (--no-summary), articles are only translated. Every
    model is freed before this returns, also when it raises.
    """
    if not articles:
        return Processed([], {}, ())
    engines = {
        role: ModelEngine(
            info,
            model_fingerprint(info, lambda path: cache.file_digest(path, file_digest)),
            backend=options.backend,
            device=options.device,
            store=options.cache_dir / MODEL_STORE,
        )
        for role, info in models.items()
    }
    try:
        translated = translate_articles(
            articles, engines[TRANSLATION], input_limit(models[TRANSLATION]), options, cache, progress
        )
        if SUMMARY in engines and prompt is not None:
            translated = summarize_articles(
                translated, engines[SUMMARY], prompt, input_limit(models[SUMMARY]), options, cache, progress
            )
    finally:
        for engine in engines.values():
            engine.close()
    return Processed(
        translated,
        {role: engine.identity for role, engine in engines.items()},
        tuple(note for engine in engines.values() for note in engine.notes),
    )


def translate_articles(
    articles: list[Article],
    engine: ModelEngine,
    limit: int,
    options: RunOptions,
    cache: Cache,
    progress: Progress,
) -> list[ArticleResult]:
    """Split over-long sentences, translate the distinct units of all articles in one
    length-sorted stream, identify languages, and align.

    Language identification only adds warnings, so it runs after translation, with the model
    freed: loading its ~100 MB model would take a second before the first batch.
    """
    articles = split_over_long_sentences(articles, engine, limit, cache)
    translator = Seq2SeqTranslator(engine, beams=options.beams, batch_size=options.batch_size)
    units_by_article = {a.source: {s for p in a.paragraphs for s in p.sentences} for a in articles}
    stage = CachedStage(
        TranslationStage(engine, translator, progress.advance),
        cache,
        on_misses=lambda count: progress.start("translating", count),
        on_prepare=_preparing(engine, "translation", progress),
        on_results=_ArticleCounter(units_by_article, progress),
    )
    units = sorted({s for a in articles for p in a.paragraphs for s in p.sentences}, key=len, reverse=True)
    translations = stage.map(units)
    engine.close()  # before the language model loads: the two need not share memory
    return [_align(article, translations) for article in check_languages(articles, cache)]


def split_over_long_sentences(
    articles: list[Article], engine: ModelEngine, limit: int, cache: Cache
) -> list[Article]:
    """Split sentences over the translation model's input limit, consulting the tokenizer only
    for sentences that could exceed it, and only when the cache does not know the split."""
    long_sentences = [
        s for a in articles for p in a.paragraphs for s in p.sentences if max_possible_tokens(s) > limit
    ]
    stage = LongSentenceStage(engine.count_tokens, limit, engine.fingerprint)
    pieces = CachedStage(stage, cache).map(long_sentences)
    return [split_long_units(article, pieces, limit) for article in articles]


def summarize_articles(
    translated: list[ArticleResult],
    engine: ModelEngine,
    prompt: PromptTemplate,
    limit: int,
    options: RunOptions,
    cache: Cache,
    progress: Progress,
) -> list[ArticleResult]:
    """Summarize each article's full translation, chunking long ones."""
    summarizer = Seq2SeqSummarizer(
        engine, prompt, input_limit=limit, beams=options.beams, batch_size=options.batch_size
    )
    full_texts = [result.translation or "" for result in translated]
    stage = CachedStage(
        SummaryStage(engine, summarizer, progress.advance, cache=cache, progress=progress),
        cache,
        on_misses=lambda count: progress.start("summarizing", count),
        on_prepare=_preparing(engine, "summary", progress),
        on_results=_ArticleCounter(
            {r.source: {text} for r, text in zip(translated, full_texts, strict=True)}, progress
        ),
    )
    summaries = stage.map(full_texts)
    return [
        replace(result, summary=summaries[text]) for result, text in zip(translated, full_texts, strict=True)
    ]


def split_long_units(article: Article, pieces: Mapping[str, list[str]], limit: int) -> Article:
    """Replace each over-long sentence by its pieces, as `split_long` cut them, with a warning."""
    paragraphs = []
    warnings = list(article.warnings)
    for paragraph in article.paragraphs:
        units: list[str] = []
        for sentence in paragraph.sentences:
            parts = pieces.get(sentence, [sentence])
            if len(parts) > 1:
                warnings.append(
                    f"a sentence over the translation model's {limit}-token limit was split into "
                    f"{len(parts)} parts: {sentence[:40]}…"
                )
            units.extend(parts)
        paragraphs.append(Paragraph(paragraph.kind, tuple(units)))
    return replace(article, paragraphs=tuple(paragraphs), warnings=tuple(warnings))


def _align(article: Article, translations: dict[str, Translation]) -> ArticleResult:
    paragraphs = tuple(
        TranslatedParagraph(
            paragraph.kind, tuple(_sentence(unit, translations[unit]) for unit in paragraph.sentences)
        )
        for paragraph in article.paragraphs
    )
    warnings = list(article.warnings)
    poor = [s for p in paragraphs for s in p.sentences if s.low_quality]
    if poor:
        warnings.append(
            f"{len(poor)} of {sum(len(p.sentences) for p in paragraphs)} translations still look garbled "
            "(empty, repeating themselves or far too long) after a second try and are marked low "
            f"quality, e.g. for: {poor[0].source[:40]}…"
        )
    return ArticleResult(
        source=article.source, date=article.date, paragraphs=paragraphs, warnings=tuple(warnings)
    )


def _sentence(unit: str, translation: Translation) -> TranslatedSentence:
    return TranslatedSentence(
        source=unit,
        translation=translation.text,
        low_quality=degeneracy(unit, translation.text) is not None,
        score=translation.score,
        retried=translation.retried,
    )
