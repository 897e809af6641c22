"""Committed generated code is exactly what `make proto` produces from proto/ today."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "clients/python/src/maxcompute/gateway/v1"


def _tree(root: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(root)): p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_committed_python_stubs_are_not_stale(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/gen_proto.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = _tree(tmp_path / "maxcompute/gateway/v1")
    committed = _tree(COMMITTED)
    assert sorted(fresh) == sorted(committed), "run `make proto` and commit the result"
    stale = [
        name
        for name, path in fresh.items()
        if not filecmp.cmp(path, committed[name], shallow=False)
    ]
    assert stale == [], f"stale generated files {stale}: run `make proto` and commit the result"
