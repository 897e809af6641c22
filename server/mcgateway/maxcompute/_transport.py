"""The HTTP seam: a pooled ``requests.Session`` in production, any handler in tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict

__all__ = [
    "FailureKind",
    "HandlerTransport",
    "HttpRequest",
    "HttpResponse",
    "RequestsTransport",
    "Transport",
    "TransportFailure",
]


@dataclass(frozen=True)
class HttpRequest:
    """A fully signed request, ready to send."""

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)
    body: bytes | None
    connect_timeout: float
    read_timeout: float


@dataclass(frozen=True)
class HttpResponse:
    """A complete response: status, headers (case-insensitive) and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Header value by case-insensitive name."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


class FailureKind:
    """Why a request produced no response. ``sent`` tells whether the server may have it."""

    CONNECT_FAILED = "connect_failed"
    """Refused / unreachable: nothing was sent."""
    CONNECT_TIMEOUT = "connect_timeout"
    """No connection within the connect timeout: nothing was sent."""
    READ_TIMEOUT = "read_timeout"
    """Sent, but no (complete) answer within the read timeout."""
    CONNECTION_RESET = "connection_reset"
    """Sent (possibly), then the connection dropped."""


class TransportFailure(Exception):
    """No HTTP response: ``kind`` is a :class:`FailureKind` value."""

    def __init__(self, kind: str, detail: str, *, sent: bool) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.sent = sent


class Transport(Protocol):
    """Sends one request; raises :class:`TransportFailure` when no response arrives."""

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send ``request`` and return the complete response."""
        ...

    def close(self) -> None:
        """Release pooled connections."""
        ...


class HandlerTransport:
    """A transport that calls a function: for tests and for in-process fakes."""

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse]) -> None:
        self._handler = handler

    def send(self, request: HttpRequest) -> HttpResponse:
        """Hand the request to the handler."""
        return self._handler(request)

    def close(self) -> None:
        """Nothing to release."""


class RequestsTransport:
    """One keep-alive ``requests.Session`` whose pool matches the upstream concurrency.

    Requests are prepared outside ``Session.prepare_request`` (as PyODPS does), so only the
    headers we sign and send reach the wire. urllib3's own retries are off: retrying is the
    client's job, bounded by the caller's deadline.
    """

    def __init__(self, pool_size: int, *, verify: bool | str = True) -> None:
        self._session = requests.Session()
        self._session.trust_env = False
        # pool_block=False: a burst beyond the pool opens an extra (discarded) connection
        # instead of waiting for a free one without any timeout.
        adapter = requests.adapters.HTTPAdapter(
            pool_connections=1, pool_maxsize=pool_size, max_retries=0, pool_block=False
        )
        self.pool_size = pool_size
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._verify = verify
        self._closed = threading.Event()

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send through the pooled session, mapping requests' exceptions to failures."""
        prepared = requests.Request(
            request.method,
            request.url,
            headers=dict(request.headers),
            data=request.body,
        ).prepare()
        # requests re-quotes URLs; ours are already encoded, so keep them byte-identical.
        prepared.url = request.url
        try:
            resp = self._session.send(
                prepared,
                timeout=(request.connect_timeout, request.read_timeout),
                verify=self._verify,
                allow_redirects=False,
            )
            body = resp.content
        except requests.exceptions.ConnectTimeout as exc:
            raise TransportFailure(FailureKind.CONNECT_TIMEOUT, _describe(exc), sent=False) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise TransportFailure(FailureKind.READ_TIMEOUT, _describe(exc), sent=True) from exc
        except requests.exceptions.ConnectionError as exc:
            if _is_connect_error(exc):
                raise TransportFailure(
                    FailureKind.CONNECT_FAILED, _describe(exc), sent=False
                ) from exc
            raise TransportFailure(FailureKind.CONNECTION_RESET, _describe(exc), sent=True) from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise TransportFailure(FailureKind.CONNECTION_RESET, _describe(exc), sent=True) from exc
        except requests.exceptions.RequestException as exc:
            # Anything else: assume the request may have gone out, the safe side for creates.
            raise TransportFailure(FailureKind.CONNECTION_RESET, _describe(exc), sent=True) from exc
        return HttpResponse(
            status=resp.status_code,
            headers=CaseInsensitiveDict(resp.headers),
            body=body,
        )

    def close(self) -> None:
        """Close the session and its pool."""
        if not self._closed.is_set():
            self._closed.set()
            self._session.close()


def _is_connect_error(exc: requests.exceptions.ConnectionError) -> bool:
    # urllib3 wraps refused/unreachable connections in NewConnectionError; anything else
    # (ProtocolError, RemoteDisconnected, reset) happened after the request went out.
    import urllib3.exceptions

    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, urllib3.exceptions.NewConnectionError | ConnectionRefusedError)


def _describe(exc: BaseException) -> str:
    # Exception text from requests includes the URL (ids and project, no credentials) but can
    # be long; the type name is what operators need.
    return type(exc).__name__
