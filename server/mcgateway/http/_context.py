"""The servicer context of an HTTP call: the part of grpc.aio's ``ServicerContext`` the
service layer uses, over one aiohttp request.

The servicer's handlers (and the chokepoint around them) read the caller's metadata, the
time left, set trailers, abort with a status and, for streams, ``write`` messages. Over HTTP
the metadata are the request headers, the deadline comes from a ``grpc-timeout`` header, an
abort raises :class:`HttpAbort` (a ``grpc.aio.AbortError``, so the chokepoint treats it like
grpc's own), and ``write`` hands each message to the response writer the transcoder chose
(Server-Sent Events or newline-delimited JSON).
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import grpc
from google.protobuf import message

__all__ = ["HttpAbort", "HttpContext", "parse_grpc_timeout"]

_TIMEOUT = re.compile(r"^\s*(\d{1,8})\s*([HMSmun])\s*$")
_UNITS = {"H": 3600.0, "M": 60.0, "S": 1.0, "m": 1e-3, "u": 1e-6, "n": 1e-9}


def parse_grpc_timeout(value: str) -> float:
    """Seconds of a gRPC ``grpc-timeout`` value (``10S``, ``500m``, ...); ``ValueError`` if
    malformed."""
    m = _TIMEOUT.match(value)
    if m is None:
        raise ValueError(f"not a grpc-timeout value: {value!r} (e.g. 30S or 500m)")
    return int(m.group(1)) * _UNITS[m.group(2)]


class HttpAbort(grpc.aio.AbortError):  # type: ignore[misc]
    """Raised by :meth:`HttpContext.abort_with_status`: the call ends with this status."""

    def __init__(self, status: grpc.Status) -> None:
        super().__init__(f"{status.code.name}: {status.details}")
        self.status = status


class HttpContext:
    """A grpc.aio ``ServicerContext`` stand-in for one HTTP request.

    ``write`` accepts a message of the RPC's response type or its serialized bytes (the sink
    decodes them with ``response_class``), so a stream may send pre-encoded messages.
    """

    def __init__(
        self,
        metadata: Sequence[tuple[str, str]],
        *,
        timeout: float | None,
        response_class: type[message.Message],
        sink: Callable[[message.Message | bytes], Awaitable[None]] | None = None,
    ) -> None:
        self._metadata = tuple(metadata)
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self.response_class = response_class
        self._sink = sink
        self.trailing_metadata: tuple[tuple[str, str | bytes], ...] = ()
        self._code: grpc.StatusCode | None = None
        self._details: str | None = None

    # -- what the service layer calls

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        """The request headers, lower-cased, as gRPC metadata."""
        return self._metadata

    def time_remaining(self) -> float | None:
        """Seconds until the ``grpc-timeout`` deadline, ``None`` without one."""
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - time.monotonic())

    def set_trailing_metadata(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        """Remember the trailers; the transcoder sends them as response headers."""
        self.trailing_metadata = tuple(metadata)

    async def abort_with_status(self, status: grpc.Status) -> None:
        """End the call with ``status`` (always raises :class:`HttpAbort`)."""
        self._code = status.code
        self._details = status.details
        if status.trailing_metadata:
            self.trailing_metadata = tuple(status.trailing_metadata)
        raise HttpAbort(status)

    async def abort(
        self,
        code: grpc.StatusCode,
        details: str = "",
        trailing_metadata: Sequence[tuple[str, str | bytes]] = (),
    ) -> None:
        """End the call with ``code`` and ``details`` (always raises :class:`HttpAbort`)."""
        await self.abort_with_status(_Status(code, details, tuple(trailing_metadata)))

    def code(self) -> grpc.StatusCode | None:
        """The code the call was aborted with, if any."""
        return self._code

    def details(self) -> str | None:
        """The message the call was aborted with, if any."""
        return self._details

    def set_code(self, code: grpc.StatusCode) -> None:
        """Set the call's code (the generated base class does for unimplemented RPCs)."""
        self._code = code

    def set_details(self, details: str) -> None:
        """Set the call's message (see :meth:`set_code`)."""
        self._details = details

    async def write(self, item: message.Message | bytes) -> None:
        """Send one stream message (or its serialized bytes) to the HTTP client."""
        if self._sink is None:
            raise RuntimeError("write() on a unary call")
        await self._sink(bytes(item) if isinstance(item, bytearray | memoryview) else item)

    def peer(self) -> str:
        """The peer, for logs (an HTTP client)."""
        return "http"

    def __getattr__(self, name: str) -> Any:
        # Anything else of the grpc context is not available over HTTP: fail loudly.
        raise AttributeError(f"HttpContext has no {name!r} (not supported over HTTP)")


class _Status(grpc.Status):  # type: ignore[misc]
    """A plain ``grpc.Status`` value."""

    def __init__(
        self,
        code: grpc.StatusCode,
        details: str,
        trailing_metadata: tuple[tuple[str, str | bytes], ...],
    ) -> None:
        self.code = code
        self.details = details
        self.trailing_metadata = trailing_metadata
