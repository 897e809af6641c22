"""Each client's own test suite, run against a real gateway (MCGW_TARGET set)."""

from __future__ import annotations

import re
import subprocess

import pytest

from .harness import CLIENTS, Gateway, run_suite


def _check(result: subprocess.CompletedProcess[str], gateway: Gateway) -> None:
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(result.args)} exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-12000:]}\n--- stderr ---\n{result.stderr[-6000:]}\n"
            f"--- gateway log (tail) ---\n{gateway.log_tail()}",
            pytrace=False,
        )


@pytest.mark.usefixtures("go_client")
def test_go_suite(gateway: Gateway) -> None:
    result = run_suite(["go", "test", "-count=1", "-v", "./..."], CLIENTS / "go", gateway)
    _check(result, gateway)
    # The end-to-end tests ran rather than skipped: a gateway was there.
    assert "--- PASS: TestE2ESubmitAndWatchUntilDone" in result.stdout
    # ReadInstanceResult end to end: 25,000 rows, projection, offset and limit.
    assert "--- PASS: TestE2EReadInstanceResult" in result.stdout
    assert "--- SKIP" not in result.stdout


@pytest.mark.usefixtures("java_client")
def test_java_suite(gateway: Gateway) -> None:
    result = run_suite(["mvn", "-B", "-o", "test"], CLIENTS / "java", gateway)
    _check(result, gateway)
    assert "Tests run:" in result.stdout
    assert "Skipped: 0" in result.stdout.split("Results:")[-1]
    # ReadInstanceResult end to end ran: surefire's report of EndToEndTest lists it.
    report = CLIENTS / "java/target/surefire-reports/TEST-com.mcgateway.client.EndToEndTest.xml"
    assert 'name="readInstanceResultPastTenThousandRows"' in report.read_text()


@pytest.mark.usefixtures("node_client")
def test_node_suite(gateway: Gateway) -> None:
    result = run_suite(["node", "--test", "test/"], CLIENTS / "node", gateway)
    _check(result, gateway)
    assert "# fail 0" in result.stdout
    # The end-to-end tests ran rather than skipped: a gateway was there.
    assert re.search(r"^\s*ok \d+ - submits SQL and watches it", result.stdout, re.MULTILINE)
    assert re.search(
        r"^\s*ok \d+ - reads 25,000 rows, then a projection", result.stdout, re.MULTILINE
    )
