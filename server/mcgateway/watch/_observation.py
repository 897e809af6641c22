"""One observed state of an instance, and the messages built from it once for everyone."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2

from mcgateway.domain import Instance, TaskProgress
from mcgateway.wire import (
    instance_to_proto,
    progress_to_proto,
    timestamp_from_datetime,
)

__all__ = ["EventKind", "Observation", "next_sequence"]


_Event = instance_service_pb2.WatchInstanceResponse.EventType


class EventKind:
    """Event types of WatchInstance, with the values of ``WatchInstanceResponse.EventType``.

    The names follow the domain's "status" (MaxCompute's word); on the wire STATUS_CHANGED is
    ``STATE_CHANGED`` and TASK_STATUS_CHANGED is ``TASK_STATE_CHANGED``.
    """

    SNAPSHOT: int = int(_Event.SNAPSHOT)
    STATUS_CHANGED: int = int(_Event.STATE_CHANGED)
    TASK_STATUS_CHANGED: int = int(_Event.TASK_STATE_CHANGED)
    PROGRESS: int = int(_Event.PROGRESS)
    HEARTBEAT: int = int(_Event.HEARTBEAT)
    TERMINAL: int = int(_Event.TERMINAL)


def next_sequence(previous: int) -> int:
    """The sequence after ``previous``: the wall clock in microseconds, or previous + 1.

    A hybrid logical clock rather than a plain counter, so sequences keep increasing when a
    poller restarts or a client reconnects to another gateway (give or take clock skew).
    """
    return max(previous + 1, time.time_ns() // 1000)


@dataclass(slots=True, kw_only=True, eq=False)
class Observation:
    """An immutable observation: the instance with its tasks, progress, and whether it is
    stale. Response messages are built lazily, once per (event type, progress or not), and
    shared by every subscriber that sends them."""

    sequence: int
    observe_time: datetime
    instance: Instance
    progress: tuple[TaskProgress, ...]
    failure_message: str | None
    stale: bool
    _instance_pb: instance_pb2.Instance | None = field(default=None, init=False, repr=False)
    _messages: dict[tuple[int, bool], instance_service_pb2.WatchInstanceResponse] = field(
        default_factory=dict, init=False, repr=False
    )
    _encoded: dict[tuple[int, bool], bytes] = field(default_factory=dict, init=False, repr=False)
    _wait_response: instance_service_pb2.WaitInstanceResponse | None = field(
        default=None, init=False, repr=False
    )

    @property
    def terminated(self) -> bool:
        """Whether the instance had terminated in this observation."""
        return self.instance.is_terminated

    def instance_pb(self) -> instance_pb2.Instance:
        """The ``Instance`` message of this state (built once)."""
        if self._instance_pb is None:
            # The poller reads the tasks with every state it observes.
            self._instance_pb = instance_to_proto(
                self.instance, tasks_read=True, failure_message=self.failure_message
            )
        return self._instance_pb

    def message(self, kind: int, with_progress: bool) -> instance_service_pb2.WatchInstanceResponse:
        """The WatchInstance response for this state and event type (built once)."""
        key = (kind, with_progress)
        message = self._messages.get(key)
        if message is None:
            message = self._messages[key] = self._build(kind, with_progress)
        return message

    def _build(self, kind: int, with_progress: bool) -> instance_service_pb2.WatchInstanceResponse:
        return instance_service_pb2.WatchInstanceResponse(
            event_type=kind,  # type: ignore[arg-type]
            sequence=self.sequence,
            observe_time=timestamp_from_datetime(self.observe_time),
            instance=self.instance_pb(),
            progress=[progress_to_proto(p) for p in self.progress] if with_progress else (),
            stale=self.stale,
        )

    def encoded(self, kind: int, with_progress: bool) -> bytes:
        """:meth:`message` serialized, once for every stream that sends it: fan-out writes
        these bytes as they are (the streaming handlers' serializer passes bytes through)."""
        key = (kind, with_progress)
        data = self._encoded.get(key)
        if data is None:
            # Only the bytes are kept: a stream never needs the message object again.
            message = self._messages.get(key) or self._build(kind, with_progress)
            data = self._encoded[key] = message.SerializeToString()
        return data

    def wait_response(self) -> instance_service_pb2.WaitInstanceResponse:
        """The WaitInstance response for this state (built once)."""
        if self._wait_response is None:
            self._wait_response = instance_service_pb2.WaitInstanceResponse(
                instance=self.instance_pb()
            )
        return self._wait_response
