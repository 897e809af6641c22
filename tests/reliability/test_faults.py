"""Faults: many watchers and a steady unary load while MaxCompute errs, stalls and drops.

One ``mcgateway serve`` process fronts an in-process emulator that fails about 20% of
requests (server errors, throttling with Retry-After, dropped connections) and now and then
stalls a burst of requests (latency spikes). For ``DURATION`` seconds, ``SLOTS`` instances
run at once, each watched by ``WATCHERS // SLOTS`` WatchInstance streams spread over
``CHANNELS`` grpc.aio channels; as an instance finishes, the next is submitted. Meanwhile
GetInstance/ListInstances/ListTasks calls with deadlines run at ``UNARY_RATE`` per second.

Proved: every watcher of every instance receives exactly one TERMINAL with the instance's
true final state (success or failure), resuming after UNAVAILABLE only (snapshot-first);
every unary call and short-deadline stream ends within its deadline plus ``SLACK`` with an
allowed code (never INTERNAL or UNKNOWN); afterwards the gateway has no open stream, no
poller and no queued upstream call, and its RSS is back within ``RSS_SLACK`` of the
baseline taken after a warm-up round.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pytest
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import FaultRule

from reliability.harness import (
    DURATION_HINT,
    EmulatorProcess,
    GatewayProcess,
    free_port,
    stub,
    wait_until,
)

pb = instance_service_pb2
Event = pb.WatchInstanceResponse.EventType
State = instance_pb2.Instance.State

DURATION = float(__import__("os").environ.get("MCGW_FAULTS_DURATION", "60"))
"""Seconds during which new instances are submitted under faults."""
WATCHERS = 200
"""WatchInstance streams open at once (spread over the running instances)."""
SLOTS = 5
"""Instances running at once; each has ``WATCHERS // SLOTS`` watchers."""
CHANNELS = 4
"""grpc.aio channels the watchers are spread over."""
UNARY_RATE = 10.0
"""Unary calls started per second."""
UNARY_DEADLINE = 2.0
"""Deadline of every unary call, in seconds."""
SHORT_STREAM_DEADLINE = 1.0
"""Deadline of the short-lived WatchInstance calls mixed into the unary load."""
WATCH_DEADLINE = 60.0
"""Deadline of each watcher's stream; a watcher that needs it has hung."""
SLACK = 1.0
"""Allowed lateness past a deadline (event-loop scheduling on a busy 2-core machine)."""
RSS_SLACK = 64 * 1024 * 1024
"""How far above its post-warm-up RSS the gateway may stay once every stream has closed."""
FAILING_EVERY = 4
"""Every FAILING_EVERY-th instance runs a query that fails, so final states differ."""

UNARY_CODES = {
    grpc.StatusCode.OK,
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
}
# Faults off for this share of the time would hide nothing: they stay on throughout.
BASE_FAULTS = FaultRule(error_rate=0.10, throttle_rate=0.05, drop_rate=0.05)
SPIKE = FaultRule(latency_seconds=1.5, remaining=12)


class LoopLag:
    """How late this process's event loop ran, sampled every ``INTERVAL`` seconds.

    On a busy 2-core machine (other suites, the gateway and emulator processes) the client's
    own loop can stall; a call observed late only because the loop that measures it stalled
    says nothing about the gateway, so lateness is judged against the lag seen meanwhile.
    """

    INTERVAL = 0.05

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []

    async def run(self, stop: asyncio.Event) -> None:
        """Sample until ``stop``."""
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(self.INTERVAL)
            now = loop.time()
            self.samples.append((now, now - before - self.INTERVAL))

    def worst(self, start: float, end: float) -> float:
        """SLACK plus the largest lag observed from ``start`` to shortly after ``end``."""
        lags = [lag for t, lag in self.samples if start <= t <= end + 1.0]
        return SLACK + max(lags, default=0.0)

    def peak(self) -> float:
        """The largest lag observed."""
        return max((lag for _, lag in self.samples), default=0.0)


SUBMIT_RETRIES: Counter[str] = Counter()
"""SubmitSql retries by code, reported with the figures."""


@dataclass
class WatchOutcome:
    """What one watcher saw across its streams."""

    instance_id: str
    terminals: list[instance_service_pb2.WatchInstanceResponse] = field(default_factory=list)
    resumes: int = 0
    messages: int = 0
    error: str | None = None
    late: list[tuple[float, float, float]] = field(default_factory=list)
    """(start, end, seconds past the deadline) of streams that ended late."""


@dataclass
class Load:
    """Everything recorded during the run."""

    expected: dict[str, bool] = field(default_factory=dict)
    """instance id → whether it should succeed."""
    outcomes: list[WatchOutcome] = field(default_factory=list)
    unary: list[tuple[str, grpc.StatusCode, float, float, float]] = field(default_factory=list)
    """(method, code, elapsed, deadline, start time)."""
    lag: LoopLag = field(default_factory=lambda: LoopLag())
    unexpected: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """A private emulator process (faults go through its admin endpoint), eight workers so
    slots never queue. A process of its own keeps its work off the measuring client's GIL."""
    emu = EmulatorProcess(
        tmp_path / "emu", free_port(), tmp_path / "emulator.log", ["--workers", "8"]
    )
    try:
        yield emu.start()
    finally:
        emu.close()


@pytest.fixture
def gateway(tmp_path: Path, emulator: EmulatorProcess) -> Iterator[GatewayProcess]:
    """``mcgateway serve`` against the emulator; the access key travels in the environment."""
    args = [
        "--endpoint", emulator.endpoint,
        "--project", "demo",
        "--access-id", emulator.access_id,
        "--progress-interval", "0.5",
    ]  # fmt: skip
    gw = GatewayProcess(tmp_path, args, env={"MCGATEWAY_ACCESS_KEY": emulator.access_key})
    try:
        yield gw.start()
    finally:
        gw.close()


async def _submit(stubs: list[Any], seconds: float, failing: bool) -> str:
    """SubmitSql under faults: retried with one request id, so a lost answer is no duplicate."""
    query = "select * from no_such_table" if failing else "select count(*) from pyodps_iris"
    request = pb.SubmitSqlRequest(
        job=instance_pb2.SqlJob(query=query, hints={DURATION_HINT: f"{seconds:.2f}"}),
        request_id=str(uuid.uuid4()),
    )
    give_up = time.monotonic() + 60
    while True:
        try:
            response = await stubs[0].SubmitSql(request, timeout=15)
            return str(response.instance.instance_id)
        except grpc.aio.AioRpcError as exc:
            # With a request id every failure is safe to retry, and none is INTERNAL/UNKNOWN
            # (a lost create answer is UNAVAILABLE: the retry looks the id up first).
            retryable = exc.code() in UNARY_CODES
            if not retryable or time.monotonic() > give_up:
                raise
            SUBMIT_RETRIES[exc.code().name] += 1
            await asyncio.sleep(0.2)


async def _watch(stubs: list[object], index: int, instance_id: str) -> WatchOutcome:
    """Watch until a TERMINAL arrives, resuming (new snapshot) after UNAVAILABLE."""
    out = WatchOutcome(instance_id)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + WATCH_DEADLINE
    while True:
        s = stubs[index % len(stubs)]
        remaining = give_up - loop.time()
        if remaining <= 0:
            out.error = "no terminal before the watcher's overall deadline"
            return out
        started = loop.time()
        call = s.WatchInstance(  # type: ignore[attr-defined]
            pb.WatchInstanceRequest(instance_id=instance_id), timeout=remaining
        )
        code = grpc.StatusCode.OK
        after_terminal = 0
        try:
            async for message in call:
                out.messages += 1
                if out.terminals:
                    after_terminal += 1
                if message.event_type == Event.TERMINAL:
                    out.terminals.append(message)
        except grpc.aio.AioRpcError as exc:
            code = exc.code()
        elapsed = loop.time() - started
        if elapsed > remaining + SLACK:
            out.late.append((started, started + elapsed, elapsed - remaining))
        if after_terminal:
            out.error = f"{after_terminal} message(s) after the TERMINAL one"
            return out
        if out.terminals:
            if code is not grpc.StatusCode.OK:
                out.error = f"stream ended with {code.name} after its TERMINAL message"
            return out
        if code is grpc.StatusCode.UNAVAILABLE or code is grpc.StatusCode.OK:
            out.resumes += 1
            await asyncio.sleep(random.uniform(0.05, 0.3))
            continue
        out.error = f"stream failed with {code.name}"
        return out


async def _unary_call(s: object, load: Load, rng: random.Random) -> None:
    loop = asyncio.get_running_loop()
    choice = rng.random()
    ids = load.running or list(load.expected)
    iid = rng.choice(ids) if ids else ""
    deadline = UNARY_DEADLINE
    if not iid or 0.3 <= choice < 0.55:
        method, call = (
            "ListInstances",
            s.ListInstances(  # type: ignore[attr-defined]
                pb.ListInstancesRequest(page_size=20), timeout=deadline
            ),
        )
    elif choice < 0.3:
        method, call = (
            "GetInstance",
            s.GetInstance(  # type: ignore[attr-defined]
                pb.GetInstanceRequest(instance_id=iid), timeout=deadline
            ),
        )
    elif choice < 0.85:
        method, call = (
            "ListTasks",
            s.ListTasks(  # type: ignore[attr-defined]
                pb.ListTasksRequest(instance_id=iid), timeout=deadline
            ),
        )
    else:
        deadline = SHORT_STREAM_DEADLINE
        method, call = (
            "WatchInstance(short)",
            s.WatchInstance(  # type: ignore[attr-defined]
                pb.WatchInstanceRequest(instance_id=iid), timeout=deadline
            ),
        )
    started = loop.time()
    code = grpc.StatusCode.OK
    try:
        if method.startswith("Watch"):
            async for _ in call:
                pass
        else:
            await call
    except grpc.aio.AioRpcError as exc:
        code = exc.code()
    load.unary.append((method, code, loop.time() - started, deadline, started))


async def _unary_load(stubs: list[object], load: Load, stop: asyncio.Event) -> None:
    """Start UNARY_RATE calls per second (each in its own task) until ``stop``."""
    rng = random.Random(11)
    tasks: set[asyncio.Task[None]] = set()
    n = 0
    while not stop.is_set():
        task = asyncio.create_task(_unary_call(stubs[n % len(stubs)], load, rng))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0 / UNARY_RATE)
    await asyncio.gather(*tasks)


async def _spikes(emulator: EmulatorProcess, stop: asyncio.Event) -> None:
    """Every 4 s, stall the next SPIKE.remaining upstream requests by 1.5 s."""
    while not stop.is_set():
        await asyncio.to_thread(emulator.set_faults, SPIKE, BASE_FAULTS)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 4.0)


async def _slot(
    slot: int,
    stubs: list[object],
    load: Load,
    run_until: float,
    per_instance: int,
    run_times: tuple[float, float],
) -> None:
    """Submit an instance, watch it with ``per_instance`` watchers to the end; repeat."""
    loop = asyncio.get_running_loop()
    rng = random.Random(slot)
    round_no = 0
    while True:
        seconds = rng.uniform(*run_times)
        if loop.time() + seconds > run_until and round_no > 0:
            return
        failing = (slot + round_no) % FAILING_EVERY == FAILING_EVERY - 1
        iid = await _submit(stubs, seconds, failing)
        load.expected[iid] = not failing
        load.running.append(iid)
        outcomes = await asyncio.gather(
            *(_watch(stubs, slot * per_instance + k, iid) for k in range(per_instance))
        )
        load.running.remove(iid)
        load.outcomes.extend(outcomes)
        round_no += 1


def _check_outcomes(load: Load) -> list[str]:
    problems = []
    for out in load.outcomes:
        where = f"watcher of {out.instance_id}"
        if out.error:
            problems.append(f"{where}: {out.error}")
            continue
        if len(out.terminals) != 1:
            problems.append(f"{where}: {len(out.terminals)} TERMINAL messages")
            continue
        final = out.terminals[0].instance
        if final.state != State.TERMINATED:
            problems.append(f"{where}: TERMINAL with state {State.Name(final.state)}")
        if not final.HasField("successful"):
            problems.append(f"{where}: TERMINAL without an outcome (successful unset)")
        elif final.successful != load.expected[out.instance_id]:
            problems.append(
                f"{where}: successful={final.successful}, expected {load.expected[out.instance_id]}"
            )
        for start, end, overshoot in out.late:
            if overshoot > load.lag.worst(start, end):
                problems.append(f"{where}: a stream ended {overshoot:.2f} s past its deadline")
    return problems


async def _run(
    emulator: EmulatorProcess,
    gateway: GatewayProcess,
    duration: float,
    run_times: tuple[float, float] = (3.0, 10.0),
) -> Load:
    """Slots of watched instances (simulated run times drawn from ``run_times``) plus the
    unary load, for ``duration`` seconds (at least one instance per slot)."""
    channels = [grpc.aio.insecure_channel(gateway.target) for _ in range(CHANNELS)]
    stubs: list[object] = [stub(ch) for ch in channels]
    load = Load()
    stop = asyncio.Event()
    try:
        loop = asyncio.get_running_loop()
        lag = asyncio.create_task(load.lag.run(stop))
        unary = asyncio.create_task(_unary_load(stubs, load, stop))
        spikes = asyncio.create_task(_spikes(emulator, stop))
        run_until = loop.time() + duration
        per_instance = WATCHERS // SLOTS
        await asyncio.gather(
            *(_slot(i, stubs, load, run_until, per_instance, run_times) for i in range(SLOTS))
        )
        stop.set()
        await asyncio.gather(unary, spikes, lag)
    finally:
        await asyncio.to_thread(emulator.set_faults)
        for ch in channels:
            await ch.close()
    return load


async def test_watchers_and_unary_load_survive_upstream_faults(
    emulator: EmulatorProcess, gateway: GatewayProcess
) -> None:
    # Warm-up without faults: imports, thread pools, connection pools and caches exist
    # before the baseline is taken, so the RSS comparison measures leaks, not first use.
    warm = await _run(emulator, gateway, duration=0.0, run_times=(1.0, 2.0))
    assert not _check_outcomes(warm)
    wait_until(lambda: gateway.metric("mcgateway_active_streams") == 0, 30, "warm-up streams")
    baseline = gateway.rss()

    emulator.set_faults(BASE_FAULTS)
    before = emulator.request_count()
    started = time.monotonic()
    load = await _run(emulator, gateway, duration=DURATION)
    elapsed = time.monotonic() - started
    upstream_requests = emulator.request_count() - before

    problems = _check_outcomes(load)
    codes: Counter[tuple[str, str]] = Counter()
    for method, code, took, deadline, start in load.unary:
        codes[(method, code.name)] += 1
        if code not in UNARY_CODES:
            problems.append(f"{method} answered {code.name}")
        if took - deadline > load.lag.worst(start, start + took):
            problems.append(
                f"{method} took {took:.2f} s with a {deadline} s deadline (event loop lag "
                f"{load.lag.worst(start, start + took) - SLACK:.2f} s)"
            )
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"

    instances = len(load.expected)
    assert instances >= 2 * SLOTS, f"only {instances} instances ran in {DURATION} s"
    assert len(load.outcomes) == instances * (WATCHERS // SLOTS)
    assert not any(out for out in load.outcomes if out.error)
    assert sum(1 for ok in load.expected.values() if not ok) >= 1, "no failing instance ran"
    # The faults really hit the gateway: many of its upstream requests failed.
    failed_upstream = gateway.metric("mcgateway_upstream_requests_total") - gateway.metric(
        "mcgateway_upstream_requests_total", code="OK"
    )
    assert failed_upstream >= 0.05 * upstream_requests, (failed_upstream, upstream_requests)

    # Everything drains: no stream, no poller, nothing queued upstream.
    def drained() -> bool:
        return (
            gateway.metric("mcgateway_active_streams") == 0
            and gateway.metric("mcgateway_active_pollers") == 0
            and gateway.metric("mcgateway_upstream_inflight") == 0
        )

    wait_until(drained, 60, "streams, pollers and upstream calls to drain")
    rss = gateway.rss()
    print(
        f"\nfaults: {elapsed:.1f} s, {instances} instances, {len(load.outcomes)} watchers, "
        f"{sum(o.resumes for o in load.outcomes)} resumes, "
        f"{sum(o.messages for o in load.outcomes)} stream messages, {len(load.unary)} unary "
        f"calls {dict(codes)}, SubmitSql retries {dict(SUBMIT_RETRIES)}, "
        f"{upstream_requests} upstream requests, client loop lag peak {load.lag.peak():.2f} s, "
        f"RSS {baseline >> 20} MiB "
        f"→ {rss >> 20} MiB"
    )
    assert rss <= baseline + RSS_SLACK, f"RSS {rss >> 20} MiB vs baseline {baseline >> 20} MiB"
    assert gateway.alive()
