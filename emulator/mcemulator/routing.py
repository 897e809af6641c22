"""Request classification: which operation a raw ``/api`` request target names.

Routing works on the raw request target, segment by segment, so encoded slashes and dot
segments in ids can never reach another resource: a segment that is not a valid name
simply routes nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

API_PREFIX = "/api"
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]{0,127}$")

# Instance sub-resources in the order they are checked; the first flag present wins.
_INSTANCE_GETS: tuple[tuple[str, str], ...] = (
    ("instancestatus", "get_instance_status"),
    ("taskstatus", "task_status"),
    ("result", "task_result"),
    ("instanceprogress", "task_progress"),
    ("source", "job_source"),
    ("xresult", "xflow"),
    ("xsource", "xflow"),
    ("instancesummary", "task_summary"),
    ("instancedetail", "task_detail"),
    ("detail", "task_detail"),
    ("log", "worker_log"),
    ("cached", "queueing_info"),
)


_READ = frozenset({"GET", "HEAD"})
METHODS: dict[str, frozenset[str]] = {
    "create_instance": frozenset({"POST"}),
    "tunnel_create": frozenset({"POST"}),
    "stop_instance": frozenset({"PUT"}),
    "logview": frozenset({"POST"}),
    "project_logs": frozenset({"PUT", "POST"}),
    "unknown": frozenset({"GET", "HEAD", "POST", "PUT", "DELETE"}),
}
"""Methods each operation accepts; any other operation is a read (GET, HEAD)."""


def allowed_methods(operation: str) -> frozenset[str]:
    """The HTTP methods ``operation`` may be called with."""
    return METHODS.get(operation, _READ)


@dataclass(frozen=True)
class Route:
    """A classified request: the operation name and the resource names in its path."""

    operation: str
    action: str = ""
    """Finer handler selector within an operation (e.g. ``xresult`` vs ``xsource``)."""
    project: str | None = None
    instance_id: str | None = None
    params: dict[str, str] | None = None


def split_target(target: str) -> tuple[str, str]:
    """(path, query) of a raw request target."""
    path, _, query = target.partition("?")
    return path, query


def query_params(query: str) -> dict[str, str]:
    """Query parameters, ``?flag`` and ``?flag=`` alike giving ``""``; the last value wins."""
    return dict(parse_qsl(query, keep_blank_values=True))


def classify(method: str, path: str, query: str) -> Route:
    """The route of an /api request; ``path`` still has the prefix and its percent-escapes."""
    rest = path[len(API_PREFIX) :]
    segments = [unquote(s) for s in rest.split("/")[1:]]
    params = query_params(query)
    if segments and segments[-1] == "" and len(segments) > 1:
        segments.pop()  # tolerate one trailing slash
    if segments == ["logview", "host"]:
        return Route("logview_host", params=params)
    if segments == ["webconsole", "host"]:
        return Route("webconsole_host", params=params)
    if segments == ["tenants"]:
        return Route("tenants", params=params)
    if len(segments) < 2 or segments[0] != "projects" or not _NAME.match(segments[1]):
        return Route("unknown", params=params)
    project = segments[1]
    tail = segments[2:]
    if not tail:
        return Route("project", project=project, params=params)
    if tail == ["instances"]:
        op = "create_instance" if method == "POST" else "list_instances"
        return Route(op, project=project, params=params)
    if len(tail) == 2 and tail[0] == "instances":
        if not _NAME.match(tail[1]):
            return Route("unknown", project=project, params=params)
        if method == "PUT":
            return Route("stop_instance", project=project, instance_id=tail[1], params=params)
        # The instance tunnel, served on the same endpoint (discovery names it).
        if "downloads" in params:
            return Route("tunnel_create", "downloads", project, tail[1], params)
        if "downloadid" in params:
            operation = "tunnel_data" if "data" in params else "tunnel_session"
            return Route(operation, operation, project, tail[1], params)
        for flag, operation in _INSTANCE_GETS:
            if flag in params:
                return Route(operation, flag, project, tail[1], params)
        return Route("get_instance", project=project, instance_id=tail[1], params=params)
    if tail == ["cachedinstances"]:
        return Route("list_queueing_infos", project=project, params=params)
    if tail == ["authorization"]:
        return Route("logview", project=project, params=params)
    if tail == ["logs"]:
        return Route("project_logs", project=project, params=params)
    if tail == ["tunnel"]:
        return Route("tunnel", project=project, params=params)
    return Route("unknown", project=project, params=params)
