"""HTTP/JSON + SSE vs gRPC on one gateway, in the same run (issue #17).

Runs the MaxCompute emulator in this process (so state changes can be timed exactly), the
gateway (``mcgateway serve --http-listen ...``) in its own process, and each load in a client
process of its own (this script with ``--client``). It measures:

1. 1,000 WatchInstance subscribers over 10 running instances, once as gRPC streams and once
   as Server-Sent Events: the upstream requests/s the emulator receives while they listen
   (target: equal, since both share the gateway's one poller per instance), and the delay
   from an emulator state change (suspend / resume, timed here) to its delivery on every
   stream, p50/p99 (target: p99 <= progress cadence + 100 ms), plus the gateway-observation
   -> delivery delay of every message;
2. GetInstance of a terminated (cached) instance at concurrency 64 over HTTP/JSON and over
   gRPC, alternating twice: requests/s and the ratio (target: HTTP >= 0.7x gRPC).

    .venv/bin/python bench/http_bench.py [--streams 1000] [--instances 10] [--window 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from watch_fanout import Gateway, pct, submit, upstream_rate

PYTHON = sys.executable


# ---------------------------------------------------------------------------- client processes


def _stamp(text: str) -> float:
    """Seconds since the epoch of an RFC 3339 timestamp with nanoseconds."""
    head, _, frac = text.rstrip("Z").partition(".")
    whole = datetime.fromisoformat(head + "+00:00").timestamp()
    return whole + (float("0." + frac) if frac else 0.0)


class _Seen:
    """What one client process saw: state changes (instance, state, time) and delays."""

    def __init__(self) -> None:
        self.opened = 0
        self.messages = 0
        self.errors: dict[str, int] = {}
        self.changes: list[tuple[str, str, float]] = []
        self.delays: list[float] = []
        self.all_open = asyncio.Event()
        self.settled = 0
        self.total = 0

    def settle(self) -> None:
        self.settled += 1
        if self.settled == self.total:
            self.all_open.set()

    def message(self, kind: str, instance_id: str, state: str, observed: float) -> None:
        now = time.time()
        self.messages += 1
        if kind != "SNAPSHOT" and len(self.delays) < 200_000:
            self.delays.append(now - observed)
        if kind == "STATE_CHANGED":
            self.changes.append((instance_id, state, now))


async def _grpc_streams(target: str, ids: list[str], seen: _Seen) -> list[Any]:
    import grpc
    from maxcompute.gateway.v1 import instance_pb2
    from maxcompute.gateway.v1 import instance_service_pb2 as pb
    from maxcompute.gateway.v1 import instance_service_pb2_grpc as pb_grpc

    channels = [grpc.aio.insecure_channel(target) for _ in range(max(1, len(ids) // 500))]
    stubs = [pb_grpc.InstanceServiceStub(c) for c in channels]
    kinds = pb.WatchInstanceResponse.EventType
    states = instance_pb2.Instance.State

    async def one(index: int, instance_id: str) -> None:
        call = stubs[index % len(stubs)].WatchInstance(
            pb.WatchInstanceRequest(instance_id=instance_id)
        )
        first = True
        try:
            async for msg in call:
                if first:
                    first = False
                    seen.opened += 1
                    seen.settle()
                seen.message(
                    kinds.Name(msg.event_type),
                    instance_id,
                    states.Name(msg.instance.state),
                    msg.observe_time.ToNanoseconds() / 1e9,
                )
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.CANCELLED:
                seen.errors[exc.code().name] = seen.errors.get(exc.code().name, 0) + 1
        finally:
            if first:
                seen.settle()

    return [asyncio.create_task(one(i, iid)) for i, iid in enumerate(ids)]


async def _sse_streams(base: str, ids: list[str], seen: _Seen) -> list[Any]:
    import aiohttp

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=None)
    )

    async def one(instance_id: str) -> None:
        url = f"{base}/v1/projects/_/instances/{instance_id}:watch"
        first = True
        try:
            async with session.get(url, headers={"Accept": "text/event-stream"}) as response:
                if response.status != 200:
                    seen.errors[str(response.status)] = seen.errors.get(str(response.status), 0) + 1
                    return
                async for raw in response.content:
                    if not raw.startswith(b"data: "):
                        continue
                    msg = json.loads(raw[6:])
                    if first:
                        first = False
                        seen.opened += 1
                        seen.settle()
                    seen.message(
                        msg["eventType"],
                        instance_id,
                        msg["instance"]["state"],
                        _stamp(msg["observeTime"]),
                    )
        except (aiohttp.ClientError, asyncio.CancelledError):
            pass
        finally:
            if first:
                seen.settle()

    tasks = [asyncio.create_task(one(iid)) for iid in ids]
    tasks.append(asyncio.create_task(_close_later(session)))
    return tasks


async def _close_later(session: Any) -> None:
    try:
        await asyncio.Event().wait()
    finally:
        await session.close()


async def _watch_client(kind: str, address: str, ids: list[str]) -> None:
    """Open a stream per id; print ``ready`` once each has its first message; on a line on
    stdin, cancel them all and print the report as JSON."""
    seen = _Seen()
    seen.total = len(ids)
    opener = _grpc_streams if kind == "grpc" else _sse_streams
    tasks = await opener(address, ids, seen)
    await seen.all_open.wait()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    report = {
        "opened": seen.opened,
        "messages": seen.messages,
        "errors": seen.errors,
        "changes": seen.changes,
        "delays": seen.delays,
    }
    print(json.dumps(report), flush=True)


async def _unary_client(kind: str, address: str, instance_id: str, seconds: float) -> None:
    """GetInstance of ``instance_id`` from 64 concurrent workers for ``seconds``; print
    the count as JSON."""
    concurrency = 64
    done = 0
    stop_at = 0.0
    if kind == "grpc":
        import grpc
        from maxcompute.gateway.v1 import instance_service_pb2 as pb
        from maxcompute.gateway.v1 import instance_service_pb2_grpc as pb_grpc

        channels = [grpc.aio.insecure_channel(address) for _ in range(4)]
        stubs = [pb_grpc.InstanceServiceStub(c) for c in channels]
        request = pb.GetInstanceRequest(instance_id=instance_id)

        async def worker(i: int) -> None:
            nonlocal done
            stub = stubs[i % len(stubs)]
            while time.monotonic() < stop_at:
                await stub.GetInstance(request)
                done += 1

        for stub in stubs:
            await stub.GetInstance(request)  # connect first
        stop_at = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.monotonic() - started
        for channel in channels:
            await channel.close()
    else:
        import aiohttp

        url = f"{address}/v1/projects/_/instances/{instance_id}"
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def get() -> None:
                async with session.get(url) as response:
                    assert response.status == 200
                    await response.read()

            async def hworker() -> None:
                nonlocal done
                while time.monotonic() < stop_at:
                    await get()
                    done += 1

            await asyncio.gather(*(get() for _ in range(concurrency)))  # warm the pool
            stop_at = time.monotonic() + seconds
            started = time.monotonic()
            await asyncio.gather(*(hworker() for _ in range(concurrency)))
            elapsed = time.monotonic() - started
    print(json.dumps({"rps": done / elapsed}), flush=True)


def _client(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, __file__, "--client", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def watch_phase(
    emulator: Any, gateway: Gateway, kind: str, instances: list[str], streams: int, window: float
) -> dict[str, Any]:
    """``streams`` subscribers of one transport: upstream rate, change delivery delays."""
    ids = [instances[i % len(instances)] for i in range(streams)]
    address = gateway.target if kind == "grpc" else gateway.http
    proc = _client("watch", kind, address, ",".join(ids))
    assert proc.stdout is not None and proc.stdin is not None
    t0 = time.monotonic()
    line = proc.stdout.readline()
    if line.strip() != "ready":
        raise RuntimeError(f"{kind} client failed: {line!r}")
    open_seconds = time.monotonic() - t0
    time.sleep(2.0)  # snapshots settle
    rate, per_op = upstream_rate(emulator, window)
    changes: dict[tuple[str, str], float] = {}
    for step in ("SUSPENDED", "RUNNING"):
        for instance_id in instances:
            changes[(instance_id, step)] = time.time()
            if step == "SUSPENDED":
                emulator.suspend(instance_id)
            else:
                emulator.resume(instance_id)
        time.sleep(3.0)
    proc.stdin.write("stop\n")
    proc.stdin.flush()
    report = json.loads(proc.stdout.readline())
    proc.wait(30)
    delivery = [
        recv - changes[(iid, state)]
        for iid, state, recv in report["changes"]
        if (iid, state) in changes
    ]
    return {
        "kind": kind,
        "opened": report["opened"],
        "errors": report["errors"],
        "open_seconds": open_seconds,
        "upstream_rps": rate,
        "per_op": per_op,
        "deliveries": len(delivery),
        "change_p50": pct(delivery, 0.5),
        "change_p99": pct(delivery, 0.99),
        "observed_p50": pct(report["delays"], 0.5),
        "observed_p99": pct(report["delays"], 0.99),
    }


def unary_phase(gateway: Gateway, kind: str, instance_id: str, seconds: float) -> float:
    """Cached GetInstance requests/s of one transport at concurrency 64."""
    address = gateway.target if kind == "grpc" else gateway.http
    proc = _client("unary", kind, address, instance_id, str(seconds))
    out, _ = proc.communicate(timeout=seconds + 120)
    return float(json.loads(out.strip().splitlines()[-1])["rps"])


def main() -> int:
    """Run the benchmark (or, with ``--client``, one load process) and print the figures."""
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        mode, kind, address, arg, *rest = sys.argv[2:]
        if mode == "watch":
            asyncio.run(_watch_client(kind, address, arg.split(",")))
        else:
            asyncio.run(_unary_client(kind, address, arg, float(rest[0])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--unary-seconds", type=float, default=5.0)
    parser.add_argument("--progress-interval", type=float, default=1.0)
    args = parser.parse_args()

    from mcemulator import DURATION_HINT, Emulator, EmulatorConfig
    from mcgateway.maxcompute import ClientConfig, Credentials, MaxComputeClient

    with tempfile.TemporaryDirectory(prefix="http-bench-") as tmp:
        workdir = Path(tmp)
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
        gateway = Gateway(
            emulator, workdir, args.progress_interval, extra=("--http-listen", "127.0.0.1:0")
        )
        try:
            instances = submit(client, emulator.project, 3600, args.instances)
            phases = [
                watch_phase(emulator, gateway, kind, instances, args.streams, args.window)
                for kind in ("grpc", "sse")
            ]
            for instance_id in instances:
                client.stop_instance(emulator.project, instance_id)
            done = client.create_sql_instance(
                emulator.project, "select 1", hints={DURATION_HINT: "0.1"}
            ).instance_id
            while not client.get_instance(emulator.project, done).is_terminated:
                time.sleep(0.1)
            rps: dict[str, list[float]] = {"grpc": [], "http": []}
            for _ in range(2):
                for kind in ("grpc", "http"):
                    rps[kind].append(unary_phase(gateway, kind, done, args.unary_seconds))
        finally:
            gateway.stop()
            client.close()
            emulator.stop()

    grpc_phase, sse_phase = phases
    print(
        f"{args.streams} subscribers over {args.instances} running instances, progress "
        f"cadence {args.progress_interval:.1f} s, upstream measured over {args.window:.0f} s:"
    )
    print()
    print("| transport | opened | errors | open time | upstream req/s | change→delivery p50 / p99 "
          "| observed→delivery p50 / p99 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for p in phases:
        print(
            f"| {p['kind']} | {p['opened']} | {p['errors'] or 0} | {p['open_seconds']:.1f} s "
            f"| {p['upstream_rps']:.1f} | {p['change_p50']:.0f} / {p['change_p99']:.0f} ms "
            f"({p['deliveries']} deliveries) | {p['observed_p50']:.0f} / "
            f"{p['observed_p99']:.0f} ms |"
        )
    print()
    for p in phases:
        ops = ", ".join(f"{op} {rate:.1f}" for op, rate in p["per_op"].items() if rate)
        print(f"- {p['kind']} upstream reads/s by operation: {ops}")
    ratio = sse_phase["upstream_rps"] / grpc_phase["upstream_rps"]
    cadence = args.progress_interval * 1000 + 100
    print()
    print(
        f"- upstream requests/s, SSE / gRPC: {sse_phase['upstream_rps']:.1f} / "
        f"{grpc_phase['upstream_rps']:.1f} = {ratio:.2f} (target: equal, shared pollers)"
    )
    print(
        f"- SSE change→delivery p99 {sse_phase['change_p99']:.0f} ms vs cadence + 100 ms = "
        f"{cadence:.0f} ms: {'met' if sse_phase['change_p99'] <= cadence else 'NOT met'}"
    )
    g = sum(rps["grpc"]) / len(rps["grpc"])
    h = sum(rps["http"]) / len(rps["http"])
    print(
        f"- cached GetInstance at concurrency 64: HTTP {h:.0f} req/s "
        f"({', '.join(f'{x:.0f}' for x in rps['http'])}), gRPC {g:.0f} RPC/s "
        f"({', '.join(f'{x:.0f}' for x in rps['grpc'])}): HTTP/gRPC = {h / g:.2f} "
        f"(target >= 0.70: {'met' if h / g >= 0.7 else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
