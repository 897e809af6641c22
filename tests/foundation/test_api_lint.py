"""The settled v1 contract: AIP-clean by Google's api-linter and unbroken against its frozen image.

`make lint` runs the same two checks; running them here too means `make test` (and CI) catches a
contract change that lints badly or breaks v1, and proves that the config disables each rule with
its reason.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "proto"
BIN = Path(sys.executable).parent
API_LINTER = BIN / "api-linter"
BUF = BIN / "buf"
CONFIG = PROTO_ROOT / ".api-linter.yaml"
IMAGE = PROTO_ROOT / "v1.binpb"
V1_FILES = sorted(
    str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / "maxcompute/gateway/v1").glob("*.proto")
)

needs_linter = pytest.mark.skipif(
    not API_LINTER.exists(), reason="api-linter is built by `make test` / `make lint`"
)


def _lint(*extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(API_LINTER), "-I", ".", "-I", "third_party/googleapis", *extra, *V1_FILES],
        cwd=PROTO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@needs_linter
def test_api_linter_finds_nothing_with_the_committed_config() -> None:
    result = _lint(
        "--config", ".api-linter.yaml", "--set-exit-status", "--output-format", "summary"
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_linter
def test_every_disabled_rule_is_needed_and_explained() -> None:
    lines = CONFIG.read_text().splitlines()
    disabled = [
        (i, m.group(1))
        for i, line in enumerate(lines)
        if (m := re.search(r'- "(core::\S+)"', line))
    ]
    assert 0 < len(disabled) <= 12, "at most a dozen disabled rules"
    for index, rule in disabled:
        above = lines[index - 1].strip()
        assert above.startswith("#") or lines[index - 1].strip().startswith('- "core::'), (
            f"{rule} is disabled without a comment saying why"
        )
    # Without the config, each disabled rule really fires: none is disabled for nothing.
    raw = _lint("--output-format", "summary").stdout
    for _, rule in disabled:
        assert rule in raw, f"{rule} is disabled but the contract does not trigger it"


def test_buf_breaking_against_the_frozen_v1_image_is_clean() -> None:
    assert IMAGE.exists(), "proto/v1.binpb is the frozen contract (make proto-freeze)"
    build = subprocess.run(
        [str(BUF), "build", "--exclude-source-info", "-o", "-#format=binpb"],
        cwd=PROTO_ROOT,
        capture_output=True,
        timeout=300,
        check=True,
    )
    result = subprocess.run(
        [str(BUF), "breaking", "-#format=binpb", "--against", str(IMAGE)],
        cwd=PROTO_ROOT,
        input=build.stdout,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, (result.stdout + result.stderr).decode()
