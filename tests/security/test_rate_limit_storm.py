"""A storm of cancelled watches cannot delay another caller's snapshot: the upstream rate
limit keeps no debt for waiters that left."""

from __future__ import annotations

import asyncio

import grpc
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcemulator import Emulator

from security.conftest import (
    ALICE,
    BOB,
    ending,
    error_parts,
    first_message,
    start_secured,
    wait_for,
)


async def test_cancelled_watches_do_not_delay_another_callers_snapshot(
    emulator: Emulator, tokens_file
) -> None:
    # 5 upstream reads per second: 200 queued pollers are 40 s of waiting.
    s = await start_secured(
        emulator,
        tokens_file,
        upstream_rate_limit_qps=5,
        upstream_rate_limit_burst=1,
        max_instances_per_caller=1000,
    )
    try:
        healthy = await s.submit(60, token=BOB)
        hub = s.server.hub
        assert hub is not None
        storm = [
            s.stub.WatchInstance(
                pb.WatchInstanceRequest(instance_id=f"20990101000000000bogus{i:04d}"),
                metadata=s.md(ALICE),
                timeout=60,
            )
            for i in range(200)
        ]
        await wait_for(lambda: hub.limiter.waiting >= 150, timeout=20)
        for call in storm:
            call.cancel()
        await wait_for(lambda: hub.poller_count == 0, timeout=10)
        loop = asyncio.get_running_loop()
        started = loop.time()
        watch = s.stub.WatchInstance(
            pb.WatchInstanceRequest(instance_id=healthy), metadata=s.md(BOB), timeout=60
        )
        message = await first_message(watch, timeout=30)
        delay = loop.time() - started
        print(f"\nsnapshot delay after 200 cancelled watches at 5 qps: {delay:.2f} s")
        assert message.instance.instance_id == healthy
        assert delay <= 2.0
        watch.cancel()
    finally:
        await s.close()


async def test_a_delay_that_is_the_gateways_own_says_so(emulator: Emulator, tokens_file) -> None:
    # One token per 100 s: the second poller waits for the gateway, not for MaxCompute.
    s = await start_secured(
        emulator,
        tokens_file,
        upstream_rate_limit_qps=0.01,
        upstream_rate_limit_burst=1,
        snapshot_timeout=1.0,
    )
    try:
        first = s.stub.WatchInstance(
            pb.WatchInstanceRequest(instance_id="20990101000000000bogusfirst"),
            metadata=s.md(ALICE),
            timeout=30,
        )
        await ending(first)  # NOT_FOUND, after taking the only token
        second = s.stub.WatchInstance(
            pb.WatchInstanceRequest(instance_id="20990101000000000bogussecond"),
            metadata=s.md(ALICE),
            timeout=30,
        )
        error = await ending(second)
        assert error is not None and error.code() is grpc.StatusCode.UNAVAILABLE
        parts = error_parts(error)
        assert parts["ErrorInfo"].reason == "GATEWAY_RATE_LIMITED"
        assert "rate limit" in parts["details"]
    finally:
        await s.close()
