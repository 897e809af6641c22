"""The asyncio chokepoint: every RPC of ``AsyncGateway`` goes through ``AsyncTransport.invoke``.

Same duties as the sync ``Transport``: bearer token, deadline, safe retries, error translation.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
from maxcompute.gateway.v1 import instance_service_pb2_grpc

from ._errors import DeadlineExceeded, error_from_rpc
from ._retry import SUBMIT_RETRY, backoff_seconds, should_retry
from ._service_config import ServiceConfig
from ._transport import auth_metadata

__all__ = ["AsyncTransport"]


class AsyncTransport:
    """Calls the generated aio stub with metadata, deadlines, retries and error translation."""

    def __init__(
        self,
        channel: Any,
        *,
        token: str | None,
        timeout: float | None,
        service_config: ServiceConfig,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        self._metadata = auth_metadata(token)
        self._timeout = timeout
        self._config = service_config
        self._clock = clock
        self._rng = rng

    def timeout_for(self, method: str, timeout: float | None) -> float:
        """The call's timeout: explicit, else the client's default, else the service config's."""
        if timeout is not None:
            return timeout
        if self._timeout is not None:
            return self._timeout
        return self._config.policy(method).timeout

    async def invoke(
        self,
        method: str,
        request: Any,
        *,
        timeout: float | None = None,
        idempotent: bool = False,
    ) -> Any:
        """Invokes unary ``method``; returns its response or raises a GatewayError.

        This is the one way client modules call a unary RPC: it applies the metadata, the
        deadline and the retry policy. It is internal to the package, not part of the
        user-facing API.
        """
        budget = self.timeout_for(method, timeout)
        deadline = self._clock() + budget
        policy = self._config.policy(method).retry or (SUBMIT_RETRY if idempotent else None)
        stub_method = getattr(self._stub, method)
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise DeadlineExceeded(
                    f"{method}: no answer within {budget:g}s",
                    code=grpc.StatusCode.DEADLINE_EXCEEDED,
                )
            try:
                return await stub_method(request, timeout=remaining, metadata=self._metadata)
            except grpc.RpcError as err:
                error = error_from_rpc(err)
                if not should_retry(policy, error, attempt):
                    raise error from err
                assert policy is not None
                delay = backoff_seconds(policy, attempt, error, self._rng)
                if self._clock() + delay >= deadline:
                    raise error from err
                await asyncio.sleep(delay)

    async def stream(
        self, method: str, request: Any, *, timeout: float | None = None
    ) -> AsyncIterator[Any]:
        """Invokes server-streaming ``method``; closing the iterator cancels the call."""
        call = getattr(self._stub, method)(request, timeout=timeout, metadata=self._metadata)
        try:
            async for message in call:
                yield message
        except grpc.RpcError as err:
            raise error_from_rpc(err) from err
        finally:
            call.cancel()
