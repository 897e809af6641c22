"""Bearer-token auth (checked before any upstream call), TLS and mTLS."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from maxcompute.gateway.v1 import instance_service_pb2_grpc
from mcgateway.auth import TokenFileError, TokenStore, bearer_token, token_digest
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread, gateway_config_for

from gateway.support import expect_error, pb, sql_job, submit_sql, wait_terminated

DEMO_TOKEN = "demo-token-123"
ALL_TOKEN = "ops-token-456"
OTHER_TOKEN = "other-token-789"


def _config(emulator, **kwargs) -> GatewayConfig:
    return gateway_config_for(
        emulator,
        **kwargs,
    )


def _write_tokens(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"tokens": entries}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tokens_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("auth") / "tokens.json"
    return _write_tokens(
        path,
        [
            {"name": "demo", "token": DEMO_TOKEN, "projects": ["demo"]},
            # Stored as a digest: the file need not hold the usable secret.
            {"name": "ops", "token": "sha256:" + token_digest(ALL_TOKEN), "projects": ["*"]},
            {"name": "other", "token": OTHER_TOKEN, "projects": ["other_project"]},
        ],
    )


@pytest.fixture(scope="module")
def secured(emulator, tokens_file) -> Iterator[GatewayThread]:
    with GatewayThread(_config(emulator, tokens_file=tokens_file)) as gw:
        yield gw


@pytest.fixture(scope="module")
def secured_stub(secured):
    with grpc.insecure_channel(secured.target) as channel:
        yield instance_service_pb2_grpc.InstanceServiceStub(channel)


def _md(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


def test_missing_token_is_unauthenticated(secured, secured_stub):
    before = secured.upstream_requests()
    err = expect_error(secured_stub.GetInstance, pb.GetInstanceRequest(instance_id="x1"))
    assert err.code is grpc.StatusCode.UNAUTHENTICATED
    assert err.error_info is not None and err.error_info.reason == "UNAUTHENTICATED"
    assert secured.upstream_requests() == before


def test_wrong_token_is_unauthenticated(secured, secured_stub):
    for metadata in (_md("nope"), (("authorization", "Basic abc"),), _md("sha256:" + "0" * 64)):
        err = expect_error(
            secured_stub.GetInstance, pb.GetInstanceRequest(instance_id="x1"), metadata=metadata
        )
        assert err.code is grpc.StatusCode.UNAUTHENTICATED


def test_token_for_another_project_is_denied_before_existence(secured, secured_stub):
    before = secured.upstream_requests()
    # The default project (demo) is resolved before the check, then denied.
    for request in (
        pb.GetInstanceRequest(instance_id="20991231000000000nosuch"),
        pb.GetInstanceRequest(project="demo", instance_id="20991231000000000nosuch"),
    ):
        err = expect_error(secured_stub.GetInstance, request, metadata=_md(OTHER_TOKEN))
        assert err.code is grpc.StatusCode.PERMISSION_DENIED
        assert err.error_info is not None
        assert err.error_info.reason == "PROJECT_NOT_ALLOWED"
        assert err.error_info.metadata["project"] == "demo"
    err = expect_error(
        secured_stub.GetInstance,
        pb.GetInstanceRequest(project="secret_project", instance_id="x1"),
        metadata=_md(DEMO_TOKEN),
    )
    assert err.code is grpc.StatusCode.PERMISSION_DENIED
    assert secured.upstream_requests() == before, "no upstream call before authorization"


def test_allowed_tokens_work(secured_stub):
    for token in (DEMO_TOKEN, ALL_TOKEN):
        err = expect_error(
            secured_stub.GetInstance,
            pb.GetInstanceRequest(instance_id="20991231000000000nosuch"),
            metadata=_md(token),
        )
        assert err.code is grpc.StatusCode.NOT_FOUND  # authorized, then looked up
    instance = secured_stub.SubmitSql(
        pb.SubmitSqlRequest(job=sql_job("select 1", duration=0.05)),
        metadata=_md(DEMO_TOKEN),
    ).instance
    got = secured_stub.GetInstance(
        pb.GetInstanceRequest(instance_id=instance.instance_id), metadata=_md(ALL_TOKEN)
    )
    assert got.instance_id == instance.instance_id


def test_watch_rpcs_are_authorized_too(secured_stub):
    err = expect_error(
        lambda r: list(secured_stub.WatchInstance(r, timeout=10, metadata=_md(OTHER_TOKEN))),
        pb.WatchInstanceRequest(instance_id="x1"),
    )
    assert err.code is grpc.StatusCode.PERMISSION_DENIED
    err = expect_error(secured_stub.WaitInstance, pb.WaitInstanceRequest(instance_id="x1"))
    assert err.code is grpc.StatusCode.UNAUTHENTICATED


def test_tokens_reload(tmp_path, emulator):
    path = _write_tokens(tmp_path / "t.json", [{"token": "first", "projects": ["demo"]}])
    with (
        GatewayThread(_config(emulator, tokens_file=path)) as gw,
        grpc.insecure_channel(gw.target) as channel,
    ):
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        req = pb.InstanceExistsRequest(instance_id="20991231000000000nosuch")
        assert stub.InstanceExists(req, metadata=_md("first")).exists is False
        _write_tokens(path, [{"token": "second", "projects": ["demo"]}])
        assert gw.server.reload_tokens() is True
        err = expect_error(stub.InstanceExists, req, metadata=_md("first"))
        assert err.code is grpc.StatusCode.UNAUTHENTICATED
        assert stub.InstanceExists(req, metadata=_md("second")).exists is False
        # A broken file keeps the previous tokens in force.
        path.write_text("{not json", encoding="utf-8")
        assert gw.server.reload_tokens() is False
        assert stub.InstanceExists(req, metadata=_md("second")).exists is False


def test_token_file_errors(tmp_path):
    bad = tmp_path / "bad.json"
    for content in (
        "[]",
        '{"tokens": [{"token": "", "projects": ["demo"]}]}',
        '{"tokens": [{"token": "a", "projects": []}]}',
        '{"tokens": [{"token": "a", "projects": ["x"]}, {"token": "a", "projects": ["y"]}]}',
    ):
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(TokenFileError):
            TokenStore(bad)
    with pytest.raises(TokenFileError):
        TokenStore(tmp_path / "missing.json")


def test_bearer_token_parsing():
    assert bearer_token([("authorization", "Bearer abc")]) == "abc"
    assert bearer_token([("Authorization", "bearer  abc ")]) == "abc"
    assert bearer_token([("authorization", "Basic abc")]) is None
    assert bearer_token([("authorization", "Bearer ")]) is None
    assert bearer_token([]) is None


# ---------------------------------------------------------------------------- TLS


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(subject: str, issuer_key, issuer_name, *, ca: bool, san: bool):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
    cert = builder.sign(issuer_key or key, hashes.SHA256())
    return key, cert


def _pem(key, cert) -> tuple[bytes, bytes]:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for localhost and a client certificate, as PEM files."""
    root = tmp_path_factory.mktemp("pki")
    ca_key, ca_cert = _issue("test-ca", None, None, ca=True, san=False)
    server_key, server_cert = _issue("localhost", ca_key, ca_cert.subject, ca=False, san=True)
    client_key, client_cert = _issue("client", ca_key, ca_cert.subject, ca=False, san=False)
    files = {}
    for name, (key, cert) in {
        "server": (server_key, server_cert),
        "client": (client_key, client_cert),
    }.items():
        key_pem, cert_pem = _pem(key, cert)
        (root / f"{name}.key").write_bytes(key_pem)
        (root / f"{name}.crt").write_bytes(cert_pem)
        files[name] = (key_pem, cert_pem)
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    (root / "ca.crt").write_bytes(ca_pem)
    return root, ca_pem, files


def _tls_stub(target: str, ca_pem: bytes, client=None):
    creds = grpc.ssl_channel_credentials(
        root_certificates=ca_pem,
        private_key=client[0] if client else None,
        certificate_chain=client[1] if client else None,
    )
    channel = grpc.secure_channel(
        target, creds, options=(("grpc.ssl_target_name_override", "localhost"),)
    )
    return channel, instance_service_pb2_grpc.InstanceServiceStub(channel)


def test_tls(emulator, pki):
    root, ca_pem, _ = pki
    config = _config(emulator, tls_cert=root / "server.crt", tls_key=root / "server.key")
    with GatewayThread(config) as gw:
        channel, stub = _tls_stub(gw.target, ca_pem)
        with channel:
            instance = submit_sql(stub, "select 1", duration=0.05)
            assert wait_terminated(stub, instance.instance_id).successful
        # A plaintext client cannot talk to a TLS server.
        with grpc.insecure_channel(gw.target) as plain:
            err = expect_error(
                instance_service_pb2_grpc.InstanceServiceStub(plain).InstanceExists,
                pb.InstanceExistsRequest(instance_id="x1"),
                timeout=5,
            )
            assert err.code is grpc.StatusCode.UNAVAILABLE


def test_mutual_tls(emulator, pki):
    root, ca_pem, files = pki
    config = _config(
        emulator,
        tls_cert=root / "server.crt",
        tls_key=root / "server.key",
        tls_client_ca=root / "ca.crt",
    )
    with GatewayThread(config) as gw:
        channel, stub = _tls_stub(gw.target, ca_pem, files["client"])
        with channel:
            assert stub.InstanceExists(pb.InstanceExistsRequest(instance_id="x1")).exists is False
        channel, stub = _tls_stub(gw.target, ca_pem)
        with channel:
            err = expect_error(
                stub.InstanceExists, pb.InstanceExistsRequest(instance_id="x1"), timeout=5
            )
            assert err.code is grpc.StatusCode.UNAVAILABLE
