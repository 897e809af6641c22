"""Fixtures of the polyglot tests: one gateway for the language suites, client builds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .harness import Gateway, build_client, running_gateway


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """One `mcgateway serve` on loopback with the embedded emulator, shared by the suites."""
    with running_gateway(tmp_path_factory.mktemp("polyglot-gateway")) as gw:
        yield gw


@pytest.fixture(scope="session")
def go_client() -> None:
    """The Go module's dependencies are downloaded and it builds."""
    build_client("go")


@pytest.fixture(scope="session")
def java_client() -> None:
    """The Java project's dependencies are resolved and it compiles (target/classpath.txt)."""
    build_client("java")


@pytest.fixture(scope="session")
def node_client() -> None:
    """The Node package's node_modules are installed from package-lock.json."""
    build_client("node")
