"""A warm start loads what the first screen needs: no dialog until it is first opened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Imported when their dialog (or command) is first used, never by starting the window.
NOT_AT_START = (
    "studyapp.content.loader",  # the dataset is only peeked at when its version is current
    "studyapp.interop",
    "studyapp.ui.add_card_dialog",
    "studyapp.ui.backup_dialogs",
    "studyapp.ui.fsrs_section",
    "studyapp.ui.interop_dialogs",
    "studyapp.ui.pack_install",
    "studyapp.ui.packs_dialog",
    "studyapp.ui.progress",
    "studyapp.ui.review.edit_dialog",
    "studyapp.ui.review.info_dialog",
    "studyapp.ui.review.study_more_dialog",
    "studyapp.ui.study_settings_dialog",
)


def test_starting_the_window_imports_no_dialog_module(data_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from studyapp.collection import Collection; "
        "from studyapp.ui.launch import AppController, make_application; "
        "app = make_application(); "
        f"controller = AppController(app, Path({str(data_dir)!r}), Collection.open); "
        "assert controller.show_window(controller.open_collection()); "
        "app.processEvents(); "
        "print(controller.window.review.current_card().id); "
        f"print(sorted(m for m in {NOT_AT_START!r} if m in sys.modules)); "
        "controller.window.close(); controller.collection.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    card, loaded = done.stdout.strip().splitlines()[-2:]
    assert card == "parties"  # the window really started, on its first card
    assert loaded == "[]"
