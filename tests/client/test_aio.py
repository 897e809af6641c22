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

from .conftest import instance_pb

IID = "20260101000000000abcdefg1"


class ScriptedService(instance_service_pb2_grpc.InstanceServiceServicer):
    """Answers from a script: the next N calls of a method fail with the given status."""

    def __init__(self) -> None:
        self.failures: dict[str, list[status_pb2.Status]] = {}
        self.calls: dict[str, int] = {}
        self.metadata: list[dict[str, str]] = []
        self.watch_scripts: list[list[pb.WatchInstanceResponse | status_pb2.Status]] = []

    async def _maybe_fail(self, method: str, context: Any) -> None:
        self.calls[method] = self.calls.get(method, 0) + 1
        self.metadata.append({k: v for k, v in context.invocation_metadata()})
        pending = self.failures.get(method)
        if pending:
            await context.abort_with_status(rpc_status.to_status(pending.pop(0)))

    async def GetInstance(self, request: Any, context: Any) -> pb.GetInstanceResponse:
        await self._maybe_fail("GetInstance", context)
        return pb.GetInstanceResponse(instance=instance_pb(request.instance_id))

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


def _status(code: int, message: str, reason: str | None = None) -> status_pb2.Status:
    status = status_pb2.Status(code=code, message=message)
    if reason:
        detail = any_pb2.Any()
        detail.Pack(
            error_details_pb2.ErrorInfo(
                reason=reason, domain="mcgateway", metadata={"upstream_request_id": "R1"}
            )
        )
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
    service.failures["GetInstance"] = [_status(code_pb2.NOT_FOUND, "gone", "NoSuchObject")]
    async with AsyncGateway(target, token="t0k", default_project="demo") as ao:
        with pytest.raises(NotFound) as info:
            await ao.get_instance(IID)
        assert (info.value.reason, info.value.request_id) == ("NoSuchObject", "R1")
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
            _status(code_pb2.FAILED_PRECONDITION, "not running", "InvalidStateSetting")
        ]
        with pytest.raises(InvalidState) as info:
            await ao.stop_instance(IID)
        assert info.value.reason == "InvalidStateSetting"
    assert service.calls["StopInstance"] == 2


def _event(kind: int, seq: int, terminated: bool = False) -> pb.WatchInstanceResponse:
    status = instance_pb2.STATUS_TERMINATED if terminated else instance_pb2.STATUS_RUNNING
    return pb.WatchInstanceResponse(
        event_type=kind,  # type: ignore[arg-type]
        sequence=seq,
        instance=instance_pb(IID, status=status, successful=terminated),
    )


async def test_async_watch_reconnects_without_duplicates(
    scripted: tuple[ScriptedService, str],
) -> None:
    service, target = scripted
    service.watch_scripts = [
        [_event(pb.WATCH_EVENT_TYPE_SNAPSHOT, 1), _status(code_pb2.UNAVAILABLE, "restarting")],
        [_event(pb.WATCH_EVENT_TYPE_SNAPSHOT, 1), _event(pb.WATCH_EVENT_TYPE_STATUS_CHANGED, 2)],
        [
            _event(pb.WATCH_EVENT_TYPE_SNAPSHOT, 2),
            _event(pb.WATCH_EVENT_TYPE_TERMINAL, 3, terminated=True),
        ],
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
