"""The watch hub: one shared poller per instance, one shared lister per project filter."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from mcgateway.domain import InstanceStatus
from mcgateway.metrics import GatewayMetrics
from mcgateway.upstream import Upstream
from mcgateway.watch._follower import Polling, SharedFollower
from mcgateway.watch._history import ListerHistory, ResumeTooOld, format_resume_version
from mcgateway.watch._lister import ProjectLister, ProjectSubscription
from mcgateway.watch._observation import Observation
from mcgateway.watch._poller import InstancePoller
from mcgateway.watch._ratelimit import TokenBucket
from mcgateway.watch._settings import WatchSettings
from mcgateway.watch._subscription import Subscription

__all__ = ["HubClosed", "PollerLimit", "WatchHub"]

_K = TypeVar("_K")
_F = TypeVar("_F", bound=SharedFollower[Any])
_InstanceKey = tuple[str, str]
_ListerKey = tuple[str, InstanceStatus | None, bool]


class PollerLimit(Exception):
    """Starting one more poller would pass ``WatchSettings.max_pollers``."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the gateway follows {limit} instances and project listings, the most it allows "
            "(max_pollers)"
        )
        self.limit = limit


class HubClosed(Exception):
    """The hub was closed (the gateway is shutting down): every subscription ends with this,
    and new ones are refused. Callers should reconnect, to another replica if need be."""


class WatchHub:
    """Shares upstream polling between every WatchInstance stream, WaitInstance call and
    WatchInstances stream of one gateway.

    At most one :class:`InstancePoller` runs per (project, instance) of this hub's upstream,
    started by the first subscriber and stopped when the last one leaves or the instance
    terminates; the final state of terminated instances is kept (LRU) so late subscribers
    need no upstream read. Every upstream read of every poller and lister passes one token
    bucket (``upstream_qps``/``upstream_burst``), so a burst of subscribers cannot flood
    MaxCompute; status reads and snapshots queue for tokens in arrival order, while
    progress samples only use spare tokens (a congested gateway samples progress less
    often rather than reporting status changes late). At most ``long_poll_slots`` blocking
    status requests are held at once, so they never take every upstream thread.

    Construct it inside the running event loop (``GatewayServer.start``) and ``await
    close()`` at shutdown, which ends every stream with UNAVAILABLE.
    """

    def __init__(
        self,
        upstream: Upstream,
        settings: WatchSettings,
        metrics: GatewayMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.upstream = upstream
        self.metrics = metrics
        self.limiter = TokenBucket(self.settings.upstream_qps, self.settings.upstream_burst)
        self.long_polls = asyncio.Semaphore(self.settings.long_poll_slots)
        self._polling = Polling(upstream, settings, self.limiter, self.long_polls)
        self._pollers: dict[_InstanceKey, InstancePoller] = {}
        self._listers: dict[_ListerKey, ProjectLister] = {}
        self._retained: OrderedDict[_ListerKey, tuple[ListerHistory, float]] = OrderedDict()
        self._terminal: OrderedDict[_InstanceKey, Observation] = OrderedDict()
        self._closed = False

    # --- instances -------------------------------------------------------------------------

    def subscribe(
        self, project: str, instance_id: str, *, with_progress: bool, stream: bool = True
    ) -> Subscription:
        """Register a subscriber of one instance and return its buffer.

        The first message (SNAPSHOT, or TERMINAL for a terminated instance) is queued at once
        when the hub knows a fresh state, otherwise after one upstream read. ``stream=False``
        is a WaitInstance caller: it keeps only the latest state and never makes the poller
        sample progress or tasks. Always pair with :meth:`unsubscribe`.
        """
        self._check_open()
        subscription = Subscription(
            with_progress=with_progress, stream=stream, limit=self.settings.subscriber_buffer
        )
        key = (project, instance_id)
        final = self._terminal.get(key)
        if final is not None:
            self._terminal.move_to_end(key)
            subscription.offer(None, final)
            return subscription
        self._join(
            self._pollers,
            key,
            subscription,
            lambda: InstancePoller(self._polling, project, instance_id, self._poller_done),
        )
        return subscription

    def unsubscribe(self, project: str, instance_id: str, subscription: Subscription) -> None:
        """Remove a subscriber; the poller stops when it was the last one."""
        poller = self._pollers.get((project, instance_id))
        if poller is not None:
            poller.remove(subscription)

    def _poller_done(self, poller: InstancePoller) -> None:
        key = (poller.project, poller.instance_id)
        if self._pollers.get(key) is poller:
            del self._pollers[key]
        state = poller.state
        if state is not None and state.terminated:
            self._terminal[key] = state
            self._terminal.move_to_end(key)
            while len(self._terminal) > self.settings.terminal_cache_size:
                self._terminal.popitem(last=False)
        self._count_pollers()

    def _join(
        self, followers: dict[_K, _F], key: _K, subscription: object, make: Callable[[], _F]
    ) -> None:
        """Add ``subscription`` to the running follower of ``key``, or start a new one."""
        follower = followers.get(key)
        if follower is not None and not follower.stopping:
            follower.add(subscription)
            return
        if len(self._pollers) + len(self._listers) >= self.settings.max_pollers:
            if self.metrics is not None:
                self.metrics.count_refusal("max_pollers")
            raise PollerLimit(self.settings.max_pollers)
        follower = followers[key] = make()
        follower.add(subscription)
        follower.start()
        self._count_pollers()

    def _count_pollers(self) -> None:
        self._set_poller_gauge(len(self._pollers) + len(self._listers))

    def _set_poller_gauge(self, count: int) -> None:
        # Open streams are counted by the service's chokepoint; the hub counts pollers.
        if self.metrics is not None:
            self.metrics.active_pollers.set(count)

    @property
    def poller_count(self) -> int:
        """Instance pollers currently running."""
        return len(self._pollers)

    def poller(self, project: str, instance_id: str) -> InstancePoller | None:
        """The running poller of an instance, if any (for tests and diagnostics)."""
        return self._pollers.get((project, instance_id))

    def fresh_state(
        self,
        project: str,
        instance_id: str,
        *,
        since: float | None = None,
        progress: bool = False,
    ) -> Observation | None:
        """The state of the instance's running poller when it may answer a unary read in
        MaxCompute's place (healthy, reads at most ``hub_read_max_age`` seconds old and
        started after ``since``, a ``time.monotonic`` time), else None; see
        :meth:`InstancePoller.fresh_state`."""
        poller = self._pollers.get((project, instance_id))
        if poller is None:
            return None
        return poller.fresh_state(self.settings.hub_read_max_age, since, progress=progress)

    def rate_limited(self, project: str, instance_id: str | None = None) -> bool:
        """Whether the instance's poller (or, without an id, any lister of the project) is
        waiting for the gateway's own upstream rate limit right now."""
        if instance_id is not None:
            poller = self._pollers.get((project, instance_id))
            return poller is not None and poller.awaiting_token
        return any(k[0] == project and f.awaiting_token for k, f in self._listers.items())

    def last_error(self, project: str, instance_id: str) -> BaseException | None:
        """The last failed upstream read of the instance's running poller, if any."""
        poller = self._pollers.get((project, instance_id))
        return poller.last_error if poller is not None else None

    # --- projects --------------------------------------------------------------------------

    def subscribe_project(
        self,
        project: str,
        status: InstanceStatus | None,
        only_owner: bool,
        *,
        resume: tuple[str, int] | None = None,
    ) -> ProjectSubscription:
        """Register a WatchInstances subscriber; pair with :meth:`unsubscribe_project`.

        ``resume`` is the (epoch, version) of a resume version: the subscriber then gets
        the events after it instead of a snapshot, from the running lister's history or the
        one a stopped lister of the same key left; :class:`ResumeTooOld` when neither holds
        them.
        """
        self._check_open()
        key = (project, status, only_owner)
        lister = self._listers.get(key)
        if lister is not None:
            # A running lister, or one that is stopping: its history carries on.
            history: ListerHistory | None = lister.history
        else:
            history = self._take_retained(key)
        if resume is not None:
            epoch, version = resume
            if history is None or history.epoch != epoch or not history.covers(version):
                if history is not None and lister is None:
                    self._retain(key, history)
                raise ResumeTooOld(project, format_resume_version(epoch, version))
        subscription = ProjectSubscription(None if resume is None else resume[1])
        self._join(
            self._listers,
            key,
            subscription,
            lambda: ProjectLister(self._polling, *key, self._lister_done, history),
        )
        return subscription

    def _take_retained(self, key: _ListerKey) -> ListerHistory | None:
        """The history a stopped lister of ``key`` left, if it is not too old."""
        kept = self._retained.pop(key, None)
        if kept is None:
            return None
        history, at = kept
        if asyncio.get_running_loop().time() - at > self.settings.resume_retention:
            return None
        return history

    def _retain(self, key: _ListerKey, history: ListerHistory) -> None:
        now = asyncio.get_running_loop().time()
        self._retained[key] = (history, now)
        self._retained.move_to_end(key)
        while self._retained:
            oldest, (_, at) = next(iter(self._retained.items()))
            expired = now - at > self.settings.resume_retention
            if not expired and len(self._retained) <= self.settings.resume_retained_listers:
                break
            del self._retained[oldest]

    def unsubscribe_project(
        self,
        project: str,
        status: InstanceStatus | None,
        only_owner: bool,
        subscription: ProjectSubscription,
    ) -> None:
        """Remove a WatchInstances subscriber; the lister stops with the last one."""
        lister = self._listers.get((project, status, only_owner))
        if lister is not None:
            lister.remove(subscription)

    def _lister_done(self, lister: ProjectLister) -> None:
        key = (lister.project, lister.status, lister.only_owner)
        if self._listers.get(key) is lister:
            del self._listers[key]
            if lister.history.known is not None and not self._closed:
                # Kept for a watcher that reconnects and resumes (resume_retention).
                self._retain(key, lister.history)
        self._count_pollers()

    def project_history(
        self, project: str, status: InstanceStatus | None, only_owner: bool
    ) -> ListerHistory | None:
        """The history of the filter's running lister (what its resume versions name)."""
        lister = self._listers.get((project, status, only_owner))
        return lister.history if lister is not None else None

    def last_project_error(
        self, project: str, status: InstanceStatus | None, only_owner: bool
    ) -> BaseException | None:
        """The last failed list round of the filter's running lister, if any."""
        lister = self._listers.get((project, status, only_owner))
        return lister.last_error if lister is not None else None

    @property
    def lister_count(self) -> int:
        """Project listers currently running."""
        return len(self._listers)

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise _shutting_down()

    async def close(self) -> None:
        """End every stream and wait with UNAVAILABLE, and stop every poller and lister."""
        if self._closed:
            return
        self._closed = True
        error = _shutting_down()
        pollers = list(self._pollers.values())
        listers = list(self._listers.values())
        for poller in pollers:
            poller.fail(error)
        for lister in listers:
            lister.fail(error)
        for poller in pollers:
            with contextlib.suppress(asyncio.CancelledError):
                await poller.wait_stopped()
        for lister in listers:
            with contextlib.suppress(asyncio.CancelledError):
                await lister.wait_stopped()
        self._pollers.clear()
        self._listers.clear()
        self._set_poller_gauge(0)


def _shutting_down() -> HubClosed:
    return HubClosed("the gateway is shutting down; reconnect to continue watching")
