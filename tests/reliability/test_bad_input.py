"""Bad input: fuzzed requests on every RPC, and hostile or broken XML from the upstream.

Requests are generated from the service descriptor, so every field of every request
message is fuzzed, nested messages (``SqlJob``) included (a new field is fuzzed without
touching this file): ids with ``/``, ``..``, ``%2F``, control characters, 1 MiB strings,
unicode, negative and huge numbers, unknown enum values, random maps, out-of-range
timestamps and durations, page sizes and tokens, and for fields declared
``(google.api.field_info).format = UUID4`` (request ids) real UUID4s next to near misses
(other versions, no dashes, braces, upper case). The gateway may
answer only OK (valid input), INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION, never
INTERNAL or UNKNOWN; and a recording proxy in front of the emulator proves that no upstream
request ever left ``/api/projects/{project}/...`` (plus the two global Logview host
lookups PyODPS makes too) or named a project or instance no caller asked for.

Hostile upstream bodies (billion laughs, XXE, truncated XML, HTML, XML of the wrong shape)
and the emulator's malformed-body faults end in UNAVAILABLE or INTERNAL with a clear,
bounded message that never repeats the raw body, the entity is never expanded, and the
gateway keeps serving afterwards. A 200 whose body is HTML or a document with the wrong
root element is UNAVAILABLE naming the root found, never an empty OK result.
"""

from __future__ import annotations

import re
import string
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.api import field_info_pb2  # type: ignore[import-untyped]
from google.protobuf import descriptor
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from maxcompute.gateway.v1 import instance_pb2, instance_service_pb2
from mcemulator import Emulator, EmulatorConfig
from mcgateway.config import GatewayConfig
from mcgateway.testing import GatewayThread

from reliability.harness import (
    SERVICE,
    HostileUpstream,
    RecordingProxy,
    error_details,
    error_info,
    stub,
)

pb = instance_service_pb2
ListEvent = pb.WatchInstancesResponse.EventType
State = instance_pb2.Instance.State
FD = descriptor.FieldDescriptor

MAX_EXAMPLES = 60
"""Hypothesis examples per RPC (derandomized, so CI runs the same inputs every time)."""
CALL_TIMEOUT = 15.0
"""Deadline of each fuzzed call; none should come near it."""
ALLOWED = {
    grpc.StatusCode.OK,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.FAILED_PRECONDITION,
}
CODES: Counter[tuple[str, str]] = Counter()
"""(RPC, status code name) → fuzzed calls that ended so."""
GRPC_MAX_REQUEST = 4 * 1024 * 1024
"""The gateway's grpc.max_receive_message_length; larger requests never reach it."""

_NAME = r"[A-Za-z0-9_][A-Za-z0-9_\-]{0,127}"
_UPSTREAM_PATH = re.compile(
    rf"^/api/(?:projects/(?P<project>{_NAME})"
    rf"(?:/instances(?:/(?P<instance>{_NAME}))?|/authorization|/cachedinstances|/tunnel)?"
    r"|logview/host|webconsole/host)(?:\?[^#\s]*)?$"
)
"""Every upstream request target allowed: one project's instances (or its queue, or its
instance tunnel's address), or a Logview host."""

_JOB_SOURCE_READ = re.compile(r"/instances/[^/?]+\?(?:source|xsource)(?:&|$)")
"""A read of one instance's submitted job, as the request-id search of a submission makes."""

MIB_STRING = "x" * (1024 * 1024)
HOSTILE_STRINGS = [
    "",
    " ",
    "/",
    "a/b",
    "..",
    "../demo",
    "../../etc/passwd",
    "%2F",
    "a%2Fb",
    "%2e%2e",
    "..%2F..%2Fprojects",
    "demo/instances/x",
    "a?b=c",
    "a#b",
    "a b",
    "\x00",
    "a\x00b",
    "\r\nX-Injected: 1",
    "\t",
    "\x7f",
    "é",
    "日本語",
    "😀",
    "\u202e",
    "\ufeff",
    "<x/>",
    "&amp;",
    "]]>",
    "' OR 1=1 --",
    "${jndi:ldap://x}",
    "a" * 129,
    "A" * 64,
    "a" * 65,
    MIB_STRING,
    "demo",
    "AnonymousSQLTask",
    "20260101000000000abcdefg1",
]


_UUID4 = st.uuids(version=4).map(str)


def _uuid_strings(benign: bool) -> st.SearchStrategy[str]:
    """Values of a UUID4-format field: empty or a real UUID4 for ``benign`` requests; near
    misses and hostile strings besides for the others."""
    if benign:
        return st.one_of(st.just(""), _UUID4)
    return st.one_of(
        _UUID4,
        _UUID4.map(str.upper),
        st.uuids(version=4).map(lambda u: u.hex),
        st.uuids(version=4).map(lambda u: "{" + str(u) + "}"),
        st.uuids(version=1).map(str),
        _UUID4.map(lambda u: u + "\n"),
        st.sampled_from(HOSTILE_STRINGS),
        st.text(max_size=40),
    )


def _is_uuid4(field: descriptor.FieldDescriptor) -> bool:
    """Whether the field is declared ``(google.api.field_info).format = UUID4``."""
    options = field.GetOptions()
    return bool(
        options.HasExtension(field_info_pb2.field_info)
        and options.Extensions[field_info_pb2.field_info].format == field_info_pb2.FieldInfo.UUID4
    )


BENIGN_DURATIONS = {
    "ttl": st.sampled_from([3600, 2 * 3600, 720 * 3600, 2160 * 3600]),
}
"""Seconds of a benign Duration by field name where a few seconds would never pass
validation (a Logview ttl is whole hours); any other Duration gets 1 to 5 seconds."""
BENIGN_STRINGS = {
    "page_token": st.just(""),
    "project": st.sampled_from(["", "demo"]),
    "query": st.sampled_from(["select 1", "select name from pyodps_iris limit 1"]),
}
"""Benign values of string fields no made-up name passes (a page token is minted by the
gateway): the first page, so paged RPCs get past validation too; the served project (empty:
the default), so RPCs with many fields (a SqlJob's) still get past it; and SQL that parses,
so a cost estimate (which fails on anything else) is fuzzed past it as well."""


def _strings(existing: list[str], benign: bool) -> st.SearchStrategy[str]:
    """Hostile strings; or, for ``benign`` requests, names that pass validation."""
    if benign:
        return st.one_of(
            st.sampled_from([*existing, "demo", "AnonymousSQLTask", "AppendID", "algo_public"]),
            st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,20}", fullmatch=True),
        )
    return st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.sampled_from(existing),
        st.text(max_size=40),
        st.text(alphabet=string.ascii_letters + string.digits + "_-./%:", max_size=40),
        st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_\-]{0,30}", fullmatch=True),
    )


_INTS = {
    FD.TYPE_INT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FD.TYPE_INT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1),
    FD.TYPE_FIXED32: (0, 2**32 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1),
    FD.TYPE_FIXED64: (0, 2**64 - 1),
}


def _int(lo: int, hi: int) -> st.SearchStrategy[int]:
    # Bounds the gateway checks: priorities 0-9, page sizes to 1000, heartbeats 1 s to 10 min,
    # Logview ttls of whole hours to 2160 h (7,776,000 s).
    bounds = (-1, 0, 1, 9, 10, 100, 1000, 1001, 600, 601, 3599, 3600, 3601, 7_776_000, 7_779_600)
    edges = [v for v in (lo, hi, *bounds) if lo <= v <= hi]
    return st.one_of(st.sampled_from(edges), st.integers(lo, hi))


def _field(field: descriptor.FieldDescriptor, strings: st.SearchStrategy[str], benign: bool) -> Any:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        key, value = (
            field.message_type.fields_by_name["key"],
            field.message_type.fields_by_name["value"],
        )
        return st.dictionaries(
            _scalar(key, strings, benign), _scalar(value, strings, benign), max_size=4
        )
    if field.message_type is not None:
        if benign and field.name in BENIGN_DURATIONS:
            return st.fixed_dictionaries({"seconds": BENIGN_DURATIONS[field.name]})
        return _message(field.message_type, strings, benign)
    inner = _scalar(field, strings, benign)
    if field.is_repeated:
        return st.lists(inner, max_size=3)
    return inner


def _scalar(
    field: descriptor.FieldDescriptor, strings: st.SearchStrategy[str], benign: bool
) -> Any:
    if field.type == FD.TYPE_STRING:
        if benign and field.name in BENIGN_STRINGS:
            return BENIGN_STRINGS[field.name]
        return _uuid_strings(benign) if _is_uuid4(field) else strings
    if field.type == FD.TYPE_BYTES:
        return st.binary(max_size=64)
    if field.type == FD.TYPE_BOOL:
        return st.booleans()
    if benign and field.type == FD.TYPE_ENUM:
        return st.sampled_from([v.number for v in field.enum_type.values])
    if benign and field.type != FD.TYPE_STRING and field.type != FD.TYPE_BYTES:
        return st.integers(0, 9)
    if field.type == FD.TYPE_ENUM:
        # Known values and unknown ones: proto3 enums are open, any int32 arrives.
        known = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(known), _int(-(2**31), 2**31 - 1))
    if field.type in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
        return st.floats(allow_nan=True, allow_infinity=True, width=32)
    lo, hi = _INTS[field.type]
    return _int(lo, hi)


def _message(
    desc: descriptor.Descriptor, strings: st.SearchStrategy[str], benign: bool = False
) -> Any:
    """A dict of field name → value (or absent) for ``desc``, recursively."""
    well_known = ("google.protobuf.Timestamp", "google.protobuf.Duration")
    if benign and desc.full_name in well_known:
        return st.fixed_dictionaries({"seconds": st.integers(1, 5)})
    if desc.full_name in well_known:
        return st.fixed_dictionaries(
            {},
            optional={
                "seconds": _int(-(2**63), 2**63 - 1),
                "nanos": _int(-(2**31), 2**31 - 1),
            },
        )
    fields = {f.name: _field(f, strings, benign) for f in desc.fields}
    return st.fixed_dictionaries({}, optional=fields)


def _build(cls: Any, values: dict[str, Any]) -> Any:
    message = cls()
    _fill(message, values)
    return message


def _fill(message: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        field = message.DESCRIPTOR.fields_by_name[name]
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            getattr(message, name).update(value)
        elif field.message_type is not None:
            getattr(message, name).SetInParent()  # present even when empty
            _fill(getattr(message, name), value)
        elif field.is_repeated:
            getattr(message, name).extend(value)
        else:
            setattr(message, name, value)


class Fuzzing:
    """The module's gateway, its recording proxy and the ids worth aiming at."""

    def __init__(
        self, emulator: Emulator, gateway: GatewayThread, proxy: RecordingProxy, existing: list[str]
    ) -> None:
        self.emulator = emulator
        self.gateway = gateway
        self.proxy = proxy
        self.existing = existing
        self.channel = grpc.insecure_channel(
            gateway.target, options=[("grpc.max_send_message_length", 64 * 1024 * 1024)]
        )
        self.stub = stub(self.channel)
        self.named_projects: set[str] = {"demo"}
        self.named_instances: set[str] = set(existing)


@pytest.fixture(scope="module")
def fuzzing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzing]:
    """Emulator → recording proxy → in-process gateway, with one finished instance."""
    data = tmp_path_factory.mktemp("fuzz")
    with (
        Emulator(
            EmulatorConfig(data_dir=data / "emu", default_duration_seconds=0.0, workers=8)
        ) as emu,
        RecordingProxy(emu.port) as proxy,
    ):
        config = GatewayConfig(
            listen="127.0.0.1:0",
            endpoint=proxy.endpoint,
            project=emu.project,
            access_id=emu.access_id,
            access_key=emu.access_key,
        )
        with GatewayThread(config) as gw:
            s = stub(grpc.insecure_channel(gw.target))
            request = pb.SubmitSqlRequest(job=instance_pb2.SqlJob(query="select 1"))
            done = s.SubmitSql(request, timeout=30).instance.instance_id
            while (
                s.WaitInstance(pb.WaitInstanceRequest(instance_id=done), timeout=40).instance.state
                != State.TERMINATED
            ):
                pass
            f = Fuzzing(emu, gw, proxy, [done])
            yield f
            f.channel.close()


def _call(f: Fuzzing, method: descriptor.MethodDescriptor, request: Any) -> grpc.StatusCode:
    """Call ``method``; streams are read until their end (or SNAPSHOT_END for WatchInstances).

    Instances a submission created are added to the ids upstream requests may name.
    """
    rpc = getattr(f.stub, method.name)
    try:
        if not method.server_streaming:
            response = rpc(request, timeout=CALL_TIMEOUT)
            if method.name.startswith("Submit"):
                f.named_instances.add(response.instance.instance_id)
            if method.name == "EstimateSqlCost":
                f.named_instances.add(response.instance_id)
            return grpc.StatusCode.OK
        call = rpc(request, timeout=CALL_TIMEOUT)
        for message in call:
            if method.name == "ExecuteSql":
                f.named_instances.add(message.instance.instance_id)
            if method.name == "WatchInstances" and message.event_type in (
                ListEvent.SNAPSHOT_END,
                ListEvent.BOOKMARK,
            ):
                call.cancel()
                return grpc.StatusCode.OK
        return grpc.StatusCode.OK
    except grpc.RpcError as exc:
        code: grpc.StatusCode = exc.code()  # type: ignore[attr-defined]
        if code is grpc.StatusCode.CANCELLED and method.name == "WatchInstances":
            return grpc.StatusCode.OK
        if method.name in ("EstimateSqlCost", "ExecuteSql"):
            # A failed estimate (or stream) names the instance it created.
            try:
                created = error_info(exc).metadata.get("instance_id")
            except AssertionError:  # no ErrorInfo (a deadline the client enforced)
                created = None
            if created:
                f.named_instances.add(created)
        reason, message = error_details(exc)
        assert code in ALLOWED, (
            f"{method.name}({request!r:.300}) → {code.name} {reason}: {message:.300}"
        )
        return code


def _check_upstream(f: Fuzzing, seen_before: int, searches: bool = False) -> None:
    """Every upstream request stays in a named project and names only named instances.

    ``searches``: a submission with a request_id looks for an instance it may have created
    already by reading the job source of the account's recent instances in that project
    (XFlow sub-instances and earlier submissions among them), so those reads may name any
    instance of a named project.
    """
    for target in f.proxy.paths()[seen_before:]:
        match = _UPSTREAM_PATH.match(target)
        assert match, f"upstream request outside a project's instances: {target[:300]!r}"
        assert match["project"] is None or match["project"] in f.named_projects, target
        if searches and _JOB_SOURCE_READ.search(target):
            continue
        assert match["instance"] is None or match["instance"] in f.named_instances, target


@pytest.mark.parametrize("method", list(SERVICE.methods), ids=lambda m: m.name)
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fuzzed_requests_get_client_errors_and_stay_in_their_project(
    fuzzing: Fuzzing, method: descriptor.MethodDescriptor, data: st.DataObject
) -> None:
    f = fuzzing
    cls = getattr(pb, method.input_type.name)
    # Half the requests use only names that pass validation, so the paths behind it
    # (upstream calls, NOT_FOUND, FAILED_PRECONDITION, OK) are fuzzed as well.
    benign = data.draw(st.booleans(), label="benign")
    strings = _strings(f.existing, benign)
    values = data.draw(_message(method.input_type, strings, benign), label="request")
    request = _build(cls, values)
    assume(request.ByteSize() < GRPC_MAX_REQUEST - 4096)
    # Waits and streams only ever aim at the finished instance or at ids that do not exist
    # (instances the fuzzer creates are never named by a request), so none waits for long.
    for field_name in ("project", "xflow_project"):
        if field_name in values:
            f.named_projects.add(values[field_name])
    if "instance_id" in values:
        f.named_instances.add(values["instance_id"])
    before = len(f.proxy.paths())
    code = _call(f, method, request)
    CODES[(method.name, code.name)] += 1
    _check_upstream(f, before, searches=bool(values.get("request_id")))


def test_every_rpc_was_fuzzed_past_validation() -> None:
    """Every RPC was fuzzed, and for each some inputs got past validation (not only rejects).

    Runs after the fuzz test (file order), from the codes it recorded.
    """
    print("\nfuzz outcomes:", dict(sorted(CODES.items())))
    for method in SERVICE.methods:
        seen = {code for (name, code) in CODES if name == method.name}
        assert "INVALID_ARGUMENT" in seen, method.name
        assert seen - {"INVALID_ARGUMENT"}, f"{method.name}: every input was rejected"


_SAMPLE_UUID = uuid.UUID("3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60")
NOT_UUID4 = {
    "hex": _SAMPLE_UUID.hex,
    "braces": "{" + str(_SAMPLE_UUID) + "}",
    "urn": _SAMPLE_UUID.urn,
    "version-1": str(uuid.UUID("3f1c2a9e-8b7d-1c6e-9f0a-1b2c3d4e5f60")),
    "bad-variant": str(uuid.UUID("3f1c2a9e-8b7d-4c6e-cf0a-1b2c3d4e5f60")),
    "trailing-newline": str(_SAMPLE_UUID) + "\n",
    "padded": " " + str(_SAMPLE_UUID),
    "old-style-id": "retry-0001_abc",
}
"""Request ids the v1 contract no longer accepts: anything but a UUID4 in its 36-character form."""


@pytest.mark.parametrize("rpc", ["SubmitSql", "SubmitXflow"])
@pytest.mark.parametrize("request_id", NOT_UUID4.values(), ids=NOT_UUID4.keys())
def test_request_ids_must_be_uuid4(fuzzing: Fuzzing, rpc: str, request_id: str) -> None:
    if rpc == "SubmitSql":
        request: Any = pb.SubmitSqlRequest(
            job=instance_pb2.SqlJob(query="select 1"), request_id=request_id
        )
    else:
        request = pb.SubmitXflowRequest(
            xflow_name="AppendID", xflow_project="algo_public", request_id=request_id
        )
    before = len(fuzzing.proxy.paths())
    with pytest.raises(grpc.RpcError) as info:
        getattr(fuzzing.stub, rpc)(request, timeout=CALL_TIMEOUT)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    reason, message = error_details(info.value)
    assert reason == "INVALID_REQUEST" and "request_id" in message, message
    assert fuzzing.proxy.paths()[before:] == []  # refused before any upstream request


def test_oversized_request_is_refused_and_the_gateway_keeps_serving(fuzzing: Fuzzing) -> None:
    big = pb.SubmitSqlRequest(job=instance_pb2.SqlJob(query="x" * (GRPC_MAX_REQUEST + 10)))
    with pytest.raises(grpc.RpcError) as info:
        fuzzing.stub.SubmitSql(big, timeout=CALL_TIMEOUT)
    assert info.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED  # type: ignore[attr-defined]
    got = fuzzing.stub.GetInstance(
        pb.GetInstanceRequest(instance_id=fuzzing.existing[0]), timeout=CALL_TIMEOUT
    )
    assert got.instance_id == fuzzing.existing[0]


# ------------------------------------------------------------------ hostile upstream XML

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

SECRET_FILE_MARK = "reliability-xxe-marker-7f3a"

HOSTILE_BODIES: dict[str, bytes] = {
    "billion-laughs": BILLION_LAUGHS,
    "xxe": b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://SECRET">]>
<Instances><Instance><Name>&xxe;</Name><Status>&xxe;</Status></Instance></Instances>""",
    "truncated": b'<?xml version="1.0" encoding="UTF-8"?>\n<Instance><Status>Runn',
    "html": b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    "wrong-shape": b'<?xml version="1.0"?><Foo><Bar>1</Bar></Foo>',
    "binary": bytes(range(256)) * 4,
    "empty": b"",
}

HOSTILE_CODES = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL}
HOSTILE_DEADLINE = 2.0
"""Deadline of each call to the hostile upstream."""
HOSTILE_SNAPSHOT_TIMEOUT = 1.0
"""The gateway's ``snapshot_timeout``: a WatchInstance that can read no first state ends
UNAVAILABLE after this, well inside :data:`HOSTILE_DEADLINE`."""
PARSED = {"GetInstance", "ListInstances", "ListTasks", "ListTaskResults"}
"""RPCs that answer from a parsed 200 body: a well-formed document of another shape (a
proxy's HTML page, another root element) must be UNAVAILABLE, not an empty result."""
WRONG_ROOTS = {"html": "<html>", "wrong-shape": "<Foo>"}
"""The root element each well-formed wrong-shape body has, as the error message names it."""
MAX_MESSAGE = 600
"""Longest error message (reason and text) a hostile body may produce: no raw bodies."""
CASES = [(body, 200) for body in sorted(HOSTILE_BODIES)] + [
    ("billion-laughs", 500),
    ("html", 500),
    ("billion-laughs", 404),
    ("xxe", 404),
]
"""Every body as a 200 answer (the parser sees it); a few as errors (only the message does)."""


def _hostile_calls(s: Any) -> dict[str, Callable[[], Any]]:
    iid = "20260101000000000abcdefg1"
    t = HOSTILE_DEADLINE
    return {
        "GetInstance": lambda: s.GetInstance(pb.GetInstanceRequest(instance_id=iid), timeout=t),
        "ListInstances": lambda: s.ListInstances(pb.ListInstancesRequest(), timeout=t),
        "ListTasks": lambda: s.ListTasks(pb.ListTasksRequest(instance_id=iid), timeout=t),
        "ListTaskResults": lambda: s.ListTaskResults(
            pb.ListTaskResultsRequest(instance_id=iid), timeout=t
        ),
        "SubmitSql": lambda: s.SubmitSql(
            pb.SubmitSqlRequest(job=instance_pb2.SqlJob(query="select 1")), timeout=t
        ),
        "WatchInstance": lambda: list(
            s.WatchInstance(pb.WatchInstanceRequest(instance_id=iid), timeout=t)
        ),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostileUpstream, Any]]:
    """A gateway whose upstream answers whatever body the test sets."""
    secret = tmp_path_factory.mktemp("xxe") / "secret.txt"
    secret.write_text(SECRET_FILE_MARK)
    HOSTILE_BODIES["xxe"] = HOSTILE_BODIES["xxe"].replace(b"SECRET", str(secret).encode())
    with HostileUpstream() as upstream:
        config = GatewayConfig(
            listen="127.0.0.1:0",
            endpoint=upstream.endpoint,
            project="demo",
            access_id="id",
            access_key="key",
            snapshot_timeout=HOSTILE_SNAPSHOT_TIMEOUT,
        )
        with GatewayThread(config) as gw:
            channel = grpc.insecure_channel(gw.target)
            yield upstream, channel
            channel.close()


def _outcome(call: Callable[[], Any]) -> tuple[grpc.StatusCode, str, Any, float]:
    started = time.monotonic()
    try:
        response = call()
    except grpc.RpcError as exc:
        reason, message = error_details(exc)
        code: grpc.StatusCode = exc.code()  # type: ignore[attr-defined]
        return code, f"{reason}: {message}", None, time.monotonic() - started
    return grpc.StatusCode.OK, "", response, time.monotonic() - started


@pytest.mark.parametrize(("body", "status"), CASES, ids=[f"{b}-{s}" for b, s in CASES])
def test_hostile_upstream_xml_is_a_clear_error_and_never_a_crash(
    hostile: tuple[HostileUpstream, Any], body: str, status: int
) -> None:
    upstream, channel = hostile
    upstream.body, upstream.status = HOSTILE_BODIES[body], status
    s = stub(channel)
    calls = _hostile_calls(s)
    with ThreadPoolExecutor(len(calls)) as pool:
        outcomes = dict(zip(calls, pool.map(_outcome, calls.values()), strict=True))
    for name, (code, message, _response, took) in outcomes.items():
        where = f"{name} with a {status} {body} body: {code.name} {message[:300]}"
        allowed = set(HOSTILE_CODES)
        if name == "WatchInstance":
            # No first state can be read, so no snapshot is sent: the stream ends UNAVAILABLE
            # after the snapshot timeout, saying so, instead of silence until the deadline.
            allowed = {grpc.StatusCode.UNAVAILABLE}
            if status != 404:
                assert message.startswith("UPSTREAM_UNAVAILABLE: "), where
                assert took < HOSTILE_DEADLINE, where  # the gateway ended it, not the deadline
        if status == 404:
            allowed = {grpc.StatusCode.NOT_FOUND}
        if status == 200 and name in PARSED and body in WRONG_ROOTS:
            # Silent data loss otherwise: "no instances" / "no results" with OK.
            assert code is grpc.StatusCode.UNAVAILABLE, where
            assert f"root element is {WRONG_ROOTS[body]}" in message, where
            assert "HTTP 200" in message, where
        assert code in allowed, where
        assert took < HOSTILE_DEADLINE + 1.0, where
        if code is not grpc.StatusCode.OK:
            assert message.strip(": ") and "Traceback" not in message, where
        assert len(message) <= MAX_MESSAGE, where
        for raw in ("<!ENTITY", "<!DOCTYPE", "<body>", "<h1>", "<Bar>"):
            assert raw not in message, f"raw body echoed: {where}"
        assert not any(ord(c) < 32 and c not in "\n\t" for c in message), where
        assert SECRET_FILE_MARK not in message, f"external entity expanded: {where}"
        assert "lollollol" not in message, f"entity expanded: {where}"
    # Still serving: health is SERVING and validation answers as usual.
    health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as info:
        s.GetInstance(pb.GetInstanceRequest(instance_id="../x"), timeout=5)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]


def test_emulator_malformed_bodies_then_recovery(fuzzing: Fuzzing, tmp_path: Path) -> None:
    """The emulator's own malformed-body fault: clear errors while on, normal answers after."""
    emu = fuzzing.emulator
    s = fuzzing.stub
    iid = fuzzing.existing[0]
    emu.faults.inject(malformed_rate=1.0)
    try:
        for name, call in (
            (
                "GetInstance",
                lambda: s.GetInstance(pb.GetInstanceRequest(instance_id=iid), timeout=5),
            ),
            ("ListInstances", lambda: s.ListInstances(pb.ListInstancesRequest(), timeout=5)),
            ("ListTasks", lambda: s.ListTasks(pb.ListTasksRequest(instance_id=iid), timeout=5)),
        ):
            try:
                call()
            except grpc.RpcError as exc:
                code = exc.code()  # type: ignore[attr-defined]
                assert code in HOSTILE_CODES, f"{name}: {code.name}"
                assert error_details(exc)[1], f"{name}: empty message"
            # GetInstance of a terminated instance may come from the gateway's cache: OK.
    finally:
        emu.faults.clear()
    assert s.ListTasks(pb.ListTasksRequest(instance_id=iid), timeout=10).tasks
