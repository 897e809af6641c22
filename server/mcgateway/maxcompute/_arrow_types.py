"""MaxCompute column types as Arrow types: the schema of the tunnel's Arrow answers.

The tunnel's Arrow answers carry record batches but no schema message; the reader builds the
schema from the download session's column types, with the mapping PyODPS uses
(``odps.tunnel.io.types.odps_type_to_arrow_type``): ``datetime`` is milliseconds and
``timestamp`` nanoseconds since the epoch, ``char``/``varchar`` are strings, ``decimal``
without precision is ``decimal(54,18)`` (MaxCompute 1.0's unbounded decimal).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from mcgateway.maxcompute._parsing import MalformedDocument

__all__ = ["arrow_schema", "arrow_type", "decode_arrow"]

_SIMPLE: dict[str, pa.DataType] = {
    "string": pa.string(),
    "binary": pa.binary(),
    "tinyint": pa.int8(),
    "smallint": pa.int16(),
    "int": pa.int32(),
    "bigint": pa.int64(),
    "boolean": pa.bool_(),
    "float": pa.float32(),
    "double": pa.float64(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
    "timestamp": pa.timestamp("ns"),
    "timestamp_ntz": pa.timestamp("ns"),
    "json": pa.string(),
}
_DECIMAL = re.compile(r"decimal(?:\((\d+)\s*,\s*(\d+)\))?")
_SIZED_TEXT = re.compile(r"(?:varchar|char)\(\d+\)")
_DEFAULT_DECIMAL = (54, 18)
_TIMESTAMP_WIRE = pa.struct([("sec", pa.int64()), ("nano", pa.int32())])
"""How the tunnel sends a top-level ``timestamp``/``timestamp_ntz`` column (PyODPS
``_build_wire_schema``): seconds and nanoseconds, turned back into ``timestamp[ns]`` here."""
_NANOS_PER_SECOND = 1_000_000_000


def arrow_type(type_text: str) -> pa.DataType:
    """The Arrow type of a MaxCompute type such as ``map<string,array<bigint>>``.

    Raises :class:`MalformedDocument` for a type the tunnel does not carry as Arrow."""
    text = type_text.strip().lower()
    simple = _SIMPLE.get(text)
    if simple is not None:
        return simple
    if _SIZED_TEXT.fullmatch(text):
        return pa.string()
    decimal = _DECIMAL.fullmatch(text)
    if decimal:
        precision, scale = (
            (int(decimal.group(1)), int(decimal.group(2))) if decimal.group(1) else _DEFAULT_DECIMAL
        )
        return (pa.decimal256 if precision > 38 else pa.decimal128)(precision, scale)
    for prefix, build in (("array<", _array), ("map<", _map), ("struct<", _struct)):
        if text.startswith(prefix) and text.endswith(">"):
            return build(text[len(prefix) : -1])
    raise MalformedDocument(f"unsupported MaxCompute type {type_text!r}")


def arrow_schema(columns: Sequence[tuple[str, str]]) -> pa.Schema:
    """The Arrow schema of ``(name, MaxCompute type)`` columns, in order."""
    return pa.schema([pa.field(name, arrow_type(type_text)) for name, type_text in columns])


def _array(inner: str) -> pa.DataType:
    return pa.list_(arrow_type(inner))


def _map(inner: str) -> pa.DataType:
    parts = _split_top_level(inner)
    if len(parts) != 2:
        raise MalformedDocument(f"map type needs a key and a value: map<{inner}>")
    return pa.map_(arrow_type(parts[0]), arrow_type(parts[1]))


def _struct(inner: str) -> pa.DataType:
    fields = []
    for part in _split_top_level(inner):
        name, sep, type_text = part.partition(":")
        if not sep or not name.strip():
            raise MalformedDocument(f"struct field needs a name and a type: {part!r}")
        fields.append(pa.field(name.strip().strip("`"), arrow_type(type_text)))
    return pa.struct(fields)


def _split_top_level(text: str) -> list[str]:
    """Split on the commas that are not inside ``<…>`` or ``(…)``."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def decode_arrow(
    data: bytes, table_columns: Sequence[tuple[str, str]], wanted: Sequence[str]
) -> list[pa.RecordBatch]:
    """The record batches of a tunnel Arrow answer (batches without a schema message), with
    the columns ``wanted`` in that order.

    The tunnel sends the projected columns in the table's order (``table_columns``, the
    session's schema), whatever order the request named them in, and top-level timestamps as
    ``struct<sec, nano>``; as PyODPS's Arrow reader does, this reads them with that wire
    schema, turns the timestamps into ``timestamp[ns]`` and puts the columns in the wanted
    order.
    """
    if not data:
        return []
    wanted_set = set(wanted)
    sent = [(name, text) for name, text in table_columns if name in wanted_set]
    wire = pa.schema(
        [
            pa.field(name, _TIMESTAMP_WIRE if _is_timestamp(text) else arrow_type(text))
            for name, text in sent
        ]
    )
    target = arrow_schema([(name, dict(sent)[name]) for name in wanted])
    with pa.ipc.open_stream(wire.serialize().to_pybytes() + data) as reader:
        raw = list(reader)
    batches = []
    for batch in raw:
        columns = {}
        for index, (name, text) in enumerate(sent):
            column = batch.column(index)
            if _is_timestamp(text):
                # flatten() keeps the struct's own NULLs in both children.
                seconds, nanos = (part.cast(pa.int64()) for part in column.flatten())
                total = pc.add(pc.multiply(seconds, _NANOS_PER_SECOND), nanos)
                column = total.cast(pa.timestamp("ns"))
            columns[name] = column
        batches.append(pa.RecordBatch.from_arrays([columns[n] for n in wanted], schema=target))
    return batches


def _is_timestamp(type_text: str) -> bool:
    return type_text.strip().lower() in ("timestamp", "timestamp_ntz")
