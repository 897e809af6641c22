"""The async facade over the synchronous MaxCompute REST client.

Every upstream operation runs on a bounded ``ThreadPoolExecutor`` (``upstream_concurrency``
threads), never on the event loop. Each method takes the caller's remaining time (gRPC
``context.time_remaining()``) and turns it into a :class:`~mcgateway.maxcompute.Deadline`
*before* the call is queued, so time spent waiting for a free thread counts against it and
no HTTP timeout ever exceeds it. A cancelled RPC stops awaiting at once; its thread, if it
already started, finishes within the same deadline.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from mcgateway.config import GatewayConfig
from mcgateway.domain import (
    CreatedInstance,
    Instance,
    InstancePage,
    Job,
    ListFilter,
    LogviewAddress,
    SubInstance,
    Task,
    TaskProgress,
    TaskResult,
    TaskStatus,
    XFlowAction,
)
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    Deadline,
    MaxComputeClient,
    RequestObserver,
)
from mcgateway.metrics import GatewayMetrics

__all__ = ["InstanceView", "Timeout", "Upstream", "build_client"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

Timeout = float | Deadline | None
"""Remaining seconds of the caller (``None``: no deadline, the configured default applies),
or a ready :class:`Deadline`."""


@dataclass(frozen=True)
class InstanceView:
    """What GetInstance shows: the instance with its tasks, and the task results when a task
    failed (for the failure message)."""

    instance: Instance
    results: tuple[TaskResult, ...] | None = None

    @property
    def terminal(self) -> bool:
        """True when the instance terminated and every task reached a final state: it will
        never change again."""
        return self.instance.is_terminated and all(t.status.is_final for t in self.instance.tasks)


def build_client(
    config: GatewayConfig,
    *,
    endpoint: str,
    credentials: Credentials,
    default_project: str | None,
    observer: RequestObserver | None = None,
) -> MaxComputeClient:
    """A REST client sized for the gateway: one pooled connection per upstream thread."""
    return MaxComputeClient(
        ClientConfig(
            endpoint=endpoint,
            credentials=credentials,
            default_project=default_project,
            region=config.region,
            pool_size=config.upstream_concurrency,
            read_timeout=config.upstream_timeout,
            default_timeout=config.upstream_timeout,
        ),
        observer=observer,
    )


class Upstream:
    """One async method per upstream operation, each bounded by the caller's deadline."""

    def __init__(
        self,
        client: MaxComputeClient,
        *,
        concurrency: int = 32,
        default_timeout: float = 60.0,
        metrics: GatewayMetrics | None = None,
    ) -> None:
        self.client = client
        self._default_timeout = default_timeout
        self._metrics = metrics
        self._executor = ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="mcgateway-upstream"
        )
        self._closed = False

    def deadline(self, timeout: Timeout) -> Deadline:
        """The deadline for a call with ``timeout`` left, capped by the default timeout."""
        if isinstance(timeout, Deadline):
            return timeout
        if timeout is None:
            return Deadline.after(self._default_timeout)
        return Deadline.after(min(max(0.0, timeout), self._default_timeout))

    async def run(self, fn: Callable[..., _T], /, *args: object, **kwargs: object) -> _T:
        """Run ``fn(*args, **kwargs)`` on the upstream executor, in the caller's log context."""
        if self._closed:
            raise RuntimeError("upstream is closed")
        ctx = contextvars.copy_context()
        call = functools.partial(ctx.run, fn, *args, **kwargs)
        future = self._executor.submit(call)
        gauge = self._metrics.upstream_inflight if self._metrics is not None else None
        if gauge is not None:
            # Counted until the thread is done, even when the caller stopped waiting.
            gauge.inc()
            future.add_done_callback(lambda _: gauge.dec())
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop taking calls; queued calls are dropped, running ones end within their deadline."""
        if not self._closed:
            self._closed = True
            self._executor.shutdown(wait=False, cancel_futures=True)
            self.client.close()

    # ------------------------------------------------------------------ reads

    async def list_instances(
        self,
        project: str,
        *,
        filter: ListFilter | None = None,
        marker: str | None = None,
        max_items: int | None = None,
        timeout: Timeout = None,
    ) -> InstancePage:
        """One page of the project's instances (MaxCompute marker paging)."""
        return await self.run(
            self.client.list_instances,
            project,
            filter=filter,
            marker=marker,
            max_items=max_items,
            deadline=self.deadline(timeout),
        )

    async def get_instance(
        self,
        project: str,
        instance_id: str,
        *,
        include_tasks: bool = False,
        timeout: Timeout = None,
    ) -> Instance:
        """Status, owner and times (plus task statuses with ``include_tasks``)."""
        return await self.run(
            self.client.get_instance,
            project,
            instance_id,
            include_tasks=include_tasks,
            deadline=self.deadline(timeout),
        )

    async def read_instance_view(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> InstanceView:
        """GET, then ``?taskstatus`` (then ``?result`` if a task failed) in one worker hop.

        Sequential on purpose: on a busy host two parallel reads contend for the GIL and the
        upstream and finish later than one after the other, and the order guarantees that a
        terminated status comes with final task statuses.
        """
        return await self.run(self._read_view, project, instance_id, self.deadline(timeout))

    def _read_view(self, project: str, instance_id: str, deadline: Deadline) -> InstanceView:
        client = self.client
        instance = client.get_instance(project, instance_id, include_tasks=True, deadline=deadline)
        if instance.is_terminated and not all(t.status.is_final for t in instance.tasks):
            # MaxCompute may report Terminated a moment before the last task status settles.
            tasks = client.get_task_statuses(project, instance_id, deadline=deadline)
            instance = replace(instance, tasks=tasks)
        results = None
        if any(t.status is TaskStatus.FAILED for t in instance.tasks):
            results = client.get_task_results(project, instance_id, deadline=deadline)
        return InstanceView(instance, results)

    async def wait_instance(
        self,
        project: str,
        instance_id: str,
        *,
        wait: float,
        include_tasks: bool = False,
        timeout: Timeout = None,
    ) -> Instance:
        """Blocking ``?instancestatus`` polls for up to ``wait`` seconds; the latest state."""
        return await self.run(
            self.client.wait_instance,
            project,
            instance_id,
            wait=wait,
            include_tasks=include_tasks,
            deadline=self.deadline(timeout),
        )

    async def instance_exists(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> bool:
        """True when MaxCompute knows the instance."""
        return await self.run(
            self.client.instance_exists, project, instance_id, deadline=self.deadline(timeout)
        )

    async def get_task_statuses(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> tuple[Task, ...]:
        """``?taskstatus``: the tasks in server order."""
        return await self.run(
            self.client.get_task_statuses, project, instance_id, deadline=self.deadline(timeout)
        )

    async def get_task_results(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> tuple[TaskResult, ...]:
        """``?result``: every task's result text."""
        return await self.run(
            self.client.get_task_results, project, instance_id, deadline=self.deadline(timeout)
        )

    async def get_task_progress(
        self, project: str, instance_id: str, task_name: str, *, timeout: Timeout = None
    ) -> TaskProgress:
        """``?instanceprogress``: one task's stages."""
        return await self.run(
            self.client.get_task_progress,
            project,
            instance_id,
            task_name,
            deadline=self.deadline(timeout),
        )

    async def get_job(self, project: str, instance_id: str, *, timeout: Timeout = None) -> Job:
        """``?source``: the submitted job."""
        return await self.run(
            self.client.get_job, project, instance_id, deadline=self.deadline(timeout)
        )

    async def get_logview_address(
        self, project: str, instance_id: str, *, hours: int | None = None, timeout: Timeout = None
    ) -> LogviewAddress:
        """A Logview URL valid for ``hours``."""
        return await self.run(
            self.client.get_logview_address,
            project,
            instance_id,
            hours=hours,
            deadline=self.deadline(timeout),
        )

    async def get_xflow_actions(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> tuple[XFlowAction, ...]:
        """``?xresult``: the actions of an XFlow instance."""
        return await self.run(
            self.client.get_xflow_actions, project, instance_id, deadline=self.deadline(timeout)
        )

    async def get_xflow_sub_instances(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> tuple[SubInstance, ...]:
        """The sub-instances of an XFlow instance (sub-workflows followed)."""
        return await self.run(
            self.client.get_xflow_sub_instances,
            project,
            instance_id,
            deadline=self.deadline(timeout),
        )

    # ------------------------------------------------------------------ writes

    async def stop_instance(
        self, project: str, instance_id: str, *, timeout: Timeout = None
    ) -> None:
        """Ask MaxCompute to stop a running instance."""
        await self.run(
            self.client.stop_instance, project, instance_id, deadline=self.deadline(timeout)
        )

    async def create_sql_instance(
        self,
        project: str,
        query: str,
        *,
        hints: Mapping[str, str] | None = None,
        priority: int = 9,
        request_id: str | None = None,
        job_name: str | None = None,
        timeout: Timeout = None,
    ) -> CreatedInstance:
        """Submit one SQL task (with the REST client's duplicate avoidance by request id)."""
        return await self.run(
            self.client.create_sql_instance,
            project,
            query,
            hints=hints,
            priority=priority,
            request_id=request_id,
            job_name=job_name,
            deadline=self.deadline(timeout),
        )

    async def create_xflow_instance(
        self,
        project: str,
        xflow_name: str,
        parameters: Mapping[str, str],
        *,
        xflow_project: str,
        hints: Mapping[str, str] | None = None,
        priority: int | None = None,
        request_id: str | None = None,
        timeout: Timeout = None,
    ) -> CreatedInstance:
        """Submit an XFlow (PAI) instance."""
        return await self.run(
            self.client.create_xflow_instance,
            project,
            xflow_name,
            parameters,
            xflow_project=xflow_project,
            hints=hints,
            priority=priority,
            request_id=request_id,
            deadline=self.deadline(timeout),
        )

    async def find_created_instance(
        self, project: str, request_id: str, *, since: datetime, timeout: Timeout = None
    ) -> str | None:
        """The id of an instance this account created with ``request_id`` since ``since``."""
        return await self.run(
            self.client.find_created_instance,
            project,
            request_id,
            since=since,
            deadline=self.deadline(timeout),
        )
