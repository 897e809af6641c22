"""Hostile and malformed input: every case gets a MaxCompute-style error and the server stays up."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
from emu_helpers import SignedClient, error_code
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcemulator import Emulator

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Instance><Job><Tasks><SQL><Name>t</Name><Query>&lol4;</Query></SQL></Tasks></Job></Instance>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Instance><Job><Tasks><SQL><Name>t</Name><Query>&xxe;</Query></SQL></Tasks></Job></Instance>"""


def _still_up(client: SignedClient) -> None:
    assert client.get("/projects/demo/instances?maxitems=1").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        XXE,
        "<Instance><Job>",
        "not xml at all",
        "",
        "<Instance/>",
        "<Instance><Job><Tasks/></Job></Instance>",
        "<Instance><Job><Tasks><SQL><Name>t</Name></SQL></Tasks></Job></Instance>",
        "<Instance><Job><Tasks><MaxFrame><Name>t</Name><Query>x</Query></MaxFrame>"
        "</Tasks></Job></Instance>",
        "<Instance><Job><Priority>-1</Priority><Tasks><SQL><Name>t</Name><Query>select 1"
        "</Query></SQL></Tasks></Job></Instance>",
        "<Instance><Job><Tasks><SQL><Name>t</Name><Config><Property><Name>settings</Name>"
        "<Value>{bad</Value></Property></Config><Query>select 1</Query></SQL></Tasks></Job>"
        "</Instance>",
    ],
    ids=[
        "billion-laughs",
        "xxe",
        "truncated",
        "not-xml",
        "empty",
        "no-job",
        "no-tasks",
        "no-query",
        "unsupported-task",
        "negative-priority",
        "bad-settings",
    ],
)
def test_bad_create_bodies(client: SignedClient, body: str) -> None:
    resp = client.request("POST", "/projects/demo/instances", body=body)
    assert 400 <= resp.status_code < 500
    assert error_code(resp) in {"InvalidParameter", "InstanceTypeNotSupported"}
    assert "root:" not in resp.text  # nothing of /etc/passwd
    _still_up(client)


def test_hostile_stop_bodies(client: SignedClient) -> None:
    iid = client.create_sql("select 1;", settings='{"mcemulator.duration_seconds": "30"}')
    for body in (BILLION_LAUGHS, XXE, "<Instance><Status>Running</Status></Instance>", "<x/>"):
        resp = client.request("PUT", f"/projects/demo/instances/{iid}", body=body)
        assert 400 <= resp.status_code < 500, body
        error_code(resp)
    stop = "<Instance><Status>Terminated</Status></Instance>"
    assert client.request("PUT", f"/projects/demo/instances/{iid}", body=stop).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "/projects/demo/instances/..%2F..%2Fetc%2Fpasswd",
        "/projects/demo/instances/%2e%2e",
        "/projects/demo/instances/a%00b",
        "/projects/..%2Fdemo/instances",
        "/projects/demo/instances/x/y",
        "/projects/%2Fetc/instances",
        "/projects/demo/instances/" + "a" * 500,
        "/projects/d%C3%A9mo/instances",
    ],
)
def test_path_tricks(client: SignedClient, target: str) -> None:
    resp = client.get(target)
    assert resp.status_code == 404
    assert error_code(resp) in {"NoSuchObject", "NoSuchProject"}
    _still_up(client)


def test_oversized_body(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(max_body_bytes=64 * 1024)
    client = SignedClient(emu)
    big = "<Instance>" + "x" * (128 * 1024) + "</Instance>"
    resp = client.request("POST", "/projects/demo/instances", body=big)
    assert resp.status_code == 413 and error_code(resp) == "InvalidParameter"
    _still_up(client)


def test_oversized_chunked_body(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(max_body_bytes=64 * 1024)
    client = SignedClient(emu)

    def chunks() -> Iterator[bytes]:
        for _ in range(16):
            yield b"x" * 16 * 1024

    resp = client.request("POST", "/projects/demo/instances", body=chunks())
    assert resp.status_code == 413
    _still_up(client)


def test_bad_token_requests(client: SignedClient) -> None:
    target = "/projects/demo/authorization?sign_bearer_token"
    for body in ("{not json", '{"policy": 3}', '{"expires_in_hours": -1, "policy": {}}', "[]"):
        resp = client.request(
            "POST", target, body=body, headers={"Content-Type": "application/json"}
        )
        assert resp.status_code == 400 and error_code(resp) == "InvalidParameter", body
    _still_up(client)


def test_garbage_http_keeps_server_up(emulator: Emulator, client: SignedClient) -> None:
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(b"\x00\x01GARBAGE / HTTP/9.9\r\n\r\n")
        sock.recv(1024)
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(b"GET /api/projects/demo/instances HTTP/1.1\r\nHost: x\r\n")
        sock.shutdown(socket.SHUT_WR)  # half a request, then hang up
        sock.recv(1024)
    _still_up(client)


def test_bad_query_values(client: SignedClient) -> None:
    for query in ("maxitems=abc", "daterange=x%3Ay", "marker=..%2F..", "maxitems=0"):
        resp = client.get(f"/projects/demo/instances?{query}")
        assert resp.status_code == 400 and error_code(resp) == "InvalidParameter", query


def test_non_api_paths(emulator: Emulator) -> None:
    import requests

    base = f"http://127.0.0.1:{emulator.port}"
    resp = requests.get(base + "/etc/passwd", timeout=5)
    assert resp.status_code == 404 and "<Code>NoSuchObject</Code>" in resp.text
    resp = requests.get(base + "/logview/?p=demo&i=x&token=bad", timeout=5)
    assert resp.status_code == 403
    resp = requests.put(base + "/_emulator/faults", timeout=5)
    assert resp.status_code == 404  # admin endpoints are off unless enabled
    assert resp.headers["x-odps-request-id"]  # on every answer, not only under /api


_PIECES = st.sampled_from(
    [
        "<Instance>",
        "</Instance>",
        "<Job>",
        "</Job>",
        "<Tasks>",
        "</Tasks>",
        "<SQL>",
        "</SQL>",
        "<Name>t</Name>",
        "<Query>",
        "</Query>",
        "select 1",
        "<Config>",
        "</Config>",
        "<Property><Name>settings</Name><Value>",
        "</Value></Property>",
        "{}",
        "&amp;",
        "<![CDATA[",
        "]]>",
        "<XflowInstance>",
        "</XflowInstance>",
        "<Xflow>A</Xflow>",
        "<Priority>",
        "x",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(st.binary(max_size=300), st.lists(_PIECES, max_size=20).map("".join)))
def test_fuzzed_create_bodies_never_break_the_server(
    client: SignedClient, body: bytes | str
) -> None:
    resp = client.request("POST", "/projects/demo/instances", body=body)
    assert resp.status_code in (201, 400), resp.text
    if resp.status_code == 400:
        error_code(resp)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    segments=st.lists(
        st.sampled_from(["projects", "demo", "instances", "x", "..", "%2F", "%00", "tenants", ""]),
        max_size=6,
    ),
    query=st.sampled_from(["", "?taskstatus", "?result=", "?marker=%ZZ", "?a&&b==c", "?%"]),
)
def test_fuzzed_paths_never_break_the_server(
    client: SignedClient, segments: list[str], query: str
) -> None:
    resp = client.get("/" + "/".join(segments) + query)
    assert resp.status_code < 500, resp.text
