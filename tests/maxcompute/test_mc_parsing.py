"""XML parsing of every response shape in maxcompute-rest.md, and hostile XML."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime

import pytest
from mcgateway.domain import InstanceStatus, TaskStatus, XFlowNodeType
from mcgateway.maxcompute._parsing import (
    MalformedDocument,
    excerpt,
    parse_authorization_token,
    parse_document,
    parse_instance,
    parse_instance_page,
    parse_job,
    parse_rfc1123,
    parse_stages,
    parse_task_results,
    parse_tasks,
    parse_xflow_actions,
    parse_xflow_config,
)


def test_instance_with_headers() -> None:
    root = parse_document(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Instance><Status>Running</Status>'
        b"<Unknown><Deep/></Unknown></Instance>"
    )
    inst = parse_instance(
        root,
        "demo",
        "i1",
        {
            "X-Odps-Owner": "ALIYUN$user@example.com",
            "x-odps-start-time": "Thu, 19 May 2016 10:13:49 GMT",
            "x-odps-end-time": "",
        },
    )
    assert inst.status is InstanceStatus.RUNNING
    assert inst.owner == "ALIYUN$user@example.com"
    assert inst.start_time == datetime(2016, 5, 19, 10, 13, 49, tzinfo=UTC)
    assert inst.start_time.tzinfo is not None
    assert inst.end_time is None
    assert not inst.is_terminated


def test_instance_status_is_case_sensitive() -> None:
    with pytest.raises(MalformedDocument):
        parse_instance(parse_document("<Instance><Status>running</Status></Instance>"), "p", "i")
    with pytest.raises(MalformedDocument):
        parse_instance(parse_document("<Instance/>"), "p", "i")


def test_task_statuses_sample_from_php_sdk() -> None:
    root = parse_document(
        """<?xml version="1.0" encoding="UTF-8"?>
<Instance>
  <Status>Terminated</Status>
  <Tasks>
    <Task Type="SQL">
      <Name>AnonymousSQLTask</Name>
      <StartTime>Fri, 15 Dec 2017 14:02:04 GMT</StartTime>
      <EndTime>Fri, 15 Dec 2017 14:02:16 GMT</EndTime>
      <Status>Success</Status>
      <Histories/>
    </Task>
    <Task><Name>second</Name><Status>cancelled</Status><StartTime/></Task>
  </Tasks>
</Instance>"""
    )
    tasks = parse_tasks(root)
    assert [t.name for t in tasks] == ["AnonymousSQLTask", "second"]
    assert tasks[0].type == "SQL"
    assert tasks[0].status is TaskStatus.SUCCESS
    assert tasks[0].end_time == datetime(2017, 12, 15, 14, 2, 16, tzinfo=UTC)
    assert tasks[1].status is TaskStatus.CANCELLED  # case-insensitive, as PyODPS
    assert tasks[1].type is None and tasks[1].start_time is None
    with pytest.raises(MalformedDocument):
        parse_tasks(
            parse_document(
                "<I><Tasks><Task><Name>x</Name><Status>Terminated</Status></Task></Tasks></I>"
            )
        )


def test_instance_list_page() -> None:
    root = parse_document(
        """<?xml version="1.0" encoding="UTF-8"?>
<Instances>
  <Marker>20261126135111377gys5orv96o</Marker>
  <MaxItems>2</MaxItems>
  <Instance>
    <Name>20261126135109027gb1fqsa43z</Name>
    <Owner>ALIYUN$tester@example.com</Owner>
    <StartTime>Thu, 26 Nov 2026 13:51:09 GMT</StartTime>
    <EndTime>Thu, 26 Nov 2026 13:51:10 GMT</EndTime>
    <Status>Terminated</Status>
  </Instance>
  <Instance><Name>only-name</Name></Instance>
</Instances>"""
    )
    page = parse_instance_page(root, "demo")
    assert page.next_marker == "20261126135111377gys5orv96o"
    assert [i.id for i in page.instances] == ["20261126135109027gb1fqsa43z", "only-name"]
    assert page.instances[0].status is InstanceStatus.TERMINATED
    assert page.instances[0].project == "demo"
    assert page.instances[0].owner == "ALIYUN$tester@example.com"
    for body in (
        "<Instances><Marker/></Instances>",
        "<Instances/>",
        "<Instances><Marker> </Marker></Instances>",
    ):
        last = parse_instance_page(parse_document(body), "demo")
        assert last.next_marker is None and last.instances == ()


def test_task_results_base64_cdata_and_escaped() -> None:
    csv = '"a","b"\n1,"x"\n'
    encoded = base64.b64encode(csv.encode()).decode()
    root = parse_document(
        f"""<Instance><Tasks>
  <Task Type="SQL"><Name>t1</Name><Result Transform="Base64" Format="csv">{encoded}</Result>
    <ResultDescriptor>{{"IsSelect": true}}</ResultDescriptor><Status>Success</Status></Task>
  <Task><Name>t2</Name>
    <Result Format="text"><![CDATA[ODPS-0130161:[1,8] Parse <x> & y]]></Result></Task>
  <Task><Name>t3</Name>
    <Result Format="text">ODPS-0130161:[1,8] Parse &lt;x&gt; &amp; y</Result></Task>
  <Task><Name>t4</Name></Task>
</Tasks></Instance>"""
    )
    results = parse_task_results(root)
    assert [r.task_name for r in results] == ["t1", "t2", "t3", "t4"]
    assert results[0].content == csv and results[0].format == "csv"
    assert results[0].status is TaskStatus.SUCCESS and results[0].type == "SQL"
    assert results[1].content == results[2].content == "ODPS-0130161:[1,8] Parse <x> & y"
    assert results[3].content == "" and results[3].format is None


def test_progress_stages() -> None:
    root = parse_document(
        """<?xml version="1.0" encoding="UTF-8"?>
<Progress>
  <Stage ID="M1_job_0">
    <Status>TERMINATED</Status>
    <BackupWorkers>0</BackupWorkers>
    <TerminatedWorkers>1</TerminatedWorkers>
    <RunningWorkers>0</RunningWorkers>
    <TotalWorkers>1</TotalWorkers>
    <InputRecords>3</InputRecords>
    <OutputRecords>3</OutputRecords>
    <FinishedPercentage>100</FinishedPercentage>
  </Stage>
  <Stage ID="R2_1_job_0"><BackupWorkers>2</BackupWorkers><RunningWorkers>1</RunningWorkers>
    <TerminatedWorkers>0</TerminatedWorkers><TotalWorkers>1</TotalWorkers>
    <FinishedPercentage>50</FinishedPercentage></Stage>
</Progress>"""
    )
    stages = parse_stages(root)
    assert stages[0].id == "M1_job_0" and stages[0].status == "TERMINATED"
    assert stages[0].input_records == 3 and stages[0].output_records == 3
    assert stages[1].backup_workers == 2 and stages[1].input_records is None
    assert parse_stages(parse_document("<Progress/>")) == ()
    with pytest.raises(MalformedDocument):
        parse_stages(
            parse_document(
                "<Progress><Stage ID='x'><TotalWorkers>x</TotalWorkers></Stage></Progress>"
            )
        )


def test_job_source() -> None:
    root = parse_document(
        """<?xml version="1.0" encoding="utf-8"?>
<Job>
  <Name>nightly</Name>
  <Priority>3</Priority>
  <Guid>req-1</Guid>
  <Owner>ALIYUN$me</Owner>
  <CreationTime>Thu, 19 May 2016 10:13:49 GMT</CreationTime>
  <Tasks>
    <SQL>
      <Name>AnonymousSQLTask</Name>
      <Config>
        <Property><Name>settings</Name><Value>{"a": "b"}</Value></Property>
        <Property><Name>uuid</Name><Value>u</Value></Property>
      </Config>
      <Query><![CDATA[select 1;]]></Query>
    </SQL>
  </Tasks>
  <DAG><RunMode>Sequence</RunMode></DAG>
</Job>"""
    )
    job = parse_job(root)
    assert job.priority == 3 and job.guid == "req-1" and job.name == "nightly"
    assert job.creation_time == datetime(2016, 5, 19, 10, 13, 49, tzinfo=UTC)
    assert job.tasks[0].type == "SQL" and job.tasks[0].query == "select 1;"
    assert job.tasks[0].property_map == {"settings": '{"a": "b"}', "uuid": "u"}
    # The create body (Instance/Job) parses the same way.
    wrapped = parse_job(
        parse_document("<Instance><Job><Priority>9</Priority><Tasks/></Job></Instance>")
    )
    assert wrapped.priority == 9 and wrapped.tasks == ()


def test_xflow_result_and_source() -> None:
    root = parse_document(
        """<Xinstance><Actions>
  <Action NodeType="Instance"><Name>appendid_1</Name><InstanceId>SUBID</InstanceId>
    <Result Transform="x" Format="y">r</Result></Action>
  <Action NodeType="SubWorkflow"><Name>sub</Name><InstanceId>SUB2</InstanceId></Action>
  <Action NodeType="Local"><Name>local_1</Name><InstanceId></InstanceId></Action>
  <Action NodeType="Weird"><Name>w</Name></Action>
</Actions></Xinstance>"""
    )
    actions = parse_xflow_actions(root)
    assert [(a.name, a.node_type, a.instance_id) for a in actions] == [
        ("appendid_1", XFlowNodeType.INSTANCE, "SUBID"),
        ("sub", XFlowNodeType.SUB_WORKFLOW, "SUB2"),
        ("local_1", XFlowNodeType.LOCAL, None),
        ("w", XFlowNodeType.OTHER, None),
    ]
    assert actions[0].result == "r"
    assert parse_xflow_actions(parse_document("<Xinstance/>")) == ()
    source = parse_document(
        "<Instance><XflowInstance><Project>algo_public</Project><Config><Property>"
        "<Name>k</Name><Value>v</Value></Property></Config></XflowInstance></Instance>"
    )
    assert parse_xflow_config(source) == {"k": "v"}
    assert parse_xflow_config(parse_document("<XflowInstance><Config/></XflowInstance>")) == {}
    assert parse_xflow_config(parse_document("<Instance/>")) == {}
    with pytest.raises(MalformedDocument, match=r"root element is <Other>"):
        parse_xflow_config(parse_document("<Other/>"))


def test_authorization_token() -> None:
    assert (
        parse_authorization_token(
            parse_document("<Authorization><Result>TOKEN</Result></Authorization>")
        )
        == "TOKEN"
    )
    with pytest.raises(MalformedDocument):
        parse_authorization_token(parse_document("<Authorization/>"))


def test_rfc1123_dates() -> None:
    assert parse_rfc1123("Thu, 19 May 2016 10:13:49 GMT") == datetime(
        2016, 5, 19, 10, 13, 49, tzinfo=UTC
    )
    converted = parse_rfc1123("Thu, 19 May 2016 18:13:49 +0800")
    assert converted == datetime(2016, 5, 19, 10, 13, 49, tzinfo=UTC)
    assert converted is not None and converted.utcoffset() is not None
    assert parse_rfc1123("") is None and parse_rfc1123(None) is None
    with pytest.raises(MalformedDocument):
        parse_rfc1123("yesterday")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Instance><Status>&lol9;</Status></Instance>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Instance><Status>&xxe;</Status></Instance>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Instance SYSTEM "http://127.0.0.1:9/evil.dtd">
<Instance><Status>Running</Status></Instance>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_hostile_xml_refused_fast(body: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(MalformedDocument, match="refused unsafe XML"):
        parse_document(body)
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("body", [b"", b"   ", b"not xml", b"<Instance>", b"\xff\xfe<"])
def test_garbage_refused(body: bytes) -> None:
    with pytest.raises(MalformedDocument):
        parse_document(body)


HTML_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>"
_PARSERS = {
    "instance": (lambda r: parse_instance(r, "demo", "i1"), "<Instance>"),
    "instance_page": (lambda r: parse_instance_page(r, "demo"), "<Instances>"),
    "tasks": (parse_tasks, "<Instance>"),
    "task_results": (parse_task_results, "<Instance>"),
    "stages": (parse_stages, "<Progress>"),
    "job": (parse_job, "<Job> or <Instance>"),
    "xflow_config": (parse_xflow_config, "<XflowInstance> or <Instance>"),
    "xflow_actions": (parse_xflow_actions, "<Xinstance> or <XInstance>"),
    "authorization": (parse_authorization_token, "<Authorization>"),
}
# The shape each parser accepts, as the emulator and the wire docs give it.
_VALID = {
    "instance": "<Instance><Status>Running</Status></Instance>",
    "instance_page": "<Instances/>",
    "tasks": "<Instance><Tasks/></Instance>",
    "task_results": "<Instance><Tasks/></Instance>",
    "stages": "<Progress/>",
    "job": "<Job><Tasks/></Job>",
    "xflow_config": "<Instance><XflowInstance/></Instance>",
    "xflow_actions": "<Xinstance><Actions/></Xinstance>",
    "authorization": "<Authorization><Result>T</Result></Authorization>",
}
# A plausible wrong document per parser: another operation's answer (or an error document).
_WRONG = {
    "instance": "<Instances><Instance><Status>Running</Status></Instance></Instances>",
    "instance_page": "<Instance><Instance><Name>x</Name></Instance></Instance>",
    "tasks": "<Progress><Tasks/></Progress>",
    "task_results": "<Error><Tasks/></Error>",
    "stages": "<Instance><Stage ID='s'/></Instance>",
    "job": "<Progress/>",
    "xflow_config": "<Job/>",
    "xflow_actions": "<Instance><Actions/></Instance>",
    "authorization": "<Error><Result>T</Result></Error>",
}


@pytest.mark.parametrize("name", sorted(_PARSERS))
def test_every_parser_checks_its_root_element(name: str) -> None:
    parser, expected = _PARSERS[name]
    parser(parse_document(_VALID[name]))  # the right shape parses
    wrong = parse_document(_WRONG[name])
    with pytest.raises(MalformedDocument) as info:
        parser(wrong)
    assert str(info.value) == f"root element is <{wrong.tag}>, expected {expected}"
    with pytest.raises(MalformedDocument, match=r"^root element is <html>, expected "):
        parser(parse_document(HTML_PAGE))


def test_root_check_ignores_namespaces_and_unknown_children() -> None:
    root = parse_document(
        '<Instances xmlns="urn:x"><Unknown/><Instance><Name>a</Name></Instance></Instances>'
    )
    assert parse_instance_page(root, "demo").instances == ()  # namespaced children: not ours
    plain = parse_document(
        "<Instances><Extra>1</Extra><Instance><Name>a</Name></Instance></Instances>"
    )
    assert [i.id for i in parse_instance_page(plain, "demo").instances] == ["a"]
    assert parse_xflow_actions(parse_document("<XInstance><Actions/></XInstance>")) == ()


def test_root_in_message_is_bounded() -> None:
    long_tag = "A" * 5000
    with pytest.raises(MalformedDocument) as info:
        parse_stages(parse_document(f"<{long_tag}/>"))
    assert len(str(info.value)) < 120


def test_excerpt_is_short_single_line_and_printable() -> None:
    assert excerpt("a\x00b\r\nc\u202ed\t e") == "a b c d e"
    assert excerpt(b"<html><b>Bad</b> Gateway</html>", strip_markup=True) == "Bad Gateway"
    cut = excerpt("x" * 1000)
    assert len(cut) == 200 and cut.endswith("…")
    assert excerpt(b"\xff\xfeok") == "\ufffd\ufffdok"
    dtd = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'
    assert excerpt(dtd, strip_markup=True) == "&b;"
