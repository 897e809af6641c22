"""Opaque, signed page tokens for ListInstances (AIP-158).

A token wraps MaxCompute's ``marker`` together with the project and a hash of the list
filters, signed with HMAC-SHA256 under a per-process (or configured) key. A token cannot be
forged, replayed against another project, or reused with different filters; each of those
is INVALID_ARGUMENT. Tokens expire after three days, AIP-158's rule of thumb.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable

from mcgateway import domain
from mcgateway.errors import InvalidArgument, Reason

__all__ = ["TOKEN_LIFETIME", "PageTokenCodec", "filter_fingerprint"]

TOKEN_LIFETIME = 3 * 24 * 3600
"""Seconds a page token stays valid."""

_VERSION = 1


def filter_fingerprint(project: str, flt: domain.ListFilter) -> str:
    """A short stable hash of the project and every list filter."""
    parts = [
        project,
        flt.status.value if flt.status else "",
        "owner" if flt.only_owner else "",
        flt.start_time.isoformat() if flt.start_time else "",
        flt.end_time.isoformat() if flt.end_time else "",
        flt.job_name or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class PageTokenCodec:
    """Encodes and checks page tokens with one HMAC key."""

    def __init__(self, key: bytes | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._key = key or secrets.token_bytes(32)
        self._clock = clock

    @classmethod
    def from_secret(cls, secret: str | None) -> PageTokenCodec:
        """A codec keyed by a configured secret (any string), or a random per-process key."""
        if not secret:
            return cls()
        return cls(hashlib.sha256(b"mcgateway-page-token\x00" + secret.encode()).digest())

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:16]

    def encode(self, project: str, flt: domain.ListFilter, marker: str) -> str:
        """The token for the page that starts at ``marker``."""
        body = {
            "v": _VERSION,
            "f": filter_fingerprint(project, flt),
            "m": marker,
            "t": int(self._clock()),
        }
        payload = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        raw = self._sign(payload) + payload
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, token: str, project: str, flt: domain.ListFilter) -> str:
        """The marker inside ``token``; INVALID_ARGUMENT if forged, stale or mismatched."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except ValueError:
            raise _bad("is not a token this gateway issued") from None
        mac, payload = raw[:16], raw[16:]
        if len(mac) != 16 or not hmac.compare_digest(mac, self._sign(payload)):
            raise _bad("is not a token this gateway issued (or the gateway restarted)")
        try:
            body = json.loads(payload)
            marker = body["m"]
            fingerprint = body["f"]
            issued = int(body["t"])
        except (ValueError, KeyError, TypeError):
            raise _bad("is malformed") from None
        if body.get("v") != _VERSION or not isinstance(marker, str):
            raise _bad("is malformed")
        if not hmac.compare_digest(str(fingerprint), filter_fingerprint(project, flt)):
            raise _bad("was issued for a different project or different filters")
        if self._clock() - issued > TOKEN_LIFETIME:
            raise _bad("has expired; list again from the first page")
        return marker


def _bad(why: str) -> InvalidArgument:
    return InvalidArgument([("page_token", why)], reason=Reason.INVALID_PAGE_TOKEN)
