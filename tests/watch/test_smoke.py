"""First end-to-end checks of WatchInstance and WaitInstance over the emulator."""

from __future__ import annotations

from google.protobuf.duration_pb2 import Duration

from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from .conftest import WatchHarness, collect

E = instance_service_pb2


async def test_watch_running_instance_ends_with_one_terminal(harness: WatchHarness) -> None:
    instance_id = await harness.submit(1.5)
    messages, code, _ = await collect(harness.watch(instance_id))
    assert code.name == "OK"
    kinds = [m.event_type for m in messages]
    assert kinds[0] == E.WATCH_EVENT_TYPE_SNAPSHOT
    assert kinds.count(E.WATCH_EVENT_TYPE_TERMINAL) == 1 and kinds[-1] == E.WATCH_EVENT_TYPE_TERMINAL
    final = messages[-1].instance
    assert final.status == instance_pb2.STATUS_TERMINATED and final.successful
    assert [t.status for t in final.tasks] == [instance_pb2.TASK_STATUS_SUCCESS]
    sequences = [m.sequence for m in messages]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)


async def test_wait_returns_at_termination(harness: WatchHarness) -> None:
    instance_id = await harness.submit(1.0)
    response = await harness.stub.WaitInstance(
        E.WaitInstanceRequest(instance_id=instance_id, timeout=Duration(seconds=20)), timeout=30
    )
    assert response.instance.status == instance_pb2.STATUS_TERMINATED
    assert response.instance.successful
