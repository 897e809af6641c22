"""README.md's HTTP examples run as pasted, with the real ``curl``, against a live gateway
(only the address changed to the test gateway's HTTP listener)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _http_block() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## HTTP\n.*?```sh\n(.*?)```", text, re.S | re.M)
    assert match, "no sh block in README.md's HTTP section"
    return match.group(1)


def test_readme_curl_examples_run_against_a_live_gateway(base: str, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("curl is needed by this test (apt-get install curl)")
    block = _http_block()
    assert "GW=http://127.0.0.1:8080\n" in block
    script = tmp_path / "http.sh"
    script.write_text("set -euo pipefail\n" + block.replace("127.0.0.1:8080", base[7:]))
    done = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    events = [json.loads(line[6:]) for line in lines if line.startswith("data: ")]
    assert events[-1]["eventType"] == "TERMINAL"
    instance_id = events[-1]["instance"]["instanceId"]
    documents = [json.loads(line) for line in lines if line.startswith("{")]
    got, listed, result, *executed = documents
    assert got["instanceId"] == instance_id and got["state"] == "TERMINATED"
    assert all(i["state"] == "TERMINATED" for i in listed["instances"])
    assert result["taskName"] == "AnonymousSQLTask" and "sepallength" in result["content"]
    assert executed[0]["eventType"] == "SNAPSHOT" and executed[-1]["eventType"] == "TERMINAL"
