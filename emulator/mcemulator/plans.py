"""What a query costs: DuckDB's plan, the tables it reads, MaxCompute's complexity and UDF count.

The summary, the cost of a task (``Cost{CPU, Memory, Input}``) and a cost estimate
(``SQLCost``) all follow from the query: the operators and scanned tables of DuckDB's
physical plan (``EXPLAIN (FORMAT JSON)``), the sizes of those tables, the stages the task
runs through, and MaxCompute's rule for SQL complexity (a count of JOIN, GROUP BY,
ORDER BY, DISTINCT, window functions and INSERTs).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from mcemulator import stages
from mcemulator.model import InputTable, Task

_STRING_OR_COMMENT = re.compile(
    r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|--[^\n]*|/\*.*?\*/", re.S
)
_KEYWORDS = {
    "join": re.compile(r"\bjoin\b", re.I),
    "group by": re.compile(r"\bgroup\s+by\b", re.I),
    "order by": re.compile(r"\border\s+by\b", re.I),
    "distinct": re.compile(r"\bdistinct\b", re.I),
    "window": re.compile(r"\bover\s*\(", re.I),
}
_INSERT = re.compile(r"\binsert\s+(?:into|overwrite)\b", re.I)
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")

CPU_PER_WORKER_SECOND = 100
"""The service counts CPU in units of 0.01 core-second (the Java SDK: "100core*second")."""
MEMORY_MB_PER_WORKER = 1024
"""Memory of one worker in MB (MaxCompute's default for mappers, joiners and reducers)."""
RECORDS_PER_CPU_UNIT = 1000
"""Records a worker processes per CPU unit, on top of its time."""


def strip_literals(query: str) -> str:
    """The query without string literals and comments (keywords in them do not count)."""
    return _STRING_OR_COMMENT.sub(" ", query)


def keyword_count(query: str) -> int:
    """MaxCompute's SQL keyword count: JOINs, GROUP BYs, ORDER BYs, DISTINCTs and window
    functions, plus ``max(INSERT statements - 1, 1)``."""
    text = strip_literals(query)
    counted = sum(len(pattern.findall(text)) for pattern in _KEYWORDS.values())
    return counted + max(len(_INSERT.findall(text)) - 1, 1)


def complexity(query: str) -> float:
    """MaxCompute's SQL complexity: 1 for at most 3 keywords, 1.5 up to 6, 2 up to 19, else 4."""
    count = keyword_count(query)
    if count <= 3:
        return 1.0
    if count <= 6:
        return 1.5
    if count <= 19:
        return 2.0
    return 4.0


def called_functions(query: str) -> set[str]:
    """Lower-cased names the query calls as functions (keywords followed by ``(`` included;
    callers intersect with real function names)."""
    return {name.lower() for name in _CALL.findall(strip_literals(query))}


@dataclass(frozen=True)
class Plan:
    """DuckDB's physical plan of one statement."""

    lines: list[str]
    """One line per operator, indented by depth, with its table and estimated rows."""
    tables: list[str]
    """Scanned tables as ``schema.table`` (the project is DuckDB's schema), in plan order."""


def parse_plan(text: str) -> Plan:
    """The operators and scanned tables of ``EXPLAIN (FORMAT JSON)`` output."""
    lines: list[str] = []
    tables: list[str] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        info = node.get("extra_info") or {}
        name = str(node.get("name", "?"))
        line = "  " * depth + name
        table = info.get("Table") if isinstance(info, dict) else None
        if isinstance(table, str) and table:
            qualified = ".".join(table.split(".")[-2:])
            tables.append(qualified)
            line += f" {qualified}"
        rows = info.get("Estimated Cardinality") if isinstance(info, dict) else None
        if rows is not None:
            line += f" (~{rows} rows)"
        lines.append(line)
        for child in node.get("children") or []:
            if isinstance(child, dict):
                walk(child, depth + 1)

    try:
        roots = json.loads(text)
    except ValueError:
        return Plan([], [])
    for root in roots if isinstance(roots, list) else [roots]:
        if isinstance(root, dict):
            walk(root, 0)
    return Plan(lines, list(dict.fromkeys(tables)))


@dataclass(frozen=True)
class Cost:
    """A task's resource use so far: CPU in 0.01 core-seconds, memory in MB-seconds, input
    in bytes (the summary's ``Cost``)."""

    cpu: int
    memory: int
    input: int


def input_bytes(task: Task) -> int:
    """Bytes of every table the task reads."""
    return sum(t.bytes for t in task.inputs)


def _row_bytes(inputs: list[InputTable]) -> float:
    records = sum(t.records for t in inputs)
    return sum(t.bytes for t in inputs) / records if records else 0.0


def task_cost(task: Task, now: float) -> Cost:
    """CPU and memory of the stages' work up to ``now``, and the input size.

    Each stage's workers are busy for the stage's share of the simulated duration, as far as
    the stage has got; each also pays for the records it reads. A started stage costs at
    least one unit of each.
    """
    row_bytes = _row_bytes(task.inputs)
    cpu = memory = 0
    for stage, counters in zip(task.stages, stages.progress(task, now), strict=True):
        part = counters.finished_percentage / 100
        if part <= 0:
            continue
        busy = stage.total_workers * part * (stage.end - stage.start) * task.duration
        records = part * stage.input_records
        work = math.ceil(records / RECORDS_PER_CPU_UNIT)
        cpu += max(1, round(busy * CPU_PER_WORKER_SECOND) + work)
        memory += max(
            1, round(busy * MEMORY_MB_PER_WORKER) + math.ceil(records * row_bytes / 2**20)
        )
    return Cost(cpu, memory, input_bytes(task))


def sql_cost(task: Task, udfs: int) -> dict[str, Any]:
    """The result of a ``SQLCost`` task, as the service sends it and the SDKs parse it."""
    return {
        "Cost": {
            "SQL": {
                "Input": input_bytes(task),
                "UDF": udfs,
                "Complexity": complexity(task.query),
            }
        }
    }
