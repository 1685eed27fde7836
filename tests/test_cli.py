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
    assert int(figures["events"]) == len(dataset.points) >= 11
    assert int(figures["periods"]) == len(dataset.periods)
    assert int(figures["cards"]) == len(dataset.cards) >= 40
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


OPTIONS = ["-h, --help", "--data-dir DIR", "--check", "--find QUERY", "--export FILE",
           "--validate-pack FILE", "--import FILE", "--install-desktop-entry",
           "--uninstall-desktop-entry", "--version", "--what WHICH", "--with-progress",
           "--article ID"]  # fmt: skip


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


def test_export_writes_a_package_and_says_what_it_holds(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.open(data_dir)
    try:
        card = collection.next_card()
        assert card is not None
        collection.answer(card.id, 3, 3000)
    finally:
        collection.close()
    target = tmp_path / "pact.apkg"
    code = main(["--export", str(target), "--with-progress", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    dataset = load_dataset(dataset_path())
    assert code == 0
    assert (
        out.strip() == f"Exported {len(dataset.cards)} cards with 1 answer in 4 decks to {target}."
    )
    assert target.read_bytes()[:2] == b"PK"  # a zip, as Anki packages are


def test_export_of_my_cards_to_csv(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.open(data_dir)
    try:
        collection.add_card(NewCard(CardText(CardKind.BASIC, "Mano klausimas?", "Atsakymas.")))
    finally:
        collection.close()
    target = tmp_path / "mine.csv"
    code = main(["--export", str(target), "--what", "mine", "--data-dir", str(data_dir)])
    assert code == 0, capsys.readouterr().err
    text = target.read_text(encoding="utf-8-sig")
    assert text.count("\n") == 8 and "Mano klausimas?,Atsakymas." in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--what", "some"], "'some' is not a selection: use all, mine or article:ID"),
        (["--what", "article:nowhere"], "There is no article 'nowhere'"),
        (["--with-progress", "--what", "mine"], "no cards of your own"),
    ],
)
def test_export_refusals_exit_2_and_write_nothing(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    target = tmp_path / "out.apkg"
    code = main(["--export", str(target), *arguments, "--data-dir", str(data_dir)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_csv_with_progress_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--export", str(tmp_path / "x.csv"), "--with-progress", "--data-dir", str(data_dir)]
    )
    assert code == 2
    assert "A CSV file holds cards, not progress" in capsys.readouterr().err


def test_options_that_belong_to_export_or_import_alone_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--with-progress"])
    assert exited.value.code == 2
    assert "--what and --with-progress go with --export FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--article", "x", "--check"])
    assert "--article goes with --import FILE" in capsys.readouterr().err


def test_import_prints_the_summary_and_exits_1_on_rejected_rows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cards.csv"
    source.write_text("Front,Back\nWho?,Balutis\nNo back\nWho?,Balutis\n", encoding="utf-8")
    article = "soviet-lithuanian-non-aggression-pact"
    args = ["--import", str(source), "--article", article, "--data-dir", str(data_dir)]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        "Imported cards.csv (CSV with a header row) into 'Soviet–Lithuanian Non-Aggression Pact':",
        "  Added: 1",
        "  Updated: 0",
        "  Duplicates, skipped: 1",
        "    line 4: the same text as line 2",
        "  Rejected: 1",
        "    line 3: it has 1 column; the file's header has 2",
    ]
    code, figures, _ = _check(data_dir, capsys)
    assert figures["user_cards"] == "1"


def test_import_of_a_bad_file_exits_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["--import", str(empty), "--data-dir", str(data_dir)]) == 2
    assert "empty.csv is empty" in capsys.readouterr().err


def test_export_and_import_do_not_import_qt(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "pact.apkg"
    code = (
        "import sys\nfrom studyapp.app import main\n"
        f"assert main(['--export', {str(target)!r}, '--data-dir', {str(data_dir)!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"


def test_output_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`studyapp --check | head -1`: the reader going away is no error of ours (no traceback),
    and the check itself still ran."""
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "studyapp", "--data-dir", str(data_dir), "--check"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
    assert (data_dir / "study.sqlite3").exists()


def test_find_prints_the_cards_the_browsers_search_finds(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = Collection.open(data_dir)
    try:
        collection.suspend("klaipeda-interests")
        collection.previews("klaipeda-objection")
        collection.answer("klaipeda-objection", 3, 1000)
        expected = collection.search("klaipeda")
        due = collection.card("klaipeda-objection").due
    finally:
        collection.close()
    assert main(["--find", "klaipeda", "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split("\t")[0]: line.split("\t") for line in lines}
    assert [line.split("\t")[0] for line in lines] == expected and len(expected) == 5
    assert all(len(row) == 4 for row in rows.values())
    assert rows["klaipeda-interests"][1:3] == ["new,suspended", "-"]
    assert rows["klaipeda-interests"][3].startswith("In which region")
    assert due is not None
    assert rows["klaipeda-objection"][1:3] == ["learning", due.strftime("%Y-%m-%dT%H:%MZ")]


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
