"""Reads that combine several REST calls, run as one unit on an upstream thread."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from typing import TypeVar

from mcgateway.domain import Instance, Task, TaskResult, TaskStatus
from mcgateway.maxcompute import Deadline, MaxComputeClient
from mcgateway.upstream._runner import RoundTrip, Upstream

__all__ = ["CONCURRENT_ABOVE", "InstanceView", "gather_instance_view", "read_instance_view"]

CONCURRENT_ABOVE = 0.005
"""Upstream round trip (seconds, :class:`RoundTrip`) above which GetInstance's reads go out
concurrently. Below it (loopback, an emulator next door) the reads are CPU, not waiting:
issued together they contend for the GIL and take a second thread hop, and finish later
than one after the other (bench/RESULTS.md); a cloud region's 5 ms and more are waiting,
which the concurrent reads overlap."""

_T = TypeVar("_T")


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


def read_instance_view(
    client: MaxComputeClient,
    project: str,
    instance_id: str,
    *,
    deadline: Deadline,
    round_trip: RoundTrip | None = None,
) -> InstanceView:
    """GET with ``?taskstatus`` (then ``?result`` if a task failed), one after the other
    in one worker hop: what :func:`gather_instance_view` answers like, and does itself on a
    fast upstream. ``round_trip`` learns how long the GET took."""
    instance = _get(client, round_trip, project, instance_id, deadline=deadline)
    tasks = client.get_task_statuses(project, instance_id, deadline=deadline)
    instance = replace(instance, tasks=tasks)
    if instance.is_terminated and not all(t.status.is_final for t in instance.tasks):
        # MaxCompute may report Terminated a moment before the last task status settles.
        tasks = client.get_task_statuses(project, instance_id, deadline=deadline)
        instance = replace(instance, tasks=tasks)
    results = None
    if any(t.status is TaskStatus.FAILED for t in instance.tasks):
        results = client.get_task_results(project, instance_id, deadline=deadline)
    return InstanceView(instance, results)


async def gather_instance_view(
    upstream: Upstream, project: str, instance_id: str, *, deadline: Deadline
) -> InstanceView:
    """What :func:`read_instance_view` returns, with the reads issued concurrently when the
    upstream is slow enough for that to pay (:data:`CONCURRENT_ABOVE`), else that read.

    The GET and ``?taskstatus`` go out at once, each on an upstream thread, so the call
    takes one upstream round trip instead of two; ``?result`` (for the failure text) goes
    out as soon as the task statuses show a failed task, while the GET may still be under
    way. All share the call's ``deadline``. The answer is the sequential one: an error of
    the GET wins over one of ``?taskstatus`` (NOT_FOUND for a missing instance, whichever
    answered first); a Terminated status with a task not yet final reads ``?taskstatus``
    again (the concurrent read may have been answered before the status settled).
    """
    client, round_trip = upstream.client, upstream.round_trip
    if round_trip.seconds < CONCURRENT_ABOVE:
        return await upstream.run(
            read_instance_view,
            client,
            project,
            instance_id,
            deadline=deadline,
            round_trip=round_trip,
        )
    instance_read = _start(
        upstream.run(_get, client, round_trip, project, instance_id, deadline=deadline)
    )
    tasks_read = _start(
        upstream.run(client.get_task_statuses, project, instance_id, deadline=deadline)
    )
    results_read: asyncio.Future[tuple[TaskResult, ...]] | None = None
    try:
        await asyncio.wait((instance_read, tasks_read), return_when=asyncio.FIRST_COMPLETED)
        if tasks_read.done() and not tasks_read.exception() and _failed(tasks_read.result()):
            results_read = _start(
                upstream.run(client.get_task_results, project, instance_id, deadline=deadline)
            )
        await asyncio.wait((instance_read, tasks_read))
        instance = instance_read.result()  # the GET's error first, as the sequential read
        tasks = tasks_read.result()
        if instance.is_terminated and not all(t.status.is_final for t in tasks):
            # MaxCompute may report Terminated a moment before the last task status settles.
            tasks = await upstream.run(
                client.get_task_statuses, project, instance_id, deadline=deadline
            )
        instance = replace(instance, tasks=tasks)
        results = None
        if _failed(tasks):
            if results_read is None:
                results_read = _start(
                    upstream.run(client.get_task_results, project, instance_id, deadline=deadline)
                )
            results = await results_read
        return InstanceView(instance, results)
    finally:
        for read in (instance_read, tasks_read, results_read):
            if read is not None and not read.done():
                read.cancel()
            if read is not None and read.done() and not read.cancelled():
                # Seen here, so a read left unused never logs "exception never retrieved".
                read.exception()


def _get(
    client: MaxComputeClient,
    round_trip: RoundTrip | None,
    project: str,
    instance_id: str,
    *,
    deadline: Deadline,
) -> Instance:
    """The GET of the instance, timed into ``round_trip``."""
    started = time.perf_counter()
    try:
        return client.get_instance(project, instance_id, deadline=deadline)
    finally:
        if round_trip is not None:
            round_trip.observe(time.perf_counter() - started)


def _start(read: Awaitable[_T]) -> asyncio.Future[_T]:
    return asyncio.ensure_future(read)


def _failed(tasks: tuple[Task, ...]) -> bool:
    return any(t.status is TaskStatus.FAILED for t in tasks)
