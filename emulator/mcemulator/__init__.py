"""mcemulator: an embedded MaxCompute (ODPS) REST emulator that the unmodified PyODPS SDK can use.

Start one with ``Emulator(EmulatorConfig(data_dir=...)).start()`` (or as a context manager)
and point clients at ``emulator.endpoint`` with ``DEMO_ACCESS_ID`` / ``DEMO_ACCESS_KEY``.
"""

from mcemulator.config import (
    ALL_PROJECTS,
    DEMO_ACCESS_ID,
    DEMO_ACCESS_KEY,
    Account,
    EmulatorConfig,
    default_data_dir,
)
from mcemulator.engine import DURATION_HINT, SUSPEND_HINT
from mcemulator.faults import OPERATIONS, FaultController, FaultRule
from mcemulator.server import Emulator

__all__ = [
    "ALL_PROJECTS",
    "DEMO_ACCESS_ID",
    "DEMO_ACCESS_KEY",
    "DURATION_HINT",
    "OPERATIONS",
    "SUSPEND_HINT",
    "Account",
    "Emulator",
    "EmulatorConfig",
    "FaultController",
    "FaultRule",
    "default_data_dir",
]
