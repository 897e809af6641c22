"""A token removed from the tokens file ends the streams opened with it, within seconds."""

from __future__ import annotations

import asyncio

import grpc
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcemulator import Emulator

from security.conftest import ALICE, BOB, ending, error_parts, first_message, write_tokens


async def _measure_end(call, started: float) -> tuple[grpc.aio.AioRpcError | None, float]:
    error = await ending(call, timeout=20)
    return error, asyncio.get_running_loop().time() - started


async def test_removing_a_token_ends_its_streams_without_a_sighup(secured) -> None:
    s = secured
    iid = await s.submit(60)
    alice = s.stub.WatchInstance(
        pb.WatchInstanceRequest(instance_id=iid), metadata=s.md(ALICE), timeout=60
    )
    bob = s.stub.WatchInstance(
        pb.WatchInstanceRequest(instance_id=iid), metadata=s.md(BOB), timeout=60
    )
    wait = s.stub.WaitInstance(
        pb.WaitInstanceRequest(instance_id=iid), metadata=s.md(ALICE), timeout=25
    )
    await first_message(alice)
    await first_message(bob)
    loop = asyncio.get_running_loop()
    started = loop.time()
    write_tokens(s.tokens_file, {"bob": (BOB, ["demo"])})  # alice is gone
    error, elapsed = await _measure_end(alice, started)
    print(f"\nreload to UNAUTHENTICATED on an open stream: {elapsed:.2f} s")
    assert error is not None and error.code() is grpc.StatusCode.UNAUTHENTICATED
    assert error_parts(error)["ErrorInfo"].reason == "TOKEN_REVOKED"
    assert elapsed <= 5.0
    try:
        await wait
        raise AssertionError("the wait of a revoked token went on")
    except grpc.aio.AioRpcError as exc:
        assert exc.code() is grpc.StatusCode.UNAUTHENTICATED
    assert not bob.done()  # a token still in the file keeps its stream
    bob.cancel()


async def test_a_token_that_lost_the_project_loses_its_streams(secured) -> None:
    s = secured
    iid = await s.submit(60)
    bob = s.stub.WatchInstance(
        pb.WatchInstanceRequest(instance_id=iid), metadata=s.md(BOB), timeout=60
    )
    await first_message(bob)
    write_tokens(s.tokens_file, {"alice": (ALICE, ["demo"]), "bob": (BOB, ["elsewhere"])})
    assert s.server.reload_tokens()  # SIGHUP's path: at once
    error = await ending(bob, timeout=5)
    assert error is not None and error.code() is grpc.StatusCode.PERMISSION_DENIED


async def test_an_invalid_file_keeps_the_old_tokens_and_streams(
    emulator: Emulator, secured
) -> None:
    s = secured
    iid = await s.submit(60)
    alice = s.stub.WatchInstance(
        pb.WatchInstanceRequest(instance_id=iid), metadata=s.md(ALICE), timeout=60
    )
    await first_message(alice)
    s.tokens_file.write_text("{not json", encoding="utf-8")
    assert not s.server.reload_tokens()
    await asyncio.sleep(0.2)
    assert not alice.done()
    alice.cancel()
