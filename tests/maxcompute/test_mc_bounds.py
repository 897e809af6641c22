"""Bounds of every upstream read: the body size cap and the attempt's wall-clock deadline.

A tiny raw-socket server plays a hostile MaxCompute: bodies far over the cap (announced by
``Content-Length`` or streamed chunked without one), and answers dripped one byte at a time
(in the body or still in the headers) just fast enough that no socket read ever times out.
The real ``RequestsTransport`` must stop each in time and close the connection.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import pytest
from hostile_http import Exchange, HostileServer, drip, serving
from mc_helpers import Script, xml
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    Deadline,
    ErrorCategory,
    FailureKind,
    HttpRequest,
    MaxComputeClient,
    MaxComputeError,
    RequestsTransport,
    RetryPolicy,
    SyntheticCode,
    TransportFailure,
    UpstreamRequest,
)

CAP = 1024 * 1024
"""The body cap of these tests' clients (1 MiB)."""
HUGE = 200 * 1024 * 1024
"""Size of an oversized body (200 MB), generated as it is sent, never held."""
DRIP_INTERVAL = 0.3
"""Seconds between two bytes of a dripped answer: well inside any read timeout."""
GIVE_UP = 10.0
"""The hostile server stops after this long, so a client without bounds fails slowly, not never."""
DEADLINE = 2.0
"""The caller's deadline in the drip tests."""
SLACK = 1.0
"""How long after its deadline a request may still hold its connection."""
IID = "20260101000000000abcdefg1"
SMALL = b"<Instance><Status>Running</Status></Instance>"


class _Hostile(HostileServer):
    """Answers by :attr:`mode`, which each test sets; every exchange is labelled with it."""

    def __init__(self) -> None:
        super().__init__()
        self.mode = "ok"

    def take_over(self, sock: socket.socket) -> bool:
        if self.mode != "drip_tls":
            return False
        # Take the ClientHello, announce a 16 KiB handshake record, then drip it.
        exchange = self.record("drip_tls")
        try:
            sock.recv(65536)
            sock.sendall(b"\x16\x03\x03\x40\x00\x02")
            drip(sock, exchange, DRIP_INTERVAL, GIVE_UP, b"\x00")
        except OSError:
            exchange.closed_at = time.monotonic()
        return True

    def label(self, target: str) -> str:
        return self.mode

    def answer(self, sock: socket.socket, exchange: Exchange, target: str) -> bool:
        mode = exchange.label
        if mode == "ok":
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n"
                + f"Content-Length: {len(SMALL)}\r\n\r\n".encode()
                + SMALL
            )
            return True
        if mode in ("length", "chunked"):
            framing = (
                f"Content-Length: {HUGE}" if mode == "length" else "Transfer-Encoding: chunked"
            )
            sock.sendall(f"HTTP/1.1 200 OK\r\n{framing}\r\n\r\n".encode())
            block = b"<" + b"x" * (64 * 1024 - 1)
            while exchange.sent < HUGE:
                if mode == "chunked":
                    sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                else:
                    sock.sendall(block)
                exchange.sent += len(block)
            exchange.gave_up = True
            return False
        # Drip feeds: one byte per interval, watching for the client to hang up in between.
        if mode == "drip_body":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<")
        else:
            sock.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        return drip(sock, exchange, DRIP_INTERVAL, GIVE_UP)


@pytest.fixture
def hostile() -> Iterator[_Hostile]:
    with serving(_Hostile()) as server:
        yield server


@pytest.fixture
def client_for(
    events: list[UpstreamRequest],
) -> Iterator[Callable[[_Hostile], MaxComputeClient]]:
    clients: list[MaxComputeClient] = []

    def make(server: _Hostile) -> MaxComputeClient:
        config = ClientConfig(
            endpoint=server.endpoint,
            credentials=Credentials("id", "key"),
            default_project="demo",
            max_body_bytes=CAP,
            retry=RetryPolicy(initial_backoff=0.01, max_backoff=0.02),
        )
        client = MaxComputeClient(config, observer=events.append)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _wait_closed(server: _Hostile, budget: float = 15.0) -> Exchange:
    """The last connection, once the server saw it end."""
    give_up = time.monotonic() + budget
    while time.monotonic() < give_up:
        with server.lock:
            last = server.exchanges[-1] if server.exchanges else None
        if last is not None and (last.closed_at is not None or last.gave_up):
            return last
        time.sleep(0.01)
    raise AssertionError("the hostile server never saw the connection end")


@pytest.mark.parametrize("mode", ["length", "chunked"])
def test_oversized_body_is_refused_quickly_and_its_connection_closed(
    hostile: _Hostile,
    client_for: Callable[[_Hostile], MaxComputeClient],
    events: list[UpstreamRequest],
    mode: str,
) -> None:
    client = client_for(hostile)
    hostile.mode = mode
    started = time.monotonic()
    with pytest.raises(MaxComputeError) as info:
        client.get_task_results("demo", IID, deadline=Deadline.after(20))
    took = time.monotonic() - started
    seen = _wait_closed(hostile)
    print(f"\n{mode}: refused after {took:.3f} s; server sent {seen.sent} body bytes")
    error = info.value
    assert error.code == SyntheticCode.RESPONSE_TOO_LARGE
    assert error.category is ErrorCategory.WRONG_STATE
    assert f"{CAP} bytes" in error.message and "max_body_bytes" in error.message
    assert error.http_status == 200 and error.operation == "get_task_results"
    assert took < 2.0
    # Not retried: one request, one attempt reported.
    assert len(hostile.exchanges) == 1 and [e.attempt for e in events] == [1]
    assert events[0].error_code == SyntheticCode.RESPONSE_TOO_LARGE
    # The client hung up long before the body's end instead of reading (or draining) it.
    assert not seen.gave_up and seen.closed_at is not None
    assert seen.sent < 64 * 1024 * 1024
    if mode == "length":
        assert "Content-Length" in error.message


def test_after_an_oversized_body_the_next_request_gets_a_fresh_connection(
    hostile: _Hostile, client_for: Callable[[_Hostile], MaxComputeClient]
) -> None:
    client = client_for(hostile)
    hostile.mode = "chunked"
    with pytest.raises(MaxComputeError):
        client.get_instance("demo", IID, deadline=Deadline.after(10))
    hostile.mode = "ok"
    assert client.get_instance("demo", IID, deadline=Deadline.after(10)).status.value


@pytest.mark.parametrize("mode", ["drip_body", "drip_head"])
def test_a_dripped_answer_ends_by_the_deadline(
    hostile: _Hostile,
    client_for: Callable[[_Hostile], MaxComputeClient],
    mode: str,
) -> None:
    client = client_for(hostile)
    hostile.mode = mode
    started = time.monotonic()
    deadline_at = started + DEADLINE
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", IID, deadline=Deadline.at(deadline_at))
    failed_at = time.monotonic()
    seen = _wait_closed(hostile)
    assert seen.closed_at is not None, "the server gave up before the client did"
    print(
        f"\n{mode}: call failed {failed_at - deadline_at:+.3f} s and the connection was "
        f"closed {seen.closed_at - deadline_at:+.3f} s after the {DEADLINE:g} s deadline "
        f"({seen.sent} bytes dripped)"
    )
    # The caller's deadline bounded the wait: it is what ran out.
    assert info.value.code == SyntheticCode.DEADLINE_EXCEEDED
    assert info.value.category is ErrorCategory.TIMED_OUT
    assert failed_at - started < DEADLINE + 1.5  # generous; the figure above is the real one
    assert seen.closed_at - deadline_at <= SLACK


def test_the_transport_alone_honours_the_deadline_and_the_cap(hostile: _Hostile) -> None:
    """Without the requester: a dripped body is a read timeout, an oversized one is refused."""
    transport = RequestsTransport(pool_size=2)
    url = f"{hostile.endpoint}/x"
    try:
        hostile.mode = "drip_body"
        started = time.monotonic()
        request = HttpRequest("GET", url, {}, None, 1.0, 1.0, deadline=Deadline.after(1.0))
        with pytest.raises(TransportFailure) as info:
            transport.send(request)
        assert info.value.kind == FailureKind.READ_TIMEOUT and info.value.sent
        assert time.monotonic() - started < 1.5
        hostile.mode = "length"
        with pytest.raises(TransportFailure) as info:
            transport.send(HttpRequest("GET", url, {}, None, 1.0, 1.0, max_body_bytes=CAP))
        assert info.value.kind == FailureKind.BODY_TOO_LARGE
        assert info.value.response is not None and info.value.response.status == 200
        hostile.mode = "ok"
        resp = transport.send(HttpRequest("GET", url, {}, None, 1.0, 1.0, max_body_bytes=CAP))
        assert resp.body == SMALL
    finally:
        transport.close()


def test_a_dripped_tls_handshake_ends_by_the_deadline_as_a_connect_timeout(
    hostile: _Hostile,
) -> None:
    """Nothing was sent while the handshake hung, so the failure says so (safe to retry)."""
    transport = RequestsTransport(pool_size=1)
    hostile.mode = "drip_tls"
    url = f"https://127.0.0.1:{hostile.server_address[1]}/api/x"
    started = time.monotonic()
    deadline = Deadline.after(1.0)
    try:
        with pytest.raises(TransportFailure) as info:
            transport.send(HttpRequest("GET", url, {}, None, 5.0, 5.0, deadline=deadline))
    finally:
        transport.close()
    took = time.monotonic() - started
    seen = _wait_closed(hostile)
    assert seen.closed_at is not None
    print(
        f"\ndrip_tls: failed after {took:.3f} s, the connection closed "
        f"{seen.closed_at - deadline.expires_at:+.3f} s after the 1 s deadline"
    )
    assert info.value.kind == FailureKind.CONNECT_TIMEOUT and not info.value.sent
    assert took < 1.0 + SLACK
    assert seen.closed_at - deadline.expires_at <= SLACK


def test_finished_requests_do_not_pile_up_in_the_deadline_watchdog(hostile: _Hostile) -> None:
    """Thousands of quick requests with long deadlines leave no trail behind them."""
    transport = RequestsTransport(pool_size=1)
    url = f"{hostile.endpoint}/x"
    try:
        for _ in range(1200):
            transport.send(HttpRequest("GET", url, {}, None, 1.0, 1.0, deadline=Deadline.after(60)))
        pending = len(transport._deadlines._heap)
        assert pending <= 600, pending
        assert len(hostile.exchanges) == 1200
    finally:
        transport.close()


def test_the_cap_holds_for_any_transport(
    make_client: Callable[..., MaxComputeClient], script: Script
) -> None:
    """A transport that returns whole bodies (a handler) gets the same, final error."""
    client = make_client(max_body_bytes=100)
    script.add(xml(200, "<Instance>" + "x" * 200 + "</Instance>"), xml(200, "<Instance/>"))
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", IID)
    assert info.value.code == SyntheticCode.RESPONSE_TOO_LARGE
    assert len(script.requests) == 1  # not retried
    assert script.requests[0].max_body_bytes == 100
    assert script.requests[0].deadline is not None
    assert client.max_body_bytes == 100


def test_an_oversized_answer_to_a_create_is_ambiguous(
    make_client: Callable[..., MaxComputeClient], script: Script
) -> None:
    """The server acted on the POST but its answer was refused: the create must look for it."""
    client = make_client(max_body_bytes=100)
    script.add(xml(201, "<Instance>" + "x" * 200 + "</Instance>"))
    with pytest.raises(MaxComputeError) as info:
        client._requester.call("create_instance", "POST", ["projects", "demo", "instances"])
    assert info.value.code == SyntheticCode.RESPONSE_TOO_LARGE and info.value.ambiguous
    script.add(xml(403, "<Error>" + "x" * 200 + "</Error>"))
    with pytest.raises(MaxComputeError) as info:
        client._requester.call("create_instance", "POST", ["projects", "demo", "instances"])
    assert not info.value.ambiguous  # a rejection
    assert len(script.requests) == 2


def test_the_cap_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ClientConfig(endpoint="http://h/api", credentials=Credentials("id", "k"), max_body_bytes=0)
