"""Public surfaces: explicit export lists, and UNIMPLEMENTED watch RPCs without a watch hub."""

from __future__ import annotations

import importlib
import inspect

import grpc
import pytest
from mcgateway.config import GatewayConfig
from mcgateway.server import GatewayServer
from mcgateway.testing import GatewayThread

from gateway.support import expect_error, pb, stub_for

MODULES = [
    "mcgateway.auth",
    "mcgateway.cache",
    "mcgateway.cli",
    "mcgateway.config",
    "mcgateway.logs",
    "mcgateway.metrics",
    "mcgateway.server",
    "mcgateway.testing",
    "mcgateway.upstream",
    "mcgateway.service.chokepoint",
    "mcgateway.service.convert",
    "mcgateway.service.errors",
    "mcgateway.service.paging",
    "mcgateway.service.servicer",
    "mcgateway.service.validation",
]


@pytest.mark.parametrize("name", MODULES)
def test_export_lists_are_explicit_and_documented(name):
    module = importlib.import_module(name)
    assert module.__doc__, name
    exported = module.__all__
    assert len(exported) == len(set(exported))
    for item in exported:
        obj = getattr(module, item)  # every exported name exists
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert getattr(obj, "__doc__", None), f"{name}.{item} has no docstring"


def test_watch_rpcs_are_unimplemented_without_a_hub(emulator, monkeypatch):
    monkeypatch.setattr(GatewayServer, "_build_hub", lambda self, upstream: None)
    config = GatewayConfig(
        listen="127.0.0.1:0",
        endpoint=emulator.endpoint,
        project=emulator.project,
        access_id=emulator.access_id,
        access_key=emulator.access_key,
    )
    with GatewayThread(config) as gw:
        assert gw.server.hub is None
        stub = stub_for(gw.target)
        err = expect_error(stub.WaitInstance, pb.WaitInstanceRequest(instance_id="x1"))
        assert err.code is grpc.StatusCode.UNIMPLEMENTED
        assert err.error_info is not None and err.error_info.reason == "NOT_IMPLEMENTED"
        for call in (
            lambda: list(stub.WatchInstance(pb.WatchInstanceRequest(instance_id="x1"))),
            lambda: list(stub.WatchInstances(pb.WatchInstancesRequest())),
        ):
            assert expect_error(call).code is grpc.StatusCode.UNIMPLEMENTED
        # The unary RPCs are unaffected.
        assert stub.InstanceExists(pb.InstanceExistsRequest(instance_id="x1")).exists is False
