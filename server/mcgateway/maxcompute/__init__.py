"""MaxCompute (ODPS) REST client for instance operations.

The public surface is re-exported here from private modules; import from
``mcgateway.maxcompute`` only. It speaks REST and knows nothing of gRPC or of the gateway's
service layer (a test holds it to that).

Start with :class:`MaxComputeClient` and :class:`ClientConfig`. Every failure is a
:class:`MaxComputeError` with an :class:`ErrorCategory` from :data:`ERROR_CODE_CATEGORY`;
creates are made duplicate-free with a caller request id (see ``_creates.py``). Every HTTP
attempt is reported to a :data:`RequestObserver` (the gateway's metrics).
"""

from mcgateway.maxcompute import _urls
from mcgateway.maxcompute._arrow_types import arrow_schema, arrow_type, decode_arrow
from mcgateway.maxcompute._client import LOG_TYPES, MaxComputeClient
from mcgateway.maxcompute._config import DEFAULT_LOGVIEW_HOST, DEFAULT_USER_AGENT, ClientConfig
from mcgateway.maxcompute._credentials import Credentials, MissingCredentials
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import (
    ERROR_CODE_CATEGORY,
    HTTP_STATUS_CATEGORY,
    ODPS_CODE_PREFIX_CATEGORY,
    ErrorCategory,
    MaxComputeError,
    SyntheticCode,
    category_for,
    task_failure_error,
)
from mcgateway.maxcompute._jobs import (
    DEFAULT_SQL_COST_TASK_NAME,
    DEFAULT_SQL_TASK_NAME,
    QUOTA_SETTING,
    REQUEST_ID_SETTING,
)
from mcgateway.maxcompute._observer import RequestObserver, UpstreamRequest, null_observer
from mcgateway.maxcompute._policy import Backoff, PollPolicy, RetryPolicy, full_jitter
from mcgateway.maxcompute._transport import (
    FailureKind,
    HandlerTransport,
    HttpRequest,
    HttpResponse,
    RequestsTransport,
    Transport,
    TransportFailure,
)
from mcgateway.maxcompute._tunnel import DownloadSession, InstanceTunnel, TunnelColumn

# The identifier rules (patterns, validators, InvalidIdentifier) are public as a whole, so they
# are listed once, in ``_urls.__all__``, and re-exported from it (``__all__ +=`` below).
from mcgateway.maxcompute._urls import *  # noqa: F403

__all__ = [
    "DEFAULT_LOGVIEW_HOST",
    "DEFAULT_SQL_COST_TASK_NAME",
    "DEFAULT_SQL_TASK_NAME",
    "DEFAULT_USER_AGENT",
    "ERROR_CODE_CATEGORY",
    "HTTP_STATUS_CATEGORY",
    "LOG_TYPES",
    "ODPS_CODE_PREFIX_CATEGORY",
    "QUOTA_SETTING",
    "REQUEST_ID_SETTING",
    "Backoff",
    "ClientConfig",
    "Credentials",
    "Deadline",
    "DownloadSession",
    "ErrorCategory",
    "FailureKind",
    "HandlerTransport",
    "HttpRequest",
    "HttpResponse",
    "InstanceTunnel",
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
    "TunnelColumn",
    "UpstreamRequest",
    "arrow_schema",
    "arrow_type",
    "category_for",
    "decode_arrow",
    "full_jitter",
    "null_observer",
    "task_failure_error",
]
__all__ += _urls.__all__
