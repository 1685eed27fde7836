"""File > Add Content Pack…: choose a pack file, check it, show what it is (title, source,
licence, figures) and what adding it does, then add it in one transaction.

A file that is not a valid pack is refused with the loader's message (file, line and column,
item, reason); a pack that cannot be added (the same or an older version, ids another pack
uses) is refused with the reason. Nothing is written until the learner confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.collection import PackAction, PackPlan
from studyapp.content.summary import pack_figures
from studyapp.pack_commands import format_guide
from studyapp.ui.plain_text import breakable

if TYPE_CHECKING:
    from studyapp.collection import Collection
    from studyapp.content.model import Dataset
    from studyapp.ui.operations import Operations

FILE_FILTER = "Content packs (*.toml);;All files (*)"
_BUTTONS = {
    PackAction.INSTALL: "&Add",
    PackAction.UPDATE: "&Update",
    PackAction.RESTORE: "&Add Back",
}


def _plain(text: str, parent: QWidget, name: str = "") -> QLabel:
    """Pack text shown exactly as written, wrapping."""
    label = QLabel(breakable(text), parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class PackConfirmDialog(QDialog):
    """What the pack is and what adding it does; the learner adds it or cancels."""

    def __init__(self, dataset: Dataset, plan: PackPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packConfirmDialog")
        self.setWindowTitle("Add Content Pack")
        self.resize(560, 420)
        article = dataset.article
        title = _plain(article.title, self, "packTitle")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        form = QFormLayout()
        form.addRow("Version:", _plain(str(dataset.version), self))
        form.addRow("Source:", _plain(article.source, self, "packSource"))
        form.addRow("Licence:", _plain(article.licence, self, "packLicence"))
        form.addRow("Attribution:", _plain(article.attribution, self))
        figures = pack_figures(dataset)
        for name, value in figures.lines():
            if name in ("sections", "sentences"):
                continue  # the reader's figures: paragraphs, references, events, cards
            form.addRow(f"{name.capitalize()}:", _plain(value, self))
        self.plan_label = _plain(plan.describe(), self, "packPlan")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        assert plan.action is not None
        self.add_button = buttons.addButton(
            _BUTTONS[plan.action], QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.plan_label)
        layout.addStretch(1)
        layout.addWidget(buttons)

    @classmethod
    def confirm(cls, parent: QWidget, dataset: Dataset, plan: PackPlan) -> bool:
        return cls(dataset, plan, parent).exec() == QDialog.DialogCode.Accepted


def choose_pack_file(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Add Content Pack", str(Path.home()), FILE_FILTER
    )
    return Path(name) if name else None


@dataclass(frozen=True)
class AddedPack:
    article_id: str
    message: str  # what adding it did, for the status bar


def add_pack_from_file(
    parent: QWidget, operations: Operations, path: Path | None = None
) -> AddedPack | None:
    """The whole Add Content Pack… flow; what was added, or None if nothing was (the learner
    was told why, or cancelled)."""
    from studyapp.content.loader import DatasetError, load_dataset

    path = path or choose_pack_file(parent)
    if path is None:
        return None
    try:
        dataset = load_dataset(path)
    except DatasetError as error:
        QMessageBox.warning(
            parent,
            "Not a valid content pack",
            f"{error}\n\nNothing was added. The pack format is described in "
            f"{format_guide()}; `studyapp --validate-pack FILE` checks a pack as you write it.",
        )
        return None
    collection: Collection = operations.collection
    plan = collection.pack_plan(dataset)
    if plan.refusal is not None:
        QMessageBox.information(parent, "Pack not added", plan.refusal)
        return None
    if not PackConfirmDialog.confirm(parent, dataset, plan):
        return None
    done = operations.run(lambda c: c.install_pack(dataset).changes, parent=parent)
    return AddedPack(dataset.article.id, plan.done()) if done is not None else None
