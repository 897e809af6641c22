"""Helpers of the gateway tests: stubs, submissions, waits and rich-error decoding."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc

pb = instance_service_pb2
DURATION_HINT = "mcemulator.duration_seconds"

COVERED: set[str] = set()
"""RPC names that have an end-to-end test (filled by :func:`covers` at import time)."""


def covers(*methods: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a test as the end-to-end test of ``methods`` (checked against the descriptor)."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        COVERED.update(methods)
        return fn

    return mark


def stub_for(target: str) -> instance_service_pb2_grpc.InstanceServiceStub:
    """A stub on a fresh insecure channel."""
    return instance_service_pb2_grpc.InstanceServiceStub(grpc.insecure_channel(target))


def submit_sql(
    stub: instance_service_pb2_grpc.InstanceServiceStub,
    query: str,
    *,
    duration: float | None = None,
    request_id: str = "",
    project: str = "",
) -> instance_pb2.Instance:
    """Submit a query (``duration`` sets the emulator's simulated run time)."""
    hints = {DURATION_HINT: str(duration)} if duration is not None else {}
    response = stub.SubmitSql(
        pb.SubmitSqlRequest(project=project, query=query, hints=hints, request_id=request_id),
        timeout=30,
    )
    return response.instance


def wait_terminated(
    stub: instance_service_pb2_grpc.InstanceServiceStub, instance_id: str, budget: float = 60.0
) -> instance_pb2.Instance:
    """WaitInstance until the instance is terminated (each call waits up to 10 s)."""
    give_up = time.monotonic() + budget
    while True:
        response = stub.WaitInstance(
            pb.WaitInstanceRequest(instance_id=instance_id, timeout={"seconds": 10}), timeout=20
        )
        if response.instance.status == instance_pb2.STATUS_TERMINATED:
            return response.instance
        assert time.monotonic() < give_up, f"{instance_id} did not terminate"


def wait_until(condition: Callable[[], bool], budget: float = 20.0, what: str = "") -> None:
    """Poll ``condition`` (every 10 ms) until it holds; fail after ``budget`` seconds."""
    give_up = time.monotonic() + budget
    while not condition():
        assert time.monotonic() < give_up, f"timed out waiting for {what or condition}"
        time.sleep(0.01)


@dataclass
class RichError:
    """The parts of a failed call's ``google.rpc.Status``."""

    code: grpc.StatusCode
    message: str
    error_info: error_details_pb2.ErrorInfo | None = None
    bad_request: error_details_pb2.BadRequest | None = None
    retry_info: error_details_pb2.RetryInfo | None = None
    request_info: error_details_pb2.RequestInfo | None = None
    trailers: dict[str, Any] = field(default_factory=dict)

    @property
    def violations(self) -> dict[str, str]:
        """field → description of the BadRequest detail."""
        assert self.bad_request is not None, f"no BadRequest detail in {self.message!r}"
        return {v.field: v.description for v in self.bad_request.field_violations}


def rich_error(exc: grpc.RpcError) -> RichError:
    """Decode ``exc`` (a grpc.Call) into a :class:`RichError`."""
    call: Any = exc
    status = rpc_status.from_call(call)
    out = RichError(call.code(), call.details())
    out.trailers = {k: v for k, v in (call.trailing_metadata() or ())}
    if status is None:
        return out
    assert status.code == call.code().value[0]
    for detail in status.details:
        for name, cls in (
            ("error_info", error_details_pb2.ErrorInfo),
            ("bad_request", error_details_pb2.BadRequest),
            ("retry_info", error_details_pb2.RetryInfo),
            ("request_info", error_details_pb2.RequestInfo),
        ):
            if detail.Is(cls.DESCRIPTOR):
                message = cls()
                detail.Unpack(message)
                assert getattr(out, name) is None, f"{name} appears twice"
                setattr(out, name, message)
    return out


def expect_error(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> RichError:
    """Call ``fn`` expecting an RpcError; return it decoded."""
    try:
        fn(*args, **kwargs)
    except grpc.RpcError as exc:
        return rich_error(exc)
    raise AssertionError(f"{fn} did not fail")
