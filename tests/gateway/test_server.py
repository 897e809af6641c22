"""Server features: health, reflection, metrics endpoint, exposure guard, CLI and SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from maxcompute.gateway.v1 import instance_service_pb2_grpc
from mcemulator import FaultRule
from mcgateway.config import ConfigError, GatewayConfig
from mcgateway.server import GatewayServer

from gateway.support import expect_error, pb, sql_job, stub_for, wait_until

MCGATEWAY = str(Path(sys.executable).with_name("mcgateway"))


def test_health_is_serving(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "maxcompute.gateway.v1.InstanceService"):
        response = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_services(channel):
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = reflection.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5
    )
    names = {s.name for r in responses for s in r.list_services_response.service}
    assert "maxcompute.gateway.v1.InstanceService" in names
    assert "grpc.health.v1.Health" in names
    assert "grpc.reflection.v1alpha.ServerReflection" in names


def test_metrics_endpoint_is_scraped(gateway, stub):
    stub.InstanceExists(pb.InstanceExistsRequest(instance_id="20991231000000000metrics"))
    url = f"http://127.0.0.1:{gateway.metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    assert 'mcgateway_rpc_requests_total{code="OK",method="InstanceExists"}' in text
    assert "mcgateway_rpc_duration_seconds_bucket" in text
    assert 'mcgateway_upstream_requests_total{code="NOT_FOUND",operation="get_instance"}' in text
    assert "mcgateway_upstream_duration_seconds_bucket" in text
    assert "mcgateway_cache_requests_total" in text
    assert "mcgateway_active_pollers" in text
    assert "mcgateway_active_streams" in text


def test_active_streams_gauge_counts_open_watches(gateway, stub):
    instance = stub.SubmitSql(pb.SubmitSqlRequest(job=sql_job("select 1", duration=60))).instance
    metric = "mcgateway_active_streams"
    labels = {"method": "WatchInstance"}
    base = gateway.metrics.value(metric, labels)
    stream = stub.WatchInstance(
        pb.WatchInstanceRequest(instance_id=instance.instance_id), timeout=60
    )
    try:
        first = next(stream)
        assert first.event_type == pb.WatchInstanceResponse.SNAPSHOT
        assert gateway.metrics.value(metric, labels) == base + 1
    finally:
        stream.cancel()
        stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))
    wait_until(lambda: gateway.metrics.value(metric, labels) == base, what="stream gauge back")


def test_non_loopback_without_tokens_refuses_to_start():
    with pytest.raises(ConfigError, match="--tokens-file"):
        GatewayServer(GatewayConfig(listen="0.0.0.0:0", endpoint="http://127.0.0.1:1/api"))
    # With --insecure the operator accepted the risk.
    GatewayServer(GatewayConfig(listen="0.0.0.0:0", endpoint="http://x/api", insecure=True))


def test_cli_insecure_refusal_exit_code(tmp_path):
    result = subprocess.run(
        [MCGATEWAY, "serve", "--listen", "0.0.0.0:0", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--tokens-file" in result.stderr
    assert "--insecure" in result.stderr


def test_cli_help_documents_every_option():
    result = subprocess.run(
        [MCGATEWAY, "serve", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    from mcgateway.config import field_names

    for name in field_names():
        flag = "--" + name.replace("_", "-")
        assert flag in result.stdout, flag
    assert "[default: '127.0.0.1:50051'" in result.stdout.replace("\n", " ").replace("  ", " ")


def _start_cli(tmp_path: Path, emulator, *extra: str) -> tuple[subprocess.Popen[str], dict]:
    ready = tmp_path / "ready.json"
    env = dict(os.environ)
    env.update(
        ALIBABA_CLOUD_ACCESS_KEY_ID=emulator.access_id,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator.access_key,
    )
    proc = subprocess.Popen(
        [
            MCGATEWAY,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--endpoint",
            emulator.endpoint,
            "--project",
            emulator.project,
            "--ready-file",
            str(ready),
            "--grace-period",
            "20",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        wait_until(lambda: ready.exists() or proc.poll() is not None, budget=60, what="ready file")
    except AssertionError:
        proc.kill()
        raise
    assert proc.poll() is None, proc.communicate()
    return proc, json.loads(ready.read_text())


_STDERR: dict[int, list[str]] = {}


def _stderr_so_far(proc: subprocess.Popen[str]) -> str:
    """Read what the process wrote to stderr so far (non-blocking)."""
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    chunk = proc.stderr.read() or ""
    _STDERR.setdefault(proc.pid, []).append(chunk)
    return "".join(_STDERR[proc.pid])


def test_sigterm_lets_inflight_calls_finish_and_exits_zero(tmp_path, emulator):
    proc, info = _start_cli(tmp_path, emulator)
    try:
        assert info["upstream"] == emulator.endpoint
        assert info["project"] == "demo"
        stub = stub_for(info["target"])
        assert stub.InstanceExists(pb.InstanceExistsRequest(instance_id="warm1")).exists is False
        # Hold the next instance read in the emulator for a while.
        emulator.faults.set(FaultRule(operations=frozenset({"get_instance"}), latency_seconds=2.0))
        before = emulator.request_count("get_instance")
        outcome: dict[str, object] = {}

        def inflight() -> None:
            try:
                outcome["exists"] = stub.InstanceExists(
                    pb.InstanceExistsRequest(instance_id="inflight1"), timeout=30
                ).exists
            except grpc.RpcError as exc:
                outcome["error"] = exc

        worker = threading.Thread(target=inflight)
        worker.start()
        wait_until(lambda: emulator.request_count("get_instance") > before, what="call in flight")
        proc.send_signal(signal.SIGTERM)

        def refused() -> bool:
            try:
                stub_for(info["target"]).InstanceExists(
                    pb.InstanceExistsRequest(instance_id="late1"), timeout=5
                )
            except grpc.RpcError as exc:
                return exc.code() is grpc.StatusCode.UNAVAILABLE
            return False

        wait_until(refused, budget=30, what="new calls refused")
        worker.join(30)
        assert outcome.get("exists") is False, outcome
        assert proc.wait(30) == 0
    finally:
        emulator.faults.set()
        if proc.poll() is None:
            proc.kill()
        out, _err = proc.communicate()
    assert out.count("mcgateway is serving") == 1
    assert info["target"] in out
    assert "grpcurl" in out and "mcgw" in out


def test_sighup_reloads_tokens(tmp_path, emulator):
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"tokens": [{"token": "one", "projects": ["*"]}]}))
    proc, info = _start_cli(tmp_path, emulator, "--tokens-file", str(tokens))
    try:
        stub = stub_for(info["target"])
        req = pb.InstanceExistsRequest(instance_id="hup1")
        assert stub.InstanceExists(req, metadata=(("authorization", "Bearer one"),)).exists is False
        tokens.write_text(json.dumps({"tokens": [{"token": "two", "projects": ["*"]}]}))
        proc.send_signal(signal.SIGHUP)

        def switched() -> bool:
            try:
                stub.InstanceExists(req, metadata=(("authorization", "Bearer two"),))
            except grpc.RpcError:
                return False
            return True

        wait_until(switched, budget=30, what="new token accepted")
        err = expect_error(stub.InstanceExists, req, metadata=(("authorization", "Bearer one"),))
        assert err.code is grpc.StatusCode.UNAUTHENTICATED
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def test_embedded_emulator_by_default(tmp_path):
    """`mcgateway serve` without --endpoint runs the emulator in-process with project demo."""
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [
            MCGATEWAY,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--metrics-listen",
            "127.0.0.1:0",
            "--data-dir",
            str(tmp_path / "data"),
            "--ready-file",
            str(ready),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: ready.exists() or proc.poll() is not None, budget=60, what="ready")
        info = json.loads(ready.read_text())
        assert info["project"] == "demo"
        assert info["upstream"].startswith("http://127.0.0.1:")
        assert info["metrics"].startswith("http://127.0.0.1:")
        with grpc.insecure_channel(info["target"]) as channel:
            stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
            result = stub.SubmitSql(
                pb.SubmitSqlRequest(job=sql_job("select * from pyodps_iris limit 1", duration=0.05))
            )
            assert result.instance.project == "demo"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert (tmp_path / "data" / "emulator").is_dir()


def test_second_signal_cuts_the_grace_period_short(tmp_path, emulator):
    proc, info = _start_cli(tmp_path, emulator)  # grace period 20 s
    try:
        stub = stub_for(info["target"])
        emulator.faults.set(FaultRule(operations=frozenset({"get_instance"}), latency_seconds=8.0))
        before = emulator.request_count("get_instance")
        future = stub.InstanceExists.future(
            pb.InstanceExistsRequest(instance_id="slow2"), timeout=30
        )
        wait_until(lambda: emulator.request_count("get_instance") > before, what="call in flight")
        proc.send_signal(signal.SIGTERM)
        wait_until(lambda: "shutting down" in _stderr_so_far(proc), budget=10, what="shutdown")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert time.monotonic() - started < 5.0, "the second signal did not cut the grace short"
        with pytest.raises(grpc.RpcError) as info_err:
            future.result()
        assert info_err.value.code() in (grpc.StatusCode.CANCELLED, grpc.StatusCode.UNAVAILABLE)
    finally:
        emulator.faults.set()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--endpoint", "notaurl", "--access-id", "a", "--access-key", "b"], "http(s) URL"),
        (["--endpoint", "http://127.0.0.1:1/api"], "credentials missing"),
        (["--tls-cert", "/nonexistent.pem"], "--tls-key"),
        (["--log-level", "LOUD"], "log_level"),
        (["--tokens-file", "{bad}"], "tokens"),
    ],
)
def test_cli_configuration_errors_exit_2(tmp_path, extra, message):
    if "{bad}" in extra:
        bad = tmp_path / "tokens.json"
        bad.write_text('{"tokens": 1}')
        extra = [str(bad) if x == "{bad}" else x for x in extra]
        extra += ["--endpoint", "http://127.0.0.1:1/api", "--access-id", "a", "--access-key", "b"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_", "MCGATEWAY_"))}
    result = subprocess.run(
        [MCGATEWAY, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
