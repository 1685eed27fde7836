"""Study Settings > Optimize and Workload vs Retention, on a real collection and log."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.storage.times import from_microseconds
from studyapp.study.optimize import OptimizeResult
from studyapp.study.settings import StudySettings
from studyapp.study.workload import Workload
from studyapp.ui import fsrs_section
from studyapp.ui.fsrs_section import MISSING_ENGINE, FsrsTools
from studyapp.ui.stats.workload_dialog import WorkloadDialog
from studyapp.ui.study_settings_dialog import StudySettingsDialog
from tests.helpers import with_card_numbers
from tests.study.test_optimize import simulated_log

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    yield opened
    opened.close()


def tools(collection: Collection) -> FsrsTools:
    return FsrsTools(collection.optimize_parameters, collection.workload)


def add_history(collection: Collection) -> None:
    """A year of reviews on the pack's cards, from a learner steadier than the defaults."""
    with collection.database.sessions() as session:
        card_ids = list(session.scalars(select(models.Card.id).order_by(models.Card.position)))
    answers = simulated_log(len(card_ids) * 3)
    rows = []
    for answer in answers:
        number = int(answer.card_id[1:])
        # Three simulated cards share each real card, one after another: each starts new.
        shift = dt.timedelta(days=400 * (number // len(card_ids)))
        # Each answer's time is the log's key: the simulated cards' answers a microsecond apart.
        at = from_microseconds(answer.reviewed_at) + shift + dt.timedelta(microseconds=number)
        rows.append(
            {
                "card_id": card_ids[number % len(card_ids)],
                "rating": answer.rating,
                "reviewed_at": at,
                "duration_ms": 5000,
                "state_before": answer.state_before,
                "state_after": 2,
                "due_after": at,
            }
        )
    with collection.database.writes.begin() as session:
        session.execute(insert(models.ReviewLog), with_card_numbers(session, rows))


def test_optimize_with_too_few_reviews_keeps_the_defaults(
    qtbot: QtBot, collection: Collection
) -> None:
    dialog = StudySettingsDialog(collection.settings, None, tools(collection))
    qtbot.addWidget(dialog)
    section = dialog.fsrs_section
    assert section is not None
    assert section.parameters_label.text() == "FSRS parameters: the defaults."
    qtbot.mouseClick(section.optimize_button, Qt.MouseButton.LeftButton)
    assert "you have 0, so 400 more are needed" in section.result_text()
    assert dialog.settings().fsrs_parameters == ()


def test_optimize_proposes_better_parameters_and_ok_stores_them_undoably(
    qtbot: QtBot, collection: Collection
) -> None:
    add_history(collection)
    dialog = StudySettingsDialog(collection.settings, None, tools(collection))
    qtbot.addWidget(dialog)
    section = dialog.fsrs_section
    assert section is not None
    section.optimize_button.setFocus()
    qtbot.keyClick(section.optimize_button, Qt.Key.Key_Space)
    text = section.result_text()
    assert "log loss" in text and "RMSE" in text
    assert "predict your reviews better" in text
    fitted = dialog.settings().fsrs_parameters
    assert len(fitted) == 21
    assert section.parameters_label.text().startswith("FSRS parameters: fitted to your reviews")
    collection.update_settings(dialog.settings())
    assert collection.settings.fsrs_parameters == fitted
    assert collection.undo_label() == "Undo Study Settings"
    collection.undo()
    assert collection.settings.fsrs_parameters == ()

    # Use Defaults puts the defaults back in the dialog.
    again = StudySettingsDialog(StudySettings(fsrs_parameters=fitted), None, tools(collection))
    qtbot.addWidget(again)
    assert again.fsrs_section is not None
    qtbot.mouseClick(again.fsrs_section.defaults_button, Qt.MouseButton.LeftButton)
    assert again.settings().fsrs_parameters == ()


def test_workload_vs_retention_sets_the_chosen_retention(
    qtbot: QtBot, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Workload, float]] = []

    def choose(parent: QWidget | None, workload: Workload, current: float) -> float:
        seen.append((workload, current))
        return 0.85

    monkeypatch.setattr(WorkloadDialog, "choose", classmethod(lambda cls, *a: choose(*a)))
    dialog = StudySettingsDialog(collection.settings, None, tools(collection))
    qtbot.addWidget(dialog)
    assert dialog.fsrs_section is not None
    qtbot.mouseClick(dialog.fsrs_section.workload_button, Qt.MouseButton.LeftButton)
    workload, current = seen[0]
    assert current == 0.90 and workload.cards == 41
    assert dialog.settings().desired_retention == 0.85


def test_the_workload_plot_marks_the_current_retention_and_moves_with_the_keys(
    qtbot: QtBot, collection: Collection
) -> None:
    workload = collection.workload()
    dialog = WorkloadDialog(workload, 0.90, None)
    qtbot.addWidget(dialog)
    assert dialog.chosen_point().retention == 0.90
    assert "Desired retention 0.90: about" in dialog.choice_label.text()
    qtbot.keyClick(dialog.retention_spin, Qt.Key.Key_Up)
    assert dialog.chosen_point().retention == 0.91
    assert "Desired retention 0.91" in dialog.choice_label.text()
    low = dialog.chart.hover_text(0.70, 0)
    high = dialog.chart.hover_text(0.97, 0)
    assert low.startswith("Desired retention 0.70") and high.startswith("Desired retention 0.97")
    assert "41 cards" in dialog.note_label.text()


def test_without_the_engine_optimize_says_what_to_install(
    qtbot: QtBot, collection: Collection
) -> None:
    def optimize_without_engine() -> OptimizeResult:
        import fsrs_rs_python_not_installed  # type: ignore[import-not-found]  # noqa: F401

        raise AssertionError("that import cannot succeed")

    dialog = StudySettingsDialog(
        collection.settings, None, FsrsTools(optimize_without_engine, collection.workload)
    )
    qtbot.addWidget(dialog)
    assert dialog.fsrs_section is not None
    qtbot.mouseClick(dialog.fsrs_section.optimize_button, Qt.MouseButton.LeftButton)
    assert dialog.fsrs_section.result_text() == MISSING_ENGINE
    assert dialog.settings().fsrs_parameters == ()


def test_a_long_job_shows_a_busy_dialog_and_gives_back_its_result(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fsrs_section, "SHOW_AFTER_S", 0.0)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    shown: list[str] = []

    def look() -> None:
        shown.extend(
            dialog.labelText()
            for dialog in parent.findChildren(QProgressDialog)
            if dialog.isVisible()
        )

    timer = QTimer(parent)
    timer.timeout.connect(look)
    timer.start(20)

    def slow_job() -> int:
        time.sleep(0.3)
        return 42

    assert fsrs_section.run_with_progress(parent, "Fitting…", slow_job) == 42
    timer.stop()
    assert "Fitting…" in shown
    assert not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
