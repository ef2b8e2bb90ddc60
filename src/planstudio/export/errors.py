"""What can go wrong in an export, in words a user can act on."""

from __future__ import annotations

from planstudio.model.errors import PlanError


class ExportError(PlanError):
    """An export could not be made; nothing was written."""


class UnknownLayoutError(ExportError):
    pass


class UnknownFormatError(ExportError):
    pass


class ExportCancelled(ExportError):
    """The user stopped the export; the output file was left as it was."""
