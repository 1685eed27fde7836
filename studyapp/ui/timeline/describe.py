"""The timeline's events in words: the date line of the detail strip and the hover tooltip."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyapp.storage.pane_values import TimelineItem

END_NOT_STATED = "end not stated"
TOOLTIP_WIDTH = 380  # pixels: a description wraps to a few lines, not a narrow column


def date_line(item: TimelineItem) -> str:
    """The date as the article gives it; an open-ended period says that its end is not stated."""
    return f"{item.date_text} ({END_NOT_STATED})" if item.open_end else item.date_text


def tooltip_html(item: TimelineItem, memory: str = "") -> str:
    """Date, title and description as escaped rich text (so dataset text shows literally),
    then the memory map's words about its cards, if any."""
    description = html.escape(item.description).replace("\n", "<br>")
    extra = f"<br><br>{html.escape(memory).replace(chr(10), '<br>')}" if memory else ""
    return (
        f'<qt><table width="{TOOLTIP_WIDTH}"><tr><td><b>{html.escape(item.title)}</b><br>'
        f"{html.escape(date_line(item))}<br>{description}{extra}</td></tr></table></qt>"
    )
