"""Arrow record batches of a MaxCompute result as ReadInstanceResult's messages.

Two encodings of the same rows: Arrow IPC (a batch re-serialized, sliced to a byte bound) and
typed rows (``ResultRowBatch``), converted column by column so each column's values go
through one loop of one converter. Values stay exact: 64-bit integers as int64, decimals as
their plain text with the column's scale, timestamps with nanoseconds (read from the integer
storage, never through Python ``datetime``), dates as ``YYYY-MM-DD``, SQL NULL as
``null_value``.
"""

from __future__ import annotations

import datetime
import decimal
import struct
from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
from google.protobuf import struct_pb2, timestamp_pb2
from maxcompute.gateway.v1 import instance_service_pb2, result_pb2

__all__ = ["encode_message", "encode_row_batch", "row_batch", "slice_by_bytes"]

Value = result_pb2.ResultValue
_NULL = Value(null_value=struct_pb2.NULL_VALUE)
_NANOS = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}
Converter = Callable[[Any], Value]


def slice_by_bytes(batch: pa.RecordBatch, max_bytes: int) -> Iterator[pa.RecordBatch]:
    """``batch`` in consecutive slices of at most about ``max_bytes`` of Arrow buffers each
    (at least one row per slice, so a single huge row still goes out)."""
    rows = batch.num_rows
    if rows == 0:
        return
    size = batch.nbytes
    if size <= max_bytes:
        yield batch
        return
    per_slice = max(1, int(rows * max_bytes / size))
    for start in range(0, rows, per_slice):
        yield batch.slice(start, per_slice)


def encode_message(offset: int, piece: pa.RecordBatch, *, arrow: bool) -> bytes:
    """One serialized ReadInstanceResultResponse: the rows of ``piece``, the first of which
    is row ``offset`` of the result, as an Arrow IPC batch or as typed rows."""
    head = instance_service_pb2.ReadInstanceResultResponse(
        row_offset=offset, row_count=piece.num_rows
    )
    if arrow:
        head.arrow_record_batch.serialized_record_batch = piece.serialize().to_pybytes()
        return head.SerializeToString()
    rows = encode_row_batch(piece)
    # Fields 4 and 5, then field 6 (row_batch): the order protobuf itself writes.
    return head.SerializeToString() + _TAG_ROW_BATCH + _varint(len(rows)) + rows


def row_batch(batch: pa.RecordBatch) -> result_pb2.ResultRowBatch:
    """``batch`` as a typed-rows message (the Arrow types decide each value's field)."""
    return result_pb2.ResultRowBatch.FromString(encode_row_batch(batch))


def encode_row_batch(batch: pa.RecordBatch) -> bytes:
    """``batch`` as a serialized ``ResultRowBatch``, written straight in the protobuf wire
    format column by column (the bytes protobuf itself writes for the same message).

    Building one message object per value costs several microseconds and many times the
    Arrow size in memory; scalar columns are encoded here with one cheap expression per value
    instead (vectorised Arrow casts for decimals, integer arithmetic for timestamps). Nested
    values (array, map, struct) go through message objects.
    """
    columns = [_encoded_column(batch.column(i)) for i in range(batch.num_columns)]
    out = []
    for values in zip(*columns, strict=True):
        row = b"".join(values)
        out.append(b"\x0a" + _varint(len(row)) + row)
    return b"".join(out)


# Wire tags of ResultValue's fields (field number << 3 | wire type) and of repeated message
# fields numbered 1 (ResultRow.values, ResultRowBatch.rows).
_TAG_INT64 = b"\x10"
_TAG_DOUBLE = b"\x19"
_TAG_DECIMAL = b"\x22"
_TAG_STRING = b"\x2a"
_TAG_BYTES = b"\x32"
_TAG_BOOL = b"\x38"
_TAG_DATE = b"\x42"
_TAG_TIMESTAMP = b"\x4a"
_TAG_ROW_BATCH = b"\x32"  # ReadInstanceResultResponse.row_batch
_NULL_FIELD = b"\x0a\x02\x08\x00"  # values entry: ResultValue{null_value: NULL_VALUE}
_SMALL_VARINTS = [bytes((n,)) for n in range(128)]
_DOUBLE = struct.Struct("<d")


def _varint(value: int) -> bytes:
    """Protobuf's base-128 varint of a non-negative integer (negative int64 values are passed
    as their 64-bit two's complement)."""
    if value < 128:
        return _SMALL_VARINTS[value]
    out = bytearray()
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(payload: bytes) -> bytes:
    """One ``values`` entry of a ResultRow: the encoded ResultValue, length-delimited."""
    return b"\x0a" + _varint(len(payload)) + payload


def _text(tag: bytes, text: str) -> bytes:
    data = text.encode()
    return _field(tag + _varint(len(data)) + data)


def _encoded_column(column: pa.Array) -> list[bytes]:
    """Each value of ``column`` as an encoded ``values`` entry."""
    t = column.type
    if pa.types.is_integer(t):
        ints = column.cast(pa.int64()).to_pylist()
        return [
            _NULL_FIELD if v is None else _field(_TAG_INT64 + _varint(v & 0xFFFFFFFFFFFFFFFF))
            for v in ints
        ]
    if pa.types.is_floating(t):
        pack = _DOUBLE.pack
        return [
            _NULL_FIELD if v is None else b"\x0a\x09" + _TAG_DOUBLE + pack(v)
            for v in column.cast(pa.float64()).to_pylist()
        ]
    if pa.types.is_boolean(t):
        return [
            _NULL_FIELD if v is None else (b"\x0a\x02\x38\x01" if v else b"\x0a\x02\x38\x00")
            for v in column.to_pylist()
        ]
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return [_NULL_FIELD if v is None else _text(_TAG_STRING, v) for v in column.to_pylist()]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return [
            _NULL_FIELD if v is None else _field(_TAG_BYTES + _varint(len(v)) + v)
            for v in column.to_pylist()
        ]
    if pa.types.is_decimal(t):
        # Arrow writes the exact digits with the column's scale, except zero with a scale,
        # which it writes as 0E-n.
        texts = column.cast(pa.string()).to_pylist()
        return [
            _NULL_FIELD
            if v is None
            else _text(_TAG_DECIMAL, _decimal_text(decimal.Decimal(v)) if "E" in v else v)
            for v in texts
        ]
    if pa.types.is_date32(t):
        return [
            _NULL_FIELD if v is None else _text(_TAG_DATE, v.isoformat())
            for v in column.to_pylist()
        ]
    if pa.types.is_timestamp(t):
        scale = _NANOS[t.unit]
        ints = column.view(pa.int64()).to_pylist() if len(column) else []
        return [_NULL_FIELD if v is None else _timestamp_field(v * scale) for v in ints]
    convert = _converter(t)
    return [
        _NULL_FIELD if v is None else _field(convert(v).SerializeToString())
        for v in column.to_pylist()
    ]


def _timestamp_field(nanos: int) -> bytes:
    seconds, rest = divmod(nanos, 1_000_000_000)
    body = b""
    if seconds:
        body += b"\x08" + _varint(seconds & 0xFFFFFFFFFFFFFFFF)
    if rest:
        body += b"\x10" + _varint(rest)
    return _field(_TAG_TIMESTAMP + _varint(len(body)) + body)


def _timestamp(nanos: int) -> Value:
    seconds, rest = divmod(nanos, 1_000_000_000)
    return Value(timestamp_value=timestamp_pb2.Timestamp(seconds=seconds, nanos=rest))


def _converter(arrow_type: pa.DataType) -> Converter:
    """How one non-null Python value of ``arrow_type`` (as ``to_pylist`` gives it) becomes a
    ResultValue."""
    if pa.types.is_integer(arrow_type):
        return lambda v: Value(int64_value=v)
    if pa.types.is_floating(arrow_type):
        return lambda v: Value(double_value=v)
    if pa.types.is_boolean(arrow_type):
        return lambda v: Value(bool_value=v)
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return lambda v: Value(string_value=v)
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return lambda v: Value(bytes_value=v)
    if pa.types.is_decimal(arrow_type):
        return lambda v: Value(decimal_value=_decimal_text(v))
    if pa.types.is_date32(arrow_type):
        return lambda v: Value(date_value=v.isoformat())
    if pa.types.is_timestamp(arrow_type):
        # Nested timestamps (inside arrays, maps, structs) come as Python datetimes: exact to
        # the microsecond; top-level columns keep nanoseconds (see _encoded_column).
        return lambda v: _timestamp(_datetime_nanos(v))
    if pa.types.is_map(arrow_type):
        key, item = _converter(arrow_type.key_type), _converter(arrow_type.item_type)
        return lambda v: Value(
            map_value=result_pb2.ResultMap(
                entries=[
                    result_pb2.ResultMap.Entry(key=_or_null(key, k), value=_or_null(item, i))
                    for k, i in v
                ]
            )
        )
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        element = _converter(arrow_type.value_type)
        return lambda v: Value(
            array_value=result_pb2.ResultArray(values=[_or_null(element, e) for e in v])
        )
    if pa.types.is_struct(arrow_type):
        fields = [(f.name, _converter(f.type)) for f in arrow_type]
        return lambda v: Value(
            struct_value=result_pb2.ResultArray(
                values=[_or_null(convert, v.get(name)) for name, convert in fields]
            )
        )
    raise TypeError(f"no typed-row encoding for Arrow type {arrow_type}")


def _or_null(convert: Converter, value: Any) -> Value:
    return _NULL if value is None else convert(value)


def _decimal_text(value: decimal.Decimal) -> str:
    # 'f' keeps the scale's digits and never switches to exponent notation (0E-18 → 0.000…).
    return format(value, "f")


def _datetime_nanos(value: datetime.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    delta = value - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
