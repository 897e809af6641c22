"""One encoding per fan-out message: every stream gets the bytes of the shared state, and
they are exactly what encoding the message for that stream alone would give."""

from __future__ import annotations

import asyncio
import uuid

import grpc
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import DURATION_HINT

from .conftest import WatchHarness

E = instance_service_pb2
Event = E.WatchInstanceResponse.EventType
SERVICE = "/maxcompute.gateway.v1.InstanceService/"


def raw_stream(h: WatchHarness, method: str, request: object) -> grpc.aio.UnaryStreamCall:
    """A streaming call whose messages are read as the bytes that came over the wire."""
    call = h.channel.unary_stream(
        SERVICE + method,
        request_serializer=lambda m: m.SerializeToString(),  # type: ignore[attr-defined]
        response_deserializer=None,  # bytes as received
    )
    return call(request, timeout=60)


async def read_to_end(call: grpc.aio.UnaryStreamCall) -> list[bytes]:
    out: list[bytes] = []
    while (data := await call.read()) is not grpc.aio.EOF:
        out.append(data)
    return out


async def test_streams_of_one_instance_get_the_same_canonical_bytes(harness: WatchHarness) -> None:
    h = harness
    instance_id = await h.submit(1.5)
    request = E.WatchInstanceRequest(instance_id=instance_id)
    streams = [raw_stream(h, "WatchInstance", request) for _ in range(8)]
    received = await asyncio.gather(*(read_to_end(s) for s in streams))
    by_sequence: dict[tuple[int, int], set[bytes]] = {}
    for messages in received:
        decoded = [E.WatchInstanceResponse.FromString(m) for m in messages]
        assert decoded[-1].event_type == Event.TERMINAL
        for data, message in zip(messages, decoded, strict=True):
            # Byte for byte what the message encodes to on its own (canonical field order).
            assert data == message.SerializeToString()
            by_sequence.setdefault((message.sequence, message.event_type), set()).add(data)
    # A state sent as the same event to several streams is the same bytes on every stream.
    terminal = [v for (_, kind), v in by_sequence.items() if kind == Event.TERMINAL]
    assert len(terminal) == 1 and len(terminal[0]) == 1
    assert all(len(v) == 1 for v in by_sequence.values())


async def test_execute_sql_messages_are_canonical_with_and_without_reattached(
    harness: WatchHarness,
) -> None:
    h = harness
    request = E.ExecuteSqlRequest(
        job=instance_pb2.SqlJob(query="select 1", hints={DURATION_HINT: "1"}),
        request_id=str(uuid.uuid4()),
    )
    first = raw_stream(h, "ExecuteSql", request)
    first_messages = [await first.read()]
    # The same request id again: the second call reattaches to the instance the first made.
    second_messages = await read_to_end(raw_stream(h, "ExecuteSql", request))
    first_messages += await read_to_end(first)
    for messages, reattached in ((first_messages, False), (second_messages, True)):
        assert messages
        for data in messages:
            message = E.ExecuteSqlResponse.FromString(data)
            assert message.reattached is reattached
            assert data == message.SerializeToString()
        assert E.ExecuteSqlResponse.FromString(messages[-1]).event_type == Event.TERMINAL
