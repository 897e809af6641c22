"""AsyncGateway's chokepoint against a scripted grpc.aio server on a loopback port.

grpcio-testing has no asyncio channel, so the test plays the server with a real grpc.aio
server whose answers it scripts: failures, rich status details, metadata checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2_grpc
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcgateway_client import (
    AsyncGateway,
    EventType,
    InvalidState,
    NotFound,
    ReconnectPolicy,
    Unavailable,
)

from .conftest import DOMAIN, RUNNING, TERMINATED, instance_pb

IID = "20260101000000000abcdefg1"


class ScriptedService(instance_service_pb2_grpc.InstanceServiceServicer):
    """Answers from a script: the next N calls of a method fail with the given status."""

    def __init__(self) -> None:
        self.failures: dict[str, list[status_pb2.Status]] = {}
        self.calls: dict[str, int] = {}
        self.metadata: list[dict[str, str]] = []
        self.watch_scripts: list[list[pb.WatchInstanceResponse | status_pb2.Status]] = []
        self.requests: dict[str, list[Any]] = {}
        self.instance = instance_pb  # what GetInstance answers, by instance id
        self.page_size = 2  # items per page of the paged reads of an instance

    def _record(self, method: str, request: Any) -> None:
        copy = type(request)()
        copy.CopyFrom(request)
        self.requests.setdefault(method, []).append(copy)

    def _page(self, items: list[Any], token: str) -> tuple[list[Any], str]:
        start = int(token or 0)
        end = start + self.page_size
        return items[start:end], str(end) if end < len(items) else ""

    async def _maybe_fail(self, method: str, context: Any) -> None:
        self.calls[method] = self.calls.get(method, 0) + 1
        self.metadata.append({k: v for k, v in context.invocation_metadata()})
        pending = self.failures.get(method)
        if pending:
            await context.abort_with_status(rpc_status.to_status(pending.pop(0)))

    async def GetInstance(self, request: Any, context: Any) -> instance_pb2.Instance:
        await self._maybe_fail("GetInstance", context)
        return self.instance(request.instance_id)

    async def ListInstances(self, request: Any, context: Any) -> pb.ListInstancesResponse:
        self._record("ListInstances", request)
        listed = instance_pb(IID, TERMINATED, listed=True)
        return pb.ListInstancesResponse(instances=[listed])

    async def ListTasks(self, request: Any, context: Any) -> pb.ListTasksResponse:
        self._record("ListTasks", request)
        tasks = [instance_pb2.Task(name=f"t{i}", type="SQL") for i in range(5)]
        page, token = self._page(tasks, request.page_token)
        return pb.ListTasksResponse(tasks=page, next_page_token=token)

    async def ListTaskResults(self, request: Any, context: Any) -> pb.ListTaskResultsResponse:
        self._record("ListTaskResults", request)
        results = [instance_pb2.TaskResult(task_name=f"t{i}", content=str(i)) for i in range(5)]
        page, token = self._page(results, request.page_token)
        return pb.ListTaskResultsResponse(task_results=page, next_page_token=token)

    async def ListSubInstances(self, request: Any, context: Any) -> pb.ListSubInstancesResponse:
        self._record("ListSubInstances", request)
        subs = [instance_pb2.SubInstance(name=f"n{i}", instance_id=f"s{i}") for i in range(3)]
        page, token = self._page(subs, request.page_token)
        return pb.ListSubInstancesResponse(sub_instances=page, next_page_token=token)

    async def GenerateLogviewAddress(
        self, request: Any, context: Any
    ) -> pb.GenerateLogviewAddressResponse:
        self._record("GenerateLogviewAddress", request)
        return pb.GenerateLogviewAddressResponse(url=f"http://logview/?i={request.instance_id}")

    async def SubmitSql(self, request: Any, context: Any) -> pb.SubmitSqlResponse:
        self._record("SubmitSql", request)
        return pb.SubmitSqlResponse(instance=instance_pb(IID))

    async def StopInstance(self, request: Any, context: Any) -> pb.StopInstanceResponse:
        await self._maybe_fail("StopInstance", context)
        return pb.StopInstanceResponse(instance=instance_pb(request.instance_id))

    async def WatchInstance(
        self, request: Any, context: Any
    ) -> AsyncIterator[pb.WatchInstanceResponse]:
        self.calls["WatchInstance"] = self.calls.get("WatchInstance", 0) + 1
        for item in self.watch_scripts.pop(0):
            if isinstance(item, status_pb2.Status):
                await context.abort_with_status(rpc_status.to_status(item))
            yield item


def _status(
    code: int, message: str, reason: str | None = None, maxcompute_code: str | None = None
) -> status_pb2.Status:
    status = status_pb2.Status(code=code, message=message)
    if reason:
        metadata = {"upstream_request_id": "R1"}
        if maxcompute_code:
            metadata["maxcompute_code"] = maxcompute_code
        detail = any_pb2.Any()
        detail.Pack(error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=metadata))
        status.details.append(detail)
    return status


@pytest.fixture
async def scripted() -> AsyncIterator[tuple[ScriptedService, str]]:
    service = ScriptedService()
    server = grpc.aio.server()
    instance_service_pb2_grpc.add_InstanceServiceServicer_to_server(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield service, f"127.0.0.1:{port}"
    finally:
        await server.stop(None)


async def test_token_metadata_and_rich_errors(scripted: tuple[ScriptedService, str]) -> None:
    service, target = scripted
    service.failures["GetInstance"] = [
        _status(code_pb2.NOT_FOUND, "gone", "INSTANCE_NOT_FOUND", "NoSuchObject")
    ]
    async with AsyncGateway(target, token="t0k", default_project="demo") as ao:
        with pytest.raises(NotFound) as info:
            await ao.get_instance(IID)
        err = info.value
        assert (err.reason, err.domain, err.maxcompute_code, err.request_id) == (
            "INSTANCE_NOT_FOUND",
            DOMAIN,
            "NoSuchObject",
            "R1",
        )
        instance = await ao.get_instance(IID)
        assert instance.id == IID
    assert all(m["authorization"] == "Bearer t0k" for m in service.metadata)


async def test_reads_retry_beyond_the_channel_attempts(
    scripted: tuple[ScriptedService, str],
) -> None:
    # The channel itself retries UNAVAILABLE 4 times (service config); five failures outlast
    # it, and the chokepoint's own retry carries the call through.
    service, target = scripted
    service.failures["GetInstance"] = [_status(code_pb2.UNAVAILABLE, "blip")] * 5
    async with AsyncGateway(target) as ao:
        instance = await ao.get_instance(IID)
    assert instance.id == IID
    assert service.calls["GetInstance"] == 6


async def test_stop_is_not_retried(scripted: tuple[ScriptedService, str]) -> None:
    service, target = scripted
    service.failures["StopInstance"] = [_status(code_pb2.UNAVAILABLE, "blip")]
    async with AsyncGateway(target) as ao:
        with pytest.raises(Unavailable):
            await ao.stop_instance(IID)
        service.failures["StopInstance"] = [
            _status(
                code_pb2.FAILED_PRECONDITION,
                "not running",
                "INSTANCE_NOT_RUNNING",
                "InvalidStateSetting",
            )
        ]
        with pytest.raises(InvalidState) as info:
            await ao.stop_instance(IID)
        assert info.value.reason == "INSTANCE_NOT_RUNNING"
        assert info.value.maxcompute_code == "InvalidStateSetting"
    assert service.calls["StopInstance"] == 2


Watch = pb.WatchInstanceResponse.EventType


def _event(kind: int, seq: int, terminated: bool = False) -> pb.WatchInstanceResponse:
    state = TERMINATED if terminated else RUNNING
    return pb.WatchInstanceResponse(
        event_type=kind,  # type: ignore[arg-type]
        sequence=seq,
        instance=instance_pb(IID, state=state, successful=terminated),
    )


async def test_async_watch_reconnects_without_duplicates(
    scripted: tuple[ScriptedService, str],
) -> None:
    service, target = scripted
    service.watch_scripts = [
        [_event(Watch.SNAPSHOT, 1), _status(code_pb2.UNAVAILABLE, "restarting")],
        [_event(Watch.SNAPSHOT, 1), _event(Watch.STATE_CHANGED, 2)],
        [_event(Watch.SNAPSHOT, 2), _event(Watch.TERMINAL, 3, terminated=True)],
    ]
    policy = ReconnectPolicy(initial_backoff=0.01, max_backoff=0.05)
    async with AsyncGateway(target) as ao:
        instance = await ao.get_instance(IID)
        seen = [(e.type, e.sequence) async for e in instance.watch(reconnect=policy)]
    assert seen == [
        (EventType.SNAPSHOT, 1),
        (EventType.STATUS_CHANGED, 2),
        (EventType.TERMINAL, 3),
    ]
    assert service.calls["WatchInstance"] == 3
    assert instance.state is not None and instance.state.successful


async def test_wait_timeout_wins_over_an_unreachable_gateway() -> None:
    # Connection refusals are UNAVAILABLE; the wait loop keeps retrying them (a gateway restart
    # must not fail a long wait), so the caller's own timeout ends it, as WaitTimeout.
    from mcgateway_client import AsyncInstance, WaitTimeout
    from mcgateway_client._models import InstanceState

    async with AsyncGateway("127.0.0.1:1") as nowhere:
        lost = AsyncInstance(nowhere, IID, "demo", state=InstanceState.from_proto(instance_pb(IID)))
        with pytest.raises(WaitTimeout) as info:
            await asyncio.wait_for(lost.wait_for_completion(timeout=0.5), timeout=30)
    assert info.value.instance is lost


async def test_async_paged_reads_walk_every_page(scripted: tuple[ScriptedService, str]) -> None:
    service, target = scripted
    async with AsyncGateway(target, default_project="demo") as ao:
        instance = await ao.get_instance(IID)
        assert await instance.get_task_names() == [f"t{i}" for i in range(5)]
        results = await instance.get_task_results()
        assert list(results.items()) == [(f"t{i}", str(i)) for i in range(5)]
        subs = await ao.get_xflow_sub_instances(instance)
        assert [(name, sub.id) for name, sub in subs.items()] == [
            ("n0", "s0"),
            ("n1", "s1"),
            ("n2", "s2"),
        ]
    for method, pages in (("ListTasks", 3), ("ListTaskResults", 3), ("ListSubInstances", 2)):
        tokens = [r.page_token for r in service.requests[method]]
        assert tokens == ["", "2", "4"][:pages], method


async def test_async_logview_ttl_and_request_ids(scripted: tuple[ScriptedService, str]) -> None:
    import uuid

    from mcgateway_client import InvalidArgument

    service, target = scripted
    async with AsyncGateway(target) as ao:
        await ao.get_logview_address(IID)
        instance = await ao.run_sql("select 1", hints={"k": True}, priority=3)
        await instance.get_logview_address(hours=48)
        with pytest.raises(InvalidArgument) as info:
            await ao.run_sql("select 1", request_id="not-a-uuid")
        assert info.value.field_violations[0][0] == "request_id"
    default, two_days = service.requests["GenerateLogviewAddress"]
    assert not default.HasField("ttl")
    assert two_days.ttl.seconds == 48 * 3600
    [submitted] = service.requests["SubmitSql"]  # the malformed id never reached the server
    assert uuid.UUID(submitted.request_id).version == 4
    assert str(uuid.UUID(submitted.request_id)) == submitted.request_id
    assert (dict(submitted.job.hints), submitted.job.priority) == ({"k": "true"}, 3)


async def test_async_listed_instance_reads_its_outcome_when_asked(
    scripted: tuple[ScriptedService, str],
) -> None:
    service, target = scripted
    service.instance = lambda iid: instance_pb(iid, TERMINATED, successful=True)
    async with AsyncGateway(target) as ao:
        [listed] = [i async for i in ao.list_instances(status="terminated")]
        assert listed.state is not None and listed.state.successful is None
        assert service.calls.get("GetInstance", 0) == 0
        assert await listed.is_successful() is True
        assert service.calls["GetInstance"] == 1
        assert await listed.is_successful() is True  # known now: no further read
        assert service.calls["GetInstance"] == 1
    [request] = service.requests["ListInstances"]
    assert request.state_filter == TERMINATED
