"""The dashboard in headless Chromium against a real gateway (HTTP listener) on the emulator.

Instances are submitted and checked over gRPC, independently of the page; the page is driven
only as a user would (clicks, keys) and observed through its DOM. Every wait is on a locator or a
page event, never a fixed sleep.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from gateway.support import pb, submit_sql, wait_terminated
from maxcompute.gateway.v1 import instance_pb2
from mcgateway.testing import GatewayThread
from playwright.sync_api import expect

from browser.support import base_url, connect, row

RUNNING = instance_pb2.Instance.RUNNING
TERMINATED = instance_pb2.Instance.TERMINATED

# Records every value a row's first progress bar takes, as the page sets it.
_RECORD_PROGRESS = """
() => {
  window.__progress = {};
  const tbody = document.querySelector('#instances tbody');
  new MutationObserver(() => {
    for (const tr of tbody.rows) {
      const bar = tr.querySelector('progress');
      if (!bar) continue;
      const seen = (window.__progress[tr.dataset.instanceId] ??= []);
      if (seen.at(-1) !== bar.value) seen.push(bar.value);
    }
  }).observe(tbody, {subtree: true, childList: true, attributes: true});
}
"""


def _state(stub: Any, instance_id: str) -> int:
    return stub.GetInstance(pb.GetInstanceRequest(instance_id=instance_id), timeout=30).state


def test_new_instance_appears_progresses_and_terminates(page, http_gateway, stub):
    connect(page, base_url(http_gateway))
    page.evaluate(_RECORD_PROGRESS)

    instance = submit_sql(stub, "select count(*) from (select 1 as a) t", duration=6)
    r = row(page, instance.instance_id)
    expect(r).to_be_visible()
    bar = r.get_by_role("progressbar", name="Progress of task AnonymousSQLTask")
    expect(bar).to_have_attribute("value", "100")
    expect(r.locator(".badge")).to_have_text("TERMINATED (succeeded)")
    expect(page.locator("#announcer")).to_contain_text(
        f"Instance {instance.instance_id} is now TERMINATED (succeeded)"
    )

    seen = page.evaluate("id => window.__progress[id]", instance.instance_id)
    assert any(0 < value < 100 for value in seen), f"the bar never moved between ends: {seen}"
    assert seen == sorted(seen) and seen[-1] == 100
    # PyODPS's line: local time, then each stage and a TAB.
    line = r.locator(".stage-line").text_content()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d M1_Stg1_job0:0/1/1\[100%\]\tR2_1_job0:0/1/1\[100%\]\t",
        line or "",
    ), line
    assert re.fullmatch(r"\d+s", r.locator("td").nth(4).text_content() or "")
    assert _state(stub, instance.instance_id) == TERMINATED


def test_duration_ticks_while_running(page, http_gateway, stub):
    connect(page, base_url(http_gateway))
    instance = submit_sql(stub, "select 1", duration=120)
    try:
        cell = row(page, instance.instance_id).locator("td").nth(4)
        expect(cell).to_have_text(re.compile(r"^\d+s$"))
        first = int((cell.text_content() or "0s")[:-1])
        expect(cell).to_have_text(f"{first + 1}s")
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id), timeout=30)


def test_stop_button_asks_then_stops_the_instance_upstream(page, http_gateway, stub):
    connect(page, base_url(http_gateway))
    stops: list[Any] = []
    page.on("request", lambda req: stops.append(req) if req.url.endswith(":stop") else None)
    instance = submit_sql(stub, "select 1", duration=300)
    r = row(page, instance.instance_id)
    stop = r.get_by_role("button", name=f"Stop instance {instance.instance_id}")
    dialog = page.get_by_role("dialog", name="Stop instance?")

    stop.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(instance.instance_id)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(stop).to_be_focused()
    assert stops == []
    assert _state(stub, instance.instance_id) == RUNNING

    stop.click()
    with page.expect_response(lambda resp: resp.url.endswith(":stop")) as answer:
        dialog.get_by_role("button", name="Stop", exact=True).click()
    assert answer.value.status == 200
    expect(r.locator(".badge")).to_have_text(re.compile(r"^TERMINATED"))
    expect(stop).to_have_count(0)
    expect(
        r.get_by_role("button", name=f"Details of instance {instance.instance_id}")
    ).to_be_focused()
    assert [req.method for req in stops] == ["POST"]
    assert _state(stub, instance.instance_id) == TERMINATED
    expect(page.locator("#announcer")).to_contain_text(
        f"Stop requested for instance {instance.instance_id}"
    )


def test_keyboard_only_opens_details_and_stops(page, http_gateway, stub):
    connect(page, base_url(http_gateway))
    instance = submit_sql(stub, "select 1", duration=300)
    details = row(page, instance.instance_id).get_by_role(
        "button", name=f"Details of instance {instance.instance_id}"
    )
    expect(details).to_be_visible()

    # The skip link leads past the connection form to the table.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to instances")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#instances-heading")).to_be_focused()
    # Tab through the filters to the instance: every stop on the way shows its focus.
    for _ in range(40):
        if details.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", page.evaluate("() => document.activeElement.outerHTML")
    expect(details).to_be_focused()

    page.keyboard.press("Enter")
    expect(page.locator("#detail-heading")).to_be_focused()
    expect(page.locator("#detail-heading")).to_have_text(f"Instance {instance.instance_id}")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Close details")).to_be_focused()
    page.keyboard.press("Tab")
    detail_stop = page.locator("#detail-stop")
    expect(detail_stop).to_be_focused()

    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Stop instance?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(detail_stop).to_be_focused()
    assert _state(stub, instance.instance_id) == RUNNING

    page.keyboard.press("Enter")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Stop", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(row(page, instance.instance_id).locator(".badge")).to_have_text(
        re.compile(r"^TERMINATED")
    )
    assert _state(stub, instance.instance_id) == TERMINATED

    # The Stop button went with the running state: focus is back on the details, and Escape
    # closes them and returns to where the user came from.
    expect(page.locator("#detail-heading")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#detail")).to_be_hidden()
    expect(details).to_be_focused()


def test_filters_by_status_and_owner(page, http_gateway, stub):
    # Ended before the page opened: listed from the recent history (ListInstances).
    done = wait_terminated(stub, submit_sql(stub, "select 2", duration=0.1).instance_id)
    connect(page, base_url(http_gateway))
    running = submit_sql(stub, "select 1", duration=300)
    try:
        done_row, running_row = row(page, done.instance_id), row(page, running.instance_id)
        # A listed instance carries no outcome (ListInstances reads no tasks).
        expect(done_row.locator(".badge")).to_have_text(re.compile(r"^TERMINATED"))
        expect(running_row.locator(".badge")).to_have_text("RUNNING")

        page.get_by_label("Status").select_option(label="Running")
        expect(done_row).to_be_hidden()
        expect(running_row).to_be_visible()
        page.get_by_label("Status").select_option(label="Terminated")
        expect(done_row).to_be_visible()
        expect(running_row).to_be_hidden()
        expect(page.locator("#shown-count")).to_contain_text("Showing")

        page.get_by_label("Status").select_option(label="All")
        owner = running.owner
        page.get_by_label("Owner contains").fill(owner[-6:].upper())
        expect(running_row).to_be_visible()
        expect(done_row).to_be_visible()
        page.get_by_label("Owner contains").fill("no-such-owner")
        expect(page.locator("#instances tbody tr:visible")).to_have_count(0)
        expect(page.locator("#empty")).to_have_text("No instance matches the filters.")
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id), timeout=30)


def test_detail_shows_tasks_summary_cost_and_logview(page, http_gateway, stub):
    instance = submit_sql(stub, "select count(*) from (select 1 as a) t", duration=0.2)
    wait_terminated(stub, instance.instance_id)
    connect(page, base_url(http_gateway))
    r = row(page, instance.instance_id)
    expect(r.locator(".badge")).to_have_text(re.compile(r"^TERMINATED"))
    r.get_by_role("button", name=f"Details of instance {instance.instance_id}").click()
    # The details read the instance with its tasks (GetInstance): now the outcome is known.
    expect(r.locator(".badge")).to_have_text("TERMINATED (succeeded)")

    detail = page.locator("#detail")
    task = detail.get_by_role("article", name="Task AnonymousSQLTask")
    expect(task.locator(".badge")).to_have_text("SUCCEEDED")
    expect(task.get_by_role("progressbar", name="Stage M1_Stg1_job0 of task AnonymousSQLTask"))
    expect(task.locator(".cost")).to_contain_text("core·s")
    expect(task.locator(".summary")).to_contain_text("M1_Stg1_job0")
    expect(detail.locator('[data-fact="Status"]')).to_have_text("TERMINATED (succeeded)")
    expect(page.locator("#detail-stop")).to_be_hidden()

    page.get_by_role("button", name="Get Logview link").click()
    link = page.locator("#logview-link")
    expect(link).to_be_focused()
    href = link.get_attribute("href") or ""
    assert href.startswith("http") and instance.instance_id in href
    # The result preview: ReadInstanceResult's first rows (count(*) of one row).
    preview = page.locator("#detail-result")
    expect(preview.locator("caption")).to_have_text("Showing 1 of 1 row")
    expect(preview.locator("thead th")).to_have_count(1)
    expect(preview.locator("tbody td")).to_have_text(["1"])


def test_stage_line_matches_the_servers_pyodps_formatter(page, http_gateway):
    """The page's port of mcgateway.domain.format_stage_progress, byte for byte."""
    from datetime import UTC, datetime

    from google.protobuf import json_format
    from mcgateway import domain, wire

    page.goto(base_url(http_gateway))
    cases = [
        [],
        [domain.StageProgress("M1_Stg1_job0", "RUNNING", 0, 3, 5, 8, 10, 0, 62)],
        [
            domain.StageProgress("M1_Stg1_job0", "TERMINATED", 2, 0, 16, 16, 100, 100, 100),
            domain.StageProgress("J3_1_2_job0", "RUNNING", 0, 1, 0, 1, None, None, 0),
            domain.StageProgress("R4_3_job0", None, 0, 0, 0, 0, None, None, 0),
        ],
    ]
    at = datetime(2026, 5, 19, 10, 14, 3, 250_000, tzinfo=UTC)
    for stages in cases:
        progress = domain.TaskProgress("t", tuple(stages), "")
        as_json = (
            json_format.MessageToDict(wire.progress_to_proto(progress))["stages"]
            if (stages)
            else []
        )
        got = page.evaluate(
            """async ([stages, ms]) => {
                 const m = await import('./static/format.js');
                 return m.formatStageProgress(stages, new Date(ms));
               }""",
            [as_json, at.timestamp() * 1000],
        )
        want = domain.format_stage_progress(stages, at)
        # The time is local to each side; the page's own clock is checked by the browser.
        browser_local = page.evaluate(
            "async (ms) => (await import('./static/format.js')).localTime(new Date(ms))",
            at.timestamp() * 1000,
        )
        assert got == browser_local + want[19:]


def test_event_stream_parser(page, http_gateway):
    """Chunks split anywhere (mid-line, between CR and LF), comments, multi-line data, ids."""
    page.goto(base_url(http_gateway))
    events = page.evaluate(
        """async () => {
          const { parseEventStream } = await import('./static/api.js');
          const chunks = [': ping\\n\\nid: v1\\nda', 'ta: {"a":1}\\r', '\\n\\r\\n',
                          'data: line1\\ndata: line2\\n\\n', 'event: error\\ndata: {"code":14}',
                          '\\n\\nid: only-id\\n\\n'];
          const body = new ReadableStream({
            start(c) { for (const x of chunks) c.enqueue(new TextEncoder().encode(x)); c.close(); }
          });
          const out = [];
          for await (const ev of parseEventStream(body)) out.push(ev);
          return out;
        }"""
    )
    assert events == [
        {"event": "message", "data": '{"a":1}', "id": "v1"},
        {"event": "message", "data": "line1\nline2", "id": None},
        {"event": "error", "data": '{"code":14}', "id": None},
    ]


@pytest.fixture(scope="module")
def short_streams(emulator) -> Any:
    """A gateway whose watch streams end after about 2 s, so the page must keep reconnecting."""
    from mcgateway.testing import gateway_config_for

    config = gateway_config_for(
        emulator, http_listen="127.0.0.1:0", max_stream_age=2.0, progress_interval=0.3
    )
    with GatewayThread(config) as gw:
        yield gw


def test_reconnects_with_last_event_id_and_loses_nothing(page, short_streams):
    from gateway.support import stub_for

    stub = stub_for(short_streams.target)
    with page.expect_request(
        lambda req: req.url.endswith("/instances:watch") and bool(req.headers.get("last-event-id")),
        timeout=20_000,
    ):
        connect(page, base_url(short_streams))
    instance = submit_sql(stub, "select 1", duration=5)
    r = row(page, instance.instance_id)
    expect(r.locator(".badge")).to_have_text("TERMINATED (succeeded)", timeout=40_000)
    expect(r.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(r).to_have_count(1)
    expect(page.locator("#connection-status")).not_to_have_attribute("data-state", "failed")


# WCAG 2.x contrast of every visible text against the background it is drawn on.
_CONTRAST = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg.length === 3 || (bg.length === 4 && bg[3] > 0)) return bg.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.checkVisibility() || el.closest('.visually-hidden')) continue;
    if (el.closest('[disabled]')) continue;
    const fg = lum(parse(getComputedStyle(el).color).slice(0, 3));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    out.push([n.textContent.trim().slice(0, 40), Math.round(ratio * 100) / 100]);
  }
  return out;
}
"""


def test_text_contrast_meets_wcag_aa(page, http_gateway, stub):
    done = wait_terminated(stub, submit_sql(stub, "select 1", duration=0.1).instance_id)
    running = submit_sql(stub, "select 1", duration=300)
    try:
        connect(page, base_url(http_gateway))
        expect(row(page, running.instance_id).get_by_role("progressbar")).to_be_visible()
        row(page, done.instance_id).get_by_role("button").first.click()
        expect(page.locator("#detail-tasks .cost")).to_be_visible()
        page.get_by_role("button", name="Get Logview link").click()
        expect(page.locator("#logview-link")).to_be_visible()
        texts = page.evaluate(_CONTRAST)
        assert len(texts) > 20
        low = [(text, ratio) for text, ratio in texts if ratio < 4.5]
        assert not low, f"text below 4.5:1 contrast: {low}"
    finally:
        stub.StopInstance(pb.StopInstanceRequest(instance_id=running.instance_id), timeout=30)


def test_result_values_render_from_the_json_mapping(page, http_gateway):
    """Every ResultValue kind, as json_format writes it, shown as the preview shows it."""
    from google.protobuf import json_format, struct_pb2
    from maxcompute.gateway.v1 import result_pb2

    value = result_pb2.ResultValue
    timestamp = value()
    timestamp.timestamp_value.FromJsonString("2026-05-19T10:14:03Z")
    cases = [
        (value(null_value=struct_pb2.NULL_VALUE), "NULL"),
        (value(int64_value=0), "0"),
        (value(int64_value=-(2**62)), str(-(2**62))),
        (value(double_value=1.5), "1.5"),
        (value(decimal_value="12.3400"), "12.3400"),
        (value(string_value="héllo"), "héllo"),
        (value(bytes_value=b"\x00\xff"), "0x00ff"),
        (value(bool_value=False), "false"),
        (value(date_value="2026-05-19"), "2026-05-19"),
        (timestamp, "2026-05-19T10:14:03Z"),
        (
            value(array_value=result_pb2.ResultArray(values=[value(int64_value=1), value()])),
            "[1, ]",
        ),
        (
            value(
                map_value=result_pb2.ResultMap(
                    entries=[
                        result_pb2.ResultMap.Entry(
                            key=value(string_value="k"), value=value(bool_value=True)
                        )
                    ]
                )
            ),
            "{k: true}",
        ),
        (
            value(struct_value=result_pb2.ResultArray(values=[value(string_value="a")])),
            "{a}",
        ),
    ]
    page.goto(base_url(http_gateway))
    shown = page.evaluate(
        """async (values) => {
             const { resultValueText } = await import('./static/format.js');
             return values.map(resultValueText);
           }""",
        [json_format.MessageToDict(v) for v, _ in cases],
    )
    assert shown == [text for _, text in cases]
