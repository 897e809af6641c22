"""Fixtures of the SDK oracle tests: a private emulator, and each oracle's run against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mcemulator import Emulator, EmulatorConfig
from odps import ODPS

from .oracles import SuiteRun, build, run_suite

SLOTS = 2
"""Worker slots of the oracles' emulator: few, so the queueing scenario fills them cheaply."""


@pytest.fixture(scope="module")
def sdk_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """An emulator of the oracles' own (its slots must be free when a queueing scenario starts;
    the session emulator is shared with every other test). Tasks take no simulated time unless a
    scenario's hints say otherwise."""
    config = EmulatorConfig(
        data_dir=tmp_path_factory.mktemp("sdk-emulator"),
        workers=SLOTS,
        default_duration_seconds=0.0,
    )
    with Emulator(config) as emu:
        yield emu


@pytest.fixture(scope="module")
def pyodps(sdk_emulator: Emulator) -> ODPS:
    """PyODPS on the oracles' emulator, the third SDK to compare with."""
    return ODPS(
        sdk_emulator.access_id,
        sdk_emulator.access_key,
        project=sdk_emulator.project,
        endpoint=sdk_emulator.endpoint,
        logview_host=f"http://127.0.0.1:{sdk_emulator.port}",
    )


@pytest.fixture(scope="module")
def java_run(sdk_emulator: Emulator) -> SuiteRun:
    """Every scenario of the Java SDK oracle, run once."""
    build("java")
    return run_suite("java", sdk_emulator)


@pytest.fixture(scope="module")
def go_run(sdk_emulator: Emulator) -> SuiteRun:
    """Every scenario of the Go SDK oracle, run once."""
    build("go")
    return run_suite("go", sdk_emulator)
