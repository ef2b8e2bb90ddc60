"""Plans from other programs: Georgia DIPs in Word, action steps in spreadsheets (no Qt).

    result = import_file(Path("dip.docx"))     # an ImportResult
    PlanDocument.from_interchange(result.document)

Every importer turns its file into an interchange document (`plan.schema.json`)
and an `ImportReport` of what it could not place; nothing it reads is dropped.
A file that cannot be read raises ImportRefused with one line for the user.
"""

from __future__ import annotations

from pathlib import Path

from planstudio.importers.report import ImportNote, ImportRefused, ImportReport, ImportResult

__all__ = [
    "IMPORT_SUFFIXES",
    "ImportNote",
    "ImportRefused",
    "ImportReport",
    "ImportResult",
    "import_file",
]

IMPORT_SUFFIXES = (".docx", ".xlsx", ".csv")


def import_file(path: Path, mapping: dict[str, str] | None = None) -> ImportResult:
    """Read a .docx Georgia DIP, or an .xlsx/.csv list of action steps, into a plan document.

    `mapping` (spreadsheets only) names the field each column header goes to,
    overriding the guess (`spreadsheet.guess_columns`).
    """
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from planstudio.importers.word_plan import read_word_plan

        return read_word_plan(path)
    if suffix in (".xlsx", ".csv"):
        from planstudio.importers.spreadsheet import read_spreadsheet

        return read_spreadsheet(path, mapping)
    raise ImportRefused(
        f"{path.name}: Plan Studio imports .docx, .xlsx and .csv files (and plan JSON), "
        f"not {suffix or 'files without a suffix'}"
    )
