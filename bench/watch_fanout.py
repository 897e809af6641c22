"""Watch fan-out benchmark: many WatchInstance streams over a few instances, one gateway.

Runs, each in its own process: the MaxCompute emulator (in this process, so state changes
can be timed exactly), the gateway (``mcgateway serve --endpoint <emulator>``) and several
client processes holding the streams (one Python client process stalls at ~6-8k streams,
see /work/shared/perf-notes.md). It measures, in the same run:

1. upstream requests/s (requests the emulator received) while 10 streams watch M running
   instances, then while N streams watch the same instances (target: within 10%);
2. the gateway's RSS idle and with N streams open, and per stream (target <= 20 KB);
3. the delay from an emulator state change (suspend / resume of an instance, timed here)
   to its delivery on every stream watching that instance, p50/p99 (target at 1,000
   streams: <= progress cadence + 100 ms), and the gateway-observation → delivery delay of
   every message;
4. 100 PyODPS ``wait_for_completion`` pollers (threads) on one instance vs 100 gateway
   subscribers on another of the same duration: upstream requests/s of each.

    .venv/bin/python bench/watch_fanout.py [--streams 1000] [--instances 10]
    .venv/bin/python bench/watch_fanout.py --streams 10000 --processes 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from _stack import wait_for

PYTHON = sys.executable
MCGATEWAY = str(Path(PYTHON).with_name("mcgateway"))
STREAMS_PER_CHANNEL = 500


# ---------------------------------------------------------------------------- client processes


def _client_main(
    target: str,
    instance_ids: list[str],
    omit_progress: bool,
    ready: Any,
    stop: Any,
    results: Any,
    until_terminal: bool,
) -> None:
    """One client process: a stream per entry of ``instance_ids``; reports when all streams
    got their snapshot (or failed), and what it saw when ``stop`` is set (or every stream
    ended). A crash is reported too, so the parent never waits forever."""
    try:
        asyncio.run(
            _client(target, instance_ids, omit_progress, ready, stop, results, until_terminal)
        )
    except BaseException as exc:
        ready.put(os.getpid())
        results.put({"crash": repr(exc)})
        raise


async def _client(
    target: str,
    instance_ids: list[str],
    omit_progress: bool,
    ready: Any,
    stop: Any,
    results: Any,
    until_terminal: bool,
) -> None:
    import grpc
    from maxcompute.gateway.v1 import instance_service_pb2 as pb
    from maxcompute.gateway.v1 import instance_service_pb2_grpc as pb_grpc

    Event = pb.WatchInstanceResponse.EventType

    channels = [
        grpc.aio.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)])
        for _ in range(max(1, math.ceil(len(instance_ids) / STREAMS_PER_CHANNEL)))
    ]
    stubs = [pb_grpc.InstanceServiceStub(c) for c in channels]
    opened = 0
    messages = 0
    errors: dict[str, int] = {}
    changes: list[tuple[str, int, float]] = []
    delays: list[float] = []
    terminals = 0
    all_open = asyncio.Event()
    calls = []

    settled = 0

    def opened_or_failed() -> None:
        nonlocal settled
        settled += 1
        if settled == len(instance_ids):
            all_open.set()

    async def one(index: int, instance_id: str) -> None:
        nonlocal opened, messages, terminals
        call = stubs[index % len(stubs)].WatchInstance(
            pb.WatchInstanceRequest(instance_id=instance_id, omit_progress=omit_progress)
        )
        calls.append(call)
        first = True
        try:
            while True:
                message = await call.read()
                if message is grpc.aio.EOF:
                    return
                now = time.time()
                messages += 1
                if first:
                    first = False
                    opened += 1
                    opened_or_failed()
                # Delivery latency of changes: snapshots repeat an earlier observation.
                if message.event_type != Event.SNAPSHOT and len(delays) < 500_000:
                    delays.append(now - message.observe_time.ToNanoseconds() / 1e9)
                if message.event_type == Event.STATE_CHANGED:
                    changes.append((instance_id, message.instance.state, now))
                elif message.event_type == Event.TERMINAL:
                    terminals += 1
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.CANCELLED or first:
                errors[exc.code().name] = errors.get(exc.code().name, 0) + 1
        finally:
            if first:  # ended before its snapshot: settled all the same
                first = False
                opened_or_failed()

    tasks = [asyncio.create_task(one(i, iid)) for i, iid in enumerate(instance_ids)]
    await all_open.wait()
    ready.put(os.getpid())
    loop = asyncio.get_running_loop()
    if until_terminal:
        await asyncio.gather(*tasks)
    else:
        await loop.run_in_executor(None, stop.wait)
        for call in calls:
            call.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for channel in channels:
        await channel.close()
    cpu = psutil.Process().cpu_times()
    results.put(
        {
            "opened": opened,
            "messages": messages,
            "errors": errors,
            "changes": changes,
            "delays": delays,
            "terminals": terminals,
            "cpu": cpu.user + cpu.system,
        }
    )


GO_CLIENT: Path | None = None
"""The Go stream client (bench/fanoutclient), once built by :func:`build_go_client`; the
Python client processes are used without it."""


def build_go_client(workdir: Path) -> str:
    """Build bench/fanoutclient with the Go toolchain (modules from the local cache); set
    :data:`GO_CLIENT` and say which client the run uses."""
    global GO_CLIENT
    source = Path(__file__).resolve().parent / "fanoutclient"
    binary = workdir / "fanoutclient"
    env = dict(os.environ, GOFLAGS="-mod=mod", GOPROXY=os.environ.get("GOPROXY", "off"))
    try:
        subprocess.run(
            ["go", "build", "-o", str(binary), "."],
            cwd=source, env=env, check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Python client processes (the Go client did not build: {exc})"
    GO_CLIENT = binary
    return "the Go client (bench/fanoutclient), one process"


def make_clients(
    target: str,
    assignments: list[str],
    processes: int,
    *,
    omit_progress: bool = False,
    until_terminal: bool = False,
) -> Clients | GoClients:
    """The Go client when built, else Python client processes."""
    if GO_CLIENT is not None:
        return GoClients(
            target, assignments, omit_progress=omit_progress, until_terminal=until_terminal
        )
    return Clients(
        target,
        assignments,
        processes,
        omit_progress=omit_progress,
        until_terminal=until_terminal,
    )


class GoClients:
    """The streams of one phase held by the Go client (same interface as :class:`Clients`)."""

    def __init__(
        self,
        target: str,
        assignments: list[str],
        *,
        omit_progress: bool = False,
        until_terminal: bool = False,
    ) -> None:
        assert GO_CLIENT is not None
        conns = max(1, math.ceil(len(assignments) / STREAMS_PER_CHANNEL))
        self._args = [str(GO_CLIENT), "-target", target, "-conns", str(conns)]
        if omit_progress:
            self._args.append("-omit-progress")
        if until_terminal:
            self._args.append("-until-terminal")
        self._args += assignments
        self._proc: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 300) -> float:
        """Start the client; return seconds until every stream had its first message."""
        started = time.monotonic()
        self._proc = subprocess.Popen(
            self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"the Go client failed to start: {line!r}")
        return time.monotonic() - started

    def finish(self, timeout: float = 300) -> list[dict[str, Any]]:
        """Cancel the streams (unless they end by themselves) and collect the report."""
        assert self._proc is not None
        out, _ = self._proc.communicate(timeout=timeout)  # closes stdin: the client stops
        return [json.loads(out.strip().splitlines()[-1])]


class Clients:
    """A group of client processes sharing the streams of one phase."""

    def __init__(
        self,
        target: str,
        assignments: list[str],
        processes: int,
        *,
        omit_progress: bool = False,
        until_terminal: bool = False,
    ) -> None:
        ctx = mp.get_context("spawn")
        self._ready = ctx.Queue()
        self._results = ctx.Queue()
        self._stop = ctx.Event()
        chunks = [assignments[i::processes] for i in range(processes)]
        chunks = [c for c in chunks if c]
        self._procs = [
            ctx.Process(
                target=_client_main,
                args=(
                    target,
                    chunk,
                    omit_progress,
                    self._ready,
                    self._stop,
                    self._results,
                    until_terminal,
                ),
                daemon=True,
            )
            for chunk in chunks
        ]

    def start(self, timeout: float = 300) -> float:
        """Start the processes; return seconds until every stream had its snapshot."""
        started = time.monotonic()
        for proc in self._procs:
            proc.start()
        for _ in self._procs:
            self._ready.get(timeout=timeout)
        return time.monotonic() - started

    def finish(self, timeout: float = 300) -> list[dict[str, Any]]:
        """Stop streaming (unless the streams end by themselves) and collect the reports."""
        self._stop.set()
        reports = [self._results.get(timeout=timeout) for _ in self._procs]
        for proc in self._procs:
            proc.join(timeout)
        crashes = [r["crash"] for r in reports if "crash" in r]
        if crashes:
            raise RuntimeError(f"client processes crashed: {crashes}")
        return reports


# ---------------------------------------------------------------------------- the gateway


class Gateway:
    """``mcgateway serve`` in its own process, pointed at the emulator, with its metrics
    listener and any ``extra`` flags (``--http-listen`` for ``http_bench.py``)."""

    def __init__(
        self,
        emulator: Any,
        workdir: Path,
        progress_interval: float,
        extra: tuple[str, ...] = (),
    ) -> None:
        ready = workdir / "gateway-ready.json"
        env = dict(os.environ, MCGATEWAY_ACCESS_KEY=emulator.access_key)
        self.proc = subprocess.Popen(
            [
                MCGATEWAY,
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--metrics-listen",
                "127.0.0.1:0",
                "--endpoint",
                emulator.endpoint,
                "--project",
                emulator.project,
                "--access-id",
                emulator.access_id,
                "--progress-interval",
                str(progress_interval),
                "--upstream-rate-limit-qps",
                "200",
                # Every bench stream is the same anonymous caller.
                "--max-streams-per-caller",
                "1000000",
                "--log-level",
                "WARNING",
                "--ready-file",
                str(ready),
                *extra,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        wait_for(ready, self.proc, "gateway")
        info = json.loads(ready.read_text())
        self.target: str = info["target"]
        self.metrics_url: str = info["metrics"]
        self.http: str = info.get("http", "")
        """The HTTP listener's address, with ``--http-listen`` among ``extra``."""
        self.ps = psutil.Process(self.proc.pid)

    def rss(self) -> int:
        """Resident memory of the gateway process, bytes."""
        return int(self.ps.memory_info().rss)

    def cpu(self) -> float:
        """CPU seconds used so far."""
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def metric(self, name: str) -> float:
        """Sum of the samples of ``name`` on /metrics."""
        import requests

        total = 0.0
        for line in requests.get(self.metrics_url, timeout=10).text.splitlines():
            if line.startswith(name) and not line.startswith("#"):
                head, _, value = line.rpartition(" ")
                if head == name or head.startswith(name + "{"):
                    total += float(value)
        return total

    def stop(self) -> None:
        """SIGTERM and wait."""
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class PeakRss:
    """Samples a process's RSS in a thread; ``peak`` is the highest seen."""

    def __init__(self, gateway: Any) -> None:
        self._gateway = gateway
        self.peak = gateway.rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self._gateway.rss())

    def close(self) -> int:
        """Stop sampling; return the peak."""
        self._stop.set()
        self._thread.join()
        return self.peak


class _Baseline:
    """A trivial grpc.aio server in its own process: WatchInstance sends one message and
    then holds the stream, the floor of what a stream costs (perf-notes.md); once told to
    (:meth:`broadcast`), it sends one message to every stream every ``interval`` seconds,
    the floor of what a fan-out costs (each stream yields the message; grpc encodes it)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.proc = subprocess.Popen(
            [PYTHON, __file__, "--baseline-server", "--progress-interval", str(interval)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.target = f"127.0.0.1:{int(self.proc.stdout.readline())}"
        self.ps = psutil.Process(self.proc.pid)

    def rss(self) -> int:
        """Resident memory of the baseline server, bytes."""
        return int(self.ps.memory_info().rss)

    def broadcast(self) -> None:
        """Start sending a message to every stream every interval."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("broadcast\n")
        self.proc.stdin.flush()

    def cpu(self) -> float:
        """CPU seconds the baseline server used so far."""
        t = self.ps.cpu_times()
        return float(t.user + t.system)

    def stop(self) -> None:
        """Kill it."""
        self.proc.kill()
        self.proc.wait()


def _serve_baseline(interval: float) -> None:
    import grpc
    from maxcompute.gateway.v1 import instance_service_pb2 as pb
    from maxcompute.gateway.v1 import instance_service_pb2_grpc as pb_grpc

    Event = pb.WatchInstanceResponse.EventType

    ticks: list[asyncio.Future[Any]] = []

    class Servicer(pb_grpc.InstanceServiceServicer):
        async def WatchInstance(self, request: Any, context: Any) -> Any:
            now = time.time_ns()
            message = pb.WatchInstanceResponse(event_type=Event.SNAPSHOT)
            message.observe_time.FromNanoseconds(now)
            yield message
            while True:
                yield await asyncio.shield(ticks[-1])

    async def broadcast() -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)
        while True:
            await asyncio.sleep(interval)
            message = pb.WatchInstanceResponse(event_type=Event.PROGRESS)
            message.observe_time.FromNanoseconds(time.time_ns())
            tick, ticks[-1] = ticks[-1], loop.create_future()
            tick.set_result(message)

    async def serve() -> None:
        ticks.append(asyncio.get_running_loop().create_future())
        asyncio.get_running_loop().create_task(broadcast())
        from mcgateway.server import server_options

        server = grpc.aio.server(options=server_options())  # the gateway's, for fairness
        pb_grpc.add_InstanceServiceServicer_to_server(Servicer(), server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        print(port, flush=True)
        await server.wait_for_termination()

    asyncio.run(serve())


def baseline_phase(
    streams: int, processes: int, interval: float, window: float
) -> tuple[int, int, dict[str, Any]]:
    """RSS of the trivial server with 10 streams open and at its peak with ``streams``
    (before any fan-out), then its fan-out of one message every ``interval`` to every stream
    for ``window`` seconds: messages/s delivered and broadcast → delivery delays."""
    baseline = _Baseline(interval)
    try:
        few = make_clients(baseline.target, ["x"] * 10, 1)
        few.start()
        time.sleep(1.0)
        rss_few = baseline.rss()
        many = make_clients(baseline.target, ["x"] * streams, processes)
        peak = PeakRss(baseline)
        many.start()
        time.sleep(2.0)
        rss_peak = peak.close()
        few.finish()
        cpu_before = baseline.cpu()
        baseline.broadcast()
        began = time.monotonic()
        time.sleep(window)
        reports = many.finish()
        elapsed = time.monotonic() - began
        cpu = (baseline.cpu() - cpu_before) / elapsed
        fanout = {
            "messages_per_second": sum(r["messages"] - r["opened"] for r in reports) / elapsed,
            "delays": [d for r in reports for d in r["delays"]],
            "cpu": cpu,
        }
        return rss_few, rss_peak, fanout
    finally:
        baseline.stop()


# ---------------------------------------------------------------------------- measurement


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` in milliseconds (nan when empty)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


_READS = ("get_instance_status", "get_instance", "task_status", "task_progress", "task_result")


def upstream_rate(emulator: Any, seconds: float) -> tuple[float, dict[str, float]]:
    """Requests/s the emulator receives over the next ``seconds``, in all and per read."""
    before = emulator.request_count()
    ops = {op: emulator.request_count(op) for op in _READS}
    time.sleep(seconds)
    per_op = {op: (emulator.request_count(op) - n) / seconds for op, n in ops.items()}
    return (emulator.request_count() - before) / seconds, per_op


def submit(client: Any, project: str, seconds: float, count: int) -> list[str]:
    """Start ``count`` SQL instances running for ``seconds``."""
    from mcemulator import DURATION_HINT

    return [
        client.create_sql_instance(
            project, "select * from pyodps_iris", hints={DURATION_HINT: str(seconds)}
        ).instance_id
        for _ in range(count)
    ]


def fanout_phase(
    emulator: Any,
    gateway: Gateway,
    instances: list[str],
    streams: int,
    processes: int,
    window: float,
    changes: bool,
) -> dict[str, Any]:
    """Open ``streams`` streams spread over ``instances``; measure for ``window`` seconds."""
    assignments = [instances[i % len(instances)] for i in range(streams)]
    rss_before = gateway.rss()
    clients = make_clients(gateway.target, assignments, processes)
    peak = PeakRss(gateway)
    open_seconds = clients.start()
    opened_at = time.monotonic()
    time.sleep(2.0)  # let the snapshots settle
    cpu_before = gateway.cpu()
    # The request rate is measured while nothing but progress changes, the same for every
    # phase; the timed state changes for the delivery delays come afterwards.
    rate, per_op = upstream_rate(emulator, window)
    cpu = (gateway.cpu() - cpu_before) / window
    change_times: list[tuple[str, int, float]] = []
    if changes:
        from maxcompute.gateway.v1 import instance_pb2

        State = instance_pb2.Instance.State

        for step in range(2):
            for instance_id in instances:
                stamp = time.time()
                if step == 0:
                    emulator.suspend(instance_id)
                    change_times.append((instance_id, State.SUSPENDED, stamp))
                else:
                    emulator.resume(instance_id)
                    change_times.append((instance_id, State.RUNNING, stamp))
            time.sleep(3.0)
    rss_open = gateway.rss()
    reports = clients.finish()
    streaming = time.monotonic() - opened_at
    peak_rss = peak.close()
    seen = {(i, s): t for i, s, t in change_times}
    delivery = [
        recv - seen[(iid, status)]
        for report in reports
        for iid, status, recv in report["changes"]
        if (iid, status) in seen
    ]
    return {
        "streams": streams,
        "opened": sum(r["opened"] for r in reports),
        "errors": {k: v for r in reports for k, v in r["errors"].items()},
        "messages": sum(r["messages"] for r in reports),
        "messages_per_second": sum(r["messages"] - r["opened"] for r in reports) / streaming,
        "open_seconds": open_seconds,
        "upstream_rps": rate,
        "upstream_per_op": per_op,
        "rss_before": rss_before,
        "rss_open": rss_open,
        "rss_peak": peak_rss,
        "gateway_cpu": cpu,
        "client_cpu": sum(r["cpu"] for r in reports),
        "change_delays": delivery,
        "expected_changes": len(change_times) * streams // max(1, len(instances)),
        "observe_delays": [d for r in reports for d in r["delays"]],
    }


def pyodps_phase(emulator: Any, client: Any, threads: int, seconds: float) -> tuple[float, float]:
    """Upstream requests/s of ``threads`` PyODPS ``wait_for_completion`` pollers of one
    instance running ``seconds``, and the wall time they took."""
    from odps import ODPS

    (instance_id,) = submit(client, emulator.project, seconds, 1)
    odps = ODPS(
        emulator.access_id, emulator.access_key, emulator.project, endpoint=emulator.endpoint
    )
    errors: queue.Queue[BaseException] = queue.Queue()

    def poll() -> None:
        try:
            odps.get_instance(instance_id).wait_for_completion()
        except BaseException as exc:
            errors.put(exc)

    workers = [threading.Thread(target=poll) for _ in range(threads)]
    before = emulator.request_count()
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    if not errors.empty():
        raise errors.get()
    return (emulator.request_count() - before) / elapsed, elapsed


def gateway_terminal_phase(
    emulator: Any, client: Any, gateway: Gateway, streams: int, seconds: float
) -> tuple[float, float, int]:
    """Upstream requests/s while ``streams`` subscribers follow one instance of ``seconds``
    to its end; the wall time and how many streams got their terminal message."""
    (instance_id,) = submit(client, emulator.project, seconds, 1)
    clients = make_clients(gateway.target, [instance_id] * streams, 1, until_terminal=True)
    before = emulator.request_count()
    started = time.monotonic()
    clients.start()
    reports = clients.finish()
    elapsed = time.monotonic() - started
    terminals = sum(r["terminals"] for r in reports)
    return (emulator.request_count() - before) / elapsed, elapsed, terminals


# ---------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--processes", type=int, default=0, help="0: one per 2,500 streams")
    parser.add_argument("--window", type=float, default=12.0, help="seconds per measurement")
    parser.add_argument("--progress-interval", type=float, default=1.0)
    parser.add_argument("--pyodps-threads", type=int, default=100)
    parser.add_argument("--pyodps-seconds", type=float, default=12.0)
    parser.add_argument(
        "--python-clients",
        action="store_true",
        help="hold the streams with Python client processes instead of the Go client",
    )
    parser.add_argument("--baseline-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_server:
        _serve_baseline(args.progress_interval)
        return 0
    processes = args.processes or max(1, math.ceil(args.streams / 2500))

    from mcemulator import Emulator, EmulatorConfig
    from mcgateway.maxcompute import ClientConfig, Credentials, MaxComputeClient

    with tempfile.TemporaryDirectory(prefix="watch-fanout-") as tmp:
        workdir = Path(tmp)
        client_kind = "Python client processes" if args.python_clients else build_go_client(workdir)
        emulator = Emulator(
            EmulatorConfig(data_dir=workdir / "emulator", workers=args.instances + 8)
        )
        emulator.start()
        client = MaxComputeClient(
            ClientConfig(
                endpoint=emulator.endpoint,
                credentials=Credentials(emulator.access_id, emulator.access_key),
            )
        )
        gateway = Gateway(emulator, workdir, args.progress_interval)
        try:
            rss_idle = gateway.rss()
            instances = submit(client, emulator.project, 3600, args.instances)
            small = fanout_phase(emulator, gateway, instances, 10, 1, args.window, False)
            big = fanout_phase(
                emulator, gateway, instances, args.streams, processes, args.window, True
            )
            for instance_id in instances:
                client.stop_instance(emulator.project, instance_id)
            gw_rps, gw_seconds, terminals = gateway_terminal_phase(
                emulator, client, gateway, args.pyodps_threads, args.pyodps_seconds
            )
            py_rps, py_seconds = pyodps_phase(
                emulator, client, args.pyodps_threads, args.pyodps_seconds
            )
        finally:
            gateway.stop()
            client.close()
            emulator.stop()
        base_few, base_peak, base_fanout = baseline_phase(
            args.streams, processes, args.progress_interval, args.window
        )
    base_per_stream = (base_peak - base_few) / max(1, args.streams - 10)

    # Baseline: the gateway with 10 streams open, so the pollers, upstream threads and
    # connections (which do not grow with subscribers) are not charged to the streams.
    per_stream = (big["rss_peak"] - small["rss_open"]) / max(1, big["streams"] - 10)
    ratio = big["upstream_rps"] / small["upstream_rps"] if small["upstream_rps"] else math.nan
    cadence_ms = args.progress_interval * 1000
    print(f"# Watch fan-out: {args.streams} streams over {args.instances} instances")
    print(f"streams held by {client_kind}; progress cadence {args.progress_interval:g} s")
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| streams opened / errors | {big['opened']} / {sum(big['errors'].values())} "
        f"{big['errors'] or ''} | all, 0 |"
    )
    print(f"| time to open all streams (snapshot on each) | {big['open_seconds']:.1f} s | |")
    print(f"| gateway RSS idle | {rss_idle / 2**20:.1f} MiB | |")
    print(f"| gateway RSS with 10 streams | {small['rss_open'] / 2**20:.1f} MiB | |")
    print(f"| gateway RSS with streams (peak) | {big['rss_peak'] / 2**20:.1f} MiB | |")
    print(f"| gateway memory per stream | {per_stream / 1024:.1f} KB | <= 20 KB |")
    print(
        f"| baseline: trivial grpc.aio server, memory per stream (same clients) | "
        f"{base_per_stream / 1024:.1f} KB | |"
    )
    print(
        f"| gateway's own memory per stream (above the trivial server) | "
        f"{(per_stream - base_per_stream) / 1024:.1f} KB | |"
    )
    print(f"| upstream requests/s, 10 streams | {small['upstream_rps']:.2f} | |")
    print(
        f"| upstream requests/s, {args.streams} streams | {big['upstream_rps']:.2f} "
        f"({ratio:.2f}x) | within 10% of 10 streams |"
    )
    for phase in (small, big):
        ops = ", ".join(f"{k} {v:.1f}" for k, v in phase["upstream_per_op"].items() if v)
        print(f"| &nbsp;&nbsp;by operation, {phase['streams']} streams | {ops} | |")
    delays = big["change_delays"]
    print(
        f"| state change → delivery, p50 / p99 ({len(delays)} of "
        f"{big['expected_changes']} deliveries) | {pct(delays, 0.5):.0f} / "
        f"{pct(delays, 0.99):.0f} ms | p99 <= {cadence_ms + 100:.0f} ms |"
    )
    observe = big["observe_delays"]
    print(
        f"| gateway observation → delivery, p50 / p99 ({len(observe)} change messages) | "
        f"{pct(observe, 0.5):.0f} / {pct(observe, 0.99):.0f} ms | |"
    )
    print(
        f"| gateway CPU / client CPU during measurement | {big['gateway_cpu'] * 100:.0f}% / "
        f"{big['client_cpu']:.0f} s total | |"
    )
    print(f"| messages delivered during the run | {big['messages']} | |")
    base_delays = base_fanout["delays"]
    print(
        f"| baseline: trivial grpc.aio fan-out of one message every "
        f"{args.progress_interval:g} s to {args.streams} streams, send → delivery p50 / p99 | "
        f"{pct(base_delays, 0.5):.0f} / {pct(base_delays, 0.99):.0f} ms (server CPU "
        f"{base_fanout['cpu'] * 100:.0f}%) | |"
    )
    gw_rate, base_rate = big["messages_per_second"], base_fanout["messages_per_second"]
    print(
        f"| messages/s delivered: gateway (one per change of an instance: as often as they "
        f"change) vs the trivial fan-out (one per stream every {args.progress_interval:g} s) | "
        f"{gw_rate:.0f} vs {base_rate:.0f} ({gw_rate / base_rate if base_rate else math.nan:.2f}x)"
        f" | |"
    )
    print(
        f"| observation → delivery p99: gateway vs the trivial fan-out | "
        f"{pct(observe, 0.99):.0f} vs {pct(base_delays, 0.99):.0f} ms | |"
    )
    print()
    print(f"## {args.pyodps_threads} pollers of one {args.pyodps_seconds:g} s instance")
    print()
    print("| client | upstream requests/s | wall time |")
    print("|---|---|---|")
    print(
        f"| PyODPS wait_for_completion x{args.pyodps_threads} (threads) | {py_rps:.1f} | "
        f"{py_seconds:.1f} s |"
    )
    print(
        f"| gateway WatchInstance x{args.pyodps_threads} (with progress; "
        f"{terminals} terminal messages) | {gw_rps:.1f} | {gw_seconds:.1f} s |"
    )
    ok = big["opened"] == args.streams and not big["errors"] and terminals == args.pyodps_threads
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
