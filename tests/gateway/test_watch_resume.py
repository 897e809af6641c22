"""WatchInstances resume: resume versions on events, BOOKMARK events, resuming after a break
without a new snapshot, and a clear FAILED_PRECONDITION when the version is too old."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from maxcompute.gateway.v1 import instance_pb2
from mcgateway.watch import ListerHistory, ProjectKind, ProjectSubscription, parse_resume_version

from gateway.support import covers, expect_error, pb, submit_sql, wait_terminated

Event = pb.WatchInstancesResponse


def _until(stream: Iterator[pb.WatchInstancesResponse], stop) -> list[pb.WatchInstancesResponse]:
    """Messages of ``stream`` up to and including the first for which ``stop`` holds."""
    seen = []
    for message in stream:
        seen.append(message)
        if stop(message):
            return seen
    raise AssertionError(f"the stream ended before the expected event: {seen}")


@covers("WatchInstances")
def test_events_after_the_snapshot_carry_increasing_resume_versions(stub):
    stream = stub.WatchInstances(pb.WatchInstancesRequest(), timeout=60)
    instance = None
    try:
        snapshot = _until(stream, lambda m: m.event_type == Event.SNAPSHOT_END)
        assert all(m.resume_version == "" for m in snapshot[:-1]), "snapshot ADDED: none"
        end = snapshot[-1]
        assert end.resume_version
        instance = submit_sql(stub, "select 1", duration=30)
        added = _until(
            stream,
            lambda m: (
                m.event_type == Event.ADDED and m.instance.instance_id == instance.instance_id
            ),
        )
        versions = [parse_resume_version(m.resume_version) for m in [end, *added]]
        assert len({epoch for epoch, _ in versions}) == 1
        assert [v for _, v in versions] == sorted(v for _, v in versions)
        assert versions[-1][1] > versions[0][1]
    finally:
        stream.cancel()
        if instance is not None:
            stub.StopInstance(pb.StopInstanceRequest(instance_id=instance.instance_id))


def test_a_watch_resumes_with_the_missed_events_and_no_snapshot(stub):
    first = stub.WatchInstances(pb.WatchInstancesRequest(), timeout=60)
    try:
        last = _until(first, lambda m: m.event_type == Event.SNAPSHOT_END)[-1]
    finally:
        first.cancel()
    # Missed while no stream was open: a new instance, and one that ends.
    started = submit_sql(stub, "select 1", duration=30)
    ended = submit_sql(stub, "select 1", duration=0.05)
    wait_terminated(stub, ended.instance_id)
    resumed = stub.WatchInstances(
        pb.WatchInstancesRequest(resume_version=last.resume_version), timeout=60
    )
    try:
        replay = _until(
            resumed,
            lambda m: m.event_type == Event.ADDED and m.instance.instance_id == started.instance_id,
        )
        assert not any(m.event_type == Event.SNAPSHOT_END for m in replay)
        assert all(m.resume_version for m in replay)
        rest = _until(resumed, lambda m: m.event_type == Event.BOOKMARK)
        assert not any(m.event_type == Event.SNAPSHOT_END for m in rest)
        bookmark = rest[-1]
        assert not bookmark.HasField("instance")
        assert (
            parse_resume_version(bookmark.resume_version)[1]
            >= parse_resume_version(replay[-1].resume_version)[1]
        )
    finally:
        resumed.cancel()
        stub.StopInstance(pb.StopInstanceRequest(instance_id=started.instance_id))


@pytest.mark.parametrize("version", ["deadbeef.3", "0123456789abcdef.999999999"])
def test_a_version_the_gateway_no_longer_holds_is_failed_precondition(stub, version):
    err = expect_error(
        lambda r: list(stub.WatchInstances(r, timeout=30)),
        pb.WatchInstancesRequest(resume_version=version),
    )
    assert err.code is grpc.StatusCode.FAILED_PRECONDITION, err.message
    assert err.error_info is not None
    assert err.error_info.reason == "RESUME_VERSION_TOO_OLD"
    assert err.error_info.metadata["resume_version"] == version
    assert "watch again without resume_version" in err.message


def test_bookmarks_carry_the_version_of_everything_sent(stub):
    stream = stub.WatchInstances(
        pb.WatchInstancesRequest(bookmark_interval={"seconds": 1}), timeout=60
    )
    try:
        snapshot = _until(stream, lambda m: m.event_type == Event.SNAPSHOT_END)
        after = _until(stream, lambda m: m.event_type == Event.BOOKMARK)
        versioned = [m for m in [snapshot[-1], *after[:-1]] if m.resume_version]
        bookmark = after[-1]
        epoch, version = parse_resume_version(bookmark.resume_version)
        assert (epoch, version) >= parse_resume_version(versioned[-1].resume_version)
        assert bookmark.HasField("observe_time") and not bookmark.HasField("instance")
    finally:
        stream.cancel()


# --- units: the history and the subscription's order ---------------------------------------


def _message(instance_id: str) -> instance_pb2.Instance:
    return instance_pb2.Instance(instance_id=instance_id)


def test_the_history_holds_a_bounded_window_of_events() -> None:
    history = ListerHistory(capacity=3)
    assert history.covers(0) and not history.covers(1)
    for n in range(5):
        history.record(f"i{n}", ProjectKind.CHANGED, _message(f"i{n}"), Timestamp())
    assert history.version == 5 and history.floor == 2
    assert not history.covers(1) and history.covers(2) and history.covers(5)
    assert not history.covers(6)
    assert [i for i, _ in history.after(3)] == ["i3", "i4"]
    epoch, version = parse_resume_version(history.resume_version(4))
    assert (epoch, version) == (history.epoch, 4)
    assert history.resume_version(-1) == ""
    for bad in ["", "x.1", "deadbeef", "deadbeef.-1", "DEADBEEF.1", "deadbeef.1.2"]:
        with pytest.raises(ValueError):
            parse_resume_version(bad)


def test_events_leave_in_version_order_and_the_snapshot_stays_whole() -> None:
    sub = ProjectSubscription()
    at = Timestamp()
    sub.offer("a", (ProjectKind.ADDED, _message("a"), at, -1))
    sub.offer("b", (ProjectKind.ADDED, _message("b"), at, -1))
    sub.offer("end", (ProjectKind.SNAPSHOT_END, None, at, 4))
    sub.offer("c", (ProjectKind.ADDED, _message("c"), at, 5))
    sub.offer("d", (ProjectKind.ADDED, _message("d"), at, 6))
    sub.offer("a", (ProjectKind.CHANGED, _message("a2"), at, 7))  # a snapshot entry: in place
    sub.offer("c", (ProjectKind.CHANGED, _message("c2"), at, 8))  # moves behind d
    taken = []
    while (event := sub.take()) is not None:
        kind, message, _, version = event
        taken.append((kind, message.instance_id if message else None, version))
    assert taken == [
        (ProjectKind.ADDED, "a2", -1),
        (ProjectKind.ADDED, "b", -1),
        (ProjectKind.SNAPSHOT_END, None, 4),
        (ProjectKind.ADDED, "d", 6),
        (ProjectKind.ADDED, "c2", 8),
    ]
    assert sub.version == 8


def test_a_resumed_subscription_has_no_snapshot_phase() -> None:
    sub = ProjectSubscription(resume_from=3)
    assert sub.version == 3
    sub.offer("a", (ProjectKind.CHANGED, _message("a"), Timestamp(), 4))
    assert sub.take() == (ProjectKind.CHANGED, _message("a"), Timestamp(), 4)
