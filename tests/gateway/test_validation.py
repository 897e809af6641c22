"""Input validation: INVALID_ARGUMENT with BadRequest field violations, before any upstream call."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import duration_pb2, timestamp_pb2
from mcgateway.service import validation

from gateway.support import expect_error, pb

LONG_ID = "a" * 200


@pytest.mark.parametrize(
    ("method", "request_message", "fields"),
    [
        ("GetInstance", pb.GetInstanceRequest(instance_id=""), {"instance_id"}),
        ("GetInstance", pb.GetInstanceRequest(instance_id="../etc"), {"instance_id"}),
        ("GetInstance", pb.GetInstanceRequest(instance_id=LONG_ID), {"instance_id"}),
        ("GetInstance", pb.GetInstanceRequest(project="1bad", instance_id="x1"), {"project"}),
        ("GetInstance", pb.GetInstanceRequest(project="a/b", instance_id="x1"), {"project"}),
        ("InstanceExists", pb.InstanceExistsRequest(instance_id="has space"), {"instance_id"}),
        ("StopInstance", pb.StopInstanceRequest(instance_id="x?y"), {"instance_id"}),
        ("ListTasks", pb.ListTasksRequest(instance_id=""), {"instance_id"}),
        (
            "GetTaskResult",
            pb.GetTaskResultRequest(instance_id="", task_name=""),
            {"instance_id", "task_name"},
        ),
        (
            "GetTaskProgress",
            pb.GetTaskProgressRequest(instance_id="x1", task_name="bad task"),
            {"task_name"},
        ),
        ("ListInstances", pb.ListInstancesRequest(page_size=-1), {"page_size"}),
        (
            "ListInstances",
            pb.ListInstancesRequest(
                start_time=timestamp_pb2.Timestamp(seconds=2000),
                end_time=timestamp_pb2.Timestamp(seconds=1000),
            ),
            {"end_time"},
        ),
        ("ListInstances", pb.ListInstancesRequest(status=42), {"status"}),  # type: ignore[arg-type]
        ("GetLogviewAddress", pb.GetLogviewAddressRequest(instance_id="x1", hours=-1), {"hours"}),
        ("GetLogviewAddress", pb.GetLogviewAddressRequest(instance_id="x1", hours=2161), {"hours"}),
        ("SubmitSql", pb.SubmitSqlRequest(query="   "), {"query"}),
        ("SubmitSql", pb.SubmitSqlRequest(query="x" * (1024 * 1024 + 1)), {"query"}),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(query="select 1", hints={"bad key!": "1"}),
            {"hints['bad key!']"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(query="select 1", hints={"k": "v" * 4097}),
            {"hints['k']"},
        ),
        ("SubmitSql", pb.SubmitSqlRequest(query="select 1", priority=10), {"priority"}),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(query="select 1", request_id="not/valid"),
            {"request_id"},
        ),
        ("SubmitSql", pb.SubmitSqlRequest(query="select 1", request_id="r" * 65), {"request_id"}),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(query="", priority=-1, request_id="?"),
            {"query", "priority", "request_id"},
        ),
        ("SubmitXflow", pb.SubmitXflowRequest(xflow_name=""), {"xflow_name"}),
        (
            "SubmitXflow",
            pb.SubmitXflowRequest(xflow_name="AppendID", parameters={"": "x"}),
            {"parameters['']"},
        ),
        (
            "WaitInstance",
            pb.WaitInstanceRequest(instance_id="x1", timeout=duration_pb2.Duration(seconds=-1)),
            {"timeout"},
        ),
        ("WatchInstance", pb.WatchInstanceRequest(instance_id=""), {"instance_id"}),
    ],
)
def test_bad_requests_are_invalid_argument_without_upstream_calls(
    gateway, stub, method, request_message, fields
):
    before = gateway.upstream_requests()
    call = getattr(stub, method)
    if method == "WatchInstance":
        err = expect_error(lambda r: list(call(r, timeout=10)), request_message)
    else:
        err = expect_error(call, request_message, timeout=10)
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT, err.message
    assert set(err.violations) == fields, err.violations
    assert err.error_info is not None
    assert err.error_info.domain == "mcgateway"
    assert err.error_info.reason in ("INVALID_REQUEST", "INVALID_PAGE_TOKEN")
    assert gateway.upstream_requests() == before, "validation happens before any upstream call"


def test_page_size_rules():
    assert validation.page_size(0) == validation.DEFAULT_PAGE_SIZE == 100
    assert validation.page_size(1) == 1
    assert validation.page_size(1000) == 1000
    assert validation.page_size(5000) == validation.MAX_PAGE_SIZE == 1000
    with pytest.raises(validation.InvalidArgument):
        validation.page_size(-5)


def test_logview_hours_rules():
    assert validation.logview_hours(0) == 720
    assert validation.logview_hours(1) == 1
    assert validation.logview_hours(2160) == 2160
    for bad in (-1, 2161):
        with pytest.raises(validation.InvalidArgument):
            validation.logview_hours(bad)


def test_query_is_stripped_and_terminated():
    v = validation.Violations()
    assert validation.normalize_query(v, "  select 1  ") == "select 1;"
    assert validation.normalize_query(v, "select 1;") == "select 1;"
    assert v.items == []


def test_page_size_above_maximum_is_clamped_end_to_end(stub):
    response = stub.ListInstances(pb.ListInstancesRequest(page_size=100000))
    assert len(response.instances) <= 1000


@pytest.mark.parametrize(
    ("seconds", "nanos"),
    [(2**63 - 1, 0), (-1, 0), (253402300800, 0), (0, -1), (0, 1_000_000_000)],
)
def test_out_of_range_timestamps_are_invalid_argument(stub, seconds, nanos):
    ts = timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos)
    for request in (
        pb.ListInstancesRequest(start_time=ts),
        pb.ListInstancesRequest(end_time=ts),
    ):
        err = expect_error(stub.ListInstances, request)
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert set(err.violations) <= {"start_time", "end_time"}
