"""RPC retry decisions: which failures to retry and how long to back off (AIP-194, gRFC A6).

Retrying a call is a different thing from polling a long-running instance; polling lives in the
instance's wait loop, never here.
"""

from __future__ import annotations

from collections.abc import Callable

from ._errors import GatewayError
from ._service_config import RetryPolicy

__all__ = ["SUBMIT_RETRY", "backoff_seconds", "should_retry"]

# Submissions carry a client-chosen request id, so the gateway returns the first instance to a
# retried call; that makes them as safe to retry on UNAVAILABLE as reads.
SUBMIT_RETRY = RetryPolicy(
    max_attempts=4,
    initial_backoff=0.1,
    max_backoff=2.0,
    multiplier=2.0,
    retryable_codes=frozenset({"UNAVAILABLE"}),
)


def should_retry(policy: RetryPolicy | None, error: GatewayError, attempt: int) -> bool:
    """Whether the failed ``attempt`` (1-based) may be followed by another one."""
    if policy is None or error.code is None or attempt >= policy.max_attempts:
        return False
    return bool(error.code.name in policy.retryable_codes)


def backoff_seconds(
    policy: RetryPolicy, attempt: int, error: GatewayError, rng: Callable[[], float]
) -> float:
    """Full-jitter backoff after failed ``attempt``, never shorter than the server's RetryInfo."""
    growth: float = policy.multiplier ** (attempt - 1)
    delay = rng() * min(policy.max_backoff, policy.initial_backoff * growth)
    if error.retry_delay is not None:
        delay = max(delay, error.retry_delay)
    return delay
