"""CSV export and import: Anki's header lines, spreadsheets' header rows, plain rows."""

from __future__ import annotations

import csv
from pathlib import Path

from studyapp.collection import Collection
from studyapp.collection.export_rows import CardSelection
from studyapp.interop.csv_import import import_file, parse_csv
from studyapp.interop.exporting import export_file

ARTICLE = "soviet-lithuanian-non-aggression-pact"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_export_has_ankis_header_lines_and_reads_as_a_spreadsheet(
    collection: Collection, tmp_path: Path
) -> None:
    collection.set_marked(True, "parties")
    collection.set_flag(3, "parties")
    path = tmp_path / "pact.csv"
    result = export_file(collection, path, CardSelection())
    data = path.read_bytes()
    assert data.startswith("\ufeff#separator:Comma\r\n#html:false\r\n".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[:7] == [
        "#separator:Comma",
        "#html:false",
        "#notetype column:1",
        "#deck column:2",
        "#tags column:7",
        "#guid column:8",
        "#columns:Note type,Deck,Front,Back,Source,Article,Tags,GUID",
    ]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[7:]
    assert len(rows) == result.cards == len(list(collection.export_cards(CardSelection())))
    by_guid = {row[7]: row for row in rows}
    parties = by_guid["studyapp:parties"]
    assert parties[:4] == [
        "Basic",
        "Soviet–Lithuanian Non-Aggression Pact::Overview",
        "Between which two states was the pact signed?",
        "The Soviet Union and Lithuania.",
    ]
    assert parties[6].split() == [
        "StudyApp::Section::Overview",
        "StudyApp::Origin::Pack",
        "StudyApp::Flag::Green",
        "marked",
    ]
    name = by_guid["studyapp:lithuanian-name"]
    assert name[0] == "Cloze" and "{{c1::Lietuvos–TSRS nepuolimo sutartis}}" in name[2]
    assert name[3] == ""


def test_our_own_export_imports_back_as_duplicates(collection: Collection, tmp_path: Path) -> None:
    path = tmp_path / "pact.csv"
    exported = export_file(collection, path, CardSelection())
    summary = import_file(collection, path, ARTICLE)
    assert summary.description == "CSV with Anki's header lines"
    assert (summary.added, summary.updated, summary.rejected) == (0, 0, ())
    assert len(summary.duplicates) == exported.cards


def test_an_edited_row_updates_its_card_by_guid(collection: Collection, tmp_path: Path) -> None:
    path = tmp_path / "pact.csv"
    export_file(collection, path, CardSelection())
    text = path.read_text(encoding="utf-8-sig")
    edited = text.replace("The Soviet Union and Lithuania.", "Lithuania and the USSR.")
    summary = import_file(collection, _write(path, edited), ARTICLE)
    assert (summary.added, summary.updated) == (0, 1)
    assert collection.card("parties").back == "Lithuania and the USSR."
    assert collection.card("parties").edited
    assert "Edit > Undo Import takes all of it back." in summary.lines()


def test_a_header_row_front_back_tags(collection: Collection, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "sheet.csv",
        "Front,Back,Tags\nWho signed for Lithuania?,Juozas Balutis,people marked\n"
        '"A question\nover two lines?","Yes, with a comma",\n'
        "Šiauliai?,Ą Č Ę,\n",
    )
    summary = import_file(collection, path, ARTICLE)
    assert summary.description == "CSV with a header row"
    assert summary.added == 3 and summary.rejected == ()
    changes = summary.changes
    assert changes is not None
    first, second, third = map(collection.card, changes.added_ids)
    assert (first.front, first.back, first.tags) == (
        "Who signed for Lithuania?",
        "Juozas Balutis",
        ("marked", "people"),
    )
    assert second.front == "A question\nover two lines?" and second.back == "Yes, with a comma"
    assert third.front == "Šiauliai?" and third.article_id == ARTICLE


def test_line_numbers_count_lines_of_quoted_fields(collection: Collection, tmp_path: Path) -> None:
    path = _write(tmp_path / "lines.csv", 'Front,Back\n"Two\nlines?",Fine\n,No front\n')
    summary = import_file(collection, path)
    assert [(note.line, note.reason) for note in summary.rejected] == [
        (4, "a card needs a question (its front)")
    ]


def test_plain_rows_without_a_header_and_other_separators(tmp_path: Path) -> None:
    parsed = parse_csv("Where was it signed?;Moscow\nWhen?;1926\n")
    assert [(row.line, row.text.front, row.text.back) for row in parsed.rows] == [
        (1, "Where was it signed?", "Moscow"),
        (2, "When?", "1926"),
    ]
    assert parsed.description == "CSV without a header"
    tabs = parse_csv("#separator:tab\n#html:true\nQ&amp;A<br>two\t<b>bold</b>&nbsp;answer\n")
    (row,) = tabs.rows
    assert (row.line, row.text.front, row.text.back) == (3, "Q&A\ntwo", "bold answer")


def test_our_own_cloze_syntax_and_ankis_are_both_read() -> None:
    parsed = parse_csv(
        "#notetype column:1\n"
        "Cloze,Signed in {{c1::Moscow}}.\n"
        "Cloze,Signed in {{Moscow}}.\n"
        "Cloze,{{c1::One}} and {{c2::two}}\n"
        "Cloze,{{c1::Moscow::a city}}\n"
    )
    assert [row.text.cloze for row in parsed.rows] == ["Signed in {{Moscow}}."] * 2
    assert [(note.line, note.reason) for note in parsed.rejected] == [
        (4, "the cloze text has 2 gaps (1, 2); a StudyApp card has one"),
        (5, "cloze hints ({{c1::answer::hint}}) are not kept by StudyApp"),
    ]


def test_reading_reports_progress_every_thousand_lines() -> None:
    seen: list[tuple[int, int]] = []
    text = "Front,Back\n" + "".join(f"Q{number}?,A{number}\n" for number in range(2500))
    parsed = parse_csv(text, lambda done, total: seen.append((done, total)))
    assert len(parsed.rows) == 2500
    assert seen == [(1000, 2501), (2000, 2501)]
