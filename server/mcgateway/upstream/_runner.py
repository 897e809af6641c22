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
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ParamSpec, TypeVar

from mcgateway.config import ConfigError, GatewayConfig
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    Deadline,
    InvalidIdentifier,
    MaxComputeClient,
    RequestObserver,
    validate_project_name,
)
from mcgateway.metrics import GatewayMetrics

__all__ = ["RoundTrip", "Timeout", "Upstream", "build_client", "load_project_credentials"]

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
            max_body_bytes=config.upstream_max_body_bytes,
            project_credentials=(
                load_project_credentials(config.project_credentials_file)
                if config.project_credentials_file is not None
                else {}
            ),
        ),
        observer=observer,
    )


def load_project_credentials(path: Path) -> dict[str, Credentials]:
    """The ``--project-credentials-file``: project → its own AccessKey (or STS) credentials.

    ``{"projects": {"NAME": {"access_id": ..., "access_key": ..., "security_token": ...}}}``;
    a malformed file is a :class:`~mcgateway.config.ConfigError` naming what is wrong, never
    a silent fallback to the default credentials.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON: {exc}") from None
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, dict):
        raise ConfigError(f"{path}: expected an object with a 'projects' object")
    out: dict[str, Credentials] = {}
    for name, entry in projects.items():
        where = f"{path}: projects[{name!r}]"
        try:
            validate_project_name(name)
        except InvalidIdentifier as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected an object")
        access_id, access_key = entry.get("access_id"), entry.get("access_key")
        token = entry.get("security_token")
        if not isinstance(access_id, str) or not access_id:
            raise ConfigError(f"{where}: 'access_id' must be a non-empty string")
        if not isinstance(access_key, str) or not access_key:
            raise ConfigError(f"{where}: 'access_key' must be a non-empty string")
        if token is not None and not isinstance(token, str):
            raise ConfigError(f"{where}: 'security_token' must be a string")
        out[name] = Credentials(access_id, access_key, token or None)
    return out


class RoundTrip:
    """A moving average of how long one upstream instance read takes on a worker thread
    (the request alone, not the wait for a thread): what decides whether GetInstance's
    reads are worth issuing concurrently (``upstream.gather_instance_view``)."""

    __slots__ = ("seconds",)

    def __init__(self) -> None:
        self.seconds = 0.0
        """The average so far; 0 until a read was timed."""

    def observe(self, seconds: float) -> None:
        """Fold in one read's duration (called on worker threads: a lost update in a race
        only delays the average)."""
        self.seconds += 0.2 * (seconds - self.seconds)


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
        self.round_trip = RoundTrip()
        """How long instance reads take upstream lately (see :class:`RoundTrip`)."""
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
