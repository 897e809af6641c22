"""ODPS request signing: the canonical string, v2 (HMAC-SHA1) and v4 signatures.

The canonical string is built exactly as PyODPS 0.13.2 builds it (odps/accounts.py),
including its decoding quirk: the URL tail is percent-decoded once and the query then
form-decoded again (so a signed ``+`` reads as a space).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import formatdate
from urllib.parse import parse_qsl, unquote, urlparse

from mcgateway.maxcompute._credentials import Credentials

__all__ = [
    "V4_SIGNATURE_PREFIX",
    "authorization_header",
    "canonical_string",
    "http_date",
    "region_from_endpoint",
    "sign_v2",
    "sign_v4",
    "v4_signing_key",
]

V4_SIGNATURE_PREFIX = "aliyun_v4"

# PyODPS's regex (odps/core.py) for service.<region>.<product>.<domain>[-inc].com hosts.
_ENDPOINT_HOST_WITH_REGION = re.compile(
    r"service\.([^\.]+)\.([a-z]{4,10})\.[a-z]{6}(|-inc)\.com", re.IGNORECASE
)


def http_date(moment: datetime | None = None) -> str:
    """RFC 1123 GMT date for the ``Date`` header."""
    ts = (moment or datetime.now(UTC)).timestamp()
    return formatdate(ts, usegmt=True)


def canonical_string(method: str, url: str, endpoint: str, headers: Mapping[str, str]) -> str:
    """The string to sign for ``method url`` sent with ``headers``.

    ``url`` must start with ``endpoint``; the endpoint (with its ``/api`` prefix) is removed.
    ``headers`` must already hold ``Date``.
    """
    if not url.startswith(endpoint):
        raise ValueError("URL is not under the endpoint")
    components = urlparse(unquote(url[len(endpoint) :]), allow_fragments=False)
    resource = components.path
    params: dict[str, str] = {}
    if components.query:
        params = dict(parse_qsl(components.query, keep_blank_values=True))
        resource += "?" + "&".join(k if v == "" else f"{k}={v}" for k, v in sorted(params.items()))
    to_sign: dict[str, str] = {"content-type": "", "content-md5": ""}
    date = ""
    for key, value in headers.items():
        lower = key.lower()
        if lower in ("content-type", "content-md5") or lower.startswith("x-odps-"):
            to_sign[lower] = value
        elif lower == "date":
            date = value
    if not date:
        raise ValueError("the Date header must be set before signing")
    to_sign["date"] = date
    for key, value in params.items():
        if key.startswith("x-odps-"):
            to_sign[key] = value
    lines = [method.upper()]
    for key in sorted(to_sign):
        lines.append(f"{key}:{to_sign[key]}" if key.startswith("x-odps-") else to_sign[key])
    lines.append(resource)
    return "\n".join(lines)


def sign_v2(credentials: Credentials, canonical: str) -> str:
    """``Authorization`` value for the legacy (v2) signature."""
    digest = hmac.new(
        credentials.access_key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha1
    ).digest()
    return f"ODPS {credentials.access_id}:{base64.b64encode(digest).decode('ascii')}"


def v4_signing_key(secret: str, date_yyyymmdd: str, region: str) -> bytes:
    """The v4 signing key: an HMAC-SHA256 chain over date, region, ``odps`` and the suffix."""
    k_date = hmac.new(
        (V4_SIGNATURE_PREFIX + secret).encode("utf-8"), date_yyyymmdd.encode(), hashlib.sha256
    ).digest()
    k_region = hmac.new(k_date, region.encode("utf-8"), hashlib.sha256).digest()
    k_service = hmac.new(k_region, b"odps", hashlib.sha256).digest()
    return hmac.new(k_service, f"{V4_SIGNATURE_PREFIX}_request".encode(), hashlib.sha256).digest()


def sign_v4(
    credentials: Credentials, canonical: str, region: str, now: datetime | None = None
) -> str:
    """``Authorization`` value for the v4 signature; the scope date is the current UTC date."""
    date = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d")
    key = v4_signing_key(credentials.access_key, date, region)
    digest = hmac.new(key, canonical.encode("utf-8"), hashlib.sha1).digest()
    scope = f"{credentials.access_id}/{date}/{region}/odps/{V4_SIGNATURE_PREFIX}_request"
    return f"ODPS {scope}:{base64.b64encode(digest).decode('ascii')}"


def authorization_header(
    credentials: Credentials,
    canonical: str,
    region: str | None,
    now: datetime | None = None,
) -> str:
    """v4 when a region is given, else v2."""
    if region:
        return sign_v4(credentials, canonical, region, now)
    return sign_v2(credentials, canonical)


def region_from_endpoint(endpoint: str) -> str | None:
    """The region PyODPS derives from an endpoint host, or ``None`` (then v2 is used).

    ``service.cn-hangzhou.maxcompute.aliyun.com`` gives ``cn-hangzhou``; ``-internal`` and
    ``-vpc`` suffixes are stripped; a region without ``-`` gives ``None``.
    """
    host = urlparse(endpoint).hostname or ""
    match = _ENDPOINT_HOST_WITH_REGION.search(host)
    if match is None:
        return None
    region = match.group(1)
    for suffix in ("-internal", "-vpc"):
        if region.endswith(suffix):
            region = region[: -len(suffix)]
            break
    return region if "-" in region else None
