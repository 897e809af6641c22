"""WaitInstance: returns at termination, or at min(timeout, deadline, cap) with the state."""

from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator

from .conftest import WatchHarness, start_harness, stop_harness, wait_for

E = instance_service_pb2
State = instance_pb2.Instance.State
TaskState = instance_pb2.Task.State


async def test_wait_returns_when_the_instance_terminates(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    wait = asyncio.ensure_future(
        harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(seconds=25)),
            timeout=30,
        )
    )
    await wait_for(lambda: harness.hub.poller(harness.project, instance_id) is not None)
    assert not wait.done()
    await harness.stop(instance_id)
    response = await asyncio.wait_for(wait, 20)
    assert response.instance.state == State.TERMINATED
    assert [t.state for t in response.instance.tasks] == [TaskState.CANCELLED]
    await wait_for(lambda: harness.hub.poller_count == 0)


async def test_wait_times_out_with_the_running_state(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    try:
        started = time.monotonic()
        response = await harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(nanos=600_000_000)),
            timeout=30,
        )
        elapsed = time.monotonic() - started
        assert response.instance.state == State.RUNNING
        assert response.instance.tasks and not response.instance.HasField("successful")
        assert 0.5 <= elapsed < 5, elapsed
        # A call deadline shorter than the requested timeout wins, and still answers OK.
        started = time.monotonic()
        response = await harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(seconds=20)),
            timeout=1.0,
        )
        elapsed = time.monotonic() - started
        assert response.instance.state == State.RUNNING
        assert elapsed < 1.0
        await wait_for(lambda: harness.hub.poller_count == 0)
    finally:
        await harness.stop(instance_id)


async def test_wait_is_capped_by_the_server(emulator: Emulator) -> None:
    harness = await start_harness(emulator, wait_cap=0.5)
    instance_id = await harness.submit(60)
    try:
        started = time.monotonic()
        response = await harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(seconds=20)),
            timeout=30,
        )
        assert response.instance.state == State.RUNNING
        assert time.monotonic() - started < 5
    finally:
        await harness.stop(instance_id)
        await stop_harness(harness)


async def test_negative_timeout_is_invalid(harness: WatchHarness) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await harness.stub.WaitInstance(
            E.WaitInstanceRequest(instance_id="20990101000000000abc", timeout=Duration(seconds=-1)),
            timeout=10,
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
