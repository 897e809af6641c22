"""Stops on behalf of callers that left: ExecuteSql's ``stop_on_cancel``.

When an ExecuteSql call that created its instance ends early because its caller cancelled,
disconnected or let the deadline pass, the call's handler is already being cancelled: the
stop runs here, as a task of its own, after it. Each instance is stopped at most once per
gateway process, however many calls ask (a later ask is a no-op), and never after the
gateway began shutting down, when calls end because the gateway ends them, not their
callers. A stop MaxCompute refuses because the instance already terminated
(``InvalidStateSetting``) is the expected end of a race and only logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from mcgateway.maxcompute import MaxComputeError
from mcgateway.service.audit import audit
from mcgateway.service.cache import TerminalCache
from mcgateway.service.chokepoint import Call
from mcgateway.upstream import Upstream

__all__ = ["STOP_TIMEOUT", "InstanceStops"]

_log = logging.getLogger(__name__)

STOP_TIMEOUT = 30.0
"""Seconds one stop request may take upstream, retries included."""

# Instances whose stop was asked are remembered (and not stopped again) up to this many.
_REMEMBERED = 10_000


class InstanceStops:
    """Stops instances for callers that left, at most once per instance in this process."""

    def __init__(self, upstream: Upstream, cache: TerminalCache) -> None:
        self._upstream = upstream
        self._cache = cache
        self._asked: OrderedDict[tuple[str, str], asyncio.Task[None] | None] = OrderedDict()
        self._closing = False
        self.requested = 0
        """Stops sent upstream by this process (for tests and diagnostics)."""

    @property
    def pending(self) -> int:
        """Stops under way (started and not finished)."""
        return sum(1 for t in self._asked.values() if t is not None and not t.done())

    def asked(self, project: str, instance_id: str) -> bool:
        """Whether a stop of the instance was started by this process (and remembered)."""
        return (project, instance_id) in self._asked

    @property
    def closing(self) -> bool:
        """Whether the gateway began shutting down (no stop is started any more)."""
        return self._closing

    def begin_shutdown(self) -> None:
        """From now on calls end because the gateway ends them: start no stop."""
        self._closing = True

    def stop_once(self, call: Call, instance_id: str, action: str) -> bool:
        """Stop ``call.project``'s ``instance_id`` for ``call`` in the background, unless it
        was asked before or the gateway is shutting down; whether a stop was started."""
        ident = (call.project, instance_id)
        if self._closing or ident in self._asked:
            return False
        task = asyncio.get_running_loop().create_task(
            self._stop(call, instance_id, action), name=f"stop:{call.project}/{instance_id}"
        )
        self._asked[ident] = task
        task.add_done_callback(lambda _t: self._forget_task(ident))
        while len(self._asked) > _REMEMBERED:
            oldest, pending = next(iter(self._asked.items()))
            if pending is not None:
                break
            del self._asked[oldest]
        return True

    def _forget_task(self, ident: tuple[str, str]) -> None:
        # Done: keep the instance (so it is never stopped twice), drop the task.
        if ident in self._asked:
            self._asked[ident] = None

    async def _stop(self, call: Call, instance_id: str, action: str) -> None:
        up = self._upstream
        project = call.project
        self.requested += 1
        try:
            await up.run(
                up.client.stop_instance, project, instance_id, deadline=up.deadline(STOP_TIMEOUT)
            )
        except MaxComputeError as exc:
            if exc.code == "InvalidStateSetting":
                _log.info("instance %s had already terminated; nothing to stop", instance_id)
            else:
                _log.warning("could not stop instance %s for %s: %s", instance_id, action, exc)
            return
        except Exception:
            _log.exception("could not stop instance %s for %s", instance_id, action)
            return
        finally:
            self._cache.invalidate(project, instance_id)
        audit(call, instance_id, action=action)

    async def close(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the stops under way."""
        self._closing = True
        pending = [t for t in self._asked.values() if t is not None and not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
