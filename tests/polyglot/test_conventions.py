"""The conventions of clients/README.md as a user of the Go, Java and Node example programs meets
them: the same settings refused with the same messages, and the same lines printed.

- A target with a scheme, without a port, an unbracketed IPv6 address... (every row of the
  README's target table): each example exits 2 before dialling, printing `error: ` and the
  documented message, and nothing else.
- A bad `MCGW_TLS`, or a CA with `MCGW_TLS=off`: exit 2, with the same line in each language.
- Watching one finished instance after listing the newest instances, the three programs print
  exactly the same lines: the listing newest first (as the gateway's own data sorted by start
  time says), the event lines with the proto value names, the outcome; a missing instance gives
  the same error line on stderr.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc

from .harness import CLIENTS, Gateway
from .watchers import Example, example_commands

CONVENTIONS = CLIENTS / "README.md"
_ROW = re.compile(r"^\| (`[^|]+`) \| `(invalid target [^|]+)` \|$")
_EVENT = re.compile(
    r"^#\d+ (SNAPSHOT|STATE_CHANGED|TASK_STATE_CHANGED|PROGRESS|HEARTBEAT|TERMINAL) "
    r"(RUNNING|SUSPENDED|TERMINATED)(  \[.*\])?$"
)


def _target_rows() -> list[tuple[list[str], str]]:
    """The target table of clients/README.md: the given values and the first one's message."""
    rows = []
    for line in CONVENTIONS.read_text().splitlines():
        if m := _ROW.match(line):
            rows.append((re.findall(r"`([^`]+)`", m.group(1)), m.group(2)))
    assert len(rows) >= 6, f"{CONVENTIONS} lost its target table"
    return rows


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
    return {**env, **extra}


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def test_examples_refuse_bad_targets_with_the_documented_messages(
    language: str, example: Callable[[str], Example]
) -> None:
    command, cwd = example("")
    for given, message in _target_rows():
        for i, target in enumerate(given):
            result = _run(command, cwd, _clean_env(MCGW_TARGET=target))
            what = f"{language} with MCGW_TARGET={target!r}"
            assert result.returncode == 2, f"{what}:\n{_output(result)}"
            assert "invalid target" in result.stderr, f"{language}:\n{_output(result)}"
            if i == 0:
                assert result.stderr.splitlines() == [f"error: {message}"], (
                    f"{what} does not say\nerror: {message}\n{_output(result)}"
                )


def test_examples_refuse_bad_tls_settings_alike(
    language: str, example: Callable[[str], Example], tmp_path: Path
) -> None:
    command, cwd = example("")
    cases = [
        ({"MCGW_TLS": "maybe"}, 'MCGW_TLS="maybe": want auto, on or off'),
        (
            {"MCGW_TLS": "off", "MCGW_CA_CERT": str(tmp_path / "ca.pem")},
            "a CA certificate (MCGW_CA_CERT) means TLS, but TLS is off (MCGW_TLS=off)",
        ),
    ]
    for settings, message in cases:
        result = _run(command, cwd, _clean_env(MCGW_TARGET="127.0.0.1:1", **settings))
        assert result.returncode == 2, f"{language} with {settings}:\n{_output(result)}"
        assert result.stderr.splitlines() == [f"error: {message}"], (
            f"{language} with {settings}:\n{_output(result)}"
        )


def _newest(stub: instance_service_pb2_grpc.InstanceServiceStub, count: int) -> list[str]:
    """The ids of the `count` newest instances, by the clients' rule: every page, then start
    time and id, descending."""
    instances: list[instance_pb2.Instance] = []
    request = instance_service_pb2.ListInstancesRequest(page_size=1000)
    while True:
        page = stub.ListInstances(request, timeout=30)
        instances.extend(page.instances)
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    instances.sort(
        key=lambda i: (i.start_time.seconds, i.start_time.nanos, i.instance_id), reverse=True
    )
    return [i.instance_id for i in instances[:count]]


@pytest.mark.java
@pytest.mark.usefixtures("java_client", "node_client")
def test_examples_print_the_same_lines(gateway: Gateway, go_example: Path) -> None:
    with grpc.insecure_channel(gateway.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        ids = []
        for _ in range(7):  # more than the listing shows, so oldest-first would show others
            ids.append(
                stub.SubmitSql(
                    instance_service_pb2.SubmitSqlRequest(
                        job=instance_pb2.SqlJob(
                            query="select * from pyodps_iris limit 1",
                            hints={"mcemulator.duration_seconds": "0"},
                        ),
                        request_id=str(uuid.uuid4()),
                    ),
                    timeout=30,
                ).instance.instance_id
            )
        for iid in ids:
            while True:
                waited = stub.WaitInstance(
                    instance_service_pb2.WaitInstanceRequest(instance_id=iid), timeout=60
                ).instance
                if waited.state == instance_pb2.Instance.TERMINATED:
                    break
        watched = ids[0]
        newest = _newest(stub, 5)

    outputs: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    env = {**gateway.env(), "MCGW_LIMIT": "5"}
    for name, (command, cwd) in example_commands(go_example, watched).items():
        if name == "go":
            command = [command[0], "-watch", watched]  # the listing's length from MCGW_LIMIT
        result = _run(command, cwd, env)
        assert result.returncode == 0, f"{name}:\n{_output(result)}"
        outputs[name] = result.stdout.splitlines()
        missing = [c if c != watched else "20000101000000000nosuchcv1" for c in command]
        result = _run(missing, cwd, {**env, "MCGW_LIMIT": "0"})
        assert result.returncode == 1, f"{name} watching a missing instance:\n{_output(result)}"
        errors[name] = result.stderr.splitlines()

    go = outputs["go"]
    assert outputs["java"] == go and outputs["node"] == go, f"the examples differ: {outputs}"
    listed = [line.split()[0] for line in go[:5]]
    assert listed == newest, f"listed {listed}, the newest are {newest}"
    assert all(re.fullmatch(r"\S+  TERMINATED  \S+", line) for line in go[:5]), go
    events = go[5:-1]
    assert events and all(_EVENT.match(line) for line in events), go
    assert events[-1].split()[1] == "TERMINAL", go
    assert go[-1] == f"{watched} succeeded", go

    assert errors["java"] == errors["go"] and errors["node"] == errors["go"], errors
    assert errors["go"][0].startswith("error: NOT_FOUND (INSTANCE_NOT_FOUND, MaxCompute NoSuch"), (
        errors
    )
