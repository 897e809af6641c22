"""Helpers of the gateway tests: stubs, submissions, waits and rich-error decoding."""

from __future__ import annotations

import email.utils
import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc
from mcemulator import Emulator
from mcemulator.signing import sign_headers

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


def sql_job(
    query: str, *, duration: float | None = None, priority: int | None = None
) -> instance_pb2.SqlJob:
    """A SqlJob (``duration`` sets the emulator's simulated run time)."""
    hints = {DURATION_HINT: str(duration)} if duration is not None else {}
    return instance_pb2.SqlJob(query=query, hints=hints, priority=priority)


def submit_sql(
    stub: instance_service_pb2_grpc.InstanceServiceStub,
    query: str,
    *,
    duration: float | None = None,
    request_id: str = "",
    project: str = "",
    priority: int | None = None,
) -> instance_pb2.Instance:
    """Submit a query (``duration`` sets the emulator's simulated run time)."""
    response = stub.SubmitSql(
        pb.SubmitSqlRequest(
            project=project,
            job=sql_job(query, duration=duration, priority=priority),
            request_id=request_id,
        ),
        timeout=30,
    )
    return response.instance


def create_multi_task_instance(
    emulator: Emulator, queries: dict[str, str], *, duration: float = 0.05
) -> str:
    """Create a SQL instance of several tasks (name → query) straight in the emulator, which
    SubmitSql (one ``AnonymousSQLTask``) cannot; returns its id."""
    settings = escape(json.dumps({DURATION_HINT: str(duration)}))
    tasks = "".join(
        f"<SQL><Name>{name}</Name><Config><Property><Name>settings</Name>"
        f"<Value>{settings}</Value></Property></Config>"
        f"<Query><![CDATA[{query}]]></Query></SQL>"
        for name, query in queries.items()
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Instance><Job><Priority>9</Priority>'
        f"<Tasks>{tasks}</Tasks><DAG><RunMode>Sequence</RunMode></DAG></Job></Instance>"
    ).encode()
    resource = f"/projects/{emulator.project}/instances"
    headers = sign_headers(
        "POST",
        resource,
        {"Date": email.utils.formatdate(usegmt=True), "Content-Type": "application/xml"},
        emulator.access_id,
        emulator.access_key,
    )
    request = urllib.request.Request(
        emulator.endpoint + resource, data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201, response.read()
        location: str = response.headers["Location"]
    return location.rsplit("/", 1)[1]


def wait_terminated(
    stub: instance_service_pb2_grpc.InstanceServiceStub, instance_id: str, budget: float = 60.0
) -> instance_pb2.Instance:
    """WaitInstance until the instance is terminated (each call waits up to 10 s)."""
    give_up = time.monotonic() + budget
    while True:
        response = stub.WaitInstance(
            pb.WaitInstanceRequest(instance_id=instance_id, timeout={"seconds": 10}), timeout=20
        )
        if response.instance.state == instance_pb2.Instance.TERMINATED:
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
