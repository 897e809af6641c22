"""Committed generated code of the Go and Node clients is what their generate.sh makes today."""

from __future__ import annotations

import filecmp
import subprocess
from pathlib import Path

import pytest

from .harness import CLIENTS


def _tree(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}


def _assert_same(fresh_root: Path, committed_root: Path, hint: str) -> None:
    fresh, committed = _tree(fresh_root), _tree(committed_root)
    assert sorted(fresh) == sorted(committed), f"file lists differ: {hint}"
    stale = [n for n, p in fresh.items() if not filecmp.cmp(p, committed[n], shallow=False)]
    assert stale == [], f"stale generated files {stale}: {hint}"


def _generate(script: Path, out: Path) -> None:
    result = subprocess.run(
        [str(script), "--out", str(out)], capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"{script} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


@pytest.mark.usefixtures("go_client")
def test_go_stubs_are_not_stale(tmp_path: Path) -> None:
    _generate(CLIENTS / "go/generate.sh", tmp_path)
    hint = "run clients/go/generate.sh and commit the result"
    _assert_same(tmp_path / "gen", CLIENTS / "go/gen", hint)
    assert filecmp.cmp(
        tmp_path / "mcgw/service_config.json",
        CLIENTS / "go/mcgw/service_config.json",
        shallow=False,
    ), hint


@pytest.mark.usefixtures("node_client")
def test_node_proto_copy_and_types_are_not_stale(tmp_path: Path) -> None:
    _generate(CLIENTS / "node/generate.sh", tmp_path)
    hint = "run clients/node/generate.sh and commit the result"
    _assert_same(tmp_path / "proto", CLIENTS / "node/proto", hint)
    _assert_same(tmp_path / "gen", CLIENTS / "node/gen", hint)
