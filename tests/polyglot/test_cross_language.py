"""Go, Java, Node and Python watchers of one instance share one upstream poller and all see the
same terminal state.

The instance runs long (60 s of simulated time) so every watcher is connected before anything
changes: once each has printed its SNAPSHOT, the gateway's metrics must show four WatchInstance
streams and one poller; then the test stops the instance and every watcher must report the same
terminal event (same sequence, same outcome line).
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_service_pb2, instance_service_pb2_grpc

from .harness import CLIENTS, Gateway, metric_value, running_gateway

_SNAPSHOT = re.compile(r"^#(\d+) (?:WATCH_EVENT_TYPE_)?SNAPSHOT\b")
_TERMINAL = re.compile(r"^#(\d+) (?:WATCH_EVENT_TYPE_)?TERMINAL\b")
_WAIT = 60.0


class ProcessWatcher:
    """A language's example program watching one instance; its output is read as it comes."""

    def __init__(self, name: str, command: list[str], cwd: Path, gateway: Gateway) -> None:
        self.name = name
        self.lines: list[str] = []
        self.snapshot = threading.Event()
        self.proc = subprocess.Popen(
            command,
            cwd=cwd,
            env={**gateway.env(), "MCGW_INSECURE": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, name=f"{name}-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if _SNAPSHOT.match(line):
                self.snapshot.set()

    def finish(self) -> tuple[int, str]:
        """Wait for the program to exit; its terminal sequence and final outcome line."""
        code = self.proc.wait(timeout=_WAIT)
        self._reader.join(timeout=_WAIT)
        output = "\n".join(self.lines)
        assert code == 0, f"{self.name} watcher exited with {code}:\n{output}"
        terminal = [int(m.group(1)) for line in self.lines if (m := _TERMINAL.match(line))]
        assert len(terminal) == 1, f"{self.name}: expected one TERMINAL event:\n{output}"
        return terminal[0], self.lines[-1]

    def close(self) -> None:
        """Kill the program if it still runs, and release its pipe."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=_WAIT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


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
                if event.event_type == instance_service_pb2.WATCH_EVENT_TYPE_SNAPSHOT:
                    self.snapshot.set()
        except grpc.RpcError as exc:
            self.error = exc

    def finish(self) -> tuple[int, str]:
        self._thread.join(timeout=_WAIT)
        assert not self._thread.is_alive(), "python watcher did not finish"
        assert self.error is None, f"python watcher failed: {self.error}"
        last = self.events[-1]
        assert last.event_type == instance_service_pb2.WATCH_EVENT_TYPE_TERMINAL
        inst = last.instance
        outcome = "succeeded" if inst.successful else f"failed: {inst.failure_message}"
        return last.sequence, f"{inst.id} {outcome}"

    def cancel(self) -> None:
        self._call.cancel()


@pytest.fixture
def own_gateway(tmp_path: Path) -> Iterator[Gateway]:
    """A gateway of this test alone, so its poller gauge counts only this instance."""
    with running_gateway(tmp_path) as gw:
        yield gw


@pytest.mark.usefixtures("go_client", "java_client", "node_client")
def test_four_languages_share_one_poller_and_see_the_same_end(
    own_gateway: Gateway, tmp_path: Path
) -> None:
    gateway = own_gateway
    assert gateway.metrics, "the gateway serves no metrics endpoint"
    go_binary = tmp_path / "mcgw-go"
    subprocess.run(
        ["go", "build", "-o", str(go_binary), "./cmd/mcgw-go"],
        cwd=CLIENTS / "go", check=True, timeout=300,
    )  # fmt: skip
    classpath = (CLIENTS / "java/target/classpath.txt").read_text().strip()
    java_cp = f"{CLIENTS / 'java/target/classes'}:{classpath}"

    channel = grpc.insecure_channel(gateway.target)
    stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
    watchers: list[ProcessWatcher] = []
    python_watcher: PythonWatcher | None = None
    try:
        submitted = stub.SubmitSql(
            instance_service_pb2.SubmitSqlRequest(
                query="select * from pyodps_iris limit 1",
                hints={"mcemulator.duration_seconds": "60"},
            ),
            timeout=30,
        ).instance
        iid = submitted.id
        watchers = [
            ProcessWatcher(
                "go", [str(go_binary), "-insecure", "-limit", "0", "-watch", iid], tmp_path, gateway
            ),
            ProcessWatcher(
                "java",
                ["java", "-cp", java_cp, "com.mcgateway.client.example.Example", iid],
                CLIENTS / "java",
                gateway,
            ),
            ProcessWatcher("node", ["node", "examples/watch.js", iid], CLIENTS / "node", gateway),
        ]
        python_watcher = PythonWatcher(stub, iid)

        for w in watchers:
            if not w.snapshot.wait(_WAIT):
                pytest.fail(f"{w.name} watcher printed no SNAPSHOT:\n" + "\n".join(w.lines))
        assert python_watcher.snapshot.wait(_WAIT), "python watcher got no SNAPSHOT"

        running = stub.GetInstance(
            instance_service_pb2.GetInstanceRequest(instance_id=iid), timeout=30
        ).instance
        assert running.status == 1, "the instance ended before every watcher connected"  # RUNNING
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
