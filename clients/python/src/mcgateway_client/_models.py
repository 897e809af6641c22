"""Plain data of the client: statuses, tasks, progress, results, watch events; built from protos."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

__all__ = [
    "EventType",
    "InstanceState",
    "ListEventType",
    "StageProgress",
    "Status",
    "SubInstanceInfo",
    "Task",
    "TaskProgress",
    "TaskResult",
    "TaskStatus",
    "WatchEvent",
    "WatchInstancesEvent",
    "status_to_proto",
]


class Status(enum.Enum):
    """Lifecycle state of an instance; ``.value`` is MaxCompute's word, as in PyODPS."""

    RUNNING = "Running"
    SUSPENDED = "Suspended"
    TERMINATED = "Terminated"

    @property
    def proto_name(self) -> str:
        """The API's name of the state (``Instance.State``), e.g. ``RUNNING``: the text of
        machine-facing output in every mcgateway client."""
        return self.name


class TaskStatus(enum.Enum):
    """State of one task of an instance; ``.value`` is MaxCompute's word (PyODPS's names;
    ``SUCCESS`` is the API's ``Task.State.SUCCEEDED``)."""

    WAITING = "Waiting"
    RUNNING = "Running"
    SUCCESS = "Success"
    FAILED = "Failed"
    SUSPENDED = "Suspended"
    CANCELLED = "Cancelled"

    @property
    def proto_name(self) -> str:
        """The API's name of the state (``Task.State``), e.g. ``SUCCEEDED`` for SUCCESS."""
        return "SUCCEEDED" if self is TaskStatus.SUCCESS else self.name


# Values the gateway may add later are not in these tables: they read as None ("unspecified").
_STATUS_FROM_PROTO = {
    instance_pb2.Instance.State.RUNNING: Status.RUNNING,
    instance_pb2.Instance.State.SUSPENDED: Status.SUSPENDED,
    instance_pb2.Instance.State.TERMINATED: Status.TERMINATED,
}
_STATUS_TO_PROTO = {v: k for k, v in _STATUS_FROM_PROTO.items()}
_TASK_STATUS_FROM_PROTO = {
    instance_pb2.Task.State.WAITING: TaskStatus.WAITING,
    instance_pb2.Task.State.RUNNING: TaskStatus.RUNNING,
    instance_pb2.Task.State.SUCCEEDED: TaskStatus.SUCCESS,
    instance_pb2.Task.State.FAILED: TaskStatus.FAILED,
    instance_pb2.Task.State.SUSPENDED: TaskStatus.SUSPENDED,
    instance_pb2.Task.State.CANCELLED: TaskStatus.CANCELLED,
}


def status_to_proto(status: Status | str | None) -> instance_pb2.Instance.State.ValueType:
    """The proto ``Instance.State`` of a status given as Status, its value or its name
    ('Running', 'running'); None means any state."""
    if status is None:
        return instance_pb2.Instance.State.STATE_UNSPECIFIED
    if isinstance(status, str):
        for member in Status:
            if status.lower() in (member.value.lower(), member.name.lower()):
                status = member
                break
        else:
            raise ValueError(f"unknown status {status!r}; use Running, Suspended or Terminated")
    return _STATUS_TO_PROTO[status]


def _time(message: Any, name: str) -> datetime | None:
    if not message.HasField(name):
        return None
    stamp: Timestamp = getattr(message, name)
    return stamp.ToDatetime(tzinfo=UTC)


@dataclass(frozen=True)
class Task:
    """One task of an instance."""

    name: str
    type: str
    status: TaskStatus | None
    start_time: datetime | None
    end_time: datetime | None

    @classmethod
    def from_proto(cls, pb: instance_pb2.Task) -> Task:
        """Builds a Task from its proto."""
        return cls(
            name=pb.name,
            type=pb.type,
            status=_TASK_STATUS_FROM_PROTO.get(pb.state),
            start_time=_time(pb, "start_time"),
            end_time=_time(pb, "end_time"),
        )


@dataclass(frozen=True)
class InstanceState:
    """One observed state of an instance (no calls are made through it).

    ``successful`` is True or False once the instance has terminated and its tasks were read,
    and None when that is unknown: while it runs or is suspended, and in states that come from
    a listing or a project watch (``list_instances``, ``watch_instances``), which carry no
    tasks. ``Instance.is_successful()`` reads the instance when it needs to know.
    ``priority`` is None when MaxCompute did not report it.
    """

    project: str
    id: str
    status: Status | None
    owner: str
    start_time: datetime | None
    end_time: datetime | None
    tasks: tuple[Task, ...]
    successful: bool | None
    failure_message: str
    priority: int | None

    @property
    def terminated(self) -> bool:
        """Whether the instance had terminated in this state."""
        return self.status is Status.TERMINATED

    @property
    def outcome_known(self) -> bool:
        """Whether this state tells if the instance succeeded: it has not terminated (so it has
        not succeeded yet) or it says ``successful``."""
        return not self.terminated or self.successful is not None

    @classmethod
    def from_proto(cls, pb: instance_pb2.Instance) -> InstanceState:
        """Builds an InstanceState from its proto."""
        return cls(
            project=pb.project,
            id=pb.instance_id,
            status=_STATUS_FROM_PROTO.get(pb.state),
            owner=pb.owner,
            start_time=_time(pb, "start_time"),
            end_time=_time(pb, "end_time"),
            tasks=tuple(Task.from_proto(t) for t in pb.tasks),
            successful=pb.successful if pb.HasField("successful") else None,
            failure_message=pb.failure_message,
            priority=pb.priority if pb.HasField("priority") else None,
        )


@dataclass(frozen=True)
class StageProgress:
    """Progress of one execution stage (PyODPS ``TaskProgress.StageProgress``)."""

    name: str
    status: str
    backup_workers: int
    running_workers: int
    terminated_workers: int
    total_workers: int
    input_records: int
    output_records: int
    finished_percentage: int

    @property
    def id(self) -> str:
        """The stage id, e.g. ``M1_Stg1_job0`` (same as ``name``)."""
        return self.name

    @classmethod
    def from_proto(cls, pb: instance_pb2.Stage) -> StageProgress:
        """Builds a StageProgress from its proto."""
        return cls(
            name=pb.id,
            status=pb.status,
            backup_workers=pb.backup_workers,
            running_workers=pb.running_workers,
            terminated_workers=pb.terminated_workers,
            total_workers=pb.total_workers,
            input_records=pb.input_records,
            output_records=pb.output_records,
            finished_percentage=pb.finished_percentage,
        )


@dataclass(frozen=True)
class TaskProgress:
    """Stage-by-stage progress of one task (PyODPS ``get_task_progress``)."""

    task_name: str
    stages: list[StageProgress] = field(default_factory=list)
    formatted: str = ""

    def get_stage_progress_formatted_string(self) -> str:
        """The line PyODPS prints, e.g. ``2016-05-19 18:14:03 M1_Stg1_job0:0/1/1[100%]``."""
        return self.formatted

    @classmethod
    def from_proto(cls, pb: instance_pb2.TaskProgress) -> TaskProgress:
        """Builds a TaskProgress from its proto."""
        return cls(
            task_name=pb.task_name,
            stages=[StageProgress.from_proto(s) for s in pb.stages],
            formatted=pb.formatted,
        )


@dataclass(frozen=True)
class TaskResult:
    """The result of one task: CSV for SQL selects, the error text for a failed task."""

    task_name: str
    format: str
    content: str

    @classmethod
    def from_proto(cls, pb: instance_pb2.TaskResult) -> TaskResult:
        """Builds a TaskResult from its proto."""
        return cls(task_name=pb.task_name, format=pb.format, content=pb.content)


@dataclass(frozen=True)
class SubInstanceInfo:
    """One sub-instance of an XFlow instance as the gateway lists it."""

    name: str
    instance_id: str
    logview_url: str


class EventType(enum.Enum):
    """Why a watch event was sent (``STATUS_CHANGED`` and ``TASK_STATUS_CHANGED`` are the API's
    ``WatchInstanceResponse.EventType.STATE_CHANGED`` and ``TASK_STATE_CHANGED``)."""

    SNAPSHOT = "snapshot"
    STATUS_CHANGED = "status_changed"
    TASK_STATUS_CHANGED = "task_status_changed"
    PROGRESS = "progress"
    HEARTBEAT = "heartbeat"
    TERMINAL = "terminal"

    @property
    def proto_name(self) -> str:
        """The API's name of the event type (``WatchInstanceResponse.EventType``), e.g.
        ``SNAPSHOT`` or ``STATE_CHANGED``."""
        return _WatchType.Name(_EVENT_TO_PROTO[self])


_WatchType = instance_service_pb2.WatchInstanceResponse.EventType
_EVENT_FROM_PROTO = {
    _WatchType.SNAPSHOT: EventType.SNAPSHOT,
    _WatchType.STATE_CHANGED: EventType.STATUS_CHANGED,
    _WatchType.TASK_STATE_CHANGED: EventType.TASK_STATUS_CHANGED,
    _WatchType.PROGRESS: EventType.PROGRESS,
    _WatchType.HEARTBEAT: EventType.HEARTBEAT,
    _WatchType.TERMINAL: EventType.TERMINAL,
}
_EVENT_TO_PROTO = {v: k for k, v in _EVENT_FROM_PROTO.items()}


@dataclass(frozen=True)
class WatchEvent:
    """One event of an instance watch: the full state at ``observe_time`` and its progress."""

    type: EventType | None
    sequence: int
    observe_time: datetime | None
    state: InstanceState
    progress: list[TaskProgress]
    stale: bool

    @property
    def is_terminal(self) -> bool:
        """Whether this is the last event of the watch."""
        return self.type is EventType.TERMINAL

    @classmethod
    def from_proto(cls, pb: instance_service_pb2.WatchInstanceResponse) -> WatchEvent:
        """Builds a WatchEvent from its proto."""
        return cls(
            type=_EVENT_FROM_PROTO.get(pb.event_type),
            sequence=pb.sequence,
            observe_time=_time(pb, "observe_time"),
            state=InstanceState.from_proto(pb.instance),
            progress=[TaskProgress.from_proto(p) for p in pb.progress],
            stale=pb.stale,
        )


class ListEventType(enum.Enum):
    """Why a project watch event was sent."""

    ADDED = "added"
    CHANGED = "changed"
    TERMINATED = "terminated"
    SNAPSHOT_END = "snapshot_end"
    HEARTBEAT = "heartbeat"

    @property
    def proto_name(self) -> str:
        """The API's name of the event type (``WatchInstancesResponse.EventType``)."""
        return self.name


_ListType = instance_service_pb2.WatchInstancesResponse.EventType
_LIST_EVENT_FROM_PROTO = {
    _ListType.ADDED: ListEventType.ADDED,
    _ListType.CHANGED: ListEventType.CHANGED,
    _ListType.TERMINATED: ListEventType.TERMINATED,
    _ListType.SNAPSHOT_END: ListEventType.SNAPSHOT_END,
    _ListType.HEARTBEAT: ListEventType.HEARTBEAT,
}


@dataclass(frozen=True)
class WatchInstancesEvent:
    """One event of a project watch; ``state`` is None for SNAPSHOT_END and HEARTBEAT.

    The state carries no tasks, so its ``successful`` is None (unknown); read the instance
    (``get_instance``) to learn whether a TERMINATED one succeeded.
    """

    type: ListEventType | None
    sequence: int
    observe_time: datetime | None
    state: InstanceState | None

    @classmethod
    def from_proto(cls, pb: instance_service_pb2.WatchInstancesResponse) -> WatchInstancesEvent:
        """Builds a WatchInstancesEvent from its proto."""
        return cls(
            type=_LIST_EVENT_FROM_PROTO.get(pb.event_type),
            sequence=pb.sequence,
            observe_time=_time(pb, "observe_time"),
            state=InstanceState.from_proto(pb.instance) if pb.HasField("instance") else None,
        )
