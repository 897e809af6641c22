"""Python client for mcgateway, the gRPC gateway for MaxCompute (ODPS) instances.

``Gateway`` (blocking) and ``AsyncGateway`` (asyncio) offer PyODPS's instance methods::

    from mcgateway_client import Gateway, Instance

    o = Gateway("127.0.0.1:50051", token="...", default_project="demo")
    instance = o.execute_sql("select count(*) from pyodps_iris")
    print(instance.status == Instance.Status.TERMINATED)

Names are imported on first use (PEP 562), so that importing ``mcgateway_client.cli`` can set
grpc's log verbosity before grpc itself is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._aio import (
        AsyncGateway,
    )
    from ._aio_instance import (
        AsyncInstance,
    )
    from ._channel import (
        TlsConfig,
    )
    from ._diagnostics import (
        QueueingInfo,
        SQLCost,
        TaskCost,
        TaskSummary,
        Worker,
    )
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
    from ._gateway import (
        Gateway,
    )
    from ._instance import (
        Instance,
    )
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
    from ._reader import (
        AsyncResultReader,
        Column,
        Record,
        ResultReader,
    )
    from ._settings import (
        InvalidSettings,
        Settings,
        load_settings,
    )
    from ._target import (
        InvalidTarget,
        Target,
        parse_target,
    )
    from ._watch import (
        ReconnectPolicy,
        RetryListener,
    )

_EXPORTS = {
    "Aborted": "._errors",
    "AlreadyExists": "._errors",
    "AsyncGateway": "._aio",
    "AsyncInstance": "._aio_instance",
    "AsyncResultReader": "._reader",
    "Cancelled": "._errors",
    "Column": "._reader",
    "InvalidSettings": "._settings",
    "DeadlineExceeded": "._errors",
    "EXCEPTIONS_BY_CODE": "._errors",
    "EventType": "._models",
    "Gateway": "._gateway",
    "GatewayError": "._errors",
    "Instance": "._instance",
    "InstanceFailed": "._errors",
    "InstanceState": "._models",
    "Internal": "._errors",
    "InvalidArgument": "._errors",
    "InvalidState": "._errors",
    "InvalidTarget": "._target",
    "ListEventType": "._models",
    "NotFound": "._errors",
    "PermissionDenied": "._errors",
    "QueueingInfo": "._diagnostics",
    "Record": "._reader",
    "ReconnectPolicy": "._watch",
    "ResourceExhausted": "._errors",
    "ResultReader": "._reader",
    "RetryListener": "._watch",
    "SQLCost": "._diagnostics",
    "Settings": "._settings",
    "StageProgress": "._models",
    "Status": "._models",
    "SubInstanceInfo": "._models",
    "Target": "._target",
    "Task": "._models",
    "TaskCost": "._diagnostics",
    "TaskProgress": "._models",
    "TaskResult": "._models",
    "TaskStatus": "._models",
    "TaskSummary": "._diagnostics",
    "TlsConfig": "._channel",
    "Unauthenticated": "._errors",
    "Unavailable": "._errors",
    "Unimplemented": "._errors",
    "WaitTimeout": "._errors",
    "WatchEvent": "._models",
    "WatchInstancesEvent": "._models",
    "Worker": "._diagnostics",
    "load_settings": "._settings",
    "parse_target": "._target",
}

__all__ = [
    "EXCEPTIONS_BY_CODE",
    "Aborted",
    "AlreadyExists",
    "AsyncGateway",
    "AsyncInstance",
    "AsyncResultReader",
    "Cancelled",
    "Column",
    "DeadlineExceeded",
    "EventType",
    "Gateway",
    "GatewayError",
    "Instance",
    "InstanceFailed",
    "InstanceState",
    "Internal",
    "InvalidArgument",
    "InvalidSettings",
    "InvalidState",
    "InvalidTarget",
    "ListEventType",
    "NotFound",
    "PermissionDenied",
    "QueueingInfo",
    "ReconnectPolicy",
    "Record",
    "ResourceExhausted",
    "ResultReader",
    "RetryListener",
    "SQLCost",
    "Settings",
    "StageProgress",
    "Status",
    "SubInstanceInfo",
    "Target",
    "Task",
    "TaskCost",
    "TaskProgress",
    "TaskResult",
    "TaskStatus",
    "TaskSummary",
    "TlsConfig",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "WaitTimeout",
    "WatchEvent",
    "WatchInstancesEvent",
    "Worker",
    "load_settings",
    "parse_target",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
