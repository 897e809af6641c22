"""The real ``mcgw`` executable against the embedded gateway: exact output and exit codes.

Output goes to pipes (not a terminal), so it must be plain text without control codes, even
with FORCE_COLOR set.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcgateway.testing import GatewayThread
from mcgateway_client import Gateway, Instance
from mcgateway_client._cli_render import format_time, stage_summary

MCGW = str(Path(sys.executable).parent / "mcgw")
ABSENT = "20990101000000000absent001"
GROUPED = "select name, count(*) as n from pyodps_iris group by name order by name"


@pytest.fixture(scope="module")
def env(gateway: GatewayThread) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
    environ.update(MCGW_TARGET=gateway.target, FORCE_COLOR="1", COLUMNS="200")
    return environ


@pytest.fixture(scope="module")
def o(gateway: GatewayThread) -> Iterator[Gateway]:
    with Gateway(gateway.target) as client:
        yield client


@pytest.fixture(scope="module")
def done(o: Gateway) -> Instance:
    return o.execute_sql(GROUPED)


def mcgw(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [MCGW, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr, "control codes in output"
    return result


def test_help_documents_the_exit_codes(env: dict[str, str]) -> None:
    result = mcgw(env, "--help")
    assert result.returncode == 0
    assert "exit status:" in result.stdout
    assert "130  interrupted" in result.stdout


def test_usage_error_exits_2(env: dict[str, str]) -> None:
    result = mcgw(env, "frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_sql_wait_prints_the_result_table(env: dict[str, str]) -> None:
    result = mcgw(env, "sql", GROUPED, "--wait")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "name             n\nIris-setosa      50\nIris-versicolor  50\nIris-virginica   50\n"
    )
    assert re.fullmatch(r"instance \w+\n", result.stderr)


def test_sql_wait_json(env: dict[str, str]) -> None:
    result = mcgw(env, "--json", "sql", "select count(*) as n from pyodps_iris", "--wait")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["results"] == {"AnonymousSQLTask": '"n"\n150\n'}
    assert data["instance"]["status"] == "Terminated" and data["instance"]["successful"] is True


def test_sql_from_stdin_and_from_a_file(env: dict[str, str], tmp_path: Path) -> None:
    query = "select count(*) as n from pyodps_iris"
    piped = subprocess.run(
        [MCGW, "sql", "-", "--wait"],
        input=query,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == "n\n150\n"  # the SQL, not a literal '-', was submitted
    script = tmp_path / "count.sql"
    script.write_text(query + "\n", encoding="utf-8")
    from_file = mcgw(env, "sql", "-f", str(script), "--wait")
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout == piped.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sql",), "give the SQL text"),
        (("sql", "select 1", "-f", "x.sql"), "not both"),
        (("sql", "-f", "/nonexistent/x.sql"), "cannot read /nonexistent/x.sql"),
        (("sql", "   "), "empty"),
    ],
)
def test_sql_text_mistakes_are_usage_errors(
    env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    result = mcgw(env, *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_sql_without_wait_prints_the_id(env: dict[str, str], o: Gateway) -> None:
    result = mcgw(env, "sql", "select 1", "--hint", "mcemulator.duration_seconds=0.1")
    assert result.returncode == 0
    instance_id = result.stdout.strip()
    assert result.stdout == instance_id + "\n"
    assert o.exist_instance(instance_id)


def test_sql_failure_exits_1(env: dict[str, str]) -> None:
    result = mcgw(env, "sql", "select * from no_such_table_anywhere", "--wait")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"instance \w+", lines[0])
    assert re.fullmatch(r"\w+ failed: .*no_such_table_anywhere.*", lines[1])


def test_get_plain_and_json(env: dict[str, str], done: Instance) -> None:
    state = done.state
    result = mcgw(env, "get", done.id)
    assert result.returncode == 0
    assert result.stdout == (
        f"id:         {done.id}\n"
        "project:    demo\n"
        "status:     Terminated\n"
        "successful: yes\n"
        f"owner:      {state.owner}\n"
        f"start_time: {format_time(state.start_time)}\n"
        f"end_time:   {format_time(state.end_time)}\n"
        f"priority:   {'-' if state.priority is None else state.priority}\n"
        "tasks:\n"
        "  AnonymousSQLTask  SQL  Success\n"
    )
    data = json.loads(mcgw(env, "get", done.id, "--json").stdout)
    assert data["id"] == done.id and data["tasks"][0]["status"] == "Success"
    assert data["status"] == "Terminated" and data["successful"] is True


def test_exists(env: dict[str, str], done: Instance) -> None:
    present = mcgw(env, "exists", done.id)
    assert (present.returncode, present.stdout) == (0, "true\n")
    absent = mcgw(env, "exists", ABSENT)
    assert (absent.returncode, absent.stdout) == (1, "false\n")
    as_json = mcgw(env, "exists", ABSENT, "--json")
    assert json.loads(as_json.stdout) == {"id": ABSENT, "exists": False}


def test_ls(env: dict[str, str], done: Instance) -> None:
    result = mcgw(env, "ls", "--status", "terminated", "--limit", "0")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"ID\s+STATUS\s+START_TIME\s+END_TIME\s+OWNER", lines[0])
    row = next(line for line in lines if line.startswith(done.id))
    assert row.split() == [
        done.id,
        "Terminated",
        format_time(done.state.start_time),
        format_time(done.state.end_time),
        done.state.owner,
    ]
    listed = json.loads(mcgw(env, "ls", "--json", "--since", "1d", "--limit", "0").stdout)
    row = next(i for i in listed if i["id"] == done.id)
    # A listing does not say whether an instance succeeded: null (unknown), not false.
    assert (row["status"], row["successful"], row["tasks"]) == ("Terminated", None, [])
    assert json.loads(mcgw(env, "ls", "--json", "--since", "2h", "--until", "1h").stdout) == []


def test_tasks_result_progress_logview(env: dict[str, str], done: Instance) -> None:
    task = done.get_task_statuses()["AnonymousSQLTask"]
    tasks = mcgw(env, "tasks", done.id)
    start, end = format_time(task.start_time), format_time(task.end_time)
    assert tasks.stdout == (
        "NAME              TYPE  STATUS   START_TIME            END_TIME\n"
        f"AnonymousSQLTask  SQL   Success  {start}  {end}\n"
    )
    csv = '"name","n"\n"Iris-setosa",50\n"Iris-versicolor",50\n"Iris-virginica",50\n'
    assert mcgw(env, "result", done.id).stdout == csv
    assert mcgw(env, "result", done.id, "AnonymousSQLTask").stdout == csv
    assert json.loads(mcgw(env, "result", done.id, "--json").stdout) == {"AnonymousSQLTask": csv}
    assert mcgw(env, "result", done.id, "--table").stdout.splitlines()[0] == "name             n"
    stages = done.get_task_progress("AnonymousSQLTask").stages
    expected = "AnonymousSQLTask " + " ".join(stage_summary(s) for s in stages) + "\n"
    assert mcgw(env, "progress", done.id).stdout == expected
    logview = mcgw(env, "logview", done.id, "--hours", "2")
    assert re.fullmatch(rf"http://\S+&i={done.id}&token=\S+\n", logview.stdout)


def test_wait(env: dict[str, str], o: Gateway, done: Instance) -> None:
    result = mcgw(env, "wait", done.id)
    assert (result.returncode, result.stdout) == (0, f"{done.id} Terminated: succeeded\n")
    failed = o.run_sql("select * from no_such_table_anywhere")
    result = mcgw(env, "wait", failed.id)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{failed.id} Terminated: failed: ")
    slow = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 30})
    try:
        result = mcgw(env, "wait", slow.id, "--timeout", "0.5")
        assert result.returncode == 7
        assert result.stderr == (
            f"mcgw: wait timeout: instance {slow.id} did not terminate within 0.5s [WAIT_TIMEOUT]\n"
        )
    finally:
        slow.stop()


def test_watch_plain_and_json(env: dict[str, str], o: Gateway) -> None:
    instance = o.run_sql(
        "select count(*) from pyodps_iris", hints={"mcemulator.duration_seconds": 2}
    )
    result = mcgw(env, "watch", instance.id)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("snapshot ")
    assert lines[-2].startswith("terminal ") and " Terminated" in lines[-2]
    assert lines[-1] == f"{instance.id} Terminated: succeeded"
    for line in lines[:-1]:
        stages = r"( AnonymousSQLTask( \w+:\d+/\d+/\d+\[\d+%\])+)?"
        assert re.fullmatch(r"[a-z_]+ +(Running|Suspended|Terminated)" + stages, line), line
    events = [
        json.loads(line) for line in mcgw(env, "watch", instance.id, "--json").stdout.splitlines()
    ]
    assert events[-1]["event"] == "terminal" and events[-1]["instance"]["successful"] is True


def test_watch_of_a_failed_instance_exits_1(env: dict[str, str], o: Gateway) -> None:
    failed = o.run_sql("select * from no_such_table_anywhere")
    result = mcgw(env, "watch", failed.id, "--no-progress")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith(f"{failed.id} Terminated: failed: ")


def test_ctrl_c_during_watch_leaves_the_instance_running(env: dict[str, str], o: Gateway) -> None:
    slow = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 60})
    process = subprocess.Popen(
        [MCGW, "watch", slow.id],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the snapshot: the watch is established
        assert first.startswith("snapshot ")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130
        assert stderr.strip() == f"mcgw: interrupted; {slow.id} keeps running"
        assert o.get_instance(slow.id).is_running()
    finally:
        if process.poll() is None:
            process.kill()
        slow.stop()


def test_stop(env: dict[str, str], o: Gateway, done: Instance) -> None:
    slow = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 30})
    result = mcgw(env, "stop", slow.id)
    assert result.returncode == 0
    assert re.fullmatch(
        rf"stop requested: {slow.id} \(status (Running|Terminated)\)\n", result.stdout
    )
    again = mcgw(env, "stop", done.id)
    assert again.returncode == 4
    assert again.stderr.startswith("mcgw: invalid state: ")
    assert "INSTANCE_NOT_RUNNING" in again.stderr and "InvalidStateSetting" in again.stderr
    assert len(again.stderr.splitlines()) == 1
    assert re.search(r"\(request \w+\)$", again.stderr.strip())


def test_not_found_and_invalid_argument(env: dict[str, str]) -> None:
    missing = mcgw(env, "get", ABSENT)
    assert missing.returncode == 3
    assert missing.stderr.startswith("mcgw: not found: ") and len(missing.stderr.splitlines()) == 1
    bad = mcgw(env, "get", "bad id!")
    assert bad.returncode == 4
    assert bad.stderr.startswith("mcgw: invalid argument: ")


def test_unreachable_gateway_exits_6(env: dict[str, str]) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = mcgw({**env, "MCGW_TARGET": f"127.0.0.1:{port}"}, "exists", ABSENT)
    assert result.returncode == 6
    assert result.stderr.startswith("mcgw: unavailable: ")


def test_xflow_wait_lists_sub_instances(env: dict[str, str], o: Gateway) -> None:
    o.execute_sql("create table if not exists input_table as select * from pyodps_iris")
    result = mcgw(
        env,
        "xflow",
        "AppendID",
        "--param",
        "inputTableName=input_table",
        "--param",
        "outputTableName=cli_output",
        "--wait",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        assert re.fullmatch(r"\w+: \w+ http://\S+&token=\S+", line)


def test_token_flag_and_env(env: dict[str, str], tmp_path: Path, emulator: object) -> None:
    from mcgateway.config import GatewayConfig

    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"tokens": [{"name": "t", "token": "tk", "projects": ["*"]}]}))
    emu = emulator
    config = GatewayConfig(
        listen="127.0.0.1:0",
        endpoint=emu.endpoint,  # type: ignore[attr-defined]
        project=emu.project,  # type: ignore[attr-defined]
        access_id=emu.access_id,  # type: ignore[attr-defined]
        access_key=emu.access_key,  # type: ignore[attr-defined]
        tokens_file=tokens,
    )
    with GatewayThread(config) as secured:
        local = {**env, "MCGW_TARGET": secured.target}
        assert mcgw(local, "exists", ABSENT).returncode == 5
        assert mcgw(local, "exists", ABSENT, "--token", "tk").stdout == "false\n"
        assert mcgw({**local, "MCGW_TOKEN": "tk"}, "exists", ABSENT).stdout == "false\n"


def _run_on_terminal(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Runs mcgw with stdout and stderr on a pseudo-terminal; returns (exit status, output)."""
    import pty
    import select

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [MCGW, *args],
        env={**env, "TERM": "xterm-256color"},
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()


def test_terminal_output_draws_live_bars_and_a_rich_table(env: dict[str, str]) -> None:
    code, output = _run_on_terminal(
        env, "sql", GROUPED, "--hint", "mcemulator.duration_seconds=1", "--wait"
    )
    assert code == 0, output
    assert "\x1b[" in output  # a terminal gets colours and cursor movement
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    assert "AnonymousSQLTask M1_Stg1_job0" in plain  # one bar per stage
    assert "100%" in plain
    assert re.search(r"│ Iris-setosa\s+│ 50 │", plain)  # the result as a rich table


def test_terminal_watch_exit_status(env: dict[str, str], o: Gateway) -> None:
    failed = o.run_sql("select * from no_such_table_anywhere")
    code, output = _run_on_terminal(env, "watch", failed.id)
    assert code == 1
    assert f"{failed.id} Terminated: failed: " in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)


def test_version_is_printed_by_both_commands() -> None:
    # `mcgw --version` and `mcgateway --version`, as a person types them after installing.
    bindir = Path(sys.executable).parent
    for command, distribution in (
        ("mcgw", "mcgateway-client"),
        ("mcgateway", "maxcompute-gateway"),
    ):
        done = subprocess.run(
            [str(bindir / command), "--version"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"{command} {importlib.metadata.version(distribution)}"
