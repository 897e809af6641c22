"""The MaxCompute code → gRPC code mapping, complete against PyODPS.

The REST client classifies each code (``ERROR_CODE_CATEGORY``); the service's error boundary
maps each category to a gRPC code (``CATEGORY_TO_GRPC``). Together they are the table every
upstream failure goes through, so its completeness is checked here, at the boundary: a new
PyODPS error class fails the suite until it gets a row.
"""

from __future__ import annotations

import inspect

import grpc
import odps.errors as pyodps_errors
import pytest
from mcgateway.errors import Reason
from mcgateway.maxcompute import (
    ERROR_CODE_CATEGORY,
    ODPS_CODE_PREFIX_CATEGORY,
    ErrorCategory,
    MaxComputeError,
)
from mcgateway.service.status import (
    CATEGORY_TO_GRPC,
    CATEGORY_TO_REASON,
    CODE_TO_REASON,
    grpc_status_for,
    reason_for,
    upstream_outcome,
)

S = grpc.StatusCode


def _grpc(code: str) -> grpc.StatusCode:
    return grpc_status_for(MaxComputeError(code, ""))


def _pyodps_codes() -> set[str]:
    """Every name under which odps.errors resolves a server code to an exception class."""
    names = {
        name
        for name, obj in vars(pyodps_errors).items()
        if inspect.isclass(obj)
        and issubclass(obj, pyodps_errors.BaseODPSError)
        and obj is not pyodps_errors.BaseODPSError
    }
    return names | set(pyodps_errors._CODE_MAPPING)


def test_every_category_has_a_grpc_code() -> None:
    assert set(CATEGORY_TO_GRPC) == set(ErrorCategory)
    assert S.OK not in CATEGORY_TO_GRPC.values()


def test_every_category_has_a_reason() -> None:
    assert set(CATEGORY_TO_REASON) == set(ErrorCategory)
    owned = {v for k, v in vars(Reason).items() if not k.startswith("_")}
    assert set(CATEGORY_TO_REASON.values()) <= owned
    assert {r.reason for r in CODE_TO_REASON.values()} <= owned


def test_specific_codes_keep_their_category_grpc_code() -> None:
    # A specific reason never disagrees with the gRPC code its category gives.
    for code, specific in CODE_TO_REASON.items():
        error = MaxComputeError(code, "", http_status=404, instance_id="i1")
        if error.category is specific.category:
            assert reason_for(error) == specific.reason
        assert grpc_status_for(error) is CATEGORY_TO_GRPC[specific.category], code


def test_every_pyodps_error_code_is_mapped() -> None:
    codes = _pyodps_codes()
    assert len(codes) > 50  # sanity: the introspection found PyODPS's classes
    unmapped = sorted(codes - set(ERROR_CODE_CATEGORY))
    assert unmapped == [], f"add rows to ERROR_CODE_CATEGORY for {unmapped}"


def test_every_pyodps_sqa_prefix_is_mapped() -> None:
    assert set(pyodps_errors._SQA_CODE_MAPPING) <= set(ODPS_CODE_PREFIX_CATEGORY)
    for prefix, class_name in pyodps_errors._SQA_CODE_MAPPING.items():
        assert ODPS_CODE_PREFIX_CATEGORY[prefix] is ERROR_CODE_CATEGORY[class_name]
        assert _grpc(prefix + "0001") is _grpc(class_name)


def test_code_mapping_follows_pyodps_class_mapping() -> None:
    for code, class_name in pyodps_errors._CODE_MAPPING.items():
        if class_name in ERROR_CODE_CATEGORY:
            assert _grpc(code) is _grpc(class_name), code


@pytest.mark.parametrize(
    ("family", "status"),
    [
        ("NoSuchObject", S.NOT_FOUND),
        ("InternalServerError", S.UNAVAILABLE),
        ("RequestQuotaExceeded", S.RESOURCE_EXHAUSTED),
        ("AuthorizationRequired", S.UNAUTHENTICATED),
    ],
)
def test_pyodps_subclasses_share_their_family_status(family: str, status: grpc.StatusCode) -> None:
    base = getattr(pyodps_errors, family)
    members = [
        name
        for name, obj in vars(pyodps_errors).items()
        if inspect.isclass(obj) and issubclass(obj, base)
    ]
    assert len(members) >= 2
    for name in members:
        assert _grpc(name) is status, name


@pytest.mark.parametrize(
    ("code", "http_status", "expected"),
    [
        ("NoSuchObject", 404, S.NOT_FOUND),
        ("InvalidStateSetting", 409, S.FAILED_PRECONDITION),
        ("ParseError", 400, S.INVALID_ARGUMENT),
        ("NoPermission", 403, S.PERMISSION_DENIED),
        ("InvalidParameter", 401, S.UNAUTHENTICATED),  # ODPS-0410051 invalid credentials
        ("QPSExceeded", 429, S.RESOURCE_EXHAUSTED),
        ("ServiceUnavailable", 503, S.UNAVAILABLE),
        ("TableModified", 409, S.ABORTED),
        ("ChecksumError", None, S.DATA_LOSS),
        ("InvalidResponse", 200, S.INTERNAL),
        ("DeadlineExceeded", None, S.DEADLINE_EXCEEDED),
        ("SomethingNew", 499, S.CANCELLED),
        ("SomethingNew", 501, S.UNIMPLEMENTED),
        ("SomethingNew", 418, S.UNKNOWN),
    ],
)
def test_grpc_code_of_an_upstream_failure(
    code: str, http_status: int | None, expected: grpc.StatusCode
) -> None:
    assert grpc_status_for(MaxComputeError(code, "", http_status=http_status)) is expected


def test_upstream_metric_label_is_ok_or_the_grpc_code_name() -> None:
    assert upstream_outcome(None) == "OK"
    assert upstream_outcome(ErrorCategory.TRANSIENT) == "UNAVAILABLE"
    assert upstream_outcome(ErrorCategory.NOT_FOUND) == "NOT_FOUND"
