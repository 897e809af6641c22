"""Watching instances: one shared upstream poller per instance, fanned out to subscribers.

``WatchHub`` owns the pollers (per instance) and listers (per project filter) and the
upstream rate limit; ``WatchRpcs`` implements WaitInstance, WatchInstance and
WatchInstances on top of it for the gateway's servicer.
"""

from mcgateway.watch._hub import WatchHub
from mcgateway.watch._ratelimit import TokenBucket
from mcgateway.watch._rpcs import HEARTBEAT_MAX, HEARTBEAT_MIN, WatchRpcs
from mcgateway.watch._settings import WatchSettings
from mcgateway.watch._upstream import WatchUpstream

__all__ = [
    "HEARTBEAT_MAX",
    "HEARTBEAT_MIN",
    "TokenBucket",
    "WatchHub",
    "WatchRpcs",
    "WatchSettings",
    "WatchUpstream",
]
