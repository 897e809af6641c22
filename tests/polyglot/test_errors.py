"""Every client reports the gateway's error reason, not MaxCompute's code, the same way.

Each language's example program is asked to watch an instance that does not exist: it must
exit 1 and print the gRPC code and the gateway's ErrorInfo reason (`NOT_FOUND`,
`INSTANCE_NOT_FOUND`) on stderr. The generated Python stubs see the same error: domain
`mcgateway.github.io`, MaxCompute's own code in metadata `maxcompute_code`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from maxcompute.gateway.v1 import instance_service_pb2, instance_service_pb2_grpc

from .harness import Gateway
from .watchers import Example

MISSING = "20000101000000000nosuchpg1"


def test_python_stubs_see_the_gateway_error_info(gateway: Gateway) -> None:
    with grpc.insecure_channel(gateway.target) as channel:
        stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        try:
            request = instance_service_pb2.GetInstanceRequest(instance_id=MISSING)
            stub.GetInstance(request, timeout=30)
        except grpc.RpcError as exc:
            error = exc
        else:
            raise AssertionError("GetInstance of a missing instance succeeded")
    assert error.code() == grpc.StatusCode.NOT_FOUND, error
    status = rpc_status.from_call(error)
    assert status is not None, "NOT_FOUND without a google.rpc.Status"
    infos = []
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            infos.append(info)
    assert len(infos) == 1, status
    assert infos[0].domain == "mcgateway.github.io"
    assert infos[0].reason == "INSTANCE_NOT_FOUND"
    assert infos[0].metadata["maxcompute_code"] in ("NoSuchObject", "NoSuchInstance"), infos[0]


def test_example_reports_the_gateway_reason(
    gateway: Gateway, language: str, example: Callable[[str], Example]
) -> None:
    command, cwd = example(MISSING)
    result = subprocess.run(
        command,
        cwd=cwd,
        env=gateway.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 1, f"{language} watching a missing instance:\n{output}"
    assert "NOT_FOUND" in result.stderr, f"{language}:\n{output}"
    assert "INSTANCE_NOT_FOUND" in result.stderr, f"{language}:\n{output}"
