"""Every client resumes a watch that the gateway ends with UNAVAILABLE and still sees the end.

The gateway here ends watch streams after one second (`--max-stream-age 1`, how it sheds load
and shuts down). Each language's example program watches a long-running instance; once it has
printed a second SNAPSHOT (so it reconnected at least once), the test stops the instance and
the program must finish on the TERMINAL event with the outcome the gateway reports.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc

from .harness import Gateway, running_gateway
from .watchers import Example, ProcessWatcher


@pytest.fixture(scope="module")
def short_stream_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """A gateway whose watch streams last one second."""
    with running_gateway(tmp_path_factory.mktemp("short-streams"), "--max-stream-age", "1") as gw:
        yield gw


def test_watcher_resumes_after_the_gateway_ends_its_stream(
    short_stream_gateway: Gateway, language: str, example: Callable[[str], Example]
) -> None:
    gateway = short_stream_gateway
    with grpc.insecure_channel(gateway.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        iid = stub.SubmitSql(
            instance_service_pb2.SubmitSqlRequest(
                job=instance_pb2.SqlJob(
                    query="select * from pyodps_iris limit 1",
                    hints={"mcemulator.duration_seconds": "60"},
                ),
                request_id=str(uuid.uuid4()),
            ),
            timeout=30,
        ).instance.instance_id
        command, cwd = example(iid)
        watcher = ProcessWatcher(language, command, cwd, gateway)
        try:
            assert watcher.wait_snapshots(2), f"{language} did not reconnect:\n{watcher.output}"
            stub.StopInstance(instance_service_pb2.StopInstanceRequest(instance_id=iid), timeout=30)
            _, outcome = watcher.finish()
        finally:
            watcher.close()
        request = instance_service_pb2.GetInstanceRequest(instance_id=iid)
        final = stub.GetInstance(request, timeout=30)
    assert final.state == instance_pb2.Instance.TERMINATED and final.HasField("successful")
    assert not final.successful, "a stopped instance succeeded"
    assert outcome == f"{iid} failed: {final.failure_message}", watcher.output
