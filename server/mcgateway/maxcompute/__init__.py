"""MaxCompute (ODPS) REST client for instance operations.

The public surface is re-exported here from private modules; import from
``mcgateway.maxcompute`` only. The Prometheus observer lives in
``mcgateway.maxcompute.metrics``.

Start with :class:`MaxComputeClient` and :class:`ClientConfig`. Every failure is a
:class:`MaxComputeError` whose ``grpc_status`` comes from :data:`ERROR_CODE_TO_GRPC`;
creates are made duplicate-free with a caller request id (see ``_creates.py``).
"""

from mcgateway.maxcompute._client import MaxComputeClient
from mcgateway.maxcompute._config import DEFAULT_LOGVIEW_HOST, DEFAULT_USER_AGENT, ClientConfig
from mcgateway.maxcompute._credentials import Credentials, MissingCredentials
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import (
    ERROR_CODE_TO_GRPC,
    HTTP_STATUS_TO_GRPC,
    ODPS_CODE_PREFIX_TO_GRPC,
    MaxComputeError,
    SyntheticCode,
    grpc_status_for,
)
from mcgateway.maxcompute._jobs import DEFAULT_SQL_TASK_NAME, REQUEST_ID_SETTING
from mcgateway.maxcompute._observer import RequestObserver, UpstreamRequest, null_observer
from mcgateway.maxcompute._policy import PollPolicy, RetryPolicy
from mcgateway.maxcompute._transport import (
    FailureKind,
    HandlerTransport,
    HttpRequest,
    HttpResponse,
    RequestsTransport,
    Transport,
    TransportFailure,
)
from mcgateway.maxcompute._urls import (
    INSTANCE_ID_PATTERN,
    PROJECT_NAME_PATTERN,
    REQUEST_ID_PATTERN,
    TASK_NAME_PATTERN,
    InvalidIdentifier,
    validate_instance_id,
    validate_project_name,
    validate_request_id,
    validate_task_name,
)

__all__ = [
    "DEFAULT_LOGVIEW_HOST",
    "DEFAULT_SQL_TASK_NAME",
    "DEFAULT_USER_AGENT",
    "ERROR_CODE_TO_GRPC",
    "HTTP_STATUS_TO_GRPC",
    "INSTANCE_ID_PATTERN",
    "ODPS_CODE_PREFIX_TO_GRPC",
    "PROJECT_NAME_PATTERN",
    "REQUEST_ID_PATTERN",
    "REQUEST_ID_SETTING",
    "TASK_NAME_PATTERN",
    "ClientConfig",
    "Credentials",
    "Deadline",
    "FailureKind",
    "HandlerTransport",
    "HttpRequest",
    "HttpResponse",
    "InvalidIdentifier",
    "MaxComputeClient",
    "MaxComputeError",
    "MissingCredentials",
    "PollPolicy",
    "RequestObserver",
    "RequestsTransport",
    "RetryPolicy",
    "SyntheticCode",
    "Transport",
    "TransportFailure",
    "UpstreamRequest",
    "grpc_status_for",
    "null_observer",
    "validate_instance_id",
    "validate_project_name",
    "validate_request_id",
    "validate_task_name",
]
