"""Connection settings from flags, the environment and the ``mcgw`` config file.

The conventions every mcgateway client follows: ``MCGW_TARGET`` (host:port, default
127.0.0.1:50051), ``MCGW_TOKEN``, ``MCGW_CA_CERT`` (a CA to trust; implies TLS) and ``MCGW_TLS``
(``auto``, ``on`` or ``off``). The Python client adds a config file with profiles,
``$XDG_CONFIG_HOME/mcgw/config.toml`` (``~/.config/mcgw/config.toml``)::

    [default]
    target = "gateway.internal:443"
    token_file = "~/.config/mcgw/token"

    [profiles.local]
    target = "127.0.0.1:50051"

A value given as a flag (or argument) wins over the environment, which wins over the file. A file
or token file that holds a token and that others may read is refused, as ssh refuses such keys.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

from ._channel import TLS_MODES, TlsConfig, TlsOption, resolve_tls
from ._errors import InvalidArgument
from ._target import DEFAULT_TARGET, InvalidTarget, Target, parse_target

__all__ = [
    "ENVIRONMENT",
    "InvalidSettings",
    "Settings",
    "config_path",
    "connection_from_environment",
    "load_settings",
]

ENVIRONMENT = {
    "target": "MCGW_TARGET",
    "token": "MCGW_TOKEN",
    "tls": "MCGW_TLS",
    "ca_cert": "MCGW_CA_CERT",
    "cert": "MCGW_CERT",
    "key": "MCGW_KEY",
    "project": "MCGW_PROJECT",
    "profile": "MCGW_PROFILE",
}
"""The environment variable of each setting."""

_FILE_KEYS = frozenset(
    {"target", "token", "token_file", "tls", "ca_cert", "cert", "key", "server_name", "project"}
)
_PATH_KEYS = frozenset({"token_file", "ca_cert", "cert", "key"})


class InvalidSettings(InvalidArgument, ValueError):
    """The connection settings cannot be used: a bad config file, profile, TLS mode or
    combination, or a token file that others may read. ``reason`` is ``INVALID_SETTINGS``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=grpc.StatusCode.INVALID_ARGUMENT, reason="INVALID_SETTINGS")


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings; ``sources`` says where each came from (for messages)."""

    target: str = DEFAULT_TARGET
    token: str | None = None
    tls: str = "auto"
    ca_cert: Path | None = None
    cert: Path | None = None
    key: Path | None = None
    server_name: str | None = None
    project: str | None = None
    profile: str | None = None
    config_file: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def tls_option(self) -> TlsOption:
        """The ``tls`` argument of :class:`Gateway`: the mode, or a TlsConfig when a CA, client
        certificate or server name is given (which implies TLS). Reads the PEM files."""
        if self.ca_cert or self.cert or self.server_name:
            return TlsConfig.from_files(
                self.ca_cert, self.cert, self.key, server_name=self.server_name
            )
        return self.tls


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/mcgw/config.toml``, or ``~/.config/mcgw/config.toml``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "mcgw" / "config.toml"


def _private(path: Path, what: str) -> None:
    """Refuses a file holding a token that group or others may read (POSIX only)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InvalidSettings(
            f"{path} holds {what} but others may read it (mode {mode:04o}); run: chmod 600 {path}"
        )


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise InvalidSettings(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise InvalidSettings(f"{path}: {error.strerror or error}") from None
    return data


def _tables(path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``default`` and each profile, checked: known keys with string values."""
    tables: dict[str, dict[str, Any]] = {}
    for top, value in data.items():
        if top == "default" and isinstance(value, dict):
            tables["default"] = value
        elif top == "profiles" and isinstance(value, dict):
            for name, table in value.items():
                if not isinstance(table, dict):
                    raise InvalidSettings(f"{path}: [profiles.{name}] must be a table")
                tables[f"profiles.{name}"] = table
        else:
            raise InvalidSettings(
                f"{path}: unexpected {top!r}; the file has [default] and [profiles.NAME] tables"
            )
    for name, table in tables.items():
        for key, value in table.items():
            if key not in _FILE_KEYS:
                known = ", ".join(sorted(_FILE_KEYS))
                raise InvalidSettings(f"{path} [{name}]: unknown key {key!r} (known: {known})")
            if not isinstance(value, str):
                raise InvalidSettings(f"{path} [{name}]: {key} must be a string")
        if "token" in table and "token_file" in table:
            raise InvalidSettings(f"{path} [{name}]: give token or token_file, not both")
    return tables


def _file_settings(
    path: Path, profile: str | None, profile_source: str
) -> tuple[dict[str, Any], str | None]:
    """The chosen table of the config file as settings, and its name (None: no file/table)."""
    if not path.is_file():
        if profile:
            raise InvalidSettings(
                f"profile {profile!r} ({profile_source}) needs a config file, and {path} "
                "does not exist"
            )
        return {}, None
    data = _read_file(path)
    tables = _tables(path, data)
    if any("token" in table for table in tables.values()):
        _private(path, "a token")
    name = f"profiles.{profile}" if profile else "default"
    if name not in tables:
        if not profile:
            return {}, None
        names = ", ".join(sorted(n.removeprefix("profiles.") for n in tables if "." in n))
        raise InvalidSettings(
            f"no profile {profile!r} ({profile_source}) in {path}"
            + (f"; profiles: {names}" if names else "; it has no [profiles.NAME] tables")
        )
    values: dict[str, Any] = {}
    for key, value in tables[name].items():
        if key in _PATH_KEYS:
            resolved = Path(value).expanduser()
            if not resolved.is_absolute():
                resolved = path.parent / resolved
            values[key] = resolved
        else:
            values[key] = value
    token_file = values.pop("token_file", None)
    if token_file is not None:
        try:
            _private(token_file, "a token")
            values["token"] = token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise InvalidSettings(
                f"{path} [{name}]: token_file {token_file}: {error.strerror or error}"
            ) from None
    return values, name


def load_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Settings from ``flags`` (values that are None count as not given), then the environment,
    then the config file (``config_file`` or :func:`config_path`), then the defaults.

    Raises InvalidSettings or InvalidTarget (both InvalidArgument and ValueError) with a message
    saying what to fix.
    """
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if environ is None else environ
    path = config_file or config_path(env)

    def from_env(name: str) -> str | None:
        value = env.get(ENVIRONMENT[name], "")
        return value or None

    sources: dict[str, str] = {}
    profile: str | None = given.get("profile")
    profile_source = "--profile"
    if profile is None and from_env("profile"):
        profile, profile_source = from_env("profile"), ENVIRONMENT["profile"]
    file_values, table = _file_settings(path, profile, profile_source)

    values: dict[str, Any] = {}
    for name in ("target", "token", "tls", "ca_cert", "cert", "key", "server_name", "project"):
        if name in given:
            values[name], sources[name] = given[name], f"--{name.replace('_', '-')}"
        elif name in ENVIRONMENT and from_env(name):
            values[name], sources[name] = from_env(name), ENVIRONMENT[name]
        elif name in file_values:
            values[name], sources[name] = file_values[name], f"{path} [{table}]"
    for name in ("ca_cert", "cert", "key"):
        if name in values:
            values[name] = Path(values[name]).expanduser()

    target = str(values.get("target", DEFAULT_TARGET))
    try:
        parsed = parse_target(target)
    except InvalidTarget as error:
        where = sources.get("target", "--target")
        raise InvalidTarget(
            str(error) if where == "--target" else f"{error} (from {where})"
        ) from None
    mode = str(values.get("tls", "auto")).strip().lower()
    if mode not in TLS_MODES:
        raise InvalidSettings(
            f"{sources.get('tls', 'tls')}: unknown TLS mode {values['tls']!r}; use auto, on or off"
        )
    if mode == "off" and sources.get("tls") == "--tls":
        # An explicit choice of plaintext does not read a CA or client certificate from the
        # environment or the file (as `off` in code does not read MCGW_CA_CERT).
        for name in ("ca_cert", "cert", "key", "server_name"):
            if name in values and not sources[name].startswith("--"):
                del values[name], sources[name]
    if bool(values.get("cert")) != bool(values.get("key")):
        raise InvalidSettings(
            "--cert and --key go together (also as MCGW_CERT and MCGW_KEY, or cert and key in "
            "the config file)"
        )
    if mode == "off":
        implied = [n for n in ("ca_cert", "cert", "server_name") if values.get(n)]
        if implied:
            what = ", ".join(f"{n} ({sources[n]})" for n in implied)
            raise InvalidSettings(f"TLS is off ({sources['tls']}) but {what} needs TLS; drop one")
    return Settings(
        target=str(parsed),
        token=values.get("token"),
        tls=mode,
        ca_cert=values.get("ca_cert"),
        cert=values.get("cert"),
        key=values.get("key"),
        server_name=values.get("server_name"),
        project=values.get("project"),
        profile=profile,
        config_file=path if table is not None else None,
        sources=sources,
    )


def connection_from_environment(
    target: str | None,
    token: str | None,
    tls: TlsOption | None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Target, str | None, TlsOption]:
    """The target, token and resolved TLS of a library client: each argument given wins, each
    one left None comes from the environment (``MCGW_TARGET``, ``MCGW_TOKEN``, ``MCGW_TLS`` and
    ``MCGW_CA_CERT``), else the default. ``token=""`` means no token. An explicit plaintext
    choice (``tls="off"``/False) does not read ``MCGW_CA_CERT``; a TlsConfig or credentials are
    used as given."""
    env = os.environ if environ is None else environ
    if target is None:
        text = env.get(ENVIRONMENT["target"], "") or DEFAULT_TARGET
        try:
            parsed = parse_target(text)
        except InvalidTarget as error:
            raise InvalidTarget(f"{error} (from {ENVIRONMENT['target']})") from None
    else:
        parsed = parse_target(target)
    if token is None:
        token = env.get(ENVIRONMENT["token"], "") or None
    elif not token:
        token = None
    explicit_off = tls is False or (isinstance(tls, str) and tls.strip().lower() == "off")
    if explicit_off:
        tls = False
    elif tls is None or tls is True or isinstance(tls, str):
        if tls is None:
            mode = env.get(ENVIRONMENT["tls"], "").strip().lower() or "auto"
            if mode not in TLS_MODES:
                raise InvalidSettings(
                    f"{ENVIRONMENT['tls']}: unknown TLS mode "
                    f"{env[ENVIRONMENT['tls']]!r}; use auto, on or off"
                )
        else:
            mode = "on" if tls is True else str(tls).strip().lower()
            if mode not in TLS_MODES:
                raise InvalidSettings(f"unknown TLS mode {tls!r}; use auto, on or off")
        ca = env.get(ENVIRONMENT["ca_cert"], "")
        if ca and mode == "off":
            raise InvalidSettings(
                f"{ENVIRONMENT['tls']}=off and {ENVIRONMENT['ca_cert']} contradict each other "
                "(a CA means TLS); unset one"
            )
        tls = TlsConfig.from_files(Path(ca).expanduser()) if ca else mode
    return parsed, token, resolve_tls(tls, parsed)
