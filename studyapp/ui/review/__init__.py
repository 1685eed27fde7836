"""The review pane: flashcards shown, answered and rated from the keyboard."""

from studyapp.ui.review.pane import ReviewPane

__all__ = ["ReviewPane"]
