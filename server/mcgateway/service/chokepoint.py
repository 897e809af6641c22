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
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias, TypeVar

import grpc
from prometheus_client import Gauge

from mcgateway.auth import ANONYMOUS, Principal, TokenStore, authorize, bearer_token
from mcgateway.errors import GatewayError, Reason
from mcgateway.logs import new_request_id, request_id_var
from mcgateway.maxcompute import MaxComputeError
from mcgateway.metrics import GatewayMetrics
from mcgateway.service import validation
from mcgateway.service.limits import CallerLimits
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


@dataclass(slots=True, eq=False)
class Call:
    """What a handler knows about its call: the resolved project and the caller."""

    method: str
    request_id: str
    project: str
    principal: Principal
    context: Context
    token_digest: str | None = None
    """The SHA-256 of the bearer token the call came with (``None`` without auth)."""
    revoked: BaseException | None = None
    """Why the caller may no longer hold this call open (its token was removed, or its
    projects shrank), once a tokens reload found out."""
    _on_revoke: Callable[[BaseException], None] | None = None

    def time_remaining(self) -> float | None:
        """Seconds until the call's deadline, ``None`` without one."""
        remaining: float | None = self.context.time_remaining()
        return remaining

    def on_revoke(self, end: Callable[[BaseException], None]) -> None:
        """Have ``end(error)`` end this call if its authorization is revoked (at once if it
        already was). A long call registers how to end itself: a watch fails its
        subscription."""
        self._on_revoke = end
        if self.revoked is not None:
            end(self.revoked)

    def revoke(self, error: BaseException) -> None:
        """End the call with ``error`` through its :meth:`on_revoke` hook."""
        if self.revoked is None:
            self.revoked = error
            if self._on_revoke is not None:
                self._on_revoke(error)


class RefusalSummary:
    """Logs a kind of refusal at most once per ``interval`` seconds, with how many there were
    since the last line (the first one at once)."""

    def __init__(self, what: str, interval: float = 10.0) -> None:
        self._what = what
        self._interval = interval
        self._count = 0
        self._logged_at: float | None = None

    def note(self, method: str) -> None:
        """Count one refusal of ``method``; log the summary when the interval has passed."""
        self._count += 1
        now = time.monotonic()
        if self._logged_at is None or now - self._logged_at >= self._interval:
            _log.warning(
                "%d %s since the last report (latest: %s; at most one report per %.0f s)",
                self._count,
                self._what,
                method,
                self._interval,
                extra={"refused": self._count, "rpc_method": method},
            )
            self._logged_at = now
            self._count = 0


def _cancel_code(context: Context) -> str:
    """Why grpc cancelled a handler: its deadline passed, or the client went away."""
    remaining = context.time_remaining()
    return "DEADLINE_EXCEEDED" if remaining is not None and remaining <= 0 else "CANCELLED"


@dataclass(kw_only=True, eq=False)
class Chokepoint:
    """Wraps handlers with auth, request ids, metrics, logging and error translation."""

    metrics: GatewayMetrics
    default_project: str | None
    """The project of a request that names none."""
    limits: CallerLimits
    tokens: TokenStore | None = None
    """The bearer tokens (``None``: no auth, every caller is anonymous)."""
    _long_calls: set[Call] = field(default_factory=set, init=False, repr=False)
    _unauthenticated: RefusalSummary = field(
        default_factory=lambda: RefusalSummary("unauthenticated calls refused"),
        init=False,
        repr=False,
    )

    def recheck(self) -> int:
        """After a tokens reload: end every open stream (and wait) whose token is gone
        (UNAUTHENTICATED) or may no longer use its project (PERMISSION_DENIED). Returns how
        many were ended."""
        tokens = self.tokens
        if tokens is None:
            return 0
        ended = 0
        for call in list(self._long_calls):
            principal = tokens.principal_for_digest(call.token_digest or "")
            error: GatewayError | None = None
            if principal is None:
                error = GatewayError(
                    grpc.StatusCode.UNAUTHENTICATED,
                    Reason.TOKEN_REVOKED,
                    "the bearer token of this call was revoked",
                )
            elif not principal.may_use(call.project):
                error = GatewayError(
                    grpc.StatusCode.PERMISSION_DENIED,
                    Reason.PROJECT_NOT_ALLOWED,
                    f"this token may no longer use project {call.project!r}",
                    metadata={"project": call.project},
                )
            if error is not None:
                ended += 1
                call.revoke(error)
        return ended

    def _admit(
        self, method: str, request: ProjectRequest, context: Context, request_id: str
    ) -> Call:
        principal = ANONYMOUS
        digest = None
        if self.tokens is not None:
            principal, digest = self.tokens.identify(bearer_token(context.invocation_metadata()))
        project = validation.resolve_project(request.project, self.default_project)
        if self.tokens is not None:
            authorize(principal, project)
        violations = validation.Violations()
        validation.check_project(violations, project)
        violations.raise_if_any()
        return Call(method, request_id, project, principal, context, digest)

    def hold_open(self, call: Call) -> None:
        """Track a call that may stay open long (a stream or a wait), so a tokens reload
        can end it; pair with :meth:`let_go`."""
        self._long_calls.add(call)

    def let_go(self, call: Call) -> None:
        """Stop tracking ``call``."""
        self._long_calls.discard(call)

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
        gauge = self.metrics.active_streams.labels(method) if streaming else None
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
        call: Call | None = None
        held: Call | None = None
        if stream_gauge is not None:
            stream_gauge.inc()
        try:
            call = self._admit(method, request, context, request_id)
            if stream_gauge is not None:
                # A stream counts against its caller's limit and ends if its token goes.
                self.limits.acquire("streams", call.principal.name)
                held = call
                self.hold_open(call)
            # Sent with the status, whichever way the call ends (an abort below replaces
            # them with trailers that carry the id as well).
            context.set_trailing_metadata(((REQUEST_ID_HEADER, request_id),))
            return await handler(call, request)
        except asyncio.CancelledError:
            code = _cancel_code(context)
            raise
        except Exception as exc:
            code, status = self._translate(method, context, exc, request_id, call)
            if status is None:
                raise
            await context.abort_with_status(status)
            raise AssertionError("unreachable: abort_with_status raises") from None
        finally:
            elapsed = time.perf_counter() - started
            if stream_gauge is not None:
                stream_gauge.dec()
            if held is not None:
                self.let_go(held)
                self.limits.release("streams", held.principal.name)
            self.metrics.observe_rpc(method, code, elapsed)
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug("%s %s in %.1f ms", method, code, elapsed * 1000)
            request_id_var.reset(token)

    def _translate(
        self,
        method: str,
        context: Context,
        exc: Exception,
        request_id: str,
        call: Call | None,
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
        if call is not None:
            extra["principal"] = call.principal.name
            extra["project"] = call.project
        if call is None and status.code is grpc.StatusCode.UNAUTHENTICATED:
            # Anyone can send these: summarized, so a flood cannot fill the disk.
            self._unauthenticated.note(method)
        elif isinstance(exc, GatewayError | MaxComputeError):
            _log.info("%s failed: %s %s", method, status.code.name, status.details, extra=extra)
        else:
            _log.error("%s failed with an unexpected error", method, exc_info=exc, extra=extra)
        trailing = (*status.trailing_metadata, (REQUEST_ID_HEADER, request_id))
        return status.code.name, _AbortStatus(status.code, status.details, trailing)
