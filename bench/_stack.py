"""What the benchmarks measure against: the emulator and a gateway, each in its own process.

Processes of their own keep the load generator off the servers' GIL and let a benchmark read
each server's CPU and memory (``psutil``). A benchmark starts them with :class:`Stack`::

    with Stack("unary-bench") as stack:
        stack.start_gateway("--metrics-listen", "127.0.0.1:0")
        stub = ...(stack.target)

The emulator reads commands on standard input, one per line, and answers ``ok``: ``latency S``
adds S seconds to the reads GetInstance makes, ``clear`` removes it; end of input stops it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from mcgateway.maxcompute import Credentials
from mcgateway.maxcompute._signing import canonical_string, http_date, sign_v2

PYTHON = sys.executable
MCGATEWAY = str(Path(PYTHON).with_name("mcgateway"))

EMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys, pathlib
    from mcemulator import Emulator, EmulatorConfig
    emu = Emulator(EmulatorConfig(data_dir=pathlib.Path(sys.argv[1]), workers=8))
    emu.start()
    print(emu.endpoint, emu.access_id, emu.access_key, flush=True)
    for line in sys.stdin:
        words = line.split()
        if words and words[0] == "latency":
            emu.faults.inject(
                operations={"get_instance", "task_status"}, latency_seconds=float(words[1])
            )
        elif words and words[0] == "clear":
            emu.faults.clear()
        print("ok", flush=True)
    emu.stop()
    """
)


def wait_for(path: Path, proc: subprocess.Popen[str], what: str, budget: float = 60) -> None:
    """Wait until ``proc`` wrote ``path`` (its ready or port file); exit if it died."""
    give_up = time.monotonic() + budget
    while not (path.exists() and path.stat().st_size > 0):
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        if time.monotonic() > give_up:
            raise SystemExit(f"{what} did not start")
        time.sleep(0.05)


class Stack:
    """The emulator (started on entry) and the processes a benchmark adds; all stopped on
    exit. ``endpoint``, ``access_id`` and ``access_key`` are the emulator's."""

    def __init__(self, prefix: str) -> None:
        self.work = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
        self.procs: list[subprocess.Popen[str]] = []
        self.emulator: subprocess.Popen[str] | None = None
        self.gateway: subprocess.Popen[str] | None = None
        self.ready: dict[str, Any] = {}
        self.endpoint = self.access_id = self.access_key = ""

    def __enter__(self) -> Stack:
        try:
            self.emulator = self.start(
                [PYTHON, "-c", EMULATOR_SCRIPT, str(self.work / "emulator")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            assert self.emulator.stdout is not None
            self.endpoint, self.access_id, self.access_key = self.emulator.stdout.readline().split()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self, args: list[str], **popen: Any) -> subprocess.Popen[str]:
        """Start a process that :meth:`close` stops."""
        proc = subprocess.Popen(args, text=True, **popen)
        self.procs.append(proc)
        return proc

    def emulator_command(self, command: str) -> None:
        """Send the emulator one command (``latency 0.02``, ``clear``) and wait for ``ok``."""
        assert self.emulator is not None
        assert self.emulator.stdin is not None and self.emulator.stdout is not None
        self.emulator.stdin.write(command + "\n")
        self.emulator.stdin.flush()
        assert self.emulator.stdout.readline().strip() == "ok"

    def start_gateway(self, *extra: str) -> dict[str, Any]:
        """``mcgateway serve`` on the emulator (project ``demo``, loopback, ephemeral port);
        returns its ready file (``target``, and ``metrics`` with ``--metrics-listen``)."""
        ready = self.work / "ready.json"
        env = dict(
            os.environ,
            ALIBABA_CLOUD_ACCESS_KEY_ID=self.access_id,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET=self.access_key,
        )
        self.gateway = self.start(
            [
                MCGATEWAY, "serve", "--listen", "127.0.0.1:0", "--endpoint", self.endpoint,
                "--project", "demo", "--ready-file", str(ready), "--log-level", "WARNING",
                *extra,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(ready, self.gateway, "gateway")
        self.ready = json.loads(ready.read_text())
        return self.ready

    def signed_getter(self) -> Callable[[str], bytes]:
        """A direct reader of the emulator, as a client without the gateway reads it: a
        ``requests`` session that signs each GET (v2) and returns the body."""
        session = requests.Session()
        session.trust_env = False
        credentials = Credentials(self.access_id, self.access_key)

        def signed_get(target_url: str) -> bytes:
            headers = {"Date": http_date()}
            canonical = canonical_string("GET", target_url, self.endpoint, headers)
            headers["Authorization"] = sign_v2(credentials, canonical)
            response = session.get(target_url, headers=headers, timeout=10)
            response.raise_for_status()
            return response.content

        return signed_get

    @property
    def target(self) -> str:
        """The gateway's gRPC target."""
        return str(self.ready["target"])

    def close(self) -> None:
        """Stop every process, the newest first (the emulator's end of input stops it)."""
        for proc in reversed(self.procs):
            if proc.stdin is not None:
                proc.stdin.close()
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()
