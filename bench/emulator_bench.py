"""Request rate of the MaxCompute emulator for signed instance GETs.

Starts ``python -m mcemulator`` as a separate process (so client and server do not share
a GIL), creates one instance, then measures:

1. one keep-alive ``requests.Session`` sending signed ``GET /projects/demo/instances/{id}``
   back to back, with ``trust_env=False`` and with requests' default ``trust_env=True``
   (which adds proxy and .netrc lookups to every request);
2. 16 concurrent clients, each its own **process** with its own keep-alive session;
3. for context, one keep-alive ``http.client`` connection (far less client overhead than
   ``requests``), and the same ``requests`` client against a trivial aiohttp server that
   answers a constant body: the ceiling the client itself allows on this machine.

Every request is signed like PyODPS signs it (fresh ``Date``, v2 HMAC). Prints requests/s,
latency percentiles and the server's CPU use. Usage:

    .venv/bin/python bench/emulator_bench.py [--seconds 5] [--clients 16]
"""

from __future__ import annotations

import argparse
import email.utils
import multiprocessing as mp
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import psutil
import requests
from mcemulator.cli import ACCESS_KEY_ENV
from mcemulator.signing import sign_headers

BENCH_ACCESS_ID = "bench"
"""The emulator's account; its secret is made up per run and travels in the environment
(``MCEMULATOR_ACCESS_KEY``), so the client processes inherit it."""


def _signed(method: str, target: str, body: str | None = None) -> dict[str, str]:
    headers = {"Date": email.utils.formatdate(usegmt=True), "x-odps-user-agent": "bench"}
    if body is not None:
        headers["Content-Type"] = "application/xml"
    return sign_headers(method, target, headers, BENCH_ACCESS_ID, os.environ[ACCESS_KEY_ENV])


def start_server(data_dir: str) -> tuple[subprocess.Popen[str], int]:
    """Run the emulator in its own process; returns it and its port."""
    os.environ.setdefault(ACCESS_KEY_ENV, secrets.token_urlsafe(24))
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "mcemulator", "--listen", "127.0.0.1:0"),
            *("--data-dir", data_dir, "--access-id", BENCH_ACCESS_ID),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    port = 0
    with proc.stdout:
        for line in proc.stdout:
            if line.startswith("endpoint: "):
                port = int(line.rsplit(":", 1)[1].split("/")[0])
            if line.startswith("data dir: "):
                return proc, port
    raise SystemExit("emulator failed to start")


def create_instance(base: str) -> str:
    target = "/projects/demo/instances?curr_project=demo"
    body = (
        "<Instance><Job><Priority>9</Priority><Tasks><SQL><Name>AnonymousSQLTask</Name>"
        "<Query>select * from pyodps_iris limit 1;</Query></SQL></Tasks></Job></Instance>"
    )
    resp = requests.post(base + "/api" + target, data=body, headers=_signed("POST", target, body))
    resp.raise_for_status()
    return resp.headers["Location"].rsplit("/", 1)[1]


def run_client(
    base: str,
    instance_id: str,
    seconds: float,
    ready: Callable[[], None] | None = None,
    trust_env: bool = False,
) -> list[float]:
    """GET the instance back to back for ``seconds``; returns each request's latency.

    ``ready`` is called once the connection is warm and must return when timing may start.
    ``trust_env=False`` spares requests its per-request proxy and .netrc lookups, which
    cost more than the emulator's whole answer on this kind of machine.
    """
    target = f"/projects/demo/instances/{instance_id}?curr_project=demo"
    url = base + "/api" + target
    latencies: list[float] = []
    with requests.Session() as session:
        session.trust_env = trust_env
        session.get(url, headers=_signed("GET", target)).raise_for_status()  # warm the connection
        if ready is not None:
            ready()
        end = time.perf_counter() + seconds
        while True:
            started = time.perf_counter()
            if started >= end:
                break
            resp = session.get(url, headers=_signed("GET", target))
            if resp.status_code != 200:
                raise SystemExit(f"unexpected {resp.status_code}: {resp.text[:200]}")
            latencies.append(time.perf_counter() - started)
    return latencies


def run_raw_client(port: int, instance_id: str, seconds: float) -> list[float]:
    """Like :func:`run_client` over one ``http.client`` connection."""
    import http.client

    target = f"/projects/demo/instances/{instance_id}?curr_project=demo"
    conn = http.client.HTTPConnection("127.0.0.1", port)
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    while True:
        started = time.perf_counter()
        if started >= end:
            break
        conn.request("GET", "/api" + target, headers=_signed("GET", target))
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise SystemExit(f"unexpected {resp.status}")
        latencies.append(time.perf_counter() - started)
    conn.close()
    return latencies


TRIVIAL_SERVER = """
import sys
from aiohttp import web
async def answer(request):
    return web.Response(text="<Instance><Status>Running</Status></Instance>",
                        content_type="application/xml")
app = web.Application()
app.router.add_get("/{tail:.*}", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None,
            print=lambda *_: print("ready", flush=True))
"""


def baseline(seconds: float) -> None:
    """The requests client against a trivial aiohttp server, in the same run."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", TRIVIAL_SERVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        proc.stdout.close()
        server = psutil.Process(proc.pid)
        cpu0 = sum(server.cpu_times()[:2])
        started = time.perf_counter()
        latencies = run_client(f"http://127.0.0.1:{port}", "x", seconds)
        elapsed = time.perf_counter() - started
        cpu = sum(server.cpu_times()[:2]) - cpu0
        report("baseline: trivial aiohttp, 1 client", latencies, elapsed, cpu)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _client_process(
    base: str,
    instance_id: str,
    seconds: float,
    queue: mp.Queue,  # type: ignore[type-arg]
    barrier: Any,
) -> None:
    # Every client connects first; the clock starts when all of them are ready.
    queue.put(run_client(base, instance_id, seconds, ready=lambda: barrier.wait()))


def report(label: str, latencies: list[float], elapsed: float, cpu: float) -> None:
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(
        f"{label:<40} {len(latencies) / elapsed:8.0f} req/s   p50 {p50:6.2f} ms   "
        f"p99 {p99:6.2f} ms   mean {statistics.fmean(latencies) * 1000:6.2f} ms   "
        f"server CPU {cpu / elapsed * 100:4.0f}%"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = start_server(data_dir)
        server = psutil.Process(proc.pid)
        base = f"http://127.0.0.1:{port}"
        try:
            instance_id = create_instance(base)
            cpus = os.cpu_count()
            print(f"emulator pid {proc.pid} on {base}, {cpus} CPUs, {args.seconds:g} s/phase")

            for trust_env in (False, True):
                cpu0 = sum(server.cpu_times()[:2])
                started = time.perf_counter()
                latencies = run_client(base, instance_id, args.seconds, trust_env=trust_env)
                elapsed = time.perf_counter() - started
                label = f"1 keep-alive client, trust_env={trust_env}"
                report(label, latencies, elapsed, sum(server.cpu_times()[:2]) - cpu0)

            queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
            barrier = mp.Barrier(args.clients + 1)
            workers = [
                mp.Process(
                    target=_client_process, args=(base, instance_id, args.seconds, queue, barrier)
                )
                for _ in range(args.clients)
            ]
            for worker in workers:
                worker.start()
            barrier.wait()
            cpu0 = sum(server.cpu_times()[:2])
            started = time.perf_counter()
            merged: list[float] = []
            for _ in workers:
                merged += queue.get()
            elapsed = max(time.perf_counter() - started, args.seconds)
            for worker in workers:
                worker.join()
            label = f"{args.clients} clients (processes, keep-alive)"
            report(label, merged, elapsed, sum(server.cpu_times()[:2]) - cpu0)

            cpu0 = sum(server.cpu_times()[:2])
            started = time.perf_counter()
            latencies = run_raw_client(port, instance_id, args.seconds)
            elapsed = time.perf_counter() - started
            cpu = sum(server.cpu_times()[:2]) - cpu0
            report("1 keep-alive http.client connection", latencies, elapsed, cpu)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        baseline(args.seconds)


if __name__ == "__main__":
    main()
