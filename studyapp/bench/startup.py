"""Start-up measured from outside: spawn the child, time spawn -> READY, collect its figures.

Every figure comes from a fresh process (see studyapp.bench.child), run one after another so
that two never compete for the machine's cores. The floor, first-run and warm-run processes
are interleaved, so a drift in the machine's load touches all three alike.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import studyapp
from studyapp.bench.child import READY, RESULT
from studyapp.paths import DATA_DIR_ENV, DATABASE_NAME

CHILD_TIMEOUT_S = 600.0
KIB_PER_MB = 1024


class BenchError(RuntimeError):
    """A benchmark process failed; str() says which and shows the end of its stderr."""


@dataclass(frozen=True)
class ChildRun:
    seconds: float  # from spawn to READY
    rss_mb: float  # the child's peak RSS at READY
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class StartupFigures:
    floor: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    warm_rss_mb: list[float] = field(default_factory=list)


def child_env(work_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"  # no display here; and no window on the user's screen
    env.pop(DATA_DIR_ENV, None)
    # An installed app starts from compiled bytecode: let the children cache theirs (in the
    # work dir, so the source tree stays untouched) even where the environment forbids it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work_dir / "pycache")
    # The child imports this very copy of studyapp, installed or not.
    root = str(Path(studyapp.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def run_child(
    mode: str,
    work_dir: Path,
    data_dir: Path | None = None,
    *,
    answers: int = 0,
    frames: int = 0,
    gaps: bool = False,
) -> ChildRun:
    """Run one child process to its end; its start-up time is spawn -> READY."""
    command = [sys.executable, "-m", "studyapp.bench.child", mode]
    if data_dir is not None:
        command.append(str(data_dir))
    if mode == "session":
        command += ["--answers", str(answers), "--frames", str(frames)]
    if mode == "browser":
        command += ["--pages", str(frames)]  # a Page Down step is a frame too
    if gaps:
        command.append("--gaps")
    ready_at: float | None = None
    rss_kib = 0
    result: dict[str, Any] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env=child_env(work_dir)
        )
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                if ready_at is None and line.startswith(READY):
                    ready_at = time.perf_counter()
                    rss_kib = int(line.split()[1])
                elif line.startswith(RESULT):
                    result = json.loads(line[len(RESULT) :])
        code = process.wait(CHILD_TIMEOUT_S)
        if code != 0 or ready_at is None or not result or result.get("exit_status", 0) != 0:
            errors.seek(0)
            tail = errors.read()[-3000:]
            raise BenchError(f"`{' '.join(command)}` failed (exit status {code}):\n{tail}")
    blank = [name for name, painted in result.get("painted", {}).items() if not painted]
    if blank:
        raise BenchError(f"`{' '.join(command)}` showed nothing in: {', '.join(blank)}")
    return ChildRun(ready_at - started, rss_kib / KIB_PER_MB, result)


def measure_startup(work_dir: Path, runs: int, warm_up: bool = True) -> tuple[StartupFigures, Path]:
    """Floor, first-run and warm-run start-up times, `runs` of each; also the pact data dir.

    One discarded run first compiles the bytecode and fills the page cache, so that the first
    measured process does not pay for what only the first start after installing pays.
    """
    figures = StartupFigures()
    pact_dir = work_dir / "pact"
    if warm_up:
        run_child("start", work_dir, work_dir / "warm-up")
        shutil.rmtree(work_dir / "warm-up")
    for number in range(runs):
        figures.floor.append(run_child("floor", work_dir).seconds)
        first_dir = pact_dir if number == 0 else work_dir / f"first-{number}"
        figures.first.append(run_child("start", work_dir, first_dir).seconds)
        if first_dir != pact_dir:
            shutil.rmtree(first_dir)
        warm = run_child("start", work_dir, pact_dir)
        figures.warm.append(warm.seconds)
        figures.warm_rss_mb.append(warm.rss_mb)
    return figures, pact_dir


def copy_collection(source: Path, target: Path) -> Path:
    """A copy of a data dir's database to answer on, so the measured one stays as it was."""
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        path = source / (DATABASE_NAME + suffix)
        if path.exists():
            shutil.copy2(path, target / path.name)
    return target
