"""Python client for mcgateway."""
