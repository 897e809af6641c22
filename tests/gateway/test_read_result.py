"""End to end, a real gateway on the emulator's instance tunnel: ReadInstanceResult's schema,
typed rows and Arrow batches, projection, offset and limit, results past 10,000 rows, bounded
batches, bad input and the instance states that have no result."""

from __future__ import annotations

import io

import grpc
import pyarrow as pa
import pytest
from maxcompute.gateway.v1 import instance_pb2
from result_types import ALL_TYPES, TYPES

from gateway.support import covers, expect_error, pb, submit_sql, wait_terminated

Format = pb.ReadInstanceResultRequest.Format
BIG = 25_000


def read_all(stub, instance_id: str, **fields):
    """Every message of one ReadInstanceResult stream."""
    return list(
        stub.ReadInstanceResult(pb.ReadInstanceResultRequest(instance_id=instance_id, **fields))
    )


def ints(messages) -> list[int]:
    return [row.values[0].int64_value for m in messages[1:] for row in m.row_batch.rows]


@pytest.fixture(scope="module")
def big(stub):
    """A terminated select of BIG rows: (id bigint, label string, half double)."""
    instance = submit_sql(
        stub,
        f"select range as id, 'row-' || range as label, range / 2.0 as half "
        f"from range({BIG}) order by id",
    )
    return wait_terminated(stub, instance.instance_id)


@pytest.fixture(scope="module")
def iris(stub):
    instance = submit_sql(stub, "select * from pyodps_iris")
    return wait_terminated(stub, instance.instance_id)


@covers("ReadInstanceResult")
def test_first_message_has_the_schema_and_counts_then_every_row_in_order(stub, big):
    messages = read_all(stub, big.instance_id)
    first = messages[0]
    assert [(c.name, c.type) for c in first.schema.columns] == [
        ("id", "bigint"),
        ("label", "string"),
        ("half", "double"),
    ]
    assert first.total_row_count == BIG and first.selected_row_count == BIG
    assert first.row_offset == 0 and first.row_count == 0 and first.WhichOneof("rows") is None
    assert ints(messages) == list(range(BIG)), "past the 10,000 rows of ?result, none lost"
    offset = 0
    for message in messages[1:]:
        assert message.row_offset == offset and message.row_count == len(message.row_batch.rows)
        assert message.ByteSize() < 2 * 1024 * 1024, "batches are bounded in bytes"
        offset += message.row_count
    row = messages[1].row_batch.rows[3]
    assert (row.values[1].string_value, row.values[2].double_value) == ("row-3", 1.5)


def test_the_text_result_stays_capped_at_10000_rows(stub, big):
    result = stub.GetTaskResult(
        pb.GetTaskResultRequest(instance_id=big.instance_id, task_name="AnonymousSQLTask")
    )
    assert result.content.count("\n") <= 10_001


def test_projection_offset_and_limit(stub, big):
    messages = read_all(stub, big.instance_id, columns=["half", "id"], offset=12_345, limit=7)
    first = messages[0]
    assert [c.name for c in first.schema.columns] == ["half", "id"]
    assert (first.total_row_count, first.selected_row_count, first.row_offset) == (BIG, 7, 12_345)
    rows = [row for m in messages[1:] for row in m.row_batch.rows]
    assert [(r.values[0].double_value, r.values[1].int64_value) for r in rows] == [
        (i / 2, i) for i in range(12_345, 12_352)
    ]


def test_offset_at_the_end_reads_nothing_and_limit_past_the_end_stops_there(stub, big):
    assert len(read_all(stub, big.instance_id, offset=BIG)) == 1
    messages = read_all(stub, big.instance_id, offset=BIG - 3, limit=100)
    assert messages[0].selected_row_count == 3 and ints(messages) == [BIG - 3, BIG - 2, BIG - 1]


def test_arrow_batches_carry_the_same_rows(stub, big):
    messages = read_all(stub, big.instance_id, format=Format.ARROW, offset=100, limit=20_000)
    schema = messages[0].schema.arrow_schema
    assert schema, "the first message carries the Arrow schema"
    batches = []
    for message in messages[1:]:
        data = schema + message.arrow_record_batch.serialized_record_batch
        with pa.ipc.open_stream(io.BytesIO(data)) as reader:
            got = reader.read_all()
        assert got.num_rows == message.row_count
        batches.append(got)
    table = pa.concat_tables(batches)
    assert table.column("id").to_pylist() == list(range(100, 20_100))
    assert table.schema.field("id").type == pa.int64()


def test_iris_reads_like_the_text_result(stub, iris):
    messages = read_all(stub, iris.instance_id, columns=["name"])
    names = [row.values[0].string_value for m in messages[1:] for row in m.row_batch.rows]
    assert len(names) == 150 and names.count("Iris-setosa") == 50


# --- bad input and states without a result --------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"offset": -1}, "offset"),
        ({"limit": -5}, "limit"),
        ({"columns": ["id", "id"]}, "columns[1]"),
        ({"columns": [""]}, "columns[0]"),
        ({"format": 9}, "format"),
    ],
)
def test_bad_input_is_invalid_argument(stub, big, fields, field):
    error = expect_error(lambda: read_all(stub, big.instance_id, **fields))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert field in error.violations


def test_an_unknown_column_or_an_offset_past_the_end_is_invalid_argument(stub, big):
    error = expect_error(lambda: read_all(stub, big.instance_id, columns=["id", "nope"]))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "nope" in error.violations["columns[1]"]
    error = expect_error(lambda: read_all(stub, big.instance_id, offset=BIG + 1))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT and "offset" in error.violations


def test_a_running_instance_is_failed_precondition(stub):
    instance = submit_sql(stub, "select 1", duration=30)
    try:
        error = expect_error(lambda: read_all(stub, instance.instance_id))
        assert error.code == grpc.StatusCode.FAILED_PRECONDITION
        assert error.error_info.reason == "INSTANCE_NOT_TERMINATED"
        assert "WaitInstance" in error.message
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))


def test_a_failed_task_is_failed_precondition_with_its_error(stub):
    instance = wait_terminated(stub, submit_sql(stub, "select * from no_such_table").instance_id)
    assert instance.tasks[0].state == instance_pb2.Task.FAILED
    error = expect_error(lambda: read_all(stub, instance.instance_id))
    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.error_info.reason == "TASK_FAILED"
    assert "no_such_table" in error.message


def test_a_statement_without_rows_is_failed_precondition(stub):
    instance = wait_terminated(
        stub, submit_sql(stub, "create table if not exists read_result_ddl (a bigint)").instance_id
    )
    error = expect_error(lambda: read_all(stub, instance.instance_id))
    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.error_info.reason == "RESULT_NOT_TABULAR"


def test_an_unknown_task_or_instance_is_not_found(stub, big):
    error = expect_error(lambda: read_all(stub, big.instance_id, task_name="Nope"))
    assert (error.code, error.error_info.reason) == (grpc.StatusCode.NOT_FOUND, "TASK_NOT_FOUND")
    error = expect_error(lambda: read_all(stub, "20991231000000000nosuch"))
    assert (error.code, error.error_info.reason) == (
        grpc.StatusCode.NOT_FOUND,
        "INSTANCE_NOT_FOUND",
    )


# --- every type, exact, against PyODPS reading the same tunnel ---------------------------------


@pytest.fixture(scope="module")
def all_types(stub):
    return wait_terminated(stub, submit_sql(stub, ALL_TYPES).instance_id)


def test_every_type_is_exact_as_typed_rows(stub, all_types):
    from google.protobuf import json_format

    messages = read_all(stub, all_types.instance_id)
    # The tunnel's schema writes struct fields without PyODPS's quotes.
    assert [c.type for c in messages[0].schema.columns] == [t.replace("`", "") for t in TYPES]
    first, nulls = (json_format.MessageToDict(r) for m in messages[1:] for r in m.row_batch.rows)
    assert [next(iter(v.values())) for v in first["values"]] == [
        "9007199254740993", "2147483647", "-32768", "-128", 0.1, 1.5,
        "12345678901234567890.123456789", 'héllo, "w"', True, "1969-12-31",
        "1969-12-31T23:59:59.999Z", "2024-02-29T12:34:56.123456789Z", "AP8=",
        {"values": [{"int64Value": "1"}, {"nullValue": None}, {"int64Value": "3"}]},
        {"entries": [
            {"key": {"stringValue": "a"}, "value": {"decimalValue": "1.5"}},
            {"key": {"stringValue": "b"}, "value": {"nullValue": None}},
        ]},
        {"values": [{"int64Value": "7"}, {"stringValue": "z"}, {"nullValue": None}]},
    ]  # fmt: skip
    assert nulls["values"] == [{"nullValue": None}] * 16


def test_arrow_is_what_pyodps_reads_from_the_tunnel(stub, emulator, all_types, big):
    """The gateway's Arrow equals PyODPS's own Arrow read of the same instance (the oracle)."""
    from odps import ODPS

    o = ODPS(emulator.access_id, emulator.access_key, emulator.project, endpoint=emulator.endpoint)
    for instance, columns in ((all_types, []), (big, ["half", "id"])):
        messages = read_all(stub, instance.instance_id, format=Format.ARROW, columns=columns)
        schema = messages[0].schema.arrow_schema
        ours = pa.concat_tables(
            pa.ipc.open_stream(schema + m.arrow_record_batch.serialized_record_batch).read_all()
            for m in messages[1:]
        )
        with o.get_instance(instance.instance_id).open_reader(
            tunnel=True, arrow=True, columns=columns or None
        ) as reader:
            theirs = reader.read_all()
        assert ours.schema.names == theirs.schema.names
        assert ours.to_pylist() == theirs.to_pylist()


def test_a_reader_that_stops_reading_holds_the_upstream_reads_back(gateway, stub):
    """Flow control: while the caller takes nothing, the gateway reads a few ranges ahead at
    most, not the whole result (so its memory stays bounded)."""
    wide = wait_terminated(
        stub,
        submit_sql(
            stub, "select range as id, repeat('x', 4000) as pad from range(12000)"
        ).instance_id,
    )  # about 48 MB of Arrow: a dozen ranges of 4 MiB
    before = gateway.upstream_requests("read_download_range")
    stream = stub.ReadInstanceResult(pb.ReadInstanceResultRequest(instance_id=wide.instance_id))
    try:
        next(stream)
        next(stream)  # the reads have started
        # The gateway reads ahead until grpc's flow control and READ_AHEAD stop it; give it
        # time to run as far as it would, then count.
        import time

        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            time.sleep(0.1)
        ahead = gateway.upstream_requests("read_download_range") - before
        assert 1 <= ahead <= 6, f"{ahead} ranges read ahead of a reader that stopped"
        rest = sum(m.row_count for m in stream)
        assert rest > 0
    finally:
        stream.cancel()
