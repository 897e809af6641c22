"""Fixtures of the HTTP/JSON tests: a gateway with its HTTP listener on the session emulator,
a gRPC stub on the same gateway (to set up instances), and an aiohttp client per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aiohttp
import grpc
import pytest
from maxcompute.gateway.v1 import instance_service_pb2_grpc
from mcgateway.testing import GatewayThread, gateway_config_for

CORS_ORIGIN = "https://dashboard.example"
HEARTBEAT = 0.3


@pytest.fixture(scope="session")
def http_gateway(emulator) -> Iterator[GatewayThread]:
    """A gateway serving gRPC and HTTP (loopback, ephemeral ports, no auth), SSE heartbeats
    every ``HEARTBEAT`` seconds of silence and one allowed CORS origin."""
    config = gateway_config_for(
        emulator,
        http_listen="127.0.0.1:0",
        http_sse_heartbeat=HEARTBEAT,
        http_cors_origin=(CORS_ORIGIN,),
    )
    with GatewayThread(config) as gw:
        yield gw


@pytest.fixture(scope="session")
def base(http_gateway: GatewayThread) -> str:
    """``http://127.0.0.1:PORT`` of the HTTP listener."""
    url = http_gateway.server.http_url
    assert url is not None
    return url


@pytest.fixture(scope="session")
def stub(http_gateway: GatewayThread) -> Iterator[instance_service_pb2_grpc.InstanceServiceStub]:
    """A gRPC stub on the same gateway."""
    with grpc.insecure_channel(http_gateway.target) as channel:
        yield instance_service_pb2_grpc.InstanceServiceStub(channel)


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    """An aiohttp client session (closed after the test)."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=90)) as session:
        yield session
