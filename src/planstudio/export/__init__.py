"""Layouts turned into .docx and .pdf documents (no Qt).

    export_plan(plan, "docx", Path("plan.docx"))

takes a read-only snapshot of the plan (`to_interchange`), lets the layout
make a format-neutral `Document` of it, and has the format's writer write that
to a temporary file beside the output, which is renamed over the output only
once it is complete.  An error, a cancel or an interruption leaves the output
as it was.  The plan itself is only read.

For a window that must stay responsive: take the snapshot on the thread that
owns the plan's session (`snapshot_of`), then run `export_snapshot` on a
worker thread; `progress` is called there with 0 … 1, and returning False
from it (or raising ExportCancelled) cancels the export.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from planstudio.export.errors import (
    ExportCancelled,
    ExportError,
    UnknownFormatError,
    UnknownLayoutError,
)
from planstudio.export.layouts import DEFAULT_LAYOUT, LAYOUTS, LayoutOptions, build_document
from planstudio.model.collection import collection_paused, release_in_pieces

if TYPE_CHECKING:
    from planstudio.export.document import Document
    from planstudio.model.entities import Plan

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "ExportCancelled",
    "ExportError",
    "Format",
    "LayoutOptions",
    "Progress",
    "UnknownFormatError",
    "UnknownLayoutError",
    "build_document",
    "export_plan",
    "export_snapshot",
    "snapshot_of",
]

Format = Literal["docx", "pdf"]
FORMATS: tuple[Format, ...] = ("docx", "pdf")
# Called with the share done, 0 … 1; returning False asks the export to stop.
Progress = Callable[[float], object]
Writer = Callable[["Document", Path, Callable[[float], None] | None], None]


def snapshot_of(plan: Plan) -> dict[str, Any]:
    """The plan as a plain read-only dict (the interchange form) that layouts read.

    Read from the tables of the plan's session (after a flush, so that pending changes
    are seen) rather than walked through its ORM objects: the same dict, several times
    faster on a large plan.
    """
    from sqlalchemy.orm import object_session

    from planstudio.model.interchange import to_interchange
    from planstudio.model.snapshot import read_snapshot

    session = object_session(plan)
    if session is None:
        return to_interchange(plan)
    session.flush()
    with collection_paused():
        return read_snapshot(session.connection(), plan.id)


def _writer(fmt: str, chart_threads: bool = True) -> Writer:
    # Imported on demand: a Word export need not load reportlab, nor a PDF export python-docx.
    if fmt == "docx":
        from planstudio.export.docx import write_docx

        return functools.partial(write_docx, chart_threads=chart_threads)
    if fmt == "pdf":
        try:
            from planstudio.export.pdf import write_pdf
        except ImportError as error:
            raise ExportError(
                f"PDF export is not available in this installation ({error})."
            ) from None
        return write_pdf
    raise UnknownFormatError(f"Plan Studio cannot export {fmt!r}; choose docx or pdf.")


def _reporter(progress: Progress | None) -> Callable[[float], None]:
    def report(fraction: float) -> None:
        if progress is not None and progress(min(1.0, max(0.0, fraction))) is False:
            raise ExportCancelled("The export was cancelled; no file was written.")

    return report


def _check_output(out: Path) -> Path:
    target = Path(out).expanduser().absolute()
    if target.is_dir():
        raise ExportError(
            f"{target} is a folder; give the name of the file to write, such as plan.docx."
        )
    if not target.parent.is_dir():
        raise ExportError(f"Cannot write {target.name}: the folder {target.parent} does not exist.")
    return target


def export_snapshot(
    snapshot: Mapping[str, Any],
    fmt: str,
    out: Path,
    layout: str | None = None,
    progress: Progress | None = None,
    exported: dt.date | None = None,
    options: LayoutOptions | None = None,
    *,
    chart_threads: bool = True,
) -> None:
    """Write the document `layout` makes of `snapshot` as `fmt` to `out`, atomically;
    `options` are the layout's choices (`LayoutOptions`, its defaults when None);
    `chart_threads` False draws a Word file's charts on the calling thread (`write_docx`)."""
    from planstudio.model.storage import write_atomically

    writer = _writer(fmt, chart_threads)
    chosen = layout or snapshot.get("plan", {}).get("layout") or DEFAULT_LAYOUT
    if chosen not in LAYOUTS:
        raise UnknownLayoutError(
            f"There is no layout called {chosen!r}; choose one of {', '.join(LAYOUTS)}."
        )
    target = _check_output(out)
    report = _reporter(progress)
    temporaries: list[Path] = []
    built: list[Document] = []  # the one document, held where it can be let go of (below)

    def write(temporary: Path) -> None:
        temporaries.append(temporary)
        writer(built[0], temporary, lambda fraction: report(0.05 + 0.95 * fraction))

    with collection_paused():
        report(0.0)
        built.append(build_document(snapshot, chosen, exported or dt.date.today(), options))
        report(0.05)
        try:
            write_atomically(target, write)
        except BaseException:
            # write_atomically removes its temporary file after an OSError only; a cancel,
            # an interruption or a writer's bug must not leave a half-written file either.
            for temporary in temporaries:
                with contextlib.suppress(OSError):
                    temporary.unlink()
            raise
        # The document's blocks freed one by one here, not in one cascade at the return
        # (which holds the interpreter lock, and so the window, on a large plan).
        blocks = list(built.pop().blocks)
        release_in_pieces(blocks)
    if progress is not None:
        progress(1.0)  # done: a False now cannot un-write the file, so it is not a cancel


def export_plan(
    plan: Plan,
    fmt: Format | str,
    out: Path,
    layout: str | None = None,
    progress: Progress | None = None,
    exported: dt.date | None = None,
    options: LayoutOptions | None = None,
) -> None:
    """Write `plan` as a Word or PDF document at `out`.

    `layout` defaults to the plan's own (strategic-plan when it has none);
    `exported` (default today) is the date printed on the cover; `options` the layout's
    choices (e.g. `LayoutOptions(group_charts=False)`: student groups without a chart).  Raises a
    PlanError with a message for the user: ExportError for an unknown layout or
    format or a missing folder, ExportCancelled when `progress` returned False,
    SaveError (from the model's atomic write) when the file system refuses the
    output.  The output is replaced only by a complete file.
    """
    _writer(fmt)  # an unknown format is refused before any work is done
    export_snapshot(snapshot_of(plan), fmt, out, layout, progress, exported, options)
