"""Fixtures of the emulator tests: PyODPS and signed raw clients, private emulators."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from emu_helpers import SignedClient, make_odps
from mcemulator import Emulator, EmulatorConfig
from odps import ODPS


@pytest.fixture
def odps(emulator: Emulator) -> ODPS:
    """A PyODPS client for the session emulator."""
    return make_odps(emulator)


@pytest.fixture
def client(emulator: Emulator) -> Iterator[SignedClient]:
    """A signed raw client for the session emulator."""
    c = SignedClient(emulator)
    yield c
    c.session.close()


@pytest.fixture
def private_emulator(tmp_path: Path) -> Iterator[Callable[..., Emulator]]:
    """Factory of emulators with special configuration, stopped at the end of the test."""
    started: list[Emulator] = []

    def factory(**kwargs: Any) -> Emulator:
        emu = Emulator(EmulatorConfig(data_dir=kwargs.pop("data_dir", tmp_path / "data"), **kwargs))
        emu.start()
        started.append(emu)
        return emu

    yield factory
    for emu in started:
        emu.stop()


@pytest.fixture(autouse=True)
def _faults_off(emulator: Emulator) -> Iterator[None]:
    """No test leaves faults switched on in the shared emulator."""
    yield
    emulator.faults.clear()
