"""The InstanceService servicer: every RPC of the v1 contract, mapped to MaxCompute.

Handlers are thin: validate (``validation``), read through the terminated-instance cache
(``cache``) or call the REST client through the upstream (``mcgateway.upstream``), convert
(``mcgateway.wire``). Every handler runs inside the
:class:`~mcgateway.service.chokepoint.Chokepoint`, which has already authenticated the
caller and resolved and authorized the project. The three watch RPCs are delegated to
:class:`~mcgateway.service.watch_rpcs.WatchRpcs` over the watch hub.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

import grpc
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2, instance_service_pb2_grpc

from mcgateway import domain, wire
from mcgateway.auth import authorize
from mcgateway.errors import GatewayError, Reason
from mcgateway.maxcompute import Deadline, ErrorCategory, MaxComputeError, SyntheticCode
from mcgateway.service import validation
from mcgateway.service.audit import audit
from mcgateway.service.cache import Cached, TerminalCache, key
from mcgateway.service.chokepoint import Call, Chokepoint, Context, ProjectRequest
from mcgateway.service.depth import DepthRpcs, task_not_found
from mcgateway.service.paging import LocalPager, PageTokenCodec
from mcgateway.service.results import ResultRpcs
from mcgateway.service.status import reason_for, upstream_metadata
from mcgateway.service.stops import InstanceStops
from mcgateway.service.watch_rpcs import HEARTBEAT_MAX, HEARTBEAT_MIN, Following, WatchRpcs
from mcgateway.upstream import Upstream, gather_instance_view
from mcgateway.watch import Observation

__all__ = ["IDEMPOTENCY_WINDOW", "JOB_NAME_PREFIX", "STOP_DRAIN_SECONDS", "InstanceServicer"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

pb = instance_service_pb2

IDEMPOTENCY_WINDOW = timedelta(minutes=15)
"""How far back a submission's ``request_id`` is looked up in MaxCompute (BigQuery's window)."""

# Submissions remembered per gateway for request_id idempotency (then found upstream).
_MAX_REMEMBERED_SUBMISSIONS = 10000

JOB_NAME_PREFIX = "mcgw-"
"""SQL jobs submitted with a request_id are named ``mcgw-<request_id>``, so a retry finds
them with one filtered list call (MaxCompute ``jobname``) instead of reading job sources."""

STOP_DRAIN_SECONDS = 5.0
"""At shutdown, how long the gateway waits for ``stop_on_cancel`` stops under way."""

# A creation shared by the calls of one request_id: (instance id, whether it made the
# instance rather than finding one an earlier call made).
_Creation = asyncio.Future[tuple[str, bool]]

# ExecuteSqlResponse.reattached = true, encoded (field 7, varint 1).
_REATTACHED = pb.ExecuteSqlResponse(reattached=True).SerializeToString()

# Logview URLs of XFlow sub-instances are fetched concurrently, but not without bound.
_SUB_INSTANCE_LOGVIEW_CONCURRENCY = 8


def _size_of_instance(instance: instance_pb2.Instance) -> int:
    # A rough estimate of the Python objects plus the serialized message.
    return 600 + 300 * len(instance.tasks) + len(instance.failure_message)


_Req = TypeVar("_Req", bound=ProjectRequest)
_Resp = TypeVar("_Resp")


def _unary(
    handler: Callable[[InstanceServicer, Call, _Req], Awaitable[_Resp]],
) -> Callable[[InstanceServicer, _Req, Context], Coroutine[Any, Any, _Resp]]:
    """Make ``handler(self, call, request)`` the unary RPC of its name, run in the chokepoint.

    The RPC's name is the handler's; the chokepoint authenticates, resolves the project,
    counts and translates errors before and after the handler runs.
    """
    method = handler.__name__

    @functools.wraps(handler)
    async def rpc(self: InstanceServicer, request: _Req, context: Context) -> _Resp:
        return await self._choke.run(method, request, context, functools.partial(handler, self))

    return rpc


def _by_depth(handler: Callable[[DepthRpcs, Call, _Req], Awaitable[_Resp]]) -> Any:
    """Make the :class:`DepthRpcs` method ``handler`` the unary RPC of its name, answered by
    the servicer's ``DepthRpcs`` (run in the chokepoint like every ``@_unary`` handler).

    Typed ``Any`` because it is assigned as a class attribute, where mypy compares it with
    the generated base's method type (grpc's own context stub); grpc alone calls it.
    """

    @functools.wraps(handler)
    async def on_servicer(self: InstanceServicer, call: Call, request: _Req) -> _Resp:
        return await handler(self._depth, call, request)

    return _unary(on_servicer)


class InstanceServicer(instance_service_pb2_grpc.InstanceServiceServicer):
    """Implements ``maxcompute.gateway.v1.InstanceService``.

    Unary RPCs are ``@_unary`` methods taking the chokepoint's :class:`Call` and the request;
    the two watch streams hand their call to :class:`WatchRpcs`.
    """

    def __init__(
        self,
        *,
        upstream: Upstream,
        cache: TerminalCache,
        chokepoint: Chokepoint,
        pages: PageTokenCodec,
        watch_rpcs: WatchRpcs,
    ) -> None:
        self._upstream = upstream
        self._cache = cache
        self._choke = chokepoint
        self._pages = pages
        self._watch = watch_rpcs
        self._submissions: dict[tuple[str, str], _Creation] = {}
        self._stops = InstanceStops(upstream, cache)
        self._results_rpcs = ResultRpcs(upstream=upstream, instance_view=self._instance)
        self._depth = DepthRpcs(
            upstream=upstream,
            cache=cache,
            pages=pages,
            watch_rpcs=watch_rpcs,
            instance_view=self._instance,
        )

    @property
    def stops(self) -> InstanceStops:
        """The stops of ExecuteSql calls whose callers left (``stop_on_cancel``)."""
        return self._stops

    def begin_shutdown(self) -> None:
        """The gateway is stopping: calls end because it ends them, so none stops its
        instance any more."""
        self._stops.begin_shutdown()

    async def close(self) -> None:
        """Wait (briefly) for the stops under way; call after :meth:`begin_shutdown`."""
        await self._stops.close(STOP_DRAIN_SECONDS)

    # ------------------------------------------------------------------ shared reads

    async def _read_instance(
        self, project: str, instance_id: str, timeout: float | None
    ) -> Cached[instance_pb2.Instance]:
        """GET + ``?taskstatus`` (+ ``?result`` for a failed task), as one cacheable view."""
        up = self._upstream
        view = await gather_instance_view(up, project, instance_id, deadline=up.deadline(timeout))
        instance, results = view.instance, view.results
        # The same text WatchInstance's TERMINAL message carries, so both RPCs agree.
        failure = domain.failure_message(instance, results or ())
        if results is not None and view.terminal:
            self._cache.put(
                key("results", project, instance_id),
                Cached(results, True, sum(len(r.content) + 200 for r in results)),
            )
        message = wire.instance_to_proto(instance, tasks_read=True, failure_message=failure)
        return Cached(message, view.terminal, _size_of_instance(message))

    async def _instance(self, call: Call, instance_id: str) -> instance_pb2.Instance:
        """The instance view: from a healthy watch poller's fresh state when one follows
        the instance (no upstream request), from the cache when terminated."""
        project = call.project
        followed = self._followed(project, instance_id)
        if followed is not None:
            return followed.instance_pb()
        return await self._cache.get_or_load(
            key("instance", project, instance_id),
            lambda: self._read_instance(project, instance_id, call.time_remaining()),
        )

    def _followed(
        self, project: str, instance_id: str, *, progress: bool = False
    ) -> Observation | None:
        """The watch hub's state of the instance when it may answer in MaxCompute's place
        (``hub_read_max_age``; docs/perf.md): what every watcher is being shown, read after
        the gateway's last stop of the instance. Not while a task has failed: the answer
        would need the failure text, which the poller reads only at termination."""
        state = self._watch.hub.fresh_state(
            project,
            instance_id,
            since=self._cache.invalidated_at(project, instance_id),
            progress=progress,
        )
        if state is None or any(t.status is domain.TaskStatus.FAILED for t in state.instance.tasks):
            return None
        return state

    def _cached_instance(self, project: str, instance_id: str) -> instance_pb2.Instance | None:
        value: instance_pb2.Instance | None = self._cache.get(key("instance", project, instance_id))
        return value

    def _terminated_view(self, project: str, instance_id: str) -> instance_pb2.Instance | None:
        """The cached view of an instance known to be terminated, without counting a lookup."""
        view = self._cache.peek(key("instance", project, instance_id))
        if view is not None and view.state == _TERMINATED:
            return view  # type: ignore[no-any-return]
        return None

    def _pager(self, call: Call, request: _LocalListRequest) -> LocalPager:
        """The page a ListTasks/ListTaskResults/ListSubInstances request asks for, checked
        before any upstream call: the instance id and page size, then the page token."""
        v = validation.Violations()
        validation.check_instance_id(v, request.instance_id)
        size = validation.check_page_size(v, request.page_size)
        v.raise_if_any()
        return LocalPager.open(
            self._pages,
            method=call.method,
            project=call.project,
            instance_id=request.instance_id,
            page_size=size,
            page_token=request.page_token,
        )

    async def _results(self, call: Call, instance_id: str) -> tuple[domain.TaskResult, ...]:
        project = call.project
        timeout = call.time_remaining()

        async def load() -> Cached[tuple[domain.TaskResult, ...]]:
            # Results are final only if the instance had terminated before they were read.
            final = self._terminated_view(project, instance_id) is not None
            up = self._upstream
            try:
                results = await up.run(
                    up.client.get_task_results, project, instance_id, deadline=up.deadline(timeout)
                )
            except MaxComputeError as exc:
                if exc.code != SyntheticCode.RESPONSE_TOO_LARGE:
                    raise
                # The REST client states the fact; what to do about it is said here.
                limit = up.client.max_body_bytes
                raise GatewayError(
                    grpc.StatusCode.FAILED_PRECONDITION,
                    reason_for(exc),
                    f"the task results of instance {instance_id} are larger than the "
                    f"gateway's {_byte_size(limit)} limit (upstream_max_body_bytes); read them "
                    "through the instance tunnel (ReadInstanceResult) or ask the "
                    "gateway operator to raise the limit",
                    metadata={
                        **upstream_metadata(exc),
                        "project": project,
                        "instance_id": instance_id,
                        "limit_bytes": str(limit),
                    },
                ) from exc
            return Cached(results, final, sum(len(r.content) + 200 for r in results))

        return await self._cache.get_or_load(key("results", project, instance_id), load)

    # ------------------------------------------------------------------ unary RPCs

    @_unary
    async def ListInstances(
        self, call: Call, request: pb.ListInstancesRequest
    ) -> pb.ListInstancesResponse:
        """One page of the project's instances behind an opaque, signed page token."""
        v = validation.Violations()
        size = validation.check_page_size(v, request.page_size)
        validation.check_state_filter(v, request.state_filter)
        # Out-of-range timestamps have no datetime: refuse them rather than crash later.
        valid_times = all(
            [
                validation.check_timestamp(v, getattr(request, name), name)
                for name in ("min_start_time", "max_start_time")
                if request.HasField(name)
            ]
        )
        if (
            valid_times
            and request.HasField("min_start_time")
            and request.HasField("max_start_time")
            and (request.max_start_time.seconds, request.max_start_time.nanos)
            < (request.min_start_time.seconds, request.min_start_time.nanos)
        ):
            v.add("max_start_time", "must not be before min_start_time")
        v.raise_if_any()
        flt = wire.list_filter_from_request(request)
        marker = None
        if request.page_token:
            marker = self._pages.decode(request.page_token, call.project, flt)
        up = self._upstream
        page = await up.run(
            up.client.list_instances,
            call.project,
            filter=flt,
            marker=marker,
            max_items=size,
            deadline=up.deadline(call.time_remaining()),
        )
        next_token = ""
        if page.next_marker:
            next_token = self._pages.encode(call.project, flt, page.next_marker)
        return pb.ListInstancesResponse(
            instances=wire.instances_to_proto(page.instances), next_page_token=next_token
        )

    @_unary
    async def GetInstance(
        self, call: Call, request: pb.GetInstanceRequest
    ) -> instance_pb2.Instance:
        """One instance with its tasks; terminated instances come from the cache."""
        _check_instance_id(request.instance_id)
        return await self._instance(call, request.instance_id)

    @_unary
    async def InstanceExists(
        self, call: Call, request: pb.InstanceExistsRequest
    ) -> pb.InstanceExistsResponse:
        """Whether MaxCompute knows the instance."""
        _check_instance_id(request.instance_id)
        if self._cached_instance(call.project, request.instance_id) is not None:
            return pb.InstanceExistsResponse(exists=True)
        up = self._upstream
        exists = await up.run(
            up.client.instance_exists,
            call.project,
            request.instance_id,
            deadline=up.deadline(call.time_remaining()),
        )
        return pb.InstanceExistsResponse(exists=exists)

    @_unary
    async def StopInstance(
        self, call: Call, request: pb.StopInstanceRequest
    ) -> pb.StopInstanceResponse:
        """Ask MaxCompute to stop the instance; return the state read afterwards."""
        _check_instance_id(request.instance_id)
        project, instance_id = call.project, request.instance_id
        up = self._upstream
        deadline = up.deadline(call.time_remaining())
        self._cache.invalidate(project, instance_id)
        await up.run(up.client.stop_instance, project, instance_id, deadline=deadline)
        audit(call, instance_id)
        # A read that started before the stop must not answer for after it.
        self._cache.invalidate(project, instance_id)
        view = await self._cache.get_or_load(
            key("instance", project, instance_id),
            lambda: self._read_instance(project, instance_id, deadline.remaining()),
        )
        return pb.StopInstanceResponse(instance=view)

    @_unary
    async def WaitInstance(
        self, call: Call, request: pb.WaitInstanceRequest
    ) -> pb.WaitInstanceResponse:
        """Delegated to the watch RPCs (shared poller); terminated instances from the cache."""
        _check_instance_id(request.instance_id)
        v = validation.Violations()
        validation.check_duration(v, request.timeout, "timeout")
        v.raise_if_any()
        finished = self._terminated_view(call.project, request.instance_id)
        if finished is not None:
            return pb.WaitInstanceResponse(instance=finished)
        response: pb.WaitInstanceResponse = await self._watch.WaitInstance(call, request)
        instance = response.instance
        if instance.state == _TERMINATED and instance.successful and instance.tasks:
            # A finished instance never changes: later reads need no upstream call. Only
            # successful ones are taken over, whose view cannot differ from our own read.
            self._cache.put(
                key("instance", call.project, request.instance_id),
                Cached(instance, True, _size_of_instance(instance)),
            )
        return response

    # The two streaming RPCs send with context.write (see Chokepoint.run); the generated
    # stubs only know the generator form, hence the ignored override types.

    async def WatchInstance(  # type: ignore[override]
        self, request: pb.WatchInstanceRequest, context: Context
    ) -> None:
        """Delegated to the watch RPCs (one shared poller per instance)."""
        await self._choke.run(
            "WatchInstance", request, context, self._watch.WatchInstance, streaming=True
        )

    async def WatchInstances(  # type: ignore[override]
        self, request: pb.WatchInstancesRequest, context: Context
    ) -> None:
        """Delegated to the watch RPCs (one shared lister per project filter)."""
        await self._choke.run(
            "WatchInstances", request, context, self._watch.WatchInstances, streaming=True
        )

    @_unary
    async def ListTasks(self, call: Call, request: pb.ListTasksRequest) -> pb.ListTasksResponse:
        """One page of the tasks of an instance with their states."""
        pager = self._pager(call, request)
        view = await self._instance(call, request.instance_id)
        tasks, next_token = pager.page(view.tasks)
        return pb.ListTasksResponse(tasks=tasks, next_page_token=next_token)

    @_unary
    async def GetTaskResult(
        self, call: Call, request: pb.GetTaskResultRequest
    ) -> instance_pb2.TaskResult:
        """One task's result (empty while it runs)."""
        _check_instance_id(request.instance_id, task_name=request.task_name)
        results = await self._results(call, request.instance_id)
        for result in results:
            if result.task_name == request.task_name:
                return wire.result_to_proto(result)
        view = await self._instance(call, request.instance_id)
        if any(t.name == request.task_name for t in view.tasks):
            # The task exists but has not produced a result yet.
            return instance_pb2.TaskResult(task_name=request.task_name)
        raise task_not_found(call.project, request.instance_id, request.task_name)

    @_unary
    async def ListTaskResults(
        self, call: Call, request: pb.ListTaskResultsRequest
    ) -> pb.ListTaskResultsResponse:
        """One page of the tasks' results, in task order."""
        pager = self._pager(call, request)
        results, next_token = pager.page(await self._results(call, request.instance_id))
        return pb.ListTaskResultsResponse(
            task_results=[wire.result_to_proto(r) for r in results], next_page_token=next_token
        )

    @_unary
    async def GetTaskProgress(
        self, call: Call, request: pb.GetTaskProgressRequest
    ) -> instance_pb2.TaskProgress:
        """One task's stage progress."""
        _check_instance_id(request.instance_id, task_name=request.task_name)
        project, instance_id, task = call.project, request.instance_id, request.task_name
        timeout = call.time_remaining()
        followed = self._followed(project, instance_id, progress=True)
        if followed is not None:
            # Only a running task's own fresh sample answers; anything else asks MaxCompute
            # (a finished task's last stage counts, NOT_FOUND for an unknown task).
            running = any(
                t.name == task and t.status is domain.TaskStatus.RUNNING
                for t in followed.instance.tasks
            )
            for sample in followed.progress if running else ():
                if sample.task_name == task:
                    return wire.progress_to_proto(sample)

        async def load() -> Cached[instance_pb2.TaskProgress]:
            view = self._terminated_view(project, instance_id)
            if view is not None and not any(t.name == task for t in view.tasks):
                raise task_not_found(project, instance_id, task)
            up = self._upstream
            try:
                progress = await up.run(
                    up.client.get_task_progress,
                    project,
                    instance_id,
                    task,
                    deadline=up.deadline(timeout),
                )
            except MaxComputeError as exc:
                if exc.category is not ErrorCategory.NOT_FOUND:
                    raise
                # MaxCompute says NoSuchObject for a missing task as for a missing instance:
                # reading the instance tells them apart (INSTANCE_NOT_FOUND if it is gone).
                instance = await self._instance(call, instance_id)
                if not any(t.name == task for t in instance.tasks):
                    raise task_not_found(project, instance_id, task) from exc
                raise
            message = wire.progress_to_proto(progress)
            return Cached(message, view is not None, 300 + 200 * len(progress.stages))

        return await self._cache.get_or_load(key("progress", project, instance_id, task), load)

    @_unary
    async def GenerateLogviewAddress(
        self, call: Call, request: pb.GenerateLogviewAddressRequest
    ) -> pb.GenerateLogviewAddressResponse:
        """A new Logview URL whose token is valid for ``ttl`` (whole hours)."""
        v = validation.Violations()
        validation.check_instance_id(v, request.instance_id)
        hours = validation.check_logview_ttl(v, request.ttl)
        v.raise_if_any()
        up = self._upstream
        deadline = up.deadline(call.time_remaining())
        # The token would be signed for any id; make sure the instance exists first.
        if self._cached_instance(call.project, request.instance_id) is None:
            await up.run(
                up.client.get_instance, call.project, request.instance_id, deadline=deadline
            )
        address = await up.run(
            up.client.get_logview_address,
            call.project,
            request.instance_id,
            hours=hours,
            deadline=deadline,
        )
        return wire.logview_to_proto(address)

    @_unary
    async def ListSubInstances(
        self, call: Call, request: pb.ListSubInstancesRequest
    ) -> pb.ListSubInstancesResponse:
        """One page of the sub-instances of an XFlow instance, each with a Logview URL."""
        pager = self._pager(call, request)
        project, instance_id = call.project, request.instance_id
        up = self._upstream
        deadline = up.deadline(call.time_remaining())

        async def load() -> Cached[tuple[domain.SubInstance, ...]]:
            view = await self._instance(call, instance_id)
            if view.tasks and not any(t.type.lower() == "algotask" for t in view.tasks):
                raise _not_xflow(project, instance_id)
            # The list of a terminated XFlow never changes: its pages need one read.
            final = self._terminated_view(project, instance_id) is not None
            try:
                subs = await up.run(
                    up.client.get_xflow_sub_instances, project, instance_id, deadline=deadline
                )
            except MaxComputeError as exc:
                # The instance exists (read above), so a missing ?xresult means "not XFlow".
                if exc.category is ErrorCategory.NOT_FOUND:
                    raise _not_xflow(project, instance_id) from exc
                raise
            return Cached(subs, final, 200 * len(subs))

        subs = await self._cache.get_or_load(key("subinstances", project, instance_id), load)
        page, next_token = pager.page(subs)
        # Logview tokens expire and every one is minted upstream: only for this page, and
        # never cached.
        urls = await self._logview_urls(call, page, deadline.remaining())
        return pb.ListSubInstancesResponse(
            sub_instances=[
                wire.sub_instance_to_proto(s, u) for s, u in zip(page, urls, strict=True)
            ],
            next_page_token=next_token,
        )

    async def _logview_urls(
        self, call: Call, subs: list[domain.SubInstance], timeout: float
    ) -> list[str | None]:
        limit = asyncio.Semaphore(_SUB_INSTANCE_LOGVIEW_CONCURRENCY)
        up = self._upstream
        deadline = up.deadline(timeout)

        async def one(sub: domain.SubInstance) -> str | None:
            if not call.principal.may_use(sub.project):
                # A Logview token grants read access to the instance: never sign one for a
                # project the caller may not use, whatever MaxCompute reports.
                return None
            async with limit:
                try:
                    address = await up.run(
                        up.client.get_logview_address,
                        sub.project,
                        sub.instance_id,
                        deadline=deadline,
                    )
                except MaxComputeError as exc:
                    _log.warning("no Logview URL for sub-instance %s: %s", sub.instance_id, exc)
                    return None
                return address.url

        return list(await asyncio.gather(*(one(s) for s in subs)))

    @_unary
    async def SubmitSql(self, call: Call, request: pb.SubmitSqlRequest) -> pb.SubmitSqlResponse:
        """Submit a SQL job as a new instance (idempotent with ``request_id``)."""
        v = validation.Violations()
        query = ""
        if request.HasField("job"):
            query = validation.normalize_query(v, request.job.query, "job.query")
        else:
            v.add("job", "required: the SQL job (query, hints, priority)")
        options = validation.check_submit_options(v, request.job, request.request_id, prefix="job.")
        placement = validation.check_sql_job_placement(v, request.job)
        v.raise_if_any()
        deadline = self._upstream.deadline(call.time_remaining())
        create, lookup = self._sql_creation(call, query, options, placement, deadline)
        instance = await self._submit(call, options.request_id, deadline, create, lookup)
        return pb.SubmitSqlResponse(instance=instance)

    def _sql_creation(
        self,
        call: Call,
        query: str,
        options: validation.SubmitOptions,
        placement: validation.SqlJobPlacement,
        deadline: Deadline,
    ) -> tuple[Callable[[str | None], Awaitable[str]], Callable[[str], Awaitable[str | None]]]:
        """How SubmitSql and ExecuteSql create a SQL job, and find the one a request id
        created: jobs with a request id are named ``mcgw-<id>``, found with one filtered list."""
        up = self._upstream
        priority = options.priority

        async def create(rid: str | None) -> str:
            created = await up.run(
                up.client.create_sql_instance,
                call.project,
                query,
                hints=options.hints,
                priority=9 if priority is None else priority,
                request_id=rid,
                job_name=None if rid is None else JOB_NAME_PREFIX + rid,
                quota_name=placement.quota_name,
                running_cluster=placement.running_cluster,
                deadline=deadline,
            )
            return created.instance_id

        async def lookup(rid: str) -> str | None:
            page = await up.run(
                up.client.list_instances,
                call.project,
                filter=domain.ListFilter(
                    only_owner=True,
                    start_time=datetime.now(UTC) - IDEMPOTENCY_WINDOW,
                    job_name=JOB_NAME_PREFIX + rid,
                ),
                max_items=10,
                deadline=deadline,
            )
            return page.instances[0].id if page.instances else None

        return create, lookup

    # ------------------------------------------------------------------ ExecuteSql

    async def ExecuteSql(  # type: ignore[override]
        self, request: pb.ExecuteSqlRequest, context: Context
    ) -> None:
        """Submit like SubmitSql, then stream like WatchInstance (one shared poller)."""
        await self._choke.run("ExecuteSql", request, context, self._execute_sql, streaming=True)

    async def _execute_sql(self, call: Call, request: pb.ExecuteSqlRequest) -> None:
        v = validation.Violations()
        query = ""
        if request.HasField("job"):
            query = validation.normalize_query(v, request.job.query, "job.query")
        else:
            v.add("job", "required: the SQL job (query, hints, priority)")
        options = validation.check_submit_options(v, request.job, request.request_id, prefix="job.")
        placement = validation.check_sql_job_placement(v, request.job)
        heartbeat = validation.check_duration(
            v,
            request.heartbeat_interval,
            "heartbeat_interval",
            minimum=HEARTBEAT_MIN,
            maximum=HEARTBEAT_MAX,
        )
        v.raise_if_any()
        deadline = self._upstream.deadline(call.time_remaining())
        create, lookup = self._sql_creation(call, query, options, placement, deadline)
        creation, first = self._start_create(call, options.request_id, create, lookup)
        stop = request.stop_on_cancel
        try:
            instance_id, made = await asyncio.shield(creation)
        except asyncio.CancelledError:
            if stop and first:
                # The caller left while the job was being created: stop it once it exists.
                creation.add_done_callback(functools.partial(self._stop_when_made, call))
            raise
        # Only the call that made the instance may stop it; one that found it, or joined
        # another call's creation of the same request id, follows it and nothing more.
        owns = first and made
        audit(call, instance_id, client_request_id=options.request_id)
        reattached = not owns
        write = call.context.write

        async def send(data: bytes) -> None:
            # An encoded WatchInstanceResponse is an ExecuteSqlResponse field for field (same
            # numbers); reattached (7, the last field) is appended in its canonical encoding.
            await write(data + _REATTACHED if reattached else data)

        following = Following()
        try:
            await self._watch.follow(
                call,
                call.project,
                instance_id,
                with_progress=not request.omit_progress,
                heartbeat=heartbeat,
                send=send,
                following=following,
            )
        except asyncio.CancelledError:
            # grpc cancels the handler when the caller cancels, disconnects or its deadline
            # passes; the gateway's own ends (shutdown, maximum age) are errors, not this.
            if stop and owns and not following.terminated:
                self._stops.stop_once(call, instance_id, "stop_on_cancel")
            raise

    def _stop_when_made(self, call: Call, creation: _Creation) -> None:
        if creation.cancelled() or creation.exception() is not None:
            return
        instance_id, made = creation.result()
        if made:
            self._stops.stop_once(call, instance_id, "stop_on_cancel")

    # ------------------------------------------------------------------ results

    async def ReadInstanceResult(  # type: ignore[override]
        self, request: pb.ReadInstanceResultRequest, context: Context
    ) -> None:
        """Delegated to the result RPCs (instance tunnel reads, see service/results.py)."""
        await self._choke.run(
            "ReadInstanceResult",
            request,
            context,
            self._results_rpcs.ReadInstanceResult,
            streaming=True,
        )

    # ------------------------------------------------------------------ depth

    GetTaskSummary = _by_depth(DepthRpcs.GetTaskSummary)
    GetTaskDetail = _by_depth(DepthRpcs.GetTaskDetail)
    GetWorkerLog = _by_depth(DepthRpcs.GetWorkerLog)
    GetQueueingInfo = _by_depth(DepthRpcs.GetQueueingInfo)
    ListQueueingInfos = _by_depth(DepthRpcs.ListQueueingInfos)
    EstimateSqlCost = _by_depth(DepthRpcs.EstimateSqlCost)

    @_unary
    async def SubmitXflow(
        self, call: Call, request: pb.SubmitXflowRequest
    ) -> pb.SubmitXflowResponse:
        """Submit an XFlow (PAI) job as a new instance (idempotent with ``request_id``)."""
        v = validation.Violations()
        validation.check_xflow_name(v, request.xflow_name)
        xflow_project = request.xflow_project or "algo_public"
        validation.check_project(v, xflow_project, "xflow_project")
        parameters = validation.check_parameters(v, request.parameters)
        options = validation.check_submit_options(v, request, request.request_id)
        v.raise_if_any()
        # The algorithm's project is reached with the gateway's credentials too.
        authorize(call.principal, xflow_project)
        up = self._upstream
        deadline = up.deadline(call.time_remaining())

        async def create(rid: str | None) -> str:
            created = await up.run(
                up.client.create_xflow_instance,
                call.project,
                request.xflow_name,
                parameters,
                xflow_project=xflow_project,
                hints=options.hints,
                priority=options.priority,
                request_id=rid,
                deadline=deadline,
            )
            return created.instance_id

        async def lookup(rid: str) -> str | None:
            # XFlow jobs cannot carry a job name: search the recent jobs for the id (rare).
            return await up.run(
                up.client.find_created_instance,
                call.project,
                rid,
                since=datetime.now(UTC) - IDEMPOTENCY_WINDOW,
                deadline=deadline,
            )

        instance = await self._submit(call, options.request_id, deadline, create, lookup)
        return pb.SubmitXflowResponse(instance=instance)

    async def _submit(
        self,
        call: Call,
        request_id: str | None,
        deadline: Deadline,
        create: Callable[[str | None], Awaitable[str]],
        lookup: Callable[[str], Awaitable[str | None]],
    ) -> instance_pb2.Instance:
        """Create (once per ``request_id``), then read the new instance within ``deadline``."""
        instance_id = await self._create_once(call, request_id, create, lookup)
        audit(call, instance_id, client_request_id=request_id)
        view = await self._read_instance(call.project, instance_id, deadline.remaining())
        if view.terminal:
            self._cache.put(key("instance", call.project, instance_id), view)
        return view.value

    async def _create_once(
        self,
        call: Call,
        request_id: str | None,
        create: Callable[[str | None], Awaitable[str]],
        lookup: Callable[[str], Awaitable[str | None]],
    ) -> str:
        """Create once per ``request_id``: a retry returns the instance the first call made
        (see :meth:`_start_create`)."""
        creation, _ = self._start_create(call, request_id, create, lookup)
        instance_id, _ = await asyncio.shield(creation)
        return instance_id

    def _start_create(
        self,
        call: Call,
        request_id: str | None,
        create: Callable[[str | None], Awaitable[str]],
        lookup: Callable[[str], Awaitable[str | None]],
    ) -> tuple[_Creation, bool]:
        """Start the creation, or join the one under way or done for ``request_id``.

        Returns the creation, which gives (instance id, whether it made the instance rather
        than finding one), and whether this call started it. Concurrent calls with one id
        share one creation; later calls find it in this gateway's memory, or (after a
        restart or on another replica) upstream with ``lookup``, before anything is
        created. The creation runs on even if the call that started it is cancelled.
        """
        project = call.project
        if request_id is None:

            def unknown(exc: MaxComputeError) -> GatewayError:
                # Without a request_id a blind retry could create a second instance.
                return GatewayError(
                    grpc.StatusCode.UNKNOWN,
                    Reason.UPSTREAM_UNKNOWN,
                    f"{exc.message}; the instance may still appear: look for it with "
                    f"ListInstances before submitting again, and set request_id on "
                    f"{call.method} so that a retry is safe",
                    metadata={**upstream_metadata(exc), "project": project},
                )

            creation = asyncio.ensure_future(_create(create, None, unknown))
            creation.add_done_callback(_retrieve)
            return creation, True
        ident = (project, request_id)
        existing = self._submissions.get(ident)
        if existing is not None and not (
            existing.done() and (existing.cancelled() or existing.exception() is not None)
        ):
            return existing, False

        async def first() -> tuple[str, bool]:
            found = await lookup(request_id)
            if found is not None:
                _log.info("request_id %s already created instance %s", request_id, found)
                return found, False
            return await _create(create, request_id, unavailable)

        def unavailable(exc: MaxComputeError) -> GatewayError:
            # The answer to the create was lost and the id is not found (yet). A retry with
            # this request_id looks it up again before creating, so retrying is safe: say
            # UNAVAILABLE (clients retry it), not UNKNOWN (they give up).
            return GatewayError(
                grpc.StatusCode.UNAVAILABLE,
                Reason.UPSTREAM_UNAVAILABLE,
                "MaxCompute's answer to the submission was lost and no instance with this "
                "request_id exists yet; retry with the same request_id (it cannot create "
                "a duplicate)",
                metadata={**upstream_metadata(exc), "project": project, "request_id": request_id},
            )

        creation = asyncio.ensure_future(first())
        creation.add_done_callback(_retrieve)
        self._submissions[ident] = creation
        if len(self._submissions) > _MAX_REMEMBERED_SUBMISSIONS:
            # Keep memory bounded; the upstream lookup still finds older ids.
            for old in list(self._submissions)[: _MAX_REMEMBERED_SUBMISSIONS // 10]:
                if self._submissions[old].done():
                    del self._submissions[old]
        return creation, True


_TERMINATED = instance_pb2.Instance.TERMINATED


class _LocalListRequest(Protocol):
    """A List request paged over one upstream read of an instance (ListTasks,
    ListTaskResults, ListSubInstances)."""

    @property
    def instance_id(self) -> str:
        """The instance whose list is paged."""
        ...

    @property
    def page_size(self) -> int:
        """The requested page size (0: the default)."""
        ...

    @property
    def page_token(self) -> str:
        """The previous page's ``next_page_token``, or empty."""
        ...


def _check_instance_id(instance_id: str, *, task_name: str | None = None) -> None:
    v = validation.Violations()
    validation.check_instance_id(v, instance_id)
    if task_name is not None:
        validation.check_task_name(v, task_name)
    v.raise_if_any()


def _not_xflow(project: str, instance_id: str) -> GatewayError:
    return GatewayError(
        grpc.StatusCode.FAILED_PRECONDITION,
        Reason.NOT_XFLOW,
        f"instance {instance_id} is not an XFlow instance",
        metadata={"project": project, "instance_id": instance_id},
    )


def _byte_size(n: int) -> str:
    """``64 MiB``, ``512 KiB`` or ``1000 bytes``: the unit that states ``n`` exactly."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


async def _create(
    create: Callable[[str | None], Awaitable[str]],
    request_id: str | None,
    lost: Callable[[MaxComputeError], GatewayError],
) -> tuple[str, bool]:
    """``(instance id, True)`` from ``create(request_id)``; a create whose answer was lost
    (the instance may or may not exist) fails as ``lost(exc)``, other failures as they are."""
    try:
        return await create(request_id), True
    except MaxComputeError as exc:
        if exc.code != SyntheticCode.CREATE_OUTCOME_UNKNOWN:
            raise
        raise lost(exc) from exc


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
