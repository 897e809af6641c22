"""The route table: every RPC's ``google.api.http`` rule, read from the descriptors.

A :class:`Route` knows its HTTP method, its path template (``{var}`` segments and a
``:verb``), which request fields come from the path, from the body (``*``: all of them) or
from the query string, and how to build the request message from an HTTP request by the
protobuf JSON mapping. Nothing here is written per RPC: adding an RPC with an annotation adds
its route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from google.api import annotations_pb2  # type: ignore[import-untyped]
from google.protobuf import descriptor, json_format, message, symbol_database

from mcgateway.errors import InvalidArgument

__all__ = [
    "DEFAULT_PROJECT_SEGMENT",
    "PathTemplate",
    "Route",
    "RouteTable",
]

DEFAULT_PROJECT_SEGMENT = "_"
"""The ``{project}`` path segment that means "the gateway's default project".

MaxCompute project names start with a letter, so ``_`` can never be one; the request's
``project`` is left empty and the chokepoint resolves it exactly as for a gRPC call that
leaves ``project`` empty."""

_FD = descriptor.FieldDescriptor
_VAR = re.compile(r"\{([a-z_][a-z0-9_.]*)(?:=([^}]*))?\}")


@dataclass(frozen=True, slots=True)
class PathTemplate:
    """A ``google.api.http`` path template, e.g. ``/v1/projects/{project}/instances:watch``.

    Variables match one path segment (``{name}`` or ``{name=*}``) or the rest of the path
    (``{name=**}``); a custom verb is the ``:verb`` suffix of the last segment. Matching runs
    on the raw (still percent-encoded) path so an encoded ``/`` or ``:`` stays inside its
    segment; values are decoded afterwards.
    """

    template: str
    variables: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def parse(cls, template: str) -> PathTemplate:
        """Compile ``template``; raise ``ValueError`` if it is not a valid path template."""
        if not template.startswith("/"):
            raise ValueError(f"path template must start with '/': {template!r}")
        names: list[str] = []
        out: list[str] = []
        pos = 0
        for m in _VAR.finditer(template):
            out.append(re.escape(template[pos : m.start()]))
            name, sub = m.group(1), m.group(2) or "*"
            if sub not in ("*", "**"):
                raise ValueError(f"unsupported sub-template {sub!r} in {template!r}")
            names.append(name)
            group = name.replace(".", "__")
            # A segment never holds '/' and, raw, never ':' (that starts the verb).
            out.append(f"(?P<{group}>[^/:]+)" if sub == "*" else f"(?P<{group}>[^:]+)")
            pos = m.end()
        out.append(re.escape(template[pos:]))
        return cls(template, tuple(names), re.compile("^" + "".join(out) + "$"))

    def match(self, raw_path: str) -> dict[str, str] | None:
        """The decoded variable values if ``raw_path`` matches, else ``None``."""
        m = self.pattern.match(raw_path)
        if m is None:
            return None
        return {name: unquote(m.group(name.replace(".", "__"))) for name in self.variables}

    def openapi_path(self) -> str:
        """The template as an OpenAPI path (``{name=**}`` → ``{name}``)."""
        return _VAR.sub(lambda m: "{" + m.group(1) + "}", self.template)


@dataclass(frozen=True, slots=True)
class Route:
    """One RPC reachable over HTTP."""

    method: descriptor.MethodDescriptor
    http_method: str
    path: PathTemplate
    body: str
    """``""`` (no body), ``"*"`` (the whole request) or the name of one request field."""
    request_class: type[message.Message]
    response_class: type[message.Message]

    @property
    def name(self) -> str:
        """The RPC's name, e.g. ``GetInstance``."""
        return str(self.method.name)

    @property
    def streaming(self) -> bool:
        """True for server-streaming RPCs."""
        return bool(self.method.server_streaming)

    def query_fields(self) -> list[descriptor.FieldDescriptor]:
        """The top-level request fields that may come from the query string."""
        if self.body == "*":
            return []
        bound = {v.split(".")[0] for v in self.path.variables} | {self.body}
        return [f for f in self.method.input_type.fields if f.name not in bound]

    def build_request(
        self,
        path_values: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        body: Any,
    ) -> message.Message:
        """The request message: ``body`` (parsed JSON or ``None``) first, then the query
        string, then the path variables; raise :class:`InvalidArgument` naming the field."""
        request = self.request_class()
        if self.body == "*":
            _parse_into(body if body is not None else {}, request, "body")
        elif self.body:
            _parse_into({self.body: body}, request, self.body)
        tree: dict[str, Any] = {}
        allowed = {f.name for f in self.query_fields()} | {f.json_name for f in self.query_fields()}
        for key, value in query:
            if key.split(".")[0] not in allowed:
                raise InvalidArgument([(key, "not a query parameter of this method")])
            _add_query_value(tree, self.method.input_type, key, value)
        if tree:
            _parse_into(tree, request, "query", merge=True)
        for name, value in path_values.items():
            if name == "project" and value == DEFAULT_PROJECT_SEGMENT:
                value = ""
            _set_path_field(request, name, value)
        return request


def _parse_into(data: Any, target: message.Message, where: str, *, merge: bool = False) -> None:
    if not isinstance(data, dict):
        raise InvalidArgument([(where, "must be a JSON object")])
    try:
        if merge:
            parsed = type(target)()
            json_format.ParseDict(data, parsed)
            target.MergeFrom(parsed)
        else:
            json_format.ParseDict(data, target)
    except json_format.ParseError as exc:
        raise InvalidArgument([(where, str(exc))]) from None


def _add_query_value(
    tree: dict[str, Any], desc: descriptor.Descriptor, key: str, value: str
) -> None:
    """Put ``key=value`` (``key`` a dotted path of proto or JSON names) into ``tree``, the
    JSON object the query string stands for. Repeated fields collect every value; bools
    accept ``true``/``false``/``1``/``0`` (JSON wants real booleans there)."""
    parts = key.split(".")
    node = tree
    current: descriptor.Descriptor | None = desc
    for i, part in enumerate(parts):
        if current is None:
            raise InvalidArgument([(key, "not a message field: cannot have sub-fields")])
        field = current.fields_by_name.get(part) or current.fields_by_camelcase_name.get(part)
        if field is None:
            raise InvalidArgument([(key, f"unknown field {part!r}")])
        last = i == len(parts) - 1
        is_message = field.type == _FD.TYPE_MESSAGE and not _is_json_scalar(field)
        if not last:
            if not is_message or field.is_repeated:
                raise InvalidArgument([(key, f"{part!r} has no sub-fields")])
            node = node.setdefault(field.json_name, {})
            current = field.message_type
            continue
        if is_message:
            raise InvalidArgument([(key, "a message field: name one of its fields")])
        converted: Any = _query_scalar(field, value, key)
        if field.is_repeated:
            node.setdefault(field.json_name, []).append(converted)
        else:
            node[field.json_name] = converted


# Well-known types whose JSON form is a string (Duration "1.5s", Timestamp RFC 3339, ...).
_STRING_WKT = frozenset(
    {
        "google.protobuf.Duration",
        "google.protobuf.Timestamp",
        "google.protobuf.FieldMask",
        "google.protobuf.StringValue",
        "google.protobuf.BytesValue",
        "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value",
        "google.protobuf.Int32Value",
        "google.protobuf.UInt32Value",
        "google.protobuf.DoubleValue",
        "google.protobuf.FloatValue",
        "google.protobuf.BoolValue",
    }
)


def _wkt_name(field: descriptor.FieldDescriptor) -> str | None:
    """The full name of a message field's type (``None`` for scalars and enums)."""
    return None if field.message_type is None else str(field.message_type.full_name)


def _is_json_scalar(field: descriptor.FieldDescriptor) -> bool:
    return _wkt_name(field) in _STRING_WKT


def _query_scalar(field: descriptor.FieldDescriptor, value: str, key: str) -> Any:
    if field.type == _FD.TYPE_BOOL or _wkt_name(field) == "google.protobuf.BoolValue":
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise InvalidArgument([(key, f"not a boolean: {value!r} (true or false)")])
    return value


def _set_path_field(request: message.Message, dotted: str, value: str) -> None:
    target = request
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = getattr(target, part)
    field = target.DESCRIPTOR.fields_by_name[parts[-1]]
    if field.type != _FD.TYPE_STRING:
        # The contract binds only string ids in paths; anything else goes through JSON.
        parsed = type(target)()
        try:
            json_format.ParseDict({field.json_name: value}, parsed)
        except json_format.ParseError as exc:
            raise InvalidArgument([(dotted, str(exc))]) from None
        target.MergeFrom(parsed)
        return
    setattr(target, parts[-1], value)


class RouteTable:
    """Every annotated RPC of a service, matched against (HTTP method, raw path)."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = list(routes)

    @classmethod
    def from_service(cls, service: descriptor.ServiceDescriptor) -> RouteTable:
        """Build the table from ``service``'s ``google.api.http`` options (additional
        bindings included); RPCs without a rule are not reachable over HTTP."""
        db = symbol_database.Default()
        routes: list[Route] = []
        for method in service.methods:
            options = method.GetOptions()
            if not options.HasExtension(annotations_pb2.http):
                continue
            rule = options.Extensions[annotations_pb2.http]
            for r in (rule, *rule.additional_bindings):
                kind = r.WhichOneof("pattern")
                if kind is None or kind == "custom":
                    continue
                routes.append(
                    Route(
                        method=method,
                        http_method=kind.upper(),
                        path=PathTemplate.parse(getattr(r, kind)),
                        body=r.body,
                        request_class=db.GetSymbol(method.input_type.full_name),
                        response_class=db.GetSymbol(method.output_type.full_name),
                    )
                )
        return cls(routes)

    def match(self, http_method: str, raw_path: str) -> tuple[Route | None, list[str]]:
        """The route for ``(http_method, raw_path)`` and its variables, or ``None`` with the
        methods the path does allow (empty: no such path)."""
        allowed: list[str] = []
        for route in self.routes:
            if route.path.pattern.match(raw_path) is None:
                continue
            if route.http_method == http_method:
                return route, []
            allowed.append(route.http_method)
        return None, allowed
