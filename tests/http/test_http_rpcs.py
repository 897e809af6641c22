"""Every RPC over HTTP/JSON end to end: a real aiohttp client, the gateway's HTTP listener,
the servicer's own handlers, the embedded emulator. Instances are set up over gRPC on the
same gateway where the RPC under test is not the one that makes them."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import aiohttp
import pytest
from gateway.support import pb, submit_sql, wait_terminated
from http_support import HTTP_COVERED, SSE, covers_http, data_events, ndjson
from maxcompute.gateway.v1 import instance_service_pb2
from mcgateway.testing import GatewayThread

V1 = "/v1/projects/_"
DURATION_HINT = "mcemulator.duration_seconds"


@pytest.fixture(scope="module")
def finished(stub):
    """A terminated, successful ``select * from pyodps_iris limit 1`` (made over gRPC)."""
    instance = submit_sql(stub, "select * from pyodps_iris limit 1", duration=0.1)
    return wait_terminated(stub, instance.instance_id)


async def _json(client: aiohttp.ClientSession, method: str, url: str, **kw) -> dict:
    async with client.request(method, url, **kw) as response:
        assert response.status == 200, await response.text()
        assert response.content_type == "application/json"
        assert len(response.headers["x-request-id"]) == 24
        return await response.json()


@covers_http("SubmitSql", "GetInstance")
async def test_submit_then_get_in_json_by_the_protobuf_mapping(client, base, stub):
    body = {
        "job": {"query": "select 1", "hints": {DURATION_HINT: "0.2"}},
        "requestId": str(uuid.uuid4()),
    }
    submitted = await _json(client, "POST", f"{base}{V1}/instances:submitSql", json=body)
    instance = submitted["instance"]
    assert instance["project"] == "demo" and instance["state"] == "RUNNING"
    # The same request id finds the same instance (idempotent retry over HTTP too).
    again = await _json(client, "POST", f"{base}{V1}/instances:submitSql", json=body)
    assert again["instance"]["instanceId"] == instance["instanceId"]
    final = wait_terminated(stub, instance["instanceId"])
    got = await _json(client, "GET", f"{base}/v1/projects/demo/instances/{final.instance_id}")
    # lowerCamelCase names, enums by name, Timestamps in RFC 3339.
    assert got["instanceId"] == final.instance_id
    assert got["state"] == "TERMINATED" and got["successful"] is True
    assert got["tasks"][0] == {
        "name": "AnonymousSQLTask",
        "type": "SQL",
        "state": "SUCCEEDED",
        "startTime": got["tasks"][0]["startTime"],
        "endTime": got["tasks"][0]["endTime"],
    }
    assert datetime.fromisoformat(got["startTime"].replace("Z", "+00:00")).tzinfo is UTC


@covers_http("ListInstances")
async def test_list_instances_with_query_parameters_and_page_tokens(client, base, finished):
    url = f"{base}{V1}/instances"
    params = {"pageSize": "1", "stateFilter": "TERMINATED", "onlyOwner": "true"}
    first = await _json(client, "GET", url, params=params)
    assert len(first["instances"]) == 1 and first["instances"][0]["state"] == "TERMINATED"
    assert first["nextPageToken"]
    second = await _json(client, "GET", url, params={**params, "pageToken": first["nextPageToken"]})
    assert second["instances"][0]["instanceId"] != first["instances"][0]["instanceId"]
    # Timestamps in the query string take their JSON form; proto names work as well.
    future = await _json(
        client, "GET", url, params={"min_start_time": "2999-01-01T00:00:00Z", "pageSize": "5"}
    )
    assert future.get("instances", []) == []


@covers_http("InstanceExists")
async def test_instance_exists(client, base, finished):
    url = f"{base}{V1}/instances/{finished.instance_id}:exists"
    assert (await _json(client, "GET", url)) == {"exists": True}
    # proto3 JSON leaves out default values: false is an empty object.
    assert (
        await _json(client, "GET", f"{base}{V1}/instances/20991231000000000nosuch:exists")
    ) == {}


@covers_http("StopInstance")
async def test_stop_a_running_instance(client, base, stub):
    running = submit_sql(stub, "select 1", duration=60)
    await _json(client, "POST", f"{base}{V1}/instances/{running.instance_id}:stop", json={})
    final = wait_terminated(stub, running.instance_id)
    assert final.state == final.TERMINATED and not final.successful


@covers_http("WaitInstance")
async def test_wait_instance_with_a_duration_in_the_query(client, base, stub):
    instance = submit_sql(stub, "select 1", duration=0.3)
    url = f"{base}{V1}/instances/{instance.instance_id}:wait"
    deadline = time.monotonic() + 60
    while True:
        got = await _json(client, "GET", url, params={"timeout": "10s"})
        if got["instance"]["state"] == "TERMINATED":
            break
        assert time.monotonic() < deadline
    assert got["instance"]["successful"] is True


@covers_http("ListTasks", "GetTaskResult", "ListTaskResults", "GetTaskProgress")
async def test_tasks_results_and_progress(client, base, finished):
    iid = finished.instance_id
    tasks = await _json(client, "GET", f"{base}{V1}/instances/{iid}/tasks")
    assert [t["name"] for t in tasks["tasks"]] == ["AnonymousSQLTask"]
    task = f"{base}{V1}/instances/{iid}/tasks/AnonymousSQLTask"
    result = await _json(client, "GET", f"{task}/result")
    assert result["taskName"] == "AnonymousSQLTask" and "sepallength" in result["content"]
    results = await _json(client, "GET", f"{base}{V1}/instances/{iid}/taskResults")
    assert results["taskResults"][0]["content"] == result["content"]
    progress = await _json(client, "GET", f"{task}/progress")
    assert progress["taskName"] == "AnonymousSQLTask" and progress["stages"]


@covers_http("GenerateLogviewAddress")
async def test_logview_address_with_a_duration_in_the_body(client, base, finished):
    url = f"{base}{V1}/instances/{finished.instance_id}:generateLogviewAddress"
    got = await _json(client, "POST", url, json={"ttl": "7200s"})
    assert f"i={finished.instance_id}" in got["url"]
    expires = datetime.fromisoformat(got["expireTime"].replace("Z", "+00:00"))
    hours = (expires - datetime.now(UTC)).total_seconds() / 3600
    assert 1.9 < hours < 2.1


@covers_http("SubmitXflow", "ListSubInstances")
async def test_xflow_and_its_sub_instances(client, base, stub):
    body = {
        "xflowName": "AppendID",
        "xflowProject": "algo_public",
        "parameters": {"inputTableName": "pyodps_iris", "outputTableName": "iris_http_id"},
        "requestId": str(uuid.uuid4()),
    }
    submitted = await _json(client, "POST", f"{base}{V1}/instances:submitXflow", json=body)
    iid = submitted["instance"]["instanceId"]
    wait_terminated(stub, iid)
    subs = await _json(client, "GET", f"{base}{V1}/instances/{iid}/subInstances")
    assert subs["subInstances"]
    assert all(f"i={s['instanceId']}" in s["logviewUrl"] for s in subs["subInstances"])


@covers_http("GetTaskSummary", "GetTaskDetail", "GetWorkerLog")
async def test_summary_detail_and_worker_log(client, base, finished):
    task = f"{base}{V1}/instances/{finished.instance_id}/tasks/AnonymousSQLTask"
    summary = await _json(client, "GET", f"{task}/summary")
    assert summary["summaryText"] and summary["finalized"] is True
    detail = await _json(client, "GET", f"{task}/detail")
    log_id = detail["workers"][0]["logId"]
    url = f"{base}{V1}/instances/{finished.instance_id}/workerLog"
    log = await _json(client, "GET", url, params={"logId": log_id, "logType": "STDERR"})
    assert log["logId"] == log_id and log["logType"] == "STDERR"


@covers_http("GetQueueingInfo", "ListQueueingInfos")
async def test_queueing_info(client, base, stub):
    running = submit_sql(stub, "select 1", duration=30)
    try:
        url = f"{base}{V1}/instances/{running.instance_id}/queueingInfo"
        info = await _json(client, "GET", url)
        assert info["instanceId"] == running.instance_id
        page = await _json(client, "GET", f"{base}{V1}/queueingInfos", params={"pageSize": "50"})
        assert running.instance_id in [q["instanceId"] for q in page["queueingInfos"]]
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))


@covers_http("EstimateSqlCost")
async def test_estimate_sql_cost(client, base):
    body = {"job": {"query": "select * from pyodps_iris"}}
    got = await _json(client, "POST", f"{base}{V1}/instances:estimateSqlCost", json=body)
    # int64 in JSON is a string.
    assert isinstance(got["inputBytes"], str) and int(got["inputBytes"]) > 0


@covers_http("WatchInstance")
async def test_watch_instance_as_server_sent_events(client, base, stub):
    instance = submit_sql(stub, "select 1", duration=1.0)
    url = f"{base}{V1}/instances/{instance.instance_id}:watch"
    async with client.get(url, headers=SSE) as response:
        assert response.status == 200
        assert response.content_type == "text/event-stream"
        assert response.headers["Cache-Control"].startswith("no-cache")
        assert len(response.headers["x-request-id"]) == 24
        events = [e async for e in data_events(response)]
    assert events[0].data["eventType"] == "SNAPSHOT"
    assert events[-1].data["eventType"] == "TERMINAL"
    assert events[-1].data["instance"]["state"] == "TERMINATED"
    # id: is the message's sequence; the stream ended after the terminal event.
    assert [e.id for e in events] == [e.data["sequence"] for e in events]
    assert [int(e.id) for e in events] == sorted(int(e.id) for e in events)


@covers_http("WatchInstances")
async def test_watch_instances_as_ndjson(client, base, finished):
    url = f"{base}{V1}/instances:watch"
    async with client.get(url, params={"stateFilter": "TERMINATED"}) as response:
        assert response.status == 200
        assert response.content_type == "application/x-ndjson"
        seen = []
        async for raw in response.content:
            line = json.loads(raw)
            seen.append(line)
            if line["eventType"] == "SNAPSHOT_END":
                break
    assert finished.instance_id in [e["instance"]["instanceId"] for e in seen[:-1]]
    assert all(e["eventType"] == "ADDED" for e in seen[:-1])


@covers_http("ExecuteSql")
async def test_execute_sql_as_ndjson_ends_after_the_terminal_message(client, base):
    body = {"job": {"query": "select 1", "hints": {DURATION_HINT: "0.5"}}}
    async with client.post(f"{base}{V1}/instances:executeSql", json=body) as response:
        assert response.status == 200
        lines = await ndjson(response)
    assert lines[0]["eventType"] == "SNAPSHOT"
    assert lines[-1]["eventType"] == "TERMINAL" and lines[-1]["instance"]["successful"]
    assert "reattached" not in lines[0]  # false: this call made the instance


@covers_http("ReadInstanceResult")
async def test_read_instance_result_as_sse_resumes_from_last_event_id(client, base, stub):
    instance = wait_terminated(
        stub,
        submit_sql(
            stub, "select range as id, 'r' || range as s from range(30000) order by id"
        ).instance_id,
    )
    url = f"{base}{V1}/instances/{instance.instance_id}:readResult"
    async with client.get(url, params={"limit": "20000"}, headers=SSE) as response:
        assert response.status == 200 and response.content_type == "text/event-stream"
        events = [e async for e in data_events(response)]
    head, batches = events[0], events[1:]
    assert [c["name"] for c in head.data["schema"]["columns"]] == ["id", "s"]
    assert (head.data["totalRowCount"], head.data["selectedRowCount"]) == ("30000", "20000")
    ids = [int(r["values"][0]["int64Value"]) for e in batches for r in e.data["rowBatch"]["rows"]]
    assert ids == list(range(20000))
    # id: is the offset of the next row, so Last-Event-ID resumes right after that batch.
    for event in batches:
        assert int(event.id) == int(event.data.get("rowOffset", 0)) + int(event.data["rowCount"])
    resume_at = batches[0].id
    async with client.get(
        url, params={"limit": "20000"}, headers={**SSE, "Last-Event-ID": resume_at}
    ) as response:
        resumed = [e async for e in data_events(response)]
    again = [
        int(r["values"][0]["int64Value"]) for e in resumed[1:] for r in e.data["rowBatch"]["rows"]
    ]
    assert again and again[0] == int(resume_at) and again == ids[int(resume_at) :]
    # Without text/event-stream: newline-delimited JSON, columns projected.
    async with client.get(url, params={"limit": "3", "columns": "s"}) as response:
        lines = await ndjson(response)
    assert [r["values"][0]["stringValue"] for r in lines[1]["rowBatch"]["rows"]] == [
        "r0",
        "r1",
        "r2",
    ]


def test_every_rpc_has_an_http_end_to_end_test(http_gateway: GatewayThread):
    service = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"]
    assert {m.name for m in service.methods} - HTTP_COVERED == set()
