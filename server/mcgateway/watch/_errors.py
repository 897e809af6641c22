"""Why a watch stream ends early, and which upstream failures are worth retrying."""

from __future__ import annotations

import asyncio
import random

import grpc

from mcgateway.service.errors import GatewayError

__all__ = [
    "UPSTREAM_UNAVAILABLE_REASON",
    "Backoff",
    "is_transient",
    "upstream_status",
    "upstream_unavailable",
]

UPSTREAM_UNAVAILABLE_REASON = "UPSTREAM_UNAVAILABLE"
"""``ErrorInfo.reason`` of a watch or wait that ended because MaxCompute never answered its
first read in time (down, throttling, or answering garbage)."""

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


def upstream_unavailable(
    project: str, instance_id: str | None, last_error: BaseException | None
) -> GatewayError:
    """UNAVAILABLE (reason ``UPSTREAM_UNAVAILABLE``) for a call that got no first state.

    The ``ErrorInfo`` metadata names the project and instance and, when a read failed, the
    last failure's MaxCompute code (``upstream_code``, e.g. ``ServiceUnavailable`` or the
    client's ``Timeout``/``MalformedResponse``), HTTP status and upstream request id; a
    ``retry_after`` MaxCompute gave becomes the ``RetryInfo``.
    """
    metadata = {"project": project}
    if instance_id:
        metadata["instance_id"] = instance_id
    message = "MaxCompute did not answer in time; retry"
    retry_after: float | None = None
    if last_error is not None:
        code = getattr(last_error, "code", None)
        if not isinstance(code, str) or not code:
            # Our own bound on a read that hung: the client's name for it.
            code = "Timeout" if isinstance(last_error, TimeoutError) else None
        if code:
            metadata["upstream_code"] = code
            message = f"MaxCompute did not answer in time (last error: {code}); retry"
        request_id = getattr(last_error, "request_id", None)
        if isinstance(request_id, str) and request_id:
            metadata["upstream_request_id"] = request_id
        http_status = getattr(last_error, "http_status", None)
        if isinstance(http_status, int):
            metadata["http_status"] = str(http_status)
        after = getattr(last_error, "retry_after", None)
        if isinstance(after, (int, float)) and after > 0:
            retry_after = float(after)
    return GatewayError(
        grpc.StatusCode.UNAVAILABLE,
        UPSTREAM_UNAVAILABLE_REASON,
        message,
        metadata=metadata,
        retry_after=retry_after,
    )


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
