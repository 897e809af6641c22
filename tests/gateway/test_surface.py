"""Public surfaces: explicit, documented export lists of every gateway module."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = [
    "mcgateway.auth",
    "mcgateway.cli",
    "mcgateway.config",
    "mcgateway.domain",
    "mcgateway.http",
    "mcgateway.errors",
    "mcgateway.logs",
    "mcgateway.metrics",
    "mcgateway.server",
    "mcgateway.testing",
    "mcgateway.wire",
    "mcgateway.upstream",
    "mcgateway.watch",
    "mcgateway.service.audit",
    "mcgateway.service.cache",
    "mcgateway.service.chokepoint",
    "mcgateway.service.depth",
    "mcgateway.service.limits",
    "mcgateway.service.paging",
    "mcgateway.service.result_rows",
    "mcgateway.service.results",
    "mcgateway.service.servicer",
    "mcgateway.service.status",
    "mcgateway.service.stops",
    "mcgateway.service.validation",
    "mcgateway.service.watch_rpcs",
]


@pytest.mark.parametrize("name", MODULES)
def test_export_lists_are_explicit_and_documented(name):
    module = importlib.import_module(name)
    assert module.__doc__, name
    exported = module.__all__
    assert len(exported) == len(set(exported))
    for item in exported:
        obj = getattr(module, item)  # every exported name exists
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert getattr(obj, "__doc__", None), f"{name}.{item} has no docstring"
