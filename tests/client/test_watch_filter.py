"""Property test of the watch de-duplication: any cut of a history into reconnected streams."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from maxcompute.gateway.v1 import instance_pb2
from maxcompute.gateway.v1 import instance_service_pb2 as pb
from mcgateway_client._watch import EventFilter

from .conftest import instance_pb


def _message(kind: int, seq: int, pct: int, terminal: bool) -> pb.WatchInstanceResponse:
    state = (
        instance_pb2.Instance.State.TERMINATED if terminal else instance_pb2.Instance.State.RUNNING
    )
    return pb.WatchInstanceResponse(
        event_type=kind,  # type: ignore[arg-type]
        sequence=seq,
        instance=instance_pb(state=state, successful=terminal),
        progress=[
            instance_pb2.TaskProgress(
                task_name="AnonymousSQLTask",
                stages=[instance_pb2.Stage(id="M1", finished_percentage=pct)],
                formatted=f"t{seq} M1[{pct}%]",  # observation time differs on every message
            )
        ],
    )


@settings(max_examples=300, deadline=None)
@given(
    steps=st.integers(min_value=1, max_value=12),
    cuts=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), st.booleans()), max_size=6),
)
def test_reconnected_streams_deliver_each_state_once_and_the_end(
    steps: int, cuts: list[tuple[int, int, bool]]
) -> None:
    """States 0..steps (the last terminal). A stream breaks after some state, the client
    reconnects after ``skipped`` further states happened, and the gateway may have restarted
    (sequence numbering starts again at 1). Every new stream starts with a snapshot."""
    last = steps  # states 0..steps; state i has progress i*5 %, the last one is terminal
    cut_at = {index: (skipped, restart) for index, skipped, restart in cuts}

    def message(kind: int, state: int, base: int) -> pb.WatchInstanceResponse:
        if state == last:
            kind = pb.WatchInstanceResponse.EventType.TERMINAL
        return _message(kind, state - base + 1, state * 5, state == last)

    streams: list[list[pb.WatchInstanceResponse]] = []
    state, base = 0, 0
    current = [message(pb.WatchInstanceResponse.EventType.SNAPSHOT, state, base)]
    while state < last:
        if state in cut_at:
            skipped, restart = cut_at.pop(state)
            streams.append(current)
            state = min(state + skipped, last)  # states that passed while disconnected
            if restart:
                base = state  # the restarted gateway counts from 1 again
            current = [message(pb.WatchInstanceResponse.EventType.SNAPSHOT, state, base)]
            continue
        state += 1
        current.append(message(pb.WatchInstanceResponse.EventType.PROGRESS, state, base))
    streams.append(current)

    events = EventFilter()
    delivered: list[int] = []
    for stream in streams:
        for i, message in enumerate(stream):
            if events.accept(message, i == 0):
                delivered.append(message.progress[0].stages[0].finished_percentage)
            if events.finished:
                break
        if events.finished:
            break

    assert events.finished, "the terminal state is always delivered"
    assert delivered[-1] == last * 5
    assert delivered == sorted(set(delivered)), f"in order, each state once: {delivered}"
