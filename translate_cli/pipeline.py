"""The whole pipeline: read → segment → translate → summarize, for many articles at once.

Sentences of all articles are translated together in length-sorted batches, and every result
(long-sentence splits, translations, summaries) goes through the cache, so a re-run only
computes what changed. Models and tokenizers load on first use: a fully cached run loads none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from .cache import LANGUAGE, SEGMENTATION, SUMMARY, TRANSLATION, NullCache, ResultCache, cache_key, cached_map
from .ct2 import load_generator
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
from .errors import InputError
from .hub import file_digest, input_limit, model_family, model_fingerprint, resolve_model
from .language import METHOD, identify_languages, language_warning
from .prompts import PromptTemplate, load_prompt, prompt_for_family
from .reader import iter_inputs, read_article
from .segment import max_possible_tokens, split_long
from .seq2seq import TextGenerator
from .summarize import Seq2SeqSummarizer, summarize_documents
from .translate import Seq2SeqTranslator, degeneracy, translate_with_retry

PARAGRAPH_SEPARATOR = "\n\n"
#: Folder in the cache directory holding CTranslate2 conversions of the models.
MODEL_STORE = "models"


class Progress(Protocol):
    """Receives progress as work is done; the CLI shows it as a progress bar."""

    def start(self, stage: str, total: int) -> None:
        """A stage begins with `total` items to compute."""

    def advance(self, count: int) -> None:
        """`count` more items of the current stage are done."""


class _NoProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


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
        inputs = [_read(source, options.max_bytes) for source in iter_inputs(list(paths))]
        articles = [item for item in inputs if isinstance(item, Article)]
        notes: list[str] = []
        processed = iter(process_articles(articles, models, prompt, options, cache, progress, notes))
        ordered = tuple(next(processed) if isinstance(item, Article) else item for item in inputs)
        hits, misses = cache.lookups.totals()
        return RunResult(
            articles=ordered,
            models=models,
            cache_hits=hits,
            cache_misses=misses,
            started=started,
            warnings=(*cache.warnings, *notes),
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


def check_languages(articles: list[Article], cache: ResultCache | NullCache) -> list[Article]:
    """Add a warning to each article whose text is not in Albanian; mixed text is fine."""
    texts = {article.source: "\n".join(p.text for p in article.paragraphs) for article in articles}
    languages = cached_map(
        cache,
        LANGUAGE,
        list(texts.values()),
        lambda text: cache_key(METHOD, text),
        identify_languages,
        commit_every=64,
    )
    checked = []
    for article in articles:
        warning = language_warning(languages[texts[article.source]])
        checked.append(replace(article, warnings=(*article.warnings, warning)) if warning else article)
    return checked


def process_articles(
    articles: list[Article],
    models: dict[str, ModelInfo],
    prompt: PromptTemplate | None,
    options: RunOptions,
    cache: ResultCache | NullCache,
    progress: Progress,
    notes: list[str],
) -> list[ArticleResult]:
    """Translate and summarize readable articles; results come back in the same order.

    Without a summary model in `models` (--no-summary), articles are only translated.
    `notes` receives run-level notices, such as a fallback from CTranslate2 to transformers.
    """
    if not articles:
        return []
    fingerprints = {
        stage: model_fingerprint(info, lambda path: cache.file_digest(path, file_digest))
        for stage, info in models.items()
    }
    generators = {
        stage: load_generator(
            info,
            backend=options.backend,
            device=options.device,
            store=options.cache_dir / MODEL_STORE,
            fingerprint=fingerprints[stage],
            notes=notes,
        )
        for stage, info in models.items()
    }
    translation_model = generators[TRANSLATION]
    articles = check_languages(articles, cache)
    articles = split_over_long_sentences(
        articles, translation_model, input_limit(models[TRANSLATION]), fingerprints[TRANSLATION], cache
    )
    translator = Seq2SeqTranslator(translation_model, beams=options.beams, batch_size=options.batch_size)
    translated = translate_articles(articles, translator, fingerprints[TRANSLATION], options, cache, progress)
    translation_model.close()  # before the summarizer loads: the two need not share memory
    if SUMMARY not in models or prompt is None:
        return translated
    summarizer = Seq2SeqSummarizer(
        generators[SUMMARY],
        prompt,
        input_limit=input_limit(models[SUMMARY]),
        beams=options.beams,
        batch_size=max(1, options.batch_size // 4),
    )
    summarized = summarize_articles(translated, summarizer, fingerprints[SUMMARY], options, cache, progress)
    generators[SUMMARY].close()
    return summarized


def split_over_long_sentences(
    articles: list[Article],
    model: TextGenerator,
    limit: int,
    fingerprint: str,
    cache: ResultCache | NullCache,
) -> list[Article]:
    """Split sentences over the translation model's input limit, consulting the tokenizer only
    for sentences that could exceed it, and only when the cache does not know the split."""
    long_sentences = [
        s for a in articles for p in a.paragraphs for s in p.sentences if max_possible_tokens(s) > limit
    ]
    splits = cached_map(
        cache,
        SEGMENTATION,
        long_sentences,
        lambda sentence: cache_key(fingerprint, limit, sentence),
        lambda batch: [json.dumps(split_long(s, model.count_tokens, limit)) for s in batch],
        commit_every=64,
    )
    pieces = {sentence: json.loads(value) for sentence, value in splits.items()}
    return [split_long_units(article, pieces, limit) for article in articles]


def translate_articles(
    articles: list[Article],
    translator: Seq2SeqTranslator,
    fingerprint: str,
    options: RunOptions,
    cache: ResultCache | NullCache,
    progress: Progress,
) -> list[ArticleResult]:
    """Translate the distinct units of all articles in one length-sorted stream, then align them."""
    settings = {**translator.settings(), "backend": options.backend}
    units = sorted({s for a in articles for p in a.paragraphs for s in p.sentences}, key=len, reverse=True)
    translations = cached_map(
        cache,
        TRANSLATION,
        units,
        lambda unit: cache_key(fingerprint, settings, unit),
        lambda batch: translate_with_retry(translator, batch, progress.advance),
        commit_every=options.batch_size,
        on_misses=lambda count: progress.start("translating", count),
    )
    return [_align(article, translations) for article in articles]


def summarize_articles(
    translated: list[ArticleResult],
    summarizer: Seq2SeqSummarizer,
    fingerprint: str,
    options: RunOptions,
    cache: ResultCache | NullCache,
    progress: Progress,
) -> list[ArticleResult]:
    """Summarize each article's full translation, chunking long ones."""
    settings = {**summarizer.settings(), "backend": options.backend}

    def summarize_batch(texts: list[str]) -> list[str]:
        summaries = summarize_documents(summarizer, [t.split(PARAGRAPH_SEPARATOR) for t in texts])
        progress.advance(len(texts))
        return summaries

    full_texts = [result.translation or "" for result in translated]
    summaries = cached_map(
        cache,
        SUMMARY,
        full_texts,
        lambda text: cache_key(fingerprint, settings, text),
        summarize_batch,
        commit_every=summarizer.batch_size,
        on_misses=lambda count: progress.start("summarizing", count),
    )
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


def _align(article: Article, translations: dict[str, str]) -> ArticleResult:
    paragraphs = tuple(
        TranslatedParagraph(
            paragraph.kind,
            tuple(
                TranslatedSentence(unit, translations[unit], degeneracy(unit, translations[unit]) is not None)
                for unit in paragraph.sentences
            ),
        )
        for paragraph in article.paragraphs
    )
    warnings = list(article.warnings)
    poor = [s for p in paragraphs for s in p.sentences if s.low_quality]
    if poor:
        warnings.append(
            f"{len(poor)} of {sum(len(p.sentences) for p in paragraphs)} translations still look "
            f"degenerate after a retry and are marked low quality, e.g. for: {poor[0].source[:40]}…"
        )
    return ArticleResult(
        source=article.source, date=article.date, paragraphs=paragraphs, warnings=tuple(warnings)
    )
