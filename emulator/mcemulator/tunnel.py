"""The instance tunnel: download sessions on a SELECT's stored result, and ranged reads.

Served on the emulator's own endpoint (discovery answers ``host:port/api``), as
``POST /projects/{p}/instances/{id}?downloads`` (create a session), ``GET ...?downloadid=``
(reload it) and ``GET ...?data&downloadid=&rowrange=(start,count)[&columns=][&arrow]``.
Errors are the tunnel's JSON ``{"Code", "Message"}`` documents, which both PyODPS and the
Java SDK parse.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyarrow as pa
from aiohttp import web

from mcemulator import errors, results, tunnel_wire
from mcemulator.engine import Engine
from mcemulator.model import Instance, InstanceStatus, TaskStatus

REQUEST_ID = web.RequestKey("request_id", str)
"""The request's ``x-odps-request-id``, set by the app: streamed answers send headers early."""
LIMITED_ROWS = 10000
"""Rows a session with ``instance_tunnel_limit_enabled`` may read, as on the service."""
_ROWS_PER_BATCH = 8192
_MAX_SESSIONS = 4096
_RANGE = re.compile(r"^\((\d+),(\d+)\)$")


class TunnelError(errors.ServiceError):
    """An error the tunnel answers as JSON."""


@dataclass(frozen=True)
class Session:
    """A download session: which instance it reads and how many rows it exposes."""

    id: str
    project: str
    instance_id: str
    count: int
    schema: pa.Schema
    created: float


def _json_error(exc: errors.ServiceError) -> web.Response:
    return web.json_response({"Code": exc.code, "Message": exc.message}, status=exc.status)


class InstanceTunnel:
    """Download sessions (in memory, most recent kept) over the engine's stored results."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        # Encoding is CPU work: off the loop, a few responses at a time.
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="mcemu-tunnel")

    def close(self) -> None:
        """Stop the encoding threads."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _result(self, inst: Instance) -> pa.Table:
        """The instance's stored SELECT result, or the tunnel's error saying why not."""
        if inst.status != InstanceStatus.TERMINATED:
            raise TunnelError(
                400,
                "InstanceNotTerminate",
                f"ODPS-0420031: Instance not terminated - {inst.id} is {inst.status.value}; "
                "its result can be downloaded once it has terminated",
            )
        failed = next((t for t in inst.tasks if t.status != TaskStatus.SUCCESS), None)
        if failed is not None:
            raise TunnelError(
                400,
                "TaskFailed",
                f"ODPS-0420031: Task failed - {failed.name} is {failed.status.value}: "
                f"{failed.result[:500]}",
            )
        table = self.engine.results.open(inst.id)
        if table is None:
            raise TunnelError(
                400,
                "InvalidArgument",
                f"ODPS-0420031: Invalid argument - instance {inst.id} has no SELECT result "
                "to download (only a query's result rows can be read through the tunnel)",
            )
        return table

    def _session(self, project: str, instance_id: str, download_id: str) -> Session:
        session = self._sessions.get(download_id)
        if session is None or session.project != project or session.instance_id != instance_id:
            raise TunnelError(404, "NoSuchDownload", f"Download session not found - {download_id}")
        return session

    @staticmethod
    def _document(session: Session) -> dict[str, object]:
        return {
            "DownloadID": session.id,
            "Status": "normal",
            "RecordCount": session.count,
            "Schema": results.table_schema_json(session.schema),
            "QuotaName": "",
            "SupportReadByRawSize": False,
        }

    async def create(self, project: str, instance_id: str, params: dict[str, str]) -> web.Response:
        """``POST ?downloads``: a new session on the instance's result."""
        try:
            inst = self.engine.get(project, instance_id)
            table = self._result(inst)
            count = table.num_rows
            if "instance_tunnel_limit_enabled" in params:
                count = min(count, LIMITED_ROWS)
            session = Session(
                time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(8),
                project,
                instance_id,
                count,
                table.schema,
                time.time(),
            )
            self._sessions[session.id] = session
            while len(self._sessions) > _MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return web.json_response(self._document(session), status=201)
        except errors.ServiceError as exc:
            return _json_error(exc)

    async def reload(self, project: str, instance_id: str, params: dict[str, str]) -> web.Response:
        """``GET ?downloadid=``: the session as created."""
        try:
            self.engine.get(project, instance_id)
            session = self._session(project, instance_id, params["downloadid"])
            return web.json_response(self._document(session))
        except errors.ServiceError as exc:
            return _json_error(exc)

    async def read(
        self, request: web.Request, project: str, instance_id: str, params: dict[str, str]
    ) -> web.StreamResponse:
        """``GET ?data``: rows ``rowrange`` of the session, as records or Arrow."""
        try:
            self.engine.get(project, instance_id)
            session = self._session(project, instance_id, params["downloadid"])
            start, count = self._range(params.get("rowrange", ""), session.count)
            names = self._columns(params.get("columns", ""), session.schema, "arrow" in params)
            table = self.engine.results.open(instance_id)
            if table is None:  # removed since the session was created
                raise TunnelError(404, "NoSuchDownload", f"Result of {instance_id} is gone")
        except errors.ServiceError as exc:
            return _json_error(exc)
        selected = table.select(names).slice(start, count)
        arrow = "arrow" in params
        deflate = "deflate" in request.headers.get("Accept-Encoding", "").lower()
        headers = {
            "Content-Type": "application/octet-stream",
            "x-odps-request-id": request.get(REQUEST_ID, ""),
        }
        if deflate:
            headers["Content-Encoding"] = "deflate"
        response = web.StreamResponse(status=200, headers=headers)
        await response.prepare(request)
        pump = _Pump(_body(selected, arrow), deflate)
        loop = asyncio.get_running_loop()
        while True:
            data = await loop.run_in_executor(self._pool, pump.next)
            if data is None:
                break
            if data:
                await response.write(data)
        await response.write_eof()
        return response

    @staticmethod
    def _range(raw: str, total: int) -> tuple[int, int]:
        match = _RANGE.match(raw.replace(" ", ""))
        if match is None:
            raise TunnelError(400, "InvalidRowRange", f"Invalid row range - {raw or '(empty)'}")
        start, count = int(match.group(1)), int(match.group(2))
        if start > total or start + count > total:
            raise TunnelError(
                400,
                "InvalidRowRange",
                f"Row range ({start},{count}) is out of the session's {total} records",
            )
        return start, count

    @staticmethod
    def _columns(raw: str, schema: pa.Schema, arrow: bool) -> list[str]:
        if not raw:
            return list(schema.names)
        wanted = raw.split(",")
        unknown = [c for c in wanted if c not in schema.names]
        if unknown:
            raise TunnelError(400, "InvalidColumnSpec", f"Column not found - {', '.join(unknown)}")
        # Records follow the requested order; PyODPS's Arrow reader expects table order.
        return [n for n in schema.names if n in wanted] if arrow else wanted


def _body(table: pa.Table, arrow: bool) -> Iterator[bytes]:
    wire_schema = results.wire_schema(table.schema)

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in table.to_batches(max_chunksize=_ROWS_PER_BATCH):
            arrays = [results.to_wire(batch.column(i), f.type) for i, f in enumerate(table.schema)]
            yield pa.RecordBatch.from_arrays(arrays, schema=wire_schema)

    if arrow:
        return tunnel_wire.arrow_stream(batches())
    return tunnel_wire.record_stream(batches(), wire_schema)


class _Pump:
    """Pulls the body piece by piece (compressed if asked); run in the encoding threads."""

    def __init__(self, chunks: Iterator[bytes], deflate: bool) -> None:
        self._chunks = chunks
        self._compressor = zlib.compressobj() if deflate else None
        self._done = False

    def next(self) -> bytes | None:
        """The next piece, or None once everything was returned."""
        if self._done:
            return None
        try:
            data = next(self._chunks)
        except StopIteration:
            self._done = True
            return self._compressor.flush() if self._compressor is not None else None
        return self._compressor.compress(data) if self._compressor is not None else data
