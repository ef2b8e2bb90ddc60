"""Choices among several: check boxes in a grid, the plan's level names, a phase with its dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QObject, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import vocabulary
from planstudio.ui.widgets.fields import ComboBox
from planstudio.ui.widgets.values import options
from planstudio.ui.widgets.wrap_grid import WrapGrid

WRAP_AFTER = 40  # characters: a longer choice wraps rather than widen the form


class WrappingCheckBox(QCheckBox):
    """A check box whose long text wraps to the width it is given, so it never widens a form.

    The text is drawn by a word-wrapping label inside the box; a click anywhere on
    the box (text included) toggles it, and `text()` and the accessible name keep
    the whole choice.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self.setAccessibleName(text)
        self.setToolTip(text)
        self._label = QLabel(text, self)
        self._label.setWordWrap(True)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        style = self.style()
        indent = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(indent + 2, 0, 0, 0)
        row.addWidget(self._label)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        layout = self.layout()
        assert layout is not None
        return layout.totalSizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        assert layout is not None
        return QSize(min(layout.totalSizeHint().width(), 160), layout.totalMinimumSize().height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        assert layout is not None
        return layout.totalHeightForWidth(width)

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


class CheckGroup(QWidget):
    """Several choices as check boxes in a grid; `edited` carries the checked codes.

    Enumerations keep the vocabulary's order; free lists (subgroups) keep the
    order the plan has them in and add a newly checked entry at the end, and
    take entries the user types, which appear as further check boxes.
    """

    edited = Signal(list)

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        columns: int,
        *,
        keep_order: bool = False,
        other_noun: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._keep_order = keep_order
        self._codes: list[str] = []
        self._boxes: dict[str, QCheckBox] = {}
        self._standard: set[str] = {code for code, _ in options}
        self._shown: list[str] = []
        self._grid = WrapGrid(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        for code, text in options:
            self._add_box(code, text)
        self.other: QLineEdit | None = None
        self.other_button: QPushButton | None = None
        if other_noun is not None:
            from planstudio.ui.widgets.spelling import SpellLineEdit  # words: spelled

            self.other = SpellLineEdit()
            self.other.setPlaceholderText(f"Another {other_noun}")
            self.other.setAccessibleName(f"Another {other_noun}")
            self.other.setMaxLength(1000)
            self.other_button = QPushButton(f"Add {other_noun}")
            self.other_button.setAccessibleName(f"Add {other_noun}")
            self.other_button.setAutoDefault(False)
            self.other.returnPressed.connect(self._add_other)
            self.other_button.clicked.connect(self._add_other)
            row = QHBoxLayout()
            row.setContentsMargins(0, 4, 0, 0)
            row.addWidget(self.other, 1)
            row.addWidget(self.other_button)
            layout.addLayout(row)

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]

    def focus_widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = [self._boxes[code] for code in self._codes]
        if self.other is not None and self.other_button is not None:
            widgets += [self.other, self.other_button]
        return widgets

    def _add_box(self, code: str, text: str) -> QCheckBox:
        box = WrappingCheckBox(text) if len(text) > WRAP_AFTER else QCheckBox(text)
        box.setAccessibleName(text)
        box.toggled.connect(self._toggled)
        previous = self._boxes[self._codes[-1]] if self._codes else None
        self._codes.append(code)
        self._boxes[code] = box
        self._grid.addWidget(box)
        if previous is not None:
            # A box made later would otherwise be the last stop of the window's tab chain.
            QWidget.setTabOrder(previous, box)
        return box

    def values(self) -> list[str]:
        checked = [code for code in self._codes if self._boxes[code].isChecked()]
        if not self._keep_order:
            return checked
        kept = [code for code in self._shown if code in checked]
        return kept + [code for code in checked if code not in kept]

    def set_values(self, values: Sequence[str], *, fresh: bool = False) -> None:
        self._shown = list(values)
        if fresh and self.other is not None:
            self._drop_custom(keep=set(values))
            self.other.clear()
        for code in values:
            if code not in self._boxes and self.other is not None:
                self._add_box(code, code)
        wanted = set(values)
        for code, box in self._boxes.items():
            if box.isChecked() != (code in wanted):
                box.blockSignals(True)
                box.setChecked(code in wanted)
                box.blockSignals(False)

    def _drop_custom(self, keep: set[str]) -> None:
        custom = [code for code in self._codes if code not in self._standard]
        if all(code in keep for code in custom):
            return
        for code in custom:
            box = self._boxes.pop(code)
            self._grid.removeWidget(box)
            box.hide()
            box.deleteLater()
        self._codes = [code for code in self._codes if code in self._standard]
        for code in custom:
            if code in keep:
                self._add_box(code, code)

    def _toggled(self, _checked: bool) -> None:
        values = self.values()
        self._shown = values
        self.edited.emit(values)

    def _add_other(self) -> None:
        assert self.other is not None
        text = self.other.text().strip()
        if not text:
            return
        existing = next((code for code in self._codes if code.casefold() == text.casefold()), None)
        self.other.clear()
        if existing is not None:
            self._boxes[existing].setChecked(True)
            return
        box = self._add_box(text, text)
        if self.other_button is not None:
            QWidget.setTabOrder(box, self.other)
        box.setChecked(True)


class LevelNames(QWidget):
    """The four names a plan gives its levels; all four empty means the default names."""

    edited = Signal(object)
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        from planstudio.ui.widgets.spelling import SpellLineEdit

        self.lines: list[QLineEdit] = []
        for level, default in enumerate(
            ("Goal Area", "Objective", "Strategy", "Action Step"), start=1
        ):
            label = QLabel(f"Level {level}")
            line: QLineEdit = SpellLineEdit()  # a level's name, as words: spelled
            line.setPlaceholderText(default)
            line.setMaxLength(1000)
            line.setAccessibleName(f"Name of level {level}")
            label.setBuddy(line)
            line.textEdited.connect(self._edited)
            line.editingFinished.connect(self.finished)
            row, column = divmod(level - 1, 2)
            grid.addWidget(label, row, 2 * column)
            grid.addWidget(line, row, 2 * column + 1)
            self.lines.append(line)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def focus_widgets(self) -> list[QWidget]:
        return list(self.lines)

    def values(self) -> list[str] | None:
        texts = [line.text() for line in self.lines]
        return texts if any(texts) else None

    def set_values(self, values: Sequence[str] | None) -> None:
        texts = list(values or []) + [""] * 4
        for line, text in zip(self.lines, texts, strict=False):
            if line.text() != text:
                position = line.cursorPosition()
                line.blockSignals(True)
                line.setText(text)
                line.setCursorPosition(min(position, len(text)))
                line.blockSignals(False)

    def _edited(self, _text: str) -> None:
        self.edited.emit(self.values())


class PhaseRow(QWidget):
    """The implementation phase of a strategy in each school year of the plan."""

    edited = Signal(str, object)  # year, phase code or None

    def __init__(self, wheel_guard: QObject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wheel_guard = wheel_guard
        self._grid = WrapGrid(8, h_spacing=10, v_spacing=6)
        self._hint = QLabel("Set the plan's first and last school year to plan phases by year.")
        self._hint.setWordWrap(True)
        self._hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addWidget(self._hint)
        self.combos: dict[str, ComboBox] = {}
        self._years: tuple[str, ...] | None = None

    def focus_widgets(self) -> list[QWidget]:
        return list(self.combos.values())

    def set_phases(self, years: Sequence[str], phases: Mapping[str, str]) -> bool:
        """Show one year per column; True when the columns were made anew."""
        rebuilt = tuple(years) != self._years
        if rebuilt:
            self._rebuild(years)
        for year, combo in self.combos.items():
            combo.blockSignals(True)
            combo.set_code(phases.get(year))
            combo.blockSignals(False)
        return rebuilt

    def _rebuild(self, years: Sequence[str]) -> None:
        while self._grid.count():
            taken = self._grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # gone now, not at the next turn of the event loop
                widget.deleteLater()
        self.combos = {}
        for year in years:
            cell = QWidget()
            label = QLabel(year)
            combo = ComboBox(options(vocabulary.PHASES))
            combo.setAccessibleName(f"Phase in {year}")
            combo.installEventFilter(self._wheel_guard)
            combo.currentIndexChanged.connect(lambda _i, y=year: self._changed(y))
            label.setBuddy(combo)
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(label)
            stack.addWidget(combo)
            self._grid.addWidget(cell)
            self.combos[year] = combo
        self._hint.setVisible(not years)
        self._years = tuple(years)

    def _changed(self, year: str) -> None:
        self.edited.emit(year, self.combos[year].code())
