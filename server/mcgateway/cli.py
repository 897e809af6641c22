"""The ``mcgateway`` command: ``serve`` (the gateway) and ``emulator`` (a standalone emulator).

``mcgateway serve`` with no ``--endpoint`` starts the embedded MaxCompute emulator
in-process, so ``make run`` gives a working gateway with a ``demo`` project at once.
SIGTERM/SIGINT shut down gracefully (exit 0); SIGHUP reloads the tokens file.
``mcgateway health`` asks a running gateway for its gRPC health, for container health checks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import ipaddress
import json
import logging
import os
import signal
import ssl
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mcgateway.auth import TokenFileError
from mcgateway.config import ConfigError, GatewayConfig, add_arguments, load_config, parse_listen
from mcgateway.logs import configure_logging

if TYPE_CHECKING:  # imported where used: `mcgateway health` (a frequent probe) needs none of it
    from mcgateway.server import GatewayServer

__all__ = ["certificate_names", "check_health", "main", "serve", "write_ready_file"]

_log = logging.getLogger("mcgateway.cli")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mcgateway",
        description="gRPC gateway for MaxCompute (ODPS) job instances.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_version('maxcompute-gateway')}"
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
    _add_health_parser(commands)
    emulator_parser = commands.add_parser(
        "emulator",
        help="run a standalone MaxCompute emulator",
        description="Run the MaxCompute REST emulator on its own.",
    )
    import mcemulator.cli as emulator_cli

    emulator_cli.add_arguments(emulator_parser)
    return parser


def _add_health_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health_parser = commands.add_parser(
        "health",
        help="check that the gateway `serve` runs with this configuration is SERVING",
        description=(
            "Ask the gateway that `mcgateway serve` runs with the same configuration (the same "
            "flags, MCGATEWAY_<NAME> environment and --config file) for its grpc.health.v1 "
            "status, over TLS when the configuration has --tls-cert. Dials loopback when it "
            "listens on every interface. Exit 0 when SERVING, else 1 (container health checks "
            "and Kubernetes exec probes)."
        ),
    )
    add_arguments(health_parser)
    health_parser.add_argument(
        "--timeout",
        dest="health_timeout",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="deadline of the health check call [default: 3.0]",
    )


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
    from mcgateway.server import SERVICE_NAME

    config = server.config
    target = server.target
    tls = config.tls_cert is not None
    transport = "mTLS" if config.tls_client_ca else ("TLS" if tls else "plaintext")
    info = server.ready_info()
    emulator: list[str] = []
    if config.embedded and server.emulator is not None:
        emu = server.emulator
        data = emu.config.data_dir
        upstream = f"{server.endpoint} (embedded emulator, data in {data})"
        # The secret stays in its 0600 file: terminals and CI logs keep what is printed.
        if emu.account_file is not None:
            emulator = [
                f"  emulator  access id {emu.access_id}, secret in {emu.account_file}",
                f"            PyODPS: a = json.load(open({str(emu.account_file)!r})); "
                f"ODPS(a['access_id'], a['access_key'], {emu.project!r}, "
                f"endpoint={emu.endpoint!r})",
            ]
        else:
            emulator = [f"  emulator  access id {emu.access_id} (configured account)"]
    elif config.embedded:
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
        f"  HTTP      {info['http'] or 'off (--http-listen HOST:PORT)'}"
        + (f" (dashboard at /, OpenAPI at {info['http']}/v1/openapi.json)" if info["http"] else ""),
        f"  upstream  {upstream}",
        *emulator,
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
    from mcgateway.server import GatewayServer

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


def _der_elements(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The (tag, contents) of each DER element in ``data``, enough to read X.509 names."""
    i = 0
    while i < len(data):
        tag, length = data[i], data[i + 1]
        i += 2
        if length & 0x80:
            size = length & 0x7F
            length = int.from_bytes(data[i : i + size], "big")
            i += size
        if i + length > len(data):
            raise ValueError("truncated DER element")
        yield tag, data[i : i + length]
        i += length


_SUBJECT_ALT_NAME = bytes.fromhex("551d11")  # OID 2.5.29.17
_COMMON_NAME = bytes.fromhex("550403")  # OID 2.5.4.3


def certificate_names(pem: bytes) -> list[str]:
    """The host names of the first certificate in a PEM chain, as TLS checks them.

    Its DNS and IP subject alternative names, else its subject common name. Raises
    ``ValueError`` when there is no readable certificate.
    """
    text = pem.decode("ascii", "replace")
    begin = text.find(ssl.PEM_HEADER)
    end = text.find(ssl.PEM_FOOTER, begin)
    if begin < 0 or end < 0:
        raise ValueError("no PEM certificate")
    der = ssl.PEM_cert_to_DER_cert(text[begin : end + len(ssl.PEM_FOOTER)])
    try:
        ((_, certificate),) = _der_elements(der)
        tbs = next(_der_elements(certificate))[1]
        fields = [body for tag, body in _der_elements(tbs) if tag != 0xA0]  # minus version
        extensions = [body for tag, body in _der_elements(tbs) if tag == 0xA3]
        names: list[str] = []
        for body in extensions:
            for _, extension in _der_elements(next(_der_elements(body))[1]):
                oid, *_, value = (b for _, b in _der_elements(extension))
                if oid != _SUBJECT_ALT_NAME:
                    continue
                for kind, name in _der_elements(next(_der_elements(value))[1]):
                    if kind == 0x82:  # dNSName
                        names.append(name.decode("ascii"))
                    elif kind == 0x87:  # iPAddress
                        names.append(str(ipaddress.ip_address(name)))
        if names:
            return names
        # serial, signature algorithm, issuer, validity, subject: [4]
        for _, rdn in _der_elements(fields[4]):
            for _, attribute in _der_elements(rdn):
                oid, value = (b for _, b in _der_elements(attribute))
                if oid == _COMMON_NAME:
                    names.append(value.decode("utf-8"))
    except (IndexError, StopIteration, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed certificate: {exc!r}") from None
    return names


def _health_target(config: GatewayConfig) -> str:
    host, port = parse_listen(config.listen)
    if port == 0:
        raise ConfigError(f"listen {config.listen!r} has no fixed port to check")
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}"


def check_health(config: GatewayConfig, *, timeout: float = 3.0) -> tuple[bool, str]:
    """Whether the gateway ``serve`` runs with ``config`` is SERVING, and what was seen.

    Without ``tls_cert`` the check speaks plaintext. With it, TLS as every client must: it
    trusts that certificate itself (gRPC accepts the server's own certificate as its root)
    and expects the name the certificate carries, since it dials loopback; with
    ``tls_client_ca`` (mTLS) it presents the same certificate and key, so the client CA must
    have signed the server certificate for client use too.
    """
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    target = _health_target(config)
    if config.tls_cert is None or config.tls_key is None:
        channel = grpc.insecure_channel(target)
        transport = "plaintext"
    else:
        chain = config.tls_cert.read_bytes()
        key = config.tls_key.read_bytes() if config.tls_client_ca is not None else None
        credentials = grpc.ssl_channel_credentials(chain, key, chain if key else None)
        host = target.rpartition(":")[0].strip("[]")
        names = certificate_names(chain)
        options: list[tuple[str, str]] = []
        if names and host not in names:
            name = names[0]
            name = "health" + name[1:] if name.startswith("*.") else name
            options.append(("grpc.ssl_target_name_override", name))
        channel = grpc.secure_channel(target, credentials, options)
        transport = "mTLS" if key else "TLS"
    with channel:
        try:
            response = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError as exc:
            return False, f"{target} ({transport}): {exc.code().name}: {exc.details()}"
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
    serving = response.status == health_pb2.HealthCheckResponse.SERVING
    return serving, f"{target} ({transport}): {status}"


def _health(args: argparse.Namespace) -> int:
    given = {k: v for k, v in vars(args).items() if k not in ("command", "health_timeout")}
    try:
        serving, message = check_health(load_config(given), timeout=args.health_timeout)
    except (ConfigError, OSError, ValueError) as exc:
        serving, message = False, f"configuration error: {exc}"
    # Exit 1, never 2, when unhealthy: Docker reserves 2 in HEALTHCHECK commands.
    print(f"mcgateway health: {message}", file=sys.stdout if serving else sys.stderr)
    return 0 if serving else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mcgateway`` console script."""
    if (sys.argv[1:] if argv is None else list(argv))[:1] == ["health"]:
        # A probe runs every few seconds: parse only its arguments, import no server/emulator.
        health_only = argparse.ArgumentParser(prog="mcgateway")
        _add_health_parser(health_only.add_subparsers(dest="command", required=True))
        return _health(health_only.parse_args(argv))
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


def _version(distribution: str) -> str:
    """The installed version of ``distribution`` (``unknown`` when run from a bare tree)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
