"""The terminated-instance cache, proven with the upstream request counter."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from maxcompute.gateway.v1 import instance_pb2
from mcgateway.metrics import GatewayMetrics
from mcgateway.service.cache import Cached, TerminalCache, key

from gateway.support import pb, submit_sql, wait_terminated


def test_hundred_reads_of_a_terminated_instance_cost_at_most_one_upstream_request(gateway, stub):
    instance = submit_sql(stub, "select * from pyodps_iris limit 1", duration=0.05)
    wait_terminated(stub, instance.instance_id)
    hits = gateway.metrics.value("mcgateway_cache_requests_total", {"result": "hit"})
    before = gateway.upstream_requests()
    for _ in range(100):
        got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
        assert got.state == instance_pb2.Instance.TERMINATED and got.successful
    assert gateway.upstream_requests() - before <= 1
    assert gateway.metrics.value("mcgateway_cache_requests_total", {"result": "hit"}) >= hits + 99


def test_concurrent_first_reads_share_one_load(gateway, stub, emulator):
    # Terminated but never read through this gateway's cache: ask MaxCompute directly.
    instance = submit_sql(stub, "select 1", duration=0.05)
    wait_terminated(stub, instance.instance_id)
    gateway.call(_forget(gateway.server.cache, instance.instance_id))
    before = gateway.upstream_requests()
    with ThreadPoolExecutor(16) as pool:
        results = list(
            pool.map(
                lambda _: stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id)),
                range(100),
            )
        )
    assert {r.state for r in results} == {instance_pb2.Instance.TERMINATED}
    # One load for all 100 calls: the instance GET and its ?taskstatus.
    assert gateway.upstream_requests() - before == 2
    # Results, tasks and progress of a terminated instance are cached too.
    before = gateway.upstream_requests()
    for _ in range(3):
        stub.ListTasks(pb.ListTasksRequest(instance_id=instance.instance_id))
        stub.ListTaskResults(pb.ListTaskResultsRequest(instance_id=instance.instance_id))
        stub.GetTaskProgress(
            pb.GetTaskProgressRequest(
                instance_id=instance.instance_id, task_name="AnonymousSQLTask"
            )
        )
        stub.InstanceExists(pb.InstanceExistsRequest(instance_id=instance.instance_id))
    assert gateway.upstream_requests() - before == 2  # ?result once, ?instanceprogress once


async def _forget(cache: TerminalCache, instance_id: str) -> None:
    cache.invalidate("demo", instance_id)  # on the server's loop, like every cache access


def test_running_instances_are_never_served_stale(gateway, stub):
    instance = submit_sql(stub, "select 1", duration=60)
    try:
        before = gateway.upstream_requests()
        for _ in range(3):
            got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
            assert got.state == instance_pb2.Instance.RUNNING
        assert gateway.upstream_requests() - before == 6  # every read goes upstream
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))
    final = wait_terminated(stub, instance.instance_id)
    got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
    assert got.state == instance_pb2.Instance.TERMINATED
    assert got.tasks[0].state == final.tasks[0].state == instance_pb2.Task.CANCELLED


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lru_respects_entry_and_byte_budgets():
    metrics = GatewayMetrics()
    cache = TerminalCache(max_entries=3, max_bytes=1000, metrics=metrics)
    for i in range(5):
        cache.put(key("instance", "p", f"i{i}"), Cached(i, True, 100))
    assert len(cache) == 3
    assert cache.get(key("instance", "p", "i0")) is None
    assert cache.get(key("instance", "p", "i4")) == 4
    cache.get(key("instance", "p", "i2"))  # i2 becomes most recent; i3 is now the oldest
    cache.put(key("instance", "p", "big"), Cached("x", True, 800))
    assert cache.bytes <= 1000
    assert cache.get(key("instance", "p", "i2")) == 2
    assert cache.get(key("instance", "p", "i3")) is None
    cache.put(key("instance", "p", "huge"), Cached("y", True, 5000))  # over budget: not kept
    assert cache.get(key("instance", "p", "huge")) is None
    assert metrics.value("mcgateway_cache_requests_total", {"result": "hit"}) == 3
    assert metrics.value("mcgateway_cache_entries") == len(cache)


def test_running_values_only_with_freshness():
    clock = _Clock()
    never = TerminalCache(max_entries=10, max_bytes=10_000, freshness=0.0, clock=clock)
    never.put(key("instance", "p", "r"), Cached("running", False, 10))
    assert never.get(key("instance", "p", "r")) is None
    fresh = TerminalCache(max_entries=10, max_bytes=10_000, freshness=2.0, clock=clock)
    fresh.put(key("instance", "p", "r"), Cached("running", False, 10))
    clock.now = 1.9
    assert fresh.get(key("instance", "p", "r")) == "running"
    clock.now = 2.1
    assert fresh.get(key("instance", "p", "r")) is None


async def test_single_flight_and_generation():
    cache = TerminalCache(max_entries=10, max_bytes=10_000)
    calls = 0
    release = asyncio.Event()

    async def load() -> Cached[str]:
        nonlocal calls
        calls += 1
        mine = calls
        await release.wait()
        return Cached(f"v{mine}", True, 10)

    k = key("instance", "p", "i")
    waiters = [asyncio.ensure_future(cache.get_or_load(k, load)) for _ in range(10)]
    await asyncio.sleep(0)
    # A write (stop) starts a new generation: the old load no longer answers new readers,
    # and its result is not stored.
    cache.invalidate("p", "i")
    late = asyncio.ensure_future(cache.get_or_load(k, load))
    await asyncio.sleep(0)
    release.set()
    assert set(await asyncio.gather(*waiters)) == {"v1"}
    assert await late == "v2"
    assert calls == 2
    assert cache.get(k) == "v2"


async def test_failed_load_is_not_cached_and_cancelled_waiter_does_not_cancel_it():
    cache = TerminalCache(max_entries=10, max_bytes=10_000)
    gate = asyncio.Event()

    async def failing() -> Cached[str]:
        await gate.wait()
        raise RuntimeError("upstream down")

    k = key("instance", "p", "f")
    first = asyncio.ensure_future(cache.get_or_load(k, failing))
    second = asyncio.ensure_future(cache.get_or_load(k, failing))
    await asyncio.sleep(0)
    first.cancel()
    gate.set()
    with pytest.raises(RuntimeError):
        await second
    assert cache.get(k) is None


def test_configured_freshness_serves_running_reads_briefly(emulator):
    from mcgateway.testing import GatewayThread, gateway_config_for

    from gateway.support import stub_for

    config = gateway_config_for(
        emulator,
        cache_freshness=60.0,
    )
    with GatewayThread(config) as gw:
        stub = stub_for(gw.target)
        instance = submit_sql(stub, "select 1", duration=60)
        before = gw.upstream_requests()
        for _ in range(5):
            got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
            assert got.state == instance_pb2.Instance.RUNNING
        assert gw.upstream_requests() - before == 2  # one read, then fresh enough
        # WaitInstance never answers from a running entry: it still waits upstream.
        waited = stub.WaitInstance(
            pb.WaitInstanceRequest(instance_id=instance.instance_id, timeout={"seconds": 1})
        ).instance
        assert waited.state == instance_pb2.Instance.RUNNING
        assert gw.upstream_requests() - before > 2
        # A stop invalidates the entry: the answer is read after the stop.
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))
        final = wait_terminated(stub, instance.instance_id)
        assert final.tasks[0].state == instance_pb2.Task.CANCELLED
