"""Signing: PyODPS's vectors, odd canonical strings, v4, region derivation, PyODPS as oracle."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from mc_helpers import load_vectors
from mcgateway.maxcompute import Credentials
from mcgateway.maxcompute._signing import (
    authorization_header,
    canonical_string,
    region_from_endpoint,
    sign_v2,
    sign_v4,
)
from mcgateway.maxcompute._urls import build_url

VECTORS = load_vectors()
DATE = "Thu, 19 May 2016 10:13:49 GMT"
ENDPOINT = "http://service.odps.aliyun.com/api"
CREDS = Credentials("test_access_id", "test_secret_key")


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_canonical_string_and_signature(vector: dict[str, Any]) -> None:
    canonical = canonical_string(
        vector["method"], vector["url"], vector["endpoint"], vector["headers"]
    )
    assert canonical == vector["canonical_string"]
    creds = Credentials(vector["access_id"], vector["access_key"])
    assert sign_v2(creds, canonical) == vector["authorization"]


def test_v4_vector_from_reference_note() -> None:
    # maxcompute-rest.md §2.6 V5: V1 signed v4 for cn-hangzhou on 2016-05-19.
    v1 = VECTORS[0]
    canonical = canonical_string(v1["method"], v1["url"], v1["endpoint"], v1["headers"])
    header = sign_v4(CREDS, canonical, "cn-hangzhou", datetime(2016, 5, 19, 23, 0, tzinfo=UTC))
    assert header == (
        "ODPS test_access_id/20160519/cn-hangzhou/odps/aliyun_v4_request:"
        "r8XYR+mZNSU5jEsKi8sjZQ3AlCY="
    )
    assert authorization_header(CREDS, canonical, None) == v1["authorization"]


def _pyodps_canonical(method: str, url: str, headers: dict[str, str], body: bytes | None) -> str:
    """PyODPS 0.13.2's own canonical string for a prepared request (the oracle)."""
    from odps.accounts import AliyunAccount

    account = AliyunAccount("test_access_id", "test_secret_key")
    prepared = requests.Request(method, url, headers=headers, data=body).prepare()
    prepared.url = url
    from urllib.parse import unquote, urlparse

    components = urlparse(unquote(url[len(ENDPOINT) :]), allow_fragments=False)
    return str(account._build_canonical_str(components, prepared))


ODD_CASES = [
    # A project name with a space (encoded %20), as in the vectors.
    ("GET", f"{ENDPOINT}/projects/my%20project/instances?curr_project=my%20project", {}),
    # A marker value with characters that need encoding, including an encoded '+' (signed as
    # a space: PyODPS's double decoding) and '%'.
    ("GET", f"{ENDPOINT}/projects/p/instances?marker=a%2Bb%25c%3D&maxitems=5", {}),
    # Extra x-odps-* headers in mixed case, an x-odps-* query parameter, and a non-x-odps one.
    (
        "GET",
        f"{ENDPOINT}/projects/p/instances/i1?taskstatus&x-odps-q=1&curr_project=p",
        {"X-ODPS-Zeta": "z  ", "x-odps-alpha": "a", "x-odpsfoo": "ignored", "Accept": "x"},
    ),
    # Duplicate keys: the last value wins.
    ("GET", f"{ENDPOINT}/projects/p/instances?a=1&a=2&b", {}),
    # POST with a body and a content type.
    (
        "POST",
        f"{ENDPOINT}/projects/p/instances?curr_project=p",
        {"Content-Type": "application/xml"},
    ),
]


@pytest.mark.parametrize(("method", "url", "extra"), ODD_CASES)
def test_odd_canonical_strings_match_pyodps(method: str, url: str, extra: dict[str, str]) -> None:
    headers = {"Date": DATE, "x-odps-user-agent": "ua", **extra}
    body = b"<Instance/>" if method == "POST" else None
    ours = canonical_string(method, url, ENDPOINT, headers)
    assert ours == _pyodps_canonical(method, url, dict(headers), body)


def test_canonical_string_details() -> None:
    headers = {"Date": DATE, "X-ODPS-B": "2", "x-odps-a": " 1 ", "x-odpsfoo": "no"}
    text = canonical_string(
        "get", f"{ENDPOINT}/projects/my%20p/instances?z=1&marker=m%2Fx&flag", ENDPOINT, headers
    )
    assert text.split("\n") == [
        "GET",
        "",
        "",
        DATE,
        "x-odps-a: 1 ",
        "x-odps-b:2",
        "/projects/my p/instances?flag&marker=m/x&z=1",
    ]


def test_canonical_string_requires_date_and_endpoint() -> None:
    with pytest.raises(ValueError):
        canonical_string("GET", f"{ENDPOINT}/projects/p", ENDPOINT, {})
    with pytest.raises(ValueError):
        canonical_string("GET", "http://evil.test/api/projects/p", ENDPOINT, {"Date": DATE})


@pytest.mark.parametrize(
    ("endpoint", "region"),
    [
        ("http://service.cn-hangzhou.maxcompute.aliyun.com/api", "cn-hangzhou"),
        ("https://service.cn-shanghai-vpc.maxcompute.aliyun-inc.com/api", "cn-shanghai"),
        ("http://service.cn-beijing-internal.maxcompute.aliyun.com/api", "cn-beijing"),
        ("http://service.odps.aliyun.com/api", None),
        ("http://127.0.0.1:8080/api", None),
        ("http://localhost:8080/api", None),
    ],
)
def test_region_from_endpoint_matches_pyodps(endpoint: str, region: str | None) -> None:
    from odps.core import ODPS

    assert region_from_endpoint(endpoint) == region
    assert ODPS._get_region_from_endpoint(endpoint) == region


_HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20
)


@settings(max_examples=150, deadline=None)
@given(
    project=st.text(min_size=1, max_size=20).filter(lambda s: s not in (".", "..")),
    marker=st.text(max_size=20),
    header_name=st.from_regex(r"[a-z][a-z0-9\-]{0,10}", fullmatch=True),
    header_value=_HEADER_TEXT,
)
def test_canonical_string_matches_pyodps_for_any_input(
    project: str, marker: str, header_name: str, header_value: str
) -> None:
    url = build_url(
        ENDPOINT,
        ["projects", project, "instances"],
        actions=["taskstatus"],
        params=[("marker", marker), ("curr_project", project)],
    )
    headers = {"Date": DATE, "x-odps-user-agent": "ua", f"x-odps-{header_name}": header_value}
    assert canonical_string("GET", url, ENDPOINT, headers) == _pyodps_canonical(
        "GET", url, dict(headers), None
    )
