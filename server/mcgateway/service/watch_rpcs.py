"""The three watch RPCs: WaitInstance, WatchInstance and WatchInstances, over the watch hub."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Hashable
from datetime import UTC, datetime
from typing import Any, TypeVar

import grpc
from maxcompute.gateway.v1 import instance_service_pb2, instance_service_pb2_grpc

from mcgateway.errors import GatewayError, Reason
from mcgateway.maxcompute import MaxComputeError, SyntheticCode
from mcgateway.service.chokepoint import Call, Chokepoint
from mcgateway.service.validation import (
    Violations,
    check_duration,
    check_instance_id,
    check_state_filter,
)
from mcgateway.watch import (
    EventKind,
    Observation,
    ProjectSubscription,
    Subscription,
    SubscriptionClosed,
    WatchHub,
    WatchSettings,
    parse_resume_version,
)
from mcgateway.wire import INSTANCE_STATE_FROM_PROTO, timestamp_from_datetime

__all__ = [
    "HEARTBEAT_MAX",
    "HEARTBEAT_MIN",
    "Following",
    "WatchRpcs",
    "add_instance_service",
    "upstream_unavailable",
]

_log = logging.getLogger("mcgateway.watch")


_Sub = TypeVar("_Sub", Subscription, ProjectSubscription)

HEARTBEAT_MIN = 1.0
"""Shortest heartbeat interval a client may ask for, in seconds."""
HEARTBEAT_MAX = 600.0
"""Longest heartbeat interval a client may ask for (10 minutes)."""

# A WaitInstance answers this much before the call deadline, so the answer arrives in time.
_DEADLINE_MARGIN = 0.2


def add_instance_service(
    servicer: instance_service_pb2_grpc.InstanceServiceServicer, server: grpc.aio.Server
) -> None:
    """Register ``servicer`` on ``server`` as ``add_InstanceServiceServicer_to_server`` does,
    except that the streaming RPCs' response serializer passes ``bytes`` through as they
    are: a fan-out message is serialized once for all its streams (``Observation.encoded``)
    and each stream's ``context.write`` takes those bytes; a message object is serialized
    as usual. So ``context.write`` of a streaming RPC receives either a message or its
    serialized bytes, and nothing else."""
    recorder = _Registrations()
    instance_service_pb2_grpc.add_InstanceServiceServicer_to_server(servicer, recorder)
    for service, handlers in recorder.registered:
        streams = {
            name: handler._replace(
                response_serializer=_pass_bytes_through(handler.response_serializer)
            )
            if handler.response_streaming
            else handler
            for name, handler in handlers.items()
        }
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, streams),))
        server.add_registered_method_handlers(service, streams)


class _Registrations:
    """Stands in for the server while the generated code registers its method handlers."""

    def __init__(self) -> None:
        self.registered: list[tuple[str, dict[str, Any]]] = []

    def add_generic_rpc_handlers(self, handlers: object) -> None:
        """Ignored: :meth:`add_registered_method_handlers` gets the same handlers by name."""

    def add_registered_method_handlers(self, service: str, handlers: dict[str, Any]) -> None:
        """Keep the service's handlers by method name."""
        self.registered.append((service, handlers))


def _pass_bytes_through(serialize: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    def serializer(message: Any) -> bytes:
        # type() rather than isinstance: only plain bytes are pre-encoded messages.
        if type(message) is bytes:
            return message
        return serialize(message)

    return serializer


class Following:
    """What one follow of an instance (:meth:`WatchRpcs.follow`) has seen, for its caller to
    read while and after it runs: ExecuteSql decides by it whether a call that ended early
    may stop the instance."""

    __slots__ = ("subscription",)

    def __init__(self) -> None:
        self.subscription: Subscription | None = None
        """The follow's subscription, once it subscribed."""

    @property
    def terminated(self) -> bool:
        """Whether the newest state the follow was offered is terminated (sent or not)."""
        sub = self.subscription
        return sub is not None and sub.latest is not None and sub.latest.terminated


class WatchRpcs:
    """The handlers the gateway's servicer delegates the three watch RPCs to.

    Each takes the chokepoint's :class:`~mcgateway.service.chokepoint.Call` (the project
    already resolved and authorized, the grpc context) and the request; it validates the
    request and subscribes to the hub, and the streams send with ``context.write``
    (see ``Chokepoint.run``). Failures are raised for the
    servicer's chokepoint to turn into a ``google.rpc.Status``: the upstream's
    ``MaxComputeError`` (NOT_FOUND, PERMISSION_DENIED, ...), ``InvalidArgument`` for bad
    requests, and ``GatewayError`` UNAVAILABLE at shutdown (reason ``SHUTTING_DOWN``), at
    the maximum stream age (reason ``MAX_STREAM_AGE``) and when no first state could be read
    within ``snapshot_timeout`` or the call's deadline (reason ``UPSTREAM_UNAVAILABLE``, the
    same for all three RPCs). Open streams are counted by the chokepoint
    (``mcgateway_active_streams``); the hub counts pollers.
    """

    def __init__(self, hub: WatchHub, chokepoint: Chokepoint) -> None:
        self.hub = hub
        self._choke = chokepoint
        self._limits = chokepoint.limits

    def _enter(
        self, call: Call, key: Hashable, subscribe: Callable[[], _Sub], *, wait: bool
    ) -> _Sub:
        """Count the call against its caller's limits (a wait, one more polled key), then
        ``subscribe()``, and let a revocation of the call's token end the subscription;
        QuotaExceeded past a limit. Pair with :meth:`_leave`."""
        caller = call.principal.name
        if wait:
            self._limits.acquire("waits", caller)
            self._choke.hold_open(call)
        held = False
        try:
            self._limits.hold(caller, key)
            held = True
            subscription = subscribe()
        except BaseException:
            self._leave(call, key if held else None, wait=wait)
            raise
        call.on_revoke(subscription.fail)
        return subscription

    def _leave(self, call: Call, key: Hashable | None, *, wait: bool) -> None:
        caller = call.principal.name
        if key is not None:
            self._limits.unhold(caller, key)
        if wait:
            self._choke.let_go(call)
            self._limits.release("waits", caller)

    # --- WaitInstance -------------------------------------------------------------------------

    async def WaitInstance(
        self, call: Call, request: instance_service_pb2.WaitInstanceRequest
    ) -> instance_service_pb2.WaitInstanceResponse:
        """Wait for termination or min(request timeout, deadline, wait cap); latest state."""
        hub = self.hub
        project, instance_id = call.project, request.instance_id
        loop = asyncio.get_running_loop()
        violations = Violations()
        check_instance_id(violations, instance_id)
        timeout = check_duration(violations, request.timeout, "timeout")
        violations.raise_if_any()
        cap = hub.settings.wait_cap
        wait = min(timeout, cap) if timeout > 0 else cap
        remaining = call.time_remaining()
        if remaining is not None:
            wait = min(wait, max(0.0, remaining - _DEADLINE_MARGIN))
        until = loop.time() + wait
        first_by = _first_state_by(loop, hub.settings, remaining)
        latest = await self.wait_terminated(call, project, instance_id, until, first_by=first_by)
        assert latest is not None, "wait_terminated raises when no state was read by first_by"
        return latest.wait_response()

    # --- WatchInstance ------------------------------------------------------------------------

    def WatchInstance(
        self, call: Call, request: instance_service_pb2.WatchInstanceRequest
    ) -> Awaitable[None]:
        """Send a snapshot, then changes, then one TERMINAL message, with ``context.write``;
        returning ends the stream with OK.

        A plain function that validates and returns the stream (:meth:`follow`), so that an
        open stream keeps no frame of its own besides the stream's (memory per stream)."""
        project, instance_id = call.project, request.instance_id
        violations = Violations()
        check_instance_id(violations, instance_id)
        heartbeat = _heartbeat(violations, request.heartbeat_interval)
        violations.raise_if_any()
        return self.follow(
            call,
            project,
            instance_id,
            with_progress=not request.omit_progress,
            heartbeat=heartbeat,
            send=call.context.write,
        )

    async def follow(
        self,
        call: Call,
        project: str,
        instance_id: str,
        *,
        with_progress: bool,
        heartbeat: float,
        send: Callable[[bytes], Awaitable[None]],
        following: Following | None = None,
    ) -> None:
        """WatchInstance's stream for one instance, sent with ``send`` as serialized
        ``WatchInstanceResponse`` messages (built once per state for every stream, see
        :meth:`Observation.encoded`; :func:`add_instance_service` registers the streams so
        that grpc writes such bytes as they are): a snapshot, the
        changes (and heartbeats every ``heartbeat`` seconds of silence, when positive), then
        TERMINAL, after which it returns. ``following`` learns the subscription. Raises what
        ends a WatchInstance early (the maximum age, no first state, a failed poller)."""
        hub = self.hub
        loop = asyncio.get_running_loop()
        write = send
        expires = loop.time() + _stream_age(hub.settings.max_stream_age)
        first_by = _first_state_by(loop, hub.settings, call.time_remaining())
        key = (project, instance_id)
        subscription = self._enter(
            call,
            key,
            lambda: hub.subscribe(project, instance_id, with_progress=with_progress),
            wait=False,
        )
        if following is not None:
            following.subscription = subscription
        try:
            last_sent: float | None = None  # None until the snapshot was sent
            while True:
                item = subscription.take()
                if item is None:
                    primed = last_sent is not None
                    await subscription.wait(
                        loop, _wake_at(expires, first_by, primed, heartbeat, last_sent)
                    )
                    item = subscription.take()
                now = loop.time()
                if now >= expires:
                    raise _max_age(project, instance_id)
                if item is None and last_sent is None and now >= first_by:
                    # No snapshot: tell the client now instead of sending nothing until
                    # its deadline; leaving unsubscribes, which stops a poller left alone.
                    raise upstream_unavailable(
                        project,
                        instance_id,
                        hub.last_error(project, instance_id),
                        rate_limited=hub.rate_limited(project, instance_id),
                    )
                if item is None:
                    latest = subscription.latest
                    if (
                        heartbeat
                        and last_sent is not None
                        and latest is not None
                        and now >= last_sent + heartbeat
                    ):
                        await write(latest.encoded(EventKind.HEARTBEAT, with_progress))
                        last_sent = now
                    continue
                kind, state = item
                await write(state.encoded(kind, with_progress))
                last_sent = loop.time()
                if kind == EventKind.TERMINAL:
                    return
        except SubscriptionClosed as closed:
            raise closed.error from None
        finally:
            hub.unsubscribe(project, instance_id, subscription)
            self._leave(call, key, wait=False)

    async def wait_terminated(
        self,
        call: Call,
        project: str,
        instance_id: str,
        until: float,
        *,
        first_by: float | None = None,
    ) -> Observation | None:
        """Wait on the shared poller until the instance terminates or the loop's clock reaches
        ``until``; the latest state (``None`` if none was read). Counted as one of the caller's
        waits, like WaitInstance; a failed poller raises its error.

        With ``first_by``, the wait for a first state may run until then (past ``until``: an
        answer needs one state), and no state by then is UNAVAILABLE (UPSTREAM_UNAVAILABLE),
        raised while the poller still knows the last upstream error."""
        hub = self.hub
        loop = asyncio.get_running_loop()
        key = (project, instance_id)
        subscription = self._enter(
            call,
            key,
            lambda: hub.subscribe(project, instance_id, with_progress=False, stream=False),
            wait=True,
        )
        try:
            while not subscription.terminal and subscription.error is None:
                waiting_for_first = first_by is not None and subscription.latest is None
                limit = first_by if waiting_for_first and first_by is not None else until
                if loop.time() >= limit:
                    break
                await subscription.wait(loop, limit)
            if subscription.error is not None and not subscription.terminal:
                raise subscription.error
            if subscription.latest is None and first_by is not None:
                raise upstream_unavailable(
                    project,
                    instance_id,
                    hub.last_error(project, instance_id),
                    rate_limited=hub.rate_limited(project, instance_id),
                )
            return subscription.latest
        finally:
            hub.unsubscribe(project, instance_id, subscription)
            self._leave(call, key, wait=True)

    # --- WatchInstances -----------------------------------------------------------------------

    async def WatchInstances(
        self, call: Call, request: instance_service_pb2.WatchInstancesRequest
    ) -> None:
        """Send ADDED for each matching instance, SNAPSHOT_END, then changes until cancelled,
        with ``context.write``; resumed from ``resume_version``, the missed events and a
        BOOKMARK instead of the snapshot. Every event after the snapshot carries its resume
        version; HEARTBEAT and BOOKMARK carry the version of everything sent so far."""
        hub = self.hub
        loop = asyncio.get_running_loop()
        project = call.project
        write = call.context.write
        violations = Violations()
        heartbeat = _heartbeat(violations, request.heartbeat_interval)
        bookmark = check_duration(
            violations,
            request.bookmark_interval,
            "bookmark_interval",
            minimum=HEARTBEAT_MIN,
            maximum=HEARTBEAT_MAX,
        )
        check_state_filter(violations, request.state_filter)
        resume: tuple[str, int] | None = None
        if request.resume_version:
            try:
                resume = parse_resume_version(request.resume_version)
            except ValueError:
                violations.add(
                    "resume_version",
                    "is not a resume version this gateway issued: pass the resume_version "
                    "of an event as it was received, or leave it empty",
                )
        violations.raise_if_any()
        status = INSTANCE_STATE_FROM_PROTO[request.state_filter]
        key = (project, status, bool(request.only_owner))
        expires = loop.time() + _stream_age(hub.settings.max_stream_age)
        first_by = _first_state_by(loop, hub.settings, call.time_remaining())
        subscription = self._enter(
            call, key, lambda: hub.subscribe_project(*key, resume=resume), wait=False
        )
        history = hub.project_history(*key)
        Response = instance_service_pb2.WatchInstancesResponse

        def version_text(version: int) -> str:
            return "" if history is None else history.resume_version(version)

        try:
            sequence = 0
            last_sent: float | None = None
            last_bookmark = loop.time()
            while True:
                event = subscription.take()
                if event is None:
                    until = _wake_at(expires, first_by, subscription.primed, heartbeat, last_sent)
                    if bookmark and subscription.primed:
                        until = min(until, last_bookmark + bookmark)
                    await subscription.wait(loop, until)
                    event = subscription.take()
                now = loop.time()
                if now >= expires:
                    raise _max_age(project, None)
                if event is None and not subscription.primed and now >= first_by:
                    # The first list never completed: no ADDED/SNAPSHOT_END to send.
                    raise upstream_unavailable(
                        project,
                        None,
                        hub.last_project_error(*key),
                        rate_limited=hub.rate_limited(project),
                    )
                if event is None:
                    kind: int | None = None
                    if bookmark and subscription.primed and now >= last_bookmark + bookmark:
                        kind = Response.BOOKMARK
                    elif heartbeat and last_sent is not None and now >= last_sent + heartbeat:
                        kind = Response.HEARTBEAT
                    if kind is not None:
                        sequence += 1
                        await write(
                            Response(
                                event_type=kind,  # type: ignore[arg-type]
                                sequence=sequence,
                                observe_time=timestamp_from_datetime(_utcnow()),
                                resume_version=version_text(subscription.version),
                            )
                        )
                        last_sent = now
                        if kind == Response.BOOKMARK:
                            last_bookmark = now
                    continue
                kind, message, observed, version = event
                sequence += 1
                response = Response(
                    event_type=kind,  # type: ignore[arg-type]
                    sequence=sequence,
                    observe_time=observed,
                    resume_version=version_text(version),
                )
                if message is not None:
                    response.instance.CopyFrom(message)
                await write(response)
                last_sent = loop.time()
                if kind == Response.BOOKMARK:
                    last_bookmark = last_sent
        finally:
            hub.unsubscribe_project(*key, subscription)
            self._leave(call, key, wait=False)


def upstream_unavailable(
    project: str,
    instance_id: str | None,
    last_error: BaseException | None,
    *,
    rate_limited: bool = False,
) -> GatewayError:
    """UNAVAILABLE (reason ``UPSTREAM_UNAVAILABLE``) for a call that got no first state.

    The ``ErrorInfo`` metadata names the project and instance and, when a read failed, the
    last failure's MaxCompute code in ``maxcompute_code`` (where every error carries it, e.g.
    ``ServiceUnavailable`` or the client's ``Timeout``/``MalformedResponse``), HTTP status and
    upstream request id; a ``retry_after`` MaxCompute gave becomes the ``RetryInfo``. When no
    read failed and the poller is still queued for the gateway's own rate limit
    (``rate_limited``), the delay is ours, and the reason says so: ``GATEWAY_RATE_LIMITED``.
    """
    metadata = {"project": project}
    if instance_id:
        metadata["instance_id"] = instance_id
    if rate_limited and last_error is None:
        return GatewayError(
            grpc.StatusCode.UNAVAILABLE,
            Reason.GATEWAY_RATE_LIMITED,
            "the gateway's own upstream rate limit (upstream_rate_limit_qps) held the first "
            "read back; retry",
            metadata=metadata,
        )
    message = "MaxCompute did not answer in time; retry"
    retry_after: float | None = None
    code: str | None = None
    if isinstance(last_error, MaxComputeError):
        code = last_error.code
        if last_error.request_id:
            metadata["upstream_request_id"] = last_error.request_id
        if last_error.http_status is not None:
            metadata["http_status"] = str(last_error.http_status)
        if last_error.retry_after is not None and last_error.retry_after > 0:
            retry_after = last_error.retry_after
    elif isinstance(last_error, TimeoutError):
        # Our own bound on a read that hung: the REST client's name for it.
        code = SyntheticCode.TIMEOUT
    if code:
        metadata["maxcompute_code"] = code
        message = f"MaxCompute did not answer in time (last error: {code}); retry"
    return GatewayError(
        grpc.StatusCode.UNAVAILABLE,
        Reason.UPSTREAM_UNAVAILABLE,
        message,
        metadata=metadata,
        retry_after=retry_after,
    )


def _heartbeat(violations: Violations, value: Any) -> float:
    return check_duration(
        violations, value, "heartbeat_interval", minimum=HEARTBEAT_MIN, maximum=HEARTBEAT_MAX
    )


def _wake_at(
    expires: float, first_by: float, primed: bool, heartbeat: float, last_sent: float | None
) -> float:
    """When a stream with nothing to send looks again: its end of life, the snapshot's
    deadline while it has none (``primed``), and the next heartbeat, whichever is first."""
    until = expires if primed else min(expires, first_by)
    if heartbeat and last_sent is not None:
        until = min(until, last_sent + heartbeat)
    return until


def _stream_age(max_age: float) -> float:
    # Up to 10% less than the maximum, so streams opened together do not reconnect together.
    return max_age * random.uniform(0.9, 1.0)


def _max_age(project: str, instance_id: str | None) -> GatewayError:
    metadata = {"project": project}
    if instance_id:
        metadata["instance_id"] = instance_id
    return GatewayError(
        grpc.StatusCode.UNAVAILABLE,
        Reason.MAX_STREAM_AGE,
        "the stream reached its maximum age; reconnect to continue watching",
        metadata=metadata,
    )


def _first_state_by(
    loop: asyncio.AbstractEventLoop, settings: WatchSettings, remaining: float | None
) -> float:
    """When a call still without its first upstream state gives up: ``snapshot_timeout``
    from now, or just before the call's deadline, so the client hears why in time."""
    limit = settings.snapshot_timeout
    if remaining is not None:
        limit = min(limit, max(0.0, remaining - _DEADLINE_MARGIN))
    return loop.time() + limit


def _utcnow() -> datetime:
    return datetime.now(UTC)
