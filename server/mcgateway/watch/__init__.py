"""The watch engine: one shared upstream poller per instance, fanned out to subscribers.

:class:`WatchHub` owns the pollers (per instance) and listers (per project filter) and the
upstream rate limit; subscribers take :class:`Observation` states from their buffers. The
engine knows nothing of gRPC calls: the service layer's ``watch_rpcs`` turns WaitInstance,
WatchInstance and WatchInstances into subscriptions. It reads MaxCompute only through
:class:`~mcgateway.upstream.Upstream`.
"""

from mcgateway.watch._history import (
    ListerHistory,
    ProjectEvent,
    ResumeTooOld,
    format_resume_version,
    parse_resume_version,
)
from mcgateway.watch._hub import HubClosed, PollerLimit, WatchHub
from mcgateway.watch._lister import ProjectKind, ProjectSubscription
from mcgateway.watch._observation import EventKind, Observation
from mcgateway.watch._ratelimit import TokenBucket
from mcgateway.watch._settings import WatchSettings
from mcgateway.watch._subscription import Subscription, SubscriptionClosed

__all__ = [
    "EventKind",
    "HubClosed",
    "ListerHistory",
    "Observation",
    "PollerLimit",
    "ProjectEvent",
    "ProjectKind",
    "ProjectSubscription",
    "ResumeTooOld",
    "Subscription",
    "SubscriptionClosed",
    "TokenBucket",
    "WatchHub",
    "WatchSettings",
    "format_resume_version",
    "parse_resume_version",
]
