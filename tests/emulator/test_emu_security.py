"""The emulator as a trust boundary: sandboxed SQL, private accounts and files, signed admin
requests, a Date check, project-bound logview tokens, a CLI that never prints its secret, and
results that stay well-formed XML whatever they hold."""

from __future__ import annotations

import email.utils
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
import requests
from emu_helpers import SignedClient, error_code, make_odps, wait_until
from google.protobuf.duration_pb2 import Duration
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc
from mcemulator import DURATION_HINT, Account, Emulator, EmulatorConfig, FaultRule, datadir
from mcemulator.admin_client import AdminClient, AdminError, admin_headers
from mcemulator.cli import add_arguments, config_from
from mcemulator.signing import sign_headers
from mcgateway.cli import _banner
from mcgateway.config import GatewayConfig
from mcgateway.maxcompute import ClientConfig, Credentials, MaxComputeClient, PollPolicy
from mcgateway.testing import GatewayThread
from odps import ODPS

pb = instance_service_pb2
State = instance_pb2.Instance.State
TaskState = instance_pb2.Task.State
PUBLISHED_PAIR = ("mcemulator-demo", "mcemulator-demo-secret")
DENIED = "not allowed: SQL in the emulator has no access to files"


def _run(client: SignedClient, query: str) -> tuple[str, str]:
    """Run ``query`` to the end through the REST API: (task status, task result text)."""
    iid = client.create_sql(query, settings=json.dumps({DURATION_HINT: "0.02"}))

    def terminated() -> bool:
        doc = ET.fromstring(client.get(f"/projects/demo/instances/{iid}").content)
        return doc.findtext("Status") == "Terminated"

    wait_until(terminated)
    status = ET.fromstring(client.get(f"/projects/demo/instances/{iid}?taskstatus").content)
    result = ET.fromstring(client.get(f"/projects/demo/instances/{iid}?result").content)
    return status.findtext("Tasks/Task/Status") or "", result.findtext("Tasks/Task/Result") or ""


def _denied(client: SignedClient, query: str) -> str:
    status, message = _run(client, query)
    assert status == "Failed", (query, message)
    assert message.startswith("ODPS-0130071:"), message
    assert DENIED in message, message
    return message


# -- 1. embedded SQL has no access to the host --------------------------------------------


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "host-secret.csv"
    path.write_text("token\ns3cr3t-on-the-host\n")
    return path


def test_sql_cannot_read_host_files(client: SignedClient, secret_file: Path) -> None:
    message = _denied(client, "select * from read_text('/proc/self/environ')")
    assert "file system operations are disabled" in message
    for query in (
        f"select * from read_text('{secret_file}')",
        f"select * from read_csv('{secret_file}')",
        f"select * from '{secret_file}'",
        f"select * from read_blob('{secret_file}')",
    ):
        assert "s3cr3t" not in _denied(client, query)


def test_sql_cannot_list_directories(client: SignedClient) -> None:
    _denied(client, "select * from glob('/*')")


def test_sql_cannot_write_files(client: SignedClient, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    _denied(client, f"copy (select 1 as a) to '{target}'")
    _denied(client, f"copy pyodps_iris to '{target}' (format csv)")
    _denied(client, f"export database '{tmp_path / 'export'}'")
    assert not target.exists() and not (tmp_path / "export").exists()


def test_sql_cannot_attach_databases(client: SignedClient, tmp_path: Path) -> None:
    target = tmp_path / "other.duckdb"
    _denied(client, f"attach '{target}' as other")
    _denied(client, f"select 1; attach '{target}' as other")
    assert not target.exists()


def test_sql_cannot_install_or_load_extensions(client: SignedClient) -> None:
    _denied(client, "install httpfs")
    _denied(client, "load httpfs")
    _denied(client, "select * from read_parquet('https://example.com/x.parquet')")


def test_sql_cannot_unlock_the_engine(client: SignedClient, secret_file: Path) -> None:
    message = _denied(client, "set enable_external_access=true")
    assert "configuration has been locked" in message
    _denied(client, "set lock_configuration=false")
    _denied(client, "reset enable_external_access")
    _denied(client, f"set enable_external_access=true; select * from read_text('{secret_file}')")
    status, text = _run(
        client, "select value from duckdb_settings() where name = 'enable_external_access'"
    )
    assert (status, text) == ("Success", '"value"\n"false"\n')


def test_ordinary_sql_still_works(client: SignedClient, odps: ODPS) -> None:
    assert _run(client, "select count(*) from pyodps_iris") == ("Success", '"_c0"\n150\n')
    # Hints and MaxCompute flags are still `set` statements that simply vanish.
    assert _run(client, "set odps.sql.allow.fullscan=true; select 1 as a")[0] == "Success"
    inst = odps.run_sql(
        "select name, count(*) as n from pyodps_iris group by name order by name",
        hints={DURATION_HINT: "0.02"},
    )
    inst.wait_for_success(interval=0.05)
    assert inst.get_task_result().splitlines()[1] == '"Iris-setosa",50'


def test_gateway_submit_of_a_host_file_read_fails_with_the_reason(
    gateway: GatewayThread,
) -> None:
    with grpc.insecure_channel(gateway.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        submitted = stub.SubmitSql(
            pb.SubmitSqlRequest(
                job=instance_pb2.SqlJob(
                    query="select * from read_text('/proc/self/environ')",
                    hints={DURATION_HINT: "0.02"},
                )
            ),
            timeout=30,
        ).instance
        deadline = time.monotonic() + 60
        while True:
            instance = stub.WaitInstance(
                pb.WaitInstanceRequest(
                    instance_id=submitted.instance_id, timeout=Duration(seconds=10)
                ),
                timeout=20,
            ).instance
            if instance.state == State.TERMINATED:
                break
            assert time.monotonic() < deadline
    assert instance.HasField("successful") and not instance.successful
    assert instance.tasks[0].state == TaskState.FAILED
    assert instance.failure_message.startswith("ODPS-0130071:")
    assert DENIED in instance.failure_message
    assert "/proc/self/environ" in instance.failure_message
    assert "PATH=" not in instance.failure_message


# -- 2. the account is generated per data dir ---------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_account_is_generated_once_per_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Emulator(EmulatorConfig(data_dir=data)) as emu:
        first = (emu.access_id, emu.access_key)
        assert first != PUBLISHED_PAIR and emu.account_file == data / "account.json"
        assert _mode(data / "account.json") == 0o600
        assert datadir.read_account(data) == first
        assert SignedClient(emu).get("/projects/demo/instances").status_code == 200
        stranger = SignedClient(emu, *PUBLISHED_PAIR).get("/projects/demo/instances")
        assert stranger.status_code == 401 and error_code(stranger) == "InvalidParameter"
    with Emulator(EmulatorConfig(data_dir=data)) as emu:
        assert (emu.access_id, emu.access_key) == first  # reused on a later start
    with Emulator(EmulatorConfig(data_dir=tmp_path / "elsewhere")) as emu:
        assert emu.access_id != first[0] and emu.access_key != first[1]


def test_explicit_accounts_still_work_and_write_no_account_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    accounts = {"tester": Account("tester-key")}
    with Emulator(EmulatorConfig(data_dir=data, accounts=accounts)) as emu:
        assert (emu.access_id, emu.access_key) == ("tester", "tester-key")
        assert emu.account_file is None
        assert SignedClient(emu).get("/projects/demo/instances").status_code == 200
        inst = make_odps(emu).run_sql("select 1", hints={DURATION_HINT: "0.02"})
        inst.wait_for_success(interval=0.05)
        assert inst.owner == "ALIYUN$tester"
    assert not (data / "account.json").exists()


def test_gateway_embedded_emulator_uses_a_private_account(tmp_path: Path) -> None:
    config = GatewayConfig(listen="127.0.0.1:0", data_dir=tmp_path / "gw")
    with GatewayThread(config) as gw:
        emu = gw.server.emulator
        assert emu is not None
        account = tmp_path / "gw" / "emulator" / "account.json"
        assert emu.account_file == account and _mode(account) == 0o600
        assert _mode(tmp_path / "gw" / "emulator") == 0o700
        assert (emu.access_id, emu.access_key) != PUBLISHED_PAIR
        assert datadir.read_account(account.parent) == (emu.access_id, emu.access_key)
        out = io.StringIO()
        _banner(gw.server, out)
        banner = out.getvalue()
        assert emu.endpoint in banner and emu.access_id in banner and str(account) in banner
        assert emu.access_key not in banner
        first = (emu.access_id, emu.access_key)
        with grpc.insecure_channel(gw.target) as channel:
            stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
            stub.ListInstances(pb.ListInstancesRequest(), timeout=30)
    with GatewayThread(config) as gw:
        emu = gw.server.emulator
        assert emu is not None and (emu.access_id, emu.access_key) == first


# -- 3. admin endpoints: off by default, signed when on --------------------------------------


def test_admin_endpoints_are_off_by_default(emulator: Emulator) -> None:
    base = f"http://127.0.0.1:{emulator.port}/_emulator"
    assert requests.get(base + "/faults", timeout=10).status_code == 404
    rule = {"error_rate": 1.0}
    assert requests.post(base + "/faults", json=rule, timeout=10).status_code == 404
    with pytest.raises(AdminError) as info:
        emulator.admin_client().set_faults(FaultRule(error_rate=1.0))
    assert info.value.status == 404
    assert emulator.faults.rules == ()
    assert SignedClient(emulator).get("/tenants").status_code == 200


def test_admin_endpoints_require_the_accounts_signature(
    private_emulator: Callable[..., Emulator],
) -> None:
    emu = private_emulator(admin=True)
    base = f"http://127.0.0.1:{emu.port}/_emulator"
    body = json.dumps({"error_rate": 1.0}).encode()
    for method, path in (("GET", "/faults"), ("POST", "/faults"), ("DELETE", "/faults")):
        assert requests.request(method, base + path, data=body, timeout=10).status_code == 401
    assert requests.get(base + "/requests", timeout=10).status_code == 401
    resp = requests.post(base + "/projects/demo/instances/x/suspend", timeout=10)
    assert resp.status_code == 401
    with pytest.raises(AdminError) as info:  # wrong secret
        AdminClient(f"http://127.0.0.1:{emu.port}", emu.access_id, "wrong").faults()
    assert info.value.status == 401
    with pytest.raises(AdminError) as info:  # the published pair is nobody
        AdminClient(f"http://127.0.0.1:{emu.port}", *PUBLISHED_PAIR).faults()
    assert info.value.status == 401
    # A signed request whose body was swapped: the Content-MD5 no longer matches.
    headers = admin_headers("POST", "/faults", b"{}", emu.access_id, emu.access_key)
    swapped = requests.post(base + "/faults", data=body, headers=headers, timeout=10)
    assert swapped.status_code == 400
    headers = admin_headers("POST", "/faults", None, emu.access_id, emu.access_key)
    unsummed = requests.post(base + "/faults", data=body, headers=headers, timeout=10)
    assert unsummed.status_code == 400
    assert emu.faults.rules == ()
    # A bearer (logview) token is no admin credential.
    bearer = requests.get(base + "/faults", headers={"x-odps-bearer-token": "x.y"}, timeout=10)
    assert bearer.status_code == 401
    admin = emu.admin_client()
    assert admin.set_faults(FaultRule(operations=frozenset({"tenants"}), error_rate=1.0))
    assert SignedClient(emu).get("/tenants").status_code >= 500
    assert admin.clear_faults() == []
    with pytest.raises(AdminError) as info:
        admin.suspend("nosuchproject", "x")
    assert info.value.status == 404


def test_admin_requests_are_date_checked(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(admin=True)
    stale = email.utils.formatdate(time.time() - 1200, usegmt=True)
    headers = sign_headers(
        "GET", "/_emulator/faults", {"Date": stale}, emu.access_id, emu.access_key
    )
    resp = requests.get(f"http://127.0.0.1:{emu.port}/_emulator/faults", headers=headers)
    assert resp.status_code == 403 and resp.json()["error"] == "RequestTimeTooSkewd"


# -- 4. the Date check is on by default -----------------------------------------------------


def test_stale_dates_are_refused_by_default(client: SignedClient) -> None:
    def at(offset: float) -> requests.Response:
        date = email.utils.formatdate(time.time() + offset, usegmt=True)
        return client.get("/projects/demo/instances", headers={"Date": date})

    for offset in (-20 * 60, 20 * 60):
        refused = at(offset)
        assert refused.status_code == 403 and error_code(refused) == "RequestTimeTooSkewd"
        message = ET.fromstring(refused.content).findtext("Message") or ""
        assert message.startswith("ODPS-0410031:") and "max_interval_date:900000" in message
    assert at(-60).status_code == 200
    assert at(60).status_code == 200


# -- 5. logview tokens stay within the route's project ----------------------------------------


def _sign_token(client: SignedClient, project: str, resource: object) -> requests.Response:
    body = json.dumps(
        {
            "expires_in_hours": 1,
            "policy": {
                "Statement": [{"Action": ["odps:Read"], "Effect": "Allow", "Resource": resource}],
                "Version": "1",
            },
        }
    )
    return client.request(
        "POST",
        f"/projects/{project}/authorization?sign_bearer_token",
        body=body,
        headers={"Content-Type": "application/json"},
    )


def test_logview_policy_must_name_the_routes_project(
    private_emulator: Callable[..., Emulator],
) -> None:
    emu = private_emulator(extra_projects=("other",))
    client = SignedClient(emu)
    theirs = client.create_sql("select 1;", project="other")
    for resource in (
        f"acs:odps:*:projects/other/instances/{theirs}",
        "acs:odps:*:projects/other",
        "acs:odps:*:projects/*",
        "acs:odps:*:projects/de*",
        "acs:odps:*:projects/demo2/instances/x",
        "*",
        ["acs:odps:*:projects/demo/*", "acs:odps:*:projects/other/*"],
    ):
        refused = _sign_token(client, "demo", resource)
        assert refused.status_code == 403, resource
        assert error_code(refused) == "NoPermission"
    ours = client.create_sql("select 1;")
    granted = _sign_token(client, "demo", f"acs:odps:*:projects/demo/instances/{ours}")
    assert granted.status_code == 200
    token = ET.fromstring(granted.content).findtext("Result") or ""
    bearer = {"x-odps-bearer-token": token}
    assert client.get(f"/projects/demo/instances/{ours}", sign=False, headers=bearer).ok
    other = client.get(f"/projects/other/instances/{theirs}", sign=False, headers=bearer)
    assert other.status_code == 403
    assert _sign_token(client, "other", "acs:odps:*:projects/other/*").status_code == 200
    # PyODPS's own logview request names the instance's project: still served.
    o = make_odps(emu)
    inst = o.run_sql("select 1", hints={DURATION_HINT: "0.02"})
    assert "token=" in inst.get_logview_address()


# -- 6. data dir permissions ------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_data_dir_and_files_are_private(tmp_path: Path, umask_022: None) -> None:
    data = tmp_path / "nested" / "data"
    with Emulator(EmulatorConfig(data_dir=data)) as emu:
        o = make_odps(emu)
        o.execute_sql("create table perms as select 1 as a", hints={DURATION_HINT: "0.02"})
        assert _mode(data) == 0o700
        for name in ("account.json", "instances.sqlite", "warehouse.duckdb"):
            assert _mode(data / name) == 0o600, name
        for name in ("instances.sqlite-wal", "instances.sqlite-shm"):
            assert (data / name).exists() and _mode(data / name) == 0o600, name
    # A data dir left open by an older version is tightened on the next start.
    os.chmod(data, 0o755)
    for path in data.iterdir():
        os.chmod(path, 0o644)
    with Emulator(EmulatorConfig(data_dir=data)) as emu:
        assert SignedClient(emu).get("/projects/demo/instances").status_code == 200
        assert _mode(data) == 0o700
        for name in ("account.json", "instances.sqlite", "warehouse.duckdb"):
            assert _mode(data / name) == 0o600, name


def test_a_shared_directory_is_not_taken_over(tmp_path: Path, umask_022: None) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    (shared / "someone-elses.txt").write_text("x")
    datadir.prepare(shared)
    assert _mode(shared) == 0o755  # not ours: left alone (a warning is logged)


# -- 7. the CLI takes its secret from a file or the environment and never prints it ----------


def _cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mcemulator", "--listen", "127.0.0.1:0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        cwd=tmp_path,
        umask=0o022,
    )


def _serve_and_stop(
    proc: subprocess.Popen[str], credentials: Callable[[], tuple[str, str]]
) -> tuple[dict[str, str], str]:
    """Read the banner, make one request signed with ``credentials()``, SIGTERM; returns the
    banner and everything the process wrote."""
    banner: dict[str, str] = {}
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            name, _, value = line.strip().partition(": ")
            banner[name] = value
            if name == "data dir":
                break
        port = int(banner["endpoint"].rsplit(":", 1)[1].split("/")[0])
        access_id, key = credentials()
        remote = type("Remote", (), {"port": port, "access_id": access_id, "access_key": key})
        client = SignedClient(remote())  # type: ignore[arg-type]
        assert client.get("/projects/demo/instances").status_code == 200
        client.session.close()
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"no exit after SIGTERM; stderr: {err}") from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    return banner, "".join(lines) + out + err


def test_cli_key_from_environment_is_not_printed(tmp_path: Path) -> None:
    key = "env-secret-1234567890"
    proc = _cli(
        tmp_path,
        *("--data-dir", str(tmp_path / "data"), "--access-id", "envid"),
        env={"MCEMULATOR_ACCESS_KEY": key},
    )
    banner, output = _serve_and_stop(proc, lambda: ("envid", key))
    assert banner["access id"] == "envid"
    assert banner["access key"] == "from $MCEMULATOR_ACCESS_KEY"
    assert key not in output
    assert not (tmp_path / "data" / "account.json").exists()


def test_cli_key_from_file_is_not_printed(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("file-secret-0987654321\n")
    proc = _cli(
        tmp_path,
        *("--data-dir", str(tmp_path / "data"), "--access-id", "fileid"),
        *("--access-key-file", str(key_file)),
        env={"MCEMULATOR_ACCESS_KEY": "ignored-when-a-file-is-given"},
    )
    banner, output = _serve_and_stop(proc, lambda: ("fileid", "file-secret-0987654321"))
    assert banner["access key"] == f"from --access-key-file {key_file}"
    assert "file-secret-0987654321" not in output


def test_cli_generated_key_is_not_printed_and_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _cli(tmp_path, "--data-dir", str(data))
    # The account exists once the banner is out; read it as a client would.
    banner, output = _serve_and_stop(proc, lambda: datadir.read_account(data))
    access_id, key = datadir.read_account(data)
    assert banner["access id"] == access_id
    assert str(data / "account.json") in banner["access key"]
    assert key not in output and "mcemulator-demo" not in output
    assert _mode(data) == 0o700
    for path in data.iterdir():  # even DuckDB's own files: the CLI's umask is 077
        assert _mode(path) & 0o077 == 0, path


def test_cli_refuses_incomplete_credentials(tmp_path: Path) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    key_file = tmp_path / "key"
    key_file.write_text("k\n")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    for argv, env in (
        (["--access-id", "x"], {}),
        (["--access-key-file", str(key_file)], {}),
        (["--access-key", "k"], {}),
        (["--access-id", "x", "--access-key", "k", "--access-key-file", str(key_file)], {}),
        (["--access-id", "x", "--access-key-file", str(empty)], {}),
        (["--access-id", "x", "--access-key-file", str(tmp_path / "missing")], {}),
    ):
        with pytest.raises(SystemExit):
            config_from(parser.parse_args(argv), env)
    config = config_from(parser.parse_args(["--access-id", "x"]), {"MCEMULATOR_ACCESS_KEY": "k"})
    assert config.accounts == {"x": Account("k")}
    config = config_from(
        parser.parse_args(["--access-id", "x", "--access-key-file", str(key_file)])
    )
    assert config.accounts == {"x": Account("k")}
    assert config_from(parser.parse_args([]), {"MCEMULATOR_ACCESS_KEY": "k"}).accounts is None


# -- 8. results with characters XML cannot carry -----------------------------------------------


@pytest.fixture
def rest_client(emulator: Emulator) -> Iterator[MaxComputeClient]:
    config = ClientConfig(
        endpoint=emulator.endpoint,
        credentials=Credentials(emulator.access_id, emulator.access_key),
        default_project=emulator.project,
        poll=PollPolicy(initial_interval=0.05, max_interval=0.2),
    )
    with MaxComputeClient(config) as c:
        yield c


def _result_of(rest_client: MaxComputeClient, query: str) -> str:
    created = rest_client.create_sql_instance("demo", query, hints={DURATION_HINT: "0.02"})
    rest_client.wait_instance("demo", created.instance_id, wait=20)
    (result,) = rest_client.get_task_results("demo", created.instance_id)
    return result.content


def test_nul_in_a_result_reaches_the_rest_client(
    rest_client: MaxComputeClient, client: SignedClient
) -> None:
    content = _result_of(rest_client, "select chr(0) || 'x' as s, chr(7) as bell, 'plain' as p")
    assert content == '"s","bell","p"\n"\x00x","\x07","plain"\n'
    created = rest_client.create_sql_instance(
        "demo", "select chr(0) as s", hints={DURATION_HINT: "0.02"}
    )
    rest_client.wait_instance("demo", created.instance_id, wait=20)
    raw = client.get(f"/projects/demo/instances/{created.instance_id}?result")
    node = ET.fromstring(raw.content).find("Tasks/Task/Result")  # well-formed XML
    assert node is not None and node.get("Transform") == "Base64" and node.get("Format") == "csv"


def test_carriage_returns_and_markup_survive(rest_client: MaxComputeClient) -> None:
    content = _result_of(rest_client, "select 'a' || chr(13) || chr(10) || '<b>&]]>' as s")
    assert content == '"s"\n"a\r\n<b>&]]>"\n'


def test_failure_messages_with_control_characters_stay_readable(
    rest_client: MaxComputeClient,
) -> None:
    content = _result_of(rest_client, "select error(chr(1) || 'z' || chr(27))")
    assert content.startswith("ODPS-") and "\x01z\x1b" in content


def test_nul_result_through_pyodps_and_the_gateway(
    emulator: Emulator, gateway: GatewayThread
) -> None:
    o = make_odps(emulator)
    inst = o.run_sql("select chr(0) || 'x' as s", hints={DURATION_HINT: "0.02"})
    inst.wait_for_success(interval=0.05)
    assert inst.get_task_result() == '"s"\n"\x00x"\n'
    with grpc.insecure_channel(gateway.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        result = stub.GetTaskResult(
            pb.GetTaskResultRequest(instance_id=inst.id, task_name="AnonymousSQLTask"),
            timeout=30,
        )
    assert result.content == '"s"\n"\x00x"\n'
