"""One upstream poller per instance, shared by every subscriber of that instance."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from mcgateway.domain import (
    Instance,
    Task,
    TaskProgress,
    TaskStatus,
    failure_message,
)
from mcgateway.maxcompute import Deadline
from mcgateway.watch._failures import is_transient, retry_after
from mcgateway.watch._follower import Polling, SharedFollower
from mcgateway.watch._observation import EventKind, Observation, next_sequence
from mcgateway.watch._subscription import Subscription

__all__ = ["InstancePoller"]

_log = logging.getLogger("mcgateway.watch")

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class _InstanceRead(Protocol[_T_co]):
    """A REST client read of one instance (``get_instance``, ``get_task_statuses``, ...)."""

    def __call__(
        self, project: str, instance_id: str, *, deadline: Deadline | None = None
    ) -> _T_co: ...


class InstancePoller(SharedFollower[Subscription]):
    """Follows one instance upstream and offers every new state to its subscribers.

    Lifecycle: the hub creates it for the first subscriber and calls :meth:`start`; it
    reads the instance once (snapshot), then runs two loops until the instance terminates or
    the last subscriber leaves:

    * the **status loop** holds a blocking ``?instancestatus`` request open (MaxCompute
      answers when the status changes, or after ~5 s), so a status change is seen at once
      for about one request per five seconds;
    * the **detail loop** samples ``?taskstatus`` and ``?instanceprogress`` every
      ``progress_interval`` while any subscriber wants progress, every
      ``task_status_interval`` while streams only want task changes, and not at all for
      WaitInstance callers.

    On termination it reads the final tasks (and the failure text of a failed task),
    offers the TERMINAL state and ends; ``on_done`` tells the hub. Transient read failures are
    retried with backoff (the state is marked stale meanwhile); fatal ones (NOT_FOUND,
    PERMISSION_DENIED, ...) end every subscription with that error.
    """

    def __init__(
        self,
        polling: Polling,
        project: str,
        instance_id: str,
        on_done: Callable[[InstancePoller], None],
    ) -> None:
        super().__init__(polling, on_done)
        self.project = project
        self.instance_id = instance_id
        self._stream_subscribers = 0
        self._progress_subscribers = 0
        self.state: Observation | None = None
        self._detail_wake = asyncio.Event()
        self._status_wake = asyncio.Event()
        self._long_polls = polling.long_polls
        self._progress_at: float | None = None
        self._tasks_epoch = 0
        self._tasks_applied = -1
        # When (time.monotonic) what the state shows was read upstream, for unary reads
        # answered from it (fresh_state): the start of the last successful status read (a
        # blocking one counts when it answers, MaxCompute answering it at a change), the
        # start of a blocking status read now held, and the start of the applied task and
        # progress reads (the start of each tasks epoch).
        self._status_at: float | None = None
        self._long_poll_since: float | None = None
        self._tasks_at: float | None = None
        self._progress_as_of: float | None = None
        self._epoch_at: dict[int, float] = {}
        self._loop = asyncio.get_running_loop()
        client = polling.upstream.client
        self._read_instance = self._reader(client.get_instance)
        self._long_poll_status = self._reader(client.poll_instance_status)
        self._read_tasks = self._reader(client.get_task_statuses)
        self._read_results = self._reader(client.get_task_results)

    # --- subscribers -------------------------------------------------------------------

    def _task_name(self) -> str:
        return f"watch-poller:{self.project}/{self.instance_id}"

    def add(self, subscription: Subscription) -> None:
        """Add a subscriber and give it a snapshot now if the current state is fresh enough;
        otherwise ask the detail loop for an immediate sample, which delivers it."""
        wants_progress = subscription.with_progress and subscription.stream
        cadence_changes = (wants_progress and self._progress_subscribers == 0) or (
            subscription.stream and self._stream_subscribers == 0
        )
        self.subscribers.add(subscription)
        self._stream_subscribers += subscription.stream
        self._progress_subscribers += wants_progress
        state = self.state
        if state is not None:
            if state.terminated or not wants_progress or self._progress_fresh():
                subscription.offer(None, state)
            else:
                cadence_changes = True
        if cadence_changes:
            self._detail_wake.set()

    def remove(self, subscription: Subscription) -> None:
        """Remove a subscriber; the last one leaving stops the poller."""
        if subscription not in self.subscribers:
            return
        self.subscribers.discard(subscription)
        self._stream_subscribers -= subscription.stream
        self._progress_subscribers -= subscription.with_progress and subscription.stream
        if not self.subscribers:
            self.stop()

    @property
    def wants_progress(self) -> bool:
        """Whether any stream subscriber wants stage progress."""
        return self._progress_subscribers > 0

    @property
    def wants_tasks(self) -> bool:
        """Whether any stream subscriber wants task status changes."""
        return self._stream_subscribers > 0

    def fresh_state(
        self, max_age: float, since: float | None = None, *, progress: bool = False
    ) -> Observation | None:
        """The current state if it may answer a unary read in MaxCompute's place, else None.

        That is when the poller is healthy (running, its last reads succeeded so the state
        is not stale, the instance not terminated) and, on the ``time.monotonic`` clock:

        * the status is current: a blocking ``?instancestatus`` read started after ``since``
          is held right now and not overdue (MaxCompute answers it when the status
          changes), or the last status read started (a blocking one: answered) at most
          ``max_age`` seconds ago and after ``since``;
        * the task statuses were read at most ``max_age`` seconds ago, after ``since``;
        * with ``progress``, so was the stage progress (only sampled while a stream wants it).

        ``since`` is when the caller last changed the instance (a stop), so that a read
        that started before it never answers for after it.
        """
        state = self.state
        if state is None or state.stale or state.terminated or self.stopping or max_age <= 0:
            return None
        now = time.monotonic()
        floor = now - max_age
        if since is not None:
            floor = max(floor, since)
        held = self._long_poll_since
        status_current = (
            held is not None
            and (since is None or held > since)
            and now - held <= self._settings.status_poll_wait + 1.0
        )
        if not status_current and not _newer(self._status_at, floor):
            return None
        if not _newer(self._tasks_at, floor):
            return None
        if progress and not _newer(self._progress_as_of, floor):
            return None
        return state

    def _progress_fresh(self) -> bool:
        at = self._progress_at
        return at is not None and self._loop.time() - at <= 2 * self._settings.progress_interval

    # --- main task -----------------------------------------------------------------------

    async def _follow(self) -> None:
        instance = await self._read_full()
        if instance.is_terminated:
            await self._finish(instance)
            return
        detail = asyncio.create_task(self._detail_loop())
        try:
            await self._status_loop()
        finally:
            detail.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await detail

    async def _read_full(self) -> Instance:
        """The first read: instance, tasks, and progress when wanted; offered as snapshot."""
        started = time.monotonic()
        instance = await self._retrying(self._read_instance)
        self._status_at = started
        epoch = self._next_epoch()
        tasks = await self._retrying(self._read_tasks)
        instance = dataclasses.replace(instance, tasks=tasks)
        if instance.is_terminated:
            return instance
        progress: tuple[TaskProgress, ...] = ()
        if self.wants_progress:
            progress = await self._retrying(
                lambda t: self._read_progress(tasks, (), t), limited=False
            )
            self._progress_at = self._loop.time()
        self._apply(None, instance=instance, tasks=tasks, epoch=epoch, progress=progress)
        return instance

    async def _status_loop(self) -> None:
        settings = self._settings
        while True:
            started = self._loop.time()
            self._status_wake.clear()
            # A held long-poll occupies an upstream thread for seconds; beyond the hub's
            # slots, fall back to plain reads at the long-poll cadence.
            long_poll = not self._long_polls.locked()
            read_at = time.monotonic()
            try:
                if long_poll:
                    observed = await self._call(
                        self._long_poll_status,
                        settings.status_poll_wait + settings.request_timeout,
                        slots=self._long_polls,
                        held=True,
                    )
                    # Answered at a change or at the end of the hold: current on arrival.
                    read_at = time.monotonic()
                else:
                    observed = await self._call(
                        self._read_instance,
                        settings.request_timeout,
                    )
            except Exception as exc:
                await self._failed(exc)
                continue
            current = self._recovered()
            if observed.status is not current.instance.status:
                # The state is known to be outdated until the change is applied.
                self._status_at = None
                if observed.is_terminated:
                    await self._finish(observed)
                    return
                epoch = self._next_epoch()
                tasks = await self._retrying(self._read_tasks)
                merged = _merge(current.instance, observed, tasks)
                self._apply(EventKind.STATUS_CHANGED, instance=merged, tasks=tasks, epoch=epoch)
            self._status_at = read_at
            pause = settings.min_status_poll_interval if long_poll else settings.status_poll_wait
            remaining = pause - (self._loop.time() - started)
            if remaining > 0 and not self._status_wake.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._status_wake.wait()

    async def _detail_loop(self) -> None:
        settings = self._settings
        while True:
            if self.wants_progress:
                interval: float | None = settings.progress_interval
            elif self.wants_tasks:
                interval = settings.task_status_interval
            else:
                interval = None
            if not self._detail_wake.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(interval):
                        await self._detail_wake.wait()
            self._detail_wake.clear()
            if not self.wants_tasks:
                continue
            current = self.state
            assert current is not None
            # Samples are optional work: when the global budget is spent they are skipped
            # (the next tick tries again) instead of queueing ahead of status reads and
            # new subscribers' snapshots.
            running = sum(t.status is TaskStatus.RUNNING for t in current.instance.tasks)
            wanted = 1 + ((running or 1) if self.wants_progress else 0)
            if not self._limiter.try_take(min(wanted, self._limiter.burst)):
                continue
            try:
                epoch = self._next_epoch()
                tasks = await self._call(self._read_tasks, settings.request_timeout, limited=False)
                progress = current.progress
                sampled = self.wants_progress
                if sampled:
                    progress = await self._call(
                        _bind(self._read_progress, tasks, current.progress),
                        settings.request_timeout,
                        limited=False,
                    )
                    self._progress_at = self._loop.time()
            except Exception as exc:
                await self._failed(exc)
                continue
            latest = self._recovered()
            if tasks != latest.instance.tasks and epoch > self._tasks_applied:
                kind: int | None = EventKind.TASK_STATUS_CHANGED
                # A task moved: the instance status may have too; look now, not at the next
                # long-poll round (matters when this instance has no long-poll slot).
                self._status_wake.set()
            elif _stages(progress) != _stages(latest.progress):
                kind = EventKind.PROGRESS
            else:
                kind = None
            self._apply(
                kind,
                instance=latest.instance,
                tasks=tasks,
                epoch=epoch,
                progress=progress if sampled else None,
            )

    async def _finish(self, observed: Instance) -> None:
        """Read the final tasks and failure text, offer the TERMINAL state."""
        tasks = await self._retrying(self._read_tasks)
        base = self.state.instance if self.state is not None else observed
        final = _merge(base, observed, tasks)
        message: str | None = None
        if any(t.status is TaskStatus.FAILED for t in tasks):
            try:
                results = await self._retrying(self._read_results, attempts=5)
            except Exception as exc:
                if not is_transient(exc):
                    raise
                results = ()
            message = failure_message(final, results)
        else:
            message = failure_message(final)
        progress = self.state.progress if self.state is not None else ()
        if progress and self.wants_progress:
            # One last sample so dashboards end on the final stage counts; best effort.
            with contextlib.suppress(Exception):
                sampled = frozenset(p.task_name for p in progress)
                progress = await self._call(
                    lambda t: self._read_progress(tasks, progress, t, sampled),
                    self._settings.request_timeout,
                    limited=False,
                )
        self._apply(
            EventKind.TERMINAL,
            instance=final,
            tasks=tasks,
            epoch=self._next_epoch(),
            progress=progress,
            failure=message,
            stale=False,
        )

    # --- reads -----------------------------------------------------------------------------

    # Each read is one REST client call of this instance on the upstream threads, bounded by
    # ``timeout``; the long poll is exactly one blocking ?instancestatus request (the poller
    # loops itself, so that it sees every status change).

    def _reader(self, read: _InstanceRead[_T]) -> Callable[[float], Awaitable[_T]]:
        up = self._upstream

        def call(timeout: float) -> Awaitable[_T]:
            return up.run(read, self.project, self.instance_id, deadline=up.deadline(timeout))

        return call

    async def _read_progress(
        self,
        tasks: tuple[Task, ...],
        previous: tuple[TaskProgress, ...],
        timeout: float,
        force: frozenset[str] = frozenset(),
        limited: bool = True,
    ) -> tuple[TaskProgress, ...]:
        """Progress of every running task (and of ``force``); others keep their last sample.

        With ``limited`` each request waits for a rate-limit token; the detail loop takes
        its tokens up front instead."""
        known = {p.task_name: p for p in previous}
        out: list[TaskProgress] = []
        for task in tasks:
            if task.status is TaskStatus.RUNNING or task.name in force:
                if limited:
                    await self._take_token()
                up = self._upstream
                sample = await up.run(
                    up.client.get_task_progress,
                    self.project,
                    self.instance_id,
                    task.name,
                    deadline=up.deadline(timeout),
                )
                if sample.stages or task.name in known:
                    out.append(sample)
            elif task.name in known:
                out.append(known[task.name])
        return tuple(out)

    async def _call(
        self,
        read: Callable[[float], Awaitable[_T]],
        timeout: float,
        slots: asyncio.Semaphore | None = None,
        limited: bool = True,
        held: bool = False,
    ) -> _T:
        """One rate-limited upstream read (``limited``), bounded by ``timeout`` seconds;
        ``held`` marks a blocking status read (see :meth:`fresh_state`)."""
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
        # that races with the read finishing, which would leave a stopped poller running.
        if limited:
            await self._take_token()
        if slots is None:
            async with asyncio.timeout(timeout + 1.0):
                return await read(timeout)
        async with slots, asyncio.timeout(timeout + 1.0):
            if held:
                self._long_poll_since = time.monotonic()
            try:
                return await read(timeout)
            finally:
                self._long_poll_since = None

    async def _retrying(
        self,
        read: Callable[[float], Awaitable[_T]],
        attempts: int | None = None,
        limited: bool = True,
    ) -> _T:
        """Retry a read through transient failures (marking the state stale meanwhile)."""
        tries = 0
        while True:
            tries += 1
            try:
                value = await self._call(read, self._settings.request_timeout, limited=limited)
            except Exception as exc:
                if attempts is not None and tries >= attempts:
                    raise
                await self._failed(exc)
                continue
            self._succeeded()
            return value

    async def _failed(self, error: Exception) -> None:
        """Note a failed read: fatal errors propagate; transient ones mark the state stale
        and wait out the backoff."""
        self.last_error = error
        if not is_transient(error):
            raise error
        _log.info(
            "upstream read for %s/%s failed (retrying): %s", self.project, self.instance_id, error
        )
        current = self.state
        if current is not None and not current.stale:
            self._apply(None, instance=current.instance, stale=True)
        await asyncio.sleep(self._backoff.next_delay(retry_after(error)))

    def _succeeded(self) -> None:
        self._backoff.reset()
        current = self.state
        if current is not None and current.stale:
            self._apply(None, instance=current.instance, stale=False)

    def _recovered(self) -> Observation:
        """After a loop's read succeeded: no longer stale; the current state (set by the
        snapshot before the loops start)."""
        self._succeeded()
        current = self.state
        assert current is not None
        return current

    def _next_epoch(self) -> int:
        self._tasks_epoch += 1
        self._epoch_at[self._tasks_epoch] = time.monotonic()
        return self._tasks_epoch

    # --- publishing ----------------------------------------------------------------------

    def _apply(
        self,
        kind: int | None,
        *,
        instance: Instance,
        tasks: tuple[Task, ...] | None = None,
        epoch: int | None = None,
        progress: tuple[TaskProgress, ...] | None = None,
        failure: str | None = None,
        stale: bool | None = None,
    ) -> None:
        """Build the next state from the current one and offer it to every subscriber.

        Task lists from reads that started before the last applied one are ignored, so two
        loops racing cannot make the tasks flap back. A state equal to the current one gets
        no new sequence; it is still offered (as ``None``) to prime new subscribers.
        """
        current = self.state
        if tasks is not None and epoch is not None:
            if epoch >= self._tasks_applied:
                self._tasks_applied = epoch
                instance = dataclasses.replace(instance, tasks=tasks)
                self._tasks_at = self._epoch_at.get(epoch)
                if progress is not None:
                    self._progress_as_of = self._tasks_at
                for old in [e for e in self._epoch_at if e <= epoch]:
                    del self._epoch_at[old]
            elif current is not None:
                instance = dataclasses.replace(instance, tasks=current.instance.tasks)
        new_progress = progress if progress is not None else (current.progress if current else ())
        new_stale = stale if stale is not None else (current.stale if current else False)
        if (
            current is not None
            and kind is None
            and current.instance == instance
            and _stages(current.progress) == _stages(new_progress)
            and current.stale == new_stale
        ):
            state = current
        else:
            state = Observation(
                sequence=next_sequence(current.sequence if current is not None else 0),
                observe_time=datetime.now(UTC),
                instance=instance,
                progress=new_progress,
                failure_message=failure,
                stale=new_stale,
            )
            self.state = state
        for subscription in list(self.subscribers):
            subscription.offer(kind, state)


def _merge(base: Instance, observed: Instance, tasks: tuple[Task, ...]) -> Instance:
    """The observed status and times over what earlier reads knew (owner, priority)."""
    return dataclasses.replace(
        observed,
        owner=observed.owner or base.owner,
        start_time=observed.start_time or base.start_time,
        end_time=observed.end_time or base.end_time,
        priority=observed.priority if observed.priority is not None else base.priority,
        tasks=tasks,
    )


def _newer(at: float | None, floor: float) -> bool:
    return at is not None and at >= floor


def _stages(progress: tuple[TaskProgress, ...]) -> tuple[tuple[str, object], ...]:
    return tuple((p.task_name, p.stages) for p in progress)


def _bind(
    read: Callable[..., Awaitable[_T]],
    tasks: tuple[Task, ...],
    previous: tuple[TaskProgress, ...],
) -> Callable[[float], Awaitable[_T]]:
    # Progress of the tick's tokens, taken up front: no further waiting per request.
    return lambda timeout: read(tasks, previous, timeout, limited=False)
