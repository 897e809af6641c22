"""The Go client as a user meets it: a fresh module that requires it the README's way, and the
README's example as its main.go, run against a real gateway.

The README's install steps (its first ```sh block, with the checkout's path put in) run as
written; the example is the README's first ```go block verbatim, and its output must be the
README's ```text block. Go's environment is the one the other Go tests use (GOPROXY, GOCACHE,
module cache that `clients/build.sh go` filled), plus -mod=mod.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .harness import CLIENTS, ROOT, Gateway
from .readme import fenced_block, matches_transcript

README = CLIENTS / "go/README.md"
_CHECKOUT = "/path/to/mcgateway"


def _run(
    what: str, command: list[str], cwd: Path, env: dict[str, str], gateway: Gateway
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"{what} exited with {result.returncode}\n--- stdout ---\n{result.stdout[-6000:]}\n"
            f"--- stderr ---\n{result.stderr[-6000:]}\n"
            f"--- gateway log (tail) ---\n{gateway.log_tail()}",
            pytrace=False,
        )
    return result


@pytest.mark.usefixtures("go_client")
def test_readme_install_and_example_work_as_written(gateway: Gateway, tmp_path: Path) -> None:
    install = fenced_block(README, "sh")
    assert _CHECKOUT in install, f"the install steps no longer name {_CHECKOUT}"
    env = {**gateway.env(), "GOFLAGS": f"{os.environ.get('GOFLAGS', '')} -mod=mod".strip()}
    script = install.replace(_CHECKOUT, str(ROOT))
    bash = ["bash", "-euo", "pipefail", "-c", script]
    _run("the README's install steps", bash, tmp_path, env, gateway)
    app = tmp_path / "my-app"
    (app / "main.go").write_text(fenced_block(README, "go"))
    _run("go mod tidy", ["go", "mod", "tidy"], app, env, gateway)
    result = _run("go run .", ["go", "run", "."], app, env, gateway)
    expected = fenced_block(README, "text")
    assert matches_transcript(result.stdout, expected), (
        f"the example printed\n{result.stdout}\nthe README says\n{expected}"
    )
