"""Handlers of the MaxCompute REST operations: documents in, engine calls, documents out."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from mcemulator import documents, errors, reports, tokens, workers
from mcemulator.access import Principal
from mcemulator.config import EmulatorConfig
from mcemulator.engine import Engine, ListQuery
from mcemulator.model import Instance, InstanceStatus, JobSpec, Task
from mcemulator.routing import API_PREFIX, Route
from mcemulator.tunnel import InstanceTunnel

XML = "application/xml"
Handler = Callable[[web.Request, Route, Principal], Awaitable[web.StreamResponse]]
_MAX_PAGE = 10000
_DEFAULT_PAGE = 1000


def xml_response(
    body: str, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """An XML answer."""
    return web.Response(text=body, status=status, content_type=XML, headers=headers)


def _owner(config: EmulatorConfig, access_id: str) -> str:
    return config.owner_format.replace("{access_id}", access_id)


def _int_param(params: dict[str, str], key: str, default: int) -> int:
    raw = params.get(key, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise errors.invalid_parameter(f"Invalid {key} - {raw}") from exc
    if value <= 0:
        raise errors.invalid_parameter(f"Invalid {key} - {raw}")
    return min(value, _MAX_PAGE)


def _date_range(raw: str) -> tuple[float | None, float | None]:
    if not raw:
        return None, None
    start, _, end = raw.partition(":")
    try:
        return (float(start) if start else None, float(end) if end else None)
    except ValueError as exc:
        raise errors.invalid_parameter(f"Invalid daterange - {raw}") from exc


class Operations:
    """One method per operation name; the app picks it by the request's :class:`Route`."""

    def __init__(self, engine: Engine, config: EmulatorConfig, started: float) -> None:
        self.engine = engine
        self.config = config
        self.started = started
        self.table: dict[str, Handler] = {
            "logview_host": self.logview_host,
            "webconsole_host": self.webconsole_host,
            "tenants": self.tenants,
            "project": self.project,
            "project_logs": self.project_logs,
            "tunnel": self.tunnel,
            "list_instances": self.list_instances,
            "create_instance": self.create_instance,
            "get_instance": self.get_instance,
            "get_instance_status": self.get_instance_status,
            "stop_instance": self.stop_instance,
            "task_status": self.task_status,
            "task_result": self.task_result,
            "task_progress": self.task_progress,
            "task_summary": self.task_summary,
            "task_detail": self.task_detail,
            "worker_log": self.worker_log,
            "queueing_info": self.queueing_info,
            "list_queueing_infos": self.list_queueing_infos,
            "job_source": self.job_source,
            "xflow": self.xflow,
            "logview": self.logview,
            "tunnel_create": self.tunnel_create,
            "tunnel_session": self.tunnel_session,
            "tunnel_data": self.tunnel_data,
        }
        self.instance_tunnel = InstanceTunnel(engine)

    # -- side requests ---------------------------------------------------------------

    async def logview_host(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """Plain-text logview host: the emulator serves its own logview page."""
        return web.Response(text=f"{request.scheme}://{request.host}", content_type="text/plain")

    async def webconsole_host(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """No job-insight console: PyODPS then keeps the legacy logview form."""
        raise errors.ServiceError(404, "NoSuchObject", "Web console is not available")

    async def tenants(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """Tenant properties; schema namespaces are off, as PyODPS expects by default."""
        body = {"Tenant": {"Name": "mcemulator", "Parameters": {"odps.namespace.schema": "false"}}}
        return web.json_response(body)

    async def project(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """Project metadata."""
        assert route.project is not None
        return xml_response(
            documents.project(route.project, _owner(self.config, who.access_id), self.started)
        )

    async def project_logs(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """PyODPS's usage survey: accepted and dropped."""
        await request.read()
        return web.Response(status=200)

    async def tunnel(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """``?service``: the tunnel's address, this endpoint (PyODPS and the Java SDK prefix
        it with the API endpoint's scheme and append the resource paths to it)."""
        return web.Response(text=f"{request.host}{API_PREFIX}", content_type="text/plain")

    async def tunnel_create(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """``POST /projects/{p}/instances/{id}?downloads``: a download session."""
        assert route.project is not None and route.instance_id is not None
        assert route.params is not None
        await request.read()
        return await self.instance_tunnel.create(route.project, route.instance_id, route.params)

    async def tunnel_session(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """``GET ?downloadid=``: reload a download session."""
        assert route.project is not None and route.instance_id is not None
        assert route.params is not None
        return await self.instance_tunnel.reload(route.project, route.instance_id, route.params)

    async def tunnel_data(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.StreamResponse:
        """``GET ?data&downloadid=&rowrange=``: rows of a download session."""
        assert route.project is not None and route.instance_id is not None
        assert route.params is not None
        return await self.instance_tunnel.read(
            request, route.project, route.instance_id, route.params
        )

    # -- instances ---------------------------------------------------------------------

    def _list_query(self, params: dict[str, str], who: Principal, unfinished: bool) -> ListQuery:
        """Filters and paging of a list request: ``status``, ``onlyowner``, ``daterange``,
        ``jobname``, ``maxitems``, ``marker``."""
        status = None
        if params.get("status"):
            try:
                status = InstanceStatus(params["status"].capitalize())
            except ValueError as exc:
                raise errors.invalid_parameter(f"Invalid status - {params['status']}") from exc
        start, end = _date_range(params.get("daterange", ""))
        only_owner = params.get("onlyowner", "").lower() == "yes"
        return ListQuery(
            status=status,
            owner=_owner(self.config, who.access_id) if only_owner else None,
            start=start,
            end=end,
            job_name=params.get("jobname") or None,
            max_items=_int_param(params, "maxitems", _DEFAULT_PAGE),
            marker=params.get("marker") or None,
            unfinished=unfinished,
        )

    async def list_instances(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """A page of instances with the filters PyODPS sends."""
        assert route.project is not None and route.params is not None
        query = self._list_query(route.params, who, unfinished=False)
        page, marker = self.engine.list(route.project, query)
        return xml_response(documents.instance_list(page, marker, query.max_items))

    async def create_instance(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """Create an SQL or XFlow instance: 201 + Location, empty body (asynchronous)."""
        assert route.project is not None
        spec = documents.parse_create(await request.read())
        owner = _owner(self.config, who.access_id)
        if isinstance(spec, JobSpec):
            inst = await self.engine.create_sql(route.project, owner, spec)
        else:
            inst = await self.engine.create_xflow(route.project, owner, spec)
        location = (
            f"{request.scheme}://{request.host}/api/projects/{route.project}/instances/{inst.id}"
        )
        return web.Response(status=201, headers={"Location": location, "Content-Length": "0"})

    def _instance(self, route: Route) -> tuple[dict[str, str], Instance]:
        """The routed instance (or NoSuchObject) and the headers describing it."""
        assert route.project is not None and route.instance_id is not None
        inst = self.engine.get(route.project, route.instance_id)
        # x-odps-end-time is empty while the instance runs, as the service sends it: the Java
        # SDK parses the header unconditionally and fails on a missing one.
        headers = {
            "x-odps-owner": inst.owner,
            "x-odps-start-time": documents.http_date(inst.start_time),
            "x-odps-end-time": documents.http_date(inst.end_time),
        }
        return headers, inst

    @staticmethod
    def _task(route: Route, inst: Instance) -> Task:
        """The task named by ``taskname`` (required), or ``NoSuchObject``."""
        assert route.params is not None
        name = route.params.get("taskname", "")
        if not name:
            raise errors.invalid_parameter("Invalid parameter - taskname is required")
        for task in inst.tasks:
            if task.name == name:
                return task
        raise errors.ServiceError(404, "NoSuchObject", f"ODPS-0420111: Task not found - {name}")

    async def get_instance(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """Instance status with owner and time headers."""
        headers, inst = self._instance(route)
        return xml_response(documents.instance_status(inst), headers=headers)

    async def get_instance_status(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """Blocking status: held until the status changes or ``long_poll_seconds`` pass."""
        _, inst = self._instance(route)
        if inst.status != InstanceStatus.TERMINATED:
            await self.engine.wait_change(inst, self.config.long_poll_seconds)
        headers, inst = self._instance(route)
        return xml_response(documents.instance_status(inst), headers=headers)

    async def stop_instance(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """``PUT <Status>Terminated</Status>``: stop a running instance."""
        assert route.project is not None and route.instance_id is not None
        self.engine.get(route.project, route.instance_id)  # NoSuchObject before body errors
        wanted = documents.parse_status_change(await request.read())
        if wanted != InstanceStatus.TERMINATED.value:
            raise errors.invalid_state(f"cannot set instance status to {wanted}")
        await self.engine.stop(route.project, route.instance_id)
        return web.Response(status=200)

    async def task_status(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """Every task's status and times."""
        headers, inst = self._instance(route)
        return xml_response(documents.task_statuses(inst), headers=headers)

    async def task_result(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """Every task's result text."""
        headers, inst = self._instance(route)
        return xml_response(documents.task_results(inst), headers=headers)

    async def task_progress(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """Stage progress of one task (``taskname``, else the ``instanceprogress`` value)."""
        _, inst = self._instance(route)
        assert route.params is not None
        name = route.params.get("taskname") or route.params.get("instanceprogress") or ""
        task = next((t for t in inst.tasks if t.name == name), None)
        if task is None and name:
            raise errors.ServiceError(404, "NoSuchObject", f"Task not found - {name}")
        return xml_response(documents.progress(task or (inst.tasks[0] if inst.tasks else None)))

    async def task_summary(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """``?instancesummary&taskname=``: JSON and text summary with the cost so far.

        ``x-odps-task-finalized`` says whether the task has ended (its summary is final).
        """
        _, inst = self._instance(route)
        task = self._task(route, inst)
        data, text = reports.summary(task)
        body = {"Instance": {"JsonSummary": json.dumps(data), "Summary": text}}
        finalized = "true" if task.status.finished else "false"
        return web.json_response(body, headers={"x-odps-task-finalized": finalized})

    async def task_detail(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """``?instancedetail`` / ``?detail`` with ``taskname``: stages, workers and log ids."""
        _, inst = self._instance(route)
        task = self._task(route, inst)
        return web.json_response(reports.detail(inst, task))

    async def worker_log(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """``?log&id=&logtype=&size=``: a worker's log; ``size`` > 0 keeps its last bytes."""
        _, inst = self._instance(route)
        assert route.params is not None
        log_id = route.params.get("id", "")
        if not log_id:
            raise errors.invalid_parameter("Invalid parameter - id (a worker's log id) is required")
        log_type = route.params.get("logtype") or "stdout"
        if log_type not in workers.LOG_TYPES:
            raise errors.invalid_parameter(
                f"Invalid parameter - logtype {log_type}, expected one of "
                + ", ".join(workers.LOG_TYPES)
            )
        size = _size_param(route.params.get("size", ""))
        missing = errors.ServiceError(
            404, "NoSuchObject", f"ODPS-0420111: Log not found - {log_id}"
        )
        parsed = workers.parse_log_id(log_id)
        if parsed is None or parsed[0] != inst.id:
            raise missing
        _, task_name, stage, index = parsed
        task = next((t for t in inst.tasks if t.name == task_name), None)
        worker = None if task is None else workers.find_worker(inst, task, stage, index)
        if task is None or worker is None:
            raise missing
        data = workers.log_text(inst, task, worker, log_type).encode()
        if size:
            data = data[-size:]  # bytes, as the service counts them (a character may be cut)
        return web.Response(body=data, content_type="text/plain", charset="utf-8")

    async def queueing_info(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """``?cached``: the instance's priority, progress, status and queue position."""
        _, inst = self._instance(route)
        return web.json_response(reports.queueing_info(inst, self.engine.queue_state(inst)))

    async def list_queueing_infos(
        self, request: web.Request, route: Route, who: Principal
    ) -> web.Response:
        """``GET /projects/{p}/cachedinstances``: queueing info of the unfinished instances,
        with the list's filters and paging (``quotaIndex`` is accepted and ignored)."""
        assert route.project is not None and route.params is not None
        query = self._list_query(route.params, who, unfinished=True)
        page, marker = self.engine.list(route.project, query)
        infos = [reports.queueing_info(i, self.engine.queue_state(i)) for i in page]
        return xml_response(documents.queueing_list(infos, marker, query.max_items))

    async def job_source(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """The submitted ``<Job>``."""
        _, inst = self._instance(route)
        if inst.kind != "sql":
            raise errors.ServiceError(404, "NoSuchObject", "Instance has no SQL job source")
        return xml_response(documents.job_source(inst))

    async def xflow(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """``?xresult`` (actions and sub-instances) or ``?xsource`` of an XFlow instance."""
        _, inst = self._instance(route)
        if inst.kind != "xflow":
            raise errors.ServiceError(404, "NoSuchObject", f"{inst.id} is not an XFlow instance")
        if route.action == "xsource":
            return xml_response(documents.job_source(inst))
        return xml_response(documents.xflow_result(inst))

    async def logview(self, request: web.Request, route: Route, who: Principal) -> web.Response:
        """``POST /projects/{p}/authorization?sign_bearer_token``: issue a logview token."""
        assert route.project is not None and route.params is not None
        if "sign_bearer_token" not in route.params:
            raise errors.invalid_parameter("Only ?sign_bearer_token is served on authorization")
        try:
            payload = json.loads(await request.read())
            hours = float(payload.get("expires_in_hours", 720))
            policy = payload["policy"]
            if not isinstance(policy, dict) or not 0 < hours <= 24 * 365:
                raise ValueError("bad policy or hours")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise errors.invalid_parameter(f"Invalid token request - {exc}") from exc
        outside = tokens.resources_outside(policy, route.project)
        if outside:
            # A token signed through project p grants only p's resources: the caller's
            # permission was checked for p alone.
            raise errors.ServiceError(
                403,
                "NoPermission",
                f"ODPS-0420095: Access Denied - the policy names resources outside project "
                f"{route.project}: {', '.join(outside)}",
            )
        return xml_response(documents.authorization(self.engine.tokens.issue(policy, hours)))


def _size_param(raw: str) -> int:
    """``size`` of a log request: absent or 0 for the whole log, else a positive length."""
    if raw == "":
        return 0
    try:
        value = int(raw)
    except ValueError as exc:
        raise errors.invalid_parameter(f"Invalid size - {raw}") from exc
    if value < 0:
        raise errors.invalid_parameter(f"Invalid size - {raw}")
    return value
