"""Durability: an answer reported as saved survives the app being killed (SIGKILL) right after."""

from __future__ import annotations

import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from studyapp.collection import Collection
from studyapp.paths import DATABASE_NAME

REPO = Path(__file__).resolve().parents[2]

# Answers cards as fast as it can and prints each review id once answer() has returned.
# Again and Hard keep every card in learning, so the queue never runs dry.
STUDY_FOREVER = """
import sys
from pathlib import Path
from studyapp.collection import Collection
from studyapp.study.settings import StudySettings

service = Collection.open(Path(sys.argv[1]))
service.update_settings(StudySettings(new_per_day=9999))
answered = 0
while True:
    card = service.next_card()
    if card is None:
        sys.exit("the queue ran dry")
    service.previews(card.id)
    result = service.answer(card.id, 1 + answered % 2, 1000)
    print(result.review_id, flush=True)
    answered += 1
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def read_lines(stream: IO[str], into: queue.Queue[str | None]) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


def start_studying(
    data_dir: Path,
) -> tuple[subprocess.Popen[str], queue.Queue[str | None], threading.Thread]:
    """Start the answering process; its printed review ids arrive on the queue."""
    process = subprocess.Popen(
        [sys.executable, "-c", STUDY_FOREVER, str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    return process, lines, reader


@pytest.mark.parametrize("run", range(3))
def test_answers_reported_saved_survive_sigkill(data_dir: Path, run: int) -> None:
    wanted = random.Random(run).randint(5, 15)
    process, lines, reader = start_studying(data_dir)
    printed: list[int] = []
    try:
        while len(printed) < wanted:
            line = lines.get(timeout=15)
            if line is None:
                process.wait(timeout=5)
                stderr = process.stderr.read() if process.stderr else ""
                pytest.fail(f"the study process ended early ({process.returncode}): {stderr}")
            printed.append(int(line))
        process.send_signal(signal.SIGKILL)  # while it goes on answering
    finally:
        process.kill()
        process.wait(timeout=10)
        reader.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == -signal.SIGKILL

    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in connection.execute("SELECT reviewed_at FROM review_log")}
        stored_cards = dict(
            connection.execute(
                "SELECT card_number, count(*) FROM review_log GROUP BY card_number"
            ).fetchall()
        )
        learning = connection.execute("SELECT count(*) FROM cards WHERE state = 1").fetchone()[0]
    finally:
        connection.close()
    missing = sorted(set(printed) - stored)
    assert not missing, f"answers reported saved but lost after SIGKILL: {missing}"
    assert len(stored) >= len(printed)
    assert learning == len(stored_cards), "each answered card is saved with its answer"

    # The app opens the collection again and counts the same answers.
    reopened = Collection.open(data_dir)
    try:
        assert reopened.today().reviewed == len(stored)
    finally:
        reopened.close()


def test_random_kills_lose_no_committed_answer(data_dir: Path, crash_kills: int) -> None:
    """Kill the studying process at random moments, again and again on the same collection
    (CI runs a few; `pytest --crash-kills 50` runs the full 50)."""
    chance = random.Random(2026)
    printed: list[int] = []
    for kill in range(crash_kills):
        process, lines, reader = start_studying(data_dir)
        try:
            first = lines.get(timeout=30)  # it is answering now
            assert first is not None, process.stderr.read() if process.stderr else ""
            printed.append(int(first))
            threading.Event().wait(chance.uniform(0.0, 0.25))  # then a random moment
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            reader.join(timeout=5)
            while (line := lines.get_nowait() if not lines.empty() else None) is not None:
                printed.append(int(line))
        finally:
            process.kill()
            process.wait(timeout=10)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        connection = sqlite3.connect(data_dir / DATABASE_NAME)
        try:
            check = connection.execute("PRAGMA integrity_check").fetchall()
            stored = {row[0] for row in connection.execute("SELECT reviewed_at FROM review_log")}
        finally:
            connection.close()
        assert check == [("ok",)], f"after kill {kill + 1}: {check}"
        missing = sorted(set(printed) - stored)
        assert not missing, f"after kill {kill + 1}, answers reported saved were lost: {missing}"
    assert len(printed) >= crash_kills
