"""Layouts: a plan snapshot (`to_interchange`) in, a format-neutral `Document` out.

Each layout is a function of the snapshot alone, so that the Word and PDF
writers print the same words in the same order, and so that an export can
build its document away from the database session the plan lives in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from planstudio.export.document import Document
from planstudio.export.errors import UnknownLayoutError
from planstudio.export.layouts import ga_dip, progress_report, strategic_plan

LAYOUTS: dict[str, Callable[[Mapping[str, Any], dt.date], Document]] = {
    ga_dip.LAYOUT: ga_dip.build,
    strategic_plan.LAYOUT: strategic_plan.build,
    progress_report.LAYOUT: progress_report.build,
}
DEFAULT_LAYOUT = strategic_plan.LAYOUT


def build_document(snapshot: Mapping[str, Any], layout: str, exported: dt.date) -> Document:
    """The document `layout` makes of a plan snapshot, dated `exported`."""
    build = LAYOUTS.get(layout)
    if build is None:
        raise UnknownLayoutError(
            f"There is no layout called {layout!r}; choose one of {', '.join(LAYOUTS)}."
        )
    return build(snapshot, exported)
