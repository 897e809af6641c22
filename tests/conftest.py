"""Fixtures shared by every test package: the embedded MaxCompute emulator and a gateway on it.

Each test area (tests/emulator, tests/maxcompute, tests/gateway, ...) adds its own
conftest.py beside its tests; only fixtures that several areas need live here.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcemulator import Emulator, EmulatorConfig
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread


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


@pytest.fixture(scope="session")
def gateway(emulator: Emulator) -> Iterator[GatewayThread]:
    """One gateway (GatewayThread) on the session emulator: loopback, ephemeral port, no auth.

    Upstream endpoint, default project and demo credentials come from the emulator; metrics
    are served on an ephemeral port (``gateway.metrics_port``).
    """
    config = GatewayConfig(
        listen="127.0.0.1:0",
        metrics_listen="127.0.0.1:0",
        endpoint=emulator.endpoint,
        project=emulator.project,
        access_id=emulator.access_id,
        access_key=emulator.access_key,
    )
    with GatewayThread(config) as gw:
        yield gw


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Collect garbage when a test directory is done, so a warning about something it left
    unclosed (a socket in a reference cycle) fails that directory's last test, not whichever
    later test happens to set off the collection."""
    if nextitem is None or nextitem.path.parent != item.path.parent:
        gc.collect()
