"""Every client resumes a watch that the gateway ends with UNAVAILABLE and still sees the end.

The gateway here ends watch streams after one second (`--max-stream-age 1`, how it sheds load
and shuts down); a three-second instance therefore spans several streams, and each example
program must reconnect, get a fresh snapshot each time, and finish on the TERMINAL event.
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
                hints={"mcemulator.duration_seconds": "3"},
            ),
            timeout=30,
        ).instance.id
    watchers = [
        ProcessWatcher(name, command, cwd, gateway)
        for name, (command, cwd) in example_commands(go_binary, iid).items()
    ]
    try:
        outcomes = {w.name: w.finish()[1] for w in watchers}
        for w in watchers:
            assert w.snapshots() >= 2, f"{w.name} never reconnected:\n{w.output}"
    finally:
        for w in watchers:
            w.close()
    assert set(outcomes.values()) == {f"{iid} succeeded"}, outcomes
