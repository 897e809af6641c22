"""Regenerate docs/dashboard.png: the dashboard on a gateway over a fresh embedded emulator,
with two running instances (one's details open), one succeeded and one failed.

Run from the repository root: ``.venv/bin/python tests/browser/screenshot.py [OUT.png]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
from pathlib import Path

from mcemulator import Emulator, EmulatorConfig
from mcgateway.testing import GatewayThread, gateway_config_for
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
DURATION_HINT = "mcemulator.duration_seconds"


def _submit(base: str, query: str, seconds: float) -> str:
    body = {"job": {"query": query, "hints": {DURATION_HINT: str(seconds)}}}
    request = urllib.request.Request(
        f"{base}/v1/projects/_/instances:submitSql",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        instance_id: str = json.load(response)["instance"]["instanceId"]
        return instance_id


def main(out: Path) -> None:
    """Start an emulator and a gateway, fill the page, and write the screenshot to ``out``."""
    with tempfile.TemporaryDirectory() as data:
        emulator = Emulator(EmulatorConfig(data_dir=Path(data), host="127.0.0.1", port=0))
        emulator.start()
        try:
            config = gateway_config_for(emulator, http_listen="127.0.0.1:0", progress_interval=0.3)
            with GatewayThread(config) as gw, sync_playwright() as pw:
                base = gw.server.http_url
                assert base is not None
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.goto(base + "/")
                expect(page.locator("#connection-status")).to_have_attribute("data-state", "live")
                done = _submit(base, "select count(*) from (select 1 as a) t", 2)
                failed = _submit(base, "select * from no_such_table", 2)
                shown = _submit(base, "select count(*) from (select 1 as a) t group by a", 60)
                other = _submit(base, "select 1", 40)

                def badge(instance_id: str) -> object:
                    return page.locator(f'tr[data-instance-id="{instance_id}"] .badge')

                expect(badge(done)).to_have_text("TERMINATED (succeeded)", timeout=30_000)
                expect(badge(failed)).to_have_text("TERMINATED (failed)", timeout=30_000)
                page.wait_for_function(
                    "id => document.querySelector(`tr[data-instance-id='${id}'] progress`)"
                    "?.value >= 15",
                    arg=shown,
                    timeout=60_000,
                )
                page.locator(f'tr[data-instance-id="{shown}"] button.link').click()
                expect(page.locator("#detail-tasks .stages li").first).to_be_visible()
                page.mouse.click(5, 990)  # no focus ring in the picture
                page.screenshot(path=str(out), full_page=True)
                for instance_id in (shown, other):
                    page.request.post(f"{base}/v1/projects/_/instances/{instance_id}:stop", data={})
                browser.close()
        finally:
            emulator.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/dashboard.png"))
