"""Unary reads answered from a healthy watch poller's state (``hub_read_max_age``).

While a WatchInstance stream follows an instance, GetInstance, ListTasks, GetTaskProgress and
WaitInstance answer from the poller's state without an upstream request; a degraded poller
(failing reads) or one whose reads are older than the bound sends them to MaxCompute again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator

from .conftest import WatchHarness, start_harness, stop_harness, wait_for

E = instance_service_pb2
State = instance_pb2.Instance.State
TaskState = instance_pb2.Task.State

# The reads GetInstance, ListTasks and GetTaskProgress make when they go upstream (the
# poller's own status loop uses get_instance_status, its long poll).
UNARY_READS = ("get_instance", "get_task_statuses", "get_task_progress", "get_task_results")

# A progress cadence longer than any test here: the poller's detail loop stays quiet, so the
# only upstream reads of these operations are the ones a unary call makes.
QUIET = {"progress_interval": 60.0, "hub_read_max_age": 60.0}


def unary_reads(h: WatchHarness) -> float:
    return sum(h.upstream_requests(op) for op in UNARY_READS)


@pytest.fixture
async def quiet(emulator: Emulator) -> AsyncIterator[WatchHarness]:
    h = await start_harness(emulator, **QUIET)
    try:
        yield h
    finally:
        await stop_harness(h)


async def follow(h: WatchHarness, instance_id: str, **kwargs: Any) -> Any:
    """Open a WatchInstance stream, read its snapshot and let the poller's first detail
    sample land (the first stream wakes the detail loop at once), so that the poller's own
    reads of these operations are over until its next cadence."""
    stream = h.watch(instance_id, **kwargs)
    snapshot = await stream.read()
    assert snapshot.event_type == E.WatchInstanceResponse.SNAPSHOT
    poller = h.hub.poller(h.project, instance_id)
    assert poller is not None
    await wait_for(lambda: poller._tasks_applied >= 2)  # snapshot's epoch 1, then the sample
    return stream


async def test_reads_of_a_followed_instance_make_no_upstream_request(quiet: WatchHarness) -> None:
    h = quiet
    instance_id = await h.submit(60)
    stream = await follow(h, instance_id)
    try:
        # The snapshot's progress read may find no stages yet; a running task with a sample
        # is what GetTaskProgress answers from.
        await wait_for(lambda: h.hub.fresh_state(h.project, instance_id) is not None)
        state = h.hub.fresh_state(h.project, instance_id)
        assert state is not None
        before = unary_reads(h)
        for _ in range(5):
            got = await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
            assert got == state.instance_pb()
            assert got.state == State.RUNNING and got.tasks
            tasks = await h.stub.ListTasks(E.ListTasksRequest(instance_id=instance_id))
            assert list(tasks.tasks) == list(state.instance_pb().tasks)
        sampled = [p for p in state.progress if p.stages]
        assert sampled, "the emulator reports a stage for a running SQL task"
        progress = await h.stub.GetTaskProgress(
            E.GetTaskProgressRequest(instance_id=instance_id, task_name=sampled[0].task_name)
        )
        assert progress.task_name == sampled[0].task_name
        assert len(progress.stages) == len(sampled[0].stages)
        waited = await h.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(nanos=200_000_000))
        )
        assert waited.instance == state.instance_pb()
        assert unary_reads(h) == before
    finally:
        stream.cancel()
        await h.stop(instance_id)


async def test_without_a_poller_or_with_the_setting_off_reads_go_upstream(
    emulator: Emulator,
) -> None:
    h = await start_harness(emulator, progress_interval=60.0, hub_read_max_age=0.0)
    try:
        instance_id = await h.submit(60)
        before = unary_reads(h)
        await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
        assert unary_reads(h) == before + 2  # GET and ?taskstatus
        stream = await follow(h, instance_id)
        try:
            assert h.hub.fresh_state(h.project, instance_id) is None
            before = unary_reads(h)
            got = await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
            assert got.state == State.RUNNING
            assert unary_reads(h) == before + 2
        finally:
            stream.cancel()
            await h.stop(instance_id)
    finally:
        await stop_harness(h)


async def test_answers_follow_a_status_change(quiet: WatchHarness) -> None:
    h = quiet
    instance_id = await h.submit(60)
    stream = await follow(h, instance_id, omit_progress=True)
    try:
        await wait_for(lambda: h.hub.fresh_state(h.project, instance_id) is not None)
        before = unary_reads(h)
        got = await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
        assert got.state == State.RUNNING
        assert unary_reads(h) == before
        # Stopped behind the gateway's back: the poller's long poll sees it, the watcher is
        # told, and a read after that says what the watcher was told.
        await h.stop(instance_id)
        while True:
            message = await stream.read()
            if message.event_type == E.WatchInstanceResponse.TERMINAL:
                break
        got = await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
        assert got.state == State.TERMINATED
        assert [t.state for t in got.tasks] == [TaskState.CANCELLED]
        assert got == message.instance
    finally:
        stream.cancel()


async def test_a_stop_through_the_gateway_is_never_answered_by_an_older_state(
    quiet: WatchHarness,
) -> None:
    h = quiet
    instance_id = await h.submit(60)
    stream = await follow(h, instance_id, omit_progress=True)
    try:
        await wait_for(lambda: h.hub.fresh_state(h.project, instance_id) is not None)
        stopped = await h.stub.StopInstance(E.StopInstanceRequest(instance_id=instance_id))
        # The poller's long poll started before the stop: its state must not answer now.
        got = await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
        assert stopped.instance.state == State.TERMINATED
        assert got.state == State.TERMINATED
    finally:
        stream.cancel()


async def test_a_degraded_poller_sends_reads_upstream(quiet: WatchHarness) -> None:
    h = quiet
    instance_id = await h.submit(60)
    stream = await follow(h, instance_id, omit_progress=True)
    try:
        await wait_for(lambda: h.hub.fresh_state(h.project, instance_id) is not None)
        # Only the poller's status reads fail: it marks its state stale and backs off.
        h.emulator.faults.inject(operations={"get_instance_status"}, error_rate=1.0)
        poller = h.hub.poller(h.project, instance_id)
        assert poller is not None
        try:
            await wait_for(lambda: poller.state is not None and poller.state.stale, 20)
            assert h.hub.fresh_state(h.project, instance_id) is None
            before = unary_reads(h)
            got = await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
            assert got.state == State.RUNNING and got.tasks
            assert unary_reads(h) == before + 2
        finally:
            h.emulator.faults.clear()
        # Healthy again: answers come from the hub once more.
        await wait_for(lambda: h.hub.fresh_state(h.project, instance_id) is not None, 20)
    finally:
        stream.cancel()
        await h.stop(instance_id)


async def test_an_answer_is_never_older_than_the_bound(emulator: Emulator) -> None:
    # A stream without progress samples tasks every 5 s; with a bound of 1 s the hub answers
    # only in the second after a task read, and reads go upstream for the rest.
    bound = 1.0
    h = await start_harness(emulator, progress_interval=60.0, hub_read_max_age=bound)
    try:
        instance_id = await h.submit(60)
        stream = await follow(h, instance_id, omit_progress=True)
        try:
            poller = h.hub.poller(h.project, instance_id)
            assert poller is not None
            seen_fresh = seen_old = False
            end = time.monotonic() + 7.0
            while time.monotonic() < end and not (seen_fresh and seen_old):
                state = h.hub.fresh_state(h.project, instance_id)
                now = time.monotonic()
                tasks_at = poller._tasks_at  # the start of the applied task read
                if state is not None:
                    seen_fresh = True
                    assert tasks_at is not None and now - tasks_at <= bound
                else:
                    seen_old = True
                    before = unary_reads(h)
                    await h.stub.GetInstance(E.GetInstanceRequest(instance_id=instance_id))
                    if h.hub.fresh_state(h.project, instance_id) is None:
                        assert unary_reads(h) == before + 2
                await asyncio.sleep(0.05)
            assert seen_fresh and seen_old
        finally:
            stream.cancel()
            await h.stop(instance_id)
    finally:
        await stop_harness(h)
