"""Tunables of the watch hub, read from the gateway configuration."""

from __future__ import annotations

import math
from dataclasses import dataclass

from mcgateway.config import GatewayConfig

__all__ = ["WatchSettings"]


@dataclass(frozen=True)
class WatchSettings:
    """How the hub polls MaxCompute and how long streams and waits may last.

    Built from the gateway's ``GatewayConfig`` with :meth:`from_config`; every field has a
    default so tests can build one directly.
    """

    progress_interval: float = 1.0
    """Seconds between ``?taskstatus``/``?instanceprogress`` samples while someone wants
    progress (default 1 s, the PyODPS ``wait_for_completion`` interval)."""
    task_status_interval: float = 5.0
    """Seconds between ``?taskstatus`` samples when watchers want task changes but no progress
    (default 5 s: about one per status long-poll)."""
    status_poll_wait: float = 5.0
    """How long MaxCompute holds a blocking ``?instancestatus`` request (default 5 s, the
    service's own hold); the HTTP timeout is this plus ``request_timeout``."""
    min_status_poll_interval: float = 1.0
    """Lower bound between two status long-polls, so an upstream that answers at once (an
    emulator, a proxy) is not polled in a tight loop (default 1 s)."""
    request_timeout: float = 10.0
    """Timeout of each upstream read made by a poller (default 10 s)."""
    wait_cap: float = 30.0
    """Server cap of one WaitInstance call (default 30 s, see google.longrunning)."""
    max_stream_age: float = 1800.0
    """Streams older than this end with UNAVAILABLE so clients reconnect and load rebalances
    (default 30 min). Each stream gets up to 10% less, so reconnects do not come in waves."""
    snapshot_timeout: float = 30.0
    """Longest wait for the first upstream state of a WatchInstance, WatchInstances or
    WaitInstance call (default 30 s, capped by the call's deadline): without it the call
    ends with UNAVAILABLE, reason ``UPSTREAM_UNAVAILABLE``, rather than sending nothing
    while MaxCompute is down. Once a snapshot was sent, failures only mark states stale."""
    upstream_qps: float = 200.0
    """Steady rate of upstream requests all pollers together may send (default 200/s;
    ``math.inf`` for no limit)."""
    upstream_burst: int = 50
    """Requests that may be sent at once before ``upstream_qps`` applies (default 50)."""
    long_poll_slots: int = 16
    """Most blocking ``?instancestatus`` requests in flight at once (default 16, half the
    gateway's upstream threads, so held polls never starve unary calls). Instances beyond it
    fall back to a plain status read every ``status_poll_wait``."""
    subscriber_buffer: int = 8
    """Undelivered status events kept per subscriber before consecutive ones are conflated
    (default 8). Progress never queues: the newest replaces the unsent one."""
    retry_initial_backoff: float = 0.2
    """First backoff after a failed upstream read (default 0.2 s), doubling with full jitter."""
    retry_max_backoff: float = 10.0
    """Longest backoff between retries of failed upstream reads (default 10 s)."""
    terminal_cache_size: int = 4096
    """Terminated instances whose final state is kept for new subscribers (default 4096):
    terminated instances never change, so this answers reconnects without upstream reads."""
    project_list_max_items: int = 10000
    """Most instances a WatchInstances lister reads per poll (default 10000), page by page."""
    max_pollers: int = 10000
    """Most pollers and listers running at once for every subscriber together (default
    10000); a subscription that would start one more is refused with :class:`PollerLimit`."""
    project_list_page_size: int = 1000
    """Page size of the lister's ``GET /projects/{p}/instances`` reads (default 1000)."""
    resume_history_events: int = 1024
    """Events a WatchInstances lister keeps for streams that resume (default 1024): a
    watcher further behind than that lists again."""
    resume_retention: float = 600.0
    """Seconds the history of a lister whose last watcher left is kept for a watcher that
    resumes (default 10 min)."""
    hub_read_max_age: float = 5.0
    """How old a poller's reads may be for unary reads (GetInstance, ListTasks,
    GetTaskProgress) to be answered from its state instead of MaxCompute (default 5 s, the
    task status cadence of a stream; 0: never). See :meth:`InstancePoller.fresh_state`."""
    resume_retained_listers: int = 256
    """Histories of stopped listers kept at most (default 256; the oldest go first)."""

    @classmethod
    def from_config(cls, config: GatewayConfig) -> WatchSettings:
        """The gateway configuration's watch settings; defaults for the rest."""
        qps = config.upstream_rate_limit_qps
        return cls(
            progress_interval=config.progress_interval,
            status_poll_wait=config.status_poll_wait,
            wait_cap=config.wait_cap,
            max_stream_age=config.max_stream_age,
            snapshot_timeout=config.snapshot_timeout,
            # 0 switches the limit off, as the gateway's flag documents.
            upstream_qps=float(qps) if qps > 0 else math.inf,
            upstream_burst=config.upstream_rate_limit_burst,
            # Half the upstream threads at most hold a blocking status request.
            long_poll_slots=max(1, config.upstream_concurrency // 2),
            request_timeout=min(config.upstream_timeout, cls.request_timeout),
            max_pollers=config.max_pollers,
            hub_read_max_age=config.hub_read_max_age,
        )
