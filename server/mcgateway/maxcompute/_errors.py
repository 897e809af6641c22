"""The one exception type for every upstream failure, and what each MaxCompute code means.

The REST client speaks REST: a failure carries the HTTP status, the MaxCompute ``<Code>``,
the request id and ``Retry-After``, plus an :class:`ErrorCategory` saying what kind of
failure it is (missing object, bad request, transient, throttled, ...). The requester
decides retries by category; the gateway's service layer turns categories into gRPC codes.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from mcgateway.maxcompute._parsing import (
    MAX_EXCERPT,
    MalformedDocument,
    child_text,
    excerpt,
    parse_document,
)

__all__ = [
    "ERROR_CODE_CATEGORY",
    "HTTP_STATUS_CATEGORY",
    "ODPS_CODE_PREFIX_CATEGORY",
    "TASK_FAILED_CODE",
    "ErrorCategory",
    "MaxComputeError",
    "SyntheticCode",
    "category_for",
    "error_from_response",
    "parse_retry_after",
    "task_failure_error",
]


class ErrorCategory(enum.Enum):
    """What kind of failure an upstream error is, in REST terms.

    The requester retries by category (``TRANSIENT`` and ``THROTTLED`` for idempotent
    requests); callers branch on it (``NOT_FOUND``) instead of on codes.
    """

    NOT_FOUND = "not_found"
    """The object does not exist (HTTP 404, ``NoSuchObject``)."""
    ALREADY_EXISTS = "already_exists"
    """The object to create exists already."""
    INVALID = "invalid"
    """The request itself is wrong (HTTP 400, ``InvalidArgument``, SQL parse errors)."""
    WRONG_STATE = "wrong_state"
    """Not possible in the object's current state (stop a terminated instance), or not with
    this client's configuration (an answer larger than ``max_body_bytes``): retrying the
    same request cannot help until that changes."""
    CONFLICT = "conflict"
    """A concurrent modification; redo the higher-level operation (HTTP 409)."""
    UNSUPPORTED = "unsupported"
    """The server does not offer this operation (HTTP 405/501)."""
    UNAUTHENTICATED = "unauthenticated"
    """The credentials were rejected (HTTP 401, bad signature, expired request)."""
    DENIED = "denied"
    """Authenticated but not allowed (HTTP 403, ``NoPermission``)."""
    TRANSIENT = "transient"
    """Server or network trouble that goes away by itself (5xx, resets, timeouts)."""
    THROTTLED = "throttled"
    """A rate limit or quota (HTTP 429, ``QPSExceeded``); retry later."""
    TIMED_OUT = "timed_out"
    """The caller's deadline ran out."""
    CANCELLED = "cancelled"
    """The request was cancelled (HTTP 499)."""
    CORRUPT = "corrupt"
    """Data was lost or damaged in transit (checksum errors)."""
    CLIENT_ERROR = "client_error"
    """A fault on this side: an answer the client cannot use, or a client bug."""
    UNKNOWN = "unknown"
    """Nothing better is known (an unrecognised 4xx, a generic server error)."""


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
    another root element, such as a proxy's HTML page). TRANSIENT: a retry may succeed."""
    INVALID_RESPONSE = "InvalidResponse"
    """A parseable response that lacks something required (for example ``Location``)."""
    CREATE_OUTCOME_UNKNOWN = "CreateOutcomeUnknown"
    """A create failed ambiguously and the created instance could not be found."""
    RESPONSE_TOO_LARGE = "ResponseTooLarge"
    """The response body is larger than ``ClientConfig.max_body_bytes``: the client stopped
    reading (at once when ``Content-Length`` said so) and closed the connection. Not retried."""


# Every code PyODPS 0.13.2 knows (the classes of odps/errors.py, its aliases and its
# ODPS-NNNNNNN table) plus our synthetic codes. A test at the gRPC boundary compares this with
# odps.errors, so a new PyODPS class fails the suite until it gets a row here.
ERROR_CODE_CATEGORY: dict[str, ErrorCategory] = {
    # Missing objects.
    "NoSuchObject": ErrorCategory.NOT_FOUND,
    "NoSuchInstance": ErrorCategory.NOT_FOUND,
    "NoSuchProject": ErrorCategory.NOT_FOUND,
    "NoSuchPartition": ErrorCategory.NOT_FOUND,
    "NoSuchPath": ErrorCategory.NOT_FOUND,
    "NoSuchTable": ErrorCategory.NOT_FOUND,
    "NoSuchVolume": ErrorCategory.NOT_FOUND,
    "NoSuchSchema": ErrorCategory.NOT_FOUND,
    "StreamSessionNotFound": ErrorCategory.NOT_FOUND,
    "UpsertSessionNotFound": ErrorCategory.NOT_FOUND,
    "EmptyTaskInfoError": ErrorCategory.NOT_FOUND,
    "ObjectAlreadyExists": ErrorCategory.ALREADY_EXISTS,
    # Bad requests.
    "InvalidArgument": ErrorCategory.INVALID,
    "InvalidParameter": ErrorCategory.INVALID,
    "ParseError": ErrorCategory.INVALID,
    "SchemaParseError": ErrorCategory.INVALID,
    "InvalidProjectTable": ErrorCategory.INVALID,
    "ScriptError": ErrorCategory.INVALID,
    # Wrong state: retrying will not help until the state changes (stop a finished instance).
    "InvalidStateSetting": ErrorCategory.WRONG_STATE,
    "InstanceNotTerminate": ErrorCategory.WRONG_STATE,
    "InstanceTypeNotSupported": ErrorCategory.WRONG_STATE,
    "OverwriteModeNotAllowed": ErrorCategory.WRONG_STATE,
    # Concurrent modification: retry the higher-level operation.
    "TableModified": ErrorCategory.CONFLICT,
    "SchemaModified": ErrorCategory.CONFLICT,
    # Not supported by the server or the SDK.
    "MethodNotAllowed": ErrorCategory.UNSUPPORTED,
    "NotSupportedError": ErrorCategory.UNSUPPORTED,
    # Authentication: reported without any secret material.
    "AuthorizationRequired": ErrorCategory.UNAUTHENTICATED,
    "Unauthorized": ErrorCategory.UNAUTHENTICATED,
    "SignatureNotMatch": ErrorCategory.UNAUTHENTICATED,
    "AuthenticationRequestExpired": ErrorCategory.UNAUTHENTICATED,
    "RequestTimeTooSkewed": ErrorCategory.UNAUTHENTICATED,
    "RequestTimeTooSkewd": ErrorCategory.UNAUTHENTICATED,  # the server's own spelling
    # Authorization.
    "NoPermission": ErrorCategory.DENIED,
    "SecurityQueryError": ErrorCategory.DENIED,
    # Server-side trouble that goes away by itself: retry the call.
    "InternalServerError": ErrorCategory.TRANSIENT,
    "ReadMetaError": ErrorCategory.TRANSIENT,
    "ServiceUnavailable": ErrorCategory.TRANSIENT,
    "DataVersionError": ErrorCategory.TRANSIENT,
    "BadGatewayError": ErrorCategory.TRANSIENT,
    "InternalConnectionError": ErrorCategory.TRANSIENT,
    "ConnectTimeout": ErrorCategory.TRANSIENT,
    # Throttling and quotas: the error carries retry_after when the server gave one.
    "RequestQuotaExceeded": ErrorCategory.THROTTLED,
    "SlotExceeded": ErrorCategory.THROTTLED,
    "QPSExceeded": ErrorCategory.THROTTLED,
    "FlowExceeded": ErrorCategory.THROTTLED,
    # Interactive-query (MCQA/SQA) errors.
    "SQAError": ErrorCategory.UNKNOWN,
    "SQAGenericError": ErrorCategory.UNKNOWN,
    "SQARetryError": ErrorCategory.TRANSIENT,
    "SQAAccessDenied": ErrorCategory.DENIED,
    "SQAResourceNotEnough": ErrorCategory.THROTTLED,
    "SQAServiceUnavailable": ErrorCategory.TRANSIENT,
    "SQAUnsupportedFeature": ErrorCategory.UNSUPPORTED,
    "SQAQueryTimedout": ErrorCategory.TIMED_OUT,
    # Generic and client-side classes of PyODPS.
    "ODPSError": ErrorCategory.UNKNOWN,
    "ServerDefinedException": ErrorCategory.UNKNOWN,
    "ODPSClientError": ErrorCategory.CLIENT_ERROR,
    "DataHealthManagerError": ErrorCategory.UNKNOWN,
    "WaitTimeoutError": ErrorCategory.TIMED_OUT,
    "OSSSignUrlError": ErrorCategory.CLIENT_ERROR,
    "ChecksumError": ErrorCategory.CORRUPT,
    "StreamTruncatedException": ErrorCategory.CORRUPT,
    # ODPS-NNNNNNN codes PyODPS maps to classes (odps.errors._CODE_MAPPING), plus the
    # authentication codes the MaxCompute error documentation lists.
    "ODPS-0010000": ErrorCategory.TRANSIENT,
    "ODPS-0110141": ErrorCategory.TRANSIENT,
    "ODPS-0123055": ErrorCategory.INVALID,
    "ODPS-0130013": ErrorCategory.DENIED,
    "ODPS-0130131": ErrorCategory.NOT_FOUND,
    "ODPS-0130161": ErrorCategory.INVALID,
    "ODPS-0420153": ErrorCategory.TRANSIENT,
    "ODPS-0420411": ErrorCategory.INVALID,
    "ODPS-0430055": ErrorCategory.TRANSIENT,
    "ODPS-0410031": ErrorCategory.UNAUTHENTICATED,
    "ODPS-0410042": ErrorCategory.UNAUTHENTICATED,
    "ODPS-0410051": ErrorCategory.UNAUTHENTICATED,
    "ODPS-0420061": ErrorCategory.WRONG_STATE,
    # Synthetic codes of this client.
    SyntheticCode.TIMEOUT: ErrorCategory.TRANSIENT,
    SyntheticCode.CONNECTION_RESET: ErrorCategory.TRANSIENT,
    SyntheticCode.CONNECTION_FAILED: ErrorCategory.TRANSIENT,
    SyntheticCode.DEADLINE_EXCEEDED: ErrorCategory.TIMED_OUT,
    # A 200 whose body is not the expected document is what a misbehaving proxy or a server
    # mid-deploy answers: transient from the caller's view, like an unparseable 502.
    SyntheticCode.MALFORMED_RESPONSE: ErrorCategory.TRANSIENT,
    SyntheticCode.INVALID_RESPONSE: ErrorCategory.CLIENT_ERROR,
    SyntheticCode.CREATE_OUTCOME_UNKNOWN: ErrorCategory.UNKNOWN,
    # An answer over this client's size limit: the same request gets the same answer, so not
    # TRANSIENT, and not THROTTLED (RESOURCE_EXHAUSTED tells callers to retry later). The
    # state that must change is the configuration (a larger limit) or the way the data is
    # read (a streaming read): WRONG_STATE, i.e. FAILED_PRECONDITION at the gRPC boundary,
    # which clients do not retry and which ends watch streams instead of polling it forever.
    SyntheticCode.RESPONSE_TOO_LARGE: ErrorCategory.WRONG_STATE,
}

# Interactive-query codes are matched by their first eight characters, as PyODPS does.
ODPS_CODE_PREFIX_CATEGORY: dict[str, ErrorCategory] = {
    "ODPS-180": ErrorCategory.UNKNOWN,  # SQAGenericError
    "ODPS-181": ErrorCategory.TRANSIENT,  # SQARetryError
    "ODPS-182": ErrorCategory.DENIED,  # SQAAccessDenied
    "ODPS-183": ErrorCategory.THROTTLED,  # SQAResourceNotEnough
    "ODPS-184": ErrorCategory.TRANSIENT,  # SQAServiceUnavailable
    "ODPS-185": ErrorCategory.UNSUPPORTED,  # SQAUnsupportedFeature
    "ODPS-186": ErrorCategory.TIMED_OUT,  # SQAQueryTimedout
}

# Used when the body carries no code we know (or no parseable body at all).
HTTP_STATUS_CATEGORY: dict[int, ErrorCategory] = {
    400: ErrorCategory.INVALID,
    401: ErrorCategory.UNAUTHENTICATED,
    403: ErrorCategory.DENIED,
    404: ErrorCategory.NOT_FOUND,
    405: ErrorCategory.UNSUPPORTED,
    409: ErrorCategory.CONFLICT,
    412: ErrorCategory.WRONG_STATE,
    429: ErrorCategory.THROTTLED,
    499: ErrorCategory.CANCELLED,
    500: ErrorCategory.TRANSIENT,
    501: ErrorCategory.UNSUPPORTED,
    502: ErrorCategory.TRANSIENT,
    503: ErrorCategory.TRANSIENT,
    504: ErrorCategory.TRANSIENT,
}

_ODPS_CODE = re.compile(r"ODPS-\d{7}")


def category_for(code: str | None, http_status: int | None) -> ErrorCategory:
    """The category of a MaxCompute code, falling back to the HTTP status.

    Resolution follows PyODPS: the exact code, then the part before the first ``:``, then an
    ``ODPS-NNNNNNN`` token inside it (exact, then the interactive-query prefix), then the
    HTTP status; anything else is UNKNOWN (4xx) or TRANSIENT (5xx). One exception: HTTP 401
    is always UNAUTHENTICATED, because MaxCompute reports bad credentials as
    ``InvalidParameter`` (ODPS-0410051) with a 401.
    """
    if http_status == 401:
        return ErrorCategory.UNAUTHENTICATED
    if code:
        found = ERROR_CODE_CATEGORY.get(code)
        if found is not None:
            return found
        prefix = code.split(":", 1)[0].strip()
        found = ERROR_CODE_CATEGORY.get(prefix)
        if found is not None:
            return found
        match = _ODPS_CODE.search(code)
        if match is not None:
            token = match.group(0)
            found = ERROR_CODE_CATEGORY.get(token) or ODPS_CODE_PREFIX_CATEGORY.get(token[:8])
            if found is not None:
                return found
    if http_status is not None:
        found = HTTP_STATUS_CATEGORY.get(http_status)
        if found is not None:
            return found
        if http_status >= 500:
            return ErrorCategory.TRANSIENT
    return ErrorCategory.UNKNOWN


# The fields are declared for the generated __init__ only: an error still compares and hashes
# by identity (eq=False), and keeps its own short __repr__.
@dataclass(eq=False, repr=False)
class MaxComputeError(Exception):
    """Any failure of an upstream MaxCompute call, HTTP or transport.

    Attributes: ``code`` (the MaxCompute ``<Code>``, or a :class:`SyntheticCode`),
    ``message``, ``http_status`` (``None`` for transport failures), ``request_id`` and
    ``host_id`` (from the error body or ``x-odps-request-id``), ``retry_after`` (seconds, when
    the server said when to retry), ``operation``, ``project`` and ``instance_id`` (context
    of the failed call), ``ambiguous`` (a non-idempotent request may have been executed
    although it failed), ``attempts`` (requests made, retries included), and ``category``
    from :data:`ERROR_CODE_CATEGORY`. Credentials are never part of any of these.
    """

    code: str
    message: str
    _: KW_ONLY
    http_status: int | None = None
    request_id: str | None = None
    host_id: str | None = None
    retry_after: float | None = None
    operation: str | None = None
    project: str | None = None
    instance_id: str | None = None
    ambiguous: bool = False
    attempts: int = 1

    def __post_init__(self) -> None:
        # ``args`` stays (code, message), as before the fields were declared here.
        super().__init__(self.code, self.message)

    @property
    def category(self) -> ErrorCategory:
        """What kind of failure this is (see :func:`category_for`)."""
        return category_for(self.code, self.http_status)

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


TASK_FAILED_CODE = "TaskFailed"
"""The code of a task failure whose text names no ``ODPS-`` code."""


def task_failure_error(
    text: str, *, project: str | None = None, instance_id: str | None = None
) -> MaxComputeError:
    """A failed task's result text as the error PyODPS ``wait_for_success`` would raise
    (maxcompute-rest.md §3.5): its code is the first ``ODPS-NNNNNNN`` token of the text
    (``ODPS-0130161`` is a parse error, INVALID), or :data:`TASK_FAILED_CODE` (UNKNOWN)."""
    match = _ODPS_CODE.search(text)
    return MaxComputeError(
        match.group(0) if match is not None else TASK_FAILED_CODE,
        _bounded_message(text),
        operation="task",
        project=project,
        instance_id=instance_id,
    )
