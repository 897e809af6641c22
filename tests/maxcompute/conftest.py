"""Fixtures for the MaxCompute REST client tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mc_helpers import TEST_SECRET, TEST_STS_TOKEN, Script
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    HandlerTransport,
    MaxComputeClient,
    RetryPolicy,
    UpstreamRequest,
)


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def events() -> list[UpstreamRequest]:
    return []


@pytest.fixture
def make_client(
    script: Script, events: list[UpstreamRequest]
) -> Iterator[Callable[..., MaxComputeClient]]:
    """Build a client on the scripted transport; sleeps are recorded, not slept."""
    clients: list[MaxComputeClient] = []

    def factory(**overrides: Any) -> MaxComputeClient:
        sleeps: list[float] = overrides.pop("sleeps", [])
        config = ClientConfig(
            endpoint=overrides.pop("endpoint", "http://mc.test/api"),
            credentials=overrides.pop(
                "credentials", Credentials("test_id", TEST_SECRET, TEST_STS_TOKEN)
            ),
            default_project=overrides.pop("default_project", "demo"),
            logview_host=overrides.pop("logview_host", "http://logview.test"),
            retry=overrides.pop("retry", RetryPolicy(initial_backoff=0.01, max_backoff=0.02)),
            **overrides,
        )
        client = MaxComputeClient(
            config, transport=HandlerTransport(script), observer=events.append, sleep=sleeps.append
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
