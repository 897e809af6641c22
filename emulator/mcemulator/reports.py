"""JSON answers about an instance: summary and cost, detail with workers, queueing info.

Shapes are the ones PyODPS, the Java SDK and the Go SDK parse:

* ``?instancesummary``: ``{"Instance": {"JsonSummary": "<JSON text>", "Summary": "<text>"}}``;
  the JSON summary holds ``Cost`` (``CPU``, ``Memory``, ``Input``: integers) beside the
  inputs, stages and DuckDB plan; the text is MaxCompute's summary layout.
* ``?instancedetail`` / ``?detail``: ``mapReduce.jobs[].tasks[].instances[]`` (one entry per
  worker, with ``logId``), which PyODPS's ``get_task_workers`` walks.
* ``?cached`` and ``/cachedinstances``: the queueing-info object (``instanceId``,
  ``instancePriority``, ``instanceProcess``/``instanceProgress``, ``status``, ``waitPos``,
  ``queueLength``, ``subStatusHistory``...); ``{}`` once the instance has terminated.
"""

from __future__ import annotations

import time
from typing import Any

from mcemulator import plans, stages, workers
from mcemulator.engine import QueueState
from mcemulator.model import Instance, InstanceStatus, Task, TaskStatus


def _epoch(ts: float | None) -> int:
    return 0 if ts is None else int(ts)


def _queue_time(ts: float) -> str:
    """``2026-12-03 08:25:18 +0000``: PyODPS's ``strptime_with_tz`` and Java's
    ``yyyy-MM-dd HH:mm:ss Z`` both read it."""
    return time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(ts))


# -- summary -----------------------------------------------------------------------------


def summary(task: Task, now: float | None = None) -> tuple[dict[str, Any], str]:
    """(JSON summary, text summary) of a task as of ``now``."""
    now = time.time() if now is None else now
    cost = plans.task_cost(task, now)
    counters = stages.progress(task, now)
    data: dict[str, Any] = {
        "Cost": {"CPU": cost.cpu, "Memory": cost.memory, "Input": cost.input},
        "Inputs": [{"Table": t.name, "Records": t.records, "Bytes": t.bytes} for t in task.inputs],
        "Stages": [
            {
                "Name": c.id,
                "Status": c.status,
                "Workers": c.total_workers,
                "InputRecords": c.input_records,
                "OutputRecords": c.output_records,
                "FinishedPercentage": c.finished_percentage,
            }
            for c in counters
        ],
        "Plan": list(task.plan),
    }
    return data, _summary_text(task, counters, cost)


def _summary_text(task: Task, counters: list[stages.StageProgress], cost: plans.Cost) -> str:
    lines = ["Summary:", "inputs:"]
    lines += [f"        {t.name}: {t.records} ({t.bytes} bytes)" for t in task.inputs]
    lines.append("outputs:")
    for index, c in enumerate(counters):
        following = counters[index + 1].id if index + 1 < len(counters) else "result"
        lines += [
            f"{c.id}:",
            f"        worker count: {c.total_workers}",
            "        input records:",
            f"                input: {c.input_records}  (min: {c.input_records}, "
            f"max: {c.input_records}, avg: {c.input_records})",
            "        output records:",
            f"                {following}: {c.output_records}  (min: {c.output_records}, "
            f"max: {c.output_records}, avg: {c.output_records})",
        ]
    lines.append(
        f"resource cost: cpu {cost.cpu / 100:.2f} Core * Second, "
        f"memory {cost.memory} MB * Second, input {cost.input} bytes"
    )
    if task.plan:
        lines.append("plan:")
        lines += [f"        {line}" for line in task.plan]
    return "\n".join(lines) + "\n"


# -- detail ------------------------------------------------------------------------------


_JOB_STATUS = {
    TaskStatus.WAITING: "Waiting",
    TaskStatus.RUNNING: "Running",
    TaskStatus.SUSPENDED: "Suspended",
    TaskStatus.SUCCESS: "Terminated",
    TaskStatus.FAILED: "Failed",
    TaskStatus.CANCELLED: "Cancelled",
}


def detail(inst: Instance, task: Task, now: float | None = None) -> dict[str, Any]:
    """The task's job, stages and workers (with their log ids) as of ``now``."""
    now = time.time() if now is None else now
    groups = workers.stage_workers(inst, task, now)
    tasks = [
        {
            "name": workers.short_name(group.progress.id),
            "stage": group.progress.id,
            "status": group.progress.status,
            "progress": group.progress.finished_percentage,
            "input_records": group.progress.input_records,
            "output_records": group.progress.output_records,
            "instances": [
                {
                    "id": w.id,
                    "logId": w.log_id,
                    "status": w.status,
                    "startTime": _epoch(w.start_time),
                    "endTime": _epoch(w.end_time),
                    "input_records": w.input_records,
                    "output_records": w.output_records,
                    "input_bytes": w.input_bytes,
                    "output_bytes": w.output_bytes,
                }
                for w in group.workers
            ],
        }
        for group in groups
    ]
    job = {
        "name": "job0",
        "status": _JOB_STATUS[task.status],
        "startTime": _epoch(task.start_time),
        "endTime": _epoch(task.end_time),
        "tasks": tasks,
    }
    return {
        "Instance": {"Id": inst.id, "Status": inst.status.value},
        "Task": {"Name": task.name, "Type": task.type, "Status": task.status.value},
        "mapReduce": {
            "jobName": f"{inst.id}_{task.name}",
            "jobs": [job] if tasks else [],
        },
    }


# -- queueing info -----------------------------------------------------------------------


def _current_task(inst: Instance) -> Task | None:
    for task in inst.tasks:
        if not task.status.finished:
            return task
    return inst.tasks[-1] if inst.tasks else None


def _progress(inst: Instance, now: float) -> float:
    """Share of the instance's tasks done, 0..1 (the current task counts by its clock)."""
    if not inst.tasks:
        return 0.0
    done = sum(1.0 if t.status.finished else t.fraction(now) for t in inst.tasks)
    return round(done / len(inst.tasks), 4)


def queueing_info(inst: Instance, state: QueueState, now: float | None = None) -> dict[str, Any]:
    """``?cached`` of an instance: its place in the queue; ``{}`` once it has terminated."""
    if inst.status == InstanceStatus.TERMINATED:
        return {}
    now = time.time() if now is None else now
    task = _current_task(inst)
    progress = _progress(inst, now)
    return {
        "instanceId": inst.id,
        "instancePriority": inst.priority,
        "instanceProcess": progress,
        "instanceProgress": progress,
        "jobName": inst.job_name,
        "projectName": inst.project,
        "skynetId": inst.owner,
        "userAccount": inst.owner,
        "startTime": _queue_time(inst.start_time),
        "taskType": task.type if task is not None else "",
        "taskName": task.name if task is not None else "",
        "status": inst.status.value,
        "waitPos": state.position,
        "queueLength": state.length,
        "runningCluster": inst.running_cluster,
        "quota": inst.quota,
        "subStatusHistory": [
            {"code": step.code, "description": step.description, "start_time": _queue_time(step.at)}
            for step in state.history
        ],
    }
