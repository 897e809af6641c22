"""The REST client's error categories and error-body parsing (the PyODPS completeness test
of the code table runs at the gRPC boundary: tests/gateway/test_error_table.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from mcgateway.maxcompute import (
    ErrorCategory,
    MaxComputeError,
    SyntheticCode,
    category_for,
)
from mcgateway.maxcompute._errors import error_from_response, parse_retry_after

S = ErrorCategory


@pytest.mark.parametrize(
    ("code", "http_status", "expected"),
    [
        ("NoSuchObject", 404, S.NOT_FOUND),
        ("InvalidStateSetting", 409, S.WRONG_STATE),
        ("InvalidArgument", 400, S.INVALID),
        ("InvalidParameter", 400, S.INVALID),
        ("ParseError", 400, S.INVALID),
        ("NoPermission", 403, S.DENIED),
        ("SignatureNotMatch", 401, S.UNAUTHENTICATED),
        ("InvalidParameter", 401, S.UNAUTHENTICATED),  # ODPS-0410051 invalid credentials
        ("Unauthorized", 401, S.UNAUTHENTICATED),
        ("QPSExceeded", 429, S.THROTTLED),
        ("SlotExceeded", 400, S.THROTTLED),
        ("FlowExceeded", 400, S.THROTTLED),
        ("ServiceUnavailable", 503, S.TRANSIENT),
        ("RequestTimeTooSkewd", 403, S.UNAUTHENTICATED),
        # Composite and ODPS-NNNNNNN codes, as PyODPS resolves them.
        ("ODPS-0130161: Parse exception", 400, S.INVALID),
        ("ODPS-0130131", 404, S.NOT_FOUND),
        ("NoSuchTable: whatever", 404, S.NOT_FOUND),
        ("ODPS-1830001", 400, S.THROTTLED),
        # Unknown codes fall back to the HTTP status.
        ("InstanceNotFound", 404, S.NOT_FOUND),
        ("SomethingNew", 429, S.THROTTLED),
        ("SomethingNew", 500, S.TRANSIENT),
        ("SomethingNew", 507, S.TRANSIENT),
        ("SomethingNew", 418, S.UNKNOWN),
        (None, 502, S.TRANSIENT),
        (None, None, S.UNKNOWN),
        (SyntheticCode.TIMEOUT, None, S.TRANSIENT),
        (SyntheticCode.CONNECTION_RESET, None, S.TRANSIENT),
        (SyntheticCode.DEADLINE_EXCEEDED, None, S.TIMED_OUT),
        (SyntheticCode.MALFORMED_RESPONSE, 200, S.TRANSIENT),
    ],
)
def test_category_for(code: str | None, http_status: int | None, expected: ErrorCategory) -> None:
    assert category_for(code, http_status) is expected


def test_xml_error_body() -> None:
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>NoSuchObject</Code>\n'
        b"  <Message><![CDATA[ODPS-0130131:Table not found - x]]></Message>\n"
        b"  <RequestId>5583C0893F7EC2D353</RequestId>\n  <HostId>odps.aliyun.com</HostId>\n</Error>"
    )
    err = error_from_response(404, {}, body, operation="get_instance")
    assert err.code == "NoSuchObject"
    assert err.message == "ODPS-0130131:Table not found - x"
    assert err.request_id == "5583C0893F7EC2D353" and err.host_id == "odps.aliyun.com"
    assert err.http_status == 404 and err.category is S.NOT_FOUND
    assert err.operation == "get_instance"


def test_xml_error_missing_children_still_parses() -> None:
    err = error_from_response(409, {}, b"<Error><Code>InvalidStateSetting</Code></Error>")
    assert err.code == "InvalidStateSetting" and err.message == ""
    assert err.category is S.WRONG_STATE


def test_json_error_body_and_request_id_header() -> None:
    body = b'{"Code": "NoPermission", "Message": "denied", "RequestId": "body-rid", "HostId": "h"}'
    err = error_from_response(403, {"X-Odps-Request-Id": "hdr-rid"}, body)
    assert (err.code, err.message, err.request_id, err.host_id) == (
        "NoPermission",
        "denied",
        "hdr-rid",
        "h",
    )
    assert err.category is S.DENIED


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, b"", S.NOT_FOUND),
        (401, b"", S.UNAUTHENTICATED),
        (502, b"<html>the page you are looking for is currently unavailable</html>", S.TRANSIENT),
        (500, b"oops", S.TRANSIENT),
        (503, b"<Error><Code>", S.TRANSIENT),
        (400, b"{not json", S.INVALID),
    ],
)
def test_unparseable_error_bodies_keep_the_status(
    status: int, body: bytes, expected: ErrorCategory
) -> None:
    err = error_from_response(status, {}, body)
    assert err.code == f"HTTP_{status}"
    assert err.http_status == status
    assert err.category is expected
    assert len(err.message) <= 300


HUGE_HTML = (
    b"<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title>"
    b"<style>body{font:12px}</style></head><body>"
    + b"<div>padding</div>" * 5000
    + b"</body></html>"
)
DTD_BODY = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<Instance><Status>&lol2;</Status></Instance>"""


@pytest.mark.parametrize(
    "body",
    [HUGE_HTML, DTD_BODY, b"x" * 100_000, "bad\x00\x1b[31m\r\nX-Injected: 1\u202e".encode()],
    ids=["huge-html", "dtd", "huge-text", "control-chars"],
)
def test_raw_error_bodies_become_short_sanitized_excerpts(body: bytes) -> None:
    err = error_from_response(502, {}, body, operation="get_instance")
    assert err.code == "HTTP_502" and err.category is S.TRANSIENT
    prefix = "HTTP 502 with an unrecognised body: "
    assert err.message.startswith(prefix)
    assert len(err.message) <= len(prefix) + 200
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in err.message)
    assert "\u202e" not in err.message
    for raw in ("<", "ENTITY", "DOCTYPE", "padding" * 40):
        assert raw not in err.message


def test_html_error_page_reads_as_its_text() -> None:
    err = error_from_response(502, {}, b"<html><body><h1>502 Bad Gateway</h1></body></html>")
    assert err.message == "HTTP 502 with an unrecognised body: 502 Bad Gateway"
    assert error_from_response(404, {}, b"").message == "HTTP 404 with an empty body"


def test_server_messages_are_kept_but_bounded() -> None:
    long = "ODPS-0130071:Semantic analysis exception\n" + "detail " * 1000
    body = f"<Error><Code>ParseError</Code><Message>{long}</Message></Error>".encode()
    err = error_from_response(400, {}, body)
    assert err.message.startswith("ODPS-0130071:Semantic analysis exception\n")
    assert len(err.message) <= 1024
    body = b'{"Code": "NoPermission", "Message": "denied\\u0007 here"}'
    assert error_from_response(403, {}, body).message == "denied  here"


def test_retry_after_seconds_and_date() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(later, now) == 7.0
    err = error_from_response(429, {"Retry-After": "2"}, b"")
    assert err.retry_after == 2.0 and err.is_throttling
    assert err.category is S.THROTTLED


def test_throttling_detection() -> None:
    assert MaxComputeError("QPSExceeded", "slow down", http_status=400).is_throttling
    assert MaxComputeError("X", "", http_status=409, retry_after=1.0).is_throttling
    assert not MaxComputeError("X", "", http_status=409).is_throttling
    assert not MaxComputeError("ServiceUnavailable", "", http_status=503).is_throttling


def test_error_str_and_repr() -> None:
    err = MaxComputeError(
        "NoSuchObject", "gone", http_status=404, request_id="r1", retry_after=1.5, operation="op"
    )
    assert (
        str(err)
        == "NoSuchObject: gone (http_status=404, operation=op, request_id=r1, retry_after=1.5s)"
    )
    assert "NoSuchObject" in repr(err)
    assert err.with_context(project="p", instance_id="i").project == "p"
