"""Request bodies: the SQL and XFlow job documents, stop, and the logview-token policy.

The SQL document is byte-identical to what PyODPS 0.13.2 serialises for the same job
(maxcompute-rest.md §5.1), so the server sees nothing unusual.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from xml.sax.saxutils import escape

__all__ = [
    "DEFAULT_SQL_COST_TASK_NAME",
    "DEFAULT_SQL_TASK_NAME",
    "QUOTA_SETTING",
    "REQUEST_ID_SETTING",
    "STOP_BODY",
    "logview_token_body",
    "normalize_query",
    "sql_job_xml",
    "xflow_job_xml",
]

DEFAULT_SQL_TASK_NAME = "AnonymousSQLTask"
DEFAULT_SQL_COST_TASK_NAME = "AnonymousSQLCostTask"
"""PyODPS's name of the one ``SQLCost`` task of ``execute_sql_cost``."""
QUOTA_SETTING = "odps.task.wlm.quota"
"""Settings key that names the quota a job runs in (PyODPS ``quota_name``)."""
REQUEST_ID_SETTING = "mcgateway.request_id"
"""Settings key (and XFlow config property) that carries the caller's request id."""

_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

STOP_BODY = (_DECLARATION + "<Instance>\n  <Status>Terminated</Status>\n</Instance>\n").encode()
"""The stop request body, exactly PyODPS's (92 bytes)."""


def normalize_query(query: str) -> str:
    """Strip whitespace and append ``;`` when missing, as PyODPS does."""
    text = query.strip()
    if not text.endswith(";"):
        text += ";"
    return text


def _cdata(text: str) -> str:
    # A literal "]]>" would end the section early (PyODPS has this bug); split it across
    # two sections so the server reads the original text back.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _property(indent: str, name: str, value: str) -> str:
    return (
        f"{indent}<Property>\n"
        f"{indent}  <Name>{escape(name)}</Name>\n"
        f"{indent}  <Value>{escape(value)}</Value>\n"
        f"{indent}</Property>\n"
    )


def sql_job_xml(
    query: str,
    *,
    settings: Mapping[str, str],
    priority: int,
    task_name: str = DEFAULT_SQL_TASK_NAME,
    guid: str | None = None,
    uuid: str | None = None,
    job_name: str | None = None,
    running_cluster: str | None = None,
    task_type: str = "SQL",
) -> bytes:
    """The ``<Instance><Job>`` create body for one SQL task (``task_type`` ``SQLCost`` for a
    cost estimate, PyODPS ``SQLCostTask``).

    Children of ``Job`` follow PyODPS's order (``Name``, ``Priority``, ``RunningCluster``,
    ``Guid``, ``Tasks``, ``DAG``); the task's ``Config`` holds ``settings`` (JSON, in the
    order given) then ``uuid``; the query is normalised and wrapped in CDATA.
    """
    if task_type not in ("SQL", "SQLCost"):
        raise ValueError(f"unsupported SQL task type {task_type!r}")
    if priority < 0:
        raise ValueError("priority must be >= 0")
    lines = [_DECLARATION, "<Instance>\n", "  <Job>\n"]
    if job_name is not None:
        lines.append(f"    <Name>{escape(job_name)}</Name>\n")
    lines.append(f"    <Priority>{priority}</Priority>\n")
    if running_cluster is not None:
        lines.append(f"    <RunningCluster>{escape(running_cluster)}</RunningCluster>\n")
    if guid is not None:
        lines.append(f"    <Guid>{escape(guid)}</Guid>\n")
    lines.append(f"    <Tasks>\n      <{task_type}>\n")
    lines.append(f"        <Name>{escape(task_name)}</Name>\n")
    lines.append("        <Config>\n")
    lines.append(_property("          ", "settings", json.dumps(dict(settings))))
    if uuid is not None:
        lines.append(_property("          ", "uuid", uuid))
    lines.append("        </Config>\n")
    lines.append(f"        <Query>{_cdata(normalize_query(query))}</Query>\n")
    lines.append(f"      </{task_type}>\n    </Tasks>\n")
    lines.append("    <DAG>\n      <RunMode>Sequence</RunMode>\n    </DAG>\n")
    lines.append("  </Job>\n</Instance>\n")
    return "".join(lines).encode("utf-8")


def xflow_job_xml(
    project: str,
    xflow_project: str,
    xflow_name: str,
    parameters: Mapping[str, str],
    *,
    config: Mapping[str, str],
    priority: int | None = None,
) -> bytes:
    """The ``<Instance><XflowInstance>`` create body (maxcompute-rest.md §5.14).

    Parameters are rewritten as PyODPS does: ``modelName`` without ``/`` becomes
    ``{project}/offlinemodels/{name}``, ``inputTableName``/``outputTableName`` without ``.``
    become ``{project}.{name}``.
    """
    if priority is not None and priority < 0:
        raise ValueError("priority must be >= 0")
    lines = [_DECLARATION, "<Instance>\n", "  <XflowInstance>\n"]
    lines.append(f"    <Project>{escape(xflow_project)}</Project>\n")
    lines.append(f"    <Xflow>{escape(xflow_name)}</Xflow>\n")
    lines.append("    <Parameters>\n")
    for key, value in parameters.items():
        value = _rewrite_parameter(project, key, value)
        lines.append(
            f"      <Parameter>\n        <Key>{escape(key)}</Key>\n"
            f"        <Value>{escape(value)}</Value>\n      </Parameter>\n"
        )
    lines.append("    </Parameters>\n")
    if priority is not None:
        lines.append(f"    <Priority>{priority}</Priority>\n")
    if config:
        lines.append("    <Config>\n")
        for name, value in config.items():
            lines.append(_property("      ", name, value))
        lines.append("    </Config>\n")
    lines.append("  </XflowInstance>\n</Instance>\n")
    return "".join(lines).encode("utf-8")


def _rewrite_parameter(project: str, key: str, value: str) -> str:
    if key == "modelName" and "/" not in value:
        return f"{project}/offlinemodels/{value}"
    if key in ("inputTableName", "outputTableName") and "." not in value:
        return f"{project}.{value}"
    return value


def logview_token_body(project: str, instance_id: str, hours: int) -> bytes:
    """The JSON body of ``POST /projects/{p}/authorization?sign_bearer_token``."""
    policy = {
        "Statement": [
            {
                "Action": ["odps:Read"],
                "Effect": "Allow",
                "Resource": f"acs:odps:*:projects/{project}/instances/{instance_id}",
            }
        ],
        "Version": "1",
    }
    return json.dumps({"expires_in_hours": hours, "policy": policy}).encode("utf-8")
