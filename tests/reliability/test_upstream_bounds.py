"""A real gateway process against a hostile MaxCompute: upstream reads are bounded.

The hostile upstream answers the MaxCompute instance paths by instance id: ``drip-*`` drips
its answer one byte every 0.3 s (no read ever times out), ``huge-*`` streams a 200 MB task
result without ``Content-Length`` (generated as it is sent, never held), anything else
answers at once. Each test prints its figure:

- a call's upstream request ends (the hostile server sees the connection close) within a
  second of the call's deadline;
- a 200 MB answer raises the gateway's RSS by no more than its body cap plus 16 MB, and the
  RPC fails with a clear FAILED_PRECONDITION pointing to streaming reads;
- 40 concurrent drip-fed calls (more than the 32 upstream threads) do not keep a healthy
  call from completing promptly.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import psutil
import pytest
from hostile_http import Exchange, HostileServer, drip, serving
from maxcompute.gateway.v1 import instance_service_pb2

from reliability.harness import (
    GatewayProcess,
    error_details,
    error_info,
    gateway_process,
    stub,
)

pb = instance_service_pb2

CAP = 8 * 1024 * 1024
"""The gateway's ``--upstream-max-body-bytes`` in these tests (8 MiB)."""
HUGE = 200 * 1024 * 1024
"""Size of the oversized task result (200 MB)."""
DRIP_INTERVAL = 0.3
"""Seconds between two dripped bytes."""
GIVE_UP = 20.0
"""The hostile server ends a drip itself after this long (a gateway without bounds would
otherwise hold the connection for good)."""
DEADLINE = 2.0
"""Deadline of the drip-fed calls."""
SLACK = 1.0
"""How long after its call's deadline an upstream request may still be open."""
RSS_SLACK = 16 * 1024 * 1024
"""Allowed RSS growth beyond the cap while the oversized answer is read."""

INSTANCE = b"<Instance><Status>Running</Status></Instance>"
TASKS = (
    b'<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name>'
    b"<Status>Running</Status></Task></Tasks></Instance>"
)
RESULTS = (
    b'<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name>'
    b'<Result Format="text">ok</Result></Task></Tasks></Instance>'
)


class HostileMaxCompute(HostileServer):
    """Answers MaxCompute instance paths by instance id; exchanges are labelled with it."""

    def label(self, target: str) -> str:
        parts = target.partition("?")[0].split("/")
        return parts[5] if len(parts) > 5 and parts[2] == "projects" else ""

    def of(self, prefix: str) -> list[Exchange]:
        """The exchanges about instances whose id starts with ``prefix``."""
        with self.lock:
            return [e for e in self.exchanges if e.label.startswith(prefix)]

    def answer(self, sock: socket.socket, exchange: Exchange, target: str) -> bool:
        iid, query = exchange.label, target.partition("?")[2]
        if iid.startswith("drip"):
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n")
            sock.sendall(b"Content-Length: 100000\r\n\r\n<")
            return drip(sock, exchange, DRIP_INTERVAL, GIVE_UP)
        if iid.startswith("huge") and query.startswith("result"):
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            block = b"x" * (256 * 1024)
            frame = f"{len(block):x}\r\n".encode() + block + b"\r\n"
            while exchange.sent < HUGE:
                sock.sendall(frame)
                exchange.sent += len(block)
            sock.sendall(b"0\r\n\r\n")
            exchange.gave_up = True
            return False
        if query.startswith("taskstatus"):
            body = TASKS
        elif query.startswith("result"):
            body = RESULTS
        else:
            body = INSTANCE
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        return True


@pytest.fixture(scope="module")
def upstream() -> Iterator[HostileMaxCompute]:
    with serving(HostileMaxCompute()) as server:
        yield server


@pytest.fixture(scope="module")
def gateway(
    upstream: HostileMaxCompute, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GatewayProcess]:
    workdir: Path = tmp_path_factory.mktemp("upstream-bounds")
    args = [
        "--endpoint", upstream.endpoint,
        "--project", "demo",
        "--upstream-max-body-bytes", str(CAP),
    ]  # fmt: skip
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "key"}
    with gateway_process(workdir, args, env=env) as gw:
        yield gw


@pytest.fixture(scope="module")
def channel(gateway: GatewayProcess) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(gateway.target) as ch:
        grpc.channel_ready_future(ch).result(timeout=30)
        yield ch


def _healthy(s: Any, timeout: float, iid: str = "healthy1") -> float:
    """A GetInstance answered at once upstream; returns its latency."""
    started = time.monotonic()
    response = s.GetInstance(pb.GetInstanceRequest(instance_id=iid), timeout=timeout)
    assert response.instance_id == iid
    return time.monotonic() - started


def _wait_closed(exchanges: list[Exchange], budget: float = GIVE_UP + 5) -> None:
    give_up = time.monotonic() + budget
    while not all(e.closed_at is not None or e.gave_up for e in exchanges):
        assert time.monotonic() < give_up, "the hostile upstream never saw the ends"
        time.sleep(0.01)


def test_a_drip_fed_upstream_request_ends_within_a_second_of_the_deadline(
    upstream: HostileMaxCompute, channel: grpc.Channel
) -> None:
    s = stub(channel)
    _healthy(s, 10)  # connections and threads warm
    started = time.monotonic()
    deadline_at = started + DEADLINE
    with pytest.raises(grpc.RpcError) as info:
        s.GetInstance(pb.GetInstanceRequest(instance_id="drip-single"), timeout=DEADLINE)
    failed = time.monotonic() - started
    code = info.value.code()  # type: ignore[attr-defined]
    assert code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE)
    exchanges = upstream.of("drip-single")
    assert len(exchanges) == 1
    _wait_closed(exchanges)
    (exchange,) = exchanges
    assert exchange.closed_at is not None, "the gateway held the request until the server quit"
    overrun = exchange.closed_at - deadline_at
    print(
        f"\nupstream request closed {overrun:+.3f} s after the call's {DEADLINE:g} s deadline "
        f"(call failed after {failed:.3f} s, {code.name}; {exchange.sent} bytes dripped)"
    )
    assert overrun <= SLACK


class _PeakRss:
    """Samples a process's RSS every 2 ms in a thread; ``peak`` is the highest seen."""

    def __init__(self, pid: int) -> None:
        self._proc = psutil.Process(pid)
        self.baseline = self._proc.memory_info().rss
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.002)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.05)
        self._stop.set()
        self._thread.join()


def test_a_200_mb_answer_stays_within_the_cap_and_fails_clearly(
    upstream: HostileMaxCompute, channel: grpc.Channel, gateway: GatewayProcess
) -> None:
    s = stub(channel)
    # Warm every path the oversized read takes, so only its body shows in the RSS.
    for _ in range(3):
        s.ListTaskResults(pb.ListTaskResultsRequest(instance_id="healthy1"), timeout=10)
    time.sleep(0.2)
    with _PeakRss(gateway.pid) as rss:
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as info:
            s.ListTaskResults(pb.ListTaskResultsRequest(instance_id="huge-1"), timeout=60)
        took = time.monotonic() - started
    growth = rss.peak - rss.baseline
    exchanges = upstream.of("huge-1")
    _wait_closed(exchanges)
    sent = sum(e.sent for e in exchanges)
    print(
        f"\npeak RSS growth {growth / 2**20:.1f} MiB with an {CAP / 2**20:g} MiB cap "
        f"(baseline {rss.baseline / 2**20:.0f} MiB); failed after {took:.3f} s; the upstream "
        f"sent {sent / 2**20:.1f} MiB of {HUGE / 2**20:g} MiB"
    )
    code = info.value.code()  # type: ignore[attr-defined]
    reason, message = error_details(info.value)
    assert code is grpc.StatusCode.FAILED_PRECONDITION, message
    # The gateway's bound on MaxCompute's answer refused it: the REST client's code for
    # that travels where MaxCompute's own codes do.
    assert reason == "UPSTREAM_FAILED_PRECONDITION"
    assert error_info(info.value).metadata["maxcompute_code"] == "ResponseTooLarge"
    assert "8 MiB" in message and "upstream_max_body_bytes" in message, message
    assert "instance tunnel" in message and "ReadInstanceResult" in message, message
    assert len(exchanges) == 1  # not retried
    assert not any(e.gave_up for e in exchanges), "the gateway read the whole body"
    assert growth <= CAP + RSS_SLACK
    assert gateway.alive()


def test_drip_fed_calls_do_not_starve_a_healthy_one(
    upstream: HostileMaxCompute, channel: grpc.Channel
) -> None:
    s = stub(channel)
    _healthy(s, 10)
    calls = 40  # more than the gateway's 32 upstream threads

    def drip(i: int) -> grpc.StatusCode:
        try:
            s.GetInstance(pb.GetInstanceRequest(instance_id=f"drip-many-{i}"), timeout=DEADLINE)
        except grpc.RpcError as exc:
            return exc.code()  # type: ignore[attr-defined,no-any-return]
        return grpc.StatusCode.OK

    with ThreadPoolExecutor(calls + 1) as pool:
        started = time.monotonic()
        drips = [pool.submit(drip, i) for i in range(calls)]
        time.sleep(0.3)
        # Issued while every upstream thread is held by a drip: it waits for them, but no
        # longer than their deadline.
        during = pool.submit(_healthy, s, 2 * DEADLINE + 1, "healthy-during")
        codes = [f.result() for f in drips]
        drips_done = time.monotonic() - started
        latency_during = during.result()
    # Right after the drip-fed calls failed, their threads are free again.
    latency_after = _healthy(s, 1.0, "healthy-after")
    exchanges = upstream.of("drip-many-")
    _wait_closed(exchanges)
    overruns = [e.closed_at - started - DEADLINE for e in exchanges if e.closed_at is not None]
    print(
        f"\n{calls} drip-fed calls failed within {drips_done:.3f} s ({len(exchanges)} reached "
        f"the upstream, last closed {max(overruns, default=0):+.3f} s after the deadline); a "
        f"healthy call issued meanwhile took {latency_during:.3f} s, one issued after "
        f"{latency_after:.3f} s"
    )
    assert all(c is not grpc.StatusCode.OK for c in codes)
    assert not any(e.gave_up for e in exchanges)
    assert max(overruns, default=0.0) <= SLACK
    assert latency_during < DEADLINE + SLACK
    assert latency_after < 0.5


def test_the_cap_is_a_documented_setting() -> None:
    from mcgateway.config import ConfigError, GatewayConfig, load_config

    assert GatewayConfig().upstream_max_body_bytes == 64 * 1024 * 1024
    env = {"MCGATEWAY_UPSTREAM_MAX_BODY_BYTES": str(CAP)}
    assert load_config({}, environ=env).upstream_max_body_bytes == CAP
    with pytest.raises(ConfigError):
        GatewayConfig(upstream_max_body_bytes=1024)
