"""HTTP errors: ``google.rpc.Status`` JSON with the standard HTTP status, for the
transcoder's own refusals (unknown path, wrong method, malformed body or query) and for the
chokepoint's (auth, limits, validation, upstream errors), with request ids throughout."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway.support import pb, submit_sql
from http_support import (
    BAD_REQUEST,
    QUOTA_FAILURE,
    REQUEST_INFO,
    SSE,
    data_events,
    detail,
    expect_status,
    until,
)
from mcgateway.http import HTTP_STATUS
from mcgateway.testing import GatewayThread, gateway_config_for

V1 = "/v1/projects/_"
TOKEN = "http-demo-token"
OTHER = "http-other-token"


async def test_unknown_instance_is_404_with_error_info_and_request_info(client, base):
    async with client.get(f"{base}{V1}/instances/20991231000000000nosuch") as response:
        body = await expect_status(response, 404, 5, "INSTANCE_NOT_FOUND")
    assert detail(body, REQUEST_INFO)["requestId"] == response.headers["x-request-id"]


async def test_unknown_project_is_404(client, base):
    async with client.get(f"{base}/v1/projects/no_such_project/instances/x1") as response:
        await expect_status(response, 404, 5, "PROJECT_NOT_FOUND")


async def test_unknown_path_is_404_status(client, base):
    async with client.get(f"{base}/v1/projects/_/nothing/here") as response:
        await expect_status(response, 404, 5)


async def test_wrong_method_is_405_with_allow(client, base):
    async with client.delete(f"{base}{V1}/instances/x1") as response:
        await expect_status(response, 405, 12)
        assert response.headers["Allow"] == "GET"
    async with client.get(f"{base}{V1}/instances/x1:stop") as response:
        assert response.status == 405 and response.headers["Allow"] == "POST"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "field"),
    [
        ("POST", "/instances:submitSql", {"data": b"{not json"}, "body"),
        ("POST", "/instances:submitSql", {"json": [1, 2]}, "body"),
        ("POST", "/instances:submitSql", {"json": {"job": {"qurey": "x"}}}, "body"),
        ("GET", "/instances", {"params": {"pageSize": "many"}}, "query"),
        ("GET", "/instances", {"params": {"stateFilter": "SLEEPING"}}, "query"),
        ("GET", "/instances", {"params": {"onlyOwner": "perhaps"}}, "onlyOwner"),
        ("GET", "/instances", {"params": {"bogus": "1"}}, "bogus"),
        ("GET", "/instances/x1:wait", {"params": {"timeout": "ten"}}, "query"),
        ("GET", "/instances/x1:wait", {"headers": {"grpc-timeout": "soon"}}, "grpc-timeout"),
    ],
)
async def test_bad_input_is_400_with_bad_request(client, base, method, path, kwargs, field):
    async with client.request(method, f"{base}{V1}{path}", **kwargs) as response:
        body = await expect_status(response, 400, 3, "INVALID_REQUEST")
    violations = detail(body, BAD_REQUEST)["fieldViolations"]
    assert [v["field"] for v in violations] == [field]


async def test_validation_by_the_handler_is_400_with_bad_request(client, base):
    url = f"{base}{V1}/instances:submitSql"
    async with client.post(url, json={"job": {"query": "select 1"}, "requestId": "no"}) as r:
        body = await expect_status(r, 400, 3)
    assert [v["field"] for v in detail(body, BAD_REQUEST)["fieldViolations"]] == ["request_id"]


def test_the_code_to_status_table_is_googles():
    assert HTTP_STATUS == {
        0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429,
        9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
    }  # fmt: skip


# ------------------------------------------------------------------ auth and limits


@pytest.fixture(scope="module")
def secured(emulator, tmp_path_factory) -> Iterator[GatewayThread]:
    """A gateway with a tokens file and one stream per caller."""
    path: Path = tmp_path_factory.mktemp("http-auth") / "tokens.json"
    path.write_text(
        json.dumps(
            {
                "tokens": [
                    {"name": "demo", "token": TOKEN, "projects": ["demo"]},
                    {"name": "other", "token": OTHER, "projects": ["other_project"]},
                ]
            }
        )
    )
    config = gateway_config_for(
        emulator, http_listen="127.0.0.1:0", tokens_file=path, max_streams_per_caller=1
    )
    with GatewayThread(config) as gw:
        yield gw


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_auth_401_without_or_with_an_unknown_token_403_for_another_project(client, secured):
    url = f"{secured.server.http_url}{V1}/instances"
    before = secured.upstream_requests()
    async with client.get(url) as response:
        await expect_status(response, 401, 16)
    async with client.get(url, headers=_bearer("nope")) as response:
        await expect_status(response, 401, 16)
    async with client.get(url, headers=_bearer(OTHER)) as response:
        await expect_status(response, 403, 7, "PROJECT_NOT_ALLOWED")
    assert secured.upstream_requests() == before, "refused before any upstream request"
    async with client.get(url, headers=_bearer(TOKEN), params={"pageSize": "1"}) as response:
        assert response.status == 200


async def test_a_second_stream_over_the_callers_limit_is_429_with_quota_failure(client, secured):
    url = f"{secured.server.http_url}{V1}/instances:watch"
    async with client.get(url, headers={**_bearer(TOKEN), **SSE}) as first:
        assert first.status == 200
        events = data_events(first)
        await anext(events)  # the first stream is open and counted
        async with client.get(url, headers={**_bearer(TOKEN), **SSE}) as second:
            body = await expect_status(second, 429, 8)
        assert detail(body, QUOTA_FAILURE)["violations"][0]["subject"]
    # The client went away: the gateway ends its stream, which frees the slot.
    streams = {"method": "WatchInstances"}
    await until(lambda: secured.metrics.value("mcgateway_active_streams", streams) == 0)
    async with client.get(url, headers={**_bearer(TOKEN), **SSE}) as third:
        assert third.status == 200


async def test_http_calls_are_counted_apart_from_grpc(client, base, http_gateway):
    metrics = http_gateway.metrics

    def http_calls() -> float:
        labels = {"method": "GetInstance", "status": "404"}
        return metrics.value("mcgateway_http_requests_total", labels)

    before = http_calls()
    async with client.get(f"{base}{V1}/instances/20991231000000000nosuch") as response:
        assert response.status == 404
    assert http_calls() == before + 1
    # The RPC counter counts every transport (one chokepoint).
    assert metrics.value("mcgateway_rpc_requests_total", {"method": "GetInstance"}) >= 1


async def test_grpc_timeout_header_is_the_calls_deadline(client, base, stub):
    running = submit_sql(stub, "select 1", duration=60)
    try:
        url = f"{base}{V1}/instances/{running.instance_id}:wait"
        loop = asyncio.get_running_loop()
        started = loop.time()
        headers = {"grpc-timeout": "300m"}
        async with client.get(url, params={"timeout": "20s"}, headers=headers) as response:
            assert response.status == 200
            body = await response.json()
        # The wait ends at the call's deadline (0.3 s), not at its own 20 s: still running.
        assert loop.time() - started < 5
        assert body["instance"]["state"] == "RUNNING"
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))
