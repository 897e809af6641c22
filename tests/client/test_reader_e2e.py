"""``Instance.open_reader()`` and ``mcgw read`` against a real gateway on the emulator's instance
tunnel: PyODPS-shaped records, Arrow and pandas, a read that survives a gateway restart with no
row lost or repeated, and the CLI's formats."""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread, gateway_config_for
from mcgateway_client import AsyncGateway, Gateway, Instance, InvalidState, ReconnectPolicy

MCGW = str(Path(sys.executable).parent / "mcgw")
ROWS = 30_000
QUERY = f"select range as id, 'row-' || range as label from range({ROWS}) order by id"


@pytest.fixture(scope="module")
def o(gateway: GatewayThread) -> Iterator[Gateway]:
    with Gateway(gateway.target) as client:
        yield client


@pytest.fixture(scope="module")
def big(o: Gateway) -> Instance:
    return o.execute_sql(QUERY)


def test_records_by_name_and_index_past_10000_rows(big: Instance) -> None:
    with big.open_reader() as reader:
        assert reader.count == ROWS and reader.total_count == ROWS
        assert [c.name for c in reader.schema] == ["id", "label"]
        ids = []
        for record in reader:
            assert record["label"] == f"row-{record[0]}"
            ids.append(record["id"])
    assert ids == list(range(ROWS))


def test_projection_window_and_arrow(big: Instance) -> None:
    pa = pytest.importorskip("pyarrow")
    table = big.open_reader(columns=["label"], start=100, limit=5).to_arrow()
    assert table.schema.names == ["label"] and table.schema.field("label").type == pa.string()
    assert table.column("label").to_pylist() == [f"row-{i}" for i in range(100, 105)]


def test_to_pandas(big: Instance) -> None:
    pytest.importorskip("pandas")
    frame = big.open_reader(limit=1000).to_pandas()
    assert list(frame.columns) == ["id", "label"] and len(frame) == 1000
    assert frame["id"].tolist() == list(range(1000))


def test_a_running_instance_has_no_result_yet(o: Gateway) -> None:
    running = o.run_sql("select 1", hints={"mcemulator.duration_seconds": "30"})
    try:
        with pytest.raises(InvalidState, match="terminated"):
            running.open_reader().count  # noqa: B018  (reading the count opens the stream)
    finally:
        running.stop()


def test_the_async_reader(gateway: GatewayThread, big: Instance) -> None:
    import asyncio

    async def read() -> list[int]:
        async with AsyncGateway(gateway.target) as client:
            instance = await client.get_instance(big.id)
            async with instance.open_reader(start=ROWS - 3) as reader:
                assert await reader.count() == 3
                return [record["id"] async for record in reader]

    assert asyncio.run(read()) == [ROWS - 3, ROWS - 2, ROWS - 1]


def test_a_read_survives_a_gateway_restart(emulator: object, big: Instance) -> None:
    """Stop the gateway mid-read, start another on the same port: every row arrives once."""
    config = gateway_config_for(emulator)
    first = GatewayThread(config).start()
    second: GatewayThread | None = None
    rows: queue.Queue[object] = queue.Queue(maxsize=100)
    try:
        client = Gateway(first.target)
        instance = client.get_instance(big.id)

        def consume() -> None:
            try:
                reader = instance.open_reader(reconnect=ReconnectPolicy(initial_backoff=0.05))
                for record in reader:
                    rows.put(record["id"])  # blocks when the test stops taking: a slow reader
            except BaseException as exc:  # handed to the test thread
                rows.put(exc)
            rows.put(None)

        thread = threading.Thread(target=consume, daemon=True)
        thread.start()
        got = [rows.get(timeout=30) for _ in range(50)]
        first.stop(grace=0)
        restarted = GatewayConfig(**{**config.__dict__, "listen": f"127.0.0.1:{first.port}"})
        second = GatewayThread(restarted).start()
        while (item := rows.get(timeout=60)) is not None:
            assert not isinstance(item, BaseException), item
            got.append(item)
        thread.join(timeout=10)
        assert got == list(range(ROWS)), "no row lost or repeated across the restart"
        assert second.upstream_requests("read_download_range") > 0, "resumed on the new gateway"
        client.close()
    finally:
        first.stop(grace=0)
        if second is not None:
            second.stop(grace=0)


# --- mcgw read ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env(gateway: GatewayThread) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
    environ.update(MCGW_TARGET=gateway.target, COLUMNS="200")
    return environ


def mcgw(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MCGW, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_mcgw_read_csv_is_the_default_when_piped(env: dict[str, str], big: Instance) -> None:
    result = mcgw(env, "read", big.id, "--limit", "3", "--offset", "10")
    assert result.returncode == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["id", "label"],
        ["10", "row-10"],
        ["11", "row-11"],
        ["12", "row-12"],
    ]


def test_mcgw_read_json_lines_and_file_output(
    env: dict[str, str], big: Instance, tmp_path: Path
) -> None:
    out = tmp_path / "rows.jsonl"
    result = mcgw(env, "read", big.id, "--format", "json", "--columns", "label", "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == ROWS
    assert json.loads(lines[-1]) == {"label": f"row-{ROWS - 1}"}


def test_mcgw_read_table_and_errors(env: dict[str, str], big: Instance, o: Gateway) -> None:
    result = mcgw(env, "read", big.id, "--format", "table", "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["id", "label", "0", "row-0", "1", "row-1"]
    bad = mcgw(env, "read", big.id, "--columns", "nope")
    assert bad.returncode != 0 and "nope" in bad.stderr
