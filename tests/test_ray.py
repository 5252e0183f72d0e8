"""`run --ray` on a local Ray with 2 CPUs: whole articles, the driver's cache filled, the same
outputs as a local run, and a clear error without the extra. One Ray session serves the module."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from translate_cli.cache import ResultCache


@pytest.fixture(scope="module")
def ray_session():
    """A local Ray with 2 CPUs, started once for the module; --ray runs join it."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield ray
    ray.shutdown()


def articles(path: str) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["articles"]


def cache_counts() -> dict[str, int]:
    cache = ResultCache(Path("cache"))
    try:
        return cache.counts()
    finally:
        cache.close()


def test_a_ray_run_fills_the_drivers_cache_and_matches_a_local_run(
    ray_session, cli, seeds: Path, models: list[str]
) -> None:
    status, out, err = cli(
        "run", seeds, *models, "--ray", "--ray-actors", "2", "--json", "ray.json", "--jsonl", "ray.jsonl"
    )
    assert status == 0, err
    assert "0 failed; cache: 0 hits," in err.splitlines()[-1]
    assert "ray" not in err.lower() and "Traceback" not in err  # nothing from Ray on the terminal
    on_ray = articles("ray.json")
    assert [Path(a["path"]).name for a in on_ray] == sorted(p.name for p in seeds.glob("*.txt"))
    for article in on_ray:  # every article whole: each unit translated, a summary
        assert article["error"] is None and article["summary"]
        assert all(s["translation"] for p in article["paragraphs"] for s in p["sentences"])
    lines = Path("ray.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == on_ray
    counts = cache_counts()
    assert counts["summary"] == 2 and counts["translation"] > 0
    assert all(name in out for name in (p.name for p in seeds.glob("*.txt")))  # the terminal view

    status, _, err = cli("run", seeds, *models, "--cache-dir", "own", "--json", "own.json", "-q")
    assert status == 0
    assert articles("own.json") == on_ray  # a local run on its own computes the same, value for value

    status, _, err = cli("run", seeds, *models, "--json", "local.json")  # the same cache, locally
    assert status == 0
    computed = counts["translation"] + counts["summary"]
    assert err.splitlines()[-1].endswith(f"cache: {computed} hits, 0 misses")
    assert articles("local.json") == on_ray  # same fields, same order, same values
    ray_models = json.loads(Path("ray.json").read_text(encoding="utf-8"))["models"]
    assert json.loads(Path("local.json").read_text(encoding="utf-8"))["models"] == ray_models


def test_a_ray_run_after_a_local_run_computes_nothing(
    ray_session, cli, seeds: Path, models: list[str]
) -> None:
    status, _, _ = cli("run", seeds, *models, "--json", "local.json", "-q")
    assert status == 0
    status, _, err = cli("run", seeds, *models, "--ray", "--json", "ray.json")
    assert status == 0
    assert err.splitlines()[-1].endswith(" 0 misses")
    assert articles("ray.json") == articles("local.json")


def test_errors_from_ray_tasks_are_unwrapped_to_what_user_code_raised(ray_session) -> None:
    from translate_cli.cluster import _one_line, _root_cause

    @ray_session.remote(num_cpus=1)
    def fails() -> None:
        raise RuntimeError("this input cannot be translated\nsecond line")

    with pytest.raises(Exception) as caught:
        ray_session.get(fails.remote())
    assert type(_root_cause(caught.value)) is RuntimeError
    assert _one_line(_root_cause(caught.value)) == "this input cannot be translated"


def test_without_the_ray_extra_ray_is_a_one_line_error(
    cli, seeds: Path, models: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if it were not installed
    status, out, err = cli("run", seeds, *models, "--ray-address", "auto")
    assert status == 2
    assert (
        err
        == 'translate-cli: error: --ray needs Ray, which is not installed: pip install "translate-cli[ray]"\n'
    )
    assert out == ""


class DyingActor:
    """A `map_batches` class whose process dies on every batch, as one that runs out of memory."""

    def __init__(self, **_: object) -> None:
        pass

    def __call__(self, batch: dict) -> dict:
        os._exit(1)


def test_an_actor_that_dies_on_every_batch_ends_the_run_after_rays_bounded_retries(ray_session) -> None:
    from ray import cloudpickle

    from translate_cli.cluster import ClusterError, RayStage

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests
    local = SimpleNamespace(name="translation", commit_every=2, decode=str)
    engine = SimpleNamespace(cluster_device="cpu", cluster_identity="probed", identity="probed")
    stage = RayStage(SimpleNamespace(ray=ray_session, actors=1), local, engine, None, lambda count: None)
    stage.actor_class = DyingActor
    started = time.monotonic()
    with pytest.raises(ClusterError, match="a Ray actor died"):
        stage.compute(["Një fjali.", "Dy fjali."])
    assert time.monotonic() - started < 120  # Ray's defaults would restart it for ever
