"""Fixtures of the browser tests: a gateway with its HTTP listener on the session emulator, and
headless Chromium (Debian's ``chromium``, driven by Playwright's Python API).

Playwright cannot download its own browser build here, so the tests launch the system package
(``make test`` installs it, see the Makefile's ``browser`` target). When a test fails, a
screenshot, the page's HTML and its console log are kept under
``<pytest basetemp>/browser-artifacts/`` (or ``$MCGATEWAY_BROWSER_ARTIFACTS``) and the path is
printed in the failure report.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from maxcompute.gateway.v1 import instance_service_pb2_grpc
from mcemulator import Emulator
from mcgateway.testing import GatewayThread, gateway_config_for
from playwright import sync_api as playwright_api

CHROMIUM = os.environ.get("MCGATEWAY_CHROMIUM", "/usr/bin/chromium")

# Instances run for simulated seconds on a shared, busy machine: wait on locators for longer
# than Playwright's 5 s default before calling a wait failed.
playwright_api.expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium binary; a clear failure (not a skip) when it is missing."""
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if path is None:
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (apt-get install chromium)")
    return path


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium for the browser tests. Package-scoped, not session-scoped:
    Playwright's sync API runs an event loop in the main thread while it is started, and
    every later test that runs its own loop (asyncio.run) would fail beside it."""
    with playwright_api.sync_playwright() as pw:
        # --no-sandbox: the tests run as root (CI), where Chromium's sandbox refuses to start.
        instance = pw.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def http_gateway(emulator: Emulator) -> Iterator[GatewayThread]:
    """A gateway with its HTTP listener (``--http-listen``) on the session emulator, no auth.

    Its own, not the session gateway: that one serves no HTTP.
    """
    config = gateway_config_for(emulator, http_listen="127.0.0.1:0", progress_interval=0.3)
    with GatewayThread(config) as gw:
        yield gw


@pytest.fixture(scope="module")
def stub(http_gateway: GatewayThread) -> Iterator[instance_service_pb2_grpc.InstanceServiceStub]:
    """A gRPC stub on :func:`http_gateway`: the tests submit and check instances through it,
    independently of the page under test."""
    with grpc.insecure_channel(http_gateway.target) as channel:
        yield instance_service_pb2_grpc.InstanceServiceStub(channel)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember each phase's report on the item, so fixtures can tell that a test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _artifacts_dir(request: pytest.FixtureRequest) -> Path:
    root = os.environ.get("MCGATEWAY_BROWSER_ARTIFACTS")
    base = Path(root) if root else request.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    safe = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]
    folder = (base if root else base / "browser-artifacts") / safe
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page (own context: own sessionStorage) with a 1280x800 viewport.

    Console messages and page errors are collected; an uncaught page error fails the test. On
    failure the screenshot, HTML and console log are kept as artifacts.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    console: list[str] = []
    errors: list[str] = []
    pg.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.console_log = console  # type: ignore[attr-defined]
    try:
        yield pg
        assert not errors, f"uncaught errors in the page: {errors}"
    finally:
        failed = any(
            getattr(getattr(request.node, f"report_{when}", None), "failed", False)
            for when in ("setup", "call")
        )
        if failed or errors:
            folder = _artifacts_dir(request)
            try:
                pg.screenshot(path=str(folder / "screenshot.png"), full_page=True)
                (folder / "page.html").write_text(pg.content(), encoding="utf-8")
            except playwright_api.Error as exc:
                console.append(f"(no screenshot: {exc})")
            (folder / "console.log").write_text("\n".join(console), encoding="utf-8")
            print(f"\nbrowser artifacts: {folder}")
        context.close()
