"""The gateway address: ``host:port``, checked before any channel is made.

gRPC accepts almost any string as a target and only fails later, with resolver text such as
``Misformatted domain name`` and log lines from its core; a target without a port silently means
port 443. :func:`parse_target` turns each such mistake into one actionable sentence instead.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

import grpc

from ._errors import InvalidArgument

__all__ = ["DEFAULT_TARGET", "InvalidTarget", "Target", "is_loopback", "parse_target"]

DEFAULT_TARGET = "127.0.0.1:50051"
"""Where a gateway started with ``mcgateway serve`` listens by default."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOST_NAME = re.compile(
    r"^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$"
)


class InvalidTarget(InvalidArgument, ValueError):
    """A target that is not ``host:port`` (raised before any channel is made); the message says
    how to fix it. ``reason`` is ``INVALID_TARGET``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=grpc.StatusCode.INVALID_ARGUMENT, reason="INVALID_TARGET")


@dataclass(frozen=True)
class Target:
    """A parsed ``host:port``; ``str()`` gives the gRPC target (IPv6 hosts in brackets)."""

    host: str
    port: int

    @property
    def loopback(self) -> bool:
        """Whether the host is this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
        return is_loopback(self.host)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def is_loopback(host: str) -> bool:
    """Whether ``host``, as written, is loopback: ``localhost`` (any case), an IPv4 address in
    127.0.0.0/8 or ``::1``. Names are never resolved."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _quote(text: str) -> str:
    """``text`` in double quotes, as every client's messages show it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _refuse(given: str, problem: str) -> InvalidTarget:
    return InvalidTarget(f"invalid target {_quote(given)}: {problem}")


def parse_target(text: str) -> Target:
    """Parses ``host:port`` (a DNS name or an IPv4 address) or ``[v6]:port``, with a port from 1
    to 65535, or raises :class:`InvalidTarget`.

    A scheme (``http://h:p``), a missing port, an unbracketed IPv6 address or a malformed host
    give the message every mcgateway client gives (``clients/README.md``), which says what to
    type instead.
    """
    scheme = _SCHEME.match(text)
    if scheme:
        rest = text[scheme.end() :].removesuffix("/")
        raise _refuse(
            text,
            f"remove the scheme {_quote(scheme.group(0))} and give host:port, for example {rest} "
            "(TLS is chosen by MCGW_TLS, not by the scheme)",
        )
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise _refuse(text, '"[" without "]"; give [v6]:port, for example [::1]:50051')
        host, rest = text[1:end], text[end + 1 :]
        if not rest:
            raise _refuse(text, f"missing port; give host:port, for example {text}:443")
        if not rest.startswith(":"):
            raise _refuse(text, "give [v6]:port, for example [::1]:50051")
        port = rest[1:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise _refuse(text, f"{_quote(host)} is not an IPv6 address") from None
    elif text.count(":") > 1:
        raise _refuse(text, "put an IPv6 address in brackets, for example [::1]:50051")
    elif ":" not in text:
        if not text:
            raise _refuse(text, "missing host; give host:port, for example 127.0.0.1:50051")
        raise _refuse(text, f"missing port; give host:port, for example {text}:443")
    else:
        host, _, port = text.rpartition(":")
        if not host:
            raise _refuse(text, "missing host; give host:port, for example 127.0.0.1:50051")
        if not _is_ipv4(host) and not _HOST_NAME.match(host):
            raise _refuse(text, f"{_quote(host)} is not a host name or an IP address")
    if not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise _refuse(text, "the port must be a number from 1 to 65535")
    return Target(host, int(port))


def _is_ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True
