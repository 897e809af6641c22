"""The domain model as the v1 wire messages, and back: the one place that knows both shapes.

Domain objects (``mcgateway.domain``) never see protobuf, and the REST client knows neither.
The service layer converts requests and responses here; the watch engine builds each
observed state's messages here once, so every subscriber sends the same message. Times are
aware UTC datetimes in the domain and ``google.protobuf.Timestamp`` on the wire.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from google.protobuf import struct_pb2, timestamp_pb2
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from mcgateway import domain

__all__ = [
    "INSTANCE_STATE_FROM_PROTO",
    "INSTANCE_STATE_TO_PROTO",
    "LOG_TYPE_FROM_PROTO",
    "LOG_TYPE_TO_PROTO",
    "TASK_STATE_TO_PROTO",
    "datetime_from_timestamp",
    "instance_to_proto",
    "instances_to_proto",
    "list_filter_from_request",
    "logview_to_proto",
    "progress_to_proto",
    "queueing_info_to_proto",
    "result_to_proto",
    "sql_cost_to_proto",
    "stage_to_proto",
    "struct_from_mapping",
    "sub_instance_to_proto",
    "task_detail_to_proto",
    "task_summary_to_proto",
    "task_to_proto",
    "timestamp_from_datetime",
    "worker_log_to_proto",
    "worker_to_proto",
]

_Instance = instance_pb2.Instance
_Task = instance_pb2.Task
_LogType = instance_pb2.WorkerLog.LogType

INSTANCE_STATE_TO_PROTO: dict[domain.InstanceStatus, _Instance.State.ValueType] = {
    domain.InstanceStatus.RUNNING: _Instance.RUNNING,
    domain.InstanceStatus.SUSPENDED: _Instance.SUSPENDED,
    domain.InstanceStatus.TERMINATED: _Instance.TERMINATED,
}
"""Every domain instance status and its ``Instance.State`` (a test checks both are complete)."""

INSTANCE_STATE_FROM_PROTO: dict[_Instance.State.ValueType, domain.InstanceStatus | None] = {
    _Instance.STATE_UNSPECIFIED: None,
    **{v: k for k, v in INSTANCE_STATE_TO_PROTO.items()},
}
"""``Instance.State`` filter → domain status; STATE_UNSPECIFIED means "no filter"."""

TASK_STATE_TO_PROTO: dict[domain.TaskStatus, _Task.State.ValueType] = {
    domain.TaskStatus.WAITING: _Task.WAITING,
    domain.TaskStatus.RUNNING: _Task.RUNNING,
    domain.TaskStatus.SUCCESS: _Task.SUCCEEDED,
    domain.TaskStatus.FAILED: _Task.FAILED,
    domain.TaskStatus.SUSPENDED: _Task.SUSPENDED,
    domain.TaskStatus.CANCELLED: _Task.CANCELLED,
}
"""Every domain task status and its ``Task.State``."""

LOG_TYPE_FROM_PROTO: dict[_LogType.ValueType, str] = {
    instance_pb2.WorkerLog.LOG_TYPE_UNSPECIFIED: "stdout",
    instance_pb2.WorkerLog.STDOUT: "stdout",
    instance_pb2.WorkerLog.STDERR: "stderr",
    instance_pb2.WorkerLog.WATERFALL_SUMMARY: "waterfall_summary",
    instance_pb2.WorkerLog.JSTACK: "jstack",
    instance_pb2.WorkerLog.PSTACK: "pstack",
    instance_pb2.WorkerLog.HS_ERR_LOG: "hs_err_*.log",
    instance_pb2.WorkerLog.COREINFO: "coreinfo.tmp",
}
"""``WorkerLog.LogType`` → MaxCompute's ``logtype`` (PyODPS's mapping; unspecified is stdout)."""

LOG_TYPE_TO_PROTO: dict[str, _LogType.ValueType] = {
    v: k for k, v in LOG_TYPE_FROM_PROTO.items() if k != instance_pb2.WorkerLog.LOG_TYPE_UNSPECIFIED
}
"""MaxCompute's ``logtype`` → ``WorkerLog.LogType``."""


def timestamp_from_datetime(moment: datetime) -> timestamp_pb2.Timestamp:
    """An aware datetime as a Timestamp (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(moment.astimezone(UTC))
    return ts


def datetime_from_timestamp(ts: timestamp_pb2.Timestamp) -> datetime:
    """A Timestamp as an aware UTC datetime."""
    return ts.ToDatetime(tzinfo=UTC)


def task_to_proto(task: domain.Task) -> instance_pb2.Task:
    """One task with its state and times."""
    out = instance_pb2.Task(
        name=task.name, type=task.type or "", state=TASK_STATE_TO_PROTO[task.status]
    )
    if task.start_time is not None:
        out.start_time.CopyFrom(timestamp_from_datetime(task.start_time))
    if task.end_time is not None:
        out.end_time.CopyFrom(timestamp_from_datetime(task.end_time))
    return out


def instance_to_proto(
    instance: domain.Instance, *, tasks_read: bool, failure_message: str | None = None
) -> instance_pb2.Instance:
    """An instance with its tasks, its outcome and the failure message.

    ``tasks_read`` says whether ``instance.tasks`` came from a ``?taskstatus`` read (GetInstance,
    WaitInstance, WatchInstance, StopInstance, the submissions) rather than from a listing,
    which carries none. Only then is the outcome of a terminated instance known:
    ``successful`` is set for a terminated instance whose tasks were read, and unset otherwise
    (AIP-149), so a listing never claims an outcome it has not seen. ``failure_message`` is
    sent only with ``successful`` false.
    """
    out = instance_pb2.Instance(
        project=instance.project,
        instance_id=instance.id,
        state=INSTANCE_STATE_TO_PROTO[instance.status],
        owner=instance.owner or "",
        tasks=[task_to_proto(t) for t in instance.tasks],
    )
    if tasks_read and instance.is_terminated:
        out.successful = instance.successful
        if not instance.successful and failure_message:
            out.failure_message = failure_message
    if instance.start_time is not None:
        out.start_time.CopyFrom(timestamp_from_datetime(instance.start_time))
    if instance.end_time is not None:
        out.end_time.CopyFrom(timestamp_from_datetime(instance.end_time))
    if instance.priority is not None:
        out.priority = instance.priority
    return out


def stage_to_proto(stage: domain.StageProgress) -> instance_pb2.Stage:
    """One stage of a task's progress."""
    return instance_pb2.Stage(
        id=stage.id,
        status=stage.status or "",
        backup_workers=stage.backup_workers,
        running_workers=stage.running_workers,
        terminated_workers=stage.terminated_workers,
        total_workers=stage.total_workers,
        input_records=stage.input_records or 0,
        output_records=stage.output_records or 0,
        finished_percentage=stage.finished_percentage,
    )


def progress_to_proto(progress: domain.TaskProgress) -> instance_pb2.TaskProgress:
    """A task's stage progress with the PyODPS-formatted line."""
    return instance_pb2.TaskProgress(
        task_name=progress.task_name,
        stages=[stage_to_proto(s) for s in progress.stages],
        formatted=progress.formatted,
    )


def result_to_proto(result: domain.TaskResult) -> instance_pb2.TaskResult:
    """One task result (CSV for a select, text otherwise)."""
    return instance_pb2.TaskResult(
        task_name=result.task_name, format=result.format or "", content=result.content
    )


def sub_instance_to_proto(
    sub: domain.SubInstance, logview_url: str | None
) -> instance_pb2.SubInstance:
    """An XFlow sub-instance; nested sub-workflow names are joined with ``/``."""
    name = "/".join((*sub.path, sub.name))
    return instance_pb2.SubInstance(
        name=name, instance_id=sub.instance_id, logview_url=logview_url or ""
    )


def logview_to_proto(
    address: domain.LogviewAddress,
) -> instance_service_pb2.GenerateLogviewAddressResponse:
    """A Logview URL and when its token expires."""
    out = instance_service_pb2.GenerateLogviewAddressResponse(url=address.url)
    if address.expires_at is not None:
        out.expire_time.CopyFrom(timestamp_from_datetime(address.expires_at))
    return out


def list_filter_from_request(
    request: instance_service_pb2.ListInstancesRequest,
) -> domain.ListFilter:
    """MaxCompute's list filters from a ListInstances request (validated beforehand)."""
    return domain.ListFilter(
        status=INSTANCE_STATE_FROM_PROTO[request.state_filter],
        only_owner=True if request.only_owner else None,
        start_time=datetime_from_timestamp(request.min_start_time)
        if request.HasField("min_start_time")
        else None,
        end_time=datetime_from_timestamp(request.max_start_time)
        if request.HasField("max_start_time")
        else None,
    )


def instances_to_proto(instances: Iterable[domain.Instance]) -> list[instance_pb2.Instance]:
    """Listed instances: no tasks, so no outcome (``successful`` unset)."""
    return [instance_to_proto(i, tasks_read=False) for i in instances]


def struct_from_mapping(value: Mapping[str, Any]) -> struct_pb2.Struct:
    """A JSON object as a ``google.protobuf.Struct`` (numbers become doubles)."""
    out = struct_pb2.Struct()
    out.update(value)
    return out


def task_summary_to_proto(summary: domain.TaskSummary) -> instance_pb2.TaskSummary:
    """A task's summary text, JSON, cost and finalized flag."""
    out = instance_pb2.TaskSummary(task_name=summary.task_name, summary_text=summary.text)
    if summary.json_summary is not None:
        out.json_summary.CopyFrom(struct_from_mapping(summary.json_summary))
    if summary.cost is not None:
        out.cost.CopyFrom(
            instance_pb2.TaskCost(
                cpu_centicore_seconds_used=summary.cost.cpu,
                memory_mb_seconds_used=summary.cost.memory,
                input_bytes=summary.cost.input_bytes,
            )
        )
    if summary.finalized is not None:
        out.finalized = summary.finalized
    return out


def worker_to_proto(worker: domain.Worker) -> instance_pb2.Worker:
    """One worker with its log id, times and counters (unknown ones unset)."""
    out = instance_pb2.Worker(
        id=worker.id, log_id=worker.log_id or "", stage=worker.stage, status=worker.status or ""
    )
    if worker.start_time is not None:
        out.start_time.CopyFrom(timestamp_from_datetime(worker.start_time))
    if worker.end_time is not None:
        out.end_time.CopyFrom(timestamp_from_datetime(worker.end_time))
    for name in ("input_bytes", "input_records", "output_bytes", "output_records"):
        value = getattr(worker, name)
        if value is not None:
            setattr(out, name, value)
    return out


def task_detail_to_proto(detail: domain.TaskDetail) -> instance_pb2.TaskDetail:
    """A task's detail (a JSON object, or its text) and workers."""
    out = instance_pb2.TaskDetail(
        task_name=detail.task_name,
        detail_text=detail.text,
        workers=[worker_to_proto(w) for w in detail.workers],
    )
    if detail.detail is not None:
        out.detail.CopyFrom(struct_from_mapping(detail.detail))
    return out


def worker_log_to_proto(log: domain.WorkerLog) -> instance_pb2.WorkerLog:
    """The start of one worker log."""
    return instance_pb2.WorkerLog(
        log_id=log.log_id,
        log_type=LOG_TYPE_TO_PROTO[log.log_type],
        content=log.content,
        truncated=log.truncated,
    )


def queueing_info_to_proto(info: domain.QueueingInfo) -> instance_pb2.QueueingInfo:
    """An instance's place in MaxCompute's queue, with every property MaxCompute reported."""
    out = instance_pb2.QueueingInfo(
        project=info.project,
        instance_id=info.instance_id,
        state=_Instance.STATE_UNSPECIFIED
        if info.status is None
        else INSTANCE_STATE_TO_PROTO[info.status],
        job_name=info.job_name or "",
        task_name=info.task_name or "",
        task_type=info.task_type or "",
        user_account=info.user_account or "",
    )
    if info.priority is not None:
        out.priority = info.priority
    if info.position is not None:
        out.position = info.position
    if info.queue_length is not None:
        out.queue_length = info.queue_length
    if info.progress is not None:
        out.progress = info.progress
    if info.start_time is not None:
        out.start_time.CopyFrom(timestamp_from_datetime(info.start_time))
    out.properties.CopyFrom(struct_from_mapping(info.properties))
    return out


def sql_cost_to_proto(
    cost: domain.SqlCost, instance_id: str
) -> instance_service_pb2.EstimateSqlCostResponse:
    """MaxCompute's estimate of a SQL job and the instance that computed it."""
    return instance_service_pb2.EstimateSqlCostResponse(
        input_bytes=cost.input_bytes,
        udf_count=cost.udf_count,
        complexity=cost.complexity,
        instance_id=instance_id,
    )
