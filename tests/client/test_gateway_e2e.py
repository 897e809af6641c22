"""The sync and asyncio clients against a real gateway on the embedded MaxCompute emulator."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread
from mcgateway_client import (
    AsyncGateway,
    DeadlineExceeded,
    EventType,
    Gateway,
    Instance,
    InstanceFailed,
    InvalidArgument,
    InvalidState,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Status,
    TaskStatus,
    Unauthenticated,
    Unavailable,
    WaitTimeout,
)

ABSENT = "20990101000000000absent001"


@pytest.fixture(scope="module")
def o(gateway: GatewayThread) -> Iterator[Gateway]:
    with Gateway(gateway.target) as client:
        yield client


@pytest.fixture(scope="module")
def finished(o: Gateway) -> Instance:
    """One successful SQL instance, shared by the read-only tests."""
    return o.execute_sql("select name, count(*) as n from pyodps_iris group by name order by name")


def test_execute_sql_returns_a_successful_instance(finished: Instance) -> None:
    assert finished.status is Status.TERMINATED
    assert finished.status == Instance.Status.TERMINATED
    assert finished.status.value == "Terminated"
    assert finished.is_terminated() and finished.is_successful()
    assert finished.project == "demo"
    assert finished.end_time is not None and finished.start_time is not None
    assert finished.failure_message == ""


def test_task_names_statuses_results_and_progress(finished: Instance) -> None:
    assert finished.get_task_names() == ["AnonymousSQLTask"]
    task = finished.get_task_statuses()["AnonymousSQLTask"]
    assert (task.type, task.status) == ("SQL", TaskStatus.SUCCESS)
    expected = '"name","n"\n"Iris-setosa",50\n"Iris-versicolor",50\n"Iris-virginica",50\n'
    assert finished.get_task_result("AnonymousSQLTask") == expected
    assert list(finished.get_task_results().items()) == [("AnonymousSQLTask", expected)]
    progress = finished.get_task_progress("AnonymousSQLTask")
    assert progress.stages and all(s.finished_percentage == 100 for s in progress.stages)
    assert all(s.terminated_workers == s.total_workers for s in progress.stages)
    line = progress.get_stage_progress_formatted_string()
    assert progress.stages[0].name + ":" in line


def test_get_and_exist_instance(o: Gateway, finished: Instance) -> None:
    again = o.get_instance(finished.id)
    assert again == finished and again.state.successful
    assert o.exist_instance(finished.id) is True
    assert o.exist_instance(ABSENT) is False
    with pytest.raises(NotFound) as info:
        o.get_instance(ABSENT)
    assert (info.value.reason, info.value.domain) == ("INSTANCE_NOT_FOUND", "mcgateway.github.io")
    assert info.value.maxcompute_code == "NoSuchObject"
    assert info.value.code is grpc.StatusCode.NOT_FOUND
    assert info.value.request_id  # MaxCompute's request id travels with the error


def test_list_instances_with_filters(o: Gateway, finished: Instance) -> None:
    ids = [i.id for i in o.list_instances()]
    assert finished.id in ids
    terminated = list(o.list_instances(status=Status.TERMINATED, page_size=1, max_items=3))
    assert 1 <= len(terminated) <= 3
    assert all(i.state.status is Status.TERMINATED for i in terminated)
    future = datetime.now(UTC) + timedelta(days=1)
    assert list(o.list_instances(start_time=future)) == []
    past = datetime.now(UTC) - timedelta(days=1)
    assert finished.id not in [i.id for i in o.list_instances(end_time=past)]


def test_a_listed_instance_learns_its_outcome_when_asked(o: Gateway, finished: Instance) -> None:
    since = (finished.start_time or datetime.now(UTC)) - timedelta(seconds=1)
    listed = next(i for i in o.list_instances(start_time=since) if i.id == finished.id)
    # A listing has no tasks: whether the instance succeeded is unknown, not False ...
    assert listed.state.status is Status.TERMINATED and listed.state.successful is None
    # ... until asked, when the instance is read once.
    assert listed.is_successful() is True
    assert listed.state.successful is True and listed.state.tasks


def test_logview_from_instance_and_from_id(o: Gateway, finished: Instance) -> None:
    from_instance = finished.get_logview_address()
    from_id = o.get_logview_address(finished.id, hours=2)
    for url in (from_instance, from_id):
        assert f"i={finished.id}" in url and "token=" in url
    with pytest.raises(InvalidArgument):
        o.get_logview_address(finished.id, hours=100000)
    assert f"i={finished.id}" in o.get_logview_address(finished.id, hours=2160)


def test_failed_sql_raises_instance_failed(o: Gateway) -> None:
    with pytest.raises(InstanceFailed) as info:
        o.execute_sql("select * from no_such_table_anywhere")
    assert "no_such_table_anywhere" in str(info.value)
    instance = info.value.instance
    assert isinstance(instance, Instance)
    assert instance.is_terminated() and not instance.is_successful()


def test_run_sql_then_wait_and_stop(o: Gateway) -> None:
    slow = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 30})
    assert slow.state.status is Status.RUNNING
    with pytest.raises(WaitTimeout) as info:
        slow.wait_for_completion(timeout=0.5)
    assert info.value.instance is slow
    stopped = slow.stop()
    assert stopped is slow
    slow.wait_for_completion(timeout=30)
    assert slow.is_terminated() and not slow.is_successful()
    with pytest.raises(InvalidState) as stop_again:
        o.stop_instance(slow.id)
    assert stop_again.value.reason == "INSTANCE_NOT_RUNNING"
    assert stop_again.value.maxcompute_code == "InvalidStateSetting"


def test_a_request_id_makes_a_submission_idempotent(o: Gateway) -> None:
    request_id = str(uuid.uuid4())
    first = o.run_sql("select 1", request_id=request_id)
    again = o.run_sql("select 1", request_id=request_id)
    assert again.id == first.id
    assert o.run_sql("select 1").id != first.id  # a fresh UUID4 each call
    with pytest.raises(InvalidArgument, match="UUID4"):
        o.run_sql("select 1", request_id="job-1")  # refused by the client


def test_bad_arguments_are_invalid_argument(o: Gateway) -> None:
    with pytest.raises(InvalidArgument) as info:
        o.get_instance("not an id!")
    assert info.value.field_violations
    with pytest.raises(InvalidArgument):
        o.run_sql("   ")


def test_watch_follows_an_instance_to_its_end(o: Gateway) -> None:
    instance = o.run_sql(
        "select count(*) from pyodps_iris", hints={"mcemulator.duration_seconds": 2}
    )
    events = list(instance.watch())
    assert events[0].type is EventType.SNAPSHOT
    assert events[-1].type is EventType.TERMINAL and events[-1].state.successful
    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences))
    assert instance.state.terminated


def test_xflow_and_its_sub_instances(o: Gateway) -> None:
    xflow = o.run_xflow(
        "AppendID", "algo_public", {"inputTableName": "pyodps_iris", "outputTableName": "out_e2e"}
    )
    xflow.wait_for_completion(timeout=60)
    subs = o.get_xflow_sub_instances(xflow)
    assert subs
    for name, sub in subs.items():
        assert name
        assert f"i={sub.id}" in sub.get_logview_address()
        assert sub.get_task_names()


def test_iter_xflow_sub_instances_follows_the_xflow(o: Gateway) -> None:
    o.execute_sql("create table if not exists input_table as select * from pyodps_iris")
    xflow = o.run_xflow(
        "AppendID", "algo_public", {"inputTableName": "input_table", "outputTableName": "out_it"}
    )
    pairs = list(o.iter_xflow_sub_instances(xflow, interval=0.5))
    assert xflow.is_terminated(), "the iterator ends only when the XFlow has terminated"
    ids = [sub.id for _, sub in pairs]
    assert ids and len(ids) == len(set(ids))
    assert [name for name, _ in pairs] == list(o.get_xflow_sub_instances(xflow))


def test_watch_instances_sees_a_new_instance(o: Gateway) -> None:
    events = o.watch_instances()
    submitted: Instance | None = None
    seen: list[str] = []
    for event in events:
        if event.type is not None and event.type.value == "snapshot_end":
            submitted = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 1})
            continue
        if event.state is not None:
            seen.append(event.state.id)
        if submitted is not None and event.state is not None and event.state.id == submitted.id:
            break
    events.close()  # type: ignore[attr-defined]
    assert submitted is not None and submitted.id in seen


def test_reconnecting_watch_survives_a_gateway_restart(emulator: object, tmp_path: Path) -> None:
    """Stop the gateway mid-stream, start another on the same port: the watch still ends."""
    emu = emulator
    config = GatewayConfig(
        listen="127.0.0.1:0",
        endpoint=emu.endpoint,  # type: ignore[attr-defined]
        project=emu.project,  # type: ignore[attr-defined]
        access_id=emu.access_id,  # type: ignore[attr-defined]
        access_key=emu.access_key,  # type: ignore[attr-defined]
    )
    first = GatewayThread(config).start()
    port = first.port
    second: GatewayThread | None = None
    client = Gateway(first.target)
    try:
        instance = client.run_sql("select 1", hints={"mcemulator.duration_seconds": 4})
        received: queue.Queue[object] = queue.Queue()

        def consume() -> None:
            try:
                for event in instance.watch():
                    received.put(event)
            except BaseException as exc:  # handed to the test thread
                received.put(exc)
            received.put(None)

        thread = threading.Thread(target=consume, daemon=True)
        thread.start()
        first_event = received.get(timeout=20)
        assert getattr(first_event, "type", None) is EventType.SNAPSHOT
        first.stop(grace=0)
        restarted = GatewayConfig(**{**config.__dict__, "listen": f"127.0.0.1:{port}"})
        second = GatewayThread(restarted).start()
        events = [first_event]
        while (item := received.get(timeout=30)) is not None:
            assert not isinstance(item, BaseException), item
            events.append(item)
        thread.join(timeout=10)
        assert events[-1].type is EventType.TERMINAL  # type: ignore[attr-defined]
        assert second.upstream_requests() > 0, "the watch resumed on the restarted gateway"
        assert events[-1].state.successful  # type: ignore[attr-defined]
    finally:
        client.close()
        first.stop(grace=0)
        if second is not None:
            second.stop(grace=0)


@pytest.fixture(scope="module")
def secured(emulator: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayThread]:
    """A gateway that requires bearer tokens: `demo-token` may use `demo`, `other` may not."""
    tokens = tmp_path_factory.mktemp("auth") / "tokens.json"
    tokens.write_text(
        json.dumps(
            {
                "tokens": [
                    {"name": "demo", "token": "demo-token", "projects": ["demo"]},
                    {"name": "other", "token": "other-token", "projects": ["elsewhere"]},
                ]
            }
        )
    )
    emu = emulator
    config = GatewayConfig(
        listen="127.0.0.1:0",
        endpoint=emu.endpoint,  # type: ignore[attr-defined]
        project=emu.project,  # type: ignore[attr-defined]
        access_id=emu.access_id,  # type: ignore[attr-defined]
        access_key=emu.access_key,  # type: ignore[attr-defined]
        tokens_file=tokens,
    )
    with GatewayThread(config) as gw:
        yield gw


def test_tokens_are_sent_and_auth_errors_are_mapped(secured: GatewayThread) -> None:
    with Gateway(secured.target, token="demo-token") as good:
        assert good.exist_instance(ABSENT) is False
    with Gateway(secured.target) as anonymous, pytest.raises(Unauthenticated):
        anonymous.exist_instance(ABSENT)
    with Gateway(secured.target, token="wrong") as wrong, pytest.raises(Unauthenticated):
        wrong.exist_instance(ABSENT)
    with Gateway(secured.target, token="other-token") as other, pytest.raises(PermissionDenied):
        other.get_instance(ABSENT, project="demo")


def test_unreachable_gateway_is_unavailable() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Gateway(f"127.0.0.1:{port}", timeout=5) as nowhere, pytest.raises(Unavailable):
        nowhere.exist_instance(ABSENT)


async def test_async_gateway_end_to_end(gateway: GatewayThread) -> None:
    # The session emulator holds every other test's instances too: list only the recent ones.
    since = datetime.now(UTC) - timedelta(seconds=2)
    async with AsyncGateway(gateway.target) as ao:
        instance = await ao.execute_sql("select count(*) as n from pyodps_iris")
        assert instance.status is Status.TERMINATED
        assert await instance.is_successful()
        assert await instance.get_task_names() == ["AnonymousSQLTask"]
        assert await instance.get_task_result("AnonymousSQLTask") == '"n"\n150\n'
        assert (await instance.get_task_results())["AnonymousSQLTask"] == '"n"\n150\n'
        assert (await instance.get_task_progress("AnonymousSQLTask")).stages
        assert f"i={instance.id}" in await instance.get_logview_address()
        assert await ao.exist_instance(instance.id)
        assert (await ao.get_instance(instance.id)) == instance
        ids = [i.id async for i in ao.list_instances(start_time=since)]
        assert instance.id in ids
        with pytest.raises(NotFound):
            await ao.get_instance(ABSENT)
        with pytest.raises(InvalidState):
            await ao.stop_instance(instance.id)
        running = await ao.run_sql("select 1", hints={"mcemulator.duration_seconds": 2})
        events = [e async for e in running.watch()]
        assert events[0].type is EventType.SNAPSHOT and events[-1].type is EventType.TERMINAL
        with pytest.raises(InstanceFailed):
            await ao.execute_sql("select * from no_such_table_anywhere")
        xflow = await ao.run_xflow(
            "AppendID", "algo_public", {"inputTableName": "pyodps_iris", "outputTableName": "o2"}
        )
        subs = [(name, sub) async for name, sub in ao.iter_xflow_sub_instances(xflow, 0.5)]
        assert subs and await xflow.is_terminated()
        assert [n for n, _ in subs] == list(await ao.get_xflow_sub_instances(xflow))
        assert f"i={subs[0][1].id}" in await subs[0][1].get_logview_address()


@pytest.fixture
def faults(emulator: Any) -> Iterator[Any]:
    """The session emulator's fault controller, cleared after the test."""
    controller = emulator.faults
    try:
        yield controller
    finally:
        controller.clear()


def test_upstream_throttling_is_resource_exhausted_with_retry_delay(
    gateway: GatewayThread, faults: Any
) -> None:
    faults.inject(operations="get_instance", throttle_rate=1.0, retry_after_seconds=1)
    with Gateway(gateway.target) as client, pytest.raises(ResourceExhausted) as info:
        client.exist_instance(ABSENT)
    err = info.value
    assert (err.code, err.reason, err.maxcompute_code, err.retry_delay) == (
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        "UPSTREAM_THROTTLED",
        "QPSExceeded",
        1.0,
    )
    assert err.request_id and err.metadata["instance_id"] == ABSENT


def test_upstream_errors_are_unavailable(gateway: GatewayThread, faults: Any) -> None:
    faults.inject(operations="get_instance", error_rate=1.0, error_statuses=(500,))
    with Gateway(gateway.target) as client, pytest.raises(Unavailable) as info:
        client.exist_instance(ABSENT)
    assert info.value.reason == "UPSTREAM_UNAVAILABLE"
    assert info.value.maxcompute_code == "InternalServerError"
    assert info.value.request_id


def test_slow_upstream_hits_the_call_deadline(gateway: GatewayThread, faults: Any) -> None:
    faults.inject(operations="get_instance", latency_seconds=3)
    with Gateway(gateway.target, timeout=1) as client, pytest.raises(DeadlineExceeded) as info:
        client.exist_instance(ABSENT)
    assert info.value.code is grpc.StatusCode.DEADLINE_EXCEEDED
