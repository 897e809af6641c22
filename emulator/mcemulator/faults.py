"""Fault injection: per-request latency, error answers, throttling, dropped connections, bad bodies.

Faults are off by default. Each :class:`FaultRule` is scoped to a set of operation names
(see :data:`OPERATIONS`); the first active rule that matches a request decides what happens
to it. Rules can be given at start-up, changed in-process through ``Emulator.faults`` or
over HTTP through ``/_emulator/faults`` (see the README).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, replace
from typing import Any

OPERATIONS: frozenset[str] = frozenset(
    {
        "list_instances",
        "create_instance",
        "get_instance",
        "get_instance_status",
        "stop_instance",
        "task_status",
        "task_result",
        "task_progress",
        "task_summary",
        "task_detail",
        "worker_log",
        "queueing_info",
        "list_queueing_infos",
        "job_source",
        "xflow",
        "logview",
        "logview_host",
        "webconsole_host",
        "tenants",
        "project",
        "project_logs",
        "tunnel",
        "unknown",
    }
)
"""Every operation name the emulator classifies /api requests into (for faults and counters)."""

ERROR_STATUSES: tuple[int, ...] = (500, 502, 503)


@dataclass(frozen=True)
class FaultRule:
    """One fault setting. Probabilities are per request, checked in the order of the fields."""

    operations: frozenset[str] = frozenset()
    """Operation names the rule applies to; empty means every operation."""
    latency_seconds: float = 0.0
    """Delay added before the request is handled."""
    drop_rate: float = 0.0
    """Probability of closing the connection without answering."""
    throttle_rate: float = 0.0
    """Probability of a throttling error (``throttle_status``, ``QPSExceeded``, Retry-After)."""
    throttle_status: int = 429
    retry_after_seconds: int = 1
    error_rate: float = 0.0
    """Probability of a server error, status picked from ``error_statuses``."""
    error_statuses: tuple[int, ...] = ERROR_STATUSES
    malformed_rate: float = 0.0
    """Probability of a 200 whose body is truncated, unparseable XML."""
    remaining: int | None = None
    """How many more requests this rule may affect; ``None`` is unlimited. Latency counts too."""

    def __post_init__(self) -> None:
        unknown = set(self.operations) - OPERATIONS
        if unknown:
            raise ValueError(f"unknown operation names: {sorted(unknown)}")
        for name in ("drop_rate", "throttle_rate", "error_rate", "malformed_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")
        if self.latency_seconds < 0:
            raise ValueError("latency_seconds must not be negative")
        bad = [s for s in self.error_statuses if s not in ERROR_STATUSES]
        if bad or not self.error_statuses:
            raise ValueError(f"error_statuses must be a non-empty subset of {ERROR_STATUSES}")

    def matches(self, operation: str) -> bool:
        """Whether the rule is in scope for ``operation``."""
        return not self.operations or operation in self.operations

    def to_json(self) -> dict[str, Any]:
        """The rule as the JSON object the admin endpoint accepts and returns."""
        data = asdict(self)
        data["operations"] = sorted(self.operations)
        data["error_statuses"] = list(self.error_statuses)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        """Build a rule from the admin endpoint's JSON; unknown keys are an error."""
        if not isinstance(data, dict):
            raise ValueError("a fault rule must be a JSON object")
        known = set(cls.__dataclass_fields__)
        extra = set(data) - known
        if extra:
            raise ValueError(f"unknown fault fields: {sorted(extra)}")
        kwargs = dict(data)
        if "operations" in kwargs:
            kwargs["operations"] = frozenset(kwargs["operations"])
        if "error_statuses" in kwargs:
            kwargs["error_statuses"] = tuple(int(s) for s in kwargs["error_statuses"])
        return cls(**kwargs)


@dataclass(frozen=True)
class FaultDecision:
    """What to do with one request."""

    latency_seconds: float = 0.0
    action: str = "none"
    """One of ``none``, ``drop``, ``throttle``, ``error``, ``malformed``."""
    status: int = 200
    retry_after_seconds: int = 0


NO_FAULT = FaultDecision()


class FaultController:
    """Thread-safe holder of the active fault rules; shared by the server loop and test code."""

    def __init__(self, seed: int | None = None) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._seed = seed

    @property
    def seed(self) -> int | None:
        """Seed of the random draws; setting it restarts the sequence (reproducible runs)."""
        return self._seed

    @seed.setter
    def seed(self, value: int | None) -> None:
        with self._lock:
            self._seed = value
            self._random = random.Random(value)

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        """The active rules, first match wins."""
        with self._lock:
            return tuple(self._rules)

    @property
    def enabled(self) -> bool:
        """Whether any rule is active."""
        return bool(self._rules)

    def set(self, *rules: FaultRule) -> None:
        """Replace every rule with ``rules`` (no argument: faults off)."""
        with self._lock:
            self._rules = list(rules)

    def add(self, rule: FaultRule) -> None:
        """Append a rule after the existing ones."""
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        """Switch all faults off."""
        self.set()

    def inject(self, **kwargs: Any) -> FaultRule:
        """Shortcut: replace the rules with one ``FaultRule(**kwargs)`` and return it."""
        if "operations" in kwargs:
            ops = kwargs["operations"]
            kwargs["operations"] = frozenset([ops] if isinstance(ops, str) else ops)
        rule = FaultRule(**kwargs)
        self.set(rule)
        return rule

    def decide(self, operation: str) -> FaultDecision:
        """Pick the fault (if any) for one request of ``operation``; consumes ``remaining``."""
        if not self._rules:  # fast path, read without the lock: faults are usually off
            return NO_FAULT
        with self._lock:
            for index, rule in enumerate(self._rules):
                if not rule.matches(operation):
                    continue
                if rule.remaining is not None:
                    if rule.remaining <= 0:
                        continue
                    self._rules[index] = replace(rule, remaining=rule.remaining - 1)
                return self._roll(rule)
        return NO_FAULT

    def _roll(self, rule: FaultRule) -> FaultDecision:
        rnd = self._random.random
        if rule.drop_rate and rnd() < rule.drop_rate:
            return FaultDecision(rule.latency_seconds, "drop")
        if rule.throttle_rate and rnd() < rule.throttle_rate:
            return FaultDecision(
                rule.latency_seconds, "throttle", rule.throttle_status, rule.retry_after_seconds
            )
        if rule.error_rate and rnd() < rule.error_rate:
            status = self._random.choice(rule.error_statuses)
            return FaultDecision(rule.latency_seconds, "error", status)
        if rule.malformed_rate and rnd() < rule.malformed_rate:
            return FaultDecision(rule.latency_seconds, "malformed")
        return FaultDecision(rule.latency_seconds)
