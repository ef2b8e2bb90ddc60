"""The benchmark generator, imported as the module bench.generate: deterministic and valid."""

from __future__ import annotations

import json

from bench.generate import DATA, SIZES, generate_plan
from planstudio.model.validation import first_problem


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_plan() -> None:
    first = json.dumps(generate_plan("district", 5), ensure_ascii=False)
    assert json.dumps(generate_plan("district", 5), ensure_ascii=False) == first
    assert json.dumps(generate_plan("district", 6), ensure_ascii=False) != first


def test_a_generated_plan_is_valid_and_has_the_size_it_asks_for() -> None:
    document = generate_plan("district", 2)
    assert first_problem(document) is None
    counts = SIZES["district"]
    objectives = [o for area in document["goal_areas"] for o in area["objectives"]]
    strategies = [s for o in objectives for s in o.get("strategies", [])]
    steps = [a for s in strategies for a in s.get("action_steps", [])]
    assert len(document["goal_areas"]) == counts["goal_areas"]
    assert len(objectives) == counts["objectives"]
    assert len(strategies) == counts["strategies"]
    assert len(steps) == counts["action_steps"]
    assert len(document["roles"]) == counts["roles"]
    assert len(document["funding_sources"]) == counts["funding_sources"]


def test_the_vocabulary_is_data_beside_the_generator() -> None:
    names = sorted(path.name for path in DATA.glob("*.json"))
    assert names == ["catalogs.json", "form_choices.json", "prose.json", "themes.json"]
    for path in DATA.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
