"""Domain model of MaxCompute job instances, shared by the REST client and the gRPC service.

Plain frozen dataclasses and enums: no XML, no protobuf, no HTTP. Every timestamp is an
aware ``datetime`` in UTC. The REST client (``mcgateway.maxcompute``) produces these
objects; ``mcgateway.wire`` converts them to and from the v1 protobuf messages.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "CreatedInstance",
    "Instance",
    "InstanceOutcome",
    "InstancePage",
    "InstanceStatus",
    "Job",
    "JobTask",
    "ListFilter",
    "LogviewAddress",
    "LogviewKind",
    "QueueingInfo",
    "QueueingPage",
    "SqlCost",
    "StageProgress",
    "SubInstance",
    "Task",
    "TaskCost",
    "TaskDetail",
    "TaskProgress",
    "TaskResult",
    "TaskStatus",
    "TaskSummary",
    "Worker",
    "WorkerLog",
    "XFlowAction",
    "XFlowNodeType",
    "failure_message",
    "format_stage_progress",
]


class InstanceStatus(enum.Enum):
    """Instance-level status; the value is the exact (case-sensitive) MaxCompute string."""

    RUNNING = "Running"
    SUSPENDED = "Suspended"
    TERMINATED = "Terminated"

    @classmethod
    def from_wire(cls, text: str) -> InstanceStatus:
        """Parse the wire value; MaxCompute and PyODPS treat it case-sensitively."""
        return cls(text.strip())


class TaskStatus(enum.Enum):
    """Task-level status; the value is the capitalised form MaxCompute sends."""

    WAITING = "Waiting"
    RUNNING = "Running"
    SUCCESS = "Success"
    FAILED = "Failed"
    SUSPENDED = "Suspended"
    CANCELLED = "Cancelled"

    @classmethod
    def from_wire(cls, text: str) -> TaskStatus:
        """Parse the wire value case-insensitively, as PyODPS does (it upper-cases it)."""
        return cls[text.strip().upper()]

    @property
    def is_final(self) -> bool:
        """True for SUCCESS, FAILED and CANCELLED."""
        return self in (TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.CANCELLED)


class InstanceOutcome(enum.Enum):
    """How a terminated instance ended, derived from its task statuses."""

    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    CANCELLED = "Cancelled"


@dataclass(frozen=True)
class Task:
    """One task of an instance, as reported by ``?taskstatus``."""

    name: str
    type: str | None
    status: TaskStatus
    start_time: datetime | None = None
    end_time: datetime | None = None


@dataclass(frozen=True)
class Instance:
    """A MaxCompute instance.

    ``tasks`` is empty unless the caller asked for task statuses (a separate request), and
    ``priority`` is ``None`` unless the job source was read.
    """

    project: str
    id: str
    status: InstanceStatus
    owner: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    tasks: tuple[Task, ...] = ()
    priority: int | None = None

    @property
    def is_terminated(self) -> bool:
        """True once the instance status is TERMINATED."""
        return self.status is InstanceStatus.TERMINATED

    @property
    def successful(self) -> bool:
        """PyODPS's ``is_successful()``: terminated and every task SUCCESS.

        Zero tasks counts as success, exactly as in PyODPS. Only meaningful when ``tasks``
        was loaded.
        """
        return self.is_terminated and all(t.status is TaskStatus.SUCCESS for t in self.tasks)

    @property
    def outcome(self) -> InstanceOutcome | None:
        """SUCCEEDED/FAILED/CANCELLED for a terminated instance, ``None`` while it runs.

        A FAILED task makes the instance FAILED; otherwise a CANCELLED task (the result of a
        stop) makes it CANCELLED; any other non-SUCCESS task after termination counts as
        FAILED, because it can no longer progress.
        """
        if not self.is_terminated:
            return None
        statuses = {t.status for t in self.tasks}
        if TaskStatus.FAILED in statuses:
            return InstanceOutcome.FAILED
        if TaskStatus.CANCELLED in statuses:
            return InstanceOutcome.CANCELLED
        if statuses <= {TaskStatus.SUCCESS}:
            return InstanceOutcome.SUCCEEDED
        return InstanceOutcome.FAILED

    @property
    def first_unsuccessful_task(self) -> Task | None:
        """The first task (in server order) that did not succeed, as PyODPS picks it."""
        return next((t for t in self.tasks if t.status is not TaskStatus.SUCCESS), None)


@dataclass(frozen=True)
class TaskResult:
    """The result text of one task (``?result``), already Base64-decoded when needed.

    ``format`` is ``"csv"`` for SELECT results (a header row, ``\\N`` for NULL) and ``"text"``
    for other statements and for failure messages.
    """

    task_name: str
    format: str | None
    content: str
    type: str | None = None
    status: TaskStatus | None = None


def failure_message(instance: Instance, results: Iterable[TaskResult] = ()) -> str | None:
    """The failure text PyODPS's ``wait_for_success`` would raise with, or ``None``.

    The first task that is not SUCCESS decides: a FAILED task gives its result text; any
    other state gives ``"{task}, status={STATUS}"``. Returns ``None`` when the instance is
    still running or succeeded.
    """
    if not instance.is_terminated:
        return None
    task = instance.first_unsuccessful_task
    if task is None:
        return None
    if task.status is TaskStatus.FAILED:
        for result in results:
            if result.task_name == task.name:
                return result.content
    return f"{task.name}, status={task.status.name}"


@dataclass(frozen=True)
class StageProgress:
    """One stage (``<Stage ID=...>``) of a task's progress."""

    id: str
    status: str | None
    backup_workers: int
    running_workers: int
    terminated_workers: int
    total_workers: int
    input_records: int | None
    output_records: int | None
    finished_percentage: int


def format_stage_progress(stages: Iterable[StageProgress], at: datetime | None = None) -> str:
    """PyODPS's ``get_stage_progress_formatted_string()``, byte for byte.

    The line starts with the local wall-clock time ``YYYY-mm-dd HH:MM:SS`` and a space, then
    ``{id}:{running}/{terminated}/{total}{(+N backups)}[{pct}%]`` and a TAB per stage.
    ``at`` (aware) is converted to the process's local time zone, as PyODPS's
    ``datetime.now()`` would be; ``None`` means now.
    """
    moment = datetime.now() if at is None else at.astimezone()
    parts = [moment.strftime("%Y-%m-%d %H:%M:%S"), " "]
    for stage in stages:
        backups = f"(+{stage.backup_workers} backups)" if stage.backup_workers > 0 else ""
        parts.append(
            f"{stage.id}:{stage.running_workers}/{stage.terminated_workers}"
            f"/{stage.total_workers}{backups}[{stage.finished_percentage}%]\t"
        )
    return "".join(parts)


@dataclass(frozen=True)
class TaskProgress:
    """Progress of one task: its stages and the PyODPS-style formatted line."""

    task_name: str
    stages: tuple[StageProgress, ...]
    formatted: str
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class JobTask:
    """One task of a submitted job (``?source``): its type tag, name, query and properties."""

    type: str
    name: str
    query: str | None = None
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def property_map(self) -> Mapping[str, str]:
        """The ``Config`` properties as a dict (the last value of a repeated name wins)."""
        return dict(self.properties)


@dataclass(frozen=True)
class Job:
    """The submitted job of an instance (``?source``)."""

    priority: int | None
    tasks: tuple[JobTask, ...]
    name: str | None = None
    guid: str | None = None
    owner: str | None = None
    creation_time: datetime | None = None


class XFlowNodeType(enum.Enum):
    """``NodeType`` of an XFlow action."""

    INSTANCE = "Instance"
    SUB_WORKFLOW = "SubWorkflow"
    LOCAL = "Local"
    OTHER = "Other"


@dataclass(frozen=True)
class XFlowAction:
    """One action of an XFlow (PAI) instance (``?xresult``)."""

    name: str
    node_type: XFlowNodeType
    instance_id: str | None
    result: str | None = None


@dataclass(frozen=True)
class SubInstance:
    """A sub-instance of an XFlow instance; it lives in the XFlow instance's project.

    ``path`` lists the enclosing sub-workflow action names, outermost first.
    """

    name: str
    instance_id: str
    project: str
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class InstancePage:
    """One page of ``list instances``; ``next_marker`` is ``None`` on the last page."""

    instances: tuple[Instance, ...]
    next_marker: str | None


@dataclass(frozen=True)
class ListFilter:
    """Server-side filters for listing instances; ``None`` fields are not sent."""

    status: InstanceStatus | None = None
    only_owner: bool | None = None
    start_time: datetime | None = None
    """Lower bound (inclusive) of the instance start time; sent as ``daterange`` epoch seconds."""
    end_time: datetime | None = None
    """Upper bound of the instance start time; sent as ``daterange`` epoch seconds."""
    job_name: str | None = None


class LogviewKind(enum.Enum):
    """Which logview link form was produced."""

    LEGACY = "legacy"
    JOB_INSIGHT = "job_insight"


@dataclass(frozen=True)
class LogviewAddress:
    """A logview link for an instance.

    The token (legacy form only) grants read access to the instance for ``hours``; it is kept
    out of ``repr`` so it does not land in logs by accident (it is part of ``url``, though).
    """

    url: str = field(repr=False)
    kind: LogviewKind
    token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None


@dataclass(frozen=True)
class CreatedInstance:
    """The result of creating an instance.

    ``request_id`` is the caller's idempotency key written into the job; ``recovered`` is
    True when the create request failed ambiguously and the instance was found afterwards by
    that key instead of being created again.
    """

    project: str
    instance_id: str
    request_id: str
    recovered: bool = False


@dataclass(frozen=True)
class TaskCost:
    """What a task used, from its summary's ``Cost`` (PyODPS ``TaskCost``): CPU in hundredths
    of a core-second, memory in megabyte-seconds, input in bytes."""

    cpu: int
    memory: int
    input_bytes: int


@dataclass(frozen=True)
class TaskSummary:
    """A task's summary (``?instancesummary``): the text, the JSON object (``None`` when
    MaxCompute gave none, or not an object), the cost from it, and MaxCompute's
    ``x-odps-task-finalized`` flag (``None`` when absent)."""

    task_name: str
    text: str
    json_summary: Mapping[str, Any] | None
    cost: TaskCost | None
    finalized: bool | None


@dataclass(frozen=True)
class Worker:
    """One worker of a task (``?detail``, PyODPS ``WorkerDetail2``)."""

    id: str
    log_id: str | None
    stage: str
    status: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    input_bytes: int | None = None
    input_records: int | None = None
    output_bytes: int | None = None
    output_records: int | None = None


@dataclass(frozen=True)
class TaskDetail:
    """A task's detail: the JSON object MaxCompute reports (``None`` when it is not one;
    ``text`` then holds the answer) and the workers with their log ids."""

    task_name: str
    detail: Mapping[str, Any] | None
    text: str
    workers: tuple[Worker, ...]

    @property
    def log_ids(self) -> frozenset[str]:
        """The log ids of every worker that has one."""
        return frozenset(w.log_id for w in self.workers if w.log_id)


@dataclass(frozen=True)
class WorkerLog:
    """The start of one worker log (``?log``): at most the requested size, and whether the
    log was longer. ``log_type`` is MaxCompute's name (``stdout``, ``hs_err_*.log``, ...)."""

    log_id: str
    log_type: str
    content: str
    truncated: bool


@dataclass(frozen=True)
class QueueingInfo:
    """Where an instance stands in MaxCompute's queue (``?cached``, ``cachedinstances``).

    ``status`` is ``None`` for MaxCompute's ``Unknown``; ``position`` (1-based place among
    the waiting jobs) is ``None`` when it does not wait or nothing was reported, and so is
    ``queue_length`` (jobs waiting) when not reported; ``properties`` is the whole JSON object.
    """

    project: str
    instance_id: str
    status: InstanceStatus | None
    priority: int | None
    position: int | None
    progress: float | None
    job_name: str | None
    task_name: str | None
    task_type: str | None
    user_account: str | None
    start_time: datetime | None
    properties: Mapping[str, Any]
    queue_length: int | None = None


@dataclass(frozen=True)
class QueueingPage:
    """One page of a project's queue; ``next_marker`` is ``None`` on the last page."""

    infos: tuple[QueueingInfo, ...]
    next_marker: str | None


@dataclass(frozen=True)
class SqlCost:
    """MaxCompute's estimate of a SQL job (the result of a ``SQLCost`` task)."""

    udf_count: int
    complexity: float
    input_bytes: int
