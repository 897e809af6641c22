"""Why a watch stream ends early, and which upstream failures are worth retrying."""

from __future__ import annotations

import asyncio
import random

import grpc

__all__ = [
    "Backoff",
    "is_transient",
    "upstream_status",
]

# Upstream failures that will not go away by retrying the same read: they end every stream
# of the instance with the mapped status. Everything else (UNAVAILABLE, throttling, timeouts,
# malformed bodies) is retried with backoff while the streams stay open, flagged stale.
_FATAL = frozenset(
    {
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.OUT_OF_RANGE,
    }
)


def upstream_status(error: BaseException) -> grpc.StatusCode | None:
    """The gRPC status an upstream error carries (``MaxComputeError.grpc_status``), if any."""
    status = getattr(error, "grpc_status", None)
    return status if isinstance(status, grpc.StatusCode) else None


def is_transient(error: BaseException) -> bool:
    """Whether a failed upstream read should be retried rather than end the streams."""
    status = upstream_status(error)
    if status is not None:
        return status not in _FATAL
    return isinstance(error, (TimeoutError, asyncio.TimeoutError, OSError, ConnectionError))


class Backoff:
    """Exponential backoff with full jitter, honouring a server's ``retry_after``."""

    __slots__ = ("_attempt", "_initial", "_maximum")

    def __init__(self, initial: float, maximum: float) -> None:
        self._initial = initial
        self._maximum = maximum
        self._attempt = 0

    def reset(self) -> None:
        """Forget earlier failures after a success."""
        self._attempt = 0

    @property
    def failures(self) -> int:
        """Consecutive failures since the last success."""
        return self._attempt

    def next_delay(self, error: BaseException | None = None) -> float:
        """The pause before the next attempt."""
        cap = min(self._maximum, self._initial * (2**self._attempt))
        self._attempt += 1
        delay = random.uniform(0.0, cap)
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, (int, float)) and retry_after > 0:
            delay = max(delay, min(float(retry_after), self._maximum))
        return delay
