"""Unary RPC benchmark: GetInstance through the gateway vs direct MaxCompute reads.

Starts, each in its own process so they do not share a GIL with the load generator:
the MaxCompute emulator, the gateway (``mcgateway serve --endpoint <emulator>``) and a
trivial grpc.aio server (the baseline of what plain grpc.aio does on this machine, see
/work/shared/perf-notes.md). Then measures, in the same run:

- GetInstance of a terminated (cached) instance, concurrency 1 and 64;
- GetInstance of a running (uncached) instance, concurrency 1 and 64;
- the trivial server's unary call, concurrency 1 and 64;
- the same read directly: PyODPS (``reload()`` + ``get_task_statuses()``) and a bare
  signed ``requests`` GET of the instance, concurrency 1.

It prints requests/s, p50, p99, the CPU of the client and server processes, and the
ratios the targets speak about: cached GetInstance >= 3,000 RPC/s at concurrency 64;
uncached p50 within 1.5x of the bare ``requests`` call.

    .venv/bin/python bench/unary_bench.py [--duration 5] [--channels 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import psutil
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import PYTHON, Stack, wait_for

pb = instance_service_pb2
State = instance_pb2.Instance.State
TaskState = instance_pb2.Task.State


# ---------------------------------------------------------------------------- baseline server


class _TrivialServicer(instance_service_pb2_grpc.InstanceServiceServicer):
    """Answers GetInstance with a fixed instance of the same shape the gateway returns."""

    def __init__(self) -> None:
        self.reply = instance_pb2.Instance(
            project="demo",
            instance_id="20261126143748642gtxj8903w",
            state=State.TERMINATED,
            owner="ALIYUN$mcemulator-demo",
            tasks=[
                instance_pb2.Task(
                    name="AnonymousSQLTask",
                    type="SQL",
                    state=TaskState.SUCCEEDED,
                )
            ],
            successful=True,
            priority=9,
        )

    async def GetInstance(self, request, context):  # type: ignore[no-untyped-def]
        return self.reply


async def _serve_baseline(port_file: Path) -> None:
    server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
    instance_service_pb2_grpc.add_InstanceServiceServicer_to_server(_TrivialServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    port_file.write_text(str(port))
    await server.wait_for_termination()


# ---------------------------------------------------------------------------- measurement


@dataclass
class Result:
    """One measured configuration."""

    name: str
    concurrency: int
    count: int
    errors: int
    seconds: float
    latencies: list[float]
    client_cpu: float
    server_cpu: float | None

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        server = f"{self.server_cpu * 100:5.0f}%" if self.server_cpu is not None else "    -"
        return (
            f"{self.name:<34} c={self.concurrency:<3} {self.rps:9.0f} req/s  "
            f"p50 {self.pct(0.5):7.2f} ms  p99 {self.pct(0.99):7.2f} ms  "
            f"client cpu {self.client_cpu * 100:4.0f}%  server cpu {server}"
            + (f"  errors {self.errors}" if self.errors else "")
        )


def _cpu(proc: psutil.Process | None) -> float:
    if proc is None:
        return 0.0
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


async def _grpc_load(
    name: str,
    target: str,
    make_call: Callable[[instance_service_pb2_grpc.InstanceServiceStub], Awaitable[object]],
    *,
    concurrency: int,
    channels: int,
    duration: float,
    server: psutil.Process | None,
) -> Result:
    chans = [grpc.aio.insecure_channel(target) for _ in range(max(1, min(channels, concurrency)))]
    stubs = [instance_service_pb2_grpc.InstanceServiceStub(c) for c in chans]
    for stub in stubs:  # connect and warm up
        for _ in range(20):
            await make_call(stub)
    latencies: list[float] = []
    errors = 0
    stop_at = 0.0

    async def worker(stub: instance_service_pb2_grpc.InstanceServiceStub) -> None:
        nonlocal errors
        while True:
            started = time.perf_counter()
            if started >= stop_at:
                return
            try:
                await make_call(stub)
            except grpc.RpcError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    cpu0, scpu0 = time.process_time(), _cpu(server)
    begin = time.perf_counter()
    stop_at = begin + duration
    await asyncio.gather(*(worker(stubs[i % len(stubs)]) for i in range(concurrency)))
    elapsed = time.perf_counter() - begin
    cpu = (time.process_time() - cpu0) / elapsed
    scpu = (_cpu(server) - scpu0) / elapsed if server is not None else None
    for c in chans:
        await c.close()
    return Result(name, concurrency, len(latencies), errors, elapsed, latencies, cpu, scpu)


def _sync_load(
    name: str, call: Callable[[], object], *, duration: float, server: psutil.Process | None
) -> Result:
    for _ in range(20):
        call()
    latencies: list[float] = []
    cpu0, scpu0 = time.process_time(), _cpu(server)
    begin = time.perf_counter()
    stop_at = begin + duration
    while True:
        started = time.perf_counter()
        if started >= stop_at:
            break
        call()
        latencies.append(time.perf_counter() - started)
    elapsed = time.perf_counter() - begin
    return Result(
        name,
        1,
        len(latencies),
        0,
        elapsed,
        latencies,
        (time.process_time() - cpu0) / elapsed,
        (_cpu(server) - scpu0) / elapsed if server is not None else None,
    )


# ---------------------------------------------------------------------------- processes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--channels", type=int, default=4, help="client channels at c>1")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="repeat every measurement; the round with the median rate is shown (the machine "
        "is shared, so single runs are noisy)",
    )
    parser.add_argument("--serve-baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        asyncio.run(_serve_baseline(args.serve_baseline))
        return 0

    with Stack("unary-bench") as stack:
        target = stack.start_gateway()["target"]
        endpoint, access_id, access_key = stack.endpoint, stack.access_id, stack.access_key
        port_file = stack.work / "baseline.port"
        base = stack.start([PYTHON, __file__, "--serve-baseline", str(port_file)])
        wait_for(port_file, base, "baseline server")
        base_target = f"127.0.0.1:{port_file.read_text().strip()}"
        assert stack.gateway is not None and stack.emulator is not None
        gw_ps, base_ps, emu_ps = (
            psutil.Process(p.pid) for p in (stack.gateway, base, stack.emulator)
        )

        stub = instance_service_pb2_grpc.InstanceServiceStub(grpc.insecure_channel(target))
        done = stub.SubmitSql(
            pb.SubmitSqlRequest(
                job=instance_pb2.SqlJob(
                    query="select * from pyodps_iris limit 1",
                    hints={"mcemulator.duration_seconds": "0.1"},
                )
            )
        ).instance
        while True:
            waited = stub.WaitInstance(pb.WaitInstanceRequest(instance_id=done.instance_id))
            if waited.instance.state == State.TERMINATED:
                break
        running = stub.SubmitSql(
            pb.SubmitSqlRequest(
                job=instance_pb2.SqlJob(
                    query="select 1", hints={"mcemulator.duration_seconds": "3600"}
                )
            )
        ).instance

        def get(
            instance_id: str,
        ) -> Callable[[instance_service_pb2_grpc.InstanceServiceStub], Awaitable[object]]:
            request = pb.GetInstanceRequest(instance_id=instance_id)
            return lambda s: s.GetInstance(request, timeout=30)

        results: list[Result] = []

        async def grpc_runs() -> None:
            for c in (1, 64):
                results.append(
                    await _grpc_load(
                        "trivial grpc.aio server",
                        base_target,
                        get("x"),
                        concurrency=c,
                        channels=args.channels,
                        duration=args.duration,
                        server=base_ps,
                    )
                )
                results.append(
                    await _grpc_load(
                        "gateway GetInstance (terminated)",
                        target,
                        get(done.instance_id),
                        concurrency=c,
                        channels=args.channels,
                        duration=args.duration,
                        server=gw_ps,
                    )
                )
                results.append(
                    await _grpc_load(
                        "gateway GetInstance (running)",
                        target,
                        get(running.instance_id),
                        concurrency=c,
                        channels=args.channels,
                        duration=args.duration,
                        server=gw_ps,
                    )
                )

        for _ in range(args.rounds):
            asyncio.run(grpc_runs())

        # Direct reads of the running instance, as a PyODPS user or a hand-written client would.
        from odps import ODPS

        odps = ODPS(access_id, access_key, project="demo", endpoint=endpoint)

        def pyodps_read() -> None:
            instance = odps.get_instance(running.instance_id)
            instance.reload()
            instance.get_task_statuses()

        signed_get = stack.signed_getter()
        url = f"{endpoint}/projects/demo/instances/{running.instance_id}"

        def bare_get() -> None:
            signed_get(url)

        def bare_read() -> None:
            # The same information GetInstance returns: the instance, then its task statuses.
            signed_get(url)
            signed_get(url + "?taskstatus")

        for _ in range(args.rounds):
            results.append(
                _sync_load(
                    "PyODPS reload+get_task_statuses",
                    pyodps_read,
                    duration=args.duration,
                    server=emu_ps,
                )
            )
            results.append(
                _sync_load(
                    "bare signed requests GET", bare_get, duration=args.duration, server=emu_ps
                )
            )
            results.append(
                _sync_load(
                    "bare requests GET+?taskstatus",
                    bare_read,
                    duration=args.duration,
                    server=emu_ps,
                )
            )
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id))

    print(
        f"unary_bench: {os.cpu_count()} cores, {args.duration:g} s per measurement, "
        f"{args.channels} client channels at c=64 (server cpu of the gateway includes no emulator)"
    )
    chosen: dict[tuple[str, int], Result] = {}
    for k in dict.fromkeys((r.name, r.concurrency) for r in results):
        runs = sorted((r for r in results if (r.name, r.concurrency) == k), key=lambda r: r.rps)
        chosen[k] = runs[len(runs) // 2]
        spread = ", ".join(f"{r.rps:.0f}" for r in runs)
        print("  " + chosen[k].line() + f"  [rounds: {spread} req/s]")

    def find(name: str, c: int) -> Result:
        return chosen[(name, c)]

    base64_ = find("trivial grpc.aio server", 64)
    cached64 = find("gateway GetInstance (terminated)", 64)
    cached1 = find("gateway GetInstance (terminated)", 1)
    running1 = find("gateway GetInstance (running)", 1)
    bare = find("bare signed requests GET", 1)
    pyodps = find("PyODPS reload+get_task_statuses", 1)
    bare_same = find("bare requests GET+?taskstatus", 1)
    trivial1 = find("trivial grpc.aio server", 1)
    ratio_base = cached64.rps / base64_.rps
    ratio_bare = running1.pct(0.5) / bare.pct(0.5)
    ratio_pyodps = running1.pct(0.5) / pyodps.pct(0.5)
    ratio_same = running1.pct(0.5) / bare_same.pct(0.5)
    print("ratios:")
    print(
        f"  cached GetInstance c=64: {cached64.rps:.0f} RPC/s = {ratio_base:.0%} of the trivial "
        f"server's {base64_.rps:.0f} (target >= 3000 RPC/s)"
    )
    print(
        f"  cached GetInstance c=1: p50 {cached1.pct(0.5):.2f} ms vs trivial "
        f"{trivial1.pct(0.5):.2f} ms"
    )
    print(
        f"  uncached GetInstance p50 / bare requests GET p50: {running1.pct(0.5):.2f} / "
        f"{bare.pct(0.5):.2f} ms = {ratio_bare:.2f}x (target <= 1.5x; one GET is half the read)"
    )
    print(
        f"  uncached GetInstance p50 / the same read with bare requests (GET, ?taskstatus) p50: "
        f"{running1.pct(0.5):.2f} / {bare_same.pct(0.5):.2f} ms = {ratio_same:.2f}x"
    )
    print(
        f"  uncached GetInstance p50 / PyODPS read p50: {running1.pct(0.5):.2f} / "
        f"{pyodps.pct(0.5):.2f} ms = {ratio_pyodps:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
