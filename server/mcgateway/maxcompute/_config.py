"""Configuration of one upstream: endpoint, credentials, timeouts and policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mcgateway.maxcompute._credentials import Credentials
from mcgateway.maxcompute._policy import PollPolicy, RetryPolicy

__all__ = ["DEFAULT_LOGVIEW_HOST", "DEFAULT_USER_AGENT", "ClientConfig"]

DEFAULT_USER_AGENT = "mcgateway/0.1.0"
DEFAULT_LOGVIEW_HOST = "http://logview.aliyun.com"


@dataclass(frozen=True)
class ClientConfig:
    """Configuration of one upstream (endpoint + credentials)."""

    endpoint: str
    """Base URL including the path prefix, e.g. ``http://service.cn-hangzhou.maxcompute.aliyun.com/api``."""
    credentials: Credentials
    """AccessKey pair (and STS token); see :meth:`Credentials.from_env`."""
    default_project: str | None = None
    """Sent as ``curr_project`` on every request, as PyODPS does; default ``None`` means the
    project of each request."""
    region: str | None = None
    """Region for v4 signing. Default ``None`` derives it from the endpoint host as PyODPS
    does (none for IPs, localhost and ``service.odps.aliyun.com``, which then sign v2)."""
    enable_v4_sign: bool = True
    """Sign v4 when a region is known (default True, as PyODPS's ``options.enable_v4_sign``)."""
    namespace: str | None = None
    """Sent (and signed) as ``x-odps-namespace-id`` when set; default ``None``."""
    user_agent: str = DEFAULT_USER_AGENT
    """``User-Agent`` and signed ``x-odps-user-agent`` value (default ``mcgateway/<version>``)."""
    pool_size: int = 16
    """Keep-alive connections kept to the upstream (default 16); size it to the gateway's
    upstream concurrency (its executor size) so no call waits for a socket."""
    connect_timeout: float = 5.0
    """Cap of the TCP connect timeout (default 5 s); the deadline may make it shorter."""
    read_timeout: float = 60.0
    """Cap of the per-request read timeout (default 60 s); the deadline may make it shorter."""
    default_timeout: float = 60.0
    """Overall budget of a call made without a deadline (default 60 s)."""
    max_body_bytes: int = 64 * 1024 * 1024
    """Largest response body read (default 64 MiB). A larger one fails with
    ``ResponseTooLarge`` (not retried) once this much was read, or before any of it when
    ``Content-Length`` says so, and its connection is closed: no answer, however large or
    endless, holds more memory than this."""
    project_credentials: Mapping[str, Credentials] = field(default_factory=dict)
    """Credentials of their own for some projects (default none): requests about such a
    project are signed with them, so that project's MaxCompute ACL decides what they may do;
    every other request uses :attr:`credentials`."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Retries of idempotent requests (see :class:`RetryPolicy`)."""
    poll: PollPolicy = field(default_factory=PollPolicy)
    """Cadence of :meth:`MaxComputeClient.wait_instance` (see :class:`PollPolicy`)."""
    logview_host: str | None = None
    """Legacy logview host; default ``None`` asks ``GET {endpoint}/logview/host`` once and
    falls back to ``http://logview.aliyun.com``, as PyODPS does."""
    job_insight_host: str | None = None
    """Job-insight host; default ``None`` asks ``GET {endpoint}/webconsole/host`` once when
    PyODPS would (non-IP hosts, unless legacy logview is forced)."""
    use_legacy_logview: bool | None = None
    """PyODPS's ``options.use_legacy_logview``: ``True`` forces the token link, ``False``
    forces job insight, default ``None`` lets host and region decide."""
    logview_hours: int = 720
    """Lifetime of legacy logview tokens in hours (default 720 = 30 days, as PyODPS)."""
    create_read_share: float = 0.5
    """Share of the remaining deadline a create request may wait for its answer (default
    half), so an ambiguous failure leaves time to look for the instance it may have made."""
    create_lookup_timeout: float = 30.0
    """Longest search for an ambiguously created instance (default 30 s), within the deadline."""
    create_lookup_limit: int = 200
    """Most recent instances whose job is read per search pass (default 200)."""
    clock_skew_allowance: float = 120.0
    """How much earlier than our clock the server may stamp an instance (default 2 min)."""

    def __post_init__(self) -> None:
        if self.pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        for name in ("connect_timeout", "read_timeout", "default_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if not 0 < self.create_read_share <= 1:
            raise ValueError("create_read_share must be in (0, 1]")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        if self.logview_hours <= 0 or self.create_lookup_limit < 1:
            raise ValueError("logview_hours and create_lookup_limit must be positive")

    def credentials_for(self, project: str | None) -> Credentials:
        """The credentials that sign requests about ``project``."""
        if project is not None:
            own = self.project_credentials.get(project)
            if own is not None:
                return own
        return self.credentials
