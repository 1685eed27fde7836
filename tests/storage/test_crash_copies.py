"""SIGKILL during a backup or a restore: the next start cleans what was half-written and
loses nothing (`--crash-kills 50` runs the full count; CI runs a few)."""

from __future__ import annotations

import datetime as dt
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyapp.collection import Collection
from studyapp.storage.backup import list_backups, make_backup, review_count
from studyapp.storage.leftovers import clean_leftovers
from studyapp.storage.recovery import verify_backup, verify_database_file
from tests.helpers import fingerprint

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

BACKUP_FOREVER = """
import datetime as dt, sys
from pathlib import Path
from studyapp.storage.backup import make_backup
start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
number = int(sys.argv[3])
while True:
    make_backup(Path(sys.argv[1]), Path(sys.argv[2]), start + dt.timedelta(seconds=number))
    print(number, flush=True)
    number += 1
"""

RESTORE_FOREVER = """
import datetime as dt, sys
from pathlib import Path
from studyapp.storage.recovery import restore_backup
start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
database, folder = Path(sys.argv[1]), Path(sys.argv[2])
sources = [Path(p) for p in sys.argv[3:]]
number = 0
while True:
    restore_backup(sources[number % 2], database, folder, start + dt.timedelta(seconds=number))
    print(number, flush=True)
    number += 1
"""


def _run_and_kill(script: str, args: list[str], rng: random.Random) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    process.stdout.readline()  # at least one whole copy first, then a kill at any moment
    time.sleep(rng.uniform(0, 0.25))
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_kills_during_backups_leave_nothing_half_written(data_dir: Path, crash_kills: int) -> None:
    database = data_dir / "study.sqlite3"
    before = fingerprint(database)
    rng = random.Random(1926)
    for kill in range(crash_kills):
        _run_and_kill(
            BACKUP_FOREVER, [str(database), str(data_dir / "backups"), str(kill * 10_000)], rng
        )
        clean_leftovers(data_dir)
        names = [path.name for path in (data_dir / "backups").iterdir()]
        assert not [name for name in names if ".partial" in name], names
        for info in list_backups(data_dir / "backups"):
            verify_backup(info.path)  # every backup under its name is whole
    assert fingerprint(database) == before, "a backup never writes the collection"


def test_kills_during_restores_keep_a_whole_collection(data_dir: Path, crash_kills: int) -> None:
    database = data_dir / "study.sqlite3"
    with_none = make_backup(database, data_dir / "kept", dt.datetime.now(dt.UTC))
    collection = Collection.open(data_dir)
    collection.answer("parties", 3, 1000)
    collection.close()
    with_one = make_backup(
        database, data_dir / "kept", dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    )
    rng = random.Random(1940)
    for _kill in range(crash_kills):
        _run_and_kill(
            RESTORE_FOREVER,
            [str(database), str(data_dir / "backups"), str(with_none), str(with_one)],
            rng,
        )
        clean_leftovers(data_dir)
        assert not list(data_dir.glob("study.sqlite3.restoring*"))
        verify_database_file(database)
        assert review_count(database) in (0, 1)
        reopened = Collection.open(data_dir)  # the next start opens it as it is
        assert reopened.check().ok
        reopened.close()
