"""The synchronous ``Gateway`` client: PyODPS's instance methods over the gateway's gRPC API."""

from __future__ import annotations

import contextlib
import random
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any

import grpc
from maxcompute.gateway.v1 import instance_service_pb2 as pb

from ._channel import TlsOption, make_channel
from ._errors import Internal, Unavailable, WaitTimeout
from ._instance import Instance
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
    list_request,
    logview_request,
    split_ref,
    submit_sql_request,
    submit_xflow_request,
)
from ._service_config import ServiceConfig, load_service_config
from ._transport import Transport
from ._watch import ReconnectPolicy, watch_events

__all__ = ["Gateway", "InstanceRef"]

InstanceRef = str | Instance
"""An instance given by id or as an Instance object."""


class Gateway:
    """Synchronous client of an mcgateway, shaped like PyODPS's ``ODPS`` entry object.

    ``target`` is ``host:port``. ``token`` is sent as ``authorization: Bearer``; ``tls`` is
    False (plaintext), True (system roots), a :class:`TlsConfig` or grpc credentials;
    ``default_project`` fills in every call that names no project (empty: the gateway's own
    default); ``timeout`` overrides the service config's per-method deadlines (seconds).
    """

    def __init__(
        self,
        target: str | None = None,
        *,
        token: str | None = None,
        tls: TlsOption = False,
        default_project: str | None = None,
        timeout: float | None = None,
        channel: grpc.Channel | None = None,
        service_config: ServiceConfig | None = None,
        _clock: Callable[[], float] = time.monotonic,
        _sleep: Callable[[float], None] = time.sleep,
        _rng: Callable[[], float] = random.random,
    ) -> None:
        if (target is None) == (channel is None):
            raise ValueError("give exactly one of target or channel")
        config = service_config or load_service_config()
        self.target = target
        self.default_project = default_project or ""
        self._owns_channel = channel is None
        self._channel = channel if channel is not None else make_channel(str(target), tls, config)
        self._clock, self._sleep, self._rng = _clock, _sleep, _rng
        self._transport = Transport(
            self._channel,
            token=token,
            timeout=timeout,
            service_config=config,
            clock=_clock,
            sleep=_sleep,
            rng=_rng,
        )

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        """Closes the channel (if the client created it)."""
        if self._owns_channel:
            self._channel.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _project(self, project: str | None) -> str:
        return project or self.default_project

    def _instance(self, state: InstanceState, logview_url: str | None = None) -> Instance:
        return Instance(self, state.id, state.project, state=state, logview_url=logview_url)

    # -- PyODPS entry methods ---------------------------------------------------------------
    def list_instances(
        self,
        status: Status | str | None = None,
        only_owner: bool = False,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        project: str | None = None,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> Iterator[Instance]:
        """Instances of the project in MaxCompute's order, fetched lazily page by page.

        ``status`` is a Status or its value ('Running', ...); ``max_items`` stops early.
        """
        request = list_request(
            self._project(project), status, only_owner, start_time, end_time, page_size
        )
        return self._list_pages(request, max_items)

    def _list_pages(
        self, request: pb.ListInstancesRequest, max_items: int | None
    ) -> Iterator[Instance]:
        count = 0
        while True:
            response = self._transport.invoke("ListInstances", request)
            for item in response.instances:
                if max_items is not None and count >= max_items:
                    return
                count += 1
                yield self._instance(InstanceState.from_proto(item))
            if not response.next_page_token:
                return
            request.page_token = response.next_page_token

    def exist_instance(self, instance_id: InstanceRef, project: str | None = None) -> bool:
        """Whether the instance exists."""
        iid, proj = split_ref(instance_id, project)
        request = pb.InstanceExistsRequest(project=self._project(proj), instance_id=iid)
        return bool(self._transport.invoke("InstanceExists", request).exists)

    def get_instance(self, instance_id: InstanceRef, project: str | None = None) -> Instance:
        """The instance with its current state; raises NotFound when absent."""
        iid, proj = split_ref(instance_id, project)
        return self._instance(self._get_state(iid, proj))

    def stop_instance(self, instance_id: InstanceRef, project: str | None = None) -> Instance:
        """Stops a running instance (asynchronous in MaxCompute); InvalidState if not running."""
        iid, proj = split_ref(instance_id, project)
        return self._instance(self._stop(iid, proj))

    def run_sql(
        self,
        sql: str,
        hints: Mapping[str, object] | None = None,
        project: str | None = None,
        *,
        priority: int | None = None,
        request_id: str | None = None,
    ) -> Instance:
        """Submits SQL and returns the new instance without waiting.

        Each call gets a fresh UUID4 request id (or ``request_id``, which must be a UUID4:
        anything else raises InvalidArgument before any call), so retries after UNAVAILABLE
        cannot create a duplicate job.
        """
        request = submit_sql_request(self._project(project), sql, hints, priority, request_id)
        response = self._transport.invoke("SubmitSql", request, idempotent=True)
        return self._instance(InstanceState.from_proto(response.instance))

    def execute_sql(
        self,
        sql: str,
        hints: Mapping[str, object] | None = None,
        project: str | None = None,
        *,
        priority: int | None = None,
        timeout: float | None = None,
    ) -> Instance:
        """Submits SQL and waits for success; raises InstanceFailed if the job fails."""
        return self.run_sql(sql, hints, project, priority=priority).wait_for_success(timeout)

    def run_xflow(
        self,
        xflow_name: str,
        xflow_project: str | None = None,
        parameters: Mapping[str, object] | None = None,
        project: str | None = None,
        hints: Mapping[str, object] | None = None,
        *,
        priority: int | None = None,
        request_id: str | None = None,
    ) -> Instance:
        """Submits an XFlow (PAI) job, e.g. ``run_xflow('AppendID', 'algo_public', {...})``.

        ``request_id`` as in :meth:`run_sql`: a UUID4, fresh when not given.
        """
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
        response = self._transport.invoke("SubmitXflow", request, idempotent=True)
        return self._instance(InstanceState.from_proto(response.instance))

    def execute_xflow(
        self,
        xflow_name: str,
        xflow_project: str | None = None,
        parameters: Mapping[str, object] | None = None,
        project: str | None = None,
        hints: Mapping[str, object] | None = None,
        *,
        timeout: float | None = None,
    ) -> Instance:
        """Submits an XFlow job and waits for success."""
        instance = self.run_xflow(xflow_name, xflow_project, parameters, project, hints)
        return instance.wait_for_success(timeout)

    def get_xflow_sub_instances(
        self, instance: InstanceRef, project: str | None = None
    ) -> OrderedDict[str, Instance]:
        """The sub-instances of an XFlow instance by node name, each with its Logview URL."""
        return OrderedDict(
            (
                info.name,
                Instance(
                    self,
                    info.instance_id,
                    self._sub_project(instance, project),
                    logview_url=info.logview_url or None,
                ),
            )
            for info in self.list_sub_instances(instance, project)
        )

    def iter_xflow_sub_instances(
        self, instance: InstanceRef, interval: float = 1.0, project: str | None = None
    ) -> Iterator[tuple[str, Instance]]:
        """(name, sub-instance) pairs as the XFlow creates them, until it terminates.

        Between looks it waits on the XFlow instance itself (WaitInstance, at most
        ``interval`` seconds), so it ends as soon as the XFlow does.
        """
        iid, proj = split_ref(instance, project)
        xflow = instance if isinstance(instance, Instance) else self.get_instance(iid, proj)
        seen: set[str] = set()
        while True:
            terminated = xflow.is_terminated()
            for name, sub in self.get_xflow_sub_instances(xflow).items():
                if sub.id not in seen:
                    seen.add(sub.id)
                    yield name, sub
            if terminated:
                return
            with contextlib.suppress(WaitTimeout):
                xflow.wait_for_completion(timeout=interval)

    def _sub_project(self, instance: InstanceRef, project: str | None) -> str:
        _, proj = split_ref(instance, project)
        return self._project(proj)

    def list_sub_instances(
        self, instance: InstanceRef, project: str | None = None
    ) -> list[SubInstanceInfo]:
        """The sub-instances of an XFlow instance as plain data (name, id, Logview URL), every
        page of them."""
        iid, proj = split_ref(instance, project)
        request = pb.ListSubInstancesRequest(project=self._project(proj), instance_id=iid)
        return [
            SubInstanceInfo(s.name, s.instance_id, s.logview_url)
            for s in self._walk("ListSubInstances", request, "sub_instances")
        ]

    def get_logview_address(
        self, instance_id: InstanceRef, hours: int | None = None, project: str | None = None
    ) -> str:
        """A new Logview URL for the instance valid ``hours`` (default 720, at most 2160)."""
        iid, proj = split_ref(instance_id, project)
        request = logview_request(self._project(proj), iid, hours)
        return str(self._transport.invoke("GenerateLogviewAddress", request).url)

    def watch_instances(
        self,
        status: Status | str | None = None,
        only_owner: bool = False,
        project: str | None = None,
        *,
        heartbeat: float | None = None,
    ) -> Iterator[WatchInstancesEvent]:
        """Instance changes of a project: ADDED for each match, SNAPSHOT_END, then changes.

        Runs until the caller stops iterating; raises Unavailable when the stream breaks
        (re-subscribe: a new stream starts with a fresh snapshot). Event states carry no tasks,
        so their ``successful`` is None; an Instance's ``is_successful()`` reads it when needed.
        """
        request = pb.WatchInstancesRequest(
            project=self._project(project),
            state_filter=status_to_proto(status),
            only_owner=only_owner,
        )
        if heartbeat:
            request.heartbeat_interval.CopyFrom(duration(heartbeat))
        for message in self._transport.stream("WatchInstances", request):
            event = WatchInstancesEvent.from_proto(message)
            if event.type is not None or event.state is not None:
                yield event

    # -- calls behind Instance ----------------------------------------------------------------
    def _walk(self, method: str, request: Any, field: str) -> list[Any]:
        """The items of every page of a paged List RPC, in order (AIP-158 page tokens)."""
        items: list[Any] = []
        while True:
            response = self._transport.invoke(method, request)
            items.extend(getattr(response, field))
            token = response.next_page_token
            if not token:
                return items
            if token == request.page_token:
                raise Internal(f"{method}: the gateway repeated page token {token!r}")
            request.page_token = token

    def _get_state(self, instance_id: str, project: str | None) -> InstanceState:
        request = pb.GetInstanceRequest(project=self._project(project), instance_id=instance_id)
        return InstanceState.from_proto(self._transport.invoke("GetInstance", request))

    def _stop(self, instance_id: str, project: str | None) -> InstanceState:
        request = pb.StopInstanceRequest(project=self._project(project), instance_id=instance_id)
        return InstanceState.from_proto(self._transport.invoke("StopInstance", request).instance)

    def _list_tasks(self, instance_id: str, project: str | None) -> list[Task]:
        request = pb.ListTasksRequest(project=self._project(project), instance_id=instance_id)
        return [Task.from_proto(t) for t in self._walk("ListTasks", request, "tasks")]

    def _task_result(self, instance_id: str, project: str | None, task: str) -> TaskResult:
        request = pb.GetTaskResultRequest(
            project=self._project(project), instance_id=instance_id, task_name=task
        )
        return TaskResult.from_proto(self._transport.invoke("GetTaskResult", request))

    def _task_results(self, instance_id: str, project: str | None) -> list[TaskResult]:
        request = pb.ListTaskResultsRequest(project=self._project(project), instance_id=instance_id)
        results = self._walk("ListTaskResults", request, "task_results")
        return [TaskResult.from_proto(r) for r in results]

    def _task_progress(self, instance_id: str, project: str | None, task: str) -> TaskProgress:
        request = pb.GetTaskProgressRequest(
            project=self._project(project), instance_id=instance_id, task_name=task
        )
        return TaskProgress.from_proto(self._transport.invoke("GetTaskProgress", request))

    def _wait(self, instance: Instance, timeout: float | None) -> InstanceState:
        """Loops WaitInstance until termination or ``timeout``; rides out gateway restarts."""
        deadline = None if timeout is None else self._clock() + timeout
        reconnect = ReconnectPolicy()
        failing_since: float | None = None
        attempt = 0
        while True:
            window = WAIT_WINDOW
            if deadline is not None:
                remaining = deadline - self._clock()
                if remaining <= 0:
                    raise WaitTimeout(
                        f"instance {instance.id} did not terminate within {timeout:g}s",
                        instance=instance,
                    )
                window = min(window, remaining)
            request = pb.WaitInstanceRequest(
                project=self._project(instance.project),
                instance_id=instance.id,
                timeout=duration(window),
            )
            try:
                response = self._transport.invoke(
                    "WaitInstance", request, timeout=window + WAIT_GRACE
                )
            except Unavailable:
                now = self._clock()
                failing_since = now if failing_since is None else failing_since
                if now - failing_since >= reconnect.give_up_after:
                    raise
                attempt += 1
                self._sleep(reconnect.backoff(attempt, self._rng))
                continue
            failing_since, attempt = None, 0
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
    ) -> Iterator[WatchEvent]:
        request = pb.WatchInstanceRequest(
            project=self._project(project), instance_id=instance_id, omit_progress=omit_progress
        )
        if heartbeat:
            request.heartbeat_interval.CopyFrom(duration(heartbeat))

        def open_stream() -> Iterator[Any]:
            return self._transport.stream("WatchInstance", request)

        return watch_events(
            open_stream, policy, clock=self._clock, sleep=self._sleep, rng=self._rng
        )
