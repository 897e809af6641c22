"""Helpers of the reliability tests: real processes, recording and hostile upstreams, metrics.

Everything runs on loopback with ephemeral ports (or a port an earlier process of the same
test held). Processes are the real entry points: ``mcgateway serve`` and ``python -m
mcemulator``, so SIGKILL and SIGTERM hit exactly what operators run.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import grpc
import psutil
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from maxcompute.gateway.v1 import instance_service_pb2, instance_service_pb2_grpc
from mcemulator.admin_client import AdminClient
from mcemulator.datadir import read_account
from mcgateway_client import Instance, ReconnectPolicy
from prometheus_client.parser import text_string_to_metric_families

__all__ = [
    "DURATION_HINT",
    "SERVICE",
    "EmulatorProcess",
    "GatewayProcess",
    "HostileUpstream",
    "RecordingProxy",
    "TlsFiles",
    "WatchThread",
    "error_details",
    "error_info",
    "free_port",
    "gateway_process",
    "make_tls_files",
    "parse_metrics",
    "stub",
    "wait_until",
    "write_tokens",
]

DURATION_HINT = "mcemulator.duration_seconds"
"""SQL hint that sets the emulator's simulated run time of a task, in seconds."""

DOMAIN = "mcgateway.github.io"
"""The ``ErrorInfo.domain`` of every error the gateway returns."""

SERVICE = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"]
"""The InstanceService descriptor, for tests that cover every RPC."""

_START_TIMEOUT = 60.0


def wait_until(condition: Callable[[], bool], budget: float = 30.0, what: str = "") -> None:
    """Check ``condition`` every 20 ms until it holds; fail after ``budget`` seconds."""
    give_up = time.monotonic() + budget
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out after {budget:g} s waiting for {what or condition}")
        time.sleep(0.02)


def error_details(exc: grpc.RpcError) -> tuple[str, str]:
    """(ErrorInfo reason, message) of a failed call's ``google.rpc.Status`` ('' when absent)."""
    from google.rpc import error_details_pb2, status_pb2

    call: Any = exc
    for key, value in call.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                    info = error_details_pb2.ErrorInfo()
                    detail.Unpack(info)
                    return info.reason, status.message
            return "", status.message
    return "", str(call.details() or "")


def error_info(exc: grpc.RpcError) -> Any:
    """The ``google.rpc.ErrorInfo`` of a failed call; fails when there is none or its domain is
    not the gateway's."""
    from google.rpc import error_details_pb2, status_pb2

    call: Any = exc
    for key, value in call.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                    info = error_details_pb2.ErrorInfo()
                    detail.Unpack(info)
                    assert info.domain == DOMAIN, info
                    return info
    raise AssertionError(f"no ErrorInfo in {exc!r}")


def stub(channel: grpc.Channel) -> instance_service_pb2_grpc.InstanceServiceStub:
    """An InstanceService stub on ``channel`` (sync or aio)."""
    return instance_service_pb2_grpc.InstanceServiceStub(channel)


def _mcgateway() -> list[str]:
    script = Path(sys.executable).with_name("mcgateway")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mcgateway.cli"]


def parse_metrics(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Prometheus text → {(sample name, sorted labels): value}."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


class GatewayProcess:
    """``mcgateway serve`` as a child process, logging to a file, stopped by signals.

    ``args`` are extra serve flags. Secrets go through the environment (``env``) as
    operators are told to, so they never show in the process list.
    """

    def __init__(
        self,
        workdir: Path,
        args: Sequence[str] = (),
        *,
        env: Mapping[str, str] | None = None,
        listen: str = "127.0.0.1:0",
        name: str = "gateway",
    ) -> None:
        self.workdir = workdir
        self.args = list(args)
        self.env = dict(env or {})
        self.listen = listen
        self.name = name
        self.log = workdir / f"{name}.log"
        self.ready = workdir / f"{name}.ready.json"
        self.proc: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}

    def start(self) -> GatewayProcess:
        """Start and wait for the ready file; fail with the log when the process dies."""
        self.ready.unlink(missing_ok=True)
        command = [
            *_mcgateway(),
            "serve",
            "--listen", self.listen,
            "--metrics-listen", "127.0.0.1:0",
            "--ready-file", str(self.ready),
            *self.args,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=self.workdir, env=env
            )
        give_up = time.monotonic() + _START_TIMEOUT
        while True:
            info = self._read_ready()
            if info is not None:
                self.info = info
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode} before it was ready:\n"
                    + self.log_text()[-4000:]
                )
            if time.monotonic() > give_up:
                raise RuntimeError(f"{self.name} not ready in {_START_TIMEOUT} s")
            # The child writes the file once, atomically; polling it is the only signal.
            time.sleep(0.05)

    def _read_ready(self) -> dict[str, Any] | None:
        try:
            info = json.loads(self.ready.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        return info if isinstance(info, dict) and info.get("target") else None

    @property
    def target(self) -> str:
        """``127.0.0.1:PORT`` of the gRPC listener."""
        return str(self.info["target"])

    @property
    def port(self) -> int:
        """The gRPC port."""
        return int(self.target.rsplit(":", 1)[1])

    @property
    def pid(self) -> int:
        """The process id."""
        assert self.proc is not None
        return self.proc.pid

    def log_text(self) -> str:
        """Everything the process wrote so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Every sample of its /metrics endpoint."""
        with urllib.request.urlopen(str(self.info["metrics"]), timeout=10) as resp:
            return parse_metrics(resp.read().decode())

    def metric(self, name: str, **labels: str) -> float:
        """Sum of the samples called ``name`` whose labels include ``labels``."""
        total = 0.0
        for (sample, sample_labels), value in self.metrics().items():
            if sample == name and all((k, v) in sample_labels for k, v in labels.items()):
                total += value
        return total

    def rss(self) -> int:
        """Resident set size in bytes."""
        return int(psutil.Process(self.pid).memory_info().rss)

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL and reap."""
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 60.0) -> int:
        """SIGTERM (graceful shutdown) and wait; return the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def close(self) -> None:
        """Stop it whatever state it is in (SIGTERM, then SIGKILL)."""
        if self.alive():
            try:
                self.terminate(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def free_port() -> int:
    """A loopback port that was free a moment ago (for processes that must reuse one port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmulatorProcess:
    """``python -m mcemulator`` on a fixed data dir and port, so it can be killed and restarted."""

    def __init__(self, data_dir: Path, port: int, log: Path, args: Sequence[str] = ()) -> None:
        self.data_dir = data_dir
        self.port = port
        self.log = log
        self.args = list(args)
        self.proc: subprocess.Popen[str] | None = None
        self.access_id = ""
        self.access_key = ""

    @property
    def endpoint(self) -> str:
        """The REST endpoint."""
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> EmulatorProcess:
        """Start and read the banner up to its last line (the emulator is serving then).

        The emulator generates its account in the data dir (the banner never shows the
        secret): it is read from there, and signs the admin requests too.
        """
        command = [
            sys.executable, "-m", "mcemulator",
            "--listen", f"127.0.0.1:{self.port}",
            "--data-dir", str(self.data_dir),
            "--admin",
            *self.args,
        ]  # fmt: skip
        with self.log.open("ab") as err:
            self.proc = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        assert self.proc.stdout is not None
        with self.proc.stdout:
            for line in self.proc.stdout:
                if line.startswith("data dir: "):
                    self.access_id, self.access_key = read_account(self.data_dir)
                    return self
        raise RuntimeError(f"emulator exited with {self.proc.wait()}: {self.log.read_text()}")

    def _admin(self) -> AdminClient:
        return AdminClient(f"http://127.0.0.1:{self.port}", self.access_id, self.access_key)

    def set_faults(self, *rules: Any) -> None:
        """Replace the fault rules (``FaultRule`` objects) through the admin endpoint."""
        self._admin().set_faults(*rules)

    def request_count(self) -> int:
        """REST requests the emulator received so far, all operations."""
        return sum(self._admin().request_counts().values())

    def kill(self) -> None:
        """SIGKILL and reap."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def close(self) -> None:
        """SIGTERM (then SIGKILL) whatever state it is in."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


EVENT_TIMEOUT = 60.0
"""Longest wait for any one watch event (a restarted process must be back well before)."""


class WatchThread:
    """``instance.watch()`` on a thread; events (or the exception) go to a queue."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.events: queue.Queue[Any] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for event in self.instance.watch(reconnect=ReconnectPolicy(give_up_after=90)):
                self.events.put(event)
        except BaseException as exc:  # handed to the test thread
            self.events.put(exc)
        self.events.put(None)

    def first(self) -> Any:
        """The first event (a snapshot)."""
        event = self.events.get(timeout=EVENT_TIMEOUT)
        assert not isinstance(event, BaseException), event
        return event

    def rest(self) -> list[Any]:
        """Every further event until the watch ends."""
        out = []
        while (item := self.events.get(timeout=EVENT_TIMEOUT)) is not None:
            assert not isinstance(item, BaseException), repr(item)
            out.append(item)
        self.thread.join(timeout=10)
        return out


# ------------------------------------------------------------------------- HTTP upstreams

_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"}
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Base:
    """A threaded loopback HTTP server with a request log."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Silence the default stderr access log."""

            def _any(self) -> None:
                with owner._lock:
                    owner.requests.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.handle(self, body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        """The MaxCompute-style endpoint of this server."""
        return f"http://127.0.0.1:{self.port}/api"

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        raise NotImplementedError

    def paths(self) -> list[str]:
        """Raw request targets seen so far."""
        with self._lock:
            return [p for _, p in self.requests]

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class RecordingProxy(_Base):
    """Forwards every request byte-for-byte to ``upstream`` and records its raw target.

    MaxCompute signatures cover the path and query but not the host, so a signed request
    passes through unchanged; the recorded targets are exactly what the emulator received.
    """

    def __init__(self, upstream_port: int) -> None:
        super().__init__()
        self.upstream_port = upstream_port

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP_BY_HOP}
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            handler.send_response(resp.status)
            for key, value in resp.getheaders():
                if key.lower() not in _HOP_BY_HOP and key.lower() != "content-length":
                    handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        finally:
            conn.close()


@dataclass
class HostileUpstream(_Base):
    """Answers every request with ``status`` and ``body`` (hostile or broken XML)."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        handler.send_response(self.status)
        handler.send_header("Content-Type", self.content_type)
        handler.send_header("x-odps-request-id", "HOSTILE0001")
        for key, value in self.headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(self.body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(self.body)


# ------------------------------------------------------------------------- auth and TLS


def write_tokens(path: Path, tokens: Mapping[str, Sequence[str]]) -> Path:
    """A tokens file: ``{token: [projects]}``; the first token is stored hashed."""
    import hashlib

    items = []
    for index, (token, projects) in enumerate(tokens.items()):
        stored = "sha256:" + hashlib.sha256(token.encode()).hexdigest() if index == 0 else token
        items.append({"name": f"caller{index}", "token": stored, "projects": list(projects)})
    path.write_text(json.dumps({"tokens": items}))
    return path


@dataclass(frozen=True)
class TlsFiles:
    """A CA, a server certificate for ``localhost``/``127.0.0.1`` and a client certificate."""

    ca: Path
    cert: Path
    key: Path
    client_cert: Path
    client_key: Path


def make_tls_files(directory: Path) -> TlsFiles:
    """Create a CA and a server certificate signed by it, valid for a day."""
    import ipaddress

    now = datetime.now(UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name("reliability test CA"))
        .issuer_name(name("reliability test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client_cert = (
        x509.CertificateBuilder()
        .subject_name(name("reliability client"))
        .issuer_name(ca_cert.subject)
        .public_key(client_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .sign(ca_key, hashes.SHA256())
    )
    files = TlsFiles(
        directory / "ca.pem",
        directory / "server.pem",
        directory / "server.key",
        directory / "client.pem",
        directory / "client.key",
    )

    def pem_key(k: ec.EllipticCurvePrivateKey) -> bytes:
        return k.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    files.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(pem_key(key))
    files.client_cert.write_bytes(client_cert.public_bytes(serialization.Encoding.PEM))
    files.client_key.write_bytes(pem_key(client_key))
    return files


@contextmanager
def gateway_process(
    workdir: Path, args: Sequence[str] = (), **kwargs: Any
) -> Iterator[GatewayProcess]:
    """A started :class:`GatewayProcess`, closed when the block ends."""
    gw = GatewayProcess(workdir, args, **kwargs)
    try:
        yield gw.start()
    finally:
        gw.close()
