"""`mcgateway health`, the Docker HEALTHCHECK and the Kubernetes exec probes, against real gateways.

The health check reads the configuration `serve` reads (flags, MCGATEWAY_* environment,
--config file) and speaks TLS when it names a certificate, so it keeps working once the
gateway serves TLS (a plaintext check cannot). The certificates here name only a cluster DNS
name, not the loopback address the check dials, as a cert-manager certificate would.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent import futures
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from mcemulator import Emulator
from mcgateway.cli import certificate_names
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread, gateway_config_for

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy/kubernetes"
SERVICE_DNS = "mcgateway.mcgateway.svc.cluster.local"
MCGATEWAY = Path(sys.executable).with_name("mcgateway")


@dataclass(frozen=True)
class Tls:
    ca: Path
    cert: Path
    key: Path


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _make_tls(
    directory: Path,
    *,
    dns: Sequence[str] = (SERVICE_DNS,),
    ips: Sequence[str] = (),
    cn: str = "mcgateway",
) -> Tls:
    """A CA and a server certificate it signed (SANs ``dns`` and ``ips``; none: CN only)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("mcgateway test CA"))
        .issuer_name(_name("mcgateway test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    names += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    tls = Tls(directory / "ca.crt", directory / "tls.crt", directory / "tls.key")
    tls.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    # As cert-manager writes tls.crt: the leaf first, then its issuer.
    tls.cert.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    )
    tls.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tls


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCGATEWAY_")}
    env.update(extra)
    return env


def _health(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``mcgateway health`` console script, as the HEALTHCHECK does."""
    return subprocess.run(
        [str(MCGATEWAY), "health", *args],
        env=_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )


def _gateway(emulator: Emulator, **options: object) -> GatewayConfig:
    return gateway_config_for(
        emulator,
        **options,  # type: ignore[arg-type]
    )


def _probe_command() -> list[str]:
    deployment = yaml.safe_load((MANIFESTS / "deployment.yaml").read_text())
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    command: list[str] = container["readinessProbe"]["exec"]["command"]
    assert command == container["livenessProbe"]["exec"]["command"]
    return command


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return _make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def tls_gateway(emulator: Emulator, tls: Tls) -> Iterator[GatewayThread]:
    with GatewayThread(_gateway(emulator, tls_cert=tls.cert, tls_key=tls.key)) as gw:
        yield gw


def test_the_deployment_probe_checks_a_tls_gateway_with_the_shipped_config(
    tmp_path: Path, tls: Tls, tls_gateway: GatewayThread
) -> None:
    """The exec probe of deployment.yaml, reading the ConfigMap's TOML (listen 0.0.0.0, TLS
    files under /etc/mcgateway/tls), reaches a TLS gateway: only the paths and the port are
    moved here, through the environment."""
    configmap = yaml.safe_load((MANIFESTS / "configmap.yaml").read_text())
    config = tmp_path / "mcgateway.toml"
    config.write_text(configmap["data"]["mcgateway.toml"])
    command = _probe_command()
    assert command[:2] == ["mcgateway", "health"]
    args = command[2:]
    args[args.index("--config") + 1] = str(config)
    env = _env(
        MCGATEWAY_LISTEN=f"0.0.0.0:{tls_gateway.port}",
        MCGATEWAY_TLS_CERT=str(tls.cert),
        MCGATEWAY_TLS_KEY=str(tls.key),
    )
    result = _health(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert f"127.0.0.1:{tls_gateway.port} (TLS): SERVING" in result.stdout

    # The old HEALTHCHECK's plaintext check cannot pass against it: neither can this one
    # when the configuration has no certificate.
    plain = _health("--listen", f"127.0.0.1:{tls_gateway.port}")
    assert plain.returncode == 1
    assert "UNAVAILABLE" in plain.stderr


def test_health_reads_the_config_named_by_the_environment_like_the_image(
    tmp_path: Path, tls: Tls, tls_gateway: GatewayThread
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'listen = "0.0.0.0:{tls_gateway.port}"\n'
        f'tls_cert = "{tls.cert}"\ntls_key = "{tls.key}"\n'
        'endpoint = "https://service.cn-hangzhou.maxcompute.aliyun.com/api"\n'
    )
    result = _health(env=_env(MCGATEWAY_CONFIG=str(config)))
    assert result.returncode == 0, result.stderr
    assert "(TLS): SERVING" in result.stdout


def test_health_checks_a_plaintext_gateway_in_plaintext(emulator: Emulator, tmp_path: Path) -> None:
    with GatewayThread(_gateway(emulator)) as gw:
        config = tmp_path / "config.toml"
        config.write_text(f'listen = "127.0.0.1:{gw.port}"\n')
        result = _health("--config", str(config))
        assert result.returncode == 0, result.stderr
        assert f"127.0.0.1:{gw.port} (plaintext): SERVING" in result.stdout
        port = gw.port
    # Stopped: nothing listens any more.
    gone = _health("--listen", f"127.0.0.1:{port}", "--timeout", "2")
    assert gone.returncode == 1
    assert "UNAVAILABLE" in gone.stderr


def test_health_presents_the_server_certificate_under_mtls(
    emulator: Emulator, tmp_path: Path
) -> None:
    tls = _make_tls(tmp_path / "tls")
    options = {"tls_cert": tls.cert, "tls_key": tls.key, "tls_client_ca": tls.ca}
    with GatewayThread(_gateway(emulator, **options)) as gw:
        flags = ["--tls-cert", str(tls.cert), "--tls-key", str(tls.key)]
        result = _health("--listen", gw.target, *flags, "--tls-client-ca", str(tls.ca))
        assert result.returncode == 0, result.stderr
        assert "(mTLS): SERVING" in result.stdout
        # Without the client CA in its configuration the check sends no certificate: refused.
        assert _health("--listen", gw.target, *flags).returncode == 1


def test_health_fails_unless_serving(tmp_path: Path) -> None:
    """NOT_SERVING (a draining gateway) and an unreadable configuration both exit 1, never 2
    (Docker reserves 2 in health checks)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        servicer.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
        result = _health("--listen", f"127.0.0.1:{port}")
        assert result.returncode == 1
        assert "NOT_SERVING" in result.stderr
        servicer.set("", health_pb2.HealthCheckResponse.SERVING)
        assert _health("--listen", f"127.0.0.1:{port}").returncode == 0
    finally:
        server.stop(None)
    missing = _health("--config", str(tmp_path / "missing.toml"))
    assert missing.returncode == 1
    assert "configuration error" in missing.stderr


def test_certificate_names_reads_what_tls_checks(tmp_path: Path) -> None:
    sans = _make_tls(tmp_path / "sans", dns=(SERVICE_DNS, "*.mcgateway.svc"), ips=("10.0.0.7",))
    assert certificate_names(sans.cert.read_bytes()) == [
        SERVICE_DNS,
        "*.mcgateway.svc",
        "10.0.0.7",
    ]
    cn_only = _make_tls(tmp_path / "cn", dns=(), cn="gateway.internal")
    assert certificate_names(cn_only.cert.read_bytes()) == ["gateway.internal"]
    with pytest.raises(ValueError):
        certificate_names(b"not a certificate")
