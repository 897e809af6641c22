"""ODPS request signatures: the canonical string and the v2 / v4 HMACs, as PyODPS builds them.

The same functions serve both sides: the server verifies with them and test or bench
clients sign with them, so a disagreement with PyODPS shows up in the signature vectors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

V4_PREFIX = "aliyun_v4"


def canonical_string(method: str, resource: str, headers: Iterable[tuple[str, str]]) -> str:
    """The string PyODPS signs.

    ``resource`` is the request target with the endpoint's path prefix (``/api``) removed,
    still percent-encoded, e.g. ``/projects/p/instances?taskstatus&curr_project=p``.
    PyODPS decodes that whole tail once and then form-decodes the query (turning ``+``
    into a space and decoding what is left); copying both steps accepts everything it signs.
    """
    parts = urlsplit(unquote(resource), allow_fragments=False)
    signed: dict[str, str] = {"content-type": "", "content-md5": "", "date": ""}
    for name, value in headers:
        key = name.lower()
        if key in ("content-type", "content-md5", "date") or key.startswith("x-odps-"):
            signed[key] = value
    canonical_resource = parts.path
    if parts.query:
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        canonical_resource += "?" + "&".join(
            k if v == "" else f"{k}={v}" for k, v in sorted(params.items())
        )
        for key, value in params.items():
            if key.startswith("x-odps-"):
                signed[key] = value
    lines = [method.upper()]
    for key in sorted(signed):
        lines.append(f"{key}:{signed[key]}" if key.startswith("x-odps-") else signed[key])
    lines.append(canonical_resource)
    return "\n".join(lines)


def v2_signature(secret: str, canonical: str) -> str:
    """Base64(HMAC-SHA1(secret, canonical)), the legacy ("v2") signature."""
    digest = hmac.new(secret.encode(), canonical.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def v4_signing_key(secret: str, date: str, region: str, prefix: str = V4_PREFIX) -> bytes:
    """The chained HMAC-SHA256 key of the v4 signature for ``date`` (yyyymmdd) and ``region``."""
    key = hmac.new((prefix + secret).encode(), date.encode(), hashlib.sha256).digest()
    key = hmac.new(key, region.encode(), hashlib.sha256).digest()
    key = hmac.new(key, b"odps", hashlib.sha256).digest()
    return hmac.new(key, (prefix + "_request").encode(), hashlib.sha256).digest()


def v4_signature(secret: str, date: str, region: str, canonical: str) -> str:
    """Base64(HMAC-SHA1(v4 key, canonical))."""
    digest = hmac.new(v4_signing_key(secret, date, region), canonical.encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


@dataclass(frozen=True)
class Credential:
    """The parsed ``Authorization: ODPS ...`` header."""

    access_id: str
    signature: str
    date: str | None = None
    """yyyymmdd of a v4 credential scope; ``None`` for v2."""
    region: str | None = None


def parse_authorization(value: str) -> Credential | None:
    """Parse ``ODPS id:sig`` or ``ODPS id/date/region/odps/aliyun_v4_request:sig`` (else None)."""
    scheme, _, rest = value.strip().partition(" ")
    if scheme != "ODPS" or ":" not in rest:
        return None
    scope, _, signature = rest.rpartition(":")
    if not scope or not signature:
        return None
    pieces = scope.split("/")
    if len(pieces) == 1:
        return Credential(scope, signature)
    if len(pieces) == 5 and pieces[3] == "odps" and pieces[4] == V4_PREFIX + "_request":
        return Credential(pieces[0], signature, pieces[1], pieces[2])
    return None


def expected_signature(credential: Credential, secret: str, canonical: str) -> str:
    """The signature the holder of ``secret`` would have sent for ``canonical``."""
    if credential.date is None or credential.region is None:
        return v2_signature(secret, canonical)
    return v4_signature(secret, credential.date, credential.region, canonical)


def signature_matches(credential: Credential, secret: str, canonical: str) -> bool:
    """Constant-time comparison of the sent signature with the expected one."""
    expected = expected_signature(credential, secret, canonical)
    return hmac.compare_digest(expected.encode(), credential.signature.encode())


def authorization_v2(access_id: str, secret: str, canonical: str) -> str:
    """The ``Authorization`` header value a v2 client sends."""
    return f"ODPS {access_id}:{v2_signature(secret, canonical)}"


def sign_headers(
    method: str,
    resource: str,
    headers: Mapping[str, str],
    access_id: str,
    secret: str,
) -> dict[str, str]:
    """Client helper: ``headers`` plus a v2 ``Authorization`` for ``resource`` (prefix removed).

    ``headers`` must already hold ``Date`` (and ``Content-Type`` when there is a body).
    """
    canonical = canonical_string(method, resource, headers.items())
    return {**headers, "Authorization": authorization_v2(access_id, secret, canonical)}
