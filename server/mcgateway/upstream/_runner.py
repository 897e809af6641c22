"""Runs the synchronous MaxCompute REST client off the event loop, within each call's deadline.

Every upstream operation runs on a bounded ``ThreadPoolExecutor`` (``upstream_concurrency``
threads), never on the event loop. A caller turns its remaining time (gRPC
``context.time_remaining()``) into a :class:`~mcgateway.maxcompute.Deadline` with
:meth:`Upstream.deadline` *before* the call is queued, so time spent waiting for a free
thread counts against it and no HTTP timeout ever exceeds it, then hands any client method
to :meth:`Upstream.run`::

    up = self._upstream
    tasks = await up.run(up.client.get_task_statuses, project, iid, deadline=up.deadline(t))

A new upstream call is a method of ``MaxComputeClient`` and nothing else. A cancelled RPC
stops awaiting at once; its thread, if it already started, finishes within the same
deadline.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from mcgateway.config import GatewayConfig
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    Deadline,
    MaxComputeClient,
    RequestObserver,
)
from mcgateway.metrics import GatewayMetrics

__all__ = ["Timeout", "Upstream", "build_client"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")
_P = ParamSpec("_P")

Timeout = float | Deadline | None
"""Remaining seconds of the caller (``None``: no deadline, the configured default applies),
or a ready :class:`Deadline`."""


def build_client(
    config: GatewayConfig,
    *,
    endpoint: str,
    credentials: Credentials,
    default_project: str | None,
    observer: RequestObserver | None = None,
) -> MaxComputeClient:
    """A REST client sized for the gateway: one pooled connection per upstream thread."""
    return MaxComputeClient(
        ClientConfig(
            endpoint=endpoint,
            credentials=credentials,
            default_project=default_project,
            region=config.region,
            pool_size=config.upstream_concurrency,
            read_timeout=config.upstream_timeout,
            default_timeout=config.upstream_timeout,
        ),
        observer=observer,
    )


class Upstream:
    """The REST client (:attr:`client`) and the bounded executor its calls run on."""

    def __init__(
        self,
        client: MaxComputeClient,
        *,
        concurrency: int = 32,
        default_timeout: float = 60.0,
        metrics: GatewayMetrics | None = None,
    ) -> None:
        self.client = client
        self._default_timeout = default_timeout
        self._metrics = metrics
        self._executor = ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="mcgateway-upstream"
        )
        self._closed = False

    def deadline(self, timeout: Timeout) -> Deadline:
        """The deadline for a call with ``timeout`` left, capped by the default timeout."""
        if isinstance(timeout, Deadline):
            return timeout
        if timeout is None:
            return Deadline.after(self._default_timeout)
        return Deadline.after(min(max(0.0, timeout), self._default_timeout))

    async def run(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Run ``fn(*args, **kwargs)`` on the upstream executor, in the caller's log context.

        ``fn`` is a method of :attr:`client` (or a function over it) and gets its
        ``deadline=`` from :meth:`deadline`.
        """
        if self._closed:
            raise RuntimeError("upstream is closed")
        ctx = contextvars.copy_context()
        call = functools.partial(ctx.run, fn, *args, **kwargs)
        future = self._executor.submit(call)
        gauge = self._metrics.upstream_inflight if self._metrics is not None else None
        if gauge is not None:
            # Counted until the thread is done, even when the caller stopped waiting.
            gauge.inc()
            future.add_done_callback(lambda _: gauge.dec())
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop taking calls; queued calls are dropped, running ones end within their deadline."""
        if not self._closed:
            self._closed = True
            self._executor.shutdown(wait=False, cancel_futures=True)
            self.client.close()
