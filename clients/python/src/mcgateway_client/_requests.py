"""Request building shared by the sync and asyncio clients: Python values to protos."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

import grpc
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp
from maxcompute.gateway.v1 import instance_pb2
from maxcompute.gateway.v1 import instance_service_pb2 as pb

from ._errors import InvalidArgument
from ._models import Status, status_to_proto

__all__ = [
    "WAIT_GRACE",
    "WAIT_WINDOW",
    "duration",
    "estimate_request",
    "execute_sql_request",
    "list_request",
    "logview_request",
    "new_request_id",
    "queueing_request",
    "request_id_or_new",
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
    """A fresh idempotency key for a submission: a UUID4 in its canonical 36-character form."""
    return str(uuid.uuid4())


def request_id_or_new(request_id: str | None) -> str:
    """``request_id`` checked and in canonical (lower-case) form, or a fresh one when None or
    empty.

    The gateway accepts only UUID4s; a malformed id is refused here, before any call, with
    InvalidArgument, as the gateway would refuse it.
    """
    if not request_id:
        return new_request_id()
    problem = _uuid4_problem(request_id)
    if problem is not None:
        description = f"request_id must be a UUID4 such as {new_request_id()}; {problem}"
        raise InvalidArgument(
            f"invalid request_id {request_id!r}: {description}",
            code=grpc.StatusCode.INVALID_ARGUMENT,
            reason="INVALID_REQUEST",
            field_violations=[("request_id", description)],
        )
    return request_id.lower()


def _uuid4_problem(text: str) -> str | None:
    """Why ``text`` is not a UUID4 in canonical 8-4-4-4-12 form, or None when it is one."""
    if not isinstance(text, str):
        return f"got {type(text).__name__}"
    try:
        value = uuid.UUID(text)
    except ValueError:
        return "it is not a UUID"
    if str(value) != text.lower():
        return "write it in the 36-character form with hyphens (8-4-4-4-12 hex digits)"
    if value.variant != uuid.RFC_4122:
        return "it is not an RFC 4122 UUID"
    if value.version != 4:
        return f"it is a UUID of version {value.version}, not 4"
    return None


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
    """The first-page ListInstancesRequest for these filters (PyODPS's ``start_time`` and
    ``end_time`` bound the instances' start times: ``min_start_time``, ``max_start_time``)."""
    request = pb.ListInstancesRequest(
        project=project,
        state_filter=status_to_proto(status),
        only_owner=only_owner,
        page_size=page_size or 0,
    )
    if start_time is not None:
        request.min_start_time.CopyFrom(timestamp(start_time))
    if end_time is not None:
        request.max_start_time.CopyFrom(timestamp(end_time))
    return request


def logview_request(
    project: str, instance_id: str, hours: int | None
) -> pb.GenerateLogviewAddressRequest:
    """A GenerateLogviewAddressRequest whose ``ttl`` is PyODPS's ``hours`` (None: the gateway's
    default of 720 hours). The gateway refuses ttls outside 1 to 2160 whole hours."""
    request = pb.GenerateLogviewAddressRequest(project=project, instance_id=instance_id)
    if hours is not None:
        request.ttl.FromTimedelta(timedelta(hours=hours))
    return request


def submit_sql_request(
    project: str,
    sql: str,
    hints: Mapping[str, object] | None,
    priority: int | None,
    request_id: str | None,
) -> pb.SubmitSqlRequest:
    """A SubmitSqlRequest with a SqlJob; hint values are stringified (PyODPS accepts numbers and
    booleans). ``request_id`` must be a UUID4; None gets a fresh one."""
    job = instance_pb2.SqlJob(
        query=sql, hints={str(k): _hint_value(v) for k, v in (hints or {}).items()}
    )
    if priority is not None:
        job.priority = priority
    return pb.SubmitSqlRequest(project=project, job=job, request_id=request_id_or_new(request_id))


def execute_sql_request(
    project: str,
    sql: str,
    hints: Mapping[str, object] | None,
    priority: int | None,
    request_id: str | None,
    *,
    stop_on_cancel: bool,
    omit_progress: bool,
    heartbeat: float | None,
) -> pb.ExecuteSqlRequest:
    """An ExecuteSqlRequest: the SqlJob of :func:`submit_sql_request` and how to follow it."""
    submit = submit_sql_request(project, sql, hints, priority, request_id)
    request = pb.ExecuteSqlRequest(
        project=project,
        job=submit.job,
        request_id=submit.request_id,
        stop_on_cancel=stop_on_cancel,
        omit_progress=omit_progress,
    )
    if heartbeat:
        request.heartbeat_interval.CopyFrom(duration(heartbeat))
    return request


def estimate_request(
    project: str, sql: str, hints: Mapping[str, object] | None, priority: int | None
) -> pb.EstimateSqlCostRequest:
    """An EstimateSqlCostRequest with the SqlJob of :func:`submit_sql_request`."""
    job = submit_sql_request(project, sql, hints, priority, None).job
    return pb.EstimateSqlCostRequest(project=project, job=job)


def queueing_request(
    project: str,
    status: Status | str | None,
    only_owner: bool | None,
    quota_index: str | None,
    page_size: int | None,
) -> pb.ListQueueingInfosRequest:
    """The first-page ListQueueingInfosRequest for these filters."""
    return pb.ListQueueingInfosRequest(
        project=project,
        state_filter=status_to_proto(status),
        only_owner=bool(only_owner),
        quota_index=quota_index or "",
        page_size=page_size or 0,
    )


def submit_xflow_request(
    project: str,
    xflow_name: str,
    xflow_project: str,
    parameters: Mapping[str, object] | None,
    hints: Mapping[str, object] | None,
    priority: int | None,
    request_id: str | None,
) -> pb.SubmitXflowRequest:
    """A SubmitXflowRequest with stringified parameters and hints; ``request_id`` must be a
    UUID4, None gets a fresh one."""
    request = pb.SubmitXflowRequest(
        project=project,
        xflow_name=xflow_name,
        xflow_project=xflow_project,
        parameters={str(k): _hint_value(v) for k, v in (parameters or {}).items()},
        hints={str(k): _hint_value(v) for k, v in (hints or {}).items()},
        request_id=request_id_or_new(request_id),
    )
    if priority is not None:
        request.priority = priority
    return request


def _hint_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
