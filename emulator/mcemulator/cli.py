"""``mcgateway emulator`` / ``python -m mcemulator``: run the emulator in the foreground."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from mcemulator.config import DEMO_ACCESS_ID, DEMO_ACCESS_KEY, Account, EmulatorConfig
from mcemulator.config import default_data_dir as _default_data_dir
from mcemulator.faults import OPERATIONS, FaultRule
from mcemulator.server import Emulator


def _listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _operations(value: str) -> frozenset[str]:
    names = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = names - OPERATIONS
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown operations {sorted(unknown)}; known: {', '.join(sorted(OPERATIONS))}"
        )
    return names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's command-line options to ``parser``."""
    parser.add_argument(
        "--listen",
        type=_listen,
        default=("127.0.0.1", 8100),
        metavar="HOST:PORT",
        help="address to serve on (default 127.0.0.1:8100; port 0 picks a free one)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where instances and tables are kept (default {_default_data_dir()})",
    )
    parser.add_argument("--project", default="demo", help="preloaded project (default demo)")
    parser.add_argument("--access-id", default=None, help="AccessKeyId of the account to create")
    parser.add_argument("--access-key", default=None, help="its AccessKeySecret")
    parser.add_argument(
        "--duration",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="simulated run time of a SQL task without a hint (default 0.5)",
    )
    parser.add_argument("--workers", type=int, default=4, help="instances run at once (4)")
    parser.add_argument(
        "--max-clock-skew",
        type=float,
        default=None,
        metavar="SECONDS",
        help="refuse requests whose Date is further off (off by default; the service uses 900)",
    )
    faults = parser.add_argument_group("fault injection (off by default)")
    flags = (
        ("--fault-latency", "SECONDS", "delay added to every request"),
        ("--fault-error-rate", "P", "probability of a 500/502/503 answer"),
        ("--fault-throttle-rate", "P", "probability of a 429 QPSExceeded with Retry-After"),
        ("--fault-drop-rate", "P", "probability of closing the connection without answering"),
        ("--fault-malformed-rate", "P", "probability of a truncated, unparseable body"),
    )
    for flag, metavar, text in flags:
        faults.add_argument(flag, type=float, default=0.0, metavar=metavar, help=text)
    faults.add_argument(
        "--fault-operations",
        type=_operations,
        default=frozenset(),
        metavar="OP[,OP...]",
        help="limit the faults to these operations (default: all)",
    )


def config_from(args: argparse.Namespace) -> EmulatorConfig:
    """The configuration the parsed options describe."""
    if (args.access_id is None) != (args.access_key is None):
        raise SystemExit("--access-id and --access-key go together")
    accounts = {DEMO_ACCESS_ID: Account(DEMO_ACCESS_KEY)}
    if args.access_id is not None:
        accounts = {args.access_id: Account(args.access_key)}
    rule = FaultRule(
        operations=args.fault_operations,
        latency_seconds=args.fault_latency,
        error_rate=args.fault_error_rate,
        throttle_rate=args.fault_throttle_rate,
        drop_rate=args.fault_drop_rate,
        malformed_rate=args.fault_malformed_rate,
    )
    active = rule != FaultRule(operations=args.fault_operations)
    host, port = args.listen
    return EmulatorConfig(
        data_dir=args.data_dir or _default_data_dir(),
        host=host,
        port=port,
        project=args.project,
        accounts=accounts,
        default_duration_seconds=args.duration,
        workers=args.workers,
        faults=(rule,) if active else (),
        max_clock_skew_seconds=args.max_clock_skew,
    )


def run(args: argparse.Namespace) -> int:
    """Serve until SIGTERM or SIGINT; returns the process exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        config = config_from(args)
    except ValueError as exc:
        print(f"mcemulator: {exc}", file=sys.stderr)
        return 2
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    emulator = Emulator(config)
    emulator.start()
    print(f"endpoint: {emulator.endpoint}", flush=True)
    print(f"project: {emulator.project}", flush=True)
    print(f"access id: {emulator.access_id}", flush=True)
    print(f"access key: {emulator.access_key}", flush=True)
    print(f"data dir: {config.data_dir}", flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m mcemulator``."""
    parser = argparse.ArgumentParser(prog="mcemulator", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
