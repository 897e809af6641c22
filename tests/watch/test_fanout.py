"""Sharing: one poller however many subscribers, stopped with the last one; slow readers."""

from __future__ import annotations

import asyncio

import grpc
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator

from .conftest import WatchHarness, collect, start_harness, stop_harness, wait_for

E = instance_service_pb2
Event = E.WatchInstanceResponse.EventType
State = instance_pb2.Instance.State


async def _watch_to_end(harness: WatchHarness, subscribers: int, seconds: float) -> float:
    """Upstream requests spent following one instance of ``seconds`` with ``subscribers``."""
    instance_id = await harness.submit(seconds, "select * from pyodps_iris")
    before = harness.upstream_requests()
    calls = [harness.watch(instance_id) for _ in range(subscribers)]
    results = await asyncio.wait_for(asyncio.gather(*(collect(c) for c in calls)), 60)
    spent = harness.upstream_requests() - before
    for messages, code, details in results:
        assert code == grpc.StatusCode.OK, details
        assert [m.event_type for m in messages].count(Event.TERMINAL) == 1
        assert messages[-1].instance.successful
    await wait_for(lambda: harness.hub.poller_count == 0)
    return spent


async def test_hundred_subscribers_cost_no_more_upstream_than_one(harness: WatchHarness) -> None:
    # Same instance duration, same cadence: the only difference is the number of watchers.
    one = await _watch_to_end(harness, 1, 2.0)
    hundred = await _watch_to_end(harness, 100, 2.0)
    assert one > 0
    # Timing jitter can shift a sample by one cadence tick; a per-subscriber poller would
    # need ~100x.
    assert hundred <= one * 1.25 + 2, (one, hundred)


async def test_cancelling_the_last_subscriber_stops_the_poller(harness: WatchHarness) -> None:
    instance_id = await harness.submit(60)
    try:
        calls = [harness.watch(instance_id) for _ in range(3)]
        for call in calls:
            assert (await call.read()).event_type == Event.SNAPSHOT
        poller = harness.hub.poller(harness.project, instance_id)
        assert poller is not None and len(poller.subscribers) == 3
        assert harness.gauge("mcgateway_active_pollers") == 1
        assert harness.gauge("mcgateway_active_streams", {"method": "WatchInstance"}) == 3
        calls[0].cancel()
        calls[1].cancel()
        await wait_for(lambda: len(poller.subscribers) == 1)
        assert harness.hub.poller_count == 1 and not poller.stopping
        calls[2].cancel()
        await wait_for(lambda: harness.hub.poller_count == 0)
        await poller.wait_stopped()
        assert poller.finished
        assert harness.gauge("mcgateway_active_pollers") == 0
        await wait_for(
            lambda: harness.gauge("mcgateway_active_streams", {"method": "WatchInstance"}) == 0
        )
        # A new subscriber starts a fresh poller and gets a snapshot.
        call = harness.watch(instance_id)
        assert (await call.read()).event_type == Event.SNAPSHOT
        fresh = harness.hub.poller(harness.project, instance_id)
        assert fresh is not None and fresh is not poller
        call.cancel()
        await wait_for(lambda: harness.hub.poller_count == 0)
    finally:
        await harness.stop(instance_id)


async def test_a_reader_that_never_reads_does_not_hold_back_another(
    harness: WatchHarness,
) -> None:
    instance_id = await harness.submit(2.0, "select * from pyodps_iris")
    stuck = harness.watch(instance_id)  # never read until the end
    await wait_for(lambda: harness.hub.poller_count == 1)
    messages, code, _ = await asyncio.wait_for(collect(harness.watch(instance_id)), 30)
    assert code == grpc.StatusCode.OK
    assert messages[-1].event_type == Event.TERMINAL
    # The stuck stream still gets everything that matters, once, when it finally reads.
    late, code, _ = await collect(stuck)
    assert code == grpc.StatusCode.OK
    kinds = [m.event_type for m in late]
    assert kinds[0] == Event.SNAPSHOT and kinds.count(Event.TERMINAL) == 1
    assert late[-1].instance.state == State.TERMINATED
    assert late[-1].sequence == messages[-1].sequence


async def test_a_burst_of_new_subscribers_is_held_to_the_upstream_rate(
    emulator: Emulator,
) -> None:
    harness = await start_harness(
        emulator, upstream_rate_limit_qps=20.0, upstream_rate_limit_burst=5
    )
    instance_ids = [await harness.submit(60) for _ in range(8)]
    try:
        loop = asyncio.get_running_loop()
        before = harness.upstream_requests()
        started = loop.time()
        calls = [harness.watch(i) for i in instance_ids]
        for call in calls:  # each first read costs ~3 requests: ~24 requests in all
            assert (await asyncio.wait_for(call.read(), 20)).event_type == (Event.SNAPSHOT)
        elapsed = loop.time() - started
        spent = harness.upstream_requests() - before
        assert spent >= 16
        assert spent <= 5 + 20.0 * elapsed + 1, (spent, elapsed)
        for call in calls:
            call.cancel()
    finally:
        for instance_id in instance_ids:
            await harness.stop(instance_id)
        await stop_harness(harness)
