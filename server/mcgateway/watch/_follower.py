"""What an instance poller and a project lister share: subscribers, one task, its ending."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from mcgateway.maxcompute import Backoff, MaxComputeError
from mcgateway.upstream import Upstream
from mcgateway.watch._failures import is_transient
from mcgateway.watch._ratelimit import TokenBucket
from mcgateway.watch._settings import WatchSettings

__all__ = ["Polling", "SharedFollower"]


@dataclass(frozen=True, slots=True)
class Polling:
    """What every poller and lister of one hub shares."""

    upstream: Upstream
    """Where reads go (each on an upstream thread, within its own timeout)."""
    settings: WatchSettings
    """Cadences, timeouts and backoff bounds."""
    limiter: TokenBucket
    """The hub's upstream rate limit, taken before each read."""
    long_polls: asyncio.Semaphore
    """Slots for blocking ``?instancestatus`` requests, so they never take every thread."""


_log = logging.getLogger("mcgateway.watch")


class _Failable(Protocol):
    def fail(self, error: BaseException) -> None: ...


_Sub = TypeVar("_Sub", bound=_Failable)
_T = TypeVar("_T")


class SharedFollower(Generic[_Sub]):
    """One task following something upstream for a set of subscribers.

    Subclasses implement :meth:`_follow` (the polling loop; it retries transient errors
    itself) and name their task. A fatal error escaping it ends every subscription with that
    error; whichever way the task ends, ``finished`` is set and ``on_done`` tells the hub.
    """

    def __init__(self, polling: Polling, on_done: Callable[[Any], None]) -> None:
        self._on_done = on_done
        self._upstream = polling.upstream
        self._settings = polling.settings
        self._limiter = polling.limiter
        self._backoff = Backoff(
            polling.settings.retry_initial_backoff, polling.settings.retry_max_backoff
        )
        self.subscribers: set[_Sub] = set()
        self._task: asyncio.Task[None] | None = None
        self.stopping = False
        """Set by :meth:`stop`: the hub starts a new follower rather than reuse this one."""
        self.finished = False
        """Whether the task has ended."""
        self.awaiting_token = False
        """Whether the task is queued for a token of the hub's rate limit right now."""
        self.last_error: BaseException | None = None
        """The most recent failed upstream read (what a subscriber still waiting for its
        snapshot is told when it gives up)."""

    def _task_name(self) -> str:
        raise NotImplementedError

    def add(self, subscription: _Sub) -> None:
        """Add a subscriber (subclasses also hand it what they already know)."""
        raise NotImplementedError

    async def _follow(self) -> None:
        raise NotImplementedError

    async def _take_token(self) -> None:
        """Wait for a token of the hub's upstream rate limit (noted in ``awaiting_token``,
        so a caller left without a state learns the delay was the gateway's own)."""
        self.awaiting_token = True
        try:
            await self._limiter.acquire()
        finally:
            self.awaiting_token = False

    async def _limited_read(self, read: Callable[..., _T]) -> _T:
        """``read(deadline=…)`` (a REST client call with its arguments bound) on an upstream
        thread, after a token of the hub's rate limit, within the request timeout."""
        await self._take_token()
        up = self._upstream
        return await up.run(read, deadline=up.deadline(self._settings.request_timeout))

    def start(self) -> None:
        """Start the task (called once, by the hub, after the first subscriber was added)."""
        self._task = asyncio.create_task(self._run(), name=self._task_name())

    def stop(self) -> None:
        """Cancel the task (nothing more is offered)."""
        self.stopping = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def wait_stopped(self) -> None:
        """Wait for the task to finish after :meth:`stop`."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def fail(self, error: BaseException) -> None:
        """End every subscription with ``error`` and stop."""
        for subscription in list(self.subscribers):
            subscription.fail(error)
        self.stop()

    async def _run(self) -> None:
        try:
            await self._follow()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a fatal upstream error (or a bug): end every stream with it
            if not isinstance(exc, MaxComputeError) and not is_transient(exc):
                _log.exception("%s failed", self._task_name())
            for subscription in list(self.subscribers):
                subscription.fail(exc)
        finally:
            self.finished = True
            self._on_done(self)
