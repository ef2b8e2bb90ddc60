"""export_plan: atomic output, clear errors, progress and cancel, and a plan left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planstudio.export import (
    ExportCancelled,
    ExportError,
    UnknownFormatError,
    UnknownLayoutError,
    export_plan,
)
from planstudio.model.errors import PlanError
from planstudio.model.interchange import dumps
from tests.export.helpers import EXPORTED, docx_texts, load_plan_json

OLD = b"the previous export, which must survive a failed one"


@pytest.fixture
def plan(open_plan: Any) -> Any:
    return open_plan(load_plan_json("full.json"))


def _leftovers(folder: Path, keep: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p != keep]


def test_export_uses_the_plans_own_layout_by_default(plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    export_plan(plan.plan, "docx", out, exported=EXPORTED)
    assert "1 General Improvement Plan Information" in docx_texts(out)  # ga-dip


def test_plan_without_a_layout_exports_as_a_strategic_plan(open_plan: Any, tmp_path: Path) -> None:
    document = load_plan_json("full.json")
    del document["plan"]["layout"]
    out = tmp_path / "plan.docx"
    export_plan(open_plan(document).plan, "docx", out, exported=EXPORTED)
    assert "Goals Overview" in docx_texts(out)


def test_exporting_never_changes_the_plan(plan: Any, tmp_path: Path) -> None:
    before, revision = dumps(plan.plan), plan.revision
    for fmt in ("docx",):
        for layout in ("ga-dip", "strategic-plan"):
            export_plan(plan.plan, fmt, tmp_path / f"out.{fmt}", layout=layout)
    assert dumps(plan.plan) == before
    assert plan.revision == revision
    assert not plan.session.dirty and not plan.session.new and not plan.session.deleted


def test_progress_runs_from_zero_to_one(plan: Any, tmp_path: Path) -> None:
    seen: list[float] = []
    export_plan(plan.plan, "docx", tmp_path / "plan.docx", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert all(0.0 <= fraction <= 1.0 for fraction in seen)


def test_cancel_leaves_the_previous_file_and_nothing_beside_it(plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    out.write_bytes(OLD)
    calls: list[float] = []

    def cancel_midway(fraction: float) -> bool:
        calls.append(fraction)
        return fraction < 0.5

    with pytest.raises(ExportCancelled, match="cancelled"):
        export_plan(plan.plan, "docx", out, layout="strategic-plan", progress=cancel_midway)
    assert out.read_bytes() == OLD
    assert _leftovers(tmp_path, out) == []
    assert max(calls) >= 0.5


def test_a_progress_callback_may_also_raise_to_cancel(plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"

    def stop(fraction: float) -> None:
        if fraction > 0.2:
            raise ExportCancelled("stopped by the user")

    with pytest.raises(ExportCancelled):
        export_plan(plan.plan, "docx", out, progress=stop)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_writer_failure_leaves_no_half_written_file(
    plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planstudio.export.docx.writer as writer

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("a bug in the chart code")

    monkeypatch.setattr(writer, "render_chart", broken)
    out = tmp_path / "plan.docx"
    out.write_bytes(OLD)
    with pytest.raises(RuntimeError):
        export_plan(plan.plan, "docx", out, layout="strategic-plan")
    assert out.read_bytes() == OLD
    assert _leftovers(tmp_path, out) == []


def test_interrupted_export_leaves_no_half_written_file(plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"

    def interrupt(fraction: float) -> None:
        if fraction > 0.5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_plan(plan.plan, "docx", out, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"fmt": "odt"}, UnknownFormatError, "docx or pdf"),
        ({"layout": "florida"}, UnknownLayoutError, "ga-dip, strategic-plan"),
        ({"out": "missing-folder/plan.docx"}, ExportError, "does not exist"),
        ({"out": "."}, ExportError, "is a folder"),
    ],
)
def test_errors_say_what_is_wrong(
    plan: Any, tmp_path: Path, arguments: dict[str, str], error: type, words: str
) -> None:
    call: dict[str, Any] = {"fmt": "docx", "out": "plan.docx", "layout": None, **arguments}
    with pytest.raises(error, match=words) as raised:
        export_plan(plan.plan, call["fmt"], tmp_path / call["out"], layout=call["layout"])
    assert isinstance(raised.value, PlanError)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_plan_error(plan: Any, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"")
        except OSError:
            pass
        else:  # running as root: permissions are not enforced
            probe.unlink()
            pytest.skip("file permissions are not enforced for this user")
        with pytest.raises(PlanError, match="locked"):
            export_plan(plan.plan, "docx", folder / "plan.docx")
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("chart_threads", [True, False])
def test_a_word_files_charts_are_drawn_on_helper_threads_only_when_asked(
    plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chart_threads: bool
) -> None:
    import os
    import threading
    import zipfile

    import planstudio.export.docx.writer as writer
    from planstudio.export import export_snapshot, snapshot_of

    real = writer.render_chart
    drawn_on: list[threading.Thread] = []

    def render(chart: Any) -> bytes:
        drawn_on.append(threading.current_thread())
        return real(chart)

    monkeypatch.setattr(writer, "render_chart", render)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    out = tmp_path / "plan.docx"
    export_snapshot(
        snapshot_of(plan.plan), "docx", out, layout="strategic-plan", chart_threads=chart_threads
    )

    assert drawn_on  # the plan has charts
    on_this_thread = {thread is threading.current_thread() for thread in drawn_on}
    assert on_this_thread == {not chart_threads}
    with zipfile.ZipFile(out) as package:
        pictures = [n for n in package.namelist() if n.startswith("word/media/chart")]
    assert len(pictures) == len(drawn_on)
