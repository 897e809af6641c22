"""The chokepoint every upstream request goes through.

It builds the URL (with ``curr_project``), signs (v4 when a region is known, with PyODPS's
fallback to v2), derives connect/read timeouts from the caller's deadline and hands the
transport the deadline itself (no attempt outlives it, however the server paces its answer)
and the body-size limit (``ResponseTooLarge``, never retried), sends through the transport,
retries what is safe to retry with full-jitter backoff inside the deadline, maps every
failure to :class:`MaxComputeError`, and reports each attempt to the observer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.etree.ElementTree import Element

from mcgateway.maxcompute._config import ClientConfig
from mcgateway.maxcompute._credentials import Credentials
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import (
    ErrorCategory,
    MaxComputeError,
    SyntheticCode,
    error_from_response,
)
from mcgateway.maxcompute._observer import RequestObserver, UpstreamRequest
from mcgateway.maxcompute._parsing import MalformedDocument, parse_document
from mcgateway.maxcompute._signing import (
    authorization_header,
    canonical_string,
    http_date,
    region_from_endpoint,
)
from mcgateway.maxcompute._transport import (
    FailureKind,
    HttpRequest,
    HttpResponse,
    Transport,
    TransportFailure,
)
from mcgateway.maxcompute._urls import build_url, normalize_endpoint

__all__ = ["MIN_ATTEMPT_SECONDS", "Requester", "instance_path"]

logger = logging.getLogger("mcgateway.maxcompute")

_T = TypeVar("_T")

MIN_ATTEMPT_SECONDS = 0.005
"""Below this many seconds left an attempt cannot do anything useful."""

# Codes of PyODPS's InternalServerError family, for the v4 -> v2 fallback rule.
_INTERNAL_ERROR_CODES = frozenset(
    {
        "InternalServerError",
        "ReadMetaError",
        "ServiceUnavailable",
        "DataVersionError",
        "BadGatewayError",
        "ODPS-0010000",
        "ODPS-0420153",
        "ODPS-0110141",
    }
)
_V4_FALLBACK_INTERNAL_TEXTS = ("need ak v3 support", "accesskey acl denied")

_FAILURE_CODES = {
    FailureKind.CONNECT_FAILED: SyntheticCode.CONNECTION_FAILED,
    FailureKind.CONNECT_TIMEOUT: SyntheticCode.TIMEOUT,
    FailureKind.READ_TIMEOUT: SyntheticCode.TIMEOUT,
    FailureKind.CONNECTION_RESET: SyntheticCode.CONNECTION_RESET,
}


def instance_path(project: str, instance_id: str) -> list[str]:
    """Path segments of one instance."""
    return ["projects", project, "instances", instance_id]


@dataclass(frozen=True)
class _Outcome:
    """What one attempt produced: a response, or an error and whether to retry it."""

    response: HttpResponse | None
    error: MaxComputeError | None
    retryable: bool


class Requester:
    """Signs, sends, retries and reports requests to one upstream. Thread-safe."""

    def __init__(
        self,
        config: ClientConfig,
        transport: Transport,
        observer: RequestObserver,
        sleep: Callable[[float], None],
    ) -> None:
        self._config = config
        self._endpoint = normalize_endpoint(config.endpoint)
        self._transport = transport
        self._observer = observer
        self._sleep = sleep
        self._region = config.region or region_from_endpoint(self._endpoint)
        self._lock = threading.Lock()
        self._v4_disabled = not config.enable_v4_sign

    @property
    def endpoint(self) -> str:
        """The normalised endpoint (no trailing ``/``)."""
        return self._endpoint

    @property
    def region(self) -> str | None:
        """The configured or derived region (``None``: v2 signing)."""
        return self._region

    @property
    def signs_v4(self) -> bool:
        """True while requests are signed v4 (a region is known and no fallback happened)."""
        return self._sign_region() is not None

    def sleep(self, seconds: float) -> None:
        """Pause (the injected sleep, so tests can record instead of waiting)."""
        self._sleep(seconds)

    def close(self) -> None:
        """Release the transport's connections."""
        self._transport.close()

    def deadline(self, deadline: Deadline | None) -> Deadline:
        """``deadline``, or one ``config.default_timeout`` from now when it is ``None``."""
        return deadline if deadline is not None else Deadline.after(self._config.default_timeout)

    def parse(self, operation: str, resp: HttpResponse, parser: Callable[[Element], _T]) -> _T:
        """Parse a success body with ``parser``.

        A body that is not XML, is unsafe, or is a document of another shape (root element,
        required children) becomes MALFORMED_RESPONSE (TRANSIENT): typically a proxy's
        error page answered with 200, which must not read as an empty result.
        """
        return self.parse_body(operation, resp, lambda body: parser(parse_document(body)))

    def parse_body(self, operation: str, resp: HttpResponse, parser: Callable[[bytes], _T]) -> _T:
        """Parse a success body that is not XML (JSON, text) with ``parser``; a
        :class:`MalformedDocument` it raises becomes MALFORMED_RESPONSE, as in :meth:`parse`."""
        try:
            return parser(resp.body)
        except MalformedDocument as exc:
            raise MaxComputeError(
                SyntheticCode.MALFORMED_RESPONSE,
                f"unexpected {operation} response body (HTTP {resp.status}): {exc}",
                http_status=resp.status,
                request_id=resp.header("x-odps-request-id"),
                operation=operation,
            ) from exc

    def call(
        self,
        operation: str,
        method: str,
        segments: Sequence[str],
        *,
        actions: Sequence[str] = (),
        params: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        content_type: str | None = None,
        project: str | None = None,
        instance_id: str | None = None,
        deadline: Deadline | None = None,
        idempotent: bool | None = None,
        read_timeout: float | None = None,
        endpoint: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """The chokepoint: sign, send, retry, map errors, report. Returns a < 400 response.

        ``endpoint`` sends to another host of the same service (the instance tunnel's, which
        MaxCompute names per project) instead of the configured one; ``headers`` are added
        before signing (so ``x-odps-*`` ones are signed)."""
        deadline = self.deadline(deadline)
        endpoint = endpoint or self._endpoint
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "PUT", "DELETE")
        curr_project = self._config.default_project or project
        query = list(params)
        if curr_project is not None:
            query.append(("curr_project", curr_project))
        url = build_url(endpoint, segments, actions=actions, params=query)
        policy = self._config.retry
        attempt = 0
        v4_fallback_done = False
        while True:
            attempt += 1
            remaining = deadline.remaining()
            if remaining < MIN_ATTEMPT_SECONDS:
                raise MaxComputeError(
                    SyntheticCode.DEADLINE_EXCEEDED,
                    "deadline exceeded before the request could be sent",
                    operation=operation,
                    project=project,
                    instance_id=instance_id,
                    attempts=attempt - 1,
                )
            region = self._sign_region()
            attempt_read_timeout = read_timeout or self._config.read_timeout
            # The caller's deadline, not the configured timeout, bounds this attempt.
            deadline_bound = remaining <= attempt_read_timeout
            request = self._sign(
                method,
                url,
                body,
                content_type,
                region,
                connect_timeout=min(self._config.connect_timeout, remaining),
                read_timeout=min(attempt_read_timeout, remaining),
                deadline=deadline,
                credentials=self._config.credentials_for(project),
                endpoint=endpoint,
                extra_headers=headers,
            )
            outcome = self._attempt(operation, request, idempotent, attempt)
            if outcome.response is not None:
                return outcome.response
            error = outcome.error
            assert error is not None
            retryable = outcome.retryable
            error.with_context(operation=operation, project=project, instance_id=instance_id)
            error.attempts = attempt
            if error.code == SyntheticCode.TIMEOUT and deadline_bound:
                # The wait ended because the caller's deadline did: say so (DEADLINE_EXCEEDED
                # to the caller), not that MaxCompute timed out (UNAVAILABLE, retry at once).
                error.code = SyntheticCode.DEADLINE_EXCEEDED
                raise error
            if region and not v4_fallback_done and _needs_v2_fallback(error):
                # PyODPS's rule: the server does not take v4 here; sign v2 from now on.
                logger.info("falling back to v2 signatures for %s: %s", self._endpoint, error.code)
                with self._lock:
                    self._v4_disabled = True
                v4_fallback_done = True
                attempt -= 1
                continue
            if not retryable or attempt >= policy.max_attempts:
                raise error
            retry_after = error.retry_after or 0.0
            if retry_after > policy.max_retry_after:
                raise error
            pause = max(policy.backoff(attempt), retry_after)
            if pause + MIN_ATTEMPT_SECONDS >= deadline.remaining():
                raise error
            logger.debug("retrying %s after %s in %.3fs", operation, error.code, pause)
            self._sleep(pause)

    def _attempt(
        self, operation: str, request: HttpRequest, idempotent: bool, attempt: int
    ) -> _Outcome:
        """Send once and classify the result."""
        started = time.monotonic()
        try:
            resp = self._transport.send(request)
        except TransportFailure as failure:
            latency = time.monotonic() - started
            if failure.kind == FailureKind.BODY_TOO_LARGE:
                return self._too_large(
                    operation,
                    request,
                    failure.response,
                    failure.detail,
                    idempotent,
                    latency,
                    attempt,
                )
            code = _FAILURE_CODES.get(failure.kind, SyntheticCode.CONNECTION_RESET)
            error = MaxComputeError(
                code,
                f"{failure.kind.replace('_', ' ')} after {latency:.3f}s ({failure.detail})",
                operation=operation,
                ambiguous=failure.sent and not idempotent,
            )
            self._report(operation, error, latency, None, attempt)
            # Nothing sent: always safe to retry. Sent: only when repeating is harmless.
            return _Outcome(None, error, (not failure.sent) or idempotent)
        latency = time.monotonic() - started
        limit = request.max_body_bytes
        if limit is not None and len(resp.body) > limit:
            # A transport that does not enforce the limit itself (a handler in tests).
            detail = f"{len(resp.body)} bytes"
            return self._too_large(operation, request, resp, detail, idempotent, latency, attempt)
        if resp.status < 400:
            self._report(operation, None, latency, resp.status, attempt)
            return _Outcome(resp, None, False)
        error = error_from_response(resp.status, resp.headers, resp.body, operation=operation)
        self._report(operation, error, latency, resp.status, attempt)
        if idempotent:
            # Besides PyODPS's 502/503/504, any transient error (for example an
            # InternalServerError document, which PyODPS retries one layer up) is retried.
            retryable = (
                resp.status in self._config.retry.retry_statuses
                or error.is_throttling
                or error.category is ErrorCategory.TRANSIENT
            )
        else:
            # A definite rejection (throttled, or a MaxCompute 503 error document) means the
            # request was not executed; a bare 502/503/504 may come from a proxy after the
            # backend acted, so it is ambiguous and must not be repeated blindly.
            definite = error.is_throttling or (
                resp.status == 503 and not error.code.startswith("HTTP_")
            )
            retryable = definite
            error.ambiguous = not definite and resp.status in (502, 503, 504)
        return _Outcome(None, error, retryable)

    def _too_large(
        self,
        operation: str,
        request: HttpRequest,
        resp: HttpResponse | None,
        detail: str,
        idempotent: bool,
        latency: float,
        attempt: int,
    ) -> _Outcome:
        """An answer over ``max_body_bytes``: the same request would get it again, so the
        error is final (facts only; the service layer says what to do instead). A request
        that is not idempotent was probably executed unless the answer is a 4xx rejection:
        ambiguous, so a create looks for what it made."""
        status = resp.status if resp is not None else None
        error = MaxComputeError(
            SyntheticCode.RESPONSE_TOO_LARGE,
            f"the {operation} response body is larger than this client's limit of "
            f"{request.max_body_bytes} bytes (max_body_bytes: {detail}); the rest was not read",
            http_status=status,
            request_id=resp.header("x-odps-request-id") if resp is not None else None,
            operation=operation,
            ambiguous=not idempotent and (status is None or not 400 <= status < 500),
        )
        self._report(operation, error, latency, status, attempt)
        return _Outcome(None, error, False)

    def _report(
        self,
        operation: str,
        error: MaxComputeError | None,
        latency: float,
        http_status: int | None,
        attempt: int,
    ) -> None:
        event = UpstreamRequest(
            operation=operation,
            category=None if error is None else error.category,
            latency_seconds=latency,
            http_status=http_status,
            error_code=None if error is None else error.code,
            attempt=attempt,
        )
        try:
            self._observer(event)
        except Exception:
            # Metrics must never break a call.
            logger.exception("request observer failed")

    def _sign_region(self) -> str | None:
        with self._lock:
            return None if self._v4_disabled else self._region

    def _sign(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        region: str | None,
        *,
        connect_timeout: float,
        read_timeout: float,
        deadline: Deadline,
        credentials: Credentials,
        endpoint: str,
        extra_headers: Mapping[str, str] | None,
    ) -> HttpRequest:
        ua = self._config.user_agent
        headers: dict[str, str] = {"User-Agent": ua, "x-odps-user-agent": ua}
        if extra_headers:
            headers.update(extra_headers)
        if self._config.namespace:
            headers["x-odps-namespace-id"] = self._config.namespace
        if content_type is not None:
            headers["Content-Type"] = content_type
        if body is not None or method in ("POST", "PUT"):
            headers["Content-Length"] = str(len(body or b""))
        headers["Date"] = http_date()
        canonical = canonical_string(method, url, endpoint, headers)
        headers["Authorization"] = authorization_header(credentials, canonical, region)
        if credentials.security_token:
            # STS: the token travels unsigned beside a normal signature.
            headers["authorization-sts-token"] = credentials.security_token
        return HttpRequest(
            method=method,
            url=url,
            headers=headers,
            body=body,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            deadline=deadline,
            max_body_bytes=self._config.max_body_bytes,
        )


def _needs_v2_fallback(error: MaxComputeError) -> bool:
    text = f"{error.code} {error.message}"
    if error.code in _INTERNAL_ERROR_CODES:
        return any(t in text.lower() for t in _V4_FALLBACK_INTERNAL_TEXTS)
    if error.code == "InvalidParameter":
        return "ODPS-0410051" in text
    if error.code in ("AuthorizationRequired", "Unauthorized"):
        return "invalid or missing" in text
    return False
