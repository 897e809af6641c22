"""Exceptions → gRPC status with rich details: the gateway's one error boundary.

Every failure leaves the gateway as a ``google.rpc.Status`` with an ``ErrorInfo`` (domain
``mcgateway.github.io``; an UPPER_SNAKE_CASE reason the API owns, such as
``INSTANCE_NOT_FOUND`` or ``INVALID_REQUEST``) and a ``RequestInfo`` carrying the gateway's
request id. An upstream failure's own MaxCompute code (``NoSuchObject``) is in the
``maxcompute_code`` metadata, never the reason. INVALID_ARGUMENT adds ``BadRequest`` field
violations; upstream throttling adds ``RetryInfo``. Unexpected exceptions become INTERNAL
with only the request id: tracebacks go to the log, never to the client. This is the only
place that knows which gRPC code and reason an upstream failure's :class:`ErrorCategory`
becomes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from mcgateway.errors import GatewayError, InvalidArgument, QuotaExceeded, Reason
from mcgateway.maxcompute import ErrorCategory, InvalidIdentifier, MaxComputeError
from mcgateway.watch import HubClosed, PollerLimit, ResumeTooOld

__all__ = [
    "CATEGORY_TO_GRPC",
    "CATEGORY_TO_REASON",
    "CODE_TO_REASON",
    "DOMAIN",
    "CodeReason",
    "as_reported",
    "grpc_status_for",
    "reason_for",
    "status_for_exception",
    "status_proto_for_exception",
    "upstream_metadata",
    "upstream_outcome",
]

DOMAIN = "mcgateway.github.io"
"""The ``ErrorInfo.domain`` of every error the gateway returns (DNS-style, AIP-193)."""

CATEGORY_TO_GRPC: dict[ErrorCategory, grpc.StatusCode] = {
    ErrorCategory.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    ErrorCategory.ALREADY_EXISTS: grpc.StatusCode.ALREADY_EXISTS,
    ErrorCategory.INVALID: grpc.StatusCode.INVALID_ARGUMENT,
    # Retrying will not help until the state changes (stop a finished instance).
    ErrorCategory.WRONG_STATE: grpc.StatusCode.FAILED_PRECONDITION,
    # Concurrent modification: the caller retries the higher-level operation.
    ErrorCategory.CONFLICT: grpc.StatusCode.ABORTED,
    ErrorCategory.UNSUPPORTED: grpc.StatusCode.UNIMPLEMENTED,
    # The gateway's own upstream credentials were rejected; the reason
    # (UPSTREAM_CREDENTIALS_REJECTED) tells this apart from the caller's token being refused.
    ErrorCategory.UNAUTHENTICATED: grpc.StatusCode.UNAUTHENTICATED,
    ErrorCategory.DENIED: grpc.StatusCode.PERMISSION_DENIED,
    ErrorCategory.TRANSIENT: grpc.StatusCode.UNAVAILABLE,
    ErrorCategory.THROTTLED: grpc.StatusCode.RESOURCE_EXHAUSTED,
    ErrorCategory.TIMED_OUT: grpc.StatusCode.DEADLINE_EXCEEDED,
    ErrorCategory.CANCELLED: grpc.StatusCode.CANCELLED,
    ErrorCategory.CORRUPT: grpc.StatusCode.DATA_LOSS,
    ErrorCategory.CLIENT_ERROR: grpc.StatusCode.INTERNAL,
    ErrorCategory.UNKNOWN: grpc.StatusCode.UNKNOWN,
}
"""The gRPC status of each kind of upstream failure. With the REST client's
``ERROR_CODE_CATEGORY`` it maps every MaxCompute code to a gRPC status (a test checks every
code PyODPS knows)."""

CATEGORY_TO_REASON: dict[ErrorCategory, str] = {
    ErrorCategory.NOT_FOUND: Reason.UPSTREAM_NOT_FOUND,
    ErrorCategory.ALREADY_EXISTS: Reason.UPSTREAM_ALREADY_EXISTS,
    ErrorCategory.INVALID: Reason.UPSTREAM_INVALID_ARGUMENT,
    ErrorCategory.WRONG_STATE: Reason.UPSTREAM_FAILED_PRECONDITION,
    ErrorCategory.CONFLICT: Reason.UPSTREAM_CONFLICT,
    ErrorCategory.UNSUPPORTED: Reason.UPSTREAM_UNSUPPORTED,
    ErrorCategory.UNAUTHENTICATED: Reason.UPSTREAM_CREDENTIALS_REJECTED,
    ErrorCategory.DENIED: Reason.UPSTREAM_PERMISSION_DENIED,
    ErrorCategory.TRANSIENT: Reason.UPSTREAM_UNAVAILABLE,
    ErrorCategory.THROTTLED: Reason.UPSTREAM_THROTTLED,
    ErrorCategory.TIMED_OUT: Reason.DEADLINE_EXCEEDED,
    ErrorCategory.CANCELLED: Reason.UPSTREAM_CANCELLED,
    ErrorCategory.CORRUPT: Reason.UPSTREAM_DATA_LOSS,
    # An answer this side cannot use (or a REST client bug) is INTERNAL, like its code.
    ErrorCategory.CLIENT_ERROR: Reason.INTERNAL,
    ErrorCategory.UNKNOWN: Reason.UPSTREAM_UNKNOWN,
}
"""The ``ErrorInfo.reason`` of each kind of upstream failure, unless :data:`CODE_TO_REASON`
names a more specific one (docs/api-design.md, "Error reasons")."""


class CodeReason(NamedTuple):
    """The reason of one MaxCompute code, and when it applies."""

    category: ErrorCategory
    """The category the failure must have, so the reason stays in step with the gRPC code
    (a ``NoSuchObject`` answered with HTTP 401 is UNAUTHENTICATED, not INSTANCE_NOT_FOUND)."""
    reason: str
    """The ``ErrorInfo.reason``."""
    about_instance: bool
    """Whether the failed call must name an instance (``MaxComputeError.instance_id``)."""


CODE_TO_REASON: dict[str, CodeReason] = {
    "NoSuchObject": CodeReason(ErrorCategory.NOT_FOUND, Reason.INSTANCE_NOT_FOUND, True),
    "NoSuchInstance": CodeReason(ErrorCategory.NOT_FOUND, Reason.INSTANCE_NOT_FOUND, True),
    "NoSuchProject": CodeReason(ErrorCategory.NOT_FOUND, Reason.PROJECT_NOT_FOUND, False),
    # MaxCompute only stops running instances; this is its answer for any other.
    "InvalidStateSetting": CodeReason(ErrorCategory.WRONG_STATE, Reason.INSTANCE_NOT_RUNNING, True),
}
"""MaxCompute codes with a reason of their own, checked before :data:`CATEGORY_TO_REASON`.
A ``NoSuchObject`` of a call about no instance stays UPSTREAM_NOT_FOUND."""


def grpc_status_for(error: MaxComputeError) -> grpc.StatusCode:
    """The gRPC status an upstream failure is returned with."""
    return CATEGORY_TO_GRPC[error.category]


def reason_for(error: MaxComputeError) -> str:
    """The ``ErrorInfo.reason`` of an upstream failure: specific codes first, then by
    category."""
    category = error.category
    specific = CODE_TO_REASON.get(error.code)
    if (
        specific is not None
        and category is specific.category
        and (error.instance_id or not specific.about_instance)
    ):
        return specific.reason
    return CATEGORY_TO_REASON[category]


def upstream_metadata(error: MaxComputeError) -> dict[str, str]:
    """The ``ErrorInfo.metadata`` of an upstream failure: MaxCompute's code
    (``maxcompute_code``) and what is known of the call (empty values left out)."""
    return _clean_metadata(
        {
            "maxcompute_code": error.code,
            "project": error.project,
            "instance_id": error.instance_id,
            "upstream_request_id": error.request_id,
            "operation": error.operation,
            "http_status": str(error.http_status) if error.http_status is not None else None,
        }
    )


def upstream_outcome(category: ErrorCategory | None) -> str:
    """The ``code`` label of ``mcgateway_upstream_requests_total``: ``OK`` or a gRPC code name."""
    return "OK" if category is None else CATEGORY_TO_GRPC[category].name


def _pack(message: object) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)  # type: ignore[arg-type]
    return packed


def _duration(seconds: float) -> duration_pb2.Duration:
    whole = math.floor(seconds)
    return duration_pb2.Duration(seconds=whole, nanos=int((seconds - whole) * 1e9))


def _clean_metadata(metadata: Mapping[str, str | None]) -> dict[str, str]:
    return {k: str(v) for k, v in metadata.items() if v not in (None, "")}


def as_reported(exc: Exception) -> Exception:
    """``exc`` as the gateway reports it: the lower layers' own exceptions become the
    :class:`GatewayError` a client is told about (everything else is unchanged)."""
    if isinstance(exc, InvalidIdentifier):
        return InvalidArgument([(exc.kind.replace(" ", "_"), str(exc))])
    if isinstance(exc, HubClosed):
        return GatewayError(grpc.StatusCode.UNAVAILABLE, Reason.SHUTTING_DOWN, str(exc))
    if isinstance(exc, PollerLimit):
        return QuotaExceeded("max_pollers", "gateway", str(exc), reason=Reason.GATEWAY_LIMIT)
    if isinstance(exc, ResumeTooOld):
        return GatewayError(
            grpc.StatusCode.FAILED_PRECONDITION,
            Reason.RESUME_VERSION_TOO_OLD,
            str(exc),
            metadata={"project": exc.project, "resume_version": exc.resume_version},
        )
    return exc


def status_proto_for_exception(exc: BaseException, request_id: str) -> status_pb2.Status:
    """The ``google.rpc.Status`` for ``exc``; unknown exception types become INTERNAL."""
    if isinstance(exc, Exception):
        exc = as_reported(exc)
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
        if isinstance(exc, QuotaExceeded):
            quota = error_details_pb2.QuotaFailure(
                violations=[
                    error_details_pb2.QuotaFailure.Violation(
                        subject=exc.subject, description=exc.description
                    )
                ]
            )
            details.append(_pack(quota))
        retry_after = exc.retry_after
    elif isinstance(exc, MaxComputeError):
        code = grpc_status_for(exc)
        message = (
            f"MaxCompute {exc.code}: {exc.message}" if exc.message else f"MaxCompute {exc.code}"
        )
        info = error_details_pb2.ErrorInfo(
            reason=reason_for(exc), domain=DOMAIN, metadata=upstream_metadata(exc)
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
