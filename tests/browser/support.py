"""Helpers of the browser tests: where the dashboard is, and locators on it."""

from __future__ import annotations

from typing import Any

from mcgateway.testing import GatewayThread
from playwright.sync_api import expect


def base_url(gw: GatewayThread) -> str:
    """The dashboard's address on ``gw``."""
    url = gw.server.http_url
    assert url is not None, "the gateway serves no HTTP"
    return url + "/"


def connect(page: Any, url: str) -> None:
    """Load the dashboard and wait until its WatchInstances stream is live."""
    page.goto(url)
    expect(page.locator("#connection-status")).to_have_attribute("data-state", "live")


def row(page: Any, instance_id: str) -> Any:
    """The table row of one instance."""
    return page.locator(f'#instances tbody tr[data-instance-id="{instance_id}"]')
