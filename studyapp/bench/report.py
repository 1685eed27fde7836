"""The benchmark's figures as rows with targets, and the table `python -m studyapp.bench` prints."""

from __future__ import annotations

import math
import os
import platform
import statistics
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

UNITS = {"s": "{:.3f} s", "ms": "{:.1f} ms", "MB": "{:.0f} MB", "x": "{:.1f}x", "%": "{:.0f}%"}


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by the nearest-rank method (a value that was really measured)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: float
    unit: str  # one of UNITS
    target: float | None = None  # met when value <= target

    def shown(self, value: float) -> str:
        return UNITS[self.unit].format(value)

    @property
    def result(self) -> str:
        if self.target is None:
            return ""
        return "pass" if self.value <= self.target else "MISS"

    @property
    def margin(self) -> str:
        """How far from the target, in percent of it: -20% is comfortably under."""
        if not self.target:
            return ""
        percent = (self.value / self.target - 1) * 100
        return f"{percent:+.1f}%" if abs(percent) < 1 else f"{percent:+.0f}%"


@dataclass
class Report:
    machine: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def add(
        self, key: str, label: str, value: float, unit: str, target: float | None = None
    ) -> None:
        self.rows.append(Row(key, label, value, unit, target))

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def misses(self) -> list[Row]:
        return [row for row in self.rows if row.result == "MISS"]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> list[tuple[str, str]]:
    from importlib.metadata import version

    try:
        pyside = version("PySide6-Essentials")
    except Exception:  # a PySide6 without the Essentials wheel
        import PySide6

        pyside = PySide6.__version__
    return [
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores (nproc)"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("PySide6", pyside),
        ("SQLite", _sqlite_version()),
        ("Qt platform", "offscreen"),
        ("Source", _source_version()),
    ]


def _source_version() -> str:
    """The git commit measured, and whether the work tree differs from it."""
    import subprocess
    from pathlib import Path

    import studyapp

    root = Path(studyapp.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"StudyApp {studyapp.__version__} (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes" if changed else "")


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def format_table(report: Report) -> str:
    """A Markdown table (readable as plain text too): figure, measured, target, result."""
    header = ("Figure", "Measured", "Target", "Result", "vs target")
    lines = [
        (
            row.label,
            row.shown(row.value),
            "" if row.target is None else "<= " + row.shown(row.target),
            row.result,
            row.margin,
        )
        for row in report.rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":") for i, w in enumerate(widths)) + "|"
    )
    return "\n".join([line(header), rule, *(line(cells) for cells in lines)])


def format_report(report: Report) -> str:
    parts = ["StudyApp benchmarks", ""]
    parts += [f"{name + ':':<12} {value}" for name, value in report.machine]
    parts += ["", format_table(report), ""]
    parts += [textwrap.fill(note, 100) for note in report.notes]
    misses = report.misses()
    missed = f"Targets missed: {'; '.join(row.label for row in misses)}."
    parts.append(textwrap.fill(missed, 100) if misses else "All targets met.")
    return "\n".join(parts)
