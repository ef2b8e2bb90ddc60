"""The small chart of one measure in the editor: baseline, targets and actuals by year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from planstudio.model.formatting import axis_value, format_value


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
        self.unit: str | None = None

    def set_data(
        self,
        years: Sequence[str],
        baseline: tuple[str, float] | None,
        targets: Mapping[str, float],
        actuals: Mapping[str, float],
        preview: Mapping[str, float] | None = None,
        unit: str | None = None,
    ) -> None:
        self.years = sorted(set(years) | ({baseline[0]} if baseline else set()))
        self.baseline = baseline
        self.targets = dict(targets)
        self.actuals = dict(actuals)
        self.preview = dict(preview or {})
        self.unit = unit
        self.setToolTip(self._describe())
        self.update()

    def _describe(self) -> str:
        parts = []
        unit = self.unit
        if self.baseline:
            parts.append(f"Baseline {self.baseline[0]}: {format_value(self.baseline[1], unit)}")
        parts += [f"Target {y}: {format_value(v, unit)}" for y, v in sorted(self.targets.items())]
        parts += [f"Actual {y}: {format_value(v, unit)}" for y, v in sorted(self.actuals.items())]
        return "\n".join(parts) or "No values yet"

    def _ticks(self) -> list[str]:
        """The value axis's labels, highest and lowest, with the measure's unit."""
        values = [*self.targets.values(), *self.actuals.values(), *self.preview.values()]
        if self.baseline:
            values.append(self.baseline[1])
        if not values:
            return []
        return [axis_value(round(v, 1), self.unit) for v in (min(values), max(values))]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        # The value axis is as wide as its labels with their unit ("$12,500", "87.5%"); the
        # years are centred under their points and kept inside the chart, so "2028-29" is whole.
        ticks = self._ticks()
        left = max((metrics.horizontalAdvance(tick) for tick in ticks), default=20) + 8
        last_year = metrics.horizontalAdvance(self.years[-1]) if self.years else 0
        area = QRectF(self.rect()).adjusted(left, 10, -max(10, last_year // 2 + 2), -24)
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
            width = metrics.horizontalAdvance(year)
            x = min(max(point.x() - width / 2, 0.0), self.width() - width - 1.0)
            painter.drawText(QPointF(x, area.bottom() + 16), year)
        painter.drawText(QPointF(2, area.top() + 10), axis_value(round(high, 1), self.unit))
        painter.drawText(QPointF(2, area.bottom()), axis_value(round(low, 1), self.unit))

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
