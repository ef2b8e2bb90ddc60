"""Errors a user can be shown as they are: each message says what is wrong and what to do."""

from __future__ import annotations


class PlanError(Exception):
    """Something the user can act on; the message is one sentence meant for them."""


class PlanFileError(PlanError):
    """A file cannot be opened or written as a plan; the file itself was not changed."""


class NotAPlanError(PlanFileError):
    pass


class DamagedPlanError(PlanFileError):
    pass


class NewerVersionError(PlanFileError):
    def __init__(self, message: str, file_version: int, supported_version: int) -> None:
        super().__init__(message)
        self.file_version = file_version
        self.supported_version = supported_version


class PlanInUseError(PlanFileError):
    def __init__(self, message: str, owner: dict[str, object]) -> None:
        super().__init__(message)
        self.owner = owner


class SaveError(PlanFileError):
    pass


class SaveConflictError(SaveError):
    """The file on disk was saved by someone else since this plan was opened or saved."""


class ReadOnlyError(PlanError):
    pass


class InterchangeError(PlanError):
    """A JSON document that is not a valid plan; `path` is the JSON path of the first problem."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.problem = message
