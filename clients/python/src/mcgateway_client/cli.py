"""``mcgw``: the command line of the mcgateway client, a thin layer over :class:`Gateway`.

Exit statuses (also in ``mcgw --help``):

====  ==================================================================================
0     success
1     negative answer: the instance failed or was cancelled (wait, watch, sql/xflow
      --wait), or it does not exist (exists)
2     usage error, including a bad gateway address, config file or TLS setting
3     not found
4     rejected request: invalid argument, or the instance is in the wrong state
5     authentication or permission failure
6     gateway or MaxCompute unavailable or throttling: try again later; for waits and
      watches, the gateway stayed unreachable for --reconnect-for seconds
7     timed out (call deadline or --timeout of a wait)
8     any other gateway error (internal, unimplemented, ...)
130   interrupted (Ctrl-C); mcgw reports the instance's state read afresh, and stops an
      instance it submitted itself only when told (y at the prompt, --stop-on-interrupt)
====  ==================================================================================
"""

from __future__ import annotations

import os

if not os.environ.get("MCGW_DEBUG"):
    # grpc's core logs some failures (a TLS handshake with a plaintext gateway, ...) as raw lines
    # on stderr, beside mcgw's own one-line message; it reads this once, when grpc is imported.
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")

import argparse
import importlib.metadata
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, NoReturn

import shtab

from ._cli_commands import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Context,
    cmd_completion,
    cmd_exists,
    cmd_get,
    cmd_logs,
    cmd_logview,
    cmd_ls,
    cmd_progress,
    cmd_result,
    cmd_show,
    cmd_sql,
    cmd_stop,
    cmd_tasks,
    cmd_wait,
    cmd_watch,
    cmd_xflow,
)
from ._cli_interrupt import interrupted
from ._cli_read import cmd_read
from ._diagnostics import LOG_TYPES
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
from ._settings import InvalidSettings, load_settings
from ._target import InvalidTarget

__all__ = ["EXIT_CODES", "EXIT_NEGATIVE", "EXIT_OK", "build_parser", "exit_code_for", "main"]

EXIT_USAGE = 2
EXIT_UNAVAILABLE = 6
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
    (Unavailable, EXIT_UNAVAILABLE),
    (ResourceExhausted, 6),
    (DeadlineExceeded, 7),
)
EXIT_OTHER = 8

_EPILOG = """exit status:
  0    success
  1    the instance failed or was cancelled (wait, watch, sql/xflow --wait);
       the instance does not exist (exists)
  2    usage error (also: a bad gateway address, config file or TLS setting)
  3    not found
  4    rejected: invalid argument or wrong instance state
  5    authentication or permission failure
  6    gateway or MaxCompute unavailable or throttling (try again later); for
       wait and watch: the gateway stayed unreachable for --reconnect-for seconds
  7    timed out
  8    other gateway error
  130  interrupted (Ctrl-C)

settings: a flag wins over its environment variable, which wins over the config
file $XDG_CONFIG_HOME/mcgw/config.toml (~/.config/mcgw/config.toml): a [default]
table and [profiles.NAME] tables with target, token or token_file, tls, ca_cert,
cert, key, server_name, project.
environment: MCGW_TARGET, MCGW_TOKEN, MCGW_TLS, MCGW_CA_CERT, MCGW_CERT, MCGW_KEY,
  MCGW_PROJECT, MCGW_PROFILE, MCGW_DEBUG=1 (tracebacks and grpc's own logs)
"""


def exit_code_for(error: GatewayError) -> int:
    """The exit status for a library error."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return EXIT_OTHER


# -- argument parsing ---------------------------------------------------------------------------


class UsageError(Exception):
    """A usage mistake found by the parser or while reading the settings (exit 2)."""

    def __init__(self, message: str, usage: str = "", reason: str = "USAGE") -> None:
        super().__init__(message)
        self.usage = usage
        self.reason = reason


class _Parser(argparse.ArgumentParser):
    """Raises UsageError instead of exiting, so that --json can report it as JSON."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.format_usage())


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


def _file_completion(action: argparse.Action) -> None:
    """Completes file names for ``action`` in the generated shell completion."""
    action.complete = shtab.FILE  # type: ignore[attr-defined]


def _common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Connection and output options, accepted before and after the command. Their defaults
    are None: the environment and the config file fill in what no flag gave (load_settings)."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--target",
        default=default(None),
        metavar="HOST:PORT",
        help="gateway address (env MCGW_TARGET; default 127.0.0.1:50051)",
    )
    parser.add_argument("--token", default=default(None), help="bearer token (env MCGW_TOKEN)")
    parser.add_argument(
        "--profile",
        default=default(None),
        metavar="NAME",
        help="use [profiles.NAME] of the config file (env MCGW_PROFILE)",
    )
    parser.add_argument(
        "--project",
        default=default(None),
        help="MaxCompute project (env MCGW_PROJECT; default: the gateway's)",
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="machine-readable JSON output"
    )
    parser.add_argument(
        "--tls",
        choices=["auto", "on", "off"],
        type=str.lower,
        default=default(None),
        help="auto (default): plaintext only to a loopback host (localhost, 127.x, ::1); "
        "on: TLS; off: plaintext (env MCGW_TLS)",
    )
    _file_completion(
        parser.add_argument(
            "--ca-cert",
            default=default(None),
            metavar="PEM",
            help="trust this CA for the gateway's certificate; implies TLS (env MCGW_CA_CERT)",
        )
    )
    _file_completion(
        parser.add_argument(
            "--cert",
            default=default(None),
            metavar="PEM",
            help="client certificate for mutual TLS (env MCGW_CERT)",
        )
    )
    _file_completion(
        parser.add_argument(
            "--key",
            default=default(None),
            metavar="PEM",
            help="private key of --cert (env MCGW_KEY)",
        )
    )
    parser.add_argument(
        "--server-name",
        default=default(None),
        metavar="NAME",
        help="name to verify in the gateway's certificate; implies TLS",
    )
    parser.add_argument(
        "--call-timeout",
        dest="timeout_call",
        type=_positive,
        default=default(None),
        metavar="SECONDS",
        help="deadline of each call (default: per method, 30-60 s)",
    )


def _reconnect_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reconnect-for",
        type=_positive,
        default=60.0,
        metavar="SECONDS",
        help="while the gateway is unreachable, retry this long before giving up with exit 6 "
        "(default 60)",
    )


def _stop_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stop-on-interrupt",
        action="store_true",
        help="on Ctrl-C, stop the submitted instance without asking (on a terminal mcgw asks; "
        "elsewhere it leaves the instance running)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``mcgw``."""
    parser = _Parser(
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

    ls = command(
        "ls",
        cmd_ls,
        "list instances, newest first (default: the 20 newest started in the last 24 h)",
    )
    ls.add_argument(
        "--status",
        choices=["Running", "Suspended", "Terminated"],
        type=lambda s: s.capitalize(),
        metavar="STATE",
        help="only instances in this state: Running, Suspended or Terminated (any case)",
    )
    ls.add_argument("--owner", action="store_true", help="only the gateway account's instances")
    ls.add_argument(
        "--since",
        type=_moment,
        metavar="TIME",
        help="started at/after: ISO time or age (30m, 2h, 7d); default 24h unless --until/--all",
    )
    ls.add_argument("--until", type=_moment, metavar="TIME", help="started before: ISO time or age")
    ls.add_argument(
        "--limit",
        type=_count,
        default=20,
        metavar="N",
        help="show the N newest (default 20; 0: all)",
    )
    ls.add_argument(
        "--all",
        action="store_true",
        help="every instance: no default time window, no --limit, no cap on instances read",
    )

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
    result.add_argument(
        "--wide",
        action="store_true",
        help="with --table on a terminal: one line per row, however long (as when piped)",
    )

    read = command(
        "read",
        cmd_read,
        "print a SELECT's result rows, all of them (instance tunnel; no 10,000-row cap)",
    )
    read.add_argument("id", help="instance id")
    read.add_argument(
        "--format",
        choices=["csv", "json", "table"],
        help="csv (NULL as \\N), json (one object per line) or table; "
        "default: table on a terminal, csv otherwise",
    )
    read.add_argument("--limit", type=_count, default=0, metavar="N", help="at most N rows")
    read.add_argument("--offset", type=_count, default=0, metavar="N", help="skip the first N rows")
    read.add_argument("--columns", metavar="A,B", help="only these columns, in this order")
    read.add_argument("--task", help="the SQL task (default: the instance's only one)")
    read.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    read.add_argument("--wide", action="store_true", help="with --format table: one line per row")

    progress = command("progress", cmd_progress, "show stage progress")
    progress.add_argument("id", help="instance id")
    progress.add_argument("task", nargs="?", help="task name (default: every task)")

    show = command(
        "show", cmd_show, "show an instance: state, task summaries and costs, queue position"
    )
    show.add_argument("id", help="instance id")

    logs = command("logs", cmd_logs, "list a task's workers and log ids, or print a worker log")
    logs.add_argument("id", help="instance id")
    logs.add_argument("--task", help="task name (default: the first task)")
    logs.add_argument("--worker", metavar="W", help="print the log of this worker id or log id")
    logs.add_argument(
        "--type",
        default="stdout",
        choices=sorted(LOG_TYPES),
        help="which log of the worker (default stdout)",
    )
    logs.add_argument(
        "--size", type=int, metavar="BYTES", help="only the last BYTES of the log (max 2 MiB)"
    )

    logview = command("logview", cmd_logview, "print a Logview URL")
    logview.add_argument("id", help="instance id")
    logview.add_argument("--hours", type=int, help="token validity, 1 to 2160 (default 720)")

    wait = command("wait", cmd_wait, "wait until an instance terminates (exit 1 if it failed)")
    wait.add_argument("id", help="instance id")
    wait.add_argument("--timeout", type=_positive, help="give up after SECONDS (exit 7)")
    _reconnect_option(wait)

    watch = command(
        "watch", cmd_watch, "follow an instance with live stage progress (exit 0 only on success)"
    )
    watch.add_argument("id", help="instance id")
    watch.add_argument("--no-progress", action="store_true", help="status changes only")
    _reconnect_option(watch)

    sql = command("sql", cmd_sql, "submit SQL; with --wait, show progress then the result")
    sql.add_argument("query", nargs="?", help="the SQL text; '-' reads it from standard input")
    _file_completion(
        sql.add_argument(
            "-f",
            "--file",
            dest="sql_file",
            metavar="FILE",
            help="read the SQL text from FILE ('-': standard input)",
        )
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
    sql.add_argument(
        "--watch",
        action="store_true",
        help="like --wait, and print progress events to stderr even when it is not a terminal",
    )
    sql.add_argument("--timeout", type=_positive, help="with --wait: give up after SECONDS")
    sql.add_argument(
        "--wide",
        action="store_true",
        help="on a terminal: print the result one line per row, however long (as when piped)",
    )
    _reconnect_option(sql)
    _stop_option(sql)
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
    _reconnect_option(xflow)
    _stop_option(xflow)

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script for SHELL; see the README for where to put it.",
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell")
    completion.set_defaults(handler=cmd_completion, json=False)
    return parser


_CONNECTION_FLAGS = ("target", "token", "tls", "ca_cert", "cert", "key", "server_name", "project")


def main(
    argv: Sequence[str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """Runs ``mcgw`` and returns its exit status (the console script exits with it)."""
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    parser = build_parser()
    ctx: Context | None = None
    try:
        args = parser.parse_args(argv)
        if args.command == "completion":
            return int(args.handler(Context(args, out, err, parser=parser)))
        flags = {name: getattr(args, name, None) for name in _CONNECTION_FLAGS}
        flags["profile"] = getattr(args, "profile", None)
        settings = load_settings(flags)
        if hasattr(args, "sql_file"):
            args.query = _sql_text(args.query, args.sql_file)
        ctx = Context(args, out, err, settings, parser)
        return int(args.handler(ctx))
    except UsageError as error:
        if wants_json:
            _json_error(err, "INVALID_ARGUMENT", error.reason, str(error))
        else:
            err.write(f"{error.usage}mcgw: error: {error}\n")
        return EXIT_USAGE
    except InvalidTarget as error:
        return _usage(err, wants_json, "INVALID_TARGET", str(error))
    except InvalidSettings as error:
        return _usage(err, wants_json, "INVALID_SETTINGS", str(error))
    except GatewayError as error:
        _report(ctx, err, wants_json, error)
        return exit_code_for(error)
    except KeyboardInterrupt:
        if ctx is None:
            err.write("\nmcgw: interrupted\n")
            return EXIT_INTERRUPTED
        code = interrupted(ctx)
        ctx.close(wait=1.0)
        return code
    except BrokenPipeError:
        # The reader went away (`mcgw ls | head`): not an error worth a traceback.
        _silence_stdout()
        return EXIT_OK
    except OSError as error:  # e.g. an unreadable --ca-cert file
        text = f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")
        return _usage(err, wants_json, "UNREADABLE_FILE", text)
    except Exception as error:
        # A bug in mcgw itself: keep the exit status distinct from "the instance failed" (1).
        if os.environ.get("MCGW_DEBUG"):
            raise
        text = f"unexpected {type(error).__name__}: {error} (MCGW_DEBUG=1 for details)"
        if wants_json:
            _json_error(err, "UNKNOWN", "CLIENT_ERROR", text)
        else:
            err.write(f"mcgw: {text}\n")
        return EXIT_OTHER
    finally:
        if ctx is not None:
            ctx.close()


def _usage(err: IO[str], wants_json: bool, reason: str, message: str) -> int:
    if wants_json:
        _json_error(err, "INVALID_ARGUMENT", reason, message)
    else:
        err.write(f"mcgw: {message}\n")
    return EXIT_USAGE


def _json_error(
    err: IO[str],
    code: str | None,
    reason: str | None,
    message: str,
    maxcompute_code: str | None = None,
    request_id: str | None = None,
) -> None:
    """One JSON object on stderr: the form of every failure under --json."""
    data = {
        "code": code,
        "reason": reason,
        "message": message,
        "maxcompute_code": maxcompute_code,
        "request_id": request_id,
    }
    err.write(json.dumps(data, ensure_ascii=False) + "\n")


def _report(ctx: Context | None, err: IO[str], wants_json: bool, error: GatewayError) -> None:
    """Prints a library error: one line, or one JSON object under --json."""
    message = str(error)
    target = ctx.target if ctx is not None else ""
    if isinstance(error, Unavailable):
        message = explain_unavailable(message, target)
        if ctx is not None and ctx.notices is not None and ctx.notices.attempts:
            reconnect_for = getattr(ctx.args, "reconnect_for", 60.0)
            message = (
                f"gave up after {reconnect_for:g} s of reconnecting (--reconnect-for): {message}"
            )
    if wants_json:
        code = error.code.name if error.code is not None else None
        _json_error(err, code, error.reason, message, error.maxcompute_code, error.request_id)
        return
    request = f" (request {error.request_id})" if error.request_id else ""
    err.write(f"mcgw: {_kind(error)}: {message}{_tags(error)}{request}\n")


def explain_unavailable(message: str, target: str) -> str:
    """grpc's connection failure text as one sentence a person can act on."""
    lowered = message.lower()
    where = f"gateway {target}" if target else "the gateway"
    if "handshake failed" in lowered and (
        "wrong_version_number" in lowered or "packet_length_too_long" in lowered
    ):
        return (
            f"TLS handshake with {where} failed: it seems to serve plaintext; "
            "use --tls off (or MCGW_TLS=off)"
        )
    if "certificate_verify_failed" in lowered or "certificate verify failed" in lowered:
        return (
            f"{where} presented a certificate that is not trusted; give its CA with --ca-cert "
            "(or MCGW_CA_CERT), or the name in it with --server-name"
        )
    if "handshake failed" in lowered:
        return f"TLS handshake with {where} failed ({message})"
    if "connection refused" in lowered:
        return f"{where} unreachable: connection refused (is it running?)"
    if "domain name not found" in lowered or "dns resolution failed" in lowered:
        return f"{where} unreachable: its host name does not resolve"
    if "socket closed" in lowered or "connection reset" in lowered:
        return (
            f"{where} closed the connection ({message}); if it serves TLS, use --tls on "
            "with --ca-cert"
        )
    if "failed to connect to all addresses" in lowered or "deadline exceeded" in lowered:
        return f"{where} unreachable ({message})"
    return message


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


def _client_version() -> str:
    """The installed version of ``mcgateway-client`` (``unknown`` when run from a bare tree)."""
    try:
        return importlib.metadata.version("mcgateway-client")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sql_text(query: str | None, path: str | None) -> str:
    """The SQL of ``mcgw sql``: the argument, standard input (``-``) or ``-f FILE``."""
    if query is not None and path is not None:
        raise UsageError("give the SQL as an argument or with -f FILE, not both")
    if query is None and path is None:
        raise UsageError("give the SQL text, '-' to read it from standard input, or -f FILE")
    if query == "-" or path == "-":
        text = sys.stdin.read()
    elif path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    else:
        text = query or ""
    if not text.strip():
        raise UsageError("the SQL text is empty")
    return text


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
