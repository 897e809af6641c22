"""Configuration of an emulator: listening address, data directory, accounts, timing, faults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mcemulator.faults import FaultRule

DEMO_ACCESS_ID = "mcemulator-demo"
"""AccessKeyId of the account every emulator knows unless ``accounts`` replaces it."""

DEMO_ACCESS_KEY = "mcemulator-demo-secret"
"""AccessKeySecret of the demo account."""

ALL_PROJECTS: frozenset[str] = frozenset({"*"})
"""Allowed-projects value meaning "every project the emulator serves"."""


@dataclass(frozen=True)
class Account:
    """An access key pair and the projects it may use (``ALL_PROJECTS`` for all)."""

    access_key: str
    projects: frozenset[str] = ALL_PROJECTS
    sts_token: str | None = None
    """When set, requests must also carry this ``authorization-sts-token`` header."""

    def may_use(self, project: str) -> bool:
        """Whether this account is allowed to work in ``project``."""
        return "*" in self.projects or project in self.projects


def _demo_accounts() -> dict[str, Account]:
    return {DEMO_ACCESS_ID: Account(DEMO_ACCESS_KEY)}


def default_data_dir() -> Path:
    """Per-user data directory used when none is given: ``$XDG_DATA_HOME/mcgateway/emulator``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mcgateway" / "emulator"


@dataclass
class EmulatorConfig:
    """Everything an :class:`~mcemulator.Emulator` needs; only ``data_dir`` has no default."""

    data_dir: Path
    """Where the instance store (SQLite) and the warehouse (DuckDB) live; created if missing."""
    host: str = "127.0.0.1"
    """Interface to listen on. Loopback by default: the admin endpoints are not authenticated."""
    port: int = 0
    """TCP port; 0 picks a free ephemeral port (read it back from ``Emulator.port``)."""
    project: str = "demo"
    """The project preloaded with ``pyodps_iris``."""
    extra_projects: tuple[str, ...] = ()
    """Further (empty) projects to serve besides ``project``."""
    accounts: Mapping[str, Account | tuple[str, frozenset[str] | set[str] | tuple[str, ...]]] = (
        field(default_factory=_demo_accounts)
    )
    """access_id -> Account, or (access_key, allowed projects); default: the demo account."""
    default_duration_seconds: float = 0.5
    """Simulated run time of a SQL task when the ``mcemulator.duration_seconds`` hint is absent."""
    workers: int = 4
    """How many instances may run at once; the rest wait with their tasks ``Waiting``."""
    faults: tuple[FaultRule, ...] = ()
    """Fault rules active from start-up (none: faults are off by default)."""
    long_poll_seconds: float = 5.0
    """How long ``?instancestatus`` holds a request while nothing changes (service: ~5 s)."""
    max_body_bytes: int = 10 * 1024 * 1024
    """Larger request bodies are refused with a MaxCompute-style error."""
    max_result_rows: int = 10000
    """Rows returned by ``?result`` for a SELECT; the service caps this path near 10000 too."""
    max_clock_skew_seconds: float | None = None
    """When set, requests whose ``Date`` is further off answer ``RequestTimeTooSkewd`` (403).
    Off by default so recorded requests (e.g. signature vectors) still verify; the service
    uses 900 s."""
    owner_format: str = "ALIYUN${access_id}"
    """How an instance owner is named from the creating account's access id."""

    def resolved_accounts(self) -> dict[str, Account]:
        """The accounts as :class:`Account` objects, whatever form they were given in."""
        out: dict[str, Account] = {}
        for access_id, value in self.accounts.items():
            if isinstance(value, Account):
                out[access_id] = value
            else:
                key, projects = value
                out[access_id] = Account(key, frozenset(projects))
        return out

    def projects(self) -> tuple[str, ...]:
        """Every project the emulator serves: the demo project first, then the extra ones."""
        seen = dict.fromkeys((self.project, *self.extra_projects))
        return tuple(seen)
