"""The damaged-database dialog answered for a test, as the learner would."""

from __future__ import annotations

import pytest

from studyapp.ui import backup_dialogs
from studyapp.ui.backup_dialogs import DamagedChoice


def quit_when_asked_about_damage(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The damaged-database dialog answered with Quit; the messages it was shown."""
    asked: list[str] = []
    monkeypatch.setattr(
        backup_dialogs,
        "ask_about_damaged_database",
        lambda p, m, r: asked.append(m) or DamagedChoice.QUIT,
    )
    return asked
