"""Validators and URL building: any input gives a validation error or a URL under the project."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mcgateway.maxcompute import (
    INSTANCE_ID_PATTERN,
    PROJECT_NAME_PATTERN,
    ClientConfig,
    Credentials,
    HandlerTransport,
    HttpRequest,
    HttpResponse,
    InvalidIdentifier,
    MaxComputeClient,
    validate_instance_id,
    validate_project_name,
    validate_request_id,
    validate_task_name,
    validate_xflow_name,
)
from mcgateway.maxcompute._urls import build_url, normalize_endpoint

ENDPOINT = "http://service.odps.aliyun.com/api"


@pytest.mark.parametrize("name", ["demo", "test_project", "pyodps_iris", "A" + "b" * 127])
def test_valid_project_names(name: str) -> None:
    assert validate_project_name(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "ab", "1abc", "_abc", "my project", "a/b", "a..", "../x", "abc\n", "A" + "b" * 128, "día"],
)
def test_invalid_project_names(name: str) -> None:
    with pytest.raises(InvalidIdentifier, match="project name"):
        validate_project_name(name)


@pytest.mark.parametrize(
    "value", ["20160519101349613gzbzufck2", "2016042605520945g9k5pvyi2", "x_mcqa", "a-b"]
)
def test_valid_instance_ids(value: str) -> None:
    assert validate_instance_id(value) == value


@pytest.mark.parametrize("value", ["", "-x", "a/b", "..", "a b", "a?b", "a%2F", "a" * 129])
def test_invalid_instance_ids(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_instance_id(value)


def test_task_and_request_ids() -> None:
    assert validate_task_name("AnonymousSQLTask") == "AnonymousSQLTask"
    assert validate_task_name("jdbc_sql_task.v2") == "jdbc_sql_task.v2"
    assert validate_request_id("0b8e8a52-2f4c-4a0e-9d7e-4fb0d3f1a2b3")
    for bad in ("", "a&b", "a=b", "a b", ".x"):
        with pytest.raises(InvalidIdentifier):
            validate_task_name(bad)
    with pytest.raises(InvalidIdentifier):
        validate_project_name(None)


@pytest.mark.parametrize("value", ["0b8e8a52-2f4c-4a0e-9d7e-4fb0d3f1a2b3", "_x", "-1", "a" * 64])
def test_valid_request_ids_are_the_contracts(value: str) -> None:
    # One rule for the gateway's validation and the REST client: the v1 contract's "at most
    # 64 characters of letters, digits and -_".
    assert validate_request_id(value) == value


@pytest.mark.parametrize("value", ["", "x/y", "a b", "a.b", "a" * 65, "día"])
def test_invalid_request_ids(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="request id"):
        validate_request_id(value)


def test_xflow_names() -> None:
    assert validate_xflow_name("AppendID") == "AppendID"
    for bad in ("", "1x", "a b", "a/b"):
        with pytest.raises(InvalidIdentifier, match="xflow name"):
            validate_xflow_name(bad)


def test_invalid_identifier_message_is_bounded() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_instance_id("x" * 10_000)
    assert len(str(info.value)) < 200


def test_build_url_encodes_every_piece() -> None:
    url = build_url(
        ENDPOINT,
        ["projects", "my project", "instances", "a/b?c"],
        actions=["taskstatus"],
        params=[("marker", "m&x=1+2"), ("curr_project", "my project")],
    )
    assert url == (
        f"{ENDPOINT}/projects/my%20project/instances/a%2Fb%3Fc"
        "?taskstatus&marker=m%26x%3D1%2B2&curr_project=my%20project"
    )
    for bad in ("", ".", ".."):
        with pytest.raises(ValueError):
            build_url(ENDPOINT, ["projects", bad])


def test_normalize_endpoint() -> None:
    assert normalize_endpoint("http://h:1/api/") == "http://h:1/api"
    for bad in ("ftp://h/api", "h/api", "http:///api", "http://h/api?x=1"):
        with pytest.raises(ValueError):
            normalize_endpoint(bad)


@settings(max_examples=300, deadline=None)
@given(
    project=st.one_of(st.text(max_size=40), st.from_regex(PROJECT_NAME_PATTERN, fullmatch=True)),
    instance_id=st.one_of(st.text(max_size=40), st.from_regex(INSTANCE_ID_PATTERN, fullmatch=True)),
)
def test_urls_never_leave_the_project(project: str, instance_id: str) -> None:
    try:
        validate_project_name(project)
        validate_instance_id(instance_id)
    except InvalidIdentifier:
        return
    url = build_url(
        ENDPOINT,
        ["projects", project, "instances", instance_id],
        actions=["taskstatus"],
        params=[("curr_project", project)],
    )
    parsed = urlparse(url)
    assert url.startswith(f"{ENDPOINT}/projects/{project}/instances/")
    assert parsed.netloc == "service.odps.aliyun.com"
    segments = parsed.path.split("/")
    assert segments == ["", "api", "projects", project, "instances", instance_id]
    assert unquote(segments[3]) == project and unquote(segments[5]) == instance_id


@settings(max_examples=300, deadline=None)
@given(segment=st.text(min_size=1, max_size=30), value=st.text(max_size=30))
def test_any_segment_is_one_encoded_segment(segment: str, value: str) -> None:
    if segment in (".", ".."):
        return
    url = build_url(ENDPOINT, ["projects", segment], params=[("marker", value)])
    parsed = urlparse(url)
    assert parsed.netloc == "service.odps.aliyun.com" and not parsed.fragment
    parts = parsed.path.split("/")
    assert parts[:3] == ["", "api", "projects"] and len(parts) == 4
    assert unquote(parts[3]) == segment
    assert parsed.query.count("=") == 1 and "&" not in parsed.query


_SEEN: list[str] = []


def _capture(request: HttpRequest) -> HttpResponse:
    _SEEN.append(request.url)
    return HttpResponse(200, {}, b"<Instance><Status>Running</Status></Instance>")


_CLIENT = MaxComputeClient(
    ClientConfig(endpoint=ENDPOINT, credentials=Credentials("id", "key")),
    transport=HandlerTransport(_capture),
)


@settings(max_examples=300, deadline=None)
@given(
    project=st.one_of(st.text(max_size=40), st.from_regex(PROJECT_NAME_PATTERN, fullmatch=True)),
    instance_id=st.one_of(st.text(max_size=40), st.from_regex(INSTANCE_ID_PATTERN, fullmatch=True)),
)
def test_client_requests_stay_under_the_project(project: str, instance_id: str) -> None:
    _SEEN.clear()
    try:
        _CLIENT.get_instance(project, instance_id)
    except InvalidIdentifier:
        assert _SEEN == []
        return
    assert len(_SEEN) == 1
    parsed = urlparse(_SEEN[0])
    assert parsed.scheme == "http" and parsed.netloc == "service.odps.aliyun.com"
    assert parsed.path == f"/api/projects/{project}/instances/{instance_id}"
