"""Scale-out: two gateway processes behind gRPC client-side round_robin.

Both replicas front the same emulator and share a page-token key. A channel to
``ipv4:127.0.0.1:P1,127.0.0.1:P2`` with ``{"loadBalancingConfig": [{"round_robin": {}}]}``:

- spreads unary calls over both replicas (each one's own metrics count its share), and a
  page token minted by one replica is accepted by the other;
- when one replica shuts down gracefully (SIGTERM) while Python-client ``watch()`` loops
  follow instances through both, its watchers reconnect to the other (snapshot-first) and
  every watcher still receives exactly one TERMINAL with the right final state; calls keep
  succeeding on the survivor.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator, EmulatorConfig
from mcgateway_client import EventType, Gateway, Instance

from reliability.harness import DURATION_HINT, GatewayProcess, WatchThread, stub, wait_until

pb = instance_service_pb2

UNARY_CALLS = 200
"""Unary calls spread over the two replicas."""
MIN_SHARE = 0.3
"""Smallest share of the unary calls either replica must have served."""
INSTANCES = 4
"""Instances watched across the shutdown."""
WATCHERS_PER_INSTANCE = 8
"""Python-client watch() loops per instance (threads)."""
SERVICE_CONFIG = (
    Path(__file__).resolve().parents[2] / "proto/maxcompute/gateway/v1/service_config.json"
)


def round_robin_channel(targets: list[str]) -> grpc.Channel:
    """One channel over every replica, round_robin, with the shipped per-method config."""
    config = json.loads(SERVICE_CONFIG.read_text())
    config["loadBalancingConfig"] = [{"round_robin": {}}]
    return grpc.insecure_channel(
        "ipv4:" + ",".join(targets),
        options=[("grpc.service_config", json.dumps(config)), ("grpc.enable_retries", 1)],
    )


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[tuple[GatewayProcess, GatewayProcess]]:
    """Two gateway processes on one emulator, sharing their page-token key."""
    with Emulator(EmulatorConfig(data_dir=tmp_path / "emu", workers=8)) as emu:
        env = {
            "MCGATEWAY_ACCESS_KEY": emu.access_key,
            "MCGATEWAY_PAGE_TOKEN_KEY": uuid.uuid4().hex,
        }
        args = [
            "--endpoint", emu.endpoint,
            "--project", emu.project,
            "--access-id", emu.access_id,
            "--progress-interval", "0.5",
        ]  # fmt: skip
        a = GatewayProcess(tmp_path, args, env=env, name="replica-a")
        b = GatewayProcess(tmp_path, args, env=env, name="replica-b")
        try:
            yield a.start(), b.start()
        finally:
            a.close()
            b.close()


def _served(gw: GatewayProcess, method: str) -> float:
    return gw.metric("mcgateway_rpc_requests_total", method=method)


def test_unary_calls_spread_over_both_replicas(
    replicas: tuple[GatewayProcess, GatewayProcess],
) -> None:
    a, b = replicas
    with round_robin_channel([a.target, b.target]) as channel:
        s = stub(channel)
        for n in range(3):
            request = pb.SubmitSqlRequest(job=instance_pb2.SqlJob(query=f"select {n}"))
            s.SubmitSql(request, timeout=30)
        for _ in range(UNARY_CALLS):
            s.ListInstances(pb.ListInstancesRequest(page_size=10), timeout=10)
        served = {gw.name: _served(gw, "ListInstances") for gw in (a, b)}
        assert sum(served.values()) == UNARY_CALLS
        assert min(served.values()) >= MIN_SHARE * UNARY_CALLS, served
        # Paging across replicas: consecutive pages land on different processes.
        seen: list[str] = []
        token = ""
        while True:
            page = s.ListInstances(
                pb.ListInstancesRequest(page_size=1, page_token=token), timeout=10
            )
            seen.extend(i.instance_id for i in page.instances)
            token = page.next_page_token
            if not token:
                break
        assert len(seen) == len(set(seen)) >= 3


def test_graceful_shutdown_moves_watchers_to_the_other_replica(
    replicas: tuple[GatewayProcess, GatewayProcess],
) -> None:
    a, b = replicas
    channel = round_robin_channel([a.target, b.target])
    client = Gateway(channel=channel)
    try:
        instances = [
            client.run_sql("select count(*) from pyodps_iris", hints={DURATION_HINT: 8})
            for _ in range(INSTANCES - 1)
        ]
        instances.append(client.run_sql("select * from no_such_table", hints={DURATION_HINT: 8}))
        # A fresh Instance per watcher (each has its own state), all read before any watch
        # starts: interleaving one unary call per stream would pin round_robin's alternation
        # so that every stream lands on the same replica.
        mine = [
            (inst, client.get_instance(inst.id))
            for inst in instances
            for _ in range(WATCHERS_PER_INSTANCE)
        ]
        watches = [(inst, WatchThread(copy)) for inst, copy in mine]
        for _, w in watches:
            snapshot = w.first()
            assert snapshot.type is EventType.SNAPSHOT
            assert snapshot.state.status is Instance.Status.RUNNING
        open_a = a.metric("mcgateway_active_streams", method="WatchInstance")
        open_b = b.metric("mcgateway_active_streams", method="WatchInstance")
        assert open_a > 0 and open_b > 0, (open_a, open_b)
        assert open_a + open_b == len(watches)
        served_before = _served(b, "WatchInstance")

        assert a.terminate(timeout=60) == 0  # graceful: SIGTERM, streams end, exit 0

        for inst, w in watches:
            events = w.rest()
            terminals = [e for e in events if e.type is EventType.TERMINAL]
            assert len(terminals) == 1, [e.type for e in events]
            assert events[-1] is terminals[0]
            assert terminals[0].state.status is Instance.Status.TERMINATED
            assert terminals[0].state.successful is (inst is not instances[-1])
        # The survivor finished its own streams and those moved from the stopped replica.
        assert _served(b, "WatchInstance") >= served_before + open_b + open_a
        wait_until(
            lambda: b.metric("mcgateway_active_streams", method="WatchInstance") == 0,
            30,
            "streams on the survivor to close",
        )
        # The survivor serves every further call on the same channel.
        for inst in instances:
            assert client.get_instance(inst.id).status is Instance.Status.TERMINATED
    finally:
        client.close()
        channel.close()
