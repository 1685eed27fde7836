"""Label widths added up from character advances agree with Qt's own measuring."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication

from studyapp.ui.timeline.text_widths import ELLIPSIS, TextWidths

LABELS = [
    "Soviet–Lithuanian Peace Treaty",
    "Żeligowski's Mutiny",
    "Pact signed",
    "Sep 28, 1926  ",
    "Second extension: to December 31, 1944",
    "Ratifications exchanged in Kaunas, and the pact “effective until broken”",
    "Ελληνικά και русский текст рядом",
    "Synthetic event 4711: the  double  spaced title",
]
# Scripts that do not simply add up: right to left, combining marks, zero-width characters.
UNUSUAL = ["עברית ועוד", "Cafe\u0301 au lait, written with a combining accent", "zero\u200bwidth"]


def _font(qapp: QApplication, kerning: bool) -> QFont:
    font = QFont(qapp.font())
    font.setKerning(kerning)
    return font


def test_widths_add_up_to_what_qt_measures_without_kerning(qapp: QApplication) -> None:
    font = _font(qapp, kerning=False)
    widths, metrics = TextWidths(font), QFontMetricsF(font)
    for text in LABELS + UNUSUAL:
        assert widths.width(text) == pytest.approx(metrics.horizontalAdvance(text), abs=1.0)


def test_unusual_text_and_kerned_fonts_are_measured_by_qt(qapp: QApplication) -> None:
    for kerning, texts in ((False, UNUSUAL), (True, LABELS)):
        font = _font(qapp, kerning)
        widths, metrics = TextWidths(font), QFontMetricsF(font)
        for text in texts:
            assert widths.width(text) == metrics.horizontalAdvance(text)
            for width in (30.0, 90.0):
                assert widths.elided(text, width) == metrics.elidedText(
                    text, Qt.TextElideMode.ElideRight, width
                )


def test_a_title_cut_short_fits_and_reads_as_its_start(qapp: QApplication) -> None:
    font = _font(qapp, kerning=False)
    widths, metrics = TextWidths(font), QFontMetricsF(font)
    for text in LABELS:
        full = metrics.horizontalAdvance(text)
        assert widths.elided(text, full + 1) == text
        for width in (full * 0.3, full * 0.6, full - 5):
            cut = widths.elided(text, width)
            assert cut.endswith(ELLIPSIS) and text.startswith(cut[:-1])
            assert metrics.horizontalAdvance(cut) <= width + 0.5
            # no more than a character short of what Qt keeps
            qt_cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            assert abs(len(cut) - len(qt_cut)) <= 1


def test_a_fitted_label_is_its_elided_text_with_that_texts_width(qapp: QApplication) -> None:
    for kerning in (False, True):
        font = _font(qapp, kerning)
        widths, metrics = TextWidths(font), QFontMetricsF(font)
        for text in LABELS + UNUSUAL:
            full = metrics.horizontalAdvance(text)
            for width in (full * 0.4, full - 3, full + 1):
                shown, shown_width = widths.fitted(text, width)
                assert shown_width == pytest.approx(metrics.horizontalAdvance(shown), abs=1.0)
                assert shown_width <= width + 0.5
                assert (shown == text) == (full <= width)  # whole exactly when it fits
