"""The article pane: the text, its contents, find, footnotes and card badges."""

from studyapp.ui.article.pane import ArticlePane

__all__ = ["ArticlePane"]
