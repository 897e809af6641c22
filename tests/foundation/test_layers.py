"""The dependency directions of docs/ARCHITECTURE.md, read from every import statement.

server → service → watch → upstream → maxcompute → domain. The foundations (config, logs,
metrics, errors, auth, wire) serve the layers above the REST client and import only the
domain and each other; the REST client imports only the domain. The emulator and the
Python client are separate packages that never import the gateway. A new module must be
given a layer in :data:`LAYERS` before it passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = ROOT / "server" / "mcgateway"
EMULATOR = ROOT / "emulator" / "mcemulator"
CLIENT = ROOT / "clients" / "python" / "src" / "mcgateway_client"

FOUNDATIONS = frozenset(
    {
        "mcgateway.config",
        "mcgateway.logs",
        "mcgateway.metrics",
        "mcgateway.errors",
        "mcgateway.auth",
        "mcgateway.wire",
    }
)

# Each gateway module's layer: its own package (or module) name, matched by prefix.
LAYERS: dict[str, str] = {
    "mcgateway.cli": "entry",
    "mcgateway.testing": "entry",
    "mcgateway.server": "server",
    "mcgateway.reflection": "server",
    "mcgateway.http": "server",
    "mcgateway.service": "service",
    "mcgateway.watch": "watch",
    "mcgateway.upstream": "upstream",
    "mcgateway.maxcompute": "maxcompute",
    "mcgateway.domain": "domain",
    **{name: "foundation" for name in FOUNDATIONS},
    "mcgateway": "package",
}

# What each layer may import from the gateway (its own layer always; lower ones listed).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "entry": frozenset({"server", "foundation", "domain"}),
    "server": frozenset({"service", "watch", "upstream", "maxcompute", "foundation", "domain"}),
    "service": frozenset({"watch", "upstream", "maxcompute", "foundation", "domain"}),
    "watch": frozenset({"upstream", "maxcompute", "foundation", "domain"}),
    "upstream": frozenset({"maxcompute", "foundation", "domain"}),
    "maxcompute": frozenset({"domain"}),
    "foundation": frozenset({"foundation", "domain"}),
    "domain": frozenset(),
    "package": frozenset(),
}


def _module_name(path: Path, root: Path, package: str) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def _imports(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """(line, imported module) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, target
            # ``from mcgateway import wire`` imports the module mcgateway.wire.
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"


def _package_imports(root: Path, package: str) -> list[tuple[str, Path, int, str]]:
    """(module, file, line, imported) for every import of every module under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root, package)
        for line, imported in _imports(path, module):
            found.append((module, path, line, imported))
    return found


def _layer(module: str) -> str | None:
    best = None
    for prefix in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best)
        ):
            best = prefix
    return None if best is None else LAYERS[best]


def _gateway_module(imported: str) -> str | None:
    """The gateway module an import names (``mcgateway.x.Name`` → the module), if any."""
    if imported != "mcgateway" and not imported.startswith("mcgateway."):
        return None
    parts = imported.split(".")
    while parts:
        candidate = GATEWAY.joinpath(*parts[1:])
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return None


def _render(violations: list[tuple[Path, int, str]]) -> str:
    return "\n".join(
        f"{p.relative_to(ROOT)}:{line}: imports {name}" for p, line, name in violations
    )


def test_every_gateway_module_has_a_layer() -> None:
    modules = {m for m, *_ in _package_imports(GATEWAY, "mcgateway")}
    modules |= {_module_name(p, GATEWAY, "mcgateway") for p in GATEWAY.rglob("*.py")}
    missing = sorted(m for m in modules if _layer(m) is None)
    assert missing == [], f"give these modules a layer in LAYERS: {missing}"


def test_gateway_imports_point_down() -> None:
    violations: set[tuple[Path, int, str]] = set()
    for module, path, line, imported in _package_imports(GATEWAY, "mcgateway"):
        target = _gateway_module(imported)
        if target is None or target == "mcgateway":
            continue
        source_layer, target_layer = _layer(module), _layer(target)
        assert source_layer is not None and target_layer is not None
        if source_layer == target_layer and source_layer != "foundation":
            continue
        if target_layer not in MAY_IMPORT[source_layer]:
            violations.add((path, line, f"{target} ({source_layer} → {target_layer})"))
    assert not violations, "imports against the layer order:\n" + _render(sorted(violations))


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        # The REST client speaks REST: no gRPC, no gateway status details.
        ("maxcompute", ("grpc", "grpc_status", "google.rpc", "maxcompute.gateway")),
        # The domain model knows no wire format at all.
        ("domain", ("grpc", "google", "maxcompute.gateway")),
        # The upstream runs REST calls; what a gRPC caller sees is the service's business.
        ("upstream", ("grpc", "google.rpc", "maxcompute.gateway")),
        # The watch engine builds wire messages once per state, but knows no gRPC call.
        ("watch", ("grpc", "grpc_status", "google.rpc")),
    ],
)
def test_lower_layers_do_not_know_grpc(layer: str, forbidden: tuple[str, ...]) -> None:
    violations = [
        (path, line, imported)
        for module, path, line, imported in _package_imports(GATEWAY, "mcgateway")
        if _layer(module) == layer
        and any(imported == f or imported.startswith(f + ".") for f in forbidden)
    ]
    assert violations == [], f"{layer} imports gRPC-side modules:\n" + _render(violations)


def test_only_the_entry_points_reach_the_embedded_emulator() -> None:
    # server.py starts it for `make run`; cli.py offers its command line.
    violations = [
        (path, line, imported)
        for module, path, line, imported in _package_imports(GATEWAY, "mcgateway")
        if (imported == "mcemulator" or imported.startswith("mcemulator."))
        and _layer(module) not in ("server", "entry")
    ]
    assert violations == [], _render(violations)


@pytest.mark.parametrize(
    ("root", "package", "forbidden"),
    [
        (EMULATOR, "mcemulator", ("mcgateway", "mcgateway_client")),
        (CLIENT, "mcgateway_client", ("mcgateway", "mcemulator")),
        (GATEWAY, "mcgateway", ("mcgateway_client",)),
    ],
)
def test_separate_packages_stay_separate(
    root: Path, package: str, forbidden: tuple[str, ...]
) -> None:
    violations = [
        (path, line, imported)
        for _, path, line, imported in _package_imports(root, package)
        if any(imported == f or imported.startswith(f + ".") for f in forbidden)
    ]
    assert violations == [], f"{package} imports {forbidden}:\n" + _render(violations)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    # A guard against a checker that silently reads nothing: the parser resolves a relative
    # import and an absolute one, and the layer table places both.
    source = tmp_path / "sample.py"
    source.write_text("from .service import servicer\nimport mcgateway.watch._hub\n")
    found = [name for _, name in _imports(source, "mcgateway.maxcompute._x")]
    assert "mcgateway.maxcompute.service" in found
    assert "mcgateway.watch._hub" in found
    assert _layer("mcgateway.watch._hub") == "watch"
    assert "watch" not in MAY_IMPORT["maxcompute"]
