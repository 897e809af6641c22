"""Completeness from the descriptor: every RPC has a servicer method and an end-to-end test."""

from __future__ import annotations

import inspect

from maxcompute.gateway.v1 import instance_service_pb2
from mcgateway.service.servicer import InstanceServicer

from gateway import test_depth_rpcs, test_execute_sql, test_read_result, test_rpcs
from gateway.support import COVERED

SERVICE = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"]


def test_every_rpc_has_a_servicer_method():
    for method in SERVICE.methods:
        # Overridden in InstanceServicer itself, not the generated UNIMPLEMENTED base method.
        assert method.name in vars(InstanceServicer), method.name
        impl = getattr(InstanceServicer, method.name)
        # Coroutines all: grpc.aio would run a plain function in a thread, and the streams
        # send with context.write (an async generator would hold more per open stream).
        assert inspect.iscoroutinefunction(impl), method.name


def test_every_rpc_has_an_end_to_end_test():
    # The registry is filled when the test modules are imported.
    assert test_rpcs.__name__ and test_depth_rpcs.__name__ and test_execute_sql.__name__
    assert test_read_result.__name__
    names = {m.name for m in SERVICE.methods}
    assert names - COVERED == set(), f"RPCs without an end-to-end test: {names - COVERED}"
    assert COVERED - names == set()
