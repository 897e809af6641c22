"""The queue for worker slots: priority honoured when slots are full, positions that change
while instances wait, ``?cached`` and ``/cachedinstances`` through PyODPS and raw HTTP."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import pytest
from emu_helpers import SignedClient, make_odps, wait_until
from mcemulator import Emulator
from mcemulator.scheduler import Scheduler
from odps import ODPS
from odps.models import Instance

TASK = "AnonymousSQLTask"
SLOW = {"mcemulator.duration_seconds": "60"}
WAITING = Instance.Task.TaskStatus.WAITING
RUNNING = Instance.Task.TaskStatus.RUNNING


# -- the scheduler alone --------------------------------------------------------------------


async def test_scheduler_grants_by_priority_then_submission() -> None:
    scheduler = Scheduler(1)
    await scheduler.acquire("running", 9, 0)
    granted: list[str] = []

    async def wait(key: str, priority: int, seq: int) -> None:
        await scheduler.acquire(key, priority, seq)
        granted.append(key)

    waiters = [
        asyncio.create_task(wait(key, priority, seq))
        for key, priority, seq in (("a9", 9, 1), ("b1", 1, 2), ("c9", 9, 3), ("d1", 1, 4))
    ]
    await asyncio.sleep(0)  # let every waiter queue up
    assert [scheduler.position(k) for k in ("b1", "d1", "a9", "c9")] == [1, 2, 3, 4]
    assert scheduler.position("running") == 0 and scheduler.queue_length == 4
    for expected in ("b1", "d1", "a9", "c9"):
        scheduler.release()
        await asyncio.sleep(0)
        assert granted[-1] == expected
    await asyncio.gather(*waiters)
    scheduler.release()
    assert not scheduler.full  # every slot came back


async def test_scheduler_cancelled_waiter_leaves_no_trace() -> None:
    scheduler = Scheduler(1)
    await scheduler.acquire("running", 9, 0)
    leaving = asyncio.create_task(scheduler.acquire("leaving", 1, 1))
    staying = asyncio.create_task(scheduler.acquire("staying", 5, 2))
    await asyncio.sleep(0)
    assert scheduler.position("staying") == 2
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert scheduler.position("staying") == 1 and scheduler.queue_length == 1
    scheduler.release()
    await staying
    scheduler.release()
    assert not scheduler.full


async def test_scheduler_slot_granted_to_a_cancelled_waiter_is_passed_on() -> None:
    scheduler = Scheduler(1)
    await scheduler.acquire("running", 9, 0)
    first = asyncio.create_task(scheduler.acquire("first", 1, 1))
    second = asyncio.create_task(scheduler.acquire("second", 2, 2))
    await asyncio.sleep(0)
    scheduler.release()  # granted to "first"...
    first.cancel()  # ...which is cancelled before it resumes
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, 5)  # so the slot went on to "second"
    scheduler.release()
    assert not scheduler.full


# -- through PyODPS ---------------------------------------------------------------------------


@pytest.fixture
def one_slot(private_emulator: Callable[..., Emulator]) -> Iterator[ODPS]:
    """PyODPS on an emulator with a single worker slot; stops what the test left running."""
    emu = private_emulator(workers=1)
    o = make_odps(emu)
    yield o
    for inst in o.list_instances(status="Running"):
        inst.stop()


def _task_status(inst: Instance) -> Instance.Task.TaskStatus:
    return inst.get_task_statuses()[TASK].status


def _position(inst: Instance) -> int:
    value: int = inst.get_queueing_info().wait_pos
    return value


def test_priority_decides_who_runs_next_and_positions_move(one_slot: ODPS) -> None:
    o = one_slot
    blocker = o.run_sql("select 0", hints=SLOW)
    wait_until(lambda: _task_status(blocker) == RUNNING)
    low = o.run_sql("select 'low'", priority=8, hints=SLOW)
    mid = o.run_sql("select 'mid'", priority=5, hints=SLOW)
    assert [_position(i) for i in (mid, low)] == [1, 2]
    assert _task_status(low) == WAITING
    urgent = o.run_sql("select 'urgent'", priority=0, hints=SLOW)  # jumps the queue
    assert [_position(i) for i in (urgent, mid, low)] == [1, 2, 3]
    assert urgent.get_queueing_info().queue_length == 3
    blocker.stop()
    wait_until(lambda: _task_status(urgent) == RUNNING)
    assert [_position(i) for i in (urgent, mid, low)] == [0, 1, 2]
    assert _task_status(mid) == WAITING
    mid.stop()  # a waiting instance leaves the queue when stopped
    assert _position(low) == 1 and low.get_queueing_info().queue_length == 1
    assert _task_status(mid) == Instance.Task.TaskStatus.CANCELLED
    urgent.stop()
    wait_until(lambda: _task_status(low) == RUNNING)  # the slot was never leaked
    history = [step["code"] for step in low.get_queueing_info().sub_status_history]
    assert history == ["Submitted", "Waiting", "Running"]


def test_same_priority_waits_in_submission_order(one_slot: ODPS) -> None:
    o = one_slot
    blocker = o.run_sql("select 0", hints=SLOW)
    wait_until(lambda: _task_status(blocker) == RUNNING)
    first = o.run_sql("select 1", priority=4, hints=SLOW)
    second = o.run_sql("select 2", priority=4, hints=SLOW)
    assert [_position(first), _position(second)] == [1, 2]
    blocker.stop()
    wait_until(lambda: _task_status(first) == RUNNING)
    assert _task_status(second) == WAITING and _position(second) == 1


def test_queueing_info_fields(one_slot: ODPS) -> None:
    o = one_slot
    inst = o.run_sql(
        "select 1", priority=6, running_cluster="emu_cluster", quota_name="emu_q", hints=SLOW
    )
    wait_until(lambda: _task_status(inst) == RUNNING)
    wait_until(lambda: inst.get_queueing_info().progress > 0)
    info = inst.get_queueing_info()
    assert info.instance_id == inst.id and info.priority == 6
    assert info.wait_pos == 0 and info.queue_length == 0
    assert 0 < info.progress < 1 and info.instance_progress == info.progress
    assert info.task_name == TASK and info.task_type == "SQL"
    assert info.running_cluster == "emu_cluster" and info.quota == "emu_q"
    assert info.status == Instance.InstanceQueueingInfo.Status.RUNNING
    assert info.instance.id == inst.id and info.project == "demo"


def test_suspended_instance_in_the_queue_info(one_slot: ODPS) -> None:
    o = one_slot
    inst = o.run_sql("select 1", hints={**SLOW, "mcemulator.suspend_seconds": "60"})
    wait_until(lambda: inst.get_queueing_info().status is not None)
    wait_until(
        lambda: inst.get_queueing_info().status == Instance.InstanceQueueingInfo.Status.SUSPENDED
    )
    codes = [step["code"] for step in inst.get_queueing_info().sub_status_history]
    assert codes[-1] == "Suspended"


def test_cached_list_pages_and_filters(one_slot: ODPS) -> None:
    o = one_slot
    running = o.run_sql("select 0", hints=SLOW)
    wait_until(lambda: _task_status(running) == RUNNING)
    waiting = [o.run_sql(f"select {n}", hints=SLOW) for n in range(1, 4)]
    queue = o.get_project().instance_queueing_infos
    listed = [(i.instance_id, i.wait_pos) for i in queue.iterate(max_items=1)]  # 4 pages
    assert listed == [(running.id, 0)] + [(w.id, n) for n, w in enumerate(waiting, start=1)]
    assert [i.instance_id for i in queue.iterate(status="Running")] == [i for i, _ in listed]
    assert list(queue.iterate(status="Terminated")) == []
    urgent = o.run_sql("select 9", priority=0)
    assert {i.instance_id: i.wait_pos for i in queue.iterate()}[urgent.id] == 1
    running.stop()
    wait_until(urgent.is_terminated)  # it ran before the earlier ones...
    wait_until(lambda: _task_status(waiting[0]) == RUNNING)
    assert [_task_status(w) for w in waiting[1:]] == [WAITING, WAITING]
    assert urgent.id not in {i.instance_id for i in o.list_instance_queueing_infos()}


def test_sql_cost_takes_no_slot(one_slot: ODPS) -> None:
    o = one_slot
    blocker = o.run_sql("select 0", hints=SLOW)
    wait_until(lambda: _task_status(blocker) == RUNNING)
    cost = o.execute_sql_cost("select * from pyodps_iris")  # answers with the slot taken
    assert cost.input_size > 0
    assert _task_status(blocker) == RUNNING


# -- raw protocol -----------------------------------------------------------------------------


def test_cached_raw_shapes(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(workers=1)
    client = SignedClient(emu)
    try:
        _cached_raw_shapes(client)
    finally:
        client.session.close()


def _cached_raw_shapes(client: SignedClient) -> None:
    iid = client.create_sql("select 1;", settings=json.dumps(SLOW))
    queued = client.create_sql("select 2;", settings=json.dumps(SLOW))
    cached = client.get(f"/projects/demo/instances/{queued}?cached")
    assert cached.headers["Content-Type"].startswith("application/json")
    info = cached.json()
    assert info["instanceId"] == queued and info["waitPos"] == 1 and info["queueLength"] == 1
    assert info["instanceProcess"] == info["instanceProgress"] == 0.0
    assert info["startTime"].endswith(" +0000")
    doc = ET.fromstring(client.get("/projects/demo/cachedinstances?maxitems=1").content)
    assert doc.tag == "Instances" and doc.findtext("MaxItems") == "1"
    assert doc.findtext("Marker") == queued
    assert [i["instanceId"] for i in json.loads(doc.findtext("Content") or "")] == [iid]
    last = ET.fromstring(client.get(f"/projects/demo/cachedinstances?marker={queued}").content)
    assert last.findtext("Marker") == ""
    assert [i["instanceId"] for i in json.loads(last.findtext("Content") or "")] == [queued]
    stop = '<?xml version="1.0"?><Instance><Status>Terminated</Status></Instance>'
    for target in (queued, iid):
        client.request("PUT", f"/projects/demo/instances/{target}", body=stop)
    assert client.get(f"/projects/demo/instances/{iid}?cached").json() == {}
    empty = ET.fromstring(client.get("/projects/demo/cachedinstances").content)
    assert json.loads(empty.findtext("Content") or "") == []
    bad = client.get("/projects/demo/cachedinstances?maxitems=0")
    assert bad.status_code == 400
    assert (
        client.get("/projects/demo/cachedinstances?quotaIndex=q1&quotaindex=q2").status_code == 200
    )
