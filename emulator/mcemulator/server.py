"""The embeddable emulator: an aiohttp server on its own thread and event loop."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from mcemulator import datadir
from mcemulator.admin_client import AdminClient
from mcemulator.app import EmulatorApp
from mcemulator.config import Account, EmulatorConfig
from mcemulator.engine import Engine
from mcemulator.faults import FaultController


class Emulator:
    """A MaxCompute REST emulator; ``start()`` serves in the background, ``stop()`` shuts down."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.faults = FaultController()
        """Runtime fault controller (``set``, ``add``, ``inject``, ``clear``)."""
        self.faults.set(*config.faults)
        self._counts: Counter[str] = Counter()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._engine: Engine | None = None
        self._runner: web.AppRunner | None = None
        self._socket: socket.socket | None = None
        self._stopped: asyncio.Event | None = None
        self._accounts: dict[str, Account] | None = None
        self._port = 0

    # -- public surface ------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port listened on (known once started)."""
        return self._port

    @property
    def endpoint(self) -> str:
        """The MaxCompute endpoint to give clients, e.g. ``http://127.0.0.1:PORT/api``."""
        return f"http://{self._url_host()}:{self._port}/api"

    @property
    def project(self) -> str:
        """The preloaded project's name."""
        return self.config.project

    @property
    def accounts(self) -> dict[str, Account]:
        """The accounts requests may be signed with (read or generated on first use)."""
        if self._accounts is None:
            self._accounts = self.config.resolved_accounts()
        return self._accounts

    @property
    def access_id(self) -> str:
        """An AccessKeyId that may use the preloaded project (the generated one by default)."""
        accounts = self.accounts
        for access_id, account in accounts.items():
            if account.may_use(self.project):
                return access_id
        return next(iter(accounts))

    @property
    def access_key(self) -> str:
        """The secret of :attr:`access_id`."""
        return self.accounts[self.access_id].access_key

    @property
    def account_file(self) -> Path | None:
        """Where the generated account's secret is kept; ``None`` with configured accounts."""
        if self.config.accounts is not None:
            return None
        return datadir.account_path(self.config.data_dir)

    def admin_client(self) -> AdminClient:
        """A client of the admin endpoints signed with :attr:`access_id` (needs ``admin``)."""
        return AdminClient(
            f"http://{self._url_host()}:{self._port}", self.access_id, self.access_key
        )

    def request_count(self, operation: str | None = None) -> int:
        """REST requests received under /api, in total or for one operation name."""
        counts = dict(self._counts)
        return sum(counts.values()) if operation is None else counts.get(operation, 0)

    def suspend(self, instance_id: str, project: str | None = None) -> None:
        """Suspend a running instance (it stays Suspended until :meth:`resume`)."""
        self._call(self._engine_or_fail().suspend(project or self.project, instance_id))

    def resume(self, instance_id: str, project: str | None = None) -> None:
        """Resume a suspended instance."""
        self._call(self._engine_or_fail().resume(project or self.project, instance_id))

    def start(self) -> None:
        """Open the data directory, bind the port and serve on a background thread."""
        if self._thread is not None:
            raise RuntimeError("emulator already started")
        datadir.prepare(self.config.data_dir)
        accounts = self.accounts  # generated and stored now, before anything is served
        sock = socket.socket(socket.AF_INET6 if ":" in self.config.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        sock.listen(512)
        sock.setblocking(False)
        self._socket, self._port = sock, sock.getsockname()[1]
        ready: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._serve, args=(ready, accounts), name="mcemulator", daemon=True
        )
        self._thread.start()
        try:
            ready.result()
        except BaseException:
            self._thread.join()
            self._thread = None
            sock.close()
            raise

    def stop(self) -> None:
        """Stop serving, let running work go (it is recovered as restarted), close the stores."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if self._stopped is not None:
            loop.call_soon_threadsafe(self._stopped.set)
        thread.join()
        self._thread = self._loop = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------------------

    def _url_host(self) -> str:
        host = self.config.host
        if host in ("0.0.0.0", ""):
            return "127.0.0.1"
        return f"[{host}]" if ":" in host else host

    def _engine_or_fail(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("emulator not started")
        return self._engine

    def _call(self, coro: Any) -> Any:
        if self._loop is None:
            coro.close()
            raise RuntimeError("emulator not started")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _serve(self, ready: Future[None], accounts: dict[str, Account]) -> None:
        # asyncio.run cancels whatever is still pending at the end (held long-polls,
        # handlers of connections that never closed) instead of leaving it dangling.
        asyncio.run(self._main(ready, accounts))

    async def _main(self, ready: Future[None], accounts: dict[str, Account]) -> None:
        try:
            loop = self._loop = asyncio.get_running_loop()
            # Opening SQLite and DuckDB blocks (and may load the demo data): do it off the loop.
            engine = await loop.run_in_executor(None, Engine, self.config)
            self._engine = engine
            app = EmulatorApp(engine, self.config, self.faults, self._counts, accounts).build()
            runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
            await runner.setup()
            assert self._socket is not None
            await web.SockSite(runner, self._socket).start()
            self._runner, self._stopped = runner, asyncio.Event()
        except BaseException as exc:
            ready.set_exception(exc)
            if self._engine is not None:
                await self._engine.close()
            return
        ready.set_result(None)
        await self._stopped.wait()
        await runner.cleanup()
        await engine.close()
        self._engine = None
