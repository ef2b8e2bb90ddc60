"""The window's read API: which link a dropped entry becomes, and reads that match the queries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from planstudio.model import PlanDocument, UpdateItem, clipboard, queries, reading
from planstudio.model.entities import Role
from tests.model.test_queries import catalog_document


@pytest.fixture
def document() -> Iterator[PlanDocument]:
    with PlanDocument.from_interchange(catalog_document()) as opened:
        yield opened


@pytest.mark.parametrize(
    ("catalog_kind", "entry_id", "link_kind"),
    [
        ("funding_source", "t1", "funding_link"),
        ("role", "dfp", "role_link"),
        ("monitoring_method", "pd", "implementation_link"),
        ("monitoring_method", "scores", "effectiveness_link"),
        ("goal_area", "lit", None),
    ],
)
def test_a_dropped_entry_becomes_the_link_its_kind_says(
    document: PlanDocument, catalog_kind: str, entry_id: str, link_kind: str | None
) -> None:
    assert reading.catalog_link_kind(document, catalog_kind, entry_id) == link_kind


def test_a_method_that_changes_kind_changes_the_link_it_becomes(document: PlanDocument) -> None:
    document.apply(UpdateItem("monitoring_method", "pd", {"kind": "effectiveness"}))
    assert reading.catalog_link_kind(document, "monitoring_method", "pd") == "effectiveness_link"


def test_items_are_found_by_kind_or_class_and_missing_ones_are_none(
    document: PlanDocument,
) -> None:
    role = reading.item(document, "role", "dfp")
    assert isinstance(role, Role) and role.title == "Director of Federal Programs"
    assert reading.get(document, Role, "asst") is document.session.get(Role, "asst")
    assert reading.item(document, "role", "nobody") is None


def test_reads_answer_as_the_queries_do(document: PlanDocument) -> None:
    session = document.session
    assert reading.used_by(document, "role", "dfp") == queries.used_by(session, "role", "dfp")
    assert [use.step_id for use in reading.used_by(document, "role", "dfp")] == [
        "train", "tutor", "call",
    ]  # fmt: skip
    assert reading.step_number(document, "tutor") == queries.step_number(session, "tutor")
    assert reading.funding_totals(document) == queries.funding_totals(session)
    assert reading.link_ids(document, "train", "funding_link", "t1") == queries.link_ids(
        session, "train", "funding_link", "t1"
    )
    assert reading.assigned_entries(document, "coach", "effectiveness_link") == {"pd", "scores"}


def test_a_branch_read_and_pasted_goes_through_the_clipboard(document: PlanDocument) -> None:
    copied = reading.branch(document, "strategy", "tutoring")
    assert copied == clipboard.copy_branch(document.session, "strategy", "tutoring")
    operations = reading.paste_operations(document, copied, "objective", "read")
    assert [operation.kind for operation in operations][:1] == ["strategy"]
