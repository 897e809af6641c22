"""The dashboard on a gateway with bearer tokens: asked once, kept for the tab, sent on streams."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway.support import pb, sql_job, stub_for
from mcemulator import Emulator
from mcgateway.testing import GatewayThread, gateway_config_for
from playwright.sync_api import expect

from browser.support import base_url, row

DEMO_TOKEN = "dashboard-demo-token"
OTHER_TOKEN = "dashboard-other-token"


@pytest.fixture(scope="module")
def secured(
    emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GatewayThread]:
    """A gateway with a tokens file: one token for the emulator's project, one for another."""
    tokens = tmp_path_factory.mktemp("dashboard-auth") / "tokens.json"
    tokens.write_text(
        json.dumps(
            {
                "tokens": [
                    {"name": "demo", "token": DEMO_TOKEN, "projects": [emulator.project]},
                    {"name": "other", "token": OTHER_TOKEN, "projects": ["other_project"]},
                ]
            }
        ),
        encoding="utf-8",
    )
    config = gateway_config_for(emulator, http_listen="127.0.0.1:0", tokens_file=Path(tokens))
    with GatewayThread(config) as gw:
        yield gw


def test_token_is_asked_once_and_kept_for_the_tab(page, secured):
    page.goto(base_url(secured))
    # No token: the page says what is missing and puts the cursor in the token field.
    expect(page.locator("#connection-status")).to_have_attribute("data-state", "failed")
    expect(page.get_by_role("alert")).to_contain_text("needs a valid access token")
    token_field = page.get_by_label("Access token")
    expect(token_field).to_be_focused()

    with page.expect_request(
        lambda req: (
            req.url.endswith("/instances:watch")
            and req.headers.get("authorization") == f"Bearer {DEMO_TOKEN}"
        )
    ):
        token_field.fill(DEMO_TOKEN)
        token_field.press("Enter")
    expect(page.locator("#connection-status")).to_have_attribute("data-state", "live")
    expect(page.get_by_role("alert")).to_be_hidden()

    stub = stub_for(secured.target)
    metadata = (("authorization", f"Bearer {DEMO_TOKEN}"),)
    instance = stub.SubmitSql(
        pb.SubmitSqlRequest(job=sql_job("select 1", duration=3)), metadata=metadata, timeout=30
    ).instance
    # Progress streams carry the token too (EventSource could not).
    expect(row(page, instance.instance_id).get_by_role("progressbar")).to_have_attribute(
        "value", "100"
    )

    # A reload keeps the token for this tab (sessionStorage), and nowhere else.
    page.reload()
    expect(page.locator("#connection-status")).to_have_attribute("data-state", "live")
    assert page.evaluate("() => localStorage.length") == 0
    assert page.get_by_label("Access token").input_value() == DEMO_TOKEN


def test_a_token_for_another_project_is_explained(page, secured):
    page.goto(base_url(secured))
    page.get_by_label("Access token").fill(OTHER_TOKEN)
    page.get_by_role("button", name="Connect").click()
    expect(page.locator("#connection-status")).to_have_attribute("data-state", "failed")
    expect(page.get_by_role("alert")).to_contain_text("may not use project")
    expect(page.get_by_label("Project")).to_be_focused()
    # Stop buttons never show without a project the token may use.
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
