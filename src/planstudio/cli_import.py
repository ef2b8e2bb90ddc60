"""The command line's `import` of Word plans and spreadsheets (and `--into`), and `rollover`.

Kept apart from cli.py, which only registers these: report lines go to
standard error, one a line, and the command exits 0 with a count of what was
not placed; a file that cannot be imported is one line and exit 2 (cli.main).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from planstudio.model.errors import PlanError


class CommandError(PlanError):
    """A command given wrongly (cli.main prints it as one line, exit 2)."""


def add_rollover_parser(commands: Any) -> None:
    rollover = commands.add_parser(
        "rollover", help="make next year's plan from this one (years moved on, steps carried)"
    )
    rollover.add_argument("plan", metavar="PLAN")
    rollover.add_argument(
        "-o", "--output", metavar="NEXT", required=True, help="the plan to create"
    )
    rollover.add_argument(
        "--keep-completed", action="store_true", help="carry completed and discontinued steps too"
    )
    rollover.add_argument(
        "--keep-amounts", action="store_true", help="keep funding amounts and allocations"
    )
    rollover.add_argument("--summary", metavar="FILE", help="also write the summary to FILE")


def wants_file_import(args: argparse.Namespace) -> bool:
    """True when `import` is given a Word plan or spreadsheet, or --into (not plain JSON)."""
    from planstudio.importers import IMPORT_SUFFIXES

    return bool(args.into) or Path(args.json).suffix.lower() in IMPORT_SUFFIXES


def _say(line: str) -> None:
    sys.stderr.buffer.write(f"{line}\n".encode("utf-8", "replace"))
    sys.stderr.buffer.flush()


def _plan_path(name: str) -> Path:
    from planstudio.model.storage import PLAN_SUFFIX  # here: --help need not load storage

    path = Path(name)
    return path if path.suffix.lower() == PLAN_SUFFIX else path.with_name(path.name + PLAN_SUFFIX)


def _new_target(name: str) -> Path:
    path = _plan_path(name)
    if path.exists():
        raise CommandError(f"{path} already exists; choose another name or remove it first")
    if not path.parent.is_dir():
        raise CommandError(f"cannot create {path}: the folder {path.parent} does not exist")
    return path


def _read(source: Path, existing: dict[str, Any] | None) -> Any:
    from planstudio.importers import ImportReport, ImportResult, import_file
    from planstudio.importers.spreadsheet import read_spreadsheet

    if source.suffix.lower() in (".xlsx", ".csv"):
        return read_spreadsheet(source, existing=existing)
    if source.suffix.lower() == ".docx":
        return import_file(source)
    from planstudio.model.interchange import parse

    return ImportResult(parse(source.read_bytes(), str(source)), ImportReport(source.name))


def import_command(args: argparse.Namespace) -> int:
    """planstudio import FILE (-o NEW | --into PLAN)."""
    from planstudio.model import PlanDocument

    if args.json == "-":
        raise CommandError("--into and Word or spreadsheet imports read a file, not standard input")
    source = Path(args.json)
    if not source.is_file():
        raise CommandError(f"{source} does not exist or is not a file")
    if bool(args.into) == bool(args.output):
        raise CommandError("give either -o NEW.psplan (a new plan) or --into PLAN (add to one)")
    if args.output:
        target = _new_target(args.output)
        result = _read(source, None)
        with PlanDocument.from_interchange(result.document) as plan:
            plan.save_as(target)
    else:
        from planstudio.importers.into import count_steps, operations_to_add

        into = Path(args.into)
        if not into.exists():
            raise CommandError(f"{into} does not exist")
        with PlanDocument.open(into) as plan:
            existing = plan.snapshot()
            result = _read(source, existing)
            operations = operations_to_add(result.document, existing)
            for operation in operations:
                plan.apply(operation)  # a refusal leaves the file as it was: nothing is saved
            plan.save()
            result.report.counts = {"action step": count_steps(operations)}
            result.report.verb, result.report.into = "added", into.name
    for line in result.report.lines():
        _say(line)
    _say(result.report.summary())
    return 0


def rollover_command(args: argparse.Namespace) -> int:
    """planstudio rollover PLAN -o NEXT: the summary on standard output."""
    from planstudio.model import PlanDocument
    from planstudio.model.rollover import roll_over
    from planstudio.model.storage import write_bytes_atomically

    source = Path(args.plan)
    if not source.exists():
        raise CommandError(f"{source} does not exist")
    target = _new_target(args.output)
    with PlanDocument.open(source, read_only=True) as plan:
        new, summary = roll_over(
            plan, source.absolute(), keep_completed=args.keep_completed,
            keep_amounts=args.keep_amounts,
        )  # fmt: skip
    with new:
        new.save_as(target)
    text = summary.text()
    if args.summary:
        write_bytes_atomically(Path(args.summary).absolute(), text.encode("utf-8"))
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0
