"""A Prometheus-backed request observer for the MaxCompute client.

``mcgateway_upstream_requests_total{operation,code}`` counts every upstream HTTP attempt
(retries included) by outcome; ``mcgateway_upstream_request_duration_seconds{operation}``
records its latency.
"""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram

from mcgateway.maxcompute._observer import UpstreamRequest

__all__ = ["LATENCY_BUCKETS", "PrometheusObserver"]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
"""Seconds; from sub-10 ms status reads up to long polls and slow creates."""


class PrometheusObserver:
    """A :data:`RequestObserver` that records into a Prometheus registry.

    Pass a fresh ``CollectorRegistry`` in tests (metric names may be registered once per
    registry); the default is the process-wide registry.
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = REGISTRY if registry is None else registry
        self.requests = Counter(
            "mcgateway_upstream_requests_total",
            "Upstream MaxCompute HTTP requests by operation and outcome (gRPC code name).",
            ["operation", "code"],
            registry=registry,
        )
        self.latency = Histogram(
            "mcgateway_upstream_request_duration_seconds",
            "Latency of upstream MaxCompute HTTP requests.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )

    def __call__(self, event: UpstreamRequest) -> None:
        """Record one finished upstream attempt."""
        self.requests.labels(operation=event.operation, code=event.code).inc()
        self.latency.labels(operation=event.operation).observe(event.latency_seconds)
