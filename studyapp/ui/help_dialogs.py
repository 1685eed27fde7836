"""Help menu dialogs: the keyboard shortcuts list and About."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyapp import __version__

# Keys the timeline and the article read themselves (their menu actions are listed from
# the actions; the flashcards' keys from the review pane's own table).
TIMELINE_KEYS: tuple[tuple[str, str], ...] = (
    ("← / →", "Select the previous / next event"),
    ("Shift+← / Shift+→", "Pan"),
    ("+ / -", "Zoom in / out (also Ctrl+wheel, pinch)"),
    ("Home", "Fit all events"),
    ("Ctrl+click", "Select one more event (again: leave it out)"),
    ("Ctrl+← / Ctrl+→", "Keep this event selected and select the previous / next one too"),
    ("Menu", "The card menu of the selected events (also a right click)"),
)
ARTICLE_KEYS: tuple[tuple[str, str], ...] = (
    ("F3 / Shift+F3", "Next / previous match"),
    ("Esc", "Close the find bar"),
    ("Tab, Enter", "Follow a footnote, card badge or timeline link"),
    ("Alt+← / Backspace", "Back after following a footnote"),
    ("Menu", "Copy, Cloze This, New Card from Selection (also a right click)"),
)
Section = tuple[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class PackCredit:
    """Where one pack's text comes from and under which licence."""

    title: str
    version: int
    source: str
    licence: str
    attribution: str
    builtin: bool


@dataclass(frozen=True)
class AboutInfo:
    data_dir: str
    database: str
    dataset_version: int | None  # the built-in pack's
    packs: tuple[PackCredit, ...]  # every pack the collection has, the built-in one first


class ShortcutsDialog(QDialog):
    def __init__(self, sections: list[Section], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("shortcutsDialog")
        self.resize(560, 620)
        browser = QTextBrowser(self)
        browser.setAccessibleName("Keyboard shortcuts")
        browser.setOpenLinks(False)
        browser.setHtml(shortcuts_html(sections))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)

    @classmethod
    def show_for(cls, parent: QWidget, sections: list[Section]) -> None:
        cls(sections, parent).exec()


def shortcuts_html(sections: list[Section]) -> str:
    parts = []
    for title, rows in sections:
        parts.append(f"<h3>{html.escape(title)}</h3><table cellpadding='3'>")
        for keys, what in rows:
            parts.append(
                f"<tr><td width='170'><b>{html.escape(keys)}</b></td>"
                f"<td>{html.escape(what)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


def about_html(info: AboutInfo) -> str:
    def esc(text: object) -> str:
        return html.escape(str(text))

    return (
        f"<h3>StudyApp {esc(__version__)}</h3>"
        "<p>Read a historical text, see it in time, remember it with spaced repetition. "
        "Works offline.</p>"
        f"<p><b>Data location:</b> {esc(info.data_dir)}<br>"
        f"<b>Database:</b> {esc(info.database)}<br>"
        f"<b>Built-in dataset version:</b> {esc(info.dataset_version)}</p>"
        + "".join(
            f"<p><b>{'Built-in pack' if pack.builtin else 'Content pack'}:</b> "
            f"“{esc(pack.title)}” (version {esc(pack.version)})<br>"
            f"<b>Source:</b> {esc(pack.source)}<br>"
            f"<b>Licence:</b> {esc(pack.licence)}<br>{esc(pack.attribution)}</p>"
            for pack in info.packs
        )
        + "<p>Each pack's flashcards and timeline are derived from its article and shared "
        "under the article's licence.</p>"
        "<p>Scheduling by FSRS (py-fsrs).</p>"
    )


def show_about(parent: QWidget, info: AboutInfo) -> None:
    QMessageBox.about(parent, "About StudyApp", about_html(info))
