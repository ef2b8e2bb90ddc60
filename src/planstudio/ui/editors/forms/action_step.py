"""The action step form: its fields, what the side panels assigned to it, and its reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from planstudio.model import vocabulary
from planstudio.model.formatting import money_or_blank
from planstudio.ui.deferred import deferred
from planstudio.ui.editors.forms.base import Form
from planstudio.ui.editors.forms.bindings import LineBinding
from planstudio.ui.widgets.fields import DateField
from planstudio.ui.widgets.review_table import ReviewTable
from planstudio.ui.widgets.values import elide, options, parse_date, same

if TYPE_CHECKING:
    from planstudio.model import edits, entities, kinds
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    kinds = deferred("planstudio.model.kinds")


class ActionStepForm(Form):
    kind = "action_step"

    def build(self) -> None:
        body = self.body
        self.text(body, "action_step", "text", "Text")
        self.checks(
            body, "action_step", "subgroups", "Subgroups",
            [(group, group) for group in vocabulary.STUDENT_GROUPS], 3,
            keep_order=True, other_noun="subgroup", label_above=True,
        )  # fmt: skip
        self.checks(body, "action_step", "systems", "Systems", list(vocabulary.SYSTEMS.items()), 2)
        self.combo(
            body, "action_step", "evidence_level", "Evidence level",
            options(vocabulary.EVIDENCE_LEVELS),
        )  # fmt: skip
        self.line(
            body, "action_step", "timeline", "Timeline", placeholder="e.g. Quarterly, or Aug-May"
        )
        for name, text in (("start", "Start date"), ("end", "End date")):
            field = DateField()
            self.bindings[name] = binding = LineBinding(
                self, "action_step", name, field.line, parse_date
            )
            self.widgets[name] = field.line
            field.line.installEventFilter(self.pane.undo_router)
            field.picked.connect(lambda day, b=binding: b.commit(day))
            field.button.setAccessibleName(f"Pick {text.lower()}")
            self.row(body, text, field, field.line, focus=[field])
        self.yes_no(
            body, "action_step", "supports_equity_intervention", "Supports equity intervention"
        )
        self.text(body, "action_step", "partnerships", "Partnerships", 2)
        self.combo(body, "action_step", "status", "Status", options(vocabulary.STEP_STATUSES))
        _, assigned = self.group("Assigned in the side panels")
        self.funding = self.links(
            assigned, "funding", "Funding", "None: assign funding sources in the Funding panel."
        )
        self.roles = self.links(
            assigned, "roles", "Roles responsible", "None: assign roles in the Roles panel."
        )
        self.implementation = self.links(
            assigned, "monitoring_implementation", "Monitoring of implementation",
            "None: assign methods in the Monitoring panel.",
        )  # fmt: skip
        self.effectiveness = self.links(
            assigned, "monitoring_effectiveness", "Monitoring of effectiveness",
            "None: assign methods in the Monitoring panel.",
        )  # fmt: skip
        self.reviews = ReviewTable()
        self.reviews.edited.connect(self._review_edited)
        self.reviews.add_requested.connect(self._add_review)
        self.reviews.remove_requested.connect(self._remove_review)
        _, review_layout = self.group("Reviews")
        review_layout.addRow(self.reviews)
        self.reviews.setAccessibleName("Reviews")
        self._focus_chain.append(self.reviews)
        self.widgets["reviews"] = self.reviews

    def ancestors(self, item: Any) -> list[tuple[str, entities.Item]]:
        strategy = self.pane.get(entities.Strategy, item.strategy_id)
        if strategy is None:
            return []
        objective = self.pane.get(entities.Objective, strategy.objective_id)
        area = self.pane.get(entities.GoalArea, objective.goal_area_id) if objective else None
        found: list[tuple[str, entities.Item]] = []
        if area is not None:
            found.append(("goal_area", area))
        if objective is not None:
            found.append(("objective", objective))
        return [*found, ("strategy", strategy)]

    def fill_extra(self, item: Any) -> None:
        self.fill_assigned(item)
        self.fill_reviews(item)

    def fill_assigned(self, step: entities.ActionStep) -> None:
        # Entries by id from the ORM session's identity map: a step names a handful of entries,
        # a stress-sized catalog holds hundreds, and this runs on every selection.
        def name(cls: type[Any], entry_id: str, field: str, length: int = 120) -> str:
            entry = self.pane.get(cls, entry_id)
            return elide(getattr(entry, field), length) if entry is not None else "?"

        funding = []
        for link in step.funding:
            details = ", ".join(p for p in (money_or_blank(link.amount), link.year or "") if p)
            source_id = link.funding_source_id
            after = f" — {details}" if details else ""
            funding.append(
                (
                    "funding_source",
                    source_id,
                    name(entities.FundingSource, source_id, "name"),
                    after,
                )
            )
        self.funding.set_entries(funding)
        self.roles.set_entries(
            ("role", link.role_id, name(entities.Role, link.role_id, "title"), "")
            for link in step.role_links
        )
        for label, links in (
            (self.implementation, step.implementation_links),
            (self.effectiveness, step.effectiveness_links),
        ):
            label.set_entries(
                ("monitoring_method", link.monitoring_method_id,
                 name(entities.MonitoringMethod, link.monitoring_method_id, "text"), "")
                for link in links
            )  # fmt: skip

    def fill_reviews(self, step: entities.ActionStep) -> None:
        self.reviews.set_reviews(
            [
                (review.id, review.date, review.status, review.percent_complete, review.note)
                for review in step.reviews
            ]
        )

    def _review_edited(self, review_id: str, field: str, value: Any) -> None:
        step = self.item()
        if step is None or self.filling:
            return
        review = next((r for r in step.reviews if r.id == review_id), None)
        if review is None or same(getattr(review, field), value):
            return
        self.pane.push(edits.UpdateItem("review", review_id, {field: value}))
        step = self.item()
        if step is not None:
            self.fill_reviews(step)

    def _add_review(self) -> None:
        step = self.item()
        if step is None:
            return
        values = {"date": date.today().isoformat(), "status": step.status or "in_progress"}
        self.pane.push(edits.AddItem("review", step.id, values))
        step = self.item()
        if step is not None:
            self.fill_reviews(step)
            table = self.reviews.table
            if table.rowCount():
                table.setCurrentCell(table.rowCount() - 1, 0)
                table.setFocus()

    def _remove_review(self, review_id: str) -> None:
        row = self.reviews.table.currentRow()
        self.pane.push(edits.DeleteItem("review", review_id))
        step = self.item()
        if step is not None:
            self.fill_reviews(step)
            table = self.reviews.table
            if table.rowCount():
                table.setCurrentCell(min(row, table.rowCount() - 1), 0)

    def refresh_related(self, change: edits.Change) -> None:
        step_id = self.item_id
        mine = step_id in (change.parent_id, change.previous_parent_id)
        if change.kind == "review" and mine:
            step = self.item()
            if step is not None:
                self.fill_reviews(step)
        elif (
            (change.kind in kinds.LINK_KINDS and mine)
            or change.kind in kinds.CATALOG_KINDS
            or ("action_step", step_id) in change.touched
        ):
            step = self.item()
            if step is not None:
                self.fill_assigned(step)
