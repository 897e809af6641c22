"""The data directory: private permissions and the account generated for it.

The directory is ``0700`` and the files the emulator keeps there (the account file, the
SQLite store with its WAL and SHM, the DuckDB warehouse) are ``0600``, whatever the umask.
When no accounts are configured, an access id and secret are generated once per data
directory and kept in ``account.json`` (``0600``), so every later start accepts the same pair.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)

ACCOUNT_FILE = "account.json"
"""Name of the generated account's file inside the data directory."""

DIR_MODE = 0o700
FILE_MODE = 0o600
_OWN_FILES = ("instances.sqlite", "warehouse.duckdb", ACCOUNT_FILE)


def prepare(path: Path) -> Path:
    """Create ``path`` (mode 0700) if missing; tighten an existing emulator data directory.

    An existing directory that is open to other users is made 0700 only when it is empty or
    already holds emulator files, so a mistaken ``--data-dir /tmp`` changes nothing it does
    not own; otherwise a warning is logged.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=DIR_MODE)
        created = True
    except FileExistsError:
        created = False
    mode = stat.S_IMODE(path.stat().st_mode)
    if created or (mode & 0o077 and _is_emulator_dir(path)):
        os.chmod(path, DIR_MODE)
    elif mode & 0o077:
        log.warning(
            "data directory %s is accessible to other users (mode %o); the emulator keeps "
            "its account and data there",
            path,
            mode,
        )
    return path


def _is_emulator_dir(path: Path) -> bool:
    names = {p.name for p in path.iterdir()}
    return not names or any(name in names for name in _OWN_FILES)


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if missing, or set an existing file to 0600."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def restrict(*paths: Path) -> None:
    """Set each existing file among ``paths`` to 0600 (missing ones are skipped)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, FILE_MODE)


def new_credentials() -> tuple[str, str]:
    """A fresh random access id and secret."""
    return "mcemu" + secrets.token_hex(8), secrets.token_urlsafe(30)


def account_path(data_dir: Path) -> Path:
    """Where the generated account of ``data_dir`` is kept."""
    return data_dir / ACCOUNT_FILE


def read_account(data_dir: Path) -> tuple[str, str]:
    """The ``(access_id, access_key)`` stored in ``data_dir`` (for tools and tests).

    Raises ``FileNotFoundError`` when the directory has no generated account.
    """
    try:
        data = json.loads(account_path(data_dir).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{account_path(data_dir)}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{account_path(data_dir)}: expected a JSON object")
    access_id, access_key = data.get("access_id"), data.get("access_key")
    if not isinstance(access_id, str) or not isinstance(access_key, str):
        raise ValueError(f"{account_path(data_dir)}: access_id and access_key must be strings")
    if not access_id or not access_key:
        raise ValueError(f"{account_path(data_dir)}: empty access_id or access_key")
    return access_id, access_key


def load_or_create_account(data_dir: Path) -> tuple[str, str]:
    """The data directory's account, generated and stored (0600) on first use.

    Two processes starting on a new directory at once agree on one account: the file is
    written under a temporary name and linked into place, and the loser reads the winner's.
    """
    prepare(data_dir)
    path = account_path(data_dir)
    if path.exists():
        restrict(path)
        return read_account(data_dir)
    access_id, access_key = new_credentials()
    body = json.dumps({"access_id": access_id, "access_key": access_key}, indent=2) + "\n"
    tmp = data_dir / f".{ACCOUNT_FILE}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use theirs
            os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return read_account(data_dir)
