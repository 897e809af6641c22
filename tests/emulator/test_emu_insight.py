"""Summary and cost, detail and workers, worker logs: content that follows the query and the
clock, through PyODPS and the raw protocol (bad input included)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from emu_helpers import SignedClient, error_code, make_odps, wait_until
from mcemulator import Emulator
from mcemulator.workers import log_id
from odps import ODPS, errors
from odps.models import Instance

TASK = "AnonymousSQLTask"
SLOW = {"mcemulator.duration_seconds": "30"}
NOW = {"mcemulator.duration_seconds": "0"}


def _table(odps: ODPS, name: str, rows: int) -> int:
    """Create ``name`` (id bigint, label string) with ``rows`` rows; returns its size in bytes."""
    odps.execute_sql(f"drop table if exists {name}", hints=NOW)
    odps.execute_sql(f"create table {name} (id bigint, label string)", hints=NOW)
    if rows:
        odps.execute_sql(
            f"insert into {name} select range, 'row' || range::varchar from range({rows})",
            hints=NOW,
        )
    return sum(8 + len(f"row{i}") for i in range(rows))


def test_cost_input_follows_the_tables_read(odps: ODPS) -> None:
    small = _table(odps, "emu_cost_small", 10)
    large = _table(odps, "emu_cost_large", 2500)
    try:
        one = odps.execute_sql("select label from emu_cost_small", hints=NOW)
        other = odps.execute_sql("select label from emu_cost_large", hints=NOW)
        both = odps.execute_sql(
            "select a.label from emu_cost_small a join emu_cost_large b on a.id = b.id",
            hints=NOW,
        )
        assert one.get_task_cost().input_size == small
        assert other.get_task_cost().input_size == large
        assert both.get_task_cost().input_size == small + large
        # Without simulated time, one CPU unit per 1,000 records read (at least one a stage).
        assert (one.get_task_cost().cpu_cost, other.get_task_cost().cpu_cost) == (1, 3)
        summary = both.get_task_summary()
        assert {t["Table"]: t["Records"] for t in summary["Inputs"]} == {
            "demo.emu_cost_small": 10,
            "demo.emu_cost_large": 2500,
        }
        assert any("HASH_JOIN" in line for line in summary["Plan"])  # DuckDB's plan
        assert f"demo.emu_cost_large: 2500 ({large} bytes)" in summary.summary_text
    finally:
        odps.execute_sql("drop table if exists emu_cost_small", hints=NOW)
        odps.execute_sql("drop table if exists emu_cost_large", hints=NOW)


def test_summary_of_a_running_task_is_not_final_and_grows(odps: ODPS) -> None:
    inst = odps.run_sql("select name, count(*) from pyodps_iris group by name", hints=SLOW)
    try:
        wait_until(
            lambda: any(s.finished_percentage > 0 for s in inst.get_task_progress(TASK).stages)
        )
        first = inst.get_task_summary(TASK, with_finalized=True)
        assert first.finalized is False
        assert first["Stages"][0]["Status"] == "RUNNING"
        cpu = first["Cost"]["CPU"]
        wait_until(lambda: inst.get_task_summary(TASK)["Cost"]["CPU"] > cpu)
    finally:
        inst.stop()
    stopped = inst.get_task_summary(TASK, with_finalized=True)
    assert stopped.finalized is True
    assert stopped["Stages"][0]["Status"] == "CANCELLED"


def test_ddl_costs_nothing_and_has_no_workers(odps: ODPS) -> None:
    inst = odps.execute_sql("create table if not exists emu_ddl_cost (id bigint)", hints=NOW)
    try:
        cost = inst.get_task_cost()
        assert (cost.cpu_cost, cost.memory_cost, cost.input_size) == (0, 0, 0)
        assert inst.get_task_detail2()["mapReduce"]["jobs"] == []
        assert inst.get_task_workers() == []
    finally:
        odps.execute_sql("drop table if exists emu_ddl_cost", hints=NOW)


def test_workers_and_logs_follow_the_clock(odps: ODPS) -> None:
    inst = odps.run_sql("select * from pyodps_iris", hints=SLOW)
    try:
        wait_until(lambda: bool(inst.get_task_workers(TASK)))
        wait_until(lambda: inst.get_task_workers(TASK)[0].status == "Running")
        worker = inst.get_task_workers(TASK)[0]
        assert worker.id == "M1_Stg1#0_0" and worker.end_time == 0
        assert "com.aliyun.odps.worker.Stage.process" in worker.get_log("jstack")
        assert "process_records" in worker.get_log("pstack")

        def records_read() -> int:
            match = re.search(r"read (\d+) records", worker.get_log("stdout"))
            assert match is not None
            return int(match.group(1))

        before = records_read()
        wait_until(lambda: records_read() > before)  # the log grows as the stage advances
    finally:
        inst.stop()
    cancelled = inst.get_task_workers(TASK)[0]
    assert cancelled.status == "Cancelled"
    assert "cancelled: the instance was stopped" in cancelled.get_log("stderr")
    assert "no jstack to take" in cancelled.get_log("jstack")
    assert cancelled.get_log("coreinfo") == "" and cancelled.get_log("hs_err_log") == ""


def test_failing_worker_has_the_error_in_stderr(odps: ODPS) -> None:
    inst = odps.run_sql("select cast(name as bigint) from pyodps_iris")
    with pytest.raises(errors.ODPSError, match="ODPS-0121095"):
        inst.wait_for_success(interval=0.05)
    workers = inst.get_task_workers(TASK)
    assert [w.status for w in workers] == ["Failed"]
    assert "ODPS-0121095" in workers[0].get_log("stderr")
    assert inst.get_task_progress(TASK).stages[0].finished_percentage < 100


def test_each_stage_has_a_worker_per_100k_rows(odps: ODPS) -> None:
    odps.execute_sql("drop table if exists emu_wide", hints=NOW)
    odps.execute_sql("create table emu_wide as select range as id from range(250000)", hints=NOW)
    try:
        inst = odps.execute_sql("select count(*) from emu_wide", hints=NOW)
        detail = inst.get_task_detail2(TASK)
        scan = detail["mapReduce"]["jobs"][0]["tasks"][0]
        assert scan["name"] == "M1_Stg1" and len(scan["instances"]) == 3
        assert sum(w["input_records"] for w in scan["instances"]) == 250000
        assert len({w["logId"] for w in scan["instances"]}) == 3
        assert [w["id"] for w in scan["instances"]] == ["M1_Stg1#0_0", "M1_Stg1#1_0", "M1_Stg1#2_0"]
    finally:
        odps.execute_sql("drop table if exists emu_wide", hints=NOW)


def test_task_status_instance_detail_names_the_task(odps: ODPS) -> None:
    inst = odps.execute_sql("select 1", hints=NOW)
    detail = inst.get_task_detail(TASK)
    assert detail["Instance"] == {"Id": inst.id, "Status": "Terminated"}
    assert detail["Task"] == {"Name": TASK, "Type": "SQL", "Status": "Success"}
    assert detail["mapReduce"]["jobName"] == f"{inst.id}_{TASK}"


# -- bad input, through the raw protocol --------------------------------------------------


def _finished(client: SignedClient, query: str = "select 1;") -> str:
    iid = client.create_sql(query)
    wait_until(
        lambda: (
            b"<Status>Terminated</Status>" in client.get(f"/projects/demo/instances/{iid}").content
        )
    )
    return iid


def _log_id(client: SignedClient, iid: str) -> str:
    detail = client.get(f"/projects/demo/instances/{iid}?detail&taskname={TASK}").json()
    log_id: str = detail["mapReduce"]["jobs"][0]["tasks"][0]["instances"][0]["logId"]
    return log_id


def test_task_name_is_required_and_checked(client: SignedClient) -> None:
    iid = _finished(client)
    for action in ("instancesummary", "instancedetail", "detail"):
        missing = client.get(f"/projects/demo/instances/{iid}?{action}")
        assert missing.status_code == 400 and error_code(missing) == "InvalidParameter"
        unknown = client.get(f"/projects/demo/instances/{iid}?{action}&taskname=nope")
        assert unknown.status_code == 404 and error_code(unknown) == "NoSuchObject"
        assert "Task not found - nope" in unknown.text


def test_summary_answer_shape_and_finalized_header(client: SignedClient) -> None:
    iid = _finished(client, "select count(*) from pyodps_iris;")
    resp = client.get(f"/projects/demo/instances/{iid}?instancesummary&taskname={TASK}")
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.headers["x-odps-task-finalized"] == "true"
    body = resp.json()
    assert set(body["Instance"]) == {"JsonSummary", "Summary"}
    assert isinstance(body["Instance"]["JsonSummary"], str)
    assert json.loads(body["Instance"]["JsonSummary"])["Cost"]["Input"] > 0
    assert body["Instance"]["Summary"].startswith("Summary:\ninputs:\n")


def test_worker_log_bad_input(client: SignedClient) -> None:
    iid = _finished(client, "select * from pyodps_iris;")
    other = _finished(client)
    worker_log = _log_id(client, iid)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", worker_log)  # URL-safe: nothing for PyODPS to re-decode
    base = f"/projects/demo/instances/{iid}?log"
    ok = client.get(f"{base}&id={worker_log}&logtype=stdout&size=5")
    assert ok.status_code == 200 and len(ok.text) == 5
    assert ok.headers["Content-Type"].startswith("text/plain")
    whole = client.get(f"{base}&id={worker_log}").text
    assert whole == client.get(f"{base}&id={worker_log}&size=0").text
    assert whole.endswith(ok.text)
    cases = {
        f"{base}": ("InvalidParameter", 400),
        f"{base}&id=": ("InvalidParameter", 400),
        f"{base}&id={worker_log}&logtype=syslog": ("InvalidParameter", 400),
        f"{base}&id={worker_log}&size=-1": ("InvalidParameter", 400),
        f"{base}&id={worker_log}&size=lots": ("InvalidParameter", 400),
        f"{base}&id=not-a-log-id": ("NoSuchObject", 404),
        f"{base}&id={worker_log[:-4]}": ("NoSuchObject", 404),
        f"/projects/demo/instances/{other}?log&id={worker_log}": ("NoSuchObject", 404),
    }
    for target, (code, status) in cases.items():
        resp = client.get(target)
        assert (resp.status_code, error_code(resp)) == (status, code), target


def test_worker_log_of_a_worker_the_stage_lacks(odps: ODPS, client: SignedClient) -> None:
    iid = _finished(client, "select * from pyodps_iris;")
    for forged in (
        log_id(iid, TASK, "M1_Stg1_job0", 1),  # the scan has one worker
        log_id(iid, TASK, "R9_1_job0", 0),
        log_id(iid, "OtherTask", "M1_Stg1_job0", 0),
    ):
        with pytest.raises(errors.NoSuchObject):
            odps.get_instance(iid).get_worker_log(forged, "stdout")


def test_detail_before_the_task_starts(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(workers=1)
    o = make_odps(emu)
    blocker = o.run_sql("select 1", hints=SLOW)
    waiting = o.run_sql("select 2", hints=SLOW)
    try:
        wait_until(
            lambda: blocker.get_task_statuses()[TASK].status == Instance.Task.TaskStatus.RUNNING
        )
        assert waiting.get_task_statuses()[TASK].status == Instance.Task.TaskStatus.WAITING
        assert waiting.get_task_detail2(TASK)["mapReduce"]["jobs"] == []
        summary = waiting.get_task_summary(TASK, with_finalized=True)
        assert summary.finalized is False
        assert summary["Cost"] == {"CPU": 0, "Memory": 0, "Input": 0}
    finally:
        waiting.stop()
        blocker.stop()


def test_summary_workers_and_logs_survive_a_restart(
    private_emulator: Callable[..., Emulator], tmp_path: Path
) -> None:
    first = private_emulator(data_dir=tmp_path / "data", default_duration_seconds=0.0)
    inst = make_odps(first).execute_sql("select name, count(*) from pyodps_iris group by name")
    summary = inst.get_task_summary(TASK)
    workers = [(w.log_id, w.get_log("stdout")) for w in inst.get_task_workers(TASK)]
    first.stop()
    second = private_emulator(data_dir=tmp_path / "data")
    again = make_odps(second).get_instance(inst.id)
    assert dict(again.get_task_summary(TASK)) == dict(summary)
    assert again.get_task_summary(TASK).summary_text == summary.summary_text
    assert [(w.log_id, w.get_log("stdout")) for w in again.get_task_workers(TASK)] == workers
