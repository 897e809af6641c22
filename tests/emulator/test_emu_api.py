"""The public surface of mcemulator, and PyODPS's own signer checked against our verifier."""

from __future__ import annotations

import email.utils
from pathlib import Path

import mcemulator
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from mcemulator import Account, EmulatorConfig, datadir, default_data_dir
from mcemulator.access import Authenticator
from mcemulator.errors import ServiceError
from mcemulator.tokens import TokenIssuer
from odps.accounts import AliyunAccount


def test_public_exports() -> None:
    assert sorted(mcemulator.__all__) == [
        "ALL_PROJECTS",
        "Account",
        "AdminClient",
        "DURATION_HINT",
        "Emulator",
        "EmulatorConfig",
        "FaultController",
        "FaultRule",
        "OPERATIONS",
        "SUSPEND_HINT",
        "default_data_dir",
    ]
    for name in mcemulator.__all__:
        assert getattr(mcemulator, name) is not None
    assert not hasattr(mcemulator, "DEMO_ACCESS_KEY"), "no published account any more"


def test_config_defaults(tmp_path: Path) -> None:
    config = EmulatorConfig(data_dir=tmp_path / "data")
    assert (config.host, config.port, config.project) == ("127.0.0.1", 0, "demo")
    assert config.default_duration_seconds == 0.5 and config.workers == 4
    assert config.faults == () and config.accounts is None
    assert config.max_clock_skew_seconds == 900 and config.admin is False
    # No accounts given: one is generated for the data dir, and the same one is read back.
    accounts = config.resolved_accounts()
    ((access_id, account),) = accounts.items()
    assert access_id.startswith("mcemu") and len(account.access_key) >= 32
    assert account.access_key not in repr(account)
    assert EmulatorConfig(data_dir=tmp_path / "data").resolved_accounts() == accounts
    assert EmulatorConfig(data_dir=tmp_path / "other").resolved_accounts() != accounts
    explicit = EmulatorConfig(data_dir=tmp_path / "x", accounts={"id": ("key", {"demo"})})
    assert explicit.resolved_accounts() == {"id": Account("key", frozenset({"demo"}))}


def test_default_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / "mcgateway" / "emulator"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_data_dir() == Path.home() / ".local" / "share" / "mcgateway" / "emulator"


def test_emulator_properties(emulator: mcemulator.Emulator) -> None:
    assert emulator.endpoint == f"http://127.0.0.1:{emulator.port}/api"
    assert emulator.project == "demo"
    assert emulator.account_file == emulator.config.data_dir / "account.json"
    assert datadir.read_account(emulator.config.data_dir) == (
        emulator.access_id,
        emulator.access_key,
    )


_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=0, max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    params=st.dictionaries(st.text("abcxyz_-", min_size=1, max_size=6), _text, max_size=4),
    flag=st.sampled_from(["taskstatus", "result", "xresult", None]),
    project=st.text("abcdefgh_0123", min_size=3, max_size=10),
    agent=_text,
)
def test_pyodps_signer_always_verifies(
    params: dict[str, str], flag: str | None, project: str, agent: str
) -> None:
    """Whatever PyODPS signs (encoded '+', '&', '=', '%', unicode), our verifier accepts."""
    endpoint = "http://service.example.com/api"
    url = f"{endpoint}/projects/{project}/instances/20160519101349613gzbzufck2"
    if flag:
        url += "?" + flag
    request = requests.Request("GET", url, params=params).prepare()
    request.headers["Date"] = email.utils.formatdate(usegmt=True)
    request.headers["x-odps-user-agent"] = agent
    AliyunAccount("ak", "sk").sign_request(request, endpoint)
    auth = Authenticator({"ak": Account("sk")}, TokenIssuer(b"k"))
    assert request.url is not None
    headers = dict(request.headers)
    principal = auth.authenticate("GET", request.url[len(endpoint) :], headers, headers.items())
    assert principal.access_id == "ak"
    headers["Authorization"] = headers["Authorization"][:-2] + "AA"
    with pytest.raises(ServiceError):
        auth.authenticate("GET", request.url[len(endpoint) :], headers, headers.items())


def test_every_operation_has_a_handler_and_is_documented() -> None:
    from mcemulator.handlers import Operations

    table = Operations(engine=None, config=None, started=0.0).table  # type: ignore[arg-type]
    readme = (Path(__file__).resolve().parents[2] / "emulator" / "README.md").read_text()
    for operation in mcemulator.OPERATIONS - {"unknown"}:
        assert operation in table, f"no handler for {operation}"
    for operation in mcemulator.OPERATIONS:
        assert f"`{operation}`" in readme, f"{operation} missing from emulator/README.md"
