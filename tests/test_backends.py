"""Backends: CTranslate2 and transformers, conversion once, choice and fallback."""

from __future__ import annotations

import json
import sys
import threading
import warnings
from pathlib import Path

import pytest

from translate_cli import ct2
from translate_cli.hub import model_fingerprint, resolve_model


def test_a_model_is_converted_once_even_when_two_runs_start_together(
    marian: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctranslate2.converters import TransformersConverter

    conversions = []
    original = TransformersConverter.convert

    def counting_convert(self, output_dir, *args, **kwargs):
        conversions.append(output_dir)
        return original(self, output_dir, *args, **kwargs)

    monkeypatch.setattr(TransformersConverter, "convert", counting_convert)
    info = resolve_model(str(marian))
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(ct2.converted_model(info, tmp_path, "fp")))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(conversions) == 1
    assert len(set(results)) == 1 and (results[0] / "model.bin").is_file()
    assert not list(tmp_path.glob(".converting-*"))


ONE_PARAGRAPH = "Kim Jong Un pritet të takojë Putinin. Ai tha se bisedimet po përparojnë."


def test_the_transformers_backend_creates_no_model_store(cli, models: list[str]) -> None:
    Path("a.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    status, _, err = cli("run", "a.txt", *models, "--backend", "transformers", "-q")
    assert status == 0, err
    assert Path("cache/results.sqlite3").is_file()  # the run did use the cache folder
    assert not Path("cache/models").exists()


def test_ctranslate2_is_the_default_and_converts_into_the_cache_dir(
    cli, seeds: Path, models: list[str]
) -> None:
    status, _, err = cli("run", seeds, *models, "-q", "--json", "r.json")
    assert status == 0, err
    assert len(list(Path("cache/models").glob("*-int8"))) == 2  # translator and summarizer
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["warnings"] == []


def _damage_store(marian: Path) -> None:
    damaged = ct2.store_path(Path("cache/models"), model_fingerprint(resolve_model(str(marian))))
    damaged.mkdir(parents=True)
    (damaged / "model.bin").write_bytes(b"not a model")
    (damaged / "config.json").write_text("{}", encoding="utf-8")


def test_auto_falls_back_to_transformers_with_a_note(cli, models: list[str], marian: Path) -> None:
    _damage_store(marian)
    Path("a.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    status, _, err = cli("run", "a.txt", *models, "--json", "r.json")
    assert status == 0
    assert "CTranslate2 cannot load it" in err and "using transformers on the CPU instead" in err
    document = json.loads(Path("r.json").read_text(encoding="utf-8"))
    assert any("using transformers on the CPU instead" in w for w in document["warnings"])
    assert all(a["error"] is None and a["paragraphs"] for a in document["articles"])


def test_an_explicit_ctranslate2_backend_that_cannot_load_is_an_error(
    cli, seeds: Path, models: list[str], marian: Path
) -> None:
    _damage_store(marian)
    status, _, err = cli("run", seeds, *models, "--backend", "ctranslate2")
    assert status == 3
    assert err.startswith("translate-cli: error: ") and "CTranslate2 cannot load it" in err
    assert "Traceback" not in err


def test_leftovers_of_an_interrupted_conversion_are_removed(
    cli, seeds: Path, models: list[str], marian: Path
) -> None:
    store = Path("cache/models")
    target = ct2.store_path(store, model_fingerprint(resolve_model(str(marian))))
    leftover = store / f".converting-{target.name}-k1ll3d"  # as a conversion killed midway leaves it
    leftover.mkdir(parents=True)
    (leftover / "model.bin").write_bytes(b"half a model")
    status, _, err = cli("run", seeds, *models, "--backend", "ctranslate2", "--no-summary", "-q")
    assert status == 0, err
    assert not leftover.exists() and (target / "model.bin").is_file()


def test_sacremoses_is_not_needed(cli, marian: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """transformers' MarianTokenizer builds a Moses normalizer from it but never applies it."""
    Path("a.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    run = ("run", "a.txt", "--mt-model", marian, "--no-summary", "--no-cache", "--format", "json")
    for backend in ("transformers", "ctranslate2"):  # a transformers tokenizer, or the conversion's
        status, with_it, err = cli(*run, "--backend", backend)
        assert status == 0, err
        with monkeypatch.context() as patch, warnings.catch_warnings(record=True) as caught:
            patch.setitem(sys.modules, "sacremoses", None)  # as if it were not installed
            warnings.simplefilter("always")
            status, without, err = cli(*run, "--backend", backend)
        assert status == 0, err
        assert json.loads(without)["articles"] == json.loads(with_it)["articles"]
        assert not [w for w in caught if "sacremoses" in str(w.message)]
