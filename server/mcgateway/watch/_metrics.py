"""The watch hub's view of the gateway metrics: running pollers."""

from __future__ import annotations

from typing import Any

__all__ = ["WatchMetrics"]


class WatchMetrics:
    """Feeds ``mcgateway_active_pollers`` of a ``GatewayMetrics`` (open streams are counted
    by the servicer's chokepoint); does nothing when the hub runs without metrics."""

    __slots__ = ("_pollers",)

    def __init__(self, metrics: Any) -> None:
        self._pollers = getattr(metrics, "active_pollers", None)

    def set_pollers(self, count: int) -> None:
        """Instance pollers plus project listers now running."""
        if self._pollers is not None:
            self._pollers.set(count)
