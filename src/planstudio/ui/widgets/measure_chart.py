"""The small chart of one measure in the editor: baseline, targets and actuals by year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from planstudio.model.formatting import axis_value, plain_number


class MeasureChart(QWidget):
    """Baseline → targets (line), actuals (dots joined), and a previewed trajectory (dashed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Chart of targets and actuals")
        self.years: list[str] = []
        self.baseline: tuple[str, float] | None = None
        self.targets: dict[str, float] = {}
        self.actuals: dict[str, float] = {}
        self.preview: dict[str, float] = {}

    def set_data(
        self,
        years: Sequence[str],
        baseline: tuple[str, float] | None,
        targets: Mapping[str, float],
        actuals: Mapping[str, float],
        preview: Mapping[str, float] | None = None,
    ) -> None:
        self.years = sorted(set(years) | ({baseline[0]} if baseline else set()))
        self.baseline = baseline
        self.targets = dict(targets)
        self.actuals = dict(actuals)
        self.preview = dict(preview or {})
        self.setToolTip(self._describe())
        self.update()

    def _describe(self) -> str:
        parts = []
        if self.baseline:
            parts.append(f"Baseline {self.baseline[0]}: {plain_number(self.baseline[1])}")
        parts += [f"Target {y}: {plain_number(v)}" for y, v in sorted(self.targets.items())]
        parts += [f"Actual {y}: {plain_number(v)}" for y, v in sorted(self.actuals.items())]
        return "\n".join(parts) or "No values yet"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(40, 10, -10, -24)
        painter.setPen(QPen(self.palette().mid().color()))
        painter.drawRect(area)
        values = list(self.targets.values()) + list(self.actuals.values())
        values += list(self.preview.values())
        if self.baseline:
            values.append(self.baseline[1])
        years = [y for y in self.years if y]
        if not values or not years:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No values yet")
            painter.end()
            return
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
        span = max(len(years) - 1, 1)

        def at(year: str, value: float) -> QPointF:
            x = area.left() + area.width() * years.index(year) / span
            y = area.bottom() - area.height() * (value - low) / (high - low)
            return QPointF(x, y)

        text_pen = QPen(self.palette().text().color())
        painter.setPen(text_pen)
        for year in years:
            point = at(year, low)
            painter.drawText(QPointF(point.x() - 18, area.bottom() + 16), year)
        painter.drawText(QPointF(2, area.top() + 10), axis_value(round(high, 1), None))
        painter.drawText(QPointF(2, area.bottom()), axis_value(round(low, 1), None))

        def line(points: Mapping[str, float], colour: str, style: Qt.PenStyle) -> None:
            chosen = dict(points)
            if self.baseline and chosen:
                chosen.setdefault(self.baseline[0], self.baseline[1])
            ordered = [at(y, v) for y, v in sorted(chosen.items()) if y in years]
            if not ordered:
                return
            pen = QPen(QColor(colour), 2, style)
            painter.setPen(pen)
            path = QPainterPath(ordered[0])
            for point in ordered[1:]:
                path.lineTo(point)
            painter.drawPath(path)
            for point in ordered:
                painter.drawEllipse(point, 3, 3)

        line(self.targets, "#1f5fa8", Qt.PenStyle.SolidLine)
        line(self.preview, "#1f5fa8", Qt.PenStyle.DashLine)
        line(self.actuals, "#d97706", Qt.PenStyle.SolidLine)
        painter.end()
