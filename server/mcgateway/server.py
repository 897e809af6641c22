"""The gateway server: a grpc.aio server with the InstanceService, health and reflection.

:class:`GatewayServer` is the embedding API: build it from a
:class:`~mcgateway.config.GatewayConfig`, ``await start()``, read ``target``/``port``, and
``await stop()``. Without an ``endpoint`` it runs the embedded MaxCompute emulator (or the
one passed in). Shutdown flips health to NOT_SERVING, ends watch streams with UNAVAILABLE,
stops accepting calls and lets unary calls finish within the grace period.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from maxcompute.gateway.v1 import instance_service_pb2

from mcgateway.auth import TokenStore
from mcgateway.config import ConfigError, GatewayConfig, default_data_dir, parse_listen
from mcgateway.http import HttpGateway, HttpSettings, ssl_context_for
from mcgateway.maxcompute import Credentials, UpstreamRequest
from mcgateway.metrics import GatewayMetrics, MetricsEndpoint
from mcgateway.reflection import enable_reflection
from mcgateway.service.cache import TerminalCache
from mcgateway.service.chokepoint import Chokepoint
from mcgateway.service.limits import CallerLimits
from mcgateway.service.paging import PageTokenCodec
from mcgateway.service.servicer import InstanceServicer
from mcgateway.service.status import upstream_outcome
from mcgateway.service.watch_rpcs import WatchRpcs, add_instance_service
from mcgateway.upstream import Upstream, build_client
from mcgateway.watch import WatchHub, WatchSettings

if TYPE_CHECKING:
    from mcemulator import Emulator

__all__ = ["SERVICE_NAME", "GatewayServer", "is_loopback", "server_options"]

_log = logging.getLogger(__name__)

SERVICE_NAME: str = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"].full_name
"""``maxcompute.gateway.v1.InstanceService``."""


def server_options(max_concurrent_streams: int = 10000) -> list[tuple[str, Any]]:
    """Channel arguments of the gateway's gRPC server.

    ``max_concurrent_streams`` bounds the HTTP/2 streams of one client connection (more wait
    in the client for a free stream); callers are bounded apart by the chokepoint's limits.

    No SO_REUSEPORT (a second server must fail to bind, not silently share the port);
    server keepalive pings every 60 s so dead peers of long idle watch streams are found
    and proxies see traffic; clients may ping every 10 s (less would earn a GOAWAY).
    """
    return [
        ("grpc.so_reuseport", 0),
        ("grpc.max_concurrent_streams", max_concurrent_streams),
        ("grpc.keepalive_time_ms", 60_000),
        ("grpc.keepalive_timeout_ms", 20_000),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.min_recv_ping_interval_without_data_ms", 10_000),
        ("grpc.http2.max_ping_strikes", 3),
        # A burst of new calls (thousands of watchers reconnecting after a restart) queues
        # in core until the event loop picks each up; past core's defaults (1,000 soft /
        # 3,000 hard) the excess is refused with CANCELLED. Measured by bench/watch_fanout.py.
        ("grpc.server.max_pending_requests", 20_000),
        ("grpc.server.max_pending_requests_hard_limit", 40_000),
        ("grpc.max_receive_message_length", 4 * 1024 * 1024),
        ("grpc.max_send_message_length", 64 * 1024 * 1024),
    ]


TOKENS_POLL_INTERVAL = 2.0
"""Seconds between looks at the tokens file for a change (besides SIGHUP)."""


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is replaced or rewritten (``None``: it cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def is_loopback(host: str) -> bool:
    """True for loopback addresses and ``localhost``."""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


class GatewayServer:
    """One gateway: gRPC server, upstream client and executor, cache, watch hub, metrics."""

    def __init__(self, config: GatewayConfig, *, emulator: Emulator | None = None) -> None:
        self.config = config
        self.metrics = GatewayMetrics()
        self.hub: WatchHub | None = None
        self.emulator = emulator
        self.port: int | None = None
        self.metrics_port: int | None = None
        self.http_port: int | None = None
        self._http: HttpGateway | None = None
        self.upstream: Upstream | None = None
        self.tokens: TokenStore | None = None
        self.cache: TerminalCache | None = None
        self.endpoint: str | None = config.endpoint
        self.project: str | None = config.project
        self._owns_emulator = False
        self._server: grpc.aio.Server | None = None
        self._health: health.aio.HealthServicer | None = None
        self._metrics_endpoint: MetricsEndpoint | None = None
        self._stopped = asyncio.Event()
        self.chokepoint: Chokepoint | None = None
        self.servicer: InstanceServicer | None = None
        self._tokens_watch: asyncio.Task[None] | None = None
        self._stopping = False
        self._check_exposure()

    def _check_exposure(self) -> None:
        # The HTTP listener serves the same API with the same credentials: same rules.
        for address in (self.config.listen, self.config.http_listen):
            if address is not None:
                self._check_address(address)

    def _check_address(self, listen: str) -> None:
        config = self.config
        host, _ = parse_listen(listen)
        if is_loopback(host):
            return
        if config.tokens_file is None and not config.insecure:
            raise ConfigError(
                f"refusing to listen on {listen} without --tokens-file: anyone who "
                "can reach it could use the gateway's MaxCompute credentials. Give a tokens "
                "file, bind a loopback address, or pass --insecure to accept the risk."
            )
        if config.embedded and self.emulator is None and not config.allow_embedded_on_network:
            raise ConfigError(
                f"refusing to serve the embedded MaxCompute emulator on {listen}: callers "
                "could not tell it from the real service. Pass --endpoint (and credentials) "
                "for a real MaxCompute, bind a loopback address, or pass "
                "--allow-embedded-on-network for a demo container."
            )
        if config.tokens_file is not None and config.tls_cert is None and not config.insecure:
            _log.warning(
                "bearer tokens travel in plaintext on %s: anyone on the network path can read "
                "and reuse them. Give --tls-cert/--tls-key, or pass --insecure if a proxy or "
                "mesh terminates TLS in front of the gateway.",
                listen,
            )

    @property
    def target(self) -> str:
        """``host:port`` clients dial (loopback when listening on every interface)."""
        if self.port is None:
            raise RuntimeError("server not started")
        host, _ = parse_listen(self.config.listen)
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"{host}:{self.port}"

    # ------------------------------------------------------------------ lifecycle

    def _upstream_identity(self) -> tuple[str, Credentials, str | None]:
        config = self.config
        project: str | None
        if self.emulator is not None:
            endpoint = config.endpoint or self.emulator.endpoint
            access_id = config.access_id or self.emulator.access_id
            access_key = config.access_key or self.emulator.access_key
            project = config.project or self.emulator.project
        else:
            if config.endpoint is None:
                raise ConfigError("no endpoint and no emulator")
            endpoint = config.endpoint
            if not config.access_id or not config.access_key:
                raise ConfigError(
                    "MaxCompute credentials missing: set ALIBABA_CLOUD_ACCESS_KEY_ID and "
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET (or --access-id / MCGATEWAY_ACCESS_KEY)"
                )
            access_id, access_key, project = config.access_id, config.access_key, config.project
        credentials = Credentials(access_id, access_key, config.security_token or None)
        return endpoint, credentials, project

    async def _start_emulator(self) -> None:
        from mcemulator import Emulator, EmulatorConfig  # only needed for the embedded setup

        # No accounts given: the emulator generates an access id and secret once per data
        # dir and keeps them in its account.json (0600); the dir itself is made 0700.
        data_dir = (self.config.data_dir or default_data_dir()) / "emulator"
        emulator = Emulator(
            EmulatorConfig(
                data_dir=data_dir,
                host="127.0.0.1",
                port=0,
                project=self.config.project or "demo",
                default_duration_seconds=self.config.emulator_duration,
            )
        )
        await asyncio.to_thread(emulator.start)
        self.emulator = emulator
        self._owns_emulator = True
        _log.info(
            "embedded emulator at %s (project %s, access id %s, secret in %s)",
            emulator.endpoint,
            emulator.project,
            emulator.access_id,
            emulator.account_file,
        )

    def _observe_upstream(self, event: UpstreamRequest) -> None:
        # The REST client reports REST-native outcomes; the metric's label is the gRPC code.
        self.metrics.observe_upstream(
            event.operation, upstream_outcome(event.category), event.latency_seconds
        )

    async def start(self) -> None:
        """Start the upstream, the gRPC server (and metrics endpoint); SERVING when done."""
        config = self.config
        if self.emulator is None and config.embedded:
            await self._start_emulator()
        try:
            await self._start_serving()
        except BaseException:
            await self._cleanup()
            raise

    async def _start_serving(self) -> None:
        config = self.config
        endpoint, credentials, project = self._upstream_identity()
        self.endpoint, self.project = endpoint, project
        if config.tokens_file is not None:
            self.tokens = TokenStore(config.tokens_file)
        client = build_client(
            config,
            endpoint=endpoint,
            credentials=credentials,
            default_project=None,
            observer=self._observe_upstream,
        )
        self.upstream = Upstream(
            client,
            concurrency=config.upstream_concurrency,
            default_timeout=config.upstream_timeout,
            metrics=self.metrics,
        )
        self.cache = cache = TerminalCache(
            max_entries=config.cache_entries,
            max_bytes=config.cache_bytes,
            freshness=config.cache_freshness,
            max_value_bytes=config.cache_result_max_bytes,
            metrics=self.metrics,
        )
        limits = CallerLimits(
            streams=config.max_streams_per_caller,
            waits=config.max_waits_per_caller,
            instances=config.max_instances_per_caller,
            metrics=self.metrics,
        )
        self.chokepoint = chokepoint = Chokepoint(
            metrics=self.metrics, default_project=project, limits=limits, tokens=self.tokens
        )
        self.hub = WatchHub(self.upstream, WatchSettings.from_config(config), self.metrics)
        self.servicer = servicer = InstanceServicer(
            upstream=self.upstream,
            cache=cache,
            chokepoint=chokepoint,
            pages=PageTokenCodec.from_secret(config.page_token_key),
            watch_rpcs=WatchRpcs(self.hub, chokepoint),
        )
        server = grpc.aio.server(options=server_options(config.max_concurrent_streams))
        add_instance_service(servicer, server)  # streams write pre-encoded fan-out bytes
        self._health = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, server)
        enable_reflection((SERVICE_NAME, health.SERVICE_NAME), server)  # v1 and v1alpha
        self._server = server
        self.port = self._bind(server)
        await server.start()
        if config.http_listen is not None:
            await self._start_http(config.http_listen, servicer)
        if self.tokens is not None:
            self._tokens_watch = asyncio.create_task(
                self._watch_tokens_file(), name="tokens-file-watch"
            )
        if config.metrics_listen is not None:
            host, port = parse_listen(config.metrics_listen)
            self._metrics_endpoint = MetricsEndpoint(self.metrics, host, port)
            self.metrics_port = await self._metrics_endpoint.start()
        await self._health.set("", health_pb2.HealthCheckResponse.SERVING)
        await self._health.set(SERVICE_NAME, health_pb2.HealthCheckResponse.SERVING)
        _log.info(
            "gateway serving on %s (upstream %s, default project %s)",
            self.target,
            endpoint,
            project,
        )
        _log.debug("configuration: %r", config)

    async def _start_http(self, address: str, servicer: InstanceServicer) -> None:
        config = self.config
        host, port = parse_listen(address)
        tls = None
        if config.tls_cert is not None and config.tls_key is not None:
            tls = ssl_context_for(config.tls_cert, config.tls_key, config.tls_client_ca)
        settings = HttpSettings(
            host=host,
            port=port,
            ssl_context=tls,
            cors_origins=config.http_cors_origin,
            sse_heartbeat=config.http_sse_heartbeat,
            shutdown_timeout=config.grace_period,
        )
        service = instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"]
        self._http = HttpGateway(servicer, service, settings, self.metrics.registry)
        try:
            self.http_port = await self._http.start()
        except OSError as exc:
            self._http = None
            raise ConfigError(f"could not bind --http-listen {address}: {exc}") from None
        _log.info("HTTP/JSON and SSE on %s", self.http_url)

    @property
    def http_url(self) -> str | None:
        """``http(s)://host:port`` of the HTTP listener (``None`` when it is off)."""
        if self.http_port is None or self.config.http_listen is None:
            return None
        host, _ = parse_listen(self.config.http_listen)
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        scheme = "https" if self.config.tls_cert is not None else "http"
        return f"{scheme}://{host}:{self.http_port}"

    def _bind(self, server: grpc.aio.Server) -> int:
        config = self.config
        address = config.listen
        if config.tls_cert is not None and config.tls_key is not None:
            root = _read(config.tls_client_ca) if config.tls_client_ca is not None else None
            credentials = grpc.ssl_server_credentials(
                [(_read(config.tls_key), _read(config.tls_cert))],
                root_certificates=root,
                require_client_auth=root is not None,
            )
            port: int = server.add_secure_port(address, credentials)
        else:
            port = server.add_insecure_port(address)
        if port == 0:
            raise ConfigError(f"could not bind {address}")
        return port

    def reload_tokens(self) -> bool:
        """Re-read the tokens file (SIGHUP, or a change seen by the file watch) and end the
        streams whose token is gone or lost their project; False when the file is invalid
        (the old tokens stay in force)."""
        if self.tokens is None or not self.tokens.reload():
            return False
        if self.chokepoint is not None:
            ended = self.chokepoint.recheck()
            if ended:
                _log.warning(
                    "tokens reload ended %d call(s) whose authorization was revoked", ended
                )
        return True

    async def _watch_tokens_file(self) -> None:
        """Reload the tokens file within ``TOKENS_POLL_INTERVAL`` of a change, so removing a
        token takes effect without a SIGHUP (a Kubernetes Secret update, an editor)."""
        assert self.tokens is not None
        path = self.tokens.path
        seen = _file_signature(path)
        while True:
            await asyncio.sleep(TOKENS_POLL_INTERVAL)
            current = _file_signature(path)
            if current != seen:
                seen = current
                self.reload_tokens()

    async def stop(self, grace: float | None = None) -> None:
        """NOT_SERVING, end streams (UNAVAILABLE), let unary calls finish within ``grace``."""
        if self._stopping:
            # A second stop (a second Ctrl-C) may cut the grace period short.
            if grace is not None and self._server is not None:
                await self._server.stop(grace)
            await self._stopped.wait()
            return
        self._stopping = True
        grace = self.config.grace_period if grace is None else grace
        try:
            if self.servicer is not None:
                # Calls end now because the gateway ends them: none stops its instance.
                self.servicer.begin_shutdown()
            if self._health is not None:
                await self._health.enter_graceful_shutdown()
            stopping: asyncio.Task[None] | None = None
            if self._server is not None:
                # Stop accepting calls (GOAWAY) before ending the streams: watchers told to
                # reconnect below then land on another replica, not on a call this server
                # would accept and then cancel when it stops.
                stopping = asyncio.create_task(self._server.stop(grace))
                await asyncio.sleep(0)
            http_stopping: asyncio.Task[None] | None = None
            if self._http is not None:
                # Same for HTTP: stop accepting; calls under way finish within the grace
                # period, and the streams end with the hub below (an SSE `event: error`).
                http, self._http = self._http, None
                http_stopping = asyncio.create_task(http.stop())
                await asyncio.sleep(0)
            if self.hub is not None:
                try:
                    await self.hub.close()
                except Exception:
                    _log.exception("watch hub did not close cleanly")
            if stopping is not None:
                await stopping
            if http_stopping is not None:
                await http_stopping
            if self.servicer is not None:
                await self.servicer.close()
        finally:
            await self._cleanup()
            self._stopped.set()
        _log.info("gateway stopped")

    async def _cleanup(self) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            await http.stop()
        if self._tokens_watch is not None:
            self._tokens_watch.cancel()
            self._tokens_watch = None
        if self._metrics_endpoint is not None:
            await self._metrics_endpoint.stop()
            self._metrics_endpoint = None
        if self.upstream is not None:
            self.upstream.close()
        if self._owns_emulator and self.emulator is not None:
            await asyncio.to_thread(self.emulator.stop)
            self._owns_emulator = False

    async def wait_closed(self) -> None:
        """Wait until :meth:`stop` has finished."""
        await self._stopped.wait()

    def ready_info(self) -> dict[str, str | None]:
        """What the ready file holds: target, metrics URL, upstream endpoint, default project."""
        metrics = None
        if self.metrics_port is not None and self.config.metrics_listen is not None:
            host, _ = parse_listen(self.config.metrics_listen)
            if host in ("0.0.0.0", "::", ""):
                host = "127.0.0.1"
            metrics = f"http://{host}:{self.metrics_port}/metrics"
        return {
            "target": self.target,
            "metrics": metrics,
            "http": self.http_url,
            "upstream": self.endpoint,
            "project": self.project,
        }


def with_listen(config: GatewayConfig, listen: str) -> GatewayConfig:
    """A copy of ``config`` listening on ``listen``."""
    return replace(config, listen=listen)
