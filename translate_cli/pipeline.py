"""The whole pipeline: read → segment → translate → summarize, streamed over many articles.

Articles are read and processed in chunks of a few hundred sentences: the sentences of a
chunk's articles are translated together in length-sorted batches, and each article's result
is ready as soon as its chunk is done, so memory stays flat however large the input. Every
result (long-sentence splits, translations, summaries) goes through the cache, so a re-run only
computes what changed. Models and tokenizers load on first use: a fully cached run loads none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from .cache import SUMMARY, TRANSLATION, Cache, NullCache, ResultCache
from .checks import annotate_article
from .data import (
    Article,
    ArticleResult,
    ModelInfo,
    Paragraph,
    RunOptions,
    RunResult,
    TranslatedParagraph,
    TranslatedSentence,
)
from .engines import ModelEngine
from .errors import InputError, TranslateCliError
from .hub import file_digest, input_limit, model_family, model_fingerprint, resolve_models
from .language import LanguageStage, language_warning
from .prompts import PromptTemplate, load_prompt, prompt_for_family
from .reader import InputList, iter_inputs, read_article
from .segment import LongSentenceStage, max_possible_tokens
from .stage import CachedStage, Stage
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
    with StreamingRun(paths, options, progress=progress) as stream:
        articles = tuple(stream)
        return stream.result(articles)


def iter_run(
    paths: Sequence[str], options: RunOptions | None = None, *, progress: Progress | None = None
) -> Iterator[ArticleResult]:
    """Like `run`, but yield each input's result as soon as it is complete, in input order.

    Memory stays flat however many inputs there are: articles are read and processed a chunk
    at a time (see `StreamingRun`), and nothing is kept once yielded.
    """
    with StreamingRun(paths, options, progress=progress) as stream:
        yield from stream


#: Run-level failures: these stop a run; any other exception is the failing article's error.
RUN_LEVEL_ERRORS: tuple[type[BaseException], ...] = (TranslateCliError, sqlite3.Error)


class StreamingRun:
    """A run in progress: iterate it to get each input's result as soon as it is complete.

    Inputs are listed first (paths only), then read and processed in chunks of about
    `options.chunk_sentences` sentences: sentences of the articles in a chunk share
    length-sorted batches, and a chunk's results are yielded, in input order, before the next
    chunk is read. Both models stay loaded across chunks. After iterating, `result` makes the
    whole-run RunResult. Use it as a context manager, so that models and the cache are
    released also when iteration stops early.
    """

    def __init__(
        self,
        paths: Sequence[str],
        options: RunOptions | None = None,
        *,
        progress: Progress | None = None,
        remote: RemoteStages | None = None,
        models: Mapping[str, ModelInfo] | None = None,
        inputs: InputList | None = None,
    ) -> None:
        self.paths = list(paths)
        self.inputs = inputs  # listed by the caller; else listed while iterating
        self.options = options = options or RunOptions()
        self.progress = progress or _NoProgress()
        self.started = datetime.now().astimezone().isoformat(timespec="seconds")
        # Notes from listing the inputs, e.g. a symlink loop skipped in an input folder.
        self.walk_notes: list[str] = list(inputs.notes) if inputs is not None else []
        #: Most inputs and sentences held at once: stays flat however many inputs there are.
        self.peak_articles = 0
        self.peak_sentences = 0
        self.models = dict(models) if models is not None else resolve_run_models(options)
        self.prompt = None
        if SUMMARY in self.models:
            self.prompt = resolve_prompt(options.prompt, self.models[SUMMARY])
        self.cache: Cache = ResultCache(options.cache_dir) if options.use_cache else NullCache()
        try:
            engine_class: Callable[..., ModelEngine] = remote.engine_class if remote else ModelEngine
            self.engines: dict[str, ModelEngine] = {
                role: engine_class(
                    info,
                    model_fingerprint(info, lambda path: self.cache.file_digest(path, file_digest)),
                    backend=options.backend,
                    device=options.device,
                    store=options.cache_dir / MODEL_STORE,
                )
                for role, info in self.models.items()
            }
            self.stages = {
                role: build_stage(
                    role,
                    info,
                    self.engines[role],
                    options,
                    self.prompt,
                    self.progress.advance,
                    cache=self.cache,  # chunk summaries of long articles, so that they resume
                    progress=self.progress,
                )
                for role, info in self.models.items()
            }
            if remote is not None:  # misses are computed elsewhere, e.g. on a Ray cluster
                self.stages = {role: remote.wrap(role, stage, self) for role, stage in self.stages.items()}
        except BaseException:
            self.cache.close()
            raise

    def __iter__(self) -> Iterator[ArticleResult]:
        chunk: list[Article | ArticleResult] = []
        sentences = 0
        listed = self.inputs.items if self.inputs is not None else iter_inputs(self.paths, self.walk_notes)
        for path in listed:
            item = _read(path, self.options.max_bytes)
            chunk.append(item)
            if isinstance(item, Article):
                sentences += sum(len(p.sentences) for p in item.paragraphs)
            if sentences >= self.options.chunk_sentences:
                yield from self._process_chunk(chunk, sentences)
                chunk, sentences = [], 0
        if chunk:
            yield from self._process_chunk(chunk, sentences)

    def _process_chunk(self, chunk: list[Article | ArticleResult], sentences: int) -> list[ArticleResult]:
        """The chunk's results in order. If processing the chunk fails, each article is
        processed alone, so that an unexpected failure is only the failing article's error."""
        self.peak_articles = max(self.peak_articles, len(chunk))
        self.peak_sentences = max(self.peak_sentences, sentences)
        articles = [item for item in chunk if isinstance(item, Article)]
        try:
            processed = self._process(articles)
        except RUN_LEVEL_ERRORS:
            raise
        except Exception as error:
            if len(articles) == 1:
                processed = [_failed(articles[0], error)]
            else:
                processed = [self._process_alone(article) for article in articles]
        results = iter(processed)
        return [next(results) if isinstance(item, Article) else item for item in chunk]

    def _process_alone(self, article: Article) -> ArticleResult:
        try:
            return self._process([article])[0]
        except RUN_LEVEL_ERRORS:
            raise
        except Exception as error:
            return _failed(article, error)

    def _process(self, articles: list[Article]) -> list[ArticleResult]:
        if not articles:
            return []
        translated = translate_articles(
            articles,
            self.stages[TRANSLATION],
            self.engines[TRANSLATION],
            input_limit(self.models[TRANSLATION]),
            self.cache,
            self.progress,
        )
        if SUMMARY in self.stages:
            translated = summarize_articles(
                translated, self.stages[SUMMARY], self.engines[SUMMARY], self.cache, self.progress
            )
        # Flags come from the text and cached scores, so a fully cached run shows the same ones.
        return [annotate_article(article) for article in translated]

    def result(self, articles: tuple[ArticleResult, ...]) -> RunResult:
        """The whole-run result for `articles`: what was yielded, or as many as were kept."""
        hits, misses = self.cache.lookups.totals()
        return RunResult(
            articles=articles,
            models=self.models,
            engines={role: engine.identity for role, engine in self.engines.items()},
            cache_hits=hits,
            cache_misses=misses,
            started=self.started,
            warnings=(
                *self.cache.warnings,
                *self.walk_notes,
                *(note for engine in self.engines.values() for note in engine.notes),
            ),
            inputs=tuple(self.paths),
        )

    def close(self) -> None:
        """Free every model and close the cache."""
        try:
            for engine in self.engines.values():
                engine.close()
        finally:
            self.cache.close()

    def __enter__(self) -> StreamingRun:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def resolve_run_models(options: RunOptions) -> dict[str, ModelInfo]:
    """The models of a run by role, found (or downloaded, unless offline) before any work.

    Raises one ModelUnavailable that names every unavailable model, and suggests --no-summary
    when only the summarizer is missing.
    """
    requests = {TRANSLATION: (options.mt_model, "--mt-model")}
    if options.summarize:
        requests[SUMMARY] = (options.summary_model, "--summary-model")
    found = resolve_models(
        list(requests.values()), hints={"--summary-model": "or translate only with --no-summary"}
    )
    return dict(zip(requests, found, strict=True))


def build_stage(
    role: str,
    info: ModelInfo,
    engine: ModelEngine,
    options: RunOptions,
    prompt: PromptTemplate | None = None,
    on_batch: Callable[[int], None] | None = None,
    *,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> Stage[Any]:
    """The stage of a model `role` (translation or summary) on its engine.

    Local runs and the Ray actors build their stages here, so both compute the same way.
    """
    if role == TRANSLATION:
        translator = Seq2SeqTranslator(engine, beams=options.beams, batch_size=options.batch_size)
        return TranslationStage(engine, translator, on_batch)
    if prompt is None:
        raise ValueError("a summary stage needs a prompt template")
    summarizer = Seq2SeqSummarizer(
        engine,
        prompt,
        input_limit=input_limit(info),
        beams=options.beams,
        batch_size=options.batch_size,
    )
    return SummaryStage(engine, summarizer, on_batch, cache=cache, progress=progress)


class RemoteStages(Protocol):
    """Computes a run's cache misses somewhere else, such as a Ray cluster (`cluster.py`)."""

    #: The driver's stand-in for each model: it tokenizes, and names the engine that computes.
    engine_class: Callable[..., ModelEngine]

    def wrap(self, role: str, stage: Stage[Any], run: StreamingRun) -> Stage[Any]:
        """A stage with `stage`'s keys and encoding whose `compute` runs remotely."""
        ...


def _failed(article: Article, error: Exception) -> ArticleResult:
    """An article whose processing raised something unexpected: its one-line error."""
    reason = (str(error).strip().splitlines() or [""])[0][:200]
    return ArticleResult(
        source=article.source,
        date=article.date,
        warnings=article.warnings,
        error=f"{article.source}: could not be processed ({type(error).__name__}: {reason})",
    )


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


def translate_articles(
    articles: list[Article],
    translation: Stage[Translation],
    engine: ModelEngine,
    limit: int,
    cache: Cache,
    progress: Progress,
) -> list[ArticleResult]:
    """Split over-long sentences (with `engine`'s tokenizer), translate the distinct units of all
    articles in one length-sorted stream, identify languages, and align.

    Language identification only adds warnings, so it runs after translation: loading its
    ~100 MB model would take a second before the first batch.
    """
    articles = split_over_long_sentences(articles, engine, limit, cache)
    units_by_article = {a.source: {s for p in a.paragraphs for s in p.sentences} for a in articles}
    stage = CachedStage(
        translation,
        cache,
        on_misses=lambda count: progress.start("translating", count),
        on_prepare=_preparing(engine, "translation", progress),
        on_results=_ArticleCounter(units_by_article, progress),
    )
    units = sorted({s for a in articles for p in a.paragraphs for s in p.sentences}, key=len, reverse=True)
    translations = stage.map(units)
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
    summary: Stage[str],
    engine: ModelEngine,
    cache: Cache,
    progress: Progress,
) -> list[ArticleResult]:
    """Summarize each article's full translation, chunking long ones."""
    full_texts = [result.translation or "" for result in translated]
    stage = CachedStage(
        summary,
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
