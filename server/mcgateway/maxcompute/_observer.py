"""The metrics hook: every upstream HTTP request is reported to an observer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RequestObserver", "UpstreamRequest", "null_observer"]


@dataclass(frozen=True)
class UpstreamRequest:
    """One upstream HTTP attempt, reported after it finished (retries report separately).

    ``code`` is ``"OK"`` or the gRPC status name the failure maps to, so label cardinality
    stays bounded; ``error_code`` is the MaxCompute or synthetic code (``None`` on success).
    """

    operation: str
    code: str
    latency_seconds: float
    http_status: int | None = None
    error_code: str | None = None
    attempt: int = 1


RequestObserver = Callable[[UpstreamRequest], None]
"""Called synchronously on the calling thread after each attempt; it must not raise."""


def null_observer(event: UpstreamRequest) -> None:
    """An observer that ignores everything."""
