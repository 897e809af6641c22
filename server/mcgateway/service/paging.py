"""Opaque, signed page tokens for every List RPC (AIP-158).

A token wraps a position together with a fingerprint of what it pages, signed with
HMAC-SHA256 under a per-process (or configured) key. For ListInstances the position is
MaxCompute's ``marker`` and the fingerprint covers the project and every list filter. ListTasks,
ListTaskResults and ListSubInstances page over one list the gateway read whole
(:class:`LocalPager`): the position is an offset, and the fingerprint covers the method, the
project and the instance. A token cannot be forged, replayed against another project,
instance or method, or reused with different filters; each of those is INVALID_ARGUMENT
with reason INVALID_PAGE_TOKEN. Tokens expire after three days, AIP-158's rule of thumb.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mcgateway import domain
from mcgateway.errors import InvalidArgument, Reason

__all__ = [
    "TOKEN_LIFETIME",
    "LocalPager",
    "PageTokenCodec",
    "filter_fingerprint",
    "scope_fingerprint",
]

_T = TypeVar("_T")

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
    return _fingerprint(parts)


def scope_fingerprint(method: str, project: str, instance_id: str) -> str:
    """A short stable hash of a List over one instance's list: the method, project and
    instance its tokens are good for."""
    return _fingerprint(["local", method, project, instance_id])


def _fingerprint(parts: Sequence[str]) -> str:
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
        """The ListInstances token for the page that starts at MaxCompute's ``marker``."""
        return self.encode_scoped(filter_fingerprint(project, flt), marker)

    def decode(self, token: str, project: str, flt: domain.ListFilter) -> str:
        """The marker inside a ListInstances token; INVALID_ARGUMENT if forged, stale or
        issued for another project or other filters."""
        return self.decode_scoped(token, filter_fingerprint(project, flt))

    def encode_scoped(self, fingerprint: str, marker: str) -> str:
        """The token for the page that starts at ``marker``, good only for ``fingerprint``."""
        body = {
            "v": _VERSION,
            "f": fingerprint,
            "m": marker,
            "t": int(self._clock()),
        }
        payload = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        raw = self._sign(payload) + payload
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode_scoped(self, token: str, fingerprint: str) -> str:
        """The marker inside ``token``; INVALID_ARGUMENT if forged, stale or issued for
        another ``fingerprint``."""
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
            issued_for = body["f"]
            issued = int(body["t"])
        except (ValueError, KeyError, TypeError):
            raise _bad("is malformed") from None
        if body.get("v") != _VERSION or not isinstance(marker, str):
            raise _bad("is malformed")
        if not hmac.compare_digest(str(issued_for), fingerprint):
            raise _bad("was issued for another list (project, instance, method or filters)")
        if self._clock() - issued > TOKEN_LIFETIME:
            raise _bad("has expired; list again from the first page")
        return marker


@dataclass(frozen=True)
class LocalPager:
    """One page of a list the gateway read whole (ListTasks, ListTaskResults,
    ListSubInstances): where it starts, how many it holds, and the next page's token.

    MaxCompute answers these lists in one response, so the gateway pages locally: a token
    holds the offset of the next item, signed and bound to the method, the project and the
    instance (a token of another instance or method is INVALID_PAGE_TOKEN). Build it with
    :meth:`open` before the upstream read (so a bad token costs no upstream call), then
    :meth:`page` the list read.
    """

    codec: PageTokenCodec
    fingerprint: str
    offset: int
    size: int

    @classmethod
    def open(
        cls,
        codec: PageTokenCodec,
        *,
        method: str,
        project: str,
        instance_id: str,
        page_size: int,
        page_token: str,
    ) -> LocalPager:
        """The page ``page_token`` asks for (the first without one) of ``page_size`` items
        (already validated, > 0); INVALID_ARGUMENT for a token not issued for this call."""
        fingerprint = scope_fingerprint(method, project, instance_id)
        offset = 0
        if page_token:
            marker = codec.decode_scoped(page_token, fingerprint)
            if not marker.isdigit():
                raise _bad("is malformed")
            offset = int(marker)
        return cls(codec, fingerprint, offset, page_size)

    def page(self, items: Sequence[_T]) -> tuple[list[_T], str]:
        """This page's items and the next page's token (empty on the last page). A list that
        shrank since the token was issued gives an empty last page."""
        end = self.offset + self.size
        token = self.codec.encode_scoped(self.fingerprint, str(end)) if end < len(items) else ""
        return list(items[self.offset : end]), token


def _bad(why: str) -> InvalidArgument:
    return InvalidArgument([("page_token", why)], reason=Reason.INVALID_PAGE_TOKEN)
