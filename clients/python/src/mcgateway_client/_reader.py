"""Reading a SELECT's result rows, PyODPS-shaped: ``with instance.open_reader() as reader``.

The reader streams ``ReadInstanceResult``: the first message carries the schema and the row
count, later ones batches of rows with the offset of their first row. Iterating yields
:class:`Record` objects (``record["name"]``, ``record[0]``) decoded from typed rows, so it
needs nothing but protobuf; :meth:`ResultReader.to_arrow` and :meth:`ResultReader.to_pandas`
read Arrow record batches instead (the ``arrow`` / ``pandas`` extras). A stream the gateway
ends with UNAVAILABLE (restart, network loss) is resumed at the next row, so no row is lost
or repeated.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import functools
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from maxcompute.gateway.v1 import instance_service_pb2 as pb
from maxcompute.gateway.v1 import result_pb2

from ._errors import Unavailable
from ._watch import ReconnectPolicy

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["AsyncResultReader", "Column", "Record", "ResultReader", "read_request"]

Format = pb.ReadInstanceResultRequest.Format
_UTC = datetime.UTC
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


@dataclass(frozen=True)
class Column:
    """One column of a result: its name and MaxCompute type (``bigint``, ``decimal(10,2)``…)."""

    name: str
    type: str


class Record:
    """One row, addressable by column name or index like a PyODPS record."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: list[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key]]
            except KeyError:
                raise KeyError(f"no column {key!r}; columns: {', '.join(self._index)}") from None
        return self._values[key]

    def get(self, name: str, default: Any = None) -> Any:
        """The value of column ``name``, or ``default`` when there is no such column."""
        index = self._index.get(name)
        return default if index is None else self._values[index]

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._index)

    @property
    def values(self) -> list[Any]:
        """The values, in column order."""
        return list(self._values)

    def to_dict(self) -> dict[str, Any]:
        """``{column: value}`` in column order."""
        return dict(zip(self._index, self._values, strict=True))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self._values == other._values and list(self._index) == list(other._index)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v!r}" for k, v in zip(self._index, self._values, strict=True))
        return f"Record({body})"


OpenStream = Callable[[pb.ReadInstanceResultRequest], Iterator[pb.ReadInstanceResultResponse]]
"""Opens one ReadInstanceResult stream (the sync transport)."""
OpenAsyncStream = Callable[
    [pb.ReadInstanceResultRequest], AsyncIterator[pb.ReadInstanceResultResponse]
]
"""Opens one ReadInstanceResult stream (the asyncio transport)."""


class _Cursor:
    """Where one read stands, shared by the sync and asyncio readers: the request of each
    stream, the header (schema and counts), the next row expected, and how long to wait before
    resuming after the gateway answered UNAVAILABLE."""

    def __init__(
        self,
        request: pb.ReadInstanceResultRequest,
        reconnect: ReconnectPolicy | None,
        rng: Callable[[], float] | None,
    ) -> None:
        self._request = request
        self._reconnect = reconnect or ReconnectPolicy()
        self._rng = rng or random.random
        self.header: pb.ReadInstanceResultResponse | None = None
        self.format: int = Format.ROWS
        self.position = 0
        self.end = 0
        self._attempt = 0
        self._failing_since = 0.0

    @property
    def done(self) -> bool:
        """True once every selected row was taken."""
        return self.header is not None and self.position >= self.end

    def request(self, fmt: int) -> pb.ReadInstanceResultRequest:
        """The request of the next stream: the caller's, from the next row once one was read."""
        request = pb.ReadInstanceResultRequest()
        request.CopyFrom(self._request)
        request.format = fmt  # type: ignore[assignment]
        if self.header is not None:
            request.offset = self.position
            request.limit = self.end - self.position
        return request

    def start(self, fmt: int, header: pb.ReadInstanceResultResponse) -> None:
        """A stream opened: keep its header (the first one) or check that it resumes here."""
        if self.header is None:
            self.header = header
            self.position = header.row_offset
            self.end = header.row_offset + header.selected_row_count
        elif header.row_offset != self.position:
            raise Unavailable(
                f"result stream resumed at row {header.row_offset}, not {self.position}"
            )
        self.format = fmt

    def take(self, message: pb.ReadInstanceResultResponse) -> None:
        """A batch arrived: it must start at the next row."""
        if message.row_offset != self.position:
            raise Unavailable(
                f"result stream skipped from row {self.position} to {message.row_offset}"
            )
        self.position += message.row_count
        self._attempt = 0

    def ended(self) -> None:
        """The stream ended: early is UNAVAILABLE (resumed like a broken stream)."""
        if not self.done:
            raise Unavailable(f"result stream ended at row {self.position} of {self.end}")

    def pause_after(self, error: Unavailable, now: float) -> float:
        """Seconds to wait before resuming after ``error``, or ``error`` raised when the
        reconnect policy gives up."""
        self._attempt += 1
        if self._attempt == 1:
            self._failing_since = now
        return self._reconnect.next_delay(
            self._attempt, error, now - self._failing_since, self._rng
        )

    def columns(self) -> list[Column]:
        """The header's columns."""
        assert self.header is not None
        return [Column(c.name, c.type) for c in self.header.schema.columns]

    def records(self, message: pb.ReadInstanceResultResponse) -> Iterator[Record]:
        """The records of a typed-rows batch."""
        assert self.header is not None
        columns = self.header.schema.columns
        index = {c.name: i for i, c in enumerate(columns)}
        types = [c.type for c in columns]
        for row in message.row_batch.rows:
            yield Record(index, [_value(v, t) for v, t in zip(row.values, types, strict=True)])

    def arrow_batches(self, message: pb.ReadInstanceResultResponse) -> Iterator[Any]:
        """The Arrow record batches of an Arrow batch message."""
        assert self.header is not None
        pa = _pyarrow()
        data = self.header.schema.arrow_schema + message.arrow_record_batch.serialized_record_batch
        with pa.ipc.open_stream(data) as stream:
            yield from stream

    def arrow_schema(self) -> Any:
        """The header's Arrow schema."""
        assert self.header is not None
        pa = _pyarrow()
        return pa.ipc.read_schema(pa.py_buffer(self.header.schema.arrow_schema))


class ResultReader:
    """The rows of an instance's result (see the module docstring).

    ``count`` is the number of rows this reader yields (after ``start``/``limit``);
    ``total_count`` the rows of the whole result; ``schema`` the columns. Use it as a context
    manager (or call :meth:`close`) to end an unfinished stream.
    """

    def __init__(
        self,
        open_stream: OpenStream,
        request: pb.ReadInstanceResultRequest,
        *,
        reconnect: ReconnectPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: Callable[[], float] | None = None,
    ) -> None:
        self._open = open_stream
        self._cursor = _Cursor(request, reconnect, rng)
        self._sleep = sleep or time.sleep
        self._stream: Iterator[pb.ReadInstanceResultResponse] | None = None

    def __enter__(self) -> ResultReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """End the stream if one is open (cancels the call at the gateway)."""
        stream, self._stream = self._stream, None
        close = getattr(stream, "close", None)
        if close is not None:
            close()

    @property
    def count(self) -> int:
        """Rows this reader yields (after ``start`` and ``limit``)."""
        return int(self._header().selected_row_count)

    @property
    def total_count(self) -> int:
        """Rows of the whole result."""
        return int(self._header().total_row_count)

    @property
    def schema(self) -> list[Column]:
        """The columns, in order."""
        self._header()
        return self._cursor.columns()

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Record]:
        for message in self._messages(Format.ROWS):
            yield from self._cursor.records(message)

    def iter_batches(self) -> Iterator[pyarrow.RecordBatch]:
        """The rows as Arrow record batches (needs pyarrow: the ``arrow`` extra)."""
        for message in self._messages(Format.ARROW):
            yield from self._cursor.arrow_batches(message)

    def to_arrow(self) -> pyarrow.Table:
        """All rows as one ``pyarrow.Table`` (the ``arrow`` extra)."""
        batches = list(self.iter_batches())
        return _pyarrow().Table.from_batches(batches, schema=self._cursor.arrow_schema())

    def to_pandas(self) -> pandas.DataFrame:
        """All rows as a ``pandas.DataFrame`` (the ``pandas`` extra), read as Arrow."""
        return self.to_arrow().to_pandas()

    def _header(self, fmt: int = Format.ROWS) -> pb.ReadInstanceResultResponse:
        if self._cursor.header is None:
            self._open_stream(fmt)
        assert self._cursor.header is not None
        return self._cursor.header

    def _open_stream(self, fmt: int) -> None:
        self.close()
        stream = self._open(self._cursor.request(fmt))
        self._stream = stream
        self._cursor.start(fmt, next(stream))

    def _messages(self, fmt: int) -> Iterator[pb.ReadInstanceResultResponse]:
        """The row messages in order from the next row, resuming after UNAVAILABLE."""
        cursor = self._cursor
        self._header(fmt)
        while not cursor.done:
            try:
                if self._stream is None or cursor.format != fmt:
                    self._open_stream(fmt)
                assert self._stream is not None
                for message in self._stream:
                    cursor.take(message)
                    yield message
                cursor.ended()
            except Unavailable as error:
                self.close()
                self._sleep(cursor.pause_after(error, time.monotonic()))
        self.close()


class AsyncResultReader:
    """The asyncio form of :class:`ResultReader`: ``async with``, ``async for record in
    reader``, ``await reader.count()``, ``await reader.to_arrow()``."""

    def __init__(
        self,
        open_stream: OpenAsyncStream,
        request: pb.ReadInstanceResultRequest,
        *,
        reconnect: ReconnectPolicy | None = None,
        rng: Callable[[], float] | None = None,
    ) -> None:
        self._open = open_stream
        self._cursor = _Cursor(request, reconnect, rng)
        self._stream: AsyncIterator[pb.ReadInstanceResultResponse] | None = None

    async def __aenter__(self) -> AsyncResultReader:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """End the stream if one is open (cancels the call at the gateway)."""
        stream, self._stream = self._stream, None
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()

    async def count(self) -> int:
        """Rows this reader yields (after ``start`` and ``limit``)."""
        return int((await self._header()).selected_row_count)

    async def total_count(self) -> int:
        """Rows of the whole result."""
        return int((await self._header()).total_row_count)

    async def schema(self) -> list[Column]:
        """The columns, in order."""
        await self._header()
        return self._cursor.columns()

    async def __aiter__(self) -> AsyncIterator[Record]:
        async for message in self._messages(Format.ROWS):
            for record in self._cursor.records(message):
                yield record

    async def iter_batches(self) -> AsyncIterator[pyarrow.RecordBatch]:
        """The rows as Arrow record batches (the ``arrow`` extra)."""
        async for message in self._messages(Format.ARROW):
            for batch in self._cursor.arrow_batches(message):
                yield batch

    async def to_arrow(self) -> pyarrow.Table:
        """All rows as one ``pyarrow.Table`` (the ``arrow`` extra)."""
        batches = [batch async for batch in self.iter_batches()]
        return _pyarrow().Table.from_batches(batches, schema=self._cursor.arrow_schema())

    async def to_pandas(self) -> pandas.DataFrame:
        """All rows as a ``pandas.DataFrame`` (the ``pandas`` extra)."""
        return (await self.to_arrow()).to_pandas()

    async def _header(self, fmt: int = Format.ROWS) -> pb.ReadInstanceResultResponse:
        if self._cursor.header is None:
            await self._open_stream(fmt)
        assert self._cursor.header is not None
        return self._cursor.header

    async def _open_stream(self, fmt: int) -> None:
        await self.close()
        stream = self._open(self._cursor.request(fmt))
        self._stream = stream
        self._cursor.start(fmt, await anext(stream))

    async def _messages(self, fmt: int) -> AsyncIterator[pb.ReadInstanceResultResponse]:
        cursor = self._cursor
        await self._header(fmt)
        while not cursor.done:
            try:
                if self._stream is None or cursor.format != fmt:
                    await self._open_stream(fmt)
                assert self._stream is not None
                async for message in self._stream:
                    cursor.take(message)
                    yield message
                cursor.ended()
            except Unavailable as error:
                await self.close()
                await asyncio.sleep(cursor.pause_after(error, time.monotonic()))
        await self.close()


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.ipc
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading Arrow needs pyarrow: pip install 'mcgateway-client[arrow]'"
        ) from None
    return pyarrow


def _value(value: result_pb2.ResultValue, type_text: str) -> Any:
    """The Python value of one typed value, as PyODPS's records give it: int, float, Decimal,
    str, bytes, bool, date, datetime (UTC-aware; nanoseconds kept as a pandas Timestamp for
    ``timestamp`` columns when pandas is installed), list, dict, tuple for structs."""
    kind = value.WhichOneof("kind")
    if kind in _PLAIN_KINDS:  # the common case first: the field's value is the value
        return getattr(value, kind)
    if kind is None or kind == "null_value":
        return None
    if kind == "decimal_value":
        return decimal.Decimal(value.decimal_value)
    if kind == "date_value":
        return datetime.date.fromisoformat(value.date_value)
    if kind == "timestamp_value":
        ts = value.timestamp_value
        return _instant(ts.seconds, ts.nanos, type_text)
    if kind == "array_value":
        inner = _inner_types(type_text, "array<")
        element = inner[0] if inner else ""
        return [_value(v, element) for v in value.array_value.values]
    if kind == "map_value":
        inner = _inner_types(type_text, "map<")
        key_type, value_type = [*inner, "", ""][:2]
        return {
            _value(e.key, key_type): _value(e.value, value_type) for e in value.map_value.entries
        }
    if kind == "struct_value":
        fields = [part.partition(":")[2] for part in _inner_types(type_text, "struct<")]
        values = value.struct_value.values
        return tuple(_value(v, fields[i] if i < len(fields) else "") for i, v in enumerate(values))
    return getattr(value, kind)


_PLAIN_KINDS = frozenset(
    {"int64_value", "double_value", "string_value", "bytes_value", "bool_value"}
)


@functools.cache
def _pandas_timestamp() -> Any:
    """``pandas.Timestamp``, or None without pandas (looked up once)."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas.Timestamp


def _instant(seconds: int, nanos: int, type_text: str) -> Any:
    # As PyODPS: a pandas Timestamp keeps a timestamp's nanoseconds; without pandas (and for
    # datetime columns, which have milliseconds) the value is a datetime.
    timestamp = _pandas_timestamp() if type_text.startswith("timestamp") else None
    if timestamp is not None:
        return timestamp(seconds * 1_000_000_000 + nanos, unit="ns", tz="UTC")
    return _EPOCH + datetime.timedelta(seconds=seconds, microseconds=nanos // 1000)


def _inner_types(type_text: str, prefix: str) -> list[str]:
    text = type_text.strip().lower()
    if not (text.startswith(prefix) and text.endswith(">")):
        return []
    inner, parts, depth, start = text[len(prefix) : -1], [], 0, 0
    for index, char in enumerate(inner):
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inner[start:index].strip())
            start = index + 1
    parts.append(inner[start:].strip())
    return parts


def read_request(
    project: str,
    instance_id: str,
    *,
    task_name: str = "",
    columns: Sequence[str] | None = None,
    start: int = 0,
    limit: int | None = None,
) -> pb.ReadInstanceResultRequest:
    """The request of :meth:`Instance.open_reader`'s arguments."""
    return pb.ReadInstanceResultRequest(
        project=project,
        instance_id=instance_id,
        task_name=task_name,
        columns=list(columns or ()),
        offset=start,
        limit=limit or 0,
    )
