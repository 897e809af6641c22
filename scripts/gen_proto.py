"""Regenerate the committed code generated from proto/ (`make proto`).

Python stubs (with mypy-protobuf `.pyi` type stubs) go to clients/python/src/maxcompute/...;
the service config is copied into the client package so an installed client finds it. Other
languages generate their own stubs from proto/ with their own toolchains (see each client's
README). `--out DIR` writes into another directory instead, which is how the stale-code test
compares a fresh generation with what is committed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[1]
PROTO_ROOT = ROOT / "proto"
GOOGLEAPIS = PROTO_ROOT / "third_party/googleapis"
"""googleapis' annotation protos (field_behavior, field_info) for imports only: their Python
modules come from the googleapis-common-protos package."""
PACKAGE_DIR = Path("maxcompute/gateway/v1")
PYTHON_OUT = ROOT / "clients/python/src"
SERVICE_CONFIG = PACKAGE_DIR / "service_config.json"


def proto_files() -> list[Path]:
    """Every .proto file of the v1 package, relative to proto/."""
    return sorted(p.relative_to(PROTO_ROOT) for p in (PROTO_ROOT / PACKAGE_DIR).glob("*.proto"))


def generate_python(out: Path) -> None:
    """Write *_pb2.py, *_pb2_grpc.py and their .pyi stubs for the v1 package under `out`."""
    wkt_include = Path(protoc.__file__).parent / "_proto"
    target = out / PACKAGE_DIR
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{GOOGLEAPIS}",
        f"-I{wkt_include}",
        f"--python_out={out}",
        f"--grpc_python_out={out}",
        f"--mypy_out={out}",
        f"--mypy_grpc_out={out}",
        *[str(p) for p in proto_files()],
    ]
    # protoc finds the mypy plugins on PATH; they live beside this interpreter.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    # Regular packages (not namespace packages) so mypy and importlib treat them alike.
    for pkg in (out / "maxcompute", out / "maxcompute/gateway", target):
        init = pkg / "__init__.py"
        if not init.exists():
            init.write_text('"""Generated from proto/ by scripts/gen_proto.py; do not edit."""\n')
    shutil.copyfile(PROTO_ROOT / SERVICE_CONFIG, out / SERVICE_CONFIG)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=PYTHON_OUT, help="output root for Python")
    args = parser.parse_args(argv)
    generate_python(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
