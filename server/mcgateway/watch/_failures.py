"""Which failed upstream reads a poller or lister retries, and which end its streams."""

from __future__ import annotations

import asyncio

from mcgateway.maxcompute import ErrorCategory, MaxComputeError

__all__ = ["FATAL_CATEGORIES", "is_fatal_upstream_error", "is_transient", "retry_after"]

FATAL_CATEGORIES = frozenset(
    {
        ErrorCategory.NOT_FOUND,
        ErrorCategory.DENIED,
        ErrorCategory.UNAUTHENTICATED,
        ErrorCategory.INVALID,
        ErrorCategory.WRONG_STATE,
        ErrorCategory.UNSUPPORTED,
    }
)
"""Upstream failures that will not go away by retrying the same read: they end every stream
of the instance with that error. Everything else (transient, throttled, timeouts, malformed
bodies) is retried with backoff while the streams stay open, flagged stale."""


def is_fatal_upstream_error(error: BaseException) -> bool:
    """Whether ``error`` is MaxCompute's definite answer that retrying cannot change."""
    return isinstance(error, MaxComputeError) and error.category in FATAL_CATEGORIES


def is_transient(error: BaseException) -> bool:
    """Whether a failed upstream read should be retried rather than end the streams."""
    if isinstance(error, MaxComputeError):
        return error.category not in FATAL_CATEGORIES
    return isinstance(error, (TimeoutError, asyncio.TimeoutError, OSError, ConnectionError))


def retry_after(error: BaseException) -> float | None:
    """The pause MaxCompute asked for with ``Retry-After``, if ``error`` carries one."""
    return error.retry_after if isinstance(error, MaxComputeError) else None
