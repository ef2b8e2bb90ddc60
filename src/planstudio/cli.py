"""The `planstudio` command: the window without a subcommand, file work with one.

Every failure is one line on standard error and exit status 2; a traceback
never reaches the user (an unexpected one goes to a log file instead).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from planstudio import __version__, cli_import
from planstudio.model.vocabulary import EXPORT_LAYOUTS, PLAN_LAYOUTS

# A command imports what it uses when it runs: --help and --version import no more than
# argparse and the layout names (no SQLAlchemy, no plan tables), so that they answer at once.

COMMANDS = (
    "new", "import", "dump", "export", "check", "verify", "diff", "merge", "apply", "log",
    "rollover",
)  # fmt: skip
EXIT_ERROR = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="planstudio",
        description="Write a district improvement plan; without a command, open the window.",
    )
    parser.add_argument("--version", action="version", version=f"Plan Studio {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    new = commands.add_parser("new", help="create an empty plan file")
    new.add_argument("plan", metavar="PLAN", help="the .psplan file to create")
    new.add_argument("--layout", choices=PLAN_LAYOUTS, help="the layout the plan is written for")
    new.add_argument("--title", help="the plan's title")
    new.add_argument("--organization", help="the district or school")

    imp = commands.add_parser(
        "import", help="build a plan from its JSON form, a Word DIP (.docx) or a spreadsheet"
    )
    imp.add_argument(
        "json", metavar="FILE", help="JSON (or - for standard input), .docx, .xlsx or .csv"
    )
    imp.add_argument("-o", "--output", metavar="PLAN", help="the plan to create")
    imp.add_argument("--into", metavar="PLAN", help="add to this plan instead (not JSON stdin)")

    dump = commands.add_parser("dump", help="write a plan's JSON interchange form")
    dump.add_argument("plan", metavar="PLAN")
    dump.add_argument("-o", "--output", metavar="JSON", help="where to write (default: stdout)")

    export = commands.add_parser("export", help="write the plan as a Word or PDF document")
    export.add_argument("plan", metavar="PLAN")
    export.add_argument("--format", choices=("docx", "pdf"), required=True)
    export.add_argument("--layout", choices=EXPORT_LAYOUTS)
    export.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the date a progress-report reports on (today)"
    )
    export.add_argument(
        "--no-group-charts",
        dest="group_charts",
        action="store_false",
        help="print a measure kept for several student groups as its table alone, "
        "without the chart of a panel per group",
    )
    export.add_argument("-o", "--output", metavar="OUT", required=True)

    check = commands.add_parser("check", help="list what the layout requires and the plan lacks")
    check.add_argument("plan", metavar="PLAN")
    check.add_argument("--layout", choices=PLAN_LAYOUTS)
    check.add_argument(
        "--spelling",
        action="store_true",
        help="also list the words neither the English dictionary nor yours knows",
    )

    verify = commands.add_parser(
        "verify", help="say what opening a plan file would report: damage, foreign objects, repairs"
    )
    verify.add_argument("plan", metavar="PLAN")

    diff = commands.add_parser("diff", help="list every difference between two plans")
    diff.add_argument("old", metavar="A")
    diff.add_argument("new", metavar="B")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument(
        "-o", "--output", metavar="OUT", help="also write the Changes document (.docx or .pdf)"
    )

    merge = commands.add_parser("merge", help="merge another copy of a plan into a new file")
    merge.add_argument("mine", metavar="MINE")
    merge.add_argument("theirs", metavar="THEIRS")
    merge.add_argument("-o", "--output", metavar="OUT", required=True)
    merge.add_argument("--prefer", choices=("mine", "theirs"), help="how to settle conflicts")

    apply = commands.add_parser(
        "apply", help="bring a plan to the content of a JSON document, as edits, and save"
    )
    apply.add_argument("plan", metavar="PLAN")
    apply.add_argument("json", metavar="JSON", help="the JSON file, or - for standard input")
    apply.add_argument("--comment", help="the comment on the saved version")

    log = commands.add_parser("log", help="list a plan's saved versions, newest first")
    log.add_argument("plan", metavar="PLAN")

    cli_import.add_rollover_parser(commands)
    return parser


def _window_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="planstudio", add_help=False)
    parser.add_argument("plan", metavar="PLAN", nargs="?")
    return parser


# ---------------------------------------------------------------------------- commands


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise UsageError(f"{path} already exists; choose another name or remove it first")
    if not path.parent.is_dir():
        raise UsageError(f"cannot create {path}: the folder {path.parent} does not exist")


def _plan_path(name: str) -> Path:
    from planstudio.model.storage import PLAN_SUFFIX

    path = Path(name)
    if path.suffix.lower() != PLAN_SUFFIX:
        path = path.with_name(path.name + PLAN_SUFFIX)
    return path


def _new(args: argparse.Namespace) -> int:
    from planstudio.model import PlanDocument

    target = _plan_path(args.plan)
    _refuse_existing(target)
    with PlanDocument.new(
        title=args.title, organization=args.organization, layout=args.layout
    ) as document:
        document.save_as(target)
    return 0


def _read_json_argument(name: str) -> tuple[bytes, str]:
    if name == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise UsageError("standard input is closed, so there is no JSON to import")
        try:
            return sys.stdin.buffer.read(), "standard input"
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot read standard input ({error})") from None
    source_path = Path(name)
    if not source_path.is_file():
        raise UsageError(f"{source_path} does not exist or is not a file")
    return source_path.read_bytes(), str(source_path)


def _import(args: argparse.Namespace) -> int:
    from planstudio.model import PlanDocument
    from planstudio.model.interchange import parse

    if cli_import.wants_file_import(args):
        return cli_import.import_command(args)
    if args.output is None:
        raise UsageError("give -o PLAN, the plan to create (see 'planstudio import --help')")
    target = _plan_path(args.output)
    _refuse_existing(target)
    text, source = _read_json_argument(args.json)
    document = parse(text, source)
    with PlanDocument.from_interchange(document) as plan:
        plan.save_as(target)
    return 0


def _existing_plan(name: str) -> Path:
    path = Path(name)
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    return path


def _dump(args: argparse.Namespace) -> int:
    from planstudio.model.interchange import as_text
    from planstudio.model.plan_file import read_plan_file
    from planstudio.model.storage import write_bytes_atomically

    # Read once, never opened for editing: dumping a plan someone has open is safe.
    snapshot, _ = read_plan_file(_existing_plan(args.plan))
    text = as_text(snapshot)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomically(Path(args.output).absolute(), text.encode("utf-8"))
    return 0


class _ProgressBar:
    """A progress bar on standard error: only on a terminal, and only once a second has gone
    by, so that quick exports and scripts see nothing but the result."""

    WIDTH = 30

    def __init__(self, delay: float = 1.0) -> None:
        from time import monotonic

        self._clock = monotonic
        self._started = monotonic()
        self._delay = delay
        self._shown = -1
        try:
            self._terminal = sys.stderr.isatty()
        except (AttributeError, ValueError):
            self._terminal = False

    def __call__(self, fraction: float) -> None:
        if not self._terminal or self._clock() - self._started < self._delay:
            return
        percent = int(fraction * 100)
        if percent == self._shown:
            return
        self._shown = percent
        filled = percent * self.WIDTH // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\rExporting [{bar}] {percent:3d}%")
        sys.stderr.flush()

    def close(self) -> None:
        if self._shown >= 0:
            sys.stderr.write("\r" + " " * (self.WIDTH + 20) + "\r")
            sys.stderr.flush()


def _export(args: argparse.Namespace) -> int:
    import datetime as dt

    from planstudio.export import LayoutOptions, export_snapshot
    from planstudio.model.plan_file import read_plan_file

    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix in (".docx", ".pdf") and suffix != f".{args.format}":
        raise UsageError(
            f"{output} ends in {suffix} but --format is {args.format}; "
            f"name the output .{args.format} or choose --format {suffix[1:]}"
        )
    as_of = None
    if args.as_of is not None:
        if args.layout != "progress-report":
            raise UsageError("--as-of goes with --layout progress-report")
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(f"--as-of {args.as_of}: give a date as YYYY-MM-DD") from None
    bar = _ProgressBar()
    try:
        # Read once, never opened for editing: exporting a plan someone has open is safe.
        snapshot, _ = read_plan_file(_existing_plan(args.plan))
        export_snapshot(
            snapshot, args.format, output, layout=args.layout, progress=bar, exported=as_of,
            options=LayoutOptions(group_charts=args.group_charts),
        )  # fmt: skip
    finally:
        bar.close()
    return 0


def _check(args: argparse.Namespace) -> int:
    """One line per finding, with its place in the tree; exit 1 when there are any."""
    from planstudio.model.plan_file import check_plan_file

    # Read once into memory, never opened for editing, as dump and export are.
    lines = check_plan_file(
        _existing_plan(args.plan), args.layout, spelling=getattr(args, "spelling", False)
    )
    out = "".join(f"{line}\n" for line in lines)
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 1 if lines else 0


def _verify(args: argparse.Namespace) -> int:
    """What opening the file would report; exit 0 clean, 1 something to report, 2 unopenable."""
    from planstudio.model import PlanDocument

    path = _existing_plan(args.plan)
    with PlanDocument.open(path, read_only=True) as document:
        lines = document.reception.notices(path.name)
        if document.upgraded_from is not None:
            lines.append(
                f"{path.name}: plan format {document.upgraded_from}; saving it writes the "
                "current format"
            )
    out = "".join(f"{line}\n" for line in lines) or f"{path.name}: no problems found\n"
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 1 if lines else 0


def _write_out(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _diff(args: argparse.Namespace) -> int:
    """One line per difference with its place; exit 0 same, 1 different."""
    import json

    from planstudio.model.diff import compare
    from planstudio.model.plan_file import read_plan_rows

    old, new = _existing_plan(args.old), _existing_plan(args.new)
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() not in (".docx", ".pdf"):
        raise UsageError(f"{output} should end in .docx or .pdf for the Changes document")
    old_rows, new_rows = read_plan_rows(old), read_plan_rows(new)
    differences = compare(old_rows, new_rows)
    if output is not None:
        # The title the new copy gives itself heads the Changes document.
        plan = next(iter(new_rows["plan"].values()), {})
        _write_changes(differences, old, new, plan, output)
    if args.format == "json":
        listed = [difference.as_json() for difference in differences]
        _write_out(json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
    else:
        _write_out("".join(f"{difference.line()}\n" for difference in differences))
    return 1 if differences else 0


def _write_changes(
    differences: list[Any], old: Path, new: Path, plan: dict[str, Any], output: Path
) -> None:
    import datetime as dt

    from planstudio.export.changes import build_changes_document, export_changes

    title, organization = plan.get("title") or "", plan.get("organization") or ""
    document = build_changes_document(
        differences, old.name, new.name, title, organization, dt.date.today()
    )
    export_changes(document, output.suffix.lower()[1:], output)


def _merge(args: argparse.Namespace) -> int:
    """Write MINE with THEIRS merged in to OUT; exit 1 when a conflict kept MINE's value."""
    from planstudio.model import PlanDocument
    from planstudio.model.copies import apply_all, finish_merge, prepare_merge

    mine_path, theirs_path = _existing_plan(args.mine), _existing_plan(args.theirs)
    target = _plan_path(args.output)
    _refuse_existing(target)
    with (
        PlanDocument.open(mine_path, read_only=True) as mine,
        PlanDocument.open(theirs_path, read_only=True) as theirs,
    ):
        mine.detach()
        prepared = prepare_merge(mine, theirs_path, theirs)
        conflicts = prepared.merge.conflicts
        for conflict in conflicts:
            conflict.resolve(args.prefer or "mine")
        apply_all(mine, prepared.edits())
        finish_merge(mine, prepared, theirs)
        mine.save_as(target, comment=f"Merged {theirs_path.name}")
    if not prepared.merge.has_common_version:
        sys.stderr.write(
            f"planstudio: {mine_path.name} and {theirs_path.name} share no saved version; "
            "every difference was treated as a choice\n"
        )
    for conflict in conflicts:
        sys.stderr.write(f"conflict: {conflict.line()} → kept {conflict.choice}\n")
    return 1 if conflicts and args.prefer is None else 0


def _apply(args: argparse.Namespace) -> int:
    """Bring PLAN to a JSON document's content as edits (ids and history kept), then save."""
    from planstudio.model import PlanDocument
    from planstudio.model.copies import apply_all, target_of
    from planstudio.model.interchange import parse
    from planstudio.model.merge import edits_to_reach

    text, source = _read_json_argument(args.json)
    content = parse(text, source)
    with PlanDocument.open(_existing_plan(args.plan)) as document:
        operations = edits_to_reach(document.rows(), target_of(document, content))
        apply_all(document, operations)
        document.save(comment=args.comment)
    sys.stderr.write(f"planstudio: {len(operations)} edits applied and saved\n")
    return 0


def _log(args: argparse.Namespace) -> int:
    import datetime as dt

    from planstudio.model import PlanDocument

    path = _existing_plan(args.plan)
    with PlanDocument.open(path, read_only=True) as document:
        versions = document.versions()
    lines = []
    for version in versions:
        when = version.saved_at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        comment = f"  {version.comment}" if version.comment else ""
        lines.append(f"{version.id[:8]}  {when}  {version.author}{comment}\n")
    _write_out("".join(lines) or f"{path.name} has no saved versions\n")
    return 0


def _no_display() -> bool:
    """On Linux and BSD, Qt aborts the process when there is no screen to open a window on."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return False
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _window(argv: Sequence[str]) -> int:
    args = _window_parser().parse_args(argv)
    if _no_display():
        raise UsageError(
            "there is no display to open the window on; run Plan Studio from a desktop "
            "session, or use a command such as 'planstudio dump' (see 'planstudio --help')"
        )
    try:
        from planstudio.ui.app import run
    except ImportError as error:
        raise UsageError(
            f"the window needs Qt, which is not installed ({error}); "
            "install it with: pip install 'planstudio[gui]'"
        ) from None
    return run(args.plan)


def _suggest(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, COMMANDS, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _names_a_command(argv: Sequence[str]) -> bool:
    """Whether `argv` asks for a file command (or --help, --version) rather than the window."""
    positional = [arg for arg in argv if not arg.startswith("-")]
    return bool(positional and positional[0] in COMMANDS) or bool(
        argv and argv[0] in ("-h", "--help", "--version")
    )


def _dispatch(argv: list[str]) -> int:
    if _names_a_command(argv):
        return _run_command(argv)
    positional = [arg for arg in argv if not arg.startswith("-")]
    # No command: open the window, with a plan if one is named.
    if len(positional) > 1 or (
        positional and not Path(positional[0]).exists() and _suggest(positional[0])
    ):
        raise UsageError(f"unknown command '{positional[0]}'{_suggest(positional[0])}")
    unknown = [arg for arg in argv if arg.startswith("-") and arg != "-"]
    if unknown:
        raise UsageError(f"unknown option '{unknown[0]}' (see 'planstudio --help')")
    return _window(positional)


def _run_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    handler = {
        "new": _new,
        "import": _import,
        "dump": _dump,
        "export": _export,
        "check": _check,
        "verify": _verify,
        "diff": _diff,
        "merge": _merge,
        "apply": _apply,
        "log": _log,
        "rollover": cli_import.rollover_command,
    }[args.command]
    return handler(args)


def _log_unexpected() -> Path | None:
    import traceback

    from planstudio.paths import data_dir

    try:
        log = data_dir() / "planstudio-errors.log"
        with log.open("a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc())
            handle.write("\n")
        return log
    except OSError:
        return None


def run() -> NoReturn:
    """The program: `planstudio` as installed, `python -m planstudio` and the frozen build.

    A file command is one short process, so it is run as one: the collector stays off (its
    passes took a tenth of a district export, and a command's objects are all alive until it
    ends), and once the command is done and its output flushed the process ends without
    tearing down every module and object one by one (~30 ms that no file depends on; the
    exit functions, such as the log's, still run).  `main` stays an ordinary function, so
    that tests can call it in-process.  The window exits the ordinary way: Qt's objects
    close their files as they go.
    """
    arguments = sys.argv[1:]
    if not _names_a_command(arguments):
        sys.exit(main(arguments))
    gc.disable()
    code = main(arguments)
    if sys.gettrace() is not None or sys.getprofile() is not None:
        # A debugger, profiler or coverage run writes its results as the process exits.
        sys.exit(code)
    # What an ordinary exit waits for: threads still finishing (none should be), then the
    # exit functions.
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken pipe: nothing more to say
            if stream is not None:
                stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(arguments)
    except SystemExit as done:  # --help and --version
        return int(done.code or 0) if isinstance(done.code, int | None) else EXIT_ERROR
    except UsageError as error:
        _say(str(error))
    except KeyboardInterrupt:
        _say("interrupted; nothing was written")
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as error:
        # Imported only now: --help and --version need no part of the model.
        from planstudio.model.errors import PlanError

        if isinstance(error, PlanError):
            _say(str(error))
            return EXIT_ERROR
        log = _log_unexpected()
        where = f"; details are in {log}" if log else ""
        _say(f"unexpected problem: {type(error).__name__}: {error}{where}")
    return EXIT_ERROR


def _say(message: str) -> None:
    line = " ".join(message.split())
    try:
        sys.stderr.write(f"planstudio: error: {line}\n")
        sys.stderr.flush()
    except (OSError, UnicodeEncodeError):
        sys.stderr.buffer.write(f"planstudio: error: {line}\n".encode("utf-8", "replace"))


if __name__ == "__main__":
    run()
