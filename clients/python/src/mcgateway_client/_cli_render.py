"""Output of the ``mcgw`` CLI: plain text for pipes, rich tables for terminals, JSON for scripts.

Plain output never contains control codes, whatever the environment says (FORCE_COLOR, ...):
rich is only used when the stream is a terminal. Machine-facing text (JSON, and the event lines
of ``mcgw watch`` off a terminal) names states and events by the API's enum value names
(``RUNNING``, ``SUCCEEDED``, ``SNAPSHOT``), as every mcgateway client does; views for people keep
MaxCompute's words (``Running``, ``Success``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import IO, Any

from ._models import InstanceState, StageProgress, Status, Task, TaskProgress, WatchEvent

__all__ = [
    "dump_json",
    "format_time",
    "instance_json",
    "instance_lines",
    "parse_csv",
    "plain_table",
    "print_table",
    "progress_json",
    "stage_summary",
    "successful_json",
    "task_json",
    "watch_event_json",
    "watch_event_line",
]


def format_time(moment: datetime | None) -> str:
    """ISO-8601 UTC with a Z, or ``-`` when unknown."""
    if moment is None:
        return "-"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_time(moment: datetime | None) -> str | None:
    return None if moment is None else format_time(moment)


def task_json(task: Task) -> dict[str, Any]:
    """A task as JSON-ready data."""
    return {
        "name": task.name,
        "type": task.type,
        "status": task.status.proto_name if task.status else None,
        "start_time": _json_time(task.start_time),
        "end_time": _json_time(task.end_time),
    }


def successful_json(state: InstanceState) -> bool | None:
    """``successful`` of the JSON output: what ``is_successful()`` answers (false while the
    instance runs or is suspended), or null when the state does not tell, as for a terminated
    instance from a listing, which carries no tasks."""
    if state.successful is not None:
        return state.successful
    if state.status in (Status.RUNNING, Status.SUSPENDED):
        return False
    return None


def instance_json(state: InstanceState, successful: bool | None = None) -> dict[str, Any]:
    """An instance state as JSON-ready data; ``successful`` when learnt elsewhere (``mcgw ls``
    reads the outcome of listed instances)."""
    return {
        "project": state.project,
        "id": state.id,
        "status": state.status.proto_name if state.status else None,
        "successful": successful_json(state) if successful is None else successful,
        "owner": state.owner,
        "start_time": _json_time(state.start_time),
        "end_time": _json_time(state.end_time),
        "priority": state.priority,
        "failure_message": state.failure_message,
        "tasks": [task_json(t) for t in state.tasks],
    }


def progress_json(progress: TaskProgress) -> dict[str, Any]:
    """A task's progress as JSON-ready data."""
    return {
        "task_name": progress.task_name,
        "formatted": progress.formatted.strip(),
        "stages": [
            {
                "id": s.name,
                "status": s.status,
                "backup_workers": s.backup_workers,
                "running_workers": s.running_workers,
                "terminated_workers": s.terminated_workers,
                "total_workers": s.total_workers,
                "input_records": s.input_records,
                "output_records": s.output_records,
                "finished_percentage": s.finished_percentage,
            }
            for s in progress.stages
        ],
    }


def watch_event_json(event: WatchEvent) -> dict[str, Any]:
    """A watch event as JSON-ready data (one line of ``mcgw watch --json``)."""
    return {
        "event": event.type.proto_name if event.type else None,
        "sequence": event.sequence,
        "observe_time": _json_time(event.observe_time),
        "stale": event.stale,
        "instance": instance_json(event.state),
        "progress": [progress_json(p) for p in event.progress],
    }


def dump_json(data: object, out: IO[str], *, compact: bool = False) -> None:
    """Writes ``data`` as JSON and a newline."""
    if compact:
        out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def instance_lines(state: InstanceState) -> list[str]:
    """``mcgw get`` output: aligned key/value lines, then one line per task."""
    pairs = [
        ("id", state.id),
        ("project", state.project),
        ("status", state.status.value if state.status else "-"),
        ("successful", {True: "yes", False: "no", None: "-"}[successful_json(state)]),
        ("owner", state.owner or "-"),
        ("start_time", format_time(state.start_time)),
        ("end_time", format_time(state.end_time)),
        ("priority", "-" if state.priority is None else str(state.priority)),
    ]
    if state.failure_message:
        pairs.append(("failure", state.failure_message))
    lines = [f"{key + ':':<12}{value}" for key, value in pairs]
    if state.tasks:
        lines.append("tasks:")
        rows = [[t.name, t.type, t.status.value if t.status else "-"] for t in state.tasks]
        lines.extend("  " + line for line in plain_table(None, rows))
    return lines


def stage_summary(stage: StageProgress) -> str:
    """PyODPS's per-stage notation: ``M1_Stg1_job0:running/terminated/total[pct%]``."""
    return (
        f"{stage.name}:{stage.running_workers}/{stage.terminated_workers}/"
        f"{stage.total_workers}[{stage.finished_percentage}%]"
    )


def watch_event_line(event: WatchEvent) -> str:
    """One plain line per watch event: type, state (the API's names), then each task's stages."""
    status = event.state.status.proto_name if event.state.status else "-"
    parts = [f"{(event.type.proto_name if event.type else '?'):<19}", status]
    for progress in event.progress:
        if progress.stages:
            parts.append(
                f"{progress.task_name} " + " ".join(stage_summary(s) for s in progress.stages)
            )
    if event.stale:
        parts.append("(stale)")
    return " ".join(parts).rstrip()


def plain_table(headers: Sequence[str] | None, rows: Iterable[Sequence[str]]) -> list[str]:
    """Left-aligned columns separated by two spaces, without trailing blanks."""
    all_rows = [list(headers)] if headers is not None else []
    all_rows.extend([str(c) for c in row] for row in rows)
    if not all_rows:
        return []
    widths = [max(len(r[i]) for r in all_rows if i < len(r)) for i in range(len(all_rows[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in all_rows
    ]


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: IO[str],
    *,
    terminal: bool,
    wide: bool = False,
) -> None:
    """A table: rich (boxes, colours) on a terminal, :func:`plain_table` otherwise.

    Nothing is ever cut: on a terminal the table takes the terminal's width and a value too
    long for its column wraps onto more lines; ``wide`` (and any pipe or file) gives one line per
    row, however long.
    """
    if not terminal or wide:
        for line in plain_table(headers, rows):
            out.write(line + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers, show_lines=False)
    for column in table.columns:
        column.overflow = "fold"
    for row in rows:
        table.add_row(*row)
    Console(file=out).print(table)


def parse_csv(content: str) -> tuple[list[str], list[list[str]]]:
    """A SQL result (CSV with a header, ``\\N`` for NULL) as header and rows."""
    reader = csv.reader(io.StringIO(content))
    rows = [row for row in reader if row]
    if not rows:
        return [], []
    header, body = rows[0], rows[1:]
    return header, [["NULL" if cell == "\\N" else cell for cell in row] for row in body]


def tasks_rows(tasks: Mapping[str, Task]) -> list[list[str]]:
    """Rows of ``mcgw tasks``."""
    return [
        [
            t.name,
            t.type,
            t.status.value if t.status else "-",
            format_time(t.start_time),
            format_time(t.end_time),
        ]
        for t in tasks.values()
    ]
