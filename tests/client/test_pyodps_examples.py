"""The PyODPS documentation's instance examples, run against the gateway.

Each snippet is the documentation's text (/work/shared/seed-instance-operations.txt, "任务实例"
page) with only the entry object swapped: ``o`` is a ``Gateway`` instead of ``ODPS``, and
``from odps.models import Instance`` imports ``mcgateway_client.Instance``. Two things differ
from the extracted page text and are not API changes: the page lost the spaces of
``select * from pyodps_iris limit 1``, and ``my_instance_id`` is replaced by a real id. The
snippets run with ``exec`` and their printed output is asserted.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from mcgateway.testing import GatewayThread
from mcgateway_client import Gateway

LIST_IDS = """
for instance in o.list_instances():
    print(instance.id)
"""

EXISTS = """
print(o.exist_instance('my_instance_id'))
"""

LOGVIEW_FROM_INSTANCE = """
instance = o.run_sql('desc pyodps_iris')
print(instance.get_logview_address())
"""

LOGVIEW_FROM_ID = """
instance = o.get_instance('my_instance_id')
print(instance.get_logview_address())
"""

XFLOW_SUBMIT = """
instance = o.run_xflow('AppendID', 'algo_public', {'inputTableName': 'input_table', 'outputTableName': 'output_table'})
"""  # noqa: E501 - the documentation's line

XFLOW_LOGVIEWS = """
for sub_inst_name, sub_inst in o.get_xflow_sub_instances(instance).items():
    print('%s: %s' % (sub_inst_name, sub_inst.get_logview_address()))
"""

STATUS = """
instance=o.get_instance('my_instance_id')
print(instance.status)
print(instance.status.value)
"""

STATUS_COMPARE = """
instance=o.get_instance('my_instance_id')
from mcgateway_client import Instance  # was: from odps.models import Instance
print(instance.status == Instance.Status.TERMINATED)
"""

TASK_NAMES_FROM_ID = """
instance=o.get_instance('my_instance_id')
print(instance.get_task_names())
"""

EXECUTE_AND_RESULTS = """
instance=o.execute_sql('select * from pyodps_iris limit 1')
print(instance.get_task_names())
print(instance.get_task_result('AnonymousSQLTask'))
print(instance.get_task_results())
"""

PROGRESS_LOOP = """
instance=o.get_instance('my_instance_id')
while not instance.is_terminated():
    for task_name in instance.get_task_names():
        print(instance.id, instance.get_task_progress(task_name).get_stage_progress_formatted_string())
    time.sleep(10)
"""  # noqa: E501 - the documentation's line


class _PollingClock:
    """Stands in for the ``time`` module of the progress loop so that the test does not sleep
    the documented 10 s between polls; each "sleep" waits briefly on an event instead."""

    def __init__(self) -> None:
        self._never = threading.Event()

    def sleep(self, seconds: float) -> None:
        self._never.wait(min(seconds, 0.2))


@pytest.fixture(scope="module")
def o(gateway: GatewayThread) -> Iterator[Gateway]:
    with Gateway(gateway.target) as client:
        yield client


def run(
    snippet: str, o: Gateway, instance_id: str = "", scope: dict[str, Any] | None = None
) -> str:
    """Runs a snippet with ``o`` (and ``scope``) as globals; returns what it printed.

    The snippet's globals are left in ``scope``, so a later snippet can continue from them.
    """
    code = snippet.replace("my_instance_id", instance_id)
    out = io.StringIO()
    scope = {} if scope is None else scope
    scope["o"] = o
    with contextlib.redirect_stdout(out):
        exec(code, scope)
    return out.getvalue()


@pytest.fixture(scope="module")
def done_id(o: Gateway) -> str:
    return o.execute_sql("select count(*) from pyodps_iris").id


def test_list_instance_ids(o: Gateway, done_id: str) -> None:
    printed = run(LIST_IDS, o).splitlines()
    assert done_id in printed
    assert all(re.fullmatch(r"\d{17}[0-9a-z]{9}", line) for line in printed)


def test_exist_instance(o: Gateway, done_id: str) -> None:
    assert run(EXISTS, o, done_id) == "True\n"
    assert run(EXISTS, o, "20990101000000000absent001") == "False\n"


def test_logview_from_an_instance_and_from_an_id(o: Gateway, done_id: str) -> None:
    url = run(LOGVIEW_FROM_INSTANCE, o).strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/logview/\?h=.*&p=demo&i=\w+&token=\S+", url)
    url = run(LOGVIEW_FROM_ID, o, done_id).strip()
    assert f"&i={done_id}&" in url


def test_xflow_sub_instance_logviews(o: Gateway) -> None:
    o.execute_sql("create table if not exists input_table as select * from pyodps_iris")
    scope: dict[str, Any] = {}
    run(XFLOW_SUBMIT, o, scope=scope)
    # PyODPS's get_xflow_sub_instances (like the gateway's) lists the sub-instances created so
    # far without waiting; the emulator creates them as the XFlow runs, so let it finish first.
    scope["instance"].wait_for_completion(timeout=60)
    printed = run(XFLOW_LOGVIEWS, o, scope=scope).splitlines()
    assert printed
    for line in printed:
        assert re.fullmatch(r"\w+: http://127\.0\.0\.1:\d+/logview/\?\S+&i=\w+&token=\S+", line)


def test_status_and_status_value(o: Gateway, done_id: str) -> None:
    assert run(STATUS, o, done_id) == "Status.TERMINATED\nTerminated\n"
    assert run(STATUS_COMPARE, o, done_id) == "True\n"


def test_task_names_results(o: Gateway, done_id: str) -> None:
    assert run(TASK_NAMES_FROM_ID, o, done_id) == "['AnonymousSQLTask']\n"
    header = '"sepallength","sepalwidth","petallength","petalwidth","name"'
    row = '5.1,3.5,1.4,0.2,"Iris-setosa"'
    assert run(EXECUTE_AND_RESULTS, o) == (
        "['AnonymousSQLTask']\n"
        f"{header}\n{row}\n\n"
        f"OrderedDict([('AnonymousSQLTask', '{header}\\n{row}\\n')])\n"
    )


def test_progress_loop(o: Gateway) -> None:
    running = o.run_sql(
        "select count(*) from pyodps_iris", hints={"mcemulator.duration_seconds": 3}
    )
    printed = run(PROGRESS_LOOP, o, running.id, {"time": _PollingClock()}).splitlines()
    assert printed, "the loop ran while the instance was running"
    # PyODPS's format: a local time, then "id:running/terminated/total[pct%]" + TAB per stage.
    stage = r"\w+:\d+/\d+/\d+(\(\+\d+ backups\))?\[\d{1,3}%\]\t"
    pattern = rf"{running.id} \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d ({stage})*"
    for line in printed:
        assert re.fullmatch(pattern, line), line
    assert o.get_instance(running.id).is_terminated()
