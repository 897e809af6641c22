"""Run a gateway in a background thread, for tests and benchmarks of any client.

``GatewayThread(config)`` runs a :class:`~mcgateway.server.GatewayServer` on its own event
loop in a daemon thread, so synchronous test code (and clients with their own loops) can
talk to it over a real loopback port::

    with GatewayThread(GatewayConfig(listen="127.0.0.1:0", endpoint=..., ...)) as gw:
        channel = grpc.insecure_channel(gw.target)
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from types import TracebackType
from typing import Any

from mcgateway.config import GatewayConfig
from mcgateway.metrics import GatewayMetrics
from mcgateway.server import GatewayServer

__all__ = ["GatewayThread", "gateway_config_for"]


def gateway_config_for(emulator: Any, **overrides: Any) -> GatewayConfig:
    """A :class:`GatewayConfig` on a loopback ephemeral port whose upstream is ``emulator``
    (anything with ``endpoint``, ``project``, ``access_id`` and ``access_key``), plus
    ``overrides``."""
    return GatewayConfig(
        listen=overrides.pop("listen", "127.0.0.1:0"),
        endpoint=emulator.endpoint,
        project=emulator.project,
        access_id=emulator.access_id,
        access_key=emulator.access_key,
        **overrides,
    )


class GatewayThread:
    """A :class:`GatewayServer` on a private event loop in a background thread."""

    def __init__(self, config: GatewayConfig, *, emulator: Any | None = None) -> None:
        self.config = config
        self._emulator = emulator
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: GatewayServer | None = None
        self._stop_requested: asyncio.Event | None = None
        self._done: Future[None] = Future()

    @property
    def server(self) -> GatewayServer:
        """The running server (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("gateway thread not started")
        return self._server

    @property
    def target(self) -> str:
        """``127.0.0.1:PORT`` of the gRPC server."""
        return self.server.target

    @property
    def port(self) -> int:
        """The bound gRPC port."""
        port = self.server.port
        assert port is not None
        return port

    @property
    def metrics_port(self) -> int | None:
        """The bound metrics HTTP port, when ``metrics_listen`` is set."""
        return self.server.metrics_port

    @property
    def metrics(self) -> GatewayMetrics:
        """The server's :class:`~mcgateway.metrics.GatewayMetrics`."""
        return self.server.metrics

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop the server runs on."""
        if self._loop is None:
            raise RuntimeError("gateway thread not started")
        return self._loop

    def upstream_requests(self, operation: str | None = None) -> float:
        """``mcgateway_upstream_requests_total`` summed over codes (one operation, or all)."""
        labels = {"operation": operation} if operation is not None else None
        return float(self.server.metrics.value("mcgateway_upstream_requests_total", labels))

    def start(self, timeout: float = 30.0) -> GatewayThread:
        """Start the thread and wait until the server is SERVING (errors re-raised here)."""
        if self._thread is not None:
            raise RuntimeError("gateway thread already started")
        started: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name="mcgateway-server", daemon=True
        )
        self._thread.start()
        try:
            started.result(timeout)
        except BaseException:
            self._thread.join(timeout)
            self._thread = None
            raise
        return self

    def _run(self, started: Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main(started))
        except BaseException as exc:  # reported through the futures
            if not started.done():
                started.set_exception(exc)
        finally:
            loop.close()
            if not self._done.done():
                self._done.set_result(None)

    async def _main(self, started: Future[None]) -> None:
        self._stop_requested = asyncio.Event()
        server = GatewayServer(self.config, emulator=self._emulator)
        self._server = server
        try:
            await server.start()
        except BaseException as exc:
            started.set_exception(exc)
            return
        started.set_result(None)
        await self._stop_requested.wait()

    def stop(self, grace: float | None = None, timeout: float = 60.0) -> None:
        """Stop the server (graceful, see :meth:`GatewayServer.stop`) and join the thread."""
        if self._thread is None or self._loop is None:
            return
        loop, server = self._loop, self._server

        async def shutdown() -> None:
            if server is not None:
                await server.stop(grace)
            assert self._stop_requested is not None
            self._stop_requested.set()

        if not loop.is_closed():
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout)
        self._thread.join(timeout)
        self._thread = None

    def call(self, coro: Any, timeout: float = 30.0) -> Any:
        """Run a coroutine on the server's loop and return its result (for tests)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> GatewayThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
