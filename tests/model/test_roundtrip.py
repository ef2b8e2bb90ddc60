"""Import, save, open, dump: a plan comes back as it went in."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from planstudio.cli import main
from planstudio.model import PlanDocument
from planstudio.model.interchange import dumps, validate
from planstudio.model.storage import APPLICATION_ID, SCHEMA_VERSION
from tests.conftest import SAMPLES, load_json
from tests.model.helpers import canonical, without_item_ids
from tests.model.strategies import documents


def roundtrip(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    target = folder / "plan.psplan"
    target.unlink(missing_ok=True)
    with PlanDocument.from_interchange(document) as plan:
        plan.save_as(target)
    with PlanDocument.open(target) as reopened:
        return json.loads(dumps(reopened.plan))


def assert_same_plan(original: dict[str, Any], dumped: dict[str, Any]) -> None:
    assert without_item_ids(dumped) == canonical(without_item_ids(original))


def given_ids(document: Any) -> list[str]:
    found: list[str] = []
    if isinstance(document, dict):
        if "id" in document:
            found.append(document["id"])
        for value in document.values():
            found.extend(given_ids(value))
    elif isinstance(document, list):
        for value in document:
            found.extend(given_ids(value))
    return found


def unique_ids(document: dict[str, Any]) -> dict[str, Any]:
    """Drop repeated item ids that hypothesis may draw (a repeated id is refused on import)."""
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "id" in node:
                if node["id"] in seen:
                    del node["id"]
                else:
                    seen.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return document


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_every_sample_survives_import_save_open_dump(sample: Path, tmp_path: Path) -> None:
    original = load_json(sample)
    dumped = roundtrip(original, tmp_path)
    assert_same_plan(original, dumped)
    validate(dumped)
    # Catalog ids are kept, so action steps still point at the same entries.
    assert [r["id"] for r in dumped.get("roles", [])] == [
        r["id"] for r in original.get("roles", [])
    ]


def test_samples_exist_and_are_the_three_seed_plans() -> None:
    assert {path.stem for path in SAMPLES} >= {
        "durham-strategic-plan",
        "clayton-professional-learning-plan",
        "lausd-strategic-plan",
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_plans_survive_the_round_trip(tmp_path_factory, document) -> None:
    document = unique_ids(document)
    folder = tmp_path_factory.mktemp("roundtrip")
    dumped = roundtrip(document, folder)
    assert_same_plan(document, dumped)
    # Ids given on import are kept on dump.
    assert set(given_ids(document)) <= set(given_ids(dumped))
    # Dumping again gives the very same text: ids were assigned once, for good.
    again = roundtrip(dumped, folder)
    assert again == dumped


def test_saved_file_is_one_marked_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.psplan"
    with PlanDocument.new(title="Marked") as plan:
        plan.save_as(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.psplan"]
    header = target.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
    # Rollback-journal mode: opening it with any SQLite tool creates no -wal beside it.
    assert header[18] == 1 and header[19] == 1
    connection = sqlite3.connect(target)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


def test_cli_import_then_dump_gives_back_the_document(tmp_path: Path, capsysbinary) -> None:
    sample = SAMPLES[0]
    target = tmp_path / "sample.psplan"
    assert main(["import", str(sample), "-o", str(target)]) == 0
    assert main(["dump", str(target)]) == 0
    dumped = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert_same_plan(load_json(sample), dumped)
    out = tmp_path / "out.json"
    assert main(["dump", str(target), "-o", str(out)]) == 0
    assert load_json(out) == dumped


def test_cli_import_reads_standard_input(tmp_path: Path, monkeypatch) -> None:
    import io
    import sys

    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Ünïcode 🚸 <&>"},
    }
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(document).encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", stdin)
    target = tmp_path / "stdin.psplan"
    assert main(["import", "-", "-o", str(target)]) == 0
    with PlanDocument.open(target) as plan:
        assert plan.plan.title == "Ünïcode 🚸 <&>"


def test_cli_new_creates_a_plan_of_the_layout(tmp_path: Path) -> None:
    target = tmp_path / "dip.psplan"
    assert main(["new", str(target), "--layout", "ga-dip", "--title", "FY26 DIP",
                 "--organization", "Clayton County"]) == 0  # fmt: skip
    with PlanDocument.open(target) as plan:
        assert (plan.plan.title, plan.plan.organization, plan.plan.layout) == (
            "FY26 DIP",
            "Clayton County",
            "ga-dip",
        )
        assert not plan.modified
