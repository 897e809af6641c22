"""Input validation: INVALID_ARGUMENT with BadRequest field violations, before any upstream call."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import duration_pb2, timestamp_pb2
from maxcompute.gateway.v1 import instance_pb2
from mcgateway import maxcompute as mc
from mcgateway.service import servicer, validation

from gateway.support import expect_error, pb

SqlJob = instance_pb2.SqlJob
UUID4 = "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60"

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
            "ListTasks",
            pb.ListTasksRequest(instance_id="", page_size=-1),
            {"instance_id", "page_size"},
        ),
        (
            "ListTaskResults",
            pb.ListTaskResultsRequest(instance_id="x1", page_size=-1),
            {"page_size"},
        ),
        ("ListSubInstances", pb.ListSubInstancesRequest(instance_id="a b"), {"instance_id"}),
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
                min_start_time=timestamp_pb2.Timestamp(seconds=2000),
                max_start_time=timestamp_pb2.Timestamp(seconds=1000),
            ),
            {"max_start_time"},
        ),
        (
            "ListInstances",
            pb.ListInstancesRequest(state_filter=42),  # type: ignore[arg-type]
            {"state_filter"},
        ),
        (
            "GenerateLogviewAddress",
            pb.GenerateLogviewAddressRequest(instance_id="x1", ttl={"seconds": -3600}),
            {"ttl"},
        ),
        (
            "GenerateLogviewAddress",
            pb.GenerateLogviewAddressRequest(instance_id="", ttl={"seconds": 2161 * 3600}),
            {"instance_id", "ttl"},
        ),
        ("SubmitSql", pb.SubmitSqlRequest(), {"job"}),
        ("SubmitSql", pb.SubmitSqlRequest(request_id="?"), {"job", "request_id"}),
        ("SubmitSql", pb.SubmitSqlRequest(job=SqlJob(query="   ")), {"job.query"}),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="x" * (1024 * 1024 + 1))),
            {"job.query"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="select 1", hints={"bad key!": "1"})),
            {"job.hints['bad key!']"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="select 1", hints={"k": "v" * 4097})),
            {"job.hints['k']"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="select 1", priority=10)),
            {"job.priority"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="select 1"), request_id="not/valid"),
            {"request_id"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="select 1"), request_id="r" * 65),
            {"request_id"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(job=SqlJob(query="", priority=-1), request_id="?"),
            {"job.query", "job.priority", "request_id"},
        ),
        ("SubmitXflow", pb.SubmitXflowRequest(xflow_name=""), {"xflow_name"}),
        (
            "SubmitXflow",
            pb.SubmitXflowRequest(xflow_name="AppendID", priority=10, request_id="x"),
            {"priority", "request_id"},
        ),
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
        (
            "WatchInstances",
            pb.WatchInstancesRequest(state_filter=42),  # type: ignore[arg-type]
            {"state_filter"},
        ),
        (
            "WatchInstances",
            pb.WatchInstancesRequest(resume_version="not a version"),
            {"resume_version"},
        ),
        (
            "WatchInstances",
            pb.WatchInstancesRequest(bookmark_interval={"seconds": 601}),
            {"bookmark_interval"},
        ),
        (
            "GetTaskSummary",
            pb.GetTaskSummaryRequest(instance_id="", task_name="bad task"),
            {"instance_id", "task_name"},
        ),
        ("GetTaskDetail", pb.GetTaskDetailRequest(instance_id="x1"), {"task_name"}),
        (
            "GetWorkerLog",
            pb.GetWorkerLogRequest(instance_id="x1", log_id="has space"),
            {"log_id"},
        ),
        (
            "GetWorkerLog",
            pb.GetWorkerLogRequest(instance_id="", log_id="", max_size_bytes=-1),
            {"instance_id", "log_id", "max_size_bytes"},
        ),
        (
            "GetWorkerLog",
            pb.GetWorkerLogRequest(instance_id="x1", log_id="l1", max_size_bytes=2097153),
            {"max_size_bytes"},
        ),
        (
            "GetWorkerLog",
            pb.GetWorkerLogRequest(instance_id="x1", log_id="l1", log_type=99),  # type: ignore[arg-type]
            {"log_type"},
        ),
        ("GetQueueingInfo", pb.GetQueueingInfoRequest(instance_id="a/b"), {"instance_id"}),
        (
            "ListQueueingInfos",
            pb.ListQueueingInfosRequest(page_size=-1, quota_index="a b"),
            {"page_size", "quota_index"},
        ),
        (
            "ListQueueingInfos",
            pb.ListQueueingInfosRequest(state_filter=42),  # type: ignore[arg-type]
            {"state_filter"},
        ),
        ("EstimateSqlCost", pb.EstimateSqlCostRequest(), {"job"}),
        (
            "EstimateSqlCost",
            pb.EstimateSqlCostRequest(job=SqlJob(query="select 1", priority=10)),
            {"job.priority"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(
                job=SqlJob(query="select 1", quota_name="bad quota", running_cluster="-x")
            ),
            {"job.quota_name", "job.running_cluster"},
        ),
        (
            "SubmitSql",
            pb.SubmitSqlRequest(
                job=SqlJob(query="select 1", quota_name="q1", hints={"odps.task.wlm.quota": "q2"})
            ),
            {"job.quota_name"},
        ),
        ("ExecuteSql", pb.ExecuteSqlRequest(), {"job"}),
        (
            "ExecuteSql",
            pb.ExecuteSqlRequest(
                job=SqlJob(query="select 1", priority=10),
                request_id="nope",
                heartbeat_interval={"seconds": 0, "nanos": 5},
            ),
            {"job.priority", "request_id", "heartbeat_interval"},
        ),
    ],
)
def test_bad_requests_are_invalid_argument_without_upstream_calls(
    gateway, stub, method, request_message, fields
):
    before = gateway.upstream_requests()
    call = getattr(stub, method)
    if method in ("WatchInstance", "WatchInstances", "ExecuteSql"):
        err = expect_error(lambda r: list(call(r, timeout=10)), request_message)
    else:
        err = expect_error(call, request_message, timeout=10)
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT, err.message
    assert set(err.violations) == fields, err.violations
    assert err.error_info is not None
    assert err.error_info.domain == "mcgateway.github.io"
    assert err.error_info.reason in ("INVALID_REQUEST", "INVALID_PAGE_TOKEN")
    assert gateway.upstream_requests() == before, "validation happens before any upstream call"


@pytest.mark.parametrize(
    ("seconds", "nanos", "hours"),
    [(0, 0, 720), (3600, 0, 1), (2160 * 3600, 0, 2160), (48 * 3600, 0, 48)],
)
def test_logview_ttl_rules(seconds, nanos, hours):
    v = validation.Violations()
    ttl = duration_pb2.Duration(seconds=seconds, nanos=nanos)
    assert validation.check_logview_ttl(v, ttl) == hours
    assert v.items == []


@pytest.mark.parametrize(
    ("seconds", "nanos"),
    [(2161 * 3600, 0), (90 * 60, 0), (-3600, 0), (3600, 1), (0, 1), (0, -1), (1, 0)],
)
def test_logview_ttl_must_be_whole_hours_in_range(seconds, nanos):
    v = validation.Violations()
    validation.check_logview_ttl(v, duration_pb2.Duration(seconds=seconds, nanos=nanos))
    assert [f for f, _ in v.items] == ["ttl"]


@pytest.mark.parametrize(
    "request_id",
    [
        UUID4,
        UUID4.upper(),
        "00000000-0000-4000-8000-000000000000",
        "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
    ],
)
def test_uuid4_request_ids_are_accepted_in_lower_case(request_id):
    v = validation.Violations()
    assert validation.check_request_id(v, request_id) == request_id.lower()
    assert v.items == []
    # What the gateway accepts, the REST client takes (as the job Guid and in the job name).
    mc.validate_request_id(request_id.lower())
    assert len(servicer.JOB_NAME_PREFIX + request_id) <= 64


@pytest.mark.parametrize(
    "request_id",
    [
        "3f1c2a9e-8b7d-1c6e-9f0a-1b2c3d4e5f60",  # version 1
        "3f1c2a9e-8b7d-4c6e-cf0a-1b2c3d4e5f60",  # variant 11xx
        "3f1c2a9e-8b7d-4c6e-7f0a-1b2c3d4e5f60",  # variant 0xxx
        "3f1c2a9e8b7d4c6e9f0a1b2c3d4e5f60",  # no dashes
        UUID4 + "0",  # too long
        UUID4[:-1],  # too short
        " " + UUID4,
        UUID4 + "\n",
        "{" + UUID4 + "}",
        "urn:uuid:" + UUID4,
        "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5g60",  # not hex
        "req-1",
    ],
)
def test_other_request_ids_are_refused(request_id):
    v = validation.Violations()
    assert validation.check_request_id(v, request_id) is None
    assert [f for f, _ in v.items] == ["request_id"]


def test_empty_request_id_means_none():
    v = validation.Violations()
    assert validation.check_request_id(v, "") is None
    assert v.items == []


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
        pb.ListInstancesRequest(min_start_time=ts),
        pb.ListInstancesRequest(max_start_time=ts),
    ):
        err = expect_error(stub.ListInstances, request)
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT
        assert set(err.violations) <= {"min_start_time", "max_start_time"}
