"""The audit log: one ``mcgateway.audit`` line for every call that changed something upstream."""

from __future__ import annotations

import logging

from mcgateway.service.chokepoint import Call

__all__ = ["audit"]

_audit_log = logging.getLogger("mcgateway.audit")


def audit(call: Call, instance_id: str, **extra: str | None) -> None:
    """One ``mcgateway.audit`` line for a call that changed something upstream: who (the
    token's name), what, where, and the request id that ties it to the call's other lines;
    ``extra`` fields with a value are added (``client_request_id``, ``action``)."""
    _audit_log.info(
        "%s by %s: project %s, instance %s%s",
        call.method,
        call.principal.name,
        call.project,
        instance_id,
        f" ({extra['action']})" if extra.get("action") else "",
        extra={
            "rpc_method": call.method,
            "principal": call.principal.name,
            "project": call.project,
            "instance_id": instance_id,
            "request_id": call.request_id,
            **{k: v for k, v in extra.items() if v},
        },
    )
