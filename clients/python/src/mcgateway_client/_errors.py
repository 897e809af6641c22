"""Exceptions of the client library and the one table from gRPC status code to exception class."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

if TYPE_CHECKING:
    from ._aio_instance import AsyncInstance
    from ._instance import Instance

__all__ = [
    "ERROR_DOMAIN",
    "EXCEPTIONS_BY_CODE",
    "Aborted",
    "AlreadyExists",
    "Cancelled",
    "DeadlineExceeded",
    "GatewayError",
    "InstanceFailed",
    "Internal",
    "InvalidArgument",
    "InvalidState",
    "NotFound",
    "PermissionDenied",
    "ResourceExhausted",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "WaitTimeout",
    "error_from_rpc",
    "error_from_status",
]

_DETAILS_KEY = "grpc-status-details-bin"

ERROR_DOMAIN = "mcgateway.github.io"
"""The ``ErrorInfo.domain`` of the gateway's errors; their ``reason`` values are its own."""


class GatewayError(Exception):
    """Base of every error the client raises.

    Carries the gRPC status ``code`` (None for conditions detected by the client itself, such as
    :class:`InstanceFailed`), the ``google.rpc.ErrorInfo`` ``reason`` and ``domain`` (the
    gateway's are ``mcgateway.github.io`` and UPPER_SNAKE reasons such as
    ``INSTANCE_NOT_FOUND``, ``PROJECT_NOT_FOUND``, ``INSTANCE_NOT_RUNNING`` or
    ``UPSTREAM_THROTTLED``; expect new ones), ``maxcompute_code`` (MaxCompute's own error code
    such as ``NoSuchObject`` when MaxCompute answered with an error), the ``request_id``
    MaxCompute gave the failing upstream call, ``metadata`` (every ErrorInfo metadata entry),
    ``retry_delay`` in seconds when the server sent ``RetryInfo`` and ``field_violations``
    (field, description) pairs from ``BadRequest``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: grpc.StatusCode | None = None,
        reason: str | None = None,
        domain: str | None = None,
        metadata: Mapping[str, str] | None = None,
        retry_delay: float | None = None,
        field_violations: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason
        self.domain = domain
        self.metadata: dict[str, str] = dict(metadata or {})
        self.retry_delay = retry_delay
        self.field_violations: list[tuple[str, str]] = list(field_violations)

    @property
    def request_id(self) -> str | None:
        """The upstream (MaxCompute) request id of the failing call, when the gateway knew it."""
        return self.metadata.get("upstream_request_id")

    @property
    def maxcompute_code(self) -> str | None:
        """MaxCompute's error code (e.g. ``NoSuchObject``, ``InvalidStateSetting``,
        ``QPSExceeded``) when the error is MaxCompute's answer, from ErrorInfo metadata
        ``maxcompute_code``; None for the gateway's own decisions."""
        return self.metadata.get("maxcompute_code") or None

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        code = self.code.name if self.code is not None else None
        return f"{type(self).__name__}({self.message!r}, code={code}, reason={self.reason!r})"


class Cancelled(GatewayError):
    """The call was cancelled before it completed (CANCELLED)."""


class InvalidArgument(GatewayError):
    """The request was malformed: a bad id, filter, hint or page token (INVALID_ARGUMENT)."""


class DeadlineExceeded(GatewayError):
    """The call's deadline passed before the gateway answered (DEADLINE_EXCEEDED)."""


class WaitTimeout(DeadlineExceeded):
    """A client-side wait ended before the instance terminated; the instance keeps running.

    ``instance`` is the instance with its last observed state.
    """

    def __init__(self, message: str, *, instance: Instance | AsyncInstance) -> None:
        super().__init__(message, code=grpc.StatusCode.DEADLINE_EXCEEDED, reason="WAIT_TIMEOUT")
        self.instance = instance


class NotFound(GatewayError):
    """The instance, task or project does not exist (NOT_FOUND).

    ``reason`` says which: ``INSTANCE_NOT_FOUND``, ``PROJECT_NOT_FOUND``, ``TASK_NOT_FOUND`` or
    ``UPSTREAM_NOT_FOUND`` (another MaxCompute not-found code, in ``maxcompute_code``).
    """


class AlreadyExists(GatewayError):
    """The resource already exists (ALREADY_EXISTS)."""


class PermissionDenied(GatewayError):
    """The token may not use the project or the operation (PERMISSION_DENIED)."""


class ResourceExhausted(GatewayError):
    """MaxCompute or the gateway is throttling; ``retry_delay`` says when to retry.

    ``reason`` is ``UPSTREAM_THROTTLED`` for MaxCompute (its code, e.g. ``QPSExceeded``, in
    ``maxcompute_code``) or ``CALLER_LIMIT``, ``GATEWAY_LIMIT``, ``GATEWAY_RATE_LIMITED`` for
    the gateway's own limits.
    """


class InvalidState(GatewayError):
    """The instance is not in a state that allows the operation, e.g. stopping a terminated one.

    FAILED_PRECONDITION: retrying will not help until the state changes. ``reason`` is
    ``INSTANCE_NOT_RUNNING`` for a stop of an instance that is not running, ``NOT_XFLOW`` for
    sub-instances of an instance that is not an XFlow, ``UPSTREAM_FAILED_PRECONDITION`` for other
    wrong-state answers of MaxCompute.
    """


class Aborted(GatewayError):
    """The operation was aborted by a conflict, e.g. an expired resume point (ABORTED)."""


class Unimplemented(GatewayError):
    """The gateway does not implement the operation (UNIMPLEMENTED)."""


class Internal(GatewayError):
    """The gateway failed internally (INTERNAL, UNKNOWN or DATA_LOSS); the message has its id."""


class Unavailable(GatewayError):
    """The gateway or MaxCompute is unreachable or failing; reads are safe to retry."""


class Unauthenticated(GatewayError):
    """The bearer token is missing or unknown (UNAUTHENTICATED)."""


class InstanceFailed(GatewayError):
    """An instance terminated without success; ``instance`` is its final state.

    Raised by ``wait_for_success`` and ``execute_sql``; the message is the failure message of the
    first failed task (for example ``ODPS-0130161:[1,8] Parse exception ...``).
    """

    def __init__(self, message: str, *, instance: Instance | AsyncInstance) -> None:
        super().__init__(message, reason="INSTANCE_FAILED")
        self.instance = instance


# The one table from gRPC status code to exception class. Every code except OK has a row.
EXCEPTIONS_BY_CODE: dict[grpc.StatusCode, type[GatewayError]] = {
    grpc.StatusCode.CANCELLED: Cancelled,
    grpc.StatusCode.UNKNOWN: Internal,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.FAILED_PRECONDITION: InvalidState,
    grpc.StatusCode.ABORTED: Aborted,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgument,
    grpc.StatusCode.UNIMPLEMENTED: Unimplemented,
    grpc.StatusCode.INTERNAL: Internal,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DATA_LOSS: Internal,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
}


def error_from_status(
    code: grpc.StatusCode, details: str | None, rich: status_pb2.Status | None
) -> GatewayError:
    """Builds the exception for a failed call from its code, message and rich status."""
    reason: str | None = None
    domain: str | None = None
    metadata: dict[str, str] = {}
    retry_delay: float | None = None
    violations: list[tuple[str, str]] = []
    if rich is not None:
        for detail in rich.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, domain = info.reason or None, info.domain or None
                metadata.update(info.metadata)
            elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
                retry = error_details_pb2.RetryInfo()
                detail.Unpack(retry)
                retry_delay = retry.retry_delay.ToTimedelta().total_seconds()
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations.extend((v.field, v.description) for v in bad.field_violations)
            elif detail.Is(error_details_pb2.RequestInfo.DESCRIPTOR):
                info_req = error_details_pb2.RequestInfo()
                detail.Unpack(info_req)
                if info_req.request_id:
                    metadata.setdefault("gateway_request_id", info_req.request_id)
    cls = EXCEPTIONS_BY_CODE.get(code, Internal)
    message = details or (code.name.lower().replace("_", " ") if code else "unknown error")
    return cls(
        message,
        code=code,
        reason=reason,
        domain=domain,
        metadata=metadata,
        retry_delay=retry_delay,
        field_violations=violations,
    )


def _rich_status(err: Any) -> status_pb2.Status | None:
    """The google.rpc.Status of a failed call, or None when absent or unusable.

    A malformed or inconsistent ``grpc-status-details-bin`` trailer must not hide the real error,
    so decoding problems only drop the details.
    """
    try:
        return rpc_status.from_call(err)
    except (ValueError, DecodeError, TypeError, AttributeError):
        pass
    # from_call refuses a status whose message differs from the call's (e.g. a proxy rewrote it);
    # the details are still the server's, so keep them when the code agrees.
    with contextlib.suppress(Exception):
        for key, value in err.trailing_metadata() or ():
            if key == _DETAILS_KEY and isinstance(value, bytes):
                rich = status_pb2.Status.FromString(value)
                if rich.code == err.code().value[0]:
                    return rich
    return None


def error_from_rpc(err: grpc.RpcError) -> GatewayError:
    """Translates a failed gRPC call (sync or aio) into the library's exception."""
    code_fn = getattr(err, "code", None)
    code = code_fn() if callable(code_fn) else grpc.StatusCode.UNKNOWN
    if not isinstance(code, grpc.StatusCode):
        code = grpc.StatusCode.UNKNOWN
    details_fn = getattr(err, "details", None)
    details = details_fn() if callable(details_fn) else None
    return error_from_status(code, details, _rich_status(err))
