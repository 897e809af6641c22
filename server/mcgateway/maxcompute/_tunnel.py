"""MaxCompute's instance tunnel: download sessions and ranged Arrow reads of a result.

The instance tunnel serves the whole result of a SELECT, past the 10,000 rows of ``?result``
(PyODPS ``instance.open_reader(tunnel=True)``). It lives on its own host, which the service
names per project (``GET /projects/{p}/tunnel?service``); requests to it are signed like every
other one. A read is three steps, as PyODPS makes them:

1. ``POST /projects/{p}/instances/{id}?downloads``: a download session, with the result's
   row count and schema (JSON);
2. ``GET …?data&downloadid=…&rowrange=(start,count)&columns=…&arrow``: a range of rows as
   Arrow IPC record batches without the schema message, framed in checksummed chunks (see
   :func:`deframe_arrow`);
3. the caller prepends the Arrow schema built from the session's schema
   (:func:`mcgateway.maxcompute._arrow_types.arrow_schema`) and reads the batches.

Each ranged read is one bounded HTTP response, so it goes through the requester like every
other call (signing, retries of an idempotent GET, the body-size cap, the caller's deadline);
a reader sizes its ranges to stay far below that cap.
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

import google_crc32c

from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._parsing import MalformedDocument
from mcgateway.maxcompute._requester import Requester, instance_path
from mcgateway.maxcompute._urls import validate_instance_id, validate_project_name

__all__ = ["TUNNEL_VERSION", "DownloadSession", "InstanceTunnel", "TunnelColumn", "deframe_arrow"]

_T = TypeVar("_T")

TUNNEL_VERSION = "6"
"""The ``x-odps-tunnel-version`` PyODPS 0.13 sends; the service shapes its answers by it."""

_CHUNK_HEADER = struct.Struct("!I")


@dataclass(frozen=True, slots=True)
class TunnelColumn:
    """One column of a result as the tunnel's schema gives it."""

    name: str
    type: str
    """MaxCompute's type text in lower case, for example ``decimal(38,18)`` or
    ``array<bigint>``."""


@dataclass(frozen=True, slots=True)
class DownloadSession:
    """A download session of an instance's result: what a ranged read needs."""

    download_id: str
    status: str
    """``NORMAL`` when the session can be read (MaxCompute's other values: ``INITIATING``,
    ``EXPIRED``, ``FAILED``, ``CLOSES``, ``UNKNOWN``)."""
    record_count: int
    columns: tuple[TunnelColumn, ...]


class InstanceTunnel:
    """Reads instance results through the tunnel. Thread-safe; one per upstream client."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester
        self._endpoints: dict[str, str] = {}
        self._lock = threading.Lock()

    def endpoint(self, project: str, *, deadline: Deadline | None = None) -> str:
        """The tunnel's endpoint for ``project`` (``GET /projects/{p}/tunnel?service``),
        asked once per project and remembered, as PyODPS does."""
        validate_project_name(project)
        with self._lock:
            known = self._endpoints.get(project)
        if known is not None:
            return known
        resp = self._requester.call(
            "tunnel_endpoint",
            "GET",
            ["projects", project, "tunnel"],
            actions=["service"],
            project=project,
            deadline=deadline,
        )
        address = self._requester.parse_body("tunnel_endpoint", resp, _tunnel_address)
        scheme = urlsplit(self._requester.endpoint).scheme or "http"
        endpoint = f"{scheme}://{address}".rstrip("/")
        with self._lock:
            self._endpoints[project] = endpoint
        return endpoint

    def create_download(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> DownloadSession:
        """A new download session of the instance's result, with its row count and schema.

        Creating one has no effect upstream beyond the session itself, so a lost answer is
        safely retried."""
        return self._instance_call(
            "create_download_session",
            "POST",
            project,
            instance_id,
            _download_session,
            actions=["downloads"],
            deadline=deadline,
        )

    def read_arrow(
        self,
        project: str,
        instance_id: str,
        download_id: str,
        start: int,
        count: int,
        columns: Sequence[str] = (),
        *,
        deadline: Deadline | None = None,
    ) -> bytes:
        """Rows ``[start, start + count)`` of the result as Arrow IPC record-batch messages
        (no schema message), checksums verified. ``columns`` projects by name."""
        params = [("downloadid", download_id), ("rowrange", f"({start},{count})")]
        if columns:
            params.append(("columns", ",".join(columns)))
        return self._instance_call(
            "read_download_range",
            "GET",
            project,
            instance_id,
            deframe_arrow,
            actions=["data"],
            params=[*params, ("arrow", "")],
            deadline=deadline,
        )

    def _instance_call(
        self,
        operation: str,
        method: str,
        project: str,
        instance_id: str,
        parser: Callable[[bytes], _T],
        *,
        actions: Sequence[str],
        params: Sequence[tuple[str, str]] = (),
        deadline: Deadline | None,
    ) -> _T:
        """One request about an instance to the project's tunnel (signed, with the tunnel
        version header; retried like a read, since neither request changes anything but a
        session), its answer parsed with ``parser``."""
        validate_instance_id(instance_id)
        resp = self._requester.call(
            operation,
            method,
            instance_path(project, instance_id),
            actions=actions,
            params=params,
            body=b"" if method == "POST" else None,
            project=project,
            instance_id=instance_id,
            deadline=deadline,
            idempotent=True,
            endpoint=self.endpoint(project, deadline=deadline),
            headers={"x-odps-tunnel-version": TUNNEL_VERSION},
        )
        return self._requester.parse_body(operation, resp, parser)


def deframe_arrow(body: bytes) -> bytes:
    """The Arrow bytes of a tunnel Arrow answer, every chunk's CRC32C verified.

    The framing (PyODPS ``ArrowStreamReader``): a 4-byte big-endian chunk size, then chunks of
    that many data bytes each followed by the big-endian CRC32C of the chunk; the last chunk
    is shorter and its checksum covers all the data of the answer. A checksum that does not
    match, or a cut answer, raises :class:`MalformedDocument` (a transient upstream failure).
    """
    if not body:
        return b""
    if len(body) < _CHUNK_HEADER.size:
        raise MalformedDocument("tunnel arrow answer shorter than its chunk header")
    (chunk_size,) = _CHUNK_HEADER.unpack_from(body)
    if chunk_size <= 0:
        raise MalformedDocument(f"tunnel arrow chunk size {chunk_size} is not positive")
    pieces: list[bytes] = []
    total_crc = 0
    position = _CHUNK_HEADER.size
    while position < len(body):
        frame_end = min(position + chunk_size + 4, len(body))
        if frame_end - position < 4:
            raise MalformedDocument("tunnel arrow answer cut inside a checksum")
        data = body[position : frame_end - 4]
        (expected,) = _CHUNK_HEADER.unpack_from(body, frame_end - 4)
        total_crc = google_crc32c.extend(total_crc, data)
        last = frame_end - position < chunk_size + 4
        actual = total_crc if last else google_crc32c.value(data)
        if actual != expected:
            raise MalformedDocument("tunnel arrow chunk checksum mismatch")
        pieces.append(data)
        position = frame_end
        if last:
            total_crc = 0  # PyODPS starts a new running checksum after a short chunk.
    return b"".join(pieces)


def _tunnel_address(body: bytes) -> str:
    address = body.decode("utf-8", "replace").strip()
    if not address or any(c.isspace() for c in address) or "/" in address.split(":", 1)[0]:
        raise MalformedDocument(f"not a tunnel address: {address[:80]!r}")
    return address


def _download_session(body: bytes) -> DownloadSession:
    try:
        doc = json.loads(body)
        schema = doc.get("Schema") or {}
        columns = tuple(
            TunnelColumn(str(c["name"]), str(c["type"]).lower())
            for c in schema.get("columns") or ()
        )
        return DownloadSession(
            download_id=str(doc["DownloadID"]),
            status=str(doc.get("Status", "")).upper(),
            record_count=int(doc.get("RecordCount", 0)),
            columns=columns,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MalformedDocument(f"not a download session: {exc}") from exc
