"""The aiohttp application: routing of every request, the /api pipeline, admin and logview pages.

The /api pipeline is: classify the request (operation name) -> count it -> apply faults ->
authenticate -> check project access -> run the operation's handler -> add the headers
every answer carries. Any failure becomes a MaxCompute ``<Error>`` document; no stack
trace ever leaves the server.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Mapping

from aiohttp import web

from mcemulator import documents, errors
from mcemulator.access import Authenticator
from mcemulator.admin_client import ADMIN_PREFIX, content_md5
from mcemulator.config import Account, EmulatorConfig
from mcemulator.engine import Engine
from mcemulator.faults import FaultController, FaultDecision, FaultRule
from mcemulator.handlers import Operations, xml_response
from mcemulator.routing import (
    API_PREFIX,
    Route,
    allowed_methods,
    classify,
    query_params,
    split_target,
)
from mcemulator.tunnel import REQUEST_ID

log = logging.getLogger(__name__)

_BAD_GATEWAY = (
    "<html><head><title>502 Bad Gateway</title></head><body><h1>An error occurred.</h1>"
    "<p>Sorry, the page you are looking for is currently unavailable.</p></body></html>"
)


def _request_id() -> str:
    return os.urandom(9).hex().upper()


class EmulatorApp:
    """Builds the aiohttp application around an engine, fault controller and request counters."""

    def __init__(
        self,
        engine: Engine,
        config: EmulatorConfig,
        faults: FaultController,
        counts: Counter[str],
        accounts: Mapping[str, Account] | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.faults = faults
        self.counts = counts
        self.projects = frozenset(config.projects())
        self.auth = Authenticator(
            accounts if accounts is not None else config.resolved_accounts(),
            engine.tokens,
            config.max_clock_skew_seconds,
        )
        self.ops = Operations(engine, config, time.time())

    def build(self) -> web.Application:
        """The application; one catch-all route, since routing needs the raw target."""
        # The body cap is enforced by us with a MaxCompute-style error; aiohttp's own limit
        # is set just above it as a backstop for chunked bodies.
        app = web.Application(client_max_size=self.config.max_body_bytes + 1)
        app.router.add_route("*", "/{tail:.*}", self.dispatch)
        app.on_cleanup.append(self._close)
        return app

    async def _close(self, app: web.Application) -> None:
        """Stop the tunnel's encoding threads with the server."""
        self.ops.instance_tunnel.close()

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        """Send the request to the API, the admin endpoints or the logview page."""
        path, query = split_target(request.raw_path)
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            return await self.api(request, path, query)
        request_id = _request_id()
        response: web.StreamResponse
        try:
            if path.startswith(ADMIN_PREFIX + "/"):
                response = await self.admin(request, path[len(ADMIN_PREFIX) :], query)
            elif path in ("/logview", "/logview/"):
                response = self.logview_page(query)
            else:
                response = xml_response(
                    documents.error("NoSuchObject", "Resource not found", request_id, request.host),
                    status=404,
                )
        except errors.ServiceError as exc:
            response = web.json_response(
                {"error": exc.code, "message": exc.message}, status=exc.status
            )
        except Exception:
            log.exception("admin request failed")
            response = web.json_response({"error": "InternalServerError"}, status=500)
        response.headers["x-odps-request-id"] = request_id
        return response

    # -- /api ----------------------------------------------------------------------------

    async def api(self, request: web.Request, path: str, query: str) -> web.StreamResponse:
        """The MaxCompute REST pipeline."""
        request_id = _request_id()
        request[REQUEST_ID] = request_id  # streamed answers send their headers early
        route = classify(request.method, path, query)
        self.counts[route.operation] += 1
        decision = self.faults.decide(route.operation)
        response: web.StreamResponse
        try:
            if decision.latency_seconds:
                await asyncio.sleep(decision.latency_seconds)
            if decision.action == "drop":
                return self._drop(request)
            if decision.action in ("throttle", "error"):
                response = self._fault_response(decision, request_id, request.host)
            else:
                response = await self._serve(request, route, path)
        except errors.ServiceError as exc:
            response = xml_response(
                documents.error(exc.code, exc.message, request_id, request.host),
                status=exc.status,
                headers=exc.headers,
            )
        except web.HTTPRequestEntityTooLarge:
            response = self._too_large(request_id, request.host)
        except Exception:
            log.exception("unexpected failure serving %s %s", request.method, path)
            failure = errors.internal_error()
            response = xml_response(
                documents.error(failure.code, failure.message, request_id, request.host),
                status=500,
            )
        if decision.action == "malformed" and isinstance(response, web.Response):
            response = self._malform(response)
        response.headers["x-odps-request-id"] = request_id
        return response

    async def _serve(self, request: web.Request, route: Route, path: str) -> web.StreamResponse:
        length = request.content_length
        if length is not None and length > self.config.max_body_bytes:
            raise web.HTTPRequestEntityTooLarge(
                max_size=self.config.max_body_bytes, actual_size=length
            )
        resource = request.raw_path[len(API_PREFIX) :]
        principal = self.auth.authenticate(
            request.method, resource, request.headers, request.headers.items()
        )
        if route.project is not None:
            if route.project not in self.projects:
                raise errors.no_such_project(route.project)
            self.auth.authorize(principal, route.project, route.instance_id, request.method)
        if route.operation == "unknown":
            raise errors.ServiceError(404, "NoSuchObject", f"Resource not found - {path}")
        if request.method not in allowed_methods(route.operation):
            raise errors.ServiceError(
                405, "MethodNotAllowed", f"{request.method} is not allowed on {path}"
            )
        return await self.ops.table[route.operation](request, route, principal)

    def _too_large(self, request_id: str, host: str) -> web.Response:
        # Close the connection: the unread rest of the body must not be parsed as a request.
        exc = errors.ServiceError(
            413,
            "InvalidParameter",
            f"Request body is larger than {self.config.max_body_bytes} bytes",
        )
        response = xml_response(
            documents.error(exc.code, exc.message, request_id, host), status=exc.status
        )
        response.force_close()
        return response

    @staticmethod
    def _drop(request: web.Request) -> web.StreamResponse:
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise asyncio.CancelledError  # nothing may be written: the connection is gone

    @staticmethod
    def _fault_response(decision: FaultDecision, request_id: str, host: str) -> web.Response:
        if decision.action == "throttle":
            return xml_response(
                documents.error(
                    "QPSExceeded",
                    "ODPS-0420095: Request rejected by flow control - too many requests",
                    request_id,
                    host,
                ),
                status=decision.status,
                headers={"Retry-After": str(decision.retry_after_seconds)},
            )
        if decision.status == 502:
            return web.Response(text=_BAD_GATEWAY, status=502, content_type="text/html")
        code = "ServiceUnavailable" if decision.status == 503 else "InternalServerError"
        message = "ODPS-0010000:System internal error - injected fault"
        return xml_response(documents.error(code, message, request_id, host), decision.status)

    @staticmethod
    def _malform(response: web.Response) -> web.Response:
        body = response.body if isinstance(response.body, bytes) else b""
        broken = body[: len(body) // 2] if body else b'<?xml version="1.0"?>\n<Instance><Sta'
        malformed = web.Response(
            body=broken, status=response.status, content_type="application/xml"
        )
        for key in ("Location", "x-odps-owner", "x-odps-start-time"):
            if key in response.headers:
                malformed.headers[key] = response.headers[key]
        return malformed

    # -- admin ---------------------------------------------------------------------------

    async def admin(self, request: web.Request, path: str, query: str) -> web.StreamResponse:
        """Test controls: faults, suspend/resume, request counters.

        Served only with ``admin`` on, and only to requests signed by an account (the API's
        signature over the whole path, ``/_emulator`` included, and a ``Content-MD5`` that
        matches any body), so a replayed signature cannot carry other fault rules.
        """
        if not self.config.admin:
            raise errors.ServiceError(
                404, "NoSuchObject", "admin endpoints are off (start the emulator with --admin)"
            )
        body = await self._admin_authenticate(request)
        if query:
            raise errors.invalid_parameter("admin endpoints take no query parameters")
        if path == "/faults":
            if request.method == "POST":
                self.faults.set(*self._parse_rules(body))
            elif request.method == "DELETE":
                self.faults.clear()
            elif request.method != "GET":
                raise errors.ServiceError(405, "MethodNotAllowed", request.method)
            return web.json_response({"rules": [r.to_json() for r in self.faults.rules]})
        if path == "/requests" and request.method == "GET":
            return web.json_response(dict(self.counts))
        parts = path.strip("/").split("/")
        if len(parts) == 5 and parts[0] == "projects" and parts[2] == "instances":
            if request.method != "POST" or parts[4] not in ("suspend", "resume"):
                raise errors.ServiceError(405, "MethodNotAllowed", request.method)
            if parts[1] not in self.projects:
                raise errors.no_such_project(parts[1])
            if parts[4] == "suspend":
                await self.engine.suspend(parts[1], parts[3])
            else:
                await self.engine.resume(parts[1], parts[3])
            inst = self.engine.get(parts[1], parts[3])
            return web.json_response({"id": inst.id, "status": inst.status.value})
        raise errors.ServiceError(404, "NoSuchObject", f"no admin resource {path}")

    async def _admin_authenticate(self, request: web.Request) -> bytes:
        """Check an admin request's signature (an account's, not a bearer token) and body."""
        length = request.content_length
        if length is not None and length > self.config.max_body_bytes:
            raise errors.ServiceError(413, "InvalidParameter", "admin request body too large")
        if request.headers.get("Authorization") is None:
            raise errors.ServiceError(
                401, "Unauthorized", "admin requests must be signed by an emulator account"
            )
        principal = self.auth.authenticate(
            request.method, request.raw_path, request.headers, request.headers.items()
        )
        if principal.account is None:
            raise errors.no_permission(principal.access_id, "admin")
        body = await request.read()
        if body and request.headers.get("Content-MD5") != content_md5(body):
            raise errors.ServiceError(
                400, "InvalidParameter", "admin request bodies need a matching Content-MD5"
            )
        return body

    @staticmethod
    def _parse_rules(body: bytes) -> list[FaultRule]:
        try:
            data = json.loads(body or b"{}")
            if isinstance(data, dict) and "rules" in data:
                data = data["rules"]
            items = data if isinstance(data, list) else [data]
            return [FaultRule.from_json(item) for item in items if item]
        except (ValueError, TypeError) as exc:
            raise errors.invalid_parameter(f"invalid fault rules: {exc}") from exc

    # -- logview -------------------------------------------------------------------------

    def logview_page(self, query: str) -> web.Response:
        """The page a logview link opens: instance, tasks and stages, if the token allows."""
        params = query_params(query)
        project, instance_id = params.get("p", ""), params.get("i", "")
        grant = self.engine.tokens.verify(params.get("token", ""))
        if grant is None or not grant.allows(project, instance_id):
            return web.Response(text="Invalid or expired logview token", status=403)
        inst = self.engine.get(project, instance_id)
        rows = "".join(
            f"<tr><td>{html.escape(t.name)}</td><td>{t.type}</td><td>{t.status.value}</td>"
            f"<td>{html.escape(documents.http_date(t.start_time))}</td>"
            f"<td>{html.escape(documents.http_date(t.end_time))}</td>"
            f"<td>{html.escape(', '.join(s.id for s in t.stages))}</td></tr>"
            for t in inst.tasks
        )
        page = (
            f"<!doctype html><title>Logview {inst.id}</title><h1>Instance {inst.id}</h1>"
            f"<p>Project {html.escape(inst.project)}, owner {html.escape(inst.owner)}, "
            f"status <b>{inst.status.value}</b></p><table><tr><th>Task</th><th>Type</th>"
            f"<th>Status</th><th>Start</th><th>End</th><th>Stages</th></tr>{rows}</table>"
        )
        return web.Response(text=page, content_type="text/html")
