"""The emulator's domain objects: instances, their tasks, stages and XFlow actions."""

from __future__ import annotations

import secrets
import string
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class InstanceStatus(StrEnum):
    """Instance states exactly as MaxCompute spells them (PyODPS matches them case-sensitively)."""

    RUNNING = "Running"
    SUSPENDED = "Suspended"
    TERMINATED = "Terminated"


class TaskStatus(StrEnum):
    """Task states as the service sends them."""

    WAITING = "Waiting"
    RUNNING = "Running"
    SUCCESS = "Success"
    FAILED = "Failed"
    SUSPENDED = "Suspended"
    CANCELLED = "Cancelled"

    @property
    def finished(self) -> bool:
        """Whether the task will not change any more."""
        return self in (TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.CANCELLED)


_ID_ALPHABET = string.ascii_lowercase + string.digits
COST_TASK_TYPE = "SQLCost"
"""Task type of a cost estimate (``<SQLCost>`` in the job, ``AnonymousSQLCostTask``)."""
QUOTA_SETTING = "odps.task.wlm.quota"
"""Task setting naming the quota a job runs in (PyODPS's ``quota_name``)."""


def new_instance_id(now: float | None = None) -> str:
    """An id in MaxCompute's form: UTC ``yyyyMMddHHmmss`` + milliseconds + ``g`` + random suffix."""
    now = time.time() if now is None else now
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(now)) + f"{int(now * 1000) % 1000:03d}"
    return stamp + "g" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


@dataclass
class Stage:
    """One stage of a SQL task's plan (``M1_Stg1_job0``, ``R2_1_job0``, ``J3_1_2_job0``)."""

    id: str
    total_workers: int
    input_records: int
    output_records: int
    start: float
    """Fraction of the task's simulated duration at which this stage starts."""
    end: float
    """Fraction at which it finishes."""


@dataclass
class InputTable:
    """A table a task reads, with its size when the task was planned."""

    name: str
    """``project.table``."""
    records: int
    bytes: int


@dataclass
class Task:
    """A task of an instance (``AnonymousSQLTask`` for ``run_sql``)."""

    name: str
    type: str
    query: str = ""
    settings: dict[str, str] = field(default_factory=dict)
    status: TaskStatus = TaskStatus.WAITING
    start_time: float | None = None
    end_time: float | None = None
    result: str = ""
    result_format: str = "text"
    stages: list[Stage] = field(default_factory=list)
    duration: float = 0.0
    """Simulated run time in seconds."""
    elapsed: float = 0.0
    """Simulated seconds already run before ``resumed_at`` (suspensions pause the clock)."""
    resumed_at: float | None = None
    """Wall time since when the simulated clock runs; ``None`` while paused or not running."""
    inputs: list[InputTable] = field(default_factory=list)
    """Tables the query reads (from DuckDB's plan), for the summary, cost and worker logs."""
    plan: list[str] = field(default_factory=list)
    """DuckDB's physical plan, one indented line per operator (empty for scripts and DDL)."""

    @property
    def is_cost(self) -> bool:
        """Whether this is a ``SQLCost`` task: it estimates its query instead of running it."""
        return self.type == COST_TASK_TYPE

    def fraction(self, now: float) -> float:
        """How far along the simulated duration the task is, 0..1."""
        if self.status == TaskStatus.SUCCESS:
            return 1.0
        done = self.elapsed + (now - self.resumed_at if self.resumed_at is not None else 0.0)
        if self.duration <= 0:
            return 1.0 if self.resumed_at is not None else 0.0
        return max(0.0, min(1.0, done / self.duration))


@dataclass
class Action:
    """One node of an XFlow run as ``?xresult`` reports it."""

    name: str
    node_type: str
    """``Instance`` (a sub-instance), or ``Local`` (work done by the XFlow engine itself)."""
    instance_id: str = ""
    query: str = ""
    """SQL run by the sub-instance of an ``Instance`` action."""


@dataclass
class Instance:
    """A job instance: SQL (one or more tasks) or XFlow (actions spawning sub-instances)."""

    id: str
    project: str
    owner: str
    seq: int
    kind: str
    """``sql`` or ``xflow``."""
    source: str
    """The submitted ``<Job>`` (SQL) or ``<Instance><XflowInstance>`` (XFlow) document."""
    start_time: float
    status: InstanceStatus = InstanceStatus.RUNNING
    end_time: float | None = None
    priority: int = 9
    job_name: str = ""
    tasks: list[Task] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    parent_id: str | None = None
    running_cluster: str = ""
    """``<RunningCluster>`` of the submitted job ("" = the project's default cluster)."""
    quota: str = ""
    """The quota the job asked for (``odps.task.wlm.quota``), "" for the project's default."""

    def to_json(self) -> dict[str, Any]:
        """The instance as a JSON-able dict (the store's row format)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Instance:
        """Inverse of :meth:`to_json` (keys it does not know are ignored)."""
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        data["status"] = InstanceStatus(data["status"])
        tasks = []
        for raw in data.pop("tasks"):
            raw = dict(raw)
            raw["status"] = TaskStatus(raw["status"])
            raw["stages"] = [Stage(**s) for s in raw["stages"]]
            raw["inputs"] = [InputTable(**t) for t in raw.get("inputs", [])]
            tasks.append(Task(**raw))
        data["actions"] = [Action(**a) for a in data["actions"]]
        return cls(tasks=tasks, **data)


@dataclass(frozen=True)
class TaskSpec:
    """A task as submitted in a job."""

    name: str
    type: str
    query: str
    settings: dict[str, str]


@dataclass(frozen=True)
class JobSpec:
    """A submitted SQL job: its tasks and the ``<Job>`` document to give back on ``?source``."""

    tasks: tuple[TaskSpec, ...]
    source: str
    name: str = ""
    priority: int = 9
    running_cluster: str = ""


@dataclass(frozen=True)
class XflowSpec:
    """A submitted XFlow (PAI) run."""

    xflow_project: str
    xflow: str
    parameters: dict[str, str]
    config: dict[str, str]
    source: str
    priority: int = 1
