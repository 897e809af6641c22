"""The metrics hook: every upstream HTTP request is reported to an observer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mcgateway.maxcompute._errors import ErrorCategory

__all__ = ["RequestObserver", "UpstreamRequest", "null_observer"]


@dataclass(frozen=True)
class UpstreamRequest:
    """One upstream HTTP attempt, reported after it finished (retries report separately).

    ``category`` is ``None`` on success, else the failure's :class:`ErrorCategory` (a bounded
    set, fit for a metric label); ``error_code`` is the MaxCompute or synthetic code (``None``
    on success).
    """

    operation: str
    category: ErrorCategory | None
    latency_seconds: float
    http_status: int | None = None
    error_code: str | None = None
    attempt: int = 1


RequestObserver = Callable[[UpstreamRequest], None]
"""Called synchronously on the calling thread after each attempt; it must not raise."""


def null_observer(event: UpstreamRequest) -> None:
    """An observer that ignores everything."""
