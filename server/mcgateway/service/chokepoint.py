"""The one chokepoint every RPC passes: request id, auth, metrics, logs, error translation.

Each handler of the servicer runs inside :meth:`Chokepoint.run`, which in order: assigns a
request id (a context variable, in every log line, returned in the ``x-request-id``
trailer), authenticates the bearer token, resolves an empty project to the default one and
authorizes it, all **before** the handler runs any upstream call; then times the call,
counts it, and turns any exception into a ``google.rpc.Status`` (see
:mod:`mcgateway.service.status`). Tracebacks go to the log under the request id; the client
sees only the id.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, TypeVar

import grpc
from prometheus_client import Gauge

from mcgateway.auth import ANONYMOUS, Principal, TokenStore, authorize, bearer_token
from mcgateway.errors import GatewayError
from mcgateway.logs import new_request_id, request_id_var
from mcgateway.maxcompute import MaxComputeError
from mcgateway.metrics import GatewayMetrics
from mcgateway.service import validation
from mcgateway.service.status import as_reported, status_for_exception

__all__ = ["REQUEST_ID_HEADER", "Call", "Chokepoint", "Context", "ProjectRequest"]

_log = logging.getLogger("mcgateway.rpc")

REQUEST_ID_HEADER = "x-request-id"
"""Trailing metadata key carrying the gateway's request id of every call."""

_Resp = TypeVar("_Resp")


class ProjectRequest(Protocol):
    """Every v1 request names its project (empty: the gateway's default project)."""

    @property
    def project(self) -> str:
        """The MaxCompute project the call is about."""
        ...


_Req = TypeVar("_Req", bound=ProjectRequest)

Context: TypeAlias = "grpc.aio.ServicerContext[Any, Any]"
"""The grpc.aio servicer context of a call (its message types vary per RPC)."""


class _AbortStatus(
    collections.namedtuple("_AbortStatus", ("code", "details", "trailing_metadata")),
    grpc.Status,  # type: ignore[misc]
):
    """A ``grpc.Status`` for ``abort_with_status`` (grpc only ships an abstract class)."""


@dataclass(slots=True)
class Call:
    """What a handler knows about its call: the resolved project and the caller."""

    method: str
    request_id: str
    project: str
    principal: Principal
    context: Context

    def time_remaining(self) -> float | None:
        """Seconds until the call's deadline, ``None`` without one."""
        remaining: float | None = self.context.time_remaining()
        return remaining


def _cancel_code(context: Context) -> str:
    """Why grpc cancelled a handler: its deadline passed, or the client went away."""
    remaining = context.time_remaining()
    return "DEADLINE_EXCEEDED" if remaining is not None and remaining <= 0 else "CANCELLED"


class Chokepoint:
    """Wraps handlers with auth, request ids, metrics, logging and error translation."""

    def __init__(
        self,
        *,
        metrics: GatewayMetrics,
        default_project: str | None,
        tokens: TokenStore | None = None,
    ) -> None:
        self._metrics = metrics
        self._default_project = default_project
        self._tokens = tokens

    def _admit(
        self, method: str, request: ProjectRequest, context: Context, request_id: str
    ) -> Call:
        principal = ANONYMOUS
        if self._tokens is not None:
            principal = self._tokens.authenticate(bearer_token(context.invocation_metadata()))
        project = validation.resolve_project(request.project, self._default_project)
        if self._tokens is not None:
            authorize(principal, project)
        violations = validation.Violations()
        validation.check_project(violations, project)
        violations.raise_if_any()
        return Call(method, request_id, project, principal, context)

    def run(
        self,
        method: str,
        request: _Req,
        context: Context,
        handler: Callable[[Call, _Req], Awaitable[_Resp]],
        *,
        streaming: bool = False,
    ) -> Awaitable[_Resp]:
        """Run one RPC's handler inside the chokepoint (``streaming``: counted in active
        streams).

        A streaming handler sends with ``call.context.write`` (grpc.aio's writer API) instead
        of yielding. A coroutine costs one frame where a chain of async generators costs one
        object per layer for as long as the stream is open, and a cancelled call raises
        ``CancelledError`` at the pending write or wait, in this task: every ``finally`` of
        every layer runs here, at once, not later in a garbage-collector finalizer.
        """
        # _run's coroutine itself, not awaited here: one frame less per open stream.
        gauge = self._metrics.active_streams.labels(method) if streaming else None
        return self._run(method, request, context, handler, gauge)

    async def _run(
        self,
        method: str,
        request: _Req,
        context: Context,
        handler: Callable[[Call, _Req], Awaitable[_Resp]],
        stream_gauge: Gauge | None,
    ) -> _Resp:
        request_id = new_request_id()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        code = "OK"
        if stream_gauge is not None:
            stream_gauge.inc()
        try:
            call = self._admit(method, request, context, request_id)
            # Sent with the status, whichever way the call ends (an abort below replaces
            # them with trailers that carry the id as well).
            context.set_trailing_metadata(((REQUEST_ID_HEADER, request_id),))
            return await handler(call, request)
        except asyncio.CancelledError:
            code = _cancel_code(context)
            raise
        except Exception as exc:
            code, status = self._translate(method, context, exc, request_id)
            if status is None:
                raise
            await context.abort_with_status(status)
            raise AssertionError("unreachable: abort_with_status raises") from None
        finally:
            elapsed = time.perf_counter() - started
            if stream_gauge is not None:
                stream_gauge.dec()
            self._metrics.observe_rpc(method, code, elapsed)
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug("%s %s in %.1f ms", method, code, elapsed * 1000)
            request_id_var.reset(token)

    def _translate(
        self, method: str, context: Context, exc: Exception, request_id: str
    ) -> tuple[str, grpc.Status | None]:
        """Log ``exc``; return its code name and the status to abort with.

        The status is ``None`` when a handler already aborted the call itself (for example
        the watch hub ending a stream with UNAVAILABLE): that abort stands.
        """
        if isinstance(exc, grpc.aio.AbortError):
            code_obj = context.code()
            return (code_obj.name if isinstance(code_obj, grpc.StatusCode) else "UNKNOWN"), None
        exc = as_reported(exc)
        status = status_for_exception(exc, request_id)
        extra = {"rpc_method": method, "code": status.code.name, "request_id": request_id}
        if isinstance(exc, GatewayError | MaxComputeError):
            _log.info("%s failed: %s %s", method, status.code.name, status.details, extra=extra)
        else:
            _log.error("%s failed with an unexpected error", method, exc_info=exc, extra=extra)
        trailing = (*status.trailing_metadata, (REQUEST_ID_HEADER, request_id))
        return status.code.name, _AbortStatus(status.code, status.details, trailing)
