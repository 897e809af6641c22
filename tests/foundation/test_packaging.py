"""The two distributions build and install from the repository alone, as the Dockerfile does.

No Docker engine runs here, so this test performs the Dockerfile's install steps (build both
wheels, install them into a clean virtual environment) and checks the Dockerfile's shape.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only our two wheels (third-party packages come from the test venv)."""
    tmp = tmp_path_factory.mktemp("packaging")
    wheels = tmp / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(wheels), str(ROOT / "clients/python"), str(ROOT)],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin/python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps",
         *sorted(str(w) for w in wheels.glob("*.whl"))],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    # Dependencies resolve from the test venv's site-packages, appended *after* the clean venv's
    # own, so our packages are imported from the installed wheels and never from the source tree.
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_wheels_install_and_import_from_site_packages(clean_venv: Path) -> None:
    code = (
        "import importlib.resources as r, mcgateway, mcemulator, mcgateway_client;"
        "from maxcompute.gateway.v1 import instance_service_pb2_grpc;"
        "assert 'site-packages' in mcgateway.__file__, mcgateway.__file__;"
        "assert 'site-packages' in mcemulator.__file__, mcemulator.__file__;"
        "assert r.files('maxcompute.gateway.v1').joinpath('service_config.json').is_file();"
        "data = r.files('mcemulator').joinpath('data');"
        "assert any(p.name.endswith('.csv') for p in data.iterdir())"
    )
    result = subprocess.run(
        [str(clean_venv / "bin/python"), "-c", code],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_console_scripts_are_installed(clean_venv: Path) -> None:
    for script in ("mcgateway", "mcgw"):
        result = subprocess.run(
            [str(clean_venv / "bin" / script), "--help"],
            capture_output=True,
            text=True,
            cwd="/",
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "usage" in result.stdout.lower()


def test_health_subcommand_is_installed(clean_venv: Path) -> None:
    """The HEALTHCHECK's `mcgateway health` runs from the wheels: nothing listens on port 1,
    so it reports UNAVAILABLE and exits 1 (not 2, which Docker reserves)."""
    result = subprocess.run(
        [str(clean_venv / "bin/mcgateway"), "health", "--listen", "127.0.0.1:1", "--timeout", "5"],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "UNAVAILABLE" in result.stderr


def _final_stage() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile's last stage, continuations joined."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = [line.split(None, 1) for line in joined.splitlines() if line.strip()]
    last_from = max(i for i, parts in enumerate(instructions) if parts[0] == "FROM")
    return [(parts[0], parts[-1]) for parts in instructions[last_from:]]


def _image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for op, rest in _final_stage():
        if op == "ENV":
            env.update(item.split("=", 1) for item in shlex.split(rest))
    return env


def _image_file(path: str) -> Path:
    """The repository file the final stage COPYs to ``path`` in the image."""
    for op, rest in _final_stage():
        if op == "COPY" and not rest.startswith("--from"):
            src, dst = rest.split()
            if dst == path:
                return ROOT / src
    raise AssertionError(f"the image has no {path}")


def _exec_form(op: str) -> list[str]:
    (rest,) = [rest for o, rest in _final_stage() if o == op]
    if op == "HEALTHCHECK":
        rest = rest.split(" CMD ", 1)[1]
    value: list[str] = json.loads(rest)
    return value


def _serve_config(args: list[str], environ: dict[str, str]) -> Any:
    """What `mcgateway serve ARGS` runs with in the image (the gateway's own parser/loader)."""
    from mcgateway.config import add_arguments, load_config

    assert args[0] in ("serve", "health")
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    given = vars(parser.parse_args(args[1:]))
    env = dict(environ)
    if env.get("MCGATEWAY_CONFIG"):
        env["MCGATEWAY_CONFIG"] = str(_image_file(env["MCGATEWAY_CONFIG"]))
    return load_config(given, environ=env)


def test_dockerfile_is_multi_stage_non_root_with_grpc_health_check() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", text, re.MULTILINE)
    assert len(stages) >= 2 and all(image.endswith("-slim") for image, _ in stages)
    final = text.split("\nFROM ")[-1]
    user = re.search(r"^USER\s+(\S+)", final, re.MULTILINE)
    assert user and user.group(1) not in {"root", "0"}
    assert _exec_form("ENTRYPOINT") == ["mcgateway"]
    # The health check is `mcgateway health` (TLS when configured), not a plaintext channel.
    assert _exec_form("HEALTHCHECK") == ["mcgateway", "health"]
    assert "insecure_channel" not in final
    # Every path the build copies exists in the repository.
    for src in re.findall(r"^COPY (?!--from)(.+?) \S+$", text, re.MULTILINE):
        for path in src.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"
    # The in-place wheel builds above leave build/ and *.egg-info in the tree; a stale
    # build/lib copied into the image would end up in its wheels.
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {"**/build", "**/*.egg-info"} <= set(ignored)


def test_default_command_serves_the_real_endpoint_of_its_config_over_tls() -> None:
    """`serve` as the image runs it reads /etc/mcgateway/config.toml through MCGATEWAY_CONFIG:
    a real endpoint (never the embedded emulator on a network address), TLS and tokens. The
    health check reads the same configuration, so it checks what serve serves."""
    env = _image_env()
    assert env["MCGATEWAY_CONFIG"] == "/etc/mcgateway/config.toml"
    cmd = _exec_form("CMD")
    assert cmd[0] == "serve"
    config = _serve_config(cmd, env)
    assert not config.embedded and config.endpoint.startswith("https://")
    assert config.tls_cert and config.tls_key and config.tokens_file
    assert config.listen == "0.0.0.0:50051"
    health = _serve_config(_exec_form("HEALTHCHECK")[1:], env)
    assert (health.listen, health.tls_cert, health.tls_key) == (
        config.listen,
        config.tls_cert,
        config.tls_key,
    )


def test_the_documented_demo_command_opts_in_to_the_emulator() -> None:
    """The Dockerfile documents the demo (embedded emulator on the network) as an explicit
    command; the gateway accepts it only because of --allow-embedded-on-network."""
    from mcgateway.config import ConfigError
    from mcgateway.server import GatewayServer

    text = (ROOT / "Dockerfile").read_text()
    (line,) = re.findall(r"^#\s+(docker run .*)$", text, re.MULTILINE)
    words = shlex.split(line)
    args = words[words.index("serve") :]
    env = _image_env()
    for i, word in enumerate(words[: words.index("serve")]):
        if word == "-e":
            key, _, value = words[i + 1].partition("=")
            env[key] = value
    assert "--allow-embedded-on-network" in args
    config = _serve_config(args, env)
    assert config.embedded and config.listen.startswith("0.0.0.0:")
    assert config.tls_cert is None, "MCGATEWAY_CONFIG= leaves the TLS configuration out"
    GatewayServer(config)  # accepted: the exposure checks run in the constructor
    without = _serve_config([a for a in args if a != "--allow-embedded-on-network"], env)
    with pytest.raises(ConfigError, match="allow-embedded-on-network"):
        GatewayServer(without)
    # The health check of the demo container, with the same environment, dials it in plaintext.
    health = _serve_config(["health"], env)
    assert health.tls_cert is None and health.listen.endswith(":50051")
