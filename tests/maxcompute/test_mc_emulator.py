"""Every client operation against the running emulator (real HTTP, real signatures)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from mcemulator import DURATION_HINT, Emulator
from mcgateway.domain import InstanceStatus, ListFilter, LogviewKind, TaskStatus, XFlowNodeType
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    Deadline,
    ErrorCategory,
    MaxComputeClient,
    MaxComputeError,
    PollPolicy,
    UpstreamRequest,
)


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait on a condition (never a bare sleep as an assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.fixture
def observed() -> list[UpstreamRequest]:
    return []


@pytest.fixture
def client(emulator: Emulator, observed: list[UpstreamRequest]) -> Iterator[MaxComputeClient]:
    config = ClientConfig(
        endpoint=emulator.endpoint,
        credentials=Credentials(emulator.access_id, emulator.access_key),
        default_project=emulator.project,
        pool_size=4,
        poll=PollPolicy(initial_interval=0.05, max_interval=0.2),
    )
    with MaxComputeClient(config, observer=observed.append) as c:
        yield c


def quick(seconds: float = 0.05) -> dict[str, str]:
    return {DURATION_HINT: str(seconds)}


def test_sql_lifecycle(client: MaxComputeClient, emulator: Emulator) -> None:
    project = emulator.project
    created = client.create_sql_instance(
        project, "select * from pyodps_iris limit 2", hints=quick(), priority=3
    )
    assert not created.recovered
    inst = client.wait_instance(project, created.instance_id, wait=20, include_tasks=True)
    assert inst.status is InstanceStatus.TERMINATED and inst.successful
    assert inst.tasks[0].name == "AnonymousSQLTask" and inst.tasks[0].type == "SQL"
    assert inst.tasks[0].status is TaskStatus.SUCCESS
    plain = client.get_instance(project, created.instance_id)
    assert plain.owner and plain.start_time is not None and plain.end_time is not None
    assert plain.start_time.tzinfo is not None and plain.end_time >= plain.start_time
    results = client.get_task_results(project, created.instance_id)
    assert results[0].task_name == "AnonymousSQLTask"
    lines = results[0].content.strip().splitlines()
    assert len(lines) == 3 and lines[0].count(",") == lines[1].count(",")
    job = client.get_job(project, created.instance_id)
    assert job.priority == 3 and job.tasks[0].query is not None
    assert job.tasks[0].query.rstrip().endswith(";")
    progress = client.get_task_progress(project, created.instance_id, "AnonymousSQLTask")
    assert progress.formatted.count("\t") == len(progress.stages)
    assert client.instance_exists(project, created.instance_id)


def test_failed_sql(client: MaxComputeClient, emulator: Emulator) -> None:
    try:
        created = client.create_sql_instance(emulator.project, "selec oops from nowhere")
    except MaxComputeError as exc:  # rejected at submit: also acceptable (rest.md §8)
        assert exc.category is ErrorCategory.INVALID
        return
    inst = client.wait_instance(emulator.project, created.instance_id, wait=20, include_tasks=True)
    assert inst.is_terminated and not inst.successful
    failed = [t for t in inst.tasks if t.status is TaskStatus.FAILED]
    assert failed
    results = client.get_task_results(emulator.project, created.instance_id)
    assert results[0].content.startswith("ODPS-")


def test_missing_instance(client: MaxComputeClient, emulator: Emulator) -> None:
    assert not client.instance_exists(emulator.project, "20000101000000000gmissing")
    with pytest.raises(MaxComputeError) as info:
        client.get_task_statuses(emulator.project, "20000101000000000gmissing")
    assert info.value.category is ErrorCategory.NOT_FOUND
    assert info.value.request_id


def test_paging_across_several_pages(client: MaxComputeClient, emulator: Emulator) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    ids = {
        client.create_sql_instance(emulator.project, "select 1", hints=quick()).instance_id
        for _ in range(5)
    }
    flt = ListFilter(start_time=since, only_owner=True)
    first = client.list_instances(emulator.project, filter=flt, max_items=2)
    assert len(first.instances) == 2 and first.next_marker
    listed = [i.id for i in client.iter_instances(emulator.project, filter=flt, page_size=2)]
    assert ids <= set(listed) and len(listed) == len(set(listed))
    pages = emulator.request_count("list_instances")
    assert pages >= 4


def test_status_filter(client: MaxComputeClient, emulator: Emulator) -> None:
    slow = client.create_sql_instance(emulator.project, "select 1", hints=quick(30))
    running = list(
        client.iter_instances(emulator.project, filter=ListFilter(status=InstanceStatus.RUNNING))
    )
    assert slow.instance_id in {i.id for i in running}
    assert all(i.status is InstanceStatus.RUNNING for i in running)
    client.stop_instance(emulator.project, slow.instance_id)


def test_blocking_status_waits_for_termination(
    client: MaxComputeClient, emulator: Emulator, observed: list[UpstreamRequest]
) -> None:
    created = client.create_sql_instance(emulator.project, "select 1", hints=quick(0.4))
    observed.clear()
    started = time.monotonic()
    inst = client.wait_instance(emulator.project, created.instance_id, wait=20)
    # The held ?instancestatus call returns when the status changes, well before its ~5 s hold.
    assert inst.is_terminated and time.monotonic() - started < 4
    assert observed and observed[0].operation == "get_instance_status"
    early = client.create_sql_instance(emulator.project, "select 1", hints=quick(30))
    budget_start = time.monotonic()
    still = client.wait_instance(emulator.project, early.instance_id, wait=0.3)
    assert still.status is InstanceStatus.RUNNING
    assert time.monotonic() - budget_start < 1.5
    client.stop_instance(emulator.project, early.instance_id)


def test_stop_running_then_terminated(client: MaxComputeClient, emulator: Emulator) -> None:
    created = client.create_sql_instance(emulator.project, "select 1", hints=quick(30))
    client.stop_instance(emulator.project, created.instance_id)
    inst = client.wait_instance(emulator.project, created.instance_id, wait=10, include_tasks=True)
    assert inst.is_terminated
    assert [t.status for t in inst.tasks] == [TaskStatus.CANCELLED]
    with pytest.raises(MaxComputeError) as info:
        client.stop_instance(emulator.project, created.instance_id)
    assert info.value.code == "InvalidStateSetting"
    assert info.value.category is ErrorCategory.WRONG_STATE


def test_logview_legacy_form(client: MaxComputeClient, emulator: Emulator) -> None:
    created = client.create_sql_instance(emulator.project, "select 1", hints=quick())
    address = client.get_logview_address(emulator.project, created.instance_id, hours=2)
    assert address.kind is LogviewKind.LEGACY and address.token
    assert address.url.endswith(
        f"/logview/?h={emulator.endpoint}&p={emulator.project}&i={created.instance_id}"
        f"&token={address.token}"
    )
    assert address.expires_at is not None


def test_xflow_sub_instances(client: MaxComputeClient, emulator: Emulator) -> None:
    created = client.create_xflow_instance(
        emulator.project,
        "AppendID",
        {"inputTableName": "pyodps_iris", "outputTableName": f"iris_appendid_{int(time.time())}"},
        hints=quick(),
    )
    wait_for(
        lambda: len(client.get_xflow_sub_instances(emulator.project, created.instance_id)) >= 2
    )
    actions = client.get_xflow_actions(emulator.project, created.instance_id)
    assert actions[0].node_type is XFlowNodeType.LOCAL
    subs = client.get_xflow_sub_instances(emulator.project, created.instance_id)
    assert all(s.project == emulator.project for s in subs)
    for sub in subs:
        inst = client.wait_instance(emulator.project, sub.instance_id, wait=20, include_tasks=True)
        assert inst.successful
    assert client.wait_instance(emulator.project, created.instance_id, wait=20).is_terminated


def test_find_created_instance_by_request_id(client: MaxComputeClient, emulator: Emulator) -> None:
    since = datetime.now(UTC)
    created = client.create_sql_instance(
        emulator.project, "select 1", hints=quick(), request_id="req-find-1"
    )
    found = client.find_created_instance(emulator.project, "req-find-1", since=since)
    assert found == created.instance_id
    assert client.find_created_instance(emulator.project, "req-absent", since=since) is None


def test_wrong_secret_is_unauthenticated_without_leaking(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "definitely-wrong-secret-value"
    config = ClientConfig(
        endpoint=emulator.endpoint, credentials=Credentials(emulator.access_id, secret)
    )
    with MaxComputeClient(config) as bad, pytest.raises(MaxComputeError) as info:
        bad.get_instance(emulator.project, "20000101000000000gmissing")
    assert info.value.category is ErrorCategory.UNAUTHENTICATED
    for text in (str(info.value), repr(info.value), caplog.text):
        assert secret not in text


def test_every_request_is_observed(
    client: MaxComputeClient, emulator: Emulator, observed: list[UpstreamRequest]
) -> None:
    client.instance_exists(emulator.project, "20000101000000000gmissing")
    client.list_instances(emulator.project, max_items=1)
    assert [(e.operation, e.category) for e in observed] == [
        ("get_instance", ErrorCategory.NOT_FOUND),
        ("list_instances", None),
    ]
    assert all(e.latency_seconds > 0 for e in observed)


def test_deadline_bounds_a_call(client: MaxComputeClient, emulator: Emulator) -> None:
    emulator.faults.inject(operations="get_instance", latency_seconds=2.0)
    try:
        started = time.monotonic()
        with pytest.raises(MaxComputeError) as info:
            client.get_instance(
                emulator.project, "20000101000000000gmissing", deadline=Deadline.after(0.4)
            )
        assert time.monotonic() - started < 1.0
        assert info.value.category in (
            ErrorCategory.TRANSIENT,
            ErrorCategory.TIMED_OUT,
        )
    finally:
        emulator.faults.clear()
