"""Request validation: every field is checked before any upstream call.

Each function returns the cleaned value or raises :class:`~mcgateway.errors.InvalidArgument`
listing every bad field (``google.rpc.BadRequest`` field violations), so a client fixes all
mistakes in one round trip. Identifier syntax comes from the REST client's validators, so
the gateway never accepts a name the client would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from google.protobuf import duration_pb2, timestamp_pb2

from mcgateway import maxcompute as mc
from mcgateway import wire
from mcgateway.errors import InvalidArgument

__all__ = [
    "DEFAULT_LOGVIEW_HOURS",
    "DEFAULT_LOG_BYTES",
    "DEFAULT_PAGE_SIZE",
    "MAX_HINTS",
    "MAX_HINT_KEY_LENGTH",
    "MAX_HINT_VALUE_LENGTH",
    "MAX_LOGVIEW_HOURS",
    "MAX_LOG_BYTES",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_BYTES",
    "JobSettings",
    "SqlJobPlacement",
    "SubmitOptions",
    "Violations",
    "check_duration",
    "check_hints",
    "check_instance_id",
    "check_log_id",
    "check_log_size",
    "check_logview_ttl",
    "check_page_size",
    "check_parameters",
    "check_priority",
    "check_project",
    "check_quota_index",
    "check_request_id",
    "check_sql_job_placement",
    "check_state_filter",
    "check_submit_options",
    "check_task_name",
    "check_timestamp",
    "check_xflow_name",
    "normalize_query",
    "resolve_project",
]

DEFAULT_PAGE_SIZE = 100
"""Page size of every List when the request says 0."""
MAX_PAGE_SIZE = 1000
"""Larger page sizes are lowered to this (AIP-158 coercion)."""
DEFAULT_LOGVIEW_HOURS = 720
"""PyODPS's default Logview token lifetime (30 days)."""
MAX_LOGVIEW_HOURS = 2160
"""Longest Logview token lifetime accepted (90 days)."""
MAX_QUERY_BYTES = 1024 * 1024
"""Largest SQL text accepted, in UTF-8 bytes."""
MAX_HINT_KEY_LENGTH = 256
MAX_HINT_VALUE_LENGTH = 4096
MAX_HINTS = 256
"""At most this many hints or XFlow parameters per submission."""
DEFAULT_LOG_BYTES = 1024 * 1024
"""Bytes of a worker log GetWorkerLog returns when the request says 0 (1 MiB)."""
MAX_LOG_BYTES = 2 * 1024 * 1024
"""Most bytes of a worker log one GetWorkerLog returns (2 MiB): well inside gRPC's default
4 MiB message limit of every client."""
MAX_PARAMETER_VALUE_LENGTH = 65536
"""Longest XFlow parameter value (they can hold whole column lists)."""

_HINT_KEY = re.compile(r"[A-Za-z0-9._:\-]{1,256}")
# RFC 9562's canonical text of a version 4 (random) UUID: 8-4-4-4-12 hex digits, version
# nibble 4, variant 10xx (8, 9, a or b). Hex digits in either case, as the RFC allows on input.
_UUID4 = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
)


class Violations:
    """Collects ``(field, description)`` pairs and raises them together."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, description: str) -> None:
        """Record one bad field."""
        self.items.append((field, description))

    def raise_if_any(self) -> None:
        """Raise :class:`InvalidArgument` when anything was recorded."""
        if self.items:
            raise InvalidArgument(self.items)


def resolve_project(project: str, default: str | None) -> str:
    """The request's project, or the gateway's default when empty (not validated here)."""
    if project:
        return project
    if default:
        return default
    raise InvalidArgument([("project", "required: this gateway has no default project")])


def check_project(violations: Violations, project: str, field: str = "project") -> None:
    """Record a violation when ``project`` is not a valid MaxCompute project name."""
    try:
        mc.validate_project_name(project)
    except mc.InvalidIdentifier as exc:
        violations.add(field, str(exc))


def check_instance_id(violations: Violations, instance_id: str, field: str = "instance_id") -> None:
    """Record a violation when ``instance_id`` is empty or malformed."""
    _check_required(violations, instance_id, field, mc.validate_instance_id)


def check_task_name(violations: Violations, task_name: str, field: str = "task_name") -> None:
    """Record a violation when ``task_name`` is empty or malformed."""
    _check_required(violations, task_name, field, mc.validate_task_name)


def _check_required(
    violations: Violations, value: str, field: str, validate: Callable[[object], str]
) -> None:
    if not value:
        violations.add(field, "required")
        return
    try:
        validate(value)
    except mc.InvalidIdentifier as exc:
        violations.add(field, str(exc))


def check_log_id(violations: Violations, log_id: str, field: str = "log_id") -> None:
    """Record a violation when ``log_id`` is empty or not 1-1024 printable characters
    without spaces."""
    _check_required(violations, log_id, field, mc.validate_log_id)


def check_log_size(violations: Violations, value: int, field: str = "max_size_bytes") -> int:
    """Bytes of a worker log to return: 0 → :data:`DEFAULT_LOG_BYTES`; negative or above
    :data:`MAX_LOG_BYTES` is a violation that states the bound."""
    if value == 0:
        return DEFAULT_LOG_BYTES
    if not 0 < value <= MAX_LOG_BYTES:
        violations.add(
            field,
            f"must be 1 to {MAX_LOG_BYTES} bytes (2 MiB, the gateway's bound), or 0 for "
            f"{DEFAULT_LOG_BYTES} (got {value})",
        )
        return DEFAULT_LOG_BYTES
    return value


def check_quota_index(violations: Violations, value: str, field: str = "quota_index") -> None:
    """An empty quota index means every quota; otherwise it has a quota name's syntax."""
    if value and not _valid(lambda v: mc.validate_quota_name(v, "quota index"), value):
        violations.add(
            field, "must be 1 to 128 letters, digits and _.- starting with one of the first two"
        )


def check_page_size(violations: Violations, value: int) -> int:
    """AIP-158: 0 → the default, negative → a violation, above the max → the max."""
    if value < 0:
        violations.add("page_size", f"must not be negative (got {value})")
        return DEFAULT_PAGE_SIZE
    if value == 0:
        return DEFAULT_PAGE_SIZE
    return min(value, MAX_PAGE_SIZE)


def check_state_filter(violations: Violations, value: int) -> None:
    """Record a violation when an ``Instance.State`` filter is not a known value (proto3 enums
    accept any number on the wire)."""
    if value not in wire.INSTANCE_STATE_FROM_PROTO:
        violations.add("state_filter", f"unknown state value {value}")


def check_logview_ttl(violations: Violations, value: duration_pb2.Duration) -> int:
    """Hours of a Logview token lifetime: unset or zero → 720 (PyODPS's default); otherwise
    a whole number of hours from 1 to 2160 (MaxCompute's unit is the hour)."""
    if value.seconds == 0 and value.nanos == 0:
        return DEFAULT_LOGVIEW_HOURS
    hours, rest = divmod(value.seconds, 3600)
    if value.seconds < 0 or value.nanos < 0 or rest or value.nanos:
        violations.add(
            "ttl",
            f"must be a whole number of hours from 1 h to {MAX_LOGVIEW_HOURS} h, or unset "
            f"for {DEFAULT_LOGVIEW_HOURS} h",
        )
        return DEFAULT_LOGVIEW_HOURS
    if hours > MAX_LOGVIEW_HOURS:
        violations.add("ttl", f"must be at most {MAX_LOGVIEW_HOURS} h (got {hours} h)")
        return DEFAULT_LOGVIEW_HOURS
    return hours


def check_duration(
    violations: Violations,
    value: duration_pb2.Duration,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """Seconds of a Duration (0 when unset); negative or out-of-range values are violations.

    Zero always passes (it means "default" in this API); ``minimum``/``maximum`` apply to
    positive values.
    """
    if value.seconds < 0 or value.nanos < 0:
        violations.add(field, "must not be negative")
        return 0.0
    if value.nanos >= 1_000_000_000:
        violations.add(field, "nanos must be below 1e9")
        return 0.0
    seconds = value.seconds + value.nanos / 1e9
    if seconds == 0:
        return 0.0
    if minimum is not None and seconds < minimum:
        violations.add(field, f"must be 0 or at least {minimum:g} s")
    if maximum is not None and seconds > maximum:
        violations.add(field, f"must be at most {maximum:g} s")
    return seconds


MAX_TIMESTAMP_SECONDS = 253402300799
"""9999-12-31T23:59:59Z, the largest valid ``google.protobuf.Timestamp``."""


def check_timestamp(violations: Violations, value: timestamp_pb2.Timestamp, field: str) -> bool:
    """Record a violation for a Timestamp before 1970, after 9999 or with bad nanos."""
    if not 0 <= value.seconds <= MAX_TIMESTAMP_SECONDS:
        violations.add(field, "must be between 1970-01-01 and 9999-12-31")
        return False
    if not 0 <= value.nanos < 1_000_000_000:
        violations.add(field, "nanos must be 0 to 999999999")
        return False
    return True


def normalize_query(violations: Violations, query: str, field: str = "query") -> str:
    """Strip the SQL text and append ``;`` when missing; it must be 1 byte to 1 MiB."""
    text = query.strip()
    if not text:
        violations.add(field, "required: the SQL text is empty")
        return text
    size = len(text.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        violations.add(field, f"is {size} bytes; at most {MAX_QUERY_BYTES} are accepted")
        return text
    if not text.endswith(";"):
        text += ";"
    return text


def check_hints(
    violations: Violations, hints: Mapping[str, str], field: str = "hints"
) -> dict[str, str]:
    """Hint keys are 1-256 chars of letters, digits and ``._-:``; values at most 4096 chars."""
    if len(hints) > MAX_HINTS:
        violations.add(field, f"at most {MAX_HINTS} entries are accepted")
    for key in sorted(hints):
        value = hints[key]
        if _HINT_KEY.fullmatch(key) is None:
            shown = key if len(key) <= 40 else key[:37] + "..."
            violations.add(
                f"{field}[{shown!r}]",
                "key must be 1 to 256 characters of letters, digits and ._-:",
            )
        if len(value) > MAX_HINT_VALUE_LENGTH:
            violations.add(
                f"{field}[{key[:40]!r}]", f"value longer than {MAX_HINT_VALUE_LENGTH} characters"
            )
    return dict(hints)


def check_parameters(violations: Violations, parameters: Mapping[str, str]) -> dict[str, str]:
    """XFlow parameters: non-empty keys of letters, digits and ``._-:``; bounded values."""
    if len(parameters) > MAX_HINTS:
        violations.add("parameters", f"at most {MAX_HINTS} entries are accepted")
    for key in sorted(parameters):
        if _HINT_KEY.fullmatch(key) is None:
            violations.add(
                f"parameters[{key[:40]!r}]",
                "key must be 1 to 256 characters of letters, digits and ._-:",
            )
        if len(parameters[key]) > MAX_PARAMETER_VALUE_LENGTH:
            violations.add(
                f"parameters[{key[:40]!r}]",
                f"value longer than {MAX_PARAMETER_VALUE_LENGTH} characters",
            )
    return dict(parameters)


def check_xflow_name(violations: Violations, name: str) -> None:
    """The XFlow name is required and looks like an identifier (``AppendID``)."""
    if not name:
        violations.add("xflow_name", "required")
    elif not _valid(mc.validate_xflow_name, name):
        violations.add("xflow_name", "must be letters, digits and _.- starting with a letter")


class JobSettings(Protocol):
    """The job settings of a submission: a SubmitSql ``SqlJob`` or a SubmitXflowRequest."""

    @property
    def hints(self) -> Mapping[str, str]:
        """Job settings."""
        ...

    @property
    def priority(self) -> int:
        """Job priority when set."""
        ...

    def HasField(self, field_name: Literal["priority"], /) -> bool:
        """Whether an optional field is set."""
        ...


@dataclass(frozen=True)
class SubmitOptions:
    """Checked options of a submission."""

    hints: dict[str, str]
    priority: int | None
    request_id: str | None
    """The caller's idempotency key in lower case, or ``None`` for none."""


def check_submit_options(
    violations: Violations, settings: JobSettings, request_id: str, *, prefix: str = ""
) -> SubmitOptions:
    """Hints, priority (``None`` when unset) and request id of a SubmitSql/SubmitXflow call;
    ``prefix`` is the path of ``settings`` in the request (``job.`` for a SqlJob)."""
    hints = check_hints(violations, settings.hints, f"{prefix}hints")
    priority = settings.priority if settings.HasField("priority") else None
    check_priority(violations, priority, f"{prefix}priority")
    return SubmitOptions(hints, priority, check_request_id(violations, request_id))


class SqlPlacement(Protocol):
    """Where a SqlJob runs: its quota and cluster (empty: the project's defaults)."""

    @property
    def quota_name(self) -> str:
        """The quota to run in."""
        ...

    @property
    def running_cluster(self) -> str:
        """The cluster to run on."""
        ...

    @property
    def hints(self) -> Mapping[str, str]:
        """Job settings (one of them may name the quota as well)."""
        ...


@dataclass(frozen=True)
class SqlJobPlacement:
    """Checked quota and running cluster of a SqlJob (``None``: the project's default)."""

    quota_name: str | None
    running_cluster: str | None


def check_sql_job_placement(
    violations: Violations, job: SqlPlacement, *, prefix: str = "job."
) -> SqlJobPlacement:
    """A SqlJob's ``quota_name`` and ``running_cluster``: empty or 1-128 letters, digits and
    ``_.-`` starting with a letter or digit; a ``hints`` entry naming another quota
    (``odps.task.wlm.quota``) is a violation, since the job could run in only one."""
    quota = job.quota_name or None
    cluster = job.running_cluster or None
    rule = "must be 1 to 128 letters, digits and _.- starting with a letter or digit, or empty"
    if quota is not None and not _valid(mc.validate_quota_name, quota):
        violations.add(f"{prefix}quota_name", rule)
    if cluster is not None and not _valid(
        lambda v: mc.validate_quota_name(v, "running cluster"), cluster
    ):
        violations.add(f"{prefix}running_cluster", rule)
    hinted = job.hints.get(mc.QUOTA_SETTING)
    if quota is not None and hinted is not None and hinted != quota:
        violations.add(
            f"{prefix}quota_name",
            f"differs from hints[{mc.QUOTA_SETTING!r}] ({hinted!r}); set the quota once",
        )
    return SqlJobPlacement(quota, cluster)


def check_priority(violations: Violations, priority: int | None, field: str = "priority") -> None:
    """Priorities are 0 (highest) to 9."""
    if priority is not None and not 0 <= priority <= 9:
        violations.add(field, f"must be 0 to 9 (got {priority})")


def check_request_id(violations: Violations, request_id: str) -> str | None:
    """Empty → ``None``; otherwise a version 4 UUID in its canonical 36-character text
    (AIP-155), returned in lower case.

    Case does not make another UUID, so ``ABC…`` and ``abc…`` are one request: a retry
    that changes the case still finds the first call's instance.
    """
    if not request_id:
        return None
    if _UUID4.fullmatch(request_id) is None:
        violations.add(
            "request_id",
            "must be a version 4 UUID in its 36-character form, such as "
            "3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60, or empty",
        )
        return None
    return request_id.lower()


def _valid(validate: Callable[[object], str], value: str) -> bool:
    """Whether the REST client's ``validate`` accepts ``value`` (one syntax rule each)."""
    try:
        validate(value)
    except mc.InvalidIdentifier:
        return False
    return True
