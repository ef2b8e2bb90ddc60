"""Layouts: a plan snapshot (`to_interchange`) in, a format-neutral `Document` out.

Each layout is a function of the snapshot alone, so that the Word and PDF
writers print the same words in the same order, and so that an export can
build its document away from the database session the plan lives in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Protocol

from planstudio.export.document import Document
from planstudio.export.errors import UnknownLayoutError
from planstudio.export.layouts import ga_dip, progress_report, strategic_plan
from planstudio.export.layouts.common import LayoutOptions

__all__ = ["DEFAULT_LAYOUT", "LAYOUTS", "LayoutOptions", "build_document", "plan_language"]


class Layout(Protocol):
    def __call__(
        self, snapshot: Mapping[str, Any], exported: dt.date, options: LayoutOptions | None = None
    ) -> Document: ...


LAYOUTS: dict[str, Layout] = {
    ga_dip.LAYOUT: ga_dip.build,
    strategic_plan.LAYOUT: strategic_plan.build,
    progress_report.LAYOUT: progress_report.build,
}
DEFAULT_LAYOUT = strategic_plan.LAYOUT
DEFAULT_LANGUAGE = "en-US"

# A BCP 47 tag as a plan file may carry it ("en-US", "es", "zh-Hant-TW"); anything else is
# ignored rather than written into a file's language entries.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")


def plan_language(snapshot: Mapping[str, Any]) -> str:
    """The plan's language as a BCP 47 tag: its own if it names one, else American English."""
    plan = snapshot.get("plan")
    places = [plan, snapshot] if isinstance(plan, Mapping) else [snapshot]
    for key in (place.get(name) for place in places for name in ("language", "lang")):
        value = key
        if isinstance(value, str) and _LANGUAGE_TAG.fullmatch(value.strip()):
            return value.strip()
    return DEFAULT_LANGUAGE


def build_document(
    snapshot: Mapping[str, Any],
    layout: str,
    exported: dt.date,
    options: LayoutOptions | None = None,
) -> Document:
    """The document `layout` makes of a plan snapshot, dated `exported`, as `options` say."""
    build = LAYOUTS.get(layout)
    if build is None:
        raise UnknownLayoutError(
            f"There is no layout called {layout!r}; choose one of {', '.join(LAYOUTS)}."
        )
    document = build(snapshot, exported, options)
    return dataclasses.replace(document, language=plan_language(snapshot))
