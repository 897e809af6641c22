"""Logview links, in the form PyODPS would choose (maxcompute-rest.md §5.11).

Job insight (``{host}/{region}/job-insights?h=..&p=..&i=..``, no token) when legacy logview
is not forced and both a job-insight host and a region are known; otherwise the legacy
form with a bearer token signed by the server for the instance. Hosts are discovered once
per client from ``/webconsole/host`` and ``/logview/host`` unless configured.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from mcgateway.domain import LogviewAddress, LogviewKind
from mcgateway.maxcompute._config import DEFAULT_LOGVIEW_HOST, ClientConfig
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import MaxComputeError
from mcgateway.maxcompute._jobs import logview_token_body
from mcgateway.maxcompute._parsing import parse_authorization_token
from mcgateway.maxcompute._requester import Requester

__all__ = ["LogviewLinks", "job_insight_released"]

# Side endpoints are a nicety: never let their discovery eat a caller's whole deadline.
_DISCOVERY_TIMEOUT = 5.0


def job_insight_released(endpoint: str) -> bool:
    """PyODPS asks for a job-insight host for any host name that is not a bare IP address."""
    host = urlparse(endpoint).hostname
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


class LogviewLinks:
    """Builds logview addresses and caches the discovered hosts. Thread-safe."""

    def __init__(self, requester: Requester, config: ClientConfig) -> None:
        self._requester = requester
        self._config = config
        self._lock = threading.Lock()
        self._logview_host = config.logview_host
        self._job_insight_host = config.job_insight_host
        self._job_insight_checked = config.job_insight_host is not None

    def address(
        self, project: str, instance_id: str, hours: int | None, deadline: Deadline
    ) -> LogviewAddress:
        """The logview address of one instance (names already validated)."""
        endpoint = self._requester.endpoint
        region = self._requester.region
        if self._config.use_legacy_logview is not True:
            job_insight_host = self._discover_job_insight_host(deadline)
            if job_insight_host and region:
                url = (
                    f"{job_insight_host}/{region}/job-insights?h={endpoint}"
                    f"&p={project}&i={instance_id}"
                )
                return LogviewAddress(url=url, kind=LogviewKind.JOB_INSIGHT)
        hours = hours or self._config.logview_hours
        if hours <= 0:
            raise ValueError("hours must be positive")
        resp = self._requester.call(
            "get_logview_token",
            "POST",
            ["projects", project, "authorization"],
            actions=["sign_bearer_token"],
            body=logview_token_body(project, instance_id, hours),
            content_type="application/json",
            project=project,
            instance_id=instance_id,
            deadline=deadline,
            # Signing a token changes nothing on the server, so it may be retried.
            idempotent=True,
        )
        token = self._requester.parse("get_logview_token", resp, parse_authorization_token)
        host = self._discover_logview_host(deadline)
        # No encoding of the query, exactly as PyODPS writes the link.
        url = f"{host}/logview/?h={endpoint}&p={project}&i={instance_id}&token={token}"
        return LogviewAddress(
            url=url,
            kind=LogviewKind.LEGACY,
            token=token,
            expires_at=datetime.now(UTC) + timedelta(hours=hours),
        )

    def _discover_logview_host(self, deadline: Deadline) -> str:
        with self._lock:
            if self._logview_host:
                return self._logview_host
        host = self._side_text("get_logview_host", ["logview", "host"], deadline)
        host = (host or DEFAULT_LOGVIEW_HOST).rstrip("/")
        with self._lock:
            self._logview_host = host
        return host

    def _discover_job_insight_host(self, deadline: Deadline) -> str | None:
        with self._lock:
            if self._job_insight_checked:
                return self._job_insight_host
        released = job_insight_released(self._requester.endpoint)
        if not released and self._config.use_legacy_logview is not False:
            host = None
        else:
            host = self._side_text("get_job_insight_host", ["webconsole", "host"], deadline)
        with self._lock:
            self._job_insight_host = host.rstrip("/") if host else None
            self._job_insight_checked = True
            return self._job_insight_host

    def _side_text(self, operation: str, segments: Sequence[str], deadline: Deadline) -> str | None:
        """A plain-text side endpoint; any failure means "unknown", as in PyODPS."""
        try:
            resp = self._requester.call(
                operation, "GET", segments, deadline=deadline.earlier(_DISCOVERY_TIMEOUT)
            )
        except MaxComputeError:
            return None
        text = resp.body.decode("utf-8", errors="replace").strip()
        if not text.startswith(("http://", "https://")) or any(c.isspace() for c in text):
            return None
        return text
