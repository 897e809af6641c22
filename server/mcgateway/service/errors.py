"""Exceptions → gRPC status with rich details: the gateway's one error boundary.

Every failure leaves the gateway as a ``google.rpc.Status`` with an ``ErrorInfo`` (domain
``mcgateway``; reason = the MaxCompute code such as ``NoSuchObject``, or a gateway reason
such as ``INVALID_REQUEST``) and a ``RequestInfo`` carrying the gateway's request id.
INVALID_ARGUMENT adds ``BadRequest`` field violations; upstream throttling adds
``RetryInfo``. Unexpected exceptions become INTERNAL with only the request id: tracebacks
go to the log, never to the client.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from mcgateway.maxcompute import MaxComputeError

__all__ = [
    "DOMAIN",
    "GatewayError",
    "InvalidArgument",
    "Reason",
    "status_for_exception",
    "status_proto_for_exception",
]

DOMAIN = "mcgateway"
"""The ``ErrorInfo.domain`` of every error the gateway returns."""


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
    NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
    """The RPC is not available in this gateway build."""
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


def _pack(message: object) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)  # type: ignore[arg-type]
    return packed


def _duration(seconds: float) -> duration_pb2.Duration:
    whole = math.floor(seconds)
    return duration_pb2.Duration(seconds=whole, nanos=int((seconds - whole) * 1e9))


def _clean_metadata(metadata: Mapping[str, str | None]) -> dict[str, str]:
    return {k: str(v) for k, v in metadata.items() if v not in (None, "")}


def status_proto_for_exception(exc: BaseException, request_id: str) -> status_pb2.Status:
    """The ``google.rpc.Status`` for ``exc``; unknown exception types become INTERNAL."""
    details: list[any_pb2.Any] = []
    if isinstance(exc, GatewayError):
        code = exc.code
        message = exc.message
        info = error_details_pb2.ErrorInfo(
            reason=exc.reason, domain=DOMAIN, metadata=_clean_metadata(exc.metadata)
        )
        details.append(_pack(info))
        if isinstance(exc, InvalidArgument):
            bad = error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                    for f, d in exc.violations
                ]
            )
            details.append(_pack(bad))
        retry_after = exc.retry_after
    elif isinstance(exc, MaxComputeError):
        code = exc.grpc_status
        message = (
            f"MaxCompute {exc.code}: {exc.message}" if exc.message else f"MaxCompute {exc.code}"
        )
        info = error_details_pb2.ErrorInfo(
            reason=exc.code,
            domain=DOMAIN,
            metadata=_clean_metadata(
                {
                    "project": exc.project,
                    "instance_id": exc.instance_id,
                    "upstream_request_id": exc.request_id,
                    "operation": exc.operation,
                    "http_status": str(exc.http_status) if exc.http_status is not None else None,
                }
            ),
        )
        details.append(_pack(info))
        retry_after = exc.retry_after
    else:
        code = grpc.StatusCode.INTERNAL
        message = f"internal error; quote request id {request_id} to the gateway operator"
        info = error_details_pb2.ErrorInfo(reason=Reason.INTERNAL, domain=DOMAIN)
        details.append(_pack(info))
        retry_after = None
    if retry_after is not None:
        details.append(_pack(error_details_pb2.RetryInfo(retry_delay=_duration(retry_after))))
    details.append(_pack(error_details_pb2.RequestInfo(request_id=request_id)))
    code_value: int = code.value[0]
    assert code_value != code_pb2.OK, "an exception never maps to OK"
    return status_pb2.Status(code=code_value, message=message, details=details)


def status_for_exception(exc: BaseException, request_id: str) -> grpc.Status:
    """The ``grpc.Status`` to pass to ``context.abort_with_status`` for ``exc``."""
    return rpc_status.to_status(status_proto_for_exception(exc, request_id))
