"""A token bucket that spaces out upstream requests of every poller of one hub."""

from __future__ import annotations

import asyncio
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
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return self._rate

    def reserve(self) -> float:
        """Take one token and return how many seconds to wait before using it (0 if none)."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        self._tokens -= 1.0
        if self._tokens >= 0:
            return 0.0
        return -self._tokens / self._rate

    async def acquire(self) -> None:
        """Wait for one token. Cancelling the wait does not return the token (it was spent)."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)
