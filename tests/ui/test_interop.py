"""File > Export and File > Import in the window: dialogs, messages, progress, undo."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTextBrowser,
)
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection
from studyapp.collection.importing import Cancelled
from studyapp.ui.backup_dialogs import ReportDialog
from studyapp.ui.interop_dialogs import (
    APKG,
    CSV,
    ExportDialog,
    ExportRequest,
    ImportDialog,
    ImportTarget,
)
from studyapp.ui.main_menus import all_actions
from studyapp.ui.main_window import MainWindow
from studyapp.ui.progress import ProgressWindow

ARTICLE = "soviet-lithuanian-non-aggression-pact"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
FIRST_SENTENCE = (
    "Soviet–Lithuanian Non-Aggression Pact (Lithuanian: Lietuvos–TSRS nepuolimo sutartis) was "
    "a non-aggression pact, signed between the Soviet Union and Lithuania on September 28, 1926."
)


@pytest.fixture
def collection(data_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(data_dir, lambda: NOW, tz=dt.UTC)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    shown: list[tuple[str, str, str]] = []
    for kind in ("information", "warning"):

        def show(parent: Any, title: str, text: str, *args: Any, kind: str = kind) -> Any:
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        monkeypatch.setattr(QMessageBox, kind, staticmethod(show))
    return shown


def file_action(window: MainWindow, text: str) -> Any:
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu is not None
    found = [a for a in all_actions(file_menu) if a.text().replace("&", "") == text]
    assert len(found) == 1, [a.text() for a in all_actions(file_menu)]
    return found[0]


def first_paragraph_badge(window: MainWindow) -> str:
    browser = window.article.findChild(QTextBrowser, "articleText")
    assert browser is not None
    text = browser.toPlainText()
    found = re.search(r"(\d+) cards", text)
    assert found is not None
    return found.group(0)


def test_the_file_menu_has_import_and_export_with_ankis_keys(window: MainWindow) -> None:
    assert file_action(window, "Import…").shortcut().toString() == "Ctrl+Shift+I"
    assert file_action(window, "Export…").shortcut().toString() == "Ctrl+E"
    shortcuts = dict(window.menu_shortcuts())
    assert shortcuts["Ctrl+E"] == "Export…" and shortcuts["Ctrl+Shift+I"] == "Import…"


def test_export_writes_the_file_chosen_and_says_so(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
    tmp_path: Path,
) -> None:
    target = tmp_path / "pact.apkg"
    monkeypatch.setattr(
        ExportDialog,
        "choose",
        classmethod(lambda cls, parent, articles: ExportRequest(CardSelection(), APKG, True)),
    )
    offered: list[str] = []

    def save_name(parent: Any, title: str, suggested: str, filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target.with_suffix("")), filters  # no extension typed: the format's added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    file_action(window, "Export…").trigger()
    assert offered[0].endswith(".apkg")
    assert target.read_bytes()[:2] == b"PK"
    assert messages == [("information", "Exported", f"Exported 41 cards in 4 decks to {target}.")]


def test_an_export_that_fails_says_why_and_writes_nothing(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
    tmp_path: Path,
) -> None:
    target = tmp_path / "missing folder" / "pact.csv"
    monkeypatch.setattr(
        ExportDialog,
        "choose",
        classmethod(lambda cls, parent, articles: ExportRequest(CardSelection(), CSV, False)),
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), ""))
    )
    file_action(window, "Export…").trigger()
    ((kind, title, text),) = messages
    assert (kind, title) == ("warning", "Export failed")
    assert f"the folder {target.parent} does not exist" in text
    assert not target.parent.exists()


def _import(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path, article: str | None
) -> list[str]:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(path), "")))
    monkeypatch.setattr(
        ImportDialog,
        "choose",
        classmethod(lambda cls, parent, name, articles: ImportTarget(article)),
    )
    reports: list[str] = []
    monkeypatch.setattr(
        ReportDialog,
        "show_report",
        classmethod(lambda cls, parent, title, text: reports.append(f"{title}\n{text}")),
    )
    file_action(window, "Import…").trigger()
    return reports


def test_import_adds_the_cards_shows_them_and_undoes_in_one_step(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
    tmp_path: Path,
) -> None:
    before = first_paragraph_badge(window)
    path = tmp_path / "cards.csv"
    path.write_text(
        "Front,Back,Source\n"
        f'Which pact?,The non-aggression pact,"{FIRST_SENTENCE}"\n'
        "Who signed for Lithuania?,Juozas Balutis,\n"
        "Only a front\n",
        encoding="utf-8",
    )
    (report,) = _import(window, monkeypatch, path, ARTICLE)
    assert report.splitlines() == [
        "Import Cards",
        "Imported cards.csv (CSV with a header row) into 'Soviet–Lithuanian Non-Aggression Pact':",
        "  Added: 2 (1 linked to their sentence in the article)",
        "  Updated: 0",
        "  Duplicates, skipped: 0",
        "  Rejected: 1",
        "    line 4: it has 1 column; the file's header has 3",
        "Edit > Undo Import takes all of it back.",
    ]
    assert messages == []
    count = int(before.split()[0])
    assert first_paragraph_badge(window) == f"{count + 1} cards"  # the pane refreshed
    assert window.undo_action.text() == "&Undo Import"
    window.undo_action.trigger()
    assert first_paragraph_badge(window) == before
    assert window.undo_action.text() != "&Undo Import"


def test_a_bad_file_is_refused_with_a_message(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
    tmp_path: Path,
) -> None:
    path = tmp_path / "cards.csv"
    path.write_bytes("Front,Back\nKas?,Žalgiris\n".encode("cp1257"))
    reports = _import(window, monkeypatch, path, None)
    assert reports == []
    ((kind, title, text),) = messages
    assert (kind, title) == ("warning", "Import failed")
    assert "cards.csv is not UTF-8 text: line 2" in text
    assert not window.undo_action.isEnabled()


def test_the_export_dialog_offers_progress_only_for_anki(
    qtbot: QtBot, collection: Collection
) -> None:
    dialog = ExportDialog(collection.articles())
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.cards.itemText(i) for i in range(dialog.cards.count())] == [
        "All cards",
        "My own cards",
        "Cards of Soviet–Lithuanian Non-Aggression Pact",
    ]
    assert dialog.progress.isVisible() and dialog.progress.isChecked()
    dialog.cards.setCurrentIndex(2)
    dialog.format.setCurrentIndex(1)
    assert not dialog.progress.isVisible(), "no ticked box for what a CSV file cannot hold"
    assert "not their progress" in dialog.note.text()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.request() == ExportRequest(CardSelection("article", ARTICLE), CSV, False)


def test_the_import_dialog_chooses_an_article_or_none(qtbot: QtBot, collection: Collection) -> None:
    dialog = ImportDialog("cards.csv", collection.articles())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.target() == ImportTarget(ARTICLE)
    dialog.article.setCurrentIndex(dialog.article.count() - 1)
    assert dialog.article.currentText() == "No article"
    assert dialog.target() == ImportTarget(None)


def test_progress_appears_after_half_a_second_and_cancel_stops_the_work(qtbot: QtBot) -> None:
    now = [0.0]
    progress = ProgressWindow(None, "Exporting cards…", "Cancelled.", clock=lambda: now[0])
    progress(0, 100)
    now[0] = 0.4
    progress(10, 100)
    assert not progress.shown
    visible = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
    assert not [w for w in visible if w.isVisible()]
    now[0] = 0.6
    progress(20, 100)
    dialog = progress.dialog
    assert progress.shown and dialog is not None and dialog.isVisible()
    assert dialog.labelText() == "Exporting cards…" and dialog.value() == 200
    (cancel,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    with pytest.raises(Cancelled, match="Cancelled"):
        progress(30, 100)
    progress.close()
    assert progress.dialog is None
