"""Request bodies, with PyODPS's own serializer as the oracle."""

from __future__ import annotations

import json

from mcgateway.maxcompute._jobs import (
    STOP_BODY,
    logview_token_body,
    normalize_query,
    sql_job_xml,
    xflow_job_xml,
)
from mcgateway.maxcompute._parsing import parse_document, parse_job, parse_xflow_config
from odps.models import SQLTask
from odps.models.instances import Instances


def _pyodps_sql_body(
    query: str, settings: dict[str, str], priority: int, guid: str, uuid: str
) -> bytes:
    task = SQLTask(query=query)
    task.set_property("settings", json.dumps(settings))
    job = Instances._create_job(task=task, priority=priority, unique_identifier_id=guid, uuid_=uuid)
    return str(Instances._get_submit_instance_content(job)).encode()


def test_sql_body_is_byte_identical_to_pyodps() -> None:
    settings = {"odps.sql.mapper.split.size": "16", "mcgateway.request_id": "rid-1"}
    ours = sql_job_xml(
        "select a, b from t where x = 1 and s = '<&>'",
        settings=settings,
        priority=9,
        guid="rid-1",
        uuid="rid-1",
    )
    theirs = _pyodps_sql_body(
        "select a, b from t where x = 1 and s = '<&>';", settings, 9, "rid-1", "rid-1"
    )
    assert ours == theirs


def test_sql_body_shape() -> None:
    body = sql_job_xml("  select 1  ", settings={"k": "v"}, priority=1, job_name="n&1").decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>\n<Instance>\n  <Job>\n')
    assert "<Name>n&amp;1</Name>\n    <Priority>1</Priority>" in body
    assert "<Query><![CDATA[select 1;]]></Query>" in body
    assert "<Guid>" not in body
    assert body.endswith(
        "<DAG>\n      <RunMode>Sequence</RunMode>\n    </DAG>\n  </Job>\n</Instance>\n"
    )
    job = parse_job(parse_document(body))
    assert job.priority == 1 and job.tasks[0].property_map["settings"] == '{"k": "v"}'


def test_query_with_cdata_terminator_round_trips() -> None:
    query = "select ']]>' as x;"
    job = parse_job(parse_document(sql_job_xml(query, settings={}, priority=9)))
    assert job.tasks[0].query == query


def test_normalize_query() -> None:
    assert normalize_query(" select 1 ") == "select 1;"
    assert normalize_query("select 1;\n") == "select 1;"


def test_stop_body_matches_vector() -> None:
    assert len(STOP_BODY) == 92
    assert STOP_BODY == (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b"<Instance>\n  <Status>Terminated</Status>\n</Instance>\n"
    )


def test_xflow_body() -> None:
    body = xflow_job_xml(
        "demo",
        "algo_public",
        "AppendID",
        {"inputTableName": "iris", "outputTableName": "other.t", "modelName": "m1", "x": "1"},
        config={"mcgateway.request_id": "r"},
        priority=3,
    ).decode()
    assert "<Project>algo_public</Project>\n    <Xflow>AppendID</Xflow>" in body
    assert "<Key>inputTableName</Key>\n        <Value>demo.iris</Value>" in body
    assert "<Value>other.t</Value>" in body
    assert "<Value>demo/offlinemodels/m1</Value>" in body
    assert (
        body.index("</Parameters>") < body.index("<Priority>3</Priority>") < body.index("<Config>")
    )
    assert parse_xflow_config(parse_document(body)) == {"mcgateway.request_id": "r"}
    bare = xflow_job_xml("demo", "algo_public", "X", {}, config={}).decode()
    assert (
        "<Parameters>\n    </Parameters>" in bare
        and "<Priority>" not in bare
        and "<Config>" not in bare
    )


def test_logview_token_body_matches_pyodps() -> None:
    expected = (
        '{"expires_in_hours": 720, "policy": {"Statement": [{"Action": ["odps:Read"], '
        '"Effect": "Allow", "Resource": "acs:odps:*:projects/demo/instances/ID"}], "Version": "1"}}'
    )
    assert logview_token_body("demo", "ID", 720).decode() == expected
