"""Errors the gateway decides on itself (validation, auth, limits, shutdown), with reasons.

A foundation module: the service layer, the watch engine and auth all raise these, and the
service layer's ``status`` module turns them (and the REST client's ``MaxComputeError``)
into a ``google.rpc.Status``. It imports nothing else of the gateway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grpc

__all__ = ["GatewayError", "InvalidArgument", "QuotaExceeded", "Reason"]


class Reason:
    """``ErrorInfo.reason`` values the gateway itself produces (MaxCompute codes pass through)."""

    INVALID_REQUEST = "INVALID_REQUEST"
    """A request field failed validation; see the BadRequest field violations."""
    INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN"
    """A page token is malformed, forged, or was issued for other filters or another project."""
    UNAUTHENTICATED = "UNAUTHENTICATED"
    """No bearer token, or an unknown one."""
    PROJECT_NOT_ALLOWED = "PROJECT_NOT_ALLOWED"
    """The bearer token may not use the requested project."""
    TASK_NOT_FOUND = "TASK_NOT_FOUND"
    """The instance exists but has no task of the requested name."""
    NOT_XFLOW = "NOT_XFLOW"
    """ListSubInstances on an instance that is not an XFlow instance."""
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    """The call's deadline passed before the gateway could answer."""
    SHUTTING_DOWN = "SHUTTING_DOWN"
    """The gateway is shutting down; retry on another replica."""
    MAX_STREAM_AGE = "MAX_STREAM_AGE"
    """The gateway ended a stream that reached its maximum age; reconnect to continue."""
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    """A watch or wait got no first state because MaxCompute did not answer its first read in
    time (down, throttling, or answering garbage)."""
    CALLER_LIMIT = "CALLER_LIMIT"
    """One caller reached a per-caller limit of the gateway (see the QuotaFailure detail);
    its other calls are untouched."""
    GATEWAY_LIMIT = "GATEWAY_LIMIT"
    """The gateway reached a limit shared by every caller (see the QuotaFailure detail)."""
    GATEWAY_RATE_LIMITED = "GATEWAY_RATE_LIMITED"
    """The gateway's own upstream rate limit, not MaxCompute, kept the call from an answer
    in time; retry later."""
    TOKEN_REVOKED = "TOKEN_REVOKED"
    """The bearer token this stream was opened with was removed from the tokens file."""
    INTERNAL = "INTERNAL"
    """A gateway bug; the request id points at the log entry with the details."""


class GatewayError(Exception):
    """An error the gateway decided on itself (validation, auth, state), with its status parts."""

    def __init__(
        self,
        code: grpc.StatusCode,
        reason: str,
        message: str,
        *,
        metadata: Mapping[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.metadata = dict(metadata or {})
        self.retry_after = retry_after


class InvalidArgument(GatewayError):
    """One or more request fields are invalid; each is a ``(field, description)`` violation."""

    def __init__(
        self,
        violations: Iterable[tuple[str, str]],
        *,
        reason: str = Reason.INVALID_REQUEST,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        self.violations = list(violations)
        if not self.violations:
            raise ValueError("InvalidArgument needs at least one violation")
        summary = "; ".join(f"{f}: {d}" for f, d in self.violations)
        super().__init__(
            grpc.StatusCode.INVALID_ARGUMENT,
            reason,
            f"invalid request: {summary}",
            metadata=metadata,
        )


class QuotaExceeded(GatewayError):
    """A gateway limit refused the call: RESOURCE_EXHAUSTED with a ``QuotaFailure`` naming
    the limit (``subject``) and its value (``description``)."""

    def __init__(
        self, limit: str, subject: str, description: str, *, reason: str = Reason.CALLER_LIMIT
    ) -> None:
        super().__init__(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            reason,
            f"{description}; close other calls or retry later",
            metadata={"limit": limit, "subject": subject},
        )
        self.limit = limit
        self.subject = subject
        self.description = description
