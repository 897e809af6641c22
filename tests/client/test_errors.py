"""The gRPC status → exception table, exhaustively, and the library's public surface."""

from __future__ import annotations

import inspect

import grpc
import mcgateway_client
import pytest
from mcgateway_client import (
    EXCEPTIONS_BY_CODE,
    Aborted,
    AlreadyExists,
    Cancelled,
    DeadlineExceeded,
    GatewayError,
    Internal,
    InvalidArgument,
    InvalidState,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    Unimplemented,
)

from .conftest import Harness, rich_status

EXPECTED = {
    grpc.StatusCode.CANCELLED: Cancelled,
    grpc.StatusCode.UNKNOWN: Internal,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.FAILED_PRECONDITION: InvalidState,
    grpc.StatusCode.ABORTED: Aborted,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgument,
    grpc.StatusCode.UNIMPLEMENTED: Unimplemented,
    grpc.StatusCode.INTERNAL: Internal,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DATA_LOSS: Internal,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
}


def test_every_non_ok_code_has_exactly_one_row() -> None:
    codes = {c for c in grpc.StatusCode if c is not grpc.StatusCode.OK}
    assert set(EXCEPTIONS_BY_CODE) == codes
    assert EXCEPTIONS_BY_CODE == EXPECTED


@pytest.mark.parametrize("code", sorted(EXPECTED, key=lambda c: c.value[0]), ids=lambda c: c.name)
def test_each_code_raises_its_exception(harness: Harness, code: grpc.StatusCode) -> None:
    # StopInstance is never retried, so every code reaches the caller after one attempt.
    future = harness.run(lambda: harness.gateway.stop_instance("20260101000000000abcdefg1"))
    _, _, rpc = harness.take_unary("StopInstance")
    trailers = rich_status(
        code,
        f"failed with {code.name}",
        reason="SOME_REASON",
        metadata={"upstream_request_id": "5F1A", "maxcompute_code": "SomeCode"},
    )
    rpc.terminate(None, trailers, code, f"failed with {code.name}")
    with pytest.raises(GatewayError) as info:
        future.result(timeout=10)
    err = info.value
    assert type(err) is EXPECTED[code]
    assert (err.code, err.reason, err.request_id) == (code, "SOME_REASON", "5F1A")
    assert (err.domain, err.maxcompute_code) == ("mcgateway.github.io", "SomeCode")
    assert str(err) == f"failed with {code.name}"


def test_exception_names_say_the_condition() -> None:
    for name in mcgateway_client.__all__:
        obj = getattr(mcgateway_client, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            assert issubclass(obj, GatewayError)
            assert name == "GatewayError" or not name.endswith("Error"), name


def test_public_surface_is_explicit_and_documented() -> None:
    assert sorted(mcgateway_client.__all__) == sorted(
        [
            "EXCEPTIONS_BY_CODE",
            "Aborted",
            "AlreadyExists",
            "AsyncGateway",
            "AsyncInstance",
            "AsyncResultReader",
            "Cancelled",
            "Column",
            "DeadlineExceeded",
            "EventType",
            "Gateway",
            "GatewayError",
            "Instance",
            "InstanceFailed",
            "InstanceState",
            "Internal",
            "InvalidArgument",
            "InvalidSettings",
            "InvalidState",
            "InvalidTarget",
            "ListEventType",
            "NotFound",
            "PermissionDenied",
            "QueueingInfo",
            "Record",
            "ResultReader",
            "ReconnectPolicy",
            "ResourceExhausted",
            "RetryListener",
            "SQLCost",
            "Settings",
            "StageProgress",
            "Status",
            "SubInstanceInfo",
            "Target",
            "Task",
            "TaskCost",
            "TaskProgress",
            "TaskResult",
            "TaskStatus",
            "TaskSummary",
            "TlsConfig",
            "Unauthenticated",
            "Unavailable",
            "Unimplemented",
            "WaitTimeout",
            "WatchEvent",
            "WatchInstancesEvent",
            "Worker",
            "load_settings",
            "parse_target",
        ]
    )
    for name in mcgateway_client.__all__:
        obj = getattr(mcgateway_client, name)
        if inspect.isclass(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and inspect.isfunction(member):
                    assert member.__doc__, f"{name}.{attr}"


def test_sync_and_async_clients_have_the_same_surface() -> None:
    from mcgateway_client import AsyncGateway, AsyncInstance, Gateway, Instance

    def public(cls: type) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("_")}

    assert public(Gateway) == public(AsyncGateway)
    # Properties that would have to call the gateway are coroutines on AsyncInstance.
    assert public(Instance) - public(AsyncInstance) <= {
        "owner",
        "start_time",
        "end_time",
        "priority",
        "failure_message",
    }


RPC_METHODS = {
    "ListInstances": ("Gateway", "list_instances"),
    "GetInstance": ("Gateway", "get_instance"),
    "InstanceExists": ("Gateway", "exist_instance"),
    "StopInstance": ("Gateway", "stop_instance"),
    "WaitInstance": ("Instance", "wait_for_completion"),
    "WatchInstance": ("Instance", "watch"),
    "WatchInstances": ("Gateway", "watch_instances"),
    "ListTasks": ("Instance", "get_task_statuses"),
    "GetTaskResult": ("Instance", "get_task_result"),
    "ListTaskResults": ("Instance", "get_task_results"),
    "GetTaskProgress": ("Instance", "get_task_progress"),
    "GenerateLogviewAddress": ("Gateway", "get_logview_address"),
    "ListSubInstances": ("Gateway", "list_sub_instances"),
    "SubmitSql": ("Gateway", "run_sql"),
    "SubmitXflow": ("Gateway", "run_xflow"),
    "GetTaskSummary": ("Instance", "get_task_summary"),
    "GetTaskDetail": ("Instance", "get_task_detail"),
    "GetWorkerLog": ("Instance", "get_worker_log"),
    "GetQueueingInfo": ("Instance", "get_queueing_info"),
    "ListQueueingInfos": ("Gateway", "list_instance_queueing_infos"),
    "EstimateSqlCost": ("Gateway", "execute_sql_cost"),
    "ExecuteSql": ("Gateway", "execute_sql"),
    "ReadInstanceResult": ("Instance", "open_reader"),
}


def test_every_rpc_has_a_client_method() -> None:
    """Walks the service descriptor: each RPC has a method on the sync and async clients."""
    from .conftest import SERVICE

    assert {m.name for m in SERVICE.methods} == set(RPC_METHODS)
    for rpc, (owner, name) in RPC_METHODS.items():
        for cls_name in (owner, "Async" + owner):
            cls = getattr(mcgateway_client, cls_name)
            assert callable(getattr(cls, name, None)), f"{rpc}: {cls_name}.{name}"


def test_the_client_never_imports_the_server_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys, mcgateway_client, mcgateway_client.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mcgateway', 'mcemulator'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
