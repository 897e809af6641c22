"""Configuration of an emulator: listening address, data directory, accounts, timing, faults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mcemulator import datadir
from mcemulator.faults import FaultRule

ALL_PROJECTS: frozenset[str] = frozenset({"*"})
"""Allowed-projects value meaning "every project the emulator serves"."""


@dataclass(frozen=True)
class Account:
    """An access key pair and the projects it may use (``ALL_PROJECTS`` for all)."""

    access_key: str = field(repr=False)
    projects: frozenset[str] = ALL_PROJECTS
    sts_token: str | None = field(default=None, repr=False)
    """When set, requests must also carry this ``authorization-sts-token`` header."""

    def may_use(self, project: str) -> bool:
        """Whether this account is allowed to work in ``project``."""
        return "*" in self.projects or project in self.projects


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
    """Interface to listen on (loopback by default)."""
    port: int = 0
    """TCP port; 0 picks a free ephemeral port (read it back from ``Emulator.port``)."""
    project: str = "demo"
    """The project preloaded with ``pyodps_iris``."""
    extra_projects: tuple[str, ...] = ()
    """Further (empty) projects to serve besides ``project``."""
    accounts: (
        Mapping[str, Account | tuple[str, frozenset[str] | set[str] | tuple[str, ...]]] | None
    ) = None
    """access_id -> Account, or (access_key, allowed projects). ``None`` (the default): one
    account for every project, generated on the first start and kept in the data directory's
    ``account.json`` (mode 0600), so later starts on the same directory accept the same pair."""
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
    max_clock_skew_seconds: float | None = 900.0
    """Requests whose ``Date`` is further off answer ``RequestTimeTooSkewd`` (403), so a
    captured request cannot be replayed for long; 900 s like the service. ``None`` turns the
    check off (only for replaying recorded requests)."""
    admin: bool = False
    """Serve the ``/_emulator/...`` admin endpoints (faults, suspend/resume, counters). Off
    by default; when on, they require requests signed by one of the accounts."""
    owner_format: str = "ALIYUN${access_id}"
    """How an instance owner is named from the creating account's access id."""

    def resolved_accounts(self) -> dict[str, Account]:
        """The accounts as :class:`Account` objects, whatever form they were given in.

        Without configured ``accounts`` this reads (on first use: creates) the data
        directory's generated account.
        """
        if self.accounts is None:
            access_id, access_key = datadir.load_or_create_account(self.data_dir)
            return {access_id: Account(access_key)}
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
