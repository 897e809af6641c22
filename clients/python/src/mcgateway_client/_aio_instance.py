"""The asyncio ``AsyncInstance``: the methods of :class:`Instance`, awaited.

Because a property cannot await, ``AsyncInstance.status`` is the last observed status;
``await instance.reload()`` or ``await instance.is_terminated()`` asks the gateway again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from ._diagnostics import QueueingInfo, TaskCost, TaskSummary, Worker, detail_to_python
from ._errors import InstanceFailed, Unavailable, WaitTimeout
from ._models import InstanceState, Task, TaskProgress, WatchEvent
from ._models import Status as _Status
from ._reader import AsyncResultReader, read_request
from ._watch import ReconnectPolicy

if TYPE_CHECKING:
    from ._aio import AsyncGateway

__all__ = ["AsyncInstance"]


class AsyncInstance:
    """A MaxCompute instance for asyncio code; the methods of :class:`Instance`, awaited."""

    Status = _Status

    def __init__(
        self,
        gateway: AsyncGateway,
        instance_id: str,
        project: str = "",
        *,
        state: InstanceState | None = None,
        logview_url: str | None = None,
    ) -> None:
        self._gateway = gateway
        self._id = instance_id
        self._project = project or (state.project if state else "")
        self._state = state
        self._logview_url = logview_url

    @property
    def id(self) -> str:
        """The instance id."""
        return self._id

    @property
    def project(self) -> str:
        """The project of the instance."""
        return self._project

    @property
    def state(self) -> InstanceState | None:
        """The last observed state (None if never loaded; ``await reload()`` loads it)."""
        return self._state

    @property
    def status(self) -> _Status | None:
        """The last observed status, without a call."""
        return self._state.status if self._state else None

    def __str__(self) -> str:
        return self._id

    def __repr__(self) -> str:
        status = self._state.status.value if self._state and self._state.status else "?"
        return f"<AsyncInstance {self._project}/{self._id} {status}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AsyncInstance):
            return NotImplemented
        return (self._project, self._id) == (other._project, other._id)

    def __hash__(self) -> int:
        return hash((self._project, self._id))

    def _set_state(self, state: InstanceState) -> None:
        self._state = state
        if state.project:
            self._project = state.project

    async def reload(self) -> AsyncInstance:
        """Reads the current state from the gateway; returns self."""
        self._set_state(await self._gateway._get_state(self._id, self._project))
        return self

    async def _fresh(self) -> InstanceState:
        if self._state is None or not self._state.terminated:
            await self.reload()
        assert self._state is not None
        return self._state

    async def _outcome(self) -> InstanceState:
        """The fresh state, read again when it says the instance terminated but not whether it
        succeeded (states from ``list_instances`` and ``watch_instances``)."""
        state = await self._fresh()
        if not state.outcome_known:
            await self.reload()
            assert self._state is not None
            state = self._state
        return state

    async def get_status(self) -> _Status | None:
        """The current status (asks the gateway while the instance runs)."""
        return (await self._fresh()).status

    async def is_terminated(self) -> bool:
        """Whether the instance has terminated."""
        return (await self._fresh()).terminated

    async def is_running(self) -> bool:
        """Whether the instance is running."""
        return (await self._fresh()).status is _Status.RUNNING

    async def is_successful(self) -> bool:
        """Whether the instance terminated and every task succeeded (False while it runs); reads
        the instance once when the last state does not say (it came from a listing)."""
        return (await self._outcome()).successful is True

    async def get_task_statuses(self) -> OrderedDict[str, Task]:
        """The tasks by name in submission order."""
        tasks = await self._gateway._list_tasks(self._id, self._project)
        return OrderedDict((t.name, t) for t in tasks)

    async def get_task_names(self) -> list[str]:
        """The names of the tasks."""
        return list(await self.get_task_statuses())

    async def get_task_result(self, task_name: str) -> str:
        """The result text of one task."""
        return (await self._gateway._task_result(self._id, self._project, task_name)).content

    async def get_task_results(self) -> OrderedDict[str, str]:
        """The result text of every task, by task name in task order."""
        results = await self._gateway._task_results(self._id, self._project)
        return OrderedDict((r.task_name, r.content) for r in results)

    async def get_task_progress(self, task_name: str) -> TaskProgress:
        """The stage progress of one task."""
        return await self._gateway._task_progress(self._id, self._project, task_name)

    async def get_logview_address(self, hours: int | None = None) -> str:
        """A Logview URL; ``hours`` of token validity (default 720)."""
        if hours is None and self._logview_url:
            return self._logview_url
        return await self._gateway.get_logview_address(self._id, hours, self._project)

    # -- diagnostics ------------------------------------------------------------------------
    def open_reader(
        self,
        columns: Sequence[str] | None = None,
        *,
        start: int = 0,
        limit: int | None = None,
        task_name: str = "",
        reconnect: ReconnectPolicy | None = None,
    ) -> AsyncResultReader:
        """A reader of the result rows, as :meth:`Instance.open_reader`::

        async with instance.open_reader() as reader:
            async for record in reader:
                ...
        """
        request = read_request(
            self._gateway._project(self._project),
            self._id,
            task_name=task_name,
            columns=columns,
            start=start,
            limit=limit,
        )
        return AsyncResultReader(
            self._gateway._result_stream, request, reconnect=reconnect, rng=self._gateway._rng
        )

    async def get_task_summary(self, task_name: str) -> TaskSummary:
        """A task's summary (GetTaskSummary), as PyODPS returns it: the JSON summary as a dict,
        with ``summary_text``, ``json_summary``, ``finalized`` and ``cost``."""
        return await self._gateway._task_summary(self._id, self._project, task_name)

    async def get_task_cost(self, task_name: str) -> TaskCost | None:
        """What a task used so far (``cpu_cost``, ``memory_cost``, ``input_size``), or None when
        its summary reports no cost."""
        return (await self.get_task_summary(task_name)).cost

    async def get_task_detail(self, task_name: str) -> dict[str, Any] | list[Any] | str:
        """A task's execution detail (GetTaskDetail): MaxCompute's JSON as a dict (or list), or
        its text when it is not JSON."""
        return detail_to_python(
            await self._gateway._task_detail(self._id, self._project, task_name)
        )

    async def get_task_detail2(self, task_name: str) -> dict[str, Any] | list[Any] | str:
        """The same detail as :meth:`get_task_detail` (the gateway falls back to ``?detail``
        itself, as PyODPS's ``get_task_detail`` does)."""
        return await self.get_task_detail(task_name)

    async def get_task_workers(self, task_name: str) -> list[Worker]:
        """The workers of every stage of a task, with the log ids :meth:`get_worker_log` takes."""
        detail = await self._gateway._task_detail(self._id, self._project, task_name)
        return [Worker.from_proto(w) for w in detail.workers]

    async def get_worker_log(
        self, log_id: str, log_type: str | None = "stdout", size: int = 0
    ) -> str:
        """One log of a worker (GetWorkerLog): ``log_type`` is one of PyODPS's names
        (``stdout``, ``stderr``, ``waterfall_summary``, ``jstack``, ``pstack``, ``hs_err_log``,
        ``coreinfo``; ValueError otherwise); ``size`` > 0 returns only the log's last ``size``
        bytes (at most 2 MiB; 0: up to 1 MiB)."""
        return await self._gateway._worker_log(self._id, self._project, log_id, log_type, size)

    async def get_queueing_info(self) -> QueueingInfo:
        """Where the instance stands in MaxCompute's queue (GetQueueingInfo): ``status``,
        ``priority``, ``position`` while it waits for a slot, ``progress``..."""
        return await self._gateway._queueing_info(self._id, self._project)

    async def wait_for_completion(
        self, timeout: float | None = None, *, reconnect: ReconnectPolicy | None = None
    ) -> AsyncInstance:
        """Waits until the instance terminates (WaitInstance loop); WaitTimeout after timeout;
        reconnects while the gateway is unreachable as ``reconnect`` says."""
        self._set_state(await self._gateway._wait(self, timeout, reconnect))
        return self

    async def wait_for_success(
        self, timeout: float | None = None, *, reconnect: ReconnectPolicy | None = None
    ) -> AsyncInstance:
        """Like wait_for_completion, then raises InstanceFailed unless the instance succeeded."""
        await self.wait_for_completion(timeout, reconnect=reconnect)
        state = await self._outcome()
        if state.successful is not True:
            message = state.failure_message or f"instance {self._id} did not succeed"
            raise InstanceFailed(message, instance=self)
        return self

    async def stop(self) -> AsyncInstance:
        """Asks MaxCompute to stop the running instance; returns self."""
        self._set_state(await self._gateway._stop(self._id, self._project))
        return self

    async def watch(
        self,
        *,
        omit_progress: bool = False,
        heartbeat: float | None = None,
        reconnect: ReconnectPolicy | None = None,
        timeout: float | None = None,
    ) -> AsyncIterator[WatchEvent]:
        """Events until the terminal one, reconnecting after UNAVAILABLE without duplicates;
        ``timeout`` bounds the whole watch (then WaitTimeout), as in :meth:`Instance.watch`."""

        def on_timeout(last: Unavailable | None) -> WaitTimeout:
            cause = f" (gateway unreachable: {last})" if last is not None else ""
            return WaitTimeout(
                f"watch of instance {self._id} did not end within {timeout:g}s{cause}",
                instance=self,
            )

        async for event in self._gateway._watch(
            self._id,
            self._project,
            omit_progress,
            heartbeat,
            reconnect or ReconnectPolicy(),
            timeout,
            on_timeout,
        ):
            self._set_state(event.state)
            yield event
