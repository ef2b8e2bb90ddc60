"""`planstudio export PLAN --format docx|pdf [--layout L] -o OUT` (CONTRACTS.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from planstudio import cli
from planstudio.model import PlanDocument
from tests.export.helpers import docx_texts, load_plan_json


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(load_plan_json("full.json")) as plan:
        plan.save_as(path)
    return path


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("planstudio: error: ")
    assert "Traceback" not in err
    return lines[0]


def test_export_writes_the_plans_own_layout(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.docx"
    before = plan_file.read_bytes()
    assert cli.main(["export", str(plan_file), "--format", "docx", "-o", str(out)]) == 0
    assert "1 General Improvement Plan Information" in docx_texts(out)
    assert plan_file.read_bytes() == before  # opened read-only, never written
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""  # no bar when stderr is not a terminal


def test_export_with_another_layout(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.docx"
    code = cli.main(
        ["export", str(plan_file), "--format", "docx", "--layout", "strategic-plan", "-o", str(out)]
    )
    assert code == 0
    assert "Goals Overview" in docx_texts(out)


def test_export_of_a_plan_open_elsewhere_works(plan_file: Path, tmp_path: Path) -> None:
    with PlanDocument.open(plan_file):
        out = tmp_path / "plan.docx"
        assert cli.main(["export", str(plan_file), "--format", "docx", "-o", str(out)]) == 0


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["export", "missing.psplan", "--format", "docx", "-o", "x.docx"], "does not exist"),
        (["export", "{plan}", "--format", "docx", "-o", "{tmp}/no/such/x.docx"], "does not exist"),
        (["export", "{plan}", "--format", "docx", "-o", "{tmp}/x.pdf"], "--format is docx"),
        (["export", "{plan}", "--format", "odt", "-o", "{tmp}/x.odt"], "invalid choice"),
        (["export", "{plan}", "--format", "docx", "--layout", "x", "-o", "{tmp}/x"], "invalid"),
        (["export", "{plan}", "--format", "docx"], "required"),
        (["export", "{tmp}/notaplan.psplan", "--format", "docx", "-o", "{tmp}/x.docx"], "not a"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    arguments: list[str],
    words: str,
    plan_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "notaplan.psplan").write_text("hello", encoding="utf-8")
    argv = [a.format(plan=plan_file, tmp=tmp_path) for a in arguments]
    assert cli.main(argv) == 2
    assert words in _one_error_line(capsys)
    assert not list(tmp_path.glob("x*"))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_cleared_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = cli._ProgressBar(delay=0.0)
    for fraction in (0.0, 0.25, 0.25, 0.5, 1.0):
        bar(fraction)
    bar.close()
    shown = terminal.getvalue()
    assert shown.count("Exporting [") == 4  # a repeated percentage is not redrawn
    assert "100%" in shown
    assert shown.endswith("\r")

    quiet = _Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    slow_to_start = cli._ProgressBar(delay=60.0)
    slow_to_start(0.5)
    slow_to_start.close()
    assert quiet.getvalue() == ""  # exports under the delay show nothing


def test_pdf_export_from_the_command_line(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    assert cli.main(["export", str(plan_file), "--format", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
