"""Lossless, de-duplicated instance watches over reconnects.

Every WatchInstance stream starts with a full snapshot, so a client that reconnects after
UNAVAILABLE (gateway restart, stream maximum age) cannot miss the terminal state; it only has to
drop what it already delivered. Sequences increase within one stream, but a restarted gateway
may number states afresh, so the first message of each new stream is compared by content
(instance and stages, without observation times) with the last delivered state.
"""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from ._errors import Unavailable
from ._models import WatchEvent

__all__ = ["EventFilter", "ReconnectPolicy", "watch_events", "watch_events_async"]

_TERMINAL = instance_service_pb2.WatchInstanceResponse.EventType.TERMINAL
_HEARTBEAT = instance_service_pb2.WatchInstanceResponse.EventType.HEARTBEAT


@dataclass(frozen=True)
class ReconnectPolicy:
    """How a watch reconnects after the stream failed with UNAVAILABLE."""

    give_up_after: float = 60.0
    """Seconds of uninterrupted failure after which Unavailable is raised to the caller."""
    initial_backoff: float = 0.1
    """Upper bound of the first random backoff, in seconds."""
    max_backoff: float = 2.0
    """Upper bound of any backoff, in seconds; short, because a restarted gateway is back fast."""

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Full-jitter backoff before reconnect ``attempt`` (1-based)."""
        return rng() * min(self.max_backoff, self.initial_backoff * 2.0 ** (attempt - 1))


def _content(pb: instance_service_pb2.WatchInstanceResponse) -> tuple[bytes, tuple[bytes, ...]]:
    """The observable state of an event, without observation times and formatted lines."""
    stages = []
    for progress in pb.progress:
        copy = instance_pb2.TaskProgress()
        copy.CopyFrom(progress)
        copy.formatted = ""
        stages.append(copy.SerializeToString(deterministic=True))
    return pb.instance.SerializeToString(deterministic=True), tuple(stages)


class EventFilter:
    """Decides which received events to deliver so that none is delivered twice."""

    def __init__(self) -> None:
        self._last_sequence: int | None = None
        self._last_content: tuple[bytes, tuple[bytes, ...]] | None = None
        self.finished = False
        self.last_terminated = False

    def accept(self, pb: instance_service_pb2.WatchInstanceResponse, first_of_stream: bool) -> bool:
        """Records ``pb`` and says whether to deliver it."""
        if self.finished:
            return False
        if pb.event_type == _HEARTBEAT:
            return True
        content = _content(pb)
        last = self._last_sequence
        if last is None:
            deliver = True
        elif first_of_stream:
            # The snapshot of a new stream: the same gateway repeats the last sequence, a
            # restarted one numbers states afresh, so only a state the caller has not seen counts.
            deliver = content != self._last_content
        else:
            deliver = pb.sequence > last
        if pb.event_type == _TERMINAL:
            deliver = True
            self.finished = True
        self._last_sequence = pb.sequence
        self.last_terminated = pb.instance.state == instance_pb2.Instance.State.TERMINATED
        if deliver:
            self._last_content = content
        return deliver


def watch_events(
    open_stream: Callable[[], Iterator[Any]],
    policy: ReconnectPolicy,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
) -> Iterator[WatchEvent]:
    """Yields de-duplicated events from successive streams until the terminal event."""
    events = EventFilter()
    failing_since: float | None = None
    attempt = 0
    while True:
        stream = open_stream()
        first = True
        try:
            for pb in stream:
                failing_since, attempt = None, 0
                if events.accept(pb, first):
                    yield WatchEvent.from_proto(pb)
                first = False
                if events.finished:
                    return
        except Unavailable:
            now = clock()
            failing_since = now if failing_since is None else failing_since
            if now - failing_since >= policy.give_up_after:
                raise
            attempt += 1
            sleep(policy.backoff(attempt, rng))
            continue
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        # The stream ended cleanly without a terminal event (maximum stream age): resume, unless
        # the instance had already terminated and there is nothing left to wait for.
        if events.last_terminated:
            return


async def watch_events_async(
    open_stream: Callable[[], AsyncIterator[Any]],
    policy: ReconnectPolicy,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    rng: Callable[[], float] = random.random,
) -> AsyncIterator[WatchEvent]:
    """The asyncio twin of :func:`watch_events`."""
    import asyncio

    pause = sleep or asyncio.sleep
    events = EventFilter()
    failing_since: float | None = None
    attempt = 0
    while True:
        stream = open_stream()
        first = True
        try:
            async for pb in stream:
                failing_since, attempt = None, 0
                if events.accept(pb, first):
                    yield WatchEvent.from_proto(pb)
                first = False
                if events.finished:
                    return
        except Unavailable:
            now = clock()
            failing_since = now if failing_since is None else failing_since
            if now - failing_since >= policy.give_up_after:
                raise
            attempt += 1
            await pause(policy.backoff(attempt, rng))
            continue
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
        if events.last_terminated:
            return
