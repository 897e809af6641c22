"""The PyODPS-shaped ``Instance`` object of the synchronous client."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._diagnostics import QueueingInfo, TaskCost, TaskSummary, Worker, detail_to_python
from ._errors import InstanceFailed, Unavailable, WaitTimeout
from ._models import InstanceState, Task, TaskProgress, WatchEvent
from ._models import Status as _Status
from ._reader import ResultReader, read_request
from ._watch import ReconnectPolicy, TimeoutFactory

if TYPE_CHECKING:
    from ._gateway import Gateway

__all__ = ["Instance"]


class Instance:
    """A MaxCompute instance seen through the gateway, with PyODPS's methods.

    Reading ``status``, ``is_terminated()`` or ``is_successful()`` asks the gateway again while
    the instance runs (as PyODPS does); once it has terminated, the last state is reused, except
    that ``is_successful()`` reads the instance once when the last state does not say (it came
    from a listing). ``state`` is the last observed :class:`InstanceState` without any call.
    """

    Status = _Status

    def __init__(
        self,
        gateway: Gateway,
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

    # -- identity -------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """The instance id."""
        return self._id

    @property
    def project(self) -> str:
        """The project of the instance (empty until known when the gateway default is used)."""
        return self._project

    def __str__(self) -> str:
        return self._id

    def __repr__(self) -> str:
        status = self._state.status.value if self._state and self._state.status else "?"
        return f"<Instance {self._project}/{self._id} {status}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Instance):
            return NotImplemented
        return (self._project, self._id) == (other._project, other._id)

    def __hash__(self) -> int:
        return hash((self._project, self._id))

    # -- state ----------------------------------------------------------------------------
    def _set_state(self, state: InstanceState) -> None:
        self._state = state
        if state.project:
            self._project = state.project

    @property
    def state(self) -> InstanceState:
        """The last observed state; read from the gateway once if never observed."""
        if self._state is None:
            self.reload()
        assert self._state is not None
        return self._state

    def reload(self) -> Instance:
        """Reads the current state from the gateway (GetInstance) and returns self."""
        self._set_state(self._gateway._get_state(self._id, self._project))
        return self

    def _fresh(self) -> InstanceState:
        if self._state is None or not self._state.terminated:
            self.reload()
        assert self._state is not None
        return self._state

    def _outcome(self) -> InstanceState:
        """The fresh state, read again (GetInstance) when it says the instance terminated but not
        whether it succeeded, as states from ``list_instances`` and ``watch_instances`` do."""
        state = self._fresh()
        if not state.outcome_known:
            self.reload()
            assert self._state is not None
            state = self._state
        return state

    @property
    def status(self) -> _Status:
        """The current status, e.g. ``Status.TERMINATED``; ``status.value`` is ``'Terminated'``."""
        status = self._fresh().status
        if status is None:
            raise ValueError(f"instance {self._id} reported no status")
        return status

    def is_terminated(self) -> bool:
        """Whether the instance has terminated (asks the gateway while it runs)."""
        return self._fresh().terminated

    def is_running(self) -> bool:
        """Whether the instance is running (asks the gateway while it runs)."""
        return self._fresh().status is _Status.RUNNING

    def is_successful(self) -> bool:
        """Whether the instance terminated and every task succeeded (False while it runs).

        When the last state does not say (an instance from ``list_instances``), the instance is
        read once to find out.
        """
        return self._outcome().successful is True

    @property
    def owner(self) -> str:
        """The account that submitted the instance."""
        return self.state.owner

    @property
    def start_time(self) -> datetime | None:
        """When the instance started, in UTC."""
        return self.state.start_time

    @property
    def end_time(self) -> datetime | None:
        """When the instance ended, in UTC (None while it runs)."""
        return self._fresh().end_time

    @property
    def priority(self) -> int | None:
        """The job priority (0 highest, 9 default), None when MaxCompute did not report it."""
        return self.state.priority

    @property
    def failure_message(self) -> str:
        """The failure message of the first failed task, or empty."""
        return self._outcome().failure_message

    # -- tasks ----------------------------------------------------------------------------
    def get_task_statuses(self) -> OrderedDict[str, Task]:
        """The tasks by name in submission order, with their statuses (ListTasks)."""
        return OrderedDict((t.name, t) for t in self._gateway._list_tasks(self._id, self._project))

    def get_task_names(self) -> list[str]:
        """The names of the tasks, e.g. ``['AnonymousSQLTask']``."""
        return list(self.get_task_statuses())

    def get_task_result(self, task_name: str) -> str:
        """The result text of one task (CSV with a header for SQL selects)."""
        return self._gateway._task_result(self._id, self._project, task_name).content

    def get_task_results(self) -> OrderedDict[str, str]:
        """The result text of every task, by task name in task order."""
        results = self._gateway._task_results(self._id, self._project)
        return OrderedDict((r.task_name, r.content) for r in results)

    def get_task_progress(self, task_name: str) -> TaskProgress:
        """The stage progress of one task."""
        return self._gateway._task_progress(self._id, self._project, task_name)

    def get_logview_address(self, hours: int | None = None) -> str:
        """A Logview URL; ``hours`` of token validity (default 720)."""
        if hours is None and self._logview_url:
            return self._logview_url
        return self._gateway.get_logview_address(self._id, hours=hours, project=self._project)

    # -- diagnostics ------------------------------------------------------------------------
    def open_reader(
        self,
        columns: Sequence[str] | None = None,
        *,
        start: int = 0,
        limit: int | None = None,
        task_name: str = "",
        reconnect: ReconnectPolicy | None = None,
    ) -> ResultReader:
        """A reader of the result rows of this terminated SELECT instance, through the
        instance tunnel and without the 10,000-row cap of ``get_task_result`` (PyODPS
        ``open_reader(tunnel=True)``)::

            with instance.open_reader() as reader:
                print(reader.count)
                for record in reader:
                    print(record["name"], record[0])
                df = instance.open_reader(columns=["name"]).to_pandas()

        ``columns`` projects, ``start``/``limit`` pick a window of rows, ``task_name`` names
        the task when the instance has more than one SQL task. A stream that breaks is
        resumed at the next row as ``reconnect`` says."""
        request = read_request(
            self._gateway._project(self._project),
            self._id,
            task_name=task_name,
            columns=columns,
            start=start,
            limit=limit,
        )
        return ResultReader(
            self._gateway._result_stream,
            request,
            reconnect=reconnect,
            sleep=self._gateway._sleep,
            rng=self._gateway._rng,
        )

    def get_task_summary(self, task_name: str) -> TaskSummary:
        """A task's summary (GetTaskSummary), as PyODPS returns it: the JSON summary as a dict,
        with ``summary_text``, ``json_summary``, ``finalized`` and ``cost``."""
        return self._gateway._task_summary(self._id, self._project, task_name)

    def get_task_cost(self, task_name: str) -> TaskCost | None:
        """What a task used so far (``cpu_cost``, ``memory_cost``, ``input_size``), or None when
        its summary reports no cost."""
        return (self.get_task_summary(task_name)).cost

    def get_task_detail(self, task_name: str) -> dict[str, Any] | list[Any] | str:
        """A task's execution detail (GetTaskDetail): MaxCompute's JSON as a dict (or list), or
        its text when it is not JSON."""
        return detail_to_python(self._gateway._task_detail(self._id, self._project, task_name))

    def get_task_detail2(self, task_name: str) -> dict[str, Any] | list[Any] | str:
        """The same detail as :meth:`get_task_detail` (the gateway falls back to ``?detail``
        itself, as PyODPS's ``get_task_detail`` does)."""
        return self.get_task_detail(task_name)

    def get_task_workers(self, task_name: str) -> list[Worker]:
        """The workers of every stage of a task, with the log ids :meth:`get_worker_log` takes."""
        detail = self._gateway._task_detail(self._id, self._project, task_name)
        return [Worker.from_proto(w) for w in detail.workers]

    def get_worker_log(self, log_id: str, log_type: str | None = "stdout", size: int = 0) -> str:
        """One log of a worker (GetWorkerLog): ``log_type`` is one of PyODPS's names
        (``stdout``, ``stderr``, ``waterfall_summary``, ``jstack``, ``pstack``, ``hs_err_log``,
        ``coreinfo``; ValueError otherwise); ``size`` > 0 returns only the log's last ``size``
        bytes (at most 2 MiB; 0: up to 1 MiB)."""
        return self._gateway._worker_log(self._id, self._project, log_id, log_type, size)

    def get_queueing_info(self) -> QueueingInfo:
        """Where the instance stands in MaxCompute's queue (GetQueueingInfo): ``status``,
        ``priority``, ``position`` while it waits for a slot, ``progress``..."""
        return self._gateway._queueing_info(self._id, self._project)

    # -- waiting, stopping, watching --------------------------------------------------------
    def _watch_timeout(self, timeout: float | None) -> TimeoutFactory:
        def error(last: Unavailable | None) -> WaitTimeout:
            cause = f" (gateway unreachable: {last})" if last is not None else ""
            return WaitTimeout(
                f"watch of instance {self._id} did not end within {timeout:g}s{cause}",
                instance=self,
            )

        return error

    def wait_for_completion(
        self, timeout: float | None = None, *, reconnect: ReconnectPolicy | None = None
    ) -> Instance:
        """Blocks until the instance terminates, looping WaitInstance; returns self.

        Raises WaitTimeout (a DeadlineExceeded) when ``timeout`` seconds pass first; the
        instance keeps running. While the gateway is unreachable it reconnects as ``reconnect``
        says (default :class:`ReconnectPolicy`: up to 60 s), then raises Unavailable.
        """
        self._set_state(self._gateway._wait(self, timeout, reconnect))
        return self

    def wait_for_success(
        self, timeout: float | None = None, *, reconnect: ReconnectPolicy | None = None
    ) -> Instance:
        """Like wait_for_completion, then raises InstanceFailed unless the instance succeeded."""
        self.wait_for_completion(timeout, reconnect=reconnect)
        state = self._outcome()
        if state.successful is not True:
            message = state.failure_message or f"instance {self._id} did not succeed"
            raise InstanceFailed(message, instance=self)
        return self

    def stop(self) -> Instance:
        """Asks MaxCompute to stop the running instance (asynchronous); returns self."""
        self._set_state(self._gateway._stop(self._id, self._project))
        return self

    def watch(
        self,
        *,
        omit_progress: bool = False,
        heartbeat: float | None = None,
        reconnect: ReconnectPolicy | None = None,
        timeout: float | None = None,
    ) -> Iterator[WatchEvent]:
        """Events of the instance until the terminal one, reconnecting after UNAVAILABLE.

        The first event is a snapshot; no state is delivered twice across reconnects. The
        instance's ``state`` follows the events. ``timeout`` (seconds) bounds the whole watch,
        reconnects included: then WaitTimeout, naming the last UNAVAILABLE error if the gateway
        was unreachable. Without it, reconnecting goes on as ``reconnect`` says (default: until
        the gateway answers again).
        """
        for event in self._gateway._watch(
            self._id,
            self._project,
            omit_progress,
            heartbeat,
            reconnect or ReconnectPolicy(),
            timeout,
            self._watch_timeout(timeout),
        ):
            self._set_state(event.state)
            yield event
