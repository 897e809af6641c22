"""clients/python/README.md as a newcomer uses it: the "Ten lines" snippet runs as pasted (only
the address changed to the test gateway's), and the config file example is a valid config."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mcgateway.testing import GatewayThread
from mcgateway_client import load_settings

README = Path(__file__).resolve().parents[2] / "clients" / "python" / "README.md"


def _block(after: str, language: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(after) + rf".*?```{language}\n(.*?)```", text, re.S)
    assert match, f"no {language} block after {after!r}"
    return match.group(1)


def test_ten_lines_run_as_pasted(gateway: GatewayThread, tmp_path: Path) -> None:
    script = tmp_path / "ten_lines.py"
    script.write_text(_block("## Ten lines", "python"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
    env["MCGW_TARGET"] = gateway.target  # as the README says for a gateway elsewhere
    done = subprocess.run(
        [sys.executable, "ten_lines.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # The lines every client's README snippet prints (clients/README.md).
    assert lines[0] in ("SNAPSHOT RUNNING", "TERMINAL TERMINATED")
    assert "TERMINAL TERMINATED" in lines
    assert lines[lines.index("TERMINAL TERMINATED") + 1 :][:2] == ["successful: true", "True"]
    assert "missing_table" in lines[-1] and "&token=" in lines[-1]


def test_config_file_example_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(_block("### Settings: environment, config file, profiles", "toml"))
    config.chmod(0o600)
    for name in ("MCGW_TARGET", "MCGW_TLS", "MCGW_PROFILE", "MCGW_TOKEN", "MCGW_CA_CERT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(config_file=config)
    assert (settings.target, settings.tls, settings.token) == ("127.0.0.1:50051", "auto", None)
    (tmp_path / "prod.token").write_text("t0k3n\n")
    (tmp_path / "prod.token").chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".config" / "mcgw").mkdir(parents=True)
    (tmp_path / "prod.token").rename(tmp_path / ".config" / "mcgw" / "prod.token")
    prod = load_settings({"profile": "prod"}, config_file=config)
    assert (prod.target, prod.token, prod.project) == (
        "gateway.internal:443",
        "t0k3n",
        "my_project",
    )
    assert str(prod.ca_cert) == str(tmp_path / ".config" / "mcgw" / "prod-ca.pem")
