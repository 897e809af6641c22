"""``mcgateway emulator`` / ``python -m mcemulator``: run the emulator in the foreground.

Without ``--access-id`` the emulator uses the account generated for its data directory
(``account.json``, mode 0600). With ``--access-id``, the secret comes from
``--access-key-file``, the ``MCEMULATOR_ACCESS_KEY`` environment variable or ``--access-key``
(visible to other local users in the process list). The secret is never printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from mcemulator.config import Account, EmulatorConfig
from mcemulator.config import default_data_dir as _default_data_dir
from mcemulator.faults import OPERATIONS, FaultRule
from mcemulator.server import Emulator

ACCESS_KEY_ENV = "MCEMULATOR_ACCESS_KEY"
"""Environment variable holding the secret of ``--access-id``."""


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
    parser.add_argument(
        "--access-id",
        default=None,
        help="AccessKeyId of the account to use instead of the data dir's generated one; its "
        f"secret comes from --access-key-file, ${ACCESS_KEY_ENV} or --access-key",
    )
    parser.add_argument(
        "--access-key-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="file holding the AccessKeySecret of --access-id (surrounding whitespace ignored)",
    )
    parser.add_argument(
        "--access-key",
        default=None,
        help=f"the AccessKeySecret itself (visible in the process list: prefer "
        f"--access-key-file or ${ACCESS_KEY_ENV})",
    )
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
        default=900.0,
        metavar="SECONDS",
        help="refuse requests whose Date is further off (default 900, as the service; 0 turns "
        "the check off and lets captured requests be replayed)",
    )
    parser.add_argument(
        "--admin",
        action="store_true",
        help="serve the /_emulator admin endpoints (faults, suspend/resume, counters) to "
        "requests signed by the account; off by default",
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


def _access_key(args: argparse.Namespace, environ: Mapping[str, str]) -> str | None:
    """The secret of ``--access-id``; None when no id was given."""
    given = [
        (name, value)
        for name, value in (
            ("--access-key-file", args.access_key_file),
            ("--access-key", args.access_key),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise SystemExit("give the secret with only one of --access-key-file and --access-key")
    if args.access_id is None:
        if given:
            raise SystemExit(f"{given[0][0]} needs --access-id")
        return None
    if args.access_key_file is not None:
        try:
            key = str(args.access_key_file.read_text(encoding="utf-8")).strip()
        except OSError as exc:
            raise SystemExit(f"cannot read --access-key-file: {exc}") from None
        if not key:
            raise SystemExit(f"--access-key-file {args.access_key_file} is empty")
        return key
    if args.access_key is not None:
        if not args.access_key:
            raise SystemExit("--access-key is empty")
        return str(args.access_key)
    key = environ.get(ACCESS_KEY_ENV, "")
    if not key:
        raise SystemExit(
            f"--access-id needs its secret: --access-key-file PATH or ${ACCESS_KEY_ENV}"
        )
    return key


def config_from(
    args: argparse.Namespace, environ: Mapping[str, str] | None = None
) -> EmulatorConfig:
    """The configuration the parsed options (and ``environ``, default os.environ) describe."""
    secret = _access_key(args, os.environ if environ is None else environ)
    accounts = None  # the data dir's generated account
    if secret is not None:
        accounts = {args.access_id: Account(secret)}
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
        max_clock_skew_seconds=args.max_clock_skew if args.max_clock_skew > 0 else None,
        admin=args.admin,
    )


def key_source(args: argparse.Namespace, emulator: Emulator) -> str:
    """Where the secret of the printed access id is (never the secret itself)."""
    if emulator.account_file is not None:
        return f"in {emulator.account_file} (generated for this data dir)"
    if args.access_key_file is not None:
        return f"from --access-key-file {args.access_key_file}"
    if args.access_key is not None:
        return "from --access-key"
    return f"from ${ACCESS_KEY_ENV}"


def run(args: argparse.Namespace) -> int:
    """Serve until SIGTERM or SIGINT; returns the process exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Every file this process creates (DuckDB recreates its WAL now and then) is private.
    os.umask(0o077)
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
    print(f"access key: {key_source(args, emulator)}", flush=True)
    admin = "on (signed requests only)" if config.admin else "off (--admin)"
    print(f"admin endpoints: {admin}", flush=True)
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
