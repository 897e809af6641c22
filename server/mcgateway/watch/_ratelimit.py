"""A token bucket that spaces out upstream requests of every poller of one hub."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

__all__ = ["TokenBucket"]


class TokenBucket:
    """Allows ``burst`` requests at once, then ``rate`` per second, first come first served.

    ``acquire`` reserves a token immediately (the balance may go negative) and sleeps until
    the reservation is due, so waiters are served in arrival order without a queue object and
    a burst of new subscribers turns into an even trickle of upstream requests.
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

    @property
    def rate(self) -> float:
        """Tokens added per second (``math.inf``: no limit)."""
        return self._rate

    @property
    def burst(self) -> int:
        """Most tokens the bucket holds."""
        return int(self._burst)

    def _refill(self) -> None:
        if self._rate == math.inf:
            self._tokens = self._burst
            return
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now

    def reserve(self) -> float:
        """Take one token and return how many seconds to wait before using it (0 if none)."""
        self._refill()
        self._tokens -= 1.0
        if self._tokens >= 0:
            return 0.0
        return -self._tokens / self._rate

    def try_take(self, count: int = 1) -> bool:
        """Take ``count`` tokens if they are there now (and nobody is queued); else take
        nothing and return False. For optional work (progress samples) that should yield
        to queued reads rather than add to the queue."""
        self._refill()
        if self._tokens >= count:
            self._tokens -= count
            return True
        return False

    async def acquire(self) -> None:
        """Wait for one token. Cancelling the wait does not return the token (it was spent)."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)
