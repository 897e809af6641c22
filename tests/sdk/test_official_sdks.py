"""The official Java and Go SDKs as oracles of the emulator, beside PyODPS.

Each SDK's oracle program (tests/sdk/java, tests/sdk/go) runs a scenario through the SDK's own
API and reports what the SDK made of the emulator's answers; the checks below hold those
reports to what the service does and, where PyODPS has the same call, to what PyODPS reads
from the same instance. Where an SDK disagrees with the emulator, the emulator is wrong.

Scenarios per SDK (emulator/README.md lists the SDK methods each suite covers):
the seed's operations (run SQL, wait, result, status, task names and statuses, list with a
status filter, exists, progress of a running task, stop, stop of a terminated instance,
logview, failed SQL) and the calls beyond it each SDK has (summary and cost, detail and
workers, worker logs, queueing info, job source and submit options, SQL cost estimates).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any

import pytest
import requests
from mcemulator import Emulator
from mcemulator.warehouse import IRIS_CSV
from odps import ODPS

from .oracles import SuiteRun

TASK = "AnonymousSQLTask"
IRIS_FIRST = (
    '"sepallength","sepalwidth","petallength","petalwidth","name"\n5.1,3.5,1.4,0.2,"Iris-setosa"\n'
)
STOPPED = "Task cancelled - the instance was stopped before this task ended"


def iris_bytes() -> int:
    """Size of pyodps_iris as the service counts input: 4 doubles a row plus the names' bytes."""
    with IRIS_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    return sum(4 * 8 + len(row[4].encode()) for row in rows if row)


Check = Callable[[str, dict[str, Any], Emulator, ODPS], None]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register the checks of scenario ``name``."""

    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


# -- the seed's operations -----------------------------------------------------------------


@check("run_sql")
def _run_sql(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    assert data["result"] == IRIS_FIRST
    assert data["status"] == "Terminated"
    assert data["tasks"] == {TASK: {"status": "SUCCESS", "type": "SQL"}}
    assert data["owner"] == f"ALIYUN${emu.access_id}"
    assert data["start_time"] is not None and data["end_time"] >= data["start_time"]
    if sdk == "java":
        assert data["raw_result"] == IRIS_FIRST
        assert data["successful"] is True
        assert data["task_names"] == [TASK]
        assert data["records"] == ["Iris-setosa"]  # SQLTask.getResult parsed the CSV
        assert data["direct_result"] == '"n"\n7\n'
    else:
        assert data["first_row"] == ["5.1", "3.5", "1.4", "0.2", "Iris-setosa"]
    assert o.get_instance(data["id"]).get_task_result(TASK) == data["result"]


@check("progress_and_stop")
def _progress_and_stop(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    # The Java SDK parses x-odps-end-time on every reload: it must be there, empty, while
    # the instance runs.
    assert data["status_running"] == "Running"
    assert data["end_time_running"] is None
    assert data["task_running"] == "RUNNING"
    stages = data["stages"]
    assert [s["name"] for s in stages] == ["M1_Stg1_job0", "R2_1_job0"]
    for stage in stages:
        assert int(stage["total"]) == 1 and int(stage["backups"]) == 0
        assert int(stage["running"]) + int(stage["terminated"]) <= 1
        assert 0 <= int(stage["percentage"]) < 100
    assert stages[0]["status"] == "RUNNING"
    if sdk == "java":
        assert data["terminated_running"] is False
        assert "M1_Stg1_job0:1/0/1[" in data["formatted"]
    assert data["status_stopped"] == "Terminated"
    assert data["task_stopped"] == "CANCELLED"
    assert data["end_time_stopped"] is not None
    if sdk == "java":
        assert data["wait_error"]["message"] == f"{TASK}, Status=CANCELLED"
    else:  # the Go SDK's error is the cancelled task's result text
        assert data["wait_error"]["message"] == STOPPED


@check("stop_terminated")
def _stop_terminated(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    assert data["error"]["code"] == "InvalidStateSetting"
    assert data["error"]["status"] == 409
    assert data["missing_error"]["code"] == "NoSuchObject"
    assert data["missing_error"]["status"] == 404


@check("list_status_filter")
def _list_status_filter(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    done, running = data["done"], data["running"]
    assert running in data["listed_running"] and done not in data["listed_running"]
    assert done in data["listed_terminated"] and running not in data["listed_terminated"]
    assert {done, running} <= set(data["listed_all"])
    assert data["listed_all"].index(done) < data["listed_all"].index(running)  # oldest first


@check("exists")
def _exists(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    assert data["existing"] is True
    assert data["missing"] is False
    if sdk == "go":
        assert data["missing_error"]["code"] == "NoSuchObject"


@check("logview")
def _logview(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    url = data["url"]
    assert url.startswith(f"http://127.0.0.1:{emu.port}/logview")
    assert data["id"] in url and "token=" in url
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and data["id"] in page.text


@check("failed_sql")
def _failed_sql(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    assert data["error"]["message"].startswith("ODPS-0130161:[1,1] Parse exception")
    assert data["result"] == data["error"]["message"]
    assert data["tasks"] == {TASK: {"status": "FAILED", "type": "SQL"}}
    if sdk == "java":
        assert data["successful"] is False


# -- the calls beyond the seed -------------------------------------------------------------


@check("summary_and_cost")
def _summary_and_cost(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    summary = json.loads(data["json"])
    cost = summary["Cost"]
    assert cost["Input"] == iris_bytes()
    assert all(isinstance(cost[k], int) and cost[k] > 0 for k in ("CPU", "Memory", "Input"))
    assert summary["Inputs"] == [
        {"Table": "demo.pyodps_iris", "Records": 150, "Bytes": iris_bytes()}
    ]
    assert [s["Name"] for s in summary["Stages"]] == ["M1_Stg1_job0", "R2_1_job0"]
    assert summary["Stages"][-1]["OutputRecords"] == 3  # three species
    assert any("SEQ_SCAN demo.pyodps_iris" in line for line in summary["Plan"])
    assert f"demo.pyodps_iris: 150 ({iris_bytes()} bytes)" in data["text"]
    assert data["unknown_task_error"]["code"] == "NoSuchObject"
    if sdk == "java":  # getTaskCost and the summary map agree with the JSON
        assert data["cost"] == {
            "cpu": cost["CPU"],
            "memory": cost["Memory"],
            "input": cost["Input"],
        }
        assert data["summary_cost"] == cost
    inst = o.get_instance(data["id"])
    pyodps_cost = inst.get_task_cost(TASK)
    assert (pyodps_cost.cpu_cost, pyodps_cost.memory_cost, pyodps_cost.input_size) == (
        cost["CPU"],
        cost["Memory"],
        cost["Input"],
    )
    final = inst.get_task_summary(TASK, with_finalized=True)
    assert final.finalized is True and final.summary_text == data["text"]


def _workers(detail: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Workers by stage id, walked the way PyODPS's get_task_workers does."""
    out: dict[str, list[dict[str, Any]]] = {}
    for job in detail["mapReduce"]["jobs"]:
        for task in job["tasks"]:
            out[task["stage"]] = task["instances"]
    return out


@check("detail_and_workers")
def _detail_and_workers(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    detail = json.loads(data["detail"])
    stages = ["M1_Stg1_job0", "M2_Stg1_job0", "J3_1_2_job0", "R4_3_job0"]
    assert data["stages"] == stages
    workers = _workers(detail)
    assert list(workers) == stages
    for stage, listed in workers.items():
        assert listed, f"stage {stage} has no worker"
        for worker in listed:
            assert worker["logId"] and worker["status"] == "Terminated"
            assert worker["id"].startswith(stage.removesuffix("_job0") + "#")
    if sdk == "java":
        assert json.loads(data["detail2"]) == detail  # ?detail and ?instancedetail agree
    pyodps_workers = o.get_instance(data["id"]).get_task_workers(TASK)
    assert sorted(w.log_id for w in pyodps_workers) == sorted(
        w["logId"] for listed in workers.values() for w in listed
    )


@check("worker_log")
def _worker_log(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    stdout = data["stdout"]
    assert "M1_Stg1#0_0 started: stage M1_Stg1_job0" in stdout
    assert "input demo.pyodps_iris: 150 records" in stdout
    assert "read 150 records" in stdout and "finished: Terminated" in stdout
    assert data["stderr"] == ""
    assert data["tail"] == stdout[-20:]
    assert data["waterfall"].startswith("phase\t")
    assert data["foreign_error"]["code"] == "NoSuchObject"
    assert data["foreign_error"]["status"] == 404
    inst = o.get_instance(data["id"])
    assert inst.get_worker_log(data["log_id"], "stdout") == stdout


def _queue_view(sdk: str, info: dict[str, Any]) -> dict[str, Any]:
    """(id, priority, status, position, queue length) of a queueing info as each SDK gives it:
    Java's InstanceQueueingInfo getters, Go's raw JSON."""
    if sdk == "java":
        status = info["status"]
        return {
            "id": info["id"],
            "priority": info["priority"],
            "status": status.capitalize() if status else None,
            "pos": info["wait_pos"],
            "length": info["queue_length"],
        }
    return {
        "id": info.get("instanceId"),
        "priority": info.get("instancePriority"),
        "status": info.get("status"),
        "pos": info.get("waitPos"),
        "length": info.get("queueLength"),
    }


@check("queueing")
def _queueing(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    low, mid, high = data["ids"]
    before = {k: _queue_view(sdk, v) for k, v in data["before"].items()}
    # Higher priority (a lower number) waits ahead, whatever the submission order.
    assert before == {
        "low": {"id": low, "priority": 7, "status": "Running", "pos": 3, "length": 3},
        "mid": {"id": mid, "priority": 5, "status": "Running", "pos": 2, "length": 3},
        "high": {"id": high, "priority": 1, "status": "Running", "pos": 1, "length": 3},
    }
    blocker = _queue_view(sdk, data["blocker"])
    assert blocker["pos"] == 0 and blocker["priority"] == 9 and blocker["length"] == 3
    listed = {v["id"]: v["pos"] for v in (_queue_view(sdk, i) for i in data["listed"])}
    assert {listed[low], listed[mid], listed[high]} == {3, 2, 1}
    assert blocker["id"] in listed and listed[blocker["id"]] == 0
    # A slot freed: the head of the queue runs, the others move up.
    after = {k: _queue_view(sdk, v) for k, v in data["after"].items()}
    assert (after["high"]["pos"], after["mid"]["pos"], after["low"]["pos"]) == (0, 1, 2)
    assert all(v["length"] == 2 for v in after.values())
    terminated = _queue_view(sdk, data["terminated"])
    assert terminated["id"] is None and terminated["status"] is None  # {}: not queued any more
    if sdk == "java":
        assert data["priorities"] == [7, 5, 1]  # ?source
        assert data["low_task_before"] == "WAITING"
        history = data["before"]["high"]["history"]
        assert [h["code"] for h in history] == ["Submitted", "Waiting"]
    assert o.get_instance(high).priority == 1


@check("submit_options")
def _submit_options(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    assert data["result"] == '"answer"\n42\n'
    assert data["priority_10_error"]["code"] == "InvalidParameter"
    job = o.get_instance(data["id"])._get_job()  # ?source, as PyODPS reads it
    assert job.priority == 3 and job.name == "oracle_job"
    assert [t.name for t in job.tasks] == ["OracleTask"]
    if sdk == "java":
        assert data["priority"] == 3 and data["job_name"] == "oracle_job"
        assert data["tasks"] == [
            {"name": "OracleTask", "class": "SQLTask", "query": "select 42 as answer;"}
        ]
        assert job.running_cluster == "emulator_cluster"
    else:
        assert job.unique_identifier_id == "oracle-guid-1"


@check("sql_cost")
def _sql_cost(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    simple, joined = data["costs"]
    for entry in (simple, joined):
        assert entry["tasks"] == {"AnonymousSQLCostTask": {"status": "SUCCESS", "type": "SQLCost"}}
    assert json.loads(simple["result"]) == {
        "Cost": {"SQL": {"Input": iris_bytes(), "UDF": 0, "Complexity": 1.0}}
    }
    # join + group by + order by + the implied insert: four keywords, complexity 1.5
    assert json.loads(joined["result"])["Cost"]["SQL"]["Complexity"] == 1.5
    if sdk == "java":
        assert f"Input:{iris_bytes()} Bytes" in simple["parsed"]
    estimate = o.execute_sql_cost("select * from pyodps_iris")
    assert (estimate.input_size, estimate.udf_num, estimate.complexity) == (iris_bytes(), 0, 1.0)


@check("instance_tunnel")
def _instance_tunnel(sdk: str, data: dict[str, Any], emu: Emulator, o: ODPS) -> None:
    # odps-sdk-core's InstanceTunnel: discovery, download sessions, ranged and projected
    # reads of the record format (deflate-compressed too), the limited session, errors.
    assert data["types"] == [
        "big:bigint",
        "dbl:double",
        "dec:decimal(38,9)",
        "s:string",
        "bo:boolean",
        "d:date",
        "dtm:datetime",
        "ts:timestamp",
        "bin:binary",
        "i:int",
    ]
    assert data["count"] == 2
    first, nulls = data["rows"]
    assert first == [
        9007199254740993,
        0.1,
        "12345678901234567890.123456789",
        "hex:" + "héllo".encode().hex(),  # the SDK's Record.get gives a string's bytes
        True,
        "date:1969-12-31",
        "ms:1704164645678",  # 2024-01-02 03:04:05.678 UTC
        "ts:1709210096.123456789",  # 2024-02-29 12:34:56.123456789 UTC
        "hex:00ff",
        7,
    ]
    assert nulls == [None] * 10
    assert data["big_count"] == 25000 and data["read"] == 25000
    assert data["id_sum"] == sum(range(25000))
    assert data["range"] == [["hex:" + f"row{n}".encode().hex()] for n in (12000, 12001, 12002)]
    assert data["limited_count"] == 10000
    assert data["running_error"]["code"] == "InstanceNotTerminate"
    assert "not terminated" in data["running_error"]["message"]


SCENARIOS = {
    "java": [
        "run_sql",
        "progress_and_stop",
        "stop_terminated",
        "list_status_filter",
        "exists",
        "logview",
        "failed_sql",
        "summary_and_cost",
        "detail_and_workers",
        "worker_log",
        "queueing",
        "submit_options",
        "sql_cost",
        "instance_tunnel",
    ],
    # The Go SDK has no worker-log call.
    "go": [
        "run_sql",
        "progress_and_stop",
        "stop_terminated",
        "list_status_filter",
        "exists",
        "logview",
        "failed_sql",
        "summary_and_cost",
        "detail_and_workers",
        "queueing",
        "submit_options",
        "sql_cost",
    ],
}


@pytest.mark.parametrize(
    ("sdk", "scenario"),
    [(sdk, name) for sdk, names in SCENARIOS.items() for name in names],
)
def test_official_sdk(
    sdk: str,
    scenario: str,
    request: pytest.FixtureRequest,
    sdk_emulator: Emulator,
    pyodps: ODPS,
) -> None:
    run: SuiteRun = request.getfixturevalue(f"{sdk}_run")
    outcome = run.outcome(scenario)
    assert outcome.ok, f"the {sdk} SDK failed {scenario}:\n{outcome.error}"
    CHECKS[scenario](sdk, outcome.data, sdk_emulator, pyodps)


def test_every_scenario_is_checked() -> None:
    assert set(CHECKS) == {name for names in SCENARIOS.values() for name in names}
