"""Submit options in the job XML (priority, running cluster, quota, name, guid), ``?source``,
and SQL cost estimates (``SQLCost`` tasks), through PyODPS and the raw protocol."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from emu_helpers import SignedClient, error_code
from odps import ODPS, errors
from odps.models import Instance, SQLCostTask

NOW = {"mcemulator.duration_seconds": "0"}


def _job(client: SignedClient, inner: str) -> str:
    body = (
        f"<Instance><Job>{inner}<Tasks><SQL><Name>t1</Name><Query>select 1;</Query></SQL>"
        "</Tasks></Job></Instance>"
    )
    resp = client.request("POST", "/projects/demo/instances", body=body)
    assert resp.status_code == 201, resp.text
    return resp.headers["Location"].rsplit("/", 1)[1]


def test_submit_options_reach_the_source(odps: ODPS) -> None:
    inst = odps.run_sql(
        "select 1", priority=1, running_cluster="emu_cluster", quota_name="emu_quota", hints=NOW
    )
    inst.wait_for_success(interval=0.05)
    job = inst._get_job()
    assert (job.priority, job.running_cluster) == (1, "emu_cluster")
    assert '"odps.task.wlm.quota": "emu_quota"' in job.tasks[0].properties["settings"]
    assert inst.priority == 1


def test_priority_out_of_range_is_refused(odps: ODPS, client: SignedClient) -> None:
    with pytest.raises(errors.InvalidParameter, match="between 0 and 9"):
        odps.run_sql("select 1", priority=10)
    for bad in ("10", "-1", "high"):
        body = (
            f"<Instance><Job><Priority>{bad}</Priority><Tasks><SQL><Name>t</Name>"
            "<Query>select 1;</Query></SQL></Tasks></Job></Instance>"
        )
        resp = client.request("POST", "/projects/demo/instances", body=body)
        assert resp.status_code == 400 and error_code(resp) == "InvalidParameter", bad
    assert odps.run_sql("select 1", priority=0, hints=NOW).priority == 0


def test_job_without_priority_runs_and_shows_priority_9(client: SignedClient) -> None:
    """The Java SDK leaves <Priority> out when none was set: the job runs with 9, as ?source
    then says, in the service's element order."""
    iid = _job(client, "<Name>named_job</Name>")
    job = ET.fromstring(client.get(f"/projects/demo/instances/{iid}?source").content)
    assert [child.tag for child in job][:3] == ["Name", "Priority", "Tasks"]
    assert job.findtext("Priority") == "9"
    listed = ET.fromstring(client.get("/projects/demo/instances?jobname=named_job").content)
    assert iid in [i.findtext("Name") for i in listed.findall("Instance")]


def test_guid_and_running_cluster_are_kept(client: SignedClient, odps: ODPS) -> None:
    iid = _job(
        client,
        "<Priority>4</Priority><RunningCluster>AY100G</RunningCluster><Guid>g-1</Guid>",
    )
    job = odps.get_instance(iid)._get_job()
    assert (job.priority, job.running_cluster, job.unique_identifier_id) == (4, "AY100G", "g-1")
    info = client.get(f"/projects/demo/instances/{iid}?cached").json()
    assert info == {} or info["runningCluster"] == "AY100G"


# -- SQL cost estimates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "complexity"),
    [
        ("select * from pyodps_iris", 1.0),
        ("select distinct name from pyodps_iris order by name", 1.0),  # 2 + 1 implied insert
        (
            "select a.name, count(*) from pyodps_iris a join pyodps_iris b on a.name = b.name "
            "group by a.name order by a.name",
            1.5,
        ),
        (
            "select distinct a.name, row_number() over (order by a.name) from pyodps_iris a "
            "join pyodps_iris b on a.name = b.name join pyodps_iris c on a.name = c.name "
            "group by a.name order by a.name",
            2.0,  # 2 joins, group by, 2 order bys, distinct, a window, 1 = 8 keywords
        ),
    ],
)
def test_cost_complexity_follows_the_keywords(odps: ODPS, query: str, complexity: float) -> None:
    assert odps.execute_sql_cost(query).complexity == complexity


def test_cost_never_runs_the_query(odps: ODPS) -> None:
    odps.execute_sql("drop table if exists emu_cost_target", hints=NOW)
    odps.execute_sql("create table emu_cost_target (id bigint)", hints=NOW)
    try:
        cost = odps.execute_sql_cost(
            "insert into emu_cost_target select 1 from pyodps_iris; "
            "insert into emu_cost_target select 2 from pyodps_iris"
        )
        counted = odps.execute_sql("select count(*) from emu_cost_target", hints=NOW)
        assert counted.get_task_result() == '"_c0"\n0\n'  # nothing was inserted
        assert cost.complexity == 1.0 and cost.input_size > 0
        assert odps.execute_sql_cost("select * from emu_cost_target").input_size == 0
    finally:
        odps.execute_sql("drop table if exists emu_cost_target", hints=NOW)


def test_cost_counts_user_defined_functions(odps: ODPS) -> None:
    odps.execute_sql("create or replace macro emu_plus_one(x) as x + 1", hints=NOW)
    try:
        cost = odps.execute_sql_cost(
            "select emu_plus_one(sepallength), emu_plus_one(petallength), abs(sepalwidth) "
            "from pyodps_iris"
        )
        assert cost.udf_num == 1  # distinct UDFs; abs is built in
    finally:
        odps.execute_sql("drop macro if exists emu_plus_one", hints=NOW)


def test_cost_task_shape_and_failure(odps: ODPS) -> None:
    inst = odps.get_project().instances.create(
        task=SQLCostTask(query="select count(*) from pyodps_iris")
    )
    inst.wait_for_success(interval=0.05)
    status = inst.get_task_statuses()["AnonymousSQLCostTask"]
    assert status.type == "SQLCost" and status.status == Instance.Task.TaskStatus.SUCCESS
    assert inst.get_task_cost().cpu_cost == 0  # nothing ran
    with pytest.raises(errors.NoSuchTable):
        odps.execute_sql_cost("select * from emu_no_such_table")
    with pytest.raises(errors.ParseError):
        odps.execute_sql_cost("selec 1")
