"""Execution model: worker pool, Waiting/Running/Suspended, duration hints, stop, restart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from emu_helpers import SignedClient, make_odps, wait_until
from mcemulator import Emulator
from mcemulator.admin_client import AdminError
from odps import errors
from odps.models import Instance

TaskStatus = Instance.Task.TaskStatus


def _task_status(client: SignedClient, iid: str) -> str:
    doc = ET.fromstring(client.get(f"/projects/demo/instances/{iid}?taskstatus").content)
    return doc.findtext("Tasks/Task/Status") or ""


def _instance_status(client: SignedClient, iid: str) -> str:
    return (
        ET.fromstring(client.get(f"/projects/demo/instances/{iid}").content).findtext("Status")
        or ""
    )


def _progress(client: SignedClient, iid: str) -> int:
    doc = client.get(
        f"/projects/demo/instances/{iid}?instanceprogress=AnonymousSQLTask&taskname=AnonymousSQLTask"
    )
    stage = ET.fromstring(doc.content).find("Stage")
    return int(stage.findtext("FinishedPercentage") or 0) if stage is not None else -1


def test_pool_bound_keeps_tasks_waiting(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(workers=1)
    client = SignedClient(emu)
    slow = client.create_sql("select 1;", settings='{"mcemulator.duration_seconds": "30"}')
    queued = client.create_sql("select 2;", settings='{"mcemulator.duration_seconds": "0"}')
    wait_until(lambda: _task_status(client, slow) == "Running")
    assert _task_status(client, queued) == "Waiting"
    assert _instance_status(client, queued) == "Running"
    stop = "<Instance><Status>Terminated</Status></Instance>"
    client.request("PUT", f"/projects/demo/instances/{slow}", body=stop)
    wait_until(lambda: _task_status(client, queued) == "Success")
    assert _task_status(client, slow) == "Cancelled"


def test_duration_hint_and_default(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(default_duration_seconds=30)
    o = make_odps(emu)
    quick = o.run_sql("select 1", hints={"mcemulator.duration_seconds": "0.1"})
    slow = o.run_sql("select 1")
    quick.wait_for_success(interval=0.05)
    assert not slow.is_terminated()
    assert _progress(SignedClient(emu), slow.id) < 100
    slow.stop()


def test_set_statement_sets_duration(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(default_duration_seconds=30)
    client = SignedClient(emu)
    iid = client.create_sql("set mcemulator.duration_seconds=0;\nselect 3;")
    wait_until(lambda: _task_status(client, iid) == "Success")


def test_suspend_hint_reaches_suspended_then_finishes(emulator: Emulator) -> None:
    o = make_odps(emulator)
    inst = o.run_sql(
        "select count(*) from pyodps_iris",
        hints={"mcemulator.suspend_seconds": "0.5", "mcemulator.duration_seconds": "0.2"},
    )
    wait_until(lambda: o.get_instance(inst.id).status == Instance.Status.SUSPENDED)
    assert o.get_instance(inst.id).get_task_statuses()["AnonymousSQLTask"].status == (
        TaskStatus.SUSPENDED
    )
    assert inst.id in {i.id for i in o.list_instances(status="Suspended")}
    inst.wait_for_success(interval=0.05)
    assert inst.get_task_result() == '"_c0"\n150\n'


def test_admin_suspend_resume_pauses_progress(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(admin=True)
    client, admin = SignedClient(emu), emu.admin_client()
    iid = client.create_sql("select 1;", settings='{"mcemulator.duration_seconds": "1"}')
    wait_until(lambda: _task_status(client, iid) == "Running")
    assert admin.suspend("demo", iid) == {"id": iid, "status": "Suspended"}
    frozen = _progress(client, iid)
    assert _task_status(client, iid) == "Suspended"
    assert _progress(client, iid) == frozen  # the simulated clock is stopped
    with pytest.raises(AdminError) as again:
        admin.suspend("demo", iid)
    assert again.value.status == 409
    assert admin.resume("demo", iid)["status"] == "Running"
    wait_until(lambda: _task_status(client, iid) == "Success")


def test_in_process_suspend_and_stop_while_suspended(emulator: Emulator) -> None:
    o = make_odps(emulator)
    inst = o.run_sql("select 1", hints={"mcemulator.duration_seconds": "30"})
    wait_until(
        lambda: (
            o.get_instance(inst.id).get_task_statuses()["AnonymousSQLTask"].status
            == TaskStatus.RUNNING
        )
    )
    emulator.suspend(inst.id)
    assert o.get_instance(inst.id).status == Instance.Status.SUSPENDED
    o.stop_instance(inst.id)
    stopped = o.get_instance(inst.id)
    assert stopped.status == Instance.Status.TERMINATED
    assert stopped.get_task_statuses()["AnonymousSQLTask"].status == TaskStatus.CANCELLED


def test_stop_cancels_the_work(emulator: Emulator) -> None:
    o = make_odps(emulator)
    o.execute_sql("drop table if exists emu_never_created")
    inst = o.run_sql(
        "create table emu_never_created as select * from pyodps_iris",
        hints={"mcemulator.duration_seconds": "30"},
    )
    wait_until(
        lambda: (
            o.get_instance(inst.id).get_task_statuses()["AnonymousSQLTask"].status
            == TaskStatus.RUNNING
        )
    )
    inst.stop()
    with pytest.raises(errors.NoSuchTable):  # the CREATE never ran
        o.execute_sql("select * from emu_never_created")


def test_restart_terminates_unfinished_instances(tmp_path: Path) -> None:
    from mcemulator import EmulatorConfig

    config = EmulatorConfig(data_dir=tmp_path / "d", default_duration_seconds=30)
    with Emulator(config) as emu:
        client = SignedClient(emu)
        running = client.create_sql("select 1;")
        done = client.create_sql("select 2;", settings='{"mcemulator.duration_seconds": "0"}')
        wait_until(lambda: _task_status(client, done) == "Success")
    with Emulator(config) as emu:
        o = make_odps(emu)
        after = o.get_instance(running)
        assert after.status == Instance.Status.TERMINATED
        assert after.get_task_statuses()["AnonymousSQLTask"].status == TaskStatus.FAILED
        assert "emulator restarted" in after.get_task_result("AnonymousSQLTask")
        assert o.get_instance(done).get_task_result("AnonymousSQLTask") == '"_c0"\n2\n'


def test_stop_with_a_held_long_poll(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import gc
    import threading
    import time

    from mcemulator import EmulatorConfig

    emu = Emulator(EmulatorConfig(data_dir=tmp_path / "d", long_poll_seconds=30))
    emu.start()
    client = SignedClient(emu)
    iid = client.create_sql("select 1;", settings='{"mcemulator.duration_seconds": "60"}')
    before = emu.request_count("get_instance_status")
    outcome: list[object] = []

    def poll() -> None:
        try:
            outcome.append(SignedClient(emu).get(f"/projects/demo/instances/{iid}?instancestatus"))
        except requests.RequestException as exc:
            outcome.append(exc)

    waiter = threading.Thread(target=poll)
    waiter.start()
    wait_until(lambda: emu.request_count("get_instance_status") > before)
    started = time.monotonic()
    emu.stop()
    assert time.monotonic() - started < 10
    waiter.join(10)
    assert outcome  # the held request ended (answered or cut), it did not hang
    gc.collect()
    assert not [r for r in caplog.records if "destroyed but it is pending" in r.getMessage()]


def test_failing_query_runs_for_its_duration(client: SignedClient) -> None:
    iid = client.create_sql(
        "select * from no_such_table;", settings='{"mcemulator.duration_seconds": "30"}'
    )
    wait_until(lambda: _task_status(client, iid) == "Running")
    assert _instance_status(client, iid) == "Running"
    client.request(
        "PUT",
        f"/projects/demo/instances/{iid}",
        body="<Instance><Status>Terminated</Status></Instance>",
    )
    assert _task_status(client, iid) == "Cancelled"


def test_many_concurrent_instances(private_emulator: Callable[..., Emulator]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    emu = private_emulator(workers=3, default_duration_seconds=0.05)

    def submit(n: int) -> str:
        client = SignedClient(emu)
        if n % 3 == 0:
            return client.create_sql(f"create table emu_conc_{n} as select {n} as v;")
        return client.create_sql(f"select count(*) + {n} from pyodps_iris;")

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(submit, range(30)))
    client = SignedClient(emu)
    wait_until(lambda: all(_instance_status(client, i) == "Terminated" for i in ids), 60)
    assert {_task_status(client, i) for i in ids} == {"Success"}
    listed = ET.fromstring(client.get("/projects/demo/instances").content).findall("Instance")
    assert {i.findtext("Name") for i in listed} == set(ids)
