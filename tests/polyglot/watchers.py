"""The Go, Java and Node example programs as watchers whose output a test reads as it comes.

Each example prints one `#SEQUENCE EVENT_TYPE STATE ...` line per watch event (the
`WatchInstanceResponse.EventType` value name, for example `SNAPSHOT` or `TERMINAL`) and ends with
`ID succeeded` or `ID failed: MESSAGE` (clients/README.md, "Enum and event text"). They take the
gateway from the environment (MCGW_TARGET, and TLS `auto`: plaintext on loopback).
"""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

from .harness import CLIENTS, Gateway

__all__ = [
    "LANGUAGES",
    "SNAPSHOT",
    "TERMINAL",
    "WAIT",
    "Example",
    "ProcessWatcher",
    "build_go_example",
    "example_command",
    "example_commands",
]

LANGUAGES = ("go", "java", "node")
"""The languages whose example programs the tests run."""

Example = tuple[list[str], Path]
"""An example program's command line and the directory to run it in."""

SNAPSHOT = re.compile(r"^#(\d+) SNAPSHOT\b")
TERMINAL = re.compile(r"^#(\d+) TERMINAL\b")
WAIT = 60.0
"""Seconds any one wait of these tests may take before it fails."""


def build_go_example(out_dir: Path) -> Path:
    """Build cmd/mcgw-go into `out_dir` (quick from Go's build cache)."""
    binary = out_dir / "mcgw-go"
    subprocess.run(
        ["go", "build", "-o", str(binary), "./cmd/mcgw-go"],
        cwd=CLIENTS / "go", check=True, timeout=300,
    )  # fmt: skip
    return binary


def example_command(language: str, go_binary: Path | None, instance_id: str) -> Example:
    """The command (and its directory) of `language`'s example that watches `instance_id` to the
    end, after listing the newest instances (Java and Node, MCGW_LIMIT of them, default 10; Go
    lists none). With an empty `instance_id` the examples only list. `go_binary` is the built
    Go example (Go only)."""
    if language == "go":
        assert go_binary is not None, "the Go example needs build_go_example first"
        watch = ["-watch", instance_id] if instance_id else []
        return [str(go_binary), "-limit", "0", *watch], CLIENTS / "go"
    args = [instance_id] if instance_id else []
    if language == "java":
        classpath = (CLIENTS / "java/target/classpath.txt").read_text().strip()
        java_cp = f"{CLIENTS / 'java/target/classes'}:{classpath}"
        command = ["java", "-cp", java_cp, "com.mcgateway.client.example.Example", *args]
        return command, CLIENTS / "java"
    if language == "node":
        return ["node", "examples/watch.js", *args], CLIENTS / "node"
    raise ValueError(f"no example for {language!r}")


def example_commands(go_binary: Path, instance_id: str) -> dict[str, Example]:
    """Per language, the command (and its directory) that watches `instance_id` to the end."""
    return {lang: example_command(lang, go_binary, instance_id) for lang in LANGUAGES}


class ProcessWatcher:
    """A language's example program watching one instance; its output is read as it comes."""

    def __init__(self, name: str, command: list[str], cwd: Path, gateway: Gateway) -> None:
        self.name = name
        self.lines: list[str] = []
        self.snapshot = threading.Event()
        self._changed = threading.Condition()
        self._eof = False
        self.proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=gateway.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, name=f"{name}-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
            if SNAPSHOT.match(line):
                self.snapshot.set()
        with self._changed:
            self._eof = True  # the program closed its output: waiters stop waiting
            self._changed.notify_all()

    @property
    def output(self) -> str:
        """Everything the program printed so far."""
        return "\n".join(self.lines)

    def finish(self) -> tuple[int, str]:
        """Wait for the program to exit; its terminal sequence and final outcome line."""
        code = self.proc.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        assert code == 0, f"{self.name} watcher exited with {code}:\n{self.output}"
        terminal = [int(m.group(1)) for line in self.lines if (m := TERMINAL.match(line))]
        assert len(terminal) == 1, f"{self.name}: expected one TERMINAL event:\n{self.output}"
        return terminal[0], self.lines[-1]

    def snapshots(self) -> int:
        """How many SNAPSHOT events (one per stream) the program printed."""
        return sum(1 for line in self.lines if SNAPSHOT.match(line))

    def wait_snapshots(self, count: int, timeout: float = WAIT) -> bool:
        """Wait until the program printed `count` SNAPSHOT events (or ended); whether it did."""
        with self._changed:
            return (
                self._changed.wait_for(lambda: self.snapshots() >= count or self._eof, timeout)
                and self.snapshots() >= count
            )

    def close(self) -> None:
        """Kill the program if it still runs, and release its pipe."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=WAIT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
