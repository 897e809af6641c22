"""Server streams over HTTP: Server-Sent Events (ids, Last-Event-ID, heartbeats, the end
after the terminal event, a mid-stream error as ``event: error``), NDJSON, and a client that
goes away (the stream ends; ExecuteSql's stop_on_cancel stops the instance)."""

from __future__ import annotations

import asyncio
import json

import aiohttp
from conftest import HEARTBEAT
from gateway.support import pb, submit_sql, wait_terminated
from http_support import SSE, data_events, sse_events, until
from mcgateway.testing import GatewayThread, gateway_config_for

V1 = "/v1/projects/_"
DURATION_HINT = "mcemulator.duration_seconds"


async def test_watch_instance_reconnect_with_last_event_id_loses_no_terminal_event(
    client, base, stub
):
    instance = submit_sql(stub, "select 1", duration=1.5)
    url = f"{base}{V1}/instances/{instance.instance_id}:watch"
    async with client.get(url, headers=SSE) as response:
        first = await anext(data_events(response))
    # Gone before the end: the terminal event happens while no one listens.
    assert first.data["eventType"] == "SNAPSHOT" and first.id is not None
    assert first.data["instance"]["state"] == "RUNNING"
    wait_terminated(stub, instance.instance_id)
    async with client.get(url, headers={**SSE, "Last-Event-ID": first.id}) as response:
        assert response.status == 200
        events = [e async for e in data_events(response)]
    # The reconnect's first state is the current one, terminal here: the stream's one
    # message is TERMINAL, and it ends after it.
    assert all(e.data["instance"]["state"] == "TERMINATED" for e in events)
    assert events[-1].data["eventType"] == "TERMINAL"
    assert events[-1].data["instance"]["successful"] is True
    assert int(events[0].id) > int(first.id)


async def test_watch_instances_resumes_from_last_event_id_without_a_new_snapshot(
    client, base, stub
):
    url = f"{base}{V1}/instances:watch"
    async with client.get(url, headers=SSE) as response:
        events = data_events(response)
        async for event in events:
            if event.data["eventType"] == "SNAPSHOT_END":
                break
        instance = submit_sql(stub, "select 1", duration=1.0)
        async for event in events:
            if event.data.get("instance", {}).get("instanceId") == instance.instance_id:
                added = event
                break
    assert added.data["eventType"] == "ADDED"
    # id: is the resume version.
    assert added.id == added.data["resumeVersion"]
    wait_terminated(stub, instance.instance_id)
    async with client.get(url, headers={**SSE, "Last-Event-ID": added.id}) as response:
        assert response.status == 200
        async for event in data_events(response):
            kind = event.data["eventType"]
            assert kind not in ("SNAPSHOT_END",), "a resumed stream sends no new snapshot"
            if event.data.get("instance", {}).get("instanceId") == instance.instance_id:
                assert kind in ("CHANGED", "TERMINATED")
                if kind == "TERMINATED":
                    break


async def test_quiet_sse_streams_get_ping_comments(client, base):
    url = f"{base}{V1}/instances:watch"
    # Terminated instances never change: after SNAPSHOT_END the stream is all but silent.
    params = {"stateFilter": "TERMINATED", "heartbeatInterval": "300s"}
    async with client.get(url, headers=SSE, params=params) as response:
        assert response.status == 200
        loop = asyncio.get_running_loop()
        pings = []
        async for event in sse_events(response):
            if event.comment is not None:
                pings.append((event.comment, loop.time()))
                if len(pings) == 2:
                    break
    assert [p[0] for p in pings] == ["ping", "ping"]
    assert pings[1][1] - pings[0][1] >= HEARTBEAT * 0.8


async def test_execute_sql_as_sse_and_its_stop_on_cancel_when_the_client_leaves(
    client, base, stub, http_gateway
):
    body = {
        "job": {"query": "select 1", "hints": {DURATION_HINT: "120"}},
        "stopOnCancel": True,
    }
    url = f"{base}{V1}/instances:executeSql"
    async with client.post(url, json=body, headers=SSE) as response:
        assert response.content_type == "text/event-stream"
        first = await anext(data_events(response))
    assert first.data["eventType"] == "SNAPSHOT"
    assert first.id == first.data["sequence"]
    instance_id = first.data["instance"]["instanceId"]
    # The client left: the call is cancelled as a gRPC one would be, and the instance stopped.
    streams = {"method": "ExecuteSql"}
    await until(lambda: http_gateway.metrics.value("mcgateway_active_streams", streams) == 0)
    final = wait_terminated(stub, instance_id)
    assert final.successful is False


async def test_a_mid_stream_error_is_the_last_event_or_line(emulator, stub):
    config = gateway_config_for(emulator, http_listen="127.0.0.1:0", grace_period=1.0)
    running = submit_sql(stub, "select 1", duration=60)
    gw = GatewayThread(config).start()
    try:
        url = f"{gw.server.http_url}{V1}/instances/{running.instance_id}:watch"
        async with (
            aiohttp.ClientSession() as client,
            client.get(url, headers=SSE) as sse,
            client.get(url) as plain,
        ):
            sse_stream = data_events(sse)
            assert (await anext(sse_stream)).data["eventType"] == "SNAPSHOT"
            first_line = json.loads(await plain.content.readline())
            assert first_line["eventType"] == "SNAPSHOT"
            # Shutdown ends every watch stream with UNAVAILABLE SHUTTING_DOWN.
            stopping = asyncio.get_running_loop().run_in_executor(None, gw.stop)
            rest = [e async for e in sse_stream]
            lines = [json.loads(line) async for line in plain.content if line.strip()]
            await stopping
    finally:
        gw.stop()
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))
    assert rest[-1].event == "error"
    assert rest[-1].data["code"] == 14
    reasons = [d.get("reason") for d in rest[-1].data["details"]]
    assert "SHUTTING_DOWN" in reasons
    assert lines[-1]["error"]["code"] == 14
