"""Result download benchmark: ReadInstanceResult through the gateway vs PyODPS on the tunnel.

Starts the emulator and the gateway (``mcgateway serve``) in their own processes, runs one
SELECT of ``--rows`` rows of (bigint, double, string, decimal, timestamp), then reads its whole
result, each read in a fresh client process so that each one's peak memory is its own:

(a) PyODPS ``instance.open_reader(tunnel=True)`` straight from the emulator (record format);
(b) the gateway's typed rows: ``Instance.open_reader()`` iterated record by record;
(c) the gateway's Arrow batches into pyarrow: ``Instance.open_reader().to_arrow()``.

It prints rows/s, the client's peak RSS, and the gateway's RSS growth during each read (the
gateway process is sampled every 20 ms), then the ratios the [results] targets speak about:
(c) >= 1.0x (a), (b) >= 0.5x (a), gateway RSS growth <= 64 MB.

    .venv/bin/python bench/results_bench.py [--rows 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import PYTHON, Stack

QUERY = (
    "select range as id, range * 0.5 as score, 'name-' || range as name, "
    "cast(range as decimal(18,2)) / 100 as amount, "
    "timestamp_ns '2024-01-01 00:00:00' + to_microseconds(range) as happened "
    "from range({rows})"
)
MODES = {
    "a": "PyODPS open_reader(tunnel=True), straight from the emulator",
    "b": "gateway, typed rows (Instance.open_reader() iterated)",
    "c": "gateway, Arrow into pyarrow (open_reader().to_arrow())",
}


def _read(mode: str, target: str, emulator: dict[str, str], instance_id: str) -> dict[str, float]:
    """Runs in a fresh process: read the whole result one way; rows, seconds, peak RSS."""
    started = time.perf_counter()
    rows = 0
    if mode == "a":
        from odps import ODPS

        o = ODPS(
            emulator["access_id"],
            emulator["access_key"],
            project="demo",
            endpoint=emulator["endpoint"],
        )
        with o.get_instance(instance_id).open_reader(tunnel=True) as reader:
            for _record in reader:
                rows += 1
    else:
        from mcgateway_client import Gateway

        with Gateway(target, default_project="demo") as gateway:
            instance = gateway.get_instance(instance_id)
            with instance.open_reader() as reader:
                if mode == "b":
                    for _record in reader:
                        rows += 1
                else:
                    rows = reader.to_arrow().num_rows
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_kib / 1024}


class _Sampler:
    """Peak RSS of a process, sampled every 20 ms while running."""

    def __init__(self, pid: int) -> None:
        self._proc = psutil.Process(pid)
        self.base = self._proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def stop(self) -> float:
        """Stop sampling; the growth over the base, in MB."""
        self._stop.set()
        self._thread.join()
        return (self.peak - self.base) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="reads per mode; median shown")
    parser.add_argument("--read", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        mode, target, emu_json, instance_id = args.read
        print(json.dumps(_read(mode, target, json.loads(emu_json), instance_id)))
        return 0

    with Stack("results-bench") as stack:
        target = stack.start_gateway()["target"]
        assert stack.gateway is not None
        gw = stack.gateway
        emulator = {
            "endpoint": stack.endpoint,
            "access_id": stack.access_id,
            "access_key": stack.access_key,
        }
        from mcgateway_client import Gateway

        with Gateway(target, default_project="demo") as gateway:
            made = time.perf_counter()
            instance = gateway.execute_sql(QUERY.format(rows=args.rows))
            print(f"SELECT of {args.rows:,} rows ran in {time.perf_counter() - made:.1f} s")
            instance_id = instance.id
            warmup_id = gateway.execute_sql(QUERY.format(rows=1000)).id

        # The first read through a gateway process loads code it has not used yet (Arrow
        # compute kernels, IPC): a fixed cost, paid once, whatever the result's size. Measure
        # it apart with a small warm-up read of each format, then the reads themselves.
        warm_base = psutil.Process(gw.pid).memory_info().rss
        for mode in ("b", "c"):
            subprocess.run(
                [PYTHON, __file__, "--read", mode, target, json.dumps(emulator), warmup_id],
                check=True,
                capture_output=True,
                text=True,
            )
        warmup_mb = (psutil.Process(gw.pid).memory_info().rss - warm_base) / 2**20
        results: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
        for _ in range(args.rounds):
            for mode in MODES:
                sampler = _Sampler(gw.pid)
                out = subprocess.run(
                    [PYTHON, __file__, "--read", mode, target, json.dumps(emulator), instance_id],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                figures = json.loads(out.stdout.strip().splitlines()[-1])
                growth = sampler.stop()  # (a) does not touch the gateway: shown as "—"
                figures["gateway_growth_mb"] = growth if mode != "a" else 0.0
                if figures["rows"] != args.rows:
                    raise SystemExit(f"mode {mode} read {figures['rows']} rows, not {args.rows}")
                results[mode].append(figures)

        print()
        print(
            f"| read ({args.rows:,} rows, median of {args.rounds}) | rows/s | seconds "
            "| client peak RSS | gateway RSS growth |"
        )
        print("|---|---:|---:|---:|---:|")
        rate: dict[str, float] = {}
        growth = 0.0
        for mode, label in MODES.items():
            runs = sorted(results[mode], key=lambda r: r["seconds"])
            median = runs[len(runs) // 2]
            rate[mode] = args.rows / median["seconds"]
            worst_growth = max(r["gateway_growth_mb"] for r in runs)
            if mode != "a":
                growth = max(growth, worst_growth)
            print(
                f"| ({mode}) {label} | {rate[mode]:,.0f} | {median['seconds']:.2f} "
                f"| {median['peak_mb']:.0f} MB | "
                + ("—" if mode == "a" else f"{worst_growth:.1f} MB")
                + " |"
            )
        print()
        print(
            f"(c)/(a) Arrow through the gateway vs PyODPS on the tunnel: "
            f"{rate['c'] / rate['a']:.2f}x (target >= 1.0x)"
        )
        print(
            f"(b)/(a) typed rows through the gateway vs PyODPS on the tunnel: "
            f"{rate['b'] / rate['a']:.2f}x (target >= 0.5x)"
        )
        print(
            f"gateway RSS growth, worst read: {growth:.1f} MB (target <= 64 MB), after a "
            f"one-time {warmup_mb:.1f} MB for first use (warm-up reads of 1,000 rows)"
        )
        spread = statistics.pstdev([args.rows / r["seconds"] for r in results["a"]])
        print(f"(spread of (a) over the rounds: {spread:,.0f} rows/s)")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
