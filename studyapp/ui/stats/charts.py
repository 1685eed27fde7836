"""Charts for the Statistics window on pyqtgraph: stacked bars and a calendar heatmap, in the
palette's colours, with axes and units and the value under the mouse.

pyqtgraph (and numpy) are imported by this module only, which the window imports when it
opens: start-up never pays for them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from studyapp.ui.colours import mix, readable_hue

CHART_HEIGHT = 210
# Hues for the kinds of review, as Anki's graphs tell them apart; made readable on the base.
KIND_HUES = {"learning": 210, "young": 95, "mature": 150, "relearning": 0}
KIND_NAMES = {
    "learning": "Learning",
    "young": "Young",
    "mature": "Mature",
    "relearning": "Relearning",
}


def series_colour(palette: QPalette, hue: int, darker: bool = False) -> QColor:
    """A bar colour of this hue at 3:1 against the base (what graphics need to be seen)."""
    base = palette.color(QPalette.ColorRole.Base)
    colour = readable_hue(hue, base, minimum=3.0)
    if darker:  # mature beside young: the same family, further from the base
        colour = mix(colour, palette.color(QPalette.ColorRole.Text), 0.45)
    return colour


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: QColor


class Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A plot with the palette's colours, labelled axes, and hover text from `hover_text`
    (shown as a tooltip and announced by `hovered` for the window's read-out line)."""

    hovered = Signal(str)

    def __init__(
        self,
        name: str,
        title: str,
        x_label: str,
        y_label: str,
        parent: QWidget | None = None,
        *,
        x_units: str = "",
        y_units: str = "",
    ) -> None:
        # No context menus: their widgets were built for every chart (a fifth of its cost).
        super().__init__(parent, enableMenu=False)
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.setMinimumHeight(CHART_HEIGHT)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        # The window stays open beside the main one: its tooltips show while it is inactive.
        self.setAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips, True)
        self.painted = False  # set by the first paint (the benchmark waits for it)
        self._title, self._labels = title, (x_label, x_units, y_label, y_units)
        self.hover_text: Callable[[float, float], str] = lambda _x, _y: ""
        self.legend: list[tuple[str, QColor]] = []  # the stacked series, named in the title
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.apply_palette(self.palette())

    def apply_palette(self, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.setBackground(base)
        x_label, x_units, y_label, y_units = self._labels
        item = self.getPlotItem()
        self._show_title(text)
        for side, label, units in (("bottom", x_label, x_units), ("left", y_label, y_units)):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(mix(base, text, 0.6)))
            axis.setTextPen(pg.mkPen(text))
            axis.enableAutoSIPrefix(False)
            axis.setLabel(label, units=units or None, color=text.name())
        self.showGrid(x=False, y=True, alpha=0.25)

    def set_legend(self, entries: Sequence[tuple[str, QColor]]) -> None:
        """Name these series in the title, each after a square of its colour (a legend that
        never covers a bar)."""
        self.legend = list(entries)
        self._show_title(self.palette().color(QPalette.ColorRole.Text))

    def _show_title(self, text: QColor) -> None:
        title = html.escape(self._title)
        if self.legend:
            keys = "&nbsp;&nbsp;".join(
                f'<span style="color:{colour.name()}">&#9632;</span>&nbsp;'
                f'<span style="font-size:small">{html.escape(name)}</span>'
                for name, colour in self.legend
            )
            title = f"{title}&nbsp;&nbsp;&nbsp;{keys}"
        self.getPlotItem().setTitle(title, color=text.name())

    def title_text(self) -> str:
        """The title as shown, legend included, without its markup."""
        return " ".join(
            [self._title, *(f"\N{BLACK SQUARE} {name}" for name, _colour in self.legend)]
        )

    def _on_mouse_moved(self, position: QPointF) -> None:
        box = self.getPlotItem().getViewBox()
        if not box.sceneBoundingRect().contains(position):
            QToolTip.hideText()
            return
        point = box.mapSceneToView(position)
        text = self.hover_text(point.x(), point.y())
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
            self.hovered.emit(f"{self.accessibleName()}: {text}".replace("\n", " · "))
        else:
            QToolTip.hideText()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted = True


class BarChart(Chart):
    """Bars at x positions, one series stacked on the next; hover says each series' value."""

    def set_bars(
        self,
        xs: Sequence[float],
        series: Sequence[Series],
        *,
        width: float = 0.8,
        describe_x: Callable[[float], str] = lambda x: f"{x:g}",
        ticks: Sequence[tuple[float, str]] | None = None,
        value_format: str = "{:g}",
        legend: bool = False,
    ) -> None:
        """legend: name the series in the title (for stacked kinds; not when ticks name
        the bars)."""
        self.clear()
        pen = pg.mkPen(None)
        bottoms = [0.0] * len(xs)
        for each in series:
            if not any(each.values):
                continue
            self.addItem(
                pg.BarGraphItem(
                    x=list(xs),
                    height=list(each.values),
                    y0=list(bottoms),
                    width=width,
                    brush=pg.mkBrush(each.colour),
                    pen=pen,
                    name=each.name,
                )
            )
            bottoms = [b + v for b, v in zip(bottoms, each.values, strict=True)]
        self.set_legend([(each.name, each.colour) for each in series] if legend else [])
        axis = self.getPlotItem().getAxis("bottom")
        axis.setTicks([list(ticks)] if ticks is not None else None)
        if xs:
            self.setXRange(min(xs) - width, max(xs) + width, padding=0.02)
        self.setYRange(0, max([*bottoms, 1.0]) * 1.08, padding=0)
        by_x = {x: index for index, x in enumerate(xs)}

        def hover(x: float, _y: float) -> str:
            nearest = min(by_x, key=lambda value: abs(value - x), default=None)
            if nearest is None or abs(nearest - x) > width / 2:
                return ""
            index = by_x[nearest]
            parts = [f"{s.name}: {value_format.format(s.values[index])}" for s in series]
            if len(series) > 1:
                total = sum(s.values[index] for s in series)
                parts.append(f"Total: {value_format.format(total)}")
            return describe_x(nearest) + "\n" + "\n".join(parts)

        self.hover_text = hover
        self.bar_text = lambda index: hover(xs[index], 0)  # for tests and screen readers


class LineChart(Chart):
    """One line of points with a marked point (the workload plot)."""

    def set_line(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        colour: QColor,
        mark: tuple[float, float] | None,
        mark_colour: QColor,
        describe: Callable[[int], str],
    ) -> None:
        self.clear()
        self.plot(
            list(xs),
            list(ys),
            pen=pg.mkPen(colour, width=2),
            symbol="o",
            symbolSize=5,
            symbolBrush=pg.mkBrush(colour),
            symbolPen=pg.mkPen(None),
        )
        if mark is not None:
            ring = pg.mkPen(mark_colour, width=3)
            self.plot([mark[0]], [mark[1]], pen=None, symbol="o", symbolSize=13, symbolPen=ring)
            dashed = pg.mkPen(mark_colour, width=1, style=Qt.PenStyle.DashLine)
            self.addItem(pg.InfiniteLine(pos=mark[0], angle=90, pen=dashed))

        def hover(x: float, _y: float) -> str:
            if not xs:
                return ""
            index = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
            return describe(index)

        self.hover_text = hover


class Heatmap(Chart):
    """A calendar: one square per study day, weeks left to right, darker with more answers."""

    def set_days(
        self,
        cells: Sequence[tuple[int, int, int]],  # (week column, weekday row, answers)
        colour: QColor,
        describe: Callable[[int, int], str],
        months: Sequence[tuple[float, str]] = (),
    ) -> None:
        self.clear()
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        empty = mix(base, palette.color(QPalette.ColorRole.Text), 0.08)
        most = max([count for _w, _d, count in cells] + [1])
        spots = []
        for week, weekday, count in cells:
            shade = empty if count == 0 else mix(base, colour, 0.25 + 0.75 * count / most)
            spots.append({"pos": (week, -weekday), "brush": pg.mkBrush(shade), "size": 0.9})
        scatter = pg.ScatterPlotItem(symbol="s", pxMode=False, pen=pg.mkPen(None))
        scatter.addPoints(spots)
        self.addItem(scatter)
        self.getPlotItem().getAxis("left").setTicks(
            [[(0, "Mon"), (-2, "Wed"), (-4, "Fri"), (-6, "Sun")]]
        )
        self.getPlotItem().getAxis("bottom").setTicks([list(months)] if months else None)
        self.setYRange(-6.6, 0.6, padding=0)
        if cells:
            self.setXRange(
                min(c[0] for c in cells) - 0.6, max(c[0] for c in cells) + 0.6, padding=0
            )

        def hover(x: float, y: float) -> str:
            return describe(round(x), round(-y))

        self.hover_text = hover
