"""The v1 contract as the sync client speaks it (docs/api-design.md), the test playing the server.

Paged reads walked to the end, ``hours`` as a ``ttl``, UUID4 request ids, ``successful`` unknown
in listings and resolved on demand, optional priority, nested enums (unknown values read as
unspecified) and errors mapped from the gateway's reasons with MaxCompute's code kept.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcgateway_client import (
    EventType,
    Instance,
    InstanceFailed,
    InstanceState,
    Internal,
    InvalidArgument,
    InvalidState,
    ListEventType,
    NotFound,
    ResourceExhausted,
    Status,
    TaskStatus,
    WatchEvent,
)
from mcgateway_client._cli_render import instance_json, instance_lines
from mcgateway_client.cli import _tags

from .conftest import RUNNING, TERMINATED, Harness, instance_pb, rich_status

OK = grpc.StatusCode.OK
IID = "20260101000000000abcdefg1"
Task = instance_pb2.Task


def _task(name: str, state: int = Task.State.SUCCEEDED) -> instance_pb2.Task:
    return Task(name=name, type="SQL", state=state)  # type: ignore[arg-type]


def _is_canonical_uuid4(text: str) -> bool:
    value = uuid.UUID(text)
    return value.version == 4 and str(value) == text


# -- paged reads are walked to the end ------------------------------------------------------------


def test_task_statuses_walk_every_page(harness: Harness) -> None:
    inst = Instance(harness.gateway, IID, "demo")
    future = harness.run(inst.get_task_statuses)
    _, first, rpc = harness.take_unary("ListTasks")
    assert (first.project, first.instance_id, first.page_token) == ("demo", IID, "")
    rpc.terminate(
        pb.ListTasksResponse(tasks=[_task("a"), _task("b")], next_page_token="p2"), (), OK, ""
    )
    _, second, rpc = harness.take_unary("ListTasks")
    assert (second.instance_id, second.page_token) == (IID, "p2")
    rpc.terminate(pb.ListTasksResponse(tasks=[_task("c", Task.State.CANCELLED)]), (), OK, "")
    tasks = future.result(timeout=10)
    assert list(tasks) == ["a", "b", "c"]
    assert tasks["a"].status is TaskStatus.SUCCESS
    assert tasks["c"].status is TaskStatus.CANCELLED


def test_task_results_walk_every_page_into_an_ordered_dict(harness: Harness) -> None:
    inst = Instance(harness.gateway, IID, "demo")
    future = harness.run(inst.get_task_results)
    pages = [
        (["t1", "t2"], "n1"),
        (["t3"], "n2"),
        (["t4"], ""),
    ]
    tokens = []
    for names, token in pages:
        _, request, rpc = harness.take_unary("ListTaskResults")
        tokens.append(request.page_token)
        rpc.terminate(
            pb.ListTaskResultsResponse(
                task_results=[
                    instance_pb2.TaskResult(task_name=n, format="csv", content=f"{n}\n")
                    for n in names
                ],
                next_page_token=token,
            ),
            (),
            OK,
            "",
        )
    results = future.result(timeout=10)
    assert tokens == ["", "n1", "n2"]
    assert list(results.items()) == [("t1", "t1\n"), ("t2", "t2\n"), ("t3", "t3\n"), ("t4", "t4\n")]


def test_sub_instances_walk_every_page(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.get_xflow_sub_instances(IID))
    _, first, rpc = harness.take_unary("ListSubInstances")
    assert (first.project, first.instance_id, first.page_token) == ("demo", IID, "")
    rpc.terminate(
        pb.ListSubInstancesResponse(
            sub_instances=[instance_pb2.SubInstance(name="n1", instance_id="s1", logview_url="u1")],
            next_page_token="more",
        ),
        (),
        OK,
        "",
    )
    _, second, rpc = harness.take_unary("ListSubInstances")
    assert second.page_token == "more"
    rpc.terminate(
        pb.ListSubInstancesResponse(
            sub_instances=[instance_pb2.SubInstance(name="n2", instance_id="s2", logview_url="")]
        ),
        (),
        OK,
        "",
    )
    subs = future.result(timeout=10)
    assert [(name, sub.id, sub.project) for name, sub in subs.items()] == [
        ("n1", "s1", "demo"),
        ("n2", "s2", "demo"),
    ]
    assert subs["n1"].get_logview_address() == "u1"  # the listed URL, no call


def test_a_repeated_page_token_is_an_error_not_an_endless_loop(harness: Harness) -> None:
    inst = Instance(harness.gateway, IID, "demo")
    future = harness.run(inst.get_task_names)
    _, _, rpc = harness.take_unary("ListTasks")
    rpc.terminate(pb.ListTasksResponse(tasks=[_task("a")], next_page_token="same"), (), OK, "")
    _, _, rpc = harness.take_unary("ListTasks")
    rpc.terminate(pb.ListTasksResponse(tasks=[_task("b")], next_page_token="same"), (), OK, "")
    with pytest.raises(Internal, match="repeated page token"):
        future.result(timeout=10)


# -- Logview ttl ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "seconds"), [(None, None), (1, 3600), (2, 7200), (2160, 7776000)]
)
def test_logview_hours_become_a_ttl(
    harness: Harness, hours: int | None, seconds: int | None
) -> None:
    future = harness.run(lambda: harness.gateway.get_logview_address(IID, hours=hours))
    _, request, rpc = harness.take_unary("GenerateLogviewAddress")
    assert (request.project, request.instance_id) == ("demo", IID)
    if seconds is None:
        assert not request.HasField("ttl")  # the gateway's default of 720 hours
    else:
        assert (request.ttl.seconds, request.ttl.nanos) == (seconds, 0)
    rpc.terminate(pb.GenerateLogviewAddressResponse(url="http://logview/x"), (), OK, "")
    assert future.result(timeout=10) == "http://logview/x"


def test_instance_logview_hours_become_a_ttl(harness: Harness) -> None:
    inst = Instance(harness.gateway, IID, "demo")
    future = harness.run(lambda: inst.get_logview_address(hours=5))
    _, request, rpc = harness.take_unary("GenerateLogviewAddress")
    assert request.ttl.ToTimedelta().total_seconds() == 5 * 3600
    rpc.terminate(pb.GenerateLogviewAddressResponse(url="u"), (), OK, "")
    assert future.result(timeout=10) == "u"


# -- request ids ----------------------------------------------------------------------------------


def test_submissions_get_fresh_uuid4_request_ids(harness: Harness) -> None:
    ids = []
    for _ in range(2):
        future = harness.run(lambda: harness.gateway.run_sql("select 1", priority=0))
        _, request, rpc = harness.take_unary("SubmitSql")
        assert request.job.query == "select 1"
        assert request.job.HasField("priority") and request.job.priority == 0
        ids.append(request.request_id)
        rpc.terminate(pb.SubmitSqlResponse(instance=instance_pb()), (), OK, "")
        future.result(timeout=10)
    future = harness.run(lambda: harness.gateway.run_xflow("AppendID", "algo_public", {"a": 1}))
    _, request, rpc = harness.take_unary("SubmitXflow")
    assert dict(request.parameters) == {"a": "1"} and not request.HasField("priority")
    ids.append(request.request_id)
    rpc.terminate(pb.SubmitXflowResponse(instance=instance_pb()), (), OK, "")
    future.result(timeout=10)
    assert all(_is_canonical_uuid4(i) for i in ids), ids
    assert len(set(ids)) == 3


def test_a_given_request_id_is_sent_in_canonical_form(harness: Harness) -> None:
    given = str(uuid.uuid4())
    future = harness.run(lambda: harness.gateway.run_sql("select 1", request_id=given.upper()))
    _, request, rpc = harness.take_unary("SubmitSql")
    assert request.request_id == given
    rpc.terminate(pb.SubmitSqlResponse(instance=instance_pb()), (), OK, "")
    future.result(timeout=10)
    future = harness.run(lambda: harness.gateway.run_xflow("AppendID", request_id=given))
    _, request, rpc = harness.take_unary("SubmitXflow")
    assert (request.request_id, request.xflow_project) == (given, "demo")
    rpc.terminate(pb.SubmitXflowResponse(instance=instance_pb()), (), OK, "")
    future.result(timeout=10)


@pytest.mark.parametrize(
    "bad",
    [
        "job-42",
        uuid.uuid4().hex,  # no hyphens
        "{" + str(uuid.uuid4()) + "}",
        "urn:uuid:" + str(uuid.uuid4()),
        str(uuid.uuid1()),
        str(uuid.uuid4()) + "x",
    ],
    ids=["word", "hex", "braces", "urn", "uuid1", "trailing"],
)
def test_a_malformed_request_id_is_refused_before_any_call(harness: Harness, bad: str) -> None:
    # Any call would wait for the test to answer it; the refusal comes first, at once.
    for submit in (
        lambda: harness.gateway.run_sql("select 1", request_id=bad),
        lambda: harness.gateway.run_xflow("AppendID", "algo_public", request_id=bad),
    ):
        with pytest.raises(InvalidArgument) as info:
            harness.run(submit).result(timeout=10)
        err = info.value
        assert (err.code, err.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST")
        assert "UUID4" in str(err) and repr(bad) in str(err)
        assert [field for field, _ in err.field_violations] == ["request_id"]


# -- successful: unknown in listings, resolved when asked -----------------------------------------


def test_a_listed_instance_reads_its_outcome_when_asked(harness: Harness) -> None:
    listing = harness.gateway.list_instances(status=Status.TERMINATED)
    future = harness.run(lambda: list(listing))
    _, request, rpc = harness.take_unary("ListInstances")
    assert request.state_filter == TERMINATED
    rpc.terminate(
        pb.ListInstancesResponse(instances=[instance_pb(IID, TERMINATED, listed=True)]), (), OK, ""
    )
    [listed] = future.result(timeout=10)
    assert listed.state.successful is None and not listed.state.outcome_known
    assert listed.state.status is Status.TERMINATED
    future = harness.run(listed.is_successful)
    _, request, rpc = harness.take_unary("GetInstance")
    assert request.instance_id == IID
    rpc.terminate(instance_pb(IID, TERMINATED, successful=True), (), OK, "")
    assert future.result(timeout=10) is True
    assert listed.state.successful is True
    # Known now: asking again makes no call (a call would wait for the test to answer it).
    assert harness.run(listed.is_successful).result(timeout=10) is True
    assert harness.run(lambda: listed.failure_message).result(timeout=10) == ""


def test_a_listed_failed_instance_is_not_successful_and_says_why(harness: Harness) -> None:
    future = harness.run(lambda: list(harness.gateway.list_instances()))
    _, _, rpc = harness.take_unary("ListInstances")
    rpc.terminate(
        pb.ListInstancesResponse(instances=[instance_pb(IID, TERMINATED, listed=True)]), (), OK, ""
    )
    [listed] = future.result(timeout=10)
    future = harness.run(listed.wait_for_success)
    _, _, rpc = harness.take_unary("WaitInstance")  # the wait reads the full state
    rpc.terminate(
        pb.WaitInstanceResponse(instance=instance_pb(IID, TERMINATED, failure="ODPS-0130161")),
        (),
        OK,
        "",
    )
    with pytest.raises(InstanceFailed, match="ODPS-0130161"):
        future.result(timeout=10)
    assert listed.is_successful() is False  # known from the wait: no further call


def test_failure_message_of_a_listed_instance_is_read(harness: Harness) -> None:
    state = InstanceState.from_proto(instance_pb(IID, TERMINATED, listed=True))
    inst = Instance(harness.gateway, IID, "demo", state=state)
    future = harness.run(lambda: inst.failure_message)
    _, _, rpc = harness.take_unary("GetInstance")
    rpc.terminate(instance_pb(IID, TERMINATED, failure="boom"), (), OK, "")
    assert future.result(timeout=10) == "boom"
    assert inst.state.successful is False


def test_a_running_instance_is_not_successful_yet(harness: Harness) -> None:
    state = InstanceState.from_proto(instance_pb(IID, RUNNING))
    assert state.successful is None and state.outcome_known
    inst = Instance(harness.gateway, IID, "demo", state=state)
    future = harness.run(inst.is_successful)
    _, _, rpc = harness.take_unary("GetInstance")  # a running instance is asked again
    rpc.terminate(instance_pb(IID, RUNNING), (), OK, "")
    assert future.result(timeout=10) is False


def test_list_filters_are_state_and_start_time_bounds(harness: Harness) -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    until = datetime(2026, 1, 2, tzinfo=UTC)
    listing = harness.gateway.list_instances(
        status="Suspended", start_time=since, end_time=until, project="other"
    )
    future = harness.run(lambda: list(listing))
    _, request, rpc = harness.take_unary("ListInstances")
    assert request.project == "other"
    assert request.state_filter == instance_pb2.Instance.State.SUSPENDED
    assert request.min_start_time.ToDatetime(tzinfo=UTC) == since
    assert request.max_start_time.ToDatetime(tzinfo=UTC) == until
    rpc.terminate(pb.ListInstancesResponse(), (), OK, "")
    assert future.result(timeout=10) == []


def test_watch_instances_filters_by_state_and_reports_listed_states(harness: Harness) -> None:
    events = harness.gateway.watch_instances(status="running", heartbeat=5)
    received = harness.run(lambda: [next(events), next(events)])
    _, request, rpc = harness.take_stream("WatchInstances")
    assert request.state_filter == RUNNING and request.heartbeat_interval.seconds == 5
    kinds = pb.WatchInstancesResponse.EventType
    rpc.send_response(
        pb.WatchInstancesResponse(
            event_type=kinds.TERMINATED,
            sequence=2**40,  # int64
            instance=instance_pb(IID, TERMINATED, listed=True),
        )
    )
    rpc.send_response(pb.WatchInstancesResponse(event_type=kinds.SNAPSHOT_END, sequence=2**40 + 1))
    first, second = received.result(timeout=10)
    rpc.terminate((), OK, "")
    events.close()  # type: ignore[attr-defined]
    assert (first.type, first.sequence) == (ListEventType.TERMINATED, 2**40)
    assert first.state is not None and first.state.successful is None
    assert (second.type, second.state) == (ListEventType.SNAPSHOT_END, None)


# -- enums, optional fields -----------------------------------------------------------------------


def test_unknown_enum_values_read_as_unspecified() -> None:
    future_state = instance_pb2.Instance(
        instance_id=IID,
        state=42,  # type: ignore[arg-type]
        tasks=[Task(name="t", state=42)],  # type: ignore[arg-type]
    )
    state = InstanceState.from_proto(future_state)
    assert state.status is None and state.tasks[0].status is None
    event = WatchEvent.from_proto(
        pb.WatchInstanceResponse(event_type=42, instance=future_state)  # type: ignore[arg-type]
    )
    assert event.type is None


def test_watch_event_types_map_from_the_nested_enum() -> None:
    kinds = pb.WatchInstanceResponse.EventType
    expected = {
        kinds.SNAPSHOT: EventType.SNAPSHOT,
        kinds.STATE_CHANGED: EventType.STATUS_CHANGED,
        kinds.TASK_STATE_CHANGED: EventType.TASK_STATUS_CHANGED,
        kinds.PROGRESS: EventType.PROGRESS,
        kinds.HEARTBEAT: EventType.HEARTBEAT,
        kinds.TERMINAL: EventType.TERMINAL,
    }
    for kind, event_type in expected.items():
        event = WatchEvent.from_proto(pb.WatchInstanceResponse(event_type=kind, sequence=2**40))
        assert (event.type, event.sequence) == (event_type, 2**40)


def test_priority_is_none_only_when_unset() -> None:
    unset = InstanceState.from_proto(instance_pb2.Instance(instance_id=IID))
    highest = InstanceState.from_proto(instance_pb2.Instance(instance_id=IID, priority=0))
    assert (unset.priority, highest.priority) == (None, 0)
    assert (unset.id, unset.successful) == (IID, None)


# -- the CLI's rendering of an unknown outcome ----------------------------------------------------


def test_cli_json_says_null_only_when_the_outcome_is_unknown() -> None:
    listed = InstanceState.from_proto(instance_pb(IID, TERMINATED, listed=True))
    listed_running = InstanceState.from_proto(instance_pb(IID, RUNNING, listed=True))
    read = InstanceState.from_proto(instance_pb(IID, TERMINATED, successful=True))
    failed = InstanceState.from_proto(instance_pb(IID, TERMINATED, failure="x"))
    running = InstanceState.from_proto(instance_pb(IID, RUNNING))
    assert [
        instance_json(s)["successful"] for s in (listed, listed_running, read, failed, running)
    ] == [None, False, True, False, False]
    # JSON names states by the API's enum values (the human `get` view keeps MaxCompute's words).
    assert instance_json(read)["id"] == IID and instance_json(read)["status"] == "TERMINATED"
    assert instance_json(read)["tasks"][0]["status"] == "SUCCEEDED"

    def successful_line(state: InstanceState) -> str:
        return next(line for line in instance_lines(state) if line.startswith("successful:"))

    assert [successful_line(s) for s in (listed, read, failed, running)] == [
        "successful: -",
        "successful: yes",
        "successful: no",
        "successful: no",
    ]


# -- errors from the gateway's reasons ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason", "maxcompute_code", "cls"),
    [
        (grpc.StatusCode.NOT_FOUND, "INSTANCE_NOT_FOUND", "NoSuchObject", NotFound),
        (grpc.StatusCode.NOT_FOUND, "PROJECT_NOT_FOUND", "NoSuchProject", NotFound),
        (
            grpc.StatusCode.FAILED_PRECONDITION,
            "INSTANCE_NOT_RUNNING",
            "InvalidStateSetting",
            InvalidState,
        ),
        (
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            "UPSTREAM_THROTTLED",
            "QPSExceeded",
            ResourceExhausted,
        ),
        (grpc.StatusCode.FAILED_PRECONDITION, "NOT_XFLOW", None, InvalidState),
    ],
)
def test_errors_map_from_the_gateway_reasons(
    harness: Harness,
    code: grpc.StatusCode,
    reason: str,
    maxcompute_code: str | None,
    cls: type[Exception],
) -> None:
    future = harness.run(lambda: harness.gateway.stop_instance(IID))  # never retried
    _, _, rpc = harness.take_unary("StopInstance")
    metadata = {"instance_id": IID, "upstream_request_id": "R9"}
    if maxcompute_code:
        metadata["maxcompute_code"] = maxcompute_code
    trailers = rich_status(code, "refused", reason=reason, metadata=metadata)
    rpc.terminate(None, trailers, code, "refused")
    with pytest.raises(cls) as info:
        future.result(timeout=10)
    err = info.value
    assert (err.reason, err.domain, err.maxcompute_code, err.request_id) == (  # type: ignore[attr-defined]
        reason,
        "mcgateway.github.io",
        maxcompute_code,
        "R9",
    )
    expected_tags = reason + (f"; MaxCompute {maxcompute_code}" if maxcompute_code else "")
    assert _tags(err) == f" [{expected_tags}]"  # type: ignore[arg-type]


def test_cli_tags_skip_what_the_message_already_says() -> None:
    err = NotFound(
        "MaxCompute NoSuchObject: instance not found",
        code=grpc.StatusCode.NOT_FOUND,
        reason="INSTANCE_NOT_FOUND",
        metadata={"maxcompute_code": "NoSuchObject"},
    )
    assert _tags(err) == " [INSTANCE_NOT_FOUND]"
    assert _tags(NotFound("INSTANCE_NOT_FOUND: x", reason="INSTANCE_NOT_FOUND")) == ""
