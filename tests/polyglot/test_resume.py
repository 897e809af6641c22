"""Every client resumes a watch that the gateway ends with UNAVAILABLE and still sees the end.

The gateway here ends watch streams after one second (`--max-stream-age 1`, how it sheds load
and shuts down). Each example program watches a long-running instance; once every one has
printed a second SNAPSHOT (so it reconnected at least once), the test stops the instance and
each must finish on the TERMINAL event with the same outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_service_pb2, instance_service_pb2_grpc

from .harness import Gateway, running_gateway
from .watchers import ProcessWatcher, build_go_example, example_commands


@pytest.fixture
def short_stream_gateway(tmp_path: Path) -> Iterator[Gateway]:
    """A gateway whose watch streams last one second."""
    with running_gateway(tmp_path, "--max-stream-age", "1") as gw:
        yield gw


@pytest.mark.usefixtures("go_client", "java_client", "node_client")
def test_watchers_resume_after_the_gateway_ends_their_stream(
    short_stream_gateway: Gateway, tmp_path: Path
) -> None:
    gateway = short_stream_gateway
    go_binary = build_go_example(tmp_path)
    with grpc.insecure_channel(gateway.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        iid = stub.SubmitSql(
            instance_service_pb2.SubmitSqlRequest(
                query="select * from pyodps_iris limit 1",
                hints={"mcemulator.duration_seconds": "60"},
            ),
            timeout=30,
        ).instance.id
    watchers = [
        ProcessWatcher(name, command, cwd, gateway)
        for name, (command, cwd) in example_commands(go_binary, iid).items()
    ]
    try:
        for w in watchers:
            assert w.wait_snapshots(2), f"{w.name} did not reconnect:\n{w.output}"
        with grpc.insecure_channel(gateway.target) as channel:
            stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
            stub.StopInstance(instance_service_pb2.StopInstanceRequest(instance_id=iid), timeout=30)
        results = {w.name: w.finish() for w in watchers}
    finally:
        for w in watchers:
            w.close()
    outcomes = {name: line for name, (_, line) in results.items()}
    assert len(set(outcomes.values())) == 1, outcomes
    assert outcomes["go"].startswith(f"{iid} failed"), outcomes
