"""Dialogs for File > Export and File > Import: what to export and how, where imported cards
go, and the import's summary. Each hides exec() behind a typed classmethod."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection.export_rows import CardSelection

if TYPE_CHECKING:
    from studyapp.storage.pane_values import ArticleEntry

APKG, CSV = "apkg", "csv"


@dataclass(frozen=True)
class ExportRequest:
    selection: CardSelection
    format: str  # APKG or CSV
    with_progress: bool  # only for APKG


class ExportDialog(QDialog):
    """Which cards, which format, and (for Anki) whether progress goes along."""

    def __init__(self, articles: list[ArticleEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Cards")
        self.setMinimumWidth(480)
        self.cards = QComboBox(self)
        self.cards.setAccessibleName("Cards to export")
        self.cards.addItem("All cards", CardSelection())
        self.cards.addItem("My own cards", CardSelection("mine"))
        for article in articles:
            self.cards.addItem(f"Cards of {article.title}", CardSelection("article", article.id))
        self.format = QComboBox(self)
        self.format.setAccessibleName("File format")
        self.format.addItem("Anki package (.apkg)", APKG)
        self.format.addItem("CSV, for Anki or a spreadsheet (.csv)", CSV)
        self.progress = QCheckBox("Include scheduling and review history", self)
        self.progress.setAccessibleName("Include scheduling and review history")
        self.progress.setChecked(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Cards:", self.cards)
        form.addRow("&Format:", self.format)
        form.addRow("", self.progress)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._format_changed()

    def _format_changed(self) -> None:
        apkg = self.format.currentData() == APKG
        self.progress.setVisible(apkg)  # a CSV file holds no progress: no box ticked for it
        self.note.setText(
            "Anki opens the package with File > Import; with scheduling and history your "
            "intervals and answers come along."
            if apkg
            else "Anki reads the file with File > Import (Basic and Cloze note types); a "
            "spreadsheet opens it too. It holds the cards' text, not their progress."
        )

    def request(self) -> ExportRequest:
        fmt = str(self.format.currentData())
        selection = self.cards.currentData()
        assert isinstance(selection, CardSelection)
        return ExportRequest(selection, fmt, fmt == APKG and self.progress.isChecked())

    @classmethod
    def choose(cls, parent: QWidget | None, articles: list[ArticleEntry]) -> ExportRequest | None:
        dialog = cls(articles, parent)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class ImportTarget:
    article_id: str | None  # None: the cards belong to no article


class ImportDialog(QDialog):
    """Where a file's cards go: an article, or none."""

    def __init__(
        self, file_name: str, articles: list[ArticleEntry], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import Cards")
        self.setMinimumWidth(480)
        intro = QLabel(
            f"Import the cards in {file_name} as your own cards. Cards whose text you "
            "already have are skipped; a row from a StudyApp export updates its card.",
            self,
        )
        intro.setWordWrap(True)
        self.article = QComboBox(self)
        self.article.setAccessibleName("Article the cards belong to")
        for article in articles:
            self.article.addItem(article.title, article.id)
        self.article.addItem("No article", None)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Into:", self.article)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def target(self) -> ImportTarget:
        data = self.article.currentData()
        return ImportTarget(None if data is None else str(data))

    @classmethod
    def choose(
        cls, parent: QWidget | None, file_name: str, articles: list[ArticleEntry]
    ) -> ImportTarget | None:
        dialog = cls(file_name, articles, parent)
        return dialog.target() if dialog.exec() == QDialog.DialogCode.Accepted else None
