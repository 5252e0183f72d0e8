"""Shared fixtures: tiny real checkpoints built once per session, and an isolated environment."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkpoints import SEEDS, build_bart, build_marian, build_t5

from translate_cli.cli import main

# Set before anything imports huggingface_hub, which reads these once: tests never touch the
# network or the user's own HF cache.
_HF_HOME = tempfile.mkdtemp(prefix="translate-cli-hf-")
os.environ["HF_HOME"] = _HF_HOME
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.pop("HF_HUB_CACHE", None)
# Nor the user's own translate-cli cache: the per-user default lands in this folder instead.
os.environ["XDG_CACHE_HOME"] = os.path.join(_HF_HOME, "xdg-cache")
# The test models are tiny: a second torch thread only adds hand-offs, and on a loaded 2-core CI
# machine each hand-off waits for a time slice (a transformers-backend run took 10x the CPU).
# Set before torch is imported; subprocesses inherit it. See also `one_torch_thread`.
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Every run of the command line in this session is pinned to the CPU: session- and module-scoped
# fixtures run before any test's own fixtures, and subprocesses inherit this. Tests about devices
# ask for another device explicitly (--device, or TRANSLATE_CLI_DEVICE through monkeypatch).
os.environ["TRANSLATE_CLI_DEVICE"] = "cpu"
#: Markers of the tests that may ask for a device other than the CPU.
DEVICE_MARKERS = ("cuda", "devices")
_running_a_device_test = False


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_HF_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def marian(models_dir: Path) -> Path:
    """A tiny MarianMT with a 64-token input limit, so seed sentences need splitting."""
    return build_marian(models_dir / "marian")


@pytest.fixture(scope="session")
def marian_wide(models_dir: Path) -> Path:
    """A tiny MarianMT with a 512-token input limit, like the real one."""
    return build_marian(models_dir / "marian-wide", max_positions=512)


@pytest.fixture(scope="session")
def bart(models_dir: Path) -> Path:
    """A tiny BART summarizer with a 64-token input limit, so articles are chunked."""
    return build_bart(models_dir / "bart")


@pytest.fixture(scope="session")
def t5(models_dir: Path) -> Path:
    """A tiny T5 summarizer."""
    return build_t5(models_dir / "t5")


@pytest.fixture(autouse=True)
def one_torch_thread() -> None:
    """Keep torch on one thread: loading a CTranslate2 model with two threads raises torch's
    thread count to two as well (they share OpenMP), which slows later tests in this process."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


@pytest.fixture(scope="session", autouse=True)
def models_run_on_the_cpu() -> Iterator[None]:
    """A model engine asked for any device but the CPU fails the test, unless the test is about
    devices (marked `cuda` or `devices`): so a test, or a fixture of any scope, that forgets to
    pin the CPU fails on every machine, not only on one with a GPU.

    Through the CLI the pin is TRANSLATE_CLI_DEVICE; through the library, `device="cpu"`.
    """
    from translate_cli import engines

    init = engines.ModelEngine.__init__

    def pinned(self, *args, device: str, **kwargs) -> None:
        if device != "cpu" and not _running_a_device_test:
            raise AssertionError(
                f"a model was asked to run on {device!r}: tests pin the CPU (device='cpu' in RunOptions, "
                "TRANSLATE_CLI_DEVICE=cpu for the CLI) unless marked cuda or devices"
            )
        init(self, *args, device=device, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engines.ModelEngine, "__init__", pinned)
        yield


@pytest.fixture(autouse=True)
def device_test(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Whether this test is about devices: only then may a model run elsewhere than the CPU."""
    global _running_a_device_test
    _running_a_device_test = any(request.node.get_closest_marker(m) for m in DEVICE_MARKERS)
    try:
        yield _running_a_device_test
    finally:
        _running_a_device_test = False


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in its own folder, with its own cache and no model settings from outside.

    Models run on the CPU, whatever the machine has: a test about devices asks for `any_device`.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRANSLATE_CLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRANSLATE_CLI_DEVICE", "cpu")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("COLUMNS", "120")
    for name in ("TRANSLATE_CLI_MT_MODEL", "TRANSLATE_CLI_SUMMARY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def any_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lift the CPU pin: the run uses whatever device the machine has."""
    monkeypatch.delenv("TRANSLATE_CLI_DEVICE", raising=False)


def cuda_visible() -> bool:
    """Whether torch sees a CUDA GPU."""
    import torch

    return torch.cuda.is_available()


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the seed articles in the test's folder."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run the command line in-process; returns (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        status = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def models(marian: Path, bart: Path) -> list[str]:
    """The model options for a run on the tiny checkpoints."""
    return ["--mt-model", str(marian), "--summary-model", str(bart)]
