"""Server reflection as tools use it: v1 and v1alpha, looked up by method symbol, and ghz."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from mcgateway.testing import GatewayThread

SERVICE_FILE = "maxcompute/gateway/v1/instance_service.proto"
METHOD = "maxcompute.gateway.v1.InstanceService.GetInstance"


def _ask(
    channel: grpc.Channel, version: str, *requests: reflection_pb2.ServerReflectionRequest
) -> list[reflection_pb2.ServerReflectionResponse]:
    """One raw ServerReflectionInfo stream of `version` (v1 or v1alpha).

    v1's messages are v1alpha's under another package, the same on the wire, so the v1alpha
    classes (de)serialize a v1 stream as a v1 client's would.
    """
    call = channel.stream_stream(
        f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    return list(call(iter(requests), timeout=5))


def _files(response: reflection_pb2.ServerReflectionResponse) -> dict[str, str]:
    """File name → package of the descriptors in a file_descriptor_response."""
    assert response.WhichOneof("message_response") == "file_descriptor_response", response
    protos = [
        descriptor_pb2.FileDescriptorProto.FromString(raw)
        for raw in response.file_descriptor_response.file_descriptor_proto
    ]
    return {p.name: p.package for p in protos}


def test_v1alpha_descriptor_database_finds_a_method(channel: grpc.Channel) -> None:
    db = ProtoReflectionDescriptorDatabase(channel)
    assert db.FindFileContainingSymbol(METHOD).name == SERVICE_FILE
    method = descriptor_pool.DescriptorPool(db).FindMethodByName(METHOD)
    assert method.input_type.full_name == "maxcompute.gateway.v1.GetInstanceRequest"
    assert method.output_type.full_name == "maxcompute.gateway.v1.Instance"


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
def test_raw_stream_finds_the_file_of_a_method_symbol(channel: grpc.Channel, version: str) -> None:
    symbols = [METHOD, "maxcompute.gateway.v1.InstanceService", "grpc.health.v1.Health.Check"]
    responses = _ask(
        channel,
        version,
        *(reflection_pb2.ServerReflectionRequest(file_containing_symbol=s) for s in symbols),
    )
    assert len(responses) == 3
    assert SERVICE_FILE in _files(responses[0])
    assert SERVICE_FILE in _files(responses[1])
    assert "grpc.health.v1" in _files(responses[2]).values()


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
def test_unknown_method_symbol_is_not_found(channel: grpc.Channel, version: str) -> None:
    (response,) = _ask(
        channel,
        version,
        reflection_pb2.ServerReflectionRequest(
            file_containing_symbol="maxcompute.gateway.v1.InstanceService.NoSuchMethod"
        ),
    )
    assert response.WhichOneof("message_response") == "error_response"
    assert response.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]


def test_v1_lists_and_describes_both_reflection_services(channel: grpc.Channel) -> None:
    listed, v1_file = _ask(
        channel,
        "v1",
        reflection_pb2.ServerReflectionRequest(list_services=""),
        reflection_pb2.ServerReflectionRequest(
            file_containing_symbol="grpc.reflection.v1.ServerReflection.ServerReflectionInfo"
        ),
    )
    names = {s.name for s in listed.list_services_response.service}
    assert {
        "maxcompute.gateway.v1.InstanceService",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    } <= names
    assert _files(v1_file) == {"grpc/reflection/v1/reflection.proto": "grpc.reflection.v1"}


def test_ghz_calls_a_method_found_by_reflection(gateway: GatewayThread) -> None:
    """ghz (v0.93.0 asks reflection by method symbol) reaches the RPC: NotFound is an answer.

    Install: `go install github.com/bojand/ghz/cmd/ghz@v0.93.0`. `-c 1`: with concurrency
    above -n, ghz v0.93.0 can panic ("send on closed channel") after the run.
    """
    # `make test` installs it into the venv's bin (see the Makefile).
    ghz = shutil.which(
        "ghz", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    )
    if ghz is None:
        pytest.skip("ghz is not installed (go install github.com/bojand/ghz/cmd/ghz@v0.93.0)")
    result = subprocess.run(
        [
            ghz, "--insecure", "--call", METHOD, "-d", '{"instance_id":"x"}',
            "-n", "5", "-c", "1", gateway.target,
        ],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Symbol not found" not in output
    assert "[NotFound]   5 responses" in output, output
