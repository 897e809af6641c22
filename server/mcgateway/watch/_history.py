"""The event history of a project lister, so a broken WatchInstances stream resumes.

Every event a lister emits after its first listing gets the next version of the lister's
history; the history keeps the last ``resume_history_events`` events and the known
instances. A resume version names the history (a random ``epoch``) and a version in it:
``3f9a1c2b.42``. A stream resumed from version 42 gets every event after 42 from the
history, if it still holds them. The hub keeps the history of a lister that stopped (its
last watcher left) for ``resume_retention`` seconds and hands it to the next lister of the
same project and filter, which continues the versions: a dashboard that reconnects to the
same gateway process resumes, even when it was the only watcher. Histories live in one
process: a version from another process (or an expired one) cannot be resumed from.
"""

from __future__ import annotations

import re
import secrets
from collections import deque

from google.protobuf.timestamp_pb2 import Timestamp
from maxcompute.gateway.v1 import instance_pb2

from mcgateway.domain import Instance

__all__ = [
    "ListerHistory",
    "ProjectEvent",
    "ResumeTooOld",
    "format_resume_version",
    "parse_resume_version",
]

ProjectEvent = tuple[int, instance_pb2.Instance | None, Timestamp, int]
"""(event type, the instance message or None, observation time, version), shared by every
subscriber. The version is -1 for an ADDED event of an initial snapshot (not resumable)."""

_VERSION = re.compile(r"([0-9a-f]{8,32})\.(\d{1,18})")


def format_resume_version(epoch: str, version: int) -> str:
    """The opaque text of ``version`` of the history ``epoch``."""
    return f"{epoch}.{version}"


def parse_resume_version(text: str) -> tuple[str, int]:
    """(epoch, version) of a resume version; ``ValueError`` when it is not one."""
    match = _VERSION.fullmatch(text)
    if match is None:
        raise ValueError(f"not a resume version: {text[:80]!r}")
    return match.group(1), int(match.group(2))


class ResumeTooOld(Exception):
    """The history no longer holds the events after the requested version (or another
    process, or an expired history, issued it): the watcher must list again."""

    def __init__(self, project: str, resume_version: str) -> None:
        super().__init__(
            f"this gateway no longer holds the events of project {project!r} after resume "
            f"version {resume_version!r} (it keeps a bounded history, for a while, per "
            "gateway process); watch again without resume_version for a new snapshot"
        )
        self.project = project
        self.resume_version = resume_version


class ListerHistory:
    """The versioned events and known instances of one project filter (see the module)."""

    __slots__ = ("epoch", "events", "known", "observed", "version")

    def __init__(self, capacity: int) -> None:
        self.epoch = secrets.token_hex(4)
        """Names this history in resume versions."""
        self.version = 0
        """The version of the newest event (0 before any)."""
        self.events: deque[tuple[str, ProjectEvent]] = deque(maxlen=max(1, capacity))
        """The newest events, oldest first, each with the id of its instance."""
        self.known: dict[str, tuple[Instance, instance_pb2.Instance]] | None = None
        """The instances the lister follows (None before its first listing)."""
        self.observed = Timestamp()
        """When the known instances were last listed."""

    def record(
        self, instance_id: str, kind: int, message: instance_pb2.Instance | None, at: Timestamp
    ) -> ProjectEvent:
        """Give an event the next version and keep it; returns the event."""
        self.version += 1
        event: ProjectEvent = (kind, message, at, self.version)
        self.events.append((instance_id, event))
        return event

    @property
    def floor(self) -> int:
        """The oldest version the history can resume from: every event after it is held."""
        return self.events[0][1][3] - 1 if self.events else self.version

    def covers(self, version: int) -> bool:
        """Whether every event after ``version`` is held (and ``version`` is not ahead)."""
        return self.floor <= version <= self.version

    def after(self, version: int) -> list[tuple[str, ProjectEvent]]:
        """The held events after ``version``, oldest first."""
        return [(i, e) for i, e in self.events if e[3] > version]

    def resume_version(self, version: int) -> str:
        """The opaque text of ``version`` of this history ("" for -1, a snapshot event)."""
        return "" if version < 0 else format_resume_version(self.epoch, version)
