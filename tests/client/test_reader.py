"""The Python client's result reader without a server: records by name and index, every value
kind decoded exactly, and resuming a broken stream at the next row (no row lost or repeated).
End-to-end reads against a real gateway are in test_reader_e2e.py."""

from __future__ import annotations

import asyncio
import datetime
import decimal
from collections.abc import AsyncIterator, Iterator

import grpc
import pytest
from google.protobuf import struct_pb2, timestamp_pb2
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from maxcompute.gateway.v1 import result_pb2
from mcgateway_client import AsyncResultReader, ReconnectPolicy, Record, ResultReader, Unavailable
from mcgateway_client._errors import NotFound

V = result_pb2.ResultValue
NULL = V(null_value=struct_pb2.NULL_VALUE)
SCHEMA = result_pb2.ResultSchema(
    columns=[
        result_pb2.ResultColumn(name="id", type="bigint"),
        result_pb2.ResultColumn(name="s", type="string"),
    ]
)


def header(offset: int, count: int, total: int = 10) -> pb.ReadInstanceResultResponse:
    return pb.ReadInstanceResultResponse(
        schema=SCHEMA, total_row_count=total, selected_row_count=count, row_offset=offset
    )


def batch(start: int, stop: int) -> pb.ReadInstanceResultResponse:
    rows = [
        result_pb2.ResultRow(values=[V(int64_value=i), V(string_value=f"r{i}")])
        for i in range(start, stop)
    ]
    return pb.ReadInstanceResultResponse(
        row_offset=start, row_count=stop - start, row_batch=result_pb2.ResultRowBatch(rows=rows)
    )


class FakeStreams:
    """Opens scripted streams: each script is a list of messages, ending with an exception to
    raise mid-stream, or not; records every request."""

    def __init__(self, *scripts: list[object]) -> None:
        self.scripts = list(scripts)
        self.requests: list[pb.ReadInstanceResultRequest] = []

    def __call__(
        self, request: pb.ReadInstanceResultRequest
    ) -> Iterator[pb.ReadInstanceResultResponse]:
        self.requests.append(request)
        script = self.scripts.pop(0)

        def stream() -> Iterator[pb.ReadInstanceResultResponse]:
            for item in script:
                if isinstance(item, BaseException):
                    raise item
                yield item  # type: ignore[misc]

        return stream()


def reader(streams: FakeStreams, **fields: object) -> ResultReader:
    request = pb.ReadInstanceResultRequest(project="demo", instance_id="i1", **fields)
    return ResultReader(streams, request, reconnect=ReconnectPolicy(), sleep=lambda s: None)


def test_records_by_name_and_index() -> None:
    streams = FakeStreams([header(0, 3), batch(0, 2), batch(2, 3)])
    with reader(streams) as r:
        assert r.count == 3 and r.total_count == 10
        assert [(c.name, c.type) for c in r.schema] == [("id", "bigint"), ("s", "string")]
        records = list(r)
    assert [rec["id"] for rec in records] == [0, 1, 2]
    assert records[1][1] == "r1" and records[1]["s"] == "r1"
    assert records[0].keys() == ["id", "s"] and records[0].to_dict() == {"id": 0, "s": "r0"}
    assert records[0].get("missing", "x") == "x"
    with pytest.raises(KeyError, match="no column 'nope'"):
        records[0]["nope"]
    assert isinstance(records[0], Record) and len(records[0]) == 2


def test_a_broken_stream_resumes_at_the_next_row_without_loss_or_repeat() -> None:
    broken = Unavailable("gateway restarting", code=grpc.StatusCode.UNAVAILABLE)
    streams = FakeStreams(
        [header(2, 6), batch(2, 4), broken],  # rows 2, 3, then the gateway went away
        [header(4, 4), batch(4, 6)],  # resumed at 4: rows 4, 5, then the stream ended early
        [header(6, 2), batch(6, 8)],
    )
    got = [rec["id"] for rec in reader(streams, offset=2, limit=6)]
    assert got == [2, 3, 4, 5, 6, 7]
    assert [(q.offset, q.limit) for q in streams.requests] == [(2, 6), (4, 4), (6, 2)]


def test_a_gap_in_the_offsets_is_resumed_not_skipped() -> None:
    streams = FakeStreams([header(0, 4), batch(0, 1), batch(2, 4)], [header(1, 3), batch(1, 4)])
    assert [rec["id"] for rec in reader(streams)] == [0, 1, 2, 3]


def test_other_errors_end_the_read() -> None:
    streams = FakeStreams(
        [header(0, 4), batch(0, 1), NotFound("gone", code=grpc.StatusCode.NOT_FOUND)]
    )
    with pytest.raises(NotFound):
        list(reader(streams))


def test_the_reconnect_policy_gives_up() -> None:
    broken = Unavailable("down", code=grpc.StatusCode.UNAVAILABLE)
    streams = FakeStreams([header(0, 4), batch(0, 1), broken], *([[broken]] * 50))
    request = pb.ReadInstanceResultRequest(project="demo", instance_id="i1")
    clock = iter(range(0, 10_000, 10))
    r = ResultReader(
        streams, request, reconnect=ReconnectPolicy(give_up_after=30), sleep=lambda s: None
    )
    import mcgateway_client._reader as module

    original = module.time.monotonic
    module.time.monotonic = lambda: float(next(clock))  # type: ignore[assignment]
    try:
        with pytest.raises(Unavailable):
            list(r)
    finally:
        module.time.monotonic = original  # type: ignore[assignment]


def ts(seconds: int, nanos: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos)


def read_one(value: V, type_text: str) -> object:
    """The Python value of ``value`` read as the one value of a one-column result."""
    schema = result_pb2.ResultSchema(columns=[result_pb2.ResultColumn(name="c", type=type_text)])
    message = pb.ReadInstanceResultResponse(
        row_offset=0,
        row_count=1,
        row_batch=result_pb2.ResultRowBatch(rows=[result_pb2.ResultRow(values=[value])]),
    )
    head = pb.ReadInstanceResultResponse(schema=schema, total_row_count=1, selected_row_count=1)
    (record,) = list(reader(FakeStreams([head, message])))
    return record[0]


@pytest.mark.parametrize(
    ("value", "type_text", "expected"),
    [
        (NULL, "bigint", None),
        (V(int64_value=2**63 - 1), "bigint", 2**63 - 1),
        (V(double_value=0.1), "double", 0.1),
        (V(decimal_value="-12.340"), "decimal(10,3)", decimal.Decimal("-12.340")),
        (V(string_value="ü"), "string", "ü"),
        (V(bytes_value=b"\x00\xff"), "binary", b"\x00\xff"),
        (V(bool_value=False), "boolean", False),
        (V(date_value="0001-01-01"), "date", datetime.date(1, 1, 1)),
        (
            V(timestamp_value=ts(1_700_000_000, 123_000_000)),
            "datetime",
            datetime.datetime(2023, 11, 14, 22, 13, 20, 123_000, tzinfo=datetime.UTC),
        ),
        (
            V(array_value=result_pb2.ResultArray(values=[V(int64_value=1), NULL])),
            "array<bigint>",
            [1, None],
        ),
        (
            V(
                map_value=result_pb2.ResultMap(
                    entries=[
                        result_pb2.ResultMap.Entry(
                            key=V(string_value="k"), value=V(decimal_value="1.5")
                        )
                    ]
                )
            ),
            "map<string,decimal(5,1)>",
            {"k": decimal.Decimal("1.5")},
        ),
        (
            V(struct_value=result_pb2.ResultArray(values=[V(int64_value=1), V(string_value="x")])),
            "struct<a:bigint,b:string>",
            (1, "x"),
        ),
    ],
)
def test_values_decode_exactly(value: V, type_text: str, expected: object) -> None:
    got = read_one(value, type_text)
    assert got == expected
    assert type(got) is type(expected)


def test_timestamps_keep_nanoseconds() -> None:
    pandas = pytest.importorskip("pandas")
    got = read_one(V(timestamp_value=ts(1_700_000_000, 123_456_789)), "timestamp")
    assert got == pandas.Timestamp("2023-11-14T22:13:20.123456789Z")
    assert got.nanosecond == 789  # type: ignore[attr-defined]


def test_the_async_reader_resumes_too() -> None:
    broken = Unavailable("gateway restarting", code=grpc.StatusCode.UNAVAILABLE)
    scripts = [[header(0, 4), batch(0, 2), broken], [header(2, 2), batch(2, 4)]]
    requests: list[pb.ReadInstanceResultRequest] = []

    def open_stream(
        request: pb.ReadInstanceResultRequest,
    ) -> AsyncIterator[pb.ReadInstanceResultResponse]:
        requests.append(request)
        script = scripts.pop(0)

        async def stream() -> AsyncIterator[pb.ReadInstanceResultResponse]:
            for item in script:
                if isinstance(item, BaseException):
                    raise item
                yield item  # type: ignore[misc]

        return stream()

    async def read() -> list[int]:
        request = pb.ReadInstanceResultRequest(project="demo", instance_id="i1")
        async with AsyncResultReader(
            open_stream, request, reconnect=ReconnectPolicy(initial_backoff=0.001)
        ) as r:
            assert await r.count() == 4
            return [rec["id"] async for rec in r]

    assert asyncio.run(read()) == [0, 1, 2, 3]
    assert [(q.offset, q.limit) for q in requests] == [(0, 0), (2, 2)]
