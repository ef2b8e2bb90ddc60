"""The plan: its tables, the document that holds one open plan, and the edits made to it.

Nothing here imports Qt: the command line, the tests and a future server use it as it is.
The names below load on first use (PEP 562), so that importing a light submodule such as
`planstudio.model.vocabulary` does not import SQLAlchemy and every table with it: the
command line's --help and --version stay instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planstudio.model.document import PlanDocument
    from planstudio.model.edits import (
        AddItem,
        Applied,
        Change,
        DeleteItem,
        EditError,
        EditOp,
        MoveItem,
        RestoreItem,
        UpdateItem,
        assign,
        find_link,
    )
    from planstudio.model.entities import (
        ActionStep,
        FundingSource,
        GoalArea,
        Measure,
        MonitoringMethod,
        Objective,
        Plan,
        Role,
        Strategy,
    )
    from planstudio.model.errors import (
        DamagedPlanError,
        InterchangeError,
        NewerVersionError,
        NotAPlanError,
        PlanError,
        PlanFileError,
        PlanInUseError,
        ReadOnlyError,
        SaveConflictError,
        SaveError,
    )

__all__ = [
    "ActionStep",
    "AddItem",
    "Applied",
    "Change",
    "DamagedPlanError",
    "DeleteItem",
    "EditError",
    "EditOp",
    "FundingSource",
    "GoalArea",
    "InterchangeError",
    "Measure",
    "MonitoringMethod",
    "MoveItem",
    "NewerVersionError",
    "NotAPlanError",
    "Objective",
    "Plan",
    "PlanDocument",
    "PlanError",
    "PlanFileError",
    "PlanInUseError",
    "ReadOnlyError",
    "RestoreItem",
    "Role",
    "SaveConflictError",
    "SaveError",
    "Strategy",
    "UpdateItem",
    "assign",
    "find_link",
]


# Where each name above lives, for `__getattr__`.
_HOMES = {
    "PlanDocument": "document",
    **dict.fromkeys(
        ("AddItem", "Applied", "Change", "DeleteItem", "EditError", "EditOp", "MoveItem",
         "RestoreItem", "UpdateItem", "assign", "find_link"),
        "edits",
    ),
    **dict.fromkeys(
        ("ActionStep", "FundingSource", "GoalArea", "Measure", "MonitoringMethod", "Objective",
         "Plan", "Role", "Strategy"),
        "entities",
    ),
    **dict.fromkeys(
        ("DamagedPlanError", "InterchangeError", "NewerVersionError", "NotAPlanError",
         "PlanError", "PlanFileError", "PlanInUseError", "ReadOnlyError", "SaveConflictError",
         "SaveError"),
        "errors",
    ),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
