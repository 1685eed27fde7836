"""Before Qt starts: no display, or missing xcb libraries, get one clear message and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp import display_check
from studyapp.app import main
from studyapp.display_check import XCB_LIBRARIES, find_display_problem, load_probe

PLUGIN = Path("/opt/PySide6/Qt/plugins/platforms/libqxcb.so")
X_ONLY = {"DISPLAY": ":0"}


class FakeLoader:
    """The dynamic loader on a machine that lacks some files; records what was asked."""

    def __init__(self, missing: set[str], plugin_error: str | None = None) -> None:
        self.missing = missing
        self.plugin_error = plugin_error
        self.asked: list[str] = []

    def __call__(self, library: str) -> str | None:
        self.asked.append(library)
        if library == str(PLUGIN):
            return self.plugin_error
        return library if library in self.missing else None


def problem(environ: dict[str, str], loader: FakeLoader, system: str = "linux") -> str | None:
    return find_display_problem(environ, system, loader, lambda: PLUGIN)


def test_no_display_at_all() -> None:
    loader = FakeLoader(missing=set())
    message = problem({}, loader)
    assert message is not None
    assert "no display" in message
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in message
    assert "studyapp --check" in message and "without a display" in message
    assert loader.asked == [], "no libraries are looked up when there is nothing to show on"


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"QT_QPA_PLATFORM": "vnc:size=800x600"},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
    ],
)
def test_other_platforms_and_wayland_pass(environ: dict[str, str]) -> None:
    loader = FakeLoader(missing=set(XCB_LIBRARIES), plugin_error="libxcb.so.1")
    assert problem(environ, loader) is None
    assert loader.asked == []


@pytest.mark.parametrize("system", ["darwin", "win32"])
def test_only_linux_is_checked(system: str) -> None:
    assert problem({}, FakeLoader(missing=set(XCB_LIBRARIES)), system) is None


def test_xcb_asked_for_without_an_x_display() -> None:
    message = problem({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}, FakeLoader(set()))
    assert message is not None and "QT_QPA_PLATFORM=xcb" in message and "DISPLAY" in message


def test_a_plugin_that_loads_is_enough() -> None:
    loader = FakeLoader(missing={"libxcb-cursor.so.0"}, plugin_error=None)
    assert problem(X_ONLY, loader) is None
    assert loader.asked == [str(PLUGIN)], "the plugin's own search path decides, as for Qt"


def test_missing_libraries_are_named_with_both_install_commands() -> None:
    loader = FakeLoader(
        missing={"libxcb-cursor.so.0", "libxcb-icccm.so.4"}, plugin_error="libxcb-cursor.so.0"
    )
    message = problem({"QT_QPA_PLATFORM": "xcb", **X_ONLY}, loader)
    assert message is not None
    lines = message.splitlines()
    assert "needs system libraries that are missing" in lines[0]
    assert lines[1].strip() == "libxcb-cursor.so.0, libxcb-icccm.so.4"
    assert "  Debian/Ubuntu: sudo apt-get install libxcb-cursor0 libxcb-icccm4" in lines
    assert "  Fedora:        sudo dnf install xcb-util-cursor xcb-util-wm" in lines
    assert "studyapp --check" in lines[-1]


def test_a_missing_library_outside_the_known_list_is_still_named() -> None:
    loader = FakeLoader(missing=set(), plugin_error="libxcb-future.so.7")
    message = problem(X_ONLY, loader)
    assert message is not None
    assert "a system library that is missing" in message and "libxcb-future.so.7" in message
    assert "apt-get" not in message


def test_a_plugin_failing_for_another_reason_is_left_to_qt() -> None:
    # "libqxcb.so: undefined symbol: ..." names the plugin itself: nothing is missing.
    loader = FakeLoader(missing=set(), plugin_error=PLUGIN.name)
    assert problem(X_ONLY, loader) is None


def test_without_a_plugin_file_each_library_is_looked_up() -> None:
    loader = FakeLoader(missing={"libxkbcommon-x11.so.0"})
    message = find_display_problem(X_ONLY, "linux", loader, lambda: None)
    assert message is not None and "libxkbcommon-x11-0" in message
    assert set(loader.asked) == set(XCB_LIBRARIES)
    assert find_display_problem(X_ONLY, "linux", FakeLoader(set()), lambda: None) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's loader messages")
def test_the_real_loader_names_the_missing_file() -> None:
    assert load_probe("libc.so.6") is None
    assert load_probe("libstudyapp-not-here.so.9") == "libstudyapp-not-here.so.9"


def _without_display(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")


def _main_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    """main() on the window path; should the check let it through, no real window is tried
    (Qt would abort this process without a display)."""
    from studyapp.ui import launch

    windows: list[Path] = []
    monkeypatch.setattr(launch, "run_window", lambda data_dir, *_: windows.append(data_dir))
    code = main(["--data-dir", str(tmp_path / "data")])
    assert windows == [], "the window path was reached"
    return code, capsys.readouterr().err


def test_main_exits_2_before_qt_without_a_display(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_display(monkeypatch)
    code, err = _main_exit(tmp_path, capsys, monkeypatch)
    assert code == 2
    assert err.startswith("studyapp: StudyApp cannot open its window: there is no display")
    assert not (tmp_path / "data").exists(), "nothing is created for a window that cannot open"


def test_main_exits_2_when_libraries_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_display(monkeypatch)
    monkeypatch.setenv("DISPLAY", ":0")
    loader = FakeLoader(missing={"libxcb-cursor.so.0"}, plugin_error="libxcb-cursor.so.0")
    monkeypatch.setattr(display_check, "load_probe", loader)
    monkeypatch.setattr(display_check, "xcb_plugin_path", lambda: PLUGIN)
    code, err = _main_exit(tmp_path, capsys, monkeypatch)
    assert code == 2
    assert "libxcb-cursor.so.0" in err and "sudo apt-get install libxcb-cursor0" in err
    assert "sudo dnf install xcb-util-cursor" in err
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
def test_a_real_start_without_a_display_prints_ours_not_qts(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    started = subprocess.run(
        [sys.executable, "-m", "studyapp", "--data-dir", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2, started.stderr
    assert "there is no display" in started.stderr
    assert "Qt platform plugin" not in started.stderr and "Traceback" not in started.stderr
