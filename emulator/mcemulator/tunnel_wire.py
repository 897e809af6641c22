"""The instance tunnel's two wire formats, written from Arrow data.

Record format (what PyODPS's ``TunnelRecordReader`` and the Java SDK's
``ProtobufRecordStreamReader`` read): each record is a run of protobuf fields, field
number = 1-based column index, nulls omitted; integers, dates (days) and datetimes
(epoch milliseconds) are zig-zag varints, doubles fixed64, floats fixed32, strings,
binaries and decimals (their text) length-prefixed, timestamps a zig-zag seconds varint
then a zig-zag nanoseconds varint (tagged length-delimited, but not length-prefixed, as the
service writes them). Each record ends with field ``TUNNEL_END_RECORD`` holding the CRC32C
of (column index as int32 LE + the value's bytes: int64 LE, double LE, 1-byte bool, raw
string...) over its non-null fields; the stream ends with ``TUNNEL_META_COUNT`` (zig-zag
record count) and ``TUNNEL_META_CHECKSUM`` (CRC32C of every record CRC as int32 LE).
Arrays, maps and structs are an element count then a null flag per element, as PyODPS's
writer emits them; only their leaf values enter the CRC.

Arrow format: an Arrow IPC stream without its schema message (the reader prepends the
schema it derived from the session), cut into chunks: a big-endian uint32 chunk size
first, then each full chunk followed by the big-endian CRC32C of that chunk, and a last,
shorter (possibly empty) chunk followed by the CRC32C of all the data.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import google_crc32c
import pyarrow as pa
import pyarrow.compute as pc

from mcemulator import results

TUNNEL_META_COUNT = 33554430
TUNNEL_META_CHECKSUM = 33554431
TUNNEL_END_RECORD = 33553408
ARROW_CHUNK_BYTES = 65536
"""Chunk size of the Arrow framing (the service uses a fixed size; any size is accepted)."""
_EOS = b"\xff\xff\xff\xff\x00\x00\x00\x00"
_VARINT, _FIXED64, _DELIMITED, _FIXED32 = 0, 1, 2, 5
_EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_DATE = dt.date(1970, 1, 1)
_MS = dt.timedelta(milliseconds=1)
_pack_q = struct.Struct("<q").pack
_pack_i = struct.Struct("<i").pack
_pack_qi = struct.Struct("<qi").pack
_pack_d = struct.Struct("<d").pack
_pack_f = struct.Struct("<f").pack
_crc = google_crc32c.value


_U64 = 0xFFFFFFFFFFFFFFFF


def _varint_loop(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# Varints are built 14 bits at a time from tables: complete ones below 2**14, and the two
# continued bytes of each 14-bit group (the encoder's hottest path on large results).
_LAST14 = [_varint_loop(v) for v in range(1 << 14)]
_MORE14 = [bytes(((v & 0x7F) | 0x80, (v >> 7) | 0x80)) for v in range(1 << 14)]


def varint(value: int) -> bytes:
    """Protobuf base-128 varint of a non-negative integer."""
    if value < 0x4000:
        return _LAST14[value]
    if value < 0x10000000:
        return _MORE14[value & 0x3FFF] + _LAST14[value >> 14]
    if value < 0x40000000000:
        return _MORE14[value & 0x3FFF] + _MORE14[(value >> 14) & 0x3FFF] + _LAST14[value >> 28]
    return _varint_loop(value)


_varint = varint


def sint64(value: int) -> bytes:
    """Zig-zag varint of a signed 64-bit integer (protobuf ``sint64``)."""
    return varint(((value << 1) ^ (value >> 63)) & 0xFFFFFFFFFFFFFFFF)


def tag(field: int, wire: int) -> bytes:
    """A protobuf field key."""
    return varint((field << 3) | wire)


_END_RECORD = tag(TUNNEL_END_RECORD, _VARINT)

# -- record format --------------------------------------------------------------------

Encoder = Callable[[Any, bytearray, list[bytes]], None]
"""Writes one non-null value: wire bytes to the buffer, CRC input to the list."""


def _long(v: int, out: bytearray, crc: list[bytes]) -> None:
    out += sint64(v)
    crc.append(_pack_q(v))


def _bool(v: bool, out: bytearray, crc: list[bytes]) -> None:
    b = b"\x01" if v else b"\x00"
    out += b
    crc.append(b)


def _double(v: float, out: bytearray, crc: list[bytes]) -> None:
    b = _pack_d(v)
    out += b
    crc.append(b)


def _float(v: float, out: bytearray, crc: list[bytes]) -> None:
    b = _pack_f(v)
    out += b
    crc.append(b)


def _bytes(v: bytes, out: bytearray, crc: list[bytes]) -> None:
    out += varint(len(v))
    out += v
    crc.append(v)


def _text(v: str, out: bytearray, crc: list[bytes]) -> None:
    _bytes(v.encode(), out, crc)


def _decimal(v: Decimal, out: bytearray, crc: list[bytes]) -> None:
    _bytes(str(v).encode(), out, crc)


def _date(v: dt.date, out: bytearray, crc: list[bytes]) -> None:
    _long((v - _EPOCH_DATE).days, out, crc)


def _datetime(v: dt.datetime, out: bytearray, crc: list[bytes]) -> None:
    _long((v.replace(tzinfo=None) - _EPOCH) // _MS, out, crc)


def _timestamp(v: dict[str, int], out: bytearray, crc: list[bytes]) -> None:
    sec, nano = v["sec"], v["nano"]
    out += sint64(sec)
    out += sint64(nano)  # sint32 zig-zag is the same for a non-negative int32
    crc.append(_pack_q(sec))
    crc.append(_pack_i(nano))


def _nested(t: pa.DataType) -> Encoder:
    """Encoder of a wire-typed value (see :func:`results.wire_type`) as a Python object."""
    if t == results.TIMESTAMP_STRUCT:
        return _timestamp
    if pa.types.is_list(t):
        item = _nested(t.value_type)

        def array(v: list[Any], out: bytearray, crc: list[bytes]) -> None:
            out += varint(len(v))
            _elements(v, item, out, crc)

        return array
    if pa.types.is_map(t):
        key, value = _nested(t.key_type), _nested(t.item_type)

        def mapping(v: list[tuple[Any, Any]], out: bytearray, crc: list[bytes]) -> None:
            out += varint(len(v))
            _elements([k for k, _ in v], key, out, crc)
            out += varint(len(v))
            _elements([x for _, x in v], value, out, crc)

        return mapping
    if pa.types.is_struct(t):
        fields = [(t.field(i).name, _nested(t.field(i).type)) for i in range(t.num_fields)]

        def record(v: dict[str, Any], out: bytearray, crc: list[bytes]) -> None:
            for name, encode in fields:
                x = v[name]
                if x is None:
                    out += b"\x01"
                else:
                    out += b"\x00"
                    encode(x, out, crc)

        return record
    if pa.types.is_integer(t):
        return _long
    if pa.types.is_timestamp(t):
        return _datetime
    if pa.types.is_decimal(t):
        return _decimal
    simple: dict[pa.DataType, Encoder] = {
        pa.bool_(): _bool,
        pa.float64(): _double,
        pa.float32(): _float,
        pa.string(): _text,
        pa.binary(): _bytes,
        pa.date32(): _date,
    }
    return simple[t]


def _elements(values: list[Any], encode: Encoder, out: bytearray, crc: list[bytes]) -> None:
    for x in values:
        if x is None:
            out += b"\x01"
        else:
            out += b"\x00"
            encode(x, out, crc)


def _wire_kind(t: pa.DataType) -> int:
    if pa.types.is_integer(t) or pa.types.is_boolean(t) or pa.types.is_date(t):
        return _VARINT
    if pa.types.is_timestamp(t):
        return _VARINT
    if t == pa.float64():
        return _FIXED64
    if t == pa.float32():
        return _FIXED32
    return _DELIMITED


def _segments(
    array: pa.Array, t: pa.DataType, field_tag: bytes, index: bytes
) -> tuple[list[bytes], list[bytes]]:
    """Per row of one column: its wire bytes (tag included) and its CRC input (column index
    included), both ``b""`` for a null, so a record is the join of its columns' pieces.

    Built column by column with Arrow doing the bulk conversions (to ints, floats, bytes),
    which keeps the per-value Python work to a packing expression.
    """
    if pa.types.is_timestamp(t):  # datetime: epoch milliseconds
        array, t = array.cast(pa.int64()), pa.int64()
    elif pa.types.is_date(t):  # days since the epoch
        array, t = array.cast(pa.int32()), pa.int32()
    elif pa.types.is_decimal(t):
        array, t = pc.cast(pc.cast(array, pa.string()), pa.binary()), pa.binary()
    elif pa.types.is_string(t):
        array, t = pc.cast(array, pa.binary()), pa.binary()
    if t == results.TIMESTAMP_STRUCT:
        valid = array.is_valid().to_pylist()
        secs = array.field("sec").to_pylist()
        nanos = array.field("nano").to_pylist()
        wire = [
            field_tag + _varint(((sec << 1) ^ (sec >> 63)) & _U64) + _varint(nano << 1)
            if ok
            else b""
            for ok, sec, nano in zip(valid, secs, nanos, strict=True)
        ]
        crc = [
            index + _pack_qi(sec, nano) if ok else b""
            for ok, sec, nano in zip(valid, secs, nanos, strict=True)
        ]
        return wire, crc
    values = array.to_pylist()
    if pa.types.is_integer(t):
        zigzag = [None if v is None else ((v << 1) ^ (v >> 63)) & _U64 for v in values]
        last = _LAST14
        wire = [
            b"" if z is None else field_tag + (last[z] if z < 0x4000 else _varint(z))
            for z in zigzag
        ]
        crc = [b"" if v is None else index + _pack_q(v) for v in values]
        return wire, crc
    if t == pa.float64():
        packed = [None if v is None else _pack_d(v) for v in values]
    elif t == pa.float32():
        packed = [None if v is None else _pack_f(v) for v in values]
    elif t == pa.bool_():
        packed = [None if v is None else (b"\x01" if v else b"\x00") for v in values]
    elif t == pa.binary():
        last = _LAST14  # short lengths by table, without a call per value
        wire = [
            b""
            if v is None
            else field_tag + (last[len(v)] if len(v) < 0x4000 else _varint(len(v))) + v
            for v in values
        ]
        crc = [b"" if v is None else index + v for v in values]
        return wire, crc
    else:
        encode = _nested(t)
        wire, crc = [], []
        for v in values:
            if v is None:
                wire.append(b"")
                crc.append(b"")
                continue
            out = bytearray(field_tag)
            parts = [index]
            encode(v, out, parts)
            wire.append(bytes(out))
            crc.append(b"".join(parts))
        return wire, crc
    return (
        [b"" if p is None else field_tag + p for p in packed],
        [b"" if p is None else index + p for p in packed],
    )


class RecordEncoder:
    """Writes rows of a wire-typed table (:func:`results.to_wire` columns) as tunnel records."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self._tags = [tag(i + 1, _wire_kind(f.type)) for i, f in enumerate(schema)]
        self._indexes = [_pack_i(i + 1) for i in range(len(schema))]
        self._record_crcs: list[bytes] = []
        self.count = 0

    def encode(self, batch: pa.RecordBatch) -> bytes:
        """The records of ``batch``."""
        wires, crcs = [], []
        for i, f in enumerate(self.schema):
            wire, crc = _segments(batch.column(i), f.type, self._tags[i], self._indexes[i])
            wires.append(wire)
            crcs.append(crc)
        join, end, checksum_of = b"".join, _END_RECORD, _crc
        checksums = [checksum_of(join(parts)) for parts in zip(*crcs, strict=True)]
        records = [
            join(parts) + end + _varint(c)
            for parts, c in zip(zip(*wires, strict=True), checksums, strict=True)
        ]
        # The stream checksum covers each record checksum as a signed int32, little-endian
        # (the same four bytes as the unsigned value).
        self._record_crcs.append(struct.pack(f"<{len(checksums)}I", *checksums))
        self.count += batch.num_rows
        return join(records)

    def finish(self) -> bytes:
        """The stream's closing count and checksum of all record checksums."""
        total = _crc(b"".join(self._record_crcs))
        return (
            tag(TUNNEL_META_COUNT, _VARINT)
            + sint64(self.count)
            + tag(TUNNEL_META_CHECKSUM, _VARINT)
            + varint(total)
        )


def record_stream(batches: Iterator[pa.RecordBatch], schema: pa.Schema) -> Iterator[bytes]:
    """The record-format body for wire-typed ``batches``."""
    encoder = RecordEncoder(schema)
    for batch in batches:
        yield encoder.encode(batch)
    yield encoder.finish()


# -- Arrow format ---------------------------------------------------------------------


class ArrowFramer:
    """Cuts an Arrow IPC byte stream into the tunnel's CRC-checked chunks."""

    def __init__(self, chunk: int = ARROW_CHUNK_BYTES) -> None:
        self.chunk = chunk
        self._pending = bytearray()
        self._total = 0
        self._started = False

    def feed(self, data: bytes) -> bytes:
        """Framed output for ``data`` (whole chunks only; the rest waits for more)."""
        out = bytearray()
        if not self._started:
            out += struct.pack(">I", self.chunk)
            self._started = True
        self._pending += data
        while len(self._pending) >= self.chunk:
            piece = bytes(self._pending[: self.chunk])
            del self._pending[: self.chunk]
            out += piece + struct.pack(">I", _crc(piece))
            self._total = google_crc32c.extend(self._total, piece)
        return bytes(out)

    def finish(self) -> bytes:
        """The last (short, maybe empty) chunk and the checksum of everything."""
        out = bytearray() if self._started else bytearray(struct.pack(">I", self.chunk))
        piece = bytes(self._pending)
        self._total = google_crc32c.extend(self._total, piece)
        out += piece + struct.pack(">I", self._total)
        self._pending.clear()
        return bytes(out)


def arrow_stream(batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """The Arrow-format body: the batches' IPC messages and end-of-stream, framed."""
    framer = ArrowFramer()
    for batch in batches:
        yield framer.feed(batch.serialize().to_pybytes())
    yield framer.feed(_EOS)
    yield framer.finish()
