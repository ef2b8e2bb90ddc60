"""What an import could not place, and the one-line refusal of a file that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planstudio.model.errors import PlanError


class ImportRefused(PlanError):
    """The file cannot be imported (not the kind it claims, damaged, hostile, too large)."""


@dataclass(frozen=True)
class ImportNote:
    """Text the importer could not place: kept as a note on `kept_on`, listed for the user."""

    where: str  # where it was in the file: "Overarching Need # 2, Action Step # 3" or "row 14"
    label: str  # the label or column header it came under
    text: str
    kept_on: str  # the item that now holds it as a note

    def line(self) -> str:
        shown = " ".join(self.text.split())
        if len(shown) > 80:
            shown = shown[:77] + "..."
        label = f" {self.label!r}" if self.label else ""
        return f"{self.where}:{label} not placed; kept as a note on {self.kept_on}: {shown}"


@dataclass
class ImportReport:
    """The notes of one import, in file order, and a count of what was read."""

    source: str
    notes: list[ImportNote] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # "action step" → how many
    verb: str = "read"
    into: str = ""  # the plan added to, for an import into an open plan

    def add(self, note: ImportNote) -> None:
        self.notes.append(note)

    def count(self, what: str, how_many: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + how_many

    def summary(self) -> str:
        read = ", ".join(f"{n} {_plural(what, n)}" for what, n in self.counts.items() if n)
        placed = (
            "everything placed"
            if not self.notes
            else f"{len(self.notes)} item{'s' if len(self.notes) != 1 else ''} not placed "
            "(kept as notes)"
        )
        into = f" to {self.into}" if self.into else ""
        return f"{self.source}: {self.verb} {read or 'nothing'}{into}; {placed}"

    def lines(self) -> list[str]:
        return [note.line() for note in self.notes]


def _plural(word: str, count: int) -> str:
    if count == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


@dataclass
class ImportResult:
    """An interchange document ready for `PlanDocument.from_interchange`, and its report."""

    document: dict[str, Any]
    report: ImportReport
