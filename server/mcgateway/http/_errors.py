"""``google.rpc.Status`` as HTTP: the status code of each gRPC code and the JSON body.

The mapping is googleapis' (google/rpc/code.proto comments), the one Envoy's transcoder and
grpc-gateway use too, so a client of any of them reads the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import grpc
from google.protobuf import json_format
from google.rpc import code_pb2, status_pb2

from mcgateway.logs import new_request_id
from mcgateway.service.status import status_proto_for_exception

__all__ = ["HTTP_STATUS", "http_status", "status_from_abort", "status_json", "status_of"]

HTTP_STATUS: dict[int, int] = {
    code_pb2.OK: 200,
    code_pb2.CANCELLED: 499,
    code_pb2.UNKNOWN: 500,
    code_pb2.INVALID_ARGUMENT: 400,
    code_pb2.DEADLINE_EXCEEDED: 504,
    code_pb2.NOT_FOUND: 404,
    code_pb2.ALREADY_EXISTS: 409,
    code_pb2.PERMISSION_DENIED: 403,
    code_pb2.RESOURCE_EXHAUSTED: 429,
    code_pb2.FAILED_PRECONDITION: 400,
    code_pb2.ABORTED: 409,
    code_pb2.OUT_OF_RANGE: 400,
    code_pb2.UNIMPLEMENTED: 501,
    code_pb2.INTERNAL: 500,
    code_pb2.UNAVAILABLE: 503,
    code_pb2.DATA_LOSS: 500,
    code_pb2.UNAUTHENTICATED: 401,
}
"""HTTP status of each ``google.rpc.Code`` value."""

_DETAILS_KEY = "grpc-status-details-bin"


def http_status(code: int) -> int:
    """The HTTP status for a ``google.rpc.Code`` value (500 for unknown ones)."""
    return HTTP_STATUS.get(code, 500)


def status_from_abort(
    code: grpc.StatusCode | None,
    details: str | None,
    trailing_metadata: Sequence[tuple[str, str | bytes]],
) -> status_pb2.Status:
    """The ``google.rpc.Status`` a call aborted with: the rich one from its
    ``grpc-status-details-bin`` trailer when there is one, else code and message alone."""
    for key, value in trailing_metadata:
        if key == _DETAILS_KEY and isinstance(value, bytes):
            return status_pb2.Status.FromString(value)
    code_value = (code or grpc.StatusCode.UNKNOWN).value[0]
    return status_pb2.Status(code=code_value, message=details or "")


def status_of(exc: BaseException, request_id: str | None = None) -> status_pb2.Status:
    """The ``google.rpc.Status`` for an error found by the transcoder itself (a malformed
    body, an unknown query parameter), with a request id like the chokepoint's."""
    return status_proto_for_exception(exc, request_id or new_request_id())


def status_json(status: status_pb2.Status) -> str:
    """``status`` in the protobuf JSON mapping (details with their ``@type``)."""
    return json_format.MessageToJson(status, indent=None)
