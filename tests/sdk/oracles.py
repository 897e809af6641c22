"""Running the official SDK oracles (tests/sdk/java, tests/sdk/go) against an emulator.

Each oracle is a small program that drives its SDK's own API and prints one line per scenario,
``@@oracle {"scenario": ..., "ok": ..., "data": ..., "error": ..., "seconds": ...}``. The build
is tests/sdk/build.sh (hash stamps, Maven offline after the first resolve, Go's module cache).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcemulator import Emulator

__all__ = ["SDK_DIR", "Outcome", "SuiteRun", "build", "run_suite"]

SDK_DIR = Path(__file__).resolve().parent
_PREFIX = "@@oracle "
_TIMEOUT = 600.0


@dataclass(frozen=True)
class Outcome:
    """What one scenario of an oracle reported."""

    ok: bool
    data: dict[str, Any]
    error: str
    seconds: float


@dataclass(frozen=True)
class SuiteRun:
    """One run of an oracle program: its scenarios' outcomes and its output, for failures."""

    sdk: str
    outcomes: dict[str, Outcome]
    seconds: float
    stderr: str

    def outcome(self, scenario: str) -> Outcome:
        """The scenario's outcome; a missing one fails with the program's stderr."""
        if scenario not in self.outcomes:
            raise AssertionError(
                f"the {self.sdk} oracle reported no {scenario!r} (crashed?); stderr:\n"
                + self.stderr[-4000:]
            )
        return self.outcomes[scenario]


def build(sdk: str) -> None:
    """Run ``tests/sdk/build.sh SDK`` (quick when nothing changed); fail with its output."""
    result = subprocess.run(
        [str(SDK_DIR / "build.sh"), sdk],
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"tests/sdk/build.sh {sdk} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def _command(sdk: str) -> list[str]:
    if sdk == "java":
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("java is not installed")
        target = SDK_DIR / "java" / "target"
        classpath = f"{target / 'classes'}:{(target / 'classpath.txt').read_text().strip()}"
        return [java, "-cp", classpath, "mcemu.sdk.Oracle"]
    return [str(SDK_DIR / "go" / "build" / "sdk-oracle")]


def run_suite(sdk: str, emulator: Emulator, scenarios: list[str] | None = None) -> SuiteRun:
    """Run ``sdk``'s oracle (``java`` or ``go``) against ``emulator``; all scenarios by default."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(Path.home()),
        "MCEMU_ENDPOINT": emulator.endpoint,
        "MCEMU_PROJECT": emulator.project,
        "MCEMU_ACCESS_ID": emulator.access_id,
        "MCEMU_ACCESS_KEY": emulator.access_key,
        "MCEMU_SLOTS": str(emulator.config.workers),
    }
    started = time.monotonic()
    result = subprocess.run(
        [*_command(sdk), *(scenarios or [])],
        env=env,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    outcomes = {}
    for line in result.stdout.splitlines():
        if not line.startswith(_PREFIX):
            continue  # the SDK's own chatter
        raw = json.loads(line[len(_PREFIX) :])
        outcomes[raw["scenario"]] = Outcome(
            ok=bool(raw["ok"]),
            data=raw.get("data") or {},
            error=raw.get("error") or "",
            seconds=float(raw.get("seconds", 0.0)),
        )
    return SuiteRun(sdk, outcomes, time.monotonic() - started, result.stderr)
