"""WatchInstance over a real gateway and the emulator: snapshot, changes, terminal, errors."""

from __future__ import annotations

import asyncio
import itertools

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator

from .conftest import WatchHarness, collect, error_info, start_harness, stop_harness, wait_for

E = instance_service_pb2
Event = E.WatchInstanceResponse.EventType
State = instance_pb2.Instance.State
TaskState = instance_pb2.Task.State
SNAPSHOT = Event.SNAPSHOT
TERMINAL = Event.TERMINAL


def _reason(exc: grpc.aio.AioRpcError) -> str:
    """The ErrorInfo reason of a failed call."""
    return str(error_info(exc).reason)


async def test_stream_is_snapshot_changes_then_one_terminal(harness: WatchHarness) -> None:
    instance_id = await harness.submit(2.0, "select * from pyodps_iris")
    messages, code, _ = await collect(harness.watch(instance_id))
    assert code == grpc.StatusCode.OK
    kinds = [m.event_type for m in messages]
    assert kinds[0] == SNAPSHOT
    assert kinds.count(TERMINAL) == 1 and kinds[-1] == TERMINAL
    assert kinds.count(SNAPSHOT) == 1
    final = messages[-1]
    assert final.instance.state == State.TERMINATED
    assert final.instance.successful and final.instance.failure_message == ""
    assert [t.state for t in final.instance.tasks] == [TaskState.SUCCEEDED]
    assert not final.stale
    sequences = [m.sequence for m in messages]
    assert all(a < b for a, b in itertools.pairwise(sequences))
    times = [m.observe_time.ToDatetime() for m in messages]
    assert times == sorted(times)
    # The running part carried stage progress with the PyODPS line.
    with_progress = [m for m in messages[:-1] if m.progress]
    assert with_progress, kinds
    progress = with_progress[-1].progress[0]
    assert progress.task_name == "AnonymousSQLTask" and progress.stages
    assert progress.stages[0].id in progress.formatted
    assert Event.PROGRESS in kinds


async def test_terminated_instance_gives_one_terminal_message(harness: WatchHarness) -> None:
    instance_id = await harness.submit(0.1)
    await harness.wait_terminated(instance_id)
    before = harness.upstream_requests()
    # First watcher: the hub knows nothing yet, so one upstream read answers it.
    messages, code, _ = await collect(harness.watch(instance_id))
    assert code == grpc.StatusCode.OK
    assert [m.event_type for m in messages] == [TERMINAL]
    assert messages[0].instance.successful
    read = harness.upstream_requests() - before
    assert 1 <= read <= 3  # instance, task statuses (and nothing else)
    # Second watcher: answered from the hub's memory of terminated instances.
    again, code, _ = await collect(harness.watch(instance_id))
    assert code == grpc.StatusCode.OK
    assert [m.event_type for m in again] == [TERMINAL]
    assert again[0].sequence == messages[0].sequence
    assert harness.upstream_requests() - before == read
    assert harness.hub.poller_count == 0


async def test_stop_while_watched_ends_with_cancelled_tasks(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    call = harness.watch(instance_id)
    first = await call.read()
    assert first.event_type == SNAPSHOT
    assert first.instance.state == State.RUNNING
    assert not first.instance.HasField("successful")  # no outcome while it runs
    await harness.stop(instance_id)
    rest, code, _ = await collect(call)
    assert code == grpc.StatusCode.OK
    assert [m.event_type for m in rest].count(TERMINAL) == 1
    final = rest[-1]
    assert final.event_type == TERMINAL
    assert final.instance.state == State.TERMINATED
    assert final.instance.HasField("successful") and not final.instance.successful
    assert [t.state for t in final.instance.tasks] == [TaskState.CANCELLED]
    assert "CANCELLED" in final.instance.failure_message


async def test_unknown_instance_ends_with_not_found(harness: WatchHarness) -> None:
    call = harness.watch("20990101000000000nosuchinst")
    messages, code, _ = await collect(call)
    assert messages == [] and code == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as ended:
        await call.read()
    assert _reason(ended.value) == "INSTANCE_NOT_FOUND"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id="20990101000000000nosuchinst"), timeout=20
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    info = error_info(caught.value)
    assert info.reason == "INSTANCE_NOT_FOUND"
    assert info.metadata["maxcompute_code"] == "NoSuchObject"
    assert info.metadata["instance_id"] == "20990101000000000nosuchinst"
    await wait_for(lambda: harness.hub.poller_count == 0)


@pytest.mark.parametrize(
    "interval",
    [Duration(nanos=500_000_000), Duration(seconds=601), Duration(seconds=-1)],
    ids=["below-1s", "above-10min", "negative"],
)
async def test_heartbeat_interval_out_of_range_is_invalid(
    harness: WatchHarness, interval: Duration
) -> None:
    messages, code, details = await collect(
        harness.watch("20990101000000000nosuchinst", heartbeat_interval=interval)
    )
    assert messages == [] and code == grpc.StatusCode.INVALID_ARGUMENT
    assert "heartbeat_interval" in details
    assert harness.hub.poller_count == 0


async def test_heartbeat_repeats_latest_state_on_a_quiet_stream(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    call = harness.watch(instance_id, omit_progress=True, heartbeat_interval=Duration(seconds=1))
    try:
        first = await call.read()
        assert first.event_type == SNAPSHOT and not first.progress
        previous = first
        while True:  # the task may still move from Waiting to Running first
            beat = await asyncio.wait_for(call.read(), 10)
            if beat.event_type == Event.HEARTBEAT:
                break
            assert beat.event_type == Event.TASK_STATE_CHANGED
            previous = beat
        assert beat.sequence >= previous.sequence
        assert beat.instance.state == State.RUNNING and not beat.progress
        gap = beat.observe_time.ToDatetime() - previous.observe_time.ToDatetime()
        assert gap.total_seconds() >= 0
    finally:
        call.cancel()
        await harness.stop(instance_id)


async def test_omit_progress_and_wait_never_sample_progress(harness: WatchHarness) -> None:
    instance_id = await harness.submit(1.5)
    progress_before = harness.upstream_requests("get_task_progress")
    wait = asyncio.ensure_future(
        harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(seconds=25)),
            timeout=30,
        )
    )
    messages, code, _ = await collect(harness.watch(instance_id, omit_progress=True))
    response = await wait
    assert code == grpc.StatusCode.OK and messages[-1].event_type == TERMINAL
    assert all(not m.progress for m in messages)
    assert response.instance.state == State.TERMINATED
    assert harness.upstream_requests("get_task_progress") == progress_before


async def test_suspend_and_resume_are_status_changes(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    call = harness.watch(instance_id, omit_progress=True)
    try:
        assert (await call.read()).event_type == SNAPSHOT
        await asyncio.to_thread(harness.emulator.suspend, instance_id)
        while True:
            changed = await asyncio.wait_for(call.read(), 15)
            if changed.event_type == Event.STATE_CHANGED:
                break
        assert changed.instance.state == State.SUSPENDED
        await asyncio.to_thread(harness.emulator.resume, instance_id)
        while True:
            message = await asyncio.wait_for(call.read(), 15)
            if message.event_type == Event.STATE_CHANGED:
                break
        assert message.instance.state == State.RUNNING
        assert message.sequence > changed.sequence
    finally:
        call.cancel()
        await harness.stop(instance_id)


async def test_every_subscriber_gets_one_terminal_despite_transient_errors(
    emulator: Emulator,
) -> None:
    harness = await start_harness(emulator)
    instance_id = await harness.submit(2.5)
    emulator.faults.inject(
        error_rate=0.3,
        operations=[
            "get_instance",
            "get_instance_status",
            "task_status",
            "task_progress",
            "task_result",
        ],
    )
    try:
        calls = [harness.watch(instance_id) for _ in range(10)]
        results = await asyncio.wait_for(asyncio.gather(*(collect(c) for c in calls)), 60)
    finally:
        emulator.faults.clear()
        await stop_harness(harness)
    for messages, code, details in results:
        assert code == grpc.StatusCode.OK, details
        kinds = [m.event_type for m in messages]
        assert kinds.count(TERMINAL) == 1 and kinds[-1] == TERMINAL
        final = messages[-1].instance
        assert final.state == State.TERMINATED and final.successful
        assert [t.state for t in final.tasks] == [TaskState.SUCCEEDED]
        assert not messages[-1].stale


async def test_status_long_poll_returns_on_any_status_change(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    client = harness.upstream.client
    try:
        before = harness.emulator.request_count("get_instance_status")
        held = asyncio.ensure_future(
            asyncio.to_thread(client.poll_instance_status, harness.project, instance_id)
        )
        # The emulator counts a request on arrival: once counted, it is being held.
        await wait_for(lambda: harness.emulator.request_count("get_instance_status") > before)
        await asyncio.to_thread(harness.emulator.suspend, instance_id)
        instance = await asyncio.wait_for(held, 4.0)  # well under the 5 s hold
        assert instance.status.value == "Suspended"
        assert harness.emulator.request_count("get_instance_status") == before + 1
        await asyncio.to_thread(harness.emulator.resume, instance_id)
    finally:
        await harness.stop(instance_id)


async def test_messages_are_flagged_stale_while_upstream_reads_fail(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    call = harness.watch(instance_id, heartbeat_interval=Duration(seconds=1))
    reads = ["get_instance", "get_instance_status", "task_status", "task_progress"]
    try:
        first = await call.read()
        assert first.event_type == SNAPSHOT and not first.stale
        harness.emulator.faults.inject(error_rate=1.0, operations=reads)
        while not (message := await asyncio.wait_for(call.read(), 20)).stale:
            pass
        assert message.instance.state == State.RUNNING
        harness.emulator.faults.clear()
        while (message := await asyncio.wait_for(call.read(), 30)).stale:
            pass
        assert message.event_type != TERMINAL
    finally:
        harness.emulator.faults.clear()
        call.cancel()
        await harness.stop(instance_id)
