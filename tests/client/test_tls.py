"""TLS and mutual TLS between the client (library and CLI) and a real gateway."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread, gateway_config_for
from mcgateway_client import Gateway, TlsConfig, Unavailable

ABSENT = "20990101000000000absent001"
MCGW = str(Path(sys.executable).parent / "mcgw")


def _issue(subject: str, issuer: tuple[Any, x509.Name] | None, *, ca: bool) -> tuple[Any, Any]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[1] if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
    return key, builder.sign(issuer[0] if issuer else key, hashes.SHA256())


def _write(root: Path, name: str, key: Any, cert: Any) -> None:
    (root / f"{name}.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (root / f"{name}.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ca.crt, server.{crt,key} for localhost and client.{crt,key}, signed by the CA."""
    root = tmp_path_factory.mktemp("client-pki")
    ca_key, ca_cert = _issue("client-test-ca", None, ca=True)
    (root / "ca.crt").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    for name in ("server", "client"):
        key, cert = _issue(
            "localhost" if name == "server" else "mcgw", (ca_key, ca_cert.subject), ca=False
        )
        _write(root, name, key, cert)
    return root


def _config(emulator: Any, pki: Path, *, mutual: bool) -> GatewayConfig:
    return gateway_config_for(
        emulator,
        tls_cert=pki / "server.crt",
        tls_key=pki / "server.key",
        tls_client_ca=pki / "ca.crt" if mutual else None,
    )


@pytest.fixture(scope="module")
def tls_gateway(emulator: Any, pki: Path) -> Iterator[GatewayThread]:
    with GatewayThread(_config(emulator, pki, mutual=False)) as gw:
        yield gw


@pytest.fixture(scope="module")
def mtls_gateway(emulator: Any, pki: Path) -> Iterator[GatewayThread]:
    with GatewayThread(_config(emulator, pki, mutual=True)) as gw:
        yield gw


def test_library_over_tls(tls_gateway: GatewayThread, pki: Path) -> None:
    tls = TlsConfig.from_files(pki / "ca.crt", server_name="localhost")
    with Gateway(tls_gateway.target, tls=tls) as o:
        assert o.exist_instance(ABSENT) is False
    with Gateway(tls_gateway.target, timeout=5) as plaintext, pytest.raises(Unavailable):
        plaintext.exist_instance(ABSENT)


def test_library_over_mutual_tls(mtls_gateway: GatewayThread, pki: Path) -> None:
    mutual = TlsConfig.from_files(
        pki / "ca.crt", pki / "client.crt", pki / "client.key", server_name="localhost"
    )
    with Gateway(mtls_gateway.target, tls=mutual) as o:
        assert o.exist_instance(ABSENT) is False
    one_sided = TlsConfig.from_files(pki / "ca.crt", server_name="localhost")
    with Gateway(mtls_gateway.target, tls=one_sided, timeout=5) as o, pytest.raises(Unavailable):
        o.exist_instance(ABSENT)


def _mcgw(target: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCGW_")}
    env["MCGW_TARGET"] = target
    return subprocess.run(
        [MCGW, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_over_tls_and_mutual_tls(
    tls_gateway: GatewayThread, mtls_gateway: GatewayThread, pki: Path
) -> None:
    ca = ["--ca-cert", str(pki / "ca.crt"), "--server-name", "localhost"]
    result = _mcgw(tls_gateway.target, "exists", ABSENT, *ca)
    assert (result.returncode, result.stdout) == (1, "false\n")
    client = ["--cert", str(pki / "client.crt"), "--key", str(pki / "client.key")]
    result = _mcgw(mtls_gateway.target, "exists", ABSENT, *ca, *client)
    assert (result.returncode, result.stdout) == (1, "false\n")
    half = _mcgw(mtls_gateway.target, "exists", ABSENT, *ca, "--cert", str(pki / "client.crt"))
    assert half.returncode == 2 and "--cert and --key go together" in half.stderr
    missing = _mcgw(tls_gateway.target, "exists", ABSENT, "--ca-cert", str(pki / "nope.crt"))
    assert missing.returncode == 2
    assert missing.stderr == f"mcgw: No such file or directory: {pki / 'nope.crt'}\n"
