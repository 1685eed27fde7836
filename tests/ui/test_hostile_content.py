"""Hostile text in the database shows literally in every pane and loads nothing remote."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from studyapp.collection import Collection
from studyapp.storage import models
from studyapp.ui.article.browser import ArticleBrowser
from studyapp.ui.main_window import MainWindow

HOSTILE = '<img src="http://example.com/x.png"><script>alert(1)</script>'
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_hostile_text_is_shown_as_text_everywhere(
    qtbot: QtBot, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    with collection.database.sessions.begin() as session:
        session.execute(
            update(models.Passage)
            .where(models.Passage.id == "negotiations-1")
            .values(text=f"{HOSTILE} The negotiations were difficult.")
        )
        session.execute(
            update(models.Event)
            .where(models.Event.id == "military-coup")
            .values(title=f"Coup {HOSTILE}", description=HOSTILE)
        )
        session.execute(
            update(models.Card).where(models.Card.id == "parties").values(front=HOSTILE)
        )
    requested: list[str] = []
    real_load = ArticleBrowser.loadResource

    def spy(self: ArticleBrowser, kind: int, url: object) -> object:
        requested.append(str(url))
        return real_load(self, kind, url)  # type: ignore[arg-type]

    monkeypatch.setattr(ArticleBrowser, "loadResource", spy)
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show()

    assert HOSTILE in window.article.findChild(ArticleBrowser).toPlainText()
    assert window.timeline.select_event("military-coup")
    assert f"Coup {HOSTILE}" in window.timeline.detail_text()
    assert HOSTILE in window.timeline.detail_text().split("\n", 1)[1]
    assert window.review.current_card() is not None
    assert window.review.card_view.question_label.text().count("&lt;script&gt;") == 1
    assert not [url for url in requested if "example.com" in url or url.startswith("http")]
