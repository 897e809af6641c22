"""Client-side behaviours with the test playing the server (grpcio-testing, sync client).

Retries on UNAVAILABLE, deadlines, metadata, malformed status details, paging, waiting and the
watch's de-duplication over reconnects.
"""

from __future__ import annotations

import queue

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcgateway_client import (
    DeadlineExceeded,
    EventType,
    InstanceFailed,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    Status,
    Unavailable,
    WaitTimeout,
)

from .conftest import RUNNING, TERMINATED, Harness, instance_pb, rich_status

Watch = pb.WatchInstanceResponse.EventType
OK = grpc.StatusCode.OK
UNAVAILABLE = grpc.StatusCode.UNAVAILABLE
IID = "20260101000000000abcdefg1"


def test_every_call_carries_the_bearer_token_and_default_project(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    metadata, request, rpc = harness.take_unary("GetInstance")
    rpc.terminate(instance_pb(), (), OK, "")
    instance = future.result(timeout=10)
    assert metadata["authorization"] == "Bearer s3cret"
    assert (request.project, request.instance_id) == ("demo", IID)
    assert instance.id == IID
    assert instance.state.status is Status.RUNNING


def test_reads_retry_unavailable_with_backoff(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.exist_instance(IID))
    for _ in range(2):
        _, _, rpc = harness.take_unary("InstanceExists")
        rpc.terminate(None, (), UNAVAILABLE, "connection refused")
    _, _, rpc = harness.take_unary("InstanceExists")
    rpc.terminate(pb.InstanceExistsResponse(exists=True), (), OK, "")
    assert future.result(timeout=10) is True
    # Full jitter with rng=0.5 over the service config's 0.1 s initial backoff, doubling.
    assert harness.clock.sleeps == pytest.approx([0.05, 0.1])


def test_reads_give_up_after_the_configured_attempts(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    for _ in range(4):  # maxAttempts in service_config.json
        _, _, rpc = harness.take_unary("GetInstance")
        rpc.terminate(None, (), UNAVAILABLE, "gateway down")
    with pytest.raises(Unavailable) as info:
        future.result(timeout=10)
    assert info.value.code is UNAVAILABLE
    assert str(info.value) == "gateway down"
    assert len(harness.clock.sleeps) == 3


def test_stop_is_not_retried(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.stop_instance(IID))
    _, _, rpc = harness.take_unary("StopInstance")
    rpc.terminate(None, (), UNAVAILABLE, "gateway down")
    with pytest.raises(Unavailable):
        future.result(timeout=10)
    assert harness.clock.sleeps == []


def test_not_found_is_not_retried(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    rpc.terminate(
        None,
        rich_status(
            grpc.StatusCode.NOT_FOUND,
            "no such instance",
            reason="INSTANCE_NOT_FOUND",
            metadata={"maxcompute_code": "NoSuchObject"},
        ),
        grpc.StatusCode.NOT_FOUND,
        "no such instance",
    )
    with pytest.raises(NotFound) as info:
        future.result(timeout=10)
    assert (info.value.reason, info.value.maxcompute_code) == ("INSTANCE_NOT_FOUND", "NoSuchObject")
    assert harness.clock.sleeps == []


def test_submission_is_retried_with_the_same_request_id(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.run_sql("select 1", hints={"a.b": 1}))
    _, first, rpc = harness.take_unary("SubmitSql")
    rpc.terminate(None, (), UNAVAILABLE, "blip")
    _, second, rpc = harness.take_unary("SubmitSql")
    rpc.terminate(pb.SubmitSqlResponse(instance=instance_pb()), (), OK, "")
    assert future.result(timeout=10).id == IID
    assert first.request_id and first.request_id == second.request_id
    assert (first.job.query, dict(first.job.hints)) == ("select 1", {"a.b": "1"})
    assert not first.job.HasField("priority")


def test_retry_info_delay_is_honoured(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    trailers = rich_status(UNAVAILABLE, "busy", reason="UPSTREAM_UNAVAILABLE", retry_seconds=1.5)
    rpc.terminate(None, trailers, UNAVAILABLE, "busy")
    _, _, rpc = harness.take_unary("GetInstance")
    rpc.terminate(instance_pb(), (), OK, "")
    future.result(timeout=10)
    assert harness.clock.sleeps == [1.5]


def test_retry_never_sleeps_past_the_deadline(harness: Harness) -> None:
    # A server asking for 40 s of backoff cannot be obeyed within GetInstance's 30 s deadline:
    # the client reports the error at once instead of sleeping into a certain timeout.
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    trailers = rich_status(UNAVAILABLE, "busy", reason="UPSTREAM_UNAVAILABLE", retry_seconds=40)
    rpc.terminate(None, trailers, UNAVAILABLE, "busy")
    with pytest.raises(Unavailable) as info:
        future.result(timeout=10)
    assert info.value.retry_delay == 40
    assert harness.clock.sleeps == []


def test_deadline_spent_before_an_attempt_is_reported_locally(harness: Harness) -> None:
    # The explicit timeout is the budget of the whole call, retries included.
    gateway = harness.gateway
    gateway._transport._timeout = 0.2  # as Gateway(timeout=0.2) would set it
    future = harness.run(lambda: gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    harness.clock.advance(0.16)  # the first attempt took 160 ms
    rpc.terminate(None, (), UNAVAILABLE, "blip")
    # a 0.05 s backoff would end past the deadline: no second attempt is made
    with pytest.raises(Unavailable):
        future.result(timeout=10)


def test_server_deadline_exceeded_is_not_retried(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    rpc.terminate(None, (), grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded")
    with pytest.raises(DeadlineExceeded):
        future.result(timeout=10)
    assert harness.clock.sleeps == []


def test_error_details_are_parsed(harness: Harness) -> None:
    future = harness.run(lambda: harness.gateway.run_sql("select 1"))
    _, _, rpc = harness.take_unary("SubmitSql")
    trailers = rich_status(
        grpc.StatusCode.INVALID_ARGUMENT,
        "bad hint",
        reason="INVALID_REQUEST",
        metadata={"project": "demo", "upstream_request_id": "req-42"},
        violations=[("hints", "key must not be empty")],
    )
    rpc.terminate(None, trailers, grpc.StatusCode.INVALID_ARGUMENT, "bad hint")
    with pytest.raises(InvalidArgument) as info:
        future.result(timeout=10)
    err = info.value
    assert (err.code, err.reason, err.domain) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_REQUEST",
        "mcgateway.github.io",
    )
    assert err.maxcompute_code is None  # the gateway's own decision
    assert err.request_id == "req-42"
    assert err.metadata["project"] == "demo"
    assert err.field_violations == [("hints", "key must not be empty")]


@pytest.mark.parametrize(
    "trailer",
    [
        b"\xff\x00 not a protobuf",
        # A status whose code disagrees with the call's must not be believed.
        rich_status(grpc.StatusCode.INTERNAL, "other", reason="WRONG")[0][1],
    ],
    ids=["garbage", "code-mismatch"],
)
def test_malformed_status_details_keep_the_real_error(harness: Harness, trailer: bytes) -> None:
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    rpc.terminate(None, (("grpc-status-details-bin", trailer),), grpc.StatusCode.NOT_FOUND, "gone")
    with pytest.raises(NotFound) as info:
        future.result(timeout=10)
    assert str(info.value) == "gone"
    assert info.value.reason is None


def test_details_survive_a_rewritten_message(harness: Harness) -> None:
    # from_call rejects a status whose message differs from the call's (a proxy rewrote it);
    # the code still agrees, so the ErrorInfo is kept.
    future = harness.run(lambda: harness.gateway.get_instance(IID))
    _, _, rpc = harness.take_unary("GetInstance")
    trailers = rich_status(
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "original",
        reason="UPSTREAM_THROTTLED",
        metadata={"maxcompute_code": "SlotExceeded"},
    )
    rpc.terminate(None, trailers, grpc.StatusCode.RESOURCE_EXHAUSTED, "rewritten by proxy")
    with pytest.raises(ResourceExhausted) as info:
        future.result(timeout=10)
    assert (info.value.reason, info.value.maxcompute_code) == ("UPSTREAM_THROTTLED", "SlotExceeded")
    assert str(info.value) == "rewritten by proxy"


def test_list_instances_is_lazy_and_follows_page_tokens(harness: Harness) -> None:
    iterator = harness.gateway.list_instances(status="running", only_owner=True, page_size=2)
    future = harness.run(lambda: [i.id for i in iterator])
    _, first, rpc = harness.take_unary("ListInstances")
    assert (first.state_filter, first.only_owner, first.page_size, first.page_token) == (
        RUNNING,
        True,
        2,
        "",
    )
    assert not first.HasField("min_start_time") and not first.HasField("max_start_time")
    rpc.terminate(
        pb.ListInstancesResponse(
            instances=[instance_pb("a"), instance_pb("b")], next_page_token="t1"
        ),
        (),
        OK,
        "",
    )
    _, second, rpc = harness.take_unary("ListInstances")
    assert second.page_token == "t1"
    rpc.terminate(pb.ListInstancesResponse(instances=[instance_pb("c")]), (), OK, "")
    assert future.result(timeout=10) == ["a", "b", "c"]


def test_list_instances_rejects_unknown_status(harness: Harness) -> None:
    with pytest.raises(ValueError, match="unknown status"):
        harness.gateway.list_instances(status="Finished")


def test_wait_for_completion_loops_wait_instance(harness: Harness) -> None:
    inst = _instance(harness)
    future = harness.run(lambda: inst.wait_for_completion())
    _, request, rpc = harness.take_unary("WaitInstance")
    assert request.timeout.seconds == 30
    rpc.terminate(pb.WaitInstanceResponse(instance=instance_pb()), (), OK, "")
    _, _, rpc = harness.take_unary("WaitInstance")
    rpc.terminate(
        pb.WaitInstanceResponse(instance=instance_pb(state=TERMINATED, successful=True)),
        (),
        OK,
        "",
    )
    assert future.result(timeout=10) is inst
    assert inst.is_terminated() and inst.is_successful()


def test_wait_for_completion_times_out_without_stopping(harness: Harness) -> None:
    inst = _instance(harness)
    future = harness.run(lambda: inst.wait_for_completion(timeout=5))
    _, request, rpc = harness.take_unary("WaitInstance")
    assert request.timeout.seconds == 5
    harness.clock.advance(5)  # the server waited the full window
    rpc.terminate(pb.WaitInstanceResponse(instance=instance_pb()), (), OK, "")
    with pytest.raises(WaitTimeout) as info:
        future.result(timeout=10)
    assert info.value.instance is inst
    assert isinstance(info.value, DeadlineExceeded)


def test_wait_rides_out_a_gateway_restart(harness: Harness) -> None:
    inst = _instance(harness)
    future = harness.run(lambda: inst.wait_for_completion(timeout=60))
    for _ in range(5):  # four attempts of the chokepoint, then one more after a pause
        _, _, rpc = harness.take_unary("WaitInstance")
        rpc.terminate(None, (), UNAVAILABLE, "restarting")
    _, _, rpc = harness.take_unary("WaitInstance")
    rpc.terminate(
        pb.WaitInstanceResponse(instance=instance_pb(state=TERMINATED, successful=True)),
        (),
        OK,
        "",
    )
    assert future.result(timeout=10).is_successful()


def test_wait_for_success_raises_instance_failed(harness: Harness) -> None:
    inst = _instance(harness)
    future = harness.run(lambda: inst.wait_for_success())
    _, _, rpc = harness.take_unary("WaitInstance")
    failed = instance_pb(state=TERMINATED, failure="ODPS-0130161:[1,8] Parse exception")
    rpc.terminate(pb.WaitInstanceResponse(instance=failed), (), OK, "")
    with pytest.raises(InstanceFailed) as info:
        future.result(timeout=10)
    assert str(info.value) == "ODPS-0130161:[1,8] Parse exception"
    assert info.value.instance is inst
    assert info.value.code is None


def _event(kind: int, seq: int, state: int = RUNNING, pct: int = 0) -> pb.WatchInstanceResponse:
    progress = instance_pb2.TaskProgress(
        task_name="AnonymousSQLTask",
        stages=[instance_pb2.Stage(id="M1_Stg1_job0", finished_percentage=pct, total_workers=1)],
        formatted=f"whenever M1_Stg1_job0:0/0/1[{pct}%]",
    )
    return pb.WatchInstanceResponse(
        event_type=kind,  # type: ignore[arg-type]
        sequence=seq,
        instance=instance_pb(state=state, successful=state == TERMINATED),
        progress=[progress],
    )


def test_watch_reconnects_and_drops_duplicates(harness: Harness) -> None:
    inst = _instance(harness)
    received: queue.Queue[tuple[EventType | None, int]] = queue.Queue()

    def consume() -> None:
        for event in inst.watch():
            received.put((event.type, event.sequence))

    done = harness.run(consume)

    def next_event() -> tuple[EventType | None, int]:
        return received.get(timeout=10)

    # grpcio-testing drops unread messages when a stream is terminated with an error, unlike a
    # real channel, so each message is consumed before the stream ends.
    _, request, rpc = harness.take_stream("WatchInstance")
    assert request.instance_id == IID
    rpc.send_response(_event(Watch.SNAPSHOT, 1))
    assert next_event() == (EventType.SNAPSHOT, 1)
    rpc.send_response(_event(Watch.PROGRESS, 3, pct=50))
    assert next_event() == (EventType.PROGRESS, 3)
    rpc.terminate((), UNAVAILABLE, "gateway restarting")
    # Same gateway came back: the snapshot repeats sequence 3 (no change) and is dropped.
    _, _, rpc = harness.take_stream("WatchInstance")
    rpc.send_response(_event(Watch.SNAPSHOT, 3, pct=50))
    rpc.send_response(_event(Watch.PROGRESS, 4, pct=80))
    assert next_event() == (EventType.PROGRESS, 4)
    rpc.terminate((), OK, "")  # maximum stream age: ends cleanly without a terminal event
    # A restarted gateway numbers from 1 again; its different state is delivered, then terminal.
    _, _, rpc = harness.take_stream("WatchInstance")
    rpc.send_response(_event(Watch.SNAPSHOT, 1, pct=90))
    assert next_event() == (EventType.SNAPSHOT, 1)
    terminal = _event(Watch.TERMINAL, 2, state=TERMINATED)
    rpc.send_response(terminal)
    assert next_event() == (EventType.TERMINAL, 2)
    rpc.terminate((), OK, "")
    done.result(timeout=10)
    assert received.empty()
    assert inst.state.terminated and inst.state.successful


def test_watch_gives_up_after_continuous_unavailability(harness: Harness) -> None:
    from mcgateway_client import ReconnectPolicy

    inst = _instance(harness)
    policy = ReconnectPolicy(give_up_after=1.0, initial_backoff=0.4, max_backoff=0.4)
    future = harness.run(lambda: list(inst.watch(reconnect=policy)))
    for _ in range(6):  # 0.2 s per backoff with rng 0.5: the 6th failure is 1.0 s after the 1st
        _, _, rpc = harness.take_stream("WatchInstance")
        rpc.terminate((), UNAVAILABLE, "down")
    with pytest.raises(Unavailable):
        future.result(timeout=10)


def _instance(harness: Harness):  # type: ignore[no-untyped-def]
    from mcgateway_client import Instance
    from mcgateway_client._models import InstanceState

    return Instance(harness.gateway, IID, "demo", state=InstanceState.from_proto(instance_pb()))


def test_reconnects_are_announced_and_back_off_from_0_1_to_5_seconds(harness: Harness) -> None:
    from mcgateway_client import ReconnectPolicy

    inst = _instance(harness)
    told: list[tuple[int, str, float]] = []
    policy = ReconnectPolicy(
        give_up_after=12.0, on_retry=lambda n, error, delay: told.append((n, str(error), delay))
    )
    assert (policy.initial_backoff, policy.max_backoff) == (0.1, 5.0)  # the clients' convention
    future = harness.run(lambda: list(inst.watch(reconnect=policy)))
    # rng is 0.5: pauses of half of 0.1, 0.2, 0.4, ... capped at 5 s, and never past 12 s.
    for _ in range(11):
        _, _, rpc = harness.take_stream("WatchInstance")
        rpc.terminate((), UNAVAILABLE, "down")
    with pytest.raises(Unavailable):
        future.result(timeout=10)
    assert [n for n, _, _ in told] == list(range(1, 11))
    assert all(message == "down" for _, message, _ in told)
    delays = [round(delay, 3) for _, _, delay in told]
    assert delays == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.5, 2.5, 2.5, 1.35]
    assert harness.clock.sleeps == [d for _, _, d in told]


def test_wait_announces_its_reconnects(harness: Harness) -> None:
    from mcgateway_client import ReconnectPolicy

    inst = _instance(harness)
    told: list[tuple[int, str]] = []
    policy = ReconnectPolicy(on_retry=lambda n, error, delay: told.append((n, str(error))))
    future = harness.run(lambda: inst.wait_for_completion(timeout=60, reconnect=policy))
    for _ in range(8):  # two rounds of the chokepoint's four attempts
        _, _, rpc = harness.take_unary("WaitInstance")
        rpc.terminate(None, (), UNAVAILABLE, "restarting")
    _, _, rpc = harness.take_unary("WaitInstance")
    done = instance_pb(state=TERMINATED, successful=True)
    rpc.terminate(pb.WaitInstanceResponse(instance=done), (), OK, "")
    assert future.result(timeout=10).is_successful()
    assert told == [(1, "restarting"), (2, "restarting")]


def test_watch_timeout_bounds_reconnecting(harness: Harness) -> None:
    from mcgateway_client import WaitTimeout

    inst = _instance(harness)
    future = harness.run(lambda: list(inst.watch(timeout=1.0)))
    # Pauses (rng 0.5): 0.05, 0.1, 0.2, 0.4, then what is left of the second: 0.25.
    for _ in range(5):
        _, _, rpc = harness.take_stream("WatchInstance")
        rpc.terminate((), UNAVAILABLE, "down")
    with pytest.raises(WaitTimeout) as info:
        future.result(timeout=10)
    assert str(info.value) == (
        f"watch of instance {IID} did not end within 1s (gateway unreachable: down)"
    )
    assert info.value.instance is inst
    assert harness.clock.sleeps == [0.05, 0.1, 0.2, 0.4, 0.25]


def _exec(kind: int, seq: int, state: int = RUNNING) -> pb.ExecuteSqlResponse:
    return pb.ExecuteSqlResponse.FromString(_event(kind, seq, state).SerializeToString())


def test_execute_sql_sends_its_job_and_resumes_by_watching_the_named_instance(
    harness: Harness,
) -> None:
    events: queue.Queue[object] = queue.Queue()

    def consume() -> None:
        for event in harness.gateway.execute_sql_events("select 1", hints={"k": 1}):
            events.put(event)

    done = harness.run(consume)
    # Before any message the stream breaks: the call is made again with the same request id.
    _, first, rpc = harness.take_stream("ExecuteSql")
    assert (first.project, first.job.query, dict(first.job.hints)) == (
        "demo",
        "select 1",
        {"k": "1"},
    )
    assert first.stop_on_cancel and len(first.request_id) == 36
    rpc.terminate((), UNAVAILABLE, "down")
    _, again, rpc = harness.take_stream("ExecuteSql")
    assert again.request_id == first.request_id
    rpc.send_response(_exec(Watch.SNAPSHOT, 1))
    assert events.get(timeout=10).state.id == IID  # type: ignore[attr-defined]
    rpc.terminate((), UNAVAILABLE, "gateway restarting")
    # Once an instance is named, the follow goes on with WatchInstance, never a new submission.
    _, watch, rpc = harness.take_stream("WatchInstance")
    assert (watch.project, watch.instance_id) == ("demo", IID)
    rpc.send_response(_event(Watch.TERMINAL, 2, state=TERMINATED))
    assert events.get(timeout=10).is_terminal  # type: ignore[attr-defined]
    rpc.terminate((), OK, "")
    done.result(timeout=10)
