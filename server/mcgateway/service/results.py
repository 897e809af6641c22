"""ReadInstanceResult: a SELECT's result rows through MaxCompute's instance tunnel.

The handler checks the request and the instance first (terminated, the task succeeded), then
opens a tunnel download session, sends the schema and row counts, and streams the rows in
batches bounded in bytes, each with the offset of its first row so that a broken stream
resumes where it stopped. Upstream reads are ranges sized to about :data:`RANGE_BYTES` of
Arrow data, read on the upstream thread pool one range ahead of what the caller has taken:
at most :data:`READ_AHEAD` ranges wait in memory, and grpc's flow control makes a slow
reader hold the producer back, so the gateway's memory stays bounded whatever the result's
size (see docs/ARCHITECTURE.md, "Reading results").
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from dataclasses import dataclass

import grpc
import pyarrow as pa
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, result_pb2

from mcgateway import maxcompute as mc
from mcgateway.errors import GatewayError, Reason
from mcgateway.service import validation
from mcgateway.service.chokepoint import Call
from mcgateway.service.depth import InstanceView, task_not_found
from mcgateway.service.result_rows import encode_message, slice_by_bytes
from mcgateway.upstream import Upstream

__all__ = [
    "MESSAGE_BYTES",
    "RANGE_BYTES",
    "READ_AHEAD",
    "ROWS_MESSAGE_BYTES",
    "ROWS_RANGE_BYTES",
    "ResultRpcs",
]

pb = instance_service_pb2
Format = pb.ReadInstanceResultRequest.Format

RANGE_BYTES = 4 * 1024 * 1024
"""Arrow bytes asked of the tunnel per ranged read for format ARROW (the first range is sized
by row count, later ones by the bytes per row seen so far)."""
ROWS_RANGE_BYTES = 1024 * 1024
"""The same for typed rows, whose encoding on the gateway is the slower step: smaller ranges
keep what waits in memory small without slowing the stream."""
FIRST_RANGE_ROWS = 4096
"""Rows of the first ranged read, before the row size is known."""
READ_AHEAD = 2
"""Ranges read ahead of the caller at most."""
MESSAGE_BYTES = 1024 * 1024
"""Arrow bytes per streamed ARROW message at most (far below gRPC's default 4 MiB limit)."""
ROWS_MESSAGE_BYTES = 256 * 1024
"""Arrow bytes encoded into one typed-rows message at most: typed rows are built as one
protobuf object per value before they are serialized, several times the Arrow size, so
their slices are smaller to keep that transient memory small."""

_Messages = list[bytes]
"""Serialized ReadInstanceResultResponse messages: encoded on the upstream pool, so the
gateway holds compact wire bytes (not message objects) while they wait, and the streaming
handler's pass-through serializer sends them as they are (``add_instance_service``)."""

_SQL_TASK_TYPES = frozenset({"SQL", "SQLRT", "AnonymousSQL"})
_FAILED_TASK_STATES = frozenset({instance_pb2.Task.FAILED, instance_pb2.Task.CANCELLED})


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one call reads: the session, the projected columns and the row window."""

    instance_id: str
    session: mc.DownloadSession
    columns: tuple[mc.TunnelColumn, ...]
    schema: pa.Schema
    start: int
    end: int


class ResultRpcs:
    """The ReadInstanceResult handler (see the module docstring)."""

    def __init__(self, *, upstream: Upstream, instance_view: InstanceView) -> None:
        self._upstream = upstream
        self._instance_view = instance_view

    async def ReadInstanceResult(self, call: Call, request: pb.ReadInstanceResultRequest) -> None:
        """Stream the schema, then the rows in byte-bounded batches (see the module)."""
        arrow = _check_request(request)
        instance = await self._instance_view(call, request.instance_id)
        _check_readable(call.project, instance, request.task_name)
        plan = await self._plan(call, request)
        first = pb.ReadInstanceResultResponse(
            schema=result_pb2.ResultSchema(
                columns=[result_pb2.ResultColumn(name=c.name, type=c.type) for c in plan.columns],
                arrow_schema=plan.schema.serialize().to_pybytes() if arrow else b"",
            ),
            total_row_count=plan.session.record_count,
            selected_row_count=plan.end - plan.start,
            row_offset=plan.start,
        )
        await call.context.write(first)
        reader = _RangeReader(self._upstream, call, plan, arrow)
        try:
            async for message in reader:
                await call.context.write(message)
        finally:
            await reader.aclose()

    async def _plan(self, call: Call, request: pb.ReadInstanceResultRequest) -> _Plan:
        up = self._upstream
        try:
            session = await up.run(
                up.client.tunnel.create_download,
                call.project,
                request.instance_id,
                deadline=up.deadline(call.time_remaining()),
            )
        except mc.MaxComputeError as exc:
            raise _session_refused(call.project, request.instance_id, exc) from exc
        by_name = {c.name: c for c in session.columns}
        v = validation.Violations()
        for index, name in enumerate(request.columns):
            if name not in by_name:
                v.add(f"columns[{index}]", f"the result has no column {name!r}")
        if request.offset > session.record_count:
            v.add(
                "offset",
                f"{request.offset} is past the end of the result ({session.record_count} rows)",
            )
        v.raise_if_any()
        columns = tuple(by_name[n] for n in request.columns) or session.columns
        schema = mc.arrow_schema([(c.name, c.type) for c in columns])
        end = session.record_count
        if request.limit:
            end = min(end, request.offset + request.limit)
        return _Plan(request.instance_id, session, columns, schema, request.offset, end)


class _RangeReader:
    """Async iterator of the plan's messages, read range by range on the upstream pool (the
    read, the checksum and the encoding all off the event loop), at most :data:`READ_AHEAD`
    ranges ahead of the consumer."""

    def __init__(self, upstream: Upstream, call: Call, plan: _Plan, arrow: bool) -> None:
        self._upstream = upstream
        self._call = call
        self._plan = plan
        self._arrow = arrow
        self._queue: asyncio.Queue[_Messages | BaseException | None] = asyncio.Queue(READ_AHEAD)
        self._producer: asyncio.Task[None] | None = None
        self._pending: collections.deque[bytes] = collections.deque()

    def __aiter__(self) -> _RangeReader:
        return self

    async def __anext__(self) -> bytes:
        if self._producer is None:
            self._producer = asyncio.create_task(self._produce())
        while not self._pending:
            item = await self._queue.get()
            if item is None:
                raise StopAsyncIteration
            if isinstance(item, BaseException):
                raise item
            self._pending.extend(item)
        return self._pending.popleft()

    async def aclose(self) -> None:
        """Stop reading ahead (the call ended)."""
        if self._producer is not None:
            self._producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._producer

    async def _produce(self) -> None:
        plan, up, call = self._plan, self._upstream, self._call
        position, rows = plan.start, FIRST_RANGE_ROWS
        try:
            while position < plan.end:
                count = min(rows, plan.end - position)
                messages, size = await up.run(
                    self._read_range, position, count, deadline=up.deadline(call.time_remaining())
                )
                await self._queue.put(messages)
                position += count
                if size:
                    target = RANGE_BYTES if self._arrow else ROWS_RANGE_BYTES
                    rows = max(1, min(1_000_000, target * count // size))
            await self._queue.put(None)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # handed to the consumer, which raises it in the call
            await self._queue.put(exc)

    def _read_range(
        self, start: int, count: int, *, deadline: mc.Deadline
    ) -> tuple[_Messages, int]:
        """Read rows ``[start, start + count)`` and encode them (runs on the upstream pool);
        also returns the Arrow bytes read, to size the next range."""
        plan = self._plan
        data = self._upstream.client.tunnel.read_arrow(
            self._call.project,
            plan.instance_id,
            plan.session.download_id,
            start,
            count,
            [c.name for c in plan.columns],
            deadline=deadline,
        )
        batches = mc.decode_arrow(
            data,
            [(c.name, c.type) for c in plan.session.columns],
            [c.name for c in plan.columns],
        )
        got = sum(b.num_rows for b in batches)
        if got != count:
            raise GatewayError(
                grpc.StatusCode.UNAVAILABLE,
                Reason.UPSTREAM_UNAVAILABLE,
                f"the instance tunnel answered {got} rows for the range ({start},{count}); "
                f"read again from offset {start}",
                metadata={"project": self._call.project, "instance_id": plan.instance_id},
            )
        messages: _Messages = []
        offset = start
        bound = MESSAGE_BYTES if self._arrow else ROWS_MESSAGE_BYTES
        for batch in batches:
            for piece in slice_by_bytes(batch, bound):
                messages.append(encode_message(offset, piece, arrow=self._arrow))
                offset += piece.num_rows
        return messages, len(data)


_SESSION_REFUSALS = {
    # The tunnel's answers when it has no rows to give (a race with GetInstance's view, or a
    # statement that is not a query: the service answers InvalidArgument so that PyODPS
    # falls back to the ?result text).
    "InstanceNotTerminate": Reason.INSTANCE_NOT_TERMINATED,
    "TaskFailed": Reason.TASK_FAILED,
    "InvalidArgument": Reason.RESULT_NOT_TABULAR,
}


def _session_refused(project: str, instance_id: str, exc: mc.MaxComputeError) -> Exception:
    """FAILED_PRECONDITION for a download session the tunnel refused because the instance
    has no rows to read; any other failure as it is."""
    reason = _SESSION_REFUSALS.get(exc.code)
    if reason is None:
        return exc
    return GatewayError(
        grpc.StatusCode.FAILED_PRECONDITION,
        reason,
        f"the result of instance {instance_id} cannot be read through the instance tunnel: "
        f"{exc.message}",
        metadata={"project": project, "instance_id": instance_id, "maxcompute_code": exc.code},
    )


def _check_request(request: pb.ReadInstanceResultRequest) -> bool:
    """Validate the request; True when the caller asked for Arrow."""
    v = validation.Violations()
    validation.check_instance_id(v, request.instance_id)
    if request.task_name:
        validation.check_task_name(v, request.task_name)
    if request.offset < 0:
        v.add("offset", f"must not be negative, got {request.offset}")
    if request.limit < 0:
        v.add("limit", f"must not be negative (0 reads to the end), got {request.limit}")
    seen: set[str] = set()
    for index, name in enumerate(request.columns):
        if not name:
            v.add(f"columns[{index}]", "must not be empty")
        elif name in seen:
            v.add(f"columns[{index}]", f"column {name!r} is named twice")
        seen.add(name)
    if request.format not in Format.values():
        v.add("format", f"unknown format {request.format}; use ROWS or ARROW")
    v.raise_if_any()
    return request.format == Format.ARROW


def _check_readable(project: str, instance: instance_pb2.Instance, task_name: str) -> None:
    """FAILED_PRECONDITION unless the instance terminated and its (SQL) task succeeded."""
    instance_id = instance.instance_id
    meta = {"project": project, "instance_id": instance_id}
    if instance.state != instance_pb2.Instance.TERMINATED:
        state = instance_pb2.Instance.State.Name(instance.state)
        raise GatewayError(
            grpc.StatusCode.FAILED_PRECONDITION,
            Reason.INSTANCE_NOT_TERMINATED,
            f"instance {instance_id} is {state}; its result can be read once it has "
            "terminated (WaitInstance or WatchInstance tell when)",
            metadata=meta,
        )
    if task_name:
        task = next((t for t in instance.tasks if t.name == task_name), None)
        if task is None:
            raise task_not_found(project, instance_id, task_name)
    else:
        sql = [t for t in instance.tasks if t.type in _SQL_TASK_TYPES]
        if len(sql) != 1:
            raise GatewayError(
                grpc.StatusCode.FAILED_PRECONDITION,
                Reason.RESULT_NOT_TABULAR,
                f"instance {instance_id} has {'no' if not sql else len(sql)} SQL tasks; "
                "only a SQL query's result has rows to read"
                + ("" if not sql else " (name the task in task_name)"),
                metadata=meta,
            )
        task = sql[0]
    if task.state in _FAILED_TASK_STATES:
        state = instance_pb2.Task.State.Name(task.state)
        detail = f": {instance.failure_message}" if instance.failure_message else ""
        raise GatewayError(
            grpc.StatusCode.FAILED_PRECONDITION,
            Reason.TASK_FAILED,
            f"task {task.name} of instance {instance_id} is {state} and has no result{detail}",
            metadata={**meta, "task_name": task.name},
        )
