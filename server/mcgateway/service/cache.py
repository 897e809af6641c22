"""The terminated-instance cache: a finished instance never changes, so read it once.

Entries are kept in LRU order under an entry-count budget and a byte budget. Values of
terminated instances live until evicted; values of running instances are only stored when
``freshness`` > 0, and only for that long (the default 0 never serves a running instance
stale). Concurrent loads of one key share a single upstream call (single flight), and a
write to an instance (stop) bumps its generation so no later read joins a load that
started before the write.

The cache is used from the event loop only; it needs no locks.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from mcgateway.metrics import GatewayMetrics

__all__ = ["CacheKey", "Cached", "TerminalCache", "key"]

_V = TypeVar("_V")

# How long the time of an instance's last invalidation is remembered: reads answered from a
# watch poller's state must have started after it, and no such read is older than this.
_INVALIDATION_MEMORY = 120.0

CacheKey = tuple[str, str, str, str]
"""``(kind, project, instance_id, detail)``; ``detail`` names a task or is empty."""


@dataclass(frozen=True)
class Cached(Generic[_V]):
    """A value to store, whether it is final (terminated instance) and its size estimate."""

    value: _V
    terminal: bool
    size: int


@dataclass
class _Entry:
    value: Any
    size: int
    expires_at: float  # math.inf for terminal entries


class TerminalCache:
    """Bounded LRU of instance reads, with hit/miss metrics and single-flight loading."""

    def __init__(
        self,
        *,
        max_entries: int,
        max_bytes: int,
        freshness: float = 0.0,
        max_value_bytes: int | None = None,
        metrics: GatewayMetrics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[CacheKey, _Entry] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._max_value_bytes = max_bytes if max_value_bytes is None else max_value_bytes
        self._freshness = freshness
        self._metrics = metrics
        self._clock = clock
        self._bytes = 0
        self._inflight: dict[tuple[CacheKey, int], asyncio.Future[Any]] = {}
        self._generations: dict[tuple[str, str], int] = {}
        self._invalidated: OrderedDict[tuple[str, str], float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """Estimated bytes held."""
        return self._bytes

    def get(self, key: CacheKey) -> Any | None:
        """The cached value or ``None``; counts a hit or a miss."""
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at <= self._clock():
            self._remove(key)
            entry = None
        if entry is None:
            self._count("miss")
            return None
        self._entries.move_to_end(key)
        self._count("hit")
        return entry.value

    def peek(self, key: CacheKey) -> Any | None:
        """The cached value or ``None``, without touching LRU order or the hit/miss counts."""
        entry = self._entries.get(key)
        if entry is None or entry.expires_at <= self._clock():
            return None
        return entry.value

    def put(self, key: CacheKey, cached: Cached[Any]) -> None:
        """Store a value if it may be cached (terminal, or running with freshness > 0)."""
        if cached.terminal:
            expires_at = float("inf")
        elif self._freshness > 0:
            expires_at = self._clock() + self._freshness
        else:
            return
        if cached.size > self._max_value_bytes:
            return
        if key in self._entries:
            self._remove(key)
        self._entries[key] = _Entry(cached.value, cached.size, expires_at)
        self._bytes += cached.size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            oldest = next(iter(self._entries))
            self._remove(oldest)
        self._update_gauges()

    def invalidate(self, project: str, instance_id: str) -> None:
        """Forget every entry of an instance and start a new load generation for it.

        A generation is remembered only while a load of the instance is in flight (that is
        all it guards), so invalidating ids that were never loaded (a StopInstance on a bogus
        id) keeps nothing."""
        ident = (project, instance_id)
        self._note_invalidation(ident)
        if self._loading(ident):
            self._generations[ident] = self._generations.get(ident, 0) + 1
        else:
            self._generations.pop(ident, None)
        for key in [k for k in self._entries if (k[1], k[2]) == ident]:
            self._remove(key)
        self._update_gauges()

    def invalidated_at(self, project: str, instance_id: str) -> float | None:
        """When (``time.monotonic``) :meth:`invalidate` was last called for the instance, if
        in the last two minutes: a state read before then must not answer a later read."""
        at = self._invalidated.get((project, instance_id))
        if at is not None and time.monotonic() - at > _INVALIDATION_MEMORY:
            return None
        return at

    def _note_invalidation(self, ident: tuple[str, str]) -> None:
        # time.monotonic, not the injectable clock: compared with the watch pollers' times.
        now = time.monotonic()
        self._invalidated[ident] = now
        self._invalidated.move_to_end(ident)
        while self._invalidated:
            oldest, at = next(iter(self._invalidated.items()))
            if now - at <= _INVALIDATION_MEMORY:
                break
            del self._invalidated[oldest]

    async def get_or_load(self, key: CacheKey, load: Callable[[], Awaitable[Cached[_V]]]) -> _V:
        """The cached value, or the result of ``load()`` shared by concurrent callers.

        A caller that is cancelled stops waiting without cancelling the shared load; a
        failed load raises in every waiter and caches nothing.
        """
        hit = self.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        flight = (key, self._generations.get((key[1], key[2]), 0))
        future = self._inflight.get(flight)
        if future is None:
            future = asyncio.ensure_future(self._load(flight, load))
            # Every waiter may be gone when the load fails; mark the error as seen.
            future.add_done_callback(_retrieve)
            self._inflight[flight] = future
        result: Cached[_V] = await asyncio.shield(future)
        return result.value

    async def _load(
        self, flight: tuple[CacheKey, int], load: Callable[[], Awaitable[Cached[_V]]]
    ) -> Cached[_V]:
        key, generation = flight
        try:
            cached = await load()
            if self._generations.get((key[1], key[2]), 0) == generation:
                self.put(key, cached)
            return cached
        finally:
            self._inflight.pop(flight, None)
            ident = (key[1], key[2])
            if ident in self._generations and not self._loading(ident):
                del self._generations[ident]

    def _loading(self, ident: tuple[str, str]) -> bool:
        return any((k[1], k[2]) == ident for k, _ in self._inflight)

    @property
    def tracked_generations(self) -> int:
        """Instances whose load generation is remembered now (for tests)."""
        return len(self._generations)

    def _remove(self, key: CacheKey) -> None:
        entry = self._entries.pop(key)
        self._bytes -= entry.size

    def _count(self, result: str) -> None:
        if self._metrics is not None:
            self._metrics.count_cache(result)

    def _update_gauges(self) -> None:
        if self._metrics is not None:
            self._metrics.cache_entries.set(len(self._entries))
            self._metrics.cache_bytes.set(self._bytes)


def key(kind: str, project: str, instance_id: str, detail: str = "") -> CacheKey:
    """Build a cache key."""
    return (kind, project, instance_id, detail)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
