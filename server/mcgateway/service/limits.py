"""Per-caller limits: how many streams, waits and polled instances one caller may hold.

A caller is a principal of the tokens file (``anonymous`` without auth), so one service
cannot exhaust what every other caller shares: past a limit its new call ends with
RESOURCE_EXHAUSTED and a ``QuotaFailure`` naming the limit, and its open calls go on.
Counts are exported per principal; names come from the tokens file, a bounded label set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

from mcgateway.errors import QuotaExceeded
from mcgateway.metrics import GatewayMetrics

__all__ = ["CallerLimits"]


class CallerLimits:
    """Counts of open streams, WaitInstance calls and held poll keys, per caller."""

    def __init__(
        self, *, streams: int, waits: int, instances: int, metrics: GatewayMetrics
    ) -> None:
        self._limits = {"streams": streams, "waits": waits, "instances": instances}
        self._counts: dict[str, Counter[str]] = {kind: Counter() for kind in self._limits}
        self._held: dict[str, Counter[Hashable]] = {}
        self._metrics = metrics

    def hold(self, caller: str, key: Hashable) -> None:
        """Note that ``caller`` has ``key`` (an instance or a project listing) polled; a
        caller may hold the same key many times but only so many distinct keys."""
        held = self._held.get(caller)
        if held is None or held[key] == 0:
            self.acquire("instances", caller)  # may refuse: nothing is kept then
            held = self._held.setdefault(caller, Counter())
        held[key] += 1

    def unhold(self, caller: str, key: Hashable) -> None:
        """Undo one :meth:`hold`."""
        held = self._held.get(caller)
        if held is None or held[key] == 0:
            return
        held[key] -= 1
        if held[key] == 0:
            del held[key]
            self.release("instances", caller)
            if not held:
                del self._held[caller]

    def count(self, kind: str, caller: str) -> int:
        """What ``caller`` holds of ``kind`` now (for tests and diagnostics)."""
        return self._counts[kind][caller]

    def acquire(self, kind: str, caller: str) -> None:
        """Count one more ``kind`` ("streams", "waits" or "instances") for ``caller``, or
        refuse with :class:`QuotaExceeded`."""
        counts = self._counts[kind]
        limit = self._limits[kind]
        if counts[caller] >= limit:
            self._metrics.count_refusal(f"max_{kind}_per_caller")
            raise QuotaExceeded(
                f"max_{kind}_per_caller",
                f"caller:{caller}",
                f"caller {caller!r} has {limit} {kind} open, the most the gateway allows "
                f"(max_{kind}_per_caller)",
            )
        counts[caller] += 1
        self._metrics.caller_gauge(kind, caller).set(counts[caller])

    def release(self, kind: str, caller: str) -> None:
        """Undo one :meth:`acquire`."""
        counts = self._counts[kind]
        if counts[caller] > 0:
            counts[caller] -= 1
        self._metrics.caller_gauge(kind, caller).set(counts[caller])
        if counts[caller] == 0:
            del counts[caller]
