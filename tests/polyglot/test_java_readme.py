"""The Java client as a user meets it: installed into a local Maven repository the README's way,
and the README's example compiled and run in a fresh Maven project against a real gateway.

The README's install steps (its first ```sh block, with the checkout's path put in) run as
written against a fresh copy of the checkout's `clients/java` and `proto/` (a clone has no
`target/`, so the stubs are generated and the client built from scratch). Maven runs as a fresh
user whose local repository is a copy of this machine's `~/.m2/repository` (which
`clients/build.sh java` filled) and whose settings say offline: nothing is downloaded, and the
installed artifact lands in the copy, not in the real repository. The example project is the
README's ```xml block as `pom.xml` and its ```java block as `src/main/java/Example.java`; it runs
with the README's command, and its output must be the README's ```text block.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .harness import CLIENTS, ROOT, Gateway
from .readme import fenced_block, matches_transcript

README = CLIENTS / "java/README.md"
_CHECKOUT = "/path/to/mcgateway"
_RUN = "mvn -q compile exec:java"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_OFFLINE_SETTINGS = """<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <offline>true</offline>
</settings>
"""


def _run(
    what: str, command: list[str], cwd: Path, env: dict[str, str], gateway: Gateway
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"{what} exited with {result.returncode}\n--- stdout ---\n{result.stdout[-8000:]}\n"
            f"--- stderr ---\n{result.stderr[-6000:]}\n"
            f"--- gateway log (tail) ---\n{gateway.log_tail()}",
            pytrace=False,
        )
    return result


def _fresh_checkout(dest: Path) -> Path:
    """The parts of the checkout the Java build reads (the client, the conventions its tests
    check, the contract), as a clone has them: no build output."""
    ignore = shutil.ignore_patterns("target", ".stamps")
    shutil.copytree(CLIENTS / "java", dest / "clients/java", ignore=ignore)
    shutil.copy2(CLIENTS / "README.md", dest / "clients/README.md")  # the unit tests read it
    shutil.copytree(ROOT / "proto", dest / "proto")
    return dest


def _offline_maven_user(home: Path) -> dict[str, str]:
    """A Maven user whose local repository is a copy of this machine's and who is offline;
    the environment additions that make `mvn` that user."""
    m2 = home / ".m2"
    m2.mkdir(parents=True)
    real = Path.home() / ".m2/repository"
    if not real.is_dir():
        pytest.fail(f"{real} is missing: run clients/build.sh java first", pytrace=False)
    shutil.copytree(real, m2 / "repository", symlinks=True)
    (m2 / "settings.xml").write_text(_OFFLINE_SETTINGS)
    opts = f"{os.environ.get('MAVEN_OPTS', '')} -Duser.home={home}".strip()
    return {"MAVEN_OPTS": opts}


@pytest.mark.java
@pytest.mark.usefixtures("java_client")
def test_readme_install_and_example_work_as_written(gateway: Gateway, tmp_path: Path) -> None:
    install = fenced_block(README, "sh")
    assert _CHECKOUT in install, f"the install steps no longer name {_CHECKOUT}"
    assert _RUN in README.read_text(), f"the README no longer runs the example with {_RUN!r}"
    checkout = _fresh_checkout(tmp_path / "checkout")
    maven = _offline_maven_user(tmp_path / "home")
    env = {**gateway.env(), **maven}

    # Installing is done before a gateway is chosen: without MCGW_TARGET the build's
    # end-to-end tests skip, as they do for a user.
    install_env = {k: v for k, v in env.items() if k != "MCGW_TARGET"}
    work = tmp_path / "work"
    work.mkdir()
    script = install.replace(_CHECKOUT, str(checkout))
    bash = ["bash", "-euo", "pipefail", "-c", script]
    _run("the README's install steps", bash, work, install_env, gateway)
    installed = tmp_path / "home/.m2/repository/com/mcgateway/mcgateway-client/0.1.0"
    assert (installed / "mcgateway-client-0.1.0.jar").is_file(), "mvn install installed no jar"

    app = work / "my-app"
    (app / "pom.xml").write_text(fenced_block(README, "xml"))
    (app / "src/main/java/Example.java").write_text(fenced_block(README, "java"))
    result = _run(_RUN, _RUN.split(), app, env, gateway)
    # Maven 3.8 writes a colour reset (ESC[0m) when it exits, even in batch mode: invisible on a
    # terminal, and not the program's output.
    printed = _ANSI.sub("", result.stdout)
    expected = fenced_block(README, "text")
    assert matches_transcript(printed, expected), (
        f"the example printed\n{printed}\nthe README says\n{expected}"
    )
