"""What a Word export prints, read back with python-docx: the fields a round trip must keep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx

from planstudio.export import export_plan
from planstudio.model import PlanDocument

EXPORTED = dt.date(2026, 1, 15)


def printed_fields(path: Path) -> list[tuple[str, ...]]:
    """Every paragraph and table row of the body, in order (the table of contents left out)."""
    document = docx.Document(str(path))
    found: list[tuple[str, ...]] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                found.append(
                    tuple("\n".join(p.text for p in cell.paragraphs) for cell in row.cells)
                )
        elif not block.style.name.upper().startswith("TOC") and block.text:
            found.append((block.text,))
    return found


def export_ga_dip(document: dict[str, Any], out: Path) -> Path:
    with PlanDocument.from_interchange(document) as plan:
        export_plan(plan.plan, "docx", out, layout="ga-dip", exported=EXPORTED)
    return out
