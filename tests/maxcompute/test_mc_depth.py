"""The REST client's reads of an instance's depth: summary and cost, detail and workers, worker
logs, queueing information, the project queue, SQL cost estimates and submit options.

Bodies are recorded in the shapes PyODPS and the Java SDK parse (maxcompute-rest.md §5.12,
``odps/models/instance.py``, ``Instance.java``, ``Instances.java``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree

import pytest
from mc_helpers import Script, xml
from mcgateway.domain import InstanceStatus
from mcgateway.maxcompute import (
    LOG_TYPES,
    HttpResponse,
    InvalidIdentifier,
    MaxComputeClient,
    MaxComputeError,
    SyntheticCode,
)
from mcgateway.maxcompute._json_bodies import (
    MAX_JSON_DEPTH,
    extract_workers,
    parse_queueing_info,
    parse_task_detail,
    parse_task_summary,
    parse_time_text,
)
from mcgateway.maxcompute._parsing import MalformedDocument

Factory = Callable[..., MaxComputeClient]

SUMMARY_TEXT = "Summary:\ninputs:\n        demo.pyodps_iris: 150 (4096 bytes)\n"
JSON_SUMMARY = {
    "Cost": {"CPU": 200, "Memory": 4096, "Input": 4096},
    "Inputs": {"demo.pyodps_iris": [150, 4096]},
}

# A ?detail answer as PyODPS WorkerDetail2.extract_from_json reads it: objects with a "name"
# and an "instances" list of workers, nested anywhere in the document.
DETAIL2 = {
    "mapReduce": {
        "jobName": "odps_demo_job",
        "stages": [
            {
                "name": "M1",
                "instances": [
                    {
                        "id": "Odps/demo_20240101_0/M1/0",
                        "logId": "bG9nLWlkLU0xLTA=",
                        "status": "Terminated",
                        "startTime": 1704067200,
                        "endTime": 1704067260,
                        "input_bytes": 4096,
                        "input_records": 150,
                        "output_bytes": 80,
                        "output_records": 3,
                    },
                    {"id": "Odps/demo_20240101_0/M1/1", "logId": "bG9nLWlkLU0xLTE="},
                ],
            },
            {
                "name": "R2_1",
                "instances": [
                    {"id": "Odps/demo_20240101_0/R2_1/0", "logId": "r2", "startTime": 1704067260000}
                ],
            },
        ],
    }
}

QUEUEING = {
    "instanceId": "20240101000000000gabc",
    "instancePriority": 3,
    "instanceProcess": 0.25,
    "jobName": "etl",
    "projectName": "demo",
    "skynetId": "",
    "startTime": "2024-01-01 08:00:00 +0800",
    "taskType": "SQL",
    "taskName": "AnonymousSQLTask",
    "userAccount": "ALIYUN$user@example.com",
    "status": "Running",
    "subStatusHistory": [{"code": 1010, "description": "Waiting for resource"}],
    "waitPos": 2,
    "queueLength": 5,
}


def json_response(value: object, **headers: str) -> HttpResponse:
    return HttpResponse(
        200,
        {
            "Content-Type": "application/json",
            **{k.replace("_", "-"): v for k, v in headers.items()},
        },
        json.dumps(value).encode(),
    )


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


# --- summary and cost ---------------------------------------------------------------------------


def test_task_summary_reads_text_json_cost_and_finalized(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(
        json_response(
            {"Instance": {"JsonSummary": json.dumps(JSON_SUMMARY), "Summary": SUMMARY_TEXT}},
            x_odps_task_finalized="true",
        )
    )
    summary = client.get_task_summary("demo", "i1", "AnonymousSQLTask")
    assert summary.text == SUMMARY_TEXT
    assert summary.json_summary == JSON_SUMMARY
    assert summary.cost is not None
    assert (summary.cost.cpu, summary.cost.memory, summary.cost.input_bytes) == (200, 4096, 4096)
    assert summary.finalized is True
    url = script.requests[0].url
    assert url.startswith("http://mc.test/api/projects/demo/instances/i1?instancesummary&")
    assert ("taskname", "AnonymousSQLTask") in query_of(url)


def test_summary_without_cost_json_or_body_is_empty_not_an_error() -> None:
    none = parse_task_summary(b"", "t", None)
    assert (none.text, none.json_summary, none.cost, none.finalized) == ("", None, None, None)
    no_cost = parse_task_summary(
        json.dumps({"Instance": {"JsonSummary": "{}", "Summary": ""}}).encode(), "t", "false"
    )
    assert no_cost.json_summary == {} and no_cost.cost is None and no_cost.finalized is False
    # A JsonSummary that is not an object (the Java SDK tolerates it): the text stays.
    odd = parse_task_summary(
        json.dumps({"Instance": {"JsonSummary": "[1, 2]", "Summary": "text"}}).encode(), "t", None
    )
    assert odd.json_summary is None and odd.text == "text"
    assert parse_task_summary(b'{"Instance": null}', "t", None).json_summary is None


def test_summary_that_is_not_json_is_malformed(make_client: Factory, script: Script) -> None:
    client = make_client()
    page = HttpResponse(200, {"Content-Type": "text/html"}, b"<html>502 Bad Gateway</html>")
    script.add(page, page, page, page)
    with pytest.raises(MaxComputeError) as info:
        client.get_task_summary("demo", "i1", "AnonymousSQLTask")
    assert info.value.code == SyntheticCode.MALFORMED_RESPONSE
    with pytest.raises(MalformedDocument):
        parse_task_summary(b"[1]", "t", None)
    with pytest.raises(MalformedDocument):
        parse_task_summary(b'{"Instance": {"Summary": NaN}}', "t", None)


def test_cost_values_that_are_strings_or_floats_are_read() -> None:
    body = {"Instance": {"JsonSummary": json.dumps({"Cost": {"CPU": "12.0", "Memory": 3.9}})}}
    cost = parse_task_summary(json.dumps(body).encode(), "t", None).cost
    assert cost is not None and (cost.cpu, cost.memory, cost.input_bytes) == (12, 3, 0)


def test_deeply_nested_json_is_refused() -> None:
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    body = json.dumps({"Instance": {"JsonSummary": "{}", "Summary": "x"}, "deep": "x"})
    with pytest.raises(MalformedDocument):
        parse_task_summary(body.replace('"x"}', deep + "}", 1).encode(), "t", None)


# --- detail and workers -------------------------------------------------------------------------


def test_task_detail_reads_both_answers_and_finds_every_worker(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(json_response(DETAIL2), json_response({"Instance": {"Status": "Terminated"}}))
    detail = client.get_task_detail("demo", "i1", "AnonymousSQLTask")
    assert detail.detail == {"Instance": {"Status": "Terminated"}} and detail.text == ""
    assert [(w.stage, w.id, w.log_id) for w in detail.workers] == [
        ("M1", "Odps/demo_20240101_0/M1/0", "bG9nLWlkLU0xLTA="),
        ("M1", "Odps/demo_20240101_0/M1/1", "bG9nLWlkLU0xLTE="),
        ("R2_1", "Odps/demo_20240101_0/R2_1/0", "r2"),
    ]
    first = detail.workers[0]
    assert first.start_time == datetime(2024, 1, 1, tzinfo=UTC)
    assert first.end_time == datetime(2024, 1, 1, 0, 1, tzinfo=UTC)
    assert (first.input_bytes, first.input_records, first.output_bytes, first.output_records) == (
        4096,
        150,
        80,
        3,
    )
    assert first.status == "Terminated"
    assert detail.workers[1].start_time is None and detail.workers[1].input_bytes is None
    # Milliseconds are read as such.
    assert detail.workers[2].start_time == datetime(2024, 1, 1, 0, 1, tzinfo=UTC)
    assert detail.log_ids == {"bG9nLWlkLU0xLTA=", "bG9nLWlkLU0xLTE=", "r2"}
    urls = [r.url for r in script.requests]
    assert urls[0].startswith("http://mc.test/api/projects/demo/instances/i1?detail&")
    assert urls[1].startswith("http://mc.test/api/projects/demo/instances/i1?instancedetail&")
    assert all(("taskname", "AnonymousSQLTask") in query_of(u) for u in urls)


def test_an_empty_instancedetail_falls_back_to_detail_as_pyodps_does() -> None:
    detail = parse_task_detail(b"", json.dumps(DETAIL2).encode(), "t")
    assert detail.detail == DETAIL2 and len(detail.workers) == 3


def test_a_detail_that_is_not_a_json_object_is_kept_as_text() -> None:
    detail = parse_task_detail(b"plain text detail", b"not json either", "t")
    assert detail.detail is None and detail.text == "plain text detail" and detail.workers == ()
    listed = parse_task_detail(b"[1, 2]", b"", "t")
    assert listed.detail is None and listed.text == "[1, 2]"


def test_workers_are_found_in_lists_and_nested_objects_in_document_order() -> None:
    doc = [
        {"a": {"name": "S1", "instances": [{"id": "w1", "logId": "l1"}, "junk"]}},
        {"name": "S2", "instances": [{"id": "w2"}]},
        {"b": [{"c": {"name": "S3", "instances": "not a list"}}]},
    ]
    workers = extract_workers(doc)
    assert [(w.stage, w.id, w.log_id) for w in workers] == [("S1", "w1", "l1"), ("S2", "w2", None)]


# --- worker logs --------------------------------------------------------------------------------


def test_worker_log_sends_pyodps_parameters(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(HttpResponse(200, {"Content-Type": "text/plain"}, b"Start Logging\nEnd Logging\n"))
    log = client.get_worker_log(
        "demo", "i1", "bG9nLWlkLU0xLTA=", log_type="hs_err_*.log", max_bytes=1024
    )
    assert log.content == "Start Logging\nEnd Logging\n" and not log.truncated
    # One byte more than wanted: a longer answer tells the log was cut.
    assert query_of(script.requests[0].url)[:4] == [
        ("log", ""),
        ("id", "bG9nLWlkLU0xLTA="),
        ("logtype", "hs_err_*.log"),
        ("size", "1025"),
    ]


def test_worker_log_keeps_its_end_cut_on_a_character_boundary(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    body = "ab€cd".encode()  # € is three bytes: keeping the last 4 cuts through it
    script.add(HttpResponse(200, {}, body))
    log = client.get_worker_log("demo", "i1", "l1", max_bytes=4)
    assert log.content == "cd" and log.truncated
    script.add(HttpResponse(200, {}, "€cd".encode()))
    whole = client.get_worker_log("demo", "i1", "l1", max_bytes=5)
    assert whole.content == "€cd" and not whole.truncated
    script.add(HttpResponse(200, {}, b"\xff\xfeok"))
    assert client.get_worker_log("demo", "i1", "l1", max_bytes=100).content == "\ufffd\ufffdok"


def test_worker_log_arguments_are_checked_before_any_request(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    with pytest.raises(InvalidIdentifier):
        client.get_worker_log("demo", "i1", "has space", max_bytes=10)
    with pytest.raises(InvalidIdentifier):
        client.get_worker_log("demo", "i1", "x" * 1025, max_bytes=10)
    with pytest.raises(ValueError):
        client.get_worker_log("demo", "i1", "l1", log_type="core", max_bytes=10)
    with pytest.raises(ValueError):
        client.get_worker_log("demo", "i1", "l1", max_bytes=0)
    assert script.requests == []
    assert set(LOG_TYPES) == {
        "stdout",
        "stderr",
        "waterfall_summary",
        "jstack",
        "pstack",
        "hs_err_*.log",
        "coreinfo.tmp",
    }


# --- queueing information -----------------------------------------------------------------------


def test_queueing_info_reads_the_cached_json(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(json_response(QUEUEING))
    info = client.get_queueing_info("demo", "20240101000000000gabc")
    assert script.requests[0].url.startswith(
        "http://mc.test/api/projects/demo/instances/20240101000000000gabc?cached"
    )
    assert info.instance_id == "20240101000000000gabc" and info.project == "demo"
    assert info.status is InstanceStatus.RUNNING
    assert (info.priority, info.position, info.queue_length, info.progress) == (3, 2, 5, 0.25)
    assert (info.job_name, info.task_name, info.task_type) == ("etl", "AnonymousSQLTask", "SQL")
    assert info.user_account == "ALIYUN$user@example.com"
    assert info.start_time == datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
    assert info.properties["subStatusHistory"][0]["code"] == 1010


def test_no_queue_entry_is_none(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(json_response({}), HttpResponse(200, {}, b""))
    assert client.get_queueing_info("demo", "i1") is None
    assert client.get_queueing_info("demo", "i1") is None


def test_a_running_instance_has_no_position() -> None:
    info = parse_queueing_info(dict(QUEUEING, waitPos=0, queueLength=-1), "demo")
    assert info.position is None and info.queue_length is None


def test_queueing_info_tolerates_java_spelling_and_unknown_status() -> None:
    info = parse_queueing_info(
        {"instanceId": "i1", "instanceProgress": "0.5", "status": "Unknown"}, "demo"
    )
    assert info.progress == 0.5 and info.status is None and info.position is None
    assert info.priority is None and info.start_time is None and info.job_name is None
    with pytest.raises(MalformedDocument):
        parse_queueing_info({"status": "Running"}, "demo")
    with pytest.raises(MalformedDocument):
        parse_queueing_info([QUEUEING], "demo")


def test_queueing_start_times() -> None:
    assert parse_time_text("2024-01-01 08:00:00") == datetime(2024, 1, 1, 8, tzinfo=UTC)
    assert parse_time_text("2024-01-01 08:00:00.123456-0130") == datetime(
        2024, 1, 1, 9, 30, 0, 123456, tzinfo=UTC
    )
    assert parse_time_text("yesterday") is None and parse_time_text(12) is None


def test_the_project_queue_pages_like_the_java_sdk(make_client: Factory, script: Script) -> None:
    client = make_client()
    second = dict(QUEUEING, instanceId="20240101000000001gdef", waitPos=3)
    content = json.dumps([QUEUEING, second])
    body = (
        "<?xml version='1.0' encoding='UTF-8'?><Instances><Marker>m2</Marker>"
        f"<MaxItems>2</MaxItems><Content><![CDATA[{content}]]></Content></Instances>"
    )
    script.add(xml(200, body))
    page = client.list_queueing_infos(
        "demo",
        status=InstanceStatus.RUNNING,
        only_owner=True,
        quota_index="q1",
        marker="m1",
        max_items=2,
    )
    assert [i.instance_id for i in page.infos] == [
        "20240101000000000gabc",
        "20240101000000001gdef",
    ]
    assert [i.position for i in page.infos] == [2, 3]
    assert page.next_marker == "m2"
    url = script.requests[0].url
    assert url.startswith("http://mc.test/api/projects/demo/cachedinstances?")
    assert query_of(url)[:5] == [
        ("status", "Running"),
        ("onlyowner", "yes"),
        ("quotaIndex", "q1"),
        ("maxitems", "2"),
        ("marker", "m1"),
    ]
    # PyODPS's other reading, an object holding the list; an empty Marker ends the pages.
    wrapped = json.dumps({"InstanceQueueingInfos": [QUEUEING]})
    script.add(
        xml(200, f"<Instances><Marker/><Content>{_escape(wrapped)}</Content></Instances>"),
        xml(200, "<Instances><Marker></Marker></Instances>"),
    )
    page = client.list_queueing_infos("demo")
    assert len(page.infos) == 1 and page.next_marker is None
    assert client.list_queueing_infos("demo").infos == ()


def _escape(text: str) -> str:
    element = ElementTree.Element("x")
    element.text = text
    return ElementTree.tostring(element, encoding="unicode")[3:-4]


# --- SQL cost and submit options ----------------------------------------------------------------


def test_sql_cost_is_a_sqlcost_task_and_its_result(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(
        HttpResponse(201, {"Location": "http://mc.test/api/projects/demo/instances/c1"}, b"")
    )
    created = client.create_sql_instance("demo", "select * from t", task_type="SQLCost")
    assert created.instance_id == "c1"
    root = ElementTree.fromstring(script.requests[0].body or b"")
    task = root.find("./Job/Tasks/SQLCost")
    assert task is not None and task.findtext("Name") == "AnonymousSQLCostTask"
    assert task.findtext("Query") == "select * from t;"
    result = json.dumps({"Cost": {"SQL": {"UDF": 1, "Complexity": 1.5, "Input": 4096}}})
    script.add(
        xml(
            200,
            "<Instance><Tasks><Task Type='SQLCost'><Name>AnonymousSQLCostTask</Name>"
            f"<Result Format='text'><![CDATA[{result}]]></Result></Task></Tasks></Instance>",
        )
    )
    cost = client.get_sql_cost("demo", "c1")
    assert (cost.udf_count, cost.complexity, cost.input_bytes) == (1, 1.5, 4096)


def test_a_sql_cost_result_that_is_not_an_estimate_is_an_invalid_response(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(
        xml(
            200,
            "<Instance><Tasks><Task><Name>AnonymousSQLCostTask</Name>"
            '<Result>"a"\n1\n</Result></Task></Tasks></Instance>',
        )
    )
    with pytest.raises(MaxComputeError) as info:
        client.get_sql_cost("demo", "c1")
    assert info.value.code == SyntheticCode.INVALID_RESPONSE


def test_quota_and_running_cluster_go_where_pyodps_puts_them(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(
        HttpResponse(201, {"Location": "http://mc.test/api/projects/demo/instances/x1"}, b"")
    )
    client.create_sql_instance(
        "demo",
        "select 1",
        priority=2,
        quota_name="os_PayAsYouGoQuota",
        running_cluster="AY100G",
        hints={"odps.sql.mapper.split.size": "16"},
    )
    root = ElementTree.fromstring(script.requests[0].body or b"")
    job = root.find("./Job")
    assert job is not None
    assert [c.tag for c in job] == ["Priority", "RunningCluster", "Guid", "Tasks", "DAG"]
    assert job.findtext("Priority") == "2" and job.findtext("RunningCluster") == "AY100G"
    settings = json.loads(
        next(
            p.findtext("Value") or ""
            for p in job.iter("Property")
            if p.findtext("Name") == "settings"
        )
    )
    assert settings["odps.task.wlm.quota"] == "os_PayAsYouGoQuota"
    assert settings["odps.sql.mapper.split.size"] == "16"


def test_bad_quota_or_cluster_names_are_refused_before_any_request(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    with pytest.raises(InvalidIdentifier):
        client.create_sql_instance("demo", "select 1", quota_name="bad name")
    with pytest.raises(InvalidIdentifier):
        client.create_sql_instance("demo", "select 1", running_cluster="<x>")
    with pytest.raises(InvalidIdentifier):
        client.list_queueing_infos("demo", quota_index="a/b")
    assert script.requests == []
