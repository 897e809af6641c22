"""Creating instances without duplicates.

A create (``POST /projects/{p}/instances``) is not idempotent, so it is never repeated
blindly. The scheme:

1. Every create carries a caller request id (a UUID4 unless the caller gives one): as the
   job ``Guid`` and ``uuid`` property and as the ``mcgateway.request_id`` setting of a SQL
   task, or as the ``mcgateway.request_id`` config property of an XFlow.
2. A create is repeated only when the server certainly did not execute it: the connection
   could not be made (nothing was sent), or the server throttled it (429, quota codes,
   409 + Retry-After) or rejected it with a MaxCompute 503 error document.
3. Any other failure after the request was sent (read timeout, connection reset, a bare
   502/503/504 from a proxy) is *ambiguous*. The create request itself waits for at most
   ``config.create_read_share`` of the deadline, so time is left to search: list this
   account's instances started since the submission (minus ``clock_skew_allowance``),
   newest first, and read each job (``?source``, or ``?xsource`` for XFlow) for the request
   id. The search repeats (poll policy pace) until the deadline or
   ``create_lookup_timeout``, since a slow server may register the instance late.
4. Found: the create returns that instance with ``recovered=True``. Not found: it fails with
   ``CreateOutcomeUnknown``, never creating a second instance. Retrying with the same
   request id is safe when the retry searches before creating, as the gateway's SubmitSql
   and SubmitXflow do.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Protocol

from mcgateway.domain import CreatedInstance, Instance, Job, ListFilter
from mcgateway.maxcompute._config import ClientConfig
from mcgateway.maxcompute._deadline import Deadline
from mcgateway.maxcompute._errors import ErrorCategory, MaxComputeError, SyntheticCode
from mcgateway.maxcompute._jobs import REQUEST_ID_SETTING
from mcgateway.maxcompute._parsing import parse_xflow_config
from mcgateway.maxcompute._requester import MIN_ATTEMPT_SECONDS, Requester, instance_path
from mcgateway.maxcompute._urls import validate_instance_id

__all__ = ["Creator", "InstanceReader"]

logger = logging.getLogger("mcgateway.maxcompute")


class InstanceReader(Protocol):
    """The two read operations the search needs (the client provides them)."""

    def iter_instances(
        self,
        project: str,
        *,
        filter: ListFilter | None = ...,
        page_size: int | None = ...,
        deadline: Deadline | None = ...,
    ) -> Iterator[Instance]:
        """Every instance matching ``filter``."""
        ...

    def get_job(self, project: str, instance_id: str, *, deadline: Deadline | None = ...) -> Job:
        """The submitted job of an instance."""
        ...


class Creator:
    """Submits create requests and recovers from ambiguous failures (see module docs)."""

    def __init__(self, requester: Requester, config: ClientConfig, reader: InstanceReader) -> None:
        self._requester = requester
        self._config = config
        self._reader = reader

    def submit(
        self,
        project: str,
        body: bytes,
        request_id: str,
        deadline: Deadline,
    ) -> CreatedInstance:
        """POST ``body``; return the new instance, found again after an ambiguous failure.

        When it cannot be found, fail with ``CreateOutcomeUnknown``: the caller decides what
        to advise (a retry with the same request id is safe; one without it may duplicate).
        """
        # The server stamps the instance with its own clock; the search allows for skew.
        submitted_at = datetime.now(UTC)
        read_timeout = max(
            MIN_ATTEMPT_SECONDS, deadline.remaining() * self._config.create_read_share
        )
        try:
            resp = self._requester.call(
                "create_instance",
                "POST",
                ["projects", project, "instances"],
                body=body,
                content_type="application/xml",
                project=project,
                deadline=deadline,
                idempotent=False,
                read_timeout=read_timeout,
            )
        except MaxComputeError as exc:
            if not exc.ambiguous:
                raise
            logger.warning(
                "create in project %s failed ambiguously (%s); searching for request %s",
                project,
                exc.code,
                request_id,
            )
            instance_id = self._recover(project, request_id, submitted_at, deadline)
            if instance_id is not None:
                return CreatedInstance(project, instance_id, request_id, recovered=True)
            raise MaxComputeError(
                SyntheticCode.CREATE_OUTCOME_UNKNOWN,
                f"the submission reached MaxCompute but its answer was lost ({exc.code}), and "
                f"no instance with request id {request_id} was found yet",
                http_status=exc.http_status,
                request_id=exc.request_id,
                operation="create_instance",
                project=project,
                attempts=exc.attempts,
            ) from exc
        location = resp.header("Location")
        if not location:
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                "create response has no Location header",
                http_status=resp.status,
                operation="create_instance",
                project=project,
            )
        # As PyODPS: the instance id is whatever follows the last "/" of Location.
        instance_id = location.rstrip("/").rsplit("/", 1)[-1]
        try:
            validate_instance_id(instance_id)
        except ValueError as exc:
            raise MaxComputeError(
                SyntheticCode.INVALID_RESPONSE,
                "create response Location does not end in a valid instance id",
                http_status=resp.status,
                operation="create_instance",
                project=project,
            ) from exc
        return CreatedInstance(project, instance_id, request_id)

    def find(
        self,
        project: str,
        request_id: str,
        since: datetime,
        deadline: Deadline,
        checked: set[str] | None = None,
    ) -> str | None:
        """One search pass; ids in ``checked`` are skipped, and inspected ids are added."""
        checked = set() if checked is None else checked
        start = since - timedelta(seconds=self._config.clock_skew_allowance)
        candidates: list[Instance] = []
        for instance in self._reader.iter_instances(
            project, filter=ListFilter(start_time=start, only_owner=True), deadline=deadline
        ):
            if instance.start_time is not None and instance.start_time < start:
                continue
            if instance.id not in checked:
                candidates.append(instance)
        # Newest first (servers list oldest first): the instance we look for was created
        # moments ago. Only the newest few have their job read.
        candidates.sort(
            key=lambda i: i.start_time or datetime.max.replace(tzinfo=UTC), reverse=True
        )
        for instance in candidates[: self._config.create_lookup_limit]:
            if self._carries_request_id(project, instance.id, request_id, deadline):
                return instance.id
            checked.add(instance.id)
        return None

    def _recover(
        self, project: str, request_id: str, since: datetime, deadline: Deadline
    ) -> str | None:
        search_deadline = deadline.earlier(self._config.create_lookup_timeout)
        checked: set[str] = set()
        check = 0
        while True:
            check += 1
            try:
                found = self.find(project, request_id, since, search_deadline, checked)
            except MaxComputeError as exc:
                logger.warning("search for request %s failed: %s", request_id, exc.code)
                found = None
            if found is not None:
                return found
            # The instance may appear only once the server finished the slow create.
            pause = self._config.poll.interval(check)
            if search_deadline.remaining() <= pause + MIN_ATTEMPT_SECONDS:
                return None
            self._requester.sleep(pause)

    def _carries_request_id(
        self, project: str, instance_id: str, request_id: str, deadline: Deadline
    ) -> bool:
        try:
            job: Job | None = self._reader.get_job(project, instance_id, deadline=deadline)
        except MaxComputeError as exc:
            if exc.category is not ErrorCategory.NOT_FOUND:
                raise
            job = None  # XFlow instances have no SQL job source
        if job is not None:
            if job.guid == request_id:
                return True
            for task in job.tasks:
                props = task.property_map
                if props.get(REQUEST_ID_SETTING) == request_id:
                    return True
                try:
                    settings = json.loads(props.get("settings") or "{}")
                except ValueError:
                    settings = {}
                if isinstance(settings, dict) and settings.get(REQUEST_ID_SETTING) == request_id:
                    return True
            if job.tasks:
                return False
        # An XFlow instance: its submitted document lives behind ?xsource.
        try:
            resp = self._requester.call(
                "get_xflow_source",
                "GET",
                instance_path(project, instance_id),
                actions=["xsource"],
                project=project,
                instance_id=instance_id,
                deadline=deadline,
            )
        except MaxComputeError as exc:
            if exc.category is ErrorCategory.NOT_FOUND:
                return False
            raise
        config = self._requester.parse("get_xflow_source", resp, parse_xflow_config)
        return config.get(REQUEST_ID_SETTING) == request_id
