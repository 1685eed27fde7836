"""The Study Settings dialog: edited from the keyboard, OK returns the settings, Cancel None."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from studyapp.study.settings import StudySettings
from studyapp.ui.study_settings_dialog import StudySettingsDialog

START = StudySettings(new_per_day=20, reviews_per_day=200, desired_retention=0.9, day_start_hour=4)


def make_dialog(qtbot: QtBot, settings: StudySettings = START) -> StudySettingsDialog:
    dialog = StudySettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot: QtBot, spin: QAbstractSpinBox, text: str) -> None:
    """Replace a spin box's text by typing, as a user does."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def click(
    qtbot: QtBot, dialog: StudySettingsDialog, which: QDialogButtonBox.StandardButton
) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def test_shows_the_settings_it_was_given(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, StudySettings(7, 150, 0.85, 3))
    assert dialog.new_spin.value() == 7
    assert dialog.reviews_spin.value() == 150
    assert dialog.retention_spin.value() == pytest.approx(0.85)
    assert dialog.hour_spin.value() == 3
    assert dialog.settings() == StudySettings(7, 150, 0.85, 3)


def test_typed_values_come_back_on_ok(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    type_into(qtbot, dialog.new_spin, "35")
    type_into(qtbot, dialog.reviews_spin, "500")
    type_into(qtbot, dialog.retention_spin, "0.93")
    type_into(qtbot, dialog.hour_spin, "6")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.settings() == StudySettings(35, 500, 0.93, 6)


def test_ranges_follow_the_settings_rules(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    dialog.retention_spin.setValue(0.5)
    assert dialog.retention_spin.value() == pytest.approx(0.70)
    dialog.retention_spin.setValue(0.99)
    assert dialog.retention_spin.value() == pytest.approx(0.97)
    assert dialog.retention_spin.singleStep() == pytest.approx(0.01)
    dialog.hour_spin.setValue(30)
    assert dialog.hour_spin.value() == 23
    assert (dialog.new_spin.minimum(), dialog.new_spin.maximum()) == (0, 9999)
    assert (dialog.reviews_spin.minimum(), dialog.reviews_spin.maximum()) == (0, 99999)
    qtbot.keyClick(dialog.retention_spin, Qt.Key.Key_Up)
    assert dialog.settings().desired_retention == 0.97
    dialog.retention_spin.setValue(0.9)
    qtbot.keyClick(dialog.retention_spin, Qt.Key.Key_Down)
    assert dialog.settings().desired_retention == 0.89  # rounded: no 0.8899999 stored


def test_ok_refuses_settings_with_problems(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    dialog.reviews_spin.setMaximum(200_000)  # past what StudySettings.problems() allows
    dialog.reviews_spin.setValue(150_000)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problems_label.isVisible()
    problems = dialog.settings().problems()
    assert len(problems) == 1 and "reviews per day" in problems[0]
    assert problems[0] in dialog.problems_label.text()


def test_edit_returns_the_edited_settings(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def user_edits(self: StudySettingsDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        type_into(qtbot, self.new_spin, "12")
        type_into(qtbot, self.hour_spin, "0")
        click(qtbot, self, QDialogButtonBox.StandardButton.Ok)
        return self.result()

    monkeypatch.setattr(StudySettingsDialog, "exec", user_edits)
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen = StudySettingsDialog.edit(parent, START)
    assert chosen == StudySettings(12, 200, 0.9, 0)


def test_edit_returns_none_on_cancel(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def user_cancels(self: StudySettingsDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        type_into(qtbot, self.new_spin, "99")
        click(qtbot, self, QDialogButtonBox.StandardButton.Cancel)
        return self.result()

    monkeypatch.setattr(StudySettingsDialog, "exec", user_cancels)
    assert StudySettingsDialog.edit(None, START) is None


def test_escape_cancels(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    type_into(qtbot, dialog.new_spin, "3")
    qtbot.keyClick(dialog.new_spin, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_controls_have_accessible_names(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    for control in (
        dialog.new_spin,
        dialog.reviews_spin,
        dialog.retention_spin,
        dialog.hour_spin,
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
    ):
        assert control.accessibleName(), control.objectName()


def test_sibling_burying_can_be_turned_off_from_the_keyboard(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    assert dialog.bury_new_box.isChecked() and dialog.bury_review_box.isChecked()
    dialog.bury_new_box.setFocus()
    qtbot.keyClick(dialog.bury_new_box, Qt.Key.Key_Space)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    chosen = dialog.settings()
    assert (chosen.bury_new_siblings, chosen.bury_review_siblings) == (False, True)
