"""The synchronous MaxCompute REST client: one method per instance operation.

Every request goes through one chokepoint (:class:`Requester`) that builds the URL, signs,
applies the caller's deadline to the connect/read timeouts, retries what is safe to retry,
maps failures to :class:`MaxComputeError` and reports each attempt to the observer. The
gateway calls this client from a bounded thread pool, never from the event loop.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Generic, TypeVar
from xml.etree.ElementTree import Element

from mcgateway.domain import (
    CreatedInstance,
    Instance,
    InstancePage,
    InstanceStatus,
    Job,
    ListFilter,
    LogviewAddress,
    QueueingInfo,
    QueueingPage,
    SqlCost,
    SubInstance,
    Task,
    TaskDetail,
    TaskProgress,
    TaskResult,
    TaskSummary,
    WorkerLog,
    XFlowAction,
    XFlowNodeType,
    format_stage_progress,
)
from mcgateway.maxcompute._config import ClientConfig
from mcgateway.maxcompute._creates import Creator
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import ErrorCategory, MaxComputeError, SyntheticCode
from mcgateway.maxcompute._jobs import (
    DEFAULT_SQL_COST_TASK_NAME,
    DEFAULT_SQL_TASK_NAME,
    QUOTA_SETTING,
    REQUEST_ID_SETTING,
    STOP_BODY,
    sql_job_xml,
    xflow_job_xml,
)
from mcgateway.maxcompute._json_bodies import (
    parse_queueing_entry,
    parse_queueing_page,
    parse_sql_cost,
    parse_task_detail,
    parse_task_summary,
)
from mcgateway.maxcompute._logview import LogviewLinks
from mcgateway.maxcompute._observer import RequestObserver, null_observer
from mcgateway.maxcompute._parsing import (
    MalformedDocument,
    parse_instance,
    parse_instance_page,
    parse_job,
    parse_stages,
    parse_task_results,
    parse_tasks,
    parse_xflow_actions,
)
from mcgateway.maxcompute._requester import Requester, instance_path
from mcgateway.maxcompute._transport import HttpResponse, RequestsTransport, Transport
from mcgateway.maxcompute._tunnel import InstanceTunnel
from mcgateway.maxcompute._urls import (
    validate_instance_id,
    validate_log_id,
    validate_project_name,
    validate_quota_name,
    validate_request_id,
    validate_task_name,
    validate_xflow_name,
)

__all__ = ["LOG_TYPES", "MaxComputeClient"]

LOG_TYPES = (
    "stdout",
    "stderr",
    "waterfall_summary",
    "jstack",
    "pstack",
    "hs_err_*.log",
    "coreinfo.tmp",
)
"""The ``logtype`` values of a worker log read, as PyODPS sends them (``hs_err_log`` is
``hs_err_*.log`` and ``coreinfo`` is ``coreinfo.tmp`` on the wire)."""

# XFlow sub-workflows nest; a cycle or a very deep tree must not recurse without end.
_MAX_XFLOW_DEPTH = 8


_T = TypeVar("_T")
# A parser of one instance's document: (root, project, instance id, response headers).
InstanceParser = Callable[[Element, str, str, Mapping[str, str]], _T]


def _body_only(parser: Callable[[Element], _T]) -> InstanceParser[_T]:
    """Adapt a parser that needs only the document root."""
    return lambda root, _project, _instance_id, _headers: parser(root)


@dataclass(frozen=True)
class _InstanceResource(Generic[_T]):
    """One XML document read with ``GET /projects/{p}/instances/{id}[?action]``: the
    operation name (metrics, errors, logs), the query actions and the parser of the answer."""

    operation: str
    parse: InstanceParser[_T]
    actions: tuple[str, ...] = ()


# The instance documents of the REST protocol (docs: shared maxcompute-rest.md), read by
# ``MaxComputeClient._read_instance_resource``.
_INSTANCE = _InstanceResource("get_instance", parse_instance)
_INSTANCE_STATUS = _InstanceResource("get_instance_status", parse_instance, ("instancestatus",))
_TASK_STATUSES = _InstanceResource("get_task_statuses", _body_only(parse_tasks), ("taskstatus",))
_TASK_RESULTS = _InstanceResource("get_task_results", _body_only(parse_task_results), ("result",))
_TASK_PROGRESS = _InstanceResource("get_task_progress", _body_only(parse_stages))
_JOB = _InstanceResource("get_job", _body_only(parse_job), ("source",))
_XFLOW_ACTIONS = _InstanceResource(
    "get_xflow_result", _body_only(parse_xflow_actions), ("xresult",)
)


class MaxComputeClient:
    """Client for MaxCompute instance operations over REST.

    Thread-safe; share one per upstream. Every method takes an optional ``deadline``
    (:class:`Deadline`); without one, ``config.default_timeout`` applies. Every failure is a
    :class:`MaxComputeError`; invalid names raise :class:`InvalidIdentifier` before any
    request is made.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: Transport | None = None,
        observer: RequestObserver | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if config.default_project is not None:
            validate_project_name(config.default_project)
        self._config = config
        self._requester = Requester(
            config,
            transport or RequestsTransport(config.pool_size),
            observer or null_observer,
            sleep,
        )
        self._sleep = sleep
        self._creator = Creator(self._requester, config, self)
        self._logview = LogviewLinks(self._requester, config)
        self.tunnel = InstanceTunnel(self._requester)
        """Result downloads through the instance tunnel (``open_reader(tunnel=True)``)."""

    # ------------------------------------------------------------------ lifecycle

    @property
    def endpoint(self) -> str:
        """The normalised endpoint (no trailing ``/``)."""
        return self._requester.endpoint

    @property
    def region(self) -> str | None:
        """The configured or derived region (``None``: v2 signing)."""
        return self._requester.region

    @property
    def signs_v4(self) -> bool:
        """True while requests are signed v4 (a region is known and no fallback happened)."""
        return self._requester.signs_v4

    @property
    def max_body_bytes(self) -> int:
        """Largest response body read (``ClientConfig.max_body_bytes``); a larger answer is
        a ``ResponseTooLarge`` error."""
        return self._config.max_body_bytes

    def close(self) -> None:
        """Release pooled connections."""
        self._requester.close()

    def __enter__(self) -> MaxComputeClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MaxComputeClient(endpoint={self.endpoint!r}, region={self.region!r})"

    def _read_instance_body(
        self,
        operation: str,
        project: str,
        instance_id: str,
        *,
        actions: Sequence[str] = (),
        params: Sequence[tuple[str, str]] = (),
        deadline: Deadline | None,
        read_timeout: float | None = None,
    ) -> HttpResponse:
        """GET ``/projects/{p}/instances/{id}`` (with a sub-resource): the one path for every
        read of one instance, ids validated before any URL is built, then the requester's
        signing, retries and error mapping. The caller parses the answer."""
        validate_project_name(project)
        validate_instance_id(instance_id)
        return self._requester.call(
            operation,
            "GET",
            instance_path(project, instance_id),
            actions=actions,
            params=params,
            project=project,
            instance_id=instance_id,
            deadline=deadline,
            read_timeout=read_timeout,
        )

    def _read_instance_resource(
        self,
        resource: _InstanceResource[_T],
        project: str,
        instance_id: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        deadline: Deadline | None,
        read_timeout: float | None = None,
    ) -> _T:
        """:meth:`_read_instance_body` of ``resource``, then its XML answer parsed."""
        resp = self._read_instance_body(
            resource.operation,
            project,
            instance_id,
            actions=resource.actions,
            params=params,
            deadline=deadline,
            read_timeout=read_timeout,
        )
        return self._requester.parse(
            resource.operation,
            resp,
            lambda root: resource.parse(root, project, instance_id, resp.headers),
        )

    # ------------------------------------------------------------------ operations

    def list_instances(
        self,
        project: str,
        *,
        filter: ListFilter | None = None,
        marker: str | None = None,
        max_items: int | None = None,
        deadline: Deadline | None = None,
    ) -> InstancePage:
        """One page of ``GET /projects/{p}/instances``.

        Pass the page's ``next_marker`` back as ``marker`` for the next page; ``None`` marks
        the last page. ``max_items`` is the page size (server default when ``None``).
        """
        validate_project_name(project)
        if max_items is not None and max_items <= 0:
            raise ValueError("max_items must be positive")
        params = _list_params(filter or ListFilter())
        if max_items is not None:
            params.append(("maxitems", str(max_items)))
        if marker:
            params.append(("marker", marker))
        resp = self._requester.call(
            "list_instances",
            "GET",
            ["projects", project, "instances"],
            params=params,
            project=project,
            deadline=deadline,
        )
        return self._requester.parse(
            "list_instances", resp, lambda root: parse_instance_page(root, project)
        )

    def iter_instances(
        self,
        project: str,
        *,
        filter: ListFilter | None = None,
        page_size: int | None = None,
        deadline: Deadline | None = None,
    ) -> Iterator[Instance]:
        """Every instance matching ``filter``, fetching pages lazily.

        One deadline covers the whole iteration. A marker that repeats ends it (a server
        bug must not make us loop).
        """
        deadline = self._requester.deadline(deadline)
        marker: str | None = None
        seen: set[str] = set()
        while True:
            page = self.list_instances(
                project, filter=filter, marker=marker, max_items=page_size, deadline=deadline
            )
            yield from page.instances
            marker = page.next_marker
            if marker is None or marker in seen:
                return
            seen.add(marker)

    def get_instance(
        self,
        project: str,
        instance_id: str,
        *,
        include_tasks: bool = False,
        deadline: Deadline | None = None,
    ) -> Instance:
        """``GET /projects/{p}/instances/{id}``: status, owner and times.

        With ``include_tasks`` a second request (``?taskstatus``) fills ``tasks``.
        """
        deadline = self._requester.deadline(deadline)
        instance = self._read_instance_resource(_INSTANCE, project, instance_id, deadline=deadline)
        if include_tasks:
            tasks = self.get_task_statuses(project, instance_id, deadline=deadline)
            instance = replace(instance, tasks=tasks)
        return instance

    def poll_instance_status(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> Instance:
        """One blocking ``GET ...?instancestatus``: the server holds it until the status
        changes (to anything, not only Terminated) or ~``poll.long_poll_hold`` seconds pass.

        For pollers that loop themselves (the watch hub); :meth:`wait_instance` is the
        "wait for termination" loop built on the same call.
        """
        return self._read_instance_resource(
            _INSTANCE_STATUS,
            project,
            instance_id,
            deadline=deadline,
            read_timeout=self._config.read_timeout + self._config.poll.long_poll_hold,
        )

    def wait_instance(
        self,
        project: str,
        instance_id: str,
        *,
        wait: float,
        include_tasks: bool = False,
        deadline: Deadline | None = None,
    ) -> Instance:
        """Wait up to ``wait`` seconds for the instance to terminate; return its latest state.

        Uses the blocking ``?instancestatus`` call (held by the server until the status
        changes or ~5 s pass) while at least ``poll.long_poll_hold`` of the budget is left,
        plain GETs otherwise, and paces checks per ``config.poll``. Returns as soon as the
        instance is TERMINATED, or with its current (running) state when the wait budget or
        the deadline runs out, like ``google.longrunning.WaitOperation``.
        """
        validate_project_name(project)
        validate_instance_id(instance_id)
        deadline = self._requester.deadline(deadline)
        wait_until = deadline.earlier(wait)
        poll = self._config.poll
        check = 0
        while True:
            check += 1
            # The server holds a blocking call until the status changes or ~5 s pass; with
            # less wait budget left than that, a plain GET keeps us within the budget.
            blocking = wait_until.remaining() >= poll.long_poll_hold
            started = time.monotonic()
            instance = self._read_instance_resource(
                _INSTANCE_STATUS if blocking else _INSTANCE,
                project,
                instance_id,
                deadline=deadline,
                read_timeout=self._config.read_timeout + (poll.long_poll_hold if blocking else 0),
            )
            if instance.is_terminated:
                break
            # As PyODPS: the pause is the interval minus the time the check took.
            pause = max(0.0, poll.interval(check) - (time.monotonic() - started))
            if wait_until.remaining() <= pause:
                break
            if pause > 0:
                self._sleep(pause)
        if include_tasks:
            tasks = self.get_task_statuses(project, instance_id, deadline=deadline)
            instance = replace(instance, tasks=tasks)
        return instance

    def instance_exists(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> bool:
        """True if the instance exists; a NOT_FOUND answer gives False, other errors raise."""
        try:
            self.get_instance(project, instance_id, deadline=deadline)
        except MaxComputeError as exc:
            if exc.category is ErrorCategory.NOT_FOUND:
                return False
            raise
        return True

    def get_task_statuses(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[Task, ...]:
        """``?taskstatus``: every task with its type, status and times, in server order."""
        return self._read_instance_resource(_TASK_STATUSES, project, instance_id, deadline=deadline)

    def get_task_results(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[TaskResult, ...]:
        """``?result``: each task's result text (CSV for SELECT, failure text for failed tasks)."""
        return self._read_instance_resource(_TASK_RESULTS, project, instance_id, deadline=deadline)

    def get_task_progress(
        self,
        project: str,
        instance_id: str,
        task_name: str,
        *,
        deadline: Deadline | None = None,
    ) -> TaskProgress:
        """``?instanceprogress={task}&taskname={task}``: stages and the PyODPS progress line."""
        validate_task_name(task_name)
        stages = self._read_instance_resource(
            _TASK_PROGRESS,
            project,
            instance_id,
            params=[("instanceprogress", task_name), ("taskname", task_name)],
            deadline=deadline,
        )
        now = datetime.now(UTC)
        return TaskProgress(
            task_name=task_name,
            stages=stages,
            formatted=format_stage_progress(stages, now),
            fetched_at=now,
        )

    def get_job(self, project: str, instance_id: str, *, deadline: Deadline | None = None) -> Job:
        """``?source``: the submitted job (priority, tasks with queries and settings, Guid)."""
        return self._read_instance_resource(_JOB, project, instance_id, deadline=deadline)

    def stop_instance(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> None:
        """``PUT`` ``<Status>Terminated</Status>``: ask MaxCompute to stop a running instance.

        A terminated instance gives ``InvalidStateSetting`` (FAILED_PRECONDITION), except
        when an earlier attempt of this same call was sent and lost: then the instance is
        terminated either way and the stop counts as done.
        """
        validate_project_name(project)
        validate_instance_id(instance_id)
        try:
            self._requester.call(
                "stop_instance",
                "PUT",
                instance_path(project, instance_id),
                body=STOP_BODY,
                content_type="application/xml",
                project=project,
                instance_id=instance_id,
                deadline=deadline,
            )
        except MaxComputeError as exc:
            if exc.code == "InvalidStateSetting" and exc.attempts > 1:
                return
            raise

    def create_sql_instance(
        self,
        project: str,
        query: str,
        *,
        hints: Mapping[str, object] | None = None,
        priority: int = 9,
        task_name: str | None = None,
        request_id: str | None = None,
        job_name: str | None = None,
        quota_name: str | None = None,
        running_cluster: str | None = None,
        task_type: str = "SQL",
        deadline: Deadline | None = None,
    ) -> CreatedInstance:
        """Submit one SQL task; return the new instance id.

        ``hints`` become the task's ``settings`` JSON (booleans as ``"true"``/``"false"``,
        everything else through ``str``); ``quota_name`` is the ``odps.task.wlm.quota``
        setting and ``running_cluster`` the job's ``RunningCluster``, as PyODPS sends them.
        ``task_type`` ``SQLCost`` submits a cost estimate (task ``AnonymousSQLCostTask``)
        instead of a run (``AnonymousSQLTask``). ``request_id`` (a fresh UUID4 when
        ``None``) is written as the job ``Guid``, the ``uuid`` property and the
        ``mcgateway.request_id`` setting; see :meth:`find_created_instance` for how it
        prevents duplicates when the create fails ambiguously.
        """
        validate_project_name(project)
        if task_name is None:
            task_name = (
                DEFAULT_SQL_COST_TASK_NAME if task_type == "SQLCost" else DEFAULT_SQL_TASK_NAME
            )
        validate_task_name(task_name)
        if quota_name is not None:
            validate_quota_name(quota_name)
        if running_cluster is not None:
            validate_quota_name(running_cluster, "running cluster")
        request_id = validate_request_id(request_id or str(uuid.uuid4()))
        if priority < 0:
            raise ValueError("priority must be >= 0")
        settings = {k: _setting_value(v) for k, v in (hints or {}).items()}
        if quota_name is not None:
            settings[QUOTA_SETTING] = quota_name
        settings[REQUEST_ID_SETTING] = request_id
        body = sql_job_xml(
            query,
            settings=settings,
            priority=priority,
            task_name=task_name,
            guid=request_id,
            uuid=request_id,
            job_name=job_name,
            running_cluster=running_cluster,
            task_type=task_type,
        )
        return self._creator.submit(
            project,
            body,
            request_id,
            self._requester.deadline(deadline),
        )

    def create_xflow_instance(
        self,
        project: str,
        xflow_name: str,
        parameters: Mapping[str, str],
        *,
        xflow_project: str = "algo_public",
        hints: Mapping[str, object] | None = None,
        priority: int | None = None,
        request_id: str | None = None,
        deadline: Deadline | None = None,
    ) -> CreatedInstance:
        """Submit an XFlow (PAI) instance; ``hints`` become its ``Config`` properties.

        Duplicate avoidance works as for SQL, with the request id in the
        ``mcgateway.request_id`` config property.
        """
        validate_project_name(project)
        validate_project_name(xflow_project)
        validate_xflow_name(xflow_name)
        request_id = validate_request_id(request_id or str(uuid.uuid4()))
        config = {k: _setting_value(v) for k, v in (hints or {}).items()}
        config[REQUEST_ID_SETTING] = request_id
        body = xflow_job_xml(
            project, xflow_project, xflow_name, parameters, config=config, priority=priority
        )
        return self._creator.submit(
            project,
            body,
            request_id,
            self._requester.deadline(deadline),
        )

    def find_created_instance(
        self,
        project: str,
        request_id: str,
        *,
        since: datetime,
        deadline: Deadline | None = None,
    ) -> str | None:
        """The id of an instance this client created with ``request_id``, or ``None``.

        One search pass: list this account's instances started since ``since`` (minus the
        clock-skew allowance), newest first, and read each one's job (``?source``, or
        ``?xsource`` for XFlow) looking for the request id in ``Guid`` or in the
        ``mcgateway.request_id`` setting.
        """
        validate_project_name(project)
        validate_request_id(request_id)
        return self._creator.find(project, request_id, since, self._requester.deadline(deadline))

    def get_logview_address(
        self,
        project: str,
        instance_id: str,
        *,
        hours: int | None = None,
        deadline: Deadline | None = None,
    ) -> LogviewAddress:
        """A logview link, in the form PyODPS would choose.

        Job insight (``{host}/{region}/job-insights?h=..&p=..&i=..``) when legacy logview is
        not forced and both a job-insight host and a region are known; otherwise the legacy
        form with a bearer token from ``POST /projects/{p}/authorization?sign_bearer_token``
        valid for ``hours`` (default ``config.logview_hours``).
        """
        validate_project_name(project)
        validate_instance_id(instance_id)
        return self._logview.address(
            project, instance_id, hours, self._requester.deadline(deadline)
        )

    def get_xflow_actions(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[XFlowAction, ...]:
        """``?xresult``: the actions (steps) of an XFlow instance, in order."""
        return self._read_instance_resource(_XFLOW_ACTIONS, project, instance_id, deadline=deadline)

    def get_xflow_sub_instances(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[SubInstance, ...]:
        """The sub-instances of an XFlow instance, as PyODPS's ``get_xflow_sub_instances``.

        ``Instance`` actions give a sub-instance; ``SubWorkflow`` actions are followed with
        another ``?xresult`` (depth-limited); ``Local`` actions are skipped.
        """
        deadline = self._requester.deadline(deadline)
        found: list[SubInstance] = []
        self._collect_sub_instances(project, instance_id, (), found, {instance_id}, deadline)
        return tuple(found)

    def get_task_summary(
        self,
        project: str,
        instance_id: str,
        task_name: str,
        *,
        deadline: Deadline | None = None,
    ) -> TaskSummary:
        """``?instancesummary&taskname={task}``: the summary text and JSON, the cost in it,
        and whether MaxCompute declared it final (``x-odps-task-finalized``)."""
        validate_task_name(task_name)
        operation = "get_task_summary"
        resp = self._read_instance_body(
            operation,
            project,
            instance_id,
            actions=["instancesummary"],
            params=[("taskname", task_name)],
            deadline=deadline,
        )
        finalized = resp.header("x-odps-task-finalized")
        return self._requester.parse_body(
            operation, resp, lambda body: parse_task_summary(body, task_name, finalized)
        )

    def get_task_detail(
        self,
        project: str,
        instance_id: str,
        task_name: str,
        *,
        deadline: Deadline | None = None,
    ) -> TaskDetail:
        """The detail of one task and its workers: ``?detail&taskname={task}`` (workers with
        log ids, PyODPS ``get_task_detail2``/``get_task_workers``) and
        ``?instancedetail&taskname={task}`` (PyODPS ``get_task_detail``; when its answer is
        empty, the ``?detail`` answer stands in, as in PyODPS)."""
        validate_task_name(task_name)
        deadline = self._requester.deadline(deadline)
        params = [("taskname", task_name)]
        detail2 = self._read_instance_body(
            "get_task_detail2",
            project,
            instance_id,
            actions=["detail"],
            params=params,
            deadline=deadline,
        )
        detail = self._read_instance_body(
            "get_task_detail",
            project,
            instance_id,
            actions=["instancedetail"],
            params=params,
            deadline=deadline,
        )
        return self._requester.parse_body(
            "get_task_detail",
            detail,
            lambda body: parse_task_detail(body, detail2.body, task_name),
        )

    def get_worker_log(
        self,
        project: str,
        instance_id: str,
        log_id: str,
        *,
        log_type: str = "stdout",
        max_bytes: int,
        deadline: Deadline | None = None,
    ) -> WorkerLog:
        """``?log&id={log_id}&logtype={type}&size={n}``: one worker log, or its last
        ``max_bytes`` bytes (MaxCompute's ``size`` keeps the end of a log). One byte more
        than ``max_bytes`` is asked for, so a longer log is known to be ``truncated``; the
        cut is made on a UTF-8 character boundary. ``log_type`` is one of :data:`LOG_TYPES`."""
        validate_log_id(log_id)
        if log_type not in LOG_TYPES:
            raise ValueError(f"log_type must be one of {', '.join(LOG_TYPES)}")
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        resp = self._read_instance_body(
            "get_worker_log",
            project,
            instance_id,
            params=[
                ("log", ""),
                ("id", log_id),
                ("logtype", log_type),
                ("size", str(max_bytes + 1)),
            ],
            deadline=deadline,
        )
        body = resp.body
        truncated = len(body) > max_bytes
        if truncated:
            body = body[len(body) - max_bytes :]
            # Only whole characters: drop the continuation bytes of one the cut went through.
            skip = 0
            while skip < min(3, len(body)) and body[skip] & 0xC0 == 0x80:
                skip += 1
            body = body[skip:]
        return WorkerLog(log_id, log_type, body.decode("utf-8", errors="replace"), truncated)

    def get_queueing_info(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> QueueingInfo | None:
        """``?cached``: the instance's priority, place in the queue, status and progress
        (PyODPS ``get_queueing_info``); ``None`` when MaxCompute keeps no queue entry for it
        (an empty answer or ``{}``, as for an instance that has terminated)."""
        operation = "get_queueing_info"
        resp = self._read_instance_body(
            operation, project, instance_id, actions=["cached"], deadline=deadline
        )
        return self._requester.parse_body(
            operation, resp, lambda body: parse_queueing_entry(body, project)
        )

    def list_queueing_infos(
        self,
        project: str,
        *,
        status: InstanceStatus | None = None,
        only_owner: bool | None = None,
        quota_index: str | None = None,
        marker: str | None = None,
        max_items: int | None = None,
        deadline: Deadline | None = None,
    ) -> QueueingPage:
        """One page of ``GET /projects/{p}/cachedinstances`` (PyODPS
        ``list_instance_queueing_infos``); pass ``next_marker`` back as ``marker``."""
        validate_project_name(project)
        if quota_index is not None:
            validate_quota_name(quota_index, "quota index")
        if max_items is not None and max_items <= 0:
            raise ValueError("max_items must be positive")
        params: list[tuple[str, str]] = []
        if status is not None:
            params.append(("status", status.value))
        if only_owner is not None:
            params.append(("onlyowner", "yes" if only_owner else "no"))
        if quota_index is not None:
            params.append(("quotaIndex", quota_index))
        if max_items is not None:
            params.append(("maxitems", str(max_items)))
        if marker:
            params.append(("marker", marker))
        operation = "list_queueing_infos"
        resp = self._requester.call(
            operation,
            "GET",
            ["projects", project, "cachedinstances"],
            params=params,
            project=project,
            deadline=deadline,
        )
        return self._requester.parse(
            operation, resp, lambda root: parse_queueing_page(root, project)
        )

    def get_sql_cost(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> SqlCost:
        """The estimate a terminated ``SQLCost`` instance computed: its first task's result
        (``?result``), ``{"Cost": {"SQL": {...}}}`` (PyODPS ``get_sql_task_cost``)."""
        results = self.get_task_results(project, instance_id, deadline=deadline)
        if not results:
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                f"instance {instance_id} has no task result to read a SQL cost from",
                operation="get_sql_cost",
                project=project,
                instance_id=instance_id,
            )
        content = results[0].content
        try:
            return parse_sql_cost(content)
        except MalformedDocument as exc:
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                f"the result of SQL cost instance {instance_id} is not a cost estimate: {exc}",
                operation="get_sql_cost",
                project=project,
                instance_id=instance_id,
            ) from exc

    # ------------------------------------------------------------------ internals

    def _collect_sub_instances(
        self,
        project: str,
        instance_id: str,
        path: tuple[str, ...],
        found: list[SubInstance],
        visited: set[str],
        deadline: Deadline,
    ) -> None:
        for action in self.get_xflow_actions(project, instance_id, deadline=deadline):
            if action.instance_id is None:
                continue
            if action.node_type is XFlowNodeType.INSTANCE:
                found.append(SubInstance(action.name, action.instance_id, project, path))
            elif action.node_type is XFlowNodeType.SUB_WORKFLOW:
                if action.instance_id in visited or len(path) >= _MAX_XFLOW_DEPTH:
                    continue
                visited.add(action.instance_id)
                self._collect_sub_instances(
                    project, action.instance_id, (*path, action.name), found, visited, deadline
                )


def _list_params(flt: ListFilter) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    if flt.status is not None:
        params.append(("status", flt.status.value))
    if flt.only_owner is not None:
        params.append(("onlyowner", "yes" if flt.only_owner else "no"))
    if flt.start_time is not None or flt.end_time is not None:
        start = "" if flt.start_time is None else str(int(flt.start_time.timestamp()))
        end = "" if flt.end_time is None else str(int(flt.end_time.timestamp()))
        params.append(("daterange", f"{start}:{end}"))
    if flt.job_name is not None:
        params.append(("jobname", flt.job_name))
    return params


def _setting_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
