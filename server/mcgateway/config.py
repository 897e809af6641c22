"""The gateway's configuration: one dataclass, loaded from flags, env vars and a TOML file.

Precedence is flags > ``MCGATEWAY_*`` environment variables > the ``--config`` file >
defaults. Every field documents its default and why; ``mcgateway serve --help`` prints the
same text, generated from the field metadata below, so the two never drift apart.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "ENV_PREFIX",
    "ConfigError",
    "GatewayConfig",
    "RateLimit",
    "add_arguments",
    "default_data_dir",
    "field_names",
    "load_config",
    "parse_listen",
]

ENV_PREFIX = "MCGATEWAY_"
"""Environment variables ``MCGATEWAY_<FIELD>`` (upper case) set config fields."""

# Credentials may also come from the variables every Alibaba Cloud SDK reads.
_CLOUD_ENV = {
    "access_id": "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "access_key": "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "security_token": "ALIBABA_CLOUD_SECURITY_TOKEN",
}


class ConfigError(ValueError):
    """A configuration value is missing, malformed or inconsistent."""


def default_data_dir() -> Path:
    """Per-user data directory: ``$XDG_DATA_HOME/mcgateway`` or ``~/.local/share/mcgateway``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mcgateway"


class RateLimit(NamedTuple):
    """A token-bucket rate: ``qps`` tokens per second, at most ``burst`` at once."""

    qps: float
    burst: int


def _doc(text: str, *, secret: bool = False, metavar: str | None = None) -> Any:
    return {"help": text, "secret": secret, "metavar": metavar}


@dataclass
class GatewayConfig:
    """Everything a :class:`~mcgateway.server.GatewayServer` needs. Every field has a default."""

    listen: str = field(
        default="127.0.0.1:50051",
        metadata=_doc(
            "gRPC listen address host:port (port 0 picks a free port). Loopback by default so "
            "a fresh install exposes nothing.",
            metavar="HOST:PORT",
        ),
    )
    metrics_listen: str | None = field(
        default=None,
        metadata=_doc(
            "Prometheus /metrics HTTP address host:port (port 0 allowed); unset serves no "
            "metrics endpoint.",
            metavar="HOST:PORT",
        ),
    )
    http_listen: str | None = field(
        default=None,
        metadata=_doc(
            "HTTP/JSON + Server-Sent Events listen address host:port (port 0 allowed): the "
            "same API, auth and limits as gRPC, plus the dashboard and /v1/openapi.json "
            "(docs/http.md). Same TLS and exposure rules as --listen; unset serves no HTTP.",
            metavar="HOST:PORT",
        ),
    )
    http_cors_origin: tuple[str, ...] = field(
        default=(),
        metadata=_doc(
            "A browser origin (e.g. https://ops.example.com) allowed to call the HTTP API "
            "cross-origin; repeat the flag for more (env and TOML: comma-separated / a "
            "list), `*` for any. Unset sends no CORS headers.",
            metavar="ORIGIN",
        ),
    )
    http_sse_heartbeat: float = field(
        default=15.0,
        metadata=_doc(
            "Seconds of silence after which a Server-Sent Events stream gets a `: ping` "
            "comment, so proxies keep it open; 0 sends none.",
        ),
    )
    endpoint: str | None = field(
        default=None,
        metadata=_doc(
            "MaxCompute REST endpoint, e.g. https://service.cn-hangzhou.maxcompute.aliyun.com/api;"
            " unset starts the embedded emulator in-process.",
            metavar="URL",
        ),
    )
    project: str | None = field(
        default=None,
        metadata=_doc(
            "Default project for requests that leave `project` empty; `demo` with the "
            "embedded emulator.",
        ),
    )
    access_id: str | None = field(
        default=None,
        metadata=_doc(
            "AccessKey id; else $ALIBABA_CLOUD_ACCESS_KEY_ID (demo key with the emulator)."
        ),
    )
    access_key: str | None = field(
        default=None,
        metadata=_doc(
            "AccessKey secret; else $ALIBABA_CLOUD_ACCESS_KEY_SECRET. Prefer the env var: flags "
            "show up in process listings.",
            secret=True,
        ),
    )
    security_token: str | None = field(
        default=None,
        metadata=_doc("STS security token; else $ALIBABA_CLOUD_SECURITY_TOKEN.", secret=True),
    )
    region: str | None = field(
        default=None,
        metadata=_doc(
            "Region id for v4 signatures and Logview links (e.g. cn-hangzhou); unset derives it "
            "from the endpoint where possible.",
        ),
    )
    data_dir: Path | None = field(
        default=None,
        metadata=_doc(
            "Where the embedded emulator keeps its data; unset means the per-user "
            "$XDG_DATA_HOME/mcgateway (~/.local/share/mcgateway).",
            metavar="DIR",
        ),
    )
    tokens_file: Path | None = field(
        default=None,
        metadata=_doc(
            "JSON file of bearer tokens and the projects each may use (reloaded on SIGHUP); "
            "unset disables auth, which is only allowed on loopback unless --insecure.",
            metavar="FILE",
        ),
    )
    tls_cert: Path | None = field(
        default=None, metadata=_doc("PEM server certificate chain; enables TLS.", metavar="FILE")
    )
    tls_key: Path | None = field(
        default=None, metadata=_doc("PEM private key of --tls-cert.", metavar="FILE")
    )
    tls_client_ca: Path | None = field(
        default=None,
        metadata=_doc(
            "PEM CA bundle; when set, clients must present a certificate it signed (mTLS).",
            metavar="FILE",
        ),
    )
    insecure: bool = field(
        default=False,
        metadata=_doc(
            "Allow binding a non-loopback address without a tokens file. Without it the "
            "gateway refuses to start rather than expose MaxCompute credentials to anyone.",
        ),
    )
    upstream_concurrency: int = field(
        default=32,
        metadata=_doc(
            "Threads running blocking MaxCompute REST calls; bounds concurrent upstream "
            "requests so a burst cannot open hundreds of connections.",
        ),
    )
    upstream_timeout: float = field(
        default=60.0,
        metadata=_doc(
            "Longest single upstream HTTP call when the caller set no deadline, in seconds.",
        ),
    )
    upstream_max_body_bytes: int = field(
        default=64 * 1024 * 1024,
        metadata=_doc(
            "Largest MaxCompute response body the gateway reads, in bytes (64 MiB; at least "
            "64 KiB). A larger answer (a huge task result) fails with FAILED_PRECONDITION, "
            "reason UPSTREAM_FAILED_PRECONDITION with maxcompute_code ResponseTooLarge, after "
            "reading at most this much, so no upstream answer can exhaust the gateway's memory.",
        ),
    )
    cache_entries: int = field(
        default=10000,
        metadata=_doc("Most entries in the terminated-instance cache (LRU)."),
    )
    cache_bytes: int = field(
        default=64 * 1024 * 1024,
        metadata=_doc(
            "Byte budget of the terminated-instance cache (results can be large); 64 MiB.",
        ),
    )
    cache_result_max_bytes: int = field(
        default=1024 * 1024,
        metadata=_doc("Task results larger than this are never cached, so one cannot evict all."),
    )
    cache_freshness: float = field(
        default=0.0,
        metadata=_doc(
            "Seconds a running instance's state may be served from cache; 0 (default) never "
            "serves running instances stale.",
        ),
    )
    hub_read_max_age: float = field(
        default=5.0,
        metadata=_doc(
            "GetInstance, ListTasks and GetTaskProgress of an instance a watch poller follows "
            "answer from the poller's state when it is healthy and its reads are at most this "
            "many seconds old (the status is current while a blocking status poll is held); "
            "0 always reads MaxCompute.",
        ),
    )
    progress_interval: float = field(
        default=1.0,
        metadata=_doc("Seconds between task status/progress samples while someone watches."),
    )
    status_poll_wait: float = field(
        default=5.0,
        metadata=_doc(
            "Seconds MaxCompute may hold a blocking ?instancestatus poll (it holds ~5 s).",
        ),
    )
    wait_cap: float = field(
        default=30.0,
        metadata=_doc(
            "Longest WaitInstance wait in seconds, well under clients' 60 s deadline, so a "
            "long poll never turns into DEADLINE_EXCEEDED.",
        ),
    )
    max_stream_age: float = field(
        default=1800.0,
        metadata=_doc(
            "Seconds after which watch streams end with UNAVAILABLE so clients reconnect and "
            "load rebalances.",
        ),
    )
    snapshot_timeout: float = field(
        default=30.0,
        metadata=_doc(
            "Seconds a watch (WatchInstance, WatchInstances, WaitInstance) waits for its first "
            "upstream read before ending with UNAVAILABLE (reason UPSTREAM_UNAVAILABLE, with "
            "the last MaxCompute error code), so clients never hang silently while MaxCompute "
            "is down; capped by the call's deadline.",
        ),
    )
    upstream_rate_limit_qps: float = field(
        default=200.0,
        metadata=_doc(
            "Token-bucket rate of watch polling requests to MaxCompute (requests/s), so many "
            "new watchers cannot flood it.",
        ),
    )
    upstream_rate_limit_burst: int = field(
        default=50,
        metadata=_doc("Token-bucket burst size for the watch polling rate limit."),
    )
    grace_period: float = field(
        default=10.0,
        metadata=_doc(
            "Seconds unary calls may take to finish at shutdown (SIGTERM/SIGINT) before they "
            "are cancelled.",
        ),
    )
    page_token_key: str | None = field(
        default=None,
        metadata=_doc(
            "Secret that signs page tokens; unset uses a random per-process key (tokens then "
            "do not survive a restart or cross replicas).",
            secret=True,
        ),
    )
    log_format: str = field(
        default="text",
        metadata=_doc("Log format: text (human) or json (one object per line)."),
    )
    log_level: str = field(default="INFO", metadata=_doc("Log level: DEBUG, INFO, WARNING, ERROR."))
    project_credentials_file: Path | None = field(
        default=None,
        metadata=_doc(
            "JSON file giving projects their own MaxCompute credentials, "
            '{"projects": {"NAME": {"access_id", "access_key", "security_token"?}}}, so '
            "each project's ACL decides what its SQL may read; other projects use "
            "--access-id/--access-key.",
            metavar="FILE",
        ),
    )
    allow_embedded_on_network: bool = field(
        default=False,
        metadata=_doc(
            "Allow the embedded emulator (no --endpoint) on a non-loopback --listen, for demo "
            "containers. Without it the gateway refuses: callers could not tell the fake "
            "MaxCompute from the real one.",
        ),
    )
    max_streams_per_caller: int = field(
        default=1000,
        metadata=_doc(
            "Most WatchInstance/WatchInstances streams one caller (token name; 'anonymous' "
            "without auth) may have open at once; past it, RESOURCE_EXHAUSTED.",
        ),
    )
    max_waits_per_caller: int = field(
        default=1000,
        metadata=_doc("Most WaitInstance calls one caller may have in flight at once."),
    )
    max_instances_per_caller: int = field(
        default=1000,
        metadata=_doc(
            "Most distinct instances and project listings one caller may have polled on its "
            "behalf at once (each names one shared upstream poller).",
        ),
    )
    max_pollers: int = field(
        default=10000,
        metadata=_doc(
            "Most upstream pollers (instances plus project listings) the gateway runs at once, "
            "for every caller together; past it, new subscriptions get RESOURCE_EXHAUSTED.",
        ),
    )
    max_concurrent_streams: int = field(
        default=10000,
        metadata=_doc(
            "HTTP/2 streams one client connection may open at once (grpc.max_concurrent_streams).",
        ),
    )
    emulator_duration: float = field(
        default=3.0,
        metadata=_doc(
            "Default simulated SQL run time of the embedded emulator, in seconds, so the demo "
            "shows progress.",
        ),
    )
    ready_file: Path | None = field(
        default=None,
        metadata=_doc(
            "Once serving, atomically write JSON {target, metrics, upstream, project} here "
            "(for harnesses that start the gateway on port 0).",
            metavar="FILE",
        ),
    )

    def __post_init__(self) -> None:
        self.validate()

    @property
    def upstream_rate_limit(self) -> RateLimit:
        """The watch pollers' token bucket as one value (qps and burst)."""
        return RateLimit(self.upstream_rate_limit_qps, self.upstream_rate_limit_burst)

    @property
    def embedded(self) -> bool:
        """True when no endpoint is configured and the embedded emulator is the upstream."""
        return self.endpoint is None

    def validate(self) -> None:
        """Raise :class:`ConfigError` for values that cannot work together."""
        parse_listen(self.listen)
        if self.metrics_listen is not None:
            parse_listen(self.metrics_listen)
        if self.http_listen is not None:
            parse_listen(self.http_listen)
        for origin in self.http_cors_origin:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ConfigError(f"http_cors_origin must be * or an http(s) origin: {origin!r}")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ConfigError("--tls-cert and --tls-key must be given together")
        if self.tls_client_ca is not None and self.tls_cert is None:
            raise ConfigError("--tls-client-ca needs --tls-cert and --tls-key")
        if self.upstream_max_body_bytes < 64 * 1024:
            # Smaller would refuse ordinary instance and task documents.
            raise ConfigError("upstream_max_body_bytes must be at least 65536 (64 KiB)")
        if self.log_format not in ("text", "json"):
            raise ConfigError(f"log_format must be text or json, not {self.log_format!r}")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ConfigError(f"unknown log_level {self.log_level!r}")
        for name in (
            "upstream_concurrency",
            "cache_entries",
            "upstream_rate_limit_burst",
            "max_streams_per_caller",
            "max_waits_per_caller",
            "max_instances_per_caller",
            "max_pollers",
            "max_concurrent_streams",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        for name in (
            "upstream_timeout",
            "progress_interval",
            "wait_cap",
            "max_stream_age",
            "snapshot_timeout",
        ):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be positive")
        for name in (
            "cache_bytes",
            "cache_result_max_bytes",
            "cache_freshness",
            "hub_read_max_age",
            "status_poll_wait",
            "grace_period",
            "http_sse_heartbeat",
            "upstream_rate_limit_qps",
            "emulator_duration",
        ):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must not be negative")

    def redacted(self) -> dict[str, Any]:
        """The fields as a dict with secrets replaced by ``"***"``, for logs."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("secret") and value:
                value = "***"
            elif isinstance(value, Path):
                value = str(value)
            out[f.name] = value
        return out

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.redacted().items())
        return f"GatewayConfig({inner})"


def parse_listen(address: str) -> tuple[str, int]:
    """Split ``host:port`` (``[v6]:port`` too) into host and port; raise :class:`ConfigError`."""
    host, sep, port_text = address.rpartition(":")
    if not sep or not host:
        raise ConfigError(f"address must be host:port, got {address!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigError(f"port must be a number in {address!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"port out of range in {address!r}")
    return host, port


def _field_kind(annotation: Any) -> type:
    """The concrete type of a field: ``str | None`` → str, ``Path | None`` → Path."""
    if typing.get_origin(annotation) is tuple:
        return tuple  # a repeatable string setting
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return typing.cast(type, args[0])
    return typing.cast(type, annotation)


def _field_kinds() -> dict[str, type]:
    hints = typing.get_type_hints(GatewayConfig)
    return {f.name: _field_kind(hints[f.name]) for f in dataclasses.fields(GatewayConfig)}


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _convert(name: str, kind: type, raw: Any, source: str) -> Any:
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        if kind is tuple:
            # Repeated flags and TOML lists arrive as lists, env values comma-separated.
            items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
            return tuple(str(item).strip() for item in items if str(item).strip())
        if kind is Path:
            return Path(str(raw)).expanduser()
        if kind is int:
            if isinstance(raw, bool):
                raise ValueError("not an integer")
            return int(raw)
        if kind is float:
            if isinstance(raw, bool):
                raise ValueError("not a number")
            return float(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: bad value for {name}: {exc}") from None


_GROUPS = {
    "listen": "serving",
    "metrics_listen": "serving",
    "http_listen": "serving",
    "http_cors_origin": "serving",
    "http_sse_heartbeat": "serving",
    "ready_file": "serving",
    "grace_period": "serving",
    "endpoint": "upstream (MaxCompute)",
    "project": "upstream (MaxCompute)",
    "access_id": "upstream (MaxCompute)",
    "access_key": "upstream (MaxCompute)",
    "security_token": "upstream (MaxCompute)",
    "region": "upstream (MaxCompute)",
    "upstream_concurrency": "upstream (MaxCompute)",
    "upstream_timeout": "upstream (MaxCompute)",
    "upstream_max_body_bytes": "upstream (MaxCompute)",
    "data_dir": "embedded emulator",
    "emulator_duration": "embedded emulator",
    "tokens_file": "security",
    "tls_cert": "security",
    "tls_key": "security",
    "tls_client_ca": "security",
    "insecure": "security",
    "allow_embedded_on_network": "security",
    "project_credentials_file": "upstream (MaxCompute)",
    "max_streams_per_caller": "limits",
    "max_waits_per_caller": "limits",
    "max_instances_per_caller": "limits",
    "max_pollers": "limits",
    "max_concurrent_streams": "limits",
    "page_token_key": "security",
    "cache_entries": "cache",
    "cache_bytes": "cache",
    "cache_result_max_bytes": "cache",
    "cache_freshness": "cache",
    "hub_read_max_age": "cache",
    "progress_interval": "watching",
    "status_poll_wait": "watching",
    "wait_cap": "watching",
    "max_stream_age": "watching",
    "snapshot_timeout": "watching",
    "upstream_rate_limit_qps": "watching",
    "upstream_rate_limit_burst": "watching",
    "log_format": "operations",
    "log_level": "operations",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add one ``--flag`` per config field (plus ``--config``), documenting each default.

    Flags default to "not given" so :func:`load_config` can layer env and file values under them.
    """
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="TOML config file; keys are the field names below (flags > env > file > defaults).",
    )
    kinds = _field_kinds()
    groups = {title: parser.add_argument_group(title) for title in dict.fromkeys(_GROUPS.values())}
    for f in dataclasses.fields(GatewayConfig):
        target = groups[_GROUPS.get(f.name, "operations")]
        flag = "--" + f.name.replace("_", "-")
        env = ENV_PREFIX + f.name.upper()
        default = f.default
        shown = "unset" if default is None or default == () else repr(default)
        help_text = f"{f.metadata['help']} [default: {shown}; env {env}]"
        help_text = help_text.replace("%", "%%")
        kind = kinds[f.name]
        if kind is tuple:
            target.add_argument(
                flag,
                dest=f.name,
                action="append",
                default=argparse.SUPPRESS,
                metavar=f.metadata.get("metavar") or "VALUE",
                help=help_text,
            )
        elif kind is bool:
            target.add_argument(
                flag,
                dest=f.name,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=help_text,
            )
        else:
            target.add_argument(
                flag,
                dest=f.name,
                type=str,
                default=argparse.SUPPRESS,
                metavar=f.metadata.get("metavar") or kind.__name__.upper(),
                help=help_text,
            )


def load_config(
    args: argparse.Namespace | Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> GatewayConfig:
    """Build a :class:`GatewayConfig` from flags (parsed ``args``), env and a TOML file.

    ``args`` holds only the flags the user gave (see :func:`add_arguments`); its ``config``
    entry, or ``config_file``, or ``$MCGATEWAY_CONFIG`` names the TOML file.
    """
    env = os.environ if environ is None else environ
    given: dict[str, Any] = dict(vars(args) if isinstance(args, argparse.Namespace) else args or {})
    path = given.pop("config", None) or config_file or env.get(ENV_PREFIX + "CONFIG")
    kinds = _field_kinds()
    values: dict[str, Any] = {}

    if path:
        values.update(_read_file(Path(path), kinds))
    for name, kind in kinds.items():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = _convert(name, kind, raw, f"${ENV_PREFIX}{name.upper()}")
    for name, raw in given.items():
        if name in kinds:
            values[name] = _convert(name, kinds[name], raw, "--" + name.replace("_", "-"))
    for name, var in _CLOUD_ENV.items():
        if values.get(name) is None and env.get(var):
            values[name] = env[var]
    try:
        return GatewayConfig(**values)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc)) from None


def _read_file(path: Path, kinds: Mapping[str, type]) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    # Accept both a flat file and one with a [gateway] table.
    table = data.get("gateway", data) if isinstance(data.get("gateway"), dict) else data
    out: dict[str, Any] = {}
    for key, raw in table.items():
        name = key.replace("-", "_")
        if name not in kinds:
            raise ConfigError(f"config file {path}: unknown key {key!r}")
        out[name] = _convert(name, kinds[name], raw, str(path))
    return out


def field_names() -> Sequence[str]:
    """Every config field name, in declaration order."""
    return [f.name for f in dataclasses.fields(GatewayConfig)]
