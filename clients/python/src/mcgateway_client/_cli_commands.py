"""The commands of ``mcgw``: one function per command, each returning the exit status.

Each takes a :class:`Context` (parsed arguments, output streams, the resolved connection settings
and the lazily created :class:`Gateway`) and writes plain text, rich output on a terminal, or
JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import IO, Any

import grpc

from ._cli_progress import Notices, ProgressView
from ._cli_render import (
    dump_json,
    format_time,
    instance_json,
    instance_lines,
    parse_csv,
    print_table,
    progress_json,
    stage_summary,
    task_json,
    tasks_rows,
)
from ._diagnostics import QueueingInfo, TaskSummary, Worker
from ._errors import GatewayError, NotFound, Unavailable
from ._gateway import Gateway
from ._instance import Instance
from ._models import InstanceState, WatchEvent
from ._settings import Settings
from ._watch import ReconnectPolicy

__all__ = [
    "EXIT_NEGATIVE",
    "EXIT_OK",
    "LS_DEFAULT_WINDOW",
    "LS_MAX_LISTED",
    "LS_MAX_OUTCOMES",
    "Context",
    "cmd_completion",
    "cmd_exists",
    "cmd_get",
    "cmd_logs",
    "cmd_logview",
    "cmd_ls",
    "cmd_progress",
    "cmd_result",
    "cmd_show",
    "cmd_sql",
    "cmd_stop",
    "cmd_tasks",
    "cmd_wait",
    "cmd_watch",
    "cmd_xflow",
]

EXIT_OK = 0
"""Success."""
EXIT_NEGATIVE = 1
"""The instance failed or was cancelled, or (``exists``) it does not exist."""

LS_DEFAULT_WINDOW = timedelta(hours=24)
"""``mcgw ls`` without --since, --until or --all lists instances started this long ago."""
LS_MAX_LISTED = 10_000
"""``mcgw ls`` reads at most this many instances (unless --all) before sorting them."""
LS_MAX_OUTCOMES = 50
"""``mcgw ls`` reads whether each shown terminated instance succeeded up to this many rows."""


class Context:
    """What every command needs: the client, output streams, modes, and what to do on Ctrl-C."""

    def __init__(
        self,
        args: argparse.Namespace,
        out: IO[str],
        err: IO[str],
        settings: Settings | None = None,
        parser: argparse.ArgumentParser | None = None,
    ) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.parser = parser
        self.json: bool = bool(getattr(args, "json", False))
        self.settings = settings or Settings()
        self.project: str | None = self.settings.project or None
        self._gateway: Gateway | None = None
        self.watched: Instance | None = None
        """The instance being waited for or watched, for the Ctrl-C report."""
        self.started_here = False
        """Whether this command submitted ``watched`` (then Ctrl-C may stop it)."""
        self.gateway_stops = False
        """Whether the gateway stops ``watched`` when this command's ExecuteSql call is
        cancelled (``sql --wait --stop-on-interrupt``), so Ctrl-C need not stop it itself."""
        self.notices: Notices | ProgressView | None = None
        """What showed "reconnecting…" notices, if anything did."""

    @property
    def target(self) -> str:
        """The gateway's ``host:port``."""
        return self.settings.target

    @property
    def terminal(self) -> bool:
        """Whether stdout is a terminal (rich output) rather than a pipe or file."""
        return _isatty(self.out)

    @property
    def gateway(self) -> Gateway:
        """The client, created on first use from the connection settings."""
        if self._gateway is None:
            settings = self.settings
            self._gateway = Gateway(
                settings.target,
                token=settings.token or "",
                tls=settings.tls_option(),
                default_project=self.project,
                timeout=getattr(self.args, "timeout_call", None),
            )
        return self._gateway

    def close(self, *, wait: float | None = None) -> None:
        """Closes the client if one was created. ``wait`` bounds how long (seconds): after
        Ctrl-C a call may have been cut off half made, and grpc would wait for it forever."""
        gateway, self._gateway = self._gateway, None
        if gateway is None:
            return
        if wait is None:
            gateway.close()
            return
        closer = threading.Thread(target=gateway.close, name="mcgw-close", daemon=True)
        closer.start()
        closer.join(wait)

    def line(self, text: str = "") -> None:
        """Writes one line to stdout."""
        self.out.write(text + "\n")

    def note(self, text: str) -> None:
        """Writes one line for people to stderr (nothing under --json, where stdout says it)."""
        if not self.json:
            self.err.write(text + "\n")
            self.err.flush()

    def reconnect_policy(self, listener: Notices | ProgressView) -> ReconnectPolicy:
        """How long waits and watches retry an unreachable gateway (``--reconnect-for``)."""
        self.notices = listener
        return ReconnectPolicy(
            give_up_after=getattr(self.args, "reconnect_for", None) or 60.0,
            on_retry=listener.reconnecting,
        )


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# -- ls ---------------------------------------------------------------------------------------


def _newest_first(states: list[InstanceState]) -> list[InstanceState]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(states, key=lambda s: (s.start_time or oldest, s.id), reverse=True)


def _outcomes(ctx: Context, states: Sequence[InstanceState]) -> dict[str, bool | None]:
    """Whether each terminated instance succeeded, read with GetInstance (8 at a time); a
    listing does not say. Unknown (None) when there are too many rows or a read fails."""
    unknown = [s for s in states if s.terminated and s.successful is None]
    if not unknown or len(states) > LS_MAX_OUTCOMES:
        return {}
    gateway = ctx.gateway

    def read(state: InstanceState) -> tuple[str, bool | None]:
        try:
            return state.id, gateway.get_instance(state.id, state.project).state.successful
        except GatewayError:
            return state.id, None

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(read, unknown))


def cmd_ls(ctx: Context) -> int:
    """``mcgw ls``: instances of the project, newest first, as a table or JSON.

    MaxCompute lists in its own order, so every page of the window is read (at most
    LS_MAX_LISTED instances unless --all), sorted by start time, then cut to --limit.
    """
    args = ctx.args
    since, until = args.since, args.until
    window = None
    if since is None and until is None and not args.all:
        since = datetime.now(UTC) - LS_DEFAULT_WINDOW
        window = "started in the last 24 h"
    listed: list[InstanceState] = []
    capped = False
    for instance in ctx.gateway.list_instances(
        status=args.status,
        only_owner=args.owner,
        start_time=since,
        end_time=until,
        page_size=1000,
    ):
        listed.append(instance.state)
        if not args.all and len(listed) >= LS_MAX_LISTED:
            capped = True
            break
    states = _newest_first(listed)
    limit = None if args.all or args.limit == 0 else args.limit
    shown = states[:limit] if limit is not None else states
    outcomes = _outcomes(ctx, shown)
    if ctx.json:
        dump_json([instance_json(s, outcomes.get(s.id)) for s in shown], ctx.out)
        return EXIT_OK
    rows = [
        [
            s.id,
            s.status.value if s.status else "-",
            _yes_no(s, outcomes.get(s.id)),
            format_time(s.start_time),
            format_time(s.end_time),
            s.owner or "-",
        ]
        for s in shown
    ]
    print_table(
        ["ID", "STATUS", "SUCCESS", "START_TIME", "END_TIME", "OWNER"],
        rows,
        ctx.out,
        terminal=ctx.terminal,
    )
    ctx.out.flush()
    _ls_hint(ctx, len(shown), len(states), capped, window)
    return EXIT_OK


def _yes_no(state: InstanceState, read: bool | None) -> str:
    successful = state.successful if read is None else read
    if successful is None or not state.terminated:
        return "-"
    return "yes" if successful else "no"


def _ls_hint(ctx: Context, shown: int, total: int, capped: bool, window: str | None) -> None:
    """Tells on stderr when rows were cut (by --limit, the default window or the read cap)."""
    where = f" {window}" if window else ""
    if capped:
        ctx.note(
            f"mcgw: showing {shown} of the first {total} instances MaxCompute listed{where} "
            "(newest first among them); narrow with --since/--until, or use --all"
        )
    elif shown < total:
        ctx.note(
            f"mcgw: showing {shown} of {total} instances{where}, newest first; "
            "use --limit N or --all"
        )
    elif total == 0 and window:
        ctx.note(f"mcgw: no instances {window}; use --since 7d or --all")


# -- one instance -----------------------------------------------------------------------------


def cmd_get(ctx: Context) -> int:
    """``mcgw get ID``: an instance and its tasks (``successful`` is always true or false)."""
    state = ctx.gateway.get_instance(ctx.args.id).state
    if ctx.json:
        dump_json(instance_json(state), ctx.out)
    else:
        for text in instance_lines(state):
            ctx.line(text)
    return EXIT_OK


def cmd_exists(ctx: Context) -> int:
    """``mcgw exists ID``: ``true`` (exit 0) or ``false`` (exit 1)."""
    exists = ctx.gateway.exist_instance(ctx.args.id)
    if ctx.json:
        dump_json({"id": ctx.args.id, "exists": exists}, ctx.out)
    else:
        ctx.line("true" if exists else "false")
    return EXIT_OK if exists else EXIT_NEGATIVE


def cmd_stop(ctx: Context) -> int:
    """``mcgw stop ID``: asks MaxCompute to stop a running instance."""
    state = ctx.gateway.stop_instance(ctx.args.id).state
    if ctx.json:
        dump_json(instance_json(state), ctx.out)
    else:
        status = state.status.value if state.status else "-"
        ctx.line(f"stop requested: {state.id} (status {status})")
    return EXIT_OK


def cmd_tasks(ctx: Context) -> int:
    """``mcgw tasks ID``: the tasks with their statuses and times."""
    tasks = Instance(ctx.gateway, ctx.args.id, ctx.project or "").get_task_statuses()
    if ctx.json:
        dump_json([task_json(t) for t in tasks.values()], ctx.out)
        return EXIT_OK
    print_table(
        ["NAME", "TYPE", "STATUS", "START_TIME", "END_TIME"],
        tasks_rows(tasks),
        ctx.out,
        terminal=ctx.terminal,
    )
    return EXIT_OK


def cmd_result(ctx: Context) -> int:
    """``mcgw result ID [TASK]``: task results as text, a table (``--table``) or JSON."""
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    if ctx.args.task:
        results = {ctx.args.task: instance.get_task_result(ctx.args.task)}
    else:
        results = dict(instance.get_task_results())
    if ctx.json:
        dump_json(results, ctx.out)
        return EXIT_OK
    if ctx.args.table:
        for content in results.values():
            _print_result_table(ctx, content)
        return EXIT_OK
    many = len(results) > 1
    for name, content in results.items():
        if many:
            ctx.line(f"== {name} ==")
        ctx.out.write(content if content.endswith("\n") or not content else content + "\n")
    return EXIT_OK


def cmd_progress(ctx: Context) -> int:
    """``mcgw progress ID [TASK]``: stage progress in PyODPS notation."""
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    names = [ctx.args.task] if ctx.args.task else instance.get_task_names()
    progresses = [instance.get_task_progress(name) for name in names]
    if ctx.json:
        dump_json([progress_json(p) for p in progresses], ctx.out)
        return EXIT_OK
    for progress in progresses:
        stages = " ".join(stage_summary(s) for s in progress.stages) or "(no stages)"
        ctx.line(f"{progress.task_name} {stages}")
    return EXIT_OK


def cmd_logview(ctx: Context) -> int:
    """``mcgw logview ID``: a Logview URL."""
    url = ctx.gateway.get_logview_address(ctx.args.id, hours=ctx.args.hours)
    if ctx.json:
        dump_json({"id": ctx.args.id, "url": url}, ctx.out)
    else:
        ctx.line(url)
    return EXIT_OK


def _cost_json(summary: TaskSummary | None) -> dict[str, int] | None:
    cost = summary.cost if summary is not None else None
    if cost is None:
        return None
    return {
        "cpu_cost": cost.cpu_cost,
        "memory_cost": cost.memory_cost,
        "input_size": cost.input_size,
    }


def _queue_json(info: QueueingInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {
        "status": info.status.value if info.status else None,
        "priority": info.priority,
        "position": info.position,
        "queue_length": info.queue_length,
        "progress": info.progress,
    }


def _queue_line(info: QueueingInfo) -> str:
    if info.position is None:
        return "not waiting"
    of = f" of {info.queue_length}" if info.queue_length is not None else ""
    return f"waiting, position {info.position}{of}"


def cmd_show(ctx: Context) -> int:
    """``mcgw show ID``: the state, each task's summary text and cost, and the queue position
    while the instance waits for a slot."""
    gateway = ctx.gateway
    instance = gateway.get_instance(ctx.args.id)
    state = instance.state
    queue: QueueingInfo | None = None
    if not state.terminated:
        with contextlib.suppress(GatewayError):
            queue = instance.get_queueing_info()
    summaries: dict[str, TaskSummary | None] = {}
    problems: dict[str, str] = {}
    for task in state.tasks:
        try:
            summaries[task.name] = instance.get_task_summary(task.name)
        except GatewayError as error:
            summaries[task.name] = None
            problems[task.name] = str(error)
    if ctx.json:
        data = instance_json(state)
        data["queue"] = _queue_json(queue)
        data["summaries"] = {
            name: {
                "summary_text": summary.summary_text if summary is not None else None,
                "cost": _cost_json(summary),
                "error": problems.get(name),
            }
            for name, summary in summaries.items()
        }
        dump_json(data, ctx.out)
        return EXIT_OK
    for text in instance_lines(state):
        ctx.line(text)
    if queue is not None:
        ctx.line(f"{'queue:':<12}{_queue_line(queue)}")
    for name, summary in summaries.items():
        if summary is None:
            ctx.line(f"summary of {name}: not available ({problems[name]})")
            continue
        cost = summary.cost
        if cost is not None:
            ctx.line(
                f"cost of {name}: cpu {cost.cpu_cost / 100:g} core-s, "
                f"memory {cost.memory_cost} MB-s, input {cost.input_size} bytes"
            )
        text = summary.summary_text.rstrip("\n")
        ctx.line(f"summary of {name}:" if text else f"summary of {name}: (empty)")
        for line in text.splitlines():
            ctx.line("  " + line)
    return EXIT_OK


def _worker_json(worker: Worker) -> dict[str, Any]:
    return {
        "id": worker.id,
        "log_id": worker.log_id,
        "stage": worker.stage,
        "status": worker.status,
        "start_time": format_time(worker.start_time) if worker.start_time else None,
        "end_time": format_time(worker.end_time) if worker.end_time else None,
    }


def cmd_logs(ctx: Context) -> int:
    """``mcgw logs ID``: the workers of a task with their log ids; with ``--worker W`` (a worker
    id or log id) one of its logs (``--type``, default stdout)."""
    args = ctx.args
    instance = Instance(ctx.gateway, args.id, ctx.project or "")
    task = args.task or instance.get_task_names()[0]
    workers = instance.get_task_workers(task)
    if not args.worker:
        if ctx.json:
            dump_json({"task": task, "workers": [_worker_json(w) for w in workers]}, ctx.out)
            return EXIT_OK
        rows = [[w.id, w.stage, w.status or "-", w.log_id or "-"] for w in workers]
        print_table(["WORKER", "STAGE", "STATUS", "LOG_ID"], rows, ctx.out, terminal=ctx.terminal)
        if not workers:
            ctx.note(f"mcgw: task {task} has no workers yet")
        return EXIT_OK
    chosen = [w for w in workers if args.worker in (w.id, w.log_id)]
    if chosen:
        log_id = chosen[0].log_id
    elif not workers:
        raise NotFound(
            f"task {task} of instance {args.id} has no workers",
            code=grpc.StatusCode.NOT_FOUND,
            reason="WORKER_LOG_NOT_FOUND",
        )
    else:
        log_id = args.worker  # a log id the gateway checks itself
    content = instance.get_worker_log(log_id, args.type, args.size or 0)
    if ctx.json:
        dump_json({"task": task, "log_id": log_id, "type": args.type, "content": content}, ctx.out)
    else:
        ctx.out.write(content if content.endswith("\n") or not content else content + "\n")
    return EXIT_OK


def cmd_completion(ctx: Context) -> int:
    """``mcgw completion SHELL``: a completion script generated from the argument parser."""
    import shtab

    assert ctx.parser is not None
    ctx.out.write(shtab.complete(ctx.parser, shell=ctx.args.shell))
    return EXIT_OK


# -- waiting and watching ---------------------------------------------------------------------


def _logview(instance: Instance) -> tuple[str | None, str | None]:
    """(Logview URL, None) or (None, why there is none)."""
    try:
        return instance.get_logview_address(), None
    except GatewayError as error:
        return None, str(error)


def _failure_lines(instance: Instance, stream: IO[str], prefix: str) -> None:
    """The failure message, then the Logview link (PyODPS users look there first)."""
    state = instance.state
    stream.write(f"{prefix}{state.failure_message or 'no success'}\n")
    url, why = _logview(instance)
    stream.write(f"logview: {url}\n" if url else f"logview: not available ({why})\n")
    stream.flush()


def _final(ctx: Context, instance: Instance) -> int:
    """Prints the final state of a waited/watched instance; the exit status says success."""
    successful = instance.is_successful()  # reads the instance if its last state does not say
    state = instance.state
    if ctx.json:
        data = instance_json(state)
        if not successful:
            data["logview_url"] = _logview(instance)[0]
        dump_json(data, ctx.out)
    elif successful:
        ctx.line(f"{state.id} Terminated: succeeded")
    else:
        _failure_lines(instance, ctx.out, f"{state.id} Terminated: failed: ")
    return EXIT_OK if successful else EXIT_NEGATIVE


def _wait(ctx: Context, instance: Instance, timeout: float | None) -> None:
    """Waits for termination, telling on stderr while the gateway is unreachable."""
    notices = Notices(ctx.err, target=ctx.target, json_mode=ctx.json)
    try:
        instance.wait_for_completion(timeout, reconnect=ctx.reconnect_policy(notices))
    finally:
        notices.close()


def cmd_wait(ctx: Context) -> int:
    """``mcgw wait ID``: waits for termination; exit 0 only on success."""
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    ctx.watched = instance
    _wait(ctx, instance, ctx.args.timeout)
    return _final(ctx, instance)


def _follow(ctx: Context, instance: Instance, out: IO[str], *, lines: bool) -> bool:
    """Watches ``instance`` to its end, showing progress on ``out``; returns its success."""
    view = ProgressView(
        out,
        terminal=_isatty(out),
        lines=lines,
        json_lines=ctx.json and lines,
        title=instance.id,
        target=ctx.target,
        notices=ctx.err,
    )
    policy = ctx.reconnect_policy(view)
    with view:
        for event in instance.watch(omit_progress=ctx.args.no_progress, reconnect=policy):
            view.update(event)
        successful = instance.is_successful()
        view.finish(successful)
    return successful


def cmd_watch(ctx: Context) -> int:
    """``mcgw watch ID``: live progress (bars on a terminal, lines or JSON otherwise)."""
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    ctx.watched = instance
    successful = _follow(ctx, instance, ctx.out, lines=True)
    if ctx.json:
        return EXIT_OK if successful else EXIT_NEGATIVE
    return _final(ctx, instance)


def _print_result_table(ctx: Context, content: str) -> None:
    header, rows = parse_csv(content)
    if header:
        print_table(header, rows, ctx.out, terminal=ctx.terminal, wide=ctx.args.wide)
    elif content:
        ctx.out.write(content if content.endswith("\n") else content + "\n")


class _Relay:
    """Forwards reconnect notices to the view once there is one."""

    def __init__(self) -> None:
        self.target: Notices | ProgressView | None = None

    def reconnecting(self, attempt: int, error: Unavailable, delay: float) -> None:
        if self.target is not None:
            self.target.reconnecting(attempt, error, delay)


def _execute(ctx: Context) -> Instance:
    """``sql --wait``/``--watch`` without --timeout: runs the job through ExecuteSql, showing
    progress on stderr; with --stop-on-interrupt the call asks the gateway to stop the job
    when it is cancelled (Ctrl-C), so the job stops even if mcgw dies."""
    args = ctx.args
    relay = _Relay()
    policy = ReconnectPolicy(give_up_after=args.reconnect_for or 60.0, on_retry=relay.reconnecting)
    stop_on_cancel = bool(args.stop_on_interrupt)
    events = ctx.gateway.execute_sql_events(
        args.query,
        hints=args.hint,
        priority=args.priority,
        stop_on_cancel=stop_on_cancel,
        reconnect=policy,
    )
    with contextlib.closing(events):  # type: ignore[type-var]
        first = next(events)
        instance = Instance(ctx.gateway, first.state.id, first.state.project, state=first.state)
        ctx.watched, ctx.started_here, ctx.gateway_stops = instance, True, stop_on_cancel
        ctx.note(f"instance {instance.id}")
        view = ProgressView(
            ctx.err,
            terminal=_isatty(ctx.err),
            lines=args.watch,
            json_lines=ctx.json and args.watch,
            title=instance.id,
            target=ctx.target,
            notices=ctx.err,
        )
        relay.target = ctx.notices = view
        with view:
            for event in _chain(first, events):
                instance._set_state(event.state)
                view.update(event)
            view.finish(instance.is_successful())
    return instance


def _chain(first: WatchEvent, rest: Iterator[WatchEvent]) -> Iterator[WatchEvent]:
    yield first
    yield from rest


def _follow_submitted(ctx: Context, instance: Instance, wait: bool) -> bool:
    """After a submission: without ``wait`` print the instance (its id, or JSON) and return
    False; with it, follow the instance this command started until it ends (Ctrl-C offers to
    stop it) and return True."""
    if not wait:
        if ctx.json:
            dump_json(instance_json(instance.state), ctx.out)
        else:
            ctx.line(instance.id)
        return False
    ctx.watched, ctx.started_here = instance, True
    # Progress goes to stderr so that stdout holds only the result, ready for pipes.
    ctx.note(f"instance {instance.id}")
    _wait(ctx, instance, ctx.args.timeout)
    return True


def cmd_sql(ctx: Context) -> int:
    """``mcgw sql QUERY``: submits SQL; with ``--wait`` (or ``--watch``) runs it through
    ExecuteSql showing progress, then prints the result."""
    args = ctx.args
    if (args.wait or args.watch) and args.timeout is None:
        instance = _execute(ctx)
    else:
        instance = ctx.gateway.run_sql(args.query, hints=args.hint, priority=args.priority)
        if not _follow_submitted(ctx, instance, args.wait or args.watch):
            return EXIT_OK
    successful = instance.is_successful()
    state = instance.state
    if not successful:
        if ctx.json:
            url = _logview(instance)[0]
            dump_json(
                {"instance": instance_json(state), "results": {}, "logview_url": url}, ctx.out
            )
        else:
            _failure_lines(instance, ctx.err, f"{state.id} failed: ")
        return EXIT_NEGATIVE
    results = instance.get_task_results()
    if ctx.json:
        dump_json({"instance": instance_json(state), "results": dict(results)}, ctx.out)
        return EXIT_OK
    for content in results.values():
        _print_result_table(ctx, content)
    return EXIT_OK


def cmd_xflow(ctx: Context) -> int:
    """``mcgw xflow NAME``: submits an XFlow; with ``--wait`` lists its sub-instances."""
    args = ctx.args
    instance = ctx.gateway.run_xflow(
        args.name,
        args.xflow_project,
        parameters=args.param,
        hints=args.hint,
        priority=args.priority,
    )
    if not _follow_submitted(ctx, instance, args.wait):
        return EXIT_OK
    successful = instance.is_successful()
    state = instance.state
    subs = ctx.gateway.list_sub_instances(instance)
    if ctx.json:
        data: dict[str, Any] = {
            "instance": instance_json(state),
            "sub_instances": [
                {"name": s.name, "instance_id": s.instance_id, "logview_url": s.logview_url}
                for s in subs
            ],
        }
        if not successful:
            data["logview_url"] = _logview(instance)[0]
        dump_json(data, ctx.out)
    else:
        for sub in subs:
            ctx.line(f"{sub.name}: {sub.instance_id} {sub.logview_url}")
        ctx.out.flush()
        if successful:
            ctx.err.write(f"{state.id} Terminated: succeeded\n")
        else:
            _failure_lines(instance, ctx.err, f"{state.id} Terminated: failed: ")
    return EXIT_OK if successful else EXIT_NEGATIVE
