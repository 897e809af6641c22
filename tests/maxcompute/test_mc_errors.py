"""The error table (complete against PyODPS) and error-body parsing."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import grpc
import odps.errors as pyodps_errors
import pytest
from mcgateway.maxcompute import (
    ERROR_CODE_TO_GRPC,
    ODPS_CODE_PREFIX_TO_GRPC,
    MaxComputeError,
    SyntheticCode,
    grpc_status_for,
)
from mcgateway.maxcompute._errors import error_from_response, parse_retry_after

S = grpc.StatusCode


def _pyodps_codes() -> set[str]:
    """Every name under which odps.errors resolves a server code to an exception class."""
    names = {
        name
        for name, obj in vars(pyodps_errors).items()
        if inspect.isclass(obj)
        and issubclass(obj, pyodps_errors.BaseODPSError)
        and obj is not pyodps_errors.BaseODPSError
    }
    return names | set(pyodps_errors._CODE_MAPPING)


def test_every_pyodps_error_code_is_mapped() -> None:
    codes = _pyodps_codes()
    assert len(codes) > 50  # sanity: the introspection found PyODPS's classes
    unmapped = sorted(codes - set(ERROR_CODE_TO_GRPC))
    assert unmapped == [], f"add rows to ERROR_CODE_TO_GRPC for {unmapped}"


def test_every_pyodps_sqa_prefix_is_mapped() -> None:
    assert set(pyodps_errors._SQA_CODE_MAPPING) <= set(ODPS_CODE_PREFIX_TO_GRPC)
    for prefix, class_name in pyodps_errors._SQA_CODE_MAPPING.items():
        assert ODPS_CODE_PREFIX_TO_GRPC[prefix] is ERROR_CODE_TO_GRPC[class_name]


def test_code_mapping_follows_pyodps_class_mapping() -> None:
    for code, class_name in pyodps_errors._CODE_MAPPING.items():
        if class_name in ERROR_CODE_TO_GRPC:
            assert ERROR_CODE_TO_GRPC[code] is ERROR_CODE_TO_GRPC[class_name], code


@pytest.mark.parametrize(
    ("family", "status"),
    [
        ("NoSuchObject", S.NOT_FOUND),
        ("InternalServerError", S.UNAVAILABLE),
        ("RequestQuotaExceeded", S.RESOURCE_EXHAUSTED),
        ("AuthorizationRequired", S.UNAUTHENTICATED),
    ],
)
def test_pyodps_subclasses_share_their_family_status(family: str, status: grpc.StatusCode) -> None:
    base = getattr(pyodps_errors, family)
    members = [
        name
        for name, obj in vars(pyodps_errors).items()
        if inspect.isclass(obj) and issubclass(obj, base)
    ]
    assert len(members) >= 2
    for name in members:
        assert ERROR_CODE_TO_GRPC[name] is status, name


@pytest.mark.parametrize(
    ("code", "http_status", "expected"),
    [
        ("NoSuchObject", 404, S.NOT_FOUND),
        ("InvalidStateSetting", 409, S.FAILED_PRECONDITION),
        ("InvalidArgument", 400, S.INVALID_ARGUMENT),
        ("InvalidParameter", 400, S.INVALID_ARGUMENT),
        ("ParseError", 400, S.INVALID_ARGUMENT),
        ("NoPermission", 403, S.PERMISSION_DENIED),
        ("SignatureNotMatch", 401, S.UNAUTHENTICATED),
        ("InvalidParameter", 401, S.UNAUTHENTICATED),  # ODPS-0410051 invalid credentials
        ("Unauthorized", 401, S.UNAUTHENTICATED),
        ("QPSExceeded", 429, S.RESOURCE_EXHAUSTED),
        ("SlotExceeded", 400, S.RESOURCE_EXHAUSTED),
        ("FlowExceeded", 400, S.RESOURCE_EXHAUSTED),
        ("ServiceUnavailable", 503, S.UNAVAILABLE),
        ("RequestTimeTooSkewd", 403, S.UNAUTHENTICATED),
        # Composite and ODPS-NNNNNNN codes, as PyODPS resolves them.
        ("ODPS-0130161: Parse exception", 400, S.INVALID_ARGUMENT),
        ("ODPS-0130131", 404, S.NOT_FOUND),
        ("NoSuchTable: whatever", 404, S.NOT_FOUND),
        ("ODPS-1830001", 400, S.RESOURCE_EXHAUSTED),
        # Unknown codes fall back to the HTTP status.
        ("InstanceNotFound", 404, S.NOT_FOUND),
        ("SomethingNew", 429, S.RESOURCE_EXHAUSTED),
        ("SomethingNew", 500, S.UNAVAILABLE),
        ("SomethingNew", 507, S.UNAVAILABLE),
        ("SomethingNew", 418, S.UNKNOWN),
        (None, 502, S.UNAVAILABLE),
        (None, None, S.UNKNOWN),
        (SyntheticCode.TIMEOUT, None, S.UNAVAILABLE),
        (SyntheticCode.CONNECTION_RESET, None, S.UNAVAILABLE),
        (SyntheticCode.DEADLINE_EXCEEDED, None, S.DEADLINE_EXCEEDED),
        (SyntheticCode.MALFORMED_RESPONSE, 200, S.UNAVAILABLE),
    ],
)
def test_grpc_status_for(
    code: str | None, http_status: int | None, expected: grpc.StatusCode
) -> None:
    assert grpc_status_for(code, http_status) is expected


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
    assert err.http_status == 404 and err.grpc_status is S.NOT_FOUND
    assert err.operation == "get_instance"


def test_xml_error_missing_children_still_parses() -> None:
    err = error_from_response(409, {}, b"<Error><Code>InvalidStateSetting</Code></Error>")
    assert err.code == "InvalidStateSetting" and err.message == ""
    assert err.grpc_status is S.FAILED_PRECONDITION


def test_json_error_body_and_request_id_header() -> None:
    body = b'{"Code": "NoPermission", "Message": "denied", "RequestId": "body-rid", "HostId": "h"}'
    err = error_from_response(403, {"X-Odps-Request-Id": "hdr-rid"}, body)
    assert (err.code, err.message, err.request_id, err.host_id) == (
        "NoPermission",
        "denied",
        "hdr-rid",
        "h",
    )
    assert err.grpc_status is S.PERMISSION_DENIED


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, b"", S.NOT_FOUND),
        (401, b"", S.UNAUTHENTICATED),
        (502, b"<html>the page you are looking for is currently unavailable</html>", S.UNAVAILABLE),
        (500, b"oops", S.UNAVAILABLE),
        (503, b"<Error><Code>", S.UNAVAILABLE),
        (400, b"{not json", S.INVALID_ARGUMENT),
    ],
)
def test_unparseable_error_bodies_keep_the_status(
    status: int, body: bytes, expected: grpc.StatusCode
) -> None:
    err = error_from_response(status, {}, body)
    assert err.code == f"HTTP_{status}"
    assert err.http_status == status
    assert err.grpc_status is expected
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
    assert err.code == "HTTP_502" and err.grpc_status is S.UNAVAILABLE
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
    assert err.grpc_status is S.RESOURCE_EXHAUSTED


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
