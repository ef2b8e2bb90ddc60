"""Read-only queries for the catalog panels: where an entry is used, funding totals, numbers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from planstudio.model import (
    ActionStep,
    DeleteItem,
    MoveItem,
    PlanDocument,
    UpdateItem,
    assign,
    queries,
)
from planstudio.model.numbering import letters
from planstudio.model.queries import FundingTotal


def catalog_document() -> dict[str, Any]:
    """Two goal areas whose steps use every catalog in every way, with ids to name them by.

    Tree (numbers as printed):
      1A.1.a train   roles dfp; t1 400 (2024-25) + t1 100.10 (2025-26); impl pd
      1A.1.b coach   t1 (no amount) + t2 25.20; impl pd; eff pd, scores
      1A.2.a tutor   roles dfp, asst; t2 0.10
      1B.1.a journal roles asst; eff scores
      2A.1.a call    roles dfp; t1 0.20; impl pd
    """
    return {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Catalogs", "first_year": "2024-25", "last_year": "2026-27"},
        "funding_sources": [
            {"id": "t1", "name": "Title I, Part A", "code": "4180", "kind": "federal",
             "allocation": 1000},
            {"id": "t2", "name": "Title II, Part A", "kind": "federal"},
            {"id": "t3", "name": "Local General Fund", "kind": "local", "allocation": 50},
        ],
        "roles": [
            {"id": "dfp", "title": "Director of Federal Programs",
             "department": "Federal Programs"},
            {"id": "asst", "title": "Assistant Superintendent"},
            {"id": "idle", "title": "Grant Writer"},
        ],
        "monitoring_methods": [
            {"id": "pd", "text": "PD logs", "kind": "implementation"},
            {"id": "scores", "text": "State assessment results", "kind": "effectiveness"},
        ],
        "goal_areas": [
            {"id": "lit", "title": "Literacy", "objectives": [
                {"id": "read", "statement": "Read on grade level", "strategies": [
                    {"id": "structured", "text": "Structured literacy", "action_steps": [
                        {"id": "train", "text": "Train K-2 teachers in structured literacy",
                         "roles": ["dfp"], "monitoring_implementation": ["pd"],
                         "funding": [{"source": "t1", "amount": 400, "year": "2024-25"},
                                     {"source": "t1", "amount": 100.10, "year": "2025-26"}]},
                        {"id": "coach", "text": "Coach",
                         "monitoring_implementation": ["pd"],
                         "monitoring_effectiveness": ["pd", "scores"],
                         "funding": [{"source": "t1"}, {"source": "t2", "amount": 25.20}]},
                    ]},
                    {"id": "tutoring", "text": "Tutoring", "action_steps": [
                        {"id": "tutor", "text": "Tutor", "roles": ["dfp", "asst"],
                         "funding": [{"source": "t2", "amount": 0.10}]},
                    ]},
                ]},
                {"id": "write", "statement": "Write clearly", "strategies": [
                    {"id": "journals", "text": "Journals", "action_steps": [
                        {"id": "journal", "text": "Keep journals", "roles": ["asst"],
                         "monitoring_effectiveness": ["scores"]},
                    ]},
                ]},
            ]},
            {"id": "attend", "title": "Attendance", "objectives": [
                {"id": "absences", "statement": "Fewer absences", "strategies": [
                    {"id": "calls", "text": "Calls", "action_steps": [
                        {"id": "call", "text": "Call home\n  after   two absences",
                         "roles": ["dfp"], "monitoring_implementation": ["pd"],
                         "funding": [{"source": "t1", "amount": 0.20}]},
                    ]},
                ]},
            ]},
        ],
    }  # fmt: skip


@pytest.fixture
def plan() -> Iterator[PlanDocument]:
    with PlanDocument.from_interchange(catalog_document()) as opened:
        yield opened


@contextmanager
def statements(document: PlanDocument) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    seen: list[str] = []
    engine = document.session.get_bind()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# ---------------------------------------------------------------------------- numbering


def test_letters_run_on_past_z_like_spreadsheet_columns() -> None:
    assert [letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    assert letters(2, lower=True) == "c"


def test_outline_numbers_follow_the_printed_style() -> None:
    assert queries.outline_number(0, 0, 0, 0) == "1A.1.a"
    assert queries.outline_number(1, 27, 9, 26) == "2AB.10.aa"


def test_shorten_keeps_one_line_and_marks_a_cut() -> None:
    assert queries.shorten("Call home\n  after   two absences") == "Call home after two absences"
    assert queries.shorten("abcdefghij", 6) == "abcde…"
    assert len(queries.shorten("word " * 40, 20)) <= 20
    assert queries.shorten(None) == ""


def test_step_numbers_and_labels(plan: PlanDocument) -> None:
    session = plan.session
    numbers = {step: queries.step_number(session, step)
               for step in ("train", "coach", "tutor", "journal", "call")}  # fmt: skip
    assert numbers == {
        "train": "1A.1.a", "coach": "1A.1.b", "tutor": "1A.2.a", "journal": "1B.1.a",
        "call": "2A.1.a",
    }  # fmt: skip
    assert queries.step_label(session, "call") == "2A.1.a  Call home after two absences"
    assert queries.step_label(session, "train", width=12) == "1A.1.a  Train K-2 t…"
    assert queries.step_number(session, "no-such-step") is None
    assert queries.step_label(session, "no-such-step") is None


def test_numbers_follow_moves(plan: PlanDocument) -> None:
    plan.apply(MoveItem("goal_area", "attend", plan.plan.id, 0))
    assert queries.step_number(plan.session, "call") == "1A.1.a"
    assert queries.step_number(plan.session, "journal") == "2B.1.a"


# ---------------------------------------------------------------------------- used by


def test_usages_are_each_step_once_in_tree_order(plan: PlanDocument) -> None:
    session = plan.session
    assert queries.usages(session, "role", "dfp") == ["train", "tutor", "call"]
    assert queries.usages(session, "role", "asst") == ["tutor", "journal"]
    assert queries.usages(session, "role", "idle") == []
    # A method used for both implementation and effectiveness of one step counts that step once.
    assert queries.usages(session, "monitoring_method", "pd") == ["train", "coach", "call"]
    assert queries.usages(session, "monitoring_method", "scores") == ["coach", "journal"]
    # Two funding lines (two years) from one source are still one step.
    assert queries.usages(session, "funding_source", "t1") == ["train", "coach", "call"]
    assert queries.usages(session, "funding_source", "t2") == ["coach", "tutor"]
    assert queries.usages(session, "funding_source", "t3") == []


def test_used_by_carries_numbers_and_text(plan: PlanDocument) -> None:
    uses = queries.used_by(plan.session, "role", "asst")
    assert [(use.step_id, use.number, use.text) for use in uses] == [
        ("tutor", "1A.2.a", "Tutor"),
        ("journal", "1B.1.a", "Keep journals"),
    ]
    assert uses[1].label() == "1B.1.a  Keep journals"


def test_usages_follow_edits_moves_and_undo(plan: PlanDocument) -> None:
    session = plan.session
    plan.apply(MoveItem("goal_area", "attend", plan.plan.id, 0))
    assert queries.usages(session, "role", "dfp") == ["call", "train", "tutor"]
    tutor_dfp = queries.link_ids(session, "tutor", "role_link", "dfp")[0]
    unassigned = plan.apply(DeleteItem("role_link", tutor_dfp))
    assert queries.usages(session, "role", "dfp") == ["call", "train"]
    plan.apply(unassigned.inverse)
    assert queries.usages(session, "role", "dfp") == ["call", "train", "tutor"]
    deleted = plan.apply(DeleteItem("action_step", "coach"))
    assert queries.usages(session, "monitoring_method", "scores") == ["journal"]
    plan.apply(deleted.inverse)
    assert queries.usages(session, "monitoring_method", "scores") == ["coach", "journal"]


def test_link_kinds_for_each_catalog() -> None:
    assert queries.link_kinds_for("funding_source") == ("funding_link",)
    assert queries.link_kinds_for("role") == ("role_link",)
    assert queries.link_kinds_for("monitoring_method") == (
        "implementation_link",
        "effectiveness_link",
    )
    with pytest.raises(ValueError, match="not a catalog"):
        queries.link_kinds_for("goal_area")


def test_assigned_entries_and_link_ids(plan: PlanDocument) -> None:
    session = plan.session
    assert queries.assigned_entries(session, "coach", "implementation_link") == {"pd"}
    assert queries.assigned_entries(session, "coach", "effectiveness_link") == {"pd", "scores"}
    assert queries.assigned_entries(session, "coach", "funding_link") == {"t1", "t2"}
    assert queries.assigned_entries(session, "coach", "role_link") == set()
    train = plan.get(ActionStep, "train")
    assert queries.link_ids(session, "train", "funding_link", "t1") == [
        link.id for link in train.funding
    ]
    assert len(queries.link_ids(session, "train", "funding_link", "t1")) == 2
    assert queries.link_ids(session, "train", "funding_link", "t2") == []


# ---------------------------------------------------------------------------- funding totals


def test_funding_totals_worked_out_by_hand(plan: PlanDocument) -> None:
    totals = queries.funding_totals(plan.session)
    assert totals == {
        # 400 + 100.10 + (no amount) + 0.20; three steps, train counted once for two years.
        "t1": FundingTotal(allocation=1000, assigned=500.30, balance=499.70, steps=3),
        # 25.20 + 0.10 sums to 25.300000000000001 in binary; shown to the cent.
        "t2": FundingTotal(allocation=None, assigned=25.30, balance=None, steps=2),
        "t3": FundingTotal(allocation=50, assigned=0.0, balance=50, steps=0),
    }


def test_funding_totals_of_some_sources(plan: PlanDocument) -> None:
    totals = queries.funding_totals(plan.session, ["t2", "no-such-source"])
    assert totals == {"t2": FundingTotal(allocation=None, assigned=25.30, balance=None, steps=2)}
    assert queries.funding_totals(plan.session, []) == {}


def test_funding_totals_follow_amounts_allocations_and_deletes(plan: PlanDocument) -> None:
    session = plan.session
    coach_t1 = queries.link_ids(session, "coach", "funding_link", "t1")[0]
    plan.apply(UpdateItem("funding_link", coach_t1, {"amount": 600}))
    plan.apply(UpdateItem("funding_source", "t3", {"allocation": None}))
    plan.apply(assign("journal", "funding_link", "t3", amount=75))
    totals = queries.funding_totals(session)
    assert totals["t1"] == FundingTotal(1000, 1100.30, -100.30, 3)  # over-allocated
    assert totals["t3"] == FundingTotal(None, 75, None, 1)
    deleted = plan.apply(DeleteItem("action_step", "train"))
    assert queries.funding_totals(session)["t1"] == FundingTotal(1000, 600.20, 399.80, 2)
    plan.apply(deleted.inverse)
    assert queries.funding_totals(session)["t1"].assigned == 1100.30
    removed = plan.apply(DeleteItem("funding_source", "t1"))
    assert set(queries.funding_totals(session)) == {"t2", "t3"}
    plan.apply(removed.inverse)
    assert queries.funding_totals(session)["t1"].steps == 3


def test_a_source_funding_steps_without_amounts_has_assigned_nothing(plan: PlanDocument) -> None:
    """Links without amounts sum to NULL in SQL; the total is 0.0, never float(None)."""
    plan.apply(assign("journal", "funding_link", "t3"))
    plan.apply(assign("call", "funding_link", "t3"))
    assert queries.funding_totals(plan.session, ["t3"]) == {
        "t3": FundingTotal(allocation=50, assigned=0.0, balance=50, steps=2)
    }


def test_each_question_is_one_statement_however_large_the_plan(plan: PlanDocument) -> None:
    """Aggregates in SQL rather than a walk over the steps: the cost does not grow with them."""
    with statements(plan) as seen:
        queries.funding_totals(plan.session)
    assert len(seen) == 1
    for kind, entry in (("role", "dfp"), ("monitoring_method", "pd"), ("funding_source", "t1")):
        with statements(plan) as seen:
            queries.used_by(plan.session, kind, entry)
        assert len(seen) == 1, kind
    with statements(plan) as seen:
        queries.assigned_entries(plan.session, "coach", "effectiveness_link")
        queries.step_label(plan.session, "coach")
    assert len(seen) == 2


def _cache_use_of_funding_totals(plan: PlanDocument) -> list[Any]:
    from sqlalchemy.engine.interfaces import CacheStats

    seen: list[Any] = []
    engine = plan.session.get_bind()

    def note(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append("hit" if context.cache_hit == CacheStats.CACHE_HIT else "compiled")

    event.listen(engine, "after_cursor_execute", note)
    try:
        queries.funding_totals(plan.session, ["t2"])
    finally:
        event.remove(engine, "after_cursor_execute", note)
    return seen


def test_the_funding_totals_statement_is_compiled_ahead_of_the_window(plan: PlanDocument) -> None:
    # The window sums the totals on its own thread; compiled there, the first use cost
    # several ms of a turn of its event loop.  compile_ahead runs on the opening worker.
    from planstudio.model import reading

    assert _cache_use_of_funding_totals(plan) == ["compiled"]  # a fresh engine compiles
    plan.session.get_bind()._compiled_cache.clear()  # as a newly opened plan's engine has it
    reading.compile_ahead(plan)
    assert _cache_use_of_funding_totals(plan) == ["hit"]
