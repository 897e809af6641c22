"""WatchInstances: one shared lister per (project, filter) and its subscribers' buffers."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from mcgateway.domain import Instance, InstanceStatus, ListFilter
from mcgateway.watch._failures import is_fatal_upstream_error, is_transient, retry_after
from mcgateway.watch._follower import Polling, SharedFollower
from mcgateway.watch._history import ListerHistory, ProjectEvent, ResumeTooOld
from mcgateway.watch._subscription import Wakeable
from mcgateway.wire import instance_to_proto, timestamp_from_datetime

__all__ = ["ProjectEvent", "ProjectKind", "ProjectLister", "ProjectSubscription"]

_log = logging.getLogger("mcgateway.watch")


ProjectKind = instance_service_pb2.WatchInstancesResponse.EventType
"""Event types of WatchInstances: the wire enum itself (ADDED, CHANGED, TERMINATED,
SNAPSHOT_END, HEARTBEAT, BOOKMARK), whose values are ints."""


class ProjectSubscription(Wakeable):
    """One WatchInstances subscriber's undelivered events, conflated per instance.

    At most two events per instance wait at a time (ADDED or CHANGED, then TERMINATED): a
    newer CHANGED replaces an unsent ADDED/CHANGED of the same instance (keeping its type),
    so memory is bounded by the number of instances the lister tracks. An instance that gets
    a new event moves behind the others, so events leave in the order of their versions and a
    watcher that resumes from the version of the last event it received misses nothing; the
    entries of the initial snapshot stay in place, before SNAPSHOT_END, and leave without a
    version (a watcher resumes from SNAPSHOT_END or later).
    """

    __slots__ = ("_error", "_in_snapshot", "_queue", "primed", "resume_from", "version")

    def __init__(self, resume_from: int | None = None) -> None:
        self._queue: OrderedDict[object, list[ProjectEvent]] = OrderedDict()
        self._waiter = None
        self._error: BaseException | None = None
        self.primed = False
        """Whether the snapshot (ADDED for each, then SNAPSHOT_END) has been queued, or for a
        resumed subscription the missed events and a BOOKMARK."""
        self.resume_from = resume_from
        """The version a resumed subscription continues after (None: a new watch)."""
        self.version = -1 if resume_from is None else resume_from
        """The newest version offered: once every queued event is taken, the watcher has
        everything up to it (what HEARTBEAT and BOOKMARK events carry)."""
        self._in_snapshot = resume_from is None

    @property
    def pending(self) -> int:
        """Events queued and not taken."""
        return sum(len(v) for v in self._queue.values())

    def offer(self, key: object, event: ProjectEvent) -> None:
        """Queue an event about the instance ``key`` (an id, or a unique object)."""
        if self._error is not None:
            return
        kind, version = event[0], event[3]
        self.version = max(self.version, version)
        entries = self._queue.get(key)
        if entries is None:
            self._queue[key] = [event]
        else:
            if kind == ProjectKind.CHANGED and entries[-1][0] in (
                ProjectKind.ADDED,
                ProjectKind.CHANGED,
            ):
                last = entries[-1]
                # The newer state; an unsent snapshot entry stays one (no version).
                entries[-1] = (last[0], event[1], event[2], version if last[3] >= 0 else -1)
            elif kind == ProjectKind.TERMINATED:
                if entries[-1][0] == ProjectKind.CHANGED:
                    entries.pop()
                entries.append(event)
            else:
                entries.append(event)
            if all(e[3] >= 0 for e in entries):
                self._queue.move_to_end(key)
        self._wake()

    def fail(self, error: BaseException) -> None:
        """End the subscription with ``error``."""
        if self._error is None:
            self._error = error
            self._wake()

    def take(self) -> ProjectEvent | None:
        """The next event, or None; raises the error the subscription ended with. Events
        taken before SNAPSHOT_END carry no version (-1)."""
        if self._error is not None:
            raise self._error
        if not self._queue:
            return None
        key, entries = next(iter(self._queue.items()))
        event = entries.pop(0)
        if not entries:
            del self._queue[key]
        if self._in_snapshot:
            if event[0] == ProjectKind.SNAPSHOT_END:
                self._in_snapshot = False
            else:
                event = (event[0], event[1], event[2], -1)
        return event

    async def wait(self, loop: asyncio.AbstractEventLoop, until: float | None) -> None:
        """Wait until an event is queued, the subscription fails, or ``until`` passes."""
        if self._error is None and not self._queue:
            await self._park(loop, until)


class ProjectLister(SharedFollower[ProjectSubscription]):
    """Lists a project's instances every ``progress_interval`` and turns the differences
    into ADDED / CHANGED / TERMINATED events for every subscriber.

    With no status filter it lists Running instances and keeps following those that leave
    the list (one ``GET`` each per round) until they terminate, reporting a suspension as
    CHANGED and the end as TERMINATED. With an explicit status filter an instance that
    leaves the list is reported once (TERMINATED, or CHANGED with its new status) and
    forgotten.
    """

    def __init__(
        self,
        polling: Polling,
        project: str,
        status: InstanceStatus | None,
        only_owner: bool,
        on_done: Callable[[ProjectLister], None],
        history: ListerHistory | None = None,
    ) -> None:
        super().__init__(polling, on_done)
        self.project = project
        self.status = status
        self.only_owner = only_owner
        self.history = history or ListerHistory(polling.settings.resume_history_events)
        """The versioned events and known instances: a new history, or the one a previous
        lister of the same project and filter left (its versions continue)."""
        self._listed = False
        self.rounds = 0
        """Completed list rounds (for tests and diagnostics)."""

    def _task_name(self) -> str:
        return f"watch-lister:{self.project}"

    def add(self, subscription: ProjectSubscription) -> None:
        """Add a subscriber; it gets the snapshot (or its missed events) now if this lister
        has listed the project once."""
        self.subscribers.add(subscription)
        if self._listed:
            self._prime(subscription)

    def remove(self, subscription: ProjectSubscription) -> None:
        """Remove a subscriber; the last one leaving stops the lister."""
        self.subscribers.discard(subscription)
        if not self.subscribers:
            self.stop()

    def _prime(self, subscription: ProjectSubscription) -> None:
        history = self.history
        known = history.known
        assert known is not None
        observed = history.observed
        resume_from = subscription.resume_from
        if resume_from is None:
            for instance_id, (_, message) in known.items():
                subscription.offer(instance_id, (ProjectKind.ADDED, message, observed, -1))
            subscription.offer(
                object(), (ProjectKind.SNAPSHOT_END, None, observed, history.version)
            )
        elif not history.covers(resume_from):
            subscription.fail(ResumeTooOld(self.project, history.resume_version(resume_from)))
            return
        else:
            for instance_id, event in history.after(resume_from):
                subscription.offer(instance_id, event)
            subscription.offer(object(), (ProjectKind.BOOKMARK, None, observed, history.version))
        subscription.primed = True

    async def _follow(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.last_error = exc
                if not is_transient(exc):
                    raise
                _log.info("listing project %s failed (retrying): %s", self.project, exc)
                await asyncio.sleep(self._backoff.next_delay(retry_after(exc)))
                continue
            self._backoff.reset()
            self.rounds += 1
            pause = self._settings.progress_interval - (loop.time() - started)
            if pause > 0:
                await asyncio.sleep(pause)

    async def _list(self) -> dict[str, Instance]:
        settings = self._settings
        list_filter = ListFilter(
            status=self.status or InstanceStatus.RUNNING,
            only_owner=True if self.only_owner else None,
        )
        found: dict[str, Instance] = {}
        marker: str | None = None
        page_size = settings.project_list_page_size
        while True:
            page = await self._limited_read(
                partial(
                    self._upstream.client.list_instances,
                    self.project,
                    filter=list_filter,
                    marker=marker,
                    max_items=page_size,
                )
            )
            for instance in page.instances:
                found.setdefault(instance.id, instance)
            marker = page.next_marker
            if not marker or len(found) >= settings.project_list_max_items:
                return found

    async def _round(self) -> None:
        listed = await self._list()
        now = timestamp_from_datetime(datetime.now(UTC))
        history = self.history
        known = history.known
        if known is None:
            history.known = {i: (inst, _listed(inst)) for i, inst in listed.items()}
            history.observed = now
            self._listed = True
            for subscription in list(self.subscribers):
                self._prime(subscription)
            return
        # What changed, applied below in one step (no await between): a round cancelled
        # half-way changes nothing, so the known instances and the history always agree.
        changes: list[tuple[str, int | None, Instance | None, instance_pb2.Instance | None]] = []
        for instance_id, instance in listed.items():
            previous = known.get(instance_id)
            if previous is None or previous[0].status is not instance.status:
                kind = ProjectKind.ADDED if previous is None else ProjectKind.CHANGED
                changes.append((instance_id, kind, instance, _listed(instance)))
        for instance_id in [i for i in known if i not in listed]:
            previous_instance = known[instance_id][0]
            try:
                current = await self._limited_read(
                    partial(self._upstream.client.get_instance, self.project, instance_id)
                )
            except Exception as exc:
                if is_fatal_upstream_error(exc):
                    # Gone (or hidden from us): stop following it.
                    changes.append((instance_id, None, None, None))
                    continue
                raise
            if current.is_terminated:
                terminated = (
                    None if self.status is InstanceStatus.TERMINATED else ProjectKind.TERMINATED
                )
                changes.append((instance_id, terminated, None, _listed(current)))
            elif current.status is not previous_instance.status:
                keep = current if self.status is None else None
                changes.append((instance_id, ProjectKind.CHANGED, keep, _listed(current)))
        events: list[tuple[str, ProjectEvent]] = []
        for instance_id, change, kept, message in changes:
            if kept is None:
                known.pop(instance_id, None)
            else:
                assert message is not None
                known[instance_id] = (kept, message)
            if change is not None:
                events.append((instance_id, history.record(instance_id, change, message, now)))
        history.observed = now
        self._listed = True
        for subscription in list(self.subscribers):
            if not subscription.primed:
                self._prime(subscription)
                continue
            for instance_id, event in events:
                subscription.offer(instance_id, event)


def _listed(instance: Instance) -> instance_pb2.Instance:
    """A listed instance's message: MaxCompute lists no tasks, so no outcome is claimed."""
    return instance_to_proto(instance, tasks_read=False)
