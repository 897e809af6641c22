"""The shipped gRPC service config: per-method timeouts and retry policies.

The JSON file is the one in ``proto/`` (copied next to the generated stubs), so every client
language uses the same timeouts and retry rules. The channel gets it verbatim; the client's
chokepoint reads the same values to compute deadlines and to retry idempotent reads across
attempts the channel has given up on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "MethodPolicy",
    "RetryPolicy",
    "ServiceConfig",
    "load_service_config",
    "parse_service_config",
]

_SERVICE = "maxcompute.gateway.v1.InstanceService"
_FALLBACK_TIMEOUT = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    """An RPC retry policy (gRFC A6 shape): attempts and full-jitter exponential backoff."""

    max_attempts: int
    """Attempts in total, the first included."""
    initial_backoff: float
    """Upper bound of the first random backoff, in seconds."""
    max_backoff: float
    """Upper bound of any backoff, in seconds."""
    multiplier: float
    """Growth of the backoff bound per attempt."""
    retryable_codes: frozenset[str]
    """gRPC code names worth retrying, e.g. ``UNAVAILABLE``."""


@dataclass(frozen=True)
class MethodPolicy:
    """The timeout and optional retry policy of one RPC."""

    timeout: float
    """The default deadline of the call, in seconds."""
    retry: RetryPolicy | None
    """The retry policy, None for RPCs that are not safe to retry blindly."""


@dataclass(frozen=True)
class ServiceConfig:
    """The parsed service config plus the raw JSON for the channel option."""

    json_text: str
    methods: dict[str, MethodPolicy]

    def policy(self, method: str) -> MethodPolicy:
        """The policy of ``method`` (e.g. ``GetInstance``); a generous default if unlisted."""
        return self.methods.get(method, MethodPolicy(_FALLBACK_TIMEOUT, None))


def _seconds(text: str) -> float:
    if not text.endswith("s"):
        raise ValueError(f"bad duration {text!r} in service config")
    return float(text[:-1])


def _retry(raw: dict[str, Any] | None) -> RetryPolicy | None:
    if raw is None:
        return None
    return RetryPolicy(
        max_attempts=int(raw["maxAttempts"]),
        initial_backoff=_seconds(raw["initialBackoff"]),
        max_backoff=_seconds(raw["maxBackoff"]),
        multiplier=float(raw["backoffMultiplier"]),
        retryable_codes=frozenset(raw["retryableStatusCodes"]),
    )


def parse_service_config(text: str) -> ServiceConfig:
    """Parses service-config JSON text."""
    raw = json.loads(text)
    methods: dict[str, MethodPolicy] = {}
    for entry in raw.get("methodConfig", []):
        policy = MethodPolicy(
            timeout=_seconds(entry["timeout"]) if "timeout" in entry else _FALLBACK_TIMEOUT,
            retry=_retry(entry.get("retryPolicy")),
        )
        for name in entry["name"]:
            if name.get("service") == _SERVICE and "method" in name:
                methods[name["method"]] = policy
    return ServiceConfig(json_text=json.dumps(raw, separators=(",", ":")), methods=methods)


@cache
def load_service_config() -> ServiceConfig:
    """The service config shipped with the generated stubs."""
    text = (
        resources.files("maxcompute.gateway.v1")
        .joinpath("service_config.json")
        .read_text(encoding="utf-8")
    )
    return parse_service_config(text)
