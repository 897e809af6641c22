"""The HTTP listener's settings: ``--http-listen`` under ``--listen``'s exposure rules and TLS,
``--http-cors-origin`` repeatable (flags, env, TOML), and the banner/ready-file address."""

from __future__ import annotations

import argparse
import ssl
from pathlib import Path

import aiohttp
import pytest
from cryptography.hazmat.primitives import serialization
from gateway.test_auth import _issue, _pem
from mcgateway.config import ConfigError, GatewayConfig, add_arguments, load_config
from mcgateway.server import GatewayServer
from mcgateway.testing import GatewayThread, gateway_config_for

V1 = "/v1/projects/_"


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_cors_origins_are_repeatable_flags_env_lists_and_toml_lists(tmp_path: Path):
    args = _parse("--http-cors-origin", "https://a.example", "--http-cors-origin", "http://b:8000")
    assert load_config(args, environ={}).http_cors_origin == ("https://a.example", "http://b:8000")
    env = {"MCGATEWAY_HTTP_CORS_ORIGIN": "https://a.example, https://c.example"}
    assert load_config(None, environ=env).http_cors_origin == (
        "https://a.example",
        "https://c.example",
    )
    toml = tmp_path / "gw.toml"
    toml.write_text('http_listen = "127.0.0.1:8080"\nhttp_cors_origin = ["*"]\n')
    config = load_config(None, environ={}, config_file=toml)
    assert (config.http_listen, config.http_cors_origin) == ("127.0.0.1:8080", ("*",))
    with pytest.raises(ConfigError, match="http_cors_origin"):
        GatewayConfig(http_cors_origin=("javascript:alert(1)",))
    with pytest.raises(ConfigError):
        GatewayConfig(http_listen="no-port")


def test_http_listen_on_the_network_follows_the_grpc_refusals(emulator):
    config = gateway_config_for(emulator, http_listen="0.0.0.0:0")
    with pytest.raises(ConfigError, match="without --tokens-file"):
        GatewayServer(config)
    embedded = GatewayConfig(listen="127.0.0.1:0", http_listen="0.0.0.0:0", insecure=True)
    with pytest.raises(ConfigError, match="embedded MaxCompute emulator"):
        GatewayServer(embedded)


def test_ready_info_names_the_http_address(http_gateway):
    info = http_gateway.server.ready_info()
    assert info["http"] == http_gateway.server.http_url
    assert info["http"].startswith("http://127.0.0.1:")


async def test_http_is_served_over_tls_with_the_grpc_certificate(emulator, tmp_path: Path):
    ca_key, ca_cert = _issue("test-ca", None, None, ca=True, san=False)
    key, cert = _issue("localhost", ca_key, ca_cert.subject, ca=False, san=True)
    key_pem, cert_pem = _pem(key, cert)
    (tmp_path / "server.key").write_bytes(key_pem)
    (tmp_path / "server.crt").write_bytes(cert_pem)
    ca = ca_cert.public_bytes(serialization.Encoding.PEM)
    config = gateway_config_for(
        emulator,
        http_listen="127.0.0.1:0",
        tls_cert=tmp_path / "server.crt",
        tls_key=tmp_path / "server.key",
    )
    with GatewayThread(config) as gw:
        url = gw.server.http_url
        assert url is not None and url.startswith("https://")
        context = ssl.create_default_context(cadata=ca.decode())
        target = url.replace("127.0.0.1", "localhost")
        async with aiohttp.ClientSession() as client:
            async with client.get(f"{target}{V1}/instances/x1:exists", ssl=context) as r:
                assert r.status == 200
            with pytest.raises(aiohttp.ClientError):
                async with client.get(f"http://{url[8:]}{V1}/instances/x1:exists") as r:
                    await r.read()
