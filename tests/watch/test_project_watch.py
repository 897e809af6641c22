"""WatchInstances: snapshot of running instances, then ADDED / CHANGED / TERMINATED."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from .conftest import WatchHarness, collect, wait_for

E = instance_service_pb2
ListEvent = E.WatchInstancesResponse.EventType
State = instance_pb2.Instance.State


async def _until(
    call: Any, predicate: Callable[[Any], bool], timeout: float = 20
) -> list[E.WatchInstancesResponse]:
    """Read events until ``predicate(event)`` holds; return everything read."""
    seen = []
    while True:
        event = await asyncio.wait_for(call.read(), timeout)
        assert event is not grpc.aio.EOF
        seen.append(event)
        if predicate(event):
            return seen


async def test_sees_a_new_instance_appear_change_and_terminate(harness: WatchHarness) -> None:
    before = await harness.submit(60)  # running before the watch starts
    call = harness.stub.WatchInstances(E.WatchInstancesRequest())
    try:
        snapshot = await _until(call, lambda e: e.event_type == ListEvent.SNAPSHOT_END)
        added = {e.instance.instance_id for e in snapshot[:-1]}
        assert before in added
        assert all(e.event_type == ListEvent.ADDED for e in snapshot[:-1])
        assert all(e.instance.state == State.RUNNING for e in snapshot[:-1])
        # The project listing has no task details, so no outcome: successful stays unset.
        assert not any(e.instance.HasField("successful") for e in snapshot[:-1])

        new = await harness.submit(60)
        events = await _until(call, lambda e: e.instance.instance_id == new)
        assert events[-1].event_type == ListEvent.ADDED

        await asyncio.to_thread(harness.emulator.suspend, new)
        events = await _until(call, lambda e: e.instance.instance_id == new)
        assert events[-1].event_type == ListEvent.CHANGED
        assert events[-1].instance.state == State.SUSPENDED
        await asyncio.to_thread(harness.emulator.resume, new)
        events = await _until(call, lambda e: e.instance.instance_id == new)
        assert events[-1].event_type == ListEvent.CHANGED
        assert events[-1].instance.state == State.RUNNING

        await harness.stop(new)
        events = await _until(call, lambda e: e.instance.instance_id == new)
        assert events[-1].event_type == ListEvent.TERMINATED
        assert events[-1].instance.state == State.TERMINATED
        assert not events[-1].instance.HasField("successful")
        assert not events[-1].instance.tasks
        sequences = [e.sequence for e in snapshot + events]
        assert sequences == sorted(sequences)
    finally:
        call.cancel()
        await harness.stop(before)
    await wait_for(lambda: harness.hub.lister_count == 0)


async def test_listers_are_shared_per_filter(harness: WatchHarness) -> None:
    calls = [harness.stub.WatchInstances(E.WatchInstancesRequest()) for _ in range(5)]
    other = harness.stub.WatchInstances(
        E.WatchInstancesRequest(state_filter=State.TERMINATED, only_owner=True)
    )
    try:
        for call in [*calls, other]:
            await _until(call, lambda e: e.event_type == ListEvent.SNAPSHOT_END)
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
        await _until(call, lambda e: e.event_type == ListEvent.SNAPSHOT_END)
        await _until(call, lambda e: e.event_type == ListEvent.HEARTBEAT, 10)
    finally:
        call.cancel()
    bad = harness.stub.WatchInstances(
        E.WatchInstancesRequest(heartbeat_interval=Duration(seconds=3600))
    )
    events, code, details = await collect(bad)
    assert events == [] and code == grpc.StatusCode.INVALID_ARGUMENT
    assert "heartbeat_interval" in details
