"""Prometheus metrics of one gateway, in its own registry, and the /metrics HTTP endpoint.

Each :class:`GatewayMetrics` owns a ``CollectorRegistry`` so several gateways (tests, the
bench) can run in one process without colliding in prometheus_client's global registry.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

__all__ = ["GatewayMetrics", "MetricsEndpoint"]

_log = logging.getLogger(__name__)

# RPCs range from sub-millisecond cache hits to 30 s long polls.
_RPC_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
    10,
    30,
    60,
)
_UPSTREAM_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class GatewayMetrics:
    """Every metric the gateway exports, registered in :attr:`registry`.

    - ``mcgateway_rpc_requests_total{method,code}`` and ``mcgateway_rpc_duration_seconds{method}``
    - ``mcgateway_upstream_requests_total{operation,code}`` and
      ``mcgateway_upstream_duration_seconds{operation}`` (fed by the REST client's observer)
    - ``mcgateway_active_streams{method}``, ``mcgateway_active_pollers``
    - ``mcgateway_cache_requests_total{result}`` (``hit``/``miss``), ``mcgateway_cache_entries``,
      ``mcgateway_cache_bytes``
    - ``mcgateway_caller_open{kind,principal}`` (streams, waits, instances per caller) and
      ``mcgateway_limit_refusals_total{limit}``
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        r = self.registry
        self.rpc_requests = Counter(
            "mcgateway_rpc_requests",
            "gRPC calls handled, by method and final status code.",
            ["method", "code"],
            registry=r,
        )
        self.rpc_duration = Histogram(
            "mcgateway_rpc_duration_seconds",
            "Time to handle a gRPC call (streams: their whole life), by method.",
            ["method"],
            buckets=_RPC_BUCKETS,
            registry=r,
        )
        self.upstream_requests = Counter(
            "mcgateway_upstream_requests",
            "HTTP requests sent to MaxCompute, by operation and outcome (OK or gRPC code name).",
            ["operation", "code"],
            registry=r,
        )
        self.upstream_duration = Histogram(
            "mcgateway_upstream_duration_seconds",
            "Duration of HTTP requests to MaxCompute, by operation.",
            ["operation"],
            buckets=_UPSTREAM_BUCKETS,
            registry=r,
        )
        self.active_streams = Gauge(
            "mcgateway_active_streams",
            "Server-streaming calls currently open, by method.",
            ["method"],
            registry=r,
        )
        self.active_pollers = Gauge(
            "mcgateway_active_pollers",
            "Upstream pollers currently running (one per watched instance or project filter).",
            registry=r,
        )
        self.cache_requests = Counter(
            "mcgateway_cache_requests",
            "Lookups in the terminated-instance cache, by result (hit or miss).",
            ["result"],
            registry=r,
        )
        self.cache_entries = Gauge(
            "mcgateway_cache_entries", "Entries in the terminated-instance cache.", registry=r
        )
        self.cache_bytes = Gauge(
            "mcgateway_cache_bytes",
            "Estimated bytes held by the terminated-instance cache.",
            registry=r,
        )
        # Label children are looked up once (see _child), keyed by (id(metric), labels).
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self.caller_open = Gauge(
            "mcgateway_caller_open",
            "Streams, waits and polled instances one caller holds now, by kind and principal "
            "(the token's name from the tokens file; 'anonymous' without auth).",
            ["kind", "principal"],
            registry=r,
        )
        self.limit_refusals = Counter(
            "mcgateway_limit_refusals",
            "Calls refused with RESOURCE_EXHAUSTED by a gateway limit, by limit.",
            ["limit"],
            registry=r,
        )
        self.upstream_inflight = Gauge(
            "mcgateway_upstream_inflight",
            "Upstream calls queued or running in the upstream executor.",
            registry=r,
        )

    def _child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, looked up once: labels() takes a lock and builds a key
        on every call, which adds up at thousands of calls per second. Called on worker
        threads too: a race on a miss only looks a child up twice (labels() returns the same
        one)."""
        key = (id(metric), labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    # Fed by the REST client's observer: called on a worker thread after every HTTP attempt.
    def observe_upstream(self, operation: str, code: str, latency: float) -> None:
        """Count one upstream HTTP attempt (``code`` is ``OK`` or the gRPC status name)."""
        self._child(self.upstream_requests, operation, code).inc()
        self._child(self.upstream_duration, operation).observe(latency)

    def observe_rpc(self, method: str, code: str, duration: float) -> None:
        """Count one finished gRPC call (``code`` is the status name, e.g. ``OK``)."""
        self._child(self.rpc_requests, method, code).inc()
        self._child(self.rpc_duration, method).observe(duration)

    def caller_gauge(self, kind: str, principal: str) -> Any:
        """The ``mcgateway_caller_open`` child of one caller and kind."""
        return self.caller_open.labels(kind, principal)

    def count_refusal(self, limit: str) -> None:
        """Count one call refused by ``limit``."""
        self.limit_refusals.labels(limit).inc()

    def count_cache(self, result: str) -> None:
        """Count one cache lookup (``hit`` or ``miss``)."""
        self._child(self.cache_requests, result).inc()

    def value(self, name: str, labels: dict[str, str] | None = None) -> float:
        """The sum of every sample called ``name`` whose labels include ``labels`` (for tests).

        ``name`` is the sample name, e.g. ``mcgateway_upstream_requests_total``.
        """
        wanted = labels or {}
        total = 0.0
        for metric in self.registry.collect():
            for sample in metric.samples:
                if sample.name != name:
                    continue
                if all(sample.labels.get(k) == v for k, v in wanted.items()):
                    total += sample.value
        return total

    def render(self) -> bytes:
        """The registry in the Prometheus text exposition format."""
        return generate_latest(self.registry)


class MetricsEndpoint:
    """An aiohttp server on the gateway's event loop serving ``GET /metrics``."""

    def __init__(self, metrics: GatewayMetrics, host: str, port: int) -> None:
        self._metrics = metrics
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> int:
        """Bind and serve; return the bound port (``port`` 0 picks a free one)."""
        app = web.Application()
        app.router.add_get("/metrics", self._handle)
        app.router.add_get("/", self._index)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port, reuse_port=False)
        await site.start()
        self._runner = runner
        server: Any = site._server  # aiohttp exposes the bound sockets only here
        self.port = int(server.sockets[0].getsockname()[1])
        _log.debug("metrics endpoint on %s:%s", self._host, self.port)
        return self.port

    async def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        body = self._metrics.render()
        # CONTENT_TYPE_LATEST carries a charset parameter, which aiohttp wants separately.
        content_type, _, _ = CONTENT_TYPE_LATEST.partition(";")
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    async def _index(self, request: web.Request) -> web.Response:
        return web.Response(text="mcgateway metrics: see /metrics\n")
