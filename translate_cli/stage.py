"""What a stage is, and the cache that wraps one.

A stage maps input texts to results. It owns its cache identity (`key`) and the encoding of its
results (`encode`/`decode`), so the pipeline never builds keys by hand: it wraps each stage in a
`CachedStage`, as argos-translate's `CachedTranslation` wraps a translation. A new stage is one
new class with these methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

from .cache import Cache

T = TypeVar("T")


class Stage(Protocol[T]):
    """One step of the pipeline: texts in, one result per text out."""

    #: The cache section its results are stored in, e.g. "translation".
    name: str
    #: Results are stored after every slice of this many computed inputs.
    commit_every: int

    def key(self, item: str) -> str:
        """The cache key of `item`'s result: a hash of everything that determines it."""
        ...

    def encode(self, value: T) -> str:
        """A result as stored in the cache."""
        ...

    def decode(self, stored: str) -> T:
        """A result from its stored form."""
        ...

    def prepare(self) -> None:
        """Load what `compute` needs. Keys may change (an engine fell back), so they are made again."""
        ...

    def compute(self, items: list[str]) -> list[T]:
        """The results of `items`, one for one."""
        ...


class CachedStage(Generic[T]):
    """A stage whose results go through the cache: only misses are computed, and only then is
    the stage prepared (its model loaded)."""

    def __init__(
        self,
        stage: Stage[T],
        cache: Cache,
        *,
        on_misses: Callable[[int], None] | None = None,
        on_prepare: Callable[[], None] | None = None,
        on_results: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.stage = stage
        self.cache = cache
        self.on_misses = on_misses  # hears how many inputs will be computed
        self.on_prepare = on_prepare  # hears that the stage is about to load its model
        self.on_results = on_results  # hears which items have results: cached ones, then each batch

    def map(self, items: Sequence[str]) -> dict[str, T]:
        """Each distinct item's result, from the cache or computed and then stored."""
        stage = self.stage
        distinct = list(dict.fromkeys(items))
        keys = self._keys(distinct)
        found = self.cache.get_many(stage.name, list(keys.values()))
        if len(found) < len(keys):
            if self.on_prepare is not None:
                self.on_prepare()
            stage.prepare()
            prepared = self._keys(distinct)
            if prepared != keys:  # another engine than planned will run: only its results count
                keys, found = prepared, self.cache.get_many(stage.name, list(prepared.values()))
        results = {item: stage.decode(found[key]) for item, key in keys.items() if key in found}
        missing = [item for item in distinct if item not in results]
        self.cache.lookups.record(stage.name, hits=len(results), misses=len(missing))
        if self.on_misses is not None:
            self.on_misses(len(missing))
        if self.on_results is not None and results:
            self.on_results(list(results))
        step = stage.commit_every if missing else 1  # asked only when needed: on a GPU it measures memory
        for start in range(0, len(missing), step):
            batch = missing[start : start + step]
            outputs = stage.compute(batch)
            self.cache.put_many(
                stage.name,
                [(keys[item], stage.encode(out)) for item, out in zip(batch, outputs, strict=True)],
            )
            results.update(zip(batch, outputs, strict=True))
            if self.on_results is not None:
                self.on_results(batch)
        return results

    def _keys(self, distinct: list[str]) -> dict[str, str]:
        return {item: self.stage.key(item) for item in distinct}
