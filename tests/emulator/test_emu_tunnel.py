"""The emulator's instance tunnel, read by the unmodified PyODPS (records, Arrow, pandas)
and over the raw protocol for its errors."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from emu_helpers import SignedClient, make_odps, wait_until
from mcemulator import Emulator
from odps import ODPS, errors
from odps.tunnel import InstanceTunnel
from odps.tunnel.io.stream import CompressOption
from result_types import ALL_TYPES, TYPES

pytestmark = pytest.mark.timeout(120)

FIRST = [
    9007199254740993,
    2147483647,
    -32768,
    -128,
    0.1,
    1.5,
    Decimal("12345678901234567890.123456789"),
    'héllo, "w"',
    True,
    dt.date(1969, 12, 31),
    dt.datetime(1969, 12, 31, 23, 59, 59, 999000),
    pd.Timestamp("2024-02-29 12:34:56.123456789"),
    b"\x00\xff",
    [1, None, 3],
    {"a": 1.5, "b": None},
]


@pytest.fixture(scope="module")
def all_types(emulator: Emulator) -> Any:
    """A finished instance whose result has every type, a row of values and a row of nulls."""
    return make_odps(emulator).execute_sql(ALL_TYPES)


def test_discovery_names_the_emulator_endpoint(client: SignedClient) -> None:
    resp = client.get("/projects/demo/tunnel?service")
    assert resp.status_code == 200
    assert resp.text == f"127.0.0.1:{client.base.rsplit(':', 1)[1]}/api"


def test_records_carry_every_type_exactly(all_types: Any) -> None:
    with all_types.open_reader(tunnel=True) as reader:
        assert reader.count == 2
        assert [str(c.type).lower() for c in reader.schema.columns] == TYPES
        first, second = [list(r.values) for r in reader]
    assert first[:15] == FIRST
    assert first[13] == [1, None, 3]
    struct = first[15]
    assert (struct.x, struct.y, struct.w) == (7, "z", None)
    assert second == [None] * 16


def test_arrow_reader_carries_every_type_exactly(all_types: Any) -> None:
    with all_types.open_reader(tunnel=True, arrow=True) as reader:
        table = reader.read_all()
    first, second = table.to_pylist()
    assert [first[name] for name in table.column_names][:13] == FIRST[:13]
    assert first["arr"] == [1, None, 3]
    assert first["m"] == [("a", Decimal("1.5")), ("b", None)]
    assert first["st"] == {"x": 7, "y": "z", "w": None}
    assert set(second.values()) == {None}


def test_to_pandas(all_types: Any) -> None:
    frame = all_types.to_pandas()
    assert list(frame.columns)[:3] == ["big", "i", "sm"]
    assert frame["big"].iloc[0] == 9007199254740993
    assert frame["ts"].iloc[0] == pd.Timestamp("2024-02-29 12:34:56.123456789")
    assert frame["s"].iloc[0] == 'héllo, "w"' and frame["s"].isna().iloc[1]


@pytest.fixture(scope="module")
def big(emulator: Emulator) -> Any:
    """25,000 rows: past the 10,000-row cap of ``?result``."""
    return make_odps(emulator).execute_sql(
        "select range as id, 'row' || range as label, range / 4 as q from range(25000) order by id"
    )


def test_large_result_is_whole_through_the_tunnel_capped_through_result(big: Any) -> None:
    with big.open_reader(tunnel=True) as reader:
        assert reader.count == 25000
        ids = [r["id"] for r in reader]
    assert ids == list(range(25000))
    with big.open_reader(tunnel=False) as reader:
        assert sum(1 for _ in reader) == 10000
    # reopen: PyODPS otherwise reuses the instance's last (unlimited) download session.
    with big.open_reader(tunnel=True, limit=True, reopen=True) as reader:
        assert reader.count == 10000


def test_ranges_and_projection(odps: ODPS, big: Any) -> None:
    session = InstanceTunnel(odps, project=odps.project).create_download_session(big)
    with session.open_record_reader(12000, 3, columns=["label", "id"]) as reader:
        rows = [list(r.values) for r in reader]
    assert rows == [["row12000", 12000], ["row12001", 12001], ["row12002", 12002]]
    with big.open_reader(tunnel=True, reopen=True) as reader:
        assert [r["id"] for r in reader[24997:25000]] == [24997, 24998, 24999]
    with big.open_reader(tunnel=True, arrow=True, columns=["q"]) as reader:
        table = reader.read_all()
    assert table.column_names == ["q"] and table.num_rows == 25000
    assert table.column("q").to_pylist()[-1] == 24999 / 4


def test_deflate_compressed_ranges(odps: ODPS, big: Any) -> None:
    tunnel = InstanceTunnel(odps, project=odps.project)
    session = tunnel.create_download_session(
        big, compress_option=CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB)
    )
    assert session.count == 25000
    with session.open_record_reader(100, 50, compress=True) as reader:
        assert [r["id"] for r in reader] == list(range(100, 150))
    table = session.open_arrow_reader(24990, 10, compress=True).read()
    assert table.column("id").to_pylist() == list(range(24990, 25000))


def _session(client: SignedClient, iid: str) -> Any:
    resp = client.request("POST", f"/projects/demo/instances/{iid}?downloads")
    return resp


def test_session_document_and_raw_records(client: SignedClient, emulator: Emulator) -> None:
    odps = make_odps(emulator)
    iid = odps.execute_sql("select 1::bigint as one").id
    created = _session(client, iid)
    assert created.status_code == 201
    doc = created.json()
    assert doc["Status"] == "normal" and doc["RecordCount"] == 1
    assert doc["Schema"]["columns"] == [
        {"name": "one", "type": "bigint", "comment": "", "nullable": True}
    ]
    again = client.get(f"/projects/demo/instances/{iid}?downloadid={doc['DownloadID']}")
    assert again.json() == doc
    data = client.get(
        f"/projects/demo/instances/{iid}?data&downloadid={doc['DownloadID']}&rowrange=(0,1)",
        headers={"Accept-Encoding": "deflate"},
        stream=True,
    )
    assert data.headers["Content-Encoding"] == "deflate"
    body = zlib.decompress(data.raw.read())
    # field 1 (varint) = zig-zag 1, then the record's end tag and the stream's footer.
    assert body.startswith(b"\x08\x02")


def _error(resp: Any) -> tuple[int, str]:
    return resp.status_code, resp.json()["Code"]


def test_errors(client: SignedClient, emulator: Emulator) -> None:
    odps = make_odps(emulator)
    running = odps.run_sql("select 1", hints={"mcemulator.duration_seconds": "30"})
    assert _error(_session(client, running.id)) == (400, "InstanceNotTerminate")
    running.stop()
    failed = client.create_sql("select * from no_such_table")
    wait_until(lambda: odps.get_instance(failed).is_terminated())
    assert _error(_session(client, failed)) == (400, "TaskFailed")
    ddl = odps.execute_sql("create table if not exists emu_tunnel_ddl (a bigint)")
    assert _error(_session(client, ddl.id)) == (400, "InvalidArgument")
    script = odps.execute_sql("select 1; create table if not exists emu_tunnel_ddl (a bigint)")
    assert _error(_session(client, script.id)) == (400, "InvalidArgument")

    iid = odps.execute_sql("select 1 as a").id
    sid = _session(client, iid).json()["DownloadID"]
    base = f"/projects/demo/instances/{iid}?data&downloadid={sid}"
    assert _error(client.get(f"/projects/demo/instances/{iid}?downloadid=nope")) == (
        404,
        "NoSuchDownload",
    )
    assert _error(client.get(base + "&rowrange=(0,2)")) == (400, "InvalidRowRange")
    assert _error(client.get(base + "&rowrange=zz")) == (400, "InvalidRowRange")
    assert _error(client.get(base + "&rowrange=(0,1)&columns=b")) == (
        400,
        "InvalidColumnSpec",
    )


def test_pyodps_sees_tunnel_errors_and_falls_back_for_ddl(odps: ODPS) -> None:
    running = odps.run_sql("select 1", hints={"mcemulator.duration_seconds": "30"})
    with pytest.raises(errors.ODPSError, match="not terminated"):
        running.open_reader(tunnel=True)
    running.stop()
    # Without tunnel=True, PyODPS falls back to ?result on InvalidArgument (not a SELECT).
    ddl = odps.execute_sql("create table if not exists emu_tunnel_ddl2 (a bigint)")
    with pytest.warns(UserWarning, match="fallback"), ddl.open_reader() as reader:
        assert reader.raw.strip() == "OK"


def test_result_survives_a_restart(
    private_emulator: Callable[..., Emulator], tmp_path: Path
) -> None:
    first = private_emulator(data_dir=tmp_path / "d", default_duration_seconds=0.0)
    iid = make_odps(first).execute_sql("select range as n from range(3) order by n").id
    first.stop()
    second = private_emulator(data_dir=tmp_path / "d")
    with make_odps(second).get_instance(iid).open_reader(tunnel=True) as reader:
        assert [r["n"] for r in reader] == [0, 1, 2]
