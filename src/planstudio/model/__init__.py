"""The plan: its tables, the document that holds one open plan, and the edits made to it.

Nothing here imports Qt: the command line, the tests and a future server use it as it is.
"""

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
