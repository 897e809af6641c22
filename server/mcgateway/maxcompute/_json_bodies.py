"""Parsing of MaxCompute's JSON (and plain-text) answers into domain objects.

The task summary (``?instancesummary``), task detail (``?instancedetail``, ``?detail``),
queueing information (``?cached``, the ``Content`` of ``cachedinstances``) and the result of
a ``SQLCost`` task are JSON, in the shapes PyODPS and the Java SDK read
(maxcompute-rest.md §5.12). Like the XML parsers, these refuse what cannot be the expected
answer (a proxy's HTML page read as JSON) with :class:`MalformedDocument`, bound the nesting
depth of what they accept, refuse ``NaN``/``Infinity`` (not JSON), and are lenient about
fields: unknown keys are kept or ignored, missing ones read as absent.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from xml.etree.ElementTree import Element

from mcgateway.domain import (
    InstanceStatus,
    QueueingInfo,
    QueueingPage,
    SqlCost,
    TaskCost,
    TaskDetail,
    TaskSummary,
    Worker,
)
from mcgateway.maxcompute._parsing import MalformedDocument, child_text, excerpt, expect_root

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_WORKERS",
    "extract_workers",
    "load_json",
    "parse_queueing_entry",
    "parse_queueing_info",
    "parse_queueing_page",
    "parse_sql_cost",
    "parse_task_detail",
    "parse_task_summary",
    "parse_time_text",
    "text_of",
]

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a JSON answer."""

MAX_WORKERS = 100_000
"""Most workers read from one task detail; the rest are left out."""

# Keys MaxCompute's queueing information may give a job's place in its queue under.
_POSITION_KEYS = ("waitPos", "queuePosition", "waitingPosition", "position")
_PROGRESS_KEYS = ("instanceProcess", "instanceProgress")


def text_of(body: bytes) -> str:
    """A body as text: UTF-8, with bytes that are not UTF-8 read as U+FFFD."""
    return body.decode("utf-8", errors="replace")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(body: bytes | str) -> Any:
    """Parse a JSON text; :class:`MalformedDocument` when it is not JSON, nests deeper than
    :data:`MAX_JSON_DEPTH` or holds ``NaN``/``Infinity``."""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedDocument("JSON body is not UTF-8") from exc
    else:
        text = body
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise MalformedDocument(f"invalid JSON: {excerpt(text, strip_markup=True)!r}") from exc
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise MalformedDocument(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def _int_value(value: Any) -> int | None:
    """A JSON number (or numeric string) as an int; ``None`` for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if math.isfinite(number) else None
    return None


def _non_negative(value: int | None) -> int | None:
    return value if value is not None and value >= 0 else None


def _float_value(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _str_value(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text or None


def parse_task_summary(body: bytes, task_name: str, finalized: str | None) -> TaskSummary:
    """A ``?instancesummary`` answer: ``{"Instance": {"JsonSummary": "<JSON>", "Summary":
    "<text>"}}`` and the ``x-odps-task-finalized`` header (``finalized``).

    An empty body, or one without ``Instance``, is a task without a summary yet. A
    ``JsonSummary`` that is not a JSON object leaves ``json_summary`` unset (the text stays),
    as the Java SDK tolerates it.
    """
    flag = None if finalized is None else finalized.strip().lower() == "true"
    empty = TaskSummary(task_name, "", None, None, flag)
    if not body.strip():
        return empty
    root = load_json(body)
    if not isinstance(root, dict):
        raise MalformedDocument("task summary is not a JSON object")
    inner = root.get("Instance")
    if not inner:
        return empty
    if not isinstance(inner, dict):
        raise MalformedDocument("task summary's Instance is not a JSON object")
    text = inner.get("Summary")
    summary: Mapping[str, Any] | None = None
    raw = inner.get("JsonSummary")
    if isinstance(raw, dict):
        summary = raw
    elif isinstance(raw, str) and raw.strip():
        try:
            parsed = load_json(raw)
        except MalformedDocument:
            parsed = None
        if isinstance(parsed, dict):
            summary = parsed
    cost = _cost(summary.get("Cost")) if summary is not None else None
    return TaskSummary(task_name, text if isinstance(text, str) else "", summary, cost, flag)


def _cost(value: Any) -> TaskCost | None:
    if not isinstance(value, dict):
        return None
    return TaskCost(
        cpu=_int_value(value.get("CPU")) or 0,
        memory=_int_value(value.get("Memory")) or 0,
        input_bytes=_int_value(value.get("Input")) or 0,
    )


def parse_task_detail(detail: bytes, detail2: bytes, task_name: str) -> TaskDetail:
    """A task's detail from its ``?instancedetail`` answer (``detail``; when empty, the
    ``?detail`` answer stands in, as in PyODPS ``get_task_detail``) and its workers from the
    ``?detail`` answer (``detail2``, PyODPS ``get_task_workers``).

    An answer that is not JSON is kept as text (PyODPS returns it as a string); a ``?detail``
    answer that is not JSON has no workers.
    """
    source = detail if detail.strip() else detail2
    text = text_of(source)
    value: Any = None
    try:
        value = load_json(source) if source.strip() else None
    except MalformedDocument:
        value = None
    workers: tuple[Worker, ...] = ()
    if detail2.strip():
        try:
            workers = extract_workers(load_json(detail2))
        except MalformedDocument:
            workers = ()
    if isinstance(value, dict):
        return TaskDetail(task_name, value, "", workers)
    return TaskDetail(task_name, None, text, workers)


def extract_workers(value: Any) -> tuple[Worker, ...]:
    """The workers of a ``?detail`` JSON document, as PyODPS ``WorkerDetail2`` finds them.

    Every object with an ``instances`` list names a stage (its ``name``), and each entry of
    the list is a worker (``id``, ``logId``, ``status``, ``startTime``, ``endTime``,
    ``input_bytes``, ``input_records``, ``output_bytes``, ``output_records``); other objects
    and lists are searched in document order. At most :data:`MAX_WORKERS` are read.
    """
    found: list[Worker] = []
    for stage, entry in _worker_entries(value):
        if len(found) >= MAX_WORKERS:
            break
        if not isinstance(entry, dict):
            continue
        found.append(
            Worker(
                id=_str_value(entry.get("id")) or "",
                log_id=_str_value(entry.get("logId")),
                stage=stage,
                status=_str_value(entry.get("status")),
                start_time=_epoch(entry.get("startTime")),
                end_time=_epoch(entry.get("endTime")),
                input_bytes=_int_value(entry.get("input_bytes")),
                input_records=_int_value(entry.get("input_records")),
                output_bytes=_int_value(entry.get("output_bytes")),
                output_records=_int_value(entry.get("output_records")),
            )
        )
    return tuple(found)


def _worker_entries(value: Any) -> Iterator[tuple[str, Any]]:
    # Depth-first, in document order, without recursion (the depth is bounded by load_json).
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            instances = node.get("instances")
            if instances is not None:
                stage = _str_value(node.get("name")) or ""
                if isinstance(instances, list):
                    for entry in instances:
                        yield stage, entry
                continue
            stack.extend(reversed(list(node.values())))


def _epoch(value: Any) -> datetime | None:
    """A worker time: epoch seconds, or milliseconds when the number is that large; 0 or
    absent means unknown."""
    number = _float_value(value)
    if number is None or number <= 0:
        return None
    if number > 1e11:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None


_TIME_TEXT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*"
    r"(?:(Z)|([+-])(\d{2}):?(\d{2}))?"
)


def parse_time_text(value: Any) -> datetime | None:
    """A queueing ``startTime`` (``YYYY-mm-dd HH:MM:SS[.ffffff][ ±HHMM]``) as UTC; without a
    zone it is taken as UTC. Anything else gives ``None``."""
    if not isinstance(value, str):
        return None
    match = _TIME_TEXT.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, _zulu, sign, zh, zm = match.groups()
    zone = UTC
    if sign is not None:
        offset = timedelta(hours=int(zh), minutes=int(zm))
        zone = timezone(offset if sign == "+" else -offset)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, zone
        )
    except ValueError:
        return None
    return moment.astimezone(UTC)


def parse_queueing_entry(body: bytes, project: str) -> QueueingInfo | None:
    """A ``?cached`` answer: the queueing information, or ``None`` for an empty body or
    ``{}``, MaxCompute's answer for an instance it keeps no queue entry for."""
    if not body.strip():
        return None
    value = load_json(body)
    if value == {}:
        return None
    return parse_queueing_info(value, project)


def parse_queueing_info(value: Any, project: str) -> QueueingInfo:
    """One queueing-information object (``?cached``, or an entry of ``cachedinstances``).

    ``instanceId`` is required; ``status`` ``Unknown`` (or anything unknown) reads as
    ``None``. The position is the 1-based place among the waiting jobs, from the first of
    ``waitPos``, ``queuePosition``, ``waitingPosition`` or ``position`` present; 0 (running)
    reads as ``None``. ``queueLength`` is the number of waiting jobs.
    """
    if not isinstance(value, dict):
        raise MalformedDocument("queueing information is not a JSON object")
    instance_id = _str_value(value.get("instanceId"))
    if not instance_id:
        raise MalformedDocument("queueing information without instanceId")
    status: InstanceStatus | None = None
    status_text = _str_value(value.get("status"))
    if status_text:
        try:
            status = InstanceStatus(status_text.strip().capitalize())
        except ValueError:
            status = None
    position = next(
        (p for p in (_int_value(value.get(k)) for k in _POSITION_KEYS) if p is not None), None
    )
    progress = next(
        (p for p in (_float_value(value.get(k)) for k in _PROGRESS_KEYS) if p is not None), None
    )
    return QueueingInfo(
        project=_str_value(value.get("projectName")) or project,
        instance_id=instance_id,
        status=status,
        priority=_int_value(value.get("instancePriority")),
        position=position if position is not None and position > 0 else None,
        queue_length=_non_negative(_int_value(value.get("queueLength"))),
        progress=progress,
        job_name=_str_value(value.get("jobName")),
        task_name=_str_value(value.get("taskName")),
        task_type=_str_value(value.get("taskType")),
        user_account=_str_value(value.get("userAccount")),
        start_time=parse_time_text(value.get("startTime")),
        properties=value,
    )


def parse_queueing_page(root: Element, project: str) -> QueueingPage:
    """A page of ``GET /projects/{p}/cachedinstances``: ``<Instances>`` with ``Marker``,
    ``MaxItems`` and ``Content``, a JSON array of queueing-information objects (the Java
    SDK's reading; PyODPS also accepts ``{"InstanceQueueingInfos": [...]}``)."""
    expect_root(root, "Instances")
    content = child_text(root, "Content")
    infos: list[QueueingInfo] = []
    if content is not None and content.strip():
        value = load_json(content)
        if isinstance(value, dict):
            value = value.get("InstanceQueueingInfos") or []
        if not isinstance(value, list):
            raise MalformedDocument("cachedinstances Content is not a JSON array")
        infos = [parse_queueing_info(item, project) for item in value]
    marker = child_text(root, "Marker")
    return QueueingPage(tuple(infos), (marker or "").strip() or None)


def parse_sql_cost(text: str) -> SqlCost:
    """The result of a ``SQLCost`` task: ``{"Cost": {"SQL": {"UDF": n, "Complexity": x,
    "Input": bytes}}}`` (PyODPS ``get_sql_task_cost``)."""
    value = load_json(text)
    sql = value.get("Cost") if isinstance(value, dict) else None
    sql = sql.get("SQL") if isinstance(sql, dict) else None
    if not isinstance(sql, dict):
        raise MalformedDocument("SQL cost result without Cost.SQL")
    return SqlCost(
        udf_count=_int_value(sql.get("UDF")) or 0,
        complexity=_float_value(sql.get("Complexity")) or 0.0,
        input_bytes=_int_value(sql.get("Input")) or 0,
    )
