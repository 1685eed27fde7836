"""--install-desktop-entry and --uninstall-desktop-entry against a temporary XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp import __version__
from studyapp.app import main
from studyapp.desktop_entry import quote_exec_argument
from studyapp.paths import resources_dir

ENTRY = Path("applications") / "studyapp.desktop"
ICON = Path("icons") / "hicolor" / "scalable" / "apps" / "studyapp.svg"


def unquote_exec(value: str) -> list[str]:
    """Read an Exec value the way the Desktop Entry spec says a launcher does."""
    unescaped, index = "", 0
    while index < len(value):  # the string-value escapes come first
        if value[index] == "\\" and index + 1 < len(value):
            unescaped += {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(
                value[index + 1], value[index + 1]
            )
            index += 2
        else:
            unescaped += value[index]
            index += 1
    arguments: list[str] = []
    current, quoted, started, index = "", False, False, 0
    while index < len(unescaped):
        character = unescaped[index]
        if quoted and character == "\\" and unescaped[index + 1] in '"`$\\':
            current += unescaped[index + 1]
            index += 1
        elif character == '"':
            quoted, started = not quoted, True
        elif character == " " and not quoted:
            if started or current:
                arguments.append(current)
            current, started = "", False
        else:
            current += character
        index += 1
    if started or current:
        arguments.append(current)
    assert not quoted, f"unbalanced quotes in {value!r}"
    return [argument.replace("%%", "%") for argument in arguments]


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setattr(sys, "platform", "linux")
    return home


def test_install_writes_the_entry_and_its_icon(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert str(data_home / ENTRY) in out and str(data_home / ICON) in out
    assert "--uninstall-desktop-entry" in out
    assert (data_home / ICON).read_bytes() == (resources_dir() / "icon.svg").read_bytes()
    entry = read_entry(data_home / ENTRY)
    assert entry["Type"] == "Application" and entry["Name"] == "StudyApp"
    assert entry["Terminal"] == "false" and "Education" in entry["Categories"].split(";")
    assert entry["Icon"] == str(data_home / ICON)
    assert entry["StartupWMClass"] == "StudyApp"
    checkout = Path(__file__).resolve().parent.parent
    assert unquote_exec(entry["Exec"]) == [sys.executable, str(checkout / "main.py")]
    assert entry["TryExec"] == sys.executable


def test_the_entry_starts_this_studyapp_from_anywhere(data_home: Path, tmp_path: Path) -> None:
    assert main(["--install-desktop-entry"]) == 0
    command = unquote_exec(read_entry(data_home / ENTRY)["Exec"])
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    started = subprocess.run(
        [*command, "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.splitlines()[0] == f"StudyApp {__version__}"


def test_uninstall_removes_exactly_what_install_wrote(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    others = [data_home / "applications" / "other.desktop", data_home / ICON.with_name("x.svg")]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("someone else's", encoding="utf-8")
    assert main(["--install-desktop-entry"]) == 0
    capsys.readouterr()
    assert main(["--uninstall-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert str(data_home / ENTRY) in out and str(data_home / ICON) in out
    assert not (data_home / ENTRY).exists() and not (data_home / ICON).exists()
    assert all(path.read_text(encoding="utf-8") == "someone else's" for path in others)
    remaining = sorted(str(p.relative_to(data_home)) for p in data_home.rglob("*") if p.is_file())
    assert remaining == sorted(str(p.relative_to(data_home)) for p in others)

    assert main(["--uninstall-desktop-entry"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_a_relative_xdg_data_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["--install-desktop-entry"]) == 0
    assert (tmp_path / "home" / ".local" / "share" / ENTRY).is_file()
    assert not (tmp_path / "relative").exists()


def test_not_on_windows_or_macos(
    data_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert main(["--install-desktop-entry"]) == 2
        assert "for Linux desktops" in capsys.readouterr().err
    assert not data_home.exists()


def test_an_unwritable_data_home_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["--install-desktop-entry"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("studyapp: --install-desktop-entry failed:") and str(blocker) in err


@pytest.mark.parametrize(
    "argument",
    ["/usr/bin/python3", "/home/a b/venv/bin/python", 'q"uote', "back\\slash", "50%", "$HOME`x`"],
)
def test_exec_arguments_survive_the_launchers_unquoting(argument: str) -> None:
    assert unquote_exec(quote_exec_argument(argument)) == [argument]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_the_entry_passes_desktop_file_validate(data_home: Path) -> None:
    assert main(["--install-desktop-entry"]) == 0
    checked = subprocess.run(
        ["desktop-file-validate", str(data_home / ENTRY)], capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout


def test_the_window_is_known_by_the_entrys_name(data_home: Path) -> None:
    from studyapp.ui import launch

    app = launch.make_application()
    assert main(["--install-desktop-entry"]) == 0
    assert app.desktopFileName() == (data_home / ENTRY).stem
    assert app.applicationName() == read_entry(data_home / ENTRY)["StartupWMClass"]
