"""The REST client's instance tunnel: endpoint discovery, download sessions, Arrow range reads
with the tunnel's checksummed chunk framing (PyODPS ``ArrowStreamReader``), and the MaxCompute
type → Arrow type mapping PyODPS uses.

The framing and mapping are checked against PyODPS's own code where it can run here (PyODPS is
a test dependency): the bytes this test frames are read back by PyODPS's reader.
"""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import google_crc32c
import pyarrow as pa
import pytest
from mc_helpers import Script
from mcgateway.maxcompute import (
    HttpResponse,
    MaxComputeClient,
    MaxComputeError,
    SyntheticCode,
    arrow_type,
    decode_arrow,
)
from mcgateway.maxcompute._parsing import MalformedDocument
from mcgateway.maxcompute._tunnel import deframe_arrow

Factory = Callable[..., MaxComputeClient]


def frame(data: bytes, chunk_size: int) -> bytes:
    """``data`` framed as the tunnel frames Arrow answers (the inverse of deframe_arrow)."""
    out = [struct.pack("!I", chunk_size)]
    total = 0
    position = 0
    while True:
        chunk = data[position : position + chunk_size]
        total = google_crc32c.extend(total, chunk)
        position += len(chunk)
        if len(chunk) < chunk_size:
            out.append(chunk + struct.pack("!I", total))
            return b"".join(out)
        out.append(chunk + struct.pack("!I", google_crc32c.value(chunk)))


def batches_bytes(table: pa.Table) -> tuple[pa.Schema, bytes]:
    """The IPC bytes of ``table``'s batches without the schema message, as the tunnel sends."""
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=3)
    schema_len = len(table.schema.serialize().to_pybytes())
    return table.schema, sink.getvalue()[schema_len:]


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 65536])
def test_deframe_round_trips_and_pyodps_reads_the_same_bytes(chunk_size: int) -> None:
    table = pa.table({"a": list(range(10)), "b": [str(i) for i in range(10)]})
    schema, data = batches_bytes(table)
    framed = frame(data, chunk_size)
    assert deframe_arrow(framed) == data
    # PyODPS's own reader accepts the framing this test writes (so both agree on it).
    from odps.tunnel.io.reader import ArrowStreamReader

    reader = ArrowStreamReader(io.BytesIO(framed), schema)
    assert pa.ipc.open_stream(reader.read()).read_all().equals(table)


def test_exact_multiple_of_the_chunk_size_ends_with_an_empty_last_chunk() -> None:
    data = bytes(range(16))
    framed = frame(data, 8)
    assert framed.endswith(struct.pack("!I", google_crc32c.value(data)))
    assert deframe_arrow(framed) == data


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1],  # cut inside the last checksum
        lambda b: b[:6] + bytes([b[6] ^ 1]) + b[7:],  # a flipped data bit
        lambda b: b[:4] + b[5:],  # a lost byte
        lambda b: struct.pack("!I", 0) + b[4:],  # a zero chunk size
        lambda b: b[:2],  # shorter than the header
    ],
)
def test_damaged_framing_is_refused(damage: Callable[[bytes], bytes]) -> None:
    framed = frame(b"0123456789abcdef0123", 8)
    with pytest.raises(MalformedDocument):
        deframe_arrow(damage(framed))


@pytest.mark.parametrize(
    "type_text",
    [
        "bigint",
        "int",
        "smallint",
        "tinyint",
        "double",
        "float",
        "string",
        "varchar(10)",
        "char(3)",
        "binary",
        "boolean",
        "date",
        "datetime",
        "timestamp",
        "timestamp_ntz",
        "decimal(10,2)",
        "decimal(38,18)",
        "decimal(54,18)",
        "decimal",
        "array<bigint>",
        "map<string,array<decimal(5,1)>>",
        "struct<a:bigint,b:map<string,double>,c:array<struct<x:string>>>",
    ],
)
def test_arrow_types_match_pyodps(type_text: str) -> None:
    from odps import types as odps_types
    from odps.tunnel.io.types import odps_type_to_arrow_type

    assert arrow_type(type_text) == odps_type_to_arrow_type(
        odps_types.validate_data_type(type_text)
    )


@pytest.mark.parametrize("type_text", ["interval_year_month", "array<", "map<string>", "blob"])
def test_unknown_types_are_refused(type_text: str) -> None:
    with pytest.raises(MalformedDocument):
        arrow_type(type_text)


def session_body(count: int = 3) -> bytes:
    return json.dumps(
        {
            "DownloadID": "dl-1",
            "Status": "normal",
            "RecordCount": count,
            "Schema": {
                "columns": [
                    {"name": "id", "type": "BIGINT", "nullable": True},
                    {"name": "name", "type": "string"},
                ],
                "partitionKeys": [],
            },
        }
    ).encode()


def test_session_and_range_read_go_to_the_discovered_tunnel_signed(
    script: Script, make_client: Factory
) -> None:
    table = pa.table({"id": [1, 2, 3], "name": ["a", None, "c"]})
    _, data = batches_bytes(table)
    script.add(
        HttpResponse(200, {}, b"tunnel.example.com:8443"),
        HttpResponse(201, {"Content-Type": "application/json"}, session_body()),
        HttpResponse(200, {}, frame(data, 5)),
    )
    client = make_client()
    session = client.tunnel.create_download("demo", "inst1")
    assert (session.download_id, session.status, session.record_count) == ("dl-1", "NORMAL", 3)
    assert [(c.name, c.type) for c in session.columns] == [("id", "bigint"), ("name", "string")]
    got = client.tunnel.read_arrow("demo", "inst1", "dl-1", 0, 3, ["id", "name"])
    assert got == data

    discovery, create, read = script.requests
    assert urlsplit(discovery.url).path.endswith("/projects/demo/tunnel")
    assert urlsplit(discovery.url).query.startswith("service")
    scheme = urlsplit(client.endpoint).scheme
    for request in (create, read):
        assert request.url.startswith(
            f"{scheme}://tunnel.example.com:8443/projects/demo/instances/inst1"
        )
        assert request.headers["x-odps-tunnel-version"] == "6"
        assert request.headers["Authorization"]
    assert create.method == "POST" and "downloads" in urlsplit(create.url).query
    params = dict(parse_qsl(urlsplit(read.url).query, keep_blank_values=True))
    assert params["downloadid"] == "dl-1"
    assert params["rowrange"] == "(0,3)"
    assert params["columns"] == "id,name"
    assert "arrow" in params and "data" in params
    # The endpoint is asked once per project: a second read goes straight to the tunnel.
    script.add(HttpResponse(200, {}, frame(data, 5)))
    assert client.tunnel.read_arrow("demo", "inst1", "dl-1", 0, 3) == data
    assert len(script.requests) == 4


def test_tunnel_errors_are_maxcompute_errors(script: Script, make_client: Factory) -> None:
    script.add(
        HttpResponse(200, {}, b"tunnel.example.com"),
        HttpResponse(
            400,
            {"Content-Type": "application/json"},
            json.dumps({"Code": "InvalidArgument", "Message": "no such column x"}).encode(),
        ),
    )
    with pytest.raises(MaxComputeError) as caught:
        make_client().tunnel.create_download("demo", "inst1")
    assert caught.value.code == "InvalidArgument"
    assert "no such column" in caught.value.message


def test_a_malformed_session_is_a_malformed_response(script: Script, make_client: Factory) -> None:
    script.add(HttpResponse(200, {}, b"tunnel.example.com"), HttpResponse(201, {}, b"{}"))
    with pytest.raises(MaxComputeError) as caught:
        make_client().tunnel.create_download("demo", "inst1")
    assert caught.value.code == SyntheticCode.MALFORMED_RESPONSE


def test_decode_reads_table_order_and_struct_timestamps_into_the_wanted_order() -> None:
    """The tunnel sends projected columns in table order and timestamps as struct<sec, nano>
    (what PyODPS's Arrow reader expects); the decoder gives the requested order and
    timestamp[ns], NULLs kept."""
    wire = pa.table(
        {
            "id": pa.array([1, None], pa.int64()),
            "ts": pa.array(
                [{"sec": 1_700_000_000, "nano": 123_456_789}, None],
                pa.struct([("sec", pa.int64()), ("nano", pa.int32())]),
            ),
        }
    )
    _, data = batches_bytes(wire)
    table_columns = [("id", "bigint"), ("other", "string"), ("ts", "timestamp")]
    batches = decode_arrow(data, table_columns, ["ts", "id"])
    got = pa.Table.from_batches(batches)
    assert got.schema.names == ["ts", "id"]
    assert got.schema.field("ts").type == pa.timestamp("ns")
    assert got.column("ts").cast(pa.int64()).to_pylist() == [1_700_000_000_123_456_789, None]
    assert got.column("id").to_pylist() == [1, None]
    assert decode_arrow(b"", table_columns, ["id"]) == []
