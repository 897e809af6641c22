"""Helpers for the MaxCompute REST client tests: a scripted upstream and canned answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcgateway.maxcompute import (
    HttpRequest,
    HttpResponse,
)

# A committed copy of ../shared/vectors/signatures-v2.json (produced by PyODPS 0.13.2), so the
# vectors are checked on every machine, whether or not shared/ sits beside the checkout.
VECTORS_PATH = Path(__file__).resolve().parents[1] / "data" / "signatures-v2.json"
TEST_SECRET = "s3cr3t-key-never-shown"
TEST_STS_TOKEN = "sts-token-never-shown"


def load_vectors() -> list[dict[str, Any]]:
    """The PyODPS-produced v2 signing vectors."""
    return list(json.loads(VECTORS_PATH.read_text())["vectors"])


class Script:
    """A scripted upstream: a queue of canned answers (or exceptions) plus a request log."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []
        self.answers: list[HttpResponse | BaseException | Callable[[HttpRequest], HttpResponse]]
        self.answers = []
        self.default: HttpResponse | None = None

    def add(
        self, *answers: HttpResponse | BaseException | Callable[[HttpRequest], HttpResponse]
    ) -> None:
        self.answers.extend(answers)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if not self.answers:
            if self.default is not None:
                return self.default
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


def xml(status: int, body: str, **headers: str) -> HttpResponse:
    """A response with an XML body."""
    return HttpResponse(status, {k.replace("_", "-"): v for k, v in headers.items()}, body.encode())


def error_xml(status: int, code: str, message: str = "boom", **headers: str) -> HttpResponse:
    """A MaxCompute ``<Error>`` response."""
    body = (
        f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
        f"<Message><![CDATA[{message}]]></Message><RequestId>rid-1</RequestId>"
        f"<HostId>host-1</HostId></Error>"
    )
    return xml(status, body, **headers)
