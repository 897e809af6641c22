"""Go, Java, Node and Python watchers of one instance share one upstream poller and all see the
same terminal state.

The instance runs long (60 s of simulated time) so every watcher is connected before anything
changes: once each has printed its SNAPSHOT, the gateway's metrics must show four WatchInstance
streams and one poller; then the test stops the instance and every watcher must report the same
terminal event (same sequence, same outcome line).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc

from .harness import Gateway, metric_value, running_gateway
from .watchers import WAIT as _WAIT
from .watchers import ProcessWatcher, example_commands


class PythonWatcher:
    """A watcher on the generated Python stubs, in a thread."""

    def __init__(self, stub: instance_service_pb2_grpc.InstanceServiceStub, instance_id: str):
        self.snapshot = threading.Event()
        self.events: list[instance_service_pb2.WatchInstanceResponse] = []
        self.error: BaseException | None = None
        request = instance_service_pb2.WatchInstanceRequest(instance_id=instance_id)
        self._call = stub.WatchInstance(request, timeout=120)
        self._thread = threading.Thread(target=self._run, name="python-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for event in self._call:
                self.events.append(event)
                if event.event_type == instance_service_pb2.WatchInstanceResponse.SNAPSHOT:
                    self.snapshot.set()
        except grpc.RpcError as exc:
            self.error = exc

    def finish(self) -> tuple[int, str]:
        self._thread.join(timeout=_WAIT)
        assert not self._thread.is_alive(), "python watcher did not finish"
        assert self.error is None, f"python watcher failed: {self.error}"
        last = self.events[-1]
        assert last.event_type == instance_service_pb2.WatchInstanceResponse.TERMINAL
        inst = last.instance
        assert inst.HasField("successful"), "the terminal state carries no outcome"
        outcome = "succeeded" if inst.successful else f"failed: {inst.failure_message}"
        return last.sequence, f"{inst.instance_id} {outcome}"

    def cancel(self) -> None:
        self._call.cancel()


@pytest.fixture
def own_gateway(tmp_path: Path) -> Iterator[Gateway]:
    """A gateway of this test alone, so its poller gauge counts only this instance."""
    with running_gateway(tmp_path) as gw:
        yield gw


@pytest.mark.java
@pytest.mark.usefixtures("java_client", "node_client")
def test_four_languages_share_one_poller_and_see_the_same_end(
    own_gateway: Gateway, go_example: Path
) -> None:
    gateway = own_gateway
    assert gateway.metrics, "the gateway serves no metrics endpoint"

    channel = grpc.insecure_channel(gateway.target)
    stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
    watchers: list[ProcessWatcher] = []
    python_watcher: PythonWatcher | None = None
    try:
        submitted = stub.SubmitSql(
            instance_service_pb2.SubmitSqlRequest(
                job=instance_pb2.SqlJob(
                    query="select * from pyodps_iris limit 1",
                    hints={"mcemulator.duration_seconds": "60"},
                ),
                request_id=str(uuid.uuid4()),
            ),
            timeout=30,
        ).instance
        iid = submitted.instance_id
        watchers = [
            ProcessWatcher(name, command, cwd, gateway)
            for name, (command, cwd) in example_commands(go_example, iid).items()
        ]
        python_watcher = PythonWatcher(stub, iid)

        for w in watchers:
            if not w.snapshot.wait(_WAIT):
                pytest.fail(f"{w.name} watcher printed no SNAPSHOT:\n" + "\n".join(w.lines))
        assert python_watcher.snapshot.wait(_WAIT), "python watcher got no SNAPSHOT"

        running = stub.GetInstance(
            instance_service_pb2.GetInstanceRequest(instance_id=iid), timeout=30
        )
        assert running.state == instance_pb2.Instance.RUNNING, (
            "the instance ended before every watcher connected"
        )
        streams = metric_value(
            gateway.metrics, "mcgateway_active_streams", {"method": "WatchInstance"}
        )
        pollers = metric_value(gateway.metrics, "mcgateway_active_pollers")
        assert streams == 4, f"{streams} WatchInstance streams open, want 4"
        assert pollers == 1, f"{pollers} upstream pollers for one watched instance, want 1"

        stub.StopInstance(instance_service_pb2.StopInstanceRequest(instance_id=iid), timeout=30)

        results = {w.name: w.finish() for w in watchers}
        results["python"] = python_watcher.finish()
    finally:
        for w in watchers:
            w.close()
        if python_watcher is not None:
            python_watcher.cancel()
        channel.close()

    sequences = {name: seq for name, (seq, _) in results.items()}
    outcomes = {name: line for name, (_, line) in results.items()}
    assert len(set(sequences.values())) == 1, f"terminal sequences differ: {sequences}"
    assert len(set(outcomes.values())) == 1, f"final states differ: {outcomes}"
    assert outcomes["python"].startswith(f"{iid} failed"), outcomes
