"""The XML (and few JSON) documents of the REST protocol: parsing requests, rendering answers.

Requests are parsed with defusedxml, so entity expansion and external entities are
refused. Answers are rendered with string templates (escaped text rather than CDATA, which
clients decode the same way): instance GETs are the hot path.
"""

from __future__ import annotations

import base64
import json
import re
import time
import xml.etree.ElementTree as ET
from email.utils import formatdate
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from mcemulator import errors, stages
from mcemulator.model import COST_TASK_TYPE, Instance, JobSpec, Task, TaskSpec, XflowSpec

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SQL_TASK_TYPES = {"SQL": "SQL", "SQLRT": "SQL", COST_TASK_TYPE: COST_TASK_TYPE}
"""Task elements of a job the emulator runs, and the task type each becomes."""
MAX_PRIORITY = 9
"""Job priorities run from 0 (first) to 9 (last, the SDKs' default)."""


def http_date(ts: float | None) -> str:
    """RFC 1123 GMT, as in the service's headers and time elements; "" for None."""
    return "" if ts is None else formatdate(ts, usegmt=True)


# Characters XML 1.0 cannot carry, even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """Escaped element text; characters XML cannot carry become U+FFFD, a CR stays a CR."""
    return _XML_ILLEGAL.sub("\ufffd", escape(value, {"\r": "&#13;"}))


def _result(text: str, result_format: str) -> str:
    """A task's ``<Result>``: escaped text, or Base64 (``Transform="Base64"``) like the service
    when the text holds characters XML cannot carry (NUL, other control characters)."""
    if _XML_ILLEGAL.search(text):
        encoded = base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")
        return f'<Result Transform="Base64" Format={quoteattr(result_format)}>{encoded}</Result>'
    return f"<Result Format={quoteattr(result_format)}>{_text(text)}</Result>"


# -- requests ----------------------------------------------------------------------------


def parse_xml(body: bytes) -> ET.Element:
    """Parse a request body; hostile or malformed XML becomes an ``InvalidParameter`` error."""
    try:
        root: ET.Element = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise errors.invalid_parameter(
            f"Invalid XML request body - forbidden construct: {type(exc).__name__}"
        ) from exc
    except (ET.ParseError, ValueError) as exc:
        raise errors.invalid_parameter(f"Invalid XML request body - {exc}") from exc
    return root


def _child_text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _properties(element: ET.Element | None, item: str, key: str) -> dict[str, str]:
    if element is None:
        return {}
    return {_child_text(p, key): _child_text(p, "Value") for p in element.findall(item)}


def _priority(text: str, default: int) -> int:
    if not text:
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise errors.invalid_parameter(f"Invalid priority - {text}") from exc
    if not 0 <= value <= MAX_PRIORITY:
        raise errors.invalid_parameter(
            f"Invalid priority - {text}, a job priority is between 0 and {MAX_PRIORITY}"
        )
    return value


def parse_create(body: bytes) -> JobSpec | XflowSpec:
    """The job or XFlow run described by a ``POST /projects/{p}/instances`` body."""
    root = parse_xml(body)
    job = root.find("Job")
    if job is not None:
        return _parse_job(job)
    xflow = root.find("XflowInstance")
    if xflow is not None:
        return _parse_xflow(root, xflow)
    raise errors.invalid_parameter("Invalid XML request body - expected Instance/Job")


def _parse_job(job: ET.Element) -> JobSpec:
    tasks_node = job.find("Tasks")
    tasks: list[TaskSpec] = []
    for node in list(tasks_node) if tasks_node is not None else []:
        task_type = SQL_TASK_TYPES.get(node.tag)
        if task_type is None:
            raise errors.ServiceError(
                400, "InstanceTypeNotSupported", f"Task type {node.tag} is not supported"
            )
        name = _child_text(node, "Name") or "AnonymousSQLTask"
        props = _properties(node.find("Config"), "Property", "Name")
        settings: dict[str, str] = {}
        if props.get("settings"):
            try:
                loaded = json.loads(props["settings"])
            except ValueError as exc:
                raise errors.invalid_parameter("Invalid task settings - not JSON") from exc
            if isinstance(loaded, dict):
                settings = {str(k): str(v) for k, v in loaded.items()}
        query_node = node.find("Query")
        query = (query_node.text or "") if query_node is not None else ""
        if not query.strip():
            raise errors.invalid_parameter(f"Task {name} has no query")
        tasks.append(TaskSpec(name, task_type, query.strip(), settings))
    if not tasks:
        raise errors.invalid_parameter("Invalid job - no tasks")
    if len({t.name for t in tasks}) != len(tasks):
        raise errors.invalid_parameter("Invalid job - duplicate task names")
    priority = _priority(_child_text(job, "Priority"), MAX_PRIORITY)
    _canonical_priority(job, priority)
    return JobSpec(
        tuple(tasks),
        ET.tostring(job, encoding="unicode"),
        _child_text(job, "Name"),
        priority,
        _child_text(job, "RunningCluster"),
    )


def _canonical_priority(job: ET.Element, priority: int) -> None:
    """Give the stored job the priority it runs with, as ``?source`` shows it (the Java SDK
    leaves ``<Priority>`` out when the caller set none; the job then runs with 9)."""
    if job.find("Priority") is not None:
        return
    node = ET.Element("Priority")
    node.text = str(priority)
    names = [child.tag for child in job]
    # The service's element order: Name, Comment, Priority, RunningCluster, Guid, Tasks, DAG.
    index = sum(1 for tag in names if tag in ("Name", "Comment"))
    job.insert(index, node)


def _parse_xflow(root: ET.Element, node: ET.Element) -> XflowSpec:
    name = _child_text(node, "Xflow")
    if not name:
        raise errors.invalid_parameter("Invalid XML request body - XflowInstance without Xflow")
    return XflowSpec(
        xflow_project=_child_text(node, "Project"),
        xflow=name,
        parameters=_properties(node.find("Parameters"), "Parameter", "Key"),
        config=_properties(node.find("Config"), "Property", "Name"),
        source=ET.tostring(root, encoding="unicode"),
        priority=_priority(_child_text(node, "Priority"), 1),
    )


def parse_status_change(body: bytes) -> str:
    """The ``<Status>`` a ``PUT /instances/{id}`` asks for."""
    status = _child_text(parse_xml(body), "Status")
    if not status:
        raise errors.invalid_parameter("Invalid XML request body - no Status")
    return status


# -- answers -----------------------------------------------------------------------------


def error(code: str, message: str, request_id: str, host_id: str) -> str:
    """The ``<Error>`` document, always with all four children (PyODPS needs them all)."""
    return (
        f"{DECLARATION}<Error>\n  <Code>{_text(code)}</Code>\n"
        f"  <Message>{_text(message)}</Message>\n"
        f"  <RequestId>{_text(request_id)}</RequestId>\n"
        f"  <HostId>{_text(host_id)}</HostId>\n</Error>\n"
    )


def instance_status(inst: Instance) -> str:
    """Body of ``GET /instances/{id}`` (and ``?instancestatus``)."""
    return f"{DECLARATION}<Instance>\n  <Status>{inst.status.value}</Status>\n</Instance>\n"


def _task_times(task: Task) -> str:
    return (
        f"<StartTime>{http_date(task.start_time)}</StartTime>"
        f"<EndTime>{http_date(task.end_time)}</EndTime>"
    )


def task_statuses(inst: Instance) -> str:
    """Body of ``?taskstatus``: instance status plus every task's status and times."""
    tasks = "".join(
        f"\n    <Task Type={quoteattr(t.type)}><Name>{_text(t.name)}</Name>{_task_times(t)}"
        f"<Status>{t.status.value}</Status><Histories/></Task>"
        for t in inst.tasks
    )
    return (
        f"{DECLARATION}<Instance>\n  <Status>{inst.status.value}</Status>\n"
        f"  <Tasks>{tasks}\n  </Tasks>\n</Instance>\n"
    )


def task_results(inst: Instance) -> str:
    """Body of ``?result``: each task's result text (failure text for failed tasks)."""
    tasks = "".join(
        f"\n    <Task Type={quoteattr(t.type)}><Name>{_text(t.name)}</Name>"
        f"{_result(t.result, t.result_format)}"
        f"<Status>{t.status.value}</Status></Task>"
        for t in inst.tasks
    )
    return f"{DECLARATION}<Instance>\n  <Tasks>{tasks}\n  </Tasks>\n</Instance>\n"


def progress(task: Task | None, now: float | None = None) -> str:
    """Body of ``?instanceprogress``: one ``Stage`` with all integer counters per stage."""
    now = time.time() if now is None else now
    parts = [f"{DECLARATION}<Progress>"]
    for s in stages.progress(task, now) if task is not None else []:
        parts.append(
            f"\n  <Stage ID={quoteattr(s.id)}><Status>{s.status}</Status>"
            f"<BackupWorkers>{s.backup_workers}</BackupWorkers>"
            f"<TerminatedWorkers>{s.terminated_workers}</TerminatedWorkers>"
            f"<RunningWorkers>{s.running_workers}</RunningWorkers>"
            f"<TotalWorkers>{s.total_workers}</TotalWorkers>"
            f"<InputRecords>{s.input_records}</InputRecords>"
            f"<OutputRecords>{s.output_records}</OutputRecords>"
            f"<FinishedPercentage>{s.finished_percentage}</FinishedPercentage></Stage>"
        )
    parts.append("\n</Progress>\n")
    return "".join(parts)


def instance_list(page: list[Instance], marker: str, max_items: int) -> str:
    """Body of ``GET /projects/{p}/instances``; an empty ``Marker`` ends the paging."""
    items = "".join(
        f"\n  <Instance><Name>{i.id}</Name><Owner>{_text(i.owner)}</Owner>"
        f"<StartTime>{http_date(i.start_time)}</StartTime>"
        f"<EndTime>{http_date(i.end_time)}</EndTime><Status>{i.status.value}</Status></Instance>"
        for i in page
    )
    return (
        f"{DECLARATION}<Instances>\n  <Marker>{_text(marker)}</Marker>\n"
        f"  <MaxItems>{max_items}</MaxItems>{items}\n</Instances>\n"
    )


def queueing_list(infos: list[dict[str, Any]], marker: str, max_items: int) -> str:
    """Body of ``GET /projects/{p}/cachedinstances``: the queueing-info objects as one JSON
    array in ``Content``; an empty ``Marker`` ends the paging."""
    return (
        f"{DECLARATION}<Instances>\n  <Marker>{_text(marker)}</Marker>\n"
        f"  <MaxItems>{max_items}</MaxItems>\n"
        f"  <Content>{_text(json.dumps(infos))}</Content>\n</Instances>\n"
    )


def job_source(inst: Instance) -> str:
    """Body of ``?source`` / ``?xsource``: the stored submission document."""
    return DECLARATION + inst.source


def xflow_result(inst: Instance) -> str:
    """Body of ``?xresult``: the actions of an XFlow run with their sub-instance ids."""
    # An Instance action is listed once its sub-instance exists: clients look it up by id.
    actions = "".join(
        f"\n    <Action NodeType={quoteattr(a.node_type)}><Name>{_text(a.name)}</Name>"
        f"<InstanceId>{a.instance_id}</InstanceId></Action>"
        for a in inst.actions
        if a.instance_id or a.node_type != "Instance"
    )
    return f"{DECLARATION}<Xinstance>\n  <Actions>{actions}\n  </Actions>\n</Xinstance>\n"


def authorization(token: str) -> str:
    """Body answering ``?sign_bearer_token``."""
    return f"{DECLARATION}<Authorization>\n  <Result>{_text(token)}</Result>\n</Authorization>\n"


def project(name: str, owner: str, created: float) -> str:
    """Body of ``GET /projects/{p}``."""
    return (
        f"{DECLARATION}<Project>\n  <Name>{_text(name)}</Name>\n  <Type>managed</Type>\n"
        f"  <Comment/>\n  <Owner>{_text(owner)}</Owner>\n  <State>AVAILABLE</State>\n"
        f"  <CreationTime>{http_date(created)}</CreationTime>\n"
        f"  <LastModifiedTime>{http_date(created)}</LastModifiedTime>\n"
        f"  <ProjectGroupName/>\n  <Properties/>\n</Project>\n"
    )
