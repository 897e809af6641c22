"""Access credentials, kept out of every repr, str and log line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Credentials", "MissingCredentials"]

ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"


class MissingCredentials(ValueError):
    """The environment does not hold the required credential variables."""


@dataclass(frozen=True)
class Credentials:
    """An AccessKey pair, plus an STS security token for temporary credentials.

    Only ``access_id`` (not a secret: it is sent on every request) appears in ``repr``.
    """

    access_id: str
    access_key: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """Read ``ALIBABA_CLOUD_ACCESS_KEY_ID``/``_SECRET`` and ``ALIBABA_CLOUD_SECURITY_TOKEN``."""
        env = os.environ if environ is None else environ
        access_id = env.get(ENV_ACCESS_KEY_ID, "")
        access_key = env.get(ENV_ACCESS_KEY_SECRET, "")
        if not access_id or not access_key:
            raise MissingCredentials(
                f"set {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} (and optionally "
                f"{ENV_SECURITY_TOKEN}) or pass credentials explicitly"
            )
        return cls(access_id, access_key, env.get(ENV_SECURITY_TOKEN) or None)

    @property
    def is_sts(self) -> bool:
        """True for temporary (STS) credentials."""
        return bool(self.security_token)

    def __str__(self) -> str:
        kind = "sts" if self.is_sts else "ak"
        return f"Credentials({kind}, access_id={self.access_id!r})"

    def __getstate__(self) -> object:
        # Pickling would write the secret somewhere it does not belong.
        raise TypeError("Credentials cannot be pickled")
