"""A real gateway (GatewayServer on the test's event loop) over the session emulator.

Each test gets its own gateway: its own hub, upstream threads, metrics registry (counters
start at zero) and loopback port; the emulator is shared by the session.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_service_pb2, instance_service_pb2_grpc
from mcemulator import DURATION_HINT, Emulator
from mcgateway.metrics import GatewayMetrics
from mcgateway.server import GatewayServer
from mcgateway.testing import gateway_config_for
from mcgateway.upstream import Upstream
from mcgateway.watch import WatchHub


@dataclass
class WatchHarness:
    """Everything a watch test touches."""

    emulator: Emulator
    server: GatewayServer
    channel: grpc.aio.Channel
    stub: instance_service_pb2_grpc.InstanceServiceStub
    project: str

    @property
    def hub(self) -> WatchHub:
        """The gateway's watch hub."""
        hub = self.server.hub
        assert isinstance(hub, WatchHub)
        return hub

    @property
    def upstream(self) -> Upstream:
        """The gateway's upstream (its REST client, used to submit and stop instances)."""
        assert self.server.upstream is not None
        return self.server.upstream

    @property
    def metrics(self) -> GatewayMetrics:
        """The gateway's metrics."""
        return self.server.metrics

    async def submit(self, seconds: float, query: str = "select 1") -> str:
        """Submit a SQL instance that runs for ``seconds``; return its id."""
        up = self.upstream
        created = await up.run(
            up.client.create_sql_instance,
            self.project,
            query,
            hints={DURATION_HINT: str(seconds)},
            deadline=up.deadline(30),
        )
        return created.instance_id

    async def stop(self, instance_id: str) -> None:
        """Stop a running instance through the REST client."""
        up = self.upstream
        await up.run(up.client.stop_instance, self.project, instance_id, deadline=up.deadline(30))

    async def wait_terminated(self, instance_id: str) -> None:
        """Wait (through the REST client, not the hub) until the instance terminated."""
        while True:
            up = self.upstream
            instance = await up.run(
                up.client.wait_instance,
                self.project,
                instance_id,
                wait=20,
                deadline=up.deadline(30),
            )
            if instance.is_terminated:
                return

    def upstream_requests(self, operation: str | None = None) -> float:
        """``mcgateway_upstream_requests_total`` so far (one operation, or all)."""
        labels = {"operation": operation} if operation else None
        return self.metrics.value("mcgateway_upstream_requests_total", labels)

    def gauge(self, name: str, labels: dict[str, str] | None = None) -> float:
        """The current value of a gauge of the gateway's registry."""
        return self.metrics.value(name, labels)

    def watch(self, instance_id: str, **kwargs: Any) -> Any:
        """Open a WatchInstance stream."""
        return self.stub.WatchInstance(
            instance_service_pb2.WatchInstanceRequest(
                project=self.project, instance_id=instance_id, **kwargs
            )
        )


async def start_harness(emulator: Emulator, **overrides: Any) -> WatchHarness:
    """Start a gateway on the emulator with :data:`FAST` settings plus ``overrides``."""
    config = gateway_config_for(
        emulator,
        **{**FAST, **overrides},
    )
    server = GatewayServer(config, emulator=emulator)
    await server.start()
    channel = grpc.aio.insecure_channel(server.target)
    stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
    return WatchHarness(
        emulator=emulator, server=server, channel=channel, stub=stub, project=emulator.project
    )


async def stop_harness(harness: WatchHarness) -> None:
    """Stop the gateway (ending streams) and close the channel."""
    await harness.server.stop(grace=1.0)
    await harness.channel.close()


FAST: dict[str, Any] = {"progress_interval": 0.3}
"""Gateway settings of most tests: a short progress cadence keeps the suite quick."""


@pytest.fixture
async def harness(emulator: Emulator) -> AsyncIterator[WatchHarness]:
    """A started gateway with :data:`FAST` settings."""
    h = await start_harness(emulator)
    try:
        yield h
    finally:
        await stop_harness(h)


async def collect(call: Any) -> tuple[list[Any], grpc.StatusCode, str]:
    """Read a stream to its end: (messages, final code, details)."""
    messages = []
    try:
        while True:
            message = await call.read()
            if message is grpc.aio.EOF:
                break
            messages.append(message)
    except grpc.aio.AioRpcError as exc:
        return messages, exc.code(), exc.details() or ""
    return messages, await call.code(), await call.details() or ""


DOMAIN = "mcgateway.github.io"
"""The ``ErrorInfo.domain`` of every error the gateway returns."""


def error_info(exc: grpc.aio.AioRpcError) -> error_details_pb2.ErrorInfo:
    """The ErrorInfo detail of a failed call (its domain checked)."""
    status = rpc_status.from_call(exc)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            assert info.domain == DOMAIN, info
            return info
    raise AssertionError("no ErrorInfo")


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll a cheap in-process condition (not an assertion) until it holds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)
