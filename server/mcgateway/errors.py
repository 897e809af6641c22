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
    """Every ``ErrorInfo.reason`` of the v1 API: UPPER_SNAKE_CASE values the gateway owns.

    Some are the gateway's own decisions; the ``INSTANCE_*``, ``PROJECT_NOT_FOUND`` and
    ``UPSTREAM_*`` ones report MaxCompute's answers, whose own code travels in the
    ``maxcompute_code`` metadata (never in the reason). docs/api-design.md lists them; the
    service layer's ``status`` module decides which one an upstream failure gets.
    """

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
    WORKER_LOG_NOT_FOUND = "WORKER_LOG_NOT_FOUND"
    """GetWorkerLog with a log id that no worker of the instance has (GetTaskDetail lists
    them), for example one of another instance."""
    RESUME_VERSION_TOO_OLD = "RESUME_VERSION_TOO_OLD"
    """WatchInstances cannot resume from the requested version: this gateway no longer holds
    the events after it (its history is bounded and kept for a while per gateway process),
    or another gateway process issued it. Watch again without a resume version to get a new
    snapshot."""
    INSTANCE_NOT_TERMINATED = "INSTANCE_NOT_TERMINATED"
    """ReadInstanceResult on an instance that is still running or suspended: its result can be
    read once it has terminated (WaitInstance)."""
    TASK_FAILED = "TASK_FAILED"
    """ReadInstanceResult on a task that failed or was cancelled: it has no result rows; the
    message carries the task's error."""
    RESULT_NOT_TABULAR = "RESULT_NOT_TABULAR"
    """ReadInstanceResult on a task that produced no table of rows (a DDL or DML statement, or
    a task that is not SQL)."""
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    """The call's deadline passed before the gateway could answer."""
    SHUTTING_DOWN = "SHUTTING_DOWN"
    """The gateway is shutting down; retry on another replica."""
    MAX_STREAM_AGE = "MAX_STREAM_AGE"
    """The gateway ended a stream that reached its maximum age; reconnect to continue."""
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    """MaxCompute failed transiently (a 5xx, a timeout, a reset connection, a malformed
    answer), or a watch or wait got no first state because it did not answer its first read
    in time; retrying may help."""
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
    """A gateway bug, or an upstream answer the gateway cannot use; the request id points at
    the log entry with the details."""

    # MaxCompute's answers about specific objects (the table of docs/api-design.md).
    INSTANCE_NOT_FOUND = "INSTANCE_NOT_FOUND"
    """MaxCompute does not know the instance (``NoSuchObject``/``NoSuchInstance``)."""
    PROJECT_NOT_FOUND = "PROJECT_NOT_FOUND"
    """MaxCompute does not know the project (``NoSuchProject``)."""
    INSTANCE_NOT_RUNNING = "INSTANCE_NOT_RUNNING"
    """MaxCompute refused to stop an instance that is not running (``InvalidStateSetting``)."""

    # MaxCompute's other answers, one reason per kind of failure.
    UPSTREAM_NOT_FOUND = "UPSTREAM_NOT_FOUND"
    """MaxCompute reported some other object missing."""
    UPSTREAM_ALREADY_EXISTS = "UPSTREAM_ALREADY_EXISTS"
    """MaxCompute reported that the object to create already exists."""
    UPSTREAM_INVALID_ARGUMENT = "UPSTREAM_INVALID_ARGUMENT"
    """MaxCompute refused the request as invalid (for example a SQL parse error)."""
    UPSTREAM_FAILED_PRECONDITION = "UPSTREAM_FAILED_PRECONDITION"
    """MaxCompute (or the gateway's configured bounds on its answers, such as
    ``upstream_max_body_bytes``) refused the request in the current state; retrying the same
    request cannot help until that state changes."""
    UPSTREAM_CONFLICT = "UPSTREAM_CONFLICT"
    """MaxCompute reported a concurrent modification; redo the higher-level operation."""
    UPSTREAM_UNSUPPORTED = "UPSTREAM_UNSUPPORTED"
    """MaxCompute does not offer the operation."""
    UPSTREAM_CREDENTIALS_REJECTED = "UPSTREAM_CREDENTIALS_REJECTED"
    """MaxCompute rejected the gateway's own credentials (``SignatureNotMatch``, ...): an
    operator's problem, not the caller's token (that is ``UNAUTHENTICATED``)."""
    UPSTREAM_PERMISSION_DENIED = "UPSTREAM_PERMISSION_DENIED"
    """MaxCompute denied the gateway's account access (``NoPermission``, ...)."""
    UPSTREAM_THROTTLED = "UPSTREAM_THROTTLED"
    """MaxCompute throttled the gateway (``QPSExceeded``, ...); retry later (see RetryInfo)."""
    UPSTREAM_CANCELLED = "UPSTREAM_CANCELLED"
    """MaxCompute reported the request cancelled."""
    UPSTREAM_DATA_LOSS = "UPSTREAM_DATA_LOSS"
    """Data from MaxCompute arrived corrupt (checksum errors)."""
    UPSTREAM_UNKNOWN = "UPSTREAM_UNKNOWN"
    """A MaxCompute failure of no known kind, or a submission whose outcome is unknown."""


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
