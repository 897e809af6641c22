"""Per-caller and global limits: one caller cannot hold what every caller shares."""

from __future__ import annotations

import grpc
import pytest
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcemulator import Emulator
from mcgateway.server import server_options

from security.conftest import (
    ALICE,
    BOB,
    ending,
    error_parts,
    first_message,
    start_secured,
    wait_for,
)


def _watch(s, instance_id: str, token: str):
    return s.stub.WatchInstance(
        pb.WatchInstanceRequest(instance_id=instance_id), metadata=s.md(token), timeout=60
    )


async def test_streams_past_the_callers_limit_are_refused_and_others_go_on(
    emulator: Emulator, tokens_file
) -> None:
    s = await start_secured(emulator, tokens_file, max_streams_per_caller=3)
    try:
        iid = await s.submit(60)
        mine = [_watch(s, iid, ALICE) for _ in range(3)]
        for call in mine:
            await first_message(call)
        assert s.metric("mcgateway_caller_open", {"kind": "streams", "principal": "alice"}) == 3
        refused = await ending(_watch(s, iid, ALICE))
        assert refused is not None and refused.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        parts = error_parts(refused)
        assert parts["ErrorInfo"].reason == "CALLER_LIMIT"
        assert parts["ErrorInfo"].metadata["limit"] == "max_streams_per_caller"
        violation = parts["QuotaFailure"].violations[0]
        assert violation.subject == "caller:alice" and "3 streams" in violation.description
        # Another caller is not affected, and the refused caller's open streams go on.
        theirs = _watch(s, iid, BOB)
        assert (await first_message(theirs)).instance.instance_id == iid
        for call in mine:
            assert not call.done()
        assert s.metric("mcgateway_limit_refusals_total", {"limit": "max_streams_per_caller"}) == 1
        for call in [*mine, theirs]:
            call.cancel()
        await wait_for(
            lambda: (
                s.metric("mcgateway_caller_open", {"kind": "streams", "principal": "alice"}) == 0
            )
        )
    finally:
        await s.close()


async def test_waits_past_the_callers_limit_are_refused(emulator: Emulator, tokens_file) -> None:
    s = await start_secured(emulator, tokens_file, max_waits_per_caller=2)
    try:
        iid = await s.submit(60)
        request = pb.WaitInstanceRequest(instance_id=iid)
        waits = [s.stub.WaitInstance(request, metadata=s.md(ALICE), timeout=20) for _ in range(2)]
        await wait_for(lambda: s.server.chokepoint.limits.count("waits", "alice") == 2)
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await s.stub.WaitInstance(request, metadata=s.md(ALICE), timeout=20)
        assert info.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert error_parts(info.value)["ErrorInfo"].metadata["limit"] == "max_waits_per_caller"
        for call in waits:
            call.cancel()
    finally:
        await s.close()


async def test_distinct_instances_polled_for_one_caller_are_bounded(
    emulator: Emulator, tokens_file
) -> None:
    s = await start_secured(emulator, tokens_file, max_instances_per_caller=2)
    try:
        first, second, third = [await s.submit(60) for _ in range(3)]
        calls = [_watch(s, first, ALICE), _watch(s, first, ALICE), _watch(s, second, ALICE)]
        for call in calls:
            await first_message(call)  # the same instance twice holds one slot
        refused = await ending(_watch(s, third, ALICE))
        assert refused is not None and refused.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert error_parts(refused)["ErrorInfo"].metadata["limit"] == "max_instances_per_caller"
        # Bogus ids count too: each names a poller of its own.
        assert (await first_message(_watch(s, third, BOB))).instance.instance_id == third
        for call in calls:
            call.cancel()
    finally:
        await s.close()


async def test_pollers_are_bounded_for_every_caller_together(
    emulator: Emulator, tokens_file
) -> None:
    s = await start_secured(emulator, tokens_file, max_pollers=2)
    try:
        first, second, third = [await s.submit(60) for _ in range(3)]
        calls = [_watch(s, first, ALICE), _watch(s, second, BOB)]
        for call in calls:
            await first_message(call)
        refused = await ending(_watch(s, third, BOB))
        assert refused is not None and refused.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        parts = error_parts(refused)
        assert parts["ErrorInfo"].reason == "GATEWAY_LIMIT"
        assert parts["QuotaFailure"].violations[0].subject == "gateway"
        # An instance already polled is still open to everyone.
        extra = _watch(s, first, BOB)
        assert (await first_message(extra)).instance.instance_id == first
        for call in [*calls, extra]:
            call.cancel()
    finally:
        await s.close()


def test_http2_streams_per_connection_are_bounded() -> None:
    options = dict(server_options(500))
    assert options["grpc.max_concurrent_streams"] == 500
