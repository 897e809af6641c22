"""The ``mcgateway`` command: ``serve`` (the gateway) and ``emulator`` (a standalone emulator).

``mcgateway serve`` with no ``--endpoint`` starts the embedded MaxCompute emulator
in-process, so ``make run`` gives a working gateway with a ``demo`` project at once.
SIGTERM/SIGINT shut down gracefully (exit 0); SIGHUP reloads the tokens file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from mcgateway.auth import TokenFileError
from mcgateway.config import ConfigError, GatewayConfig, add_arguments, load_config
from mcgateway.logs import configure_logging
from mcgateway.server import SERVICE_NAME, GatewayServer

__all__ = ["main", "serve", "write_ready_file"]

_log = logging.getLogger("mcgateway.cli")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mcgateway",
        description="gRPC gateway for MaxCompute (ODPS) job instances.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    serve_parser = commands.add_parser(
        "serve",
        help="run the gateway (embedded emulator unless --endpoint is given)",
        description=(
            "Run the gateway. Every option can also be set as MCGATEWAY_<NAME> in the "
            "environment or as a key in the --config TOML file; precedence is "
            "flags > environment > file > defaults."
        ),
    )
    add_arguments(serve_parser)
    emulator_parser = commands.add_parser(
        "emulator",
        help="run a standalone MaxCompute emulator",
        description="Run the MaxCompute REST emulator on its own.",
    )
    import mcemulator.cli as emulator_cli

    emulator_cli.add_arguments(emulator_parser)
    return parser


def write_ready_file(path: Path, info: dict[str, str | None]) -> None:
    """Write ``info`` as JSON to ``path`` atomically (temp file in the same dir + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ready-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(info, fh)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _banner(server: GatewayServer, out: TextIO) -> None:
    config = server.config
    target = server.target
    tls = config.tls_cert is not None
    transport = "mTLS" if config.tls_client_ca else ("TLS" if tls else "plaintext")
    info = server.ready_info()
    if config.embedded:
        data = (config.data_dir or Path("~/.local/share/mcgateway")) / "emulator"
        upstream = f"{server.endpoint} (embedded emulator, data in {data})"
    else:
        upstream = str(server.endpoint)
    if server.tokens is not None:
        auth = f"bearer tokens from {config.tokens_file} ({len(server.tokens)} tokens)"
    else:
        auth = "none (no --tokens-file)"
    grpcurl_flags = "-plaintext" if not tls else "-insecure"
    lines = [
        "mcgateway is serving",
        f"  gRPC      {target} ({transport})",
        f"  metrics   {info['metrics'] or 'off (--metrics-listen HOST:PORT)'}",
        f"  upstream  {upstream}",
        f"  project   {server.project or '(none: every request must name one)'} (default)",
        f"  auth      {auth}",
        "Try it:",
        f"  mcgw --target {target} sql 'select * from pyodps_iris limit 3' --wait",
        f"  mcgw --target {target} ls",
        "  " + " ".join(p for p in ("grpcurl", grpcurl_flags, target, "list", SERVICE_NAME) if p),
        "Stop with Ctrl-C (graceful).",
    ]
    out.write("\n".join(lines) + "\n")
    out.flush()


async def serve(config: GatewayConfig, *, out: TextIO | None = None) -> int:
    """Run a gateway until SIGTERM/SIGINT; return the exit code."""
    out = out or sys.stdout
    server = GatewayServer(config)
    await server.start()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, server.reload_tokens)
    pending: set[asyncio.Task[None]] = set()

    def force() -> None:
        _log.warning("second signal: cancelling the remaining calls now")
        task = loop.create_task(server.stop(0))
        pending.add(task)
        task.add_done_callback(pending.discard)

    try:
        if config.ready_file is not None:
            write_ready_file(config.ready_file, server.ready_info())
        _banner(server, out)
        await stop.wait()
        _log.info("shutting down (grace %.1f s; signal again to cut it short)", config.grace_period)
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, force)
        await server.stop()
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        await server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mcgateway`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "emulator":
        import mcemulator.cli as emulator_cli

        return int(emulator_cli.run(args))
    given = {k: v for k, v in vars(args).items() if k != "command"}
    try:
        config = load_config(given)
    except ConfigError as exc:
        print(f"mcgateway: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(config.log_format, config.log_level)
    try:
        code = asyncio.run(serve(config))
    except (ConfigError, TokenFileError) as exc:
        print(f"mcgateway: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a malformed endpoint, refused by the REST client
        print(f"mcgateway: configuration error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"mcgateway: cannot start: {exc}", file=sys.stderr)
        return 1
    _exit_without_waiting_for_upstream(code)
    return code


def _exit_without_waiting_for_upstream(code: int) -> None:
    """Exit now if abandoned upstream calls are still running.

    Every RPC has ended, but an upstream HTTP call of a cancelled RPC may still run (bounded
    by that call's deadline); the interpreter would join its thread at exit. Nothing waits
    for its answer, so leave without it.
    """
    busy = [t for t in threading.enumerate() if t.name.startswith("mcgateway-upstream")]
    if any(t.is_alive() and t is not threading.current_thread() for t in busy):
        _log.info("leaving %d upstream worker threads behind", len(busy))
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
