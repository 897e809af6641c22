"""Every shipped example loads with the gateway's own loaders.

The Secret's tokens.json goes through ``mcgateway.auth.TokenStore``, the container image's and
the ConfigMap's TOML through ``mcgateway.config.load_config``, and so does every ```json tokens
file and ```toml gateway configuration in README.md, deploy/ and docs/. A shape the loader
rejects (such as tokens keyed by digest instead of a ``tokens`` list) would stop the shipped
Deployment from starting. Tokens in examples are ``sha256:`` digests, never usable secrets.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from mcgateway.auth import TokenStore
from mcgateway.config import GatewayConfig, field_names, load_config
from mcgateway.errors import GatewayError

ROOT = Path(__file__).resolve().parents[2]
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
FENCE = re.compile(r"^```(json|toml)[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _documents() -> list[Path]:
    return [
        ROOT / "README.md",
        *sorted((ROOT / "deploy").rglob("*.md")),
        *sorted((ROOT / "docs").rglob("*.md")),
    ]


def _snippets() -> list[tuple[str, str, str]]:
    """(id, language, text) of every fenced json/toml block that is a tokens file or config."""
    found = []
    for path in _documents():
        text = path.read_text()
        for match in FENCE.finditer(text):
            language, body = match.group(1), match.group(2)
            line = text.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(ROOT)}:{line}"
            if language == "json":
                data = json.loads(body)
                if isinstance(data, dict) and "tokens" in data:
                    found.append((where, "tokens", body))
            else:
                data = tomllib.loads(body)
                table = data.get("gateway", data)
                if set(table) & set(field_names()):
                    found.append((where, "config", body))
    return found


SNIPPETS = _snippets()


def _load_tokens(tmp_path: Path, text: str) -> TokenStore:
    path = tmp_path / "tokens.json"
    path.write_text(text)
    store = TokenStore(path)
    assert len(store) >= 1
    for entry in json.loads(text)["tokens"]:
        assert DIGEST.fullmatch(entry["token"]), f"not a sha256: digest: {entry['token']!r}"
    return store


def _load_config(tmp_path: Path, text: str) -> GatewayConfig:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return load_config({}, environ={}, config_file=path)


def test_the_docs_ship_both_kinds_of_example() -> None:
    kinds = {kind for _, kind, _ in SNIPPETS}
    assert kinds == {"tokens", "config"}, SNIPPETS


@pytest.mark.parametrize(("kind", "text"), [s[1:] for s in SNIPPETS], ids=[s[0] for s in SNIPPETS])
def test_documented_snippet_loads(tmp_path: Path, kind: str, text: str) -> None:
    if kind == "tokens":
        _load_tokens(tmp_path, text)
    else:
        config = _load_config(tmp_path, text)
        if config.tokens_file is not None:
            assert config.tls_cert is not None, "examples with tokens serve TLS"


def _manifest(kind: str) -> dict[str, Any]:
    for path in sorted((ROOT / "deploy/kubernetes").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == kind:
                return dict(doc)
    raise AssertionError(f"no {kind} manifest")


def test_secret_tokens_file_loads_with_the_token_store(tmp_path: Path) -> None:
    store = _load_tokens(tmp_path, _manifest("Secret")["stringData"]["tokens.json"])
    # The placeholder digest matches no token anyone could send.
    with pytest.raises(GatewayError, match="unknown bearer token"):
        store.authenticate("REPLACE_ME")


def test_configmap_config_loads_and_serves_a_real_endpoint_over_tls(tmp_path: Path) -> None:
    config = _load_config(tmp_path, _manifest("ConfigMap")["data"]["mcgateway.toml"])
    assert not config.embedded
    assert config.tokens_file and config.tls_cert and config.tls_key


def test_the_image_config_loads_and_serves_a_real_endpoint_over_tls() -> None:
    config = load_config({}, environ={}, config_file=ROOT / "deploy/docker/config.toml")
    assert not config.embedded, "the image's default command never serves the emulator"
    assert config.tokens_file and config.tls_cert and config.tls_key
    assert config.listen == "0.0.0.0:50051"
