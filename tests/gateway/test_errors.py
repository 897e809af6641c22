"""Error translation: every MaxCompute code, rich details, INTERNAL without leaks, deadlines."""

from __future__ import annotations

import logging
import re
import threading
import time

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from mcemulator import FaultRule
from mcgateway.errors import GatewayError, InvalidArgument, Reason
from mcgateway.maxcompute import ERROR_CODE_CATEGORY, MaxComputeError
from mcgateway.service.status import grpc_status_for, reason_for, status_proto_for_exception
from mcgateway.testing import GatewayThread, gateway_config_for

from gateway.support import expect_error, pb, sql_job, stub_for, wait_until

REASONS = {v for k, v in vars(Reason).items() if not k.startswith("_")}


def _details(status):
    out = {}
    for detail in status.details:
        for cls in (
            error_details_pb2.ErrorInfo,
            error_details_pb2.BadRequest,
            error_details_pb2.RetryInfo,
            error_details_pb2.RequestInfo,
        ):
            if detail.Is(cls.DESCRIPTOR):
                message = cls()
                detail.Unpack(message)
                assert cls.__name__ not in out, "each detail type at most once"
                out[cls.__name__] = message
    return out


@pytest.mark.parametrize("code", sorted(ERROR_CODE_CATEGORY))
def test_every_maxcompute_code_maps_through_the_table(code):
    exc = MaxComputeError(
        code, "boom", http_status=400, request_id="RID", project="demo", instance_id="i1"
    )
    status = status_proto_for_exception(exc, "gw-req")
    assert status.code == grpc_status_for(exc).value[0]
    details = _details(status)
    info = details["ErrorInfo"]
    assert info.reason == reason_for(exc)
    assert info.reason in REASONS, "a reason the API owns, never MaxCompute's code"
    assert re.fullmatch(r"[A-Z][A-Z0-9_]*", info.reason)
    assert info.domain == "mcgateway.github.io"
    assert info.metadata["maxcompute_code"] == code
    assert info.metadata["http_status"] == "400"
    assert info.metadata["project"] == "demo"
    assert info.metadata["instance_id"] == "i1"
    assert info.metadata["upstream_request_id"] == "RID"
    assert details["RequestInfo"].request_id == "gw-req"
    assert "RetryInfo" not in details


@pytest.mark.parametrize(
    ("code", "http_status", "instance_id", "reason"),
    [
        ("NoSuchObject", 404, "i1", "INSTANCE_NOT_FOUND"),
        ("NoSuchInstance", 404, "i1", "INSTANCE_NOT_FOUND"),
        # Not about an instance: some other object is missing.
        ("NoSuchObject", 404, None, "UPSTREAM_NOT_FOUND"),
        ("NoSuchTable", 404, "i1", "UPSTREAM_NOT_FOUND"),
        ("NoSuchProject", 404, None, "PROJECT_NOT_FOUND"),
        ("InvalidStateSetting", 409, "i1", "INSTANCE_NOT_RUNNING"),
        ("InstanceNotTerminate", 409, "i1", "UPSTREAM_FAILED_PRECONDITION"),
        # MaxCompute's 401 is about the gateway's credentials whatever the code says.
        ("NoSuchObject", 401, "i1", "UPSTREAM_CREDENTIALS_REJECTED"),
        ("SignatureNotMatch", 403, None, "UPSTREAM_CREDENTIALS_REJECTED"),
        ("NoPermission", 403, None, "UPSTREAM_PERMISSION_DENIED"),
        ("ObjectAlreadyExists", 409, None, "UPSTREAM_ALREADY_EXISTS"),
        ("ParseError", 400, "i1", "UPSTREAM_INVALID_ARGUMENT"),
        ("TableModified", 409, None, "UPSTREAM_CONFLICT"),
        ("MethodNotAllowed", 405, None, "UPSTREAM_UNSUPPORTED"),
        ("ServiceUnavailable", 503, None, "UPSTREAM_UNAVAILABLE"),
        ("Timeout", None, None, "UPSTREAM_UNAVAILABLE"),
        ("QPSExceeded", 429, None, "UPSTREAM_THROTTLED"),
        ("DeadlineExceeded", None, None, "DEADLINE_EXCEEDED"),
        ("SomethingNew", 499, None, "UPSTREAM_CANCELLED"),
        ("ChecksumError", None, None, "UPSTREAM_DATA_LOSS"),
        ("InvalidResponse", 200, None, "INTERNAL"),
        ("SomethingNew", 418, None, "UPSTREAM_UNKNOWN"),
    ],
)
def test_reason_of_an_upstream_failure(code, http_status, instance_id, reason):
    exc = MaxComputeError(code, "m", http_status=http_status, instance_id=instance_id)
    assert reason_for(exc) == reason
    info = _details(status_proto_for_exception(exc, "r"))["ErrorInfo"]
    assert (info.reason, info.metadata["maxcompute_code"]) == (reason, code)


def test_every_reason_is_upper_snake_and_documented():
    for name, value in vars(Reason).items():
        if not name.startswith("_"):
            assert name == value and re.fullmatch(r"[A-Z][A-Z0-9_]*", value), name
    assert {
        "INSTANCE_NOT_FOUND", "PROJECT_NOT_FOUND", "INSTANCE_NOT_RUNNING", "UPSTREAM_THROTTLED",
        "UPSTREAM_CREDENTIALS_REJECTED", "UPSTREAM_UNKNOWN", "INVALID_PAGE_TOKEN",
    } <= REASONS  # fmt: skip


def test_retry_after_becomes_retry_info():
    exc = MaxComputeError("QPSExceeded", "slow down", http_status=429, retry_after=1.5)
    status = status_proto_for_exception(exc, "r")
    assert status.code == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]
    delay = _details(status)["RetryInfo"].retry_delay
    assert (delay.seconds, delay.nanos) == (1, 500_000_000)


def test_gateway_errors_and_bad_requests():
    status = status_proto_for_exception(
        InvalidArgument([("page_size", "must not be negative"), ("ttl", "too long")]), "r"
    )
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    details = _details(status)
    assert details["ErrorInfo"].reason == Reason.INVALID_REQUEST
    assert details["ErrorInfo"].domain == "mcgateway.github.io"
    assert [v.field for v in details["BadRequest"].field_violations] == ["page_size", "ttl"]
    status = status_proto_for_exception(
        GatewayError(grpc.StatusCode.PERMISSION_DENIED, "PROJECT_NOT_ALLOWED", "no"), "r"
    )
    assert status.code == grpc.StatusCode.PERMISSION_DENIED.value[0]


def test_unexpected_exception_is_internal_without_leaks():
    status = status_proto_for_exception(RuntimeError("password=hunter2 at /secret/path"), "abc123")
    assert status.code == grpc.StatusCode.INTERNAL.value[0]
    assert "hunter2" not in status.message and "secret" not in status.message
    assert "abc123" in status.message
    assert _details(status)["ErrorInfo"].reason == "INTERNAL"
    assert _details(status)["ErrorInfo"].domain == "mcgateway.github.io"


@pytest.fixture
def private_gateway(emulator):
    config = gateway_config_for(
        emulator,
    )
    with GatewayThread(config) as gw:
        yield gw


def test_bug_in_a_handler_is_internal_with_a_logged_request_id(private_gateway, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("token=SECRET-VALUE exploded")

    client = private_gateway.server.upstream.client
    client.get_instance = broken
    client.get_task_statuses = broken
    stub = stub_for(private_gateway.target)
    with caplog.at_level(logging.ERROR, logger="mcgateway"):
        err = expect_error(stub.GetInstance, pb.GetInstanceRequest(instance_id="20991231x"))
    assert err.code is grpc.StatusCode.INTERNAL
    assert "SECRET" not in err.message
    request_id = err.trailers["x-request-id"]
    assert request_id in err.message
    assert err.request_info is not None and err.request_info.request_id == request_id
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == request_id]
    assert logged and logged[0].exc_info is not None
    assert "SECRET-VALUE" in str(logged[0].exc_info[1]), "the log keeps the details"


def test_throttling_gives_resource_exhausted_with_retry_info(stub, emulator):
    emulator.faults.set(
        FaultRule(operations=frozenset({"get_instance"}), throttle_rate=1.0, retry_after_seconds=5)
    )
    try:
        err = expect_error(
            stub.InstanceExists, pb.InstanceExistsRequest(instance_id="throttled1"), timeout=3
        )
    finally:
        emulator.faults.set()
    assert err.code is grpc.StatusCode.RESOURCE_EXHAUSTED, err.message
    assert err.error_info is not None and err.error_info.reason == "UPSTREAM_THROTTLED"
    assert err.error_info.metadata["maxcompute_code"] == "QPSExceeded"
    assert err.retry_info is not None
    assert err.retry_info.retry_delay.seconds == 5


def test_deadline_bounds_the_upstream_call_and_the_loop_stays_free(
    gateway, stub, channel, emulator
):
    emulator.faults.set(FaultRule(operations=frozenset({"get_instance"}), latency_seconds=3.0))
    health = health_pb2_grpc.HealthStub(channel)
    health_answers: list[float] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            started = time.monotonic()
            health.Check(health_pb2.HealthCheckRequest(), timeout=5)
            health_answers.append(time.monotonic() - started)

    prober = threading.Thread(target=probe)
    try:
        prober.start()
        started = time.monotonic()
        err = expect_error(
            stub.InstanceExists, pb.InstanceExistsRequest(instance_id="slow1"), timeout=1.0
        )
        elapsed = time.monotonic() - started
    finally:
        done.set()
        prober.join()
        emulator.faults.set()
    assert err.code is grpc.StatusCode.DEADLINE_EXCEEDED
    assert elapsed < 2.0
    assert len(health_answers) > 5, "health checks are answered while upstream is slow"
    assert max(health_answers) < 0.5


def test_cancelled_call_stops_waiting_at_once(gateway, stub, emulator):
    emulator.faults.set(FaultRule(operations=frozenset({"get_instance"}), latency_seconds=3.0))
    labels = {"method": "InstanceExists", "code": "CANCELLED"}
    cancelled_before = gateway.metrics.value("mcgateway_rpc_requests_total", labels)
    try:
        before = emulator.request_count("get_instance")
        future = stub.InstanceExists.future(
            pb.InstanceExistsRequest(instance_id="cancelme1"), timeout=30
        )
        wait_until(lambda: emulator.request_count("get_instance") > before, what="upstream call")
        started = time.monotonic()
        future.cancel()
        wait_until(
            lambda: (
                gateway.metrics.value("mcgateway_rpc_requests_total", labels) > cancelled_before
            ),
            what="handler saw the cancellation",
        )
        assert time.monotonic() - started < 1.5, "the handler does not wait for the upstream"
    finally:
        emulator.faults.set()
    # The abandoned upstream call still ends within its deadline and frees its thread.
    wait_until(lambda: gateway.metrics.value("mcgateway_upstream_inflight") == 0, budget=10)


@pytest.mark.parametrize(
    ("request_id", "code", "reason", "advice"),
    [
        # No request_id: a blind retry could duplicate the job, so look first.
        (
            "",
            grpc.StatusCode.UNKNOWN,
            "UPSTREAM_UNKNOWN",
            "set request_id on SubmitSql so that a retry is safe",
        ),
        # With one, a retry searches before creating: safe, so UNAVAILABLE (clients retry).
        (
            "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
            grpc.StatusCode.UNAVAILABLE,
            "UPSTREAM_UNAVAILABLE",
            "retry with the same request_id",
        ),
    ],
)
def test_lost_create_answer_is_advised_in_gateway_terms(
    stub, emulator, request_id, code, reason, advice
):
    emulator.faults.set(
        FaultRule(operations=frozenset({"create_instance"}), drop_rate=1.0, remaining=1)
    )
    try:
        err = expect_error(
            stub.SubmitSql,
            pb.SubmitSqlRequest(job=sql_job("select 1"), request_id=request_id),
            timeout=5,
        )
    finally:
        emulator.faults.set()
    assert err.code is code, err.message
    assert advice in err.message
    assert err.error_info is not None and err.error_info.reason == reason
    assert err.error_info.metadata["maxcompute_code"] == "CreateOutcomeUnknown"
