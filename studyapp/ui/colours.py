"""Colour maths for colours derived from the palette: WCAG luminance and contrast, blending, and
finding a colour that stays readable on a given background."""

from __future__ import annotations

from PySide6.QtGui import QColor

# WCAG 2 contrast thresholds for normal-size text (success criteria 1.4.3 and 1.4.6).
TEXT_CONTRAST_AA = 4.5  # the minimum every derived text colour is held to
TEXT_CONTRAST_AAA = 7.0  # enhanced: what the main text reaches on its background


def relative_luminance(colour: QColor) -> float:
    """The WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """first blended towards second by amount (0: first, 1: second)."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )


def readable(
    colour: QColor, base: QColor, text: QColor, minimum: float = TEXT_CONTRAST_AA
) -> QColor:
    """colour, moved towards the text colour until it stands out from base (some dark palettes
    keep a dark blue link colour)."""
    amount = 0.0
    result = colour
    while contrast_ratio(result, base) < minimum and amount < 1.0:
        amount += 0.1
        result = mix(colour, text, amount)
    return result


def readable_hue(hue: int, background: QColor, minimum: float = TEXT_CONTRAST_AA) -> QColor:
    """A saturated colour of this hue, as close to mid-lightness as still reads on background."""
    dark_background = background.lightnessF() < 0.5
    lightness = 0.62 if dark_background else 0.42
    step = 0.02 if dark_background else -0.02
    colour = QColor.fromHslF(hue / 360, 0.75, lightness)
    while contrast_ratio(colour, background) < minimum and 0.0 < lightness < 1.0:
        lightness = min(1.0, max(0.0, lightness + step))
        colour = QColor.fromHslF(hue / 360, 0.75, lightness)
    return colour
