"""Before Qt starts on Linux: is there a display, and can Qt's X11 platform plugin load?

Without a display, or without the system libraries Qt's xcb plugin links (libxcb-cursor0 since
Qt 6.5), Qt aborts the process with its own message. This check runs first and says what is
missing and how to install it. It imports no Qt: it reads the environment and asks the dynamic
loader, the same one Qt will use.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

# A function that loads a shared library (a path or a file name like "libxcb.so.1") and returns
# None if it loads, else the name of the file the loader could not find or use.
Probe = Callable[[str], str | None]

# What Qt's xcb plugin (libqxcb.so and libQt6XcbQpa.so.6) and QtGui link beyond Qt itself, from
# `readelf -d` on PySide6 6.11, each with its Debian/Ubuntu and its Fedora package.
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

CHECK_HINT = (
    "`studyapp --check` works without a display: it opens and checks the database and prints "
    "its figures."
)


def load_probe(library: str) -> str | None:
    """Ask the dynamic loader for a library, as Qt will; None if it loads."""
    import ctypes

    try:
        ctypes.CDLL(library)
    except OSError as error:
        # glibc says "libxcb-cursor.so.0: cannot open shared object file: ..." and names the
        # file it missed, which may be a dependency of the one asked for.
        missing = str(error).split(": ", 1)[0].strip()
        return Path(missing).name if missing else library
    return None


def xcb_plugin_path() -> Path | None:
    """The xcb platform plugin of the PySide6 that would be imported, without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def requested_platforms(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins QT_QPA_PLATFORM names ("wayland;xcb", "xcb:option"), in order."""
    value = environ.get("QT_QPA_PLATFORM", "")
    return [part.split(":", 1)[0].strip() for part in value.split(";") if part.strip()]


def find_display_problem(
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
    probe: Probe | None = None,
    find_plugin: Callable[[], Path | None] | None = None,
) -> str | None:
    """None when Qt can be expected to open a window, else a message: what stops it, the fix.

    Only Linux is checked. An explicit QT_QPA_PLATFORM other than xcb (offscreen for tests and
    the benchmark, wayland, vnc ...) is Qt's business and passes. With neither DISPLAY nor
    WAYLAND_DISPLAY there is no display. With a Wayland display Qt prefers its Wayland plugin;
    with only an X display it loads xcb, whose libraries are looked up here. probe and
    find_plugin default to load_probe and xcb_plugin_path.
    """
    environ = os.environ if environ is None else environ
    system = sys.platform if system is None else system
    if not system.startswith("linux"):
        return None
    platforms = requested_platforms(environ)
    if platforms and platforms != ["xcb"]:
        return None
    has_x = bool(environ.get("DISPLAY"))
    has_wayland = bool(environ.get("WAYLAND_DISPLAY"))
    if not platforms and has_wayland:
        return None
    if not has_x:
        why = (
            "QT_QPA_PLATFORM=xcb asks for X11 but DISPLAY is not set"
            if platforms
            else "neither DISPLAY nor WAYLAND_DISPLAY is set"
        )
        return (
            f"StudyApp cannot open its window: there is no display ({why}).\n"
            "Start it from a desktop session, or over SSH with X forwarding (ssh -X).\n"
            f"{CHECK_HINT}"
        )
    return missing_libraries_problem(probe or load_probe, (find_plugin or xcb_plugin_path)())


def missing_libraries_problem(probe: Probe, plugin: Path | None) -> str | None:
    """Load the plugin itself where it is found (its own search path decides, as for Qt); only
    when that fails, or it is not found, look up each library to name every missing one."""
    first_missing = probe(str(plugin)) if plugin is not None else None
    if plugin is not None and first_missing in (None, plugin.name):
        return None  # it loads, or fails for a reason other than a missing file: Qt will say
    found = {name for name in map(probe, XCB_LIBRARIES) if name is not None}
    names = sorted(found | ({first_missing} if first_missing is not None else set()))
    if not names:
        return None
    debian = _unique(XCB_LIBRARIES[name][0] for name in names if name in XCB_LIBRARIES)
    fedora = _unique(XCB_LIBRARIES[name][1] for name in names if name in XCB_LIBRARIES)
    one = len(names) == 1
    lines = [
        "StudyApp cannot open its window: Qt's X11 platform plugin (xcb) needs "
        + ("a system library that is missing:" if one else "system libraries that are missing:"),
        "  " + ", ".join(names),
    ]
    if debian:
        lines += [
            f"Install {'it' if one else 'them'}, then start StudyApp again:",
            "  Debian/Ubuntu: sudo apt-get install " + " ".join(debian),
            "  Fedora:        sudo dnf install " + " ".join(fedora),
        ]
    else:
        lines.append("Install the package that provides it, then start StudyApp again.")
    lines.append(CHECK_HINT)
    return "\n".join(lines)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
