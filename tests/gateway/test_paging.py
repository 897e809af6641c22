"""Paging of the Lists over one upstream read: ListTasks, ListTaskResults, ListSubInstances.

MaxCompute answers each of these lists whole; the gateway pages it with opaque tokens bound
to the method, the project and the instance (AIP-158).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from mcgateway.service import paging, validation

from gateway.support import create_multi_task_instance, expect_error, pb, wait_terminated

TASKS = {f"task_{i}": f"select {i}" for i in range(5)}
SCOPE = {"method": "ListTasks", "project": "demo", "instance_id": "i1"}


@pytest.fixture(scope="module")
def five_tasks(stub, emulator) -> str:
    """A terminated instance of five SQL tasks, ``task_0`` to ``task_4``."""
    instance_id = create_multi_task_instance(emulator, TASKS)
    final = wait_terminated(stub, instance_id)
    assert [t.name for t in final.tasks] == list(TASKS)
    return instance_id


@pytest.fixture(scope="module")
def other_instance(stub, emulator) -> str:
    """Another terminated multi-task instance."""
    instance_id = create_multi_task_instance(emulator, {"a": "select 1", "b": "select 2"})
    wait_terminated(stub, instance_id)
    return instance_id


@pytest.fixture(scope="module")
def xflow(stub) -> str:
    """A terminated XFlow instance with two sub-instances."""
    instance = stub.SubmitXflow(
        pb.SubmitXflowRequest(
            xflow_name="AppendID",
            xflow_project="algo_public",
            parameters={"inputTableName": "pyodps_iris", "outputTableName": "iris_paged_ids"},
            request_id=str(uuid.uuid4()),
        ),
        timeout=30,
    ).instance
    wait_terminated(stub, instance.instance_id)
    return instance.instance_id


def _tasks(stub: Any, instance_id: str, **kw: Any) -> tuple[list[str], str]:
    response = stub.ListTasks(pb.ListTasksRequest(instance_id=instance_id, **kw))
    return [t.name for t in response.tasks], response.next_page_token


def _results(stub: Any, instance_id: str, **kw: Any) -> tuple[list[str], str]:
    response = stub.ListTaskResults(pb.ListTaskResultsRequest(instance_id=instance_id, **kw))
    return [r.task_name for r in response.task_results], response.next_page_token


def _subs(stub: Any, instance_id: str, **kw: Any) -> tuple[list[str], str]:
    response = stub.ListSubInstances(pb.ListSubInstancesRequest(instance_id=instance_id, **kw))
    for sub in response.sub_instances:
        assert f"i={sub.instance_id}" in sub.logview_url
    return [s.instance_id for s in response.sub_instances], response.next_page_token


Lister = Callable[..., tuple[list[str], str]]


def _walk(list_page: Lister, stub: Any, instance_id: str, page_size: int) -> list[list[str]]:
    pages: list[list[str]] = []
    token = ""
    while True:
        items, token = list_page(stub, instance_id, page_size=page_size, page_token=token)
        pages.append(items)
        if not token:
            return pages
        assert len(pages) < 20, "paging does not end"


@pytest.mark.parametrize("list_page", [_tasks, _results], ids=["ListTasks", "ListTaskResults"])
def test_multi_page_walk_over_tasks(stub, five_tasks, list_page):
    pages = _walk(list_page, stub, five_tasks, 2)
    assert pages == [["task_0", "task_1"], ["task_2", "task_3"], ["task_4"]]
    # An exact fit ends without an empty page.
    assert _walk(list_page, stub, five_tasks, 5) == [list(TASKS)]
    # The default (0) and a page size above the maximum hold them all.
    assert list_page(stub, five_tasks) == (list(TASKS), "")
    assert list_page(stub, five_tasks, page_size=100_000) == (list(TASKS), "")


def test_multi_page_walk_over_sub_instances(stub, xflow):
    everything, token = _subs(stub, xflow)
    assert token == ""
    assert len(everything) == 2, "AppendID with an output table runs two sub-instances"
    pages = _walk(_subs, stub, xflow, 1)
    assert pages == [[everything[0]], [everything[1]]]


def test_default_and_maximum_page_size():
    v = validation.Violations()
    assert validation.check_page_size(v, 0) == validation.DEFAULT_PAGE_SIZE == 100
    assert validation.check_page_size(v, 1) == 1
    assert validation.check_page_size(v, 1000) == 1000
    assert validation.check_page_size(v, 5000) == validation.MAX_PAGE_SIZE == 1000
    assert v.items == []
    validation.check_page_size(v, -5)
    assert [f for f, _ in v.items] == ["page_size"]


def test_a_page_holds_at_most_the_default_or_the_maximum():
    codec = paging.PageTokenCodec()
    items = list(range(2500))

    def walk(size: int) -> list[int]:
        lengths, token = [], ""
        while True:
            pager = paging.LocalPager.open(codec, **SCOPE, page_size=size, page_token=token)
            page, token = pager.page(items)
            lengths.append(len(page))
            if not token:
                return lengths

    assert walk(validation.DEFAULT_PAGE_SIZE) == [100] * 25
    assert walk(validation.MAX_PAGE_SIZE) == [1000, 1000, 500]


@pytest.mark.parametrize(
    ("method", "request_type", "fixture"),
    [
        ("ListTasks", pb.ListTasksRequest, "five_tasks"),
        ("ListTaskResults", pb.ListTaskResultsRequest, "five_tasks"),
        ("ListSubInstances", pb.ListSubInstancesRequest, "xflow"),
    ],
)
def test_negative_page_size_is_invalid_argument(
    request, gateway, stub, method, request_type, fixture
):
    instance_id = request.getfixturevalue(fixture)
    before = gateway.upstream_requests()
    err = expect_error(getattr(stub, method), request_type(instance_id=instance_id, page_size=-1))
    assert err.code is grpc.StatusCode.INVALID_ARGUMENT
    assert err.error_info is not None and err.error_info.reason == "INVALID_REQUEST"
    assert set(err.violations) == {"page_size"}
    assert gateway.upstream_requests() == before


def test_token_of_another_instance_or_method_is_invalid_page_token(
    gateway, stub, five_tasks, other_instance, xflow
):
    _, tasks_token = _tasks(stub, five_tasks, page_size=1)
    _, results_token = _results(stub, five_tasks, page_size=1)
    _, subs_token = _subs(stub, xflow, page_size=1)
    assert tasks_token and results_token and subs_token
    before = gateway.upstream_requests()
    refused = [
        # Another instance, same method.
        lambda: _tasks(stub, other_instance, page_size=1, page_token=tasks_token),
        lambda: _results(stub, other_instance, page_size=1, page_token=results_token),
        lambda: _subs(stub, five_tasks, page_size=1, page_token=subs_token),
        # Same instance, another method.
        lambda: _results(stub, five_tasks, page_size=1, page_token=tasks_token),
        lambda: _tasks(stub, five_tasks, page_size=1, page_token=results_token),
        lambda: _tasks(stub, xflow, page_size=1, page_token=subs_token),
        # Another project.
        lambda: stub.ListTasks(
            pb.ListTasksRequest(
                project="other_project", instance_id=five_tasks, page_token=tasks_token
            )
        ),
        # Not a token at all, and ListInstances refuses a ListTasks token too.
        lambda: _tasks(stub, five_tasks, page_token="not-a-token"),
        lambda: stub.ListInstances(pb.ListInstancesRequest(page_token=tasks_token)),
    ]
    for call in refused:
        err = expect_error(call)
        assert err.code is grpc.StatusCode.INVALID_ARGUMENT, err.message
        assert err.error_info is not None and err.error_info.reason == "INVALID_PAGE_TOKEN"
        assert set(err.violations) == {"page_token"}
    assert gateway.upstream_requests() == before, "tokens are checked before any upstream call"
    # The tokens still work where they were issued.
    assert _tasks(stub, five_tasks, page_size=1, page_token=tasks_token)[0] == ["task_1"]
    assert _results(stub, five_tasks, page_size=1, page_token=results_token)[0] == ["task_1"]


def test_a_token_past_a_shrunken_list_gives_an_empty_last_page():
    codec = paging.PageTokenCodec()
    first = paging.LocalPager.open(codec, **SCOPE, page_size=2, page_token="")
    page, token = first.page(["a", "b", "c"])
    assert (page, bool(token)) == (["a", "b"], True)
    second = paging.LocalPager.open(codec, **SCOPE, page_size=2, page_token=token)
    assert second.page(["a"]) == ([], "")
