"""The helper set of clients/README.md exists in every client: each name the table gives for
Python, Go, Java and Node is a method of that client's sources, so a row added to the table
(such as "read result rows") fails here until all four clients have the helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .harness import CLIENTS

CONVENTIONS = CLIENTS / "README.md"
_LANGUAGES = ("python", "go", "java", "node")
# A helper in a table cell: `c.ReadInstanceResult(`, `inst.open_reader(`, `rows.All()`...
_CALL = re.compile(r"`(\w+)\.(\w+)\(")


def _helper_rows() -> list[tuple[str, dict[str, list[str]]]]:
    """The rows of "The helper set" table: the helper and, per language, the methods it names
    on the client (`c.`), the PyODPS-shaped entry points (`o.`, `inst.`) or their results."""
    text = CONVENTIONS.read_text()
    section = text.split("## The helper set", 1)[1].split("\n- ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("helper", "") or set(cells[0]) <= {"-"}:
            continue
        names = {
            lang: [m for _, m in _CALL.findall(cell)]
            for lang, cell in zip(_LANGUAGES, cells[1:], strict=True)
        }
        rows.append((cells[0], names))
    assert len(rows) >= 10, f"{CONVENTIONS} lost its helper table"
    return rows


def _defined(language: str) -> set[str]:
    """The method names each client's sources define."""
    patterns = {
        "python": (CLIENTS / "python/src/mcgateway_client", "*.py", r"^\s*(?:async )?def (\w+)\("),
        "go": (CLIENTS / "go/mcgw", "*.go", r"^func \([^)]*\) (\w+)[\[(]"),
        "java": (CLIENTS / "java/src/main/java", "**/*.java", r"^\s*public [^=;(]*?(\w+)\("),
        "node": (CLIENTS / "node/src", "*.js", r"^\s+(?:static )?(?:async )?\*?(\w+)\("),
    }
    root, glob, pattern = patterns[language]
    found: set[str] = set()
    for path in Path(root).glob(glob):
        if path.name.endswith("_test.go"):
            continue
        found.update(re.findall(pattern, path.read_text(), re.MULTILINE))
    return found


ROWS = _helper_rows()


@pytest.mark.parametrize(("helper", "names"), ROWS, ids=[helper for helper, _ in ROWS])
def test_every_client_has_the_helper(helper: str, names: dict[str, list[str]]) -> None:
    for language in _LANGUAGES:
        assert names[language], f"{helper}: the {language} cell names no method"
        defined = _defined(language)
        missing = [name for name in names[language] if name not in defined]
        assert not missing, f"{helper}: {language} does not define {missing}"


def test_the_read_helper_is_in_the_table() -> None:
    helpers = dict(ROWS)
    read = helpers.get("read result rows")
    assert read is not None, "clients/README.md has no 'read result rows' helper"
    assert "ReadInstanceResult" in read["go"] and "readInstanceResult" in read["java"]
    assert "readInstanceResult" in read["node"] and "open_reader" in read["python"]
