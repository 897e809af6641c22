"""Durability: a SIGKILLed emulator process loses nothing it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from emu_helpers import SignedClient, make_odps, wait_until
from mcemulator import Emulator, EmulatorConfig, datadir
from odps.models import Instance


class _Remote:
    """Just enough of an Emulator for SignedClient: the port and the data dir's account."""

    def __init__(self, port: int, data_dir: Path) -> None:
        self.port = port
        self.access_id, self.access_key = datadir.read_account(data_dir)


def _start(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcemulator",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            str(data_dir),
            "--duration",
            "0.2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    port = 0
    with proc.stdout:  # read the whole start-up banner, then let the pipe go
        for line in proc.stdout:
            if line.startswith("endpoint: "):
                port = int(line.rsplit(":", 1)[1].split("/")[0])
            if line.startswith("data dir: "):
                return proc, port
    raise AssertionError(f"emulator exited with {proc.wait()}")


def test_sigkill_then_restart_keeps_every_instance(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    proc, port = _start(data_dir)
    try:
        client = SignedClient(_Remote(port, data_dir))  # type: ignore[arg-type]
        finished = [client.create_sql(f"select {n};") for n in range(5)]
        running = [
            client.create_sql("select 1;", settings='{"mcemulator.duration_seconds": "60"}')
            for _ in range(3)
        ]

        def all_done() -> bool:
            listing = client.get("/projects/demo/instances?status=Terminated").text
            return all(i in listing for i in finished)

        wait_until(all_done)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Emulator(EmulatorConfig(data_dir=data_dir)) as emu:
        o = make_odps(emu)
        listed = {i.id: i for i in o.list_instances()}
        assert set(finished + running) <= set(listed)
        for iid in finished:
            inst = o.get_instance(iid)
            assert inst.is_successful()
            assert inst.get_task_result("AnonymousSQLTask").startswith('"_c0"\n')
        for iid in running:
            inst = o.get_instance(iid)
            assert inst.status == Instance.Status.TERMINATED
            task = inst.get_task_statuses()["AnonymousSQLTask"]
            assert task.status == Instance.Task.TaskStatus.FAILED
            assert "emulator restarted" in inst.get_task_result("AnonymousSQLTask")


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    proc, port = _start(tmp_path / "data")
    client = SignedClient(_Remote(port, tmp_path / "data"))  # type: ignore[arg-type]
    assert client.get("/projects/demo/instances").status_code == 200
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
