"""The two distributions build and install from the repository alone, as the Dockerfile does.

No Docker engine runs here, so this test performs the Dockerfile's install steps (build both
wheels, install them into a clean virtual environment) and checks the Dockerfile's shape.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only our two wheels (third-party packages come from the test venv)."""
    tmp = tmp_path_factory.mktemp("packaging")
    wheels = tmp / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(wheels), str(ROOT / "clients/python"), str(ROOT)],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin/python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps",
         *sorted(str(w) for w in wheels.glob("*.whl"))],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    # Dependencies resolve from the test venv's site-packages, appended *after* the clean venv's
    # own, so our packages are imported from the installed wheels and never from the source tree.
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_wheels_install_and_import_from_site_packages(clean_venv: Path) -> None:
    code = (
        "import importlib.resources as r, mcgateway, mcemulator, mcgateway_client;"
        "from maxcompute.gateway.v1 import instance_service_pb2_grpc;"
        "assert 'site-packages' in mcgateway.__file__, mcgateway.__file__;"
        "assert 'site-packages' in mcemulator.__file__, mcemulator.__file__;"
        "assert r.files('maxcompute.gateway.v1').joinpath('service_config.json').is_file();"
        "data = r.files('mcemulator').joinpath('data');"
        "assert any(p.name.endswith('.csv') for p in data.iterdir())"
    )
    result = subprocess.run(
        [str(clean_venv / "bin/python"), "-c", code],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_console_scripts_are_installed(clean_venv: Path) -> None:
    for script in ("mcgateway", "mcgw"):
        result = subprocess.run(
            [str(clean_venv / "bin" / script), "--help"],
            capture_output=True,
            text=True,
            cwd="/",
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "usage" in result.stdout.lower()


def test_dockerfile_is_multi_stage_non_root_with_grpc_health_check() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", text, re.MULTILINE)
    assert len(stages) >= 2 and all(image.endswith("-slim") for image, _ in stages)
    final = text.split("\nFROM ")[-1]
    user = re.search(r"^USER\s+(\S+)", final, re.MULTILINE)
    assert user and user.group(1) not in {"root", "0"}
    assert "HEALTHCHECK" in final and "grpc_health" in final
    assert re.search(r'ENTRYPOINT \["mcgateway"\]', final)
    assert '"serve"' in final
    # Every path the build copies exists in the repository.
    for src in re.findall(r"^COPY (?!--from)(.+?) \S+$", text, re.MULTILINE):
        for path in src.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"
