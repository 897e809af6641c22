"""Request building shared by the sync and asyncio clients: Python values to protos."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp
from maxcompute.gateway.v1 import instance_service_pb2 as pb

from ._models import Status, status_to_proto

__all__ = [
    "WAIT_GRACE",
    "WAIT_WINDOW",
    "duration",
    "list_request",
    "new_request_id",
    "split_ref",
    "submit_sql_request",
    "submit_xflow_request",
    "timestamp",
]


@runtime_checkable
class _Ref(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def project(self) -> str: ...


def split_ref(ref: str | _Ref, project: str | None) -> tuple[str, str | None]:
    """The instance id and project of an instance given by id or as an (Async)Instance;
    an explicit ``project`` wins over the instance's own."""
    if isinstance(ref, _Ref):
        return ref.id, project or ref.project or None
    return ref, project


WAIT_WINDOW = 30.0
"""Seconds asked of one WaitInstance call: the server's cap, so each call can wait fully."""
WAIT_GRACE = 15.0
"""Extra seconds of call deadline beyond the wait window, so the server answers before it."""


def new_request_id() -> str:
    """A fresh idempotency key for a submission."""
    return uuid.uuid4().hex


def duration(seconds: float) -> Duration:
    """A protobuf Duration of ``seconds``."""
    value = Duration()
    value.FromTimedelta(timedelta(seconds=seconds))
    return value


def timestamp(moment: datetime) -> Timestamp:
    """A protobuf Timestamp; a naive datetime is taken as local time, as PyODPS does."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    value = Timestamp()
    value.FromDatetime(moment)
    return value


def list_request(
    project: str,
    status: Status | str | None,
    only_owner: bool,
    start_time: datetime | None,
    end_time: datetime | None,
    page_size: int | None,
) -> pb.ListInstancesRequest:
    """The first-page ListInstancesRequest for these filters."""
    request = pb.ListInstancesRequest(
        project=project,
        status=status_to_proto(status),
        only_owner=only_owner,
        page_size=page_size or 0,
    )
    if start_time is not None:
        request.start_time.CopyFrom(timestamp(start_time))
    if end_time is not None:
        request.end_time.CopyFrom(timestamp(end_time))
    return request


def submit_sql_request(
    project: str,
    sql: str,
    hints: Mapping[str, object] | None,
    priority: int | None,
    request_id: str | None,
) -> pb.SubmitSqlRequest:
    """A SubmitSqlRequest; hint values are stringified (PyODPS accepts numbers and booleans)."""
    request = pb.SubmitSqlRequest(
        project=project,
        query=sql,
        hints={str(k): _hint_value(v) for k, v in (hints or {}).items()},
        request_id=request_id or new_request_id(),
    )
    if priority is not None:
        request.priority = priority
    return request


def submit_xflow_request(
    project: str,
    xflow_name: str,
    xflow_project: str,
    parameters: Mapping[str, object] | None,
    hints: Mapping[str, object] | None,
    priority: int | None,
    request_id: str | None,
) -> pb.SubmitXflowRequest:
    """A SubmitXflowRequest with stringified parameters and hints."""
    request = pb.SubmitXflowRequest(
        project=project,
        xflow_name=xflow_name,
        xflow_project=xflow_project,
        parameters={str(k): _hint_value(v) for k, v in (parameters or {}).items()},
        hints={str(k): _hint_value(v) for k, v in (hints or {}).items()},
        request_id=request_id or new_request_id(),
    )
    if priority is not None:
        request.priority = priority
    return request


def _hint_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
