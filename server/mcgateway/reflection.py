"""gRPC server reflection, served as both `grpc.reflection.v1` and `grpc.reflection.v1alpha`.

grpcio-reflection (1.85) ships only v1alpha, and its lookup by symbol is the descriptor pool's
`FindFileContainingSymbol`, which with the upb backend of protobuf finds messages, enums,
fields and services but not methods: `maxcompute.gateway.v1.InstanceService.GetInstance` was
NOT_FOUND, which is what ghz and other tools ask for. This module fixes both:

- `_ReflectionServicer` is grpcio-reflection's asyncio servicer whose symbol lookup resolves a
  method name `pkg.Service.Method` to the file of `pkg.Service`;
- the same servicer also answers `grpc.reflection.v1.ServerReflection/ServerReflectionInfo`.
  The v1 and v1alpha protos differ only in their package: the messages are the same on the
  wire, so the v1 method (de)serializes with the v1alpha message classes. The v1 file
  descriptor, derived from the v1alpha one by renaming the package, is added to the pool, so
  a client can describe the v1 service too.
"""

from __future__ import annotations

from typing import Any

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_reflection.v1alpha import reflection, reflection_pb2

__all__ = ["V1ALPHA_SERVICE_NAME", "V1_SERVICE_NAME", "enable_reflection"]

V1ALPHA_SERVICE_NAME: str = reflection.SERVICE_NAME
V1_SERVICE_NAME = "grpc.reflection.v1.ServerReflection"
_V1ALPHA_PACKAGE = "grpc.reflection.v1alpha"
_V1_PACKAGE = "grpc.reflection.v1"
_V1_FILE = "grpc/reflection/v1/reflection.proto"  # its path in github.com/grpc/grpc-proto


def _lookup_name(pool: Any, name: str) -> str:
    """`name`, or the service's name when `name` is one of its methods (`pkg.Service.Method`)."""
    try:
        pool.FindFileContainingSymbol(name)
    except KeyError:
        service, _, method = name.rpartition(".")
        try:
            if method in pool.FindServiceByName(service).methods_by_name:
                return service
        except KeyError:
            pass
    return name


class _ReflectionServicer(reflection.aio.ReflectionServicer):  # type: ignore[misc]
    """grpcio-reflection's servicer, with method symbols resolved to their service's file."""

    def _file_containing_symbol(self, request: Any, fully_qualified_name: str) -> Any:
        name = _lookup_name(self._pool, fully_qualified_name)
        return super()._file_containing_symbol(request, name)


def _add_v1_descriptor(pool: Any) -> None:
    """Add the v1 reflection file to `pool`, unless some v1 reflection file is already there."""
    try:
        pool.FindServiceByName(V1_SERVICE_NAME)
        return
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(proto)
    proto.name = _V1_FILE
    proto.package = _V1_PACKAGE
    proto.options.java_package = "io.grpc.reflection.v1"
    proto.options.go_package = "google.golang.org/grpc/reflection/grpc_reflection_v1"
    old, new = f".{_V1ALPHA_PACKAGE}.", f".{_V1_PACKAGE}."
    for message in proto.message_type:
        for field in message.field:
            if field.type_name.startswith(old):
                field.type_name = new + field.type_name[len(old) :]
    for service in proto.service:
        for method in service.method:
            method.input_type = new + method.input_type[len(old) :]
            method.output_type = new + method.output_type[len(old) :]
    pool.AddSerializedFile(proto.SerializeToString())


def enable_reflection(service_names: tuple[str, ...], server: grpc.aio.Server) -> None:
    """Serve reflection v1 and v1alpha on `server`, listing `service_names` and both of its own.

    Descriptors come from the default pool, where the generated `_pb2` modules put them.
    """
    pool = descriptor_pool.Default()
    _add_v1_descriptor(pool)
    servicer = _ReflectionServicer(
        (*service_names, V1_SERVICE_NAME, V1ALPHA_SERVICE_NAME), pool=pool
    )
    handler = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        tuple(
            grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": handler})
            for name in (V1_SERVICE_NAME, V1ALPHA_SERVICE_NAME)
        )
    )
