"""``mcgw read ID``: a SELECT's result rows through the instance tunnel, as CSV, JSON or a table.

Rows stream from the gateway (ReadInstanceResult) to the output as they arrive, so a result of
millions of rows never sits in memory (a table, which must measure its columns, is the one
exception: it is meant for a terminal and a few rows). On a terminal a progress bar on standard
error counts the rows of large reads.
"""

from __future__ import annotations

import base64
import csv
import datetime
import decimal
import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from ._cli_render import print_table
from ._instance import Instance
from ._reader import Record, ResultReader

if TYPE_CHECKING:
    from ._cli_commands import Context

__all__ = ["PROGRESS_MIN_ROWS", "cmd_read", "text_value"]

PROGRESS_MIN_ROWS = 10_000
"""Reads of at least this many rows show a progress bar on a terminal."""


def cmd_read(ctx: Context) -> int:
    """``mcgw read ID [--format csv|json|table] [--limit N] [--offset N] [--columns A,B]
    [-o FILE]``."""
    args = ctx.args
    columns = [c.strip() for c in args.columns.split(",")] if args.columns else None
    instance = Instance(ctx.gateway, args.id, ctx.project or "")
    fmt = args.format or ("table" if ctx.terminal and not args.output else "csv")
    with instance.open_reader(
        columns, start=args.offset, limit=args.limit or None, task_name=args.task or ""
    ) as reader:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                _write(ctx, reader, fmt, out, terminal=False)
        else:
            _write(ctx, reader, fmt, ctx.out, terminal=ctx.terminal)
    return 0


def _write(ctx: Context, reader: ResultReader, fmt: str, out: IO[str], *, terminal: bool) -> None:
    names = [column.name for column in reader.schema]
    records = _with_progress(ctx, reader)
    if fmt == "json":
        for record in records:
            out.write(json.dumps(record.to_dict(), default=_json_value, ensure_ascii=False) + "\n")
    elif fmt == "table":
        rows = [[text_value(v) for v in record] for record in records]
        print_table(names, rows, out, terminal=terminal, wide=getattr(ctx.args, "wide", False))
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for record in records:
            writer.writerow([r"\N" if v is None else text_value(v) for v in record])


def _with_progress(ctx: Context, reader: ResultReader) -> Iterator[Record]:
    """The records, counted by a progress bar on standard error when it is a terminal and the
    read is large."""
    total = reader.count
    if total < PROGRESS_MIN_ROWS or not _isatty(ctx.err):
        yield from reader
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=ctx.err),
        transient=True,
    ) as progress:
        task = progress.add_task(f"reading {reader.count} rows", total=total)
        for index, record in enumerate(reader, 1):
            if index % 1000 == 0 or index == total:
                progress.update(task, completed=index)
            yield record


def text_value(value: Any) -> str:
    """A value as CSV and tables show it: NULL as empty (CSV writes ``\\N``), decimals and
    times exact, bytes as Base64."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=_json_value, ensure_ascii=False)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas.Timestamp (nanoseconds)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _isatty(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
