"""Fixtures of the client tests: a grpcio-testing channel where the test plays the server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import grpc
import grpc_testing
import pytest
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcgateway_client import Gateway

DOMAIN = "mcgateway.github.io"

RUNNING = instance_pb2.Instance.State.RUNNING
TERMINATED = instance_pb2.Instance.State.TERMINATED

T = TypeVar("T")

SERVICE = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"]


def method(name: str) -> Any:
    """The descriptor of one InstanceService RPC."""
    return SERVICE.methods_by_name[name]


class FakeClock:
    """A monotonic clock that only moves when the client sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class Harness:
    """A Gateway on a testing channel; ``run`` starts a client call in a worker thread."""

    def __init__(self, channel: Any, gateway: Gateway, clock: FakeClock) -> None:
        self.channel = channel
        self.gateway = gateway
        self.clock = clock
        self._pool = ThreadPoolExecutor(max_workers=2)

    def run(self, fn: Callable[[], T]) -> Future[T]:
        return self._pool.submit(fn)

    def take_unary(self, name: str) -> tuple[dict[str, str], Any, Any]:
        metadata, request, rpc = self.channel.take_unary_unary(method(name))
        return dict(metadata), request, rpc

    def take_stream(self, name: str) -> tuple[dict[str, str], Any, Any]:
        metadata, request, rpc = self.channel.take_unary_stream(method(name))
        return dict(metadata), request, rpc

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@pytest.fixture
def harness() -> Iterator[Harness]:
    channel = grpc_testing.channel([SERVICE], grpc_testing.strict_real_time())
    clock = FakeClock()
    gateway = Gateway(
        channel=channel,
        token="s3cret",
        default_project="demo",
        _clock=clock,
        _sleep=clock.sleep,
        _rng=lambda: 0.5,
    )
    h = Harness(channel, gateway, clock)
    try:
        yield h
    finally:
        h.close()


def rich_status(
    code: grpc.StatusCode,
    message: str,
    *,
    reason: str | None = None,
    metadata: dict[str, str] | None = None,
    retry_seconds: float | None = None,
    violations: list[tuple[str, str]] | None = None,
) -> tuple[tuple[str, bytes], ...]:
    """Trailing metadata carrying a google.rpc.Status with the usual details."""
    status = status_pb2.Status(code=code.value[0], message=message)
    if reason is not None:
        detail = any_pb2.Any()
        detail.Pack(
            error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=metadata or {})
        )
        status.details.append(detail)
    if retry_seconds is not None:
        retry = error_details_pb2.RetryInfo()
        retry.retry_delay.FromMilliseconds(int(retry_seconds * 1000))
        detail = any_pb2.Any()
        detail.Pack(retry)
        status.details.append(detail)
    if violations:
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                for f, d in violations
            ]
        )
        detail = any_pb2.Any()
        detail.Pack(bad)
        status.details.append(detail)
    return (("grpc-status-details-bin", status.SerializeToString()),)


def instance_pb(
    instance_id: str = "20260101000000000abcdefg1",
    state: int = RUNNING,
    successful: bool = False,
    failure: str = "",
    *,
    listed: bool = False,
) -> instance_pb2.Instance:
    """An Instance proto as the gateway sends it: with one SQL task whose state follows the
    instance's, and ``successful`` set only once it terminated; ``listed`` gives it as
    ListInstances and WatchInstances do, without tasks and without ``successful``."""
    terminated = state == TERMINATED
    if terminated:
        task_state = (
            instance_pb2.Task.State.SUCCEEDED if successful else instance_pb2.Task.State.FAILED
        )
    else:
        task_state = instance_pb2.Task.State.RUNNING
    pb = instance_pb2.Instance(
        project="demo",
        instance_id=instance_id,
        state=state,  # type: ignore[arg-type]
        owner="ALIYUN$test@example.com",
    )
    if not listed:
        pb.tasks.append(instance_pb2.Task(name="AnonymousSQLTask", type="SQL", state=task_state))
        if terminated:
            pb.successful = successful
            pb.failure_message = failure
    return pb
