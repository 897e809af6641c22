"""How ``mcgw`` and the library find the gateway: target validation, the TLS default, the config
file with profiles, precedence flags > environment > file, errors as JSON, shell completion.

The CLI is run as a user runs it (a subprocess, a config file under a temporary
``XDG_CONFIG_HOME``); library checks use the public functions.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcgateway.testing import GatewayThread, gateway_config_for
from mcgateway_client import (
    AsyncGateway,
    Gateway,
    GatewayError,
    InvalidArgument,
    InvalidSettings,
    InvalidTarget,
    Target,
    Unauthenticated,
    load_settings,
    parse_target,
)

MCGW = str(Path(sys.executable).parent / "mcgw")
ABSENT = "20990101000000000absent001"


@pytest.fixture
def home(tmp_path: Path, gateway: GatewayThread) -> dict[str, str]:
    """An environment with its own XDG_CONFIG_HOME and no MCGW_* variables."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MCGW_", "GRPC_"))}
    environ["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return environ


def write_config(env: dict[str, str], text: str, mode: int = 0o600) -> Path:
    path = Path(env["XDG_CONFIG_HOME"]) / "mcgw" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def mcgw(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MCGW, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the target -----------------------------------------------------------------------------------


CONVENTIONS = Path(__file__).resolve().parents[2] / "clients" / "README.md"
TARGET_ROW = re.compile(r"^\| (`[^|]+`) \| `(invalid target [^|]+)` \|$")


def documented_target_messages() -> list[tuple[list[str], str]]:
    """The rows of the target table of clients/README.md: the given values and the message
    (the first value's), which every client prints."""
    rows = []
    for line in CONVENTIONS.read_text(encoding="utf-8").splitlines():
        match = TARGET_ROW.match(line)
        if match:
            rows.append((re.findall(r"`([^`]+)`", match.group(1)), match.group(2)))
    return rows


def test_targets_are_refused_with_the_messages_every_client_prints() -> None:
    rows = documented_target_messages()
    assert len(rows) >= 6
    for given, message in rows:
        with pytest.raises(InvalidTarget) as info:
            parse_target(given[0])
        assert str(info.value) == message
        for other in given[1:]:
            with pytest.raises(InvalidTarget):
                parse_target(other)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "http://gw.example.com:50051",
            'invalid target "http://gw.example.com:50051": remove the scheme "http://" and give '
            "host:port, for example gw.example.com:50051 (TLS is chosen by MCGW_TLS, not by the "
            "scheme)",
        ),
        ("gw.example.com", "missing port; give host:port, for example gw.example.com:443"),
        (":50051", "missing host; give host:port, for example 127.0.0.1:50051"),
        ("gw.example.com:http", "the port must be a number from 1 to 65535"),
        ("gw.example.com:70000", "the port must be a number from 1 to 65535"),
        ("::1:50051", "put an IPv6 address in brackets, for example [::1]:50051"),
        ("", "missing host; give host:port, for example 127.0.0.1:50051"),
    ],
)
def test_bad_targets_get_one_actionable_line(
    home: dict[str, str], target: str, message: str
) -> None:
    result = mcgw(home, "--target", target, "exists", ABSENT)
    assert result.returncode == 2
    assert result.stderr.startswith('mcgw: invalid target "') and message in result.stderr
    # One line of mcgw's own, no grpc core log lines, no resolver text.
    assert result.stderr.count("\n") == 1
    assert "Misformatted" not in result.stderr and "E0000" not in result.stderr
    as_json = json.loads(mcgw(home, "--json", "--target", target, "ls").stderr)
    assert (as_json["code"], as_json["reason"]) == ("INVALID_ARGUMENT", "INVALID_TARGET")
    if target:  # an empty variable counts as unset
        from_env = mcgw({**home, "MCGW_TARGET": target}, "exists", ABSENT)
        assert from_env.returncode == 2 and from_env.stderr.endswith(" (from MCGW_TARGET)\n")


def test_parse_target_is_the_one_parser_of_the_library() -> None:
    assert parse_target("127.0.0.1:50051") == Target("127.0.0.1", 50051)
    assert str(parse_target("[::1]:50051")) == "[::1]:50051"
    assert [parse_target(t).loopback for t in ("localhost:1", "127.3.4.5:1", "[::1]:1")] == [
        True,
        True,
        True,
    ]
    assert not parse_target("gw.example.com:443").loopback
    assert not parse_target("10.0.0.5:443").loopback
    with pytest.raises(InvalidTarget, match='remove the scheme "http://"') as info:
        Gateway("http://127.0.0.1:50051")
    # An InvalidArgument like every other rejected input (and a ValueError).
    assert isinstance(info.value, InvalidArgument) and isinstance(info.value, ValueError)
    assert info.value.reason == "INVALID_TARGET"
    with pytest.raises(InvalidTarget, match=r"missing port; give host:port, for example gw:443"):
        AsyncGateway("gw")


def test_tls_against_a_plaintext_gateway_says_what_to_do(
    home: dict[str, str], gateway: GatewayThread
) -> None:
    result = mcgw(home, "--target", gateway.target, "--tls", "on", "exists", ABSENT)
    assert result.returncode == 6
    assert result.stderr == (
        f"mcgw: unavailable: TLS handshake with gateway {gateway.target} failed: it seems to "
        "serve plaintext; use --tls off (or MCGW_TLS=off)\n"
    )


def test_unreachable_gateway_is_one_line(home: dict[str, str]) -> None:
    target = f"127.0.0.1:{closed_port()}"
    result = mcgw(home, "--target", target, "get", ABSENT)
    assert result.returncode == 6
    assert result.stderr == (
        f"mcgw: unavailable: gateway {target} unreachable: connection refused (is it running?)\n"
    )


# -- TLS by default, except on loopback -----------------------------------------------------------


class FirstBytes:
    """A TCP listener on every interface that records what a client sends first."""

    def __init__(self) -> None:
        self.server = socket.create_server(("0.0.0.0", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.arrived = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                self.received.append(conn.recv(5))
                self.arrived.set()

    def close(self) -> None:
        self.server.close()


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent for UDP
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@pytest.fixture
def listener() -> Iterator[FirstBytes]:
    server = FirstBytes()
    try:
        yield server
    finally:
        server.close()


def _first_bytes(listener: FirstBytes, target: str, **kwargs: Any) -> bytes:
    listener.arrived.clear()
    with Gateway(target, timeout=2, **kwargs) as o, contextlib.suppress(GatewayError):
        o.exist_instance(ABSENT)  # fails: only what the client sent first matters
    assert listener.arrived.wait(10)
    return listener.received[-1]


def test_tls_is_the_default_except_on_loopback(listener: FirstBytes) -> None:
    preface, client_hello = b"PRI *", b"\x16\x03"
    assert _first_bytes(listener, f"127.0.0.1:{listener.port}") == preface
    assert _first_bytes(listener, f"localhost:{listener.port}") == preface
    assert _first_bytes(listener, f"127.0.0.1:{listener.port}", tls="on")[:2] == client_hello
    address = _non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    assert _first_bytes(listener, f"{address}:{listener.port}")[:2] == client_hello
    assert _first_bytes(listener, f"{address}:{listener.port}", tls="off") == preface
    assert _first_bytes(listener, f"{address}:{listener.port}", tls=False) == preface


# -- the config file, profiles and precedence -----------------------------------------------------


def test_profiles_and_precedence(home: dict[str, str], gateway: GatewayThread) -> None:
    down = f"127.0.0.1:{closed_port()}"
    path = write_config(
        home,
        f'[default]\ntarget = "{down}"\n\n[profiles.local]\ntarget = "{gateway.target}"\n',
        mode=0o644,  # no token in it: others may read it
    )
    assert mcgw(home, "exists", ABSENT).returncode == 6  # [default]: the gateway that is down
    assert mcgw(home, "--profile", "local", "exists", ABSENT).stdout == "false\n"
    assert mcgw(home, "exists", ABSENT, "--profile", "local").stdout == "false\n"
    assert mcgw({**home, "MCGW_PROFILE": "local"}, "exists", ABSENT).stdout == "false\n"
    # The environment wins over the file, a flag over the environment.
    assert mcgw({**home, "MCGW_TARGET": gateway.target}, "exists", ABSENT).stdout == "false\n"
    flagged = mcgw({**home, "MCGW_TARGET": down}, "--target", gateway.target, "exists", ABSENT)
    assert flagged.stdout == "false\n"
    missing = mcgw(home, "--profile", "prod", "exists", ABSENT)
    assert missing.returncode == 2
    assert missing.stderr == f"mcgw: no profile 'prod' (--profile) in {path}; profiles: local\n"


def test_a_bad_target_in_the_file_names_the_file(home: dict[str, str]) -> None:
    path = write_config(home, '[default]\ntarget = "http://gw:1"\n')
    result = mcgw(home, "exists", ABSENT)
    assert result.returncode == 2
    assert result.stderr.startswith('mcgw: invalid target "http://gw:1": remove the scheme')
    assert result.stderr.endswith(f" (from {path} [default])\n")


def test_unknown_keys_and_conflicts_are_refused(home: dict[str, str]) -> None:
    path = write_config(home, '[default]\ntarget = "127.0.0.1:1"\ntokn = "x"\n')
    result = mcgw(home, "exists", ABSENT)
    assert result.returncode == 2
    assert result.stderr.startswith(f"mcgw: {path} [default]: unknown key 'tokn' (known: ")
    write_config(home, '[default]\nca_cert = "ca.pem"\ntls = "off"\n')
    conflict = mcgw(home, "exists", ABSENT)
    assert conflict.returncode == 2
    assert conflict.stderr == (
        f"mcgw: TLS is off ({path} [default]) but ca_cert ({path} [default]) needs TLS; drop one\n"
    )
    both = mcgw(home, "--tls", "off", "--ca-cert", "ca.pem", "exists", ABSENT)
    assert both.stderr == "mcgw: TLS is off (--tls) but ca_cert (--ca-cert) needs TLS; drop one\n"
    bad_mode = mcgw({**home, "MCGW_TLS": "yes"}, "exists", ABSENT)
    assert bad_mode.stderr == "mcgw: MCGW_TLS: unknown TLS mode 'yes'; use auto, on or off\n"


@pytest.fixture(scope="module")
def secured(emulator: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayThread]:
    tokens = tmp_path_factory.mktemp("tokens") / "tokens.json"
    tokens.write_text(json.dumps({"tokens": [{"name": "t", "token": "tk", "projects": ["*"]}]}))
    config = gateway_config_for(
        emulator,
        tokens_file=tokens,
    )
    with GatewayThread(config) as gw:
        yield gw


def test_a_token_in_the_file_must_be_private(home: dict[str, str], secured: GatewayThread) -> None:
    path = write_config(home, f'[default]\ntarget = "{secured.target}"\ntoken = "tk"\n', 0o644)
    refused = mcgw(home, "exists", ABSENT)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"mcgw: {path} holds a token but others may read it (mode 0644); run: chmod 600 {path}\n"
    )
    path.chmod(0o600)
    assert mcgw(home, "exists", ABSENT).stdout == "false\n"
    # A flag or the environment still wins over the file's token.
    assert mcgw(home, "--token", "wrong", "exists", ABSENT).returncode == 5
    assert mcgw({**home, "MCGW_TOKEN": "wrong"}, "exists", ABSENT).returncode == 5


def test_token_file(home: dict[str, str], secured: GatewayThread) -> None:
    token = Path(home["XDG_CONFIG_HOME"]) / "mcgw" / "token"
    write_config(home, f'[profiles.sec]\ntarget = "{secured.target}"\ntoken_file = "token"\n')
    token.write_text("tk\n", encoding="utf-8")
    token.chmod(0o640)
    refused = mcgw(home, "--profile", "sec", "exists", ABSENT)
    assert refused.returncode == 2 and "chmod 600" in refused.stderr
    token.chmod(0o600)
    assert mcgw(home, "--profile", "sec", "exists", ABSENT).stdout == "false\n"


def test_an_explicit_tls_off_ignores_a_ca_from_elsewhere(
    home: dict[str, str], gateway: GatewayThread, tmp_path: Path
) -> None:
    # As `off` in code does not read MCGW_CA_CERT: the person chose plaintext for this call.
    local = {**home, "MCGW_TARGET": gateway.target, "MCGW_CA_CERT": str(tmp_path / "ca.pem")}
    assert mcgw(local, "--tls", "off", "exists", ABSENT).stdout == "false\n"
    refused = mcgw({**local, "MCGW_TLS": "off"}, "exists", ABSENT)
    assert refused.returncode == 2 and "needs TLS; drop one" in refused.stderr


def test_gateway_from_config_reads_the_same_settings(
    tmp_path: Path, gateway: GatewayThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("MCGW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "mcgw").mkdir()
    (tmp_path / "mcgw" / "config.toml").write_text(
        f'[profiles.here]\ntarget = "{gateway.target}"\nproject = "demo"\n'
    )
    monkeypatch.setenv("MCGW_PROFILE", "here")
    with Gateway.from_config() as o:
        assert o.target == gateway.target and o.default_project == "demo"
        assert o.exist_instance(ABSENT) is False
    settings = load_settings({"target": "10.0.0.1:443"})
    assert (settings.target, settings.tls, settings.sources["target"]) == (
        "10.0.0.1:443",
        "auto",
        "--target",
    )
    monkeypatch.setenv("MCGW_TLS", "sometimes")
    with pytest.raises(InvalidSettings, match="unknown TLS mode 'sometimes'"):
        Gateway.from_config()


def test_gateway_without_arguments_connects_as_the_environment_says(
    gateway: GatewayThread, secured: GatewayThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("MCGW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MCGW_TARGET", secured.target)
    monkeypatch.setenv("MCGW_TOKEN", "tk")
    with Gateway() as o:  # MCGW_TARGET and MCGW_TOKEN
        assert o.target == secured.target and o.exist_instance(ABSENT) is False
    with Gateway(token="wrong") as o, pytest.raises(Unauthenticated):  # an argument wins
        o.exist_instance(ABSENT)
    with Gateway(gateway.target, token="") as o:  # "" asks for no token
        assert o.exist_instance(ABSENT) is False
    monkeypatch.setenv("MCGW_TARGET", "http://gw:1")
    with pytest.raises(InvalidTarget, match=r"\(from MCGW_TARGET\)$"):
        Gateway()
    monkeypatch.setenv("MCGW_TARGET", secured.target)
    monkeypatch.setenv("MCGW_TLS", "maybe")
    with pytest.raises(InvalidSettings, match="MCGW_TLS: unknown TLS mode 'maybe'"):
        Gateway()
    monkeypatch.setenv("MCGW_TLS", "off")
    monkeypatch.setenv("MCGW_CA_CERT", "/nonexistent/ca.pem")
    with pytest.raises(InvalidSettings, match="contradict each other"):
        Gateway()
    with Gateway(tls="off") as o:  # explicit plaintext does not read MCGW_CA_CERT
        assert o.exist_instance(ABSENT) is False


# -- JSON errors ----------------------------------------------------------------------------------


def test_errors_under_json_are_json_with_the_same_exit_codes(
    home: dict[str, str], gateway: GatewayThread
) -> None:
    local = {**home, "MCGW_TARGET": gateway.target}
    missing = mcgw(local, "--json", "get", ABSENT)
    assert missing.returncode == 3 and missing.stdout == ""
    error = json.loads(missing.stderr)
    assert set(error) == {"code", "reason", "message", "maxcompute_code", "request_id"}
    assert (error["code"], error["reason"], error["maxcompute_code"]) == (
        "NOT_FOUND",
        "INSTANCE_NOT_FOUND",
        "NoSuchObject",
    )
    assert error["request_id"] and ABSENT in error["message"]
    bad = mcgw(local, "get", "bad id!", "--json")
    assert bad.returncode == 4 and json.loads(bad.stderr)["code"] == "INVALID_ARGUMENT"
    usage = mcgw(local, "--json", "frobnicate")
    assert usage.returncode == 2
    assert json.loads(usage.stderr)["reason"] == "USAGE"
    down = mcgw({**home, "MCGW_TARGET": f"127.0.0.1:{closed_port()}"}, "--json", "ls")
    assert down.returncode == 6 and json.loads(down.stderr)["code"] == "UNAVAILABLE"


# -- shell completion -----------------------------------------------------------------------------


def test_bash_completion_completes_commands_and_options(
    home: dict[str, str], tmp_path: Path
) -> None:
    script = mcgw(home, "completion", "bash")
    assert script.returncode == 0 and "_shtab_mcgw" in script.stdout
    path = tmp_path / "mcgw.bash"
    path.write_text(script.stdout, encoding="utf-8")

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        program = (
            f"source {path}\nCOMP_WORDS=({line})\nCOMP_CWORD={len(words) - 1}\n"
            f"COMP_LINE='{line}'\nCOMP_POINT={len(line)}\n_shtab_mcgw\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n'
        )
        done = subprocess.run(
            ["bash", "-c", program], capture_output=True, text=True, timeout=30, check=True
        )
        return done.stdout.split()

    assert {"wait", "watch"} <= set(complete("mcgw wa"))
    assert "--reconnect-for" in complete("mcgw watch --rec")
    assert {"bash", "zsh", "fish"} <= set(complete("mcgw completion "))


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_completion_scripts(home: dict[str, str], shell: str) -> None:
    script = mcgw(home, "completion", shell)
    assert script.returncode == 0
    assert ("#compdef mcgw" if shell == "zsh" else "complete -c mcgw") in script.stdout
    if shutil.which(shell):
        check = ["zsh", "-n"] if shell == "zsh" else ["fish", "--no-execute"]
        subprocess.run([*check], input=script.stdout, text=True, check=True, timeout=30)
