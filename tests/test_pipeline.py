"""The pipeline through the library, on tiny real checkpoints."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from translate_cli import RunOptions, read_article, run
from translate_cli.cache import ResultCache
from translate_cli.hub import resolve_model
from translate_cli.pipeline import resolve_prompt


@pytest.fixture
def options(marian: Path, bart: Path, tmp_path: Path) -> RunOptions:
    return RunOptions(
        mt_model=str(marian), summary_model=str(bart), cache_dir=tmp_path / "cache", device="cpu"
    )


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_every_character_of_every_article_is_in_exactly_one_unit(
    seeds: Path, options: RunOptions, backend: str
) -> None:
    result = run([str(seeds)], replace(options, backend=backend))
    assert not result.warnings
    assert [a.name for a in result.articles] == sorted(p.name for p in seeds.glob("*.txt"))
    for article in result.articles:
        original = read_article(article.source)
        assert article.error is None and article.date == original.date
        assert len(article.paragraphs) == len(original.paragraphs)
        for translated, source in zip(article.paragraphs, original.paragraphs, strict=True):
            assert translated.kind == source.kind
            assert squeeze(translated.source) == squeeze(source.text)
            assert all(isinstance(s.translation, str) for s in translated.sentences)
        assert article.translation.count("\n\n") == len(article.paragraphs) - 1
        assert isinstance(article.summary, str)


def test_sentences_over_the_input_limit_are_split_and_reported(seeds: Path, options: RunOptions) -> None:
    article = run([str(seeds / "002_ab33e44390d37e2a.txt")], options).articles[0]
    assert any("was split into" in warning for warning in article.warnings)
    paragraph = article.paragraphs[2]  # one 160-token sentence with the tiny tokenizer
    assert len(paragraph.sentences) > 1


def test_a_rerun_is_served_from_the_cache(seeds: Path, options: RunOptions) -> None:
    first = run([str(seeds)], options)
    assert first.cache_misses > 0
    second = run([str(seeds)], options)
    assert (second.cache_hits, second.cache_misses) == (first.cache_misses, 0)
    assert second.articles == first.articles


def test_identical_sentences_across_articles_are_translated_once(tmp_path: Path, options: RunOptions) -> None:
    shared = "Kim Jong Un pritet të takojë Putinin."
    (tmp_path / "a.txt").write_text(f"{shared}\n\nAi tha.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Ajo foli.\n\n{shared}", encoding="utf-8")
    result = run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], options)
    assert ResultCache(options.cache_dir).counts()["translation"] == 3
    a, b = result.articles
    assert a.paragraphs[0].sentences[0] == b.paragraphs[1].sentences[0]


def test_changing_the_beam_size_recomputes(seeds: Path, options: RunOptions) -> None:
    path = str(seeds / "000_fea4830ee9b7d6af.txt")
    run([path], options)
    again = run([path], replace(options, beams=1))
    assert again.cache_misses > 0


def test_no_cache_reads_and_writes_nothing(seeds: Path, options: RunOptions) -> None:
    uncached = replace(options, use_cache=False)
    result = run([str(seeds / "000_fea4830ee9b7d6af.txt")], uncached)
    assert result.cache_hits == 0 and result.cache_misses > 0
    assert not (options.cache_dir / "results.sqlite3").exists()
    assert list((options.cache_dir / "models").glob("*-int8"))  # the converted-model store stays in use


def test_unreadable_inputs_are_reported_and_the_rest_processed(
    tmp_path: Path, seeds: Path, options: RunOptions
) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    paths = [
        str(tmp_path / "missing.txt"),
        str(seeds / "000_fea4830ee9b7d6af.txt"),
        str(tmp_path / "empty.txt"),
    ]
    result = run(paths, options)
    assert [a.source for a in result.articles] == paths
    assert [a.error is None for a in result.articles] == [False, True, False]
    assert "no such file" in result.articles[0].error
    assert "no text" in result.articles[2].error


def test_t5_summarizer_gets_its_prompt(seeds: Path, marian: Path, t5: Path, tmp_path: Path) -> None:
    options = RunOptions(mt_model=str(marian), summary_model=str(t5), cache_dir=tmp_path / "c", device="cpu")
    assert resolve_prompt(None, resolve_model(str(t5))).text == "summarize: {text}"
    result = run([str(seeds / "000_fea4830ee9b7d6af.txt")], options)
    assert isinstance(result.articles[0].summary, str)
