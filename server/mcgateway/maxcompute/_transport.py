"""The HTTP seam: a pooled ``requests.Session`` in production, any handler in tests.

:class:`RequestsTransport` bounds every exchange two ways, whatever the server's pacing:

- **Time.** ``HttpRequest.deadline`` is the wall-clock end of the attempt. The socket timeouts
  bound each single read only, so a server that drips one byte just inside the read timeout
  (in the headers or the body) would keep a worker thread for as long as it likes. A
  watchdog thread (:class:`_Reaper`) therefore shuts down the socket of any exchange still
  running at its deadline; the blocked read returns at once and the attempt fails as a read
  timeout, even when what arrived looks complete. The body loop checks the deadline between
  chunks as well. The connection classes below register each socket with the exchange's
  :class:`_Watch` when it is created (a duplicate descriptor during a TLS handshake) and
  again before every request, so handshakes and reused keep-alive connections are covered;
  a connection going back to the pool is detached first.
- **Size.** ``HttpRequest.max_body_bytes`` caps the body. A ``Content-Length`` above it is
  refused before any of the body is read; otherwise the body is read in chunks and the
  exchange stops as soon as the cap is passed. Either way the connection is closed (never
  drained back into the pool) and :data:`FailureKind.BODY_TOO_LARGE` is raised. At most the
  cap plus one chunk is held, in one buffer (``BytesIO``, whose ``getvalue`` hands over its
  buffer without a second copy).
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import io
import itertools
import math
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import requests
import requests.adapters
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from mcgateway.maxcompute._deadline import Deadline

__all__ = [
    "FailureKind",
    "HandlerTransport",
    "HttpRequest",
    "HttpResponse",
    "RequestsTransport",
    "Transport",
    "TransportFailure",
]

_CHUNK_BYTES = 64 * 1024
"""Body read size: the most read past the cap before the exchange is abandoned."""


@dataclass(frozen=True)
class HttpRequest:
    """A fully signed request, ready to send."""

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)
    body: bytes | None
    connect_timeout: float
    read_timeout: float
    deadline: Deadline | None = None
    """When the attempt must be over, headers and body included, however slowly the server
    answers; the transport then abandons it (closing the connection) as a read timeout.
    ``None``: only the per-read timeouts bound it."""
    max_body_bytes: int | None = None
    """Largest response body accepted; a larger one is a :data:`FailureKind.BODY_TOO_LARGE`
    failure after at most this many bytes (plus one chunk) were read. ``None``: no limit."""


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
    """Sent, but no (complete) answer within the read timeout or by the attempt's deadline."""
    CONNECTION_RESET = "connection_reset"
    """Sent (possibly), then the connection dropped."""
    BODY_TOO_LARGE = "body_too_large"
    """An answer came, but its body is larger than ``max_body_bytes``: the rest was not read
    and the connection was closed. ``TransportFailure.response`` has the status and headers."""


class TransportFailure(Exception):
    """No (usable) HTTP response: ``kind`` is a :class:`FailureKind` value.

    ``response`` is set for :data:`FailureKind.BODY_TOO_LARGE`: the status and headers of
    the refused answer, with an empty body.
    """

    def __init__(
        self, kind: str, detail: str, *, sent: bool, response: HttpResponse | None = None
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.sent = sent
        self.response = response


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


# ------------------------------------------------------------------ the deadline watchdog


def _shutdown(sock: socket.socket) -> None:
    """Wake any read blocked on ``sock`` (it returns end-of-file) and tell the peer.

    ``socket.socket.shutdown`` itself, also for a TLS socket: ``SSLSocket.shutdown`` would
    drop its TLS state under a reader in another thread.
    """
    # OSError: already closed, detached (wrapped in TLS since) or never connected.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watch:
    """The socket of one exchange and whether its deadline cut it short. Thread-safe.

    ``sending`` turns true when the request starts to go out (before that, a deadline hit
    means nothing was sent). A socket attached with ``owned=True`` is a duplicate descriptor
    of the connection's own, held only so it can be shut down (during a TLS handshake the
    plain socket object is already detached); the watch closes it when done with it.
    """

    __slots__ = ("_lock", "_owned", "_sock", "done", "expires_at", "fired", "sending")

    def __init__(self, expires_at: float) -> None:
        self.expires_at = expires_at
        self.fired = False
        self.done = False
        self.sending = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._owned = False

    def attach(self, sock: socket.socket, *, owned: bool = False) -> None:
        """The exchange now runs on ``sock`` (a new, TLS-wrapped or reused connection)."""
        with self._lock:
            self._forget()
            if self.done:
                if owned:
                    sock.close()
                return
            self._sock, self._owned = sock, owned
            if self.fired:
                _shutdown(sock)

    def fire(self) -> None:
        """The deadline passed: stop the exchange (no-op once it finished)."""
        with self._lock:
            if self.done:
                return
            self.fired = True
            if self._sock is not None:
                _shutdown(self._sock)

    def detach(self) -> bool:
        """The connection goes back to the pool: the deadline no longer reaches its socket.
        False when the deadline already shut it down (then it must not be pooled)."""
        with self._lock:
            self._forget()
            return not self.fired

    def abandon(self) -> None:
        """Stop the exchange now (an oversized body): the peer sees the connection end."""
        with self._lock:
            if self._sock is not None and not self.done:
                _shutdown(self._sock)

    def finish(self) -> bool:
        """The exchange is over: forget its socket (it may go back to the pool and serve
        another request). Returns whether the deadline had cut it short."""
        with self._lock:
            self.done = True
            self._forget()
            return self.fired

    def _forget(self) -> None:
        if self._owned and self._sock is not None:
            self._sock.close()
        self._sock, self._owned = None, False


class _Reaper:
    """A daemon thread that fires each :class:`_Watch` at its deadline.

    The thread runs only while watches are pending: it starts with the first and ends when
    none is left. Finished watches stay in the heap until their deadline (firing them is a
    no-op) unless enough pile up, then the heap is compacted, so memory stays proportional
    to the exchanges in flight.
    """

    _COMPACT_AT = 256

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._finished = 0
        self._running = False

    def add(self, watch: _Watch) -> None:
        """Fire ``watch`` at its ``expires_at``."""
        with self._cond:
            heapq.heappush(self._heap, (watch.expires_at, next(self._order), watch))
            if not self._running:
                self._running = True
                threading.Thread(
                    target=self._run, name="mcgateway-upstream-deadlines", daemon=True
                ).start()
            elif self._heap[0][2] is watch:
                self._cond.notify()

    def finished(self) -> None:
        """One watch still in the heap finished before its deadline."""
        with self._cond:
            self._finished += 1
            if self._finished >= self._COMPACT_AT and 2 * self._finished >= len(self._heap):
                self._heap = [entry for entry in self._heap if not entry[2].done]
                heapq.heapify(self._heap)
                self._finished = 0

    def _run(self) -> None:
        while True:
            due: list[_Watch] = []
            with self._cond:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    due.append(heapq.heappop(self._heap)[2])
                if not due:
                    if not self._heap:
                        self._running = False
                        return
                    self._cond.wait(self._heap[0][0] - now)
                    continue
                stale = sum(1 for watch in due if watch.done)
                self._finished = max(0, self._finished - stale)
            for watch in due:
                watch.fire()


_current = threading.local()
"""``watch``: the :class:`_Watch` of the exchange running on this thread, if any."""


def _watch() -> _Watch | None:
    watch: _Watch | None = getattr(_current, "watch", None)
    return watch


def _attach_new(sock: socket.socket, *, tls: bool) -> None:
    """A new connection's socket, before any TLS handshake or request."""
    watch = _watch()
    if watch is not None:
        # Wrapping in TLS detaches this socket object before the handshake; a duplicate
        # descriptor still reaches the connection, so a dripped handshake is cut off too.
        watch.attach(sock.dup() if tls else sock, owned=tls)


def _attach_request(sock: socket.socket | None) -> None:
    """A request is about to go out on ``sock`` (``None``: it connects first)."""
    watch = _watch()
    if watch is not None:
        watch.sending = True
        if sock is not None:
            watch.attach(sock)


def _poolable() -> bool:
    """Detach a connection going back to the pool from this thread's watch; False when the
    watch shut its socket down (it is closed instead of pooled)."""
    watch = _watch()
    return watch is None or watch.detach()


if TYPE_CHECKING:
    _ConnectionBase = urllib3.connection.HTTPConnection
    _PoolBase = urllib3.connectionpool.HTTPConnectionPool
else:  # mixins: the concrete classes below put urllib3's classes after them
    _ConnectionBase = _PoolBase = object


class _WatchedConnection(_ConnectionBase):
    """Registers its socket with the exchange's watch when it connects and per request. Over
    TLS (``_tls``) a duplicate of the plain socket is watched during the handshake, the TLS
    socket from the first request on."""

    _tls = False

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach_new(sock, tls=self._tls)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_request(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    """A plain connection whose socket the watch can shut down at the deadline."""


class _WatchedHTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    """A TLS connection whose socket the watch can shut down at the deadline."""

    _tls = True


# urllib3 returns a connection to the pool as soon as a body is read to its end, inside the
# read: _put_conn detaches it from the watch first, so a deadline firing a moment later can
# never shut down a socket that already serves another exchange.


class _WatchedPool(_PoolBase):
    """Closes a connection rather than pooling it when the watch already shut it down."""

    def _put_conn(self, conn: Any) -> None:
        if conn is not None and not _poolable():
            conn.close()
        super()._put_conn(conn)


class _WatchedHTTPPool(_WatchedPool, urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(_WatchedPool, urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _Adapter(requests.adapters.HTTPAdapter):
    """``HTTPAdapter`` whose pools make watched connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


# ------------------------------------------------------------------ the production transport


class RequestsTransport:
    """One keep-alive ``requests.Session`` whose pool matches the upstream concurrency.

    Requests are prepared outside ``Session.prepare_request`` (as PyODPS does), so only the
    headers we sign and send reach the wire. urllib3's own retries are off: retrying is the
    client's job, bounded by the caller's deadline. Each exchange ends by its request's
    ``deadline`` and reads at most ``max_body_bytes`` (see the module docstring).
    """

    def __init__(self, pool_size: int, *, verify: bool | str = True) -> None:
        self._session = requests.Session()
        self._session.trust_env = False
        # pool_block=False: a burst beyond the pool opens an extra (discarded) connection
        # instead of waiting for a free one without any timeout.
        adapter = _Adapter(
            pool_connections=1, pool_maxsize=pool_size, max_retries=0, pool_block=False
        )
        self.pool_size = pool_size
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._verify = verify
        self._closed = threading.Event()
        self._deadlines = _Reaper()

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send through the pooled session, mapping requests' exceptions to failures."""
        # Prepared as Request.prepare would (method, headers, body, Content-Length) minus
        # what cannot apply here: the URL is already encoded and must stay byte-identical
        # (prepare_url would parse and re-quote it), and there are no cookies, auth, params
        # or files. That parsing was a measurable part of each upstream read (docs/perf.md).
        prepared = requests.PreparedRequest()
        prepared.prepare_method(request.method)
        prepared.url = request.url
        prepared.prepare_headers(request.headers)
        prepared.body = request.body
        prepared.prepare_content_length(request.body)
        expires_at = request.deadline.expires_at if request.deadline is not None else math.inf
        watch = _Watch(expires_at)
        watched = math.isfinite(expires_at)
        if watched:
            self._deadlines.add(watch)
        _current.watch = watch
        try:
            return self._exchange(prepared, request, watch)
        except TransportFailure:
            raise
        except requests.exceptions.RequestException as exc:
            raise _failure(exc, watch) from exc
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
            raise _body_failure(exc, watch.fired) from exc
        finally:
            _current.watch = None
            if not watch.finish() and watched:
                self._deadlines.finished()

    def _exchange(
        self, prepared: requests.PreparedRequest, request: HttpRequest, watch: _Watch
    ) -> HttpResponse:
        resp = self._session.send(
            prepared,
            stream=True,
            timeout=(request.connect_timeout, request.read_timeout),
            verify=self._verify,
            allow_redirects=False,
        )
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(resp.headers)
        try:
            body = _read_body(resp, request, watch, headers)
        except BaseException:
            # Never drain an abandoned body back into the pool: close the connection.
            watch.abandon()
            resp.raw.close()
            resp.raw.release_conn()
            raise
        # Read to the end, so urllib3 has put the keep-alive connection back (a no-op then).
        resp.raw.release_conn()
        if watch.finish():
            # The watchdog cut the exchange short: what arrived may look complete (headers
            # or a body ended by the close) but is not.
            raise TransportFailure(FailureKind.READ_TIMEOUT, "deadline reached", sent=True)
        return HttpResponse(status=resp.status_code, headers=headers, body=body)

    def close(self) -> None:
        """Close the session and its pool."""
        if not self._closed.is_set():
            self._closed.set()
            self._session.close()


def _read_body(
    resp: requests.Response,
    request: HttpRequest,
    watch: _Watch,
    headers: Mapping[str, str],
) -> bytes:
    """The body in chunks, refusing it past ``max_body_bytes`` or the deadline."""
    limit = request.max_body_bytes
    # No body follows a HEAD, 204 or 304, whatever Content-Length says.
    bodiless = request.method == "HEAD" or resp.status_code in (204, 304)
    declared = None if bodiless else _content_length(headers)
    if limit is not None and declared is not None and declared > limit:
        raise _too_large(resp, headers, f"Content-Length {declared} exceeds {limit} bytes")
    expires_at = watch.expires_at
    buffer = io.BytesIO()
    size = 0
    for chunk in resp.raw.stream(_CHUNK_BYTES, decode_content=True):
        size += len(chunk)
        if limit is not None and size > limit:
            raise _too_large(resp, headers, f"more than {limit} bytes in the body")
        if time.monotonic() >= expires_at or watch.fired:
            raise TransportFailure(FailureKind.READ_TIMEOUT, "deadline reached", sent=True)
        buffer.write(chunk)
    return buffer.getvalue()


def _content_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value.split(",")[0].strip())
    except ValueError:
        return None  # urllib3 rejects it while reading


def _too_large(
    resp: requests.Response, headers: Mapping[str, str], detail: str
) -> TransportFailure:
    return TransportFailure(
        FailureKind.BODY_TOO_LARGE,
        detail,
        sent=True,
        response=HttpResponse(status=resp.status_code, headers=headers),
    )


def _failure(exc: requests.exceptions.RequestException, watch: _Watch) -> TransportFailure:
    """Map an exception of ``Session.send`` (connect, send, status line and headers)."""
    if watch.fired:
        # The watchdog closed the socket: a timeout, whatever error the read saw. Before the
        # request started to go out (connect, TLS handshake) nothing was sent.
        if not watch.sending:
            return TransportFailure(FailureKind.CONNECT_TIMEOUT, "deadline reached", sent=False)
        return TransportFailure(FailureKind.READ_TIMEOUT, "deadline reached", sent=True)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransportFailure(FailureKind.CONNECT_TIMEOUT, _describe(exc), sent=False)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return TransportFailure(FailureKind.READ_TIMEOUT, _describe(exc), sent=True)
    if isinstance(exc, requests.exceptions.ConnectionError) and _is_connect_error(exc):
        return TransportFailure(FailureKind.CONNECT_FAILED, _describe(exc), sent=False)
    # A reset, a broken chunked encoding, or anything else: assume the request may have
    # gone out, the safe side for creates.
    return TransportFailure(FailureKind.CONNECTION_RESET, _describe(exc), sent=True)


def _body_failure(exc: BaseException, deadline_fired: bool) -> TransportFailure:
    """Map an exception of urllib3 while the body streams."""
    if deadline_fired:
        return TransportFailure(FailureKind.READ_TIMEOUT, "deadline reached", sent=True)
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
        return TransportFailure(FailureKind.READ_TIMEOUT, _describe(exc), sent=True)
    return TransportFailure(FailureKind.CONNECTION_RESET, _describe(exc), sent=True)


def _is_connect_error(exc: requests.exceptions.ConnectionError) -> bool:
    # urllib3 wraps refused/unreachable connections in NewConnectionError; anything else
    # (ProtocolError, RemoteDisconnected, reset) happened after the request went out.
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, urllib3.exceptions.NewConnectionError | ConnectionRefusedError)


def _describe(exc: BaseException) -> str:
    # Exception text from requests includes the URL (ids and project, no credentials) but can
    # be long; the type name is what operators need.
    return type(exc).__name__
