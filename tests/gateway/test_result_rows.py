"""Arrow → typed rows (ReadInstanceResult's ROWS format): every MaxCompute type exact, NULLs as
``null_value``, and byte-bounded slicing. End-to-end reads are in test_read_result.py."""

from __future__ import annotations

import datetime
import decimal

import pyarrow as pa
import pytest
from google.protobuf import json_format
from mcgateway.service.result_rows import row_batch, slice_by_bytes


def values_of(array: pa.Array, type_text: str) -> list[dict[str, object]]:
    batch = pa.RecordBatch.from_arrays([array], names=["c"])
    rows = row_batch(batch).rows
    return [json_format.MessageToDict(row.values[0]) for row in rows]


NULL = {"nullValue": None}


@pytest.mark.parametrize(
    ("array", "type_text", "expected"),
    [
        (
            pa.array([-(2**63), 2**63 - 1, None], pa.int64()),
            "bigint",
            [{"int64Value": str(-(2**63))}, {"int64Value": str(2**63 - 1)}, NULL],
        ),
        (pa.array([7, None], pa.int8()), "tinyint", [{"int64Value": "7"}, NULL]),
        (pa.array([0.1, None], pa.float64()), "double", [{"doubleValue": 0.1}, NULL]),
        (
            pa.array(
                [decimal.Decimal("-12.34"), decimal.Decimal("0.00"), None], pa.decimal128(10, 2)
            ),
            "decimal(10,2)",
            [{"decimalValue": "-12.34"}, {"decimalValue": "0.00"}, NULL],
        ),
        (
            pa.array([decimal.Decimal("0E-18")], pa.decimal128(38, 18)),
            "decimal(38,18)",
            [{"decimalValue": "0.000000000000000000"}],
        ),
        (pa.array(["ü", "", None]), "string", [{"stringValue": "ü"}, {"stringValue": ""}, NULL]),
        (pa.array([b"\x00\xff", None], pa.binary()), "binary", [{"bytesValue": "AP8="}, NULL]),
        (
            pa.array([True, False, None]),
            "boolean",
            [{"boolValue": True}, {"boolValue": False}, NULL],
        ),
        (
            pa.array([datetime.date(1, 1, 1), datetime.date(9999, 12, 31), None], pa.date32()),
            "date",
            [{"dateValue": "0001-01-01"}, {"dateValue": "9999-12-31"}, NULL],
        ),
        (
            pa.array([1_700_000_000_123, -1, None], pa.timestamp("ms")),
            "datetime",
            [
                {"timestampValue": "2023-11-14T22:13:20.123Z"},
                {"timestampValue": "1969-12-31T23:59:59.999Z"},
                NULL,
            ],
        ),
        (
            pa.array([1_700_000_000_123_456_789, None], pa.timestamp("ns")),
            "timestamp",
            [{"timestampValue": "2023-11-14T22:13:20.123456789Z"}, NULL],
        ),
        (
            pa.array([[1, None, 3], [], None], pa.list_(pa.int64())),
            "array<bigint>",
            [
                {"arrayValue": {"values": [{"int64Value": "1"}, NULL, {"int64Value": "3"}]}},
                {"arrayValue": {}},
                NULL,
            ],
        ),
        (
            pa.array(
                [[("k", decimal.Decimal("1.5"))], None], pa.map_(pa.string(), pa.decimal128(5, 1))
            ),
            "map<string,decimal(5,1)>",
            [
                {
                    "mapValue": {
                        "entries": [{"key": {"stringValue": "k"}, "value": {"decimalValue": "1.5"}}]
                    }
                },
                NULL,
            ],
        ),
        (
            pa.array(
                [{"a": 1, "b": "x"}, {"a": None, "b": None}, None],
                pa.struct([("a", pa.int64()), ("b", pa.string())]),
            ),
            "struct<a:bigint,b:string>",
            [
                {"structValue": {"values": [{"int64Value": "1"}, {"stringValue": "x"}]}},
                {"structValue": {"values": [NULL, NULL]}},
                NULL,
            ],
        ),
    ],
)
def test_every_type_is_exact_and_nulls_are_null(
    array: pa.Array, type_text: str, expected: list[dict[str, object]]
) -> None:
    assert values_of(array, type_text) == expected


def test_rows_keep_column_order() -> None:
    batch = pa.RecordBatch.from_pydict({"a": [1, 2], "b": ["x", "y"]})
    rows = row_batch(batch).rows
    assert [(r.values[0].int64_value, r.values[1].string_value) for r in rows] == [
        (1, "x"),
        (2, "y"),
    ]


def test_slices_are_bounded_in_bytes_and_cover_every_row_once() -> None:
    batch = pa.RecordBatch.from_pydict({"s": ["x" * 100] * 1000})
    pieces = list(slice_by_bytes(batch, 10_000))
    assert len(pieces) > 1
    assert sum(p.num_rows for p in pieces) == 1000
    assert all(p.nbytes <= 10_000 * 1.1 for p in pieces)
    assert pa.Table.from_batches(pieces).equals(pa.Table.from_batches([batch]))
    # One row larger than the bound still goes out, alone.
    huge = pa.RecordBatch.from_pydict({"s": ["x" * 50_000, "y"]})
    assert [p.num_rows for p in slice_by_bytes(huge, 1000)] == [1, 1]


def test_the_hand_written_encoding_is_protobufs_own() -> None:
    """The direct wire encoding parses back to the same message and re-serializes to the very
    same bytes (protobuf's canonical form), for every scalar type, edge values and NULLs."""
    from maxcompute.gateway.v1 import result_pb2
    from mcgateway.service.result_rows import encode_row_batch

    batch = pa.RecordBatch.from_pydict(
        {
            "i": pa.array([0, -1, 2**63 - 1, -(2**63), None], pa.int64()),
            "t": pa.array([0, -1, 127, 1, None], pa.int8()),
            "d": pa.array([0.0, -0.0, 1e308, float("inf"), None]),
            "b": pa.array([True, False, None, True, False]),
            "s": pa.array(["", "x" * 300, "ü", None, "a"]),
            "y": pa.array([b"", b"\x00" * 200, None, b"z", b"q"]),
            "m": pa.array(
                [decimal.Decimal("0"), decimal.Decimal("-1.25"), None]
                + [decimal.Decimal("9.99")] * 2,
                pa.decimal128(5, 2),
            ),
            "dt": pa.array(
                [datetime.date(1970, 1, 1), None, datetime.date(1, 1, 1)] * 1
                + [datetime.date(2024, 2, 29)] * 2,
                pa.date32(),
            ),
            "ts": pa.array([0, -1, 10**18, None, 999], pa.timestamp("ns")),
            "a": pa.array([[1], [], None, [None], [2, 3]], pa.list_(pa.int64())),
        }
    )
    encoded = encode_row_batch(batch)
    parsed = result_pb2.ResultRowBatch.FromString(encoded)
    assert parsed.SerializeToString() == encoded
    assert len(parsed.rows) == 5
    assert parsed.rows[0].values[6].decimal_value == "0.00"
    assert parsed.rows[1].values[0].int64_value == -1
    assert parsed.rows[1].values[8].timestamp_value.seconds == -1
    assert parsed.rows[1].values[8].timestamp_value.nanos == 999_999_999
