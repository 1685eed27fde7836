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

# Keys handled inside a pane (menu actions are listed from the menus themselves).
PANE_KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Flashcards (when the pane has focus)",
        (
            ("Space / Enter", "Show the answer; on the answer side, Good"),
            ("1 / 2 / 3 / 4", "Again / Hard / Good / Easy"),
            ("S", "Show the card's source in the article and on the timeline"),
            ("@", "Suspend the card"),
            ("-", "Bury the card until tomorrow"),
        ),
    ),
    (
        "Timeline (when the pane has focus)",
        (
            ("← / →", "Select the previous / next event"),
            ("Shift+← / Shift+→", "Pan"),
            ("+ / -", "Zoom in / out (also Ctrl+wheel, pinch)"),
            ("Home", "Fit all events"),
        ),
    ),
    (
        "Article",
        (
            ("F3 / Shift+F3", "Next / previous match"),
            ("Esc", "Close the find bar"),
            ("Tab, Enter", "Follow a footnote, card badge or timeline link"),
            ("Alt+← / Backspace", "Back after following a footnote"),
        ),
    ),
)


@dataclass(frozen=True)
class AboutInfo:
    data_dir: str
    database: str
    dataset_version: int | None
    article_title: str
    source: str
    licence: str
    attribution: str


class ShortcutsDialog(QDialog):
    def __init__(self, menu_shortcuts: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setObjectName("shortcutsDialog")
        self.resize(560, 620)
        browser = QTextBrowser(self)
        browser.setAccessibleName("Keyboard shortcuts")
        browser.setOpenLinks(False)
        browser.setHtml(shortcuts_html(menu_shortcuts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)

    @classmethod
    def show_for(cls, parent: QWidget, menu_shortcuts: list[tuple[str, str]]) -> None:
        cls(menu_shortcuts, parent).exec()


def shortcuts_html(menu_shortcuts: list[tuple[str, str]]) -> str:
    groups = [("Window and menus", tuple(menu_shortcuts)), *PANE_KEYS]
    parts = []
    for title, rows in groups:
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
        f"<b>Dataset version:</b> {esc(info.dataset_version)}</p>"
        f"<p><b>Source article:</b> “{esc(info.article_title)}”, {esc(info.source)}.<br>"
        f"<b>Licence:</b> {esc(info.licence)}.<br>{esc(info.attribution)}<br>"
        "The flashcards and timeline are derived from the article and shared under the "
        "same licence.</p>"
        "<p>Scheduling by FSRS (py-fsrs).</p>"
    )


def show_about(parent: QWidget, info: AboutInfo) -> None:
    QMessageBox.about(parent, "About StudyApp", about_html(info))
