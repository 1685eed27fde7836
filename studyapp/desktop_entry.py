"""Linux desktop integration: a freedesktop.org menu entry and its icon in the user's data dir.

`studyapp --install-desktop-entry` writes two files under $XDG_DATA_HOME (~/.local/share):
applications/studyapp.desktop and icons/hicolor/scalable/apps/studyapp.svg;
`--uninstall-desktop-entry` removes exactly those two. The entry's file name is the one the
window gives Qt (QGuiApplication.setDesktopFileName), so docks group the window under it.
No Qt here: it runs without a display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from studyapp.paths import APP_ID, APP_NAME, resources_dir, source_checkout

ICON_NAME = "icon.svg"  # in resources/

# Characters that make the Desktop Entry spec require an Exec argument to be quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class EntryFiles:
    """Where the entry and its icon go for one XDG data home."""

    desktop_file: Path
    icon: Path

    @classmethod
    def under(cls, data_home: Path) -> EntryFiles:
        return cls(
            data_home / "applications" / f"{APP_ID}.desktop",
            data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        )

    def all(self) -> tuple[Path, Path]:
        return (self.desktop_file, self.icon)


def xdg_data_home(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME if it is an absolute path (the spec ignores relative ones), else
    ~/.local/share."""
    environ = os.environ if environ is None else environ
    value = environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How the menu starts this StudyApp: this Python with the checkout's main.py, or, for an
    installed package, `-m studyapp`. Both work wherever the menu runs them from."""
    checkout = source_checkout()
    if checkout is not None:
        return [sys.executable, str(checkout / "main.py")]
    return [sys.executable, "-m", "studyapp"]


def quote_exec_argument(argument: str) -> str:
    """One Exec argument as the Desktop Entry spec wants it: quoted if it holds a reserved
    character, with `"`, backquote, `$` and backslash escaped inside the quotes; then the
    string-value escape doubles each backslash, and `%` (a field code) is written `%%`."""
    if any(character in _RESERVED for character in argument):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        argument = f'"{inner}"'
    return argument.replace("\\", "\\\\").replace("%", "%%")


def _string_value(text: str) -> str:
    """A Desktop Entry string value: backslash and control characters escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def desktop_entry_text(command: Sequence[str], icon: Path) -> str:
    lines = [
        "[Desktop Entry]",
        "# Written by `studyapp --install-desktop-entry`; `--uninstall-desktop-entry` removes it.",
        "Type=Application",
        "Version=1.4",
        "Name=StudyApp",
        "GenericName=Flashcards",
        "Comment=Read a historical article, see it on a timeline and remember it with "
        "spaced-repetition flashcards",
        "Exec=" + " ".join(quote_exec_argument(argument) for argument in command),
        "TryExec=" + _string_value(command[0]),
        "Icon=" + _string_value(str(icon)),
        "Terminal=false",
        "Categories=Education;",
        "Keywords=flashcards;spaced repetition;FSRS;history;timeline;",
        "StartupNotify=true",
        f"StartupWMClass={APP_NAME}",  # X11 WM_CLASS: Qt uses the application name
    ]
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def install(data_home: Path, command: Sequence[str] | None = None) -> EntryFiles:
    """Write the icon and the entry (in that order, so the menu never shows a missing icon)."""
    files = EntryFiles.under(data_home)
    _write_atomically(files.icon, (resources_dir() / ICON_NAME).read_bytes())
    text = desktop_entry_text(list(command or launch_command()), files.icon)
    _write_atomically(files.desktop_file, text.encode("utf-8"))
    return files


def uninstall(data_home: Path) -> list[Path]:
    """Remove the entry and the icon install() wrote (nothing else); the paths removed."""
    removed = []
    for path in EntryFiles.under(data_home).all():
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def supported(platform: str | None = None) -> bool:
    """freedesktop.org menus: Linux and the BSDs, not Windows or macOS."""
    platform = sys.platform if platform is None else platform
    return not platform.startswith(("win", "cygwin", "darwin"))
