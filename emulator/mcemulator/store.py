"""Durable instance store: SQLite in WAL mode with ``synchronous=FULL``.

Each instance is one row holding its JSON form; every state change rewrites the row and
commits before the change becomes visible to clients, so a ``kill -9`` never loses an
acknowledged create or transition. All methods block: the scheduler calls them from a
single dedicated thread, which also serialises the writes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from mcemulator import datadir
from mcemulator.model import Instance

_SCHEMA = """
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class InstanceStore:
    """Instances by id, persisted in ``instances.sqlite`` inside the data directory."""

    def __init__(self, path: Path) -> None:
        # 0600 whatever the umask; SQLite gives the -wal and -shm files the database's mode.
        datadir.private_file(path)
        datadir.restrict(path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        # The connection is created on the caller's thread but later used only by the
        # store's single worker thread, one call at a time.
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def load(self) -> list[Instance]:
        """Every stored instance, oldest first."""
        rows = self._db.execute("SELECT data FROM instances ORDER BY seq").fetchall()
        return [Instance.from_json(json.loads(row[0])) for row in rows]

    def save(self, *records: dict[str, Any]) -> None:
        """Insert or replace instances (``Instance.to_json()`` dicts) in one transaction."""
        rows = [(r["id"], r["project"], r["seq"], json.dumps(r)) for r in records]
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO instances (id, project, seq, data) VALUES (?, ?, ?, ?)",
                rows,
            )

    def setting(self, key: str, default: str) -> str:
        """A persistent value, stored as ``default`` on first use (e.g. the token secret)."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, default)
            )
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0])

    def close(self) -> None:
        """Close the database (the WAL is checkpointed by SQLite)."""
        self._db.close()
