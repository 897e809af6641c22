"""The instance engine: owns every instance, runs them on a bounded pool, persists each change.

Concurrency model: all in-memory state lives on the server's event loop. Blocking work
(SQLite writes, DuckDB queries) goes to executors: one thread for the store, so writes
keep their order, and ``workers`` threads for DuckDB. Each state change is written to the
store *before* it is applied in memory (see :meth:`Engine._transition`), so anything a
client has seen survives a crash.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import copy
import functools
import json
import logging
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from mcemulator import datadir, errors, plans, results, stages, xflow
from mcemulator.config import EmulatorConfig
from mcemulator.model import (
    COST_TASK_TYPE,
    QUOTA_SETTING,
    Action,
    Instance,
    InstanceStatus,
    JobSpec,
    Task,
    TaskSpec,
    TaskStatus,
    XflowSpec,
    new_instance_id,
)
from mcemulator.scheduler import Scheduler
from mcemulator.store import InstanceStore
from mcemulator.tokens import TokenIssuer
from mcemulator.warehouse import Compiled, Execution, Outcome, SqlError, Warehouse

log = logging.getLogger(__name__)

DURATION_HINT = "mcemulator.duration_seconds"
"""Task setting: simulated run time of the task in seconds."""
SUSPEND_HINT = "mcemulator.suspend_seconds"
"""Task setting: once running, the instance is Suspended for this many seconds."""
RESTART_MESSAGE = (
    "ODPS-0010000:System internal error - the emulator restarted while this task was "
    "unfinished; the instance was terminated"
)
STOPPED_MESSAGE = "Task cancelled - the instance was stopped before this task ended"
"""Result of a task cancelled by a stop (the Go SDK's WaitForSuccess returns it as its error)."""
SKIPPED_MESSAGE = "Task cancelled - an earlier task of the job failed, this one never ran"
_MAX_HINT_SECONDS = 3600.0
_UNWIND_SECONDS = 5.0

T = TypeVar("T")


@dataclass
class _Runtime:
    """Per-instance state that is not persisted: locks, wake-ups, the running coroutine."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    runner: asyncio.Task[None] | None = None
    execution: Execution | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    history: list[SubStatus] = field(default_factory=list)
    """What the instance went through, as ``?cached`` reports it (``subStatusHistory``)."""


@dataclass(frozen=True)
class SubStatus:
    """One step of an unfinished instance's life: queued, running, suspended..."""

    at: float
    code: str
    description: str


@dataclass(frozen=True)
class QueueState:
    """Where an unfinished instance stands in the emulator's queue."""

    position: int
    """1-based place among the instances waiting for a slot; 0 once it runs."""
    length: int
    """How many instances wait for a slot."""
    history: tuple[SubStatus, ...]


@dataclass(frozen=True)
class ListQuery:
    """Filters and paging of ``GET /projects/{p}/instances``."""

    status: InstanceStatus | None = None
    owner: str | None = None
    start: float | None = None
    end: float | None = None
    job_name: str | None = None
    max_items: int = 1000
    marker: str | None = None
    unfinished: bool = False
    """Only instances that have not terminated (``/cachedinstances``)."""


def _hint_seconds(settings: dict[str, str], key: str, default: float) -> float:
    raw = settings.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return min(max(value, 0.0), _MAX_HINT_SECONDS)


class Engine:
    """All instances of all projects, and the machinery that runs them."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        datadir.prepare(config.data_dir)  # 0700; the files in it are made 0600 by their owners
        self._store = InstanceStore(config.data_dir / "instances.sqlite")
        self._warehouse = Warehouse(
            config.data_dir / "warehouse.duckdb",
            config.projects(),
            config.project,
            config.max_result_rows,
        )
        self.results = results.ResultStore(config.data_dir / "results")
        """Each SELECT's whole result, for the instance tunnel."""
        self.tokens = TokenIssuer(
            bytes.fromhex(self._store.setting("token_secret", secrets.token_hex(32)))
        )
        self._instances: dict[str, Instance] = {}
        self._by_project: dict[str, list[Instance]] = {p: [] for p in config.projects()}
        self._runtime: dict[str, _Runtime] = {}
        self._seq = 0
        self._recover()
        self._store_pool = ThreadPoolExecutor(1, thread_name_prefix="mcemu-store")
        self._sql_pool = ThreadPoolExecutor(config.workers, thread_name_prefix="mcemu-sql")
        # Futures of the queue are created on the server's loop, when instances wait.
        self._scheduler = Scheduler(config.workers)

    # -- lifecycle ---------------------------------------------------------------------

    def _recover(self) -> None:
        """Load the store; anything unfinished at the last shutdown or crash is terminated."""
        now = time.time()
        recovered = []
        for inst in self._store.load():
            if inst.status != InstanceStatus.TERMINATED:
                inst.status = InstanceStatus.TERMINATED
                inst.end_time = now
                for task in inst.tasks:
                    if not task.status.finished:
                        task.status = TaskStatus.FAILED
                        task.start_time = task.start_time or now
                        task.end_time = now
                        task.result, task.result_format = RESTART_MESSAGE, "text"
                        task.resumed_at = None
                recovered.append(inst)
            self._index(inst)
        if recovered:
            log.warning("terminated %d instance(s) left unfinished", len(recovered))
            self._store.save(*(i.to_json() for i in recovered))

    async def close(self) -> None:
        """Stop running instances without recording anything (recovery handles them) and close."""
        runners = [rt.runner for rt in self._runtime.values() if rt.runner and not rt.runner.done()]
        for rt in self._runtime.values():
            if rt.execution is not None:
                rt.execution.interrupt()
            for timer in rt.timers:
                timer.cancel()
        for runner in runners:
            runner.cancel()
        await asyncio.gather(*runners, return_exceptions=True)
        # Joining the pools and closing the databases block: keep them off the loop.
        await asyncio.get_running_loop().run_in_executor(None, self._close_blocking)

    def _close_blocking(self) -> None:
        self._store_pool.shutdown(wait=True)
        self._sql_pool.shutdown(wait=True, cancel_futures=True)
        self._store.close()
        self._warehouse.close()

    def _index(self, inst: Instance) -> None:
        self._instances[inst.id] = inst
        self._by_project.setdefault(inst.project, []).append(inst)
        self._seq = max(self._seq, inst.seq)

    def _rt(self, inst: Instance) -> _Runtime:
        rt = self._runtime.get(inst.id)
        if rt is None:
            rt = self._runtime[inst.id] = _Runtime()
        return rt

    # -- reads -------------------------------------------------------------------------

    def get(self, project: str, instance_id: str) -> Instance:
        """The instance, or ``NoSuchObject``."""
        inst = self._instances.get(instance_id)
        if inst is None or inst.project != project:
            raise errors.no_such_instance(instance_id)
        return inst

    def list(self, project: str, query: ListQuery) -> tuple[list[Instance], str]:
        """One page of instances (oldest first) and the marker of the next page ("" at the end)."""
        items = self._by_project.get(project, [])
        begin = 0
        if query.marker:
            marked = self._instances.get(query.marker)
            if marked is None or marked.project != project:
                raise errors.invalid_parameter(f"Invalid marker - {query.marker}")
            begin = bisect.bisect_left(items, marked.seq, key=lambda i: i.seq)
        page: list[Instance] = []
        for index in range(begin, len(items)):
            inst = items[index]
            if not self._selected(inst, query):
                continue
            if len(page) == query.max_items:
                return page, inst.id
            page.append(inst)
        return page, ""

    @staticmethod
    def _selected(inst: Instance, query: ListQuery) -> bool:
        if query.status is not None and inst.status != query.status:
            return False
        if query.unfinished and inst.status == InstanceStatus.TERMINATED:
            return False
        if query.owner is not None and inst.owner != query.owner:
            return False
        if query.start is not None and inst.start_time < query.start:
            return False
        if query.end is not None and inst.start_time > query.end:
            return False
        return query.job_name is None or inst.job_name == query.job_name

    def queue_state(self, inst: Instance) -> QueueState:
        """The instance's place in the queue for a slot, and its steps so far."""
        rt = self._rt(inst)
        return QueueState(
            self._scheduler.position(inst.id), self._scheduler.queue_length, tuple(rt.history)
        )

    def _step(self, inst: Instance, code: str, description: str) -> None:
        self._rt(inst).history.append(SubStatus(time.time(), code, description))

    async def wait_change(self, inst: Instance, timeout: float) -> None:
        """Return when the instance's status differs from now, or after ``timeout`` seconds."""
        status = inst.status
        deadline = time.monotonic() + timeout
        while inst.status == status:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            event = self._rt(inst).changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return

    # -- state changes -----------------------------------------------------------------

    async def _blocking(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    async def _transition(self, inst: Instance, change: Callable[[Instance], None]) -> None:
        """Persist ``change`` applied to a copy, then apply it in memory and wake waiters."""
        draft = copy.deepcopy(inst)
        change(draft)

        def publish() -> None:
            change(inst)
            self._notify(inst)

        await self._durably(draft, publish)

    async def _durably(self, record: Instance, publish: Callable[[], None]) -> None:
        """Write ``record`` to the store, then ``publish`` the change in memory.

        The write is shielded: if the caller is cancelled meanwhile, the change is still
        published once written, so memory never lags behind the store.
        """
        write = asyncio.ensure_future(
            self._blocking(self._store_pool, self._store.save, record.to_json())
        )
        try:
            await asyncio.shield(write)
        except asyncio.CancelledError:
            await write
            publish()
            raise
        publish()

    def _notify(self, inst: Instance) -> None:
        rt = self._rt(inst)
        event, rt.changed = rt.changed, asyncio.Event()
        event.set()
        rt.wake.set()

    async def _add(self, inst: Instance) -> None:
        """Persist a new instance, then make it visible."""
        await self._durably(inst, lambda: self._index(inst))

    def _new_instance(self, project: str, owner: str, kind: str, source: str) -> Instance:
        self._seq += 1
        now = time.time()
        return Instance(
            id=new_instance_id(now),
            project=project,
            owner=owner,
            seq=self._seq,
            kind=kind,
            source=source,
            start_time=now,
        )

    async def create_sql(
        self, project: str, owner: str, job: JobSpec, parent_id: str | None = None
    ) -> Instance:
        """Store a SQL instance (durably) and schedule it; returns once it is acknowledged."""
        inst = self._new_instance(project, owner, "sql", job.source)
        inst.priority, inst.job_name, inst.parent_id = job.priority, job.name, parent_id
        inst.running_cluster = job.running_cluster
        for spec in job.tasks:
            settings = {**_set_statements(spec.query), **spec.settings}
            # A cost estimate only plans its query: instant unless a hint says otherwise.
            default = 0.0 if spec.type == COST_TASK_TYPE else self.config.default_duration_seconds
            duration = _hint_seconds(settings, DURATION_HINT, default)
            inst.quota = inst.quota or settings.get(QUOTA_SETTING, "")
            inst.tasks.append(Task(spec.name, spec.type, spec.query, settings, duration=duration))
        await self._add(inst)
        self._step(inst, "Submitted", "The job was accepted and waits to be scheduled")
        self._start(inst, self._run_sql(inst))
        return inst

    async def create_xflow(self, project: str, owner: str, spec: XflowSpec) -> Instance:
        """Store an XFlow instance and schedule its actions."""
        inst = self._new_instance(project, owner, "xflow", spec.source)
        inst.priority, inst.job_name = spec.priority, spec.xflow
        inst.tasks.append(Task(spec.xflow, "AlgoTask", settings=dict(spec.config)))
        inst.actions = xflow.plan_actions(spec)
        await self._add(inst)
        self._step(inst, "Submitted", "The XFlow run was accepted")
        self._start(inst, self._run_xflow(inst))
        return inst

    def _start(self, inst: Instance, work: Any) -> None:
        rt = self._rt(inst)
        rt.runner = asyncio.get_running_loop().create_task(work, name=f"instance-{inst.id}")
        rt.runner.add_done_callback(_log_crash)

    async def stop(self, project: str, instance_id: str) -> None:
        """Terminate a running or suspended instance: unfinished tasks become Cancelled."""
        inst = self.get(project, instance_id)
        rt = self._rt(inst)
        async with rt.lock:
            if inst.status == InstanceStatus.TERMINATED:
                raise errors.invalid_state(
                    f"instance {instance_id} is already terminated, it cannot be stopped"
                )
            now = time.time()

            def cancel(i: Instance) -> None:
                i.status, i.end_time = InstanceStatus.TERMINATED, now
                for task in i.tasks:
                    if not task.status.finished:
                        if task.resumed_at is not None:
                            task.elapsed += now - task.resumed_at
                        task.status, task.end_time, task.resumed_at = (
                            TaskStatus.CANCELLED,
                            now,
                            None,
                        )
                        task.start_time = task.start_time or now
                        task.result, task.result_format = STOPPED_MESSAGE, "text"

            await self._transition(inst, cancel)
        self._halt(rt)
        if rt.runner is not None and rt.runner is not asyncio.current_task():
            # Let the runner unwind (leave the queue, give its slot back) before answering,
            # so queue positions read after the stop already reflect it.
            await asyncio.wait({rt.runner}, timeout=_UNWIND_SECONDS)
        for action in inst.actions:
            child = self._instances.get(action.instance_id)
            if child is not None and child.status != InstanceStatus.TERMINATED:
                with contextlib.suppress(errors.ServiceError):  # it may end meanwhile
                    await self.stop(child.project, child.id)

    def _halt(self, rt: _Runtime) -> None:
        for timer in rt.timers:
            timer.cancel()
        if rt.execution is not None:
            rt.execution.interrupt()
        if rt.runner is not None and not rt.runner.done():
            rt.runner.cancel()

    async def suspend(self, project: str, instance_id: str) -> None:
        """Suspend a running instance: its clock stops until :meth:`resume`."""
        inst = self.get(project, instance_id)
        async with self._rt(inst).lock:
            if inst.status != InstanceStatus.RUNNING:
                raise errors.invalid_state(f"instance {instance_id} is {inst.status}, not Running")
            now = time.time()

            def pause(i: Instance) -> None:
                i.status = InstanceStatus.SUSPENDED
                for task in i.tasks:
                    if task.status == TaskStatus.RUNNING:
                        if task.resumed_at is not None:
                            task.elapsed += now - task.resumed_at
                        task.status, task.resumed_at = TaskStatus.SUSPENDED, None

            await self._transition(inst, pause)
            self._step(inst, "Suspended", "Suspended: its clock stops until it is resumed")

    async def resume(self, project: str, instance_id: str) -> None:
        """Resume a suspended instance."""
        inst = self.get(project, instance_id)
        async with self._rt(inst).lock:
            if inst.status != InstanceStatus.SUSPENDED:
                raise errors.invalid_state(
                    f"instance {instance_id} is {inst.status}, not Suspended"
                )
            now = time.time()

            def unpause(i: Instance) -> None:
                i.status = InstanceStatus.RUNNING
                for task in i.tasks:
                    if task.status == TaskStatus.SUSPENDED:
                        task.status, task.resumed_at = TaskStatus.RUNNING, now

            await self._transition(inst, unpause)
            self._step(inst, "Running", "Resumed")

    async def _guarded(self, inst: Instance, change: Callable[[Instance], None]) -> bool:
        """Apply ``change`` unless the instance was terminated (stopped) meanwhile."""
        async with self._rt(inst).lock:
            if inst.status == InstanceStatus.TERMINATED:
                return False
            await self._transition(inst, change)
            return True

    # -- running -----------------------------------------------------------------------

    async def _run_sql(self, inst: Instance) -> None:
        # Cost estimates only plan their queries: they need no worker slot.
        needs_slot = any(not t.is_cost for t in inst.tasks)
        if needs_slot:
            await self._acquire(inst)  # outside the try: a stop while queued holds no slot
        try:
            for index in range(len(inst.tasks)):
                if not await self._run_task(inst, index):
                    break
        finally:
            if needs_slot:
                self._scheduler.release()
        now = time.time()

        def finish(i: Instance) -> None:
            i.status, i.end_time = InstanceStatus.TERMINATED, now
            for task in i.tasks:
                if not task.status.finished:  # tasks after a failed one never ran
                    task.status, task.start_time, task.end_time = TaskStatus.CANCELLED, now, now
                    task.result, task.result_format = SKIPPED_MESSAGE, "text"

        await self._guarded(inst, finish)

    async def _acquire(self, inst: Instance) -> None:
        """Wait for a worker slot in the priority queue, recording the wait."""
        if self._scheduler.full:
            self._step(inst, "Waiting", "Waiting for a free worker slot")
        await self._scheduler.acquire(inst.id, inst.priority, inst.seq)
        self._step(inst, "Running", "Running on a worker slot")

    async def _run_task(self, inst: Instance, index: int) -> bool:
        """Compile, simulate the duration, execute. Returns whether the task succeeded."""
        task = inst.tasks[index]
        rt = self._rt(inst)
        try:
            compiled: Compiled | None = await self._blocking(
                self._sql_pool, self._warehouse.compile, inst.project, task.query
            )
            failure = None
        except SqlError as exc:
            compiled, failure = None, exc.message
        started = time.time()

        def begin(i: Instance) -> None:
            t = i.tasks[index]
            t.start_time = started
            # A cost estimate plans its query but runs no stages.
            t.stages = copy.deepcopy(compiled.stages) if compiled and not t.is_cost else []
            t.inputs = copy.deepcopy(compiled.inputs) if compiled else []
            t.plan = list(compiled.plan) if compiled else []
            if i.status == InstanceStatus.SUSPENDED:
                t.status = TaskStatus.SUSPENDED
            else:
                t.status, t.resumed_at = TaskStatus.RUNNING, started

        if not await self._guarded(inst, begin):
            return False
        suspend_for = _hint_seconds(task.settings, SUSPEND_HINT, 0.0)
        if suspend_for > 0 and inst.status == InstanceStatus.RUNNING:
            await self.suspend(inst.project, inst.id)
            loop = asyncio.get_running_loop()
            rt.timers.append(
                loop.call_later(suspend_for, self._resume_later, inst.project, inst.id)
            )
        # A query that does not compile still "runs" for its duration (without stages) and
        # then fails, so hints behave the same whatever the query's fate.
        if not await self._simulate(inst, task, rt):
            return False
        outcome, error = None, failure
        if compiled is not None and task.is_cost:
            cost = plans.sql_cost(task, compiled.udfs)
            outcome = Outcome(json.dumps(cost), "text", 0)
        elif compiled is not None:
            execution = rt.execution = Execution()
            try:
                keep = functools.partial(self.results.write, inst.id)
                outcome = await self._blocking(
                    self._sql_pool, self._warehouse.execute, compiled, execution, keep
                )
                if outcome.format != "csv":  # a script whose last statement is not a query
                    await self._blocking(self._sql_pool, self.results.discard, inst.id)
            except SqlError as exc:
                error = exc.message
            finally:
                rt.execution = None
        ended = time.time()

        def complete(i: Instance) -> None:
            t = i.tasks[index]
            t.end_time = ended
            if t.resumed_at is not None:
                t.elapsed += ended - t.resumed_at
            t.resumed_at = None
            if outcome is None:
                t.status, t.result, t.result_format = TaskStatus.FAILED, error or "", "text"
            else:
                t.status, t.result, t.result_format = (
                    TaskStatus.SUCCESS,
                    outcome.text,
                    outcome.format,
                )
                stages.finish(t.stages, outcome.rows)

        await self._guarded(inst, complete)
        return outcome is not None

    def _resume_later(self, project: str, instance_id: str) -> None:
        inst = self._instances[instance_id]
        if inst.status == InstanceStatus.SUSPENDED:
            task = asyncio.get_running_loop().create_task(self.resume(project, instance_id))
            task.add_done_callback(_log_crash)

    async def _simulate(self, inst: Instance, task: Task, rt: _Runtime) -> bool:
        """Wait out the task's simulated duration (suspended time does not count).

        Returns False if the instance was terminated meanwhile.
        """
        while True:
            rt.wake.clear()
            if inst.status == InstanceStatus.TERMINATED:
                return False
            if task.resumed_at is None:  # suspended: wait for a change
                await rt.wake.wait()
                continue
            remaining = task.duration - task.elapsed - (time.time() - task.resumed_at)
            if remaining <= 0:
                return True
            try:
                await asyncio.wait_for(rt.wake.wait(), remaining)
            except TimeoutError:
                return True

    async def _run_xflow(self, inst: Instance) -> None:
        started = time.time()

        def begin(i: Instance) -> None:
            i.tasks[0].status, i.tasks[0].start_time = TaskStatus.RUNNING, started

        if not await self._guarded(inst, begin):
            return
        self._step(inst, "Running", "Running its actions as sub-instances")
        failure = None
        for index, action in enumerate(inst.actions):
            if action.node_type != "Instance":
                continue
            child = await self.create_sql(
                inst.project,
                inst.owner,
                _action_job(action, inst.tasks[0].settings),
                parent_id=inst.id,
            )

            def link(i: Instance, index: int = index, child_id: str = child.id) -> None:
                i.actions[index].instance_id = child_id

            if not await self._guarded(inst, link):  # the parent was stopped meanwhile
                with contextlib.suppress(errors.ServiceError):
                    await self.stop(child.project, child.id)
                return
            while child.status != InstanceStatus.TERMINATED:
                await self.wait_change(child, 60.0)
            failed = [t for t in child.tasks if t.status != TaskStatus.SUCCESS]
            if failed:
                failure = failed[0].result or f"{failed[0].name}, status={failed[0].status}"
                break
        ended = time.time()

        def finish(i: Instance) -> None:
            t = i.tasks[0]
            t.end_time, i.end_time, i.status = ended, ended, InstanceStatus.TERMINATED
            if failure is None:
                t.status, t.result = TaskStatus.SUCCESS, "OK"
            else:
                t.status, t.result = TaskStatus.FAILED, failure

        await self._guarded(inst, finish)


def _action_job(action: Action, settings: dict[str, str]) -> JobSpec:
    task = TaskSpec("AnonymousSQLTask", "SQL", action.query, dict(settings))
    source = (
        f"<Job><Name>{escape(action.name)}</Name><Priority>1</Priority><Tasks><SQL>"
        f"<Name>AnonymousSQLTask</Name><Query>{escape(action.query)}</Query></SQL></Tasks>"
        "<DAG><RunMode>Sequence</RunMode></DAG></Job>"
    )
    return JobSpec((task,), source, name=action.name, priority=1)


def _set_statements(query: str) -> dict[str, str]:
    """``set k=v;`` statements in a query, as settings (clients other than PyODPS keep them)."""
    out: dict[str, str] = {}
    for line in query.split(";"):
        key, sep, value = line.strip().partition("=")
        if sep and key.lower().startswith("set "):
            out[key[4:].strip()] = value.strip()
    return out


def _log_crash(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("instance runner crashed", exc_info=task.exception())
