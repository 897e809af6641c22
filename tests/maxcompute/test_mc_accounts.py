"""Account kinds against a private emulator: STS tokens, v4 signatures, project permissions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mcemulator import Account, Emulator, EmulatorConfig
from mcgateway.maxcompute import (
    ClientConfig,
    Credentials,
    ErrorCategory,
    MaxComputeClient,
    MaxComputeError,
)

STS_ID, STS_KEY, STS_TOKEN = "sts_id", "sts_key_secret", "sts-session-token"
LIMITED_ID, LIMITED_KEY = "limited_id", "limited_key_secret"
MISSING = "20000101000000000gmissing"


@pytest.fixture(scope="module")
def private_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    data_dir: Path = tmp_path_factory.mktemp("accounts-emulator")
    config = EmulatorConfig(
        data_dir=data_dir,
        extra_projects=("other_proj",),
        accounts={
            STS_ID: Account(STS_KEY, sts_token=STS_TOKEN),
            LIMITED_ID: (LIMITED_KEY, {"other_proj"}),
        },
    )
    with Emulator(config) as emu:
        yield emu


def _client(emu: Emulator, creds: Credentials, region: str | None = None) -> MaxComputeClient:
    return MaxComputeClient(ClientConfig(endpoint=emu.endpoint, credentials=creds, region=region))


def test_sts_credentials(private_emulator: Emulator) -> None:
    with _client(private_emulator, Credentials(STS_ID, STS_KEY, STS_TOKEN)) as client:
        assert not client.instance_exists(private_emulator.project, MISSING)
    with (
        _client(private_emulator, Credentials(STS_ID, STS_KEY)) as no_token,
        pytest.raises(MaxComputeError) as info,
    ):
        no_token.instance_exists(private_emulator.project, MISSING)
    assert info.value.category is ErrorCategory.UNAUTHENTICATED
    assert STS_TOKEN not in str(info.value) and STS_KEY not in str(info.value)


def test_v4_signature_is_accepted(private_emulator: Emulator) -> None:
    creds = Credentials(STS_ID, STS_KEY, STS_TOKEN)
    with _client(private_emulator, creds, region="cn-hangzhou") as client:
        assert client.signs_v4
        assert not client.instance_exists(private_emulator.project, MISSING)
        assert client.signs_v4  # verified, no fallback to v2 was needed


def test_project_permissions(private_emulator: Emulator) -> None:
    with _client(private_emulator, Credentials(LIMITED_ID, LIMITED_KEY)) as client:
        assert client.list_instances("other_proj").instances == ()
        with pytest.raises(MaxComputeError) as info:
            client.list_instances(private_emulator.project)
        assert info.value.category is ErrorCategory.DENIED
