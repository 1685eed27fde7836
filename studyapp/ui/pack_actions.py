"""The window's pack actions: File > Add Content Pack… and Content Packs…, and Study > Study
All Articles / Study Only This Article (the daily limits stay shared by every article)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from studyapp.ui.article_navigation import ArticleNavigation
    from studyapp.ui.operations import Operations


class PackActions(QObject):
    packAdded = Signal(str, str)  # a pack was added (or added back): its article, what was done

    def __init__(
        self, window: QWidget, operations: Operations, navigation: ArticleNavigation
    ) -> None:
        super().__init__(window)
        self._window = window
        self._operations = operations
        self._navigation = navigation
        self.add_action = QAction("Add Content &Pack…", window)
        self.add_action.setObjectName("addPackAction")
        self.add_action.triggered.connect(lambda _checked=False: self.add_pack(window))
        self.packs_action = QAction("Content Pac&ks…", window)
        self.packs_action.setObjectName("packsAction")
        self.packs_action.triggered.connect(lambda _checked=False: self.manage_packs())
        self.study_all_action = QAction("Study &All Articles", window)
        self.study_all_action.setObjectName("studyAllArticlesAction")
        self.study_this_action = QAction("Study Only &This Article", window)
        self.study_this_action.setObjectName("studyThisArticleAction")
        group = QActionGroup(self)
        # Neither is checked while another article than the one shown is studied alone.
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for action in (self.study_all_action, self.study_this_action):
            action.setCheckable(True)
            group.addAction(action)
        self.study_all_action.triggered.connect(lambda _checked=False: self.study(None))
        self.study_this_action.triggered.connect(
            lambda _checked=False: self.study(self._navigation.current)
        )
        self.update()

    def add_pack(self, parent: QWidget) -> str | None:
        """Add Content Pack…; the article added, or None."""
        from studyapp.ui.pack_install import add_pack_from_file

        added = add_pack_from_file(parent, self._operations)
        if added is None:
            return None
        self.packAdded.emit(added.article_id, added.message)
        return added.article_id

    def manage_packs(self) -> None:
        from studyapp.ui.packs_dialog import PacksDialog

        PacksDialog.manage(self._window, self._operations, self.add_pack, self._navigation.choose)

    def study(self, article_id: str | None) -> None:
        """Study one article alone (None: every article)."""
        self._operations.run(lambda c: c.study_only(article_id), parent=self._window)
        self.update()

    def scope_text(self) -> str:
        """Which cards the queue studies, for the status bar ("" with one article)."""
        if not self._navigation.several:
            return ""
        studied = self._operations.collection.study_article
        if studied is None:
            return "Studying all articles"
        return f"Studying “{self._navigation.title(studied)}” only"

    def update(self) -> None:
        """Check the scope studied; name the article "this article" means now."""
        studied = self._operations.collection.study_article
        several = self._navigation.several
        self.study_all_action.setChecked(studied is None)
        title = self._navigation.title().replace("&", "&&")
        self.study_this_action.setText(
            f"Study Only “{title}”" if several else "Study Only &This Article"
        )
        self.study_this_action.setChecked(
            studied is not None and studied == self._navigation.current
        )
        for action in (self.study_all_action, self.study_this_action):
            action.setEnabled(several or studied is not None)
