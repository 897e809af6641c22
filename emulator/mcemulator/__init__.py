"""mcemulator: an embedded MaxCompute (ODPS) REST emulator."""
