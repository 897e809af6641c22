"""What ``mcgw`` does on Ctrl-C during a wait or a watch.

It reads the instance's state afresh, over a new connection with a short deadline (the one in use
may be what hung), and reports it: still running, or already terminated and how. For an instance
the command submitted itself (``sql``/``xflow`` with ``--wait``), it asks on a terminal whether to
stop it, stops it without asking with ``--stop-on-interrupt``, and never asks elsewhere. ``sql
--wait --stop-on-interrupt`` runs through ExecuteSql with ``stop_on_cancel``: cancelling that call
makes the gateway stop the job (even when mcgw is killed), so mcgw only reports it. A second
Ctrl-C ends at once. The exit status is 130 in every case.
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

from ._channel import make_channel, resolve_tls
from ._cli_render import instance_json
from ._errors import GatewayError
from ._gateway import Gateway
from ._models import InstanceState, Status
from ._service_config import load_service_config
from ._target import parse_target

if TYPE_CHECKING:
    from ._cli_commands import Context

__all__ = ["EXIT_INTERRUPTED", "FRESH_READ_TIMEOUT", "interrupted"]

EXIT_INTERRUPTED = 130
FRESH_READ_TIMEOUT = 5.0
"""Seconds the state read (and the stop) after Ctrl-C may take."""


def interrupted(ctx: Context) -> int:
    """Reports (and maybe stops) the watched instance after Ctrl-C; returns 130."""
    try:
        _interrupted(ctx)
    except KeyboardInterrupt:
        ctx.err.write("\nmcgw: interrupted\n")
    return EXIT_INTERRUPTED


def _fresh_gateway(ctx: Context) -> tuple[Gateway, Any]:
    """A client on a channel of its own (its own connection), with a short deadline, and that
    channel (the client does not own it)."""
    settings = ctx.settings
    target = parse_target(settings.target)
    channel = make_channel(
        str(target),
        resolve_tls(settings.tls_option(), target),
        load_service_config(),
        extra_options=[("grpc.use_local_subchannel_pool", 1)],
    )
    gateway = Gateway(
        channel=channel,
        token=settings.token,
        default_project=ctx.project,
        timeout=FRESH_READ_TIMEOUT,
    )
    return gateway, channel


def _can_ask(ctx: Context) -> bool:
    if ctx.json:
        return False
    try:
        return sys.stdin.isatty() and ctx.err.isatty()
    except (AttributeError, ValueError):
        return False


def _ask(err: IO[str], instance_id: str) -> bool:
    err.write(f"\nStop instance {instance_id}? [y/N] ")
    err.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _interrupted(ctx: Context) -> None:
    instance = ctx.watched
    if instance is None:
        _say(ctx, "interrupted", None, False)
        return
    iid = instance.id
    fresh, channel = _fresh_gateway(ctx)
    try:
        state: InstanceState | None = None
        why = ""
        try:
            state = fresh.get_instance(iid, instance.project).state
        except GatewayError as error:
            why = str(error)
        stop_requested = False
        if state is None:
            text = f"interrupted; could not read the state of instance {iid}: {why}"
            if ctx.started_here:
                text += f" (if it still runs, `mcgw stop {iid}` stops it)"
        elif ctx.gateway_stops and not state.successful and not instance.state.terminated:
            # The cancelled ExecuteSql call (stop_on_cancel) makes the gateway stop the job.
            stop_requested = True
            text = f"interrupted; stop requested for instance {iid}"
        elif state.terminated:
            if state.successful:
                outcome = "succeeded"
            else:
                outcome = f"failed: {state.failure_message or 'no success'}"
            text = f"interrupted; instance {iid} had already terminated: {outcome}"
        else:
            word = state.status.value if state.status else "running"
            left = "left running" if state.status is Status.RUNNING else "left as it is"
            stop = False
            if ctx.started_here:
                stop = bool(getattr(ctx.args, "stop_on_interrupt", False))
                if not stop and _can_ask(ctx):
                    stop = _ask(ctx.err, iid)
            if stop:
                try:
                    state = fresh.stop_instance(iid, instance.project).state
                    stop_requested = True
                    text = f"interrupted; stop requested for instance {iid}"
                except GatewayError as error:
                    text = f"interrupted; could not stop instance {iid}: {error}"
            elif ctx.started_here:
                text = (
                    f"interrupted; instance {iid} is still {word} "
                    f"({left}; `mcgw stop {iid}` stops it)"
                )
            else:
                text = f"interrupted; instance {iid} is still {word} ({left})"
        _say(ctx, text, state, stop_requested)
    finally:
        channel.close()


def _say(ctx: Context, text: str, state: InstanceState | None, stop_requested: bool) -> None:
    if ctx.json:
        data = {
            "code": "CANCELLED",
            "reason": "INTERRUPTED",
            "message": text,
            "maxcompute_code": None,
            "request_id": None,
            "instance": instance_json(state) if state is not None else None,
            "stop_requested": stop_requested,
        }
        ctx.err.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        ctx.err.write(f"\nmcgw: {text}\n")
    ctx.err.flush()
