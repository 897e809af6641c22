"""Adapts the gateway's async upstream facade to the reads the watch hub uses."""

from __future__ import annotations

from typing import Any

from mcgateway.domain import Instance, InstancePage, ListFilter, Task, TaskProgress, TaskResult
from mcgateway.watch._upstream import WatchUpstream

__all__ = ["adapt_upstream"]


class _FacadeUpstream:
    """:class:`WatchUpstream` over ``mcgateway.upstream.Upstream`` (bounded executor)."""

    def __init__(self, upstream: Any) -> None:
        self._upstream = upstream

    async def get_instance(self, project: str, instance_id: str, *, timeout: float) -> Instance:
        result: Instance = await self._upstream.get_instance(project, instance_id, timeout=timeout)
        return result

    async def wait_instance_status(
        self, project: str, instance_id: str, *, timeout: float
    ) -> Instance:
        # Exactly one blocking ?instancestatus request on the facade's bounded executor (the
        # facade's wait_instance loops until termination; the poller loops itself so it
        # sees every status change).
        upstream = self._upstream
        result: Instance = await upstream.run(
            upstream.client.poll_instance_status,
            project,
            instance_id,
            deadline=upstream.deadline(timeout),
        )
        return result

    async def get_task_statuses(
        self, project: str, instance_id: str, *, timeout: float
    ) -> tuple[Task, ...]:
        result: tuple[Task, ...] = await self._upstream.get_task_statuses(
            project, instance_id, timeout=timeout
        )
        return result

    async def get_task_progress(
        self, project: str, instance_id: str, task_name: str, *, timeout: float
    ) -> TaskProgress:
        result: TaskProgress = await self._upstream.get_task_progress(
            project, instance_id, task_name, timeout=timeout
        )
        return result

    async def get_task_results(
        self, project: str, instance_id: str, *, timeout: float
    ) -> tuple[TaskResult, ...]:
        result: tuple[TaskResult, ...] = await self._upstream.get_task_results(
            project, instance_id, timeout=timeout
        )
        return result

    async def list_instances(
        self,
        project: str,
        list_filter: ListFilter,
        *,
        marker: str | None,
        max_items: int,
        timeout: float,
    ) -> InstancePage:
        result: InstancePage = await self._upstream.list_instances(
            project, filter=list_filter, marker=marker, max_items=max_items, timeout=timeout
        )
        return result


def adapt_upstream(upstream: Any) -> WatchUpstream:
    """``upstream`` itself when it already speaks :class:`WatchUpstream`, else a wrapper
    around the gateway's ``Upstream`` facade."""
    if hasattr(upstream, "wait_instance_status"):
        adapted: WatchUpstream = upstream
        return adapted
    if hasattr(upstream, "run") and hasattr(upstream, "client"):
        return _FacadeUpstream(upstream)
    raise TypeError(f"{type(upstream).__name__} does not provide the upstream reads of a watch")
