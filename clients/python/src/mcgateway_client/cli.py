"""``mcgw``: the command line of the mcgateway client, a thin layer over :class:`Gateway`.

Exit statuses (also in ``mcgw --help``):

====  ==================================================================================
0     success
1     negative answer: the instance failed or was cancelled (wait, watch, sql/xflow
      --wait), or it does not exist (exists)
2     usage error
3     not found
4     rejected request: invalid argument, or the instance is in the wrong state
5     authentication or permission failure
6     gateway or MaxCompute unavailable or throttling: try again later
7     timed out (call deadline or --timeout of a wait)
8     any other gateway error (internal, unimplemented, ...)
130   interrupted (Ctrl-C); a watched or awaited instance keeps running
====  ==================================================================================
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import IO, Any

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
from ._errors import (
    Aborted,
    AlreadyExists,
    DeadlineExceeded,
    GatewayError,
    InvalidArgument,
    InvalidState,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)
from ._gateway import Gateway
from ._instance import Instance
from ._models import InstanceState

__all__ = ["EXIT_CODES", "exit_code_for", "main"]

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

# Exit status per exception class; the first matching class (in order) wins.
EXIT_CODES: tuple[tuple[type[GatewayError], int], ...] = (
    (NotFound, 3),
    (InvalidArgument, 4),
    (InvalidState, 4),
    (AlreadyExists, 4),
    (Aborted, 4),
    (Unauthenticated, 5),
    (PermissionDenied, 5),
    (Unavailable, 6),
    (ResourceExhausted, 6),
    (DeadlineExceeded, 7),
)
EXIT_OTHER = 8

_EPILOG = """exit status:
  0    success
  1    the instance failed or was cancelled (wait, watch, sql/xflow --wait);
       the instance does not exist (exists)
  2    usage error
  3    not found
  4    rejected: invalid argument or wrong instance state
  5    authentication or permission failure
  6    gateway or MaxCompute unavailable or throttling (try again later)
  7    timed out
  8    other gateway error
  130  interrupted (the instance keeps running)

environment: MCGW_TARGET, MCGW_TOKEN, MCGW_PROJECT, MCGW_CA_CERT, MCGW_CERT, MCGW_KEY,
  MCGW_DEBUG=1 (tracebacks for unexpected errors)
"""


def exit_code_for(error: GatewayError) -> int:
    """The exit status for a library error."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return EXIT_OTHER


class _Context:
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
        return _isatty(self.out)

    @property
    def gateway(self) -> Gateway:
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
        if self._gateway is not None:
            self._gateway.close()

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# -- commands ---------------------------------------------------------------------------------


def _cmd_ls(ctx: _Context) -> int:
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


def _cmd_get(ctx: _Context) -> int:
    state = ctx.gateway.get_instance(ctx.args.id).state
    if ctx.json:
        dump_json(instance_json(state), ctx.out)
    else:
        for text in instance_lines(state):
            ctx.line(text)
    return EXIT_OK


def _cmd_exists(ctx: _Context) -> int:
    exists = ctx.gateway.exist_instance(ctx.args.id)
    if ctx.json:
        dump_json({"id": ctx.args.id, "exists": exists}, ctx.out)
    else:
        ctx.line("true" if exists else "false")
    return EXIT_OK if exists else EXIT_NEGATIVE


def _cmd_stop(ctx: _Context) -> int:
    state = ctx.gateway.stop_instance(ctx.args.id).state
    if ctx.json:
        dump_json(instance_json(state), ctx.out)
    else:
        status = state.status.value if state.status else "-"
        ctx.line(f"stop requested: {state.id} (status {status})")
    return EXIT_OK


def _cmd_tasks(ctx: _Context) -> int:
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


def _cmd_result(ctx: _Context) -> int:
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


def _cmd_progress(ctx: _Context) -> int:
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


def _cmd_logview(ctx: _Context) -> int:
    url = ctx.gateway.get_logview_address(ctx.args.id, hours=ctx.args.hours)
    if ctx.json:
        dump_json({"id": ctx.args.id, "url": url}, ctx.out)
    else:
        ctx.line(url)
    return EXIT_OK


def _final(ctx: _Context, state: InstanceState) -> int:
    """Prints the final state of a waited/watched instance; the exit status says success."""
    if ctx.json:
        dump_json(instance_json(state), ctx.out)
    elif state.successful:
        ctx.line(f"{state.id} Terminated: succeeded")
    else:
        ctx.line(f"{state.id} Terminated: failed: {state.failure_message or 'no success'}")
    return EXIT_OK if state.successful else EXIT_NEGATIVE


def _cmd_wait(ctx: _Context) -> int:
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    ctx.interrupt_note = f"{instance.id} keeps running"
    instance.wait_for_completion(timeout=ctx.args.timeout)
    return _final(ctx, instance.state)


def _follow(ctx: _Context, instance: Instance, out: IO[str], *, lines: bool) -> InstanceState:
    """Watches ``instance`` to its end, showing progress on ``out``."""
    terminal = _isatty(out)
    if ctx.json and lines:
        for event in instance.watch(omit_progress=ctx.args.no_progress):
            dump_json(watch_event_json(event), out, compact=True)
            out.flush()
        return instance.state
    with ProgressView(out, terminal=terminal, lines=lines, title=instance.id) as view:
        for event in instance.watch(omit_progress=getattr(ctx.args, "no_progress", False)):
            view.update(event)
    return instance.state


def _cmd_watch(ctx: _Context) -> int:
    instance = Instance(ctx.gateway, ctx.args.id, ctx.project or "")
    ctx.interrupt_note = f"{instance.id} keeps running"
    state = _follow(ctx, instance, ctx.out, lines=True)
    if ctx.json:
        return EXIT_OK if state.successful else EXIT_NEGATIVE
    return _final(ctx, state)


def _print_result_table(ctx: _Context, content: str) -> None:
    header, rows = parse_csv(content)
    if header:
        print_table(header, rows, ctx.out, terminal=ctx.terminal)
    elif content:
        ctx.out.write(content if content.endswith("\n") else content + "\n")


def _cmd_sql(ctx: _Context) -> int:
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
        state = instance.state
    else:
        state = _follow(ctx, instance, ctx.err, lines=False)
    if not state.successful:
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


def _cmd_xflow(ctx: _Context) -> int:
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
            + ("succeeded" if state.successful else f"failed: {state.failure_message}")
            + "\n"
        )
    return EXIT_OK if state.successful else EXIT_NEGATIVE


# -- argument parsing ---------------------------------------------------------------------------


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


class _KeyValues(argparse.Action):
    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        current = dict(getattr(namespace, self.dest) or {})
        key, value = values
        current[key] = value
        setattr(namespace, self.dest, current)


_DURATION = re.compile(r"^(\d+)([smhd])$")


def _moment(text: str) -> datetime:
    """An ISO time (naive = local) or an age such as ``30m``, ``2h``, ``7d`` before now."""
    match = _DURATION.match(text)
    if match:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
        return datetime.now(UTC) - timedelta(**{unit: int(match.group(1))})
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO time or an age like 30m, 2h, 7d; got {text!r}"
        ) from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Connection and output options, accepted before and after the command."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    env = os.environ
    parser.add_argument(
        "--target",
        default=default(env.get("MCGW_TARGET") or "127.0.0.1:50051"),
        help="gateway host:port (env MCGW_TARGET, default 127.0.0.1:50051)",
    )
    parser.add_argument(
        "--token", default=default(env.get("MCGW_TOKEN")), help="bearer token (env MCGW_TOKEN)"
    )
    parser.add_argument(
        "--project",
        default=default(env.get("MCGW_PROJECT")),
        help="MaxCompute project (env MCGW_PROJECT; default: the gateway's)",
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="machine-readable JSON output"
    )
    parser.add_argument(
        "--tls", action="store_true", default=default(False), help="use TLS with the system roots"
    )
    parser.add_argument(
        "--ca-cert",
        default=default(env.get("MCGW_CA_CERT")),
        metavar="PEM",
        help="use TLS with this CA certificate (env MCGW_CA_CERT)",
    )
    parser.add_argument(
        "--cert",
        default=default(env.get("MCGW_CERT")),
        metavar="PEM",
        help="client certificate for mutual TLS (env MCGW_CERT)",
    )
    parser.add_argument(
        "--key",
        default=default(env.get("MCGW_KEY")),
        metavar="PEM",
        help="private key of --cert (env MCGW_KEY)",
    )
    parser.add_argument(
        "--server-name",
        default=default(None),
        metavar="NAME",
        help="name to verify in the gateway's certificate",
    )
    parser.add_argument(
        "--call-timeout",
        dest="timeout_call",
        type=_positive,
        default=default(None),
        metavar="SECONDS",
        help="deadline of each call (default: per method, 30-60 s)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``mcgw``."""
    parser = argparse.ArgumentParser(
        prog="mcgw",
        description="Inspect, submit and watch MaxCompute instances through an mcgateway.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[_Context], int], help_text: str) -> Any:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _common_options(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    ls = command("ls", _cmd_ls, "list instances, newest first")
    ls.add_argument(
        "--status", choices=["Running", "Suspended", "Terminated"], type=lambda s: s.capitalize()
    )
    ls.add_argument("--owner", action="store_true", help="only the gateway account's instances")
    ls.add_argument("--since", type=_moment, help="started at/after: ISO time or age (2h, 7d)")
    ls.add_argument("--until", type=_moment, help="started before: ISO time or age")
    ls.add_argument("--limit", type=_count, default=100, help="at most N instances (0: all)")

    for name, handler, text in (
        ("get", _cmd_get, "show an instance and its tasks"),
        ("exists", _cmd_exists, "tell whether an instance exists (exit 1 if not)"),
        ("stop", _cmd_stop, "stop a running instance"),
        ("tasks", _cmd_tasks, "list the tasks of an instance"),
    ):
        command(name, handler, text).add_argument("id", help="instance id")

    result = command("result", _cmd_result, "print task results")
    result.add_argument("id", help="instance id")
    result.add_argument("task", nargs="?", help="task name (default: every task)")
    result.add_argument("--table", action="store_true", help="render CSV results as a table")

    progress = command("progress", _cmd_progress, "show stage progress")
    progress.add_argument("id", help="instance id")
    progress.add_argument("task", nargs="?", help="task name (default: every task)")

    logview = command("logview", _cmd_logview, "print a Logview URL")
    logview.add_argument("id", help="instance id")
    logview.add_argument("--hours", type=int, help="token validity (default 720)")

    wait = command("wait", _cmd_wait, "wait until an instance terminates (exit 1 if it failed)")
    wait.add_argument("id", help="instance id")
    wait.add_argument("--timeout", type=_positive, help="give up after SECONDS (exit 7)")

    watch = command(
        "watch", _cmd_watch, "follow an instance with live stage progress (exit 0 only on success)"
    )
    watch.add_argument("id", help="instance id")
    watch.add_argument("--no-progress", action="store_true", help="status changes only")

    sql = command("sql", _cmd_sql, "submit SQL; with --wait, show progress then the result")
    sql.add_argument("query", help="the SQL text")
    sql.add_argument(
        "--hint",
        type=_key_value,
        action=_KeyValues,
        default={},
        metavar="KEY=VALUE",
        help="SQL setting (repeatable)",
    )
    sql.add_argument("--priority", type=int, help="job priority 0 (highest) to 9")
    sql.add_argument("--wait", action="store_true", help="wait and print the result")
    sql.add_argument("--timeout", type=_positive, help="with --wait: give up after SECONDS")
    sql.set_defaults(no_progress=False)

    xflow = command("xflow", _cmd_xflow, "submit an XFlow (PAI) job")
    xflow.add_argument("name", help="XFlow name, e.g. AppendID")
    xflow.add_argument(
        "--xflow-project",
        default="algo_public",
        help="project owning the XFlow (default algo_public)",
    )
    xflow.add_argument(
        "--param",
        type=_key_value,
        action=_KeyValues,
        default={},
        metavar="KEY=VALUE",
        help="XFlow parameter (repeatable)",
    )
    xflow.add_argument(
        "--hint",
        type=_key_value,
        action=_KeyValues,
        default={},
        metavar="KEY=VALUE",
        help="job setting (repeatable)",
    )
    xflow.add_argument("--priority", type=int, help="job priority 0 (highest) to 9")
    xflow.add_argument(
        "--wait", action="store_true", help="wait, then list sub-instances with Logview URLs"
    )
    xflow.add_argument("--timeout", type=_positive, help="with --wait: give up after SECONDS")
    return parser


def main(
    argv: Sequence[str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """Runs ``mcgw`` and returns its exit status (the console script exits with it)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    ctx = _Context(args, out, err)
    try:
        return int(args.handler(ctx))
    except GatewayError as error:
        reason = f" [{error.reason}]" if error.reason and error.reason not in str(error) else ""
        request = f" (request {error.request_id})" if error.request_id else ""
        err.write(f"mcgw: {_kind(error)}: {error}{reason}{request}\n")
        return exit_code_for(error)
    except KeyboardInterrupt:
        note = ctx.interrupt_note
        err.write(f"\nmcgw: interrupted{'; ' + note if note else ''}\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`mcgw ls | head`): not an error worth a traceback.
        _silence_stdout()
        return EXIT_OK
    except OSError as error:  # e.g. an unreadable --ca-cert file
        err.write(f"mcgw: {error.strerror or error}: {error.filename or ''}".rstrip(": ") + "\n")
        return EXIT_USAGE
    except Exception as error:
        # A bug in mcgw itself: keep the exit status distinct from "the instance failed" (1).
        if os.environ.get("MCGW_DEBUG"):
            raise
        err.write(f"mcgw: unexpected {type(error).__name__}: {error} (MCGW_DEBUG=1 for details)\n")
        return EXIT_OTHER
    finally:
        ctx.close()


def _kind(error: GatewayError) -> str:
    """``not found``, ``invalid state``, ... from the exception class name."""
    name = type(error).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
