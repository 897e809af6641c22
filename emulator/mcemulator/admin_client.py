"""A small client of the emulator's admin endpoints (``/_emulator/...``), signing each request.

The admin endpoints exist only when the emulator runs with ``admin`` on (``--admin``), and
they accept only requests signed by one of its accounts, with the API's signature scheme;
a request with a body also carries its ``Content-MD5``. ``Emulator.admin_client()`` gives
one for an in-process emulator; for a process::

    AdminClient.from_data_dir("http://127.0.0.1:8100", data_dir).set_faults(rule)
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcemulator import datadir
from mcemulator.signing import sign_headers

if TYPE_CHECKING:
    from mcemulator.faults import FaultRule

ADMIN_PREFIX = "/_emulator"


class AdminError(Exception):
    """An admin request was answered with an error status."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"admin request failed with {status}: {body}")
        self.status = status
        self.body = body


def content_md5(body: bytes) -> str:
    """The ``Content-MD5`` value of ``body`` (Base64 of the MD5 digest, as in RFC 1864)."""
    return base64.b64encode(hashlib.md5(body).digest()).decode()


def admin_headers(
    method: str, path: str, body: bytes | None, access_id: str, access_key: str
) -> dict[str, str]:
    """Signed headers of an admin request to ``path`` (below ``/_emulator``, e.g. ``/faults``)."""
    headers = {"Date": email.utils.formatdate(usegmt=True)}
    if body:
        headers["Content-Type"] = "application/json"
        headers["Content-MD5"] = content_md5(body)
    return sign_headers(method, ADMIN_PREFIX + path, headers, access_id, access_key)


class AdminClient:
    """Signed calls to ``{base_url}/_emulator/...``; answers are decoded JSON."""

    def __init__(self, base_url: str, access_id: str, access_key: str, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.access_id = access_id
        self._access_key = access_key
        self.timeout = timeout

    @classmethod
    def from_data_dir(cls, base_url: str, data_dir: Path, timeout: float = 10.0) -> AdminClient:
        """A client signing with the account generated in ``data_dir`` (``account.json``)."""
        access_id, access_key = datadir.read_account(data_dir)
        return cls(base_url, access_id, access_key, timeout)

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Send ``method`` to ``/_emulator`` + ``path`` with ``body`` as JSON; raise AdminError."""
        data = None if body is None else json.dumps(body).encode()
        headers = admin_headers(method, path, data, self.access_id, self._access_key)
        request = urllib.request.Request(
            self.base_url + ADMIN_PREFIX + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                detail: Any = json.loads(raw)
            except ValueError:
                detail = raw.decode("utf-8", "replace")
            raise AdminError(exc.code, detail) from None

    def faults(self) -> list[dict[str, Any]]:
        """The active fault rules (as JSON objects)."""
        return list(self.request("GET", "/faults")["rules"])

    def set_faults(self, *rules: FaultRule) -> list[dict[str, Any]]:
        """Replace the fault rules; no rules clears them."""
        if not rules:
            return self.clear_faults()
        answer = self.request("POST", "/faults", {"rules": [r.to_json() for r in rules]})
        return list(answer["rules"])

    def clear_faults(self) -> list[dict[str, Any]]:
        """Remove every fault rule."""
        return list(self.request("DELETE", "/faults")["rules"])

    def request_counts(self) -> dict[str, int]:
        """REST requests received under /api, per operation name."""
        return {str(k): int(v) for k, v in self.request("GET", "/requests").items()}

    def suspend(self, project: str, instance_id: str) -> dict[str, Any]:
        """Suspend a running instance; returns ``{"id", "status"}``."""
        path = f"/projects/{project}/instances/{instance_id}/suspend"
        return dict(self.request("POST", path))

    def resume(self, project: str, instance_id: str) -> dict[str, Any]:
        """Resume a suspended instance; returns ``{"id", "status"}``."""
        path = f"/projects/{project}/instances/{instance_id}/resume"
        return dict(self.request("POST", path))
