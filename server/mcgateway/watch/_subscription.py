"""The bounded, conflating buffer between one instance poller and one subscriber."""

from __future__ import annotations

import asyncio

from mcgateway.watch._observation import EventKind, Observation

__all__ = ["Subscription", "SubscriptionClosed"]

# Which event type a conflated message keeps: the most significant of those it replaces.
_SIGNIFICANCE = {
    EventKind.PROGRESS: 1,
    EventKind.TASK_STATUS_CHANGED: 2,
    EventKind.STATUS_CHANGED: 3,
}


class Wakeable:
    """A buffer its reader can wait on: :meth:`_park` until :meth:`_wake` or a deadline.

    One future at a time, created only while the reader waits, so an idle stream holds no
    timer and no future.
    """

    __slots__ = ("_waiter",)

    _waiter: asyncio.Future[None] | None

    async def _park(self, loop: asyncio.AbstractEventLoop, until: float | None) -> None:
        waiter = loop.create_future()
        self._waiter = waiter
        handle = loop.call_at(until, _expire, waiter) if until is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if handle is not None:
                handle.cancel()

    def _wake(self) -> None:
        _expire(self._waiter)


def _expire(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


class SubscriptionClosed(Exception):
    """The subscription ended without a terminal state; ``error`` says why."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class Subscription(Wakeable):
    """What one subscriber has not been sent yet, bounded and conflated.

    Every queued entry references a shared :class:`Observation`, so a subscriber costs a
    few pointers however large the instance. The rules:

    * The first entry is always a SNAPSHOT of the newest state (TERMINAL if the instance has
      already terminated); changes arriving before it is taken are folded into it.
    * Progress never queues: a newer change (progress or status) replaces an unsent PROGRESS,
      since every message carries the full latest state.
    * Status and task-status changes queue; beyond ``limit`` entries the two oldest changes are
      merged into one with the newer state and the more significant type, so no status change
      is lost from the client's view and memory stays bounded.
    * TERMINAL is queued exactly once and ends the subscription; an unsent SNAPSHOT it
      replaces, so an already-terminated instance gives a single TERMINAL message.

    With ``stream=False`` (WaitInstance) nothing queues: only the latest state is kept.
    """

    __slots__ = (
        "_error",
        "_limit",
        "_pending",
        "_primed",
        "latest",
        "stream",
        "terminal",
        "with_progress",
    )

    def __init__(self, *, with_progress: bool, stream: bool = True, limit: int = 8) -> None:
        self.with_progress = with_progress
        self.stream = stream
        self._limit = max(2, limit)
        self._pending: list[tuple[int, Observation]] = []
        self._primed = False
        self._waiter = None
        self._error: BaseException | None = None
        self.latest: Observation | None = None
        """The newest state the poller offered (sent or not), for heartbeats and waits."""
        self.terminal = False
        """Whether the terminal state has been queued (the subscription then ends)."""

    @property
    def wants_tasks(self) -> bool:
        """Whether this subscriber is told about task status changes (streams are)."""
        return self.stream

    @property
    def pending(self) -> int:
        """How many messages are queued and not yet taken."""
        return len(self._pending)

    @property
    def error(self) -> BaseException | None:
        """The error the subscription ended with, if any."""
        return self._error

    def offer(self, kind: int | None, state: Observation) -> None:
        """Hand over a new state; ``kind`` is its event type, or None when nothing a
        subscriber is told about changed (it still primes a subscriber waiting for its
        snapshot, and is what heartbeats repeat)."""
        if self.terminal or self._error is not None:
            return
        self.latest = state
        if state.terminated:
            self.terminal = True
            if self.stream:
                pending = self._pending
                if pending and pending[-1][0] == EventKind.PROGRESS:
                    pending.pop()
                if len(pending) == 1 and pending[0][0] == EventKind.SNAPSHOT:
                    pending.clear()
                pending.append((EventKind.TERMINAL, state))
            self._wake()
            return
        if not self.stream:
            if not self._primed:
                self._primed = True
                self._wake()
            return
        if not self._primed:
            self._primed = True
            self._pending.append((EventKind.SNAPSHOT, state))
            self._wake()
            return
        if kind is None or (kind == EventKind.PROGRESS and not self.with_progress):
            return
        pending = self._pending
        if pending:
            last_kind = pending[-1][0]
            if last_kind == EventKind.SNAPSHOT:
                pending[-1] = (EventKind.SNAPSHOT, state)
                return
            if last_kind == EventKind.PROGRESS:
                pending[-1] = (kind, state)
                return
        pending.append((kind, state))
        if len(pending) > self._limit:
            self._conflate()
        self._wake()

    def _conflate(self) -> None:
        pending = self._pending
        first = 1 if pending[0][0] == EventKind.SNAPSHOT else 0
        if first == 1:
            pending[0:2] = [(EventKind.SNAPSHOT, pending[1][1])]
            return
        (kind_a, _), (kind_b, state_b) = pending[0], pending[1]
        kind = kind_a if _SIGNIFICANCE[kind_a] > _SIGNIFICANCE[kind_b] else kind_b
        pending[0:2] = [(kind, state_b)]

    def fail(self, error: BaseException) -> None:
        """End the subscription with ``error`` (unless it already has its terminal state)."""
        if self.terminal and not self._pending:
            return
        if self._error is None:
            self._error = error
            self._wake()

    def take(self) -> tuple[int, Observation] | None:
        """The next message to send, or None when nothing is queued.

        Raises :class:`SubscriptionClosed` when the subscription ended with an error.
        """
        if self._error is not None:
            raise SubscriptionClosed(self._error)
        if self._pending:
            return self._pending.pop(0)
        return None

    async def wait(self, loop: asyncio.AbstractEventLoop, until: float | None) -> bool:
        """Wait until something is queued, the subscription ends, or ``loop.time()`` reaches
        ``until``. Returns whether a message (or, for WaitInstance, the terminal state) is
        there; a WaitInstance subscription is also woken, returning False, by its first state.
        """
        if self._error is not None or self._pending or (not self.stream and self.terminal):
            return True
        await self._park(loop, until)
        return bool(self._error is not None or self._pending or (not self.stream and self.terminal))
