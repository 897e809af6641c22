"""The watch hub's view of the gateway metrics: open streams and running pollers."""

from __future__ import annotations

from typing import Any

__all__ = ["WatchMetrics"]


class WatchMetrics:
    """Feeds ``mcgateway_active_streams{method}`` and ``mcgateway_active_pollers`` of a
    ``GatewayMetrics``; does nothing when the hub runs without metrics (unit tests)."""

    __slots__ = ("_pollers", "_streams")

    def __init__(self, metrics: Any) -> None:
        self._streams = getattr(metrics, "active_streams", None)
        self._pollers = getattr(metrics, "active_pollers", None)

    def stream_opened(self, method: str) -> None:
        """One more open stream (or pending WaitInstance) of ``method``."""
        if self._streams is not None:
            self._streams.labels(method).inc()

    def stream_closed(self, method: str) -> None:
        """One stream of ``method`` ended."""
        if self._streams is not None:
            self._streams.labels(method).dec()

    def set_pollers(self, count: int) -> None:
        """Instance pollers plus project listers now running."""
        if self._pollers is not None:
            self._pollers.set(count)
