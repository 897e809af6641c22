"""Gateways for the trust-boundary tests: on the test's event loop, over the session emulator,
with a tokens file of two callers (``alice`` for demo, ``bob`` for demo) unless told otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2_grpc
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcemulator import DURATION_HINT, Emulator
from mcgateway.server import GatewayServer
from mcgateway.testing import gateway_config_for
from watch.conftest import wait_for

__all__ = [
    "ALICE",
    "BOB",
    "Secured",
    "ending",
    "error_parts",
    "first_message",
    "start_secured",
    "wait_for",
    "write_tokens",
]

ALICE = "alice-token-0001"
BOB = "bob-token-0002"


def write_tokens(path: Path, entries: dict[str, tuple[str, list[str]]]) -> Path:
    """Write a tokens file: name → (token, projects)."""
    tokens = [{"name": n, "token": t, "projects": p} for n, (t, p) in entries.items()]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"tokens": tokens}), encoding="utf-8")
    tmp.replace(path)  # atomically, as a Secret update or an editor's save does
    return path


@dataclass
class Secured:
    """A started gateway with auth, and what the tests touch."""

    server: GatewayServer
    channel: grpc.aio.Channel
    stub: instance_service_pb2_grpc.InstanceServiceStub
    tokens_file: Path
    emulator: Emulator
    submitted: list[str] = field(default_factory=list)

    async def close(self) -> None:
        """Stop what the test left running (the session emulator's workers are shared),
        then the gateway."""
        up = self.server.upstream
        assert up is not None
        for instance_id in self.submitted:
            with contextlib.suppress(Exception):  # already terminated is fine
                await up.run(
                    up.client.stop_instance,
                    self.emulator.project,
                    instance_id,
                    deadline=up.deadline(10),
                )
        await self.server.stop(grace=1.0)
        await self.channel.close()

    def md(self, token: str) -> tuple[tuple[str, str], ...]:
        """Call metadata carrying ``token``."""
        return (("authorization", f"Bearer {token}"),)

    async def submit(self, seconds: float, token: str = ALICE) -> str:
        """A SQL instance that runs for ``seconds``; its id."""
        response = await self.stub.SubmitSql(
            pb.SubmitSqlRequest(
                job=instance_pb2.SqlJob(query="select 1", hints={DURATION_HINT: str(seconds)})
            ),
            metadata=self.md(token),
            timeout=30,
        )
        self.submitted.append(response.instance.instance_id)
        return str(response.instance.instance_id)

    def metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        """A sample of the gateway's registry."""
        return self.server.metrics.value(name, labels)


async def start_secured(emulator: Emulator, tokens_file: Path, **overrides: Any) -> Secured:
    """Start a gateway with ``tokens_file`` on the session emulator."""
    config = gateway_config_for(
        emulator,
        tokens_file=tokens_file,
        progress_interval=0.3,
        **overrides,
    )
    server = GatewayServer(config, emulator=emulator)
    await server.start()
    channel = grpc.aio.insecure_channel(server.target)
    stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
    return Secured(server, channel, stub, tokens_file, emulator)


@pytest.fixture
def tokens_file(tmp_path: Path) -> Path:
    """alice and bob, both for demo."""
    return write_tokens(
        tmp_path / "tokens.json", {"alice": (ALICE, ["demo"]), "bob": (BOB, ["demo"])}
    )


@pytest.fixture
async def secured(emulator: Emulator, tokens_file: Path) -> AsyncIterator[Secured]:
    """A started gateway with the default limits."""
    s = await start_secured(emulator, tokens_file)
    try:
        yield s
    finally:
        await s.close()


def error_parts(exc: grpc.aio.AioRpcError) -> dict[str, Any]:
    """ErrorInfo reason/metadata and QuotaFailure subjects of a failed call."""
    out: dict[str, Any] = {"code": exc.code(), "details": exc.details()}
    status = rpc_status.from_call(exc)
    if status is None:
        return out
    for detail in status.details:
        for cls in (error_details_pb2.ErrorInfo, error_details_pb2.QuotaFailure):
            if detail.Is(cls.DESCRIPTOR):
                message = cls()
                detail.Unpack(message)
                out[cls.__name__] = message
    info = out.get("ErrorInfo")
    assert info is None or info.domain == "mcgateway.github.io", info
    return out


async def first_message(call: Any, timeout: float = 10.0) -> Any:
    """The first message of a stream (raises its error)."""
    return await asyncio.wait_for(call.read(), timeout)


async def ending(call: Any, timeout: float = 15.0) -> grpc.aio.AioRpcError | None:
    """Read a stream to its end; the error it ended with (``None`` for OK)."""

    async def drain() -> None:
        while await call.read() is not grpc.aio.EOF:
            pass

    try:
        await asyncio.wait_for(drain(), timeout)
    except grpc.aio.AioRpcError as exc:
        return exc
    return None
