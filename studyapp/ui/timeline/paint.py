"""Painting the timeline: its colours, the grid behind the scene, the focus ring, and one
painter for the events, their labels and the axis, in device pixels so that markers and
labels keep their size while only the time axis zooms."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from studyapp.ui.colours import mix, readable_hue
from studyapp.ui.timeline import layout as tl
from studyapp.ui.timeline.scene import MARKER_R, TimelineScene

RING = 2  # focus ring width around the view
_STAMP = 2 * (MARKER_R + 2)  # a marker's pixmap, pen included, in device-independent pixels
_stamps: dict[tuple[int, int, int, bool, float], QPixmap] = {}


def _marker_stamp(colours: TimelineColours, exact: bool, ratio: float) -> QPixmap:
    """An unselected marker drawn once into a pixmap: a paint stamps it at every spot."""
    key = (colours.marker.rgba(), colours.base.rgba(), colours.text.rgba(), exact, ratio)
    stamp = _stamps.get(key)
    if stamp is None:
        size = math.ceil(_STAMP * ratio)
        stamp = QPixmap(size, size)
        stamp.setDevicePixelRatio(ratio)
        stamp.fill(Qt.GlobalColor.transparent)
        painter = QPainter(stamp)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _set_marker_style(painter, colours, colours.marker, exact, selected=False)
        painter.drawEllipse(QPointF(_STAMP / 2, _STAMP / 2), MARKER_R, MARKER_R)
        painter.end()
        _stamps[key] = stamp
    return stamp


_memory_stamps: dict[tuple[int, int, float, float], QPixmap] = {}


def _memory_stamp(mark: QColor, ring: QColor, width: float, ratio: float) -> QPixmap:
    """A memory-map marker (filled in its recall colour, ringed) drawn once into a pixmap: the
    ramp has few colours, a timeline thousands of events."""
    key = (mark.rgba(), ring.rgba(), width, ratio)
    stamp = _memory_stamps.get(key)
    if stamp is None:
        size = math.ceil(_STAMP * ratio)
        stamp = QPixmap(size, size)
        stamp.setDevicePixelRatio(ratio)
        stamp.fill(Qt.GlobalColor.transparent)
        painter = QPainter(stamp)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(ring, width))
        painter.setBrush(mark)
        painter.drawEllipse(QPointF(_STAMP / 2, _STAMP / 2), MARKER_R, MARKER_R)
        painter.end()
        _memory_stamps[key] = stamp
    return stamp


def _set_marker_style(
    painter: QPainter, colours: TimelineColours, colour: QColor, exact: bool, selected: bool
) -> None:
    """A filled dot for a day; for a month or a year a hollow one (and a bracket)."""
    if exact:
        painter.setPen(QPen(colours.text if selected else colours.base, 1.5))
        painter.setBrush(colour)
    else:
        painter.setPen(QPen(colour, 2 if selected else 1.5))
        painter.setBrush(colours.base)


@dataclass(frozen=True)
class TimelineColours:
    """Every colour the timeline paints, derived from the palette so dark themes just work."""

    base: QColor
    text: QColor
    muted: QColor
    faint: QColor
    stem: QColor
    marker: QColor
    band: QColor
    band_edge: QColor
    accent: QColor
    accent_text: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> TimelineColours:
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        return cls(
            base=base,
            text=text,
            muted=mix(base, text, 0.62),
            faint=mix(base, text, 0.12),
            stem=mix(base, text, 0.4),
            marker=mix(text, accent, 0.55),
            band=mix(base, accent, 0.3),
            band_edge=mix(base, accent, 0.8),
            accent=accent,
            accent_text=palette.color(QPalette.ColorRole.HighlightedText),
        )

    def for_hue(self, hue: int) -> TimelineColours:
        """The same colours with markers and bands of one hue (one article's, when the
        timeline shows several); the selection keeps the accent, text keeps its colours."""
        marker = readable_hue(hue, self.base, minimum=3.0)  # WCAG's 3:1 for graphics
        return replace(
            self,
            marker=marker,
            band=mix(self.base, marker, 0.3),
            band_edge=mix(self.base, marker, 0.8),
        )


def paint_background(
    painter: QPainter,
    rect: QRectF,
    scene: TimelineScene,
    colours: TimelineColours,
    step: tl.TickStep,
) -> None:
    """The plain base with a faint vertical line at each major tick, in scene units."""
    painter.fillRect(rect, colours.base)
    first = tl.x_day(rect.left(), scene.origin)
    last = tl.x_day(rect.right(), scene.origin)
    pen = QPen(colours.faint, 1)
    pen.setCosmetic(True)
    painter.setPen(pen)
    top, bottom = scene.sceneRect().top(), scene.sceneRect().bottom()
    for day in tl.tick_days(step, first, last):
        x = tl.day_x(day, scene.origin)
        painter.drawLine(QLineF(x, top, x, bottom))


def paint_focus_ring(widget: QWidget, colours: TimelineColours) -> None:
    """A frame around `widget`: the accent colour, RING pixels wide, while it has focus."""
    painter = QPainter(widget)
    colour = colours.accent if widget.hasFocus() else colours.faint
    pen = QPen(colour, RING if widget.hasFocus() else 1)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    inset = pen.widthF() / 2
    painter.drawRect(QRectF(widget.rect()).adjusted(inset, inset, -inset, -inset))
    painter.end()


class TimelinePainter:
    """One paint of the visible events, in device pixels, bottom layer first."""

    def __init__(
        self,
        painter: QPainter,
        scene: TimelineScene,
        frame: tl.Frame,
        colours: TimelineColours,
        *,
        font: QFont,
        size: QSize,
        selection: int | None,
        also: frozenset[int] = frozenset(),
        placement: tl.LabelPlacement,
        step: tl.TickStep,
        event_colours: Sequence[TimelineColours] = (),
        marks: list[QColor | None] | None = None,
    ) -> None:
        self.scene, self.p, self.f = scene, painter, frame
        # Per event (by index) when the events of several articles are shown; else none.
        self.event_colours = event_colours
        self.c, self.m = colours, scene.metrics
        self.s, self.dx, self.dy = frame.scale, frame.dx, frame.marker_y
        self.width, self.height = size.width(), size.height()
        self.font, self.fm = font, QFontMetricsF(font)
        self.selection, self.placement, self.step = selection, placement, step
        self.also = also  # selected besides the current one (drawn selected, label as placed)
        self.marks = marks or []  # the memory map's colour per event (empty: off)
        self.painted: dict[str, QRectF] = {}  # event id -> viewport rect of its label
        self.painted_text: dict[str, str] = {}  # event id -> the text of its label
        self.markers_painted = 0  # unselected markers stamped: at most a few per pixel column

    def x(self, scene_x: float) -> float:
        """Viewport x of scene x, clamped just off screen: lines and fills off screen cost
        nothing and a dash pattern is never laid along thousands of hidden pixels."""
        return min(max(scene_x * self.s + self.dx, -50.0), self.width + 50.0)

    def paint(self, periods: list[int], labels: tuple[float, float]) -> dict[str, QRectF]:
        """Paint `periods` and the point events in view, with the labels whose markers lie
        in scene x range `labels`; return the label rects painted."""
        height = self.height
        self.p.setClipRect(QRectF(0, self.f.lanes_top, self.width, height - self.f.lanes_top))
        for index in periods:
            self.period(index)
        self.p.setClipping(False)
        self.axis()
        self.points(*labels)
        return self.painted

    def colours_of(self, index: int) -> TimelineColours:
        return self.event_colours[index] if self.event_colours else self.c

    def period(self, index: int) -> None:
        sc, p, c = self.scene, self.p, self.colours_of(index)
        g = sc.geometry[index]
        y = self.m.lanes_y + sc.lanes[index] * self.m.lane_pitch + self.f.lanes_dy
        h, top, bottom = self.m.lane_h, y + 0.5, y + self.m.lane_h - 0.5
        x0, x1 = self.x(g.start), self.x(g.end)
        s0, s1 = self.x(g.solid_start), self.x(g.solid_end)
        selected = index == self.selection or index in self.also
        mark = self.marks[index] if self.marks else None
        # The memory map: the band in its recall colour, light enough for its title to read.
        fill = c.accent if selected else (c.band if mark is None else mix(c.base, mark, 0.4))
        edge_colour = c.accent if selected else c.band_edge
        if x1 - x0 < 16:  # too narrow at this zoom for soft ends or a title to show
            p.fillRect(QRectF(x0, y, max(x1 - x0, 1.0), h), edge_colour if x1 - x0 < 4 else fill)
            return
        edge = QPen(edge_colour, 1)
        p.fillRect(QRectF(s0, y, s1 - s0, h), fill)
        p.setPen(edge)
        p.drawLine(QLineF(s0, top, s1, top))
        p.drawLine(QLineF(s0, bottom, s1, bottom))
        for known, edge_x in ((g.solid_start == g.start, s0), (g.solid_end == g.end, s1)):
            if known:
                p.drawLine(QLineF(edge_x, y, edge_x, y + h))
        # A start or end known only to a month or year fades out over that span, dashed.
        faded = QColor(fill)
        faded.setAlpha(0)
        dashed = QPen(edge)
        dashed.setStyle(Qt.PenStyle.DashLine)
        for solid, soft, a, b in ((g.solid_start, g.start, x0, s0), (g.solid_end, g.end, s1, x1)):
            if b - a < 1:
                continue
            gradient = QLinearGradient(solid * self.s + self.dx, 0, soft * self.s + self.dx, 0)
            gradient.setColorAt(0, fill)
            gradient.setColorAt(1, faded)
            p.fillRect(QRectF(a, y, b - a, h), gradient)
            p.setPen(dashed)
            p.drawLine(QLineF(a, top, b, top))
            p.drawLine(QLineF(a, bottom, b, bottom))
        text_left = max(x0, 0.0) + 6
        text_right = self.x(sc.title_room[index]) - 6 if g.open_end else x1
        room = min(text_right, self.width + 0.0) - 6 - text_left
        if room >= 24:
            title = self.fm.elidedText(sc.events[index].title, Qt.TextElideMode.ElideRight, room)
            # An open-ended title runs on past its fading band, over the base: the text colour.
            p.setPen(c.accent_text if selected and not g.open_end else c.text)
            p.drawText(QPointF(text_left, y + (h - self.m.text_h) / 2 + self.m.ascent), title)

    def axis(self) -> None:
        sc, p, c, m = self.scene, self.p, self.c, self.m
        y = m.axis_y + self.dy
        p.setPen(QPen(c.stem, 1))
        p.drawLine(QLineF(0, y + 0.5, self.width, y + 0.5))
        left = tl.x_day(-self.dx / self.s, sc.origin)
        right = tl.x_day((self.width - self.dx) / self.s, sc.origin)
        step = self.step
        minor = tl.minor_tick_step(step, self.s)
        if minor is not None:
            for day in tl.tick_days(minor, left, right):
                x = round(self.x(tl.day_x(day, sc.origin))) + 0.5
                p.drawLine(QLineF(x, y, x, y + 3))
        baseline = y + 6 + m.ascent
        taken: list[tuple[float, float]] = []
        context_day = left
        ticks = [(self.x(tl.day_x(d, sc.origin)), d) for d in tl.tick_days(step, left, right)]
        context = tl.context_label(step, context_day)
        bold = QFont(self.font)
        bold.setBold(True)
        bold_fm = QFontMetricsF(bold)
        if context is not None:
            width = bold_fm.horizontalAdvance(context)
            x = 4.0
            for tick_x, day in ticks:
                if tl.is_boundary_tick(step, day) and tick_x > 4:
                    x = min(x, tick_x + 3 - width - 10)
                    break
            taken.append((x, x + width))
            p.setFont(bold)
            p.setPen(c.text)
            p.drawText(QPointF(x, baseline), context)
        for boundary in (True, False):
            p.setFont(bold if boundary else self.font)
            fm = bold_fm if boundary else self.fm
            for tick_x, day in ticks:
                if tl.is_boundary_tick(step, day) != boundary:
                    continue
                x = round(tick_x) + 0.5
                p.setPen(QPen(c.stem, 1))
                p.drawLine(QLineF(x, y, x, y + 6))
                text = tl.tick_label(step, day)
                span = (tick_x + 3, tick_x + 3 + fm.horizontalAdvance(text))
                if any(a < span[1] + 6 and span[0] < b + 6 for a, b in taken):
                    continue
                taken.append(span)
                p.setPen(c.text if boundary or step.unit is not tl.TickUnit.DAYS else c.muted)
                p.drawText(QPointF(span[0], baseline), text)
        p.setFont(self.font)

    def points(self, left: float, right: float) -> None:
        """Stems and labels of the labels anchored in scene x [left, right], then markers."""
        sc, p, c, f = self.scene, self.p, self.c, self.f
        placement, geometry = self.placement, sc.geometry
        shown, xs = placement.shown
        first = bisect.bisect_left(xs, left * placement.scale)
        last = bisect.bisect_right(xs, right * placement.scale)
        labelled: list[tuple[int, QRectF]] = []
        for label in shown[first:last]:
            index = sc.label_event[label]
            box = sc.label_box(placement, label, f)
            if index != self.selection and box is not None:
                labelled.append((index, box))
        p.setPen(QPen(c.stem, 1))
        stems = []
        for index, box in labelled:
            x = round(self.x(geometry[index].anchor)) + 0.5
            stems.append(QLineF(x, self.dy - MARKER_R, x, box.bottom()))
        p.drawLines(stems)
        for index, box in labelled:
            self.label(index, box, selected=index in self.also)
        self.markers()
        for index in self.also:
            g = geometry[index]
            if not g.is_period and -MARKER_R <= self.x(g.anchor) <= self.width + MARKER_R:
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                _set_marker_style(p, c, c.accent, g.exact, selected=True)
                self.marker(g, selected=True)
                p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if self.selection is not None:
            self.selected(self.selection, placement)

    def markers(self) -> None:
        """One marker per on-screen spot, stamped from a pixmap per style; brackets first."""
        p, y = self.p, self.dy
        bracket = 2 * MARKER_R + 4
        margin = MARKER_R + 2 + bracket
        spots = self.scene.index.marker_spots(
            self.s, self.dx, -margin, self.width + margin, bracket
        )
        geometry = self.scene.geometry
        self.markers_painted = len(spots)
        brackets: dict[int, tuple[QColor, list[QLineF]]] = {}  # by marker colour
        for spot in spots:
            if spot.bracket:
                g = geometry[spot.index]
                x0, x1 = self.x(g.start), self.x(g.end)
                if x1 - x0 > bracket:  # wide enough to show the month or year it means
                    colour = self.colours_of(spot.index).marker
                    lines = brackets.setdefault(colour.rgba(), (colour, []))[1]
                    lines.append(QLineF(x0 + 1, y, x1 - 1, y))
                    lines.append(QLineF(x0 + 1, y - 4, x0 + 1, y + 4))
                    lines.append(QLineF(x1 - 1, y - 4, x1 - 1, y + 4))
        if brackets:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for colour, lines in brackets.values():
                p.setPen(QPen(colour, 1.5))
                p.drawLines(lines)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        ratio = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        half = _STAMP / 2
        s, dx = self.s, self.dx
        marks = self.marks
        for exact in (False, True):
            # One article's events share their colours, so their stamp: looked up once.
            shared = None if self.event_colours else _marker_stamp(self.c, exact, ratio)
            for spot in spots:
                g = geometry[spot.index]
                if g.exact == exact and not (marks and marks[spot.index] is not None):
                    stamp = shared
                    if stamp is None:
                        stamp = _marker_stamp(self.colours_of(spot.index), exact, ratio)
                    p.drawPixmap(QPointF(g.anchor * s + dx - half, y - half), stamp)
        if marks:  # the memory map: each event with cards in its recall colour, filled
            width = 1.5 if self.event_colours else 1.0
            for spot in spots:
                mark = marks[spot.index]
                if mark is not None:
                    g = geometry[spot.index]
                    # The ring in its article's colour when several articles show.
                    ring = self.colours_of(spot.index).marker if self.event_colours else self.c.text
                    stamp = _memory_stamp(mark, ring, width, ratio)
                    p.drawPixmap(QPointF(g.anchor * s + dx - half, y - half), stamp)

    def selected(self, index: int, placement: tl.LabelPlacement) -> None:
        """The selected event on top: its span marked on the axis, its label and marker."""
        sc, p, c = self.scene, self.p, self.c
        g = sc.geometry[index]
        # An open-ended period marks only its start: the axis knows no end for it.
        x0, x1 = self.x(g.start), self.x(g.solid_end if g.open_end else g.end)
        axis_y = self.m.axis_y + self.dy
        p.fillRect(QRectF(x0 - 1, axis_y - 1, max(x1 - x0, 0) + 2, 3), c.accent)
        if g.is_period:
            return
        box = sc.label_box(placement, sc.label_of[index], self.f)
        if box is not None:
            x = round(self.x(g.anchor)) + 0.5
            p.setPen(QPen(c.accent, 2))
            p.drawLine(QLineF(x, self.dy - MARKER_R, x, box.bottom()))
            self.label(index, box, selected=True)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _set_marker_style(p, c, c.accent, g.exact, selected=True)
        self.marker(g, selected=True)

    def label(self, index: int, box: QRectF, selected: bool) -> None:
        """The date, muted, then the title (cut short where the label is); or, where there is
        no room for the title, the date alone in the text colour."""
        sc, p, c, placement = self.scene, self.p, self.c, self.placement
        label = sc.label_of[index]
        date, title, date_w = sc.label_parts[label]
        p.fillRect(box, c.accent if selected else c.base)
        baseline = box.top() + (box.height() - self.m.text_h) / 2 + self.m.ascent
        text_pen = c.accent_text if selected else c.text
        if placement.short[label]:
            date, title = date.rstrip(), ""
            p.setPen(text_pen)
        else:
            if placement.elided[label]:
                title = sc.elided_title(label, placement.widths[label])
            p.setPen(c.accent_text if selected else c.muted)
        p.drawText(QPointF(box.left() + 5, baseline), date)
        if title:
            p.setPen(text_pen)
            p.drawText(QPointF(box.left() + 5 + date_w, baseline), title)
        event_id = sc.events[index].id
        self.painted[event_id] = QRectF(box)
        self.painted_text[event_id] = date + title

    def marker(self, g: tl.EventGeometry, selected: bool = False) -> None:
        """The selected event's marker, drawn larger on top of the others."""
        p, y, r = self.p, self.dy, MARKER_R + (1.5 if selected else 0)
        x = g.anchor * self.s + self.dx
        if not g.exact:
            x0, x1 = self.x(g.start), self.x(g.end)
            if x1 - x0 > 2 * MARKER_R + 4:  # wide enough to show the month or year it means
                p.drawLine(QLineF(x0 + 1, y, x1 - 1, y))
                p.drawLine(QLineF(x0 + 1, y - 4, x0 + 1, y + 4))
                p.drawLine(QLineF(x1 - 1, y - 4, x1 - 1, y + 4))
        p.drawEllipse(QPointF(x, y), r, r)
