"""Safe XML parsing of MaxCompute responses into domain objects.

Every document goes through defusedxml with DTDs, entity declarations and external
references forbidden, so billion-laughs and XXE payloads are refused before any expansion.
Unknown elements are ignored and CDATA and entity-escaped text decode alike, as in PyODPS.
Unlike PyODPS, every parser checks the root element (the names the Java SDK models and the
emulator use): a proxy's HTML page or any other well-formed document of the wrong shape
answered with 200 would otherwise read as an empty list, silently losing data.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as _ETParseError

import defusedxml
import defusedxml.ElementTree as _safe_et

from mcgateway.domain import (
    Instance,
    InstancePage,
    InstanceStatus,
    Job,
    JobTask,
    StageProgress,
    Task,
    TaskResult,
    TaskStatus,
    XFlowAction,
    XFlowNodeType,
)

__all__ = [
    "MAX_EXCERPT",
    "MalformedDocument",
    "child_text",
    "excerpt",
    "expect_root",
    "parse_authorization_token",
    "parse_document",
    "parse_instance",
    "parse_instance_page",
    "parse_job",
    "parse_rfc1123",
    "parse_stages",
    "parse_task_results",
    "parse_tasks",
    "parse_xflow_actions",
    "parse_xflow_config",
]


class MalformedDocument(ValueError):
    """A response body that is not a well-formed, safe document of the expected shape."""


MAX_EXCERPT = 200
"""Most characters of upstream text (a body, a value) quoted in an error message."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_DTD = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]*>?")
_SPACE = re.compile(r"\s+")


def excerpt(text: str | bytes, limit: int = MAX_EXCERPT, *, strip_markup: bool = False) -> str:
    """A short, single-line, printable rendering of upstream text for an error message.

    Control and bidi-override characters become spaces, whitespace collapses, and the result
    is cut to ``limit`` characters with ``…``; ``strip_markup`` drops tags and DTD
    declarations first (an HTML error page reads as its text: ``502 Bad Gateway``).
    """
    if isinstance(text, bytes):
        text = text[: limit * 8].decode("utf-8", errors="replace")
    else:
        text = text[: limit * 8]
    if strip_markup:
        text = _MARKUP.sub(" ", _DTD.sub(" ", text))
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _local_name(tag: str) -> str:
    # ElementTree spells a namespaced tag "{uri}name"; the name is what identifies the shape.
    return tag.rsplit("}", 1)[-1]


def expect_root(root: Element, *names: str) -> None:
    """Raise :class:`MalformedDocument` unless the root element is one of ``names``."""
    found = _local_name(root.tag)
    if found not in names:
        wanted = " or ".join(f"<{n}>" for n in names)
        raise MalformedDocument(f"root element is <{excerpt(found, 64)}>, expected {wanted}")


def parse_document(body: bytes | str) -> Element:
    """Parse an XML body with defusedxml; raise :class:`MalformedDocument` on any problem."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body.strip():
        raise MalformedDocument("empty XML body")
    try:
        root: Element = _safe_et.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise MalformedDocument(f"refused unsafe XML: {type(exc).__name__}") from exc
    except _ETParseError as exc:
        raise MalformedDocument(f"invalid XML: {excerpt(str(exc))}") from exc
    return root


def child_text(element: Element, path: str) -> str | None:
    """Text of the child at ``path``; ``None`` when absent, ``""`` when empty."""
    node = element.find(path)
    if node is None:
        return None
    return node.text or ""


def parse_rfc1123(value: str | None) -> datetime | None:
    """An RFC 1123 date (``Thu, 19 May 2016 10:13:49 GMT``) as an aware UTC datetime.

    Empty or absent values give ``None``; unparseable ones raise :class:`MalformedDocument`.
    """
    if value is None or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError) as exc:
        raise MalformedDocument(f"invalid date {excerpt(value, 64)!r}") from exc
    if parsed.tzinfo is None:
        # "-0000" means "UTC, source time zone unknown" in RFC 5322.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _named(root: Element, path: str, what: str) -> Iterator[tuple[Element, str]]:
    """Each element at ``path`` with its required ``Name`` child's text."""
    for node in root.findall(path):
        name = child_text(node, "Name")
        if not name:
            raise MalformedDocument(f"{what} without Name")
        yield node, name


_Status = TypeVar("_Status", InstanceStatus, TaskStatus)


def _status(kind: type[_Status], text: str | None, owner: str) -> _Status:
    """``kind.from_wire(text)``; a missing or unknown status makes the document malformed."""
    if text is None:
        raise MalformedDocument(f"{owner} has no Status")
    try:
        return kind.from_wire(text)
    except (KeyError, ValueError) as exc:
        raise MalformedDocument(f"unknown {owner} status {excerpt(text, 64)!r}") from exc


def _instance_status(text: str | None) -> InstanceStatus:
    return _status(InstanceStatus, text, "instance")


def _task_status(text: str | None) -> TaskStatus:
    return _status(TaskStatus, text, "task")


def _int(element: Element, path: str, default: int | None) -> int | None:
    text = child_text(element, path)
    if text is None or not text.strip():
        return default
    try:
        return int(text.strip())
    except ValueError as exc:
        raise MalformedDocument(f"{path} is not an integer: {excerpt(text, 64)!r}") from exc


def _required_int(element: Element, path: str) -> int:
    value = _int(element, path, 0)
    assert value is not None
    return value


def parse_tasks(root: Element) -> tuple[Task, ...]:
    """``Tasks/Task`` of a ``?taskstatus`` document (root ``Instance``)."""
    expect_root(root, "Instance")
    tasks = []
    for node, name in _named(root, "./Tasks/Task", "task"):
        tasks.append(
            Task(
                name=name,
                type=node.get("Type"),
                status=_task_status(child_text(node, "Status")),
                start_time=parse_rfc1123(child_text(node, "StartTime")),
                end_time=parse_rfc1123(child_text(node, "EndTime")),
            )
        )
    return tuple(tasks)


def parse_instance(
    root: Element, project: str, instance_id: str, headers: Mapping[str, str] | None = None
) -> Instance:
    """An instance from the plain GET / ``?instancestatus`` document and its headers.

    ``x-odps-owner``, ``x-odps-start-time`` and ``x-odps-end-time`` fill owner and times,
    falling back to the body's ``Owner``, ``StartTime`` and ``EndTime``. The root must be
    ``Instance``.
    """
    expect_root(root, "Instance")
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    owner = lowered.get("x-odps-owner") or child_text(root, "Owner") or None
    start = parse_rfc1123(lowered.get("x-odps-start-time")) or parse_rfc1123(
        child_text(root, "StartTime")
    )
    end = parse_rfc1123(lowered.get("x-odps-end-time")) or parse_rfc1123(
        child_text(root, "EndTime")
    )
    return Instance(
        project=project,
        id=instance_id,
        status=_instance_status(child_text(root, "Status")),
        owner=owner,
        start_time=start,
        end_time=end,
        tasks=parse_tasks(root),
    )


def parse_instance_page(root: Element, project: str) -> InstancePage:
    """A page of ``GET /projects/{p}/instances`` (root ``Instances``).

    An empty or missing Marker ends paging.
    """
    expect_root(root, "Instances")
    instances = []
    for node, name in _named(root, "./Instance", "listed instance"):
        status_text = child_text(node, "Status")
        instances.append(
            Instance(
                project=project,
                id=name,
                # Only Name is guaranteed; PyODPS loads the status lazily when it is absent.
                status=_instance_status(status_text) if status_text else InstanceStatus.RUNNING,
                owner=child_text(node, "Owner") or None,
                start_time=parse_rfc1123(child_text(node, "StartTime")),
                end_time=parse_rfc1123(child_text(node, "EndTime")),
            )
        )
    marker = child_text(root, "Marker")
    return InstancePage(
        instances=tuple(instances), next_marker=marker.strip() or None if marker else None
    )


def parse_task_results(root: Element) -> tuple[TaskResult, ...]:
    """``Tasks/Task/Result`` of a ``?result`` document (root ``Instance``), Base64-decoded
    when marked so.

    Decoded bytes that are not UTF-8 are decoded with replacement characters rather than
    failing the whole call.
    """
    expect_root(root, "Instance")
    results = []
    for node, name in _named(root, "./Tasks/Task", "task result"):
        result = node.find("Result")
        content = ""
        fmt: str | None = None
        if result is not None:
            fmt = result.get("Format")
            content = result.text or ""
            if (result.get("Transform") or "").lower() == "base64":
                try:
                    raw = base64.b64decode(content, validate=False)
                except (binascii.Error, ValueError) as exc:
                    raise MalformedDocument(
                        f"bad Base64 result for task {excerpt(name, 64)!r}"
                    ) from exc
                content = raw.decode("utf-8", errors="replace")
        status_text = child_text(node, "Status")
        results.append(
            TaskResult(
                task_name=name,
                format=fmt,
                content=content,
                type=node.get("Type"),
                status=_task_status(status_text) if status_text else None,
            )
        )
    return tuple(results)


def parse_stages(root: Element) -> tuple[StageProgress, ...]:
    """``Stage`` children of a ``<Progress>`` document.

    Missing worker counts read as 0 (PyODPS would crash on them; a gateway should not).
    """
    expect_root(root, "Progress")
    stages = []
    for node in root.findall("./Stage"):
        stages.append(
            StageProgress(
                id=node.get("ID") or "",
                status=child_text(node, "Status"),
                backup_workers=_required_int(node, "BackupWorkers"),
                running_workers=_required_int(node, "RunningWorkers"),
                terminated_workers=_required_int(node, "TerminatedWorkers"),
                total_workers=_required_int(node, "TotalWorkers"),
                input_records=_int(node, "InputRecords", None),
                output_records=_int(node, "OutputRecords", None),
                finished_percentage=_required_int(node, "FinishedPercentage"),
            )
        )
    return tuple(stages)


def _properties(config: Element | None) -> tuple[tuple[str, str], ...]:
    if config is None:
        return ()
    props = []
    for prop in config.findall("./Property"):
        name = child_text(prop, "Name")
        if name:
            props.append((name, child_text(prop, "Value") or ""))
    return tuple(props)


def parse_job(root: Element) -> Job:
    """The ``<Job>`` document of ``?source``. The root may also be ``Instance/Job``."""
    expect_root(root, "Job", "Instance")
    inner = root.find("./Job")
    job = inner if _local_name(root.tag) != "Job" and inner is not None else root
    tasks = []
    tasks_node = job.find("./Tasks")
    if tasks_node is not None:
        for node in tasks_node:
            tasks.append(
                JobTask(
                    type=node.tag,
                    name=child_text(node, "Name") or "",
                    query=child_text(node, "Query"),
                    properties=_properties(node.find("./Config")),
                )
            )
    return Job(
        priority=_int(job, "Priority", None),
        tasks=tuple(tasks),
        name=child_text(job, "Name") or None,
        guid=child_text(job, "Guid") or None,
        owner=child_text(job, "Owner") or None,
        creation_time=parse_rfc1123(child_text(job, "CreationTime")),
    )


def parse_xflow_config(root: Element) -> dict[str, str]:
    """``Config`` properties of an XFlow source (``?xsource``): ``[Instance/]XflowInstance``."""
    expect_root(root, "XflowInstance", "Instance")
    node = root if _local_name(root.tag) == "XflowInstance" else root.find("./XflowInstance")
    if node is None:
        return {}
    return dict(_properties(node.find("./Config")))


# The Java SDK models the root as "Xinstance"; "XInstance" is the same name camel-cased.
_XRESULT_ROOTS = ("Xinstance", "XInstance")

_NODE_TYPES = {t.value: t for t in XFlowNodeType if t is not XFlowNodeType.OTHER}


def parse_xflow_actions(root: Element) -> tuple[XFlowAction, ...]:
    """``Actions/Action`` of an ``?xresult`` document (root ``Xinstance``)."""
    expect_root(root, *_XRESULT_ROOTS)
    actions = []
    for node in root.findall("./Actions/Action"):
        result = node.find("Result")
        actions.append(
            XFlowAction(
                name=child_text(node, "Name") or "",
                node_type=_NODE_TYPES.get(node.get("NodeType") or "", XFlowNodeType.OTHER),
                instance_id=(child_text(node, "InstanceId") or "").strip() or None,
                result=None if result is None else (result.text or ""),
            )
        )
    return tuple(actions)


def parse_authorization_token(root: Element) -> str:
    """The token of ``<Authorization><Result>TOKEN</Result></Authorization>``."""
    expect_root(root, "Authorization")
    token = child_text(root, "Result")
    if not token:
        raise MalformedDocument("authorization response without Result")
    return token.strip()
