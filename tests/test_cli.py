"""The command line: --check output and exit codes, --version, and refusing bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp import __version__
from studyapp.app import main
from studyapp.collection import CardText, Collection, NewCard
from studyapp.content.loader import load_dataset
from studyapp.content.model import CardKind
from studyapp.paths import dataset_path
from studyapp.storage.migrate import HEAD_REVISION
from tests.helpers import corrupt_database, fingerprint

CHECK_KEYS = [
    "data_dir", "schema_revision", "dataset_version", "articles", "sections", "passages",
    "references", "events", "periods", "cards", "user_cards", "suspended", "buried", "flagged",
    "packs", "reviews", "due_now", "integrity",
]  # fmt: skip


def _check(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, str], str]:
    code = main(["--check", "--data-dir", str(data_dir)])
    captured = capsys.readouterr()
    figures = dict(line.split(": ", 1) for line in captured.out.splitlines())
    return code, figures, captured.err


def test_check_creates_seeds_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data_dir = tmp_path / "fresh" / "data"
    code, figures, err = _check(data_dir, capsys)
    dataset = load_dataset(dataset_path())
    assert code == 0, err
    assert list(figures) == CHECK_KEYS
    assert figures["data_dir"] == str(data_dir)
    assert figures["schema_revision"] == HEAD_REVISION
    assert figures["dataset_version"] == str(dataset.version)
    assert int(figures["events"]) == len(dataset.points) >= 12
    assert int(figures["periods"]) == len(dataset.periods)
    assert int(figures["cards"]) == len(dataset.cards) >= 30
    assert figures["reviews"] == "0" and figures["due_now"] == "0"
    assert [figures[key] for key in ("user_cards", "suspended", "buried", "flagged")] == ["0"] * 4
    assert figures["packs"] == "1"
    assert figures["integrity"] == "ok"
    assert (data_dir / "study.sqlite3").is_file()


def test_check_counts_the_learners_own_cards_and_marks(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.open(data_dir)
    try:
        collection.add_card(NewCard(CardText(CardKind.BASIC, "My question?", "My answer.")))
        collection.suspend("parties")
        collection.bury("signed-when")
        collection.set_flag(1, "parties", "coup-when")
        collection.set_flag(4, "isolation-why")
    finally:
        collection.close()
    code, figures, err = _check(data_dir, capsys)
    assert code == 0, err
    dataset = load_dataset(dataset_path())
    assert figures["cards"] == str(len(dataset.cards) + 1)
    assert (figures["user_cards"], figures["suspended"], figures["buried"]) == ("1", "1", "1")
    assert (figures["flagged"], figures["packs"]) == ("3", "1")


def test_check_twice_prints_the_same(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _check(data_dir, capsys)
    second = _check(data_dir, capsys)
    assert first[0] == second[0] == 0
    assert first[1] == second[1]


def test_corrupt_database_is_refused_untouched(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "study.sqlite3"
    corrupt_database(path)
    before = fingerprint(path)
    code, figures, err = _check(data_dir, capsys)
    assert code == 2
    assert figures == {}
    assert "damaged" in err and str(path) in err and "Traceback" not in err
    assert fingerprint(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["study.sqlite3"]


def test_non_sqlite_file_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.sqlite3"
    path.write_text("my notes, not a database\n", encoding="utf-8")
    code, _, err = _check(tmp_path, capsys)
    assert code == 2
    assert "is not an SQLite database" in err and str(path) in err
    assert path.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_data_dir_that_cannot_be_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = _check(blocker / "data", capsys)
    assert code == 2
    assert "cannot be created" in err and str(blocker / "data") in err


def test_unwritable_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, which ignores permission bits, so ask os.access to say no.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    code, _, err = _check(tmp_path, capsys)
    assert code == 2
    assert "is not writable" in err and str(tmp_path) in err
    assert not (tmp_path / "study.sqlite3").exists()


def test_environment_variable_and_flag_choose_the_data_dir(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(tmp_path / "from-env")}
    command = [sys.executable, "-m", "studyapp", "--check"]
    by_flag = subprocess.run(
        [*command, "--data-dir", str(tmp_path / "flag")], env=env, capture_output=True, text=True
    )
    assert by_flag.returncode == 0, by_flag.stderr
    assert f"data_dir: {tmp_path / 'flag'}" in by_flag.stdout
    assert (tmp_path / "flag" / "study.sqlite3").is_file()
    assert not (tmp_path / "from-env").exists(), "the flag overrides the environment variable"
    by_env = subprocess.run(command, env=env, capture_output=True, text=True)
    assert by_env.returncode == 0, by_env.stderr
    assert f"data_dir: {tmp_path / 'from-env'}" in by_env.stdout
    assert (tmp_path / "from-env" / "study.sqlite3").is_file()


def test_version_names_what_a_bug_report_needs(capsys: pytest.CaptureFixture[str]) -> None:
    import platform
    import sqlite3

    import PySide6
    from PySide6.QtCore import qVersion

    assert main(["--version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        f"StudyApp {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Qt {qVersion()} (PySide6 {PySide6.__version__})",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    assert lines[4] == f"System {platform.platform()}"


def test_version_imports_no_widgets_and_no_database_code() -> None:
    code = (
        "import sys\nfrom studyapp.app import main\nassert main(['--version']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith("
        "('PySide6.QtGui', 'PySide6.QtWidgets', 'sqlalchemy', 'alembic'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == f"StudyApp {__version__}"
    assert run.stdout.splitlines()[-1] == "[]"


OPTIONS = ["-h, --help", "--data-dir DIR", "--check", "--find QUERY", "--install-desktop-entry",
           "--uninstall-desktop-entry", "--version"]  # fmt: skip


def test_help_lists_every_option_on_one_line_with_examples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # a plain terminal
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    option_lines = [line.strip() for line in lines if line.startswith("  -")]
    assert [line.split("  ")[0] for line in option_lines] == OPTIONS
    for line in option_lines:
        option, _, help_text = line.partition("  ")
        assert len(help_text.strip()) > 15, f"{option} has no help on its line"
    examples = lines[lines.index("Examples:") + 1 :]
    assert [line.split()[0] for line in examples] == ["studyapp"] * len(examples)
    assert any("--data-dir" in line for line in examples)
    assert "Your data:" in out


def test_readme_documents_every_option() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for option in OPTIONS:
        name = option.split(", ")[-1].split()[0]
        assert f"`{name}" in readme, name


def test_check_does_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom studyapp.app import main\n"
        f"rc = main(['--check', '--data-dir', {str(tmp_path)!r}])\n"
        "assert rc == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'alembic'))))\n"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.splitlines()[-1] == "[]", "a first run needs neither Alembic nor Qt"
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.splitlines()[-1] == "[]", "a warm start must not import Alembic or Qt"


def test_find_prints_the_cards_the_browsers_search_finds(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.open(data_dir)
    try:
        collection.suspend("klaipeda-interests")
        collection.previews("germany-wary")
        collection.answer("germany-wary", 3, 1000)
        expected = collection.search("klaipeda")
        due = collection.card("germany-wary").due
    finally:
        collection.close()
    assert main(["--find", "klaipeda", "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split("\t")[0]: line.split("\t") for line in lines}
    assert [line.split("\t")[0] for line in lines] == expected and len(expected) == 5
    assert all(len(row) == 4 for row in rows.values())
    assert rows["klaipeda-interests"][1:3] == ["new,suspended", "-"]
    assert rows["klaipeda-interests"][3].startswith("Besides Vilnius")
    assert due is not None
    assert rows["germany-wary"][1:3] == ["learning", due.strftime("%Y-%m-%dT%H:%MZ")]


def test_find_without_accents_and_a_wrong_search(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--find", "zeligowski", "--data-dir", str(data_dir)]) == 0
    assert "vilnius-control" in capsys.readouterr().out
    assert main(["--find", "is:everything", "--data-dir", str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "is:everything" in captured.err


def test_find_does_not_import_qt(data_dir: Path) -> None:
    code = (
        "import sys\nfrom studyapp.app import main\n"
        f"rc = main(['--find', 'pact', '--data-dir', {str(data_dir)!r}])\n"
        "assert rc == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
