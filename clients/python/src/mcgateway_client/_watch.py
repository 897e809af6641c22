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
from dataclasses import dataclass, field
from typing import Any

from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from ._errors import DeadlineExceeded, Unavailable
from ._models import WatchEvent

__all__ = [
    "EventFilter",
    "ExecutionState",
    "ReconnectPolicy",
    "RetryListener",
    "TimeoutFactory",
    "default_timeout",
    "watch_events",
    "watch_events_async",
]

_TERMINAL = instance_service_pb2.WatchInstanceResponse.EventType.TERMINAL
_HEARTBEAT = instance_service_pb2.WatchInstanceResponse.EventType.HEARTBEAT


RetryListener = Callable[[int, Unavailable, float], None]
"""Told of each reconnect: ``(attempt, error, seconds until the attempt)``; attempts count from 1
and start again after the gateway answered."""


@dataclass(frozen=True)
class ReconnectPolicy:
    """How a watch or a wait reconnects after the gateway answered UNAVAILABLE (restart, network
    loss, maximum stream age): jittered backoff from ``initial_backoff`` doubling to
    ``max_backoff``, until the caller's ``timeout`` (then WaitTimeout) or, when set,
    ``give_up_after`` seconds of uninterrupted failure (then Unavailable). Every other error ends
    the watch or wait at once."""

    give_up_after: float | None = None
    """Seconds of uninterrupted failure after which Unavailable is raised to the caller; None
    (the default) keeps trying as long as the caller's timeout allows."""
    initial_backoff: float = 0.1
    """Upper bound of the first random backoff, in seconds."""
    max_backoff: float = 5.0
    """Upper bound of any backoff, in seconds."""
    on_retry: RetryListener | None = field(default=None, compare=False)
    """Called before each reconnect, e.g. to show "reconnecting…"."""

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Full-jitter backoff before reconnect ``attempt`` (1-based)."""
        return rng() * min(self.max_backoff, self.initial_backoff * 2.0 ** (attempt - 1))

    def next_delay(
        self,
        attempt: int,
        error: Unavailable,
        failing_for: float,
        rng: Callable[[], float],
        deadline_in: float | None = None,
    ) -> float:
        """The pause before reconnect ``attempt`` after ``failing_for`` seconds of failure, or
        raises ``error`` when ``give_up_after`` has passed. The pause never reaches past the
        policy's end nor the caller's deadline (``deadline_in`` seconds away), so the caller
        learns in time. Tells ``on_retry``."""
        left = float("inf") if self.give_up_after is None else self.give_up_after - failing_for
        if left <= 0:
            raise error
        if deadline_in is not None:
            left = min(left, max(deadline_in, 0.0))
        delay = min(self.backoff(attempt, rng), left)
        if self.on_retry is not None:
            self.on_retry(attempt, error, delay)
        return delay


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


TimeoutFactory = Callable[[Unavailable | None], BaseException]
"""Builds the error raised when the caller's deadline ends a watch, given the last UNAVAILABLE
error while the gateway was unreachable."""


class ExecutionState:
    """What an ExecuteSql follow has learnt: the instance its first message named, whether the
    gateway reattached to an earlier call's instance, and whether it now follows by watching
    (after UNAVAILABLE), when the gateway no longer stops the job for it."""

    def __init__(self) -> None:
        self.instance_id = ""
        self.reattached = False
        self.following = False

    def _see(self, pb: instance_service_pb2.ExecuteSqlResponse) -> Any:
        if pb.instance.instance_id and not self.instance_id:
            self.instance_id = pb.instance.instance_id
        self.reattached = self.reattached or pb.reattached
        # Field for field a WatchInstanceResponse (same names and numbers), plus `reattached`.
        return instance_service_pb2.WatchInstanceResponse.FromString(pb.SerializeToString())

    def track(self, stream: Iterator[Any]) -> Iterator[Any]:
        """ExecuteSql messages as WatchInstanceResponses, noting the instance."""
        for pb in stream:
            yield self._see(pb)

    async def track_async(self, stream: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """As :meth:`track`, for a grpc.aio stream."""
        try:
            async for pb in stream:
                yield self._see(pb)
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    def should_stop(self, stop_on_cancel: bool, finished: bool) -> bool:
        """Whether the client must stop the job itself now that the follow ended: it asked for
        ``stop_on_cancel``, the job is its own and unfinished, and the gateway no longer watches
        it through this call."""
        return (
            stop_on_cancel
            and not finished
            and self.following
            and not self.reattached
            and bool(self.instance_id)
        )


def default_timeout(last: Unavailable | None) -> BaseException:
    """The error of a watch ended by its deadline: DeadlineExceeded naming the last UNAVAILABLE
    error, if any."""
    cause = f" (gateway unreachable: {last})" if last is not None else ""
    return DeadlineExceeded(f"the watch did not end within its timeout{cause}")


def watch_events(
    open_stream: Callable[[float | None], Iterator[Any]],
    policy: ReconnectPolicy,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
    deadline: float | None = None,
    on_timeout: TimeoutFactory = default_timeout,
) -> Iterator[WatchEvent]:
    """Yields de-duplicated events from successive streams until the terminal event.

    ``open_stream(timeout)`` opens one stream, ``timeout`` being what is left until ``deadline``
    (a ``clock`` time; None: no deadline). When the deadline passes, ``on_timeout`` builds the
    error to raise.
    """
    events = EventFilter()
    failing_since: float | None = None
    last_error: Unavailable | None = None
    attempt = 0
    while True:
        remaining = None if deadline is None else deadline - clock()
        if remaining is not None and remaining <= 0:
            raise on_timeout(last_error)
        stream = open_stream(remaining)
        first = True
        try:
            for pb in stream:
                failing_since, attempt, last_error = None, 0, None
                if events.accept(pb, first):
                    yield WatchEvent.from_proto(pb)
                first = False
                if events.finished:
                    return
        except Unavailable as error:
            now = clock()
            failing_since = now if failing_since is None else failing_since
            last_error = error
            attempt += 1
            left = None if deadline is None else deadline - now
            sleep(policy.next_delay(attempt, error, now - failing_since, rng, left))
            continue
        except DeadlineExceeded as error:
            if deadline is None:
                raise
            raise on_timeout(last_error) from error
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        # The stream ended cleanly without a terminal event (maximum stream age): resume, unless
        # the instance had already terminated and there is nothing left to wait for.
        if events.last_terminated:
            return


async def watch_events_async(
    open_stream: Callable[[float | None], AsyncIterator[Any]],
    policy: ReconnectPolicy,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    rng: Callable[[], float] = random.random,
    deadline: float | None = None,
    on_timeout: TimeoutFactory = default_timeout,
) -> AsyncIterator[WatchEvent]:
    """The asyncio twin of :func:`watch_events`."""
    import asyncio

    pause = sleep or asyncio.sleep
    events = EventFilter()
    failing_since: float | None = None
    last_error: Unavailable | None = None
    attempt = 0
    while True:
        remaining = None if deadline is None else deadline - clock()
        if remaining is not None and remaining <= 0:
            raise on_timeout(last_error)
        stream = open_stream(remaining)
        first = True
        try:
            async for pb in stream:
                failing_since, attempt, last_error = None, 0, None
                if events.accept(pb, first):
                    yield WatchEvent.from_proto(pb)
                first = False
                if events.finished:
                    return
        except Unavailable as error:
            now = clock()
            failing_since = now if failing_since is None else failing_since
            last_error = error
            attempt += 1
            left = None if deadline is None else deadline - now
            await pause(policy.next_delay(attempt, error, now - failing_since, rng, left))
            continue
        except DeadlineExceeded as error:
            if deadline is None:
                raise
            raise on_timeout(last_error) from error
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
        if events.last_terminated:
            return
