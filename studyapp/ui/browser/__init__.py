"""The card browser: find, edit and manage every card (B, Study > Browse)."""

from studyapp.ui.browser.window import BrowserWindow

__all__ = ["BrowserWindow"]
