"""SELECT results kept with their instance, for the instance tunnel.

A SELECT's whole result is written, as DuckDB streams it out, to an Arrow IPC file in the
data directory (``results/<instance id>.arrow``); the tunnel memory-maps it, so any range
is a zero-copy slice and a large result costs disk, not memory. The file survives
restarts with the instance it belongs to.

Types: DuckDB's Arrow output is mapped to MaxCompute's type names as ``desc`` and ``?result``
already name them: ``TIMESTAMP`` (microseconds) is a ``datetime`` (milliseconds on the
wire), ``TIMESTAMP_NS`` and ``TIMESTAMPTZ`` are a ``timestamp`` (nanoseconds), ``DECIMAL``
keeps its precision and scale, lists, maps and structs nest. Naive timestamps are read as
UTC. Types MaxCompute has no counterpart for (TIME, INTERVAL, UUID, HUGEINT beyond
decimal(38)...) travel as their text, as ``string``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from mcemulator import datadir

TIMESTAMP_STRUCT = pa.struct([("sec", pa.int64()), ("nano", pa.int32())])
"""How the tunnel's Arrow stream carries a ``timestamp``: seconds and nanoseconds."""

_SIMPLE: dict[pa.DataType, str] = {
    pa.int64(): "bigint",
    pa.int32(): "int",
    pa.int16(): "smallint",
    pa.int8(): "tinyint",
    pa.uint8(): "smallint",
    pa.uint16(): "int",
    pa.uint32(): "bigint",
    pa.float64(): "double",
    pa.float32(): "float",
    pa.bool_(): "boolean",
    pa.string(): "string",
    pa.large_string(): "string",
    pa.string_view(): "string",
    pa.binary(): "binary",
    pa.large_binary(): "binary",
    pa.binary_view(): "binary",
    pa.date32(): "date",
}


def odps_type(t: pa.DataType) -> str:
    """The MaxCompute type name of a column DuckDB exported with Arrow type ``t``."""
    if t in _SIMPLE:
        return _SIMPLE[t]
    if pa.types.is_timestamp(t):
        return "timestamp" if t.unit == "ns" or t.tz is not None else "datetime"
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    if t == pa.uint64():
        return "decimal(20,0)"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
        return f"array<{odps_type(t.value_type)}>"
    if pa.types.is_map(t):
        return f"map<{odps_type(t.key_type)},{odps_type(t.item_type)}>"
    if pa.types.is_struct(t):
        fields = ",".join(
            f"{t.field(i).name}:{odps_type(t.field(i).type)}" for i in range(t.num_fields)
        )
        return f"struct<{fields}>"
    return "string"


def wire_type(t: pa.DataType) -> pa.DataType:
    """The Arrow type PyODPS expects on the tunnel for a column of Arrow type ``t``."""
    name = odps_type(t)
    if name == "datetime":
        return pa.timestamp("ms")
    if name == "timestamp":
        return TIMESTAMP_STRUCT
    if name.startswith("decimal"):
        return t if pa.types.is_decimal(t) else pa.decimal128(20, 0)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
        return pa.list_(wire_type(t.value_type))
    if pa.types.is_map(t):
        return pa.map_(wire_type(t.key_type), wire_type(t.item_type))
    if pa.types.is_struct(t):
        return pa.struct(
            [(t.field(i).name, wire_type(t.field(i).type)) for i in range(t.num_fields)]
        )
    return {
        "bigint": pa.int64(),
        "int": pa.int32(),
        "smallint": pa.int16(),
        "tinyint": pa.int8(),
        "double": pa.float64(),
        "float": pa.float32(),
        "boolean": pa.bool_(),
        "binary": pa.binary(),
        "date": pa.date32(),
    }.get(name, pa.string())


def to_wire(array: pa.Array, t: pa.DataType) -> pa.Array:
    """``array`` (DuckDB's Arrow type ``t``) as the tunnel's Arrow type (:func:`wire_type`)."""
    target = wire_type(t)
    if target == TIMESTAMP_STRUCT:
        if array.type.tz is not None:
            array = array.cast(pa.timestamp(array.type.unit))  # the UTC instant, naive
        raw = array.cast(pa.timestamp("ns")).cast(pa.int64())
        sec = _floordiv(raw, 1_000_000_000)
        nano = pc.subtract(raw, pc.multiply(sec, 1_000_000_000)).cast(pa.int32())
        return pa.StructArray.from_arrays(
            [sec, nano], fields=list(TIMESTAMP_STRUCT), mask=pc.is_null(array)
        )
    if target == pa.timestamp("ms") and array.type != target:
        # A datetime has milliseconds: keep the millisecond the instant falls in.
        us = array.cast(pa.timestamp("us")).cast(pa.int64())
        return _floordiv(us, 1000).cast(pa.timestamp("ms"))
    if target == array.type:
        return array
    if (
        target == pa.string()
        and not pa.types.is_string(array.type)
        and not pa.types.is_large_string(array.type)
    ):
        return pc.cast(array, pa.string(), safe=False)
    return array.cast(target)


def _floordiv(values: pa.Array, divisor: int) -> pa.Array:
    """Exact floor division of int64 values (Arrow's integer division truncates)."""
    quotient = pc.divide(values, divisor)
    below = pc.less(values, pc.multiply(quotient, divisor))
    return pc.subtract(quotient, pc.cast(below, pa.int64()))


def wire_schema(schema: pa.Schema) -> pa.Schema:
    """The tunnel's Arrow schema for a stored result's schema."""
    return pa.schema([pa.field(f.name, wire_type(f.type)) for f in schema])


def table_schema_json(schema: pa.Schema) -> dict[str, object]:
    """The ``Schema`` of a download session, as PyODPS and the Java SDK parse it."""
    columns = [
        {"name": f.name, "type": odps_type(f.type), "comment": "", "nullable": True} for f in schema
    ]
    return {"columns": columns, "partitionKeys": []}


class ResultStore:
    """Result files by instance id, under ``<data dir>/results``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(mode=0o700, exist_ok=True)

    def path(self, instance_id: str) -> Path:
        """Where the result of ``instance_id`` is (or will be) kept."""
        return self.root / f"{instance_id}.arrow"

    def write(self, instance_id: str, schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> int:
        """Store a result from its batches (streamed, never all in memory); returns its rows."""
        final = self.path(instance_id)
        partial = final.with_suffix(".partial")
        datadir.private_file(partial)
        rows = 0
        with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
                rows += batch.num_rows
        os.replace(partial, final)  # readers never see a half-written result
        return rows

    def discard(self, instance_id: str) -> None:
        """Forget the instance's result (its last statement returned no rows after all)."""
        self.path(instance_id).unlink(missing_ok=True)

    def open(self, instance_id: str) -> pa.Table | None:
        """The stored result (memory-mapped), or None if the instance kept none."""
        path = self.path(instance_id)
        try:
            source = pa.memory_map(str(path), "r")
        except FileNotFoundError:
            return None
        return pa.ipc.open_file(source).read_all()
