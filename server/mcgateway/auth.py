"""Bearer-token authorization: which caller may use which MaxCompute projects.

Tokens come from a JSON file (``--tokens-file``)::

    {"tokens": [
        {"name": "dashboard", "token": "sha256:9f86d0...", "projects": ["demo"]},
        {"name": "ops", "token": "s3cret-plaintext", "projects": ["*"]}
    ]}

A token is stored either in plain text or as ``sha256:<hex>`` (the SHA-256 of the token),
so the file need not hold usable secrets. ``"*"`` allows every project. Lookups hash the
presented token and compare digests in constant time. The file is re-read on SIGHUP; a bad
file keeps the previous tokens in force (and is logged) rather than locking everyone out.

The check runs before any upstream call, so a caller cannot learn whether an instance
exists in a project it may not use (PERMISSION_DENIED before NOT_FOUND).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc

from mcgateway.errors import GatewayError, Reason

__all__ = [
    "ALL_PROJECTS",
    "ANONYMOUS",
    "Principal",
    "TokenFileError",
    "TokenStore",
    "authorize",
    "bearer_token",
    "token_digest",
]

_log = logging.getLogger(__name__)

ALL_PROJECTS = "*"
"""Project wildcard in the tokens file."""

_DIGEST = re.compile(r"sha256:([0-9a-fA-F]{64})")


class TokenFileError(ValueError):
    """The tokens file is unreadable or malformed."""


def token_digest(token: str) -> str:
    """The hex SHA-256 of a token, as stored after ``sha256:`` in the tokens file."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its name (for logs) and the projects it may use."""

    name: str
    projects: frozenset[str]

    def may_use(self, project: str) -> bool:
        """Whether this caller may use ``project``."""
        return ALL_PROJECTS in self.projects or project in self.projects


ANONYMOUS = Principal("anonymous", frozenset({ALL_PROJECTS}))
"""The caller when auth is disabled (no tokens file: loopback-only deployments)."""


def bearer_token(metadata: Sequence[tuple[str, str | bytes]] | None) -> str | None:
    """The token of an ``authorization: Bearer <token>`` metadata entry, if any."""
    for key, value in metadata or ():
        if key.lower() != "authorization":
            continue
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        scheme, _, token = text.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
    return None


def _parse(data: object, source: str) -> dict[str, Principal]:
    if not isinstance(data, Mapping) or not isinstance(data.get("tokens"), list):
        raise TokenFileError(f"{source}: expected an object with a 'tokens' list")
    by_digest: dict[str, Principal] = {}
    for index, item in enumerate(data["tokens"]):
        where = f"{source}: tokens[{index}]"
        if not isinstance(item, Mapping):
            raise TokenFileError(f"{where}: expected an object")
        token = item.get("token")
        projects = item.get("projects")
        if not isinstance(token, str) or not token:
            raise TokenFileError(f"{where}: 'token' must be a non-empty string")
        if (
            not isinstance(projects, list)
            or not projects
            or not all(isinstance(p, str) and p for p in projects)
        ):
            raise TokenFileError(f"{where}: 'projects' must be a non-empty list of names or '*'")
        match = _DIGEST.fullmatch(token)
        if match is None and token.lower().startswith("sha256:"):
            # A typo in a digest must not silently become a plaintext token equal to it.
            raise TokenFileError(
                f"{where}: a 'sha256:' token must be followed by exactly 64 hex digits"
            )
        digest = match.group(1).lower() if match else token_digest(token)
        name = item.get("name")
        principal = Principal(
            name if isinstance(name, str) and name else f"token#{index}", frozenset(projects)
        )
        if digest in by_digest:
            raise TokenFileError(f"{where}: duplicate token")
        by_digest[digest] = principal
    return by_digest


class TokenStore:
    """Tokens → principals, loaded from a file and reloadable (thread-safe swap)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._by_digest = self._load()

    def _load(self) -> dict[str, Principal]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise TokenFileError(f"cannot read tokens file {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise TokenFileError(f"tokens file {self.path} is not valid JSON: {exc}") from None
        return _parse(data, str(self.path))

    def __len__(self) -> int:
        return len(self._by_digest)

    def reload(self) -> bool:
        """Re-read the file; on error keep the old tokens, log, and return False."""
        try:
            fresh = self._load()
        except TokenFileError as exc:
            _log.error("tokens file not reloaded, keeping %d tokens: %s", len(self), exc)
            return False
        with self._lock:
            self._by_digest = fresh
        _log.info("tokens file reloaded: %d tokens", len(fresh))
        return True

    def principal_for_digest(self, digest: str) -> Principal | None:
        """The principal whose token has this SHA-256 now (``None`` once it is gone)."""
        with self._lock:
            return self._by_digest.get(digest)

    def authenticate(self, token: str | None) -> Principal:
        """The principal of ``token``; UNAUTHENTICATED when missing or unknown."""
        return self.identify(token)[0]

    def identify(self, token: str | None) -> tuple[Principal, str]:
        """The principal of ``token`` and the token's digest (what a later reload is checked
        against); UNAUTHENTICATED when missing or unknown."""
        if token is None:
            raise GatewayError(
                grpc.StatusCode.UNAUTHENTICATED,
                Reason.UNAUTHENTICATED,
                "missing bearer token: send metadata 'authorization: Bearer <token>'",
            )
        presented = token_digest(token)
        with self._lock:
            table = self._by_digest
        found: Principal | None = None
        # Compare against every digest so the time taken does not depend on which matched.
        for digest, principal in table.items():
            if hmac.compare_digest(digest, presented):
                found = principal
        if found is None:
            raise GatewayError(
                grpc.StatusCode.UNAUTHENTICATED, Reason.UNAUTHENTICATED, "unknown bearer token"
            )
        return found, presented


def authorize(principal: Principal, project: str) -> None:
    """PERMISSION_DENIED unless ``principal`` may use ``project``."""
    if not principal.may_use(project):
        raise GatewayError(
            grpc.StatusCode.PERMISSION_DENIED,
            Reason.PROJECT_NOT_ALLOWED,
            f"this token may not use project {project!r}",
            metadata={"project": project},
        )
