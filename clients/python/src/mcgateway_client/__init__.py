"""Python client for mcgateway, the gRPC gateway for MaxCompute (ODPS) instances.

``Gateway`` (blocking) and ``AsyncGateway`` (asyncio) offer PyODPS's instance methods::

    from mcgateway_client import Gateway, Instance

    o = Gateway("127.0.0.1:50051", token="...", default_project="demo")
    instance = o.execute_sql("select count(*) from pyodps_iris")
    print(instance.status == Instance.Status.TERMINATED)
"""

from ._aio import AsyncGateway
from ._aio_instance import AsyncInstance
from ._channel import TlsConfig
from ._errors import (
    EXCEPTIONS_BY_CODE,
    Aborted,
    AlreadyExists,
    Cancelled,
    DeadlineExceeded,
    GatewayError,
    InstanceFailed,
    Internal,
    InvalidArgument,
    InvalidState,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    Unimplemented,
    WaitTimeout,
)
from ._gateway import Gateway
from ._instance import Instance
from ._models import (
    EventType,
    InstanceState,
    ListEventType,
    StageProgress,
    Status,
    SubInstanceInfo,
    Task,
    TaskProgress,
    TaskResult,
    TaskStatus,
    WatchEvent,
    WatchInstancesEvent,
)
from ._watch import ReconnectPolicy

__all__ = [
    "EXCEPTIONS_BY_CODE",
    "Aborted",
    "AlreadyExists",
    "AsyncGateway",
    "AsyncInstance",
    "Cancelled",
    "DeadlineExceeded",
    "EventType",
    "Gateway",
    "GatewayError",
    "Instance",
    "InstanceFailed",
    "InstanceState",
    "Internal",
    "InvalidArgument",
    "InvalidState",
    "ListEventType",
    "NotFound",
    "PermissionDenied",
    "ReconnectPolicy",
    "ResourceExhausted",
    "StageProgress",
    "Status",
    "SubInstanceInfo",
    "Task",
    "TaskProgress",
    "TaskResult",
    "TaskStatus",
    "TlsConfig",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "WaitTimeout",
    "WatchEvent",
    "WatchInstancesEvent",
]
