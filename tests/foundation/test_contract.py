"""The v1 contract: documented everywhere, lint-clean, and its service config names real methods."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "proto"
V1 = PROTO_ROOT / "maxcompute/gateway/v1"
GOOGLEAPIS = PROTO_ROOT / "third_party/googleapis"  # field_behavior, field_info (imports only)
SERVICE = "maxcompute.gateway.v1.InstanceService"

# Paths into FileDescriptorProto (descriptor.proto field numbers) used by SourceCodeInfo.
MESSAGE_TYPE, ENUM_TYPE, SERVICE_TYPE = 4, 5, 6
FIELD, NESTED_TYPE, NESTED_ENUM = 2, 3, 4
ENUM_VALUE, METHOD = 2, 2


def _descriptor_set(tmp_path: Path) -> descriptor_pb2.FileDescriptorSet:
    out = tmp_path / "v1.pb"
    wkt = Path(protoc.__file__).parent / "_proto"
    files = sorted(str(p.relative_to(PROTO_ROOT)) for p in V1.glob("*.proto"))
    rc = protoc.main(
        [
            "protoc",
            f"-I{PROTO_ROOT}",
            f"-I{GOOGLEAPIS}",
            f"-I{wkt}",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *files,
        ]
    )
    assert rc == 0, "protoc failed on proto/"
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(out.read_bytes())
    return fds


def _undocumented(fds: descriptor_pb2.FileDescriptorSet) -> list[str]:
    missing: list[str] = []
    for f in fds.file:
        comments = {
            tuple(loc.path): loc.leading_comments.strip() for loc in f.source_code_info.location
        }

        def need(path: tuple[int, ...], name: str, comments: dict[tuple[int, ...], str] = comments):
            text = comments.get(path, "")
            # A full sentence: at least a few words ending with a period.
            if len(text.split()) < 3 or not text.rstrip().endswith((".", ")")):
                missing.append(name)

        def walk_message(path: tuple[int, ...], msg: descriptor_pb2.DescriptorProto, prefix: str):
            need(path, f"message {prefix}")
            for i, field in enumerate(msg.field):
                need((*path, FIELD, i), f"field {prefix}.{field.name}")
            for i, nested in enumerate(msg.nested_type):
                if not nested.options.map_entry:
                    walk_message((*path, NESTED_TYPE, i), nested, f"{prefix}.{nested.name}")
            for i, enum in enumerate(msg.enum_type):
                walk_enum((*path, NESTED_ENUM, i), enum, f"{prefix}.{enum.name}")

        def walk_enum(path: tuple[int, ...], enum: descriptor_pb2.EnumDescriptorProto, prefix: str):
            need(path, f"enum {prefix}")
            for i, value in enumerate(enum.value):
                need((*path, ENUM_VALUE, i), f"enum value {prefix}.{value.name}")

        for i, msg in enumerate(f.message_type):
            walk_message((MESSAGE_TYPE, i), msg, msg.name)
        for i, enum in enumerate(f.enum_type):
            walk_enum((ENUM_TYPE, i), enum, enum.name)
        for i, svc in enumerate(f.service):
            need((SERVICE_TYPE, i), f"service {svc.name}")
            for j, method in enumerate(svc.method):
                need((SERVICE_TYPE, i, METHOD, j), f"rpc {svc.name}.{method.name}")
    return missing


def _methods() -> list[str]:
    from maxcompute.gateway.v1 import instance_service_pb2

    return list(instance_service_pb2.DESCRIPTOR.services_by_name["InstanceService"].methods_by_name)


def test_every_element_of_the_contract_has_a_full_sentence_comment(tmp_path: Path) -> None:
    fds = _descriptor_set(tmp_path)
    names = {m.name for f in fds.file for m in f.message_type}
    assert {"Instance", "Task", "TaskProgress", "Stage", "TaskResult"} <= names
    assert _undocumented(fds) == []


def test_the_comment_check_catches_an_undocumented_field(tmp_path: Path) -> None:
    bad = tmp_path / "proto/maxcompute/gateway/v1"
    bad.mkdir(parents=True)
    (bad / "bad.proto").write_text(
        'syntax = "proto3";\npackage maxcompute.gateway.v1;\n'
        "// Documented message here.\nmessage Bad {\n  string undocumented = 1;\n}\n"
    )
    out = tmp_path / "bad.pb"
    assert (
        protoc.main(
            [
                "protoc",
                f"-I{tmp_path / 'proto'}",
                "--include_source_info",
                f"--descriptor_set_out={out}",
                "maxcompute/gateway/v1/bad.proto",
            ]
        )
        == 0
    )
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(out.read_bytes())
    assert _undocumented(fds) == ["field Bad.undocumented"]


def test_fixed_rpc_names_exist() -> None:
    required = {
        "ListInstances", "GetInstance", "InstanceExists", "StopInstance", "WaitInstance",
        "WatchInstance", "WatchInstances", "ListTasks", "GetTaskResult", "ListTaskResults",
        "GetTaskProgress", "GenerateLogviewAddress", "ListSubInstances", "SubmitSql",
        "SubmitXflow",
    }  # fmt: skip
    assert required <= set(_methods())
    # Renamed when v1 was settled (docs/api-design.md); never to come back under v1.
    assert {"GetTaskResults", "GetLogviewAddress"}.isdisjoint(_methods())


def test_readme_table_maps_every_rpc() -> None:
    readme = (ROOT / "README.md").read_text()
    rows = {m.group(1) for m in re.finditer(r"^\|\s*`(\w+)`\s*\|", readme, re.MULTILINE)}
    missing = [m for m in _methods() if m not in rows]
    assert missing == [], f"README's RPC table lacks rows for {missing}"


def test_service_config_names_only_real_methods_and_retries_only_reads() -> None:
    config = json.loads((V1 / "service_config.json").read_text())
    methods = set(_methods())
    writes = {"StopInstance", "SubmitSql", "SubmitXflow", "EstimateSqlCost"}
    seen: set[str] = set()
    for entry in config["methodConfig"]:
        for name in entry["name"]:
            assert name["service"] == SERVICE
            assert name["method"] in methods
            seen.add(name["method"])
            if "retryPolicy" in entry:
                assert name["method"] not in writes, "never auto-retry a non-idempotent call"
                assert entry["retryPolicy"]["retryableStatusCodes"] == ["UNAVAILABLE"]
    streams = {"WatchInstance", "WatchInstances", "ExecuteSql", "ReadInstanceResult"}
    assert seen == methods - streams, "every unary RPC has a timeout; streams have none"


@pytest.mark.skipif(
    shutil.which("buf", path=str(Path(sys.executable).parent)) is None,
    reason="buf (from buf-bin) is installed by `make install`",
)
def test_buf_lint_standard_and_comments_is_clean() -> None:
    buf = shutil.which("buf", path=str(Path(sys.executable).parent))
    assert buf is not None
    result = subprocess.run(
        [buf, "lint"], cwd=PROTO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
