"""Conformance: the unmodified PyODPS SDK against the emulator, for every instance operation
of the PyODPS instance documentation."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

import pytest
from emu_helpers import make_odps, wait_until
from mcemulator import Emulator
from odps import ODPS, errors
from odps.models import Instance

IRIS_FIRST = (
    '"sepallength","sepalwidth","petallength","petalwidth","name"\n5.1,3.5,1.4,0.2,"Iris-setosa"\n'
)
SLOW = {"mcemulator.duration_seconds": "30"}


def test_run_sql_select_returns_csv_header_and_row(odps: ODPS) -> None:
    inst = odps.run_sql("select * from pyodps_iris limit 1")
    inst.wait_for_success()
    assert inst.get_task_names() == ["AnonymousSQLTask"]
    assert inst.get_task_result("AnonymousSQLTask") == IRIS_FIRST
    assert inst.get_task_result() == IRIS_FIRST  # resolves the single task via ?source


def test_execute_sql_and_task_results_ordered(odps: ODPS) -> None:
    inst = odps.execute_sql("select * from pyodps_iris limit 1")
    assert inst.is_terminated()
    assert inst.is_successful()
    results = inst.get_task_results()
    assert list(results.items()) == [("AnonymousSQLTask", IRIS_FIRST)]


def test_status_and_status_value(odps: ODPS) -> None:
    inst = odps.run_sql("select count(*) from pyodps_iris", hints=SLOW)
    fresh = odps.get_instance(inst.id)
    assert fresh.status == Instance.Status.RUNNING
    assert fresh.status.value == "Running"
    assert not fresh.is_terminated()
    assert not fresh.is_successful()
    odps.stop_instance(inst.id)
    done = odps.get_instance(inst.id)
    assert done.status == Instance.Status.TERMINATED
    assert done.status.value == "Terminated"


def test_exist_instance(odps: ODPS) -> None:
    inst = odps.execute_sql("select 1")
    assert odps.exist_instance(inst.id)
    assert not odps.exist_instance("20160519101349613gzbzufck2")


def test_get_instance_owner_and_times(odps: ODPS, emulator: Emulator) -> None:
    inst = odps.execute_sql("select 1")
    fresh = odps.get_instance(inst.id)
    fresh.reload()
    assert fresh.owner == f"ALIYUN${emulator.access_id}"
    assert fresh.start_time is not None and fresh.end_time is not None
    assert fresh.end_time >= fresh.start_time


def test_list_instances_status_filter_and_paging(odps: ODPS) -> None:
    created = [odps.run_sql(f"select {n}") for n in range(5)]
    running = odps.run_sql("select 42", hints=SLOW)
    for inst in created:
        inst.wait_for_success(interval=0.05)
    ids = [i.id for i in odps.list_instances()]
    assert [c.id for c in created] == [i for i in ids if i in {c.id for c in created}]
    instances = odps.get_project().instances  # list_instances() does not pass max_items on
    paged = [i.id for i in instances.iterate(max_items=2)]
    assert paged[: len(ids)] == ids  # later pages may include newer instances
    terminated = {i.id for i in instances.iterate(status="Terminated", max_items=2)}
    assert {c.id for c in created} <= terminated
    assert running.id not in terminated
    assert running.id in {i.id for i in odps.list_instances(status=Instance.Status.RUNNING)}
    mine = {i.id for i in odps.list_instances(only_owner=True)}
    assert {c.id for c in created} <= mine
    running.stop()


def test_list_instances_paging_sends_markers(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(default_duration_seconds=0.0)
    o = make_odps(emu)
    ids = [o.run_sql(f"select {n}").id for n in range(7)]
    before = emu.request_count("list_instances")
    listed = [i.id for i in o.get_project().instances.iterate(max_items=2)]
    assert listed == ids
    assert emu.request_count("list_instances") - before == 4  # 2+2+2+1 items


def test_task_progress_loop_formatted_string(odps: ODPS) -> None:
    inst = odps.run_sql(
        "select name, count(*) from pyodps_iris group by name",
        hints={"mcemulator.duration_seconds": "0.6"},
    )
    lines = []
    while not inst.is_terminated():
        for task_name in inst.get_task_names():
            lines.append(inst.get_task_progress(task_name).get_stage_progress_formatted_string())
        time.sleep(0.05)
    final = inst.get_task_progress("AnonymousSQLTask").get_stage_progress_formatted_string()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
    assert re.fullmatch(stamp + r"M1_Stg1_job0:0/1/1\[100%\]\tR2_1_job0:0/1/1\[100%\]\t", final)
    running = [line for line in lines if "M1_Stg1_job0:" in line and "[100%]" not in line]
    assert running, lines  # some poll saw the scan stage mid-way
    stage = inst.get_task_progress("AnonymousSQLTask").stages[0]
    assert stage.input_records == 150


def test_logview_address(odps: ODPS, emulator: Emulator) -> None:
    import requests

    inst = odps.run_sql("desc pyodps_iris")
    url = inst.get_logview_address()
    prefix = f"http://127.0.0.1:{emulator.port}/logview/?h={emulator.endpoint}&p=demo&i={inst.id}"
    assert url.startswith(prefix + "&token=")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and inst.id in page.text
    forged = requests.get(url[:-3] + "abc", timeout=10)
    assert forged.status_code == 403
    assert odps.get_logview_address(inst.id, 12).startswith(prefix)


def test_desc_result(odps: ODPS) -> None:
    inst = odps.execute_sql("desc pyodps_iris")
    text = inst.get_task_result("AnonymousSQLTask")
    assert re.search(r"\| sepallength\s+\| double", text)
    assert re.search(r"\| name\s+\| string", text)


def test_stop_running_instance(odps: ODPS) -> None:
    inst = odps.run_sql("select * from pyodps_iris", hints=SLOW)
    wait_until(
        lambda: (
            odps.get_instance(inst.id).get_task_statuses()["AnonymousSQLTask"].status
            == Instance.Task.TaskStatus.RUNNING
        )
    )
    odps.stop_instance(inst.id)
    fresh = odps.get_instance(inst.id)
    assert fresh.status == Instance.Status.TERMINATED
    task = fresh.get_task_statuses()["AnonymousSQLTask"]
    assert task.status == Instance.Task.TaskStatus.CANCELLED
    with pytest.raises(errors.ODPSError, match="status=CANCELLED"):
        fresh.wait_for_success()


def test_stop_terminated_instance_is_invalid_state(odps: ODPS) -> None:
    inst = odps.execute_sql("select 1")
    with pytest.raises(errors.InvalidStateSetting):
        odps.stop_instance(inst.id)
    with pytest.raises(errors.InvalidStateSetting):
        inst.stop()


def test_instance_stop_method(odps: ODPS) -> None:
    inst = odps.run_sql("select 1", hints=SLOW)
    odps.get_instance(inst.id).stop()
    assert odps.get_instance(inst.id).status == Instance.Status.TERMINATED


def test_stop_missing_instance(odps: ODPS) -> None:
    with pytest.raises(errors.NoSuchObject):
        odps.stop_instance("20160519101349613gzbzufck2")


def test_wait_for_completion(odps: ODPS) -> None:
    inst = odps.run_sql("select 1", hints={"mcemulator.duration_seconds": "0.3"})
    inst.wait_for_completion(interval=0.05)
    assert inst.is_terminated() and inst.is_successful()


def test_wait_for_completion_timeout(odps: ODPS) -> None:
    inst = odps.run_sql("select 1", hints=SLOW)
    with pytest.raises(errors.WaitTimeoutError):
        inst.wait_for_completion(interval=0.05, timeout=0.3, blocking=False)
    inst.stop()


def test_wait_for_success_parse_error(odps: ODPS) -> None:
    inst = odps.run_sql("selec 1 from pyodps_iris")
    with pytest.raises(errors.ParseError) as info:
        inst.wait_for_success(interval=0.05)
    assert "ODPS-0130161:[1,1] Parse exception" in str(info.value)
    assert 'syntax error at or near "selec"' in str(info.value)  # DuckDB's own text
    assert info.value.instance_id == inst.id


def test_wait_for_success_missing_table(odps: ODPS) -> None:
    inst = odps.run_sql("select * from no_such_table")
    with pytest.raises(errors.NoSuchTable) as info:
        inst.wait_for_success(interval=0.05)
    assert "ODPS-0130131" in str(info.value) and "no_such_table" in str(info.value)
    assert inst.get_task_statuses()["AnonymousSQLTask"].status == (Instance.Task.TaskStatus.FAILED)


def test_execute_sql_failure_raises(odps: ODPS) -> None:
    with pytest.raises(errors.ParseError):
        odps.execute_sql("select from from")


def test_ddl_and_dml_roundtrip(odps: ODPS) -> None:
    odps.execute_sql("drop table if exists emu_roundtrip")
    odps.execute_sql("create table emu_roundtrip (id bigint, label string) lifecycle 1")
    odps.execute_sql("insert into table emu_roundtrip values (1, 'a'), (2, null)")
    odps.execute_sql("insert into emu_roundtrip select 3, 'say \"hi\"'")
    result = odps.execute_sql("select * from emu_roundtrip order by id").get_task_result()
    assert result == '"id","label"\n1,"a"\n2,\\N\n3,"say ""hi"""\n'
    odps.execute_sql("insert overwrite table emu_roundtrip select 9, 'z'")
    assert odps.execute_sql("select count(*) from emu_roundtrip").get_task_result() == (
        '"_c0"\n1\n'
    )
    odps.execute_sql("drop table emu_roundtrip")
    with pytest.raises(errors.NoSuchTable):
        odps.execute_sql("select * from emu_roundtrip")


def test_open_reader_without_tunnel(odps: ODPS) -> None:
    inst = odps.execute_sql("select name, petalwidth from pyodps_iris limit 2")
    with inst.open_reader(tunnel=False) as reader:
        rows = [tuple(r.values) for r in reader]
    assert rows == [("Iris-setosa", "0.2"), ("Iris-setosa", "0.2")]


def test_run_xflow_sub_instances_with_logview(odps: ODPS) -> None:
    inst = odps.run_xflow(
        "AppendID",
        "algo_public",
        {
            "inputTableName": "pyodps_iris",
            "outputTableName": "emu_iris_appendid",
            "selectedColNames": "sepallength,name",
            "IDColName": "append_id",
        },
    )
    inst.wait_for_success(interval=0.05)
    subs = odps.get_xflow_sub_instances(inst)
    assert list(subs) == ["appendid_1", "appendid_2"]
    for sub in subs.values():
        assert sub.id != inst.id
        assert sub.is_successful()
        assert sub.get_task_names() == ["AnonymousSQLTask"]
        assert f"&i={sub.id}&token=" in sub.get_logview_address()
    counted = subs["appendid_1"].get_task_result("AnonymousSQLTask")
    assert counted == '"_c0"\n150\n'
    head = odps.execute_sql("select * from emu_iris_appendid order by append_id limit 1")
    assert head.get_task_result() == '"sepallength","name","append_id"\n5.1,"Iris-setosa",0\n'
    odps.execute_sql("drop table emu_iris_appendid")


def test_xflow_failure_propagates(odps: ODPS) -> None:
    inst = odps.run_xflow("AppendID", "algo_public", {"inputTableName": "no_such_input"})
    with pytest.raises(errors.NoSuchTable):
        inst.wait_for_success(interval=0.05)


def test_iter_xflow_sub_instances_while_running(odps: ODPS) -> None:
    inst = odps.run_xflow(
        "AppendID",
        "algo_public",
        {"inputTableName": "pyodps_iris"},
        hints={"mcemulator.duration_seconds": "0.3"},
    )
    seen = list(odps.get_project().xflows.iter_xflow_sub_instances(inst, interval=0.05))
    assert [name for name, _ in seen] == ["appendid_1"]
    assert inst.is_successful()
    assert seen[0][1].get_task_result("AnonymousSQLTask") == '"_c0"\n150\n'


# -- beyond the seed: summary and cost, detail and workers, logs, queue, source, cost estimates


def test_task_summary_and_cost(odps: ODPS) -> None:
    inst = odps.execute_sql("select name, count(*) from pyodps_iris group by name")
    summary = inst.get_task_summary("AnonymousSQLTask")
    assert set(summary["Cost"]) == {"CPU", "Memory", "Input"}
    assert "demo.pyodps_iris: 150 (" in summary.summary_text
    assert json.loads(summary.json_summary) == dict(summary)
    cost = inst.get_task_cost()
    assert (cost.cpu_cost, cost.memory_cost, cost.input_size) == (
        summary["Cost"]["CPU"],
        summary["Cost"]["Memory"],
        summary["Cost"]["Input"],
    )
    assert cost.cpu_cost > 0 and cost.memory_cost > 0 and cost.input_size > 0
    assert inst.get_task_summary(with_finalized=True).finalized is True


def test_task_detail_workers_and_worker_logs(odps: ODPS) -> None:
    inst = odps.execute_sql("select name, count(*) from pyodps_iris group by name")
    detail = inst.get_task_detail("AnonymousSQLTask")
    assert detail == inst.get_task_detail2("AnonymousSQLTask")
    stages = [s.name for s in inst.get_task_progress().stages]
    workers = inst.get_task_workers()
    assert [w.type for w in workers] == [s.removesuffix("_job0") for s in stages]
    for worker in workers:
        assert worker.log_id and worker.status == "Terminated"
        assert worker.start_time <= worker.end_time
        stdout = worker.get_log("stdout")
        assert f"{worker.id} started: stage {worker.type}_job0" in stdout
        assert f"{worker.id} finished: Terminated" in stdout
        assert inst.get_worker_log(worker.log_id, "stdout", size=10) == stdout[-10:]
        assert worker.get_log("stderr") == ""
    with pytest.raises(errors.NoSuchObject):
        inst.get_worker_log("no-such-log", "stdout")


def test_queueing_info_while_running_and_after(odps: ODPS, emulator: Emulator) -> None:
    inst = odps.run_sql("select 1", hints=SLOW)
    try:
        info = inst.get_queueing_info()
        # What PyODPS's own live test expects of the service.
        assert info.instance is inst and info.instance_id == inst.id
        assert info.priority == 9 and info.project == "demo"
        assert info.job_name is not None and info.skynet_id is not None
        assert info.user_account == f"ALIYUN${emulator.access_id}"
        assert info.start_time is not None and info.task_name == "AnonymousSQLTask"
        assert info.status == Instance.InstanceQueueingInfo.Status.RUNNING
        assert info.sub_status_history[0]["code"] == "Submitted"
        listed = {i.instance_id: i for i in odps.list_instance_queueing_infos()}
        assert listed[inst.id].instance.id == inst.id
    finally:
        inst.stop()
    assert inst.get_queueing_info().instance_id is None  # {}: no longer queued
    assert inst.id not in {i.instance_id for i in odps.list_instance_queueing_infos()}


def test_source_priority_and_sql_query(odps: ODPS) -> None:
    inst = odps.run_sql("select 5", priority=2, running_cluster="emu_cluster")
    inst.wait_for_success(interval=0.05)
    assert inst.priority == 2
    assert inst.get_sql_query() == "select 5;"
    assert [t.name for t in inst.get_tasks()] == ["AnonymousSQLTask"]
    assert inst._get_job().running_cluster == "emu_cluster"


def test_execute_sql_cost(odps: ODPS) -> None:
    cost = odps.execute_sql_cost("select * from pyodps_iris")
    # What PyODPS's own live test expects of the service.
    assert isinstance(cost, Instance.SQLCost)
    assert cost.udf_num == 0 and cost.complexity == 1.0 and cost.input_size >= 100
