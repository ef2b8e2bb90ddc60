"""The plan's own form: title, organization, years, team, mission, level names, Georgia general."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel

from planstudio.model import vocabulary
from planstudio.ui.deferred import deferred
from planstudio.ui.editors.forms.base import Form
from planstudio.ui.editors.forms.bindings import LevelNamesBinding
from planstudio.ui.widgets.choices import LevelNames
from planstudio.ui.widgets.fields import StateValidator
from planstudio.ui.widgets.values import (
    format_number,
    options,
    parse_number,
    parse_school_year,
    parse_state,
)

if TYPE_CHECKING:
    from planstudio.model import edits
else:
    edits = deferred("planstudio.model.edits")


class PlanForm(Form):
    kind = "plan"

    def build(self) -> None:
        body = self.body
        self.line(body, "plan", "title", "Title")
        self.line(body, "plan", "organization", "Organization", placeholder="District or school")
        self.line(
            body,
            "plan",
            "state",
            "State",
            placeholder="GA",
            width=60,
            parse=parse_state,
            validator=StateValidator(self),
        )
        self.combo(body, "plan", "layout", "Layout", options(vocabulary.LAYOUTS))
        years = QHBoxLayout()
        first = self.line(
            body, "plan", "first_year", "First school year", placeholder="2024-25", width=90,
            parse=parse_school_year, add_row=False,
        )  # fmt: skip
        last = self.line(
            body, "plan", "last_year", "Last school year", placeholder="2028-29", width=90,
            parse=parse_school_year, add_row=False,
        )  # fmt: skip
        through = QLabel("through")
        through.setBuddy(last)
        years.setSpacing(8)
        years.addWidget(first)
        years.addWidget(through)
        years.addWidget(last)
        years.addStretch(1)
        self.row(body, "School years", years, first, focus=[first, last])
        first.setAccessibleName("First school year")
        self.combo(body, "plan", "status", "Status", options(vocabulary.PLAN_STATUSES))
        self.line(body, "plan", "team_lead", "Team lead")
        self.text(body, "plan", "mission", "Mission")
        self.text(body, "plan", "vision", "Vision")
        self.strings(body, "plan", "core_beliefs", "Core beliefs", "core belief")
        _, names_layout = self.group("Level names")
        names = LevelNames()
        for line in names.lines:
            line.installEventFilter(self.pane.undo_router)
        self._bind(LevelNamesBinding(self, "plan", "level_labels", names))
        names_layout.addRow(names)
        hint = QLabel("Name all four levels, or leave all four empty for the names shown.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        names_layout.addRow(hint)
        self._focus_chain.append(names)
        self.ga_box, ga = self.group("Georgia general information")
        self.checks(
            ga, "ga_general", "funding_options", "Funding options",
            list(vocabulary.FUNDING_OPTIONS.items()), 1, label_above=True,
        )  # fmt: skip
        self._transfer(ga, "title_ii_a", "Title II, Part A")
        self._transfer(ga, "title_iv_a", "Title IV, Part A")
        self.checks(
            ga, "ga_general", "poverty_factors", "Poverty factors",
            list(vocabulary.POVERTY_FACTORS.items()), 1, label_above=True,
        )  # fmt: skip
        self.text(ga, "ga_general", "poverty_factors_other", "Other poverty factors", 2)
        self.yes_no(ga, "ga_general", "ed_flex_waiver", "ED-Flex waiver")
        self.text(ga, "ga_general", "ed_flex_waiver_detail", "ED-Flex waiver details", 2)

    def _transfer(self, layout: QFormLayout, prefix: str, program: str) -> None:
        row = QHBoxLayout()
        to = self.line(
            layout, "ga_general", f"{prefix}_transfer_to", f"{program} transferred to",
            placeholder="No funds transferred", add_row=False,
        )  # fmt: skip
        percent = self.line(
            layout, "ga_general", f"{prefix}_transfer_percent", f"{program} percent transferred",
            placeholder="0–100", width=70, parse=parse_number, fmt=format_number,
            add_row=False,
        )  # fmt: skip
        percent_label = QLabel("Percent")
        percent_label.setBuddy(percent)
        row.setSpacing(8)
        row.addWidget(to, 1)
        row.addWidget(percent_label)
        row.addWidget(percent)
        row.addWidget(QLabel("%"))
        self.row(layout, f"{program} transferred to", row, to, focus=[to, percent])

    def item(self) -> Any:
        return self.pane.plan

    def target(self, kind: str) -> Any:
        plan = self.pane.plan
        if plan is None:
            return None
        return plan.ga_general if kind == "ga_general" else plan

    def fill_extra(self, item: Any) -> None:
        self.ga_box.setEnabled(item.ga_general is not None)

    def update_heading(self) -> None:
        self.heading.setText("Plan Properties")

    def refresh_related(self, change: edits.Change) -> None:
        if change.kind != "ga_general":
            return
        names = change.fields or {b.name for b in self.bindings.values() if b.kind == "ga_general"}
        self.fill_fields("ga_general", names)
