"""GetInstance's concurrent upstream reads answer exactly as the sequential read does, and
are used when the upstream is slow enough for them to pay."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from mcemulator import DURATION_HINT, Emulator
from mcgateway.domain import InstanceStatus, TaskStatus
from mcgateway.maxcompute import Credentials, Deadline, MaxComputeError
from mcgateway.testing import gateway_config_for
from mcgateway.upstream import (
    CONCURRENT_ABOVE,
    InstanceView,
    Upstream,
    build_client,
    gather_instance_view,
    read_instance_view,
)


@pytest.fixture
async def upstream(emulator: Emulator) -> AsyncIterator[Upstream]:
    config = gateway_config_for(emulator)
    client = build_client(
        config,
        endpoint=emulator.endpoint,
        credentials=Credentials(emulator.access_id, emulator.access_key),
        default_project=emulator.project,
    )
    up = Upstream(client, concurrency=8, default_timeout=30)
    try:
        yield up
    finally:
        up.close()
        emulator.faults.clear()


async def both(
    up: Upstream, project: str, instance_id: str, seconds: float = 20
) -> tuple[InstanceView | MaxComputeError, InstanceView | MaxComputeError]:
    """The sequential and the concurrent read (or the error each raised)."""

    async def attempt(concurrent: bool) -> InstanceView | MaxComputeError:
        deadline = Deadline.after(seconds)
        try:
            if concurrent:
                # As if the upstream were a cloud region away: the reads go out together.
                up.round_trip.seconds = 1.0
                return await gather_instance_view(up, project, instance_id, deadline=deadline)
            return await up.run(
                read_instance_view, up.client, project, instance_id, deadline=deadline
            )
        except MaxComputeError as exc:
            return exc

    return await attempt(False), await attempt(True)


async def create(up: Upstream, project: str, query: str, seconds: float | None = None) -> str:
    hints = {DURATION_HINT: str(seconds)} if seconds is not None else {}
    created = await up.run(
        up.client.create_sql_instance, project, query, hints=hints, deadline=up.deadline(30)
    )
    return created.instance_id


async def terminated(up: Upstream, project: str, instance_id: str) -> None:
    while not (
        await up.run(
            up.client.wait_instance, project, instance_id, wait=20, deadline=up.deadline(30)
        )
    ).is_terminated:
        pass


def same_error(a: MaxComputeError, b: MaxComputeError) -> None:
    assert (type(a), a.category, a.code, a.http_status) == (
        type(b),
        b.category,
        b.code,
        b.http_status,
    )


async def test_running_succeeded_and_failed_instances_read_the_same(
    upstream: Upstream, emulator: Emulator
) -> None:
    up, project = upstream, emulator.project
    running = await create(up, project, "select 1", 60)
    succeeded = await create(up, project, "select 1")
    failed = await create(up, project, "select * from no_such_table_anywhere")
    await terminated(up, project, succeeded)
    await terminated(up, project, failed)
    try:
        for instance_id, status in (
            (running, InstanceStatus.RUNNING),
            (succeeded, InstanceStatus.TERMINATED),
            (failed, InstanceStatus.TERMINATED),
        ):
            sequential, concurrent = await both(up, project, instance_id)
            assert isinstance(sequential, InstanceView) and isinstance(concurrent, InstanceView)
            assert concurrent == sequential
            assert concurrent.instance.status is status and concurrent.instance.tasks
        _, view = await both(up, project, failed)
        assert isinstance(view, InstanceView)
        assert [t.status for t in view.instance.tasks] == [TaskStatus.FAILED]
        assert view.results and view.results[0].content  # the failure text came along
    finally:
        await up.run(up.client.stop_instance, project, running, deadline=up.deadline(30))


async def test_a_missing_instance_is_the_same_not_found(
    upstream: Upstream, emulator: Emulator
) -> None:
    sequential, concurrent = await both(upstream, emulator.project, "20260101000000000gnosuchid1")
    assert isinstance(sequential, MaxComputeError) and isinstance(concurrent, MaxComputeError)
    same_error(sequential, concurrent)


# The emulator's names of GET, ?taskstatus and ?result.
@pytest.mark.parametrize("operation", ["get_instance", "task_status", "task_result"])
async def test_partial_upstream_errors_end_the_same(
    upstream: Upstream, emulator: Emulator, operation: str
) -> None:
    up, project = upstream, emulator.project
    failed = await create(up, project, "select * from no_such_table_anywhere")
    await terminated(up, project, failed)
    # One failed attempt of one of the reads: retried within the deadline, same answer.
    emulator.faults.inject(operations={operation}, error_rate=1.0, remaining=1)
    sequential, _ = await both(up, project, failed)
    emulator.faults.inject(operations={operation}, error_rate=1.0, remaining=1)
    _, concurrent = await both(up, project, failed)
    assert isinstance(concurrent, InstanceView) and concurrent == sequential
    # Every attempt of it answers a malformed body: the same error either way.
    emulator.faults.inject(operations={operation}, malformed_rate=1.0)
    sequential, concurrent = await both(up, project, failed, seconds=5)
    assert isinstance(sequential, MaxComputeError) and isinstance(concurrent, MaxComputeError)
    same_error(sequential, concurrent)


async def test_the_reads_overlap_once_the_upstream_is_slow(
    upstream: Upstream, emulator: Emulator
) -> None:
    up, project = upstream, emulator.project
    instance_id = await create(up, project, "select 1", 60)
    loop = asyncio.get_running_loop()

    async def timed_read() -> float:
        started = loop.time()
        view = await gather_instance_view(up, project, instance_id, deadline=Deadline.after(10))
        assert view.instance.status is InstanceStatus.RUNNING
        return loop.time() - started

    try:
        await timed_read()
        assert up.round_trip.seconds < CONCURRENT_ABOVE  # loopback: one after the other
        # Each read held 0.5 s upstream: one after the other take 1 s, together 0.5 s.
        emulator.faults.inject(operations={"get_instance", "task_status"}, latency_seconds=0.5)
        assert await timed_read() >= 1.0  # the first slow read is sequential, and timed
        assert up.round_trip.seconds > CONCURRENT_ABOVE
        elapsed = await timed_read()
        assert 0.5 <= elapsed < 0.95, elapsed
        # Fast again: after a few reads the average falls back below the threshold.
        emulator.faults.clear()
        for _ in range(60):
            if up.round_trip.seconds < CONCURRENT_ABOVE:
                break
            await timed_read()
        assert up.round_trip.seconds < CONCURRENT_ABOVE
    finally:
        emulator.faults.clear()
        await up.run(up.client.stop_instance, project, instance_id, deadline=up.deadline(30))
