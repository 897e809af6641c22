"""Helpers of the polyglot tests: a gateway process, client builds and language test runs.

The gateway is the real one, started as `mcgateway serve` on loopback ports with the embedded
emulator; it writes its address to a ready file once serving and stops on SIGTERM.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CLIENTS",
    "ROOT",
    "Gateway",
    "build_client",
    "metric_value",
    "run_suite",
    "running_gateway",
]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
_START_TIMEOUT = 60.0
_STOP_TIMEOUT = 30.0


@dataclass(frozen=True)
class Gateway:
    """A gateway the language suites can reach."""

    target: str
    """host:port of its plaintext gRPC listener."""
    metrics: str | None
    """URL of its Prometheus endpoint, when it serves one."""
    project: str
    """Its default project (the emulator's `demo`)."""
    log: Path | None = None
    """Its log file, shown when a suite fails."""

    def env(self) -> dict[str, str]:
        """The environment of a language suite or example run against this gateway: the
        conventions' variables (clients/README.md) name it, and none of the caller's own
        MCGW_* settings leak in (the target is loopback, so TLS `auto` means plaintext)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
        env["MCGW_TARGET"] = self.target
        env["MCGW_PROJECT"] = self.project
        return env

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the gateway log, or '' without one."""
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _mcgateway_command() -> list[str]:
    script = Path(sys.executable).with_name("mcgateway")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "mcgateway.cli"]


def _read_ready(path: Path) -> dict[str, str | None] | None:
    try:
        info = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None  # not written yet, or written halfway
    return info if isinstance(info, dict) and info.get("target") else None


@contextmanager
def running_gateway(workdir: Path, *extra_args: str) -> Iterator[Gateway]:
    """Run `mcgateway serve` on loopback ports with its own data dir until the block ends.

    `extra_args` are more `serve` flags, for example `--max-stream-age 1`.
    """
    ready = workdir / "ready.json"
    log = workdir / "gateway.log"
    command = [
        *_mcgateway_command(),
        "serve",
        "--listen", "127.0.0.1:0",
        "--metrics-listen", "127.0.0.1:0",
        "--data-dir", str(workdir / "data"),
        "--ready-file", str(ready),
        *extra_args,
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        info = _read_ready(ready)
        while info is None:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"mcgateway serve exited with {proc.returncode} before it was ready:\n"
                    + log.read_text(errors="replace")[-4000:]
                )
            if time.monotonic() > deadline:
                raise RuntimeError("mcgateway serve did not write its ready file within 60 s")
            # Polling a file the child writes once; 50 ms keeps start-up latency low.
            time.sleep(0.05)
            info = _read_ready(ready)
        yield Gateway(
            target=str(info["target"]),
            metrics=info.get("metrics"),
            project=str(info.get("project") or ""),
            log=log,
        )
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def build_client(language: str) -> None:
    """Run `clients/build.sh LANGUAGE` (quick when nothing changed); fail with its output."""
    result = subprocess.run(
        [str(CLIENTS / "build.sh"), language],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"clients/build.sh {language} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def run_suite(
    command: Sequence[str], cwd: Path, gateway: Gateway, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run a language's test command against `gateway`, output captured."""
    tool = shutil.which(command[0])
    if tool is None:
        raise RuntimeError(f"{command[0]} is not installed")
    return subprocess.run(
        [tool, *command[1:]],
        cwd=cwd,
        env=gateway.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def metric_value(url: str, name: str, labels: Mapping[str, str] | None = None) -> float:
    """The value of one sample of a Prometheus text endpoint (0 when the sample is absent)."""
    with urllib.request.urlopen(url, timeout=10) as resp:
        text = resp.read().decode()
    want = ",".join(f'{k}="{v}"' for k, v in sorted((labels or {}).items()))
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        sample, _, value = line.rpartition(" ")
        sample_name, _, rest = sample.partition("{")
        if sample_name != name:
            continue
        got = ",".join(sorted(p for p in rest.rstrip("}").split(",") if p))
        if got == want:
            return float(value)
    return 0.0
