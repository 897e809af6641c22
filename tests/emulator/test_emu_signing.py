"""Signature verification: PyODPS's vectors, tampering, and the server's authentication errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from emu_helpers import SignedClient, error_code, make_odps
from mcemulator import Account, Emulator
from mcemulator.access import Authenticator
from mcemulator.signing import canonical_string, v4_signature
from mcemulator.tokens import TokenIssuer
from odps import errors

# The committed copy of shared/vectors/signatures-v2.json (see tests/data).
VECTORS = Path(__file__).resolve().parents[1] / "data" / "signatures-v2.json"


def _vectors() -> list[dict[str, Any]]:
    return list(json.loads(VECTORS.read_text())["vectors"])


def _verify(vector: dict[str, Any], *, url: str | None = None, **overrides: str) -> None:
    """Run the server's authenticator on a vector (with optional tampering)."""
    accounts = {vector["access_id"]: Account(vector["access_key"])}
    auth = Authenticator(accounts, TokenIssuer(b"k"))
    headers = {**vector["headers"], "Authorization": vector["authorization"], **overrides}
    resource = (url or vector["url"])[len(vector["endpoint"]) :]
    auth.authenticate(vector["method"], resource, headers, headers.items())


@pytest.mark.parametrize("vector", _vectors(), ids=lambda v: str(v["name"]))
def test_vector_canonical_string_and_verification(vector: dict[str, Any]) -> None:
    resource = vector["url"][len(vector["endpoint"]) :]
    assert (
        canonical_string(vector["method"], resource, vector["headers"].items())
        == (vector["canonical_string"])
    )
    _verify(vector)


def _flip(text: str, index: int) -> str:
    return text[:index] + ("b" if text[index] != "b" else "c") + text[index + 1 :]


@pytest.mark.parametrize("vector", _vectors(), ids=lambda v: str(v["name"]))
def test_vector_with_one_byte_changed_is_rejected(vector: dict[str, Any]) -> None:
    from mcemulator.errors import ServiceError

    tampered_urls = [_flip(vector["url"], len(vector["url"]) - 1)]
    with pytest.raises(ServiceError) as info:
        _verify(vector, url=tampered_urls[0])
    assert info.value.code == "SignatureNotMatch" and info.value.status == 401
    with pytest.raises(ServiceError):
        _verify(vector, Date=_flip(vector["headers"]["Date"], 5))
    sig = vector["authorization"]
    with pytest.raises(ServiceError):
        _verify(vector, Authorization=_flip(sig, len(sig) - 3))
    ua = vector["headers"]["x-odps-user-agent"]
    with pytest.raises(ServiceError):
        _verify(vector, **{"x-odps-user-agent": _flip(ua, 0)})


def test_v4_vector_from_the_protocol_notes() -> None:
    # maxcompute-rest.md V5: V1 signed with v4 for cn-hangzhou on 2016-05-19.
    canonical = (
        "GET\n\n\nThu, 19 May 2016 10:13:49 GMT\nx-odps-user-agent:pyodps-test-agent\n"
        "/projects/test_project/instances/20160519101349613gzbzufck2"
        "?curr_project=test_project&taskstatus"
    )
    assert v4_signature("test_secret_key", "20160519", "cn-hangzhou", canonical) == (
        "r8XYR+mZNSU5jEsKi8sjZQ3AlCY="
    )
    auth = Authenticator({"test_access_id": Account("test_secret_key")}, TokenIssuer(b"k"))
    headers = {
        "Date": "Thu, 19 May 2016 10:13:49 GMT",
        "x-odps-user-agent": "pyodps-test-agent",
        "Authorization": "ODPS test_access_id/20160519/cn-hangzhou/odps/aliyun_v4_request:"
        "r8XYR+mZNSU5jEsKi8sjZQ3AlCY=",
    }
    resource = (
        "/projects/test_project/instances/20160519101349613gzbzufck2"
        "?taskstatus&curr_project=test_project"
    )
    assert auth.authenticate("GET", resource, headers, headers.items()).access_id == (
        "test_access_id"
    )


def test_pyodps_quirky_query_values_verify(client: SignedClient) -> None:
    # PyODPS signs "a+b" as "a b" and splits encoded "&": the server must copy it.
    resp = client.get("/projects/demo/instances?jobname=a%2Bb&x=1%26y%3D2&curr_project=demo")
    assert resp.status_code == 200, resp.text


def test_pyodps_with_v4_region(emulator: Emulator) -> None:
    o = make_odps(emulator, region_name="cn-hangzhou")
    assert o.execute_sql("select 1").is_successful()


def test_wrong_secret_is_signature_not_match(emulator: Emulator) -> None:
    o = make_odps(emulator, access_key="not-the-secret")
    with pytest.raises(errors.SignatureNotMatch):
        o.exist_instance("20160519101349613gzbzufck2")


def test_unknown_access_id(emulator: Emulator) -> None:
    bad = SignedClient(emulator, access_id="nobody", key="x")
    resp = bad.get("/projects/demo/instances")
    assert resp.status_code == 401 and error_code(resp) == "InvalidParameter"
    assert "ODPS-0410051" in resp.text


def test_missing_or_garbled_authorization(client: SignedClient) -> None:
    resp = client.get("/projects/demo/instances", sign=False)
    assert resp.status_code == 401 and error_code(resp) == "Unauthorized"
    resp = client.get("/projects/demo/instances", sign=False, headers={"Authorization": "Basic x"})
    assert resp.status_code == 401 and error_code(resp) == "Unauthorized"
    assert "invalid or missing" in resp.text


def test_unknown_project_and_no_permission(
    emulator: Emulator, private_emulator: Callable[..., Emulator], tmp_path: Path
) -> None:
    o = make_odps(emulator, project="nosuchproject")
    with pytest.raises(errors.NoSuchProject):
        o.run_sql("select 1")
    emu = private_emulator(
        data_dir=tmp_path / "perm",
        extra_projects=("other",),
        accounts={"alice": ("alice-key", {"demo"}), "bob": Account("bob-key")},
    )
    alice = make_odps(emu, access_id="alice", access_key="alice-key", project="other")
    with pytest.raises(errors.NoPermission):
        alice.run_sql("select 1")
    bob = make_odps(emu, access_id="bob", access_key="bob-key", project="other")
    assert bob.execute_sql("select 1").is_successful()
    assert make_odps(emu, access_id="alice", access_key="alice-key").execute_sql("select 1")


def test_sts_token_header(private_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emu = private_emulator(
        data_dir=tmp_path / "sts", accounts={"tmp-id": Account("tmp-key", sts_token="tok")}
    )
    client = SignedClient(emu, "tmp-id", "tmp-key")
    ok = client.get("/projects/demo/instances", headers={"authorization-sts-token": "tok"})
    assert ok.status_code == 200
    bad = client.get("/projects/demo/instances", headers={"authorization-sts-token": "other"})
    assert bad.status_code == 401


def test_bearer_token_reads_only_its_instance(client: SignedClient) -> None:
    first = client.create_sql("select 1;")
    second = client.create_sql("select 2;")
    policy = {
        "expires_in_hours": 1,
        "policy": {
            "Statement": [
                {
                    "Action": ["odps:Read"],
                    "Effect": "Allow",
                    "Resource": f"acs:odps:*:projects/demo/instances/{first}",
                }
            ],
            "Version": "1",
        },
    }
    resp = client.request(
        "POST",
        "/projects/demo/authorization?sign_bearer_token",
        body=json.dumps(policy),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 200
    import xml.etree.ElementTree as ET

    token = ET.fromstring(resp.content).findtext("Result") or ""
    bearer = {"x-odps-bearer-token": token}
    assert client.get(f"/projects/demo/instances/{first}", sign=False, headers=bearer).ok
    denied = client.get(f"/projects/demo/instances/{second}", sign=False, headers=bearer)
    assert denied.status_code == 403 and error_code(denied) == "NoPermission"
    forged = client.get(
        f"/projects/demo/instances/{first}",
        sign=False,
        headers={"x-odps-bearer-token": token[:-2] + "xx"},
    )
    assert forged.status_code == 401


def test_clock_skew_check(private_emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emu = private_emulator(data_dir=tmp_path / "skew", max_clock_skew_seconds=900)
    client = SignedClient(emu)
    assert client.get("/projects/demo/instances").status_code == 200
    stale = client.get(
        "/projects/demo/instances", headers={"Date": "Thu, 19 May 2016 10:13:49 GMT"}
    )
    assert stale.status_code == 403 and error_code(stale) == "RequestTimeTooSkewd"
    import xml.etree.ElementTree as ET

    exc = errors.RequestTimeTooSkewed(ET.fromstring(stale.content).findtext("Message"))
    assert exc.max_interval_date == 900000
    assert exc.expire_date is not None and exc.now_date is not None
