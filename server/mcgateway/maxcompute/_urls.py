"""Identifier validation and URL building: every URL stays under the endpoint.

The gateway validates its input with the same functions, so a name the client would refuse
never reaches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlparse

# Exactly the public identifier rules: ``mcgateway.maxcompute`` re-exports this list whole.
# ``build_url`` and ``normalize_endpoint`` are package-internal (the requester's) and stay out.
__all__ = [
    "INSTANCE_ID_PATTERN",
    "LOG_ID_PATTERN",
    "PROJECT_NAME_PATTERN",
    "QUOTA_NAME_PATTERN",
    "REQUEST_ID_PATTERN",
    "TASK_NAME_PATTERN",
    "XFLOW_NAME_PATTERN",
    "InvalidIdentifier",
    "validate_instance_id",
    "validate_log_id",
    "validate_project_name",
    "validate_quota_name",
    "validate_request_id",
    "validate_task_name",
    "validate_xflow_name",
]

PROJECT_NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,127}")
"""A letter, then letters, digits and ``_``; 3-128 characters.

MaxCompute documents 3-28 characters for new projects; older projects are longer, so the
upper bound is generous. Nothing here needs escaping in a URL, but segments are encoded
anyway.
"""

INSTANCE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,127}")
"""Instance ids are opaque; observed ones are digits plus a lower-case suffix
(``20160519101349613gzbzufck2``), MCQA ones end in ``_mcqa``."""

TASK_NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,254}")
"""Task names such as ``AnonymousSQLTask`` or ``jdbc_sql_task``; they travel as query values."""

XFLOW_NAME_PATTERN = TASK_NAME_PATTERN
"""XFlow (PAI algorithm) names such as ``AppendID``: the same syntax as task names."""

QUOTA_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")
"""Quota names (``os_PayAsYouGoQuota``), quota indexes and running clusters (``AY100G``): a
letter or digit, then letters, digits and ``_.-``; 1-128 characters. They travel as a
setting, an XML element or a query value."""

LOG_ID_PATTERN = re.compile(r"[\x21-\x7e]{1,1024}")
"""Worker log ids as ``?detail`` reports them: opaque, 1-1024 printable ASCII characters
without spaces; they travel as a query value (percent-encoded)."""

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9_\-]{1,64}")
"""Caller idempotency keys: at most 64 letters, digits, ``-`` and ``_`` (the gateway's v1
contract accepts only UUID4s, which fit); written into the job as ``Guid``."""


class InvalidIdentifier(ValueError):
    """A project name, instance id, task name or request id fails its syntax."""

    def __init__(self, kind: str, value: object, pattern: re.Pattern[str]) -> None:
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"invalid {kind} {shown}: must match {pattern.pattern}")
        self.kind = kind


def _validate(kind: str, value: object, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise InvalidIdentifier(kind, value, pattern)
    return value


def validate_project_name(value: object) -> str:
    """Return ``value`` if it is a valid project name, else raise :class:`InvalidIdentifier`."""
    return _validate("project name", value, PROJECT_NAME_PATTERN)


def validate_instance_id(value: object) -> str:
    """Return ``value`` if it is a valid instance id, else raise :class:`InvalidIdentifier`."""
    return _validate("instance id", value, INSTANCE_ID_PATTERN)


def validate_task_name(value: object) -> str:
    """Return ``value`` if it is a valid task name, else raise :class:`InvalidIdentifier`."""
    return _validate("task name", value, TASK_NAME_PATTERN)


def validate_xflow_name(value: object) -> str:
    """Return ``value`` if it is a valid XFlow name, else raise :class:`InvalidIdentifier`."""
    return _validate("xflow name", value, XFLOW_NAME_PATTERN)


def validate_quota_name(value: object, kind: str = "quota name") -> str:
    """Return ``value`` if it is a valid quota name (or, by ``kind``, quota index or running
    cluster), else raise :class:`InvalidIdentifier`."""
    return _validate(kind, value, QUOTA_NAME_PATTERN)


def validate_log_id(value: object) -> str:
    """Return ``value`` if it is a valid worker log id, else raise :class:`InvalidIdentifier`."""
    return _validate("log id", value, LOG_ID_PATTERN)


def validate_request_id(value: object) -> str:
    """Return ``value`` if it is a valid request id, else raise :class:`InvalidIdentifier`."""
    return _validate("request id", value, REQUEST_ID_PATTERN)


def normalize_endpoint(endpoint: str) -> str:
    """Check an endpoint (``http(s)://host[:port]/prefix``) and drop a trailing ``/``."""
    parsed = urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"endpoint must be an http(s) URL, got {endpoint!r}")
    if parsed.query or parsed.fragment or parsed.params:
        raise ValueError("endpoint must not carry a query or fragment")
    return endpoint.rstrip("/")


def _encode(value: str) -> str:
    # Form-style percent-encoding with a space as %20 (never "+"), "/" included, so a value
    # can never add a path segment or a query parameter.
    return quote(value, safe="")


def build_url(
    endpoint: str,
    segments: Sequence[str],
    *,
    actions: Iterable[str] = (),
    params: Iterable[tuple[str, str]] = (),
) -> str:
    """``{endpoint}/{seg}/{seg}...?{action}&{action}&k=v...``, every piece percent-encoded.

    Actions are bare flags written first (``?taskstatus``), then parameters in the given
    order, as PyODPS writes them. An empty or dot segment is refused, so the result always
    stays under the endpoint.
    """
    for segment in segments:
        if segment in ("", ".", ".."):
            raise ValueError(f"invalid path segment {segment!r}")
    url = endpoint + "".join("/" + _encode(s) for s in segments)
    query = [_encode(a) for a in actions]
    query.extend(f"{_encode(k)}={_encode(v)}" for k, v in params)
    if query:
        url += "?" + "&".join(query)
    return url
