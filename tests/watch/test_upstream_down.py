"""No first state: watches and waits end UNAVAILABLE after ``snapshot_timeout``, never hang.

Every upstream read of the instance (or of the project list) fails through the emulator's
fault injection, so no snapshot can ever be read. WatchInstance, WatchInstances and
WaitInstance then end with UNAVAILABLE, reason ``UPSTREAM_UNAVAILABLE`` and the last
MaxCompute error code in the ErrorInfo metadata, and the poller goes away with its last
subscriber. Permanent errors still end at once with their own code, and a stream that
already had its snapshot keeps retrying (stale) instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator

from .conftest import WatchHarness, collect, error_info, start_harness, stop_harness, wait_for

E = instance_service_pb2
Event = E.WatchInstanceResponse.EventType
State = instance_pb2.Instance.State

SNAPSHOT_TIMEOUT = 3.0
"""Short enough for a quick test, long enough that a read (the REST client retries a failed
request up to 5 times, ~1.5 s of backoff at most) has failed once and its code is known."""
INSTANCE_READS = ["get_instance", "get_instance_status", "task_status", "task_progress"]
"""The emulator operations a poller reads an instance with."""
FAULTS = {
    "ServiceUnavailable": {"error_rate": 1.0, "error_statuses": (503,)},
    "MalformedResponse": {"malformed_rate": 1.0},
}
"""Fault settings that make every read fail, by the MaxCompute code the gateway reports."""


def _watch(harness: WatchHarness, instance_id: str, timeout: float, **fields: Any) -> Any:
    """A WatchInstance stream with a call deadline of ``timeout`` seconds."""
    request = E.WatchInstanceRequest(project=harness.project, instance_id=instance_id, **fields)
    return harness.stub.WatchInstance(request, timeout=timeout)


async def _failure(call: object) -> tuple[list[object], grpc.aio.AioRpcError]:
    """Read a stream to its end, which must be an error: (messages, the error)."""
    messages: list[object] = []
    try:
        while True:
            message = await call.read()  # type: ignore[attr-defined]
            if message is grpc.aio.EOF:
                raise AssertionError(f"stream ended OK after {messages}")
            messages.append(message)
    except grpc.aio.AioRpcError as exc:
        return messages, exc


@pytest.fixture
async def down(emulator: Emulator) -> AsyncIterator[WatchHarness]:
    """A gateway with a short ``snapshot_timeout``; faults are cleared afterwards."""
    harness = await start_harness(emulator, snapshot_timeout=SNAPSHOT_TIMEOUT)
    try:
        yield harness
    finally:
        emulator.faults.clear()
        await stop_harness(harness)


@pytest.mark.parametrize("maxcompute_code", sorted(FAULTS))
async def test_watch_and_wait_end_unavailable_when_no_snapshot_can_be_read(
    down: WatchHarness, maxcompute_code: str
) -> None:
    instance_id = await down.submit(60)
    down.emulator.faults.inject(operations=INSTANCE_READS, **FAULTS[maxcompute_code])
    loop = asyncio.get_running_loop()
    started = loop.time()
    # Two streams and a wait share one poller; long deadlines, so nothing is deadline-driven.
    streams = [_watch(down, instance_id, 120) for _ in range(2)]
    wait = asyncio.ensure_future(
        down.stub.WaitInstance(
            E.WaitInstanceRequest(
                project=down.project, instance_id=instance_id, timeout=Duration(seconds=25)
            ),
            timeout=120,
        )
    )
    results = await asyncio.wait_for(asyncio.gather(*(_failure(s) for s in streams)), 60)
    with pytest.raises(grpc.aio.AioRpcError) as waited:
        await asyncio.wait_for(wait, 60)
    elapsed = loop.time() - started
    errors = [exc for _, exc in results] + [waited.value]
    for messages, _ in results:
        assert messages == []
    for exc in errors:
        assert exc.code() == grpc.StatusCode.UNAVAILABLE, exc.details()
        info = error_info(exc)
        assert info.reason == "UPSTREAM_UNAVAILABLE"
        assert info.metadata["project"] == down.project
        assert info.metadata["instance_id"] == instance_id
        # MaxCompute's code, where every error carries it (v1 dropped ``upstream_code``).
        assert info.metadata["maxcompute_code"] == maxcompute_code
        assert "upstream_code" not in info.metadata
        assert maxcompute_code in (exc.details() or "")
    # Ended by the snapshot timeout, well before any deadline or stream age.
    assert SNAPSHOT_TIMEOUT - 0.5 <= elapsed < 30, elapsed
    # The last subscriber leaving this way stops the poller.
    await wait_for(lambda: down.hub.poller_count == 0)
    down.emulator.faults.clear()
    # Once MaxCompute answers again, a new watch gets its snapshot.
    call: Any = down.watch(instance_id)
    try:
        first = await asyncio.wait_for(call.read(), 20)
        assert first.event_type == Event.SNAPSHOT and not first.stale
    finally:
        call.cancel()
        await down.stop(instance_id)


async def test_watch_instances_ends_unavailable_when_the_first_list_fails(
    down: WatchHarness,
) -> None:
    down.emulator.faults.inject(
        operations=["list_instances"], error_rate=1.0, error_statuses=(503,)
    )
    call = down.stub.WatchInstances(E.WatchInstancesRequest(project=down.project), timeout=120)
    messages, exc = await asyncio.wait_for(_failure(call), 60)
    assert messages == []
    assert exc.code() == grpc.StatusCode.UNAVAILABLE, exc.details()
    info = error_info(exc)
    assert info.reason == "UPSTREAM_UNAVAILABLE"
    assert info.metadata["project"] == down.project
    assert "instance_id" not in info.metadata
    assert info.metadata["maxcompute_code"] == "ServiceUnavailable"
    assert "upstream_code" not in info.metadata
    await wait_for(lambda: down.hub.lister_count == 0)


async def test_a_short_deadline_gets_unavailable_before_it_expires(emulator: Emulator) -> None:
    # Default snapshot_timeout (30 s): the call's deadline is the tighter bound.
    harness = await start_harness(emulator)
    instance_id = await harness.submit(60)
    harness.emulator.faults.inject(operations=INSTANCE_READS, error_rate=1.0)
    try:
        messages, exc = await asyncio.wait_for(_failure(_watch(harness, instance_id, 3.0)), 20)
        assert messages == []
        assert exc.code() == grpc.StatusCode.UNAVAILABLE, exc.details()
        assert error_info(exc).reason == "UPSTREAM_UNAVAILABLE"
        await wait_for(lambda: harness.hub.poller_count == 0)
    finally:
        harness.emulator.faults.clear()
        await harness.stop(instance_id)
        await stop_harness(harness)


async def test_permanent_errors_still_end_the_stream_at_once(emulator: Emulator) -> None:
    # A long snapshot timeout: NOT_FOUND must not wait for it.
    harness = await start_harness(emulator, snapshot_timeout=60.0)
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        messages, code, _ = await asyncio.wait_for(
            collect(_watch(harness, "20990101000000000missing1", 120)), 30
        )
        assert messages == [] and code == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.aio.AioRpcError) as waited:
            await harness.stub.WaitInstance(
                E.WaitInstanceRequest(
                    project=harness.project, instance_id="20990101000000000missing1"
                ),
                timeout=120,
            )
        assert waited.value.code() == grpc.StatusCode.NOT_FOUND
        assert loop.time() - started < 30
        await wait_for(lambda: harness.hub.poller_count == 0)
    finally:
        await stop_harness(harness)


async def test_after_the_snapshot_failures_only_mark_messages_stale(down: WatchHarness) -> None:
    # Streams that had their snapshot never end for an outage: they go stale and recover.
    instance_id = await down.submit(60)
    call: Any = _watch(down, instance_id, 120, heartbeat_interval=Duration(seconds=1))
    try:
        first = await asyncio.wait_for(call.read(), 20)
        assert first.event_type == Event.SNAPSHOT and not first.stale
        down.emulator.faults.inject(operations=INSTANCE_READS, error_rate=1.0)
        while not (message := await asyncio.wait_for(call.read(), 20)).stale:
            pass
        stale_since = asyncio.get_running_loop().time()
        # Heartbeats keep coming for longer than the snapshot timeout: the stream stays open
        # (a long poll sent before the faults may still succeed, so not every one is stale).
        while asyncio.get_running_loop().time() - stale_since <= SNAPSHOT_TIMEOUT + 0.5:
            message = await asyncio.wait_for(call.read(), 20)
            assert message.instance.state == State.RUNNING
        down.emulator.faults.clear()
        while (message := await asyncio.wait_for(call.read(), 30)).stale:
            pass
        assert message.event_type != Event.TERMINAL
    finally:
        down.emulator.faults.clear()
        call.cancel()
        await down.stop(instance_id)
