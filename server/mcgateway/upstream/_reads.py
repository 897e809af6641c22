"""Reads that combine several REST calls, run as one unit on an upstream thread."""

from __future__ import annotations

from dataclasses import dataclass, replace

from mcgateway.domain import Instance, TaskResult, TaskStatus
from mcgateway.maxcompute import Deadline, MaxComputeClient

__all__ = ["InstanceView", "read_instance_view"]


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
    client: MaxComputeClient, project: str, instance_id: str, *, deadline: Deadline
) -> InstanceView:
    """GET with ``?taskstatus`` (then ``?result`` if a task failed), in one worker hop.

    Sequential on purpose: on a busy host two parallel reads contend for the GIL and the
    upstream and finish later than one after the other, and the order guarantees that a
    terminated status comes with final task statuses.
    """
    instance = client.get_instance(project, instance_id, include_tasks=True, deadline=deadline)
    if instance.is_terminated and not all(t.status.is_final for t in instance.tasks):
        # MaxCompute may report Terminated a moment before the last task status settles.
        tasks = client.get_task_statuses(project, instance_id, deadline=deadline)
        instance = replace(instance, tasks=tasks)
    results = None
    if any(t.status is TaskStatus.FAILED for t in instance.tasks):
        results = client.get_task_results(project, instance_id, deadline=deadline)
    return InstanceView(instance, results)
