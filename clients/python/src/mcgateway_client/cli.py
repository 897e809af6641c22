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
import importlib.metadata
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from ._cli_commands import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Context,
    cmd_exists,
    cmd_get,
    cmd_logview,
    cmd_ls,
    cmd_progress,
    cmd_result,
    cmd_sql,
    cmd_stop,
    cmd_tasks,
    cmd_wait,
    cmd_watch,
    cmd_xflow,
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

__all__ = ["EXIT_CODES", "EXIT_NEGATIVE", "EXIT_OK", "build_parser", "exit_code_for", "main"]

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
    parser.add_argument("--version", action="version", version=f"%(prog)s {_client_version()}")
    _common_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[Context], int], help_text: str) -> Any:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _common_options(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    ls = command("ls", cmd_ls, "list instances (in MaxCompute's order)")
    ls.add_argument(
        "--status", choices=["Running", "Suspended", "Terminated"], type=lambda s: s.capitalize()
    )
    ls.add_argument("--owner", action="store_true", help="only the gateway account's instances")
    ls.add_argument("--since", type=_moment, help="started at/after: ISO time or age (2h, 7d)")
    ls.add_argument("--until", type=_moment, help="started before: ISO time or age")
    ls.add_argument("--limit", type=_count, default=100, help="at most N instances (0: all)")

    for name, handler, text in (
        ("get", cmd_get, "show an instance and its tasks"),
        ("exists", cmd_exists, "tell whether an instance exists (exit 1 if not)"),
        ("stop", cmd_stop, "stop a running instance"),
        ("tasks", cmd_tasks, "list the tasks of an instance"),
    ):
        command(name, handler, text).add_argument("id", help="instance id")

    result = command("result", cmd_result, "print task results")
    result.add_argument("id", help="instance id")
    result.add_argument("task", nargs="?", help="task name (default: every task)")
    result.add_argument("--table", action="store_true", help="render CSV results as a table")

    progress = command("progress", cmd_progress, "show stage progress")
    progress.add_argument("id", help="instance id")
    progress.add_argument("task", nargs="?", help="task name (default: every task)")

    logview = command("logview", cmd_logview, "print a Logview URL")
    logview.add_argument("id", help="instance id")
    logview.add_argument("--hours", type=int, help="token validity, 1 to 2160 (default 720)")

    wait = command("wait", cmd_wait, "wait until an instance terminates (exit 1 if it failed)")
    wait.add_argument("id", help="instance id")
    wait.add_argument("--timeout", type=_positive, help="give up after SECONDS (exit 7)")

    watch = command(
        "watch", cmd_watch, "follow an instance with live stage progress (exit 0 only on success)"
    )
    watch.add_argument("id", help="instance id")
    watch.add_argument("--no-progress", action="store_true", help="status changes only")

    sql = command("sql", cmd_sql, "submit SQL; with --wait, show progress then the result")
    sql.add_argument("query", nargs="?", help="the SQL text; '-' reads it from standard input")
    sql.add_argument(
        "-f",
        "--file",
        dest="sql_file",
        metavar="FILE",
        help="read the SQL text from FILE ('-': standard input)",
    )
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

    xflow = command("xflow", cmd_xflow, "submit an XFlow (PAI) job")
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
    if hasattr(args, "sql_file"):
        args.query = _sql_text(parser, args.query, args.sql_file)
    ctx = Context(args, out, err)
    try:
        return int(args.handler(ctx))
    except GatewayError as error:
        request = f" (request {error.request_id})" if error.request_id else ""
        err.write(f"mcgw: {_kind(error)}: {error}{_tags(error)}{request}\n")
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


def _tags(error: GatewayError) -> str:
    """`` [REASON; MaxCompute Code]``: what the message does not already say, or empty."""
    message = str(error)
    tags = []
    if error.reason and error.reason not in message:
        tags.append(error.reason)
    code = error.maxcompute_code
    if code and code not in message:
        tags.append(f"MaxCompute {code}")
    return f" [{'; '.join(tags)}]" if tags else ""


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


def _client_version() -> str:
    """The installed version of ``mcgateway-client`` (``unknown`` when run from a bare tree)."""
    try:
        return importlib.metadata.version("mcgateway-client")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sql_text(parser: argparse.ArgumentParser, query: str | None, path: str | None) -> str:
    """The SQL of ``mcgw sql``: the argument, standard input (``-``) or ``-f FILE``."""
    if query is not None and path is not None:
        parser.error("give the SQL as an argument or with -f FILE, not both")
    if query is None and path is None:
        parser.error("give the SQL text, '-' to read it from standard input, or -f FILE")
    if query == "-" or path == "-":
        text = sys.stdin.read()
    elif path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            parser.error(f"cannot read {path}: {error.strerror or error}")
    else:
        text = query or ""
    if not text.strip():
        parser.error("the SQL text is empty")
    return text
