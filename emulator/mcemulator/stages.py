"""Execution stages of a SQL task, derived from its query, and their progress over simulated time.

MaxCompute names stages after their operator and their inputs: ``M1_Stg1`` maps (scans)
a table, ``J3_1_2`` joins the outputs of stages 1 and 2, ``R4_3`` reduces (aggregates,
sorts) the output of stage 3. The emulator derives the same shape from the query text and
spreads the stages over the task's simulated duration, one level after the other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from mcemulator.model import Stage, Task, TaskStatus

_TABLE_REF = re.compile(r"\b(?:from|join)\s+([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?)", re.I)
_REDUCE = re.compile(
    r"\b(group\s+by|order\s+by|sort\s+by|distinct|count\s*\(|sum\s*\(|avg\s*\(|min\s*\(|"
    r"max\s*\(|over\s*\()",
    re.I,
)
_DATA_STATEMENT = re.compile(
    r"^\s*(select|with|insert|create\s+table\s+.*\bas\s+select)\b", re.I | re.S
)
_ROWS_PER_WORKER = 100_000
_MAX_WORKERS = 16


@dataclass(frozen=True)
class StageProgress:
    """A stage's counters at one moment, as ``?instanceprogress`` reports them."""

    id: str
    status: str
    backup_workers: int
    terminated_workers: int
    running_workers: int
    total_workers: int
    input_records: int
    output_records: int
    finished_percentage: int


def table_names(query: str) -> list[str]:
    """Table names a query reads (after ``from`` and ``join``), as written, in order."""
    return [name for name in _TABLE_REF.findall(query) if name.lower() != "select"]


def plan(statement: str, table_rows: Callable[[str], int]) -> list[Stage]:
    """The stages a data statement runs through; DDL and other metadata statements have none."""
    if not _DATA_STATEMENT.match(statement):
        return []
    tables = table_names(statement)
    scans = [(name, table_rows(name)) for name in tables] or [("", 1)]
    levels: list[list[Stage]] = [[]]
    for index, (_, rows) in enumerate(scans, start=1):
        workers = max(1, min(_MAX_WORKERS, math.ceil(rows / _ROWS_PER_WORKER)))
        levels[0].append(Stage(f"M{index}_Stg1_job0", workers, rows, rows, 0.0, 0.0))
    number = len(scans)
    previous, records = 1, scans[0][1]
    for right in range(2, len(scans) + 1):
        number += 1
        records += scans[right - 1][1]
        levels.append([Stage(f"J{number}_{previous}_{right}_job0", 1, records, records, 0, 0)])
        previous = number
    if _REDUCE.search(statement):
        number += 1
        levels.append([Stage(f"R{number}_{previous}_job0", 1, records, records, 0.0, 0.0)])
    stages: list[Stage] = []
    for depth, level in enumerate(levels):
        for stage in level:
            stage.start = depth / len(levels)
            stage.end = (depth + 1) / len(levels)
            stages.append(stage)
    return stages


def finish(stages: list[Stage], output_rows: int) -> None:
    """Record the real output size on the last stage once the statement has run."""
    if stages:
        stages[-1].output_records = output_rows


def progress(task: Task, now: float) -> list[StageProgress]:
    """Every stage's counters at wall time ``now``."""
    fraction = task.fraction(now)
    out = []
    for position, stage in enumerate(task.stages):
        span = max(stage.end - stage.start, 1e-9)
        part = max(0.0, min(1.0, (fraction - stage.start) / span))
        if task.status == TaskStatus.SUCCESS:
            part = 1.0
        # A task that fails once its simulated time is up fails in its last stage.
        failed_here = task.status == TaskStatus.FAILED and position == len(task.stages) - 1
        if failed_here and part >= 1.0:
            part = 0.99
        terminated = stage.total_workers if part >= 1.0 else int(stage.total_workers * part)
        started = part > 0.0 and task.status in (TaskStatus.RUNNING, TaskStatus.SUSPENDED)
        running = stage.total_workers - terminated if started else 0
        if part >= 1.0:
            status = "TERMINATED"
        elif task.status == TaskStatus.FAILED:
            status = "FAILED"
        elif task.status == TaskStatus.CANCELLED:
            status = "CANCELLED"
        elif task.status == TaskStatus.SUSPENDED:
            status = "SUSPENDED"
        elif started:
            status = "RUNNING"
        else:
            status = "READY"
        out.append(
            StageProgress(
                id=stage.id,
                status=status,
                backup_workers=0,
                terminated_workers=terminated,
                running_workers=running,
                total_workers=stage.total_workers,
                input_records=int(stage.input_records * part),
                output_records=int(stage.output_records * part),
                finished_percentage=int(part * 100),
            )
        )
    return out
