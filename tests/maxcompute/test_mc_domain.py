"""Domain model: derived outcome, failure text, and PyODPS's progress line (PyODPS as oracle)."""

from __future__ import annotations

from datetime import UTC, datetime

import odps.models.instance as pyodps_instance
import pytest
from mcgateway.domain import (
    Instance,
    InstanceOutcome,
    InstanceStatus,
    StageProgress,
    Task,
    TaskResult,
    TaskStatus,
    failure_message,
    format_stage_progress,
)

PROGRESS_XML = b"""<Progress>
<Stage ID="M1_job_0"><Status>TERMINATED</Status><BackupWorkers>0</BackupWorkers>
<TerminatedWorkers>1</TerminatedWorkers><RunningWorkers>0</RunningWorkers><TotalWorkers>1</TotalWorkers>
<InputRecords>3</InputRecords><OutputRecords>3</OutputRecords><FinishedPercentage>100</FinishedPercentage></Stage>
<Stage ID="R2_1_job_0"><BackupWorkers>2</BackupWorkers><TerminatedWorkers>0</TerminatedWorkers>
<RunningWorkers>1</RunningWorkers><TotalWorkers>1</TotalWorkers><FinishedPercentage>50</FinishedPercentage></Stage>
</Progress>"""


class _FrozenDatetime(datetime):
    moment = datetime(2026, 11, 26, 13, 51, 10)

    @classmethod
    def now(cls, tz: object = None) -> _FrozenDatetime:
        return cls.fromtimestamp(cls.moment.timestamp())


@pytest.mark.parametrize("xml", [PROGRESS_XML, b"<Progress/>"])
def test_progress_line_is_pyodps_byte_for_byte(xml: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    from mcgateway.maxcompute._parsing import parse_document, parse_stages

    monkeypatch.setattr(pyodps_instance, "datetime", _FrozenDatetime)
    progress = pyodps_instance.Instance.Task.TaskProgress.parse(None, xml.decode())
    theirs = progress.get_stage_progress_formatted_string()
    at = _FrozenDatetime.moment.astimezone()  # the same wall-clock moment, made aware
    ours = format_stage_progress(parse_stages(parse_document(xml)), at)
    assert ours == theirs


def test_progress_line_format() -> None:
    stage = StageProgress("M1", None, 2, 1, 0, 1, None, None, 50)
    at = datetime(2026, 11, 26, 13, 51, 10, tzinfo=UTC)
    line = format_stage_progress([stage, stage], at)
    local = at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert line == f"{local} M1:1/0/1(+2 backups)[50%]\tM1:1/0/1(+2 backups)[50%]\t"
    assert format_stage_progress([], at) == f"{local} "


def _instance(status: InstanceStatus, *tasks: TaskStatus) -> Instance:
    return Instance(
        "demo",
        "i1",
        status,
        tasks=tuple(Task(f"t{n}", "SQL", s) for n, s in enumerate(tasks)),
    )


def test_outcome_and_success() -> None:
    assert _instance(InstanceStatus.RUNNING, TaskStatus.RUNNING).outcome is None
    assert not _instance(InstanceStatus.RUNNING).successful
    ok = _instance(InstanceStatus.TERMINATED, TaskStatus.SUCCESS, TaskStatus.SUCCESS)
    assert ok.successful and ok.outcome is InstanceOutcome.SUCCEEDED
    empty = _instance(InstanceStatus.TERMINATED)
    assert empty.successful and empty.outcome is InstanceOutcome.SUCCEEDED  # as PyODPS
    failed = _instance(InstanceStatus.TERMINATED, TaskStatus.CANCELLED, TaskStatus.FAILED)
    assert failed.outcome is InstanceOutcome.FAILED and not failed.successful
    cancelled = _instance(InstanceStatus.TERMINATED, TaskStatus.SUCCESS, TaskStatus.CANCELLED)
    assert cancelled.outcome is InstanceOutcome.CANCELLED
    stuck = _instance(InstanceStatus.TERMINATED, TaskStatus.RUNNING)
    assert stuck.outcome is InstanceOutcome.FAILED


def test_failure_message_as_wait_for_success() -> None:
    failed = _instance(InstanceStatus.TERMINATED, TaskStatus.SUCCESS, TaskStatus.FAILED)
    results = [TaskResult("t1", "text", "ODPS-0130161:[1,8] Parse exception")]
    assert failure_message(failed, results) == "ODPS-0130161:[1,8] Parse exception"
    cancelled = _instance(InstanceStatus.TERMINATED, TaskStatus.CANCELLED)
    assert failure_message(cancelled) == "t0, status=CANCELLED"
    assert failure_message(_instance(InstanceStatus.TERMINATED, TaskStatus.SUCCESS)) is None
    assert failure_message(_instance(InstanceStatus.RUNNING, TaskStatus.FAILED)) is None


def test_status_wire_values() -> None:
    assert InstanceStatus.from_wire("Terminated") is InstanceStatus.TERMINATED
    with pytest.raises(ValueError):
        InstanceStatus.from_wire("terminated")
    assert TaskStatus.from_wire("success") is TaskStatus.SUCCESS
    assert TaskStatus.SUCCESS.value == "Success" and TaskStatus.FAILED.is_final
    assert not TaskStatus.RUNNING.is_final
