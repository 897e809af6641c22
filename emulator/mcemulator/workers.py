"""The workers of a task's stages, their log ids and their logs.

Each stage of a SQL task runs on ``total_workers`` workers (Fuxi instances on the service),
named ``M1_Stg1#0_0``, ``M1_Stg1#1_0``... Their state, counters and logs are derived from
the stage's progress at the moment of the request, so they follow the query and the
simulated clock. A worker's log id is opaque to clients; it names the instance, task,
stage and worker, so a log id used on another instance is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass

from mcemulator import plans, stages
from mcemulator.model import Instance, Task

LOG_TYPES: tuple[str, ...] = (
    "stdout",
    "stderr",
    "waterfall_summary",
    "jstack",
    "pstack",
    "coreinfo.tmp",
    "hs_err_*.log",
)
"""``logtype`` values the service knows (PyODPS and the Java SDK's ``LogType`` send these)."""

_STATUS = {
    "TERMINATED": "Terminated",
    "RUNNING": "Running",
    "READY": "Ready",
    "FAILED": "Failed",
    "CANCELLED": "Cancelled",
    "SUSPENDED": "Suspended",
}


@dataclass(frozen=True)
class Worker:
    """One worker of a stage at one moment."""

    id: str
    """``M1_Stg1#0_0``: the stage's name without ``_job0``, ``#``, index, ``_0`` (attempt)."""
    stage: str
    """The stage id as progress reports it (``M1_Stg1_job0``)."""
    index: int
    status: str
    """``Ready``, ``Running``, ``Suspended``, ``Terminated``, ``Failed`` or ``Cancelled``."""
    start_time: float | None
    end_time: float | None
    input_records: int
    output_records: int
    input_bytes: int
    output_bytes: int
    log_id: str


@dataclass(frozen=True)
class StageWorkers:
    """A stage's counters and its workers at one moment."""

    progress: stages.StageProgress
    workers: list[Worker]


def short_name(stage_id: str) -> str:
    """``M1_Stg1`` of ``M1_Stg1_job0``: the stage's name within its job."""
    return stage_id.removesuffix("_job0")


def log_id(instance_id: str, task: str, stage: str, index: int) -> str:
    """The opaque log id of a worker (URL-safe: no ``+``, ``/`` or ``=``)."""
    raw = json.dumps([instance_id, task, stage, index], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def parse_log_id(value: str) -> tuple[str, str, str, int] | None:
    """(instance id, task, stage, worker index) of a log id; ``None`` if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        instance_id, task, stage, index = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    if not all(isinstance(v, str) for v in (instance_id, task, stage)):
        return None
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    return instance_id, task, stage, index


def _share(total: int, parts: int, index: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


def _row_bytes(task: Task) -> float:
    records = sum(t.records for t in task.inputs)
    return plans.input_bytes(task) / records if records else 0.0


def stage_workers(inst: Instance, task: Task, now: float | None = None) -> list[StageWorkers]:
    """Every stage of ``task`` with its workers, as of ``now``."""
    now = time.time() if now is None else now
    row_bytes = _row_bytes(task)
    begun = task.start_time
    out = []
    for stage, counters in zip(task.stages, stages.progress(task, now), strict=True):
        workers = []
        span_start = None if begun is None else begun + stage.start * task.duration
        span_end = None if begun is None else begun + stage.end * task.duration
        for index in range(stage.total_workers):
            status = _worker_status(counters, index)
            begun_here = counters.finished_percentage > 0 or status in ("Running", "Terminated")
            started = span_start if begun_here else None
            ended = None
            if status == "Terminated" and span_start is not None and span_end is not None:
                # A stage's workers finish one after the other over its span.
                share = (index + 1) / stage.total_workers
                ended = span_start + share * (span_end - span_start)
            elif status in ("Failed", "Cancelled"):
                ended = task.end_time
            if task.end_time is not None and ended is not None:
                ended = min(ended, task.end_time)
            records_in = _share(counters.input_records, stage.total_workers, index)
            records_out = _share(counters.output_records, stage.total_workers, index)
            workers.append(
                Worker(
                    id=f"{short_name(stage.id)}#{index}_0",
                    stage=stage.id,
                    index=index,
                    status=status,
                    start_time=started,
                    end_time=ended,
                    input_records=records_in,
                    output_records=records_out,
                    input_bytes=round(records_in * row_bytes),
                    output_bytes=round(records_out * row_bytes),
                    log_id=log_id(inst.id, task.name, stage.id, index),
                )
            )
        out.append(StageWorkers(counters, workers))
    return out


def _worker_status(counters: stages.StageProgress, index: int) -> str:
    if counters.status == "TERMINATED" or index < counters.terminated_workers:
        return "Terminated"
    if counters.status == "RUNNING":
        return "Running"
    if counters.status == "SUSPENDED":
        return "Suspended" if counters.finished_percentage > 0 else "Ready"
    return _STATUS.get(counters.status, "Ready")


def find_worker(inst: Instance, task: Task, stage: str, index: int) -> Worker | None:
    """The worker ``index`` of ``stage`` in ``task`` now, if there is one."""
    for group in stage_workers(inst, task):
        for worker in group.workers:
            if worker.stage == stage and worker.index == index:
                return worker
    return None


def _stamp(ts: float | None) -> str:
    return "" if ts is None else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts))


def log_text(inst: Instance, task: Task, worker: Worker, log_type: str) -> str:
    """The log of ``log_type`` a worker has written so far."""
    if log_type == "stdout":
        return _stdout(inst, task, worker)
    if log_type == "stderr":
        return _stderr(task, worker)
    if log_type == "waterfall_summary":
        return _waterfall(worker)
    if log_type in ("jstack", "pstack"):
        return _stack(worker, log_type)
    return ""  # coreinfo.tmp, hs_err_*.log: no worker of the emulator ever crashed


def _stdout(inst: Instance, task: Task, worker: Worker) -> str:
    if worker.start_time is None:
        return ""
    begun = _stamp(worker.start_time)
    lines = [
        f"{begun} {worker.id} started: stage {worker.stage} of task {task.name}, "
        f"instance {inst.id}, project {inst.project}"
    ]
    if worker.stage.startswith("M"):
        for table in task.inputs:
            lines.append(
                f"{begun} input {table.name}: {table.records} records, {table.bytes} bytes"
            )
    now = worker.end_time if worker.end_time is not None else time.time()
    lines.append(
        f"{_stamp(now)} read {worker.input_records} records ({worker.input_bytes} bytes), "
        f"wrote {worker.output_records} records ({worker.output_bytes} bytes)"
    )
    if worker.end_time is not None:
        lines.append(f"{_stamp(worker.end_time)} {worker.id} finished: {worker.status}")
    return "\n".join(lines) + "\n"


def _stderr(task: Task, worker: Worker) -> str:
    if worker.status == "Failed":
        return f"{_stamp(worker.end_time)} ERROR {task.result}\n"
    if worker.status == "Cancelled":
        return f"{_stamp(worker.end_time)} WARN cancelled: the instance was stopped\n"
    return ""


def _waterfall(worker: Worker) -> str:
    if worker.start_time is None:
        return ""
    end = worker.end_time
    seconds = "" if end is None else f"{end - worker.start_time:.3f}"
    return (
        "phase\tstart\tend\tseconds\n"
        f"run\t{_stamp(worker.start_time)}\t{_stamp(end)}\t{seconds}\n"
        f"status\t{worker.status}\n"
    )


def _stack(worker: Worker, kind: str) -> str:
    if worker.status != "Running":
        return f"{worker.id} is not running ({worker.status}): no {kind} to take\n"
    if kind == "jstack":
        return (
            f'"main" #1 prio=5 os_prio=0 tid=0x1 nid=0x1 runnable\n'
            f"   java.lang.Thread.State: RUNNABLE\n"
            f"\tat com.aliyun.odps.worker.Stage.process({worker.stage}:{worker.input_records})\n"
        )
    return (
        f"Thread 1 (LWP 1):\n#0  process_records (stage={worker.stage}, "
        f"records={worker.input_records})\n#1  main ()\n"
    )
