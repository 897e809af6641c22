"""The emulator's worker slots: granted by job priority, then by submission order.

MaxCompute runs a job when its quota has room; a job that waits is queued, higher priority
(a lower number, 0 first, 9 last) ahead of lower, and the queue position of each waiting job
is what ``?cached`` and ``/cachedinstances`` report. The scheduler keeps that queue: a freed
slot goes to the head of the queue, so positions change as slots free up and as jobs of
higher priority arrive.

All methods run on the event loop.
"""

from __future__ import annotations

import asyncio
import bisect
from dataclasses import dataclass, field


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    key: str = field(compare=False)
    granted: asyncio.Future[None] = field(compare=False)


class Scheduler:
    """``slots`` slots; :meth:`acquire` waits in the priority queue for one."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._queue: list[_Waiter] = []

    async def acquire(self, key: str, priority: int, seq: int) -> None:
        """Take a slot for ``key`` (an instance id), queueing by (priority, seq) if none is free.

        Cancelled while queued, the caller leaves the queue (and hands on a slot granted in
        the same moment).
        """
        if self._free > 0 and not self._queue:
            self._free -= 1
            return
        waiter = _Waiter(priority, seq, key, asyncio.get_running_loop().create_future())
        bisect.insort(self._queue, waiter)
        try:
            await waiter.granted
        except asyncio.CancelledError:
            if waiter.granted.done() and not waiter.granted.cancelled():
                self.release()  # granted just before the cancellation: pass it on
            elif waiter in self._queue:  # a release may have dropped it already
                self._queue.remove(waiter)
            raise

    def release(self) -> None:
        """Give ``key``'s slot back: to the head of the queue, else to the free pool."""
        while self._queue:
            head = self._queue.pop(0)
            if not head.granted.done():
                head.granted.set_result(None)
                return
        self._free += 1

    def position(self, key: str) -> int:
        """1-based place of ``key`` in the queue; 0 when it is not waiting (running or done)."""
        for index, waiter in enumerate(self._queue):
            if waiter.key == key:
                return index + 1
        return 0

    @property
    def full(self) -> bool:
        """Whether a new request would have to wait."""
        return self._free <= 0 or bool(self._queue)

    @property
    def queue_length(self) -> int:
        """How many instances wait for a slot."""
        return len(self._queue)
