"""MaxCompute-style errors: one exception type carrying the HTTP status, Code and Message."""

from __future__ import annotations


class ServiceError(Exception):
    """An error answered as an ``<Error>`` document (Code, Message, RequestId, HostId)."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def no_such_instance(instance_id: str) -> ServiceError:
    """The instance id is unknown (PyODPS's ``exist_instance`` relies on this code)."""
    return ServiceError(404, "NoSuchObject", f"ODPS-0420111: Instance not found - {instance_id}")


def no_such_project(project: str) -> ServiceError:
    """The project is not served by this emulator."""
    return ServiceError(404, "NoSuchProject", f"ODPS-0420111: Project not found - '{project}'.")


def no_permission(access_id: str, project: str) -> ServiceError:
    """The account exists but may not use the project."""
    return ServiceError(
        403,
        "NoPermission",
        f"ODPS-0420095: Access Denied - Authorization Failed [4002], "
        f"You don't exist in project {project}. Context: user {access_id}",
    )


def invalid_parameter(message: str) -> ServiceError:
    """A malformed request: bad XML, bad query parameter, bad JSON."""
    return ServiceError(400, "InvalidParameter", message)


def invalid_state(message: str) -> ServiceError:
    """A state change the instance's current state does not allow (e.g. stop a finished one)."""
    return ServiceError(409, "InvalidStateSetting", f"ODPS-0420061: Invalid parameter - {message}")


def internal_error(message: str = "Internal server error") -> ServiceError:
    """Anything unexpected; the detail stays in the server log, not in the response."""
    return ServiceError(
        500, "InternalServerError", f"ODPS-0010000:System internal error - {message}"
    )
