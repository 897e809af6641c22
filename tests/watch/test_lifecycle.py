"""Streams the gateway ends itself: maximum stream age and shutdown, both UNAVAILABLE."""

from __future__ import annotations

import asyncio

import grpc
from maxcompute.gateway.v1 import instance_service_pb2
from mcemulator import Emulator

from .conftest import collect, error_info, start_harness, stop_harness, wait_for

E = instance_service_pb2
Event = E.WatchInstanceResponse.EventType
ListEvent = E.WatchInstancesResponse.EventType


async def test_streams_end_unavailable_at_max_stream_age(emulator: Emulator) -> None:
    harness = await start_harness(emulator, max_stream_age=1.0)
    instance_id = await harness.submit(60)
    try:
        call = harness.watch(instance_id)
        project_call = harness.stub.WatchInstances(E.WatchInstancesRequest())
        messages, code, _ = await asyncio.wait_for(collect(call), 15)
        assert code == grpc.StatusCode.UNAVAILABLE
        assert messages and messages[0].event_type == Event.SNAPSHOT
        assert all(m.event_type != Event.TERMINAL for m in messages)
        with_error = None
        try:
            await call.read()
        except grpc.aio.AioRpcError as exc:
            with_error = exc
        assert with_error is not None and error_info(with_error).reason == "MAX_STREAM_AGE"
        events, code, _ = await asyncio.wait_for(collect(project_call), 15)
        assert code == grpc.StatusCode.UNAVAILABLE
        assert ListEvent.SNAPSHOT_END in [e.event_type for e in events]
        await wait_for(lambda: harness.hub.poller_count == 0 and harness.hub.lister_count == 0)
    finally:
        await harness.stop(instance_id)
        await stop_harness(harness)


async def test_shutdown_ends_streams_with_unavailable(emulator: Emulator) -> None:
    harness = await start_harness(emulator)
    instance_id = await harness.submit(60)
    try:
        call = harness.watch(instance_id)
        assert (await call.read()).event_type == Event.SNAPSHOT
        wait = asyncio.ensure_future(
            harness.stub.WaitInstance(E.WaitInstanceRequest(instance_id=instance_id), timeout=60)
        )
        await wait_for(
            lambda: len(harness.hub.poller(harness.project, instance_id).subscribers) == 2
        )  # type: ignore[union-attr]
        await harness.hub.close()
        messages, code, _ = await asyncio.wait_for(collect(call), 10)
        assert code == grpc.StatusCode.UNAVAILABLE
        assert all(m.event_type != Event.TERMINAL for m in messages)
        try:
            await call.read()
        except grpc.aio.AioRpcError as exc:
            assert error_info(exc).reason == "SHUTTING_DOWN"
        try:
            await asyncio.wait_for(wait, 10)
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.UNAVAILABLE
        else:
            raise AssertionError("WaitInstance should have ended UNAVAILABLE")
        assert harness.hub.poller_count == 0
        # New streams are refused the same way until the server is gone.
        late, code, _ = await collect(harness.watch(instance_id))
        assert late == [] and code == grpc.StatusCode.UNAVAILABLE
    finally:
        await harness.stop(instance_id)
        await stop_harness(harness)
