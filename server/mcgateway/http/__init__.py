"""HTTP/JSON and Server-Sent Events transcoding of the v1 contract (``--http-listen``).

:class:`HttpGateway` serves every RPC of ``maxcompute.gateway.v1.InstanceService`` at the
path of its ``google.api.http`` annotation, through the servicer's own handlers (so the same
chokepoint as gRPC), plus ``/v1/openapi.json`` and the dashboard's static files. See
docs/http.md.
"""

from mcgateway.http._context import HttpAbort, HttpContext, parse_grpc_timeout
from mcgateway.http._errors import HTTP_STATUS, http_status
from mcgateway.http._openapi import openapi_document
from mcgateway.http._routes import DEFAULT_PROJECT_SEGMENT, PathTemplate, Route, RouteTable
from mcgateway.http._server import STATIC_DIR, HttpGateway, HttpSettings, ssl_context_for

__all__ = [
    "DEFAULT_PROJECT_SEGMENT",
    "HTTP_STATUS",
    "STATIC_DIR",
    "HttpAbort",
    "HttpContext",
    "HttpGateway",
    "HttpSettings",
    "PathTemplate",
    "Route",
    "RouteTable",
    "http_status",
    "openapi_document",
    "parse_grpc_timeout",
    "ssl_context_for",
]
