"""The colour maths every pane derives its colours with, checked against known WCAG values."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from studyapp.ui.colours import (
    TEXT_CONTRAST_AA,
    TEXT_CONTRAST_AAA,
    contrast_ratio,
    mix,
    readable,
    readable_hue,
    relative_luminance,
)

BLACK = QColor("#000000")
WHITE = QColor("#ffffff")
LIGHT_BACKGROUNDS = ["#ffffff", "#efefef"]  # white, the Fusion light window
DARK_BACKGROUNDS = ["#000000", "#1e1f22", "#2b2d30"]  # black, the dark theme's base and window


def test_luminance_runs_from_black_to_white() -> None:
    assert relative_luminance(BLACK) == 0
    assert relative_luminance(WHITE) == pytest.approx(1)
    assert relative_luminance(QColor("#777777")) == pytest.approx(0.1845, abs=1e-4)


def test_black_on_white_is_21_either_way_round() -> None:
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21)
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21)


@pytest.mark.parametrize("name", ["#000000", "#ffffff", "#3d6ea8", "#1e1f22", "#0000ff"])
def test_a_colour_on_itself_has_no_contrast(name: str) -> None:
    assert contrast_ratio(QColor(name), QColor(name)) == pytest.approx(1)


def test_the_normal_text_threshold_falls_between_the_known_greys() -> None:
    # The well-known boundary on white: #777777 just fails WCAG AA (4.48), #767676 just passes.
    assert contrast_ratio(QColor("#777777"), WHITE) < TEXT_CONTRAST_AA
    assert contrast_ratio(QColor("#767676"), WHITE) >= TEXT_CONTRAST_AA
    assert TEXT_CONTRAST_AA < TEXT_CONTRAST_AAA


@pytest.mark.parametrize("background", LIGHT_BACKGROUNDS + DARK_BACKGROUNDS)
@pytest.mark.parametrize("hue", [0, 4, 60, 140, 217, 300])
def test_readable_hue_meets_the_threshold(background: str, hue: int) -> None:
    colour = readable_hue(hue, QColor(background))
    assert contrast_ratio(colour, QColor(background)) >= TEXT_CONTRAST_AA
    assert colour.hslHue() == pytest.approx(hue, abs=1)
    assert colour.hslSaturationF() > 0.5  # still a colour, not washed out to grey


@pytest.mark.parametrize("background", ["#ffffff", "#1e1f22"])
def test_readable_hue_meets_a_stricter_minimum_when_asked(background: str) -> None:
    colour = readable_hue(217, QColor(background), minimum=TEXT_CONTRAST_AAA)
    assert contrast_ratio(colour, QColor(background)) >= TEXT_CONTRAST_AAA


def test_readable_hue_goes_darker_on_light_and_lighter_on_dark() -> None:
    on_light = readable_hue(217, WHITE)
    on_dark = readable_hue(217, QColor("#1e1f22"))
    assert on_light.lightnessF() < 0.5 < on_dark.lightnessF()


def test_mix_endpoints_and_midpoint() -> None:
    first, second = QColor("#336699"), QColor("#ffcc00")
    assert mix(first, second, 0).name() == first.name()
    assert mix(first, second, 1).name() == second.name()
    grey = mix(BLACK, WHITE, 0.5)
    assert grey.redF() == grey.greenF() == grey.blueF() == pytest.approx(0.5, abs=1e-4)


def test_readable_moves_a_dark_link_towards_the_text_until_it_reads() -> None:
    base, text, link = QColor("#1e1f22"), QColor("#e6e6e6"), QColor("#0000ff")
    assert contrast_ratio(link, base) < TEXT_CONTRAST_AA  # the light theme's link on a dark page
    moved = readable(link, base, text)
    assert contrast_ratio(moved, base) >= TEXT_CONTRAST_AA
    assert moved.blue() > moved.red()  # still bluish: moved only as far as it needed
    assert readable(text, base, link).name() == text.name()  # already readable: unchanged
