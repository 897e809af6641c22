"""GatewayConfig: precedence flags > env > file > defaults, validation, redaction."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest
from mcgateway.config import ConfigError, GatewayConfig, add_arguments, load_config


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_defaults():
    config = load_config(_parse(), environ={})
    assert config.listen == "127.0.0.1:50051"
    assert config.metrics_listen is None
    assert config.endpoint is None and config.embedded
    assert config.upstream_concurrency == 32
    assert config.cache_freshness == 0.0
    assert config.progress_interval == 1.0
    assert config.wait_cap == 30.0
    assert config.max_stream_age == 1800.0
    assert config.grace_period == 10.0
    assert config.insecure is False


def test_precedence_flags_env_file(tmp_path: Path):
    file = tmp_path / "gw.toml"
    file.write_text(
        'listen = "127.0.0.1:1111"\n'
        "upstream_concurrency = 7\n"
        "grace_period = 3.5\n"
        'log_format = "json"\n'
        "insecure = true\n",
        encoding="utf-8",
    )
    env = {
        "MCGATEWAY_LISTEN": "127.0.0.1:2222",
        "MCGATEWAY_UPSTREAM_CONCURRENCY": "9",
        "MCGATEWAY_CONFIG": str(file),
    }
    config = load_config(_parse("--listen", "127.0.0.1:3333"), environ=env)
    assert config.listen == "127.0.0.1:3333"  # flag beats env and file
    assert config.upstream_concurrency == 9  # env beats file
    assert config.grace_period == 3.5  # file beats default
    assert config.log_format == "json"
    assert config.insecure is True
    config = load_config(_parse("--config", str(file), "--no-insecure"), environ={})
    assert config.insecure is False
    assert config.listen == "127.0.0.1:1111"


def test_cloud_credential_variables(tmp_path: Path):
    env = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "id-from-cloud-env",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret-from-cloud-env",
        "ALIBABA_CLOUD_SECURITY_TOKEN": "sts",
    }
    config = load_config(_parse(), environ=env)
    assert config.access_id == "id-from-cloud-env"
    assert config.access_key == "secret-from-cloud-env"
    assert config.security_token == "sts"
    config = load_config(_parse("--access-id", "flag-id"), environ=env)
    assert config.access_id == "flag-id"


def test_secrets_are_redacted():
    config = GatewayConfig(access_key="very-secret", page_token_key="k2", security_token="s")
    text = repr(config)
    assert "very-secret" not in text and "k2'" not in text
    assert config.redacted()["access_key"] == "***"


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (("--listen", "nonsense"), {}, "host:port"),
        (("--listen", "127.0.0.1:99999"), {}, "range"),
        (("--upstream-concurrency", "zero"), {}, "upstream_concurrency"),
        ((), {"MCGATEWAY_GRACE_PERIOD": "-1"}, "grace_period"),
        (("--tls-cert", "/x.pem"), {}, "--tls-key"),
        (("--log-format", "xml"), {}, "log_format"),
        ((), {"MCGATEWAY_INSECURE": "maybe"}, "boolean"),
    ],
)
def test_bad_values(argv, env, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_parse(*argv), environ=env)


def test_unknown_file_key(tmp_path: Path):
    file = tmp_path / "gw.toml"
    file.write_text("no_such_option = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no_such_option"):
        load_config(_parse("--config", str(file)), environ={})
    file.write_text("listen = [", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(_parse("--config", str(file)), environ={})


def test_every_field_is_documented():
    for f in dataclasses.fields(GatewayConfig):
        assert len(f.metadata.get("help", "")) > 20, f.name


def test_rate_limit_view():
    config = GatewayConfig(upstream_rate_limit_qps=5, upstream_rate_limit_burst=7)
    assert config.upstream_rate_limit.qps == 5
    assert config.upstream_rate_limit.burst == 7
