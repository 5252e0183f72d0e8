"""Computing a run's cache misses on a Ray cluster with Ray Data (`translate-cli run --ray`).

The driver, this process, does everything a local run does: it lists and reads the inputs,
identifies languages, splits long sentences, looks every unit up in its cache, and shows and
writes the results. Only the translations and summaries that the cache lacks go to the cluster,
as a Ray Data dataset mapped by a fixed pool of actors (`StageActor`, a `map_batches` callable
class). Each actor builds its stage with `build_stage`, exactly as a local run does, and loads
its model once. The results come back to the driver and go into its cache, so a local run
afterwards computes nothing. A chunk's translations all finish, and their actors stop, before
its summary actors start, so no node holds both models at once.

Ray is an optional extra (`pip install "translate-cli[ray]"`): nothing here imports it until a
run asks for the cluster.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from .data import EngineIdentity, ModelInfo, RunOptions
from .engines import ModelEngine
from .errors import ModelUnavailable, TranslateCliError, UsageError
from .pipeline import MODEL_STORE, StreamingRun, build_stage
from .prompts import PromptTemplate
from .settings import RAY_EXTRA
from .stage import Stage

#: How often Ray may restart an actor whose process died (out of memory, a node lost), and
#: retry the batch it was computing. Ray Data's defaults, -1 and -1, retry for ever: an actor
#: that dies on every batch (one that runs out of memory, say) would hang the run. An exception
#: raised by the stage is not retried by Ray (Ray Data's `actor_task_retry_on_errors` is off):
#: it is an input's fault, and the run sends the chunk's articles again one by one.
ACTOR_RETRIES = {"max_restarts": 3, "max_task_retries": 3}


class ClusterError(TranslateCliError):
    """The Ray cluster cannot be reached, or it failed in a way that is not one article's fault."""

    exit_status = 6


@dataclass(frozen=True)
class ClusterOptions:
    """Where and how wide a `--ray` run computes."""

    address: str | None = None  # None starts a local Ray; "auto" or "ray://HOST:10001" joins a cluster
    actors: int | None = None  # actors per stage; None: one per GPU, or one on a cluster without GPUs


def import_ray() -> Any:
    """The `ray` module with Ray Data, or UsageError naming the extra to install."""
    try:
        import ray
        import ray.data  # Ray Data is the part of the extra that runs the stages
    except ImportError:
        raise UsageError(f"--ray needs Ray, which is not installed: {RAY_EXTRA}") from None
    return ray


@contextmanager
def connect(options: ClusterOptions, device: str = "auto") -> Iterator[RayStages]:
    """Ray for one run: started locally (no address) or joined ("auto", "ray://..."), or the
    session this process already has. Only a Ray that was started here is shut down after.

    `device` is the run's --device: "auto" gives each actor a GPU when the cluster has any.
    """
    ray = import_ray()
    started = not ray.is_initialized()
    if started:
        # Ray's core logs each actor pool's start as an error line; keep the terminal for results.
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        try:
            with _native_stderr_silenced():  # the core's line that says it took that setting
                ray.init(
                    address=options.address,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.ERROR,
                )
        except Exception as error:  # ConnectionError, or ValueError for a malformed address
            where = options.address or "a new local instance"
            raise ClusterError(f"cannot start or reach Ray at {where} ({_one_line(error)})") from None
    try:
        _quiet_ray_data()
        yield RayStages(ray, options, device)
    finally:
        if started:
            ray.shutdown()


@contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for a moment: Ray's C++ core writes there directly.
    A failure still reaches the user, as the exception that becomes one line."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _quiet_ray_data() -> None:
    """Ray Data's progress bars and execution logs would mix with the terminal view."""
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    # Failures come back as exceptions, which become one line per article or per run.
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _one_line(error: BaseException) -> str:
    text = _ANSI.sub("", str(error)).strip()
    return (text.splitlines() or [type(error).__name__])[0][:200]


def _root_cause(error: BaseException) -> BaseException:
    """The exception raised in user code, unwrapped from Ray's task and actor errors."""
    seen: set[int] = set()
    while id(error) not in seen:
        seen.add(id(error))
        inner = getattr(error, "cause", None) or error.__cause__
        if not isinstance(inner, BaseException):
            break
        error = inner
    return error


class ClusterEngine(ModelEngine):
    """The driver's stand-in for a model that runs on the cluster.

    It tokenizes locally (for long-sentence splitting), never loads the model, and its identity,
    which cache keys use, is that of the engine on the cluster: planned from the cluster's
    device, then learnt from a probe on the cluster before any result is computed.
    """

    def __init__(
        self,
        info: ModelInfo,
        fingerprint: str,
        *,
        backend: str,
        device: str,
        store: Path,
        cluster_device: str,
    ) -> None:
        super().__init__(info, fingerprint, backend=backend, device=device, store=store)
        self.cluster_device = cluster_device  # "cuda" when the actors get GPUs, else "cpu"
        self.cluster_identity: EngineIdentity | None = None  # the engine that runs on the cluster

    @property
    def identity(self) -> EngineIdentity:
        """The engine on the cluster: as probed, or as planned before the probe."""
        if self.cluster_identity is not None:
            return self.cluster_identity
        from .ct2 import ct2_identity
        from .seq2seq import transformers_identity

        if self.backend == "transformers":
            return transformers_identity(self.cluster_device, self.fingerprint)
        return ct2_identity(self.cluster_device, self.fingerprint)

    def load(self) -> Any:
        """Never: the model runs on the cluster's actors."""
        raise RuntimeError("this model runs on the Ray cluster, not in the driver")


@dataclass(frozen=True)
class ActorSpec:
    """Everything an actor needs to build the same stage as a local run."""

    role: str  # TRANSLATION or SUMMARY
    info: ModelInfo  # the model; its folder must exist at the same path on every node
    fingerprint: str  # the model's identity, as the driver computed it
    options: RunOptions  # the run's options, with the cluster's device
    prompt: PromptTemplate | None  # the summary prompt; None for translation

    def engine(self) -> ModelEngine:
        """The engine for this stage's model on the actor's node (not loaded yet)."""
        return ModelEngine(
            self.info,
            self.fingerprint,
            backend=self.options.backend,
            device=self.options.device,
            store=self.options.cache_dir / MODEL_STORE,
        )


def probe_engine(spec: ActorSpec) -> tuple[EngineIdentity, tuple[str, ...]]:
    """Load the model on a cluster node as an actor would: the engine that runs, and its notes."""
    engine = spec.engine()
    try:
        engine.load()
        return engine.identity, engine.notes
    finally:
        engine.close()


class StageActor:
    """A Ray Data `map_batches` callable class: one stage, its model loaded once per actor."""

    def __init__(self, spec: ActorSpec, identity: EngineIdentity) -> None:
        self.engine = spec.engine()
        self.stage = build_stage(spec.role, spec.info, self.engine, spec.options, spec.prompt)
        self.stage.prepare()
        if self.engine.identity != identity:  # results would be stored under another engine's name
            raise ModelUnavailable(
                f"{spec.info.describe()}: a Ray node runs {self.engine.identity.backend}/"
                f"{self.engine.identity.compute_type} where the probe found {identity.backend}/"
                f"{identity.compute_type}; give all nodes the same libraries"
            )

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        """Compute each row's slice of inputs (a JSON list of texts), exactly as a local run
        computes that slice, so both give the same results; `index` is kept."""
        encoded = []
        for items in batch["items"]:
            values = self.stage.compute(json.loads(str(items)))
            encoded.append(json.dumps([self.stage.encode(value) for value in values]))
        return {"index": batch["index"], "values": encoded}

    def __del__(self) -> None:
        engine = getattr(self, "engine", None)  # absent when __init__ failed early
        if engine is not None:
            engine.close()


class RayStages:
    """Computes the misses of a run's translation and summary stages on Ray Data actors."""

    def __init__(self, ray: Any, options: ClusterOptions, device: str = "auto") -> None:
        self.ray = ray
        self.gpus = int(ray.cluster_resources().get("GPU", 0))  # on the whole cluster
        if device == "cuda" and not self.gpus:
            raise UsageError("--device cuda was asked for, but the Ray cluster has no GPUs")
        self.device = "cuda" if self.gpus and device != "cpu" else "cpu"  # where the actors run
        self.actors = options.actors or (self.gpus if self.device == "cuda" else 1)
        self.engine_class = partial(ClusterEngine, cluster_device=self.device)

    def wrap(self, role: str, stage: Stage[Any], run: StreamingRun) -> Stage[Any]:
        """`stage` with its misses computed by a pool of actors on the cluster."""
        engine = run.engines[role]
        if not isinstance(engine, ClusterEngine):
            raise TypeError("a --ray run's engines are ClusterEngines")
        options = replace(
            run.options, device=engine.cluster_device, cache_dir=run.options.cache_dir.resolve()
        )
        spec = ActorSpec(role, run.models[role], engine.fingerprint, options, run.prompt)
        return RayStage(self, stage, engine, spec, run.progress.advance)


class RayStage:
    """A stage whose keys, encoding and name are the local stage's, and whose `compute` runs a
    Ray Data dataset of the misses through a pool of `StageActor`s."""

    def __init__(
        self, stages: RayStages, local: Stage[Any], engine: ClusterEngine, spec: ActorSpec, advance: Any
    ) -> None:
        self.stages = stages
        self.local = local
        self.engine = engine
        self.spec = spec
        self.advance = advance  # progress: hears how many results came back
        self.name = local.name
        # A pool of actors starts per call, so a chunk's misses go in one call; the actors
        # compute them in the local stage's slices.
        self.commit_every = 1 << 40

    #: The `map_batches` callable class the dataset is mapped with.
    actor_class: type = StageActor

    def key(self, item: str) -> str:
        """The local stage's key, made with the cluster engine's identity."""
        return self.local.key(item)

    def encode(self, value: Any) -> str:
        """As the local stage stores it."""
        return self.local.encode(value)

    def decode(self, stored: str) -> Any:
        """As the local stage reads it."""
        return self.local.decode(stored)

    def _resources(self) -> dict[str, float]:
        return {"num_gpus": 1} if self.engine.cluster_device == "cuda" else {"num_cpus": 1}

    def prepare(self) -> None:
        """Probe the cluster once for the engine that will run, so that keys name it."""
        if self.engine.cluster_identity is not None:
            return
        remote = self.stages.ray.remote(probe_engine).options(**self._resources())
        try:
            identity, notes = self.stages.ray.get(remote.remote(self.spec))
        except Exception as error:
            cause = _root_cause(error)
            if isinstance(cause, TranslateCliError):  # e.g. ModelUnavailable on the node
                raise cause from None
            raise ClusterError(
                f"the Ray cluster could not load {self.spec.info.describe()} ({_one_line(cause)})"
            ) from None
        self.engine.cluster_identity = identity
        self.engine.notes = notes

    def _dataset(self, data: Any, rows: list[dict[str, Any]], slices: int) -> Any:
        """The dataset of `rows` mapped by a pool of actors with bounded restarts and retries."""
        return data.from_items(rows).map_batches(
            self.actor_class,
            fn_constructor_kwargs={"spec": self.spec, "identity": self.engine.identity},
            compute=data.ActorPoolStrategy(size=max(1, min(self.stages.actors, slices))),
            batch_size=1,  # one slice per call: the actors of the pool share the slices
            batch_format="numpy",
            **self._resources(),
            **ACTOR_RETRIES,
        )

    def compute(self, items: list[str]) -> list[Any]:
        """The results of `items`, computed by the actor pool, in order.

        Each row of the dataset is one slice of `commit_every` inputs, the slices a local run
        computes (and batches, and retries) together, so results match a local run's.
        """
        import ray.data

        self.prepare()
        size = self.local.commit_every
        slices = [items[start : start + size] for start in range(0, len(items), size)]
        rows = [{"index": number, "items": json.dumps(part)} for number, part in enumerate(slices)]
        with warnings.catch_warnings():
            # Ray 2.60 takes max_restarts and max_task_retries only as **ray_remote_args, which it
            # says it will stop taking in 2.64 (hence the extra's upper bound); nothing a user can do.
            warnings.simplefilter("ignore", DeprecationWarning)
            mapped = self._dataset(ray.data, rows, len(slices))
        results: list[Any] = [None] * len(items)
        try:
            for batch in mapped.iter_batches(batch_format="numpy", batch_size=None):
                for index, values in zip(batch["index"], batch["values"], strict=True):
                    start = int(index) * size
                    for offset, value in enumerate(json.loads(str(values))):
                        results[start + offset] = self.decode(value)
                    self.advance(len(slices[int(index)]))
        except Exception as error:
            cause = _root_cause(error)
            if isinstance(cause, TranslateCliError):
                raise cause from None
            died = self.stages.ray.exceptions.RayActorError
            if isinstance(error, died) or isinstance(cause, died):  # not an input's fault
                raise ClusterError(f"a Ray actor died ({_one_line(cause)})") from None
            # An input's own failure: the run retries the chunk's articles one by one.
            raise cause if isinstance(cause, Exception) else error from None
        return results
