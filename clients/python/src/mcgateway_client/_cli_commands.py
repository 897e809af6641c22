"""The commands of ``mcgw``: one function per command, each returning the exit status.

Each takes a :class:`Context` (parsed arguments, output streams, the lazily created
:class:`Gateway`) and writes plain text, rich output on a terminal, or JSON.
"""

from __future__ import annotations

import argparse
from typing import IO

from ._channel import TlsConfig, TlsOption
from ._cli_progress import ProgressView
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
    watch_event_json,
)
from ._gateway import Gateway
from ._instance import Instance

__all__ = [
    "EXIT_NEGATIVE",
    "EXIT_OK",
    "Context",
    "cmd_exists",
    "cmd_get",
    "cmd_logview",
    "cmd_ls",
    "cmd_progress",
    "cmd_result",
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


class Context:
    """What every command needs: the client, output streams and modes."""

    def __init__(self, args: argparse.Namespace, out: IO[str], err: IO[str]) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.json: bool = args.json
        self.project: str | None = args.project or None
        self._gateway: Gateway | None = None
        self.interrupt_note: str | None = None

    @property
    def terminal(self) -> bool:
        """Whether stdout is a terminal (rich output) rather than a pipe or file."""
        return _isatty(self.out)

    @property
    def gateway(self) -> Gateway:
        """The client, created on first use from the connection options."""
        if self._gateway is None:
            tls: TlsOption = False
            args = self.args
            if args.ca_cert or args.cert or args.tls:
                tls = TlsConfig.from_files(
                    args.ca_cert, args.cert, args.key, server_name=args.server_name
                )
            self._gateway = Gateway(
                self.args.target,
                token=self.args.token or None,
                tls=tls,
                default_project=self.project,
                timeout=self.args.timeout_call,
            )
        return self._gateway

    def close(self) -> None:
        """Closes the client if one was created."""
        if self._gateway is not None:
            self._gateway.close()

    def line(self, text: str = "") -> None:
        """Writes one line to stdout."""
        self.out.write(text + "\n")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def cmd_ls(ctx: Context) -> int:
    """``mcgw ls``: instances of the project (in MaxCompute's order), as a table or JSON.

    A listing carries no tasks, so JSON ``successful`` is null for terminated instances (use
    ``mcgw get`` to learn it) and false for running ones.
    """
    args = ctx.args
    instances = ctx.gateway.list_instances(
        status=args.status,
        only_owner=args.owner,
        start_time=args.since,
        end_time=args.until,
        page_size=min(args.limit, 1000) if args.limit else None,
        max_items=args.limit or None,
    )
    states = [i.state for i in instances]
    if ctx.json:
        dump_json([instance_json(s) for s in states], ctx.out)
        return EXIT_OK
    rows = [
        [
            s.id,
            s.status.value if s.status else "-",
            format_time(s.start_time),
            format_time(s.end_time),
            s.owner or "-",
        ]
        for s in states
    ]
    print_table(
        ["ID", "STATUS", "START_TIME", "END_TIME", "OWNER"], rows, ctx.out, terminal=ctx.terminal
    )
    return EXIT_OK


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


def _final(ctx: Context, instance: Instance) -> int:
    """Prints the final state of a waited/watched instance; the exit status says success."""
    successful = instance.is_successful()  # reads the instance if its last state does not say
    state = instance.state
    if ctx.json:
        dump_json(instance_json(state), ctx.out)
    elif successful:
        ctx.line(f"{state.id} Terminated: succeeded")
    else:
        ctx.line(f"{state.id} Terminated: failed: {state.failure_message or 'no success'}")
    return EXIT_OK if successful else EXIT_NEGATIVE


def cmd_wait(ctx: Context) -> int:
    """``mcgw wait ID``: waits for termination; exit 0 only on success."""
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    ctx.interrupt_note = f"{instance.id} keeps running"
    instance.wait_for_completion(timeout=ctx.args.timeout)
    return _final(ctx, instance)


def _follow(ctx: Context, instance: Instance, out: IO[str], *, lines: bool) -> None:
    """Watches ``instance`` to its end, showing progress on ``out``."""
    terminal = _isatty(out)
    if ctx.json and lines:
        for event in instance.watch(omit_progress=ctx.args.no_progress):
            dump_json(watch_event_json(event), out, compact=True)
            out.flush()
        return
    with ProgressView(out, terminal=terminal, lines=lines, title=instance.id) as view:
        for event in instance.watch(omit_progress=getattr(ctx.args, "no_progress", False)):
            view.update(event)


def cmd_watch(ctx: Context) -> int:
    """``mcgw watch ID``: live progress (bars on a terminal, lines or JSON otherwise)."""
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    ctx.interrupt_note = f"{instance.id} keeps running"
    _follow(ctx, instance, ctx.out, lines=True)
    if ctx.json:
        return EXIT_OK if instance.is_successful() else EXIT_NEGATIVE
    return _final(ctx, instance)


def _print_result_table(ctx: Context, content: str) -> None:
    header, rows = parse_csv(content)
    if header:
        print_table(header, rows, ctx.out, terminal=ctx.terminal)
    elif content:
        ctx.out.write(content if content.endswith("\n") else content + "\n")


def cmd_sql(ctx: Context) -> int:
    """``mcgw sql QUERY``: submits SQL; with ``--wait`` shows progress, then the result."""
    args = ctx.args
    instance = ctx.gateway.run_sql(args.query, hints=args.hint, priority=args.priority)
    if not args.wait:
        if ctx.json:
            dump_json(instance_json(instance.state), ctx.out)
        else:
            ctx.line(instance.id)
        return EXIT_OK
    ctx.interrupt_note = f"{instance.id} keeps running"
    # Progress goes to stderr so that stdout holds only the result, ready for pipes.
    ctx.err.write(f"instance {instance.id}\n")
    ctx.err.flush()
    if args.timeout is not None:
        instance.wait_for_completion(timeout=args.timeout)
    else:
        _follow(ctx, instance, ctx.err, lines=False)
    successful = instance.is_successful()
    state = instance.state
    if not successful:
        if ctx.json:
            dump_json({"instance": instance_json(state), "results": {}}, ctx.out)
        ctx.err.write(f"{state.id} failed: {state.failure_message or 'no success'}\n")
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
    if not args.wait:
        if ctx.json:
            dump_json(instance_json(instance.state), ctx.out)
        else:
            ctx.line(instance.id)
        return EXIT_OK
    ctx.interrupt_note = f"{instance.id} keeps running"
    ctx.err.write(f"instance {instance.id}\n")
    instance.wait_for_completion(timeout=args.timeout)
    successful = instance.is_successful()
    state = instance.state
    subs = ctx.gateway.list_sub_instances(instance)
    if ctx.json:
        dump_json(
            {
                "instance": instance_json(state),
                "sub_instances": [
                    {"name": s.name, "instance_id": s.instance_id, "logview_url": s.logview_url}
                    for s in subs
                ],
            },
            ctx.out,
        )
    else:
        for sub in subs:
            ctx.line(f"{sub.name}: {sub.instance_id} {sub.logview_url}")
        ctx.err.write(
            f"{state.id} Terminated: "
            + ("succeeded" if successful else f"failed: {state.failure_message}")
            + "\n"
        )
    return EXIT_OK if successful else EXIT_NEGATIVE
