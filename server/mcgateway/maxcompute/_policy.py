"""Retry policy (for one upstream request), poll policy (for watching an instance), and the
gateway's one full-jitter backoff.

They are separate on purpose: a retry repeats a failed request, bounded by the caller's
deadline; polling looks again at a long-running instance that answered fine. Both the
requester's retries and the watch engine's pollers back off with :func:`full_jitter`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Backoff", "PollPolicy", "RetryPolicy", "full_jitter"]


def full_jitter(
    retry_number: int,
    initial: float,
    maximum: float,
    multiplier: float = 2.0,
    rng: random.Random | None = None,
) -> float:
    """A sleep drawn uniformly from ``[0, min(maximum, initial * multiplier ** (n - 1))]``.

    "Full jitter" (AWS architecture blog): retries of many clients spread out instead of
    arriving in waves. ``retry_number`` is 1 for the first retry.
    """
    bound = min(maximum, initial * multiplier ** (retry_number - 1))
    return (rng or random).uniform(0.0, bound)


class Backoff:
    """Consecutive-failure state for a loop that retries on its own (the watch pollers):
    :func:`full_jitter` pauses, honouring a server's ``retry_after`` up to ``maximum``."""

    __slots__ = ("_failures", "_initial", "_maximum")

    def __init__(self, initial: float, maximum: float) -> None:
        self._initial = initial
        self._maximum = maximum
        self._failures = 0

    def reset(self) -> None:
        """Forget earlier failures after a success."""
        self._failures = 0

    @property
    def failures(self) -> int:
        """Consecutive failures since the last success."""
        return self._failures

    def next_delay(self, retry_after: float | None = None) -> float:
        """Count one more failure and return the pause before the next attempt."""
        self._failures += 1
        delay = full_jitter(self._failures, self._initial, self._maximum)
        if retry_after is not None and retry_after > 0:
            delay = max(delay, min(retry_after, self._maximum))
        return delay


@dataclass(frozen=True)
class RetryPolicy:
    """Automatic retries of idempotent requests (GET, PUT stop) with full-jitter backoff."""

    max_attempts: int = 5
    """Attempts in total, first included (default 5, as PyODPS). The deadline may cut it short."""
    initial_backoff: float = 0.1
    """Upper bound of the first sleep in seconds (default 0.1 s, PyODPS's first delay)."""
    max_backoff: float = 5.0
    """Cap of the backoff bound (default 5 s): a gateway call must not stall for minutes."""
    multiplier: float = 2.0
    """Growth of the bound per attempt (default 2)."""
    retry_statuses: frozenset[int] = frozenset({502, 503, 504})
    """HTTP statuses retried for idempotent requests (default 502/503/504, as PyODPS).
    Throttling, timeouts, resets and every TRANSIENT error are retried too."""
    max_retry_after: float = 30.0
    """Longest server ``Retry-After`` honoured (default 30 s); longer ones fail fast instead."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.initial_backoff < 0 or self.max_backoff < 0 or self.multiplier < 1:
            raise ValueError("backoff bounds must be >= 0 and the multiplier >= 1")

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Full-jitter sleep before retry ``retry_number`` (1 for the first retry)."""
        return full_jitter(
            retry_number, self.initial_backoff, self.max_backoff, self.multiplier, rng
        )


@dataclass(frozen=True)
class PollPolicy:
    """How :meth:`MaxComputeClient.wait_instance` looks at a running instance."""

    initial_interval: float = 0.5
    """First pause between status checks in seconds (default 0.5 s)."""
    max_interval: float = 5.0
    """Longest pause (default 5 s); the pause doubles up to it, as PyODPS's ``max_interval``."""
    multiplier: float = 2.0
    """Growth of the pause per check (default 2)."""
    long_poll_hold: float = 5.0
    """How long the server may hold a ``?instancestatus`` request (default 5 s, per the Java
    SDK); the read timeout of a long poll allows for it."""

    def __post_init__(self) -> None:
        if self.initial_interval <= 0 or self.max_interval < self.initial_interval:
            raise ValueError("poll intervals must be positive and max >= initial")
        if self.multiplier < 1 or self.long_poll_hold < 0:
            raise ValueError("the multiplier must be >= 1 and long_poll_hold >= 0")

    def interval(self, check_number: int) -> float:
        """Pause after check ``check_number`` (1 for the first)."""
        return min(self.max_interval, self.initial_interval * self.multiplier ** (check_number - 1))
