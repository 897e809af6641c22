"""Authentication and authorisation of /api requests.

Every request must carry a valid ODPS signature (v2 or v4, see :mod:`mcemulator.signing`),
or a bearer token issued by ``?sign_bearer_token`` (read-only, limited to its resources).
The errors mirror MaxCompute's codes so PyODPS raises the matching exception classes.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Iterable, Mapping

from mcemulator import errors
from mcemulator.config import Account
from mcemulator.signing import canonical_string, parse_authorization, signature_matches
from mcemulator.tokens import Grant, TokenIssuer

_MISSING = "The request authorization header is invalid or missing."


class Principal:
    """Who sent a request: an account, or a bearer token's grant."""

    def __init__(self, access_id: str, account: Account | None, grant: Grant | None = None):
        self.access_id = access_id
        self.account = account
        self.grant = grant


class Authenticator:
    """Checks signatures against the configured accounts."""

    def __init__(
        self,
        accounts: Mapping[str, Account],
        tokens: TokenIssuer,
        max_clock_skew_seconds: float | None = None,
    ) -> None:
        self._accounts = dict(accounts)
        self._tokens = tokens
        self._max_skew = max_clock_skew_seconds

    def _check_date(self, value: str | None) -> None:
        if self._max_skew is None:
            return
        now = time.time()
        try:
            sent = email.utils.parsedate_to_datetime(value or "").timestamp()
        except (TypeError, ValueError):
            sent = 0.0
        if abs(now - sent) <= self._max_skew:
            return
        # PyODPS reads max_interval_date / expire_date / now_date out of this message.
        raise errors.ServiceError(
            403,
            "RequestTimeTooSkewd",
            "ODPS-0410031:Authentication request expired - the request date is too skewed,"
            f"max_interval_date:{int(self._max_skew * 1000)},"
            f"expire_date:{_iso(sent + self._max_skew)},now_date:{_iso(now)}",
        )

    def authenticate(
        self,
        method: str,
        resource: str,
        headers: Mapping[str, str],
        header_items: Iterable[tuple[str, str]],
    ) -> Principal:
        """The sender of a request, or a ServiceError (401) explaining why not.

        ``resource`` is the raw request target without the ``/api`` prefix.
        """
        value = headers.get("Authorization")
        if value is None:
            token = headers.get("x-odps-bearer-token")
            if token:
                grant = self._tokens.verify(token)
                if grant is None:
                    raise errors.ServiceError(
                        401,
                        "AuthenticationRequestExpired",
                        "ODPS-0410031:Authentication request expired - bearer token invalid",
                    )
                return Principal("", None, grant)
            raise errors.ServiceError(401, "Unauthorized", _MISSING)
        credential = parse_authorization(value)
        if credential is None:
            raise errors.ServiceError(401, "Unauthorized", _MISSING)
        account = self._accounts.get(credential.access_id)
        if account is None:
            raise errors.ServiceError(
                401,
                "InvalidParameter",
                f"ODPS-0410051:Invalid credentials - accessKeyId not found: {credential.access_id}",
            )
        canonical = canonical_string(method, resource, header_items)
        if not signature_matches(credential, account.access_key, canonical):
            raise errors.ServiceError(
                401,
                "SignatureNotMatch",
                "ODPS-0410042:Invalid signature value - User signature does not match",
            )
        self._check_date(headers.get("Date"))
        if account.sts_token is not None and headers.get("authorization-sts-token") != (
            account.sts_token
        ):
            raise errors.ServiceError(
                401, "InvalidParameter", "ODPS-0410051:Invalid credentials - bad STS token"
            )
        return Principal(credential.access_id, account)

    @staticmethod
    def authorize(principal: Principal, project: str, instance_id: str | None, method: str) -> None:
        """Raise NoPermission unless the principal may touch this project (and instance)."""
        if principal.grant is not None:
            if method != "GET" or not principal.grant.allows(project, instance_id):
                raise errors.no_permission("bearer-token", project)
            return
        if principal.account is None or not principal.account.may_use(project):
            raise errors.no_permission(principal.access_id, project)


def _iso(ts: float) -> str:
    stamp = dt.datetime.fromtimestamp(max(ts, 0.0), dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
