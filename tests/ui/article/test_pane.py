"""The article pane, driven as a reader would: keys, clicks, and what the pane then shows."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTextBrowser,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from studyapp.collection import Collection
from studyapp.content.loader import load_dataset
from studyapp.content.model import Article, Passage, Reference, Section
from studyapp.content.text import split_sentences, strip_markers
from studyapp.paths import dataset_path
from studyapp.storage.queries import ArticleView, CardSummary
from studyapp.ui.article.pane import ZOOM_MAX, ZOOM_MIN, ArticlePane
from studyapp.ui.colours import TEXT_CONTRAST_AA, TEXT_CONTRAST_AAA, contrast_ratio

LEAGUE_SENTENCE = "The pact was registered in League of Nations Treaty Series on March 4, 1927."
LEAGUE_REFERENCE = "League of Nations Treaty Series, vol. 60"
NO_TEXT_NOTE = "(the source gives no text for this reference)"
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"  # keeps a ◆ on the line of its sentence


# -- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def view(collection: Collection) -> ArticleView:
    return collection.article_view()


def show(qtbot: QtBot, pane: ArticlePane) -> ArticlePane:
    qtbot.addWidget(pane)
    pane.resize(700, 800)
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow)
    return pane


@pytest.fixture
def pane(qtbot: QtBot, collection: Collection) -> ArticlePane:
    return show(qtbot, ArticlePane(collection))


def browser_of(pane: ArticlePane) -> QTextBrowser:
    browser = pane.findChild(QTextBrowser, "articleText")
    assert browser is not None
    return browser


def child(pane: ArticlePane, kind: type[QWidget], name: str) -> QWidget:
    found = pane.findChild(kind, name)
    assert found is not None, name
    return found


def plain_text(pane: ArticlePane) -> str:
    return browser_of(pane).toPlainText()


def cursor_at(browser: QTextBrowser, position: int) -> QTextCursor:
    cursor = QTextCursor(browser.document())
    cursor.setPosition(position)
    return cursor


def caret_rect(browser: QTextBrowser, position: int) -> QRect:
    return browser.cursorRect(cursor_at(browser, position))


def char_point(browser: QTextBrowser, position: int) -> QPoint:
    """The viewport point in the middle of the character at position."""
    left, right = caret_rect(browser, position), caret_rect(browser, position + 1)
    return QPoint((left.left() + right.left()) // 2, left.center().y())


def is_visible(browser: QTextBrowser, position: int) -> bool:
    return browser.viewport().rect().contains(caret_rect(browser, position))


def format_at(browser: QTextBrowser, position: int) -> QTextCharFormat:
    """The format of the character at position."""
    return cursor_at(browser, position + 1).charFormat()


def scroll_value(pane: ArticlePane) -> int:
    return browser_of(pane).verticalScrollBar().value()


def tab_until(qtbot: QtBot, browser: QTextBrowser, found: Callable[[QTextCursor], bool]) -> None:
    """Press Tab in the text until the focused link is the wanted one."""
    browser.setFocus()
    for _ in range(80):
        qtbot.keyClick(browser, Qt.Key.Key_Tab)
        if found(browser.textCursor()):
            return
    raise AssertionError("Tab never reached the link")


def selected(cursor: QTextCursor) -> str:
    return cursor.selectedText().replace(NBSP, " ")


# -- rendering -------------------------------------------------------------------------------


def test_renders_the_whole_article(pane: ArticlePane, view: ArticleView) -> None:
    plain = plain_text(pane)
    article = view.article
    assert article.title in plain
    assert article.title_lt in plain
    # The text as read: without the footnote markers and the timeline links after sentences.
    assert plain.count("◆") == len(view.events_by_sentence)
    reading = strip_markers(plain.replace(f"{NARROW_NBSP}◆", ""))
    for section in article.sections:
        assert f"\n{section.heading}\n" in plain  # a heading on a line of its own
        for passage in section.passages:
            assert strip_markers(passage.text) in reading
            for sentence in split_sentences(passage.text):
                assert sentence.text in plain
    assert "after the [...] Kaunas" in plain  # the source's gap stays visible

    references = plain[plain.index("\nReferences\n") :]
    for reference in article.references:
        if reference.text is not None:
            assert reference.text in references
    missing = sum(1 for reference in article.references if reference.text is None)
    assert missing > 0
    assert references.count(NO_TEXT_NOTE) == missing
    for text in (article.source, article.licence, article.attribution):
        assert text in references


def hover_tooltip(qtbot: QtBot, browser: QTextBrowser, point: QPoint) -> str:
    """The tooltip shown when the mouse rests at a viewport point ("" for none)."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    viewport = browser.viewport()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    return shown_text(QToolTip.text()) if QToolTip.isVisible() else ""


def shown_text(tip: str) -> str:
    """What a tooltip reads on screen: rich text (which StudyApp forces with <qt>, escaping
    every character) rendered to its characters."""
    if not tip.startswith("<qt>"):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def char_halves(browser: QTextBrowser, position: int) -> list[QPoint]:
    """Points on the left and on the right half of the character at position."""
    left, right = caret_rect(browser, position), caret_rect(browser, position + 1)
    y = left.center().y()
    return [QPoint(left.left() + 1, y), QPoint(right.left() - 1, y)]


def test_footnote_markers_are_superscript_links_with_the_reference_as_tooltip(
    qtbot: QtBot, pane: ArticlePane
) -> None:
    browser = browser_of(pane)
    plain = browser.toPlainText()
    marker = format_at(browser, plain.index("[2]") + 1)
    assert marker.isAnchor() and marker.anchorHref()
    assert marker.verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignSuperScript
    # Anywhere on the marker, even the left half of its "[", shows the reference.
    for offset in range(3):
        for point in char_halves(browser, plain.index("[2]") + offset):
            assert LEAGUE_REFERENCE in hover_tooltip(qtbot, browser, point)
    assert NO_TEXT_NOTE in hover_tooltip(qtbot, browser, char_point(browser, plain.index("[1]")))
    plain_word = char_point(browser, plain.index("League of Nations."))
    assert hover_tooltip(qtbot, browser, plain_word) == ""


def test_editorial_headings_say_so_in_a_tooltip(
    qtbot: QtBot, pane: ArticlePane, view: ArticleView
) -> None:
    browser = browser_of(pane)
    heading = view.article.sections[0]
    assert heading.editorial_heading
    position = browser.toPlainText().index(f"\n{heading.heading}\n") + 1
    assert hover_tooltip(qtbot, browser, char_point(browser, position + 2)) == (
        "Heading added by StudyApp; the source has none"
    )


def test_the_sources_own_gap_says_it_is_missing_words_not_a_cloze_gap(
    qtbot: QtBot, pane: ArticlePane, view: ArticleView
) -> None:
    browser = browser_of(pane)
    plain = browser.toPlainText()
    gap = plain.index("after the [...] Kaunas") + len("after the ")
    for offset in range(len("[...]")):
        tip = hover_tooltip(qtbot, browser, char_point(browser, gap + offset))
        assert tip == "Words are missing here in the source"
    background = browser.palette().color(QPalette.ColorRole.Base)
    quiet = format_at(browser, gap + 2).foreground().color()
    text = format_at(browser, gap - 3).foreground().color()
    assert quiet != text and contrast_ratio(quiet, background) >= TEXT_CONTRAST_AA
    # Said in words under its paragraph too, once, for a reader who does not hover.
    note = "[...] Words are missing here in the source; StudyApp fills nothing in."
    assert plain.count(note) == 1
    assert plain.index(note) > plain.index("Klaipėda Region.[3]")
    # The sentence keeps its offsets: showing it highlights exactly the damaged sentence.
    passage = view.article.sections[1].passages[0]
    damaged = split_sentences(passage.text)[0].text
    assert pane.show_sentence(passage.id, 0)
    assert pane.highlighted_text() == damaged


# -- table of contents -----------------------------------------------------------------------


def test_table_of_contents_is_accessible_and_lists_the_sections(
    pane: ArticlePane, view: ArticleView
) -> None:
    toc = child(pane, QComboBox, "tableOfContents")
    assert isinstance(toc, QComboBox)
    assert toc.accessibleName() == "Table of contents"
    assert toc.focusPolicy() & Qt.FocusPolicy.TabFocus
    items = [toc.itemText(index) for index in range(toc.count())]
    headings = [section.heading for section in view.article.sections]
    assert items[: len(headings)] == headings


@pytest.mark.parametrize("target", [1, 2], ids=["second", "last"])
def test_table_of_contents_jumps_so_the_heading_is_at_the_top(
    qtbot: QtBot, pane: ArticlePane, view: ArticleView, target: int
) -> None:
    sections = view.article.sections
    assert target <= len(sections) - 1
    target = len(sections) - 1 if target == 2 else target
    browser = browser_of(pane)
    toc = child(pane, QComboBox, "tableOfContents")
    assert isinstance(toc, QComboBox)
    toc.setFocus()
    while toc.currentIndex() < target:
        qtbot.keyClick(toc, Qt.Key.Key_Down)
    assert toc.currentText() == sections[target].heading

    heading = browser.toPlainText().index(f"\n{sections[target].heading}\n") + 1
    line = browser.fontMetrics().lineSpacing()
    assert scroll_value(pane) > 0
    assert 0 <= caret_rect(browser, heading).top() <= 2 * line

    # Home goes back to the first section, at the very top of the text.
    qtbot.keyClick(toc, Qt.Key.Key_Home)
    first = browser.toPlainText().index(f"\n{sections[0].heading}\n") + 1
    assert 0 <= caret_rect(browser, first).top() <= 2 * line


def test_table_of_contents_follows_the_reading(pane: ArticlePane, view: ArticleView) -> None:
    toc = child(pane, QComboBox, "tableOfContents")
    assert isinstance(toc, QComboBox)
    assert toc.currentText() == view.article.sections[0].heading
    pane.show_sentence("ratification-1", 6)
    assert toc.currentText() == view.article.sections[-1].heading


def test_jump_to_section_by_id(pane: ArticlePane, view: ArticleView) -> None:
    browser = browser_of(pane)
    last = view.article.sections[-1]
    pane.jump_to_section(last.id)
    heading = browser.toPlainText().index(f"\n{last.heading}\n") + 1
    assert scroll_value(pane) > 0
    assert 0 <= caret_rect(browser, heading).top() <= 2 * browser.fontMetrics().lineSpacing()


# -- find ------------------------------------------------------------------------------------


def find_widgets(pane: ArticlePane) -> tuple[QLineEdit, QLabel]:
    field, label = child(pane, QLineEdit, "findField"), child(pane, QLabel, "findCount")
    assert isinstance(field, QLineEdit) and isinstance(label, QLabel)
    return field, label


def test_find_counts_steps_and_wraps(qtbot: QtBot, pane: ArticlePane) -> None:
    browser = browser_of(pane)
    field, label = find_widgets(pane)
    assert not field.isVisible()
    pane.open_find()
    assert field.isVisible() and field.hasFocus()
    qtbot.keyClicks(field, "pact")

    total = browser.toPlainText().lower().count("pact")
    assert total > 5  # "Pact" in the title counts too: the search ignores case
    assert pane.match_count() == total
    assert label.text() == f"1 of {total}"

    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert label.text() == f"2 of {total}"
    qtbot.keyClick(field, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert label.text() == f"1 of {total}"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert label.text() == f"2 of {total}"
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert label.text() == f"{total} of {total}"  # wrapped to the last match
    assert scroll_value(pane) > 0
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert label.text() == f"1 of {total}"  # and round to the first

    # Every match is highlighted; the current one differently from the rest.
    selections = browser.extraSelections()
    assert len(selections) == total
    assert all(s.cursor.selectedText().lower() == "pact" for s in selections)
    backgrounds = Counter(s.format.background().color().name() for s in selections)
    assert sorted(backgrounds.values()) == [1, total - 1]

    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible()
    assert browser.extraSelections() == []


def test_f3_works_from_the_text_too(qtbot: QtBot, pane: ArticlePane) -> None:
    browser = browser_of(pane)
    field, label = find_widgets(pane)
    pane.open_find()
    qtbot.keyClicks(field, "lithuania")
    browser.setFocus()
    qtbot.keyClick(browser, Qt.Key.Key_F3)
    assert label.text() == f"2 of {pane.match_count()}"
    qtbot.keyClick(browser, Qt.Key.Key_Escape)
    assert not field.isVisible()
    assert browser.extraSelections() == []


def test_find_without_a_match_says_so(qtbot: QtBot, pane: ArticlePane) -> None:
    field, label = find_widgets(pane)
    pane.open_find()
    qtbot.keyClicks(field, "zeppelin")
    assert label.text() == "No matches"
    assert pane.match_count() == 0
    assert browser_of(pane).extraSelections() == []


def test_find_skips_the_panes_own_links(qtbot: QtBot, pane: ArticlePane) -> None:
    """ "↩ back" and "16 cards" are controls, not article text."""
    field, label = find_widgets(pane)
    assert "back" in plain_text(pane)
    pane.open_find()
    qtbot.keyClicks(field, "back")
    assert label.text() == "No matches"


def test_open_find_again_selects_the_old_text(qtbot: QtBot, pane: ArticlePane) -> None:
    field, _ = find_widgets(pane)
    pane.open_find()
    qtbot.keyClicks(field, "pact")
    pane.close_find()
    pane.open_find()
    assert field.selectedText() == "pact"
    assert pane.match_count() > 0


# -- footnotes -------------------------------------------------------------------------------


def test_clicking_a_footnote_marker_shows_the_reference_and_back_returns(
    qtbot: QtBot, pane: ArticlePane
) -> None:
    browser = browser_of(pane)
    browser.verticalScrollBar().setValue(60)
    plain = browser.toPlainText()
    marker = plain.index("[2]")
    reference = plain.index(LEAGUE_REFERENCE)
    assert is_visible(browser, marker) and not is_visible(browser, reference)

    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, marker))
    assert is_visible(browser, reference)
    assert scroll_value(pane) > 60
    # The "↩ back" link next to it takes the keyboard focus: Enter goes back.
    assert selected(browser.textCursor()) == "↩ back"
    qtbot.keyClick(browser, Qt.Key.Key_Return)
    assert scroll_value(pane) == 60

    for key, modifier in [
        (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier),
    ]:
        qtbot.mouseClick(
            browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, marker)
        )
        assert is_visible(browser, reference)
        qtbot.keyClick(browser, key, modifier)
        assert scroll_value(pane) == 60

    # And clicking the back link itself.
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, marker))
    back = browser.toPlainText().index("↩", reference)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, back))
    assert scroll_value(pane) == 60


def test_footnote_marker_by_keyboard(qtbot: QtBot, pane: ArticlePane) -> None:
    browser = browser_of(pane)
    reference = browser.toPlainText().index(LEAGUE_REFERENCE)
    tab_until(qtbot, browser, lambda cursor: cursor.selectedText() == "[2]")
    before = scroll_value(pane)
    qtbot.keyClick(browser, Qt.Key.Key_Return)
    assert is_visible(browser, reference)
    qtbot.keyClick(browser, Qt.Key.Key_Return)  # on "↩ back"
    assert scroll_value(pane) == before
    assert browser.textCursor().selectedText() == "[2]"  # the focus is back on the marker


# -- zoom ------------------------------------------------------------------------------------


def test_zoom_in_out_and_reset(pane: ArticlePane) -> None:
    browser = browser_of(pane)
    steps: list[int] = []
    pane.zoomChanged.connect(steps.append)
    size = browser.font().pointSizeF()
    height = browser.document().size().height()

    pane.zoom_in()
    pane.zoom_in()
    assert pane.zoom() == 2
    assert steps == [1, 2]
    assert browser.font().pointSizeF() > size
    assert browser.document().size().height() > height

    pane.zoom_out()
    assert pane.zoom() == 1
    pane.zoom_reset()
    assert pane.zoom() == 0
    assert steps == [1, 2, 1, 0]
    assert browser.font().pointSizeF() == pytest.approx(size)

    pane.set_zoom(99)
    assert pane.zoom() == ZOOM_MAX
    pane.set_zoom(-99)
    assert pane.zoom() == ZOOM_MIN
    assert browser.font().pointSizeF() < size
    assert steps[-2:] == [ZOOM_MAX, ZOOM_MIN]


# -- the source sentence ---------------------------------------------------------------------


def test_show_sentence_highlights_exactly_it_and_scrolls_to_it(
    pane: ArticlePane, view: ArticleView
) -> None:
    browser = browser_of(pane)
    passage = view.article.sections[-1].passages[-1]
    sentences = split_sentences(passage.text)
    last = sentences[-1]
    assert scroll_value(pane) == 0
    assert not is_visible(browser, browser.toPlainText().index(last.text))

    assert pane.show_sentence(passage.id, len(sentences) - 1)
    assert pane.highlighted_text() == last.text
    [selection] = browser.extraSelections()
    shown = browser.toPlainText()[
        selection.cursor.selectionStart() : selection.cursor.selectionEnd()
    ]
    assert strip_markers(shown) == last.text
    assert is_visible(browser, selection.cursor.selectionStart())
    assert is_visible(browser, selection.cursor.selectionEnd())

    # A new source sentence replaces the old highlight.
    assert pane.show_sentence("overview-1", 0)
    assert pane.highlighted_text() == split_sentences(view.article.passages()[0].text)[0].text
    assert len(browser.extraSelections()) == 1
    pane.clear_highlight()
    assert pane.highlighted_text() == ""
    assert browser.extraSelections() == []


def test_every_sentence_can_be_shown(pane: ArticlePane, view: ArticleView) -> None:
    for passage in view.article.passages():
        for index, sentence in enumerate(split_sentences(passage.text)):
            assert pane.show_sentence(passage.id, index)
            assert pane.highlighted_text() == sentence.text


def test_show_sentence_of_something_unknown_warns(
    pane: ArticlePane, caplog: pytest.LogCaptureFixture
) -> None:
    assert pane.show_sentence("overview-1", 1)
    kept = pane.highlighted_text()
    with caplog.at_level(logging.WARNING, logger="studyapp.ui.article.pane"):
        assert pane.show_sentence("no-such-passage", 0) is False
        assert pane.show_sentence("overview-1", 99) is False
    assert "no-such-passage" in caplog.text
    assert "99" in caplog.text
    assert [record.levelno for record in caplog.records] == [logging.WARNING] * 2
    assert pane.highlighted_text() == kept


# -- card badges -----------------------------------------------------------------------------


def card_menu(pane: ArticlePane) -> QMenu:
    menu = pane.findChild(QMenu, "articleCardMenu")
    assert isinstance(menu, QMenu)
    return menu


def test_card_badge_lists_the_paragraphs_cards(
    qtbot: QtBot, pane: ArticlePane, view: ArticleView, collection: Collection
) -> None:
    browser = browser_of(pane)
    cards = collection.passage_cards("overview-1")
    assert len(cards) > 1
    plain = browser.toPlainText()
    badge = plain.index(f"{len(cards)} cards")
    assert badge < plain.index(f"\n{view.article.sections[1].heading}\n")  # the first paragraph's

    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, badge))
    menu = card_menu(pane)
    qtbot.waitUntil(menu.isVisible)
    actions = menu.actions()
    assert [shown_text(action.toolTip()) for action in actions] == [card.front for card in cards]
    for action, card in zip(actions, cards, strict=True):
        label = action.text().replace("&&", "&")
        assert label == card.front or card.front.startswith(label.rstrip("…"))

    chosen = cards[1]
    with qtbot.waitSignal(pane.cardActivated) as activated:
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert activated.args == [chosen.id]
    assert not menu.isVisible()
    assert chosen.sentence_index is not None
    sentence = split_sentences(view.article.passages()[0].text)[chosen.sentence_index]
    assert pane.highlighted_text() == sentence.text


def test_card_badge_by_keyboard(qtbot: QtBot, pane: ArticlePane, view: ArticleView) -> None:
    browser = browser_of(pane)
    count = view.card_count("negotiations-1")
    tab_until(qtbot, browser, lambda cursor: selected(cursor) == f"{count} cards")
    qtbot.keyClick(browser, Qt.Key.Key_Return)
    menu = card_menu(pane)
    qtbot.waitUntil(menu.isVisible)
    assert len(menu.actions()) == count
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    assert not menu.isVisible()


# -- links to the timeline -------------------------------------------------------------------


def test_clicking_a_source_sentence_activates_its_event(
    qtbot: QtBot, pane: ArticlePane, view: ArticleView
) -> None:
    browser = browser_of(pane)
    position = browser.toPlainText().index(LEAGUE_SENTENCE) + 12
    with qtbot.waitSignal(pane.eventSourceActivated) as activated:
        qtbot.mouseClick(
            browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, position)
        )
    assert activated.args == ["league-registration"]
    assert pane.highlighted_text() == LEAGUE_SENTENCE

    plain = browser.toPlainText()
    no_event = plain.index("It also recognized Lithuania's interests") + 5
    with qtbot.assertNotEmitted(pane.eventSourceActivated):
        qtbot.mouseClick(
            browser.viewport(), Qt.MouseButton.LeftButton, pos=char_point(browser, no_event)
        )

    # Several events share this sentence: the first one is activated.
    shared = "On April 4, 1934 it was further extended to December 31, 1944."
    first_event = view.events_by_sentence[("ratification-1", 4)][0]
    assert len(view.events_by_sentence[("ratification-1", 4)]) > 1
    pane.show_sentence("ratification-1", 4)
    with qtbot.waitSignal(pane.eventSourceActivated) as activated:
        qtbot.mouseClick(
            browser.viewport(),
            Qt.MouseButton.LeftButton,
            pos=char_point(browser, plain.index(shared) + 3),
        )
    assert activated.args == [first_event]


def test_source_sentence_link_by_keyboard(qtbot: QtBot, pane: ArticlePane) -> None:
    browser = browser_of(pane)
    plain = browser.toPlainText()

    def after_league_sentence(cursor: QTextCursor) -> bool:
        before = plain[: cursor.selectionStart()].rstrip(NARROW_NBSP)
        return cursor.selectedText() == "◆" and before.endswith(LEAGUE_SENTENCE + "[2]")

    tab_until(qtbot, browser, after_league_sentence)
    for point in char_halves(browser, browser.textCursor().selectionStart()):
        assert hover_tooltip(qtbot, browser, point) == "Show on the timeline"
    with qtbot.waitSignal(pane.eventSourceActivated) as activated:
        qtbot.keyClick(browser, Qt.Key.Key_Return)
    assert activated.args == ["league-registration"]


# -- hostile content and palettes ------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src="http://example.com/x.png">'


class FixedArticle:
    """An ArticleSource holding one view and its cards, as the Collection would give them."""

    def __init__(self, view: ArticleView, cards: dict[str, list[CardSummary]]) -> None:
        self.view = view
        self.cards = cards

    def article_view(self, article_id: str | None = None) -> ArticleView:
        return self.view

    def passage_card_counts(self, article_id: str) -> dict[str, int]:
        return {passage: len(cards) for passage, cards in self.cards.items()}

    def passage_cards(self, passage_id: str) -> list[CardSummary]:
        return self.cards.get(passage_id, [])


def hostile_view() -> FixedArticle:
    text = f"Before {SCRIPT} after. An image {IMAGE} here.[1] <b>Not bold</b> & done."
    article = Article(
        id="hostile",
        title="<h1>Title</h1>",
        title_lt='<a href="http://example.com">lt</a>',
        source='<img src="http://example.com/source.png">',
        licence="<i>licence</i> & more",
        attribution="<style>body { color: red }</style>",
        sections=(Section("s", "<u>Heading</u>", True, (Passage("p", text),)),),
        references=(Reference(1, '<img src="https://example.com/r.png"> ref'),),
    )
    cards = {"p": [CardSummary("c", "<b>front</b>", "p", 0)]}
    return FixedArticle(ArticleView(article, {"p": 1}, {("p", 1): ["event-1"]}), cards)


def test_hostile_content_shows_literally_and_loads_nothing(qtbot: QtBot) -> None:
    source = hostile_view()
    pane = show(qtbot, ArticlePane(source))
    browser = browser_of(pane)
    plain = browser.toPlainText()
    article = source.view.article
    for text in (
        SCRIPT,
        IMAGE,
        "<b>Not bold</b> & done.",
        article.title,
        article.title_lt,
        article.source,
        article.licence,
        article.attribution,
        "<u>Heading</u>",
        '<img src="https://example.com/r.png"> ref',
    ):
        assert text in plain

    block = browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char_format = fragments.fragment().charFormat()
            assert not char_format.isImageFormat()
            assert not char_format.anchorHref().startswith("http")
            fragments += 1
        block = block.next()
    refused = getattr(browser, "refused_resources", [])
    assert not [url for url in refused if url.scheme().startswith("http")]
    url = QUrl("http://example.com/x.png")
    assert browser.loadResource(QTextDocument.ResourceType.ImageResource.value, url) is None

    # "<b>" does not start a new sentence, so the second runs to the end of the passage.
    second = split_sentences(article.sections[0].passages[0].text)[1]
    assert pane.show_sentence("p", 1)
    assert IMAGE in pane.highlighted_text()
    assert pane.highlighted_text() == second.text


def test_reload_reads_an_updated_pack(
    qtbot: QtBot, pane: ArticlePane, collection: Collection, tmp_path: Path
) -> None:
    pane.show_sentence("overview-1", 0)
    version = load_dataset(dataset_path()).version
    text = dataset_path().read_text(encoding="utf-8")
    updated = tmp_path / "pact.toml"
    updated.write_text(
        text.replace(f"dataset_version = {version}", f"dataset_version = {version + 1}").replace(
            'heading = "Overview"', 'heading = "Summary"'
        ),
        encoding="utf-8",
    )
    synced = collection.sync_pack(load_dataset(updated))
    assert synced.changes.content
    pane.reload()
    assert pane.highlighted_text() == ""
    toc = child(pane, QComboBox, "tableOfContents")
    assert isinstance(toc, QComboBox)
    assert toc.itemText(0) == "Summary"
    assert LEAGUE_SENTENCE in plain_text(pane)


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3c3f41",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d6ea8",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#0000ff",  # the light default some dark palettes keep
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def test_dark_palette_reads_well(qtbot: QtBot, pane: ArticlePane) -> None:
    browser = browser_of(pane)
    pane.setPalette(dark_palette())
    pane.show_sentence("overview-1", 6)
    image = browser.viewport().grab().toImage()
    pixels = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    )
    background = QColor(pixels.most_common(1)[0][0])
    assert background.name() == "#1e1f22"  # the palette's base, not a white page
    readable = sum(
        count
        for pixel, count in pixels.items()
        if contrast_ratio(QColor(pixel), background) >= TEXT_CONTRAST_AAA
    )
    assert readable > 500  # plenty of light text on the dark page, not a blank grab

    plain = browser.toPlainText()
    for text in ("[2]", "16 cards", "◆"):
        colour = format_at(browser, plain.index(text) + len(text) // 2).foreground().color()
        assert contrast_ratio(colour, background) >= TEXT_CONTRAST_AA, text
    [selection] = browser.extraSelections()
    highlight = selection.format.background().color()
    assert contrast_ratio(QColor("#e6e6e6"), highlight) >= TEXT_CONTRAST_AA
