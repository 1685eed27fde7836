"""The Statistics window's tables: True Retention, and progress per article and section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

if TYPE_CHECKING:
    from studyapp.study.card_stats import Progress
    from studyapp.study.stats import Retention

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def fill_retention(table: QTableWidget, rows: list[Retention]) -> None:
    """Anki's True Retention table: a row per period, young, mature and total."""
    headers = ["Period", "Young", "Mature", "Total", "Reviews"]
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for row, entry in enumerate(rows):
        values = [
            entry.period,
            f"{percent(entry.young)} ({entry.young_passed}/{entry.young_total})",
            f"{percent(entry.mature)} ({entry.mature_passed}/{entry.mature_total})",
            percent(entry.overall),
            str(entry.total),
        ]
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column:
                item.setTextAlignment(RIGHT)
            table.setItem(row, column, item)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)


def fill_progress(table: QTableWidget, progress: list[Progress]) -> None:
    """Each article in bold, then its sections: cards, mastered, average recall."""
    headers = ["Article / section", "Cards", "Mastered", "Average recall"]
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(progress))
    bold = table.font()
    bold.setBold(True)
    for row, part in enumerate(progress):
        values = [
            part.title if part.section_id is None else f"    {part.title}",
            str(part.cards),
            str(part.mastered),
            percent(part.average_recall),
        ]
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if part.section_id is None:
                item.setFont(bold)
            if column:
                item.setTextAlignment(RIGHT)
            table.setItem(row, column, item)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setToolTip("Mastered: stability of 21 days or more. Recall: FSRS's, now.")
