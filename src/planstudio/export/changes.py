"""The "Changes" document: what changed between two states of a plan, for a cabinet or board.

Built from the model's comparison (`model.diff.compare`) as a format-neutral
`Document`, so the Word and PDF writers print it as they print a plan: the
same words in the same order, tagged and captioned the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from planstudio.export import _reporter, _writer
from planstudio.export.document import Block, Cover, Document, Grid, Heading, Paragraph, clean_text
from planstudio.export.layouts.common import long_date
from planstudio.model.diff import Difference, show, word_diff

LAYOUT = "changes"
_SECTIONS = (
    ("added", "Added"),
    ("removed", "Removed"),
    ("moved", "Moved"),
    ("changed", "Changed"),
)
# Past this length a changed text is shown as the words taken out and put in.
_LONG_TEXT = 80


def _value(value: object) -> str:
    return clean_text(show(value))


def _change_text(difference: Difference) -> tuple[str, str]:
    """(before, after) for a changed field; long text as the words that differ."""
    old, new = difference.old, difference.new
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > _LONG_TEXT:
        runs = word_diff(old, new)
        removed = " … ".join(words for tag, words in runs if tag == "-")
        added = " … ".join(words for tag, words in runs if tag == "+")
        return (f"… {clean_text(removed)} …" if removed else "(nothing removed)",
                f"… {clean_text(added)} …" if added else "(nothing added)")  # fmt: skip
    return _value(old), _value(new)


def build_changes_document(
    differences: Sequence[Difference], before: str, after: str, title: str, organization: str,
    exported: dt.date,
) -> Document:  # fmt: skip
    """The Changes document from `before` (e.g. "Board-approved plan, 2024-06-12") to `after`."""
    blocks: list[Block] = [
        Heading("Changes", 1),
        Paragraph(clean_text(f"From {before} to {after}: {len(differences)} changes.")),
    ]
    if not differences:
        blocks.append(Paragraph("The two plans hold the same content."))
    for action, heading in _SECTIONS:
        chosen = [d for d in differences if d.action == action]
        if not chosen:
            continue
        blocks.append(Heading(f"{heading} ({len(chosen)})", 2))
        if action == "changed":
            changed_rows: list[tuple[tuple[str, ...], ...]] = []
            for difference in chosen:
                old, new = _change_text(difference)
                place, subject = clean_text(difference.place), clean_text(difference.subject)
                field = clean_text(difference.field or "")
                changed_rows.append(((place,), (subject,), (field,), (old,), (new,)))
            blocks.append(Grid(("Place", "Item", "Field", "Before", "After"), tuple(changed_rows),
                               (0.1, 0.25, 0.15, 0.25, 0.25)))  # fmt: skip
            continue
        rows: list[tuple[tuple[str, ...], ...]] = []
        for difference in chosen:
            if difference.field is not None:
                value = difference.new if action == "added" else difference.old
                what = f"{difference.field}: {_value(value)}"
            elif action == "moved":
                what = f"from {difference.moved_from}"
            else:
                what = ""
            rows.append(((clean_text(difference.place),), (clean_text(difference.subject),),
                         (clean_text(what),)))  # fmt: skip
        blocks.append(Grid(("Place", "Item", "Detail"), tuple(rows), (0.15, 0.5, 0.35)))
    cover = Cover(clean_text(f"{title}: Changes"), clean_text(organization), "", "",
                  long_date(exported))  # fmt: skip
    return Document(cover, tuple(blocks), clean_text(f"{organization} · {title} · Changes"),
                    False, LAYOUT, metadata={"subject": "Changes", "title": f"{title}: Changes",
                                             "organization": organization})  # fmt: skip


def export_changes(document: Document, fmt: str, out: Path) -> None:
    """Write a Changes document as .docx or .pdf, atomically (as every export is)."""
    from planstudio.model.storage import write_atomically

    writer = _writer(fmt)
    report = _reporter(None)
    write_atomically(Path(out).absolute(), lambda temporary: writer(document, temporary, report))
