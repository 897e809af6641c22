"""The one exception type for every upstream failure, and the MaxCompute → gRPC status table."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import grpc

from mcgateway.maxcompute._parsing import (
    MAX_EXCERPT,
    MalformedDocument,
    child_text,
    excerpt,
    parse_document,
)

__all__ = [
    "ERROR_CODE_TO_GRPC",
    "HTTP_STATUS_TO_GRPC",
    "ODPS_CODE_PREFIX_TO_GRPC",
    "MaxComputeError",
    "SyntheticCode",
    "error_from_response",
    "grpc_status_for",
    "parse_retry_after",
]


class SyntheticCode:
    """Codes the client invents for failures that carry no MaxCompute ``<Code>``."""

    TIMEOUT = "Timeout"
    """The upstream did not answer within the read or connect timeout."""
    CONNECTION_RESET = "ConnectionReset"
    """The connection dropped after the request was (possibly) sent."""
    CONNECTION_FAILED = "ConnectionFailed"
    """The connection could not be established; nothing was sent."""
    DEADLINE_EXCEEDED = "DeadlineExceeded"
    """The caller's deadline ran out before a (further) attempt could be made."""
    MALFORMED_RESPONSE = "MalformedResponse"
    """A success response whose body is not the expected document (not XML, unsafe, or
    another root element, such as a proxy's HTML page). UNAVAILABLE: a retry may succeed."""
    INVALID_RESPONSE = "InvalidResponse"
    """A parseable response that lacks something required (for example ``Location``)."""
    CREATE_OUTCOME_UNKNOWN = "CreateOutcomeUnknown"
    """A create failed ambiguously and the created instance could not be found."""


# Every code PyODPS 0.13.2 knows (the classes of odps/errors.py, its aliases and its
# ODPS-NNNNNNN table) plus our synthetic codes. A test compares this with odps.errors, so a
# new PyODPS class fails the suite until it gets a row here.
ERROR_CODE_TO_GRPC: dict[str, grpc.StatusCode] = {
    # Missing objects.
    "NoSuchObject": grpc.StatusCode.NOT_FOUND,
    "NoSuchProject": grpc.StatusCode.NOT_FOUND,
    "NoSuchPartition": grpc.StatusCode.NOT_FOUND,
    "NoSuchPath": grpc.StatusCode.NOT_FOUND,
    "NoSuchTable": grpc.StatusCode.NOT_FOUND,
    "NoSuchVolume": grpc.StatusCode.NOT_FOUND,
    "NoSuchSchema": grpc.StatusCode.NOT_FOUND,
    "StreamSessionNotFound": grpc.StatusCode.NOT_FOUND,
    "UpsertSessionNotFound": grpc.StatusCode.NOT_FOUND,
    "EmptyTaskInfoError": grpc.StatusCode.NOT_FOUND,
    "ObjectAlreadyExists": grpc.StatusCode.ALREADY_EXISTS,
    # Bad requests.
    "InvalidArgument": grpc.StatusCode.INVALID_ARGUMENT,
    "InvalidParameter": grpc.StatusCode.INVALID_ARGUMENT,
    "ParseError": grpc.StatusCode.INVALID_ARGUMENT,
    "SchemaParseError": grpc.StatusCode.INVALID_ARGUMENT,
    "InvalidProjectTable": grpc.StatusCode.INVALID_ARGUMENT,
    "ScriptError": grpc.StatusCode.INVALID_ARGUMENT,
    # Wrong state: retrying will not help until the state changes (stop a finished instance).
    "InvalidStateSetting": grpc.StatusCode.FAILED_PRECONDITION,
    "InstanceNotTerminate": grpc.StatusCode.FAILED_PRECONDITION,
    "InstanceTypeNotSupported": grpc.StatusCode.FAILED_PRECONDITION,
    "OverwriteModeNotAllowed": grpc.StatusCode.FAILED_PRECONDITION,
    # Concurrent modification: retry the higher-level operation.
    "TableModified": grpc.StatusCode.ABORTED,
    "SchemaModified": grpc.StatusCode.ABORTED,
    # Not supported by the server or the SDK.
    "MethodNotAllowed": grpc.StatusCode.UNIMPLEMENTED,
    "NotSupportedError": grpc.StatusCode.UNIMPLEMENTED,
    # Authentication: reported without any secret material.
    "AuthorizationRequired": grpc.StatusCode.UNAUTHENTICATED,
    "Unauthorized": grpc.StatusCode.UNAUTHENTICATED,
    "SignatureNotMatch": grpc.StatusCode.UNAUTHENTICATED,
    "AuthenticationRequestExpired": grpc.StatusCode.UNAUTHENTICATED,
    "RequestTimeTooSkewed": grpc.StatusCode.UNAUTHENTICATED,
    "RequestTimeTooSkewd": grpc.StatusCode.UNAUTHENTICATED,  # the server's own spelling
    # Authorization.
    "NoPermission": grpc.StatusCode.PERMISSION_DENIED,
    "SecurityQueryError": grpc.StatusCode.PERMISSION_DENIED,
    # Server-side trouble that goes away by itself: retry the call.
    "InternalServerError": grpc.StatusCode.UNAVAILABLE,
    "ReadMetaError": grpc.StatusCode.UNAVAILABLE,
    "ServiceUnavailable": grpc.StatusCode.UNAVAILABLE,
    "DataVersionError": grpc.StatusCode.UNAVAILABLE,
    "BadGatewayError": grpc.StatusCode.UNAVAILABLE,
    "InternalConnectionError": grpc.StatusCode.UNAVAILABLE,
    "ConnectTimeout": grpc.StatusCode.UNAVAILABLE,
    # Throttling and quotas: the error carries retry_after when the server gave one.
    "RequestQuotaExceeded": grpc.StatusCode.RESOURCE_EXHAUSTED,
    "SlotExceeded": grpc.StatusCode.RESOURCE_EXHAUSTED,
    "QPSExceeded": grpc.StatusCode.RESOURCE_EXHAUSTED,
    "FlowExceeded": grpc.StatusCode.RESOURCE_EXHAUSTED,
    # Interactive-query (MCQA/SQA) errors.
    "SQAError": grpc.StatusCode.UNKNOWN,
    "SQAGenericError": grpc.StatusCode.UNKNOWN,
    "SQARetryError": grpc.StatusCode.UNAVAILABLE,
    "SQAAccessDenied": grpc.StatusCode.PERMISSION_DENIED,
    "SQAResourceNotEnough": grpc.StatusCode.RESOURCE_EXHAUSTED,
    "SQAServiceUnavailable": grpc.StatusCode.UNAVAILABLE,
    "SQAUnsupportedFeature": grpc.StatusCode.UNIMPLEMENTED,
    "SQAQueryTimedout": grpc.StatusCode.DEADLINE_EXCEEDED,
    # Generic and client-side classes of PyODPS.
    "ODPSError": grpc.StatusCode.UNKNOWN,
    "ServerDefinedException": grpc.StatusCode.UNKNOWN,
    "ODPSClientError": grpc.StatusCode.INTERNAL,
    "DataHealthManagerError": grpc.StatusCode.UNKNOWN,
    "WaitTimeoutError": grpc.StatusCode.DEADLINE_EXCEEDED,
    "OSSSignUrlError": grpc.StatusCode.INTERNAL,
    "ChecksumError": grpc.StatusCode.DATA_LOSS,
    "StreamTruncatedException": grpc.StatusCode.DATA_LOSS,
    # ODPS-NNNNNNN codes PyODPS maps to classes (odps.errors._CODE_MAPPING), plus the
    # authentication codes the MaxCompute error documentation lists.
    "ODPS-0010000": grpc.StatusCode.UNAVAILABLE,
    "ODPS-0110141": grpc.StatusCode.UNAVAILABLE,
    "ODPS-0123055": grpc.StatusCode.INVALID_ARGUMENT,
    "ODPS-0130013": grpc.StatusCode.PERMISSION_DENIED,
    "ODPS-0130131": grpc.StatusCode.NOT_FOUND,
    "ODPS-0130161": grpc.StatusCode.INVALID_ARGUMENT,
    "ODPS-0420153": grpc.StatusCode.UNAVAILABLE,
    "ODPS-0420411": grpc.StatusCode.INVALID_ARGUMENT,
    "ODPS-0430055": grpc.StatusCode.UNAVAILABLE,
    "ODPS-0410031": grpc.StatusCode.UNAUTHENTICATED,
    "ODPS-0410042": grpc.StatusCode.UNAUTHENTICATED,
    "ODPS-0410051": grpc.StatusCode.UNAUTHENTICATED,
    "ODPS-0420061": grpc.StatusCode.FAILED_PRECONDITION,
    # Synthetic codes of this client.
    SyntheticCode.TIMEOUT: grpc.StatusCode.UNAVAILABLE,
    SyntheticCode.CONNECTION_RESET: grpc.StatusCode.UNAVAILABLE,
    SyntheticCode.CONNECTION_FAILED: grpc.StatusCode.UNAVAILABLE,
    SyntheticCode.DEADLINE_EXCEEDED: grpc.StatusCode.DEADLINE_EXCEEDED,
    # A 200 whose body is not the expected document is what a misbehaving proxy or a server
    # mid-deploy answers: transient from the caller's view, like an unparseable 502.
    SyntheticCode.MALFORMED_RESPONSE: grpc.StatusCode.UNAVAILABLE,
    SyntheticCode.INVALID_RESPONSE: grpc.StatusCode.INTERNAL,
    SyntheticCode.CREATE_OUTCOME_UNKNOWN: grpc.StatusCode.UNKNOWN,
}

# Interactive-query codes are matched by their first eight characters, as PyODPS does.
ODPS_CODE_PREFIX_TO_GRPC: dict[str, grpc.StatusCode] = {
    "ODPS-180": grpc.StatusCode.UNKNOWN,  # SQAGenericError
    "ODPS-181": grpc.StatusCode.UNAVAILABLE,  # SQARetryError
    "ODPS-182": grpc.StatusCode.PERMISSION_DENIED,  # SQAAccessDenied
    "ODPS-183": grpc.StatusCode.RESOURCE_EXHAUSTED,  # SQAResourceNotEnough
    "ODPS-184": grpc.StatusCode.UNAVAILABLE,  # SQAServiceUnavailable
    "ODPS-185": grpc.StatusCode.UNIMPLEMENTED,  # SQAUnsupportedFeature
    "ODPS-186": grpc.StatusCode.DEADLINE_EXCEEDED,  # SQAQueryTimedout
}

# Used when the body carries no code we know (or no parseable body at all).
HTTP_STATUS_TO_GRPC: dict[int, grpc.StatusCode] = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    405: grpc.StatusCode.UNIMPLEMENTED,
    409: grpc.StatusCode.ABORTED,
    412: grpc.StatusCode.FAILED_PRECONDITION,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    499: grpc.StatusCode.CANCELLED,
    500: grpc.StatusCode.UNAVAILABLE,
    501: grpc.StatusCode.UNIMPLEMENTED,
    502: grpc.StatusCode.UNAVAILABLE,
    503: grpc.StatusCode.UNAVAILABLE,
    504: grpc.StatusCode.UNAVAILABLE,
}

_ODPS_CODE = re.compile(r"ODPS-\d{7}")


def grpc_status_for(code: str | None, http_status: int | None) -> grpc.StatusCode:
    """The gRPC status for a MaxCompute code, falling back to the HTTP status.

    Resolution follows PyODPS: the exact code, then the part before the first ``:``, then an
    ``ODPS-NNNNNNN`` token inside it (exact, then the interactive-query prefix), then the
    HTTP status; anything else is UNKNOWN (4xx) or UNAVAILABLE (5xx). One exception: HTTP 401
    is always UNAUTHENTICATED, because MaxCompute reports bad credentials as
    ``InvalidParameter`` (ODPS-0410051) with a 401.
    """
    if http_status == 401:
        return grpc.StatusCode.UNAUTHENTICATED
    if code:
        found = ERROR_CODE_TO_GRPC.get(code)
        if found is not None:
            return found
        prefix = code.split(":", 1)[0].strip()
        found = ERROR_CODE_TO_GRPC.get(prefix)
        if found is not None:
            return found
        match = _ODPS_CODE.search(code)
        if match is not None:
            token = match.group(0)
            found = ERROR_CODE_TO_GRPC.get(token) or ODPS_CODE_PREFIX_TO_GRPC.get(token[:8])
            if found is not None:
                return found
    if http_status is not None:
        found = HTTP_STATUS_TO_GRPC.get(http_status)
        if found is not None:
            return found
        if http_status >= 500:
            return grpc.StatusCode.UNAVAILABLE
    return grpc.StatusCode.UNKNOWN


class MaxComputeError(Exception):
    """Any failure of an upstream MaxCompute call, HTTP or transport.

    Attributes: ``code`` (the MaxCompute ``<Code>``, or a :class:`SyntheticCode`),
    ``message``, ``http_status`` (``None`` for transport failures), ``request_id`` and
    ``host_id`` (from the error body or ``x-odps-request-id``), ``retry_after`` (seconds, when
    the server said when to retry), ``operation``, ``project`` and ``instance_id`` (context
    of the failed call), ``ambiguous`` (a non-idempotent request may have been executed
    although it failed), ``attempts`` (requests made, retries included), and ``grpc_status``
    from :data:`ERROR_CODE_TO_GRPC`. Credentials are never part of any of these.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        http_status: int | None = None,
        request_id: str | None = None,
        host_id: str | None = None,
        retry_after: float | None = None,
        operation: str | None = None,
        project: str | None = None,
        instance_id: str | None = None,
        ambiguous: bool = False,
        attempts: int = 1,
    ) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.request_id = request_id
        self.host_id = host_id
        self.retry_after = retry_after
        self.operation = operation
        self.project = project
        self.instance_id = instance_id
        self.ambiguous = ambiguous
        self.attempts = attempts

    @property
    def grpc_status(self) -> grpc.StatusCode:
        """The gRPC status this error maps to (see :func:`grpc_status_for`)."""
        return grpc_status_for(self.code, self.http_status)

    @property
    def is_throttling(self) -> bool:
        """True when the server asked us to slow down (429, quota codes, 409 + Retry-After)."""
        if self.http_status == 429:
            return True
        if self.code in ("RequestQuotaExceeded", "SlotExceeded", "QPSExceeded", "FlowExceeded"):
            return True
        return self.http_status == 409 and self.retry_after is not None

    def with_context(
        self,
        *,
        operation: str | None = None,
        project: str | None = None,
        instance_id: str | None = None,
    ) -> MaxComputeError:
        """Fill in the call context (in place) and return self."""
        self.operation = self.operation or operation
        self.project = self.project or project
        self.instance_id = self.instance_id or instance_id
        return self

    def __str__(self) -> str:
        parts = [f"{self.code}: {self.message}"]
        details = []
        if self.http_status is not None:
            details.append(f"http_status={self.http_status}")
        if self.operation:
            details.append(f"operation={self.operation}")
        if self.request_id:
            details.append(f"request_id={self.request_id}")
        if self.retry_after is not None:
            details.append(f"retry_after={self.retry_after:g}s")
        if details:
            parts.append(f" ({', '.join(details)})")
        return "".join(parts)

    def __repr__(self) -> str:
        return (
            f"MaxComputeError(code={self.code!r}, message={self.message!r}, "
            f"http_status={self.http_status!r}, request_id={self.request_id!r})"
        )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), else ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# A MaxCompute <Message> is kept (it is the server's own explanation, sometimes a few lines
# of SQL diagnostics) but bounded; a raw body without one is reduced to a short excerpt.
_MAX_MESSAGE = 1024
_MESSAGE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _bounded_message(text: str) -> str:
    """A server-given message without control characters (newlines and tabs kept), bounded."""
    text = _MESSAGE_CONTROL.sub(" ", text[: _MAX_MESSAGE * 2]).strip()
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1].rstrip() + "…"
    return text


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    operation: str | None = None,
) -> MaxComputeError:
    """Turn an HTTP error response (status >= 400) into a :class:`MaxComputeError`.

    Accepts the ``<Error>`` XML document (any root name; ``Code`` required, the other three
    children optional) and the JSON form ``{"Code", "Message", "RequestId", "HostId"}``.
    Anything else keeps the HTTP status and uses ``HTTP_<status>`` as the code, so the table
    falls back to the status; its message quotes at most a short, sanitized excerpt of the
    body (the text of an HTML page, never DTD or markup), not the body itself.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    header_request_id = lowered.get("x-odps-request-id")
    retry_after = parse_retry_after(lowered.get("retry-after"))
    code: str | None = None
    message = ""
    request_id: str | None = None
    host_id: str | None = None
    stripped = body.strip()
    if stripped.startswith(b"<"):
        try:
            root = parse_document(stripped)
        except MalformedDocument:
            root = None
        if root is not None:
            code = child_text(root, "Code")
            message = child_text(root, "Message") or ""
            request_id = child_text(root, "RequestId")
            host_id = child_text(root, "HostId")
    elif stripped.startswith(b"{"):
        try:
            obj = json.loads(stripped)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            raw_code = obj.get("Code")
            code = str(raw_code) if raw_code else None
            message = str(obj.get("Message") or "")
            request_id = _opt_str(obj.get("RequestId"))
            host_id = _opt_str(obj.get("HostId"))
    if not code:
        code = f"HTTP_{status}"
        # A document with a Message but no Code keeps its message; otherwise the body.
        message = message or _body_summary(status, stripped)
    return MaxComputeError(
        code,
        _bounded_message(message),
        http_status=status,
        request_id=header_request_id or request_id,
        host_id=host_id,
        retry_after=retry_after,
        operation=operation,
    )


def _body_summary(status: int, body: bytes) -> str:
    """``HTTP <status> with ...`` and a short excerpt (an HTML page's text, never markup)."""
    if not body:
        return f"HTTP {status} with an empty body"
    text = excerpt(body, MAX_EXCERPT, strip_markup=body.startswith(b"<"))
    if not text:
        return f"HTTP {status} with an unrecognised body"
    return f"HTTP {status} with an unrecognised body: {text}"


def _opt_str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
