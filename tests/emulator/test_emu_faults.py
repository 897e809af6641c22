"""Fault injection: in-process, over the admin endpoint and from start-up; scoped by operation."""

from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
import requests
from emu_helpers import SignedClient, error_code, make_odps
from mcemulator import OPERATIONS, Emulator, FaultRule
from mcemulator.admin_client import admin_headers
from mcemulator.cli import add_arguments, config_from
from odps import errors


def test_operation_names_are_fixed() -> None:
    assert {
        "list_instances",
        "get_instance",
        "get_instance_status",
        "task_status",
        "task_result",
        "task_progress",
        "create_instance",
        "stop_instance",
        "logview",
        "xflow",
    } <= OPERATIONS
    with pytest.raises(ValueError, match="unknown operation"):
        FaultRule(operations=frozenset({"nope"}))
    with pytest.raises(ValueError):
        FaultRule(error_rate=2.0)


def test_faults_are_off_by_default(emulator: Emulator, client: SignedClient) -> None:
    assert emulator.faults.rules == ()
    assert client.get("/projects/demo/instances").status_code == 200


def test_transient_errors_are_retried_by_pyodps(emulator: Emulator, odps: object) -> None:
    inst = make_odps(emulator).execute_sql("select 1")
    emulator.faults.inject(
        operations="get_instance", error_rate=1.0, error_statuses=(503,), remaining=2
    )
    before = emulator.request_count("get_instance")
    assert make_odps(emulator).exist_instance(inst.id)
    assert emulator.request_count("get_instance") - before == 3  # two 503s, then success


def test_error_bodies_per_status(emulator: Emulator, client: SignedClient) -> None:
    for status, code in ((500, "InternalServerError"), (503, "ServiceUnavailable")):
        emulator.faults.inject(
            operations="list_instances", error_rate=1.0, error_statuses=(status,)
        )
        resp = client.get("/projects/demo/instances")
        assert resp.status_code == status and error_code(resp) == code
    emulator.faults.inject(operations="list_instances", error_rate=1.0, error_statuses=(502,))
    resp = client.get("/projects/demo/instances")
    assert resp.status_code == 502 and "currently unavailable" in resp.text
    assert client.get("/tenants").status_code == 200  # other operations are untouched


def test_internal_error_maps_to_pyodps_class(emulator: Emulator) -> None:
    o = make_odps(emulator)
    inst = o.run_sql("select 1", hints={"mcemulator.duration_seconds": "30"})
    emulator.faults.inject(operations="get_instance", error_rate=1.0, error_statuses=(500,))
    with pytest.raises(errors.InternalServerError):
        _ = o.get_instance(inst.id).status
    emulator.faults.clear()
    inst.stop()


def test_throttling_has_retry_after(emulator: Emulator, client: SignedClient) -> None:
    emulator.faults.inject(operations="task_status", throttle_rate=1.0, retry_after_seconds=7)
    iid = client.create_sql("select 1;")
    resp = client.get(f"/projects/demo/instances/{iid}?taskstatus")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"
    assert resp.headers["x-odps-request-id"] in resp.text
    assert error_code(resp) == "QPSExceeded"


def test_dropped_connection(emulator: Emulator, client: SignedClient) -> None:
    emulator.faults.inject(operations="list_instances", drop_rate=1.0, remaining=1)
    with pytest.raises(requests.ConnectionError):
        client.get("/projects/demo/instances")
    assert client.get("/projects/demo/instances").status_code == 200  # server still up


def test_malformed_body(emulator: Emulator, client: SignedClient) -> None:
    iid = client.create_sql("select 1;")
    emulator.faults.inject(operations="get_instance", malformed_rate=1.0, remaining=1)
    resp = client.get(f"/projects/demo/instances/{iid}")
    assert resp.status_code == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(resp.content)
    assert ET.fromstring(client.get(f"/projects/demo/instances/{iid}").content).tag == "Instance"


def test_latency_is_scoped(emulator: Emulator, client: SignedClient) -> None:
    emulator.faults.inject(operations="tenants", latency_seconds=0.3)
    started = time.monotonic()
    client.get("/tenants")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.get("/logview/host")
    assert time.monotonic() - started < 0.3


def test_admin_endpoint(private_emulator: Callable[..., Emulator]) -> None:
    emu = private_emulator(admin=True)
    client, admin = SignedClient(emu), emu.admin_client()
    rule = FaultRule(
        operations=frozenset({"list_instances"}), error_rate=1.0, error_statuses=(503,)
    )
    assert admin.set_faults(rule)[0]["operations"] == ["list_instances"]
    assert client.get("/projects/demo/instances").status_code == 503
    assert admin.faults()[0]["error_rate"] == 1.0
    assert admin.clear_faults() == []
    assert client.get("/projects/demo/instances").status_code == 200
    url = f"http://127.0.0.1:{emu.port}/_emulator/faults"
    for body in (b'{"rules": [{"bogus": 1}]}', b"{not json"):
        headers = admin_headers("POST", "/faults", body, emu.access_id, emu.access_key)
        assert requests.post(url, data=body, headers=headers, timeout=10).status_code == 400
    assert admin.request_counts()["list_instances"] == emu.request_count("list_instances")


def test_faults_from_startup_config(private_emulator: Callable[..., Emulator]) -> None:
    rule = FaultRule(operations=frozenset({"tenants"}), error_rate=1.0, error_statuses=(500,))
    emu = private_emulator(faults=(rule,))
    assert SignedClient(emu).get("/tenants").status_code == 500


def test_cli_fault_flags() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            "--listen",
            "127.0.0.1:0",
            "--fault-error-rate",
            "0.5",
            "--fault-latency",
            "0.1",
            "--fault-operations",
            "get_instance,task_status",
            "--duration",
            "2",
        ]
    )
    config = config_from(args)
    assert config.port == 0 and config.default_duration_seconds == 2
    assert config.max_clock_skew_seconds == 900 and not config.admin and config.accounts is None
    (rule,) = config.faults
    assert rule.error_rate == 0.5 and rule.latency_seconds == 0.1
    assert rule.operations == {"get_instance", "task_status"}
    assert config_from(parser.parse_args([])).faults == ()
    assert config_from(parser.parse_args(["--max-clock-skew", "60"])).max_clock_skew_seconds == 60
    assert config_from(parser.parse_args(["--max-clock-skew", "0"])).max_clock_skew_seconds is None
    assert config_from(parser.parse_args(["--admin"])).admin
    with pytest.raises(SystemExit):
        parser.parse_args(["--fault-operations", "nope"])


def test_seeded_draws_are_reproducible() -> None:
    from mcemulator import FaultController

    def draws(controller: FaultController) -> list[str]:
        controller.set(FaultRule(error_rate=0.3, drop_rate=0.2, throttle_rate=0.1))
        return [controller.decide("get_instance").action for _ in range(50)]

    late = FaultController()
    late.seed = 7  # reseeding after construction restarts the sequence
    assert draws(FaultController(7)) == draws(late)
    assert {"error", "drop", "none"} <= set(draws(FaultController(7)))
