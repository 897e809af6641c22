"""Fixtures of the polyglot tests: one gateway for the language suites, client builds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .harness import Gateway, build_client, running_gateway
from .watchers import LANGUAGES, Example, build_go_example, example_command


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "java: needs the Java client (deselect with -k 'not java')")


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


@pytest.fixture(scope="session")
def go_example(go_client: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Go example program (cmd/mcgw-go), built once."""
    return build_go_example(tmp_path_factory.mktemp("go-example"))


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    """Each language in turn (test ids `[go]`, `[java]`, `[node]`), its client built."""
    name: str = request.param
    request.getfixturevalue(f"{name}_client")
    return name


@pytest.fixture
def example(language: str, request: pytest.FixtureRequest) -> Callable[[str], Example]:
    """`example(instance_id)`: the command and directory of `language`'s example program that
    watches `instance_id` to the end ("" only lists)."""
    go_binary: Path | None = request.getfixturevalue("go_example") if language == "go" else None
    return lambda instance_id: example_command(language, go_binary, instance_id)
