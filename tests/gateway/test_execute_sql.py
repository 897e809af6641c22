"""ExecuteSql end to end, a real gateway on the emulator: submit and stream to TERMINAL,
reattach with a request id, and ``stop_on_cancel``: a cancelled call or a killed client stops
the instance it created, exactly once; a finished job, a reattached call or a call without
the option stops nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import uuid

import pytest
from maxcompute.gateway.v1 import instance_pb2

from gateway.support import covers, pb, sql_job, wait_terminated, wait_until

Instance = instance_pb2.Instance
Task = instance_pb2.Task
Event = pb.WatchInstanceResponse


def _execute(stub, query: str, *, duration: float, **fields):
    return stub.ExecuteSql(pb.ExecuteSqlRequest(job=sql_job(query, duration=duration), **fields))


def _streams(gateway) -> float:
    """Open ExecuteSql streams of the gateway (its own gauge)."""
    value: float = gateway.metrics.active_streams.labels("ExecuteSql")._value.get()
    return value


def _stops(gateway):
    return gateway.server.servicer.stops


def _settled(gateway, streams_before: float) -> None:
    """Wait until every ExecuteSql handler opened since ``streams_before`` has ended and no
    stop is under way, so what a cancel set off has happened."""
    wait_until(lambda: _streams(gateway) <= streams_before, what="ExecuteSql handlers ended")
    wait_until(lambda: _stops(gateway).pending == 0, what="stops finished")


@covers("ExecuteSql")
def test_execute_streams_from_a_named_snapshot_to_terminal(stub):
    messages = list(_execute(stub, "select * from pyodps_iris limit 2", duration=0.3))
    first, last = messages[0], messages[-1]
    assert first.event_type in (Event.SNAPSHOT, Event.TERMINAL)
    assert first.instance.instance_id and first.instance.project == "demo"
    assert {m.instance.instance_id for m in messages} == {first.instance.instance_id}
    assert last.event_type == Event.TERMINAL
    assert last.instance.state == Instance.TERMINATED and last.instance.successful
    assert [t.state for t in last.instance.tasks] == [Task.SUCCEEDED]
    assert not any(m.reattached for m in messages)
    sequences = [m.sequence for m in messages]
    assert sequences == sorted(sequences)
    assert all(m.event_type == Event.TERMINAL for m in messages[-1:])


def test_a_retry_with_the_request_id_reattaches_to_the_same_instance(stub):
    request_id = str(uuid.uuid4())
    first = list(_execute(stub, "select 1", duration=0.2, request_id=request_id))
    again = list(_execute(stub, "select 1", duration=0.2, request_id=request_id))
    assert again[0].instance.instance_id == first[0].instance.instance_id
    assert all(m.reattached for m in again) and not any(m.reattached for m in first)
    assert again[-1].event_type == Event.TERMINAL


def test_cancel_stops_the_instance_it_created_once(gateway, emulator, stub):
    stops_before = emulator.request_count("stop_instance")
    streams_before = _streams(gateway)
    call = _execute(stub, "select 1", duration=60, stop_on_cancel=True)
    first = next(call)
    instance_id = first.instance.instance_id
    assert first.instance.state == Instance.RUNNING and not first.reattached
    call.cancel()
    final = wait_terminated(stub, instance_id)
    assert [t.state for t in final.tasks] == [Task.CANCELLED]
    _settled(gateway, streams_before)
    assert emulator.request_count("stop_instance") == stops_before + 1
    assert _stops(gateway).asked("demo", instance_id)


def test_a_killed_client_process_stops_the_instance(gateway, emulator, stub):
    stops_before = emulator.request_count("stop_instance")
    script = textwrap.dedent(
        f"""
        import grpc, sys
        from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2 as pb
        from maxcompute.gateway.v1 import instance_service_pb2_grpc as rpc
        channel = grpc.insecure_channel({gateway.target!r})
        stub = rpc.InstanceServiceStub(channel)
        job = instance_pb2.SqlJob(query="select 1", hints={{"mcemulator.duration_seconds": "60"}})
        call = stub.ExecuteSql(pb.ExecuteSqlRequest(job=job, stop_on_cancel=True))
        for message in call:
            print(message.instance.instance_id, flush=True)
        """
    )
    client = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert client.stdout is not None
        instance_id = client.stdout.readline().strip()
        assert instance_id, client.stderr.read() if client.stderr else ""
    finally:
        client.kill()
        client.communicate(timeout=30)
    final = wait_terminated(stub, instance_id)
    assert [t.state for t in final.tasks] == [Task.CANCELLED]
    wait_until(lambda: _stops(gateway).pending == 0, what="stops finished")
    assert emulator.request_count("stop_instance") == stops_before + 1


def test_a_job_that_ended_before_the_cancel_is_not_stopped(gateway, emulator, stub):
    stops_before = emulator.request_count("stop_instance")
    streams_before = _streams(gateway)
    call = _execute(stub, "select 1", duration=0.2, stop_on_cancel=True)
    messages = list(call)
    assert messages[-1].event_type == Event.TERMINAL
    call.cancel()  # after the end: nothing to stop
    _settled(gateway, streams_before)
    assert emulator.request_count("stop_instance") == stops_before
    assert not _stops(gateway).asked("demo", messages[0].instance.instance_id)


def test_without_stop_on_cancel_the_job_runs_on(gateway, emulator, stub):
    stops_before = emulator.request_count("stop_instance")
    streams_before = _streams(gateway)
    call = _execute(stub, "select 1", duration=60)
    instance_id = next(call).instance.instance_id
    call.cancel()
    _settled(gateway, streams_before)
    assert emulator.request_count("stop_instance") == stops_before
    running = stub.GetInstance(pb.GetInstanceRequest(instance_id=instance_id))
    assert running.state == Instance.RUNNING
    stub.StopInstance(pb.StopInstanceRequest(instance_id=instance_id))


def test_a_reattached_call_never_stops_the_instance(gateway, emulator, stub):
    request_id = str(uuid.uuid4())
    stops_before = emulator.request_count("stop_instance")
    owner = _execute(stub, "select 1", duration=60, request_id=request_id, stop_on_cancel=True)
    instance_id = next(owner).instance.instance_id
    streams_before = _streams(gateway)
    follower = _execute(stub, "select 1", duration=60, request_id=request_id, stop_on_cancel=True)
    attached = next(follower)
    assert attached.reattached and attached.instance.instance_id == instance_id
    follower.cancel()
    _settled(gateway, streams_before)
    assert emulator.request_count("stop_instance") == stops_before
    assert stub.GetInstance(pb.GetInstanceRequest(instance_id=instance_id)).state == (
        Instance.RUNNING
    )
    owner.cancel()
    final = wait_terminated(stub, instance_id)
    assert [t.state for t in final.tasks] == [Task.CANCELLED]


def test_two_racing_cancels_send_one_stop_upstream(gateway, emulator, stub):
    request_id = str(uuid.uuid4())
    stops_before = emulator.request_count("stop_instance")
    streams_before = _streams(gateway)
    calls = [
        _execute(stub, "select 1", duration=60, request_id=request_id, stop_on_cancel=True)
        for _ in range(2)
    ]
    firsts = [next(c) for c in calls]
    instance_id = firsts[0].instance.instance_id
    assert {f.instance.instance_id for f in firsts} == {instance_id}
    assert sorted(f.reattached for f in firsts) == [False, True]
    go = threading.Barrier(len(calls))

    def cancel(call) -> None:
        go.wait()
        call.cancel()

    threads = [threading.Thread(target=cancel, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = wait_terminated(stub, instance_id)
    assert [t.state for t in final.tasks] == [Task.CANCELLED]
    _settled(gateway, streams_before)
    assert emulator.request_count("stop_instance") == stops_before + 1


def test_a_second_stop_of_one_instance_in_the_process_is_not_sent(gateway, stub):
    instance_id = next(_execute(stub, "select 1", duration=0.05)).instance.instance_id
    wait_terminated(stub, instance_id)
    stops = _stops(gateway)
    call = _FakeCall("demo")

    async def twice() -> list[bool]:
        return [
            stops.stop_once(call, instance_id, "test"),
            stops.stop_once(call, instance_id, "test"),
        ]

    assert gateway.call(twice()) == [True, False]
    wait_until(lambda: stops.pending == 0, what="the stop finished")


class _FakeCall:
    """The parts of a chokepoint Call a stop reads (project, who, request id)."""

    def __init__(self, project: str) -> None:
        self.project = project
        self.method = "ExecuteSql"
        self.request_id = "0" * 24
        self.principal = type("P", (), {"name": "test"})()


@pytest.mark.parametrize("heartbeat", [0, 1])
def test_heartbeats_and_progress_options_are_honoured(stub, heartbeat):
    messages = list(
        stub.ExecuteSql(
            pb.ExecuteSqlRequest(
                job=sql_job("select * from pyodps_iris", duration=1.5),
                omit_progress=True,
                heartbeat_interval={"seconds": heartbeat},
            )
        )
    )
    assert messages[-1].event_type == Event.TERMINAL
    assert not any(m.progress for m in messages)
