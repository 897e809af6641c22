"""mcemulator: an embedded MaxCompute (ODPS) REST emulator that the unmodified PyODPS SDK can use.

Start one with ``Emulator(EmulatorConfig(data_dir=...)).start()`` (or as a context manager)
and point clients at ``emulator.endpoint`` with ``emulator.access_id`` / ``emulator.access_key``
(generated once per data directory unless ``EmulatorConfig.accounts`` names the accounts).
"""

from mcemulator.admin_client import AdminClient
from mcemulator.config import (
    ALL_PROJECTS,
    Account,
    EmulatorConfig,
    default_data_dir,
)
from mcemulator.engine import DURATION_HINT, SUSPEND_HINT
from mcemulator.faults import OPERATIONS, FaultController, FaultRule
from mcemulator.server import Emulator

__all__ = [
    "ALL_PROJECTS",
    "DURATION_HINT",
    "OPERATIONS",
    "SUSPEND_HINT",
    "Account",
    "AdminClient",
    "Emulator",
    "EmulatorConfig",
    "FaultController",
    "FaultRule",
    "default_data_dir",
]
