"""The RPCs that read an instance in depth: task summary and cost, task detail and workers,
worker logs, queueing information, the project queue, and SQL cost estimates.

The servicer delegates them here (each already inside the chokepoint). Reads of a
terminated instance's summary and detail are final and go through the terminal cache;
task names are checked against the instance's tasks (TASK_NOT_FOUND) and worker log ids
against the workers of the instance's tasks (WORKER_LOG_NOT_FOUND) before MaxCompute is
asked, so a log id of one instance never reads a log through another.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import grpc
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from mcgateway import domain, wire
from mcgateway.errors import GatewayError, Reason
from mcgateway.maxcompute import (
    ErrorCategory,
    MaxComputeError,
    SyntheticCode,
    task_failure_error,
)
from mcgateway.service import validation
from mcgateway.service.audit import audit
from mcgateway.service.cache import Cached, TerminalCache, key
from mcgateway.service.chokepoint import Call
from mcgateway.service.paging import PageTokenCodec, scope_fingerprint
from mcgateway.service.watch_rpcs import WatchRpcs
from mcgateway.upstream import Upstream

__all__ = ["ESTIMATE_WAIT_CAP", "DepthRpcs", "task_not_found"]

_log = logging.getLogger(__name__)

pb = instance_service_pb2
_TERMINATED = instance_pb2.Instance.TERMINATED
_FINAL_TASK_STATES = frozenset(
    {instance_pb2.Task.SUCCEEDED, instance_pb2.Task.FAILED, instance_pb2.Task.CANCELLED}
)

ESTIMATE_WAIT_CAP = 300.0
"""Longest an EstimateSqlCost call without a deadline waits for its estimate, in seconds."""

# An estimate answers this much before the call deadline, so the answer arrives in time.
_DEADLINE_MARGIN = 0.2

InstanceView = Callable[[Call, str], Awaitable[instance_pb2.Instance]]
"""The servicer's cached read of an instance with its tasks (GetInstance's)."""


def task_not_found(project: str, instance_id: str, task: str) -> GatewayError:
    """NOT_FOUND (reason ``TASK_NOT_FOUND``) for a task the instance does not have."""
    return GatewayError(
        grpc.StatusCode.NOT_FOUND,
        Reason.TASK_NOT_FOUND,
        f"instance {instance_id} has no task {task!r}",
        metadata={"project": project, "instance_id": instance_id, "task_name": task},
    )


# A dataclass: the handlers hold the servicer's collaborators and no state of their own
# (eq=False: compared by identity, like the servicer that owns them).
@dataclass(frozen=True, kw_only=True, eq=False)
class DepthRpcs:
    """Handlers of GetTaskSummary, GetTaskDetail, GetWorkerLog, GetQueueingInfo,
    ListQueueingInfos and EstimateSqlCost (see the module docstring)."""

    upstream: Upstream
    cache: TerminalCache
    pages: PageTokenCodec
    watch_rpcs: WatchRpcs
    instance_view: InstanceView
    """The servicer's GetInstance read (cache, then upstream), for the task checks."""

    async def _task(self, call: Call, instance_id: str, task: str) -> tuple[bool, bool]:
        """Whether the instance is terminated and the task final, after checking the task
        exists (TASK_NOT_FOUND otherwise; INSTANCE_NOT_FOUND from the read)."""
        view = await self.instance_view(call, instance_id)
        found = next((t for t in view.tasks if t.name == task), None)
        if found is None:
            raise task_not_found(call.project, instance_id, task)
        return view.state == _TERMINATED, found.state in _FINAL_TASK_STATES

    # --- summary ------------------------------------------------------------------------------

    async def GetTaskSummary(
        self, call: Call, request: pb.GetTaskSummaryRequest
    ) -> instance_pb2.TaskSummary:
        """The task's summary; final (cached) once MaxCompute says so, or once the instance
        terminated when MaxCompute does not say."""
        _check(request.instance_id, request.task_name)
        project, instance_id, task = call.project, request.instance_id, request.task_name
        timeout = call.time_remaining()

        async def load() -> Cached[instance_pb2.TaskSummary]:
            terminated, _ = await self._task(call, instance_id, task)
            up = self.upstream
            summary = await up.run(
                up.client.get_task_summary,
                project,
                instance_id,
                task,
                deadline=up.deadline(timeout),
            )
            message = wire.task_summary_to_proto(summary)
            final = summary.finalized is True or (terminated and summary.finalized is None)
            return Cached(message, final, 400 + message.ByteSize())

        return await self.cache.get_or_load(key("summary", project, instance_id, task), load)

    # --- detail and logs ----------------------------------------------------------------------

    async def _detail(
        self, call: Call, instance_id: str, task: str, timeout: float | None
    ) -> domain.TaskDetail:
        project = call.project

        async def load() -> Cached[domain.TaskDetail]:
            terminated, _ = await self._task(call, instance_id, task)
            up = self.upstream
            detail = await up.run(
                up.client.get_task_detail, project, instance_id, task, deadline=up.deadline(timeout)
            )
            size = 400 + len(detail.text) + 300 * len(detail.workers)
            if detail.detail is not None:
                size += 4 * len(str(detail.detail))
            return Cached(detail, terminated, size)

        return await self.cache.get_or_load(key("detail", project, instance_id, task), load)

    async def GetTaskDetail(
        self, call: Call, request: pb.GetTaskDetailRequest
    ) -> instance_pb2.TaskDetail:
        """The task's detail and workers; cached once the instance terminated."""
        _check(request.instance_id, request.task_name)
        detail = await self._detail(
            call, request.instance_id, request.task_name, call.time_remaining()
        )
        return wire.task_detail_to_proto(detail)

    async def GetWorkerLog(
        self, call: Call, request: pb.GetWorkerLogRequest
    ) -> instance_pb2.WorkerLog:
        """One worker log, if a worker of this instance has the log id; cut at the size."""
        v = validation.Violations()
        validation.check_instance_id(v, request.instance_id)
        validation.check_log_id(v, request.log_id)
        size = validation.check_log_size(v, request.max_size_bytes)
        log_type = wire.LOG_TYPE_FROM_PROTO.get(request.log_type)
        if log_type is None:
            v.add("log_type", f"unknown log type value {request.log_type}")
        v.raise_if_any()
        assert log_type is not None
        project, instance_id, log_id = call.project, request.instance_id, request.log_id
        up = self.upstream
        deadline = up.deadline(call.time_remaining())
        if not await self._has_log(call, instance_id, log_id, deadline.remaining()):
            raise GatewayError(
                grpc.StatusCode.NOT_FOUND,
                Reason.WORKER_LOG_NOT_FOUND,
                f"no worker of instance {instance_id} has log id {log_id!r}; GetTaskDetail "
                "lists the log ids of its workers (a log id of another instance is not "
                "readable through this one)",
                metadata={"project": project, "instance_id": instance_id, "log_id": log_id},
            )
        log = await up.run(
            up.client.get_worker_log,
            project,
            instance_id,
            log_id,
            log_type=log_type,
            max_bytes=size,
            deadline=deadline,
        )
        return wire.worker_log_to_proto(log)

    async def _has_log(self, call: Call, instance_id: str, log_id: str, timeout: float) -> bool:
        """Whether a worker of one of the instance's tasks has ``log_id`` (the details of a
        terminated instance come from the cache)."""
        view = await self.instance_view(call, instance_id)
        for task in view.tasks:
            detail = await self._detail(call, instance_id, task.name, timeout)
            if log_id in detail.log_ids:
                return True
        return False

    # --- queue ----------------------------------------------------------------------------------

    async def GetQueueingInfo(
        self, call: Call, request: pb.GetQueueingInfoRequest
    ) -> instance_pb2.QueueingInfo:
        """The instance's place in the queue (``?cached``). MaxCompute forgets an instance's
        queue entry some time after it ends: a terminated instance then gets its state from
        the instance itself, with no position."""
        _check(request.instance_id)
        project, instance_id = call.project, request.instance_id
        up = self.upstream
        try:
            info = await up.run(
                up.client.get_queueing_info,
                project,
                instance_id,
                deadline=up.deadline(call.time_remaining()),
            )
        except MaxComputeError as exc:
            if exc.category is not ErrorCategory.NOT_FOUND:
                raise
            view = await self.instance_view(call, instance_id)  # INSTANCE_NOT_FOUND if gone
            if view.state != _TERMINATED:
                raise
            return _unqueued(view)
        if info is None:
            # No queue entry (MaxCompute answers {} once an instance ended): what the
            # instance itself says, with no position.
            return _unqueued(await self.instance_view(call, instance_id))
        if info.instance_id != instance_id:
            # Never pass off another instance's entry as this one's.
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                f"MaxCompute answered the queueing information of {info.instance_id!r} "
                f"for instance {instance_id!r}",
                operation="get_queueing_info",
                project=project,
                instance_id=instance_id,
            )
        return wire.queueing_info_to_proto(info)

    async def ListQueueingInfos(
        self, call: Call, request: pb.ListQueueingInfosRequest
    ) -> pb.ListQueueingInfosResponse:
        """One page of the project's queue behind an opaque, signed page token."""
        v = validation.Violations()
        size = validation.check_page_size(v, request.page_size)
        validation.check_state_filter(v, request.state_filter)
        validation.check_quota_index(v, request.quota_index)
        v.raise_if_any()
        status = wire.INSTANCE_STATE_FROM_PROTO[request.state_filter]
        fingerprint = scope_fingerprint(
            "ListQueueingInfos",
            call.project,
            "|".join(
                (
                    status.value if status else "",
                    "owner" if request.only_owner else "",
                    request.quota_index,
                )
            ),
        )
        marker = None
        if request.page_token:
            marker = self.pages.decode_scoped(request.page_token, fingerprint)
        up = self.upstream
        page = await up.run(
            up.client.list_queueing_infos,
            call.project,
            status=status,
            only_owner=True if request.only_owner else None,
            quota_index=request.quota_index or None,
            marker=marker,
            max_items=size,
            deadline=up.deadline(call.time_remaining()),
        )
        next_token = ""
        if page.next_marker:
            next_token = self.pages.encode_scoped(fingerprint, page.next_marker)
        return pb.ListQueueingInfosResponse(
            queueing_infos=[wire.queueing_info_to_proto(i) for i in page.infos],
            next_page_token=next_token,
        )

    # --- cost -----------------------------------------------------------------------------------

    async def EstimateSqlCost(
        self, call: Call, request: pb.EstimateSqlCostRequest
    ) -> pb.EstimateSqlCostResponse:
        """Run the query as a ``SQLCost`` task, wait for it on the shared poller and read
        the estimate; a failed estimate is the failure MaxCompute gave (a parse error is
        INVALID_ARGUMENT)."""
        v = validation.Violations()
        query = ""
        if request.HasField("job"):
            query = validation.normalize_query(v, request.job.query, "job.query")
        else:
            v.add("job", "required: the SQL job to estimate")
        options = validation.check_submit_options(v, request.job, "", prefix="job.")
        placement = validation.check_sql_job_placement(v, request.job)
        v.raise_if_any()
        project = call.project
        up = self.upstream
        remaining = call.time_remaining()
        wait = ESTIMATE_WAIT_CAP if remaining is None else max(0.0, remaining - _DEADLINE_MARGIN)
        loop = asyncio.get_running_loop()
        until = loop.time() + wait
        deadline = up.deadline(remaining)
        created = await up.run(
            up.client.create_sql_instance,
            project,
            query,
            hints=options.hints,
            priority=9 if options.priority is None else options.priority,
            quota_name=placement.quota_name,
            running_cluster=placement.running_cluster,
            task_type="SQLCost",
            deadline=deadline,
        )
        instance_id = created.instance_id
        # It creates an instance, as SubmitSql does: audited the same way.
        audit(call, instance_id)
        state = await self.watch_rpcs.wait_terminated(call, project, instance_id, until)
        if state is None or not state.terminated:
            raise GatewayError(
                grpc.StatusCode.DEADLINE_EXCEEDED,
                Reason.DEADLINE_EXCEEDED,
                f"the cost estimate (instance {instance_id}) did not finish within the call's "
                "deadline; call again with a longer deadline",
                metadata={"project": project, "instance_id": instance_id},
            )
        if not state.instance.successful:
            raise task_failure_error(
                state.failure_message or "the SQL cost task did not succeed",
                project=project,
                instance_id=instance_id,
            )
        cost = await up.run(
            up.client.get_sql_cost, project, instance_id, deadline=up.deadline(remaining)
        )
        return wire.sql_cost_to_proto(cost, instance_id)


def _check(instance_id: str, task_name: str | None = None) -> None:
    v = validation.Violations()
    validation.check_instance_id(v, instance_id)
    if task_name is not None:
        validation.check_task_name(v, task_name)
    v.raise_if_any()


def _unqueued(view: instance_pb2.Instance) -> instance_pb2.QueueingInfo:
    """The queueing information of an instance MaxCompute keeps no queue entry for, from
    the instance's own state: no position."""
    out = instance_pb2.QueueingInfo(
        project=view.project,
        instance_id=view.instance_id,
        state=view.state,
        user_account=view.owner,
    )
    if view.HasField("start_time"):
        out.start_time.CopyFrom(view.start_time)
    if view.HasField("priority"):
        out.priority = view.priority
    if view.tasks:
        out.task_name = view.tasks[-1].name
        out.task_type = view.tasks[-1].type
    return out
