"""End-to-end tests of every InstanceService RPC: real gateway, real emulator, generated stubs."""

from __future__ import annotations

import base64
import time
import uuid
from datetime import UTC, datetime

import grpc
import pytest
from google.protobuf import timestamp_pb2
from maxcompute.gateway.v1 import instance_pb2
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread

from gateway.support import (
    covers,
    expect_error,
    pb,
    stub_for,
    submit_sql,
    wait_terminated,
    wait_until,
)

IRIS_HEADER = '"sepallength","sepalwidth","petallength","petalwidth","name"'


@pytest.fixture(scope="module")
def finished(stub):
    """A terminated, successful ``select * from pyodps_iris limit 1``."""
    instance = submit_sql(stub, "select * from pyodps_iris limit 1", duration=0.1)
    return wait_terminated(stub, instance.id)


@pytest.fixture(scope="module")
def failed(stub):
    """A terminated, failed query (unknown table)."""
    instance = submit_sql(stub, "select * from no_such_table_anywhere", duration=0.1)
    return wait_terminated(stub, instance.id)


@covers("SubmitSql", "GetInstance")
def test_submit_and_get_a_finished_select(stub, finished):
    assert finished.project == "demo"
    response, call = stub.GetInstance.with_call(pb.GetInstanceRequest(instance_id=finished.id))
    instance = response.instance
    assert instance.status == instance_pb2.STATUS_TERMINATED
    assert instance.successful is True
    assert instance.failure_message == ""
    assert instance.owner.startswith("ALIYUN$")
    assert instance.HasField("start_time") and instance.HasField("end_time")
    assert [(t.name, t.type, t.status) for t in instance.tasks] == [
        ("AnonymousSQLTask", "SQL", instance_pb2.TASK_STATUS_SUCCESS)
    ]
    trailers = dict(call.trailing_metadata())
    assert len(trailers["x-request-id"]) == 24


@covers("SubmitSql")
def test_submit_returns_the_instance_as_first_read(stub):
    instance = submit_sql(stub, "select 1", duration=30)
    try:
        assert instance.id
        assert instance.status == instance_pb2.STATUS_RUNNING
        assert instance.successful is False
        assert [t.name for t in instance.tasks] == ["AnonymousSQLTask"]
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.id))


def test_get_instance_not_found_has_error_info(stub):
    err = expect_error(
        stub.GetInstance, pb.GetInstanceRequest(instance_id="20991231000000000nosuch")
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None
    assert err.error_info.reason == "NoSuchObject"
    assert err.error_info.domain == "mcgateway"
    assert err.error_info.metadata["project"] == "demo"
    assert err.error_info.metadata["instance_id"] == "20991231000000000nosuch"
    assert err.error_info.metadata["upstream_request_id"]
    assert err.request_info is not None
    assert err.trailers["x-request-id"] == err.request_info.request_id


@covers("GetInstance")
def test_failed_sql_carries_its_failure_message(stub, failed):
    instance = stub.GetInstance(pb.GetInstanceRequest(instance_id=failed.id)).instance
    assert instance.status == instance_pb2.STATUS_TERMINATED
    assert instance.successful is False
    assert instance.tasks[0].status == instance_pb2.TASK_STATUS_FAILED
    assert "no_such_table_anywhere" in instance.failure_message
    result = stub.GetTaskResult(
        pb.GetTaskResultRequest(instance_id=failed.id, task_name="AnonymousSQLTask")
    ).result
    assert result.content == instance.failure_message


@covers("InstanceExists")
def test_instance_exists(stub, finished):
    assert stub.InstanceExists(pb.InstanceExistsRequest(instance_id=finished.id)).exists is True
    missing = pb.InstanceExistsRequest(instance_id="20991231000000000nosuch")
    assert stub.InstanceExists(missing).exists is False


@covers("ListTasks")
def test_list_tasks(stub, finished):
    tasks = stub.ListTasks(pb.ListTasksRequest(instance_id=finished.id)).tasks
    assert [(t.name, t.status) for t in tasks] == [
        ("AnonymousSQLTask", instance_pb2.TASK_STATUS_SUCCESS)
    ]
    err = expect_error(stub.ListTasks, pb.ListTasksRequest(instance_id="20991231000000000nosuch"))
    assert err.code is grpc.StatusCode.NOT_FOUND


@covers("GetTaskResult")
def test_task_result_is_csv_header_and_one_row(stub, finished):
    result = stub.GetTaskResult(
        pb.GetTaskResultRequest(instance_id=finished.id, task_name="AnonymousSQLTask")
    ).result
    assert result.task_name == "AnonymousSQLTask"
    assert result.format == "csv"
    lines = result.content.splitlines()
    assert lines[0] == IRIS_HEADER
    assert len(lines) == 2
    assert lines[1].endswith('"Iris-setosa"')


def test_task_result_of_unknown_task_is_not_found(stub, finished):
    err = expect_error(
        stub.GetTaskResult, pb.GetTaskResultRequest(instance_id=finished.id, task_name="NoTask")
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "TASK_NOT_FOUND"


@covers("GetTaskResults")
def test_task_results(stub, finished):
    results = stub.GetTaskResults(pb.GetTaskResultsRequest(instance_id=finished.id)).results
    assert [r.task_name for r in results] == ["AnonymousSQLTask"]
    assert results[0].content.startswith(IRIS_HEADER + "\n")


@covers("GetTaskProgress")
def test_task_progress(stub, finished):
    progress = stub.GetTaskProgress(
        pb.GetTaskProgressRequest(instance_id=finished.id, task_name="AnonymousSQLTask")
    ).progress
    assert progress.task_name == "AnonymousSQLTask"
    assert progress.stages, "a finished select reports its stages"
    stage = progress.stages[0]
    assert stage.finished_percentage == 100
    assert stage.terminated_workers == stage.total_workers
    assert f"{stage.id}:" in progress.formatted


@covers("GetLogviewAddress")
def test_logview_address(stub, finished):
    before = datetime.now(UTC)
    response = stub.GetLogviewAddress(pb.GetLogviewAddressRequest(instance_id=finished.id, hours=5))
    assert "/logview/" in response.url
    assert f"i={finished.id}" in response.url
    assert "p=demo" in response.url
    assert "token=" in response.url
    expires = response.expire_time.ToDatetime(tzinfo=UTC)
    assert 4.9 * 3600 <= (expires - before).total_seconds() <= 5.1 * 3600
    default = stub.GetLogviewAddress(pb.GetLogviewAddressRequest(instance_id=finished.id))
    days = (default.expire_time.ToDatetime(tzinfo=UTC) - before).total_seconds() / 86400
    assert 29.9 < days < 30.1


def test_logview_address_for_missing_instance_is_not_found(stub):
    err = expect_error(
        stub.GetLogviewAddress, pb.GetLogviewAddressRequest(instance_id="20991231000000000nosuch")
    )
    assert err.code is grpc.StatusCode.NOT_FOUND


@covers("StopInstance")
def test_stop_running_instance_then_stop_again(stub):
    instance = submit_sql(stub, "select 1", duration=60)
    stopped = stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.id)).instance
    assert stopped.id == instance.id
    final = wait_terminated(stub, instance.id)
    assert [t.status for t in final.tasks] == [instance_pb2.TASK_STATUS_CANCELLED]
    assert final.successful is False
    got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.id)).instance
    assert got.status == instance_pb2.STATUS_TERMINATED
    # Says why it did not succeed, exactly as WatchInstance's TERMINAL message does.
    assert got.failure_message == "AnonymousSQLTask, status=CANCELLED"
    err = expect_error(stub.StopInstance, pb.StopInstanceRequest(instance_id=instance.id))
    assert err.code is grpc.StatusCode.FAILED_PRECONDITION
    assert err.error_info is not None
    assert err.error_info.reason == "InvalidStateSetting"
    assert err.error_info.metadata["instance_id"] == instance.id


def test_stop_missing_instance_is_not_found(stub):
    err = expect_error(
        stub.StopInstance, pb.StopInstanceRequest(instance_id="20991231000000000nosuch")
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "NoSuchObject"


@covers("ListInstances")
def test_list_instances_pages_with_opaque_tokens(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    created = {submit_sql(stub, f"select {i}", duration=0.05).id for i in range(7)}
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        response = stub.ListInstances(
            pb.ListInstancesRequest(start_time=start, page_size=3, page_token=token)
        )
        pages += 1
        assert len(response.instances) <= 3
        seen.extend(i.id for i in response.instances)
        for instance in response.instances:
            assert instance.project == "demo"
            assert len(instance.tasks) == 0, "listings carry no tasks"
        token = response.next_page_token
        if not token:
            break
        assert pages < 20, "paging does not end"
        # Opaque: base64 of signed data, not the raw marker.
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) > 16
    assert pages >= 3
    assert len(seen) == len(set(seen)), "no instance appears twice"
    assert created <= set(seen)


def test_list_instances_filters_by_status(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    running = submit_sql(stub, "select 1", duration=60)
    try:
        response = stub.ListInstances(
            pb.ListInstancesRequest(start_time=start, status=instance_pb2.STATUS_RUNNING)
        )
        ids = [i.id for i in response.instances]
        assert running.id in ids
        assert all(i.status == instance_pb2.STATUS_RUNNING for i in response.instances)
        terminated = stub.ListInstances(
            pb.ListInstancesRequest(start_time=start, status=instance_pb2.STATUS_TERMINATED)
        )
        assert running.id not in [i.id for i in terminated.instances]
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.id))


def test_page_token_with_other_filters_is_rejected(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    for i in range(3):
        submit_sql(stub, f"select {i}", duration=0.05)
    first = stub.ListInstances(pb.ListInstancesRequest(start_time=start, page_size=1))
    assert first.next_page_token
    for request in (
        pb.ListInstancesRequest(page_size=1, page_token=first.next_page_token),
        pb.ListInstancesRequest(
            start_time=start,
            page_size=1,
            only_owner=True,
            page_token=first.next_page_token,
        ),
        pb.ListInstancesRequest(
            project="other_project",
            start_time=start,
            page_size=1,
            page_token=first.next_page_token,
        ),
    ):
        err = expect_error(stub.ListInstances, request)
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert err.error_info is not None and err.error_info.reason == "INVALID_PAGE_TOKEN"
        assert "page_token" in err.violations
    same = stub.ListInstances(
        pb.ListInstancesRequest(start_time=start, page_size=1, page_token=first.next_page_token)
    )
    assert same.instances[0].id != first.instances[0].id


def test_forged_page_token_is_rejected(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 3600)
    first = stub.ListInstances(pb.ListInstancesRequest(start_time=start, page_size=1))
    assert first.next_page_token
    raw = bytearray(base64.urlsafe_b64decode(first.next_page_token + "=="))
    raw[-3] ^= 0x01  # flip a bit of the payload: the signature no longer matches
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    for token in (forged, "not-a-token", "AAAA"):
        err = expect_error(
            stub.ListInstances,
            pb.ListInstancesRequest(start_time=start, page_size=1, page_token=token),
        )
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert "page_token" in err.violations


@covers("SubmitSql")
def test_submit_is_idempotent_with_request_id(stub, emulator):
    request_id = str(uuid.uuid4())
    first = submit_sql(stub, "select 42", duration=0.1, request_id=request_id)
    again = submit_sql(stub, "select 42", duration=0.1, request_id=request_id)
    assert again.id == first.id
    other = submit_sql(stub, "select 42", duration=0.1, request_id=str(uuid.uuid4()))
    assert other.id != first.id
    # A fresh gateway (a restart, another replica) finds the instance in MaxCompute by its id.
    config = GatewayConfig(
        listen="127.0.0.1:0",
        endpoint=emulator.endpoint,
        project=emulator.project,
        access_id=emulator.access_id,
        access_key=emulator.access_key,
    )
    with GatewayThread(config) as fresh:
        third = submit_sql(stub_for(fresh.target), "select 42", duration=0.1, request_id=request_id)
        assert fresh.upstream_requests("create_instance") == 0
        # One filtered list call finds it (the job is named after the request id).
        assert fresh.upstream_requests("list_instances") == 1
        assert fresh.upstream_requests("get_job") == 0
    assert third.id == first.id


@covers("SubmitXflow", "ListSubInstances")
def test_xflow_sub_instances_with_logview_urls(stub):
    response = stub.SubmitXflow(
        pb.SubmitXflowRequest(
            xflow_name="AppendID",
            xflow_project="algo_public",
            parameters={"inputTableName": "pyodps_iris", "outputTableName": "iris_with_id"},
            request_id=str(uuid.uuid4()),
        ),
        timeout=30,
    )
    instance = response.instance
    assert instance.id
    assert [t.type for t in instance.tasks] == ["AlgoTask"]
    final = wait_terminated(stub, instance.id)
    assert final.status == instance_pb2.STATUS_TERMINATED
    subs = stub.ListSubInstances(pb.ListSubInstancesRequest(instance_id=instance.id)).sub_instances
    assert subs, "AppendID with an output table runs a sub-instance"
    for sub in subs:
        assert sub.name
        assert sub.instance_id and sub.instance_id != instance.id
        assert f"i={sub.instance_id}" in sub.logview_url
        got = stub.GetInstance(pb.GetInstanceRequest(instance_id=sub.instance_id)).instance
        assert got.id == sub.instance_id


def test_sub_instances_of_a_sql_instance_is_failed_precondition(stub, finished):
    err = expect_error(stub.ListSubInstances, pb.ListSubInstancesRequest(instance_id=finished.id))
    assert err.code is grpc.StatusCode.FAILED_PRECONDITION
    assert err.error_info is not None and err.error_info.reason == "NOT_XFLOW"


@covers("WaitInstance")
def test_wait_instance_returns_terminal_state(stub):
    instance = submit_sql(stub, "select 1", duration=0.3)
    final = wait_terminated(stub, instance.id)
    assert final.successful is True


@covers("WatchInstance")
def test_watch_instance_streams_until_terminal(stub):
    instance = submit_sql(stub, "select 1", duration=1.0)
    events = list(stub.WatchInstance(pb.WatchInstanceRequest(instance_id=instance.id), timeout=60))
    assert events[0].event_type == pb.WATCH_EVENT_TYPE_SNAPSHOT
    assert events[-1].event_type == pb.WATCH_EVENT_TYPE_TERMINAL
    assert events[-1].instance.status == instance_pb2.STATUS_TERMINATED
    sequences = [e.sequence for e in events]
    assert sequences == sorted(sequences)


@covers("WatchInstances")
def test_watch_instances_sends_snapshot_end(stub):
    stream = stub.WatchInstances(pb.WatchInstancesRequest(), timeout=60)
    try:
        for event in stream:
            if event.event_type == pb.WATCH_INSTANCES_EVENT_TYPE_SNAPSHOT_END:
                break
            assert event.event_type == pb.WATCH_INSTANCES_EVENT_TYPE_ADDED
    finally:
        stream.cancel()


def test_unknown_project_is_not_found(stub):
    err = expect_error(
        stub.GetInstance, pb.GetInstanceRequest(project="no_such_project", instance_id="x1")
    )
    assert err.code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED)


def test_upstream_counter_moves(gateway, stub):
    before = gateway.upstream_requests("get_instance")
    stub.InstanceExists(pb.InstanceExistsRequest(instance_id="20991231000000000nosuch2"))
    wait_until(lambda: gateway.upstream_requests("get_instance") > before)


def test_list_instances_time_and_owner_filters(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    mine = submit_sql(stub, "select 7", duration=0.05)
    owned = stub.ListInstances(pb.ListInstancesRequest(start_time=start, only_owner=True))
    assert mine.id in [i.id for i in owned.instances]
    assert all(i.owner == mine.owner for i in owned.instances)
    before = timestamp_pb2.Timestamp(seconds=start.seconds - 3600)
    earlier = stub.ListInstances(
        pb.ListInstancesRequest(
            start_time=timestamp_pb2.Timestamp(seconds=before.seconds - 3600), end_time=before
        )
    )
    assert mine.id not in [i.id for i in earlier.instances]


def test_running_instance_has_progress_and_no_result_yet(stub):
    instance = submit_sql(stub, "select * from pyodps_iris", duration=30)
    try:
        wait_until(
            lambda: (
                stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.id))
                .instance.tasks[0]
                .status
                == instance_pb2.TASK_STATUS_RUNNING
            ),
            what="task running",
        )
        progress = stub.GetTaskProgress(
            pb.GetTaskProgressRequest(instance_id=instance.id, task_name="AnonymousSQLTask")
        ).progress
        assert progress.stages
        assert all(0 <= s.finished_percentage < 100 for s in progress.stages)
        result = stub.GetTaskResult(
            pb.GetTaskResultRequest(instance_id=instance.id, task_name="AnonymousSQLTask")
        ).result
        assert result.task_name == "AnonymousSQLTask"
        assert result.content == ""
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.id))
