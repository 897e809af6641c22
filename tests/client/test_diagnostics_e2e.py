"""Task summaries and costs, details and workers, worker logs, queueing info, SQL cost and
ExecuteSql, through a real gateway on the emulator (sync and asyncio clients)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from mcgateway.testing import GatewayThread
from mcgateway_client import (
    AsyncGateway,
    EventType,
    Gateway,
    Instance,
    InstanceFailed,
    InvalidArgument,
    NotFound,
    QueueingInfo,
    SQLCost,
    Status,
    TaskCost,
    TaskStatus,
    TaskSummary,
    Worker,
)

QUERY = "select name, count(*) as n from pyodps_iris group by name order by name"
TASK = "AnonymousSQLTask"


@pytest.fixture(scope="module")
def o(gateway: GatewayThread) -> Iterator[Gateway]:
    with Gateway(gateway.target) as client:
        yield client


@pytest.fixture(scope="module")
def done(o: Gateway) -> Instance:
    return o.execute_sql(QUERY)


def _cancelled(o: Gateway, instance_id: str) -> None:
    """The instance ends Terminated with its task Cancelled (the gateway stopped it)."""
    instance = o.get_instance(instance_id).wait_for_completion(timeout=30)
    assert instance.status is Status.TERMINATED and not instance.is_successful()
    assert instance.get_task_statuses()[TASK].status is TaskStatus.CANCELLED


def test_execute_sql_runs_through_execute_sql_and_returns_the_finished_instance(
    done: Instance,
) -> None:
    assert done.is_terminated() and done.is_successful()
    assert done.get_task_result(TASK).startswith('"name","n"\n')


def test_execute_sql_raises_instance_failed_for_a_failing_job(o: Gateway) -> None:
    with pytest.raises(InstanceFailed) as info:
        o.execute_sql("select * from no_such_table_anywhere")
    assert info.value.instance.is_terminated()


def test_task_summary_and_cost(done: Instance) -> None:
    summary = done.get_task_summary(TASK)
    assert isinstance(summary, TaskSummary) and isinstance(summary, dict)
    assert summary.task_name == TASK and summary.summary_text
    assert summary and summary.json_summary
    cost = done.get_task_cost(TASK)
    assert isinstance(cost, TaskCost) and cost == summary.cost
    assert cost.cpu_cost >= 0 and cost.memory_cost >= 0 and cost.input_size > 0
    with pytest.raises(NotFound) as info:
        done.get_task_summary("NoSuchTask")
    assert info.value.reason == "TASK_NOT_FOUND"


def test_task_detail_workers_and_their_logs(done: Instance) -> None:
    detail = done.get_task_detail(TASK)
    assert isinstance(detail, dict) and detail
    assert done.get_task_detail2(TASK) == detail
    workers = done.get_task_workers(TASK)
    assert workers and all(isinstance(w, Worker) for w in workers)
    worker = workers[0]
    assert worker.id and worker.log_id and worker.type == worker.stage
    log = done.get_worker_log(worker.log_id, "stdout")
    assert isinstance(log, str) and log
    tail = done.get_worker_log(worker.log_id, "stdout", size=5)
    assert len(tail.encode()) <= 5 and log.endswith(tail)
    assert isinstance(done.get_worker_log(worker.log_id, "STDERR"), str)
    with pytest.raises(ValueError, match="log_type should choose a value in"):
        done.get_worker_log(worker.log_id, "nonsense")
    with pytest.raises(NotFound) as info:
        done.get_worker_log("no-such-log-id", "stdout")
    assert info.value.reason == "WORKER_LOG_NOT_FOUND"


def test_queueing_info_of_one_instance_and_of_the_project(o: Gateway) -> None:
    slow = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 60})
    other = o.run_sql("select 2", hints={"mcemulator.duration_seconds": 60})
    try:
        info = slow.get_queueing_info()
        assert isinstance(info, QueueingInfo)
        assert info.instance_id == slow.id and info.project == "demo"
        assert info.status is Status.RUNNING
        assert info.task_name == TASK and info.properties
        if info.position is None:
            assert not info.waiting
        listed = list(o.list_instance_queueing_infos(page_size=1))
        ids = [i.instance_id for i in listed]
        assert slow.id in ids and other.id in ids
        assert len(ids) == len(set(ids))
    finally:
        slow.stop()
        other.stop()


def test_execute_sql_cost(o: Gateway) -> None:
    cost = o.execute_sql_cost(QUERY)
    assert isinstance(cost, SQLCost)
    assert cost.input_size > 0 and cost.udf_num == 0 and cost.complexity > 0
    assert cost.instance_id
    with pytest.raises(InvalidArgument):
        o.execute_sql_cost("selec nonsense from")


def test_closing_execute_sql_events_makes_the_gateway_stop_the_job(o: Gateway) -> None:
    events = o.execute_sql_events("select 1", hints={"mcemulator.duration_seconds": 60})
    first = next(events)
    assert first.type is EventType.SNAPSHOT and first.state.status is Status.RUNNING
    events.close()  # type: ignore[attr-defined]
    _cancelled(o, first.state.id)


def test_without_stop_on_cancel_the_job_runs_on(o: Gateway) -> None:
    events = o.execute_sql_events(
        "select 1", hints={"mcemulator.duration_seconds": 60}, stop_on_cancel=False
    )
    first = next(events)
    events.close()  # type: ignore[attr-defined]
    instance = o.get_instance(first.state.id)
    try:
        assert instance.is_running()
    finally:
        instance.stop()


def test_a_repeated_request_id_reattaches_and_never_stops_the_job(o: Gateway) -> None:
    request_id = str(uuid.uuid4())
    hints = {"mcemulator.duration_seconds": 60}
    first = o.execute_sql_events("select 1", hints=hints, request_id=request_id)
    owner = next(first)
    again = o.execute_sql_events("select 1", hints=hints, request_id=request_id)
    assert next(again).state.id == owner.state.id
    again.close()  # type: ignore[attr-defined]
    assert o.get_instance(owner.state.id).is_running()
    first.close()  # type: ignore[attr-defined]
    _cancelled(o, owner.state.id)


def test_execute_sql_timeout_stops_the_job(o: Gateway) -> None:
    from mcgateway_client import WaitTimeout

    with pytest.raises(WaitTimeout) as info:
        o.execute_sql("select 1", hints={"mcemulator.duration_seconds": 60}, timeout=2)
    _cancelled(o, info.value.instance.id)


async def test_async_diagnostics_and_cancelled_execute_sql(
    gateway: GatewayThread, o: Gateway
) -> None:
    async with AsyncGateway(gateway.target) as ao:
        done = await ao.execute_sql(QUERY)
        assert await done.is_successful()
        summary = await done.get_task_summary(TASK)
        assert summary.summary_text and summary.cost is not None
        assert await done.get_task_cost(TASK) == summary.cost
        detail = await done.get_task_detail(TASK)
        assert detail == await done.get_task_detail2(TASK)
        workers = await done.get_task_workers(TASK)
        assert workers and await done.get_worker_log(workers[0].log_id, "stdout")
        assert (await done.get_queueing_info()).instance_id == done.id
        assert (await ao.execute_sql_cost(QUERY)).input_size > 0
        assert isinstance([i async for i in ao.list_instance_queueing_infos()], list)
        events = ao.execute_sql_events("select 1", hints={"mcemulator.duration_seconds": 60})
        first = await events.__anext__()
        await events.aclose()  # type: ignore[attr-defined]
    _cancelled(o, first.state.id)
