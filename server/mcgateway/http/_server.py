"""The HTTP/1.1 listener: transcodes HTTP/JSON to the servicer's own handlers.

Each request is matched against the :class:`~mcgateway.http._routes.RouteTable` built from
the ``google.api.http`` annotations, turned into the RPC's request message (protobuf JSON
mapping), and passed to the servicer method of the RPC's name with an
:class:`~mcgateway.http._context.HttpContext`: the same ``Chokepoint.run`` as a gRPC call
(bearer auth from ``Authorization``, per-caller limits, metrics, request ids, audit). Unary
answers are JSON; server streams are Server-Sent Events when the client accepts
``text/event-stream`` and newline-delimited JSON otherwise. Errors are ``google.rpc.Status``
JSON with the HTTP status of the standard mapping.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from aiohttp import web
from google.protobuf import descriptor, json_format, message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from prometheus_client import CollectorRegistry, Counter, Histogram

from mcgateway.errors import InvalidArgument
from mcgateway.http._context import HttpAbort, HttpContext, parse_grpc_timeout
from mcgateway.http._errors import http_status, status_from_abort, status_json, status_of
from mcgateway.http._openapi import openapi_document
from mcgateway.http._routes import Route, RouteTable
from mcgateway.logs import new_request_id

__all__ = ["STATIC_DIR", "HttpGateway", "HttpSettings", "ssl_context_for"]

_log = logging.getLogger("mcgateway.http")

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""The dashboard's files, served at ``/`` (``index.html``) and ``/static/...``."""

_REQUEST_ID = "x-request-id"
_JSON = "application/json"
_SSE = "text/event-stream"
_NDJSON = "application/x-ndjson"
_ALLOW_HEADERS = "authorization, content-type, grpc-timeout, last-event-id, x-request-id"
_MAX_BODY = 4 * 1024 * 1024  # as grpc.max_receive_message_length


@dataclass(frozen=True)
class HttpSettings:
    """How the HTTP listener serves (from :class:`~mcgateway.config.GatewayConfig`)."""

    host: str
    port: int
    ssl_context: ssl.SSLContext | None = None
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call from a browser page (``*``: any); empty: no CORS headers."""
    sse_heartbeat: float = 15.0
    """Seconds of silence after which an SSE stream gets a ``: ping`` comment."""
    shutdown_timeout: float = 10.0
    static_dir: Path = field(default=STATIC_DIR)


class _Metrics:
    """``mcgateway_http_requests_total{method,code,status}`` and
    ``mcgateway_http_duration_seconds{method}``: the HTTP calls, told apart from gRPC ones
    (``mcgateway_rpc_requests_total`` counts both transports, as every call passes the
    same chokepoint)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "mcgateway_http_requests",
            "HTTP/JSON calls (transport http), by RPC (or static, openapi, unmatched), "
            "google.rpc code name and HTTP status.",
            ["method", "code", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "mcgateway_http_duration_seconds",
            "Time to handle an HTTP/JSON call (streams: their whole life), by RPC.",
            ["method"],
            registry=registry,
        )

    def observe(self, method: str, code: int, status: int, elapsed: float) -> None:
        """Count one finished HTTP call."""
        self.requests.labels(method, code_pb2.Code.Name(code), str(status)).inc()
        self.duration.labels(method).observe(elapsed)


def ssl_context_for(cert: Path, key: Path, client_ca: Path | None) -> ssl.SSLContext:
    """A server TLS context from the gateway's ``--tls-*`` files (mTLS with a client CA)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    if client_ca is not None:
        context.load_verify_locations(client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def _sse_event_id(msg: Any) -> str | None:
    """The SSE ``id:`` of a stream message: its ``resume_version`` (WatchInstances), its
    ``sequence`` (WatchInstance, ExecuteSql), or the row offset after it (ReadInstanceResult:
    where a resumed read starts)."""
    fields = msg.DESCRIPTOR.fields_by_name
    if "resume_version" in fields:
        version: str = msg.resume_version
        return version or None
    if "sequence" in fields:
        return str(msg.sequence)
    if "row_offset" in fields and "row_count" in fields:
        return str(int(msg.row_offset) + int(msg.row_count))
    return None


def _resume_from(request: Any, last_event_id: str) -> None:
    """Apply an SSE ``Last-Event-ID`` to a stream request: WatchInstances resumes from that
    ``resume_version``, ReadInstanceResult reads from that ``offset`` (its ``limit`` shortened
    by the rows already sent, so the resumed stream ends where the first would). WatchInstance and
    ExecuteSql need nothing: a reconnect gets a fresh snapshot, which carries the current
    (possibly terminal) state, so no terminal event can be lost."""
    fields = request.DESCRIPTOR.fields_by_name
    if "resume_version" in fields and not request.resume_version:
        request.resume_version = last_event_id
    elif "offset" in fields and "columns" in fields:
        try:
            offset = int(last_event_id)
        except ValueError:
            raise InvalidArgument([("Last-Event-ID", "must be a row offset")]) from None
        if offset < request.offset:
            raise InvalidArgument([("Last-Event-ID", "is before the requested offset")])
        if request.limit:
            left = request.offset + request.limit - offset
            if left <= 0:
                # limit 0 would mean "to the end": say plainly that nothing is left instead.
                raise InvalidArgument([("Last-Event-ID", "every requested row was already sent")])
            request.limit = left
        request.offset = offset


class _Frames:
    """The encoded form of each message, encoded once for every caller that gets the same
    one: the watch hub shares one message (or its bytes) per state among all the streams
    that watch it, cached reads return the same message again, and the protobuf JSON
    mapping is pure Python (hundreds of microseconds per Instance), so a thousand SSE
    subscribers must not encode the same state a thousand times. Keyed by the message's
    serialized bytes (a microsecond to make); large ones are not kept."""

    def __init__(self, size: int = 1024, max_payload: int = 64 * 1024) -> None:
        self._size = size
        self._max_payload = max_payload
        self._cache: OrderedDict[tuple[str, bytes, str], bytes] = OrderedDict()

    def frame(
        self, item: message.Message | bytes, response_class: type[message.Message], framing: str
    ) -> bytes:
        """The bytes to write for ``item`` (a message of ``response_class`` or its bytes):
        ``framing`` is ``json`` (a unary body), ``sse`` (an event) or ``ndjson`` (a line)."""
        payload = item if isinstance(item, bytes) else item.SerializeToString()
        key = (response_class.DESCRIPTOR.full_name, payload, framing)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        msg = response_class.FromString(payload) if isinstance(item, bytes) else item
        body = _to_json(msg)
        if framing == "sse":
            event_id = _sse_event_id(msg)
            head = f"id: {event_id}\n" if event_id is not None else ""
            framed = f"{head}data: {body}\n\n".encode()
        else:
            # A newline ends each NDJSON line, and a unary body's line at a terminal (curl).
            framed = body.encode() + b"\n"
        if len(payload) <= self._max_payload:
            self._cache[key] = framed
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return framed


@dataclass(eq=False)
class _Stream:
    """Writes one server stream's messages as SSE events or NDJSON lines.

    Headers go out with the first message, so an error before it (auth, validation, a
    missing instance) is an ordinary HTTP error response; after it, an error is the last
    event (``event: error``) or line (``{"error": ...}``).
    """

    request: web.Request
    sse: bool
    heartbeat: float
    headers: Callable[[], dict[str, str]]
    frames: _Frames
    response_class: type[message.Message]
    response: web.StreamResponse | None = None
    gone: bool = False
    """True once a write found the client gone."""
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _last_write: float = field(default_factory=time.monotonic)
    _pinger: asyncio.Task[None] | None = None

    async def _prepare(self) -> web.StreamResponse:
        response = web.StreamResponse(
            status=200,
            headers={
                "Content-Type": (_SSE if self.sse else _NDJSON) + "; charset=utf-8",
                "Cache-Control": "no-cache, no-store",
                # Proxies (nginx) must not hold events back.
                "X-Accel-Buffering": "no",
                **self.headers(),
            },
        )
        await response.prepare(self.request)
        self.response = response
        if self.sse and self.heartbeat > 0:
            self._pinger = asyncio.create_task(self._ping(), name="sse-heartbeat")
        return response

    async def _write(self, data: bytes) -> None:
        async with self._lock:
            response = self.response or await self._prepare()
            try:
                await response.write(data)
            except ConnectionError:
                # The client went away: end the call as grpc does, by cancelling it, so
                # every ``finally`` (and ExecuteSql's stop_on_cancel) runs now.
                self.gone = True
                task = asyncio.current_task()
                assert task is not None
                task.cancel()
                await asyncio.sleep(0)
            self._last_write = time.monotonic()

    async def send(self, item: message.Message | bytes) -> None:
        """Send one stream message or its serialized bytes (the servicer's
        ``context.write``)."""
        framing = "sse" if self.sse else "ndjson"
        await self._write(self.frames.frame(item, self.response_class, framing))

    async def fail(self, status: status_pb2.Status) -> None:
        """End a started stream with ``status``."""
        body = status_json(status)
        if self.sse:
            await self._write(f"event: error\ndata: {body}\n\n".encode())
        else:
            await self._write(b'{"error": ' + body.encode() + b"}\n")

    async def _ping(self) -> None:
        while True:
            wait = self._last_write + self.heartbeat - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            async with self._lock:
                if self.response is None:
                    return
                try:
                    await self.response.write(b": ping\n\n")
                except ConnectionError:
                    return
                self._last_write = time.monotonic()

    async def close(self) -> None:
        """Stop the heartbeat and end the response body."""
        if self._pinger is not None:
            self._pinger.cancel()
            self._pinger = None
        if self.response is not None and not self.gone:
            with contextlib.suppress(ConnectionError):
                await self.response.write_eof()


def _to_json(msg: message.Message) -> str:
    # Compact, lowerCamelCase names, enums by name, int64 as strings, WKTs in JSON form.
    return json.dumps(json_format.MessageToDict(msg), separators=(",", ":"), ensure_ascii=False)


class HttpGateway:
    """The HTTP/JSON + SSE listener of one gateway, on the gateway's event loop.

    ``servicer`` is the gRPC servicer (its methods are called by RPC name), ``service`` the
    service descriptor whose annotations define the routes.
    """

    def __init__(
        self,
        servicer: Any,
        service: descriptor.ServiceDescriptor,
        settings: HttpSettings,
        registry: CollectorRegistry,
    ) -> None:
        self._servicer = servicer
        self._service = service
        self.settings = settings
        self.routes = RouteTable.from_service(service)
        self._metrics = _Metrics(registry)
        self._frames = _Frames()
        self._runner: web.AppRunner | None = None
        self._openapi: bytes | None = None
        self.port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_get("/v1/openapi.json", self._openapi_handler)
        app.router.add_route("*", "/v1/{tail:.*}", self._dispatch)
        app.router.add_get("/", self._static_handler)
        app.router.add_get("/static/{path:.+}", self._static_handler)
        app.on_response_prepare.append(self._add_cors)
        return app

    async def start(self) -> int:
        """Bind and serve; return the bound port."""
        s = self.settings
        runner = web.AppRunner(
            self._app(),
            access_log=None,
            handle_signals=False,
            # A client that goes away cancels its handler, as grpc cancels a call: streams
            # stop and ExecuteSql's stop_on_cancel runs.
            handler_cancellation=True,
            shutdown_timeout=s.shutdown_timeout,
        )
        await runner.setup()
        site = web.TCPSite(runner, s.host, s.port, ssl_context=s.ssl_context, reuse_port=False)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server: Any = site._server  # aiohttp exposes the bound sockets only here
        self.port = int(server.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        """Stop accepting, let calls under way finish (``shutdown_timeout``), close."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # ------------------------------------------------------------------ CORS

    def _allowed_origin(self, request: web.Request) -> str | None:
        origin = request.headers.get("Origin")
        allowed = self.settings.cors_origins
        if origin is None or not allowed:
            return None
        if "*" in allowed or origin in allowed:
            return origin
        return None

    async def _add_cors(self, request: web.Request, response: web.StreamResponse) -> None:
        origin = self._allowed_origin(request)
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = _REQUEST_ID
            response.headers.add("Vary", "Origin")

    def _preflight(self, request: web.Request, allowed: Sequence[str]) -> web.Response:
        headers = {"Allow": ", ".join(sorted({*allowed, "OPTIONS"}))}
        if self._allowed_origin(request) is not None:
            headers |= {
                "Access-Control-Allow-Methods": ", ".join(sorted(set(allowed))),
                "Access-Control-Allow-Headers": _ALLOW_HEADERS,
                "Access-Control-Max-Age": "600",
            }
        return web.Response(status=204, headers=headers)

    # ------------------------------------------------------------------ static, OpenAPI

    async def _static_handler(self, request: web.Request) -> web.StreamResponse:
        root = self.settings.static_dir.resolve()
        relative = request.match_info.get("path", "index.html")
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return self._error_response(
                status_pb2.Status(code=code_pb2.NOT_FOUND, message=f"no file {request.path}"),
                {},
            )
        # Revalidate every time (ETag/Last-Modified): a new gateway version's page is never
        # mixed with an old cached module.
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def _openapi_handler(self, request: web.Request) -> web.Response:
        if self._openapi is None:
            document = await asyncio.to_thread(openapi_document, self._service, self.routes)
            self._openapi = json.dumps(document, indent=1).encode()
        return web.Response(body=self._openapi, content_type=_JSON)

    # ------------------------------------------------------------------ transcoding

    def _error_response(
        self, status: status_pb2.Status, headers: dict[str, str], http: int | None = None
    ) -> web.Response:
        if _REQUEST_ID not in headers:
            # Errors found before the chokepoint get a request id too (logged with it).
            request_id = _request_id_of(status) or new_request_id()
            headers = {**headers, _REQUEST_ID: request_id}
            _log.info(
                "HTTP call refused: %s %s",
                code_pb2.Code.Name(status.code),
                status.message,
                extra={"transport": "http", "request_id": request_id},
            )
        return web.Response(
            status=http or http_status(status.code),
            text=status_json(status) + "\n",
            content_type=_JSON,
            headers=headers,
        )

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        raw_path = request.raw_path.partition("?")[0]
        route, allowed = self.routes.match(request.method, raw_path)
        name = route.name if route is not None else "unmatched"
        code = code_pb2.OK
        response: web.StreamResponse | None = None
        try:
            if route is None:
                if request.method == "OPTIONS" and allowed:
                    response = self._preflight(request, allowed)
                    return response
                if allowed:
                    status = status_pb2.Status(
                        code=code_pb2.UNIMPLEMENTED,
                        message=f"{request.method} is not allowed on {request.path}; "
                        f"use {', '.join(sorted(set(allowed)))}",
                    )
                    response = self._error_response(
                        status, {"Allow": ", ".join(sorted(set(allowed)))}, 405
                    )
                else:
                    status = status_pb2.Status(
                        code=code_pb2.NOT_FOUND, message=f"no method at {request.path}"
                    )
                    response = self._error_response(status, {})
                code = status.code
                return response
            response, code = await self._call(route, request)
            return response
        finally:
            elapsed = time.perf_counter() - started
            http = response.status if response is not None else 499
            self._metrics.observe(name, code, http, elapsed)
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug(
                    "%s %s -> %d (%s) in %.1f ms",
                    request.method,
                    request.path,
                    http,
                    name,
                    elapsed * 1000,
                    extra={"transport": "http", "rpc_method": name},
                )

    async def _call(self, route: Route, request: web.Request) -> tuple[web.StreamResponse, int]:
        metadata = [(k.lower(), v) for k, v in request.headers.items()]
        try:
            timeout = _timeout_of(request)
            body = await _json_body(request) if route.body else None
            rpc_request = route.build_request(
                route.path.match(request.raw_path.partition("?")[0]) or {},
                request.query.items(),
                body,
            )
            if route.streaming and "last-event-id" in request.headers:
                _resume_from(rpc_request, request.headers["last-event-id"])
        except InvalidArgument as exc:
            status = status_of(exc)
            return self._error_response(status, {}), status.code
        handler: Callable[[message.Message, HttpContext], Awaitable[Any]] = getattr(
            self._servicer, route.name
        )
        if route.streaming:
            return await self._stream(route, request, handler, rpc_request, metadata, timeout)
        context = HttpContext(metadata, timeout=timeout, response_class=route.response_class)
        try:
            async with asyncio.timeout(timeout):
                result = await handler(rpc_request, context)
        except Exception as exc:
            status = _status_for_failure(exc, context)
            return self._error_response(status, _trailer_headers(context)), status.code
        return (
            web.Response(
                body=self._frames.frame(result, route.response_class, "json"),
                content_type=_JSON,
                charset="utf-8",
                headers=_trailer_headers(context),
            ),
            code_pb2.OK,
        )

    async def _stream(
        self,
        route: Route,
        request: web.Request,
        handler: Callable[[message.Message, HttpContext], Awaitable[Any]],
        rpc_request: message.Message,
        metadata: list[tuple[str, str]],
        timeout: float | None,
    ) -> tuple[web.StreamResponse, int]:
        sse = _SSE in request.headers.get("Accept", "")
        context: HttpContext

        def headers() -> dict[str, str]:
            return _trailer_headers(context)

        stream = _Stream(
            request,
            sse,
            self.settings.sse_heartbeat,
            headers,
            self._frames,
            route.response_class,
        )
        context = HttpContext(
            metadata, timeout=timeout, response_class=route.response_class, sink=stream.send
        )
        try:
            try:
                async with asyncio.timeout(timeout):
                    await handler(rpc_request, context)
            except asyncio.CancelledError:
                if not stream.gone:
                    raise
                # Our own cancel after a failed write: the client left.
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                response = stream.response or web.Response(status=499)
                return response, code_pb2.CANCELLED
            except Exception as exc:
                status = _status_for_failure(exc, context)
                if stream.response is None:
                    return self._error_response(status, headers()), status.code
                await stream.fail(status)
                return stream.response, status.code
            if stream.response is None:
                # A stream that ended before its first message still answers 200.
                await stream._prepare()
            assert stream.response is not None
            return stream.response, code_pb2.OK
        finally:
            await stream.close()


def _status_for_failure(exc: Exception, context: HttpContext) -> status_pb2.Status:
    if isinstance(exc, HttpAbort):
        s = exc.status
        return status_from_abort(s.code, s.details, s.trailing_metadata)
    if isinstance(exc, TimeoutError):
        return status_pb2.Status(
            code=code_pb2.DEADLINE_EXCEEDED, message="the grpc-timeout deadline passed"
        )
    if isinstance(exc, NotImplementedError) and context.code() is grpc.StatusCode.UNIMPLEMENTED:
        # The generated base class's answer for an RPC the servicer does not implement.
        return status_pb2.Status(
            code=code_pb2.UNIMPLEMENTED, message=context.details() or "not implemented"
        )
    if isinstance(exc, grpc.aio.AbortError):
        return status_from_abort(context.code(), context.details(), context.trailing_metadata)
    # Only reached for failures outside the chokepoint (which translates everything else).
    _log.error("HTTP call failed outside the chokepoint", exc_info=exc)
    return status_of(exc)


def _request_id_of(status: status_pb2.Status) -> str | None:
    info = error_details_pb2.RequestInfo()
    for detail in status.details:
        if detail.Unpack(info):
            return str(info.request_id)
    return None


def _trailer_headers(context: HttpContext) -> dict[str, str]:
    """The call's text trailers as response headers (the request id above all)."""
    return {k: v for k, v in context.trailing_metadata if isinstance(v, str) and k == _REQUEST_ID}


def _timeout_of(request: web.Request) -> float | None:
    value = request.headers.get("grpc-timeout")
    if value is None:
        return None
    try:
        return parse_grpc_timeout(value)
    except ValueError as exc:
        raise InvalidArgument([("grpc-timeout", str(exc))]) from None


async def _json_body(request: web.Request) -> Any:
    raw = await request.read()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidArgument([("body", f"not valid JSON: {exc}")]) from None
