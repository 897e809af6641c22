"""The synchronous MaxCompute REST client: one method per instance operation.

Every request goes through one chokepoint (:meth:`MaxComputeClient._call`) that builds the
URL, signs, applies the caller's deadline to the connect/read timeouts, retries what is safe
to retry, maps failures to :class:`MaxComputeError` and reports each attempt to the observer.
The gateway calls this client from a bounded thread pool, never from the event loop.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlparse

import grpc

from mcgateway.domain import (
    CreatedInstance,
    Instance,
    InstancePage,
    Job,
    ListFilter,
    LogviewAddress,
    LogviewKind,
    SubInstance,
    Task,
    TaskProgress,
    TaskResult,
    XFlowAction,
    XFlowNodeType,
    format_stage_progress,
)
from mcgateway.maxcompute._credentials import Credentials
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import MaxComputeError, SyntheticCode, error_from_response
from mcgateway.maxcompute._jobs import (
    DEFAULT_SQL_TASK_NAME,
    REQUEST_ID_SETTING,
    STOP_BODY,
    logview_token_body,
    sql_job_xml,
    xflow_job_xml,
)
from mcgateway.maxcompute._observer import RequestObserver, UpstreamRequest, null_observer
from mcgateway.maxcompute._parsing import (
    MalformedDocument,
    parse_authorization_token,
    parse_document,
    parse_instance,
    parse_instance_page,
    parse_job,
    parse_stages,
    parse_task_results,
    parse_tasks,
    parse_xflow_actions,
    parse_xflow_config,
)
from mcgateway.maxcompute._policy import PollPolicy, RetryPolicy
from mcgateway.maxcompute._signing import (
    authorization_header,
    canonical_string,
    http_date,
    region_from_endpoint,
)
from mcgateway.maxcompute._transport import (
    FailureKind,
    HttpRequest,
    HttpResponse,
    RequestsTransport,
    Transport,
    TransportFailure,
)
from mcgateway.maxcompute._urls import (
    build_url,
    normalize_endpoint,
    validate_instance_id,
    validate_project_name,
    validate_request_id,
    validate_task_name,
)

__all__ = ["DEFAULT_LOGVIEW_HOST", "DEFAULT_USER_AGENT", "ClientConfig", "MaxComputeClient"]

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "mcgateway/0.1.0"
DEFAULT_LOGVIEW_HOST = "http://logview.aliyun.com"

# Codes of PyODPS's InternalServerError family, for the v4 → v2 fallback rule.
_INTERNAL_ERROR_CODES = frozenset(
    {
        "InternalServerError",
        "ReadMetaError",
        "ServiceUnavailable",
        "DataVersionError",
        "BadGatewayError",
        "ODPS-0010000",
        "ODPS-0420153",
        "ODPS-0110141",
    }
)
_V4_FALLBACK_INTERNAL_TEXTS = ("need ak v3 support", "accesskey acl denied")

_FAILURE_CODES = {
    FailureKind.CONNECT_FAILED: SyntheticCode.CONNECTION_FAILED,
    FailureKind.CONNECT_TIMEOUT: SyntheticCode.TIMEOUT,
    FailureKind.READ_TIMEOUT: SyntheticCode.TIMEOUT,
    FailureKind.CONNECTION_RESET: SyntheticCode.CONNECTION_RESET,
}

# Below this many seconds an attempt cannot do anything useful.
_MIN_ATTEMPT_SECONDS = 0.005
_T = TypeVar("_T")

# XFlow sub-workflows nest; a cycle or a very deep tree must not recurse without end.
_MAX_XFLOW_DEPTH = 8


@dataclass(frozen=True)
class _Outcome:
    """What one attempt produced: a response, or an error and whether to retry it."""

    response: HttpResponse | None
    error: MaxComputeError | None
    retryable: bool


@dataclass(frozen=True)
class ClientConfig:
    """Configuration of one upstream (endpoint + credentials)."""

    endpoint: str
    """Base URL including the path prefix, e.g. ``http://service.cn-hangzhou.maxcompute.aliyun.com/api``."""
    credentials: Credentials
    """AccessKey pair (and STS token); see :meth:`Credentials.from_env`."""
    default_project: str | None = None
    """Sent as ``curr_project`` on every request, as PyODPS does; default ``None`` means the
    project of each request."""
    region: str | None = None
    """Region for v4 signing. Default ``None`` derives it from the endpoint host as PyODPS
    does (none for IPs, localhost and ``service.odps.aliyun.com``, which then sign v2)."""
    enable_v4_sign: bool = True
    """Sign v4 when a region is known (default True, as PyODPS's ``options.enable_v4_sign``)."""
    namespace: str | None = None
    """Sent (and signed) as ``x-odps-namespace-id`` when set; default ``None``."""
    user_agent: str = DEFAULT_USER_AGENT
    """``User-Agent`` and signed ``x-odps-user-agent`` value (default ``mcgateway/<version>``)."""
    pool_size: int = 16
    """Keep-alive connections kept to the upstream (default 16); size it to the gateway's
    upstream concurrency (its executor size) so no call waits for a socket."""
    connect_timeout: float = 5.0
    """Cap of the TCP connect timeout (default 5 s); the deadline may make it shorter."""
    read_timeout: float = 60.0
    """Cap of the per-request read timeout (default 60 s); the deadline may make it shorter."""
    default_timeout: float = 60.0
    """Overall budget of a call made without a deadline (default 60 s)."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Retries of idempotent requests (see :class:`RetryPolicy`)."""
    poll: PollPolicy = field(default_factory=PollPolicy)
    """Cadence of :meth:`MaxComputeClient.wait_instance` (see :class:`PollPolicy`)."""
    logview_host: str | None = None
    """Legacy logview host; default ``None`` asks ``GET {endpoint}/logview/host`` once and
    falls back to ``http://logview.aliyun.com``, as PyODPS does."""
    job_insight_host: str | None = None
    """Job-insight host; default ``None`` asks ``GET {endpoint}/webconsole/host`` once when
    PyODPS would (non-IP hosts, unless legacy logview is forced)."""
    use_legacy_logview: bool | None = None
    """PyODPS's ``options.use_legacy_logview``: ``True`` forces the token link, ``False``
    forces job insight, default ``None`` lets host and region decide."""
    logview_hours: int = 720
    """Lifetime of legacy logview tokens in hours (default 720 = 30 days, as PyODPS)."""
    create_read_share: float = 0.5
    """Share of the remaining deadline a create request may wait for its answer (default
    half), so an ambiguous failure leaves time to look for the instance it may have made."""
    create_lookup_timeout: float = 30.0
    """Longest search for an ambiguously created instance (default 30 s), within the deadline."""
    create_lookup_limit: int = 200
    """Most recent instances whose job is read per search pass (default 200)."""
    clock_skew_allowance: float = 120.0
    """How much earlier than our clock the server may stamp an instance (default 2 min)."""


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
        self._config = config
        self._endpoint = normalize_endpoint(config.endpoint)
        if config.default_project is not None:
            validate_project_name(config.default_project)
        self._transport: Transport = transport or RequestsTransport(config.pool_size)
        self._observer: RequestObserver = observer or null_observer
        self._sleep = sleep
        self._region = config.region or region_from_endpoint(self._endpoint)
        self._lock = threading.Lock()
        self._v4_disabled = not config.enable_v4_sign
        self._logview_host = config.logview_host
        self._job_insight_host = config.job_insight_host
        self._job_insight_checked = config.job_insight_host is not None

    # ------------------------------------------------------------------ lifecycle

    @property
    def endpoint(self) -> str:
        """The normalised endpoint (no trailing ``/``)."""
        return self._endpoint

    @property
    def region(self) -> str | None:
        """The configured or derived region (``None``: v2 signing)."""
        return self._region

    @property
    def signs_v4(self) -> bool:
        """True while requests are signed v4 (a region is known and no fallback happened)."""
        with self._lock:
            return bool(self._region) and not self._v4_disabled

    def close(self) -> None:
        """Release pooled connections."""
        self._transport.close()

    def __enter__(self) -> MaxComputeClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MaxComputeClient(endpoint={self._endpoint!r}, region={self._region!r})"

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
        resp = self._call(
            "list_instances",
            "GET",
            ["projects", project, "instances"],
            params=params,
            project=project,
            deadline=deadline,
        )
        return self._parse("list_instances", resp, lambda root: parse_instance_page(root, project))

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
        deadline = self._deadline(deadline)
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
        validate_project_name(project)
        validate_instance_id(instance_id)
        deadline = self._deadline(deadline)
        resp = self._call(
            "get_instance",
            "GET",
            _instance_path(project, instance_id),
            project=project,
            instance_id=instance_id,
            deadline=deadline,
        )
        instance = self._parse(
            "get_instance",
            resp,
            lambda root: parse_instance(root, project, instance_id, resp.headers),
        )
        if include_tasks:
            tasks = self.get_task_statuses(project, instance_id, deadline=deadline)
            instance = replace(instance, tasks=tasks)
        return instance

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
        deadline = self._deadline(deadline)
        wait_until = deadline.earlier(wait)
        poll = self._config.poll
        check = 0
        while True:
            check += 1
            # The server holds a blocking call until the status changes or ~5 s pass; with
            # less wait budget left than that, a plain GET keeps us within the budget.
            blocking = wait_until.remaining() >= poll.long_poll_hold
            operation = "get_instance_status" if blocking else "get_instance"
            started = time.monotonic()
            resp = self._call(
                operation,
                "GET",
                _instance_path(project, instance_id),
                actions=["instancestatus"] if blocking else [],
                project=project,
                instance_id=instance_id,
                deadline=deadline,
                read_timeout=self._config.read_timeout + (poll.long_poll_hold if blocking else 0),
            )
            headers = resp.headers
            instance = self._parse(
                operation,
                resp,
                lambda root: parse_instance(root, project, instance_id, headers),  # noqa: B023
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
            if exc.grpc_status.name == "NOT_FOUND":
                return False
            raise
        return True

    def get_task_statuses(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[Task, ...]:
        """``?taskstatus``: every task with its type, status and times, in server order."""
        validate_project_name(project)
        validate_instance_id(instance_id)
        resp = self._call(
            "get_task_statuses",
            "GET",
            _instance_path(project, instance_id),
            actions=["taskstatus"],
            project=project,
            instance_id=instance_id,
            deadline=deadline,
        )
        return self._parse("get_task_statuses", resp, parse_tasks)

    def get_task_results(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[TaskResult, ...]:
        """``?result``: each task's result text (CSV for SELECT, failure text for failed tasks)."""
        validate_project_name(project)
        validate_instance_id(instance_id)
        resp = self._call(
            "get_task_results",
            "GET",
            _instance_path(project, instance_id),
            actions=["result"],
            project=project,
            instance_id=instance_id,
            deadline=deadline,
        )
        return self._parse("get_task_results", resp, parse_task_results)

    def get_task_progress(
        self,
        project: str,
        instance_id: str,
        task_name: str,
        *,
        deadline: Deadline | None = None,
    ) -> TaskProgress:
        """``?instanceprogress={task}&taskname={task}``: stages and the PyODPS progress line."""
        validate_project_name(project)
        validate_instance_id(instance_id)
        validate_task_name(task_name)
        resp = self._call(
            "get_task_progress",
            "GET",
            _instance_path(project, instance_id),
            params=[("instanceprogress", task_name), ("taskname", task_name)],
            project=project,
            instance_id=instance_id,
            deadline=deadline,
        )
        stages = self._parse("get_task_progress", resp, parse_stages)
        now = datetime.now(UTC)
        return TaskProgress(
            task_name=task_name,
            stages=stages,
            formatted=format_stage_progress(stages, now),
            fetched_at=now,
        )

    def get_job(self, project: str, instance_id: str, *, deadline: Deadline | None = None) -> Job:
        """``?source``: the submitted job (priority, tasks with queries and settings, Guid)."""
        validate_project_name(project)
        validate_instance_id(instance_id)
        resp = self._call(
            "get_job",
            "GET",
            _instance_path(project, instance_id),
            actions=["source"],
            project=project,
            instance_id=instance_id,
            deadline=deadline,
        )
        return self._parse("get_job", resp, parse_job)

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
            self._call(
                "stop_instance",
                "PUT",
                _instance_path(project, instance_id),
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
        task_name: str = DEFAULT_SQL_TASK_NAME,
        request_id: str | None = None,
        job_name: str | None = None,
        deadline: Deadline | None = None,
    ) -> CreatedInstance:
        """Submit one SQL task; return the new instance id.

        ``hints`` become the task's ``settings`` JSON (booleans as ``"true"``/``"false"``,
        everything else through ``str``). ``request_id`` (a fresh UUID4 when ``None``) is
        written as the job ``Guid``, the ``uuid`` property and the
        ``mcgateway.request_id`` setting; see :meth:`find_created_instance` for how it
        prevents duplicates when the create fails ambiguously.
        """
        validate_project_name(project)
        validate_task_name(task_name)
        request_id = validate_request_id(request_id or str(uuid.uuid4()))
        if priority < 0:
            raise ValueError("priority must be >= 0")
        settings = {k: _setting_value(v) for k, v in (hints or {}).items()}
        settings[REQUEST_ID_SETTING] = request_id
        body = sql_job_xml(
            query,
            settings=settings,
            priority=priority,
            task_name=task_name,
            guid=request_id,
            uuid=request_id,
            job_name=job_name,
        )
        return self._create(project, body, request_id, deadline)

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
        if not xflow_name or not xflow_name.replace("_", "").isalnum():
            raise ValueError(f"invalid XFlow name {xflow_name!r}")
        request_id = validate_request_id(request_id or str(uuid.uuid4()))
        config = {k: _setting_value(v) for k, v in (hints or {}).items()}
        config[REQUEST_ID_SETTING] = request_id
        body = xflow_job_xml(
            project, xflow_project, xflow_name, parameters, config=config, priority=priority
        )
        return self._create(project, body, request_id, deadline)

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
        deadline = self._deadline(deadline)
        return self._find_created(project, request_id, since, deadline, checked=set())

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
        deadline = self._deadline(deadline)
        use_legacy = self._config.use_legacy_logview
        if use_legacy is not True:
            job_insight_host = self._discover_job_insight_host(deadline)
            if job_insight_host and self._region:
                url = (
                    f"{job_insight_host}/{self._region}/job-insights?h={self._endpoint}"
                    f"&p={project}&i={instance_id}"
                )
                return LogviewAddress(url=url, kind=LogviewKind.JOB_INSIGHT)
        hours = hours or self._config.logview_hours
        if hours <= 0:
            raise ValueError("hours must be positive")
        resp = self._call(
            "get_logview_token",
            "POST",
            ["projects", project, "authorization"],
            actions=["sign_bearer_token"],
            body=logview_token_body(project, instance_id, hours),
            content_type="application/json",
            project=project,
            instance_id=instance_id,
            deadline=deadline,
            # Signing a token changes nothing on the server, so it may be retried.
            idempotent=True,
        )
        token = self._parse("get_logview_token", resp, parse_authorization_token)
        host = self._discover_logview_host(deadline)
        url = f"{host}/logview/?h={self._endpoint}&p={project}&i={instance_id}&token={token}"
        return LogviewAddress(
            url=url,
            kind=LogviewKind.LEGACY,
            token=token,
            expires_at=datetime.now(UTC) + timedelta(hours=hours),
        )

    def get_xflow_actions(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[XFlowAction, ...]:
        """``?xresult``: the actions (steps) of an XFlow instance, in order."""
        validate_project_name(project)
        validate_instance_id(instance_id)
        resp = self._call(
            "get_xflow_result",
            "GET",
            _instance_path(project, instance_id),
            actions=["xresult"],
            project=project,
            instance_id=instance_id,
            deadline=deadline,
        )
        return self._parse("get_xflow_result", resp, parse_xflow_actions)

    def get_xflow_sub_instances(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> tuple[SubInstance, ...]:
        """The sub-instances of an XFlow instance, as PyODPS's ``get_xflow_sub_instances``.

        ``Instance`` actions give a sub-instance; ``SubWorkflow`` actions are followed with
        another ``?xresult`` (depth-limited); ``Local`` actions are skipped.
        """
        deadline = self._deadline(deadline)
        found: list[SubInstance] = []
        self._collect_sub_instances(project, instance_id, (), found, {instance_id}, deadline)
        return tuple(found)

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

    def _create(
        self, project: str, body: bytes, request_id: str, deadline: Deadline | None
    ) -> CreatedInstance:
        deadline = self._deadline(deadline)
        # The server stamps the instance with its own clock; allow for skew in the search.
        submitted_at = datetime.now(UTC)
        read_timeout = max(
            _MIN_ATTEMPT_SECONDS, deadline.remaining() * self._config.create_read_share
        )
        try:
            resp = self._call(
                "create_instance",
                "POST",
                ["projects", project, "instances"],
                body=body,
                content_type="application/xml",
                project=project,
                deadline=deadline,
                idempotent=False,
                read_timeout=read_timeout,
            )
        except MaxComputeError as exc:
            if not exc.ambiguous:
                raise
            logger.warning(
                "create in project %s failed ambiguously (%s); searching for request %s",
                project,
                exc.code,
                request_id,
            )
            instance_id = self._recover_create(project, request_id, submitted_at, deadline)
            if instance_id is not None:
                return CreatedInstance(project, instance_id, request_id, recovered=True)
            raise MaxComputeError(
                SyntheticCode.CREATE_OUTCOME_UNKNOWN,
                f"create failed with {exc.code} after the request was sent, and no instance "
                f"with request id {request_id} was found; retrying with the same request id "
                "and find_created_instance() first avoids a duplicate",
                http_status=exc.http_status,
                request_id=exc.request_id,
                operation="create_instance",
                project=project,
                attempts=exc.attempts,
            ) from exc
        location = resp.header("Location")
        if not location:
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                "create response has no Location header",
                http_status=resp.status,
                operation="create_instance",
                project=project,
            )
        instance_id = location.rstrip("/").rsplit("/", 1)[-1]
        try:
            validate_instance_id(instance_id)
        except ValueError as exc:
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                "create response Location does not end in a valid instance id",
                http_status=resp.status,
                operation="create_instance",
                project=project,
            ) from exc
        return CreatedInstance(project, instance_id, request_id)

    def _recover_create(
        self, project: str, request_id: str, since: datetime, deadline: Deadline
    ) -> str | None:
        search_deadline = deadline.earlier(self._config.create_lookup_timeout)
        checked: set[str] = set()
        check = 0
        while True:
            check += 1
            try:
                found = self._find_created(project, request_id, since, search_deadline, checked)
            except MaxComputeError as exc:
                logger.warning("search for request %s failed: %s", request_id, exc.code)
                found = None
            if found is not None:
                return found
            # The instance may appear only once the server finished the slow create.
            pause = self._config.poll.interval(check)
            if search_deadline.remaining() <= pause + _MIN_ATTEMPT_SECONDS:
                return None
            self._sleep(pause)

    def _find_created(
        self,
        project: str,
        request_id: str,
        since: datetime,
        deadline: Deadline,
        checked: set[str],
    ) -> str | None:
        start = since - timedelta(seconds=self._config.clock_skew_allowance)
        candidates: list[Instance] = []
        for instance in self.iter_instances(
            project,
            filter=ListFilter(start_time=start, only_owner=True),
            deadline=deadline,
        ):
            if instance.start_time is not None and instance.start_time < start:
                continue
            if instance.id not in checked:
                candidates.append(instance)
        # Newest first (servers list oldest first): the instance we look for was created
        # moments ago. Only the newest few have their job read.
        candidates.sort(
            key=lambda i: i.start_time or datetime.max.replace(tzinfo=UTC), reverse=True
        )
        for instance in candidates[: self._config.create_lookup_limit]:
            if self._carries_request_id(project, instance.id, request_id, deadline):
                return instance.id
            checked.add(instance.id)
        return None

    def _carries_request_id(
        self, project: str, instance_id: str, request_id: str, deadline: Deadline
    ) -> bool:
        try:
            job = self.get_job(project, instance_id, deadline=deadline)
        except MaxComputeError as exc:
            if exc.grpc_status.name != "NOT_FOUND":
                raise
            job = None  # XFlow instances have no SQL job source
        if job is not None:
            if job.guid == request_id:
                return True
            for task in job.tasks:
                props = task.property_map
                if props.get(REQUEST_ID_SETTING) == request_id:
                    return True
                try:
                    settings = json.loads(props.get("settings") or "{}")
                except ValueError:
                    settings = {}
                if isinstance(settings, dict) and settings.get(REQUEST_ID_SETTING) == request_id:
                    return True
            if job.tasks:
                return False
        # An XFlow instance: its submitted document lives behind ?xsource.
        try:
            resp = self._call(
                "get_xflow_source",
                "GET",
                _instance_path(project, instance_id),
                actions=["xsource"],
                project=project,
                instance_id=instance_id,
                deadline=deadline,
            )
        except MaxComputeError as exc:
            if exc.grpc_status.name == "NOT_FOUND":
                return False
            raise
        config = self._parse("get_xflow_source", resp, parse_xflow_config)
        return config.get(REQUEST_ID_SETTING) == request_id

    def _discover_logview_host(self, deadline: Deadline) -> str:
        with self._lock:
            if self._logview_host:
                return self._logview_host
        host = self._side_text("get_logview_host", ["logview", "host"], deadline)
        host = (host or DEFAULT_LOGVIEW_HOST).rstrip("/")
        with self._lock:
            self._logview_host = host
        return host

    def _discover_job_insight_host(self, deadline: Deadline) -> str | None:
        with self._lock:
            if self._job_insight_checked:
                return self._job_insight_host
        if (
            not _job_insight_released(self._endpoint)
            and self._config.use_legacy_logview is not False
        ):
            host = None
        else:
            host = self._side_text("get_job_insight_host", ["webconsole", "host"], deadline)
        with self._lock:
            self._job_insight_host = host.rstrip("/") if host else None
            self._job_insight_checked = True
            return self._job_insight_host

    def _side_text(self, operation: str, segments: Sequence[str], deadline: Deadline) -> str | None:
        """A plain-text side endpoint; any failure means "unknown", as in PyODPS."""
        try:
            resp = self._call(operation, "GET", segments, deadline=deadline.earlier(5.0))
        except MaxComputeError:
            return None
        text = resp.body.decode("utf-8", errors="replace").strip()
        if not text.startswith(("http://", "https://")) or any(c.isspace() for c in text):
            return None
        return text

    def _deadline(self, deadline: Deadline | None) -> Deadline:
        return deadline if deadline is not None else Deadline.after(self._config.default_timeout)

    def _parse(self, operation: str, resp: HttpResponse, parser: Callable[..., _T]) -> _T:
        try:
            return parser(parse_document(resp.body))
        except MalformedDocument as exc:
            raise MaxComputeError(
                SyntheticCode.MALFORMED_RESPONSE,
                f"unparseable {operation} response: {exc}",
                http_status=resp.status,
                request_id=resp.header("x-odps-request-id"),
                operation=operation,
            ) from exc

    def _call(
        self,
        operation: str,
        method: str,
        segments: Sequence[str],
        *,
        actions: Sequence[str] = (),
        params: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        content_type: str | None = None,
        project: str | None = None,
        instance_id: str | None = None,
        deadline: Deadline | None = None,
        idempotent: bool | None = None,
        read_timeout: float | None = None,
    ) -> HttpResponse:
        """The chokepoint: sign, send, retry, map errors, report. Returns a < 400 response."""
        deadline = self._deadline(deadline)
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "PUT", "DELETE")
        curr_project = self._config.default_project or project
        query = list(params)
        if curr_project is not None:
            query.append(("curr_project", curr_project))
        url = build_url(self._endpoint, segments, actions=actions, params=query)
        policy = self._config.retry
        attempt = 0
        v4_fallback_done = False
        while True:
            attempt += 1
            remaining = deadline.remaining()
            if remaining < _MIN_ATTEMPT_SECONDS:
                raise MaxComputeError(
                    SyntheticCode.DEADLINE_EXCEEDED,
                    "deadline exceeded before the request could be sent",
                    operation=operation,
                    project=project,
                    instance_id=instance_id,
                    attempts=attempt - 1,
                )
            region = self._sign_region()
            request = self._sign(
                method,
                url,
                body,
                content_type,
                region,
                connect_timeout=min(self._config.connect_timeout, remaining),
                read_timeout=min(read_timeout or self._config.read_timeout, remaining),
            )
            outcome = self._attempt(operation, request, idempotent, attempt)
            if outcome.response is not None:
                return outcome.response
            error = outcome.error
            assert error is not None
            retryable = outcome.retryable
            error.with_context(operation=operation, project=project, instance_id=instance_id)
            error.attempts = attempt
            if region and not v4_fallback_done and _needs_v2_fallback(error):
                # PyODPS's rule: the server does not take v4 here; sign v2 from now on.
                logger.info("falling back to v2 signatures for %s: %s", self._endpoint, error.code)
                with self._lock:
                    self._v4_disabled = True
                v4_fallback_done = True
                attempt -= 1
                continue
            if not retryable or attempt >= policy.max_attempts:
                raise error
            retry_after = error.retry_after or 0.0
            if retry_after > policy.max_retry_after:
                raise error
            pause = max(policy.backoff(attempt), retry_after)
            if pause + _MIN_ATTEMPT_SECONDS >= deadline.remaining():
                raise error
            logger.debug("retrying %s after %s in %.3fs", operation, error.code, pause)
            self._sleep(pause)

    def _attempt(
        self, operation: str, request: HttpRequest, idempotent: bool, attempt: int
    ) -> _Outcome:
        """Send once and classify the result."""
        started = time.monotonic()
        try:
            resp = self._transport.send(request)
        except TransportFailure as failure:
            latency = time.monotonic() - started
            code = _FAILURE_CODES.get(failure.kind, SyntheticCode.CONNECTION_RESET)
            error = MaxComputeError(
                code,
                f"{failure.kind.replace('_', ' ')} after {latency:.3f}s ({failure.detail})",
                operation=operation,
                ambiguous=failure.sent and not idempotent,
            )
            self._report(operation, error, latency, None, attempt)
            # Nothing sent: always safe to retry. Sent: only when repeating is harmless.
            return _Outcome(None, error, (not failure.sent) or idempotent)
        latency = time.monotonic() - started
        if resp.status < 400:
            self._report(operation, None, latency, resp.status, attempt)
            return _Outcome(resp, None, False)
        error = error_from_response(resp.status, resp.headers, resp.body, operation=operation)
        self._report(operation, error, latency, resp.status, attempt)
        if idempotent:
            # Besides PyODPS's 502/503/504, anything that maps to UNAVAILABLE (for example an
            # InternalServerError document, which PyODPS retries one layer up) is transient.
            retryable = (
                resp.status in self._config.retry.retry_statuses
                or error.is_throttling
                or error.grpc_status is grpc.StatusCode.UNAVAILABLE
            )
        else:
            # A definite rejection (throttled, or a MaxCompute 503 error document) means the
            # request was not executed; a bare 502/503/504 may come from a proxy after the
            # backend acted, so it is ambiguous and must not be repeated blindly.
            definite = error.is_throttling or (
                resp.status == 503 and not error.code.startswith("HTTP_")
            )
            retryable = definite
            error.ambiguous = not definite and resp.status in (502, 503, 504)
        return _Outcome(None, error, retryable)

    def _report(
        self,
        operation: str,
        error: MaxComputeError | None,
        latency: float,
        http_status: int | None,
        attempt: int,
    ) -> None:
        event = UpstreamRequest(
            operation=operation,
            code="OK" if error is None else error.grpc_status.name,
            latency_seconds=latency,
            http_status=http_status,
            error_code=None if error is None else error.code,
            attempt=attempt,
        )
        try:
            self._observer(event)
        except Exception:
            # Metrics must never break a call.
            logger.exception("request observer failed")

    def _sign_region(self) -> str | None:
        with self._lock:
            return None if self._v4_disabled else self._region

    def _sign(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        region: str | None,
        *,
        connect_timeout: float,
        read_timeout: float,
    ) -> HttpRequest:
        ua = self._config.user_agent
        headers: dict[str, str] = {"User-Agent": ua, "x-odps-user-agent": ua}
        if self._config.namespace:
            headers["x-odps-namespace-id"] = self._config.namespace
        if content_type is not None:
            headers["Content-Type"] = content_type
        if body is not None or method in ("POST", "PUT"):
            headers["Content-Length"] = str(len(body or b""))
        headers["Date"] = http_date()
        credentials = self._config.credentials
        canonical = canonical_string(method, url, self._endpoint, headers)
        headers["Authorization"] = authorization_header(credentials, canonical, region)
        if credentials.security_token:
            # STS: the token travels unsigned beside a normal signature.
            headers["authorization-sts-token"] = credentials.security_token
        return HttpRequest(
            method=method,
            url=url,
            headers=headers,
            body=body,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )


def _instance_path(project: str, instance_id: str) -> list[str]:
    return ["projects", project, "instances", instance_id]


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


def _needs_v2_fallback(error: MaxComputeError) -> bool:
    text = f"{error.code} {error.message}"
    if error.code in _INTERNAL_ERROR_CODES:
        return any(t in text.lower() for t in _V4_FALLBACK_INTERNAL_TEXTS)
    if error.code == "InvalidParameter":
        return "ODPS-0410051" in text
    if error.code in ("AuthorizationRequired", "Unauthorized"):
        return "invalid or missing" in text
    return False


def _job_insight_released(endpoint: str) -> bool:
    """PyODPS asks for a job-insight host for any host name that is not a bare IP address."""
    host = urlparse(endpoint).hostname
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False
