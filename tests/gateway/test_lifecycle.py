"""Shutdown order (NOT_SERVING, streams end UNAVAILABLE), structured logs, the emulator command."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import threading
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from mcgateway.config import GatewayConfig
from mcgateway.logs import configure_logging, request_id_var
from mcgateway.testing import GatewayThread, gateway_config_for

from gateway.support import pb, stub_for, submit_sql, wait_until

MCGATEWAY = str(Path(sys.executable).with_name("mcgateway"))


def _config(emulator) -> GatewayConfig:
    return gateway_config_for(
        emulator,
        grace_period=5.0,
    )


def test_shutdown_flips_health_and_ends_streams_with_unavailable(emulator):
    gw = GatewayThread(_config(emulator)).start()
    channel = grpc.insecure_channel(gw.target)
    try:
        stub = stub_for(gw.target)
        instance = submit_sql(stub, "select 1", duration=120)
        health_stream = health_pb2_grpc.HealthStub(channel).Watch(
            health_pb2.HealthCheckRequest(service=""), timeout=60
        )
        assert next(health_stream).status == health_pb2.HealthCheckResponse.SERVING
        watch = stub.WatchInstance(
            pb.WatchInstanceRequest(instance_id=instance.instance_id), timeout=60
        )
        assert next(watch).event_type == pb.WatchInstanceResponse.SNAPSHOT

        stopper = threading.Thread(target=gw.stop)
        stopper.start()
        assert next(health_stream).status == health_pb2.HealthCheckResponse.NOT_SERVING
        try:
            for _ in watch:
                pass
            raise AssertionError("the watch stream ended without an error")
        except grpc.RpcError as exc:
            assert exc.code() is grpc.StatusCode.UNAVAILABLE
        stopper.join(30)
        assert not stopper.is_alive()
    finally:
        channel.close()
        gw.stop()
        # The instance keeps running upstream; stop it through a fresh gateway.
        with GatewayThread(_config(emulator)) as other:
            stub_for(other.target).StopInstance(
                pb.StopInstanceRequest(instance_id=instance.instance_id)
            )


def test_json_logs_carry_the_request_id():
    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream)
    try:
        token = request_id_var.set("req-42")
        try:
            logging.getLogger("mcgateway.test").info("hello %s", "world", extra={"rpc_method": "X"})
        finally:
            request_id_var.reset(token)
        line = json.loads(stream.getvalue().strip().splitlines()[-1])
        assert line["message"] == "hello world"
        assert line["request_id"] == "req-42"
        assert line["rpc_method"] == "X"
        assert line["level"] == "INFO"
    finally:
        for name in ("mcgateway", "mcemulator"):
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.propagate = True
            logger.setLevel(logging.NOTSET)


def test_rpc_failures_are_logged_as_json_lines_without_secrets(tmp_path, emulator):
    """A subprocess gateway with --log-format json: one parseable line per failed call."""
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [
            MCGATEWAY,
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--endpoint",
            emulator.endpoint,
            "--project",
            "demo",
            "--access-id",
            emulator.access_id,
            "--access-key",
            emulator.access_key,
            "--log-format",
            "json",
            "--log-level",
            "DEBUG",
            "--ready-file",
            str(ready),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: ready.exists() or proc.poll() is not None, budget=60, what="ready")
        target = json.loads(ready.read_text())["target"]
        try:
            stub_for(target).GetInstance(pb.GetInstanceRequest(instance_id="20991231nosuchlog"))
        except grpc.RpcError as exc:
            request_id = dict(exc.trailing_metadata())["x-request-id"]
        proc.terminate()
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        _, err = proc.communicate()
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert records, err
    failed = [r for r in records if r.get("request_id") == request_id]
    assert failed and failed[0]["code"] == "NOT_FOUND"
    assert emulator.access_key not in err, "the secret never reaches the log"


def test_emulator_subcommand_help():
    result = subprocess.run(
        [MCGATEWAY, "emulator", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "--listen" in result.stdout and "--data-dir" in result.stdout
