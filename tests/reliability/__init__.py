"""Reliability tests: faults, restarts, bad input, security and scale-out of the gateway."""
