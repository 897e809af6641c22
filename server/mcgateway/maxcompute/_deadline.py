"""The caller's deadline, carried through every upstream call."""

from __future__ import annotations

import time
from dataclasses import dataclass

__all__ = ["Deadline"]


@dataclass(frozen=True)
class Deadline:
    """An absolute point on the ``time.monotonic()`` clock by which a call must finish.

    Build one from the remaining seconds of the caller (``Deadline.after(
    remaining)``) or from an absolute monotonic time (``Deadline.at(t)``).
    ``None`` seconds means "no deadline" (``Deadline.never()``); the client then applies its
    configured default timeout instead.
    """

    expires_at: float
    """Absolute ``time.monotonic()`` value; ``math.inf`` for no deadline."""

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """A deadline ``seconds`` from now (``None`` means never)."""
        if seconds is None:
            return cls.never()
        return cls(time.monotonic() + max(0.0, seconds))

    @classmethod
    def at(cls, monotonic_time: float) -> Deadline:
        """A deadline at an absolute ``time.monotonic()`` value."""
        return cls(monotonic_time)

    @classmethod
    def never(cls) -> Deadline:
        """A deadline that never expires."""
        return cls(float("inf"))

    def remaining(self) -> float:
        """Seconds left, never negative (``inf`` for no deadline)."""
        return max(0.0, self.expires_at - time.monotonic())

    @property
    def expired(self) -> bool:
        """True once no time is left."""
        return self.remaining() <= 0.0

    def earlier(self, seconds: float) -> Deadline:
        """This deadline or one ``seconds`` from now, whichever comes first."""
        other = time.monotonic() + max(0.0, seconds)
        return self if self.expires_at <= other else Deadline(other)
