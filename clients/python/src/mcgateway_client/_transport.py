"""The synchronous chokepoint: every RPC of the sync client goes through ``Transport.invoke``.

It adds the bearer token, sets the deadline, retries what is safe to retry and turns gRPC errors
into the library's exceptions. Nothing above it sees a ``grpc.RpcError``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import grpc
from maxcompute.gateway.v1 import instance_service_pb2_grpc

from ._errors import DeadlineExceeded, error_from_rpc
from ._retry import SUBMIT_RETRY, backoff_seconds, should_retry
from ._service_config import ServiceConfig

__all__ = ["Transport", "auth_metadata"]


def auth_metadata(token: str | None) -> tuple[tuple[str, str], ...]:
    """The call metadata that carries the bearer token (empty without a token)."""
    return (("authorization", f"Bearer {token}"),) if token else ()


class Transport:
    """Calls the generated stub with metadata, deadlines, retries and error translation."""

    def __init__(
        self,
        channel: grpc.Channel,
        *,
        token: str | None,
        timeout: float | None,
        service_config: ServiceConfig,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._stub = instance_service_pb2_grpc.InstanceServiceStub(channel)
        self._metadata = auth_metadata(token)
        self._timeout = timeout
        self._config = service_config
        self._clock = clock
        self._sleep = sleep
        self._rng = rng

    def timeout_for(self, method: str, timeout: float | None) -> float:
        """The call's timeout: explicit, else the client's default, else the service config's."""
        if timeout is not None:
            return timeout
        if self._timeout is not None:
            return self._timeout
        return self._config.policy(method).timeout

    def invoke(
        self,
        method: str,
        request: Any,
        *,
        timeout: float | None = None,
        idempotent: bool = False,
    ) -> Any:
        """Invokes unary ``method`` and returns its response or raises a GatewayError.

        This is the one way client modules call a unary RPC: it applies the metadata, the
        deadline and the retry policy. It is internal to the package, not part of the
        user-facing API.

        The whole call, retries included, ends by one deadline. Reads retry UNAVAILABLE as the
        service config says; ``idempotent`` extends that to calls made safe by a request id.
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
                return stub_method(request, timeout=remaining, metadata=self._metadata)
            except grpc.RpcError as err:
                error = error_from_rpc(err)
                if not should_retry(policy, error, attempt):
                    raise error from err
                assert policy is not None
                delay = backoff_seconds(policy, attempt, error, self._rng)
                if self._clock() + delay >= deadline:
                    raise error from err
                self._sleep(delay)

    def stream(self, method: str, request: Any, *, timeout: float | None = None) -> Iterator[Any]:
        """Invokes server-streaming ``method``; yields responses, raises GatewayError on failure.

        Closing the generator cancels the call. Streams are never retried here: a stream that
        delivered data must be resumed by its caller.
        """
        call = getattr(self._stub, method)(request, timeout=timeout, metadata=self._metadata)
        try:
            yield from call
        except grpc.RpcError as err:
            raise error_from_rpc(err) from err
        finally:
            call.cancel()
