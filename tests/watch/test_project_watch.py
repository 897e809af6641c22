"""WatchInstances: snapshot of running instances, then ADDED / CHANGED / TERMINATED."""

from __future__ import annotations

import asyncio

import grpc
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from .conftest import WatchHarness, collect, wait_for

E = instance_service_pb2


async def _until(call: object, predicate: object, timeout: float = 20) -> list[object]:
    """Read events until ``predicate(event)`` holds; return everything read."""
    seen = []
    while True:
        event = await asyncio.wait_for(call.read(), timeout)  # type: ignore[attr-defined]
        assert event is not grpc.aio.EOF
        seen.append(event)
        if predicate(event):  # type: ignore[operator]
            return seen


async def test_sees_a_new_instance_appear_change_and_terminate(harness: WatchHarness) -> None:
    before = await harness.submit(60)  # running before the watch starts
    call = harness.stub.WatchInstances(E.WatchInstancesRequest())
    try:
        snapshot = await _until(
            call, lambda e: e.event_type == E.WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END
        )
        added = {e.instance.id for e in snapshot[:-1]}
        assert before in added
        assert all(e.event_type == E.WATCH_INSTANCES_EVENT_TYPE_ADDED for e in snapshot[:-1])
        assert all(e.instance.status == instance_pb2.STATUS_RUNNING for e in snapshot[:-1])

        new = await harness.submit(60)
        events = await _until(call, lambda e: e.instance.id == new)
        assert events[-1].event_type == E.WATCH_INSTANCES_EVENT_TYPE_ADDED

        await asyncio.to_thread(harness.emulator.suspend, new)
        events = await _until(call, lambda e: e.instance.id == new)
        assert events[-1].event_type == E.WATCH_INSTANCES_EVENT_TYPE_CHANGED
        assert events[-1].instance.status == instance_pb2.STATUS_SUSPENDED
        await asyncio.to_thread(harness.emulator.resume, new)
        events = await _until(call, lambda e: e.instance.id == new)
        assert events[-1].event_type == E.WATCH_INSTANCES_EVENT_TYPE_CHANGED
        assert events[-1].instance.status == instance_pb2.STATUS_RUNNING

        await harness.stop(new)
        events = await _until(call, lambda e: e.instance.id == new)
        assert events[-1].event_type == E.WATCH_INSTANCES_EVENT_TYPE_TERMINATED
        assert events[-1].instance.status == instance_pb2.STATUS_TERMINATED
        sequences = [e.sequence for e in snapshot + events]
        assert sequences == sorted(sequences)
    finally:
        call.cancel()
        await harness.stop(before)
    await wait_for(lambda: harness.hub.lister_count == 0)


async def test_listers_are_shared_per_filter(harness: WatchHarness) -> None:
    calls = [harness.stub.WatchInstances(E.WatchInstancesRequest()) for _ in range(5)]
    other = harness.stub.WatchInstances(
        E.WatchInstancesRequest(status=instance_pb2.STATUS_TERMINATED, only_owner=True)
    )
    try:
        for call in [*calls, other]:
            await _until(call, lambda e: e.event_type == E.WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END)
        assert harness.hub.lister_count == 2
    finally:
        for call in [*calls, other]:
            call.cancel()
    await wait_for(lambda: harness.hub.lister_count == 0)


async def test_heartbeats_and_validation(harness: WatchHarness) -> None:
    call = harness.stub.WatchInstances(
        E.WatchInstancesRequest(heartbeat_interval=Duration(seconds=1))
    )
    try:
        await _until(call, lambda e: e.event_type == E.WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END)
        await _until(call, lambda e: e.event_type == E.WATCH_INSTANCES_EVENT_TYPE_HEARTBEAT, 10)
    finally:
        call.cancel()
    bad = harness.stub.WatchInstances(
        E.WatchInstancesRequest(heartbeat_interval=Duration(seconds=3600))
    )
    events, code, details = await collect(bad)
    assert events == [] and code == grpc.StatusCode.INVALID_ARGUMENT
    assert "heartbeat_interval" in details
