"""XFlow (PAI) runs: which actions an algorithm goes through and the SQL each sub-instance runs.

The emulator has no machine-learning engine; an XFlow is modelled as the data movement
the algorithm does on MaxCompute: a local preparation node, a statistics scan of the input
table and, when an output table is named, a sub-instance writing it (``AppendID`` adds the
id column it is named after). Each ``Instance`` action becomes a real SQL instance.
"""

from __future__ import annotations

import re

from mcemulator.model import Action, XflowSpec

_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?$")


def _table(spec: XflowSpec, key: str) -> str | None:
    value = spec.parameters.get(key, "").strip()
    return value if _NAME.match(value) else None


def _columns(spec: XflowSpec) -> str:
    names = [c.strip() for c in spec.parameters.get("selectedColNames", "").split(",")]
    picked = [c for c in names if re.fullmatch(r"[A-Za-z_]\w*", c)]
    return ", ".join(picked) if picked else "*"


def plan_actions(spec: XflowSpec) -> list[Action]:
    """The ordered actions of one XFlow run (``Local`` ones spawn no instance)."""
    base = spec.xflow.lower()
    actions = [Action(f"{base}_prepare", "Local")]
    source = _table(spec, "inputTableName")
    target = _table(spec, "outputTableName")
    if source is None:
        actions.append(Action(f"{base}_1", "Instance", query="SELECT 1 AS ok;"))
        return actions
    actions.append(Action(f"{base}_1", "Instance", query=f"SELECT count(*) FROM {source};"))
    if target is not None:
        columns = _columns(spec)
        id_column = spec.parameters.get("IDColName", "append_id")
        if spec.xflow == "AppendID" and re.fullmatch(r"[A-Za-z_]\w*", id_column):
            columns += f", row_number() OVER () - 1 AS {id_column}"
        query = f"CREATE TABLE {target} AS SELECT {columns} FROM {source};"
        actions.append(Action(f"{base}_2", "Instance", query=query))
    return actions
