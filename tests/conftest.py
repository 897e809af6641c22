"""Fixtures shared by every test package: the embedded MaxCompute emulator.

Each test area (tests/emulator, tests/maxcompute, tests/gateway, ...) adds its own
conftest.py beside its tests; only fixtures that several areas need live here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mcemulator import Emulator, EmulatorConfig


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One embedded emulator on an ephemeral loopback port for the whole test session."""
    data_dir: Path = tmp_path_factory.mktemp("emulator-data")
    emu = Emulator(EmulatorConfig(data_dir=data_dir, host="127.0.0.1", port=0))
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
