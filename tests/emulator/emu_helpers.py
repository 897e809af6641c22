"""Helpers of the emulator tests: PyODPS clients, a signed raw HTTP client, small waits.

Test modules import them from here (not from conftest, whose module name other test
directories share).
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Iterator
from typing import Any

import requests
from mcemulator import Emulator
from mcemulator.signing import sign_headers
from odps import ODPS


def make_odps(emu: Emulator, project: str | None = None, **kwargs: Any) -> ODPS:
    """An unmodified PyODPS client for ``emu``; the logview host is given explicitly because
    the first ODPS object of a process copies its settings into PyODPS's global options."""
    return ODPS(
        kwargs.pop("access_id", emu.access_id),
        kwargs.pop("access_key", emu.access_key),
        project=project or emu.project,
        endpoint=emu.endpoint,
        logview_host=f"http://127.0.0.1:{emu.port}",
        **kwargs,
    )


class SignedClient:
    """A keep-alive ``requests`` client that signs every request like PyODPS (v2)."""

    def __init__(self, emu: Emulator, access_id: str | None = None, key: str | None = None):
        self.emu = emu
        self.base = f"http://127.0.0.1:{emu.port}"
        self.access_id = access_id or emu.access_id
        self.key = key or emu.access_key
        self.session = requests.Session()

    def request(
        self,
        method: str,
        target: str,
        body: bytes | str | Iterator[bytes] | None = None,
        headers: dict[str, str] | None = None,
        sign: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """Send ``method`` to ``/api`` + ``target`` (path and raw query)."""
        hdrs = {"Date": email.utils.formatdate(usegmt=True), "x-odps-user-agent": "emu-tests"}
        if body is not None:
            hdrs["Content-Type"] = "application/xml"
        hdrs.update(headers or {})
        if sign:
            hdrs = sign_headers(method, target, hdrs, self.access_id, self.key)
        data = body.encode() if isinstance(body, str) else body
        return self.session.request(
            method, self.base + "/api" + target, data=data, headers=hdrs, timeout=30, **kwargs
        )

    def get(self, target: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", target, **kwargs)

    def create_sql(self, query: str, settings: str = "{}", project: str = "demo") -> str:
        """Create a SQL instance through the raw protocol; returns its id."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<Instance><Job><Priority>9</Priority>'
            "<Tasks><SQL><Name>AnonymousSQLTask</Name><Config><Property><Name>settings</Name>"
            f"<Value>{settings}</Value></Property></Config><Query><![CDATA[{query}]]></Query>"
            "</SQL></Tasks><DAG><RunMode>Sequence</RunMode></DAG></Job></Instance>"
        )
        resp = self.request("POST", f"/projects/{project}/instances", body=body)
        assert resp.status_code == 201, resp.text
        return resp.headers["Location"].rsplit("/", 1)[1]


def error_code(resp: requests.Response) -> str:
    """The ``Code`` of an ``<Error>`` body, asserting the four children PyODPS needs."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(resp.content)
    assert root.tag == "Error"
    for child in ("Code", "Message", "RequestId", "HostId"):
        assert root.find(child) is not None, f"missing {child} in {resp.text}"
    return root.findtext("Code") or ""


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, step: float = 0.02) -> None:
    """Poll ``predicate`` until it holds; fail after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(step)
