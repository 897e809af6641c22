"""Security: auth on every RPC before any upstream request, no secrets in logs, TLS enforced.

- Every RPC of the descriptor (none listed by hand) with no token, a malformed
  ``authorization`` header, an unknown token and a token for another project answers
  UNAUTHENTICATED / PERMISSION_DENIED, and the recording proxy in front of the emulator sees
  no request at all while they run.
- ``mcgateway serve --log-level DEBUG`` in both log formats, driven through auth failures,
  upstream errors (injected 500s and throttling), and signature failures (a gateway with a
  wrong access key), never writes the access key, the bearer tokens, the page-token key or
  an ``Authorization: ODPS`` signature to its log.
- A gateway with ``--tls-cert`` refuses plaintext clients and serves TLS clients; with
  ``--tls-client-ca`` it also refuses TLS clients without a certificate.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Account, Emulator, EmulatorConfig, FaultRule

from reliability.harness import (
    SERVICE,
    GatewayProcess,
    RecordingProxy,
    error_details,
    make_tls_files,
    stub,
    write_tokens,
)

pb = instance_service_pb2

ACCESS_ID = "reliability-" + uuid.uuid4().hex[:8]
ACCESS_KEY = "ak-secret-" + uuid.uuid4().hex
WRONG_ACCESS_KEY = "ak-wrong-" + uuid.uuid4().hex
GOOD_TOKEN = "tok-good-" + uuid.uuid4().hex
OTHER_TOKEN = "tok-other-" + uuid.uuid4().hex
UNKNOWN_TOKEN = "tok-unknown-" + uuid.uuid4().hex
PAGE_TOKEN_KEY = "ptk-" + uuid.uuid4().hex
SECRETS = {
    "access key": ACCESS_KEY,
    "wrong access key": WRONG_ACCESS_KEY,
    "bearer token": GOOD_TOKEN,
    "other project's token": OTHER_TOKEN,
    "unknown token": UNKNOWN_TOKEN,
    "page token key": PAGE_TOKEN_KEY,
}
_SIGNATURE = re.compile(r"ODPS\s+[^\s:\"']+:[A-Za-z0-9+/=]{16,}")

SAMPLE_ID = "20260101000000000abcdefg1"
_VALID: dict[str, Any] = {
    "instance_id": SAMPLE_ID,
    "task_name": "AnonymousSQLTask",
    "job": instance_pb2.SqlJob(query="select 1"),
    "xflow_name": "AppendID",
    "xflow_project": "algo_public",
    "log_id": "bG9nLWlk",
}


def valid_request(method: Any, project: str = "") -> Any:
    """A request for ``method`` that passes validation, so only auth can refuse it."""
    cls = getattr(pb, method.input_type.name)
    fields = {k: v for k, v in _VALID.items() if k in method.input_type.fields_by_name}
    return cls(project=project, **fields)


def call(s: Any, method: Any, request: Any, metadata: Any) -> grpc.StatusCode:
    """Call one RPC; reading streams to their first message or error."""
    rpc = getattr(s, method.name)
    try:
        if method.server_streaming:
            stream = rpc(request, metadata=metadata, timeout=10)
            next(iter(stream), None)
            stream.cancel()
        else:
            rpc(request, metadata=metadata, timeout=10)
    except grpc.RpcError as exc:
        code: grpc.StatusCode = exc.code()  # type: ignore[attr-defined]
        return code
    return grpc.StatusCode.OK


@dataclass
class Upstream:
    """The emulator (one custom account), the recording proxy and a tokens file."""

    emulator: Emulator
    proxy: RecordingProxy
    tokens: Path


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upstream]:
    data = tmp_path_factory.mktemp("security")
    config = EmulatorConfig(data_dir=data / "emu", accounts={ACCESS_ID: Account(ACCESS_KEY)})
    with Emulator(config) as emu, RecordingProxy(emu.port) as proxy:
        tokens = write_tokens(
            data / "tokens.json",
            # SubmitXflow's algorithm project is authorized too: the good token names it.
            {GOOD_TOKEN: ["demo", "algo_public"], OTHER_TOKEN: ["elsewhere"]},
        )
        yield Upstream(emu, proxy, tokens)


def _gateway(
    workdir: Path, up: Upstream, *, fmt: str = "json", key: str = ACCESS_KEY, name: str = "gw"
) -> GatewayProcess:
    args = [
        "--endpoint", up.proxy.endpoint,
        "--project", "demo",
        "--access-id", ACCESS_ID,
        "--tokens-file", str(up.tokens),
        "--log-level", "DEBUG",
        "--log-format", fmt,
    ]  # fmt: skip
    env = {"ALIBABA_CLOUD_ACCESS_KEY_SECRET": key, "MCGATEWAY_PAGE_TOKEN_KEY": PAGE_TOKEN_KEY}
    return GatewayProcess(workdir, args, env=env, name=name)


@pytest.fixture(scope="module")
def gateway(
    tmp_path_factory: pytest.TempPathFactory, upstream: Upstream
) -> Iterator[GatewayProcess]:
    gw = _gateway(tmp_path_factory.mktemp("gw"), upstream)
    try:
        yield gw.start()
    finally:
        gw.close()


_UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
REFUSALS = [
    ("no token", None, _UNAUTHENTICATED),
    ("basic scheme", (("authorization", f"Basic {GOOD_TOKEN}"),), _UNAUTHENTICATED),
    ("empty bearer", (("authorization", "Bearer "),), _UNAUTHENTICATED),
    ("unknown token", (("authorization", f"Bearer {UNKNOWN_TOKEN}"),), _UNAUTHENTICATED),
    (
        "other project",
        (("authorization", f"Bearer {OTHER_TOKEN}"),),
        grpc.StatusCode.PERMISSION_DENIED,
    ),
]


@pytest.mark.parametrize("method", list(SERVICE.methods), ids=lambda m: m.name)
def test_every_rpc_refuses_bad_credentials_before_any_upstream_request(
    gateway: GatewayProcess, upstream: Upstream, method: Any
) -> None:
    with grpc.insecure_channel(gateway.target) as channel:
        s = stub(channel)
        before = len(upstream.proxy.paths())
        for what, metadata, expected in REFUSALS:
            for project in ("", "demo"):
                got = call(s, method, valid_request(method, project), metadata)
                assert got is expected, f"{method.name} with {what} (project {project!r}): {got}"
        assert upstream.proxy.paths()[before:] == [], "upstream was called before auth"
        # The good token passes auth (the RPC itself may still fail on the sample id).
        good = (("authorization", f"Bearer {GOOD_TOKEN}"),)
        got = call(s, method, valid_request(method), good)
        assert got not in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED)


def _exercise(gw: GatewayProcess, emulator: Emulator) -> list[str]:
    """Auth failures, upstream errors and successes with DEBUG logging; the error messages."""
    good = (("authorization", f"Bearer {GOOD_TOKEN}"),)
    messages: list[str] = []

    def run(method: Any, request: Any, metadata: Any) -> grpc.StatusCode:
        rpc = getattr(s, method.name)
        try:
            if method.server_streaming:
                stream = rpc(request, metadata=metadata, timeout=10)
                next(iter(stream), None)
                stream.cancel()
            else:
                rpc(request, metadata=metadata, timeout=10)
        except grpc.RpcError as exc:
            messages.append(" ".join(error_details(exc)))
            code: grpc.StatusCode = exc.code()  # type: ignore[attr-defined]
            return code
        return grpc.StatusCode.OK

    with grpc.insecure_channel(gw.target) as channel:
        s = stub(channel)
        for method in SERVICE.methods:
            for _, metadata, _ in REFUSALS:
                run(method, valid_request(method), metadata)
            run(method, valid_request(method), good)
        # Upstream errors: server errors, then throttling with Retry-After.
        get = SERVICE.methods_by_name["GetInstance"]
        emulator.faults.set(
            FaultRule(error_rate=1.0, remaining=2), FaultRule(throttle_rate=1.0, remaining=2)
        )
        try:
            for _ in range(2):
                run(get, valid_request(get), good)
        finally:
            emulator.faults.clear()
        # A page token is made and used (its signing key must stay out of the logs).
        listing = SERVICE.methods_by_name["ListInstances"]
        try:
            page = s.ListInstances(pb.ListInstancesRequest(page_size=1), metadata=good, timeout=10)
        except grpc.RpcError as exc:
            messages.append(" ".join(error_details(exc)))
        else:
            if page.next_page_token:
                request = pb.ListInstancesRequest(page_size=1, page_token=page.next_page_token)
                run(listing, request, good)
    return messages


def _scan(text: str) -> list[str]:
    found = [f"{what} ({secret[:12]}...)" for what, secret in SECRETS.items() if secret in text]
    found += [f"signature {m.group(0)[:20]}..." for m in _SIGNATURE.finditer(text)]
    return found


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_secrets_never_reach_the_logs(tmp_path: Path, upstream: Upstream, fmt: str) -> None:
    right = _gateway(tmp_path, upstream, fmt=fmt, name="right")
    wrong = _gateway(tmp_path, upstream, fmt=fmt, key=WRONG_ACCESS_KEY, name="wrong")
    try:
        right.start()
        wrong.start()
        with grpc.insecure_channel(right.target) as channel:
            good = (("authorization", f"Bearer {GOOD_TOKEN}"),)
            for n in range(2):  # something to list, so ListInstances makes a page token
                request = pb.SubmitSqlRequest(job=instance_pb2.SqlJob(query=f"select {n}"))
                stub(channel).SubmitSql(request, metadata=good, timeout=30)
        messages = _exercise(right, upstream.emulator)
        signature_failures = _exercise(wrong, upstream.emulator)
    finally:
        right.close()
        wrong.close()
    # The wrong key really was refused upstream (signature failures reached the callers).
    assert any("Signature" in m or "signature" in m for m in signature_failures), (
        signature_failures[:5]
    )
    # ... and told apart from a refused bearer token: the gateway's own key was rejected.
    assert any(m.startswith("UPSTREAM_CREDENTIALS_REJECTED ") for m in signature_failures), (
        signature_failures[:5]
    )
    logs = right.log_text() + wrong.log_text()
    assert "DEBUG" in logs, "DEBUG logging was not on"
    assert "UNAUTHENTICATED" in logs and "PERMISSION_DENIED" in logs, "auth failures not logged"
    if fmt == "json":
        import json

        records = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
        assert records and all("level" in r and "message" in r for r in records)
    leaks = _scan(logs)
    assert not leaks, f"secrets in the {fmt} logs: {leaks}"
    leaks = _scan("\n".join(messages + signature_failures))
    assert not leaks, f"secrets in error messages sent to callers: {leaks}"


def _tls_args(up: Upstream, *extra: str) -> list[str]:
    return [
        "--endpoint", up.proxy.endpoint,
        "--project", "demo",
        "--access-id", ACCESS_ID,
        *extra,
    ]  # fmt: skip


def _health(channel: grpc.Channel) -> Any:
    return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)


def test_tls_is_required_when_configured(tmp_path: Path, upstream: Upstream) -> None:
    tls = make_tls_files(tmp_path)
    env = {"ALIBABA_CLOUD_ACCESS_KEY_SECRET": ACCESS_KEY}
    args = _tls_args(upstream, "--tls-cert", str(tls.cert), "--tls-key", str(tls.key))
    gw = GatewayProcess(tmp_path, args, env=env, name="tls")
    mtls = GatewayProcess(tmp_path, [*args, "--tls-client-ca", str(tls.ca)], env=env, name="mtls")
    trusted = grpc.ssl_channel_credentials(root_certificates=tls.ca.read_bytes())
    with_cert = grpc.ssl_channel_credentials(
        root_certificates=tls.ca.read_bytes(),
        private_key=tls.client_key.read_bytes(),
        certificate_chain=tls.client_cert.read_bytes(),
    )
    try:
        gw.start()
        mtls.start()
        # Plaintext against TLS: refused, whatever the RPC.
        with grpc.insecure_channel(gw.target) as plain, pytest.raises(grpc.RpcError) as info:
            _health(plain)
        assert info.value.code() is grpc.StatusCode.UNAVAILABLE  # type: ignore[attr-defined]
        with grpc.insecure_channel(gw.target) as plain, pytest.raises(grpc.RpcError) as info:
            stub(plain).GetInstance(pb.GetInstanceRequest(instance_id=SAMPLE_ID), timeout=5)
        assert info.value.code() is grpc.StatusCode.UNAVAILABLE  # type: ignore[attr-defined]
        # TLS without trusting the gateway's CA: refused.
        untrusted = grpc.ssl_channel_credentials()
        with grpc.secure_channel(gw.target, untrusted) as ch, pytest.raises(grpc.RpcError):
            _health(ch)
        # TLS with the CA: served.
        with grpc.secure_channel(gw.target, trusted) as ch:
            assert _health(ch).status == health_pb2.HealthCheckResponse.SERVING
            with pytest.raises(grpc.RpcError) as info:
                stub(ch).GetInstance(pb.GetInstanceRequest(instance_id=SAMPLE_ID), timeout=10)
            assert info.value.code() is grpc.StatusCode.NOT_FOUND  # type: ignore[attr-defined]
        # mTLS: a TLS client without a certificate is refused; one with a certificate served.
        with grpc.secure_channel(mtls.target, trusted) as ch, pytest.raises(grpc.RpcError):
            _health(ch)
        with grpc.secure_channel(mtls.target, with_cert) as ch:
            assert _health(ch).status == health_pb2.HealthCheckResponse.SERVING
    finally:
        gw.close()
        mtls.close()
