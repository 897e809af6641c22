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
    # Machine-facing enum text is the API's value names, as in every mcgateway client.
    assert data["instance"]["status"] == "TERMINATED" and data["instance"]["successful"] is True
    assert data["instance"]["tasks"][0]["status"] == "SUCCEEDED"


def test_sql_watch_prints_progress_events_to_stderr_off_a_terminal(env: dict[str, str]) -> None:
    result = mcgw(env, "sql", GROUPED, "--hint", "mcemulator.duration_seconds=1", "--watch")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("name             n\n")  # stdout: only the result
    first, *events = result.stderr.splitlines()
    assert re.fullmatch(r"instance \w+", first)
    assert events[0].startswith(("SNAPSHOT ", "TERMINAL ")) and events[-1].startswith("TERMINAL ")


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


def test_sql_failure_exits_1_and_prints_the_logview_link(env: dict[str, str]) -> None:
    result = mcgw(env, "sql", "select * from no_such_table_anywhere", "--wait")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"instance \w+", lines[0])
    assert re.fullmatch(r"\w+ failed: .*no_such_table_anywhere.*", lines[1])
    instance_id = lines[0].split()[1]
    assert re.fullmatch(rf"logview: http://\S+&i={instance_id}&token=\S+", lines[2])
    assert len(lines) == 3
    as_json = mcgw(env, "--json", "sql", "select * from no_such_table_anywhere", "--wait")
    assert as_json.returncode == 1 and as_json.stderr == ""
    data = json.loads(as_json.stdout)
    assert data["instance"]["successful"] is False and data["results"] == {}
    assert f"&i={data['instance']['id']}&token=" in data["logview_url"]


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
    assert data["id"] == done.id and data["tasks"][0]["status"] == "SUCCEEDED"
    assert data["status"] == "TERMINATED" and data["successful"] is True


def test_exists(env: dict[str, str], done: Instance) -> None:
    present = mcgw(env, "exists", done.id)
    assert (present.returncode, present.stdout) == (0, "true\n")
    absent = mcgw(env, "exists", ABSENT)
    assert (absent.returncode, absent.stdout) == (1, "false\n")
    as_json = mcgw(env, "exists", ABSENT, "--json")
    assert json.loads(as_json.stdout) == {"id": ABSENT, "exists": False}


def test_ls_lists_newest_first_with_a_success_column(
    env: dict[str, str], o: Gateway, done: Instance
) -> None:
    failed = o.run_sql("select * from no_such_table_anywhere")
    failed.wait_for_completion()
    result = mcgw(env, "ls", "--status", "TERMINATED", "--limit", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"ID\s+STATUS\s+SUCCESS\s+START_TIME\s+END_TIME\s+OWNER", lines[0])
    assert len(lines) == 3  # --limit 2
    # Newest first: the failed instance was submitted last.
    assert lines[1].split() == [
        failed.id,
        "Terminated",
        "no",
        format_time(failed.state.start_time),
        format_time(failed.state.end_time),
        failed.state.owner,
    ]
    # More instances matched than were shown: say so, on stderr (stdout stays a clean table).
    assert re.fullmatch(
        r"mcgw: showing 2 of \d+ instances started in the last 24 h, newest first; "
        r"use --limit N or --all\n",
        result.stderr,
    )
    everything = mcgw(env, "ls", "--status", "terminated", "--all")
    assert everything.returncode == 0 and everything.stderr == ""
    ids = [line.split()[0] for line in everything.stdout.splitlines()[1:]]
    assert ids.index(failed.id) < ids.index(done.id)
    listed = json.loads(mcgw(env, "ls", "--json", "--limit", "5").stdout)
    assert len(listed) == 5
    starts = [row["start_time"] for row in listed]
    assert starts == sorted(starts, reverse=True)
    row = next(i for i in listed if i["id"] == failed.id)
    # ls reads the outcome of the (at most 50) rows it shows: a listing alone does not say it.
    assert (row["status"], row["successful"], row["tasks"]) == ("TERMINATED", False, [])
    assert json.loads(mcgw(env, "ls", "--json", "--since", "2h", "--until", "1h").stdout) == []
    empty = mcgw(env, "ls", "--since", "2h", "--until", "1h")
    assert empty.stdout.splitlines() == ["ID  STATUS  SUCCESS  START_TIME  END_TIME  OWNER"]


def test_ls_status_help_lists_the_states(env: dict[str, str]) -> None:
    result = mcgw(env, "ls", "--help")
    assert "only instances in this state: Running, Suspended or Terminated" in result.stdout
    assert "--all" in result.stdout and "default 20" in result.stdout
    wrong = mcgw(env, "ls", "--status", "done")
    assert wrong.returncode == 2
    assert "invalid choice: 'Done' (choose from 'Running', 'Suspended', 'Terminated')" in (
        wrong.stderr
    )


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
    # Event lines off a terminal name events and states by the API's enum value names.
    assert lines[0].startswith("SNAPSHOT ")
    assert lines[-2].startswith("TERMINAL ") and " TERMINATED" in lines[-2]
    assert lines[-1] == f"{instance.id} Terminated: succeeded"
    for line in lines[:-1]:
        stages = r"( AnonymousSQLTask( \w+:\d+/\d+/\d+\[\d+%\])+)?"
        assert re.fullmatch(r"[A-Z_]+ +(RUNNING|SUSPENDED|TERMINATED)" + stages, line), line
    events = [
        json.loads(line) for line in mcgw(env, "watch", instance.id, "--json").stdout.splitlines()
    ]
    # The instance has terminated by now: its watch is the one TERMINAL event.
    assert [e["event"] for e in events] == ["TERMINAL"]
    assert events[-1]["instance"]["status"] == "TERMINATED"
    assert events[-1]["instance"]["successful"] is True


def test_watch_of_a_failed_instance_exits_1(env: dict[str, str], o: Gateway) -> None:
    failed = o.run_sql("select * from no_such_table_anywhere")
    result = mcgw(env, "watch", failed.id, "--no-progress")
    assert result.returncode == 1
    *_, failure, logview = result.stdout.splitlines()
    assert failure.startswith(f"{failed.id} Terminated: failed: ")
    assert re.fullmatch(rf"logview: http://\S+&i={failed.id}&token=\S+", logview)


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
        assert first.startswith("SNAPSHOT ")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130
        # The state is read afresh; mcgw did not submit the instance, so it leaves it alone.
        assert (
            stderr.strip()
            == f"mcgw: interrupted; instance {slow.id} is still Running (left running)"
        )
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


# -- show and logs --------------------------------------------------------------------------------


def test_show_prints_state_summary_and_cost(env: dict[str, str], done: Instance) -> None:
    result = mcgw(env, "show", done.id)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"id:         {done.id}" in out and "status:     Terminated" in out
    cost = done.get_task_cost("AnonymousSQLTask")
    assert cost is not None
    assert f"memory {cost.memory_cost} MB-s, input {cost.input_size} bytes" in out
    assert "summary of AnonymousSQLTask:\n  " in out
    assert "queue:" not in out  # only while it runs
    data = json.loads(mcgw(env, "show", done.id, "--json").stdout)
    summary = data["summaries"]["AnonymousSQLTask"]
    assert summary["cost"]["input_size"] == cost.input_size and summary["summary_text"]
    assert data["queue"] is None


def test_show_of_a_running_instance_says_where_it_is_in_the_queue(
    env: dict[str, str], o: Gateway
) -> None:
    slow = o.run_sql("select 1", hints={"mcemulator.duration_seconds": 60})
    try:
        result = mcgw(env, "show", slow.id)
        assert result.returncode == 0, result.stderr
        assert re.search(r"^queue: +(not waiting|waiting, position \d+)", result.stdout, re.M)
        data = json.loads(mcgw(env, "show", slow.id, "--json").stdout)
        assert data["queue"]["status"] == "Running"
    finally:
        slow.stop()


def test_show_of_an_absent_instance_exits_with_not_found(env: dict[str, str]) -> None:
    result = mcgw(env, "show", ABSENT)
    assert result.returncode == 3 and "NOT_FOUND" in result.stderr


def test_logs_lists_workers_then_prints_a_log(env: dict[str, str], done: Instance) -> None:
    workers = done.get_task_workers("AnonymousSQLTask")
    listing = mcgw(env, "logs", done.id)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.split()[:4] == ["WORKER", "STAGE", "STATUS", "LOG_ID"]
    for worker in workers:
        assert worker.id in listing.stdout and worker.log_id in listing.stdout
    expected = done.get_worker_log(workers[0].log_id, "stdout")
    by_id = mcgw(env, "logs", done.id, "--task", "AnonymousSQLTask", "--worker", workers[0].id)
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stdout.rstrip("\n") == expected.rstrip("\n")
    by_log = mcgw(env, "logs", done.id, "--worker", workers[0].log_id, "--type", "stderr")
    assert by_log.returncode == 0, by_log.stderr
    assert by_log.stdout == _with_newline(done.get_worker_log(workers[0].log_id, "stderr"))
    data = json.loads(mcgw(env, "logs", done.id, "--json").stdout)
    assert [w["log_id"] for w in data["workers"]] == [w.log_id for w in workers]
    bad = mcgw(env, "logs", done.id, "--worker", "no-such-worker")
    assert bad.returncode == 3 and "WORKER_LOG_NOT_FOUND" in bad.stderr
    usage = mcgw(env, "logs", done.id, "--type", "nonsense")
    assert usage.returncode == 2


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"
