"""A token bucket that spaces out upstream requests of every poller of one hub."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

__all__ = ["TokenBucket"]


class TokenBucket:
    """Allows ``burst`` requests at once, then ``rate`` per second, first come first served.

    Waiters queue in arrival order and are granted a token when one has accrued, so a burst
    of new subscribers turns into an even trickle of upstream requests. The bucket never
    goes into debt: a waiter that is cancelled before its turn leaves the queue and takes
    nothing, and one cancelled after its grant gives the token back. A storm of opened and
    cancelled watches therefore cannot push later callers' reads back.
    """

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive (math.inf for no limit)")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def rate(self) -> float:
        """Tokens added per second (``math.inf``: no limit)."""
        return self._rate

    @property
    def burst(self) -> int:
        """Most tokens the bucket holds."""
        return int(self._burst)

    @property
    def waiting(self) -> int:
        """Waiters queued for a token now."""
        return len(self._waiters)

    @property
    def tokens(self) -> float:
        """Tokens available now (never negative)."""
        self._refill()
        return self._tokens

    def _refill(self) -> None:
        if self._rate == math.inf:
            self._tokens = self._burst
            return
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now

    def try_take(self, count: int = 1) -> bool:
        """Take ``count`` tokens if they are there now and nobody is queued; else take
        nothing and return False. For optional work (progress samples) that should yield
        to queued reads rather than add to the queue."""
        self._refill()
        if not self.waiting and self._tokens >= count:
            self._tokens -= count
            return True
        return False

    async def acquire(self) -> None:
        """Wait for one token, in arrival order."""
        if self.try_take():
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._grant()
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._tokens = min(self._burst, self._tokens + 1.0)  # granted, never used
            else:
                self._waiters.remove(waiter)  # cancelled before its turn: takes nothing
            self._grant()
            raise

    def _grant(self) -> None:
        """Hand accrued tokens to the queue's head; wake again when the next one accrues."""
        self._refill()
        while self._waiters and self._tokens >= 1.0:
            self._tokens -= 1.0
            self._waiters.popleft().set_result(None)
        if self._waiters and self._timer is None:
            delay = (1.0 - self._tokens) / self._rate
            self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._grant()
