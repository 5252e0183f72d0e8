"""Devices: the suite pins the CPU; tests about devices run only where the device is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import cuda_visible


def test_the_device_can_be_set_by_the_environment(cli, seeds: Path, models: list[str], monkeypatch) -> None:
    monkeypatch.setenv("TRANSLATE_CLI_DEVICE", "tpu")
    status, _, err = cli("run", seeds, *models)
    assert status == 2
    assert err == "translate-cli: error: TRANSLATE_CLI_DEVICE='tpu' is not a device; use auto, cpu, cuda\n"


@pytest.mark.devices
def test_an_explicit_cpu_beats_the_environment(cli, seeds: Path, models: list[str], monkeypatch) -> None:
    monkeypatch.setenv("TRANSLATE_CLI_DEVICE", "cuda")
    status, _, err = cli("run", seeds / "000_fea4830ee9b7d6af.txt", *models, "--device", "cpu", "-q")
    assert status == 0, err


@pytest.mark.devices
@pytest.mark.usefixtures("any_device")
def test_asking_for_cuda_without_a_gpu_is_a_usage_error(cli, seeds: Path, models: list[str]) -> None:
    if cuda_visible():
        pytest.skip("this machine has a CUDA GPU")
    for backend in ("transformers", "ctranslate2"):
        status, _, err = cli("run", seeds, *models, "--device", "cuda", "--backend", backend)
        assert status == 2
        assert err.startswith("translate-cli: error: --device cuda was asked for, but no CUDA GPU is visible")


@pytest.mark.cuda
@pytest.mark.usefixtures("any_device")
def test_a_run_on_the_gpu_with_transformers(cli, seeds: Path, models: list[str]) -> None:
    if not cuda_visible():
        pytest.skip("no CUDA GPU on this machine")
    status, _, err = cli(
        "run", seeds, *models, "--device", "cuda", "--backend", "transformers", "--json", "r.json"
    )
    assert status == 0, err
    articles = json.loads(Path("r.json").read_text(encoding="utf-8"))["articles"]
    assert all(a["error"] is None and a["summary"] is not None for a in articles)
