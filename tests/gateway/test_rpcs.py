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
from mcgateway.testing import GatewayThread, gateway_config_for

from gateway.support import (
    covers,
    expect_error,
    pb,
    sql_job,
    stub_for,
    submit_sql,
    wait_terminated,
    wait_until,
)

IRIS_HEADER = '"sepallength","sepalwidth","petallength","petalwidth","name"'
MISSING = "20991231000000000nosuch"
Instance = instance_pb2.Instance
Task = instance_pb2.Task


@pytest.fixture(scope="module")
def finished(stub):
    """A terminated, successful ``select * from pyodps_iris limit 1``."""
    instance = submit_sql(stub, "select * from pyodps_iris limit 1", duration=0.1)
    return wait_terminated(stub, instance.instance_id)


@pytest.fixture(scope="module")
def failed(stub):
    """A terminated, failed query (unknown table)."""
    instance = submit_sql(stub, "select * from no_such_table_anywhere", duration=0.1)
    return wait_terminated(stub, instance.instance_id)


@covers("SubmitSql", "GetInstance")
def test_submit_and_get_a_finished_select(stub, finished):
    assert finished.project == "demo"
    instance, call = stub.GetInstance.with_call(
        pb.GetInstanceRequest(instance_id=finished.instance_id)
    )
    assert instance.state == Instance.TERMINATED
    assert instance.HasField("successful") and instance.successful is True
    assert instance.failure_message == ""
    assert instance.owner.startswith("ALIYUN$")
    assert instance.HasField("start_time") and instance.HasField("end_time")
    assert [(t.name, t.type, t.state) for t in instance.tasks] == [
        ("AnonymousSQLTask", "SQL", Task.SUCCEEDED)
    ]
    trailers = dict(call.trailing_metadata())
    assert len(trailers["x-request-id"]) == 24


@covers("SubmitSql")
def test_submit_returns_the_instance_as_first_read(stub):
    instance = submit_sql(stub, "select 1", duration=30)
    try:
        assert instance.instance_id
        assert instance.state == Instance.RUNNING
        # The outcome of a running instance is unknown: unset, not false.
        assert not instance.HasField("successful")
        assert instance.failure_message == ""
        assert [t.name for t in instance.tasks] == ["AnonymousSQLTask"]
        got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
        assert got.state == Instance.RUNNING and not got.HasField("successful")
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))


def test_priority_is_unset_when_maxcompute_did_not_report_it(stub):
    # Instance reads (GET, ?taskstatus, listings) carry no priority; only the job source
    # does, which these paths do not read: unset, never a made-up 0 or 9.
    # (tests/gateway/test_wire.py covers a known priority.)
    instance = submit_sql(stub, "select 1", duration=0.05, priority=3)
    assert not instance.HasField("priority")
    final = wait_terminated(stub, instance.instance_id)
    assert not final.HasField("priority")
    got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
    assert not got.HasField("priority")
    listed = stub.ListInstances(pb.ListInstancesRequest(page_size=5)).instances
    assert listed and not any(i.HasField("priority") for i in listed)


def test_get_instance_not_found_has_error_info(stub):
    err = expect_error(stub.GetInstance, pb.GetInstanceRequest(instance_id=MISSING))
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None
    assert err.error_info.reason == "INSTANCE_NOT_FOUND"
    assert err.error_info.domain == "mcgateway.github.io"
    assert err.error_info.metadata["maxcompute_code"] == "NoSuchObject"
    assert err.error_info.metadata["project"] == "demo"
    assert err.error_info.metadata["instance_id"] == MISSING
    assert err.error_info.metadata["upstream_request_id"]
    assert err.request_info is not None
    assert err.trailers["x-request-id"] == err.request_info.request_id


@covers("GetInstance")
def test_failed_sql_carries_its_failure_message(stub, failed):
    instance = stub.GetInstance(pb.GetInstanceRequest(instance_id=failed.instance_id))
    assert instance.state == Instance.TERMINATED
    assert instance.HasField("successful") and instance.successful is False
    assert instance.tasks[0].state == Task.FAILED
    assert "no_such_table_anywhere" in instance.failure_message
    result = stub.GetTaskResult(
        pb.GetTaskResultRequest(instance_id=failed.instance_id, task_name="AnonymousSQLTask")
    )
    assert result.content == instance.failure_message


@covers("InstanceExists")
def test_instance_exists(stub, finished):
    request = pb.InstanceExistsRequest(instance_id=finished.instance_id)
    assert stub.InstanceExists(request).exists is True
    assert stub.InstanceExists(pb.InstanceExistsRequest(instance_id=MISSING)).exists is False


@covers("ListTasks")
def test_list_tasks(stub, finished):
    response = stub.ListTasks(pb.ListTasksRequest(instance_id=finished.instance_id))
    assert [(t.name, t.state) for t in response.tasks] == [("AnonymousSQLTask", Task.SUCCEEDED)]
    assert response.next_page_token == ""
    err = expect_error(stub.ListTasks, pb.ListTasksRequest(instance_id=MISSING))
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "INSTANCE_NOT_FOUND"


@covers("GetTaskResult")
def test_task_result_is_csv_header_and_one_row(stub, finished):
    result = stub.GetTaskResult(
        pb.GetTaskResultRequest(instance_id=finished.instance_id, task_name="AnonymousSQLTask")
    )
    assert result.task_name == "AnonymousSQLTask"
    assert result.format == "csv"
    lines = result.content.splitlines()
    assert lines[0] == IRIS_HEADER
    assert len(lines) == 2
    assert lines[1].endswith('"Iris-setosa"')


def test_task_result_of_unknown_task_is_not_found(stub, finished):
    err = expect_error(
        stub.GetTaskResult,
        pb.GetTaskResultRequest(instance_id=finished.instance_id, task_name="NoTask"),
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "TASK_NOT_FOUND"


@covers("ListTaskResults")
def test_task_results(stub, finished):
    response = stub.ListTaskResults(pb.ListTaskResultsRequest(instance_id=finished.instance_id))
    assert [r.task_name for r in response.task_results] == ["AnonymousSQLTask"]
    assert response.task_results[0].content.startswith(IRIS_HEADER + "\n")
    assert response.next_page_token == ""


@covers("GetTaskProgress")
def test_task_progress(stub, finished):
    progress = stub.GetTaskProgress(
        pb.GetTaskProgressRequest(instance_id=finished.instance_id, task_name="AnonymousSQLTask")
    )
    assert progress.task_name == "AnonymousSQLTask"
    assert progress.stages, "a finished select reports its stages"
    stage = progress.stages[0]
    assert stage.finished_percentage == 100
    assert stage.terminated_workers == stage.total_workers
    assert f"{stage.id}:" in progress.formatted


def test_task_progress_of_unknown_task_and_instance_are_told_apart(stub):
    instance = submit_sql(stub, "select 1", duration=30)
    try:
        err = expect_error(
            stub.GetTaskProgress,
            pb.GetTaskProgressRequest(instance_id=instance.instance_id, task_name="NoTask"),
        )
        assert err.code is grpc.StatusCode.NOT_FOUND
        assert err.error_info is not None and err.error_info.reason == "TASK_NOT_FOUND"
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))
    err = expect_error(
        stub.GetTaskProgress,
        pb.GetTaskProgressRequest(instance_id=MISSING, task_name="AnonymousSQLTask"),
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "INSTANCE_NOT_FOUND"


def _hours(n: float) -> dict[str, int]:
    return {"seconds": int(n * 3600)}


def _lifetime_hours(response: pb.GenerateLogviewAddressResponse, before: datetime) -> float:
    return (response.expire_time.ToDatetime(tzinfo=UTC) - before).total_seconds() / 3600


@covers("GenerateLogviewAddress")
def test_logview_address(stub, finished):
    before = datetime.now(UTC)
    response = stub.GenerateLogviewAddress(
        pb.GenerateLogviewAddressRequest(instance_id=finished.instance_id, ttl=_hours(5))
    )
    assert "/logview/" in response.url
    assert f"i={finished.instance_id}" in response.url
    assert "p=demo" in response.url
    assert "token=" in response.url
    assert 4.9 <= _lifetime_hours(response, before) <= 5.1


@pytest.mark.parametrize(
    ("ttl", "hours"),
    [(None, 720), ({}, 720), (_hours(1), 1), (_hours(2160), 2160)],
    ids=["unset", "zero", "1h", "2160h"],
)
def test_logview_ttl_in_range(stub, finished, ttl, hours):
    before = datetime.now(UTC)
    request = pb.GenerateLogviewAddressRequest(instance_id=finished.instance_id, ttl=ttl)
    assert request.HasField("ttl") is (ttl is not None)
    lifetime = _lifetime_hours(stub.GenerateLogviewAddress(request), before)
    assert hours - 0.1 < lifetime < hours + 0.1


@pytest.mark.parametrize(
    "ttl",
    [_hours(2161), {"seconds": 90 * 60}, _hours(-1), {"seconds": 3600, "nanos": 1}],
    ids=["2161h", "90min", "negative", "3600s+1ns"],
)
def test_logview_ttl_out_of_range_is_invalid_argument(gateway, stub, ttl):
    before = gateway.upstream_requests()
    err = expect_error(
        stub.GenerateLogviewAddress, pb.GenerateLogviewAddressRequest(instance_id="x1", ttl=ttl)
    )
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT
    assert err.error_info is not None and err.error_info.reason == "INVALID_REQUEST"
    assert set(err.violations) == {"ttl"}
    assert "hours" in err.violations["ttl"] or " h" in err.violations["ttl"]
    assert gateway.upstream_requests() == before


def test_logview_address_for_missing_instance_is_not_found(stub):
    err = expect_error(
        stub.GenerateLogviewAddress, pb.GenerateLogviewAddressRequest(instance_id=MISSING)
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "INSTANCE_NOT_FOUND"


@covers("StopInstance")
def test_stop_running_instance_then_stop_again(stub):
    instance = submit_sql(stub, "select 1", duration=60)
    stopped = stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id)).instance
    assert stopped.instance_id == instance.instance_id
    final = wait_terminated(stub, instance.instance_id)
    assert [t.state for t in final.tasks] == [Task.CANCELLED]
    assert final.HasField("successful") and final.successful is False
    got = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
    assert got.state == Instance.TERMINATED
    # Says why it did not succeed, exactly as WatchInstance's TERMINAL message does.
    assert got.failure_message == "AnonymousSQLTask, status=CANCELLED"
    err = expect_error(stub.StopInstance, pb.StopInstanceRequest(instance_id=instance.instance_id))
    assert err.code is grpc.StatusCode.FAILED_PRECONDITION
    assert err.error_info is not None
    assert err.error_info.reason == "INSTANCE_NOT_RUNNING"
    assert err.error_info.metadata["maxcompute_code"] == "InvalidStateSetting"
    assert err.error_info.metadata["instance_id"] == instance.instance_id


def test_stop_missing_instance_is_not_found(stub):
    err = expect_error(stub.StopInstance, pb.StopInstanceRequest(instance_id=MISSING))
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "INSTANCE_NOT_FOUND"
    assert err.error_info.metadata["maxcompute_code"] == "NoSuchObject"


@covers("ListInstances")
def test_list_instances_pages_with_opaque_tokens(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    created = {submit_sql(stub, f"select {i}", duration=0.05).instance_id for i in range(7)}
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        response = stub.ListInstances(
            pb.ListInstancesRequest(min_start_time=start, page_size=3, page_token=token)
        )
        pages += 1
        assert len(response.instances) <= 3
        seen.extend(i.instance_id for i in response.instances)
        for instance in response.instances:
            assert instance.project == "demo"
            assert len(instance.tasks) == 0, "listings carry no tasks"
            # Without tasks the outcome is unknown, terminated or not.
            assert not instance.HasField("successful")
            assert instance.failure_message == ""
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


def test_list_instances_filters_by_state(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    running = submit_sql(stub, "select 1", duration=60)
    try:
        response = stub.ListInstances(
            pb.ListInstancesRequest(min_start_time=start, state_filter=Instance.RUNNING)
        )
        ids = [i.instance_id for i in response.instances]
        assert running.instance_id in ids
        assert all(i.state == Instance.RUNNING for i in response.instances)
        terminated = stub.ListInstances(
            pb.ListInstancesRequest(min_start_time=start, state_filter=Instance.TERMINATED)
        )
        assert running.instance_id not in [i.instance_id for i in terminated.instances]
        assert all(not i.HasField("successful") for i in terminated.instances)
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))


def test_page_token_with_other_filters_is_rejected(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    for i in range(3):
        submit_sql(stub, f"select {i}", duration=0.05)
    first = stub.ListInstances(pb.ListInstancesRequest(min_start_time=start, page_size=1))
    assert first.next_page_token
    for request in (
        pb.ListInstancesRequest(page_size=1, page_token=first.next_page_token),
        pb.ListInstancesRequest(
            min_start_time=start,
            page_size=1,
            only_owner=True,
            page_token=first.next_page_token,
        ),
        pb.ListInstancesRequest(
            project="other_project",
            min_start_time=start,
            page_size=1,
            page_token=first.next_page_token,
        ),
    ):
        err = expect_error(stub.ListInstances, request)
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert err.error_info is not None and err.error_info.reason == "INVALID_PAGE_TOKEN"
        assert "page_token" in err.violations
    same = stub.ListInstances(
        pb.ListInstancesRequest(min_start_time=start, page_size=1, page_token=first.next_page_token)
    )
    assert same.instances[0].instance_id != first.instances[0].instance_id


def test_forged_page_token_is_rejected(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 3600)
    first = stub.ListInstances(pb.ListInstancesRequest(min_start_time=start, page_size=1))
    assert first.next_page_token
    raw = bytearray(base64.urlsafe_b64decode(first.next_page_token + "=="))
    raw[-3] ^= 0x01  # flip a bit of the payload: the signature no longer matches
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    for token in (forged, "not-a-token", "AAAA"):
        err = expect_error(
            stub.ListInstances,
            pb.ListInstancesRequest(min_start_time=start, page_size=1, page_token=token),
        )
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert "page_token" in err.violations


@covers("SubmitSql")
def test_submit_is_idempotent_with_request_id(stub, emulator):
    request_id = str(uuid.uuid4())
    first = submit_sql(stub, "select 42", duration=0.1, request_id=request_id)
    again = submit_sql(stub, "select 42", duration=0.1, request_id=request_id)
    assert again.instance_id == first.instance_id
    # Case does not make another UUID: the same request.
    upper = submit_sql(stub, "select 42", duration=0.1, request_id=request_id.upper())
    assert upper.instance_id == first.instance_id
    other = submit_sql(stub, "select 42", duration=0.1, request_id=str(uuid.uuid4()))
    assert other.instance_id != first.instance_id
    # A fresh gateway (a restart, another replica) finds the instance in MaxCompute by its id.
    config = gateway_config_for(
        emulator,
    )
    with GatewayThread(config) as fresh:
        third = submit_sql(
            stub_for(fresh.target), "select 42", duration=0.1, request_id=request_id.upper()
        )
        assert fresh.upstream_requests("create_instance") == 0
        # One filtered list call finds it (the job is named after the request id).
        assert fresh.upstream_requests("list_instances") == 1
        assert fresh.upstream_requests("get_job") == 0
    assert third.instance_id == first.instance_id


def test_upper_case_uuid4_request_id_is_accepted(stub):
    request_id = str(uuid.uuid4()).upper()
    first = submit_sql(stub, "select 43", duration=0.05, request_id=request_id)
    again = submit_sql(stub, "select 43", duration=0.05, request_id=request_id)
    assert first.instance_id and again.instance_id == first.instance_id


@pytest.mark.parametrize(
    "request_id",
    [
        str(uuid.uuid1()),  # a UUID, but version 1
        str(uuid.uuid4()).replace("-", ""),  # the 32-digit form is not the canonical text
        "{" + str(uuid.uuid4()) + "}",
        str(uuid.uuid4()) + "0",  # too long
        "req-1",
        "g" * 8 + str(uuid.uuid4())[8:],  # not hex
        str(uuid.uuid4())[:19] + "c" + str(uuid.uuid4())[20:],  # variant 11xx
    ],
    ids=["v1", "no-dashes", "braces", "too-long", "not-a-uuid", "not-hex", "variant"],
)
def test_request_id_must_be_a_uuid4(gateway, stub, request_id):
    before = gateway.upstream_requests()
    for method, request in (
        ("SubmitSql", pb.SubmitSqlRequest(job=sql_job("select 1"), request_id=request_id)),
        (
            "SubmitXflow",
            pb.SubmitXflowRequest(
                xflow_name="AppendID", xflow_project="algo_public", request_id=request_id
            ),
        ),
    ):
        err = expect_error(getattr(stub, method), request)
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT, (method, err.message)
        assert set(err.violations) == {"request_id"}, (method, err.violations)
        assert "UUID" in err.violations["request_id"]
    assert gateway.upstream_requests() == before


def test_submit_sql_needs_a_job(gateway, stub):
    before = gateway.upstream_requests()
    err = expect_error(stub.SubmitSql, pb.SubmitSqlRequest())
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT
    assert set(err.violations) == {"job"}
    err = expect_error(stub.SubmitSql, pb.SubmitSqlRequest(job=instance_pb2.SqlJob()))
    assert set(err.violations) == {"job.query"}
    assert gateway.upstream_requests() == before


@pytest.fixture(scope="module")
def xflow(stub):
    """A terminated ``AppendID`` XFlow instance with an output table: two sub-instances."""
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
    assert instance.instance_id
    assert [t.type for t in instance.tasks] == ["AlgoTask"]
    return wait_terminated(stub, instance.instance_id)


@covers("SubmitXflow", "ListSubInstances")
def test_xflow_sub_instances_with_logview_urls(stub, xflow):
    assert xflow.state == Instance.TERMINATED
    response = stub.ListSubInstances(pb.ListSubInstancesRequest(instance_id=xflow.instance_id))
    subs = response.sub_instances
    assert subs, "AppendID with an output table runs a sub-instance"
    assert response.next_page_token == ""
    for sub in subs:
        assert sub.name
        assert sub.instance_id and sub.instance_id != xflow.instance_id
        assert f"i={sub.instance_id}" in sub.logview_url
        got = stub.GetInstance(pb.GetInstanceRequest(instance_id=sub.instance_id))
        assert got.instance_id == sub.instance_id


def test_sub_instances_of_a_sql_instance_is_failed_precondition(stub, finished):
    err = expect_error(
        stub.ListSubInstances, pb.ListSubInstancesRequest(instance_id=finished.instance_id)
    )
    assert err.code is grpc.StatusCode.FAILED_PRECONDITION
    assert err.error_info is not None and err.error_info.reason == "NOT_XFLOW"


@covers("WaitInstance")
def test_wait_instance_returns_terminal_state(stub):
    instance = submit_sql(stub, "select 1", duration=0.3)
    final = wait_terminated(stub, instance.instance_id)
    assert final.HasField("successful") and final.successful is True
    assert final.failure_message == ""


@covers("WatchInstance")
def test_watch_instance_streams_until_terminal(stub):
    instance = submit_sql(stub, "select 1", duration=1.0)
    events = list(
        stub.WatchInstance(pb.WatchInstanceRequest(instance_id=instance.instance_id), timeout=60)
    )
    assert events[0].event_type == pb.WatchInstanceResponse.SNAPSHOT
    assert not events[0].instance.HasField("successful")
    assert events[-1].event_type == pb.WatchInstanceResponse.TERMINAL
    assert events[-1].instance.state == Instance.TERMINATED
    assert events[-1].instance.HasField("successful") and events[-1].instance.successful
    sequences = [e.sequence for e in events]
    assert sequences == sorted(sequences)
    assert sequences[0] > 2**32, "int64 sequences: microseconds of the wall clock"


@covers("WatchInstances")
def test_watch_instances_sends_snapshot_end(stub):
    stream = stub.WatchInstances(pb.WatchInstancesRequest(), timeout=60)
    try:
        for event in stream:
            if event.event_type == pb.WatchInstancesResponse.SNAPSHOT_END:
                break
            assert event.event_type == pb.WatchInstancesResponse.ADDED
            assert not event.instance.HasField("successful")
    finally:
        stream.cancel()


def test_watch_instances_state_filter(stub):
    running = submit_sql(stub, "select 1", duration=60)
    stream = stub.WatchInstances(
        pb.WatchInstancesRequest(state_filter=Instance.RUNNING), timeout=60
    )
    try:
        added = []
        for event in stream:
            if event.event_type == pb.WatchInstancesResponse.SNAPSHOT_END:
                break
            assert event.instance.state == Instance.RUNNING
            added.append(event.instance.instance_id)
        assert running.instance_id in added
    finally:
        stream.cancel()
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))


def test_unknown_project_is_not_found(stub):
    err = expect_error(
        stub.GetInstance, pb.GetInstanceRequest(project="no_such_project", instance_id="x1")
    )
    assert err.code is grpc.StatusCode.NOT_FOUND
    assert err.error_info is not None and err.error_info.reason == "PROJECT_NOT_FOUND"
    assert err.error_info.metadata["maxcompute_code"] == "NoSuchProject"


def test_upstream_counter_moves(gateway, stub):
    before = gateway.upstream_requests("get_instance")
    stub.InstanceExists(pb.InstanceExistsRequest(instance_id="20991231000000000nosuch2"))
    wait_until(lambda: gateway.upstream_requests("get_instance") > before)


def test_list_instances_time_and_owner_filters(stub):
    start = timestamp_pb2.Timestamp(seconds=int(time.time()) - 1)
    mine = submit_sql(stub, "select 7", duration=0.05)
    owned = stub.ListInstances(pb.ListInstancesRequest(min_start_time=start, only_owner=True))
    assert mine.instance_id in [i.instance_id for i in owned.instances]
    assert all(i.owner == mine.owner for i in owned.instances)
    before = timestamp_pb2.Timestamp(seconds=start.seconds - 3600)
    earlier = stub.ListInstances(
        pb.ListInstancesRequest(
            min_start_time=timestamp_pb2.Timestamp(seconds=before.seconds - 3600),
            max_start_time=before,
        )
    )
    assert mine.instance_id not in [i.instance_id for i in earlier.instances]


def test_running_instance_has_progress_and_no_result_yet(stub):
    instance = submit_sql(stub, "select * from pyodps_iris", duration=30)
    try:
        wait_until(
            lambda: (
                stub.GetInstance(pb.GetInstanceRequest(instance_id=instance.instance_id))
                .tasks[0]
                .state
                == Task.RUNNING
            ),
            what="task running",
        )
        progress = stub.GetTaskProgress(
            pb.GetTaskProgressRequest(
                instance_id=instance.instance_id, task_name="AnonymousSQLTask"
            )
        )
        assert progress.stages
        assert all(0 <= s.finished_percentage < 100 for s in progress.stages)
        result = stub.GetTaskResult(
            pb.GetTaskResultRequest(instance_id=instance.instance_id, task_name="AnonymousSQLTask")
        )
        assert result.task_name == "AnonymousSQLTask"
        assert result.content == ""
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))
