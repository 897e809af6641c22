"""A raw-socket HTTP server that plays a hostile MaxCompute, for the upstream-bounds tests.

Subclasses decide how to answer each request (:meth:`HostileServer.answer`); the server reads
requests one after another on a keep-alive connection, records an :class:`Exchange` for
each, and notes when the client hung up, so a test can tell how long a client held on.
Shared by the REST transport's tests (tests/maxcompute) and the gateway's
(tests/reliability).
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Exchange", "HostileServer", "drip", "hung_up", "serving"]


@dataclass
class Exchange:
    """One request (or raw connection) as the hostile server saw it."""

    label: str
    """What the server tagged it with (its mode, or the instance id asked for)."""
    started: float
    closed_at: float | None = None
    """When the client was seen closing the connection (monotonic clock)."""
    sent: int = 0
    """Bytes the server managed to send."""
    gave_up: bool = False
    """The server ended the exchange itself (after its give-up time, or a whole body)."""


def hung_up(sock: socket.socket, wait: float) -> bool:
    """Whether the client closed (or shut down) its end within ``wait`` seconds."""
    readable, _, _ = select.select([sock], [], [], wait)
    if not readable:
        return False
    try:
        return sock.recv(65536) == b""
    except OSError:
        return True


def drip(
    sock: socket.socket, exchange: Exchange, interval: float, give_up: float, byte: bytes = b"a"
) -> bool:
    """Send ``byte`` every ``interval`` seconds until the client hangs up or ``give_up``
    seconds after the exchange started; record which. Returns False (close the connection)."""
    while time.monotonic() - exchange.started < give_up:
        if hung_up(sock, interval):
            exchange.closed_at = time.monotonic()
            return False
        sock.sendall(byte)
        exchange.sent += len(byte)
    exchange.gave_up = True
    return False


class HostileServer(socketserver.ThreadingTCPServer):
    """Records every exchange in :attr:`exchanges`; subclasses answer them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # many connections at once must not wait in a SYN retry

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.exchanges: list[Exchange] = []
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        """The MaxCompute endpoint URL of this server."""
        return f"http://127.0.0.1:{self.server_address[1]}/api"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose here

    def record(self, label: str) -> Exchange:
        """A new exchange, recorded."""
        exchange = Exchange(label, time.monotonic())
        with self.lock:
            self.exchanges.append(exchange)
        return exchange

    def take_over(self, sock: socket.socket) -> bool:
        """Handle a fresh connection below HTTP (a TLS test); True when it did."""
        return False

    def label(self, target: str) -> str:
        """The label of a request for ``target`` (the request line's path and query)."""
        return target

    def answer(self, sock: socket.socket, exchange: Exchange, target: str) -> bool:
        """Answer one request; True keeps the connection for the next one."""
        raise NotImplementedError


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: HostileServer = self.server  # type: ignore[assignment]
        sock: socket.socket = self.request
        if server.take_over(sock):
            return
        while True:  # keep-alive: one request after another
            head = b""
            while b"\r\n\r\n" not in head:
                try:
                    data = sock.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                head += data
            target = head.split(b" ", 2)[1].decode()
            exchange = server.record(server.label(target))
            try:
                if not server.answer(sock, exchange, target):
                    return
            except OSError:
                exchange.closed_at = time.monotonic()
                return


_S = TypeVar("_S", bound=HostileServer)


@contextmanager
def serving(server: _S) -> Iterator[_S]:
    """Serve ``server`` on a thread for the block."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
