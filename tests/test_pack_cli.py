"""The pack options of the command line: --validate-pack (no database, no SQLAlchemy, no Qt)
and --import for a .toml pack, with their messages and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.app import main
from studyapp.collection import Collection
from tests.fixtures.second_pack import (
    SECOND_ARTICLE,
    SECOND_PACK,
    SECOND_PACK_TEXT,
    edited,
    next_version_text,
    with_version,
    write_pack,
)

REPO = Path(__file__).resolve().parents[1]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_pack_prints_the_packs_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["--validate-pack", str(SECOND_PACK)], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{SECOND_PACK}: a valid content pack"
    figures = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert figures["id"] == SECOND_ARTICLE
    assert figures["licence"] == "Public domain"
    assert (figures["version"], figures["events"], figures["cards"]) == (
        "1",
        "1",
        "10 (6 basic, 4 cloze)",
    )


def test_validate_pack_names_the_line_item_and_reason_and_touches_no_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(tmp_path / "data"))
    text = edited(SECOND_PACK_TEXT, ("a {{candid}} world.", "a {{candid}} {{world}}."))
    path = write_pack(tmp_path, text)
    code, out, err = _run(["--validate-pack", str(path)], capsys)
    assert (code, out) == (1, "")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "{{candid}} {{world}}" in t)
    first, second = err.splitlines()
    assert first == (
        f"{path}:{line}:8: card 'doi-candid': cloze text must have exactly one {{{{gap}}}}, not 2"
    )
    assert second.startswith(f"studyapp: {path} is not a valid content pack (the format: ")
    assert second.endswith("PACK_FORMAT.md)")
    assert not (tmp_path / "data").exists(), "no data dir, no database"


def test_validate_pack_refuses_ids_the_builtin_pack_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited(SECOND_PACK_TEXT, ('id = "doi-consent"', 'id = "parties"'))
    path = write_pack(tmp_path, text)
    code, _out, err = _run(["--validate-pack", str(path)], capsys)
    line = text.splitlines().index('id = "parties"') + 1
    assert code == 1
    assert err.startswith(f"{path}:{line}:6: card 'parties': the built-in pack uses this id too;")
    assert "give your ids a prefix of their own" in err


def test_validate_pack_imports_neither_sqlalchemy_nor_qt() -> None:
    code = (
        "import sys\nfrom studyapp.app import main\n"
        f"assert main(['--validate-pack', {str(SECOND_PACK)!r}]) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'alembic', 'PySide6', 'shiboken6', 'fsrs'}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"


def test_import_adds_a_pack_and_refuses_it_a_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    code, out, err = _run(["--data-dir", str(data_dir), "--import", str(SECOND_PACK)], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        f"{SECOND_PACK}: Added “The Declaration of Independence” (version 1) to your collection."
    )
    code, out, err = _run(["--data-dir", str(data_dir), "--import", str(SECOND_PACK)], capsys)
    assert (code, out) == (1, "")
    assert err == (
        "studyapp: “The Declaration of Independence” version 1 is already in your collection.\n"
    )
    newer = write_pack(tmp_path, next_version_text())
    code, out, _err = _run(["--data-dir", str(data_dir), "--import", str(newer)], capsys)
    assert code == 0
    assert "Updated “The Declaration of Independence” from version 1 to version 2" in out
    assert "retired (history kept): doi-candid" in out
    older = write_pack(tmp_path / "old", with_version(SECOND_PACK_TEXT, 1))
    code, _out, err = _run(["--data-dir", str(data_dir), "--import", str(older)], capsys)
    assert code == 1 and "an older one, so nothing was changed" in err
    collection = Collection.open(data_dir)
    try:
        assert [a.id for a in collection.articles()][-1] == SECOND_ARTICLE
        assert next(p for p in collection.packs() if p.id == SECOND_ARTICLE).version == 2
    finally:
        collection.close()


def test_import_of_an_invalid_pack_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    path = write_pack(tmp_path, edited(SECOND_PACK_TEXT, ('date = "1776-07-04"', 'date = "1776"')))
    code, out, err = _run(["--data-dir", str(data_dir), "--import", str(path)], capsys)
    assert (code, out) == (1, "")
    assert "event 'doi-dated-in-congress': date_text 'July 4, 1776' does not match" in err
    assert not data_dir.exists()


def test_import_dispatches_by_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A .toml file is a pack; anything else goes to the card importer (CSV, Anki's text)."""
    cards = tmp_path / "cards.csv"
    cards.write_text("front,back\n", encoding="utf-8")
    code, _out, err = _run(["--data-dir", str(tmp_path / "d"), "--import", str(cards)], capsys)
    assert code == 2
    assert "The file has no cards in it, only header lines." in err
    assert "content pack" not in err


@pytest.mark.parametrize("kind", ["pack", "csv"])
def test_import_refuses_a_data_dir_a_window_has_open(tmp_path: Path, kind: str) -> None:
    """A running StudyApp holds the lock: --import (a pack or cards) leaves its collection
    alone, and says where to do it instead."""
    data_dir = tmp_path / "data"
    cards = tmp_path / "cards.csv"
    cards.write_text("Front,Back\nWhere is Kaunas?,On the Nemunas.\n", encoding="utf-8")
    source, where = (
        (SECOND_PACK, "File > Add Content Pack")
        if kind == "pack"
        else (
            cards,
            "File > Import",
        )
    )
    holder = (
        "import sys, time\nfrom PySide6.QtCore import QLockFile\n"
        f"lock = QLockFile({str(data_dir / 'studyapp.lock')!r})\n"
        "assert lock.tryLock(1000)\nprint('locked', flush=True)\ntime.sleep(30)\n"
    )
    data_dir.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        run = subprocess.run(
            [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir), "--import",
             str(source)],
            capture_output=True, text=True, cwd=REPO, env=env, check=False,
        )  # fmt: skip
    finally:
        process.kill()
        process.wait()
    assert run.returncode == 2
    assert "StudyApp is open on" in run.stderr and where in run.stderr
    assert not (data_dir / "study.sqlite3").exists()
