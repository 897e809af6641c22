"""What a deployment exposes: no fake MaxCompute on a network address, no plaintext tokens
without a warning, no tokens file that means something other than it says, an audit trail,
bounded logs and memory, and no reach into projects a token does not name."""

from __future__ import annotations

import logging
from pathlib import Path

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcemulator import Emulator
from mcgateway.auth import TokenFileError, TokenStore, token_digest
from mcgateway.config import ConfigError, GatewayConfig
from mcgateway.domain import SubInstance
from mcgateway.server import GatewayServer
from mcgateway.service.chokepoint import Call

from security.conftest import ALICE, Secured, error_parts, write_tokens


def test_embedded_emulator_is_refused_on_a_network_address(tmp_path: Path) -> None:
    tokens = write_tokens(tmp_path / "t.json", {"a": (ALICE, ["demo"])})
    config = GatewayConfig(listen="0.0.0.0:0", tokens_file=tokens, data_dir=tmp_path)
    with pytest.raises(ConfigError, match="--allow-embedded-on-network"):
        GatewayServer(config)
    # Loopback keeps `make run` working; the explicit opt-in serves demo containers.
    GatewayServer(GatewayConfig(listen="127.0.0.1:0", data_dir=tmp_path))
    GatewayServer(
        GatewayConfig(
            listen="0.0.0.0:0",
            tokens_file=tokens,
            data_dir=tmp_path,
            allow_embedded_on_network=True,
        )
    )


def test_bearer_tokens_over_plaintext_on_a_network_address_warn(
    tmp_path: Path, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    tokens = write_tokens(tmp_path / "t.json", {"a": (ALICE, ["demo"])})
    base = {"endpoint": emulator.endpoint, "access_id": "x", "access_key": "y"}
    with caplog.at_level(logging.WARNING, logger="mcgateway"):
        GatewayServer(GatewayConfig(listen="0.0.0.0:0", tokens_file=tokens, **base))
    assert any("plaintext" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mcgateway"):
        GatewayServer(GatewayConfig(listen="127.0.0.1:0", tokens_file=tokens, **base))
        GatewayServer(GatewayConfig(listen="0.0.0.0:0", tokens_file=tokens, insecure=True, **base))
    assert not any("plaintext" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("bad", ["sha256:abc", "sha256:" + "0" * 63, "SHA256:" + "g" * 64])
def test_a_malformed_digest_is_refused_at_load(tmp_path: Path, bad: str) -> None:
    path = write_tokens(tmp_path / "t.json", {"a": (bad, ["demo"])})
    with pytest.raises(TokenFileError, match="64 hex digits"):
        TokenStore(path)
    good = write_tokens(tmp_path / "t.json", {"a": ("sha256:" + token_digest(ALICE), ["demo"])})
    assert TokenStore(good).authenticate(ALICE).name == "a"


async def test_changes_are_audited_with_principal_project_instance_and_request_id(
    secured: Secured, caplog: pytest.LogCaptureFixture
) -> None:
    s = secured
    with caplog.at_level(logging.INFO, logger="mcgateway.audit"):
        iid = await s.submit(60)
        await s.stub.StopInstance(
            pb.StopInstanceRequest(instance_id=iid), metadata=s.md(ALICE), timeout=30
        )
    audit = [r for r in caplog.records if r.name == "mcgateway.audit"]
    assert [r.rpc_method for r in audit] == ["SubmitSql", "StopInstance"]  # type: ignore[attr-defined]
    for record in audit:
        assert record.principal == "alice"  # type: ignore[attr-defined]
        assert record.project == "demo" and record.instance_id == iid  # type: ignore[attr-defined]
        assert len(record.request_id) == 24  # type: ignore[attr-defined]


async def test_unauthenticated_floods_are_summarized_not_logged_one_by_one(
    secured: Secured, caplog: pytest.LogCaptureFixture
) -> None:
    s = secured
    with caplog.at_level(logging.INFO, logger="mcgateway"):
        for i in range(50):
            with pytest.raises(grpc.aio.AioRpcError) as info:
                await s.stub.GetInstance(
                    pb.GetInstanceRequest(instance_id=f"x{i}"),
                    metadata=s.md("nobody-knows-me"),
                    timeout=5,
                )
            assert info.value.code() is grpc.StatusCode.UNAUTHENTICATED
    lines = [r for r in caplog.records if "unauthenticated" in r.getMessage()]
    assert 1 <= len(lines) <= 2, [r.getMessage() for r in lines]


async def test_stopping_bogus_ids_keeps_no_memory(secured: Secured) -> None:
    s = secured
    for i in range(300):
        with pytest.raises(grpc.aio.AioRpcError):
            await s.stub.StopInstance(
                pb.StopInstanceRequest(instance_id=f"20990101000000000bogus{i:04d}"),
                metadata=s.md(ALICE),
                timeout=10,
            )
    cache = s.server.cache
    assert cache is not None and cache.tracked_generations == 0


async def test_the_algorithm_project_of_an_xflow_is_authorized(secured: Secured) -> None:
    s = secured
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await s.stub.SubmitXflow(
            pb.SubmitXflowRequest(xflow_name="AppendID", xflow_project="algo_public"),
            metadata=s.md(ALICE),  # alice may use demo only
            timeout=10,
        )
    assert info.value.code() is grpc.StatusCode.PERMISSION_DENIED
    assert error_parts(info.value)["ErrorInfo"].metadata["project"] == "algo_public"


async def test_no_logview_token_is_signed_for_a_sub_instance_in_another_project(
    secured: Secured,
) -> None:
    # MaxCompute reports each sub-instance's project; the gateway must not sign a Logview
    # token (read access to the instance) for one the caller may not use.
    s = secured
    servicer, chokepoint = s.server.servicer, s.server.chokepoint
    assert servicer is not None and chokepoint is not None
    alice = TokenStore(s.tokens_file).authenticate(ALICE)
    call = Call("ListSubInstances", "r" * 24, "demo", alice, None)  # type: ignore[arg-type]
    before = s.emulator.request_count("logview")
    subs = (
        SubInstance("elsewhere", "20990101000000000otherproj1", "other_project"),
        SubInstance("here", "20990101000000000sameproj01", "demo"),
    )
    urls = await servicer._logview_urls(call, subs, 10.0)
    assert urls[0] is None
    # Only the allowed sub-instance's token was asked for.
    assert s.emulator.request_count("logview") - before == 1


async def test_a_cost_estimate_is_audited_as_the_instance_it_creates(
    secured: Secured, caplog: pytest.LogCaptureFixture
) -> None:
    s = secured
    with caplog.at_level(logging.INFO, logger="mcgateway.audit"):
        estimate = await s.stub.EstimateSqlCost(
            pb.EstimateSqlCostRequest(job=instance_pb2.SqlJob(query="select 1")),
            metadata=s.md(ALICE),
            timeout=60,
        )
    audit = [r for r in caplog.records if r.name == "mcgateway.audit"]
    assert [r.rpc_method for r in audit] == ["EstimateSqlCost"]  # type: ignore[attr-defined]
    assert audit[0].principal == "alice"  # type: ignore[attr-defined]
    assert audit[0].instance_id == estimate.instance_id  # type: ignore[attr-defined]
