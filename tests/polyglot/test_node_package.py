"""The Node package as a user meets it: packed, installed into a fresh project by its name, and the
README's example run against a real gateway.

The README's install steps (its first ```sh block, with the checkout's path put in) run as
written, without a warning from npm; `npm install` fetches the package's dependencies from the
npm registry. The example is the README's first ```js block verbatim, and its output must be the
README's ```text block.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .harness import CLIENTS, ROOT, Gateway
from .readme import fenced_block, matches_transcript

README = CLIENTS / "node/README.md"
_CHECKOUT = "/path/to/mcgateway"


def _fail(what: str, result: subprocess.CompletedProcess[str], gateway: Gateway) -> None:
    pytest.fail(
        f"{what} exited with {result.returncode}\n--- stdout ---\n{result.stdout[-6000:]}\n"
        f"--- stderr ---\n{result.stderr[-6000:]}\n"
        f"--- gateway log (tail) ---\n{gateway.log_tail()}",
        pytrace=False,
    )


def test_readme_install_and_example_work_as_written(gateway: Gateway, tmp_path: Path) -> None:
    install = fenced_block(README, "sh")
    assert _CHECKOUT in install, f"the install steps no longer name {_CHECKOUT}"
    env = {
        **gateway.env(),
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
        "npm_config_cache": str(tmp_path / "npm-cache"),  # the user's cache is not the tested one
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", install.replace(_CHECKOUT, str(ROOT))],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        _fail("the README's install steps", result, gateway)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("npm warn")]
    assert not warnings, "npm warned while installing as the README says:\n" + "\n".join(warnings)
    app = tmp_path / "my-app"
    installed = app / "node_modules/@mcgateway/client"
    assert installed.is_dir() and not installed.is_symlink(), "the package was not installed"

    (app / "example.js").write_text(fenced_block(README, "js"))
    result = subprocess.run(
        ["node", "example.js"],
        cwd=app, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        _fail("node example.js", result, gateway)
    expected = fenced_block(README, "text")
    assert matches_transcript(result.stdout, expected), (
        f"the example printed\n{result.stdout}\nthe README says\n{expected}"
    )
