"""The Statistics window (Study > Statistics, T): what is sticking, in charts and tables.

It reads one Statistics snapshot from the collection (Refresh reads it again) and charts it;
every figure comes from the Qt-free queries in study/stats.py and study/card_stats.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.study.card_stats import STATE_NAMES, Bucket
from studyapp.study.stats import KINDS, DayReviews, day_start_of
from studyapp.ui.stats.charts import (
    KIND_HUES,
    KIND_NAMES,
    BarChart,
    Chart,
    Heatmap,
    Series,
    series_colour,
)
from studyapp.ui.stats.tables import fill_progress, fill_retention

if TYPE_CHECKING:
    from studyapp.collection import Collection
    from studyapp.collection.statistics import Statistics

RANGES = (("1 month", 30), ("3 months", 91), ("1 year", 365), ("All", None))
STATE_HUES = {
    "new": 210,
    "learning": 30,
    "relearning": 0,
    "young": 100,
    "mature": 145,
    "suspended": 55,
    "buried": 280,
}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _minutes(milliseconds: int) -> str:
    minutes = milliseconds / 60000
    return f"{minutes:.1f} min" if minutes < 60 else f"{minutes / 60:.1f} h"


class StatisticsWindow(QDialog):
    """Charts and tables of one Statistics snapshot: find_or_build(), then present() it."""

    def __init__(
        self,
        collection: Collection,
        parent: QWidget | None = None,
        statistics: Statistics | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsWindow")
        self.setWindowTitle("Statistics")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._collection = collection
        screen = self.screen().availableGeometry()
        self.resize(min(1180, screen.width() - 40), min(720, screen.height() - 60))

        self.today_label = QLabel(self)
        self.today_label.setObjectName("statsToday")
        self.today_label.setWordWrap(True)
        self.today_label.setTextFormat(Qt.TextFormat.PlainText)
        self.range_box = QComboBox(self)
        self.range_box.setObjectName("statsRange")
        self.range_box.setAccessibleName("Period of the daily charts")
        for name, _days in RANGES:
            self.range_box.addItem(name)
        self.range_box.setCurrentIndex(1)
        self.range_box.currentIndexChanged.connect(lambda _index: self._chart_days())
        range_label = QLabel("&Period:", self)
        range_label.setBuddy(self.range_box)
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.clicked.connect(self.refresh)

        self.reviews_chart = BarChart(
            "reviewsChart", "Reviews per day", "Day (0 is today)", "Answers", self
        )
        self.time_chart = BarChart(
            "timeChart", "Time per day", "Day (0 is today)", "Time", self, y_units="min"
        )
        self.calendar = Heatmap("calendarChart", "Study days (last year)", "Month", "", self)
        self.streak_label = QLabel(self)
        self.streak_label.setObjectName("statsStreak")
        self.forecast_chart = BarChart(
            "forecastChart", "Due in the next 30 days", "Day (0 is today)", "Cards", self
        )
        self.counts_chart = BarChart("cardCountsChart", "Cards by state", "State", "Cards", self)
        self.difficulty_chart = BarChart(
            "difficultyChart", "Difficulty", "Difficulty", "Cards", self, x_units="%"
        )
        self.stability_chart = BarChart(
            "stabilityChart", "Stability", "Days until recall falls to 90%", "Cards", self
        )
        self.retrievability_chart = BarChart(
            "retrievabilityChart", "Retrievability", "Recall now", "Cards", self, x_units="%"
        )
        self.retention_table = self._table("trueRetention", "True retention")
        self.progress_table = self._table("articleProgress", "Articles and sections")

        top = QHBoxLayout()
        top.addWidget(self.today_label, 1)
        top.addWidget(range_label)
        top.addWidget(self.range_box)
        top.addWidget(self.refresh_button)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        placed: list[tuple[QWidget, int, int, int]] = [
            (self.reviews_chart, 0, 0, 1),
            (self.time_chart, 0, 1, 1),
            (self.calendar, 1, 0, 1),
            (self.forecast_chart, 1, 1, 1),
            (self.streak_label, 2, 0, 1),
            (self._heading("True retention (review cards: not Again / all)"), 3, 0, 1),
            (self._heading("Articles and sections"), 3, 1, 1),
            (self.retention_table, 4, 0, 1),
            (self.progress_table, 4, 1, 1),
            (self.counts_chart, 5, 0, 1),
            (self.difficulty_chart, 5, 1, 1),
            (self.stability_chart, 6, 0, 1),
            (self.retrievability_chart, 6, 1, 1),
        ]
        for widget, row, column, span in placed:
            grid.addWidget(widget, row, column, 1, span)
        body = QWidget(self)
        body.setObjectName("statisticsBody")
        body.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.readout = QLabel("Point at a bar for its figures.", self)
        self.readout.setObjectName("statsReadout")
        self.readout.setAccessibleName("Figures under the mouse")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        for chart in self.charts():
            chart.hovered.connect(self.readout.setText)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.readout)
        self.statistics: Statistics | None = None  # None: the charts stay empty until shown
        self._all_days: list[DayReviews] | None = None  # read when "All" is chosen
        if statistics is not None:
            self.show_statistics(statistics)

    # -- public ---------------------------------------------------------------------------

    @classmethod
    def find_or_build(cls, parent: QWidget, collection: Collection) -> StatisticsWindow:
        """The window over `parent`, built with empty charts if there is none yet (not shown):
        the main window builds it while the figures are read on a worker thread."""
        existing = parent.findChild(StatisticsWindow)
        if isinstance(existing, StatisticsWindow):
            return existing
        return cls(collection, parent)

    def present(self, statistics: Statistics) -> None:
        """Chart `statistics` and show the window in front."""
        self.show_statistics(statistics)
        self.show()
        self.raise_()
        self.activateWindow()

    def charts(self) -> list[Chart]:
        return [
            self.reviews_chart,
            self.time_chart,
            self.calendar,
            self.forecast_chart,
            self.counts_chart,
            self.difficulty_chart,
            self.stability_chart,
            self.retrievability_chart,
        ]

    def refresh(self) -> None:
        """Read the figures again and chart them."""
        self.show_statistics(self._collection.statistics())

    def show_statistics(self, statistics: Statistics) -> None:
        self.statistics = statistics
        self._all_days = None
        self._draw()

    def _draw(self) -> None:
        statistics = self.statistics
        if statistics is None:
            return
        self.today_label.setText(self._today_text(statistics))
        self._chart_days()
        self._chart_calendar(statistics)
        self._chart_forecast(statistics)
        self._chart_counts(statistics)
        self._chart_buckets(self.difficulty_chart, statistics.difficulty, 10, "Difficulty")
        self._chart_stability(statistics)
        self._chart_buckets(self.retrievability_chart, statistics.retrievability, 5, "Recall")
        fill_retention(self.retention_table, statistics.retention)
        fill_progress(self.progress_table, statistics.progress)

    # -- building -------------------------------------------------------------------------

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def _table(self, name: str, title: str) -> QTableWidget:
        table = QTableWidget(self)
        table.setObjectName(name)
        table.setAccessibleName(title)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setMinimumHeight(190)
        return table

    def _today_text(self, statistics: Statistics) -> str:
        today = statistics.today
        if not today.reviews:
            return "Today: no cards studied yet."
        correct = _percent(
            today.correct_percent / 100 if today.correct_percent is not None else None
        )
        return (
            f"Today: {_count(today.cards, 'card')} studied, {_count(today.reviews, 'answer')} in "
            f"{_minutes(today.milliseconds)}. Again: {today.again} ({correct} correct). "
            f"Learning {today.learning}, review {today.review}, relearning {today.relearning}."
        )

    def _kind_colours(self) -> dict[str, QColor]:
        palette = self.palette()
        return {
            kind: series_colour(palette, KIND_HUES[kind], darker=kind == "mature") for kind in KINDS
        }

    def _chart_days(self) -> None:
        statistics = self.statistics
        if statistics is None:
            return
        days = RANGES[self.range_box.currentIndex()][1]
        first = (
            -(days - 1) if days is not None else min((d.day for d in statistics.per_day), default=0)
        )
        by_day = {d.day: d for d in statistics.per_day}
        xs = list(range(first, 1))
        colours = self._kind_colours()
        counts, minutes = [], []
        for kind in KINDS:
            values = [by_day[x].counts.get(kind, 0) if x in by_day else 0 for x in xs]
            counts.append(Series(KIND_NAMES[kind], values, colours[kind]))
            times = [by_day[x].milliseconds.get(kind, 0) / 60000 if x in by_day else 0 for x in xs]
            minutes.append(Series(KIND_NAMES[kind], times, colours[kind]))

        def describe(x: float) -> str:
            date = day_start_of(statistics.day, int(x)).astimezone()
            return f"{date:%a %d %b %Y} ({-int(x)} days ago)" if x else f"Today, {date:%a %d %b}"

        self.reviews_chart.set_bars(xs, counts, describe_x=describe, legend=True)
        self.time_chart.set_bars(
            xs, minutes, describe_x=describe, value_format="{:.1f} min", legend=True
        )

    def _chart_calendar(self, statistics: Statistics) -> None:
        today = day_start_of(statistics.day, 0).astimezone().date()
        first = today - dt.timedelta(days=364 + today.weekday())  # a Monday, a year ago
        cells = []
        by_cell: dict[tuple[int, int], tuple[dt.date, int]] = {}
        counts = {entry.day: entry.total for entry in statistics.per_day}  # the last year
        for offset in range((today - first).days + 1):
            date = first + dt.timedelta(days=offset)
            count = counts.get((date - today).days, 0)
            week, weekday = offset // 7, date.weekday()
            cells.append((week, weekday, count))
            by_cell[(week, weekday)] = (date, count)
        palette = self.palette()

        def describe(week: int, weekday: int) -> str:
            found = by_cell.get((week, weekday))
            if found is None:
                return ""
            date, count = found
            return f"{date:%a %d %b %Y}: {count} answer" + ("" if count == 1 else "s")

        months = [
            (offset // 7, f"{first + dt.timedelta(days=offset):%b}")
            for offset in range((today - first).days + 1)
            if (first + dt.timedelta(days=offset)).day == 1
        ]
        self.calendar.set_days(cells, series_colour(palette, 145), describe, months)
        days = statistics.study_days
        self.streak_label.setText(
            f"Current streak: {days.current_streak} days · longest: {days.longest_streak} days · "
            f"days studied: {days.days_studied}"
        )

    def _chart_forecast(self, statistics: Statistics) -> None:
        colours = self._kind_colours()
        xs = [d.day for d in statistics.forecast]
        series = [
            Series("Learning", [d.learning for d in statistics.forecast], colours["learning"]),
            Series("Young", [d.young for d in statistics.forecast], colours["young"]),
            Series("Mature", [d.mature for d in statistics.forecast], colours["mature"]),
        ]

        def describe(x: float) -> str:
            return "Today (and overdue)" if x == 0 else f"In {int(x)} days"

        self.forecast_chart.set_bars(xs, series, describe_x=describe, legend=True)

    def _chart_counts(self, statistics: Statistics) -> None:
        palette = self.palette()
        xs = list(range(len(STATE_NAMES)))
        series = [
            Series(
                name.capitalize(),
                [statistics.card_counts[name] if i == index else 0 for i in xs],
                series_colour(palette, STATE_HUES[name]),
            )
            for index, name in enumerate(STATE_NAMES)
        ]
        ticks = [(index, name.capitalize()) for index, name in enumerate(STATE_NAMES)]
        names = [name.capitalize() for name in STATE_NAMES]
        self.counts_chart.set_bars(xs, series, ticks=ticks, describe_x=lambda x: names[int(x)])
        self.counts_chart.hover_text = lambda x, _y: (
            f"{names[round(x)]}: {statistics.card_counts[STATE_NAMES[round(x)]]} cards"
            if 0 <= round(x) < len(names)
            else ""
        )

    def _chart_buckets(self, chart: BarChart, buckets: list[Bucket], width: int, what: str) -> None:
        xs = [b.low + width / 2 for b in buckets]
        colour = series_colour(self.palette(), 210)
        series = [Series("Cards", [b.count for b in buckets], colour)]
        labels = {b.low + width / 2: b.label for b in buckets}
        chart.set_bars(
            xs, series, width=width * 0.85, describe_x=lambda x: f"{what} {labels.get(x, '')}"
        )

    def _chart_stability(self, statistics: Statistics) -> None:
        buckets = statistics.stability
        xs = list(range(len(buckets)))
        colour = series_colour(self.palette(), 265)
        series = [Series("Cards", [b.count for b in buckets], colour)]
        ticks = [(i, b.label.replace(" d", "")) for i, b in enumerate(buckets) if i % 2 == 0]
        self.stability_chart.set_bars(
            xs, series, ticks=ticks, describe_x=lambda x: f"Stability {buckets[int(x)].label}"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "statistics", None):
            for chart in self.charts():
                chart.apply_palette(self.palette())
            self._draw()  # the series' colours follow the palette too
