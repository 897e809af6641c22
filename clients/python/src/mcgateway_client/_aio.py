"""The asyncio client ``AsyncGateway``: the same surface as :class:`Gateway`, awaited.

Every method that talks to the gateway is a coroutine (``await o.get_instance(id)``); listing and
watching are async iterators. Instances are :class:`AsyncInstance` objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any

from maxcompute.gateway.v1 import instance_service_pb2 as pb
from maxcompute.gateway.v1.instance_pb2 import TaskDetail

from ._aio_instance import AsyncInstance
from ._aio_transport import AsyncTransport
from ._channel import TlsOption, make_aio_channel
from ._diagnostics import QueueingInfo, SQLCost, TaskSummary, log_type_to_proto
from ._errors import (
    DeadlineExceeded,
    GatewayError,
    InstanceFailed,
    Internal,
    Unavailable,
    WaitTimeout,
)
from ._models import (
    InstanceState,
    Status,
    SubInstanceInfo,
    Task,
    TaskProgress,
    TaskResult,
    WatchEvent,
    WatchInstancesEvent,
    status_to_proto,
)
from ._requests import (
    WAIT_GRACE,
    WAIT_WINDOW,
    duration,
    estimate_request,
    execute_sql_request,
    list_request,
    logview_request,
    queueing_request,
    split_ref,
    submit_sql_request,
    submit_xflow_request,
)
from ._service_config import ServiceConfig, load_service_config
from ._settings import connection_from_environment, load_settings
from ._watch import (
    ExecutionState,
    ReconnectPolicy,
    TimeoutFactory,
    default_timeout,
    watch_events_async,
)

__all__ = ["AsyncGateway", "AsyncInstanceRef"]


AsyncInstanceRef = str | AsyncInstance


class AsyncGateway:
    """asyncio client of an mcgateway; the arguments and methods of :class:`Gateway`, awaited.

    Create it inside the running event loop (grpc.aio channels belong to one loop).
    """

    def __init__(
        self,
        target: str | None = None,
        *,
        token: str | None = None,
        tls: TlsOption | None = None,
        default_project: str | None = None,
        timeout: float | None = None,
        channel: Any = None,
        service_config: ServiceConfig | None = None,
        _clock: Callable[[], float] = time.monotonic,
        _rng: Callable[[], float] = random.random,
    ) -> None:
        if target is not None and channel is not None:
            raise ValueError("give target or channel, not both")
        config = service_config or load_service_config()
        self.target = target
        self.default_project = default_project or ""
        self._owns_channel = channel is None
        if channel is None:
            parsed, token, resolved = connection_from_environment(target, token, tls)
            self.target = str(parsed)
            channel = make_aio_channel(self.target, resolved, config)
        elif not token:
            token = None
        self._channel = channel
        self._clock, self._rng = _clock, _rng
        self._transport = AsyncTransport(
            self._channel,
            token=token,
            timeout=timeout,
            service_config=config,
            clock=_clock,
            rng=_rng,
        )

    @classmethod
    def from_config(
        cls,
        profile: str | None = None,
        *,
        default_project: str | None = None,
        timeout: float | None = None,
    ) -> AsyncGateway:
        """A client configured as ``mcgw`` is: ``MCGW_TARGET`` (default 127.0.0.1:50051),
        ``MCGW_TOKEN``, ``MCGW_TLS``, ``MCGW_CA_CERT``, ``MCGW_PROJECT`` and the profile
        ``profile`` (or ``MCGW_PROFILE``, else ``[default]``) of the config file
        ``~/.config/mcgw/config.toml``; the environment wins over the file. Create it inside the
        event loop that uses it.
        """
        settings = load_settings({"profile": profile})
        return cls(
            settings.target,
            token=settings.token or "",
            tls=settings.tls_option(),
            default_project=default_project or settings.project,
            timeout=timeout,
        )

    async def close(self) -> None:
        """Closes the channel (if the client created it)."""
        if self._owns_channel:
            await self._channel.close()

    async def __aenter__(self) -> AsyncGateway:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def _project(self, project: str | None) -> str:
        return project or self.default_project

    def _instance(self, state: InstanceState, logview_url: str | None = None) -> AsyncInstance:
        return AsyncInstance(self, state.id, state.project, state=state, logview_url=logview_url)

    async def list_instances(
        self,
        status: Status | str | None = None,
        only_owner: bool = False,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        project: str | None = None,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> AsyncIterator[AsyncInstance]:
        """Instances of the project in MaxCompute's order, fetched lazily page by page."""
        request = list_request(
            self._project(project), status, only_owner, start_time, end_time, page_size
        )
        count = 0
        while True:
            response = await self._transport.invoke("ListInstances", request)
            for item in response.instances:
                if max_items is not None and count >= max_items:
                    return
                count += 1
                yield self._instance(InstanceState.from_proto(item))
            if not response.next_page_token:
                return
            request.page_token = response.next_page_token

    async def exist_instance(
        self, instance_id: AsyncInstanceRef, project: str | None = None
    ) -> bool:
        """Whether the instance exists."""
        iid, proj = split_ref(instance_id, project)
        request = pb.InstanceExistsRequest(project=self._project(proj), instance_id=iid)
        return bool((await self._transport.invoke("InstanceExists", request)).exists)

    async def get_instance(
        self, instance_id: AsyncInstanceRef, project: str | None = None
    ) -> AsyncInstance:
        """The instance with its current state; raises NotFound when absent."""
        iid, proj = split_ref(instance_id, project)
        return self._instance(await self._get_state(iid, proj))

    async def stop_instance(
        self, instance_id: AsyncInstanceRef, project: str | None = None
    ) -> AsyncInstance:
        """Stops a running instance; InvalidState if it is not running."""
        iid, proj = split_ref(instance_id, project)
        return self._instance(await self._stop(iid, proj))

    async def run_sql(
        self,
        sql: str,
        hints: Mapping[str, object] | None = None,
        project: str | None = None,
        *,
        priority: int | None = None,
        request_id: str | None = None,
    ) -> AsyncInstance:
        """Submits SQL and returns the new instance without waiting; ``request_id`` must be a
        UUID4 (fresh when not given), see Gateway.run_sql."""
        request = submit_sql_request(self._project(project), sql, hints, priority, request_id)
        response = await self._transport.invoke("SubmitSql", request, idempotent=True)
        return self._instance(InstanceState.from_proto(response.instance))

    async def execute_sql(
        self,
        sql: str,
        hints: Mapping[str, object] | None = None,
        project: str | None = None,
        *,
        priority: int | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
        stop_on_cancel: bool = True,
        reconnect: ReconnectPolicy | None = None,
    ) -> AsyncInstance:
        """Runs SQL to its end (ExecuteSql) and returns the finished instance; raises
        InstanceFailed if the job fails. With ``stop_on_cancel`` (the default), cancelling the
        task (or ``timeout``, then WaitTimeout) makes the gateway stop the job this call
        created; see Gateway.execute_sql."""
        instance: AsyncInstance | None = None
        events = self.execute_sql_events(
            sql,
            hints,
            project,
            priority=priority,
            request_id=request_id,
            stop_on_cancel=stop_on_cancel,
            omit_progress=True,
            reconnect=reconnect,
            timeout=timeout,
        )
        try:
            async for event in events:
                if instance is None:
                    instance = self._instance(event.state)
                else:
                    instance._set_state(event.state)
        except DeadlineExceeded as error:
            if timeout is None or instance is None:
                raise
            raise WaitTimeout(
                f"instance {instance.id} did not terminate within {timeout:g}s", instance=instance
            ) from error
        finally:
            await events.aclose()  # type: ignore[attr-defined]
        if instance is None:
            raise Internal("ExecuteSql: the stream named no instance")
        state = await instance._outcome()
        if state.successful is not True:
            message = state.failure_message or f"instance {instance.id} did not succeed"
            raise InstanceFailed(message, instance=instance)
        return instance

    def execute_sql_events(
        self,
        sql: str,
        hints: Mapping[str, object] | None = None,
        project: str | None = None,
        *,
        priority: int | None = None,
        request_id: str | None = None,
        stop_on_cancel: bool = True,
        omit_progress: bool = False,
        heartbeat: float | None = None,
        reconnect: ReconnectPolicy | None = None,
        timeout: float | None = None,
    ) -> AsyncIterator[WatchEvent]:
        """Submits SQL and yields its watch events until the terminal one (ExecuteSql); see
        Gateway.execute_sql_events. ``aclose()`` before the end cancels the call."""
        request = execute_sql_request(
            self._project(project),
            sql,
            hints,
            priority,
            request_id,
            stop_on_cancel=stop_on_cancel,
            omit_progress=omit_progress,
            heartbeat=heartbeat,
        )
        return self._execute(request, reconnect or ReconnectPolicy(), timeout)

    async def _execute(
        self, request: pb.ExecuteSqlRequest, policy: ReconnectPolicy, timeout: float | None
    ) -> AsyncIterator[WatchEvent]:
        seen = ExecutionState()

        def open_stream(remaining: float | None) -> AsyncIterator[Any]:
            if not seen.instance_id:
                stream = self._transport.stream("ExecuteSql", request, timeout=remaining)
                return seen.track_async(stream)
            seen.following = True
            watch = pb.WatchInstanceRequest(
                project=request.project,
                instance_id=seen.instance_id,
                omit_progress=request.omit_progress,
                heartbeat_interval=request.heartbeat_interval,
            )
            return self._transport.stream("WatchInstance", watch, timeout=remaining)

        finished = False
        try:
            async for event in watch_events_async(
                open_stream,
                policy,
                clock=self._clock,
                rng=self._rng,
                deadline=None if timeout is None else self._clock() + timeout,
            ):
                finished = event.state.terminated
                yield event
        finally:
            if seen.should_stop(request.stop_on_cancel, finished):
                with contextlib.suppress(GatewayError):
                    await asyncio.shield(self._stop(seen.instance_id, request.project))

    async def execute_sql_cost(
        self,
        sql: str,
        hints: Mapping[str, object] | None = None,
        project: str | None = None,
        *,
        priority: int | None = None,
    ) -> SQLCost:
        """MaxCompute's estimate of a query without running it; see Gateway.execute_sql_cost."""
        request = estimate_request(self._project(project), sql, hints, priority)
        return SQLCost.from_proto(await self._transport.invoke("EstimateSqlCost", request))

    async def list_instance_queueing_infos(
        self,
        project: str | None = None,
        status: Status | str | None = None,
        only_owner: bool | None = None,
        quota_index: str | None = None,
        *,
        page_size: int | None = None,
    ) -> AsyncIterator[QueueingInfo]:
        """The project's job queue in MaxCompute's order, every page, fetched lazily."""
        request = queueing_request(
            self._project(project), status, only_owner, quota_index, page_size
        )
        while True:
            response = await self._transport.invoke("ListQueueingInfos", request)
            for item in response.queueing_infos:
                yield QueueingInfo.from_proto(item)
            token = response.next_page_token
            if not token:
                return
            if token == request.page_token:
                raise Internal(f"ListQueueingInfos: the gateway repeated page token {token!r}")
            request.page_token = token

    async def run_xflow(
        self,
        xflow_name: str,
        xflow_project: str | None = None,
        parameters: Mapping[str, object] | None = None,
        project: str | None = None,
        hints: Mapping[str, object] | None = None,
        *,
        priority: int | None = None,
        request_id: str | None = None,
    ) -> AsyncInstance:
        """Submits an XFlow (PAI) job; ``request_id`` as in run_sql."""
        target_project = self._project(project)
        request = submit_xflow_request(
            target_project,
            xflow_name,
            xflow_project or target_project,
            parameters,
            hints,
            priority,
            request_id,
        )
        response = await self._transport.invoke("SubmitXflow", request, idempotent=True)
        return self._instance(InstanceState.from_proto(response.instance))

    async def execute_xflow(
        self,
        xflow_name: str,
        xflow_project: str | None = None,
        parameters: Mapping[str, object] | None = None,
        project: str | None = None,
        hints: Mapping[str, object] | None = None,
        *,
        timeout: float | None = None,
    ) -> AsyncInstance:
        """Submits an XFlow job and waits for success."""
        instance = await self.run_xflow(xflow_name, xflow_project, parameters, project, hints)
        return await instance.wait_for_success(timeout)

    async def list_sub_instances(
        self, instance: AsyncInstanceRef, project: str | None = None
    ) -> list[SubInstanceInfo]:
        """The sub-instances of an XFlow instance as plain data, every page of them."""
        iid, proj = split_ref(instance, project)
        request = pb.ListSubInstancesRequest(project=self._project(proj), instance_id=iid)
        return [
            SubInstanceInfo(s.name, s.instance_id, s.logview_url)
            for s in await self._walk("ListSubInstances", request, "sub_instances")
        ]

    async def get_xflow_sub_instances(
        self, instance: AsyncInstanceRef, project: str | None = None
    ) -> OrderedDict[str, AsyncInstance]:
        """The sub-instances of an XFlow instance by node name, each with its Logview URL."""
        _, proj = split_ref(instance, project)
        return OrderedDict(
            (
                info.name,
                AsyncInstance(
                    self,
                    info.instance_id,
                    self._project(proj),
                    logview_url=info.logview_url or None,
                ),
            )
            for info in await self.list_sub_instances(instance, project)
        )

    async def iter_xflow_sub_instances(
        self, instance: AsyncInstanceRef, interval: float = 1.0, project: str | None = None
    ) -> AsyncIterator[tuple[str, AsyncInstance]]:
        """(name, sub-instance) pairs as the XFlow creates them, until it terminates."""
        iid, proj = split_ref(instance, project)
        xflow = (
            instance if isinstance(instance, AsyncInstance) else await self.get_instance(iid, proj)
        )
        seen: set[str] = set()
        while True:
            terminated = await xflow.is_terminated()
            for name, sub in (await self.get_xflow_sub_instances(xflow)).items():
                if sub.id not in seen:
                    seen.add(sub.id)
                    yield name, sub
            if terminated:
                return
            with contextlib.suppress(WaitTimeout):
                await xflow.wait_for_completion(timeout=interval)

    async def get_logview_address(
        self, instance_id: AsyncInstanceRef, hours: int | None = None, project: str | None = None
    ) -> str:
        """A new Logview URL for the instance valid ``hours`` (default 720, at most 2160)."""
        iid, proj = split_ref(instance_id, project)
        request = logview_request(self._project(proj), iid, hours)
        return str((await self._transport.invoke("GenerateLogviewAddress", request)).url)

    async def watch_instances(
        self,
        status: Status | str | None = None,
        only_owner: bool = False,
        project: str | None = None,
        *,
        heartbeat: float | None = None,
    ) -> AsyncIterator[WatchInstancesEvent]:
        """Instance changes of a project until the caller stops; see Gateway.watch_instances."""
        request = pb.WatchInstancesRequest(
            project=self._project(project),
            state_filter=status_to_proto(status),
            only_owner=only_owner,
        )
        if heartbeat:
            request.heartbeat_interval.CopyFrom(duration(heartbeat))
        async for message in self._transport.stream("WatchInstances", request):
            yield WatchInstancesEvent.from_proto(message)

    # -- calls behind AsyncInstance -------------------------------------------------------------
    async def _walk(self, method: str, request: Any, field: str) -> list[Any]:
        """The items of every page of a paged List RPC, in order (AIP-158 page tokens)."""
        items: list[Any] = []
        while True:
            response = await self._transport.invoke(method, request)
            items.extend(getattr(response, field))
            token = response.next_page_token
            if not token:
                return items
            if token == request.page_token:
                raise Internal(f"{method}: the gateway repeated page token {token!r}")
            request.page_token = token

    async def _get_state(self, instance_id: str, project: str | None) -> InstanceState:
        request = pb.GetInstanceRequest(project=self._project(project), instance_id=instance_id)
        return InstanceState.from_proto(await self._transport.invoke("GetInstance", request))

    async def _stop(self, instance_id: str, project: str | None) -> InstanceState:
        request = pb.StopInstanceRequest(project=self._project(project), instance_id=instance_id)
        response = await self._transport.invoke("StopInstance", request)
        return InstanceState.from_proto(response.instance)

    async def _list_tasks(self, instance_id: str, project: str | None) -> list[Task]:
        request = pb.ListTasksRequest(project=self._project(project), instance_id=instance_id)
        return [Task.from_proto(t) for t in await self._walk("ListTasks", request, "tasks")]

    async def _task_result(self, instance_id: str, project: str | None, task: str) -> TaskResult:
        request = pb.GetTaskResultRequest(
            project=self._project(project), instance_id=instance_id, task_name=task
        )
        return TaskResult.from_proto(await self._transport.invoke("GetTaskResult", request))

    async def _task_results(self, instance_id: str, project: str | None) -> list[TaskResult]:
        request = pb.ListTaskResultsRequest(project=self._project(project), instance_id=instance_id)
        results = await self._walk("ListTaskResults", request, "task_results")
        return [TaskResult.from_proto(r) for r in results]

    async def _task_progress(
        self, instance_id: str, project: str | None, task: str
    ) -> TaskProgress:
        request = pb.GetTaskProgressRequest(
            project=self._project(project), instance_id=instance_id, task_name=task
        )
        return TaskProgress.from_proto(await self._transport.invoke("GetTaskProgress", request))

    def _result_stream(self, request: pb.ReadInstanceResultRequest) -> AsyncIterator[Any]:
        """One ReadInstanceResult stream (the result readers resume with new ones)."""
        return self._transport.stream("ReadInstanceResult", request)

    async def _task_summary(self, instance_id: str, project: str | None, task: str) -> TaskSummary:
        request = pb.GetTaskSummaryRequest(
            project=self._project(project), instance_id=instance_id, task_name=task
        )
        return TaskSummary.from_proto(await self._transport.invoke("GetTaskSummary", request))

    async def _task_detail(self, instance_id: str, project: str | None, task: str) -> TaskDetail:
        request = pb.GetTaskDetailRequest(
            project=self._project(project), instance_id=instance_id, task_name=task
        )
        detail: TaskDetail = await self._transport.invoke("GetTaskDetail", request)
        return detail

    async def _worker_log(
        self, instance_id: str, project: str | None, log_id: str, log_type: str | None, size: int
    ) -> str:
        request = pb.GetWorkerLogRequest(
            project=self._project(project),
            instance_id=instance_id,
            log_id=log_id,
            log_type=log_type_to_proto(log_type),
            max_size_bytes=size,
        )
        return str((await self._transport.invoke("GetWorkerLog", request)).content)

    async def _queueing_info(self, instance_id: str, project: str | None) -> QueueingInfo:
        request = pb.GetQueueingInfoRequest(project=self._project(project), instance_id=instance_id)
        return QueueingInfo.from_proto(await self._transport.invoke("GetQueueingInfo", request))

    async def _wait(
        self,
        instance: AsyncInstance,
        timeout: float | None,
        reconnect: ReconnectPolicy | None = None,
    ) -> InstanceState:
        deadline = None if timeout is None else self._clock() + timeout
        reconnect = reconnect or ReconnectPolicy()
        failing_since: float | None = None
        last_error: Unavailable | None = None
        attempt = 0
        while True:
            window = WAIT_WINDOW
            if deadline is not None:
                remaining = deadline - self._clock()
                if remaining <= 0:
                    cause = f" (gateway unreachable: {last_error})" if last_error else ""
                    raise WaitTimeout(
                        f"instance {instance.id} did not terminate within {timeout:g}s{cause}",
                        instance=instance,
                    )
                window = min(window, remaining)
            request = pb.WaitInstanceRequest(
                project=self._project(instance.project),
                instance_id=instance.id,
                timeout=duration(window),
            )
            try:
                response = await self._transport.invoke(
                    "WaitInstance", request, timeout=window + WAIT_GRACE
                )
            except Unavailable as error:
                now = self._clock()
                failing_since = now if failing_since is None else failing_since
                last_error = error
                attempt += 1
                left = None if deadline is None else deadline - now
                await asyncio.sleep(
                    reconnect.next_delay(attempt, error, now - failing_since, self._rng, left)
                )
                continue
            failing_since, attempt, last_error = None, 0, None
            state = InstanceState.from_proto(response.instance)
            instance._set_state(state)
            if state.terminated:
                return state

    def _watch(
        self,
        instance_id: str,
        project: str | None,
        omit_progress: bool,
        heartbeat: float | None,
        policy: ReconnectPolicy,
        timeout: float | None = None,
        on_timeout: TimeoutFactory | None = None,
    ) -> AsyncIterator[WatchEvent]:
        request = pb.WatchInstanceRequest(
            project=self._project(project), instance_id=instance_id, omit_progress=omit_progress
        )
        if heartbeat:
            request.heartbeat_interval.CopyFrom(duration(heartbeat))

        def open_stream(remaining: float | None) -> AsyncIterator[Any]:
            return self._transport.stream("WatchInstance", request, timeout=remaining)

        return watch_events_async(
            open_stream,
            policy,
            clock=self._clock,
            rng=self._rng,
            deadline=None if timeout is None else self._clock() + timeout,
            on_timeout=on_timeout or default_timeout,
        )
