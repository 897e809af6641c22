"""The pieces without a network: subscriber buffer rules, token bucket, settings, exports."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime

import grpc
import mcgateway.watch
import pytest
from mcgateway.config import ConfigError, GatewayConfig
from mcgateway.domain import (
    Instance,
    InstanceStatus,
    StageProgress,
    Task,
    TaskProgress,
    TaskStatus,
)
from mcgateway.maxcompute import MaxComputeError
from mcgateway.service.watch_rpcs import upstream_unavailable
from mcgateway.watch import TokenBucket, WatchSettings
from mcgateway.watch._observation import EventKind, Observation, next_sequence
from mcgateway.watch._subscription import Subscription, SubscriptionClosed

_seq = 0


def _state(
    status: InstanceStatus = InstanceStatus.RUNNING,
    task: TaskStatus = TaskStatus.RUNNING,
    percent: int = 0,
) -> Observation:
    global _seq
    _seq = next_sequence(_seq)
    stage = StageProgress("M1_Stg1_job0", "Running", 0, 1, 0, 1, 10, 0, percent)
    return Observation(
        sequence=_seq,
        observe_time=datetime.now(UTC),
        instance=Instance("demo", "i1", status, tasks=(Task("AnonymousSQLTask", "SQL", task),)),
        progress=(TaskProgress("AnonymousSQLTask", (stage,), "x"),),
        failure_message=None,
        stale=False,
    )


def _drain(subscription: Subscription) -> list[tuple[int, Observation]]:
    out = []
    while (item := subscription.take()) is not None:
        out.append(item)
    return out


def test_first_message_is_a_snapshot_of_the_newest_state() -> None:
    sub = Subscription(with_progress=True)
    first, second = _state(), _state(percent=50)
    sub.offer(None, first)
    sub.offer(EventKind.PROGRESS, second)
    sub.offer(EventKind.TASK_STATUS_CHANGED, third := _state(percent=60))
    assert _drain(sub) == [(EventKind.SNAPSHOT, third)]
    assert second is not third


def test_progress_is_conflated_and_never_queues() -> None:
    sub = Subscription(with_progress=True, limit=4)
    sub.offer(None, _state())
    _drain(sub)
    states = [_state(percent=p) for p in range(1000)]
    for state in states:
        sub.offer(EventKind.PROGRESS, state)
    assert sub.pending == 1
    assert _drain(sub) == [(EventKind.PROGRESS, states[-1])]


def test_status_changes_survive_and_the_buffer_stays_bounded() -> None:
    sub = Subscription(with_progress=True, limit=4)
    sub.offer(None, _state())
    _drain(sub)
    for i in range(100):
        sub.offer(EventKind.TASK_STATUS_CHANGED, _state())
        sub.offer(EventKind.PROGRESS, _state(percent=i))
        assert sub.pending <= 5
    suspended = _state(InstanceStatus.SUSPENDED)
    sub.offer(EventKind.STATUS_CHANGED, suspended)
    for _ in range(20):
        sub.offer(EventKind.TASK_STATUS_CHANGED, _state())
    assert sub.pending <= 5
    items = _drain(sub)
    kinds = [k for k, _ in items]
    # The suspension was merged into an older change, which kept the STATUS_CHANGED type.
    assert EventKind.STATUS_CHANGED in kinds
    sequences = [s.sequence for _, s in items]
    assert sequences == sorted(sequences)


def test_terminal_is_queued_once_after_pending_changes() -> None:
    sub = Subscription(with_progress=True)
    sub.offer(None, _state())
    _drain(sub)
    changed = _state(task=TaskStatus.SUCCESS)
    sub.offer(EventKind.TASK_STATUS_CHANGED, changed)
    sub.offer(EventKind.PROGRESS, _state(percent=99))
    final = _state(InstanceStatus.TERMINATED, TaskStatus.SUCCESS, 100)
    sub.offer(EventKind.TERMINAL, final)
    sub.offer(EventKind.TERMINAL, final)
    sub.offer(EventKind.PROGRESS, _state())
    assert _drain(sub) == [
        (EventKind.TASK_STATUS_CHANGED, changed),
        (EventKind.TERMINAL, final),
    ]
    assert sub.terminal


def test_an_unsent_snapshot_of_a_terminated_instance_becomes_the_terminal() -> None:
    sub = Subscription(with_progress=True)
    sub.offer(None, _state())
    final = _state(InstanceStatus.TERMINATED, TaskStatus.SUCCESS)
    sub.offer(EventKind.TERMINAL, final)
    assert _drain(sub) == [(EventKind.TERMINAL, final)]


def test_omit_progress_subscribers_skip_progress_and_waits_keep_only_latest() -> None:
    sub = Subscription(with_progress=False)
    sub.offer(None, _state())
    _drain(sub)
    sub.offer(EventKind.PROGRESS, _state(percent=5))
    assert sub.pending == 0
    wait = Subscription(with_progress=False, stream=False)
    for i in range(50):
        wait.offer(EventKind.TASK_STATUS_CHANGED, latest := _state(percent=i))
    assert wait.pending == 0 and wait.latest is latest and not wait.terminal
    wait.offer(EventKind.TERMINAL, final := _state(InstanceStatus.TERMINATED))
    assert wait.terminal and wait.latest is final


def test_fail_ends_a_subscription_but_not_after_its_terminal_was_taken() -> None:
    sub = Subscription(with_progress=True)
    sub.offer(None, _state())
    sub.fail(RuntimeError("gone"))
    with pytest.raises(SubscriptionClosed):
        sub.take()
    done = Subscription(with_progress=True)
    done.offer(EventKind.TERMINAL, _state(InstanceStatus.TERMINATED))
    _drain(done)
    done.fail(RuntimeError("late"))
    assert done.error is None


async def test_wait_wakes_on_offer_and_times_out() -> None:
    loop = asyncio.get_running_loop()
    sub = Subscription(with_progress=True)
    assert await sub.wait(loop, loop.time() + 0.01) is False
    loop.call_soon(sub.offer, None, _state())
    assert await sub.wait(loop, loop.time() + 5) is True


def test_messages_are_built_once_per_state_and_shared() -> None:
    state = _state()
    first = state.message(EventKind.PROGRESS, True)
    assert state.message(EventKind.PROGRESS, True) is first
    assert state.message(EventKind.PROGRESS, False) is not first
    assert not state.message(EventKind.PROGRESS, False).progress
    assert first.progress[0].stages[0].finished_percentage == 0
    assert first.sequence == state.sequence


def test_sequences_increase_even_when_the_clock_does_not() -> None:
    far = 10**18
    assert next_sequence(far) == far + 1
    assert next_sequence(0) > 1_000_000_000_000_000  # microseconds since the epoch


async def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=50, burst=3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(3):
        await bucket.acquire()
    assert loop.time() - started < 0.05  # the burst is free
    for _ in range(5):
        await bucket.acquire()
    # Five more at 50/s: about 0.1 s, never faster than the rate.
    assert loop.time() - started >= 5 / 50 - 0.01
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)


async def test_token_bucket_serves_waiters_in_arrival_order() -> None:
    bucket = TokenBucket(rate=100, burst=1)
    await bucket.acquire()
    order: list[int] = []

    async def take(i: int) -> None:
        await bucket.acquire()
        order.append(i)

    await asyncio.gather(*(take(i) for i in range(5)))
    assert order == [0, 1, 2, 3, 4]


async def test_cancelled_waiters_leave_no_debt() -> None:
    # 200 waiters queue at 5/s (40 s of waiting) and are cancelled before their turn: a
    # later waiter must be served as if they had never come.
    bucket = TokenBucket(rate=5, burst=1)
    await bucket.acquire()
    storm = [asyncio.ensure_future(bucket.acquire()) for _ in range(200)]
    await asyncio.sleep(0.05)
    assert bucket.waiting == 200
    for task in storm:
        task.cancel()
    await asyncio.gather(*storm, return_exceptions=True)
    assert bucket.waiting == 0
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bucket.acquire()
    assert loop.time() - started < 0.5  # one token's wait at 5/s is 0.2 s, not 40 s


async def test_a_granted_but_cancelled_token_is_given_back() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=10, burst=1, clock=lambda: now[0])
    await bucket.acquire()  # the bucket is empty now
    waiter = asyncio.ensure_future(bucket.acquire())
    await asyncio.sleep(0)  # queued
    now[0] = 0.1
    bucket._grant()  # the next token accrued and went to the waiter ...
    waiter.cancel()  # ... which is cancelled before it could use it
    await asyncio.gather(waiter, return_exceptions=True)
    assert bucket.tokens == 1.0


def test_settings_follow_the_gateway_config() -> None:
    config = GatewayConfig(
        progress_interval=0.5,
        status_poll_wait=4,
        wait_cap=20,
        max_stream_age=60,
        upstream_rate_limit_qps=7,
        upstream_rate_limit_burst=9,
        upstream_concurrency=10,
        snapshot_timeout=7.5,
    )
    settings = WatchSettings.from_config(config)
    assert settings.progress_interval == 0.5
    assert settings.status_poll_wait == 4
    assert settings.wait_cap == 20 and settings.max_stream_age == 60
    assert settings.upstream_qps == 7 and settings.upstream_burst == 9
    assert settings.long_poll_slots == 5
    assert settings.snapshot_timeout == 7.5
    assert WatchSettings().snapshot_timeout == GatewayConfig().snapshot_timeout == 30.0
    with pytest.raises(ConfigError):
        GatewayConfig(snapshot_timeout=0)


def test_public_surface() -> None:
    assert sorted(mcgateway.watch.__all__) == [
        "EventKind",
        "HubClosed",
        "ListerHistory",
        "Observation",
        "PollerLimit",
        "ProjectEvent",
        "ProjectKind",
        "ProjectSubscription",
        "ResumeTooOld",
        "Subscription",
        "SubscriptionClosed",
        "TokenBucket",
        "WatchHub",
        "WatchSettings",
        "format_resume_version",
        "parse_resume_version",
    ]
    for name in mcgateway.watch.__all__:
        assert getattr(mcgateway.watch, name).__doc__ or isinstance(
            getattr(mcgateway.watch, name), float
        )


async def test_token_bucket_try_take_never_goes_into_debt() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=10, burst=3, clock=lambda: now[0])
    assert bucket.try_take(2)
    assert not bucket.try_take(2)  # one left: takes nothing
    assert bucket.try_take(1)
    assert bucket.tokens == 0.0
    queued = asyncio.ensure_future(bucket.acquire())  # queued reads go first ...
    await asyncio.sleep(0)
    now[0] = 0.15
    assert not bucket.try_take(1)  # ... and optional work does not overtake them
    queued.cancel()
    await asyncio.gather(queued, return_exceptions=True)
    now[0] = 0.3
    assert bucket.try_take(1)
    unlimited = TokenBucket(rate=math.inf, burst=1)
    assert all(unlimited.try_take(1) for _ in range(100))


def test_zero_rate_in_the_config_means_no_limit() -> None:
    settings = WatchSettings.from_config(GatewayConfig(upstream_rate_limit_qps=0))
    assert settings.upstream_qps == math.inf


def test_upstream_unavailable_carries_the_last_upstream_error() -> None:
    error = MaxComputeError(
        "ServiceUnavailable", "busy", http_status=503, request_id="req-1", retry_after=2
    )
    built = upstream_unavailable("demo", "i1", error)
    assert built.code is grpc.StatusCode.UNAVAILABLE
    assert built.reason == "UPSTREAM_UNAVAILABLE"
    assert built.metadata == {
        "project": "demo",
        "instance_id": "i1",
        "maxcompute_code": "ServiceUnavailable",
        "upstream_request_id": "req-1",
        "http_status": "503",
    }
    assert built.retry_after == 2.0 and "ServiceUnavailable" in built.message
    # A read the watch itself timed out has no MaxCompute code: the client's name for it.
    timed_out = upstream_unavailable("demo", "i1", TimeoutError()).metadata
    assert timed_out["maxcompute_code"] == "Timeout"
    # Nothing failed yet (the first read is still in flight): no code is made up.
    assert upstream_unavailable("demo", None, None).metadata == {"project": "demo"}
