"""The SQL engine: one file-backed DuckDB database, one schema per project.

It translates the MaxCompute-isms DuckDB does not accept where that is cheap (``desc``,
``insert overwrite``, ``lifecycle``, ``comment``), turns DuckDB errors into ``ODPS-NNNNNNN:``
messages that PyODPS maps to the right exception class, and renders SELECT results as
MaxCompute's CSV (header row, quoted strings, ``\\N`` for NULL).

Submitted SQL runs on a connection with external access off and its configuration locked
at connect time (see :func:`locked_config`): no file reads or writes outside the database
(``read_text``, ``COPY ... TO``, ``glob``, ``ATTACH``), no extensions, no network, no scans
of Python objects, and no ``SET`` can undo it. Such statements fail the task like an
unknown function does on the service.

Every method blocks: callers run them in worker threads, never on the event loop.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from mcemulator import datadir, plans, stages
from mcemulator.model import InputTable, Stage

IRIS_TABLE = "pyodps_iris"
IRIS_CSV = Path(__file__).parent / "data" / "pyodps_iris.csv"
_IRIS_COLUMNS = (
    "sepallength DOUBLE, sepalwidth DOUBLE, petallength DOUBLE, petalwidth DOUBLE, name VARCHAR"
)

_DESC = re.compile(r"^(?:desc|describe)\s+(?:extended\s+)?(?:table\s+)?([\w.]+)$", re.I | re.S)
_SET = re.compile(r"^set\s+([\w.]+)\s*=", re.I)
_INSERT_OVERWRITE = re.compile(r"^insert\s+overwrite\s+table\s+([\w.]+)", re.I)
_INSERT_TABLE = re.compile(r"^insert\s+into\s+table\s+", re.I)
_LIFECYCLE = re.compile(r"\blifecycle\s+\d+", re.I)
_COMMENT = re.compile(r"\bcomment\s+'(?:[^']|'')*'", re.I)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CARET = re.compile(r"LINE (\d+): (.*)\n(\s*)\^")
_EXPLAIN = "EXPLAIN (FORMAT JSON) "
# Bytes per value of fixed-width DuckDB types; other types are measured.
_WIDTHS = {
    "BOOLEAN": 1,
    "TINYINT": 1,
    "SMALLINT": 2,
    "INTEGER": 4,
    "BIGINT": 8,
    "HUGEINT": 16,
    "UTINYINT": 1,
    "USMALLINT": 2,
    "UINTEGER": 4,
    "UBIGINT": 8,
    "FLOAT": 4,
    "DOUBLE": 8,
    "DATE": 4,
    "TIME": 8,
    "TIMESTAMP": 8,
    "TIMESTAMP WITH TIME ZONE": 8,
    "INTERVAL": 16,
    "UUID": 16,
}

# DuckDB type name -> MaxCompute type name, for ``desc``.
_TYPE_NAMES = {
    "VARCHAR": "string",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "SMALLINT": "smallint",
    "TINYINT": "tinyint",
    "DOUBLE": "double",
    "FLOAT": "float",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "datetime",
    "DATE": "date",
    "BLOB": "binary",
}
_KEEP_BATCH_ROWS = 65536
ResultSink = Callable[[pa.Schema, Iterator[pa.RecordBatch]], object]
"""Receives a SELECT's whole result (schema, then batches to consume) for the tunnel."""
_TRANSACTION = duckdb.StatementType.TRANSACTION
_NO_ROWS = (
    duckdb.StatementType.INSERT,
    duckdb.StatementType.UPDATE,
    duckdb.StatementType.DELETE,
    duckdb.StatementType.CREATE,
    duckdb.StatementType.DROP,
    duckdb.StatementType.ALTER,
    duckdb.StatementType.TRANSACTION,
)


# Settings of the SQL engine's connection, fixed at connect time; ``lock_configuration``
# (applied last) makes every later SET / RESET of any option fail.
_REQUIRED_LOCKS: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
_OPTIONAL_LOCKS: dict[str, Any] = {
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,
    "python_enable_replacements": False,
}
_DENIED = (
    "Semantic analysis exception - not allowed: SQL in the emulator has no access to files, "
    "the network, extensions or engine settings"
)


def engine_setting_names() -> frozenset[str]:
    """Names of this DuckDB version's configuration options."""
    with duckdb.connect(":memory:") as probe:
        return frozenset(
            row[0] for row in probe.execute("SELECT name FROM duckdb_settings()").fetchall()
        )


def locked_config() -> dict[str, Any]:
    """The ``duckdb.connect(config=...)`` of the warehouse: no external access, locked.

    Options this DuckDB version does not know are left out, except the essential ones.
    """
    known = engine_setting_names()
    missing = [name for name in (*_REQUIRED_LOCKS, "lock_configuration") if name not in known]
    if missing:
        raise RuntimeError(f"this DuckDB cannot be locked down (no {', '.join(missing)})")
    config = dict(_REQUIRED_LOCKS)
    config.update({k: v for k, v in _OPTIONAL_LOCKS.items() if k in known})
    config["lock_configuration"] = True
    return config


class SqlError(Exception):
    """A statement failed; ``message`` is the ``ODPS-NNNNNNN:...`` text of the failed task."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Statement:
    """One translated statement; ``describe`` is set for ``desc TABLE``."""

    sql: str
    describe: str | None = None
    returns_rows: bool = False
    """Whether its result is a row set (rendered as CSV) rather than a DDL/DML outcome."""


@dataclass
class Compiled:
    """A task's query, checked and translated, with the stages it will run through."""

    project: str
    statements: list[Statement]
    stages: list[Stage] = field(default_factory=list)
    inputs: list[InputTable] = field(default_factory=list)
    """The tables it reads and their sizes now."""
    plan: list[str] = field(default_factory=list)
    """DuckDB's physical plan of a single-statement query (lines by :func:`plans.parse_plan`)."""
    udfs: int = 0
    """How many distinct user-defined functions (DuckDB macros of the project) it calls."""


@dataclass
class Outcome:
    """What a successful task returns: the result text, its format and the rows it produced."""

    text: str
    format: str
    rows: int


class Execution:
    """Handle on a running statement so another thread can interrupt it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self.cancelled = False

    def attach(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Remember the cursor doing the work (interrupting it from now on)."""
        with self._lock:
            self._cursor = cursor
            if self.cancelled:
                cursor.interrupt()

    def interrupt(self) -> None:
        """Stop the statement as soon as DuckDB can."""
        with self._lock:
            self.cancelled = True
            if self._cursor is not None:
                self._cursor.interrupt()


def split_statements(query: str) -> list[str]:
    """Split on ``;`` outside quotes and comments; drop empty pieces."""
    out: list[str] = []
    current: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(query):
        ch = query[i]
        if quote:
            current.append(ch)
            if ch == "\\" and i + 1 < len(query):
                current.append(query[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            current.append(ch)
        elif ch == "-" and query.startswith("--", i):
            end = query.find("\n", i)
            i = len(query) if end < 0 else end
            continue
        elif ch == ";":
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    out.append("".join(current).strip())
    return [s for s in out if s]


def translate(statement: str, engine_settings: frozenset[str] = frozenset()) -> list[Statement]:
    """MaxCompute SQL -> DuckDB statements.

    ``set key=value`` statements vanish (they are hints, like MaxCompute's dotted flags),
    except for a key naming one of ``engine_settings`` (DuckDB's own options): those go to
    DuckDB, whose locked configuration refuses them.
    """
    is_set = _SET.match(statement)
    if is_set:
        if is_set.group(1).lower() in engine_settings:
            return [Statement(statement)]
        return []
    desc = _DESC.match(statement)
    if desc:
        return [Statement(f"DESCRIBE {desc.group(1)}", describe=desc.group(1))]
    sql = _COMMENT.sub("", _LIFECYCLE.sub("", statement))
    overwrite = _INSERT_OVERWRITE.match(sql)
    if overwrite:
        table = overwrite.group(1)
        return [
            Statement(f"DELETE FROM {table}"),
            Statement(f"INSERT INTO {table}{sql[overwrite.end() :]}"),
        ]
    return [Statement(_INSERT_TABLE.sub("INSERT INTO ", sql))]


def _position(text: str, skew: int) -> str:
    match = _CARET.search(text)
    if not match:
        return ""
    line = int(match.group(1))
    column = len(match.group(3)) - len(f"LINE {line}: ") + 1 - (skew if line == 1 else 0)
    return f"[{line},{max(column, 1)}] "


def odps_message(exc: duckdb.Error, skew: int = 0) -> str:
    """The failed task's text for a DuckDB error, keeping DuckDB's own first line."""
    text = str(exc)
    first = text.split("\n", 1)[0]
    where = _position(text, skew)
    if isinstance(exc, duckdb.ParserException):
        return f"ODPS-0130161:{where}Parse exception - {first}"
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in first:
        return f"ODPS-0130071:{where}{_DENIED} - {first}"
    if (
        isinstance(exc, duckdb.CatalogException)
        and "does not exist" in first
        and ("Table" in first or "table" in first)
    ):
        return f"ODPS-0130131:{where}Table not found - {first}"
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        return f"ODPS-0130071:{where}Semantic analysis exception - {first}"
    if isinstance(exc, duckdb.InterruptException):
        return "ODPS-0130071:Task cancelled - statement interrupted"
    return f"ODPS-0121095:{where}Invalid argument - {first}"


def _csv_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return str(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value)
    return '"' + text.replace('"', '""') + '"'


def render_csv(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """MaxCompute's SELECT result text: quoted header, one line per row, ``\\N`` for NULL."""
    names = [c if _IDENTIFIER.fullmatch(c) else f"_c{i}" for i, c in enumerate(columns)]
    lines = [",".join(f'"{n}"' for n in names)]
    lines.extend(",".join(_csv_value(v) for v in row) for row in rows)
    return "\n".join(lines) + "\n"


def render_describe(project: str, table: str, columns: list[tuple[Any, ...]]) -> str:
    """The text table ``desc TABLE`` prints (project, table, then the native columns)."""
    rule = "+" + "-" * 76 + "+"

    def row(text: str) -> str:
        return f"| {text:<74} |"

    lines = [rule, row(f"Project: {project}"), row(f"Table: {table}"), rule]
    lines += [row("Native Columns:"), rule, row(f"{'Field':<16}| {'Type':<11}| Comment"), rule]
    for name, type_name, *_ in columns:
        mc_type = _TYPE_NAMES.get(str(type_name), str(type_name).lower())
        lines.append(row(f"{name:<16}| {mc_type:<11}|"))
    lines.append(rule)
    return "\n".join(lines) + "\n"


class Warehouse:
    """The DuckDB database behind every project's tables."""

    def __init__(
        self,
        path: Path,
        projects: tuple[str, ...],
        iris_project: str,
        max_result_rows: int = 10000,
    ) -> None:
        self.max_result_rows = max_result_rows
        self._cursor_lock = threading.Lock()
        self._engine_settings = engine_setting_names()
        self._db = duckdb.connect(str(path), config=locked_config())
        for project in projects:
            self._db.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote(project)}")
        self._load_iris(iris_project)
        # DuckDB creates its files with the umask's mode: make them 0600. The data dir
        # (0700) guards the WAL DuckDB recreates after a checkpoint.
        datadir.restrict(path, path.with_name(path.name + ".wal"))

    def _load_iris(self, project: str) -> None:
        schema = _quote(project)
        exists = self._db.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
            [project, IRIS_TABLE],
        ).fetchone()
        if exists and exists[0]:
            return
        # Read by Python: the locked connection cannot read files.
        with IRIS_CSV.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)  # header
            rows = [(*(float(v) for v in row[:4]), row[4]) for row in reader if row]
        values = ", ".join(["(?, ?, ?, ?, ?)"] * len(rows))
        self._db.execute(f"CREATE TABLE {schema}.{IRIS_TABLE} ({_IRIS_COLUMNS})")
        self._db.execute(
            f"INSERT INTO {schema}.{IRIS_TABLE} VALUES {values}", [v for row in rows for v in row]
        )

    def close(self) -> None:
        """Checkpoint and close the database."""
        self._db.close()

    def _cursor(self, project: str) -> duckdb.DuckDBPyConnection:
        # The parent connection is shared by the worker threads: only derive cursors from
        # it, one thread at a time, and do all work on the cursor.
        with self._cursor_lock:
            cursor = self._db.cursor()
        cursor.execute(f"SET schema = '{project.replace(chr(39), chr(39) * 2)}'")
        return cursor

    @staticmethod
    def _table_rows(cursor: duckdb.DuckDBPyConnection, project: str) -> Callable[[str], int]:
        """A function giving the (estimated) row count of a table name as written in a query."""

        def rows(name: str) -> int:
            schema, _, table = name.rpartition(".")
            found = cursor.execute(
                "SELECT estimated_size FROM duckdb_tables() WHERE schema_name = ? "
                "AND lower(table_name) = lower(?)",
                [schema or project, table],
            ).fetchone()
            return int(found[0]) if found else 0

        return rows

    def compile(self, project: str, query: str) -> Compiled:
        """Translate and check a task's query without running it; raises :class:`SqlError`.

        A single statement is also planned by DuckDB: its plan names the tables it reads.
        """
        statements = [
            t for s in split_statements(query) for t in translate(s, self._engine_settings)
        ]
        # One cursor per call: DuckDB connections must not be shared between threads.
        cursor = self._cursor(project)
        try:
            plan = plans.Plan([], [])
            for statement in statements:
                explained = self._check(cursor, statement, alone=len(statements) == 1)
                if explained:
                    plan = plans.parse_plan(explained)
            rows = self._table_rows(cursor, project)
            planned: list[Stage] = []
            for statement in statements:
                if statement.describe is None:
                    planned = stages.plan(statement.sql, rows) or planned
            names = plan.tables or self._existing(cursor, project, stages.table_names(query))
            inputs = [self._measure(cursor, name) for name in names]
            udfs = self._udfs(cursor, project, query)
        finally:
            cursor.close()
        return Compiled(project, statements, planned, inputs, plan.lines, udfs)

    @staticmethod
    def _existing(cursor: duckdb.DuckDBPyConnection, project: str, names: list[str]) -> list[str]:
        """``schema.table`` of each name (as a query writes it) that is an existing table."""
        found: list[str] = []
        for name in names:
            schema, _, table = name.rpartition(".")
            row = cursor.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name = ? "
                "AND lower(table_name) = lower(?)",
                [schema or project, table],
            ).fetchone()
            if row is not None:
                found.append(f"{row[0]}.{row[1]}")
        return list(dict.fromkeys(found))

    @staticmethod
    def _measure(cursor: duckdb.DuckDBPyConnection, qualified: str) -> InputTable:
        """Records and bytes of a table: fixed-width columns by type, the others by content."""
        schema, _, table = qualified.partition(".")
        columns = cursor.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? "
            "AND table_name = ? ORDER BY column_index",
            [schema, table],
        ).fetchall()
        fixed = 0
        measured = []
        for name, data_type in columns:
            type_name = str(data_type).upper()
            width = _WIDTHS.get(type_name, 16 if type_name.startswith("DECIMAL") else None)
            if width is not None:
                fixed += width
            elif type_name == "BLOB":
                measured.append(f"coalesce(sum(octet_length({_quote(name)})), 0)")
            else:
                measured.append(f"coalesce(sum(strlen(CAST({_quote(name)} AS VARCHAR))), 0)")
        sums = "".join(f", {m}" for m in measured)
        source = f"{_quote(schema)}.{_quote(table)}"
        row = cursor.execute(f"SELECT count(*){sums} FROM {source}").fetchone()
        records = int(row[0]) if row else 0
        variable = sum(int(v) for v in row[1:]) if row else 0
        return InputTable(qualified, records, records * fixed + variable)

    @staticmethod
    def _udfs(cursor: duckdb.DuckDBPyConnection, project: str, query: str) -> int:
        """Distinct user-defined functions (the project's DuckDB macros) the query calls."""
        called = plans.called_functions(query)
        if not called:
            return 0
        defined = cursor.execute(
            "SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
            "WHERE NOT internal AND schema_name = ?",
            [project],
        ).fetchall()
        return len(called & {str(row[0]) for row in defined})

    @staticmethod
    def _check(cursor: duckdb.DuckDBPyConnection, statement: Statement, alone: bool) -> str:
        """Parse a statement (syntax errors fail now); bind it too when it is the only one.

        A lone statement can be bound at once, so a missing table fails immediately as on
        the service; in a script, later statements may need the earlier DDL to have run.
        Returns DuckDB's JSON plan of a lone statement ("" when there is none).
        """
        try:
            if statement.describe is not None:
                if alone:
                    cursor.execute(statement.sql)
                return ""
            parsed = cursor.extract_statements(statement.sql)
        except duckdb.Error as exc:
            raise SqlError(odps_message(exc)) from exc
        statement.returns_rows = bool(parsed) and parsed[-1].type not in _NO_ROWS
        if not alone or not parsed or parsed[0].type == _TRANSACTION:
            return ""
        try:
            row = cursor.execute(_EXPLAIN + statement.sql).fetchone()
        except duckdb.ParserException:
            return ""  # it parsed alone: EXPLAIN cannot take this kind (ATTACH, EXPORT, USE...)
        except duckdb.Error as exc:
            raise SqlError(odps_message(exc, skew=len(_EXPLAIN))) from exc
        return str(row[1]) if row is not None and len(row) > 1 else ""

    def execute(
        self, compiled: Compiled, execution: Execution, keep: ResultSink | None = None
    ) -> Outcome:
        """Run a compiled query in one transaction; the last statement's output is the result.

        With ``keep``, a row set's whole result is also handed to it (as Arrow batches) for
        the instance tunnel; the text result stays capped at ``max_result_rows``.
        """
        cursor = self._cursor(compiled.project)
        execution.attach(cursor)
        outcome = Outcome("OK", "text", 0)
        try:
            cursor.execute("BEGIN TRANSACTION")
            for statement in compiled.statements:
                cursor.execute(statement.sql)
                if statement.describe is not None:
                    text = render_describe(compiled.project, statement.describe, cursor.fetchall())
                    outcome = Outcome(text, "text", 0)
                    continue
                if cursor.description is None or not statement.returns_rows:
                    outcome = Outcome("OK", "text", 0)
                    continue
                columns = [d[0] for d in cursor.description]
                if keep is None:
                    rows = cursor.fetchmany(self.max_result_rows)
                else:
                    rows = self._keep(cursor, keep)
                outcome = Outcome(render_csv(columns, rows), "csv", len(rows))
            cursor.execute("COMMIT")
        except duckdb.Error as exc:
            _rollback(cursor)
            raise SqlError(odps_message(exc)) from exc
        finally:
            cursor.close()
        return outcome

    def _keep(self, cursor: duckdb.DuckDBPyConnection, keep: ResultSink) -> list[tuple[Any, ...]]:
        """Stream the whole result to ``keep``; return its first rows as DuckDB gives them.

        The query runs once: its Arrow batches go to the sink, and the text result's rows
        are read back from the first batches by a private in-memory DuckDB, so they convert
        to Python exactly as ``fetchmany`` would have.
        """
        with warnings.catch_warnings():
            # DuckDB notes that a cursor's result is buffered before it is streamed: the
            # cursor is what the statement ran on, so that is the price of one execution.
            warnings.simplefilter("ignore", UserWarning)
            reader = cursor.to_arrow_reader(_KEEP_BATCH_ROWS)
        if reader is None:  # no result set after all
            return []
        head: list[pa.RecordBatch] = []
        held = 0

        def batches() -> Iterator[pa.RecordBatch]:
            nonlocal held
            for batch in reader:
                if held < self.max_result_rows:
                    head.append(batch)
                    held += batch.num_rows
                yield batch

        keep(reader.schema, batches())
        if not head:
            return []
        with duckdb.connect(":memory:") as scratch:
            first = pa.Table.from_batches(head, reader.schema)
            return scratch.from_arrow(first).limit(self.max_result_rows).fetchall()


def _rollback(cursor: duckdb.DuckDBPyConnection) -> None:
    # The transaction may already be gone (interrupted, or failed at BEGIN).
    with contextlib.suppress(duckdb.Error):
        cursor.execute("ROLLBACK")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
