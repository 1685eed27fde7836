"""Two articles in the window: the switcher, View > Article and Ctrl+O; the timeline for one
article or all (each in its colour); studying one article; adding, removing and hiding packs;
attribution in About. Driven through the widgets, with only file dialogs and message boxes
(and our own dialogs' classmethods) patched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot

from studyapp.clock import FakeClock
from studyapp.collection import Collection
from studyapp.ui.article_navigation import OpenArticleDialog
from studyapp.ui.colours import contrast_ratio
from studyapp.ui.help_dialogs import about_html
from studyapp.ui.main_window import MainWindow
from studyapp.ui.pack_install import PackConfirmDialog
from studyapp.ui.packs_dialog import COLUMNS, PacksDialog, PackTableModel
from studyapp.ui.theme import Theme, apply_theme
from tests.fixtures.second_pack import (
    SECOND_ARTICLE,
    SECOND_PACK,
    SECOND_PACK_TEXT,
    edited,
    next_version_text,
    second_pack,
    write_pack,
)

PACT = "soviet-lithuanian-non-aggression-pact"
PACT_TITLE = "Soviet–Lithuanian Non-Aggression Pact"
SECOND_TITLE = "The Declaration of Independence"
START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def light_theme_after() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, Theme.LIGHT)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def collection(data_dir: Path, clock: FakeClock) -> Iterator[Collection]:
    opened = Collection.open(data_dir, clock.now, tz=dt.UTC)
    opened.install_pack(second_pack())
    yield opened
    opened.close()


def _window(qtbot: QtBot, collection: Collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    if window.veil_action.isChecked():
        window.veil_action.trigger()  # the links are what is tested here
    return window


@pytest.fixture
def window(qtbot: QtBot, collection: Collection) -> MainWindow:
    return _window(qtbot, collection)


def _timeline_articles(window: MainWindow) -> set[str]:
    return {
        item.article_id
        for item in window.operations.collection.timeline()
        if window.timeline.item(item.id)
    }


def test_the_switcher_offers_both_articles_and_every_pane_follows_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    switcher = window.article.switcher
    assert switcher.isVisible() and switcher.titles() == [PACT_TITLE, SECOND_TITLE]
    assert window.article.article().id == PACT
    assert _timeline_articles(window) == {PACT}, "the timeline shows the article read"
    combo = switcher.combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard's way through a closed combo box
    assert window.article.article().title == SECOND_TITLE
    assert window.windowTitle() == f"{SECOND_TITLE} — StudyApp"
    assert _timeline_articles(window) == {SECOND_ARTICLE}
    assert window.timeline.item("doi-dated-in-congress") is not None
    assert window.article.card_count("doi-truths-1") == 5
    menu = {a.text().replace("&", ""): a for a in window.navigation.article_menu.actions()}
    assert menu[SECOND_TITLE].isChecked() and not menu[PACT_TITLE].isChecked()
    menu[PACT_TITLE].trigger()  # View > Article > the pact
    assert window.article.article().id == PACT and combo.currentText() == PACT_TITLE


def test_ctrl_o_opens_an_article_by_part_of_its_title(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = OpenArticleDialog(window.navigation.articles, PACT, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.filter, "independence decl")
    assert dialog.matches.count() == 1 and dialog.chosen() == SECOND_ARTICLE
    dialog.filter.clear()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert dialog.chosen() == SECOND_ARTICLE, "Down moves among the matches while typing"
    asked: list[str] = []

    def choose(_parent: QWidget, articles: object, current: str) -> str:
        asked.append(current)
        return SECOND_ARTICLE

    monkeypatch.setattr(OpenArticleDialog, "choose", classmethod(lambda cls, *a: choose(*a)))
    window.review.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert asked == [PACT]
    assert window.article.article().id == SECOND_ARTICLE


def test_the_timeline_shows_every_article_each_in_its_colour(
    window: MainWindow, qtbot: QtBot
) -> None:
    button = window.timeline.all_articles_button()
    assert button.isVisible() and not button.isChecked()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert _timeline_articles(window) == {PACT, SECOND_ARTICLE}
    assert window.navigation.all_events_action.isChecked()
    assert window.timeline.legend_text() == f"{PACT_TITLE} · {SECOND_TITLE}"
    for theme in (Theme.LIGHT, Theme.DARK):
        apply_theme(QApplication.instance(), theme)  # type: ignore[arg-type]
        QApplication.processEvents()
        colours = window.timeline.view.event_colours()
        pact, second = colours["pact-signed"], colours["doi-dated-in-congress"]
        assert pact.marker != second.marker, "each article in its own colour"
        for each in (pact, second):
            assert contrast_ratio(each.marker, each.base) >= 3.0, theme
    # An event of the other article shows its sentence there: the article follows.
    window.timeline.view.setFocus()
    qtbot.keyClick(window.timeline.view, Qt.Key.Key_Home)
    while window.timeline.selected_event_id() != "doi-dated-in-congress":
        qtbot.keyClick(window.timeline.view, Qt.Key.Key_Left)
    assert window.article.article().id == SECOND_ARTICLE
    assert window.article.highlighted_text() == "IN CONGRESS, July 4, 1776."
    assert SECOND_TITLE in window.timeline.detail_text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert _timeline_articles(window) == {SECOND_ARTICLE}, "back to the article read"
    assert window.timeline.legend_text() == ""


def test_studying_one_article_and_its_source_in_the_article_pane(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.navigation.choose(SECOND_ARTICLE)
    window.packs.study_this_action.trigger()
    assert window.packs.study_this_action.isChecked()
    window.update_status()
    assert window.status_text().startswith(f"Studying “{SECOND_TITLE}” only · Left today:")
    card = window.review.current_card()
    assert card is not None and card.id == "doi-dated"
    window.navigation.choose(PACT)  # the learner reads the pact meanwhile
    window.review.setFocus()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_S)  # Show Source: the card's own article
    assert window.article.article().id == SECOND_ARTICLE
    assert window.article.highlighted_text() == "IN CONGRESS, July 4, 1776."
    qtbot.waitUntil(
        lambda: window.timeline.selected_event_id() == "doi-dated-in-congress", timeout=1000
    )
    qtbot.keyClick(window.review, Qt.Key.Key_3)
    next_card = window.review.current_card()
    assert next_card is not None and next_card.article_id == SECOND_ARTICLE
    window.packs.study_all_action.trigger()
    window.update_status()
    assert window.status_text().startswith("Studying all articles · ")


def test_add_content_pack_updates_a_pack_and_shows_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    newer = write_pack(tmp_path, next_version_text())
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(newer), ""))
    )
    shown: list[str] = []

    def confirm(_parent: QWidget, dataset: object, plan: object) -> bool:
        shown.append(plan.describe())  # type: ignore[attr-defined]
        return True

    monkeypatch.setattr(PackConfirmDialog, "confirm", classmethod(lambda cls, *a: confirm(*a)))
    window.packs.add_action.trigger()
    assert shown and shown[0].startswith(f"Updates “{SECOND_TITLE}” from version 1 to version 2")
    assert window.article.article().id == SECOND_ARTICLE, "the added pack is shown"
    assert "from version 1 to version 2" in window.statusBar().currentMessage()
    assert window.operations.collection.card("doi-pledged").front.startswith("What three things")


def test_an_invalid_pack_file_names_the_line_and_adds_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = write_pack(
        tmp_path,
        edited(
            SECOND_PACK_TEXT.replace("doi-", "xyz-"), ('date = "1776-07-04"', 'date = "1776-7-4"')
        ),
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), ""))
    )
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: warnings.append(text))
    )
    before = window.operations.collection.check().counts
    window.packs.add_action.trigger()
    line = next(
        n for n, t in enumerate(bad.read_text().splitlines(), 1) if t == 'date = "1776-7-4"'
    )
    assert warnings and warnings[0].startswith(
        f"{bad}:{line}:8: event 'xyz-dated-in-congress': bad date"
    )
    assert "--validate-pack" in warnings[0]
    assert window.operations.collection.check().counts == before
    assert window.article.switcher.titles() == [PACT_TITLE, SECOND_TITLE]


def test_the_same_version_again_is_refused_with_a_message(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(SECOND_PACK), ""))
    )
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: told.append(text))
    )
    window.packs.add_action.trigger()
    assert told == [f"“{SECOND_TITLE}” version 1 is already in your collection."]


def test_the_pack_table_model_lists_each_packs_figures(collection: Collection) -> None:
    model = PackTableModel(collection.packs())
    assert (model.rowCount(), model.columnCount()) == (2, len(COLUMNS))
    row = [model.data(model.index(1, column)) for column in range(len(COLUMNS))]
    assert row[0] == SECOND_TITLE and row[1] == "1" and row[3] == "Public domain"
    assert row[4:] == ["10", "0", "0", "Installed"]
    assert model.data(model.index(0, 7)) == "Built in"
    tip = model.data(model.index(1, 2), Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str) and "National Archives" in tip


def test_removing_a_pack_in_the_dialog_and_undoing_it(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.navigation.choose(SECOND_ARTICLE)
    dialog = PacksDialog(window.operations, window.packs.add_pack, window.navigation.choose, window)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.selected() is not None and dialog.selected().id == SECOND_ARTICLE
    assert dialog.remove_button.text() == "&Remove…"
    asked: list[str] = []

    def question(
        _parent: QWidget, _title: str, text: str, *args: object
    ) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert asked and "Its 10 cards leave your study" in asked[0]
    assert [dialog.model.pack(r).id for r in range(dialog.model.rowCount())] == [PACT]
    assert window.article.article().id == PACT, "its article left: the built-in one shows"
    assert not window.article.switcher.isVisible()
    assert not window.timeline.all_articles_button().isVisible()
    dialog.close()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.article.switcher.titles() == [PACT_TITLE, SECOND_TITLE]


def test_the_builtin_pack_is_hidden_and_shown_from_the_dialog(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PacksDialog(window.operations, window.packs.add_pack, window.navigation.choose, window)
    qtbot.addWidget(dialog)
    assert dialog.selected() is not None and dialog.selected().builtin
    assert dialog.remove_button.text() == "&Hide…"
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes)
    )
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.article.article().id == SECOND_ARTICLE
    assert dialog.model.data(dialog.model.index(0, 7)) == "Built in, hidden"
    assert dialog.remove_button.text() == "&Show"
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.article.switcher.titles() == [PACT_TITLE, SECOND_TITLE]


def test_about_names_every_packs_source_and_licence(window: MainWindow) -> None:
    info = window.about_info()
    assert [pack.title for pack in info.packs] == [PACT_TITLE, SECOND_TITLE]
    text = about_html(info)
    assert "World Heritage Encyclopedia" in text and "Attribution-ShareAlike" in text
    assert "U.S. National Archives" in text and "Public domain" in text


def test_each_article_shows_its_own_source_and_licence(window: MainWindow) -> None:
    window.navigation.choose(SECOND_ARTICLE)
    browser = window.article.findChild(QTextBrowser)
    assert browser is not None
    text = browser.toPlainText()
    assert "Source and licence" in text
    assert "Licence: Public domain" in text and "National Archives" in text


def test_the_confirm_dialog_shows_pack_text_as_written(
    qtbot: QtBot, collection: Collection, tmp_path: Path
) -> None:
    from studyapp.content.loader import load_dataset

    text = SECOND_PACK_TEXT.replace("doi-", "hx-").replace(
        'title = "The Declaration of Independence"', 'title = "<b>Bold</b> & <i>co</i>"'
    )
    dataset = load_dataset(write_pack(tmp_path, text))
    plan = collection.pack_plan(dataset)
    dialog = PackConfirmDialog(dataset, plan)
    qtbot.addWidget(dialog)
    title = dialog.findChild(QWidget, "packTitle")
    assert title is not None and title.text() == "<b>Bold</b> & <i>co</i>"  # type: ignore[attr-defined]
    assert title.textFormat() == Qt.TextFormat.PlainText  # type: ignore[attr-defined]
    assert dialog.add_button.text() == "&Add"
    assert "Adds “<b>Bold</b> & <i>co</i>” (version 1)" in dialog.plan_label.text()


def test_done_with_one_article_says_the_others_may_wait(
    window: MainWindow, qtbot: QtBot, collection: Collection
) -> None:
    from studyapp.study.settings import StudySettings

    collection.update_settings(StudySettings(new_per_day=1))
    window.navigation.choose(SECOND_ARTICLE)
    window.packs.study_this_action.trigger()
    window.review.setFocus()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_4)  # Easy: due in days, and the day's new card
    assert window.review.current_card() is None
    shown = QTextDocumentFragment.fromHtml(window.review.done_view.limits_label.text())
    limits = shown.toPlainText()  # what the label reads
    assert (
        f"Studying “{SECOND_TITLE}” only: Study > Study All Articles takes in the others" in limits
    )


@pytest.mark.parametrize("veiled", [True, False])
def test_the_answer_of_a_card_from_another_article_brings_its_article(
    qtbot: QtBot, collection: Collection, veiled: bool
) -> None:
    window = _window(qtbot, collection)
    if veiled:
        window.veil_action.trigger()
    window.navigation.choose(SECOND_ARTICLE)
    window.packs.study_this_action.trigger()  # a card of the second article comes up
    window.packs.study_all_action.trigger()
    card = window.review.current_card()
    assert card is not None and card.id == "doi-dated"
    window.navigation.choose(PACT)  # the learner reads the pact meanwhile
    assert window.article.article().id == PACT
    window.review.setFocus()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    assert window.article.article().id == SECOND_ARTICLE
    assert window.article.highlighted_text() == "IN CONGRESS, July 4, 1776."
    qtbot.waitUntil(
        lambda: window.timeline.selected_event_id() == "doi-dated-in-congress", timeout=1000
    )
