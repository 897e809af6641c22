"""The raw REST protocol: flags, headers, documents, status codes, side requests, long-poll."""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import requests
from emu_helpers import SignedClient, error_code, make_odps, wait_until
from mcemulator import Emulator

SLOW = '{"mcemulator.duration_seconds": "30"}'


def _status(resp: requests.Response) -> str:
    return ET.fromstring(resp.content).findtext("Status") or ""


def test_create_answers_201_location_and_empty_body(client: SignedClient) -> None:
    body = (
        "<Instance><Job><Priority>3</Priority><Tasks><SQL><Name>t1</Name>"
        "<Query>select 1;</Query></SQL></Tasks></Job></Instance>"
    )
    resp = client.request("POST", "/projects/demo/instances?curr_project=demo", body=body)
    assert resp.status_code == 201 and resp.content == b""
    location = resp.headers["Location"]
    assert location.startswith(f"http://127.0.0.1:{client.emu.port}/api/projects/demo/instances/")
    instance_id = location.rsplit("/", 1)[1]
    assert len(instance_id) == 26 and instance_id[:17].isdigit() and instance_id[17] == "g"
    assert resp.headers["x-odps-request-id"]


def test_flags_with_and_without_equals_and_unknown_params(client: SignedClient) -> None:
    iid = client.create_sql("select 1;")
    bare = client.get(f"/projects/demo/instances/{iid}?taskstatus&curr_project=demo&zz=1")
    equals = client.get(f"/projects/demo/instances/{iid}?taskstatus=&curr_project=demo")
    assert bare.status_code == equals.status_code == 200
    for resp in (bare, equals):
        task = ET.fromstring(resp.content).find("Tasks/Task")
        assert task is not None and task.get("Type") == "SQL"
        assert task.findtext("Name") == "AnonymousSQLTask"


def test_instance_headers(client: SignedClient) -> None:
    iid = client.create_sql("select 1;", settings=SLOW)
    resp = client.get(f"/projects/demo/instances/{iid}")
    assert _status(resp) == "Running"
    assert resp.headers["x-odps-owner"] == f"ALIYUN${client.access_id}"
    parsedate_to_datetime(resp.headers["x-odps-start-time"])
    # Empty while running, as the service sends it: the Java SDK's Instance.reload() parses the
    # header unconditionally (a missing one is a NullPointerException), PyODPS skips it empty.
    assert resp.headers["x-odps-end-time"] == ""
    assert client.request("PUT", f"/projects/demo/instances/{iid}", body=_STOP).status_code == 200
    ended = client.get(f"/projects/demo/instances/{iid}")
    assert _status(ended) == "Terminated"
    assert parsedate_to_datetime(ended.headers["x-odps-end-time"]) >= parsedate_to_datetime(
        ended.headers["x-odps-start-time"]
    )


_STOP = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Instance>\n  <Status>Terminated</Status>\n'
    "</Instance>\n"
)


def test_stop_errors(client: SignedClient) -> None:
    iid = client.create_sql("select 1;")
    wait_until(lambda: _status(client.get(f"/projects/demo/instances/{iid}")) == "Terminated")
    again = client.request("PUT", f"/projects/demo/instances/{iid}", body=_STOP)
    assert again.status_code == 409 and error_code(again) == "InvalidStateSetting"
    missing = client.request(
        "PUT", "/projects/demo/instances/20160519101349613gzbzufck2", body=_STOP
    )
    assert missing.status_code == 404 and error_code(missing) == "NoSuchObject"
    assert missing.headers["x-odps-request-id"] in missing.text


def test_missing_instance_for_every_sub_resource(client: SignedClient) -> None:
    for flag in (
        "",
        "?taskstatus",
        "?result",
        "?instancestatus",
        "?source",
        "?xresult",
        "?instanceprogress=t&taskname=t",
    ):
        resp = client.get(f"/projects/demo/instances/20160519101349613gzbzufck2{flag}")
        assert resp.status_code == 404 and error_code(resp) == "NoSuchObject", flag


def test_source_returns_the_job(client: SignedClient) -> None:
    iid = client.create_sql("select 7;")
    job = ET.fromstring(client.get(f"/projects/demo/instances/{iid}?source").content)
    assert job.tag == "Job"
    assert job.findtext("Tasks/SQL/Query") == "select 7;"


def test_multi_task_job_results_in_task_order(emulator: Emulator, client: SignedClient) -> None:
    body = (
        "<Instance><Job><Priority>9</Priority><Tasks>"
        "<SQL><Name>second</Name><Query>select 2 as b;</Query></SQL>"
        "<SQL><Name>first</Name><Query>select 1 as a;</Query></SQL>"
        "</Tasks></Job></Instance>"
    )
    resp = client.request("POST", "/projects/demo/instances", body=body)
    iid = resp.headers["Location"].rsplit("/", 1)[1]
    inst = make_odps(emulator).get_instance(iid)
    inst.wait_for_success(interval=0.05)
    assert list(inst.get_task_results().items()) == [("second", '"b"\n2\n'), ("first", '"a"\n1\n')]


def test_side_requests(client: SignedClient) -> None:
    assert client.get("/logview/host").text == f"http://127.0.0.1:{client.emu.port}"
    assert client.get("/webconsole/host").status_code == 404
    assert client.get("/tenants?curr_project=demo").json()["Tenant"]["Name"]
    assert client.request("PUT", "/projects/demo/logs", body="{}").status_code == 200
    # The instance tunnel is served on this same endpoint: discovery names host:port/api.
    tunnel = client.get("/projects/demo/tunnel?service")
    assert tunnel.status_code == 200
    assert tunnel.text == client.base.split("://", 1)[1] + "/api"
    project = ET.fromstring(client.get("/projects/demo").content)
    assert project.findtext("Name") == "demo"
    unknown = client.get("/projects/demo/volumes")
    assert unknown.status_code == 404 and error_code(unknown) == "NoSuchObject"


def test_progress_of_unknown_task_and_summary(client: SignedClient) -> None:
    iid = client.create_sql("select count(*) from pyodps_iris;")
    missing = client.get(f"/projects/demo/instances/{iid}?instanceprogress=zz&taskname=zz")
    assert missing.status_code == 404
    summary = client.get(
        f"/projects/demo/instances/{iid}?instancesummary&taskname=AnonymousSQLTask"
    )
    assert "JsonSummary" in summary.json()["Instance"]


def test_join_and_aggregate_stage_names(client: SignedClient) -> None:
    iid = client.create_sql(
        "select a.name, count(*) from pyodps_iris a join pyodps_iris b on a.name = b.name "
        "group by a.name;"
    )
    target = (
        f"/projects/demo/instances/{iid}?instanceprogress=AnonymousSQLTask"
        "&taskname=AnonymousSQLTask"
    )
    wait_until(lambda: b"<Stage" in client.get(target).content)  # stages exist once running
    doc = client.get(target)
    ids = [s.get("ID") for s in ET.fromstring(doc.content).findall("Stage")]
    assert ids == ["M1_Stg1_job0", "M2_Stg1_job0", "J3_1_2_job0", "R4_3_job0"]
    for stage in ET.fromstring(doc.content).findall("Stage"):
        for child in (
            "BackupWorkers",
            "TerminatedWorkers",
            "RunningWorkers",
            "TotalWorkers",
            "InputRecords",
            "OutputRecords",
            "FinishedPercentage",
        ):
            int(stage.findtext(child) or "x")


def test_long_poll_returns_as_soon_as_status_changes(client: SignedClient) -> None:
    iid = client.create_sql("select 1;", settings=SLOW)
    other = SignedClient(client.emu)
    result: dict[str, object] = {}
    before = client.emu.request_count("get_instance_status")

    def poll() -> None:
        resp = other.get(f"/projects/demo/instances/{iid}?instancestatus")
        result["status"], result["at"] = _status(resp), time.monotonic()

    waiter = threading.Thread(target=poll)
    waiter.start()
    wait_until(lambda: client.emu.request_count("get_instance_status") > before)
    assert "status" not in result  # held while the instance runs
    stopped_at = time.monotonic()
    client.request("PUT", f"/projects/demo/instances/{iid}", body=_STOP)
    waiter.join(10)
    assert result["status"] == "Terminated"
    assert float(result["at"]) - stopped_at < 2.0  # answered on the change, not the timeout


def test_long_poll_times_out_with_current_status(
    private_emulator: Callable[..., Emulator],
) -> None:
    emu = private_emulator(long_poll_seconds=0.2)
    client = SignedClient(emu)
    iid = client.create_sql("select 1;", settings=SLOW)
    resp = client.get(f"/projects/demo/instances/{iid}?instancestatus")
    assert _status(resp) == "Running"


def test_list_document_and_marker(client: SignedClient) -> None:
    ids = [client.create_sql(f"select {n};") for n in range(3)]
    first = ET.fromstring(
        client.get(f"/projects/demo/instances?maxitems=1&marker={ids[0]}").content
    )
    assert [i.findtext("Name") for i in first.findall("Instance")] == [ids[0]]
    assert first.findtext("Marker") == ids[1]
    assert first.findtext("MaxItems") == "1"
    bad = client.get("/projects/demo/instances?maxitems=-1")
    assert bad.status_code == 400 and error_code(bad) == "InvalidParameter"
    bad_marker = client.get("/projects/demo/instances?marker=nope")
    assert bad_marker.status_code == 400


def test_list_daterange_and_status(client: SignedClient) -> None:
    iid = client.create_sql("select 1;")
    now = int(time.time())
    in_range = client.get(f"/projects/demo/instances?daterange={now - 60}%3A{now + 60}")
    assert iid in in_range.text
    future = client.get(f"/projects/demo/instances?daterange={now + 60}%3A")
    assert ET.fromstring(future.content).findall("Instance") == []
    assert client.get("/projects/demo/instances?status=bogus").status_code == 400


def test_wrong_methods(client: SignedClient) -> None:
    iid = client.create_sql("select 1;")
    for method, target in (
        ("DELETE", "/projects/demo/instances"),
        ("POST", f"/projects/demo/instances/{iid}"),
        ("DELETE", f"/projects/demo/instances/{iid}"),
        ("GET", "/projects/demo/authorization?sign_bearer_token"),
        ("PUT", "/tenants"),
    ):
        resp = client.request(method, target)
        assert resp.status_code == 405 and error_code(resp) == "MethodNotAllowed", target
    head = client.request("HEAD", f"/projects/demo/instances/{iid}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["x-odps-start-time"]


def test_list_onlyowner(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(accounts={"alice": ("a-key", {"demo"}), "bob": ("b-key", {"demo"})})
    alice, bob = SignedClient(emu, "alice", "a-key"), SignedClient(emu, "bob", "b-key")
    mine, theirs = alice.create_sql("select 1;"), bob.create_sql("select 2;")

    def names(client: SignedClient, query: str) -> set[str]:
        doc = ET.fromstring(client.get(f"/projects/demo/instances?{query}").content)
        return {i.findtext("Name") or "" for i in doc.findall("Instance")}

    assert names(alice, "onlyowner=yes") == {mine}
    assert names(bob, "onlyowner=yes") == {theirs}
    assert names(alice, "onlyowner=no") == {mine, theirs}
    owners = {
        i.findtext("Owner")
        for i in ET.fromstring(alice.get("/projects/demo/instances").content).findall("Instance")
    }
    assert owners == {"ALIYUN$alice", "ALIYUN$bob"}
