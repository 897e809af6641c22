"""``mcgw`` in a pseudo-terminal, as a person meets it: a gateway that is down or comes back,
Ctrl-C, the progress bars, the failure line with its Logview link, wide results.

Each test runs the real executable under pexpect and waits on its output, never on time.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread
from mcgateway_client import Gateway, Instance

MCGW = str(Path(sys.executable).parent / "mcgw")
ABSENT = "20990101000000000absent001"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def env(gateway: GatewayThread) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
    environ.update(MCGW_TARGET=gateway.target, TERM="xterm-256color", COLUMNS="160")
    environ.pop("NO_COLOR", None)
    return environ


@pytest.fixture(scope="module")
def o(gateway: GatewayThread) -> Iterator[Gateway]:
    with Gateway(gateway.target) as client:
        yield client


def spawn(env: dict[str, str], *args: str, columns: int = 160) -> Any:
    """mcgw on a pseudo-terminal (stdin, stdout and stderr), output decoded as it comes."""
    return pexpect.spawn(
        MCGW,
        list(args),
        env={**env, "COLUMNS": str(columns)},
        encoding="utf-8",
        timeout=30,
        dimensions=(50, columns),
    )


def finish(child: Any, timeout: float = 60) -> tuple[int, str]:
    """Waits for the end; returns (exit status, everything printed since the last expect)."""
    child.expect(pexpect.EOF, timeout=timeout)
    child.close()
    return child.exitstatus, child.before


def plain(text: str) -> str:
    return ANSI.sub("", text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- a gateway that is down -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["watch", "wait"])
def test_down_gateway_is_reported_within_seconds_then_given_up(
    env: dict[str, str], command: str
) -> None:
    port = free_port()  # nothing listens there
    target = f"127.0.0.1:{port}"
    child = spawn(env, "--target", target, command, ABSENT, "--reconnect-for", "2")
    # Said at once (not after the minute of retrying), with the attempt counting up.
    child.expect_exact(f"gateway {target} unreachable — reconnecting… (attempt 1)", timeout=5)
    child.expect_exact("(attempt 2)", timeout=10)
    code, rest = finish(child, timeout=30)
    assert code == 6  # documented: gave up reconnecting
    assert (
        f"mcgw: unavailable: gave up after 2 s of reconnecting (--reconnect-for): gateway "
        f"{target} unreachable: connection refused (is it running?)"
    ) in plain(rest)


def test_watch_shows_reconnecting_until_the_gateway_is_back(
    env: dict[str, str], o: Gateway, emulator: Any
) -> None:
    job = o.run_sql("select count(*) from pyodps_iris", hints={"mcemulator.duration_seconds": 2})
    port = free_port()
    target = f"127.0.0.1:{port}"
    child = spawn(env, "--target", target, "watch", job.id)
    child.expect_exact(f"gateway {target} unreachable — reconnecting…", timeout=10)
    config = GatewayConfig(
        listen=target,
        endpoint=emulator.endpoint,
        project=emulator.project,
        access_id=emulator.access_id,
        access_key=emulator.access_key,
    )
    with GatewayThread(config):
        child.expect_exact(f"{job.id} Terminated: succeeded", timeout=60)
        code, _ = finish(child)
    assert code == 0


# -- Ctrl-C ---------------------------------------------------------------------------------------


def test_ctrl_c_while_the_gateway_is_down_says_the_state_is_unknown(env: dict[str, str]) -> None:
    target = f"127.0.0.1:{free_port()}"
    child = spawn(env, "--target", target, "watch", ABSENT)
    child.expect_exact("reconnecting… (attempt 1)", timeout=10)
    child.sendintr()
    code, rest = finish(child)
    assert code == 130
    assert f"mcgw: interrupted; could not read the state of instance {ABSENT}: " in plain(rest)
    assert "keeps running" not in rest


class SwallowFirstConnection:
    """A TCP proxy to the gateway that accepts its first connection and never answers on it (a
    connection lost in the network), and forwards every later one."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.server = socket.create_server(("127.0.0.1", 0))
        self.target = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.swallowed = threading.Event()
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.sockets.append(conn)
            if not self.swallowed.is_set():
                self.swallowed.set()
                continue
            upstream = socket.create_connection(self.upstream)
            self.sockets.append(upstream)
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


def test_ctrl_c_reports_the_fresh_state_of_a_finished_instance(
    env: dict[str, str], o: Gateway, gateway: GatewayThread
) -> None:
    done = o.execute_sql("select 1")
    proxy = SwallowFirstConnection(gateway.target)
    try:
        # The watch's connection hangs, as after a network change; the instance is long done.
        child = spawn(env, "--target", proxy.target, "watch", done.id)
        child.expect_exact(f"connecting to {proxy.target}…", timeout=10)
        assert proxy.swallowed.wait(10)
        child.sendintr()
        code, rest = finish(child)
    finally:
        proxy.close()
    assert code == 130
    # Read afresh over a new connection: not "keeps running".
    assert f"mcgw: interrupted; instance {done.id} had already terminated: succeeded" in plain(rest)


def _submit_slow(env: dict[str, str], *extra: str) -> tuple[Any, str]:
    child = spawn(
        env, "sql", "select 1", "--hint", "mcemulator.duration_seconds=60", "--wait", *extra
    )
    child.expect(r"instance (\w+)\r\n")
    instance_id = child.match.group(1)
    child.expect_exact("Running")  # the watch is established: the header shows the state
    return child, instance_id


def test_ctrl_c_on_a_submitted_job_offers_to_stop_it(env: dict[str, str], o: Gateway) -> None:
    child, instance_id = _submit_slow(env)
    child.sendintr()
    child.expect_exact(f"Stop instance {instance_id}? [y/N] ")
    child.sendline("y")
    code, rest = finish(child)
    assert code == 130
    assert f"mcgw: interrupted; stop requested for instance {instance_id}" in plain(rest)
    stopped = o.get_instance(instance_id).wait_for_completion(timeout=30)
    assert not stopped.is_successful()


def test_ctrl_c_on_a_submitted_job_answered_no_leaves_it_running(
    env: dict[str, str], o: Gateway
) -> None:
    child, instance_id = _submit_slow(env)
    try:
        child.sendintr()
        child.expect_exact(f"Stop instance {instance_id}? [y/N] ")
        child.sendline("")
        code, rest = finish(child)
        assert code == 130
        assert (
            f"mcgw: interrupted; instance {instance_id} is still Running "
            f"(left running; `mcgw stop {instance_id}` stops it)"
        ) in plain(rest)
        assert o.get_instance(instance_id).is_running()
    finally:
        o.get_instance(instance_id).stop()


def _submit_slow_off_a_terminal(env: dict[str, str], *extra: str) -> tuple[Any, str]:
    process = subprocess.Popen(
        [MCGW, "sql", "select 1", "--hint", "mcemulator.duration_seconds=60", "--wait", *extra],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # printed once the instance exists
    match = re.fullmatch(r"instance (\w+)\n", first)
    assert match, first
    return process, match.group(1)


def test_stop_on_interrupt_stops_without_asking(env: dict[str, str], o: Gateway) -> None:
    process, instance_id = _submit_slow_off_a_terminal(env, "--stop-on-interrupt")
    try:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130
    assert stderr.strip() == f"mcgw: interrupted; stop requested for instance {instance_id}"
    assert not o.get_instance(instance_id).wait_for_completion(timeout=30).is_successful()


def test_off_a_terminal_ctrl_c_never_prompts(env: dict[str, str], o: Gateway) -> None:
    process, instance_id = _submit_slow_off_a_terminal(env)
    try:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130
        assert "[y/N]" not in stderr
        assert stderr.strip() == (
            f"mcgw: interrupted; instance {instance_id} is still Running "
            f"(left running; `mcgw stop {instance_id}` stops it)"
        )
        assert o.get_instance(instance_id).is_running()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        o.get_instance(instance_id).stop()


# -- the progress view ----------------------------------------------------------------------------


def _frames(output: str) -> list[str]:
    """The lines of every redraw, control codes removed."""
    return [line for line in re.split(r"\r\n|\r|\n", plain(output)) if line.strip()]


def test_overall_bar_follows_the_stages_and_turns_green_on_success(env: dict[str, str]) -> None:
    child = spawn(
        env,
        "sql",
        "select name, count(*) as n from pyodps_iris group by name",
        "--hint",
        "mcemulator.duration_seconds=3",
        "--wait",
    )
    code, output = finish(child)
    assert code == 0, output
    lines = _frames(output)
    overall = [int(m.group(1)) for line in lines if (m := re.search(r"^overall .*?(\d+)%", line))]
    assert overall == sorted(overall), overall  # it only moves forward
    assert any(0 < pct < 100 for pct in overall), overall  # it moves with the stages
    assert overall[-1] == 100
    last = [line for line in lines if line.startswith("overall")][-1]
    assert last.rstrip().endswith("SUCCEEDED")
    # Bars keep their column from the first redraw to the last.
    rows = [line for line in lines if line.startswith(("overall", "AnonymousSQLTask"))]
    starts = {line.index("━") for line in rows}
    assert len(starts) == 1, starts
    stage_rows = [line for line in lines if line.startswith("AnonymousSQLTask M1_Stg1_job0")]
    assert stage_rows and "100%" in stage_rows[-1]
    # The final overall bar is drawn green (32), never red (31).
    final_overall = output[output.rfind("overall") :]
    assert "\x1b[32m" in final_overall and "\x1b[31m" not in final_overall


def test_failed_job_draws_a_red_failed_bar_then_the_logview_link(env: dict[str, str]) -> None:
    child = spawn(env, "sql", "select * from no_such_table_anywhere", "--wait")
    code, output = finish(child)
    assert code == 1
    final_overall = output[output.rfind("overall") :]
    assert re.search(r"\x1b\[[0-9;]*31m", final_overall)  # red
    assert "\x1b[32m" not in final_overall  # not green
    text = plain(output)
    assert re.search(r"overall .* FAILED", text)
    failure = re.search(r"(\w+) failed: .*no_such_table_anywhere.*\r\nlogview: (\S+)", text)
    assert failure, text
    assert f"&i={failure.group(1)}&token=" in failure.group(2)


def test_terminal_watch_of_a_failed_instance_prints_the_logview_link(
    env: dict[str, str], o: Gateway
) -> None:
    failed = o.run_sql("select * from no_such_table_anywhere")
    child = spawn(env, "watch", failed.id)
    code, output = finish(child)
    assert code == 1
    text = plain(output)
    assert re.search(
        rf"{failed.id} Terminated: failed: .*\r\nlogview: http://\S+&i={failed.id}&token=", text
    )


# -- results --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_value(o: Gateway) -> Instance:
    return o.execute_sql("select 'start-' || repeat('x', 150) || '-end' as long_value, 1 as n")


def test_result_table_wraps_long_values_instead_of_cutting_them(
    env: dict[str, str], long_value: Instance
) -> None:
    code, output = finish(spawn(env, "result", long_value.id, "--table", columns=60))
    assert code == 0
    text = plain(output)
    assert "…" not in text
    assert "start-" in text and "-end" in text
    assert text.count("x") >= 150  # every character, folded over several lines
    assert all(len(line) <= 60 for line in text.splitlines())


def test_wide_result_table_keeps_each_row_on_one_line(
    env: dict[str, str], long_value: Instance
) -> None:
    code, output = finish(spawn(env, "result", long_value.id, "--table", "--wide", columns=60))
    assert code == 0
    assert f"start-{'x' * 150}-end  1" in plain(output)
    piped = subprocess.run(
        [MCGW, "result", long_value.id, "--table"], env=env, capture_output=True, text=True
    )
    assert piped.stdout.splitlines()[1] == f"start-{'x' * 150}-end  1"


# -- ExecuteSql: the gateway stops the job mcgw started ------------------------------------------


def _cancelled(o: Gateway, instance_id: str) -> None:
    stopped = o.get_instance(instance_id).wait_for_completion(timeout=30)
    assert not stopped.is_successful()
    assert stopped.get_task_statuses()["AnonymousSQLTask"].status.proto_name == "CANCELLED"


def test_ctrl_c_with_stop_on_interrupt_has_the_gateway_stop_the_job(
    env: dict[str, str], o: Gateway
) -> None:
    child, instance_id = _submit_slow(env, "--stop-on-interrupt")
    child.sendintr()
    code, rest = finish(child)
    assert code == 130
    assert "[y/N]" not in rest
    assert f"mcgw: interrupted; stop requested for instance {instance_id}" in plain(rest)
    _cancelled(o, instance_id)


def test_a_killed_mcgw_still_gets_its_job_stopped(env: dict[str, str], o: Gateway) -> None:
    # SIGKILL leaves mcgw no chance to call StopInstance: only the gateway can stop the job,
    # because the ExecuteSql call it started asked for stop_on_cancel.
    child, instance_id = _submit_slow(env, "--stop-on-interrupt")
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    _cancelled(o, instance_id)


# -- read: a progress bar on large reads ---------------------------------------------------------


def test_read_of_a_large_result_shows_progress_on_the_terminal(
    env: dict[str, str], o: Gateway, tmp_path: Path
) -> None:
    rows = 30_000
    instance = o.execute_sql(f"select range as id from range({rows}) order by id")
    out = tmp_path / "rows.csv"
    child = spawn(env, "read", instance.id, "-o", str(out))
    child.expect(f"reading {rows} rows")
    code, _ = finish(child)
    assert code == 0
    assert out.read_text().splitlines()[1:4] == ["0", "1", "2"]
    assert len(out.read_text().splitlines()) == rows + 1
