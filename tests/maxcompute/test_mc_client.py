"""The client against a scripted upstream: request shape, retries, deadlines, duplicates, errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from mc_helpers import TEST_SECRET, TEST_STS_TOKEN, Script, error_xml, xml
from mcgateway.domain import InstanceStatus, ListFilter, LogviewKind, TaskStatus
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    Deadline,
    ErrorCategory,
    FailureKind,
    HttpRequest,
    HttpResponse,
    InvalidIdentifier,
    MaxComputeClient,
    MaxComputeError,
    PollPolicy,
    RetryPolicy,
    SyntheticCode,
    TransportFailure,
    UpstreamRequest,
)
from mcgateway.maxcompute._signing import canonical_string, sign_v2

Factory = Callable[..., MaxComputeClient]
RUNNING = "<Instance><Status>Running</Status></Instance>"
TERMINATED = "<Instance><Status>Terminated</Status></Instance>"


def created(instance_id: str = "20260101000000001gabc") -> HttpResponse:
    return HttpResponse(
        201, {"Location": f"http://mc.test/api/projects/demo/instances/{instance_id}"}
    )


def reset() -> TransportFailure:
    return TransportFailure(FailureKind.CONNECTION_RESET, "reset", sent=True)


def test_request_is_signed_like_pyodps(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(
        xml(200, RUNNING, x_odps_owner="me", x_odps_start_time="Thu, 19 May 2016 10:13:49 GMT")
    )
    inst = client.get_instance("demo", "i1")
    assert inst.status is InstanceStatus.RUNNING and inst.owner == "me"
    request = script.requests[0]
    assert request.method == "GET"
    assert request.url == "http://mc.test/api/projects/demo/instances/i1?curr_project=demo"
    headers = dict(request.headers)
    assert headers["User-Agent"] == headers["x-odps-user-agent"]
    assert headers["authorization-sts-token"] == TEST_STS_TOKEN
    canonical = canonical_string("GET", request.url, "http://mc.test/api", headers)
    expected = sign_v2(Credentials("test_id", TEST_SECRET), canonical)
    assert headers["Authorization"] == expected
    assert "Content-Type" not in headers
    assert 0 < request.read_timeout <= 60 and 0 < request.connect_timeout <= 5


def test_stop_sends_pyodps_body(make_client: Factory, script: Script) -> None:
    client = make_client(default_project=None)
    script.add(HttpResponse(200, {}))
    client.stop_instance("proj_a", "i1")
    request = script.requests[0]
    assert request.method == "PUT"
    assert request.url.endswith("/projects/proj_a/instances/i1?curr_project=proj_a")
    assert request.headers["Content-Type"] == "application/xml"
    assert request.headers["Content-Length"] == "92"
    assert request.body is not None and b"<Status>Terminated</Status>" in request.body


def test_stop_terminated_instance_is_failed_precondition(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(error_xml(409, "InvalidStateSetting", "ODPS-0420061: Invalid state setting"))
    with pytest.raises(MaxComputeError) as info:
        client.stop_instance("demo", "i1")
    assert info.value.category is ErrorCategory.WRONG_STATE
    assert info.value.instance_id == "i1" and info.value.project == "demo"


def test_stop_retried_after_lost_answer_counts_as_done(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(reset(), error_xml(409, "InvalidStateSetting"))
    client.stop_instance("demo", "i1")
    assert len(script.requests) == 2


def test_idempotent_get_retries_transient_failures(
    make_client: Factory, script: Script, events: list[UpstreamRequest]
) -> None:
    sleeps: list[float] = []
    client = make_client(sleeps=sleeps)
    script.add(
        error_xml(503, "ServiceUnavailable"),
        reset(),
        HttpResponse(502, {}, b""),
        xml(200, TERMINATED),
    )
    assert client.get_instance("demo", "i1").is_terminated
    assert len(script.requests) == 4 and len(sleeps) == 3
    assert all(0 <= s <= 0.02 for s in sleeps)
    transient = ErrorCategory.TRANSIENT
    assert [e.category for e in events] == [transient, transient, transient, None]
    assert [e.attempt for e in events] == [1, 2, 3, 4]
    assert {e.operation for e in events} == {"get_instance"}
    assert (
        events[0].error_code == "ServiceUnavailable" and events[1].error_code == "ConnectionReset"
    )


def test_persistent_failure_gives_up_after_max_attempts(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.default = HttpResponse(503, {}, b"")
    with pytest.raises(MaxComputeError) as info:
        client.get_task_statuses("demo", "i1")
    assert info.value.category is ErrorCategory.TRANSIENT
    assert info.value.attempts == 5 and len(script.requests) == 5


def test_errors_that_will_not_change_are_not_retried(make_client: Factory, script: Script) -> None:
    client = make_client()
    for answer in (
        error_xml(404, "NoSuchObject"),
        error_xml(400, "InvalidParameter"),
        error_xml(403, "NoPermission"),
        error_xml(401, "SignatureNotMatch"),
        HttpResponse(418, {}, b""),
    ):
        script.add(answer)
        with pytest.raises(MaxComputeError):
            client.get_task_results("demo", "i1")
    assert len(script.requests) == 5


def test_internal_server_error_is_retried_on_reads(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(error_xml(500, "InternalServerError"), xml(200, RUNNING))
    assert client.get_instance("demo", "i1").status is InstanceStatus.RUNNING
    assert len(script.requests) == 2


def test_retries_never_outlive_the_deadline(script: Script) -> None:
    # Real sleeps here: the deadline is what stops the loop.
    config = ClientConfig(
        endpoint="http://mc.test/api",
        credentials=Credentials("id", TEST_SECRET),
        retry=RetryPolicy(max_attempts=1000, initial_backoff=0.02, max_backoff=0.05),
    )
    script.default = HttpResponse(503, {}, b"")
    from mcgateway.maxcompute import HandlerTransport

    client = MaxComputeClient(config, transport=HandlerTransport(script))
    started = time.monotonic()
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", "i1", deadline=Deadline.after(0.3))
    assert time.monotonic() - started < 0.3
    assert info.value.category is ErrorCategory.TRANSIENT
    assert 1 < len(script.requests) < 1000


def test_expired_deadline_sends_nothing(make_client: Factory, script: Script) -> None:
    client = make_client()
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", "i1", deadline=Deadline.after(0))
    assert info.value.code == SyntheticCode.DEADLINE_EXCEEDED
    assert info.value.category is ErrorCategory.TIMED_OUT
    assert script.requests == []


def test_timeouts_follow_the_deadline(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(xml(200, RUNNING))
    client.get_instance("demo", "i1", deadline=Deadline.after(1.5))
    assert script.requests[0].read_timeout <= 1.5 and script.requests[0].connect_timeout <= 1.5


def test_throttling_honours_retry_after(make_client: Factory, script: Script) -> None:
    sleeps: list[float] = []
    client = make_client(sleeps=sleeps)
    script.add(error_xml(429, "QPSExceeded", Retry_After="1"), xml(200, RUNNING))
    client.get_instance("demo", "i1")
    assert sleeps == [1.0]


def test_throttling_beyond_the_deadline_fails_fast_with_retry_after(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(error_xml(429, "QPSExceeded", Retry_After="10"))
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", "i1", deadline=Deadline.after(2))
    assert info.value.retry_after == 10.0
    assert info.value.category is ErrorCategory.THROTTLED
    assert len(script.requests) == 1


def test_malformed_success_body(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(xml(200, "<Instance><Status>"))
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", "i1")
    assert info.value.code == SyntheticCode.MALFORMED_RESPONSE
    assert info.value.category is ErrorCategory.TRANSIENT


PROXY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    + "<p>"
    + "upstream unreachable " * 40
    + "</p></body></html>"
)


@pytest.mark.parametrize(
    ("call", "body", "expected"),
    [
        ("list_instances", PROXY_PAGE, "<Instances>"),
        ("list_instances", "<Instance><Name>x</Name></Instance>", "<Instances>"),
        ("get_instance", PROXY_PAGE, "<Instance>"),
        ("get_task_statuses", "<Instances/>", "<Instance>"),
        ("get_task_results", PROXY_PAGE, "<Instance>"),
        ("get_task_results", '<?xml version="1.0"?><Foo><Bar>1</Bar></Foo>', "<Instance>"),
        ("get_task_progress", "<Instance/>", "<Progress>"),
        ("get_job", PROXY_PAGE, "<Job> or <Instance>"),
        ("get_xflow_actions", "<Instance/>", "<Xinstance>"),
    ],
)
def test_wrong_root_on_200_is_unavailable_not_an_empty_result(
    make_client: Factory, script: Script, call: str, body: str, expected: str
) -> None:
    """A proxy page or another document answered with 200 must not read as "nothing"."""
    client = make_client()
    script.add(xml(200, body))
    method = getattr(client, call)
    args = ("demo",) if call == "list_instances" else ("demo", "i1")
    if call == "get_task_progress":
        args = (*args, "AnonymousSQLTask")
    with pytest.raises(MaxComputeError) as info:
        method(*args)
    err = info.value
    assert err.code == SyntheticCode.MALFORMED_RESPONSE
    assert err.category is ErrorCategory.TRANSIENT
    assert err.http_status == 200
    root = "html" if body is PROXY_PAGE else body.split("?>")[-1][1:].split(">")[0].split("/")[0]
    assert f"root element is <{root}>" in err.message, err.message
    assert expected in err.message and "HTTP 200" in err.message
    assert err.operation and f"unexpected {err.operation} response" in err.message
    assert "upstream unreachable" not in err.message and len(err.message) <= 300
    assert len(script.requests) == 1, "a malformed 200 is reported, not retried in a loop"


def test_logview_token_with_wrong_root_is_unavailable(make_client: Factory, script: Script) -> None:
    client = make_client(use_legacy_logview=True)
    script.add(xml(200, "<html><body>login</body></html>"))
    with pytest.raises(MaxComputeError) as info:
        client.get_logview_address("demo", "i1")
    assert info.value.category is ErrorCategory.TRANSIENT
    assert "expected <Authorization>" in info.value.message


def test_exists(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(xml(200, RUNNING), error_xml(404, "NoSuchObject"), HttpResponse(404, {}, b""))
    assert client.instance_exists("demo", "i1")
    assert not client.instance_exists("demo", "i2")
    assert not client.instance_exists("demo", "i3")
    script.add(error_xml(403, "NoPermission"))
    with pytest.raises(MaxComputeError):
        client.instance_exists("demo", "i4")


def test_invalid_names_send_nothing(make_client: Factory, script: Script) -> None:
    client = make_client()
    with pytest.raises(InvalidIdentifier):
        client.get_instance("../etc", "i1")
    with pytest.raises(InvalidIdentifier):
        client.get_instance("demo", "i1/../../x")
    with pytest.raises(InvalidIdentifier):
        client.get_task_progress("demo", "i1", "t&x=1")
    assert script.requests == []


def test_list_instances_params_and_paging(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(
        xml(200, "<Instances><Marker>m2</Marker><Instance><Name>a</Name></Instance></Instances>"),
        xml(200, "<Instances><Marker>m3</Marker><Instance><Name>b</Name></Instance></Instances>"),
        xml(200, "<Instances><Marker/><Instance><Name>c</Name></Instance></Instances>"),
    )
    flt = ListFilter(
        status=InstanceStatus.RUNNING,
        only_owner=True,
        start_time=datetime(2016, 5, 19, tzinfo=UTC),
        end_time=datetime(2016, 5, 20, tzinfo=UTC),
    )
    ids = [i.id for i in client.iter_instances("demo", filter=flt, page_size=1)]
    assert ids == ["a", "b", "c"]
    assert script.requests[0].url == (
        "http://mc.test/api/projects/demo/instances?status=Running&onlyowner=yes"
        "&daterange=1463616000%3A1463702400&maxitems=1&curr_project=demo"
    )
    assert "&marker=m2&" in script.requests[1].url and "&marker=m3&" in script.requests[2].url


def test_repeating_marker_stops_iteration(make_client: Factory, script: Script) -> None:
    client = make_client()
    page = xml(
        200, "<Instances><Marker>same</Marker><Instance><Name>a</Name></Instance></Instances>"
    )
    script.add(page, page, page)
    assert len(list(client.iter_instances("demo"))) == 2
    with pytest.raises(ValueError):
        client.list_instances("demo", max_items=0)


def test_progress_request(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(xml(200, "<Progress/>"))
    progress = client.get_task_progress("demo", "i1", "AnonymousSQLTask")
    assert script.requests[0].url.endswith(
        "/instances/i1?instanceprogress=AnonymousSQLTask&taskname=AnonymousSQLTask&curr_project=demo"
    )
    assert progress.stages == () and progress.formatted.endswith(" ")


def test_wait_instance_polls_until_terminated(make_client: Factory, script: Script) -> None:
    sleeps: list[float] = []
    client = make_client(sleeps=sleeps, poll=PollPolicy(initial_interval=0.5, max_interval=1.0))
    script.add(xml(200, RUNNING), xml(200, RUNNING), xml(200, RUNNING), xml(200, TERMINATED))
    script.add(
        xml(
            200,
            "<Instance><Tasks><Task><Name>t</Name><Status>Success</Status></Task></Tasks></Instance>",
        )
    )
    inst = client.wait_instance("demo", "i1", wait=30, include_tasks=True)
    assert inst.is_terminated and inst.successful and inst.tasks[0].status is TaskStatus.SUCCESS
    assert sleeps == pytest.approx([0.5, 1.0, 1.0], abs=0.05)
    assert all("?instancestatus&" in r.url for r in script.requests[:4])
    assert "?taskstatus&" in script.requests[4].url


def test_wait_instance_returns_running_state_when_budget_ends(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(xml(200, RUNNING))
    inst = client.wait_instance("demo", "i1", wait=0.1)
    assert inst.status is InstanceStatus.RUNNING and len(script.requests) == 1
    # Less budget than the server's hold: a plain GET, not the blocking call.
    assert script.requests[0].url.endswith("/instances/i1?curr_project=demo")


def test_create_sql_body_and_location(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(created("20260101000000001gxyz"))
    result = client.create_sql_instance(
        "demo",
        "select 1",
        hints={"odps.sql.mapper.split.size": 16, "flag": True},
        request_id="req-1",
    )
    assert result.instance_id == "20260101000000001gxyz" and result.request_id == "req-1"
    assert not result.recovered
    request = script.requests[0]
    assert request.method == "POST" and request.headers["Content-Type"] == "application/xml"
    body = (request.body or b"").decode()
    assert "<Guid>req-1</Guid>" in body and "<Priority>9</Priority>" in body
    assert (
        '{"odps.sql.mapper.split.size": "16", "flag": "true", "mcgateway.request_id": "req-1"}'
        in body
    )
    assert "<Query><![CDATA[select 1;]]></Query>" in body


def test_create_without_location_is_invalid_response(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(HttpResponse(201, {}))
    with pytest.raises(MaxComputeError) as info:
        client.create_sql_instance("demo", "select 1")
    assert info.value.code == SyntheticCode.INVALID_RESPONSE
    script.add(HttpResponse(201, {"Location": "http://x/instances/bad id"}))
    with pytest.raises(MaxComputeError):
        client.create_sql_instance("demo", "select 1")


def _source(guid: str) -> HttpResponse:
    return xml(
        200,
        f"<Job><Priority>9</Priority><Guid>{guid}</Guid><Tasks><SQL><Name>t</Name></SQL></Tasks></Job>",
    )


def _listing(*names: str) -> HttpResponse:
    now = format_datetime(datetime.now(UTC), usegmt=True)
    items = "".join(
        f"<Instance><Name>{n}</Name><StartTime>{now}</StartTime></Instance>" for n in names
    )
    return xml(200, f"<Instances>{items}<Marker/></Instances>")


def test_ambiguous_create_finds_the_instance_instead_of_duplicating(
    make_client: Factory, script: Script
) -> None:
    client = make_client()
    script.add(
        TransportFailure(FailureKind.READ_TIMEOUT, "slow", sent=True),
        _listing("other1", "mine"),
        _source("someone-else"),
        _source("req-7"),
    )
    result = client.create_sql_instance("demo", "select 1", request_id="req-7")
    assert result.instance_id == "mine" and result.recovered
    posts = [r for r in script.requests if r.method == "POST"]
    assert len(posts) == 1
    listing = script.requests[1].url
    assert "onlyowner=yes" in listing and "daterange=" in listing


def test_ambiguous_create_not_found_is_reported_not_retried(
    make_client: Factory, script: Script
) -> None:
    client = make_client(create_lookup_timeout=0.2)
    script.add(HttpResponse(502, {}, b"bad gateway"))
    script.default = _listing()
    with pytest.raises(MaxComputeError) as info:
        client.create_sql_instance("demo", "select 1", request_id="req-8")
    assert info.value.code == SyntheticCode.CREATE_OUTCOME_UNKNOWN
    assert info.value.category is ErrorCategory.UNKNOWN
    assert len([r for r in script.requests if r.method == "POST"]) == 1
    # The facts, in REST terms: what to advise is the caller's (the gateway's) business.
    message = info.value.message
    assert "answer was lost" in message and "req-8" in message
    assert "find_created_instance" not in message and "Submit" not in message


def test_ambiguous_create_without_request_id_names_the_generated_one(
    make_client: Factory, script: Script
) -> None:
    client = make_client(create_lookup_timeout=0.2)
    script.add(HttpResponse(502, {}, b"bad gateway"))
    script.default = _listing()
    with pytest.raises(MaxComputeError) as info:
        client.create_xflow_instance("demo", "AppendID", {})
    assert info.value.code == SyntheticCode.CREATE_OUTCOME_UNKNOWN
    assert info.value.category is ErrorCategory.UNKNOWN
    assert "answer was lost (HTTP_502)" in info.value.message


def test_create_retried_when_certainly_not_executed(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(
        TransportFailure(FailureKind.CONNECT_FAILED, "refused", sent=False),
        error_xml(429, "QPSExceeded"),
        error_xml(503, "ServiceUnavailable"),
        created(),
    )
    assert client.create_sql_instance("demo", "select 1").instance_id == "20260101000000001gabc"
    assert [r.method for r in script.requests] == ["POST"] * 4


def test_create_rejections_are_not_retried(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(error_xml(400, "ODPS-0130161", "Parse exception"))
    with pytest.raises(MaxComputeError) as info:
        client.create_sql_instance("demo", "selec 1")
    assert info.value.category is ErrorCategory.INVALID and not info.value.ambiguous
    assert len(script.requests) == 1


def test_find_created_instance_reads_settings(make_client: Factory, script: Script) -> None:
    client = make_client()
    job = (
        "<Job><Priority>9</Priority><Tasks><SQL><Name>t</Name><Config><Property>"
        '<Name>settings</Name><Value>{"mcgateway.request_id": "req-9"}</Value></Property>'
        "</Config></SQL></Tasks></Job>"
    )
    script.add(_listing("x1"), xml(200, job))
    assert client.find_created_instance("demo", "req-9", since=datetime.now(UTC)) == "x1"


def test_v4_signing_and_fallback_to_v2(make_client: Factory, script: Script) -> None:
    client = make_client(endpoint="http://service.cn-hangzhou.maxcompute.aliyun.com/api")
    assert client.region == "cn-hangzhou" and client.signs_v4
    script.add(
        error_xml(401, "Unauthorized", "The request authorization header is invalid or missing."),
        xml(200, RUNNING),
        xml(200, RUNNING),
    )
    client.get_instance("demo", "i1")
    first, second = (
        script.requests[0].headers["Authorization"],
        script.requests[1].headers["Authorization"],
    )
    assert "/cn-hangzhou/odps/aliyun_v4_request:" in first
    assert second.startswith("ODPS test_id:")
    assert not client.signs_v4
    client.get_instance("demo", "i1")
    assert script.requests[2].headers["Authorization"].startswith("ODPS test_id:")


def test_v4_other_auth_errors_are_raised(make_client: Factory, script: Script) -> None:
    client = make_client(region="cn-shanghai")
    script.add(error_xml(401, "SignatureNotMatch", "ODPS-0410042:Invalid signature value"))
    with pytest.raises(MaxComputeError) as info:
        client.get_instance("demo", "i1")
    assert info.value.category is ErrorCategory.UNAUTHENTICATED
    assert client.signs_v4 and len(script.requests) == 1


def test_v2_when_no_region(make_client: Factory) -> None:
    assert not make_client(endpoint="http://127.0.0.1:1/api").signs_v4
    assert not make_client(region="cn-hangzhou", enable_v4_sign=False).signs_v4


def test_legacy_logview(make_client: Factory, script: Script) -> None:
    client = make_client(endpoint="http://127.0.0.1:9/api", logview_host=None)
    script.add(
        xml(200, "<Authorization><Result>TOKEN</Result></Authorization>"),
        HttpResponse(200, {}, b"http://logview.local"),
    )
    address = client.get_logview_address("demo", "i1", hours=12)
    assert address.kind is LogviewKind.LEGACY and address.token == "TOKEN"
    assert (
        address.url
        == "http://logview.local/logview/?h=http://127.0.0.1:9/api&p=demo&i=i1&token=TOKEN"
    )
    token_request = script.requests[0]
    assert token_request.method == "POST"
    assert token_request.url.endswith(
        "/projects/demo/authorization?sign_bearer_token&curr_project=demo"
    )
    assert token_request.headers["Content-Type"] == "application/json"
    assert b'"expires_in_hours": 12' in (token_request.body or b"")
    assert script.requests[1].url.endswith("/api/logview/host?curr_project=demo")
    assert "TOKEN" not in repr(address)


def test_logview_host_fallback(make_client: Factory, script: Script) -> None:
    client = make_client(endpoint="http://127.0.0.1:9/api", logview_host=None)
    script.add(
        xml(200, "<Authorization><Result>T</Result></Authorization>"), HttpResponse(404, {}, b"")
    )
    assert client.get_logview_address("demo", "i1").url.startswith(
        "http://logview.aliyun.com/logview/?"
    )


def test_job_insight_logview(make_client: Factory, script: Script) -> None:
    client = make_client(endpoint="http://service.cn-hangzhou.maxcompute.aliyun.com/api")
    script.add(HttpResponse(200, {}, b"https://maxcompute.console.aliyun.com\n"))
    address = client.get_logview_address("demo", "i1")
    assert address.kind is LogviewKind.JOB_INSIGHT
    assert address.url == (
        "https://maxcompute.console.aliyun.com/cn-hangzhou/job-insights"
        "?h=http://service.cn-hangzhou.maxcompute.aliyun.com/api&p=demo&i=i1"
    )
    assert script.requests[0].url.endswith("/api/webconsole/host?curr_project=demo")
    # Cached: no further discovery request.
    client.get_logview_address("demo", "i2")
    assert len(script.requests) == 1


def test_job_insight_needs_a_region(make_client: Factory, script: Script) -> None:
    client = make_client(endpoint="http://localhost:9/api", job_insight_host="https://ji.test")
    script.add(xml(200, "<Authorization><Result>T</Result></Authorization>"))
    assert client.get_logview_address("demo", "i1").kind is LogviewKind.LEGACY
    forced = make_client(
        use_legacy_logview=True, region="cn-hangzhou", job_insight_host="https://ji"
    )
    script.add(xml(200, "<Authorization><Result>T</Result></Authorization>"))
    assert forced.get_logview_address("demo", "i1").kind is LogviewKind.LEGACY


def test_xflow_sub_instances_follow_sub_workflows(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(
        xml(
            200,
            '<Xinstance><Actions><Action NodeType="Instance"><Name>a</Name>'
            "<InstanceId>S1</InstanceId></Action>"
            '<Action NodeType="SubWorkflow"><Name>sub</Name><InstanceId>W1</InstanceId></Action>'
            '<Action NodeType="Local"><Name>l</Name></Action></Actions></Xinstance>',
        ),
        xml(
            200,
            '<Xinstance><Actions><Action NodeType="Instance"><Name>b</Name>'
            "<InstanceId>S2</InstanceId></Action>"
            '<Action NodeType="SubWorkflow"><Name>loop</Name><InstanceId>X1</InstanceId>'
            "</Action></Actions></Xinstance>",
        ),
    )
    subs = client.get_xflow_sub_instances("demo", "X1")
    assert [(s.name, s.instance_id, s.path) for s in subs] == [
        ("a", "S1", ()),
        ("b", "S2", ("sub",)),
    ]
    assert all("?xresult&" in r.url for r in script.requests) and len(script.requests) == 2


def test_create_xflow(make_client: Factory, script: Script) -> None:
    client = make_client()
    script.add(created("X9"))
    result = client.create_xflow_instance(
        "demo", "AppendID", {"inputTableName": "iris"}, priority=2, request_id="rx"
    )
    assert result.instance_id == "X9"
    body = (script.requests[0].body or b"").decode()
    assert "<Xflow>AppendID</Xflow>" in body and "<Value>demo.iris</Value>" in body
    assert "<Name>mcgateway.request_id</Name>" in body
    with pytest.raises(ValueError):
        client.create_xflow_instance("demo", "a/b", {})


def test_observer_failure_does_not_break_calls(script: Script) -> None:
    def broken(event: UpstreamRequest) -> None:
        raise RuntimeError("metrics down")

    from mcgateway.maxcompute import HandlerTransport

    config = ClientConfig(endpoint="http://mc.test/api", credentials=Credentials("id", TEST_SECRET))
    client = MaxComputeClient(config, transport=HandlerTransport(script), observer=broken)
    script.add(xml(200, RUNNING))
    assert client.get_instance("demo", "i1").status is InstanceStatus.RUNNING


def test_secrets_never_in_reprs_errors_or_logs(
    make_client: Factory, script: Script, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    creds = Credentials("test_id", TEST_SECRET, TEST_STS_TOKEN)
    client = make_client(credentials=creds, create_lookup_timeout=0.05)
    script.add(error_xml(401, "SignatureNotMatch", "ODPS-0410042:Invalid signature value"))
    with pytest.raises(MaxComputeError) as auth_error:
        client.get_instance("demo", "i1")
    script.add(TransportFailure(FailureKind.READ_TIMEOUT, "slow", sent=True))
    script.default = _listing()
    with pytest.raises(MaxComputeError) as create_error:
        client.create_sql_instance("demo", "select 1")
    config = ClientConfig(endpoint="http://mc.test/api", credentials=creds)
    request = script.requests[0]
    texts = [
        repr(creds),
        str(creds),
        repr(config),
        str(config),
        repr(client),
        repr(request),
        str(auth_error.value),
        repr(auth_error.value),
        str(create_error.value),
        repr(create_error.value),
        caplog.text,
    ]
    for text in texts:
        assert TEST_SECRET not in text
        assert TEST_STS_TOKEN not in text
    assert auth_error.value.category is ErrorCategory.UNAUTHENTICATED
    assert "test_id" in repr(creds)


def test_credentials_from_env() -> None:
    creds = Credentials.from_env(
        {
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "id",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sec",
            "ALIBABA_CLOUD_SECURITY_TOKEN": "tok",
        }
    )
    assert (creds.access_id, creds.access_key, creds.security_token) == ("id", "sec", "tok")
    assert creds.is_sts
    from mcgateway.maxcompute import MissingCredentials

    with pytest.raises(MissingCredentials) as info:
        Credentials.from_env({"ALIBABA_CLOUD_ACCESS_KEY_ID": "id"})
    assert "sec" not in str(info.value)
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(creds)


def test_requests_seen_by_handler_are_complete(make_client: Factory, script: Script) -> None:
    seen: list[HttpRequest] = []

    def handler(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return xml(200, RUNNING)

    client = make_client()
    script.add(handler)
    client.get_instance("demo", "i1")
    assert seen[0].headers["Date"].endswith("GMT")
