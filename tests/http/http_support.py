"""Helpers of the HTTP/JSON tests: reading Server-Sent Events and NDJSON streams, checking
``google.rpc.Status`` bodies, and the record of which RPCs have an HTTP end-to-end test."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

HTTP_COVERED: set[str] = set()
"""RPC names with an HTTP end-to-end test (filled by :func:`covers_http`)."""

ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
QUOTA_FAILURE = "type.googleapis.com/google.rpc.QuotaFailure"
REQUEST_INFO = "type.googleapis.com/google.rpc.RequestInfo"
SSE = {"Accept": "text/event-stream"}


def covers_http(*methods: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a test as the HTTP end-to-end test of ``methods``."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        HTTP_COVERED.update(methods)
        return fn

    return mark


@dataclass
class Event:
    """One Server-Sent Event (or a comment line, with ``comment`` set)."""

    id: str | None = None
    event: str = "message"
    data: Any = None
    comment: str | None = None
    raw: list[str] = field(default_factory=list)


async def sse_events(response: aiohttp.ClientResponse) -> AsyncIterator[Event]:
    """The events of an SSE response, as the bytes arrive (comments as their own items)."""
    current = Event()
    data_lines: list[str] = []
    async for raw in response.content:
        line = raw.decode("utf-8").rstrip("\n").rstrip("\r")
        if line == "":
            if data_lines:
                current.data = json.loads("\n".join(data_lines))
                yield current
            current, data_lines = Event(), []
            continue
        current.raw.append(line)
        if line.startswith(":"):
            yield Event(comment=line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "id":
            current.id = value
        elif name == "event":
            current.event = value
        elif name == "data":
            data_lines.append(value)


async def data_events(response: aiohttp.ClientResponse) -> AsyncIterator[Event]:
    """:func:`sse_events` without the comments."""
    async for event in sse_events(response):
        if event.comment is None:
            yield event


async def ndjson(response: aiohttp.ClientResponse) -> list[Any]:
    """Every line of an NDJSON response, parsed."""
    out = []
    async for raw in response.content:
        if raw.strip():
            out.append(json.loads(raw))
    return out


def detail(status: dict[str, Any], type_url: str) -> dict[str, Any]:
    """The detail of ``type_url`` in a ``google.rpc.Status`` JSON body (fails if absent)."""
    found = [d for d in status.get("details", []) if d["@type"] == type_url]
    assert found, f"no {type_url} in {status}"
    return found[0]


async def expect_status(
    response: aiohttp.ClientResponse, http: int, code: int, reason: str | None = None
) -> dict[str, Any]:
    """Check an error response: HTTP status, JSON ``google.rpc.Status`` with ``code``, the
    ErrorInfo ``reason`` and a RequestInfo id equal to the ``x-request-id`` header."""
    assert response.status == http, await response.text()
    assert response.content_type == "application/json"
    body: dict[str, Any] = await response.json()
    assert body["code"] == code, body
    assert body["message"]
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 24
    if reason is not None:
        assert detail(body, ERROR_INFO)["reason"] == reason
        assert detail(body, REQUEST_INFO)["requestId"] == request_id
    return body


async def until(condition: Callable[[], bool], budget: float = 20.0, what: str = "") -> None:
    """Poll ``condition`` every 10 ms, letting this loop run (a client's closed connection
    is only closed when its loop runs), until it holds; fail after ``budget`` seconds."""
    give_up = time.monotonic() + budget
    while not condition():
        assert time.monotonic() < give_up, f"timed out waiting for {what or condition}"
        await asyncio.sleep(0.01)
