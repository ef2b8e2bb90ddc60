"""Bad input is refused with a clear message and nothing is changed."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
from pathlib import Path

import pytest

from planstudio.cli import main
from planstudio.model import (
    DamagedPlanError,
    InterchangeError,
    NewerVersionError,
    NotAPlanError,
    PlanDocument,
    PlanFileError,
    SaveError,
)
from planstudio.model.interchange import parse, validate
from planstudio.model.storage import APPLICATION_ID, SCHEMA_VERSION
from tests.conftest import SAMPLES


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
    }


@pytest.fixture
def real_plan(tmp_path: Path) -> Path:
    target = tmp_path / "source" / "real.psplan"
    target.parent.mkdir()
    assert main(["import", str(SAMPLES[0]), "-o", str(target)]) == 0
    return target


def _empty(folder: Path, real: Path) -> Path:
    path = folder / "empty.psplan"
    path.write_bytes(b"")
    return path


def _random_bytes(folder: Path, real: Path) -> Path:
    path = folder / "noise.psplan"
    path.write_bytes(random.Random(7).randbytes(50_000))
    return path


def _truncated(folder: Path, real: Path) -> Path:
    path = folder / "truncated.psplan"
    data = real.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _header_only(folder: Path, real: Path) -> Path:
    path = folder / "header-only.psplan"
    path.write_bytes(real.read_bytes()[:60])
    return path


def _other_database(folder: Path, real: Path) -> Path:
    path = folder / "contacts.psplan"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contact (name TEXT)")
    connection.execute("INSERT INTO contact VALUES ('Ada')")
    connection.commit()
    connection.close()
    return path


def _newer_version(folder: Path, real: Path) -> Path:
    path = folder / "future.psplan"
    data = bytearray(real.read_bytes())
    data[60:64] = (99).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    return path


def _corrupt_pages(folder: Path, real: Path) -> Path:
    path = folder / "scribbled.psplan"
    data = bytearray(real.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


def _marked_but_empty_database(folder: Path, real: Path) -> Path:
    path = folder / "hollow.psplan"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 1")
    connection.execute("CREATE TABLE x (y)")
    connection.commit()
    connection.close()
    return path


BAD_FILES = {
    "empty": (_empty, NotAPlanError, "empty"),
    "random bytes": (_random_bytes, NotAPlanError, "not a Plan Studio plan"),
    "truncated": (_truncated, DamagedPlanError, "damaged"),
    "header only": (_header_only, DamagedPlanError, "damaged"),
    "other sqlite database": (_other_database, NotAPlanError, "not a Plan Studio plan"),
    "newer version": (_newer_version, NewerVersionError, "format 99"),
    "scribbled pages": (_corrupt_pages, DamagedPlanError, "damaged"),
    "marked but hollow": (_marked_but_empty_database, DamagedPlanError, "damaged"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_refused_and_left_untouched(case: str, tmp_path: Path, real_plan: Path,
                                                capsys) -> None:  # fmt: skip
    make, error_type, words = BAD_FILES[case]
    folder = tmp_path / "bad"
    folder.mkdir()
    bad = make(folder, real_plan)
    before = fingerprint(folder)
    with pytest.raises(error_type) as raised:
        PlanDocument.open(bad)
    assert words in str(raised.value)
    assert bad.name in str(raised.value)
    # The command line says the same in one line, with exit status 2.
    assert main(["dump", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert fingerprint(folder) == before  # byte for byte, and nothing beside it
    # Nothing is left behind in the recovery folder either.
    assert PlanDocument.recoverable() == []


def test_newer_version_message_names_both_versions(tmp_path: Path, real_plan: Path) -> None:
    bad = _newer_version(tmp_path, real_plan)
    with pytest.raises(NewerVersionError) as raised:
        PlanDocument.open(bad)
    assert raised.value.file_version == 99
    assert "format 99" in str(raised.value) and f"format {SCHEMA_VERSION}" in str(raised.value)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="does not exist"):
        PlanDocument.open(tmp_path / "nowhere.psplan")
    with pytest.raises(PlanFileError, match="folder"):
        PlanDocument.open(tmp_path)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"format": "planstudio.plan", "format_version": 1}', "$"),
        ('{"format": "planstudio.plan", "format_version": 2, "plan": {"title": "x"}}',
         "$.format_version"),
        ('{"format": "planstudio.plan", "format_version": 1, "plan": {"title": "x"},'
         ' "goal_areas": [{"title": "a", "objectives": [{"statement": 5}]}]}',
         "$.goal_areas[0].objectives[0].statement"),
        ('{"format": "planstudio.plan", "format_version": 1, "plan": {"title": "x",'
         ' "first_year": "2024"}}', "$.plan.first_year"),
        ('{"format": "planstudio.plan", "format_version": 1, "plan": {"title": "x"},'
         ' "goal_areas": [{"title": "a", "objectives": [{"statement": "s", "strategies":'
         ' [{"text": "t", "action_steps": [{"text": "u", "roles": ["nobody"]}]}]}]}]}',
         "$.goal_areas[0].objectives[0].strategies[0].action_steps[0].roles[0]"),
        ('{"format": "planstudio.plan", "format_version": 1, "plan": {"title": "x"},'
         ' "roles": [{"id": "r", "title": "A"}, {"id": "r", "title": "B"}]}', "$.roles[1].id"),
        ('{"format": "planstudio.plan", "format_version": 1, "plan": {"title": "\\ud800"}}',
         "$.plan.title"),
    ],
)  # fmt: skip
def test_json_that_breaks_the_schema_is_refused_with_its_path(
    text: str, path: str, tmp_path: Path, capsys
) -> None:
    with pytest.raises(InterchangeError) as raised:
        validate(parse(text, "plan.json"))
    assert raised.value.path == path
    source = tmp_path / "plan.json"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "plan.psplan"
    assert main(["import", str(source), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert path in err and err.count("\n") == 1
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_text_that_is_not_json_is_refused(tmp_path: Path, capsys) -> None:
    source = tmp_path / "notes.json"
    source.write_text('{"format": "planstudio.plan",\n oops}', encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "x.psplan")]) == 2
    assert "line 2" in capsys.readouterr().err
    source.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["import", str(source), "-o", str(tmp_path / "x.psplan")]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_saving_where_nothing_can_be_written_changes_nothing(tmp_path: Path) -> None:
    with PlanDocument.new(title="Nowhere to go") as plan:
        with pytest.raises(SaveError, match="does not exist"):
            plan.save_as(tmp_path / "missing-folder" / "plan.psplan")
        a_file = tmp_path / "a-file"
        a_file.write_text("x")
        with pytest.raises(SaveError):
            plan.save_as(a_file / "plan.psplan")
        assert plan.path is None and plan.modified
        if os.geteuid() != 0:  # root writes anywhere, so only a normal user can see this one
            locked = tmp_path / "locked"
            locked.mkdir()
            locked.chmod(0o500)
            try:
                with pytest.raises(SaveError, match="ermission"):
                    plan.save_as(locked / "plan.psplan")
                assert list(locked.iterdir()) == []
            finally:
                locked.chmod(0o700)
        # The plan is still there, unsaved, and can be saved somewhere sensible.
        plan.save_as(tmp_path / "fine.psplan")
        assert not plan.modified


def test_cli_errors_are_one_line_with_exit_2(tmp_path: Path, capsys) -> None:
    plan = tmp_path / "p.psplan"
    cases = [
        ["dupm", str(plan)],
        ["new"],
        ["dump"],
        ["import", str(tmp_path / "missing.json"), "-o", str(plan)],
        ["new", str(tmp_path / "no-folder" / "p.psplan")],
        ["dump", str(tmp_path / "missing.psplan")],
        ["export", str(plan), "--format", "odt", "-o", "x"],
        ["new", str(plan), "--layout", "gadip"],
        ["--frobnicate"],
    ]
    for argv in cases:
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert captured.err.count("\n") == 1, (argv, captured.err)
        assert captured.err.startswith("planstudio: error: "), argv
        assert "Traceback" not in captured.err + captured.out
    assert main(["new", str(plan)]) == 0
    assert main(["new", str(plan)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_version_prints_the_version(capsys) -> None:
    from planstudio import __version__

    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_dump_output_is_valid_json_with_hostile_text(tmp_path: Path) -> None:
    hostile = "A <b> & \"c\" 'd'\ttab\nline\x00nul\x07bell é ß Ω Ж Tiếng Việt 👩‍🏫 \u202e"
    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": hostile, "mission": hostile},
        "goal_areas": [{"title": hostile, "root_causes": [hostile, hostile]}],
    }
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "hostile.psplan"
    out = tmp_path / "out.json"
    assert main(["import", str(source), "-o", str(target)]) == 0
    assert main(["dump", str(target), "-o", str(out)]) == 0
    dumped = json.loads(out.read_text(encoding="utf-8"))
    assert dumped["plan"]["title"] == hostile
    assert dumped["goal_areas"][0]["root_causes"] == [hostile, hostile]


def test_the_window_without_a_display_is_one_clear_line(monkeypatch, capsys) -> None:
    import sys

    if not sys.platform.startswith("linux"):
        return
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err
