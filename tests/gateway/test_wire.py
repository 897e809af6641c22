"""Domain → v1 messages: states, the ``successful`` outcome and the optional priority."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from maxcompute.gateway.v1 import instance_pb2
from mcgateway import domain, wire

Instance = instance_pb2.Instance
Task = instance_pb2.Task
S = domain.InstanceStatus
T = domain.TaskStatus


def _instance(status: S, *tasks: T, priority: int | None = None) -> domain.Instance:
    return domain.Instance(
        project="demo",
        id="i1",
        status=status,
        owner="ALIYUN$me",
        start_time=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        tasks=tuple(domain.Task(f"t{i}", "SQL", s) for i, s in enumerate(tasks)),
        priority=priority,
    )


def test_every_state_maps_both_ways():
    assert set(wire.INSTANCE_STATE_TO_PROTO) == set(domain.InstanceStatus)
    assert set(wire.INSTANCE_STATE_FROM_PROTO) == set(Instance.State.values())
    assert wire.INSTANCE_STATE_FROM_PROTO[Instance.STATE_UNSPECIFIED] is None
    for status, state in wire.INSTANCE_STATE_TO_PROTO.items():
        assert wire.INSTANCE_STATE_FROM_PROTO[state] is status
    assert set(wire.TASK_STATE_TO_PROTO) == set(domain.TaskStatus)
    assert set(wire.TASK_STATE_TO_PROTO.values()) == set(Task.State.values()) - {
        Task.STATE_UNSPECIFIED
    }
    assert wire.TASK_STATE_TO_PROTO[T.SUCCESS] == Task.SUCCEEDED


def test_fields_of_an_instance():
    out = wire.instance_to_proto(_instance(S.RUNNING, T.RUNNING), tasks_read=True)
    assert (out.project, out.instance_id, out.state, out.owner) == (
        "demo",
        "i1",
        Instance.RUNNING,
        "ALIYUN$me",
    )
    assert [(t.name, t.type, t.state) for t in out.tasks] == [("t0", "SQL", Task.RUNNING)]
    assert out.start_time.ToDatetime(tzinfo=UTC) == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert not out.HasField("end_time")


@pytest.mark.parametrize("status", [S.RUNNING, S.SUSPENDED])
def test_successful_is_unset_while_the_instance_runs(status):
    out = wire.instance_to_proto(
        _instance(status, T.SUCCESS, T.RUNNING), tasks_read=True, failure_message="ignored"
    )
    assert not out.HasField("successful")
    assert out.failure_message == ""


def test_successful_is_unset_without_tasks_read():
    # A listing (ListInstances, WatchInstances) of a terminated instance: outcome unknown.
    out = wire.instance_to_proto(_instance(S.TERMINATED), tasks_read=False)
    assert not out.HasField("successful")
    assert [
        m.HasField("successful") for m in wire.instances_to_proto([_instance(S.TERMINATED)])
    ] == [False]


def test_successful_is_true_for_a_terminated_instance_whose_tasks_succeeded():
    out = wire.instance_to_proto(
        _instance(S.TERMINATED, T.SUCCESS, T.SUCCESS), tasks_read=True, failure_message=None
    )
    assert out.HasField("successful") and out.successful is True
    assert out.failure_message == ""


@pytest.mark.parametrize("last", [T.FAILED, T.CANCELLED])
def test_successful_is_false_with_the_failure_message(last):
    out = wire.instance_to_proto(
        _instance(S.TERMINATED, T.SUCCESS, last), tasks_read=True, failure_message="why"
    )
    assert out.HasField("successful") and out.successful is False
    assert out.failure_message == "why"


def test_priority_is_set_only_when_known():
    unknown = wire.instance_to_proto(_instance(S.RUNNING), tasks_read=True)
    assert not unknown.HasField("priority")
    for priority in (0, 3, 9):
        known = wire.instance_to_proto(_instance(S.RUNNING, priority=priority), tasks_read=True)
        assert known.HasField("priority") and known.priority == priority
