"""What the HTTP listener serves besides the RPCs: the OpenAPI document generated from the
descriptors, CORS for the configured origins, and the dashboard's static files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import CORS_ORIGIN
from maxcompute.gateway.v1 import instance_service_pb2
from mcgateway.http import HttpGateway, HttpSettings, RouteTable
from prometheus_client import CollectorRegistry
from yarl import URL

V1 = "/v1/projects/_"
SERVICE = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"]


async def test_openapi_document_is_valid_and_covers_every_route(client, base):
    async with client.get(f"{base}/v1/openapi.json") as response:
        assert response.status == 200 and response.content_type == "application/json"
        document = await response.json()
    import openapi_spec_validator as validator  # a test dependency (pyproject)

    validator.validate(document)  # raises on any violation of the OpenAPI 3.0 schema
    operations = {
        op["operationId"]: (path, verb)
        for path, item in document["paths"].items()
        for verb, op in item.items()
    }
    routes = RouteTable.from_service(SERVICE).routes
    assert {r.name: (r.path.openapi_path(), r.http_method.lower()) for r in routes} == operations
    assert len(operations) == len(SERVICE.methods)
    get = document["paths"]["/v1/projects/{project}/instances/{instance_id}"]["get"]
    # Comments of the contract become descriptions.
    assert get["description"].startswith("GetInstance")
    instance = document["components"]["schemas"]["maxcompute.gateway.v1.Instance"]
    assert instance["properties"]["instanceId"]["description"]
    assert instance["properties"]["state"]["allOf"][0]["$ref"].endswith("Instance.State")
    listing = document["paths"]["/v1/projects/{project}/instances"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"project", "stateFilter", "pageSize", "pageToken", "minStartTime"} <= names
    submit = document["paths"]["/v1/projects/{project}/instances:submitSql"]["post"]
    assert "requestBody" in submit
    watch = document["paths"]["/v1/projects/{project}/instances/{instance_id}:watch"]["get"]
    assert set(watch["responses"]["200"]["content"]) == {
        "text/event-stream",
        "application/x-ndjson",
    }


async def test_cors_preflight_and_response_headers_for_an_allowed_origin(client, base):
    url = f"{base}{V1}/instances/x1:stop"
    headers = {
        "Origin": CORS_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    async with client.options(url, headers=headers) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == CORS_ORIGIN
        assert response.headers["Access-Control-Allow-Methods"] == "POST"
        allowed = response.headers["Access-Control-Allow-Headers"]
        assert "authorization" in allowed and "last-event-id" in allowed
    async with client.get(f"{base}{V1}/instances/x1", headers={"Origin": CORS_ORIGIN}) as r:
        assert r.status == 404  # errors too carry the CORS headers, or the page cannot read them
        assert r.headers["Access-Control-Allow-Origin"] == CORS_ORIGIN
        assert r.headers["Access-Control-Expose-Headers"] == "x-request-id"
        assert "Origin" in r.headers.getall("Vary")


async def test_no_cors_headers_for_other_origins(client, base):
    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    async with client.options(f"{base}{V1}/instances", headers=headers) as response:
        assert response.status == 204
        assert "Access-Control-Allow-Origin" not in response.headers
    async with client.get(f"{base}{V1}/instances", headers={"Origin": "https://evil.example"}) as r:
        assert "Access-Control-Allow-Origin" not in r.headers


async def test_static_files_with_content_types_and_revalidation(
    client, tmp_path: Path, http_gateway
):
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    (tmp_path / "app.js").write_text("export const x = 1;\n")
    (tmp_path / "style.css").write_text("body {}\n")
    (tmp_path.parent / "secret.txt").write_text("no")
    settings = HttpSettings(host="127.0.0.1", port=0, static_dir=tmp_path)
    server = http_gateway.server
    gateway = HttpGateway(server.servicer, SERVICE, settings, CollectorRegistry())
    port = await asyncio.wrap_future(
        asyncio.run_coroutine_threadsafe(gateway.start(), http_gateway.loop)
    )
    try:
        url = f"http://127.0.0.1:{port}"
        async with client.get(f"{url}/") as r:
            assert r.status == 200 and r.content_type == "text/html"
            assert r.headers["Cache-Control"] == "no-cache"
            assert "ETag" in r.headers or "Last-Modified" in r.headers
        async with client.get(f"{url}/static/app.js") as r:
            assert r.content_type in ("text/javascript", "application/javascript")
        async with client.get(f"{url}/static/style.css") as r:
            assert r.content_type == "text/css"
        # An encoded "../" stays inside the static folder.
        async with client.get(URL(f"{url}/static/..%2Fsecret.txt", encoded=True)) as r:
            assert r.status == 404
        async with client.get(f"{url}/static/missing.js") as r:
            assert r.status == 404
    finally:
        await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(gateway.stop(), http_gateway.loop)
        )


async def test_the_dashboard_is_served_at_the_root(client, base):
    async with client.get(f"{base}/") as r:
        if r.status == 404:
            pytest.skip("no dashboard files in this checkout")
        assert r.status == 200 and r.content_type == "text/html"
