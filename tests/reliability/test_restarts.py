"""Restarts: the gateway or the emulator is SIGKILLed mid-watch and started again.

- Gateway: ``mcgateway serve`` is killed while Python-client ``watch()`` loops follow
  instances; a new process on the same port takes over and every watch still reports the
  instance's terminal state exactly once, without the caller doing anything.
- Emulator: ``python -m mcemulator`` is killed (fixed data dir and port) while instances
  run, watchers wait and a submitter keeps submitting. After the restart every instance id
  SubmitSql acknowledged is still gettable, instances that had finished are still
  successful, those that were running end as the emulator documents for a crash (terminated,
  task failed with "emulator restarted"), and every watcher ends with its TERMINAL event.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator, FaultRule
from mcgateway.testing import GatewayThread, gateway_config_for
from mcgateway_client import EventType, Gateway, Instance

from reliability.harness import (
    DURATION_HINT,
    EmulatorProcess,
    GatewayProcess,
    WatchThread,
    free_port,
    stub,
    wait_until,
)

pb = instance_service_pb2

WATCHES = 6
"""Python-client watch() loops running across the gateway restart."""


def _gateway_args(endpoint: str, project: str, access_id: str) -> list[str]:
    return ["--endpoint", endpoint, "--project", project, "--access-id", access_id]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    """A private in-process emulator."""
    from mcemulator import EmulatorConfig

    emu = Emulator(EmulatorConfig(data_dir=tmp_path / "emu", workers=8))
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def test_gateway_sigkill_and_restart_on_the_same_port(tmp_path: Path, emulator: Emulator) -> None:
    args = _gateway_args(emulator.endpoint, emulator.project, emulator.access_id)
    env = {"MCGATEWAY_ACCESS_KEY": emulator.access_key}
    first = GatewayProcess(tmp_path, args, env=env, name="first").start()
    second: GatewayProcess | None = None
    client = Gateway(first.target)
    try:
        instances = [
            client.run_sql("select count(*) from pyodps_iris", hints={DURATION_HINT: 6})
            for _ in range(WATCHES - 1)
        ]
        instances.append(client.run_sql("select * from no_such_table", hints={DURATION_HINT: 6}))
        watches = [WatchThread(inst) for inst in instances]
        for w in watches:
            snapshot = w.first()
            assert snapshot.type is EventType.SNAPSHOT
        first.kill()
        assert first.proc is not None and first.proc.returncode == -9
        second = GatewayProcess(
            tmp_path, args, env=env, listen=f"127.0.0.1:{first.port}", name="second"
        ).start()
        for inst, w in zip(instances, watches, strict=True):
            events = w.rest()
            terminals = [e for e in events if e.type is EventType.TERMINAL]
            assert len(terminals) == 1, [e.type for e in events]
            assert events[-1] is terminals[0]
            assert terminals[0].state.status is Instance.Status.TERMINATED
            expected = inst is not instances[-1]
            assert terminals[0].state.successful is expected, terminals[0].state
        # The terminal states came through the new process: it served the resumed watches.
        assert second.metric("mcgateway_rpc_requests_total", method="WatchInstance") >= WATCHES
    finally:
        client.close()
        first.kill()
        if second is not None:
            second.close()


class Submitter:
    """Submits short SQL instances (each with a request id, as the clients do) in a loop and
    records every id SubmitSql acknowledged."""

    def __init__(self, target: str) -> None:
        self.channel = grpc.insecure_channel(target)
        self.stub = stub(self.channel)
        self.acknowledged: list[str] = []
        self.failures: dict[str, int] = {}
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            try:
                request = pb.SubmitSqlRequest(
                    job=instance_pb2.SqlJob(query=f"select {n}", hints={DURATION_HINT: "0.2"}),
                    request_id=str(uuid.uuid4()),
                )
                response = self.stub.SubmitSql(request, timeout=5)
                self.acknowledged.append(response.instance.instance_id)
            except grpc.RpcError as exc:
                code: Any = exc.code()  # type: ignore[attr-defined]
                self.failures[code.name] = self.failures.get(code.name, 0) + 1
                self._stop.wait(0.1)  # back off a little while the upstream is away

    def __enter__(self) -> Submitter:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=30)
        self.channel.close()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def test_emulator_sigkill_and_restart_loses_no_acknowledged_instance(tmp_path: Path) -> None:
    emulator = EmulatorProcess(
        tmp_path / "emu", free_port(), tmp_path / "emulator.log", ["--workers", "8"]
    ).start()
    args = _gateway_args(emulator.endpoint, "demo", emulator.access_id)
    args += ["--progress-interval", "0.3"]
    gateway = GatewayProcess(
        tmp_path, args, env={"MCGATEWAY_ACCESS_KEY": emulator.access_key}
    ).start()
    client = Gateway(gateway.target)
    channel = grpc.insecure_channel(gateway.target)
    s = stub(channel)
    try:
        finished = client.execute_sql("select count(*) from pyodps_iris")
        assert finished.is_successful()
        running = [
            client.run_sql("select 1", hints={DURATION_HINT: 600}) for _ in range(3)
        ]  # killed while running
        # Followed by nobody, so a read of it must go to MaxCompute (a watched instance may be
        # answered from its poller's recent state: hub_read_max_age).
        unwatched = client.run_sql("select 1", hints={DURATION_HINT: 600})
        watches = [WatchThread(inst) for inst in running]
        for w in watches:
            assert w.first().type is EventType.SNAPSHOT
        with Submitter(gateway.target) as submitter:
            wait_until(lambda: len(submitter.acknowledged) >= 5, 30, "submissions before the kill")
            emulator.kill()
            # While MaxCompute is away, reads fail fast with UNAVAILABLE, not INTERNAL.
            with pytest.raises(grpc.RpcError) as info:
                s.GetInstance(pb.GetInstanceRequest(instance_id=unwatched.id), timeout=5)
            assert info.value.code() in (  # type: ignore[attr-defined]
                grpc.StatusCode.UNAVAILABLE,
                grpc.StatusCode.DEADLINE_EXCEEDED,
            )
            acknowledged_while_down = len(submitter.acknowledged)
            emulator.start()
            wait_until(
                lambda: len(submitter.acknowledged) >= acknowledged_while_down + 5,
                60,
                "submissions after the restart",
            )
        # Submissions in flight during the outage may fail (UNAVAILABLE: with a request id a
        # lost answer is safe to retry) or, since the REST client re-sends a create that
        # certainly never arrived, succeed after the restart; never UNKNOWN or INTERNAL.
        assert set(submitter.failures) <= {"UNAVAILABLE", "DEADLINE_EXCEEDED"}, submitter.failures

        # Every acknowledged instance survived, and the finished one kept its result.
        for iid in [finished.id, *(i.id for i in running), *submitter.acknowledged]:
            got = s.GetInstance(pb.GetInstanceRequest(instance_id=iid), timeout=30)
            assert got.instance_id == iid
        assert client.get_instance(finished.id).is_successful()

        # Watchers of the instances the crash interrupted end with their terminal state.
        for inst, w in zip(running, watches, strict=True):
            events = w.rest()
            terminals = [e for e in events if e.type is EventType.TERMINAL]
            assert len(terminals) == 1, [e.type for e in events]
            state = terminals[0].state
            assert state.status is Instance.Status.TERMINATED and not state.successful
            result = client.get_instance(inst.id).get_task_result("AnonymousSQLTask")
            assert "emulator restarted" in str(result)
        print(
            f"\nemulator restart: {len(submitter.acknowledged)} acknowledged submissions, "
            f"failures while down {submitter.failures}"
        )
    finally:
        client.close()
        channel.close()
        gateway.close()
        emulator.close()


@pytest.mark.parametrize(
    "fault",
    [
        FaultRule(operations=frozenset({"create_instance"}), error_rate=1.0, error_statuses=(502,)),
        FaultRule(operations=frozenset({"create_instance"}), drop_rate=1.0),
    ],
    ids=["proxy-502", "connection-dropped"],
)
def test_run_sql_survives_a_lost_create_answer(emulator: Emulator, fault: FaultRule) -> None:
    """An ambiguous create (bare 502, dropped connection) is retried safely by the client.

    The Python client sends a request id with every submission and the gateway looks the id
    up before creating, so a retry cannot duplicate the job: the gateway must say so with
    UNAVAILABLE (retry) rather than UNKNOWN, and ``run_sql`` must then just succeed.
    """
    with (
        GatewayThread(
            gateway_config_for(
                emulator,
            )
        ) as gw,
        # A short deadline keeps the gateway's search for the lost instance short.
        Gateway(gw.target, timeout=6) as client,
    ):
        existing = {i.id for i in client.list_instances()}
        before = emulator.request_count("create_instance")
        emulator.faults.set(replace(fault, remaining=1))
        try:
            instance = client.run_sql("select count(*) from pyodps_iris")
        finally:
            emulator.faults.clear()
        assert emulator.request_count("create_instance") == before + 2  # the lost one, the retry
        instance.wait_for_success()
        assert {i.id for i in client.list_instances()} - existing == {instance.id}
