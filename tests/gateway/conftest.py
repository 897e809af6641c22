"""Fixtures of the gateway tests: a stub on the session gateway."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from maxcompute.gateway.v1 import instance_service_pb2_grpc
from mcgateway.testing import GatewayThread


@pytest.fixture(scope="session")
def channel(gateway: GatewayThread) -> Iterator[grpc.Channel]:
    """A channel to the session gateway."""
    with grpc.insecure_channel(gateway.target) as ch:
        yield ch


@pytest.fixture(scope="session")
def stub(channel: grpc.Channel) -> instance_service_pb2_grpc.InstanceServiceStub:
    """An InstanceService stub on the session gateway."""
    return instance_service_pb2_grpc.InstanceServiceStub(channel)
