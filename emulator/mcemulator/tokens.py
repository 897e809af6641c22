"""Logview bearer tokens: what ``?sign_bearer_token`` issues and logview links carry.

A token is ``base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, claims))``. The
secret is kept in the instance store, so tokens stay valid across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: reading the listed resources until ``expires``."""

    resources: tuple[str, ...]
    actions: tuple[str, ...]
    expires: float

    def allows(self, project: str, instance_id: str | None) -> bool:
        """Whether the grant covers reading this project (and instance)."""
        wanted = f"acs:odps:*:projects/{project}"
        if instance_id:
            wanted += f"/instances/{instance_id}"
        for resource in self.resources:
            if resource == wanted or (resource.endswith("*") and wanted.startswith(resource[:-1])):
                return True
        return False


_PROJECT_RESOURCE = re.compile(r"acs:odps:[^:/]*:projects/([^/]+)(?:/.*)?", re.S)


def resources_outside(policy: dict[str, Any], project: str) -> list[str]:
    """The resources of ``policy``'s Allow statements that are not within ``project``.

    A resource is within the project when it is ``acs:odps:<region>:projects/<project>``
    or below it (``.../instances/<id>``, ``.../*``); wildcards in the project name
    (``projects/*``, ``projects/de*``) and other forms (``*``) are outside.
    """
    outside: list[str] = []
    for statement in _statements(policy):
        for resource in _strings(statement.get("Resource")):
            match = _PROJECT_RESOURCE.fullmatch(resource)
            if match is None or match.group(1) != project:
                outside.append(resource)
    return outside


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``Allow`` statements of a policy (anything malformed is ignored)."""
    statements = policy.get("Statement")
    if not isinstance(statements, list):
        return []
    return [s for s in statements if isinstance(s, dict) and s.get("Effect") == "Allow"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    """Signs and verifies bearer tokens with one secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def issue(self, policy: dict[str, Any], hours: float) -> str:
        """A token for the ``Allow`` statements of ``policy`` valid for ``hours``."""
        resources: list[str] = []
        actions: list[str] = []
        for statement in _statements(policy):
            resources += _strings(statement.get("Resource"))
            actions += _strings(statement.get("Action"))
        claims = {"r": resources, "a": actions, "e": time.time() + hours * 3600}
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return body + "." + self._sign(body)

    def verify(self, token: str) -> Grant | None:
        """The grant of a valid, unexpired token; None otherwise."""
        body, _, signature = token.partition(".")
        if not body or not hmac.compare_digest(self._sign(body), signature):
            return None
        try:
            claims = json.loads(_unb64(body))
            grant = Grant(tuple(claims["r"]), tuple(claims["a"]), float(claims["e"]))
        except (ValueError, KeyError, TypeError):
            return None
        return grant if grant.expires > time.time() else None

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode(), hashlib.sha256).digest())


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
