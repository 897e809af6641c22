"""End to end, a real gateway on the emulator: task summary and cost, task detail and workers,
worker logs, queueing information and the project queue, SQL cost estimates, and the submit
options priority, quota and running cluster."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2_grpc
from mcemulator import Emulator, EmulatorConfig
from mcgateway.testing import GatewayThread, gateway_config_for

from gateway.support import (
    covers,
    expect_error,
    pb,
    sql_job,
    submit_sql,
    wait_terminated,
    wait_until,
)

Instance = instance_pb2.Instance
TASK = "AnonymousSQLTask"
MISSING = "20991231000000000nosuch"


@pytest.fixture(scope="module")
def finished(stub):
    """A terminated, successful select that read the whole iris table."""
    instance = submit_sql(stub, "select name, count(*) from pyodps_iris group by name")
    return wait_terminated(stub, instance.instance_id)


@pytest.fixture(scope="module")
def other(stub):
    """Another terminated select, for log ids of another instance."""
    instance = submit_sql(stub, "select * from pyodps_iris limit 2")
    return wait_terminated(stub, instance.instance_id)


def _detail(stub, instance_id: str) -> instance_pb2.TaskDetail:
    return stub.GetTaskDetail(pb.GetTaskDetailRequest(instance_id=instance_id, task_name=TASK))


# --- summary and cost ---------------------------------------------------------------------------


@covers("GetTaskSummary")
def test_summary_of_a_finished_select_has_text_json_and_cost(stub, finished):
    summary = stub.GetTaskSummary(
        pb.GetTaskSummaryRequest(instance_id=finished.instance_id, task_name=TASK)
    )
    assert summary.task_name == TASK
    assert summary.summary_text.startswith("Summary:")
    assert "pyodps_iris" in summary.summary_text
    assert summary.HasField("json_summary") and "Cost" in summary.json_summary.fields
    assert summary.HasField("cost")
    assert summary.cost.input_bytes > 0 and summary.cost.cpu_centicore_seconds_used > 0
    cost = summary.json_summary.fields["Cost"].struct_value.fields
    assert cost["Input"].number_value == summary.cost.input_bytes
    assert summary.HasField("finalized") and summary.finalized is True


def test_summary_of_a_finished_task_is_served_from_the_cache(gateway, stub, finished):
    request = pb.GetTaskSummaryRequest(instance_id=finished.instance_id, task_name=TASK)
    first = stub.GetTaskSummary(request)
    before = gateway.upstream_requests()
    assert stub.GetTaskSummary(request) == first
    assert gateway.upstream_requests() == before


@pytest.mark.parametrize("method", ["GetTaskSummary", "GetTaskDetail"])
def test_an_unknown_task_is_task_not_found(stub, finished, method):
    request = getattr(pb, f"{method}Request")(instance_id=finished.instance_id, task_name="Nope")
    err = expect_error(getattr(stub, method), request)
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "TASK_NOT_FOUND"
    assert err.error_info.metadata["task_name"] == "Nope"
    assert "has no task 'Nope'" in err.message


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("GetTaskSummary", {"task_name": TASK}),
        ("GetTaskDetail", {"task_name": TASK}),
        ("GetWorkerLog", {"log_id": "bG9n"}),
        ("GetQueueingInfo", {}),
    ],
)
def test_an_unknown_instance_is_instance_not_found(stub, method, extra):
    request = getattr(pb, f"{method}Request")(instance_id=MISSING, **extra)
    err = expect_error(getattr(stub, method), request)
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "INSTANCE_NOT_FOUND"


# --- detail, workers and logs -------------------------------------------------------------------


@covers("GetTaskDetail")
def test_detail_lists_every_worker_with_a_log_id(stub, finished):
    detail = _detail(stub, finished.instance_id)
    assert detail.task_name == TASK
    assert detail.HasField("detail") and detail.detail_text == ""
    assert detail.workers, "at least one worker per stage"
    assert all(w.log_id and w.id and w.stage for w in detail.workers)
    assert len({w.log_id for w in detail.workers}) == len(detail.workers)
    stages = {w.stage for w in detail.workers}
    progress = stub.GetTaskProgress(
        pb.GetTaskProgressRequest(instance_id=finished.instance_id, task_name=TASK)
    )
    assert len(stages) == len(progress.stages)
    assert all(w.status for w in detail.workers)


@covers("GetWorkerLog")
def test_a_worker_log_is_read_by_its_log_id(stub, finished):
    worker = _detail(stub, finished.instance_id).workers[0]
    log = stub.GetWorkerLog(
        pb.GetWorkerLogRequest(instance_id=finished.instance_id, log_id=worker.log_id)
    )
    assert log.log_id == worker.log_id
    assert log.log_type == instance_pb2.WorkerLog.STDOUT
    assert log.content and not log.truncated
    stderr = stub.GetWorkerLog(
        pb.GetWorkerLogRequest(
            instance_id=finished.instance_id,
            log_id=worker.log_id,
            log_type=instance_pb2.WorkerLog.STDERR,
        )
    )
    assert stderr.log_type == instance_pb2.WorkerLog.STDERR


def test_a_log_longer_than_asked_for_is_cut_to_its_end(stub, finished):
    worker = _detail(stub, finished.instance_id).workers[0]
    whole = stub.GetWorkerLog(
        pb.GetWorkerLogRequest(instance_id=finished.instance_id, log_id=worker.log_id)
    ).content
    assert len(whole.encode()) > 20
    cut = stub.GetWorkerLog(
        pb.GetWorkerLogRequest(
            instance_id=finished.instance_id, log_id=worker.log_id, max_size_bytes=20
        )
    )
    assert cut.truncated and len(cut.content.encode()) <= 20
    assert whole.endswith(cut.content)


def test_a_log_id_of_another_instance_is_worker_log_not_found(stub, finished, other):
    foreign = _detail(stub, other.instance_id).workers[0].log_id
    err = expect_error(
        stub.GetWorkerLog,
        pb.GetWorkerLogRequest(instance_id=finished.instance_id, log_id=foreign),
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "WORKER_LOG_NOT_FOUND"
    assert err.error_info.metadata["instance_id"] == finished.instance_id
    assert "GetTaskDetail lists the log ids" in err.message


def test_a_huge_log_size_is_invalid_argument_stating_the_bound(gateway, stub, finished):
    before = gateway.upstream_requests()
    err = expect_error(
        stub.GetWorkerLog,
        pb.GetWorkerLogRequest(
            instance_id=finished.instance_id, log_id="bG9n", max_size_bytes=1 << 40
        ),
    )
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT
    assert "2097152" in err.violations["max_size_bytes"]
    assert gateway.upstream_requests() == before


# --- queueing -----------------------------------------------------------------------------------


@covers("GetQueueingInfo")
def test_queueing_info_of_a_running_and_of_a_finished_instance(stub, finished):
    running = submit_sql(stub, "select 1", duration=30, priority=4)
    try:
        info = stub.GetQueueingInfo(pb.GetQueueingInfoRequest(instance_id=running.instance_id))
        assert info.instance_id == running.instance_id and info.project == "demo"
        assert info.state == Instance.RUNNING
        assert info.HasField("priority") and info.priority == 4
        assert info.task_name == TASK and info.task_type == "SQL"
        assert info.HasField("start_time") and info.user_account
        assert info.properties.fields["instanceId"].string_value == running.instance_id
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))
    done = stub.GetQueueingInfo(pb.GetQueueingInfoRequest(instance_id=finished.instance_id))
    assert done.instance_id == finished.instance_id and done.state == Instance.TERMINATED
    assert not done.HasField("position")


@covers("ListQueueingInfos")
def test_the_project_queue_pages_with_tokens(stub):
    ids = [submit_sql(stub, "select 1", duration=30).instance_id for _ in range(3)]
    try:
        seen: list[str] = []
        token = ""
        while True:
            page = stub.ListQueueingInfos(
                pb.ListQueueingInfosRequest(page_size=1, page_token=token, only_owner=True)
            )
            assert len(page.queueing_infos) <= 1
            seen.extend(i.instance_id for i in page.queueing_infos)
            token = page.next_page_token
            if not token:
                break
        assert set(ids) <= set(seen)
        err = expect_error(
            stub.ListQueueingInfos,
            pb.ListQueueingInfosRequest(page_token="forged", only_owner=True),
        )
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert err.error_info is not None and err.error_info.reason == "INVALID_PAGE_TOKEN"
    finally:
        for instance_id in ids:
            stub.StopInstance(pb.StopInstanceRequest(instance_id=instance_id))


@pytest.fixture(scope="module")
def one_slot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayThread]:
    """A gateway on an emulator that runs one instance at a time, so others wait in queue."""
    data_dir: Path = tmp_path_factory.mktemp("one-slot")
    emulator = Emulator(EmulatorConfig(data_dir=data_dir, workers=1))
    emulator.start()
    config = gateway_config_for(
        emulator,
    )
    try:
        with GatewayThread(config) as gateway:
            yield gateway
    finally:
        emulator.stop()


def test_queue_positions_move_while_instances_wait_for_a_slot(one_slot):
    with grpc.insecure_channel(one_slot.target) as channel:
        _queue_positions_move(instance_service_pb2_grpc.InstanceServiceStub(channel))


def _queue_positions_move(stub: instance_service_pb2_grpc.InstanceServiceStub) -> None:
    blocker = submit_sql(stub, "select 1", duration=60)
    first = submit_sql(stub, "select 1", duration=60)
    second = submit_sql(stub, "select 1", duration=60)

    def position(instance_id: str) -> int | None:
        info = stub.GetQueueingInfo(pb.GetQueueingInfoRequest(instance_id=instance_id))
        return info.position if info.HasField("position") else None

    try:
        assert position(blocker.instance_id) is None  # it runs
        assert (position(first.instance_id), position(second.instance_id)) == (1, 2)
        info = stub.GetQueueingInfo(pb.GetQueueingInfoRequest(instance_id=second.instance_id))
        assert info.HasField("queue_length") and info.queue_length == 2
        stub.StopInstance(pb.StopInstanceRequest(instance_id=blocker.instance_id))
        wait_until(lambda: position(first.instance_id) is None, what="first gets the slot")
        assert position(second.instance_id) == 1
    finally:
        for instance in (blocker, first, second):
            with contextlib.suppress(grpc.RpcError):
                stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))


# --- SQL cost -----------------------------------------------------------------------------------


@covers("EstimateSqlCost")
def test_a_cost_estimate_reads_the_query_input_without_running_it(stub):
    response = stub.EstimateSqlCost(
        pb.EstimateSqlCostRequest(job=sql_job("select * from pyodps_iris")), timeout=60
    )
    assert response.input_bytes > 0 and response.complexity > 0 and response.udf_count == 0
    assert response.instance_id
    estimating = stub.GetInstance(pb.GetInstanceRequest(instance_id=response.instance_id))
    assert [t.type for t in estimating.tasks] == ["SQLCost"]
    assert estimating.successful


def test_a_query_that_cannot_be_estimated_is_the_upstream_error(stub):
    err = expect_error(
        stub.EstimateSqlCost,
        pb.EstimateSqlCostRequest(job=sql_job("selec nothing from")),
        timeout=60,
    )
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT, err.message
    assert err.error_info is not None
    assert err.error_info.reason == "UPSTREAM_INVALID_ARGUMENT"
    assert err.error_info.metadata["maxcompute_code"].startswith("ODPS-")
    assert err.error_info.metadata["instance_id"]


# --- submit options -----------------------------------------------------------------------------


def test_priority_quota_and_cluster_reach_the_job(stub):
    job = instance_pb2.SqlJob(
        query="select 1",
        hints={"mcemulator.duration_seconds": "30"},
        priority=2,
        quota_name="os_PayAsYouGoQuota",
        running_cluster="AY100G",
    )
    instance = stub.SubmitSql(
        pb.SubmitSqlRequest(job=job, request_id=str(uuid.uuid4())), timeout=30
    ).instance
    try:
        info = stub.GetQueueingInfo(pb.GetQueueingInfoRequest(instance_id=instance.instance_id))
        assert info.priority == 2
        properties = info.properties.fields
        assert properties["quota"].string_value == "os_PayAsYouGoQuota"
        assert properties["runningCluster"].string_value == "AY100G"
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))


def test_priority_ten_is_invalid_argument(gateway, stub):
    before = gateway.upstream_requests()
    err = expect_error(stub.SubmitSql, pb.SubmitSqlRequest(job=sql_job("select 1", priority=10)))
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT
    assert err.violations["job.priority"] == "must be 0 to 9 (got 10)"
    assert gateway.upstream_requests() == before
