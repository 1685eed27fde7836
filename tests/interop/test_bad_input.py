"""Bad input gets a clear message and changes nothing: empty, wrong encoding, wrong columns,
a cloze without a gap, a 100 MB file, an export into a read-only folder or onto a full disk."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection, SelectionError
from studyapp.interop.csv_import import MAX_IMPORT_BYTES, import_file
from studyapp.interop.exporting import export_file
from studyapp.interop.files import InteropError
from studyapp.storage import models
from tests.helpers import fingerprint


def _cards(collection: Collection) -> int:
    with collection.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(models.Card)) or 0


def _write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff"])
def test_an_empty_file_is_refused(collection: Collection, tmp_path: Path, content: str) -> None:
    path = _write(tmp_path / "empty.csv", content)
    before = _cards(collection)
    with pytest.raises(InteropError, match=r"empty\.csv is empty"):
        import_file(collection, path)
    assert _cards(collection) == before and not collection.can_undo()


def test_only_header_lines_is_refused(collection: Collection, tmp_path: Path) -> None:
    path = _write(tmp_path / "header.csv", "#separator:Comma\n#html:false\n")
    with pytest.raises(InteropError, match="only header lines"):
        import_file(collection, path)


def test_a_file_not_in_utf8_names_the_line(collection: Collection, tmp_path: Path) -> None:
    good = b"Front,Back\nWhere?,Kaunas\nWho?,Smetona\n"
    path = _write(tmp_path / "baltic.csv", good + "Mūšis,Žalgiris\n".encode("cp1257"))
    before = _cards(collection)
    with pytest.raises(InteropError) as raised:
        import_file(collection, path)
    message = str(raised.value)
    assert "baltic.csv is not UTF-8 text: line 4, column 2 has a byte (0xFB)" in message
    assert "Nothing was imported" in message
    assert _cards(collection) == before


def test_rows_with_the_wrong_number_of_columns_are_rejected(
    collection: Collection, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "columns.csv",
        "Front,Back,Tags\nOne?,1,a\nTwo?\nThree?,3,c,extra\nFour?,4,d\n",
    )
    summary = import_file(collection, path)
    assert summary.added == 2
    assert [(note.line, note.reason) for note in summary.rejected] == [
        (3, "it has 1 column; the file's header has 3"),
        (4, "it has 4 columns; the file's header has 3"),
    ]


def test_a_file_whose_every_row_is_bad_writes_nothing(
    collection: Collection, tmp_path: Path
) -> None:
    path = _write(tmp_path / "bad.csv", "Front,Back\nOnly one column\nAnother\n")
    before = _cards(collection)
    summary = import_file(collection, path)
    assert summary.added == 0 and len(summary.rejected) == 2
    assert summary.changes is None
    assert _cards(collection) == before and not collection.can_undo()


def test_a_cloze_row_without_a_gap_is_rejected(collection: Collection, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "cloze.csv",
        "#separator:Comma\n#notetype column:1\nCloze,The pact was signed in Moscow.,\n"
        "Cloze,The pact was signed in {{c1::Moscow}}.,\n",
    )
    summary = import_file(collection, path)
    assert summary.added == 1
    assert [(note.line, note.reason) for note in summary.rejected] == [
        (3, "it is a cloze card, but its text has no gap ({{c1::…}})")
    ]


def test_a_100_mb_file_is_refused_before_it_is_read(collection: Collection, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(100 * 2**20)  # sparse: the test writes nothing
    assert path.stat().st_size > MAX_IMPORT_BYTES
    before = _cards(collection)
    with pytest.raises(InteropError, match=r"huge.csv is 100 MB; StudyApp imports files of up"):
        import_file(collection, path)
    assert _cards(collection) == before


def test_an_unknown_article_or_selection_is_refused(collection: Collection, tmp_path: Path) -> None:
    path = _write(tmp_path / "cards.csv", "Front,Back\nQ?,A.\n")
    with pytest.raises(InteropError, match="no article 'nowhere'"):
        import_file(collection, path, "nowhere")
    with pytest.raises(SelectionError, match="no article 'nowhere'"):
        export_file(collection, tmp_path / "out.apkg", CardSelection("article", "nowhere"))
    with pytest.raises(SelectionError, match="use all, mine or article:ID"):
        CardSelection.parse("some")


def test_nothing_to_export_writes_nothing(collection: Collection, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(InteropError, match="you have made no cards of your own"):
        export_file(collection, folder / "mine.apkg", CardSelection("mine"))
    assert list(folder.iterdir()) == []


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot create files in (root ignores permissions: then sysfs)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    folder = Path("/sys/kernel")
    try:
        handle, name = tempfile.mkstemp(dir=folder)
    except OSError:
        yield folder
        return
    os.close(handle)
    os.unlink(name)
    pytest.skip("no folder here refuses files to this user")


@pytest.mark.parametrize("name", ["pact.apkg", "pact.csv"])
def test_an_export_into_a_read_only_folder_says_so(
    collection: Collection, read_only_folder: Path, name: str
) -> None:
    with pytest.raises(InteropError) as raised:
        export_file(collection, read_only_folder / name, CardSelection())
    message = str(raised.value)
    assert f"Could not write {name}: the folder {read_only_folder} is read-only" in message
    assert "Nothing was written" in message
    assert not (read_only_folder / name).exists()


@pytest.mark.parametrize("name", ["pact.apkg", "pact.csv"])
def test_a_full_disk_leaves_the_good_file_and_no_half_file(
    collection: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    export_file(collection, target, CardSelection())
    good = fingerprint(target)

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # the disk says so when the data must land
    with pytest.raises(InteropError) as raised:
        export_file(collection, target, CardSelection())
    assert f"Could not write {name}: the disk holding {folder} is full" in str(raised.value)
    assert fingerprint(target) == good
    assert [path.name for path in folder.iterdir()] == [name]  # no .part left behind
