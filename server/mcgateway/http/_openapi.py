"""The OpenAPI 3 document of the HTTP/JSON API, generated from the descriptors.

Paths and operations come from the route table (the ``google.api.http`` annotations),
parameters from the path variables and the request fields left for the query string,
schemas from the message descriptors in the protobuf JSON mapping (lowerCamelCase names,
enums by name, 64-bit integers as strings, well-known types in their JSON form). Comments
become descriptions when the ``.proto`` sources can be compiled with their comments (a
source checkout with ``grpcio-tools``); an installed package without them still gets the
full document, without descriptions.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from pathlib import Path
from typing import Any

from google.protobuf import descriptor, descriptor_pb2

from mcgateway.http._routes import DEFAULT_PROJECT_SEGMENT, RouteTable

__all__ = ["openapi_document", "proto_comments"]

_log = logging.getLogger(__name__)
_FD = descriptor.FieldDescriptor

_SCALARS: dict[int, dict[str, Any]] = {
    _FD.TYPE_DOUBLE: {"type": "number", "format": "double"},
    _FD.TYPE_FLOAT: {"type": "number", "format": "float"},
    _FD.TYPE_INT64: {"type": "string", "format": "int64"},
    _FD.TYPE_UINT64: {"type": "string", "format": "uint64"},
    _FD.TYPE_SINT64: {"type": "string", "format": "int64"},
    _FD.TYPE_FIXED64: {"type": "string", "format": "uint64"},
    _FD.TYPE_SFIXED64: {"type": "string", "format": "int64"},
    _FD.TYPE_INT32: {"type": "integer", "format": "int32"},
    _FD.TYPE_SINT32: {"type": "integer", "format": "int32"},
    _FD.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    _FD.TYPE_UINT32: {"type": "integer", "format": "int64", "minimum": 0},
    _FD.TYPE_FIXED32: {"type": "integer", "format": "int64", "minimum": 0},
    _FD.TYPE_BOOL: {"type": "boolean"},
    _FD.TYPE_STRING: {"type": "string"},
    _FD.TYPE_BYTES: {"type": "string", "format": "byte"},
}

_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {
        "type": "string",
        "pattern": r"^-?\d+(\.\d{1,9})?s$",
        "description": "A duration in seconds with an `s` suffix, e.g. `1.5s`.",
    },
    "google.protobuf.Any": {
        "type": "object",
        "properties": {"@type": {"type": "string"}},
        "additionalProperties": True,
    },
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array", "items": {}},
    "google.protobuf.FieldMask": {"type": "string"},
    "google.protobuf.Empty": {"type": "object"},
    "google.protobuf.StringValue": {"type": "string"},
    "google.protobuf.BytesValue": {"type": "string", "format": "byte"},
    "google.protobuf.BoolValue": {"type": "boolean"},
    "google.protobuf.Int32Value": {"type": "integer", "format": "int32"},
    "google.protobuf.UInt32Value": {"type": "integer", "format": "int64"},
    "google.protobuf.Int64Value": {"type": "string", "format": "int64"},
    "google.protobuf.UInt64Value": {"type": "string", "format": "uint64"},
    "google.protobuf.DoubleValue": {"type": "number", "format": "double"},
    "google.protobuf.FloatValue": {"type": "number", "format": "float"},
}

# Where the .proto sources live in a source checkout (server/mcgateway/http → repo root).
_PROTO_ROOT = Path(__file__).resolve().parents[3] / "proto"


@functools.cache
def proto_comments(proto_root: Path = _PROTO_ROOT) -> dict[str, str]:
    """The leading comment of every message, field, enum, enum value, service and method,
    by full name (fields ``Message.field``), compiled from ``proto_root`` with
    ``grpcio-tools``; empty when the sources or the compiler are not there."""
    files = sorted(p for p in (proto_root / "maxcompute").rglob("*.proto"))
    if not files:
        return {}
    try:
        # A test/dev dependency, optional at run time.
        from grpc_tools import protoc  # type: ignore[import-untyped]
    except ImportError:
        return {}
    import importlib.resources

    include = str(importlib.resources.files("grpc_tools") / "_proto")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        args = [
            "protoc",
            f"-I{proto_root}",
            f"-I{proto_root / 'third_party' / 'googleapis'}",
            f"-I{include}",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *(str(p.relative_to(proto_root)) for p in files),
        ]
        if protoc.main(args) != 0:
            _log.warning("could not compile %s for OpenAPI descriptions", proto_root)
            return {}
        fds = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    comments: dict[str, str] = {}
    for fd in fds.file:
        _file_comments(fd, comments)
    return comments


def _file_comments(fd: descriptor_pb2.FileDescriptorProto, out: dict[str, str]) -> None:
    by_path = {
        tuple(loc.path): loc.leading_comments.strip()
        for loc in fd.source_code_info.location
        if loc.leading_comments.strip()
    }
    _walk(fd, (), fd.package, by_path, out)


# Where each kind of element keeps its commented children in descriptor.proto: the
# attribute and its field number (a source location's path is field numbers and indexes).
_CHILDREN: dict[str, tuple[tuple[str, int], ...]] = {
    "FileDescriptorProto": (("message_type", 4), ("enum_type", 5), ("service", 6)),
    "DescriptorProto": (("field", 2), ("nested_type", 3), ("enum_type", 4)),
    "EnumDescriptorProto": (("value", 2),),
    "ServiceDescriptorProto": (("method", 2),),
}


def _walk(
    node: Any,
    path: tuple[int, ...],
    scope: str,
    by_path: dict[tuple[int, ...], str],
    out: dict[str, str],
) -> None:
    for attribute, number in _CHILDREN.get(node.DESCRIPTOR.name, ()):
        for i, child in enumerate(getattr(node, attribute)):
            child_path = (*path, number, i)
            name = f"{scope}.{child.name}"
            _put(out, name, by_path.get(child_path))
            _walk(child, child_path, name, by_path, out)


def _put(out: dict[str, str], name: str, text: str | None) -> None:
    if text:
        out[name] = text


class _Schemas:
    """Collects ``components.schemas``: one per message and enum reached."""

    def __init__(self, comments: dict[str, str]) -> None:
        self.comments = comments
        self.schemas: dict[str, Any] = {}

    def ref(self, desc: descriptor.Descriptor | descriptor.EnumDescriptor) -> dict[str, Any]:
        name = desc.full_name
        if isinstance(desc, descriptor.Descriptor) and name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[name])
        if name not in self.schemas:
            self.schemas[name] = {}  # placeholder: recursive messages end here
            if isinstance(desc, descriptor.EnumDescriptor):
                schema: dict[str, Any] = {
                    "type": "string",
                    "enum": [v.name for v in desc.values],
                }
            else:
                schema = {
                    "type": "object",
                    "properties": {f.json_name: self.field(f) for f in desc.fields},
                }
            self._describe(schema, name)
            self.schemas[name] = schema
        return {"$ref": f"#/components/schemas/{name}"}

    def field(self, f: descriptor.FieldDescriptor) -> dict[str, Any]:
        entry = f.message_type
        if entry is not None and entry.GetOptions().map_entry:
            value = entry.fields_by_name["value"]
            schema: dict[str, Any] = {"type": "object", "additionalProperties": self.single(value)}
        elif f.is_repeated:
            schema = {"type": "array", "items": self.single(f)}
        else:
            schema = self.single(f)
        if "$ref" in schema:
            # OpenAPI 3.0 ignores siblings of $ref: wrap to keep the description.
            schema = {"allOf": [schema]}
        self._describe(schema, f.full_name)
        return schema

    def single(self, f: descriptor.FieldDescriptor) -> dict[str, Any]:
        if f.message_type is not None:
            return self.ref(f.message_type)
        if f.enum_type is not None:
            return self.ref(f.enum_type)
        return dict(_SCALARS[f.type])

    def _describe(self, schema: dict[str, Any], name: str) -> None:
        text = self.comments.get(name)
        if text:
            schema["description"] = text


def _query_parameters(
    schemas: _Schemas, fields: list[descriptor.FieldDescriptor], prefix: str = "", depth: int = 0
) -> list[dict[str, Any]]:
    """Query parameters for ``fields``: scalars, enums, repeated scalars and WKTs with a
    string form directly; other messages flattened as ``parent.child`` (bounded depth)."""
    params: list[dict[str, Any]] = []
    for f in fields:
        name = prefix + f.json_name
        message_type = f.message_type
        if message_type is not None and message_type.full_name not in _WELL_KNOWN:
            if f.is_repeated or depth >= 3:
                continue
            params += _query_parameters(schemas, list(message_type.fields), name + ".", depth + 1)
            continue
        schema = schemas.field(f)
        param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
        if f.is_repeated:
            param["explode"] = True
        if "description" in schema:
            param["description"] = schema["description"]
        params.append(param)
    return params


_STATUS_SCHEMA = {
    "type": "object",
    "description": "A google.rpc.Status: the error of a call (code, message, typed details).",
    "properties": {
        "code": {"type": "integer", "format": "int32"},
        "message": {"type": "string"},
        "details": {"type": "array", "items": _WELL_KNOWN["google.protobuf.Any"]},
    },
}


def openapi_document(service: descriptor.ServiceDescriptor, routes: RouteTable) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every route of ``service``."""
    comments = proto_comments()
    schemas = _Schemas(comments)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes.routes:
        method = route.method
        op: dict[str, Any] = {
            "operationId": method.name,
            "tags": [service.name],
            "summary": method.name,
        }
        text = comments.get(f"{service.full_name}.{method.name}")
        if text:
            op["description"] = text
        params: list[dict[str, Any]] = []
        for var in route.path.variables:
            desc = "The resource id."
            if var == "project":
                desc = (
                    f"The MaxCompute project; `{DEFAULT_PROJECT_SEGMENT}` means the "
                    "gateway's default project."
                )
            params.append(
                {
                    "name": var,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": desc,
                }
            )
        params += _query_parameters(schemas, route.query_fields())
        if route.streaming:
            params.append(
                {
                    "name": "Last-Event-ID",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "SSE: resume after the event with this id.",
                }
            )
        if params:
            op["parameters"] = params
        if route.body:
            body_schema = (
                schemas.ref(method.input_type)
                if route.body == "*"
                else schemas.field(method.input_type.fields_by_name[route.body])
            )
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body_schema}},
            }
        response_schema = schemas.ref(method.output_type)
        if route.streaming:
            content = {
                "text/event-stream": {
                    "schema": {
                        "type": "string",
                        "description": "Server-Sent Events; each `data:` is one message "
                        f"({method.output_type.name}), a failure ends with `event: error`.",
                    }
                },
                "application/x-ndjson": {"schema": response_schema},
            }
            ok = "A stream of messages, one per event or line."
        else:
            content = {"application/json": {"schema": response_schema}}
            ok = "The response."
        op["responses"] = {
            "200": {"description": ok, "content": content},
            "default": {
                "description": "An error (google.rpc.Status).",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/google.rpc.Status"}
                    }
                },
            },
        }
        paths.setdefault(route.path.openapi_path(), {})[route.http_method.lower()] = op
    schemas.schemas["google.rpc.Status"] = _STATUS_SCHEMA
    return {
        "openapi": "3.0.3",
        "info": {
            "title": service.full_name,
            "version": "v1",
            "description": comments.get(service.full_name, "")
            + "\n\nTranscoded from the gRPC contract by mcgateway (docs/http.md).",
        },
        "paths": paths,
        "components": {
            "schemas": schemas.schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}, {}],
    }
