"""The timeline pane: events and periods on a zoomable, pannable time axis."""

from studyapp.ui.timeline.pane import ArticleHue, TimelinePane

__all__ = ["ArticleHue", "TimelinePane"]
