"""Channel construction: transport security, the service config and keepalive options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import grpc
import grpc.aio

from ._service_config import ServiceConfig
from ._target import Target

__all__ = [
    "TLS_MODES",
    "TlsConfig",
    "TlsOption",
    "channel_options",
    "make_aio_channel",
    "make_channel",
    "resolve_tls",
]

TLS_MODES = ("auto", "on", "off")
"""The TLS modes every client understands (``MCGW_TLS``): ``auto`` is plaintext only when the
target host is loopback (localhost, 127.0.0.0/8, ::1) and TLS otherwise."""


@dataclass(frozen=True)
class TlsConfig:
    """TLS settings for the channel to the gateway."""

    root_certificates: bytes | None = None
    """PEM roots that sign the gateway's certificate; None uses the system roots."""
    certificate_chain: bytes | None = None
    """PEM client certificate for mutual TLS, or None."""
    private_key: bytes | None = None
    """PEM private key of ``certificate_chain``, or None."""
    server_name: str | None = None
    """The name to verify in the gateway's certificate when it differs from the target host
    (e.g. connecting to ``127.0.0.1`` with a certificate for ``gateway.internal``)."""

    @classmethod
    def from_files(
        cls,
        ca: str | Path | None = None,
        cert: str | Path | None = None,
        key: str | Path | None = None,
        server_name: str | None = None,
    ) -> TlsConfig:
        """Reads PEM files into a TlsConfig."""

        def read(path: str | Path | None) -> bytes | None:
            return Path(path).read_bytes() if path is not None else None

        return cls(read(ca), read(cert), read(key), server_name)

    def credentials(self) -> Any:
        """The grpc.ChannelCredentials for these settings."""
        return grpc.ssl_channel_credentials(
            root_certificates=self.root_certificates,
            private_key=self.private_key,
            certificate_chain=self.certificate_chain,
        )


TlsOption: TypeAlias = bool | Literal["auto", "on", "off"] | TlsConfig | Any
"""``"auto"`` (the default: plaintext only to a loopback host, else TLS with the system roots);
``"on"``/True: TLS with the system roots; ``"off"``/False: plaintext; a TlsConfig (always TLS);
or grpc.ChannelCredentials."""


def resolve_tls(tls: TlsOption, target: Target) -> TlsOption:
    """``tls`` with the modes decided for ``target``: False (plaintext), True, a TlsConfig or
    credentials. Raises ValueError for an unknown mode string."""
    if isinstance(tls, str):
        mode = tls.strip().lower()
        if mode not in TLS_MODES:
            raise ValueError(f"unknown TLS mode {tls!r}; use auto, on or off")
        if mode == "auto":
            return not target.loopback
        return mode == "on"
    return tls


def channel_options(service_config: ServiceConfig, tls: TlsOption) -> list[tuple[str, str | int]]:
    """The channel options every client channel uses."""
    options: list[tuple[str, str | int]] = [
        ("grpc.service_config", service_config.json_text),
        ("grpc.enable_retries", 1),
        # Watches are long and mostly quiet: keep the connection provably alive, but no more often
        # than servers accept by default (pings without data are limited to one per 5 minutes
        # unless the server allows more; grpc core's default server minimum is 5 minutes).
        ("grpc.keepalive_time_ms", 300_000),
        ("grpc.keepalive_timeout_ms", 20_000),
        ("grpc.max_receive_message_length", 64 * 1024 * 1024),
        # Reconnect to a restarted gateway within seconds (the watch and wait helpers retry on
        # UNAVAILABLE for up to a minute; grpc's own backoff would otherwise grow to 2 minutes).
        ("grpc.initial_reconnect_backoff_ms", 100),
        ("grpc.max_reconnect_backoff_ms", 5_000),
    ]
    if isinstance(tls, TlsConfig) and tls.server_name:
        options.append(("grpc.ssl_target_name_override", tls.server_name))
    return options


def _credentials(tls: TlsOption) -> Any:
    if isinstance(tls, str):
        raise ValueError(f"TLS mode {tls!r} must be resolved for a target first")
    if tls is False:
        return None
    if tls is True:
        return grpc.ssl_channel_credentials()
    if isinstance(tls, TlsConfig):
        return tls.credentials()
    return tls


def make_channel(
    target: str,
    tls: TlsOption,
    service_config: ServiceConfig,
    extra_options: list[tuple[str, str | int]] | None = None,
) -> grpc.Channel:
    """A synchronous channel to ``target``; ``tls`` already resolved (not a mode string)."""
    options = channel_options(service_config, tls) + list(extra_options or [])
    creds = _credentials(tls)
    if creds is None:
        return grpc.insecure_channel(target, options=options)
    return grpc.secure_channel(target, creds, options=options)


def make_aio_channel(target: str, tls: TlsOption, service_config: ServiceConfig) -> Any:
    """A grpc.aio channel to ``target``; create it inside the event loop that will use it."""
    options = channel_options(service_config, tls)
    creds = _credentials(tls)
    if creds is None:
        return grpc.aio.insecure_channel(target, options=options)
    return grpc.aio.secure_channel(target, creds, options=options)
