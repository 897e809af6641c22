"""Plain data of the diagnostic RPCs (task summary and cost, task detail and workers, worker
logs, queueing info, SQL cost), shaped like PyODPS's return values and built from protos."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from ._models import Status, _time

__all__ = [
    "LOG_TYPES",
    "QueueingInfo",
    "SQLCost",
    "TaskCost",
    "TaskSummary",
    "Worker",
    "log_type_to_proto",
    "struct_to_python",
]

_LOG = instance_pb2.WorkerLog.LogType
LOG_TYPES = {
    "stdout": _LOG.STDOUT,
    "stderr": _LOG.STDERR,
    "waterfall_summary": _LOG.WATERFALL_SUMMARY,
    "jstack": _LOG.JSTACK,
    "pstack": _LOG.PSTACK,
    "hs_err_log": _LOG.HS_ERR_LOG,
    "coreinfo": _LOG.COREINFO,
}
"""PyODPS's ``log_type`` names (``get_worker_log``) and their proto values."""


def log_type_to_proto(log_type: str | None) -> instance_pb2.WorkerLog.LogType.ValueType:
    """The proto log type of PyODPS's name (any case); None means stdout. ValueError names the
    accepted values, as PyODPS does."""
    if log_type is None:
        return _LOG.STDOUT
    key = log_type.lower()
    if key not in LOG_TYPES:
        raise ValueError("log_type should choose a value in " + " ".join(LOG_TYPES))
    return LOG_TYPES[key]


def struct_to_python(message: Struct) -> dict[str, Any]:
    """A ``google.protobuf.Struct`` as a plain dict (numbers are floats, as JSON has them)."""
    return dict(json_format.MessageToDict(message))


@dataclass(frozen=True)
class TaskCost:
    """What a task used (PyODPS ``Instance.TaskCost``): ``cpu_cost`` in hundredths of a
    core-second, ``memory_cost`` in megabyte-seconds, ``input_size`` in bytes."""

    cpu_cost: int
    memory_cost: int
    input_size: int

    @classmethod
    def from_proto(cls, pb: instance_pb2.TaskCost) -> TaskCost:
        return cls(pb.cpu_centicore_seconds_used, pb.memory_mb_seconds_used, pb.input_bytes)


class TaskSummary(dict[str, Any]):
    """A task's summary as PyODPS returns it: the parsed JSON summary as a dict, with
    ``summary_text`` (MaxCompute's text), ``json_summary`` (the JSON text), ``finalized``
    (True/False, None when MaxCompute did not say), ``cost`` (:class:`TaskCost` or None) and
    ``task_name``."""

    summary_text: str
    json_summary: str
    finalized: bool | None
    cost: TaskCost | None
    task_name: str

    @classmethod
    def from_proto(cls, pb: instance_pb2.TaskSummary) -> TaskSummary:
        data = struct_to_python(pb.json_summary) if pb.HasField("json_summary") else {}
        summary = cls(data)
        summary.task_name = pb.task_name
        summary.summary_text = pb.summary_text
        summary.json_summary = json.dumps(data, ensure_ascii=False) if data else ""
        summary.finalized = pb.finalized if pb.HasField("finalized") else None
        summary.cost = TaskCost.from_proto(pb.cost) if pb.HasField("cost") else None
        return summary


@dataclass(frozen=True)
class Worker:
    """One worker of a task (PyODPS ``WorkerDetail2``): ``id``, ``log_id`` (for
    ``get_worker_log``), ``type`` (its stage, e.g. ``M1``), ``status`` and times; byte and record
    counts are None when MaxCompute did not report them."""

    id: str
    log_id: str
    type: str
    status: str
    start_time: datetime | None = None
    end_time: datetime | None = None
    input_bytes: int | None = None
    input_records: int | None = None
    output_bytes: int | None = None
    output_records: int | None = None

    @property
    def stage(self) -> str:
        """The stage the worker belongs to (the same as ``type``)."""
        return self.type

    @classmethod
    def from_proto(cls, pb: instance_pb2.Worker) -> Worker:
        def opt(name: str) -> int | None:
            return int(getattr(pb, name)) if pb.HasField(name) else None  # type: ignore[arg-type]

        return cls(
            id=pb.id,
            log_id=pb.log_id,
            type=pb.stage,
            status=pb.status,
            start_time=_time(pb, "start_time"),
            end_time=_time(pb, "end_time"),
            input_bytes=opt("input_bytes"),
            input_records=opt("input_records"),
            output_bytes=opt("output_bytes"),
            output_records=opt("output_records"),
        )


def detail_to_python(pb: instance_pb2.TaskDetail) -> dict[str, Any] | list[Any] | str:
    """The detail as PyODPS's ``get_task_detail`` returns it: a dict (or list) for JSON, else
    the text."""
    if pb.HasField("detail"):
        return struct_to_python(pb.detail)
    try:
        parsed = json.loads(pb.detail_text)
    except ValueError:
        return pb.detail_text
    return parsed if isinstance(parsed, dict | list) else pb.detail_text


_STATE = instance_pb2.Instance.State
_STATUS = {_STATE.RUNNING: Status.RUNNING, _STATE.SUSPENDED: Status.SUSPENDED}
_STATUS[_STATE.TERMINATED] = Status.TERMINATED


@dataclass(frozen=True)
class QueueingInfo:
    """Where an instance stands in MaxCompute's queue (PyODPS ``InstanceQueueingInfo``).

    ``position`` (1: next) is None unless the instance waits for a slot; ``priority``,
    ``progress`` and ``queue_length`` are None when not reported; ``properties`` holds every
    property MaxCompute reported.
    """

    instance_id: str
    project: str
    status: Status | None
    priority: int | None
    position: int | None
    progress: float | None
    queue_length: int | None
    job_name: str
    task_name: str
    task_type: str
    user_account: str
    start_time: datetime | None
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def waiting(self) -> bool:
        """Whether the instance waits for a slot (it has a queue position)."""
        return self.position is not None

    @classmethod
    def from_proto(cls, pb: instance_pb2.QueueingInfo) -> QueueingInfo:
        return cls(
            instance_id=pb.instance_id,
            project=pb.project,
            status=_STATUS.get(pb.state),
            priority=pb.priority if pb.HasField("priority") else None,
            position=pb.position if pb.HasField("position") else None,
            progress=pb.progress if pb.HasField("progress") else None,
            queue_length=pb.queue_length if pb.HasField("queue_length") else None,
            job_name=pb.job_name,
            task_name=pb.task_name,
            task_type=pb.task_type,
            user_account=pb.user_account,
            start_time=_time(pb, "start_time"),
            properties=struct_to_python(pb.properties) if pb.HasField("properties") else {},
        )


@dataclass(frozen=True)
class SQLCost:
    """MaxCompute's estimate of a SQL job (PyODPS ``Instance.SQLCost``): ``udf_num``,
    ``complexity``, ``input_size`` (bytes), and the id of the estimating instance."""

    udf_num: int
    complexity: float
    input_size: int
    instance_id: str = ""

    @classmethod
    def from_proto(cls, pb: instance_service_pb2.EstimateSqlCostResponse) -> SQLCost:
        return cls(pb.udf_count, pb.complexity, pb.input_bytes, pb.instance_id)
