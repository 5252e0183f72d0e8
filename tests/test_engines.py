"""Engines and stages: the cache wraps a stage, keys name the engine that ran, outputs carry scores."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from translate_cli import RunOptions, run
from translate_cli.cache import NullCache, ResultCache, cache_key
from translate_cli.ct2 import converted_model, store_path
from translate_cli.data import EngineIdentity
from translate_cli.hub import model_fingerprint, resolve_model
from translate_cli.stage import CachedStage

ARTICLE = "000_fea4830ee9b7d6af.txt"


class Shouting:
    """A stand-in stage: upper-cases text. Its keys name a version that `prepare` may change,
    as a model engine's identity changes when it falls back."""

    name = "translation"
    commit_every = 2

    def __init__(self, after_prepare: str = "planned") -> None:
        self.version = "planned"
        self.after_prepare = after_prepare
        self.prepared = 0
        self.computed: list[list[str]] = []

    def key(self, item: str) -> str:
        return cache_key(self.version, item)

    def encode(self, value: str) -> str:
        return json.dumps({"value": value})

    def decode(self, stored: str) -> str:
        return json.loads(stored)["value"]

    def prepare(self) -> None:
        self.prepared += 1
        self.version = self.after_prepare

    def compute(self, items: list[str]) -> list[str]:
        self.computed.append(items)
        return [item.upper() for item in items]


def test_a_cached_stage_computes_only_misses_and_prepares_only_for_them(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    first = Shouting()
    assert CachedStage(first, cache).map(["a", "b", "a", "c"]) == {"a": "A", "b": "B", "c": "C"}
    assert first.computed == [["a", "b"], ["c"]] and first.prepared == 1  # committed per slice
    again = Shouting()
    assert CachedStage(again, cache).map(["c", "a"]) == {"c": "C", "a": "A"}
    assert again.prepared == 0 and again.computed == []  # nothing to compute: nothing loads
    assert cache.lookups.by_stage["translation"] == (2, 3)


def test_when_preparing_changes_the_keys_only_results_of_the_new_identity_count(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    CachedStage(Shouting(), cache).map(["a", "b"])  # stored under "planned"
    fallback = Shouting(after_prepare="fallback")
    CachedStage(fallback, cache).map(["a", "b", "c"])  # "c" is missing: the stage is prepared
    assert fallback.computed == [["a", "b"], ["c"]]  # "planned" results are not the fallback's
    later = Shouting(after_prepare="fallback")
    assert CachedStage(later, cache).map(["a", "b", "c", "d"]) == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert later.computed == [["d"]]  # the fallback's own results are found again


def test_a_cached_stage_with_no_cache_computes_everything() -> None:
    stage = Shouting()
    cache = NullCache()
    CachedStage(stage, cache).map(["a"])
    CachedStage(stage, cache).map(["a"])
    assert stage.computed == [["a"], ["a"]]


def _translate_only(cli, seeds: Path, marian: Path, *extra: str) -> dict:
    status, _, err = cli(
        "run", seeds / ARTICLE, "--mt-model", marian, "--no-summary", "-q", "--json", "r.json", *extra
    )
    assert status == 0, err
    return json.loads(Path("r.json").read_text(encoding="utf-8"))


def test_ctranslate2_then_auto_is_served_from_the_cache(cli, seeds: Path, marian: Path) -> None:
    first = _translate_only(cli, seeds, marian, "--backend", "ctranslate2")
    again = _translate_only(cli, seeds, marian, "--backend", "auto")
    assert again["cache"] == {"hits": first["cache"]["misses"], "misses": 0}
    assert again["models"]["translation"]["backend"] == "ctranslate2"


def test_transformers_then_auto_recomputes(cli, seeds: Path, marian: Path) -> None:
    first = _translate_only(cli, seeds, marian, "--backend", "transformers")
    assert (first["models"]["translation"]["backend"], first["models"]["translation"]["compute_type"]) == (
        "transformers",
        "float32",
    )
    again = _translate_only(cli, seeds, marian)
    assert again["cache"] == {"hits": 0, "misses": first["cache"]["misses"]}
    assert again["models"]["translation"]["backend"] == "ctranslate2"


def _damage_store(marian: Path) -> None:
    damaged = store_path(Path("cache/models"), model_fingerprint(resolve_model(str(marian))))
    damaged.mkdir(parents=True)
    (damaged / "model.bin").write_bytes(b"not a model")
    (damaged / "config.json").write_text("{}", encoding="utf-8")


def test_results_of_a_fallback_are_stored_under_the_engine_that_ran(cli, seeds: Path, marian: Path) -> None:
    _damage_store(marian)
    fallback = _translate_only(cli, seeds, marian)
    assert fallback["models"]["translation"]["backend"] == "transformers"
    assert any("using transformers on the CPU instead" in warning for warning in fallback["warnings"])
    again = _translate_only(cli, seeds, marian, "--backend", "transformers")
    assert again["cache"] == {"hits": fallback["cache"]["misses"], "misses": 0}


@pytest.fixture
def options(marian: Path, tmp_path: Path) -> RunOptions:
    return RunOptions(mt_model=str(marian), summarize=False, cache_dir=tmp_path / "cache", device="cpu")


@pytest.mark.parametrize(("backend", "compute_type"), [("ctranslate2", "int8"), ("transformers", "float32")])
def test_every_translation_has_a_finite_score_from_either_engine(
    seeds: Path, options: RunOptions, backend: str, compute_type: str
) -> None:
    result = run([str(seeds / ARTICLE)], replace(options, backend=backend))
    sentences = [s for p in result.articles[0].paragraphs for s in p.sentences]
    assert all(s.score is not None and math.isfinite(s.score) and s.score <= 0 for s in sentences)
    fingerprint = model_fingerprint(resolve_model(options.mt_model))
    assert result.engines["translation"] == EngineIdentity(backend, compute_type, "cpu", fingerprint)
    # Random weights make outputs degenerate: those were retried, and the flag says so.
    assert all(s.retried for s in sentences if s.low_quality)


def test_a_fully_cached_run_has_the_same_scores_and_flags(seeds: Path, options: RunOptions) -> None:
    first = run([str(seeds / ARTICLE)], options)
    again = run([str(seeds / ARTICLE)], options)
    assert again.cache_misses == 0
    assert again.articles == first.articles
    assert again.engines == first.engines


def test_a_run_that_raises_still_frees_its_models(
    seeds: Path, options: RunOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate_cli import engines, translate

    freed: list[bool] = []
    close = engines.ModelEngine.close

    def recording_close(self) -> None:
        freed.append(self._engine is not None)
        close(self)

    def failing_compute(self, items: list[str]) -> list:
        self.engine.load()
        raise KeyboardInterrupt  # run-level: anything else would only be the article's error

    monkeypatch.setattr(engines.ModelEngine, "close", recording_close)
    monkeypatch.setattr(translate.TranslationStage, "compute", failing_compute)
    with pytest.raises(KeyboardInterrupt):
        run([str(seeds / ARTICLE)], options)
    assert True in freed  # the loaded model was closed on the way out


# --- engine choice and fallback --------------------------------------------------------------------

CUBLAS_MISSING = "Library libcublas.so.12 is not found or cannot be loaded"


@pytest.fixture
def ct2_fails_at_its_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CTranslate2 that loads but fails at its first batch, as it does on a CUDA machine
    without cuBLAS 12; simulated on the CPU."""
    import ctranslate2

    class NoCublas(ctranslate2.Translator):
        def translate_batch(self, *args, **kwargs):
            raise RuntimeError(CUBLAS_MISSING)

    monkeypatch.setattr(ctranslate2, "Translator", NoCublas)


def test_auto_falls_back_when_ctranslate2_fails_at_its_first_batch(
    cli, seeds: Path, marian: Path, ct2_fails_at_its_first_batch: None
) -> None:
    document = _translate_only(cli, seeds, marian)
    assert document["models"]["translation"]["backend"] == "transformers"
    [note] = document["warnings"]
    assert "CTranslate2 cannot run on the CPU" in note and CUBLAS_MISSING in note
    assert 'pip install "translate-cli[cuda]"' in note and "using transformers on the CPU instead" in note
    assert all(
        s["translation"] is not None for p in document["articles"][0]["paragraphs"] for s in p["sentences"]
    )


def test_ctranslate2_asked_for_that_cannot_run_is_exit_3_in_one_line(
    cli, seeds: Path, marian: Path, ct2_fails_at_its_first_batch: None
) -> None:
    status, _, err = cli(
        "run", seeds / ARTICLE, "--mt-model", marian, "--no-summary", "--backend", "ctranslate2"
    )
    assert status == 3
    assert err.count("\n") == 1 and err.startswith("translate-cli: error: ")
    assert CUBLAS_MISSING in err and 'pip install "translate-cli[cuda]"' in err


def test_on_cuda_auto_tries_ctranslate2_then_transformers_on_the_gpu_then_ctranslate2_on_the_cpu(
    marian: Path, tmp_path: Path
) -> None:
    from translate_cli.engines import candidates_for

    info = resolve_model(str(marian))

    def labels(backend: str, device: str) -> list[str]:
        found = candidates_for(
            info, "fp", backend=backend, device=device, store=tmp_path, tokenizer=lambda: None
        )
        return [candidate.label for candidate in found]

    assert labels("auto", "cuda") == [
        "CTranslate2 on the GPU",
        "transformers on the GPU",
        "CTranslate2 on the CPU",
    ]
    assert labels("auto", "cpu") == ["CTranslate2 on the CPU", "transformers on the CPU"]
    assert labels("ctranslate2", "cuda") == ["CTranslate2 on the GPU"]
    assert labels("transformers", "cuda") == ["transformers on the GPU"]


def test_the_first_engine_that_runs_is_chosen_with_a_note_per_fallback() -> None:
    from translate_cli.engines import Candidate, first_that_runs
    from translate_cli.errors import ModelUnavailable

    def failing(reason: str):
        def load():
            raise ModelUnavailable(reason)

        return load

    chosen = object()
    engine, notes = first_that_runs(
        [
            Candidate("CTranslate2 on the GPU", failing("no cuBLAS")),
            Candidate("transformers on the GPU", failing("out of memory")),
            Candidate("CTranslate2 on the CPU", lambda: chosen),
        ]
    )
    assert engine is chosen
    assert notes == (
        "no cuBLAS; using transformers on the GPU instead",
        "out of memory; using CTranslate2 on the CPU instead",
    )
    with pytest.raises(ModelUnavailable, match="last"):
        first_that_runs([Candidate("a", failing("first")), Candidate("b", failing("last"))])


def test_cublas_is_preloaded_only_from_a_wheel_that_holds_it(tmp_path: Path) -> None:
    from translate_cli.ct2 import preload_cublas

    assert preload_cublas([str(tmp_path)]) is None  # no wheel installed there
    lib = tmp_path / "nvidia" / "cublas" / "lib"
    lib.mkdir(parents=True)
    for name in ("libcublasLt.so.12", "libcublas.so.12"):
        (lib / name).write_bytes(b"not a library")
    assert preload_cublas([str(tmp_path)]) is None  # unloadable files are passed over


# --- batch sizes -----------------------------------------------------------------------------------


def test_batches_are_sized_to_the_device(tmp_path: Path) -> None:
    from translate_cli.data import ModelInfo
    from translate_cli.engines import cpu_batching, cuda_batching

    assert (cpu_batching(2).max_items, cpu_batching(2).max_tokens) == (16, 1024)
    assert cpu_batching(16).max_tokens == 8 * cpu_batching(2).max_tokens
    shape = {"model_type": "marian", "vocab_size": 59158, "d_model": 512, "decoder_layers": 6}
    (tmp_path / "config.json").write_text(json.dumps(shape), encoding="utf-8")
    opus_shape = ModelInfo("opus-mt-sq-en", tmp_path)
    h100 = cuda_batching(75 << 30, opus_shape, beams=4)
    assert (h100.max_items, h100.max_tokens) == (256, 16_384)
    small = cuda_batching(2 << 30, opus_shape, beams=4)
    assert 512 <= small.max_tokens < h100.max_tokens


def test_batch_size_caps_sentences_per_batch(seeds: Path, options: RunOptions, monkeypatch) -> None:
    from translate_cli import engines

    sizes: list[int] = []
    original = engines.length_sorted_batches

    def recording(lengths, max_items, max_tokens):
        for batch in original(lengths, max_items, max_tokens):
            sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(engines, "length_sorted_batches", recording)
    run([str(seeds / ARTICLE)], replace(options, batch_size=3))
    assert sizes and max(sizes) == 3


# --- tokenizers without torch ----------------------------------------------------------------------


def _transformers_tokens(folder: Path, texts: list[str]) -> list[list[str]]:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    return [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(texts)["input_ids"]]


TEXTS = [
    "Kim Jong Un pritet të takojë Putinin.",
    "“Negociatat po përparojnë”, tha znj. Watson – «citim» … 4,5% dhe 1.250 €!",
    "  dy  hapësira ",
    "",
]


@pytest.mark.parametrize("family", ["marian", "bart", "bart-without-tokenizer-json", "t5"])
def test_the_torch_free_tokenizer_gives_the_same_tokens_as_transformers(
    family: str, marian: Path, bart: Path, t5: Path, tmp_path: Path
) -> None:
    import shutil

    from translate_cli.data import ModelInfo
    from translate_cli.tokenizer import TransformersTokenizer, load_tokenizer

    folder = {"marian": marian, "bart": bart, "t5": t5}.get(family)
    if folder is None:  # distilbart-cnn-12-6 on the Hub has only vocab.json and merges.txt
        folder = Path(shutil.copytree(bart, tmp_path / "bart"))
        (folder / "tokenizer.json").unlink()
    tokenizer = load_tokenizer(ModelInfo(str(folder), folder))
    assert not isinstance(tokenizer, TransformersTokenizer)
    reference = bart if family.startswith("bart") else folder
    assert tokenizer.tokenize(TEXTS) == _transformers_tokens(reference, TEXTS)


def test_a_run_on_an_already_converted_model_never_imports_torch(seeds: Path, marian: Path) -> None:
    import os
    import subprocess
    import sys

    args = ["run", str(seeds / ARTICLE), "--mt-model", str(marian), "--no-summary", "--no-cache", "-q"]
    code = (
        "import sys\nfrom translate_cli.cli import main\n"
        f"status = main({args!r})\n"
        "heavy = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "assert status == 0 and not heavy, (status, heavy)\n"
    )
    info = resolve_model(str(marian))
    converted_model(info, Path("cache/models"), model_fingerprint(info))  # as a first run would
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert again.returncode == 0, again.stderr


# --- planning the engine without importing one ------------------------------------------------------


def test_a_test_that_forgets_to_pin_the_cpu_fails(marian: Path, tmp_path: Path) -> None:
    from translate_cli.engines import ModelEngine

    info = resolve_model(str(marian))
    with pytest.raises(AssertionError, match="tests pin the CPU"):
        ModelEngine(info, "fp", backend="auto", device="auto", store=tmp_path)


@pytest.fixture
def simulated_gpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The NVIDIA driver's list of GPUs, holding one; the folder to point `NVIDIA_GPUS` at."""
    from translate_cli import engines

    gpus = tmp_path / "proc-driver-nvidia-gpus"
    (gpus / "0000:00:1e.0").mkdir(parents=True)
    monkeypatch.setattr(engines, "NVIDIA_GPUS", gpus)
    monkeypatch.setattr(engines, "DEVICE_FILES", tmp_path / "dev")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    return gpus


@pytest.mark.devices
def test_a_gpu_looks_visible_from_the_driver_files_unless_cuda_visible_devices_hides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate_cli import engines

    gpus, dev = tmp_path / "gpus", tmp_path / "dev"
    dev.mkdir()
    monkeypatch.setattr(engines, "NVIDIA_GPUS", gpus)
    monkeypatch.setattr(engines, "DEVICE_FILES", dev)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    (dev / "nvidiactl").touch()  # the driver without a GPU
    assert not engines.gpu_looks_visible() and engines.planned_device("auto") == "cpu"
    (dev / "nvidia0").touch()
    assert engines.gpu_looks_visible()
    (dev / "nvidia0").unlink()
    (gpus / "0000:00:1e.0").mkdir(parents=True)
    assert engines.gpu_looks_visible() and engines.planned_device("auto") == "cuda"
    for hidden in ("", "-1", " -1,0"):
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", hidden)
        assert not engines.gpu_looks_visible(), hidden
    for shown in ("0", "1,0", "GPU-8f2c"):
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", shown)
        assert engines.gpu_looks_visible(), shown
    assert engines.planned_device("cpu") == "cpu" and engines.planned_device("cuda") == "cuda"


@pytest.mark.devices
def test_a_fully_cached_run_on_a_gpu_plans_the_engine_that_ran_and_imports_none(
    cli, seeds: Path, marian: Path, simulated_gpu: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a GPU where CTranslate2 cannot run, the first run falls back (here, without a real GPU,
    to CTranslate2 on the CPU; on an H100 without cuBLAS 12, to transformers on the GPU). The
    rerun plans on that engine, finds every result and imports no engine, not even to ask CUDA."""
    from translate_cli import engines

    monkeypatch.setattr(engines, "cuda_device_count", lambda: 1)  # CUDA, asked at load, sees it too
    first = _translate_only(cli, seeds, marian, "--device", "auto")
    ran = first["models"]["translation"]
    if not _cuda_visible():  # this machine has no GPU: both GPU engines fell back
        assert (ran["backend"], ran["device"]) == ("ctranslate2", "cpu") and len(first["warnings"]) == 2
    args = ["run", str(seeds / ARTICLE), "--mt-model", str(marian), "--no-summary", "-q"]
    code = (
        "import sys\nfrom pathlib import Path\nfrom translate_cli import engines\n"
        f"engines.NVIDIA_GPUS = Path({str(simulated_gpu)!r})\n"
        "def asked():\n    raise AssertionError('CUDA was asked')\n"
        "engines.cuda_device_count = asked\n"
        "from translate_cli.cli import main\n"
        f"status = main({[*args, '--device', 'auto', '--json', 'again.json']!r})\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules]\n"
        "assert status == 0 and not heavy, (status, heavy)\n"
    )
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert again.returncode == 0, again.stderr
    document = json.loads(Path("again.json").read_text(encoding="utf-8"))
    assert document["cache"] == {"hits": first["cache"]["misses"], "misses": 0}
    assert document["models"]["translation"] == ran
    # Without the remembered engine, the plan is CTranslate2 on the GPU: it would miss, and load.
    for decision in Path("cache/models").glob("*.engine.json"):
        decision.unlink()
    info = resolve_model(str(marian))
    planned = engines.ModelEngine(
        info, model_fingerprint(info), backend="auto", device="auto", store=Path("cache/models")
    ).identity
    assert (planned.backend, planned.compute_type, planned.device) == ("ctranslate2", "int8_float16", "cuda")


@pytest.mark.devices
def test_a_remembered_engine_is_used_only_when_it_is_one_for_this_model_and_request(
    tmp_path: Path, marian: Path, simulated_gpu: Path
) -> None:
    from translate_cli.engines import ModelEngine, decision_path, remember_engine, remembered_engine

    info = resolve_model(str(marian))
    store = tmp_path / "models"
    path = decision_path(store, "fp", "auto", "auto")
    assert path != decision_path(store, "fp", "auto", "cuda")
    assert path != decision_path(store, "fp", "ctranslate2", "auto")
    gpu_fallback = EngineIdentity("transformers", "float16", "cuda", "fp")
    remember_engine(path, gpu_fallback)
    assert remembered_engine(path, "fp") == gpu_fallback
    assert ModelEngine(info, "fp", backend="auto", device="auto", store=store).identity == gpu_fallback
    assert remembered_engine(path, "another model") is None
    for damaged in ("{", "[]", '{"backend": "tpu", "compute_type": "x", "device": "cpu", "model": "fp"}'):
        path.write_text(damaged, encoding="utf-8")
        assert remembered_engine(path, "fp") is None
    planned = ModelEngine(info, "fp", backend="auto", device="auto", store=store).identity
    assert (planned.backend, planned.device) == ("ctranslate2", "cuda")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    remember_engine(tmp_path / "a-file" / "decision.json", gpu_fallback)  # cannot be written: no error


# --- on a GPU ----------------------------------------------------------------------------------------


def _cuda_visible() -> bool:
    try:
        import ctranslate2
    except ImportError:
        return False
    return ctranslate2.get_cuda_device_count() > 0


@pytest.mark.cuda
@pytest.mark.skipif(not _cuda_visible(), reason="no CUDA GPU visible")
def test_auto_runs_on_the_gpu_with_an_engine_that_works_there(cli, seeds: Path, marian: Path) -> None:
    document = _translate_only(cli, seeds, marian, "--device", "cuda")
    model = document["models"]["translation"]
    assert model["device"] == "cuda" or any("on the CPU instead" in w for w in document["warnings"])
    assert (model["backend"], model["compute_type"]) in {
        ("ctranslate2", "int8_float16"),
        ("transformers", "float16"),
        ("ctranslate2", "int8"),
    }
    sentences = [s for p in document["articles"][0]["paragraphs"] for s in p["sentences"]]
    assert all(math.isfinite(s["score"]) for s in sentences)


def test_the_backend_choices_come_from_one_list() -> None:
    import argparse

    from translate_cli import engines, settings
    from translate_cli.cli import build_parser

    parser = build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    run_parser = subcommands.choices["run"]
    backend = next(a for a in run_parser._actions if a.dest == "backend")
    assert tuple(backend.choices) == settings.BACKENDS and engines.BACKENDS is settings.BACKENDS
