"""The upstream reads the watch hub needs, as a small async protocol.

The gateway's ``mcgateway.upstream`` facade (which runs the synchronous REST client in a
bounded executor) is adapted to this protocol by :func:`adapt_upstream`; tests may hand in
anything with these five coroutines.
"""

from __future__ import annotations

from typing import Protocol

from mcgateway.domain import Instance, InstancePage, ListFilter, Task, TaskProgress, TaskResult

__all__ = ["WatchUpstream"]


class WatchUpstream(Protocol):
    """Async reads of MaxCompute; every call raises ``MaxComputeError`` on failure.

    ``timeout`` is the longest the call may take in seconds, retries included.
    """

    async def get_instance(self, project: str, instance_id: str, *, timeout: float) -> Instance:
        """``GET /projects/{p}/instances/{id}``: status, owner and times, without tasks."""
        ...

    async def wait_instance_status(
        self, project: str, instance_id: str, *, timeout: float
    ) -> Instance:
        """The blocking ``?instancestatus`` read: MaxCompute holds it until the status changes
        or a few seconds pass, then answers like ``get_instance``."""
        ...

    async def get_task_statuses(
        self, project: str, instance_id: str, *, timeout: float
    ) -> tuple[Task, ...]:
        """``?taskstatus``: the tasks in server order."""
        ...

    async def get_task_progress(
        self, project: str, instance_id: str, task_name: str, *, timeout: float
    ) -> TaskProgress:
        """``?instanceprogress={task}&taskname={task}``: the stages of one task."""
        ...

    async def get_task_results(
        self, project: str, instance_id: str, *, timeout: float
    ) -> tuple[TaskResult, ...]:
        """``?result``: the results of every task (failure texts for failed tasks)."""
        ...

    async def list_instances(
        self,
        project: str,
        list_filter: ListFilter,
        *,
        marker: str | None,
        max_items: int,
        timeout: float,
    ) -> InstancePage:
        """One page of ``GET /projects/{p}/instances``."""
        ...
