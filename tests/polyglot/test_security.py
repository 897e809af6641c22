"""Every client reaches a gateway over TLS with a bearer token, and is refused without one.

The gateway serves TLS with a certificate for 127.0.0.1 signed by a CA made here, and requires
a token (`--tokens-file`). Each language's example program lists instances trusting that CA
(`MCGW_CA_CERT`, which means TLS even on loopback) and sending the token (`MCGW_TOKEN`; exit 0),
then again with a wrong token (exit 1, UNAUTHENTICATED on stderr). Without a CA or `MCGW_TLS`,
the loopback target means plaintext, which the TLS gateway does not answer (exit 1,
UNAVAILABLE).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .harness import Gateway, running_gateway
from .watchers import Example

TOKEN = "polyglot-s3cret"


def _write_pki(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it: (ca.pem, cert.pem, key.pem)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "polyglot test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem, cert_pem, key_pem = (directory / n for n in ("ca.pem", "cert.pem", "key.pem"))
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_pem, cert_pem, key_pem


@pytest.fixture(scope="module")
def secure_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gateway, Path]]:
    """A TLS gateway that requires the token TOKEN; also the CA file that signed its cert."""
    tmp_path = tmp_path_factory.mktemp("secure-gateway")
    pki = tmp_path / "pki"
    pki.mkdir()
    ca, cert, key = _write_pki(pki)
    tokens = tmp_path / "tokens.json"
    tokens.write_text(
        json.dumps({"tokens": [{"name": "polyglot", "token": TOKEN, "projects": ["*"]}]})
    )
    workdir = tmp_path / "gateway"
    workdir.mkdir()
    with running_gateway(
        workdir, "--tls-cert", str(cert), "--tls-key", str(key), "--tokens-file", str(tokens)
    ) as gw:
        yield gw, ca


def test_client_uses_tls_and_the_bearer_token(
    secure_gateway: tuple[Gateway, Path], language: str, example: Callable[[str], Example]
) -> None:
    gateway, ca = secure_gateway
    # Without an instance id the examples list the newest instances and exit. MCGW_CA_CERT
    # means TLS even on loopback (clients/README.md, "TLS: auto by default").
    command, cwd = example("")
    if language == "go":
        command = [command[0], "-limit", "3"]
    for token, expect_ok in ((TOKEN, True), ("not-the-token", False)):
        env = {**gateway.env(), "MCGW_CA_CERT": str(ca), "MCGW_TOKEN": token}
        result = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        if expect_ok:
            assert result.returncode == 0, f"{language} with the token failed:\n{output}"
        else:
            assert result.returncode == 1, f"{language} with a wrong token:\n{output}"
            assert "UNAUTHENTICATED" in result.stderr, f"{language}:\n{output}"


def test_client_on_loopback_defaults_to_plaintext(
    secure_gateway: tuple[Gateway, Path], language: str, example: Callable[[str], Example]
) -> None:
    """Without MCGW_CA_CERT or MCGW_TLS a loopback target means plaintext, which a TLS gateway
    does not answer; MCGW_TLS=on with the CA gets through."""
    gateway, ca = secure_gateway
    command, cwd = example("")
    if language == "go":
        command = [command[0], "-limit", "3"]
    env = {**gateway.env(), "MCGW_TOKEN": TOKEN}
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 1, f"{language} spoke plaintext to a TLS gateway:\n{output}"
    assert "UNAVAILABLE" in result.stderr, f"{language}:\n{output}"
    env = {**env, "MCGW_TLS": "on", "MCGW_CA_CERT": str(ca)}
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 0, f"{language} with MCGW_TLS=on:\n{output}"
