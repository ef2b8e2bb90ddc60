"""A ga-dip Word export read back by the importer gives every field the layout prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings

from planstudio.export.document import LINE_BREAK, clean_text
from planstudio.importers import import_file
from planstudio.importers.matching import name_key
from tests.conftest import SAMPLES
from tests.importers.helpers import export_ga_dip, printed_fields
from tests.model.strategies import documents


def _round_trip(document: dict, folder: Path) -> tuple[list, list, dict]:
    first = export_ga_dip(document, folder / "first.docx")
    result = import_file(first)
    second = export_ga_dip(result.document, folder / "second.docx")
    return printed_fields(first), printed_fields(second), result.document


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_round_trip_gives_back_every_field(sample: Path, tmp_path: Path) -> None:
    document = json.loads(sample.read_text(encoding="utf-8"))
    before, after, imported = _round_trip(document, tmp_path)
    assert after == before
    # Catalogs: one entry per distinct name, each the plan's own.
    for catalog, name in (("funding_sources", "name"), ("roles", "title")):
        used = {entry[name] for entry in document.get(catalog, [])}
        got = [entry[name] for entry in imported.get(catalog, [])]
        assert len(got) == len({name_key(n) for n in got})
        assert set(got) <= used


def _distinct_names(document: dict) -> bool:
    for catalog, name in (
        ("funding_sources", "name"),
        ("roles", "title"),
        ("monitoring_methods", "text"),
    ):
        keys = [name_key(entry[name]) for entry in document.get(catalog, [])]
        if len(keys) != len(set(keys)):
            return False
    return True


def _visible_lines(document: dict) -> bool:
    """Whether every line of every list entry shows something: a list prints one entry a line,
    so an entry with a blank line reads back as two entries, or none."""
    entries: list[str] = []
    for catalog, name in (("funding_sources", "name"), ("roles", "title"),
                          ("monitoring_methods", "text")):  # fmt: skip
        entries.extend(entry[name] for entry in document.get(catalog, []))
    for area in document.get("goal_areas", []):
        gap = area.get("equity_gap", {})
        for key in ("content_areas", "subgroups", "interventions"):
            entries.extend(gap.get(key, []))
        for objective in area.get("objectives", []):
            for strategy in objective.get("strategies", []):
                for step in strategy.get("action_steps", []):
                    entries.extend(step.get("subgroups", []))
    # A vertical tab or form feed prints as a line break too (LINE_BREAK), found by hypothesis.
    return all(
        line.strip() for entry in entries if clean_text(entry)
        for line in clean_text(entry).replace(LINE_BREAK, "\n").split("\n")
    )  # fmt: skip


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents())
def test_generated_plan_round_trip(
    tmp_path_factory: pytest.TempPathFactory, document: dict
) -> None:
    # Two catalog entries whose names differ only in case or punctuation are one entry on import
    # (the issue asks for that), so a plan with such a pair cannot come back as two; nor can a
    # list entry holding a blank line come back as one entry.
    assume(_distinct_names(document) and _visible_lines(document))
    # A vertical tab or form feed prints as a line break within its paragraph (issue 15), which
    # the import reads back as a line end, not as the character typed; and where a one-line
    # field (the organization) prints in two places, the two do not yet agree on it. Known gap,
    # in the issue note. The break itself is tested in test_cross_format.py.
    assume(not any("\v" in t or "\f" in t for t in _texts(document)))
    # An unanswered waiver whose detail is the single word "Yes" or "No" prints exactly as an
    # answered one without a detail: the page itself cannot tell them apart.
    general = document["plan"].get("ga_general") or {}
    detail_lines = (general.get("ed_flex_waiver_detail") or "").split("\n")
    assume(general.get("ed_flex_waiver") is not None or detail_lines[0] not in ("Yes", "No"))
    folder = tmp_path_factory.mktemp("round")
    before, after, _ = _round_trip(document, folder)
    assert after == before


@pytest.mark.parametrize("detail", ["FALSE", "n", "true", "No waiver is needed."])
def test_an_unanswered_waiver_keeps_its_detail(tmp_path: Path, detail: str) -> None:
    # Found by hypothesis: an unanswered waiver with the detail "FALSE" came back answered "No".
    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Waiver", "layout": "ga-dip",
                 "ga_general": {"ed_flex_waiver_detail": detail}},
    }  # fmt: skip
    before, after, imported = _round_trip(document, tmp_path)
    assert after == before
    assert "ed_flex_waiver" not in imported["plan"]["ga_general"]
    assert imported["plan"]["ga_general"]["ed_flex_waiver_detail"] == detail


def test_district_plan_round_trip(tmp_path: Path) -> None:
    from bench.generate import generate_plan

    before, after, imported = _round_trip(generate_plan("district", seed=1), tmp_path)
    assert after == before
    steps = [
        s for a in imported["goal_areas"] for o in a["objectives"] for st in o["strategies"]
        for s in st["action_steps"]
    ]  # fmt: skip
    assert len(steps) == 400


def test_values_taller_than_a_page_come_back_whole(tmp_path: Path) -> None:
    long_text = "\n".join(f"Paragraph {n}: " + "word " * 60 for n in range(80))
    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Long", "layout": "ga-dip"},
        "goal_areas": [{
            "title": "Area", "need": long_text, "root_causes": [long_text, "short"],
            "objectives": [{"statement": "S", "strategies": [{"text": "T", "action_steps": [
                {"text": long_text, "partnerships": long_text}, {"text": "second"},
            ]}]}],
        }],
    }  # fmt: skip
    before, after, imported = _round_trip(document, tmp_path)
    assert after == before
    (area,) = imported["goal_areas"]
    assert area["need"] == long_text and area["root_causes"] == [long_text, "short"]
    steps = area["objectives"][0]["strategies"][0]["action_steps"]
    assert [s["text"] for s in steps] == [long_text, "second"]
    assert steps[0]["partnerships"] == long_text
