"""Per-project upstream credentials: each project's own MaxCompute ACL decides what its
callers' SQL may do, instead of one key for every project."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2_grpc
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcemulator import Emulator, EmulatorConfig
from mcgateway.config import ConfigError, GatewayConfig
from mcgateway.testing import GatewayThread
from mcgateway.upstream import load_project_credentials

LIMITED_ID, LIMITED_KEY = "limited_id", "limited_key_secret"
MAIN_ID, MAIN_KEY = "main_id", "main_key_secret"


@pytest.fixture(scope="module")
def two_accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """An emulator whose second account may use ``other_proj`` only."""
    config = EmulatorConfig(
        data_dir=tmp_path_factory.mktemp("two-accounts"),
        extra_projects=("other_proj",),
        accounts={
            MAIN_ID: (MAIN_KEY, {"demo", "other_proj"}),
            LIMITED_ID: (LIMITED_KEY, {"other_proj"}),
        },
    )
    with Emulator(config) as emu:
        yield emu


def _gateway(emu: Emulator, tmp_path: Path, mapping: dict[str, object] | None) -> GatewayThread:
    creds_file = None
    if mapping is not None:
        creds_file = tmp_path / "projects.json"
        creds_file.write_text(json.dumps({"projects": mapping}), encoding="utf-8")
    return GatewayThread(
        GatewayConfig(
            listen="127.0.0.1:0",
            endpoint=emu.endpoint,
            project="other_proj",
            # The default credentials may use other_proj only.
            access_id=LIMITED_ID,
            access_key=LIMITED_KEY,
            project_credentials_file=creds_file,
        )
    )


def _error_info(exc: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    status = rpc_status.from_call(exc)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            assert info.domain == "mcgateway.github.io", info
            return info
    raise AssertionError("no ErrorInfo")


def _submit(gw: GatewayThread, project: str) -> pb.SubmitSqlResponse:
    with grpc.insecure_channel(gw.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        request = pb.SubmitSqlRequest(project=project, job=instance_pb2.SqlJob(query="select 1"))
        response: pb.SubmitSqlResponse = stub.SubmitSql(request, timeout=30)
        return response


def test_a_project_with_credentials_of_its_own_is_signed_with_them(
    two_accounts: Emulator, tmp_path: Path
) -> None:
    emu = two_accounts
    with _gateway(emu, tmp_path, None) as gw:
        with pytest.raises(grpc.RpcError) as info:
            _submit(gw, emu.project)  # the default key may not use demo
        assert info.value.code() is grpc.StatusCode.PERMISSION_DENIED  # type: ignore[attr-defined]
        # MaxCompute denied the gateway's account (not the caller's token), and said so.
        denied = _error_info(info.value)
        assert denied.reason == "UPSTREAM_PERMISSION_DENIED"
        assert denied.metadata["maxcompute_code"] == "NoPermission"
        assert _submit(gw, "other_proj").instance.owner.endswith(LIMITED_ID)
    mapping = {emu.project: {"access_id": MAIN_ID, "access_key": MAIN_KEY}}
    with _gateway(emu, tmp_path, mapping) as gw:
        created = _submit(gw, emu.project)
        assert created.instance.owner.endswith(MAIN_ID)
        # Projects without an entry keep the default credentials.
        assert _submit(gw, "other_proj").instance.owner.endswith(LIMITED_ID)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"projects": []}', "'projects' object"),
        ('{"projects": {"demo": {"access_id": "x"}}}', "'access_key'"),
        ('{"projects": {"bad name": {"access_id": "x", "access_key": "y"}}}', "project name"),
    ],
)
def test_a_malformed_credentials_file_is_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "projects.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_project_credentials(path)
