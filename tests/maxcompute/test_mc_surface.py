"""The public surface: explicit exports, the pooled transport."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import mcgateway.maxcompute as mc
import pytest
from mcgateway.maxcompute import (
    Deadline,
    FailureKind,
    HttpRequest,
    RequestsTransport,
    TransportFailure,
)

EXPECTED_EXPORTS = {
    "DEFAULT_LOGVIEW_HOST",
    "DEFAULT_SQL_COST_TASK_NAME",
    "DEFAULT_SQL_TASK_NAME",
    "DEFAULT_USER_AGENT",
    "ERROR_CODE_CATEGORY",
    "HTTP_STATUS_CATEGORY",
    "INSTANCE_ID_PATTERN",
    "LOG_ID_PATTERN",
    "LOG_TYPES",
    "ODPS_CODE_PREFIX_CATEGORY",
    "PROJECT_NAME_PATTERN",
    "QUOTA_NAME_PATTERN",
    "QUOTA_SETTING",
    "REQUEST_ID_PATTERN",
    "REQUEST_ID_SETTING",
    "TASK_NAME_PATTERN",
    "XFLOW_NAME_PATTERN",
    "Backoff",
    "ClientConfig",
    "Credentials",
    "Deadline",
    "DownloadSession",
    "ErrorCategory",
    "FailureKind",
    "HandlerTransport",
    "HttpRequest",
    "HttpResponse",
    "InstanceTunnel",
    "InvalidIdentifier",
    "MaxComputeClient",
    "MaxComputeError",
    "MissingCredentials",
    "PollPolicy",
    "RequestObserver",
    "RequestsTransport",
    "RetryPolicy",
    "SyntheticCode",
    "Transport",
    "TransportFailure",
    "TunnelColumn",
    "UpstreamRequest",
    "arrow_schema",
    "arrow_type",
    "category_for",
    "decode_arrow",
    "full_jitter",
    "null_observer",
    "task_failure_error",
    "validate_instance_id",
    "validate_log_id",
    "validate_project_name",
    "validate_quota_name",
    "validate_request_id",
    "validate_task_name",
    "validate_xflow_name",
}


def test_export_list() -> None:
    assert set(mc.__all__) == EXPECTED_EXPORTS
    for name in mc.__all__:
        obj = getattr(mc, name)
        if callable(obj) and hasattr(obj, "__module__") and obj.__module__.startswith("mcgateway"):
            assert obj.__doc__, f"{name} has no docstring"


def test_public_methods_have_docstrings() -> None:
    for cls in (mc.MaxComputeClient, mc.Deadline, mc.MaxComputeError, mc.Credentials):
        for name, member in vars(cls).items():
            if not name.startswith("_") and callable(member):
                assert member.__doc__, f"{cls.__name__}.{name} has no docstring"


def test_deadline() -> None:
    never = Deadline.never()
    assert never.remaining() == float("inf") and not never.expired
    soon = Deadline.after(10)
    assert 9 < soon.remaining() <= 10
    assert soon.earlier(1).remaining() <= 1
    assert soon.earlier(100) is soon
    assert Deadline.after(-1).expired
    assert Deadline.at(0).expired
    assert Deadline.after(None).remaining() == float("inf")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ports: list[int] = []

    def do_GET(self) -> None:
        type(self).ports.append(self.client_address[1])
        if self.path.endswith("/slow"):
            threading.Event().wait(1.0)
        body = b"<Instance><Status>Running</Status></Instance>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The timeout test abandons a slow request on purpose; its broken pipe is expected.
        pass


@pytest.fixture
def http_server() -> Iterator[str]:
    _Handler.ports = []
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_requests_transport_keeps_connections_alive(http_server: str) -> None:
    transport = RequestsTransport(pool_size=2)
    try:
        for _ in range(3):
            resp = transport.send(HttpRequest("GET", f"{http_server}/api/x", {}, None, 1.0, 1.0))
            assert resp.status == 200 and resp.header("content-length") == "45"
        assert len(set(_Handler.ports)) == 1
        with pytest.raises(TransportFailure) as info:
            transport.send(HttpRequest("GET", f"{http_server}/api/slow", {}, None, 1.0, 0.2))
        assert info.value.kind == FailureKind.READ_TIMEOUT and info.value.sent
    finally:
        transport.close()


def test_requests_transport_connect_failure_is_unsent() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = RequestsTransport(pool_size=1)
    try:
        with pytest.raises(TransportFailure) as info:
            transport.send(HttpRequest("GET", f"http://127.0.0.1:{port}/api", {}, None, 0.5, 0.5))
        assert info.value.kind == FailureKind.CONNECT_FAILED and not info.value.sent
    finally:
        transport.close()


def test_config_validation() -> None:
    from mcgateway.maxcompute import ClientConfig, Credentials, PollPolicy, RetryPolicy

    creds = Credentials("id", "key")
    for bad in (
        {"pool_size": 0},
        {"read_timeout": 0},
        {"create_read_share": 0},
        {"create_read_share": 1.5},
        {"logview_hours": 0},
    ):
        with pytest.raises(ValueError):
            ClientConfig(endpoint="http://h/api", credentials=creds, **bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        PollPolicy(initial_interval=2, max_interval=1)
    policy = RetryPolicy(initial_backoff=0.1, max_backoff=0.3)
    assert all(0 <= policy.backoff(n) <= min(0.3, 0.1 * 2 ** (n - 1)) for n in range(1, 10))
    assert PollPolicy(initial_interval=0.5, max_interval=2).interval(5) == 2
