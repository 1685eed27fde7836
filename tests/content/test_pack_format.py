"""The pack format for authors: a second, small pack loads; each kind of mistake names the line
and column, the item and the reason, with a hint where one helps; optional fields may go."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.content.loader import DatasetError, load_dataset
from studyapp.content.summary import pack_figures, shared_ids
from studyapp.paths import dataset_path
from tests.fixtures.second_pack import SECOND_PACK, SECOND_PACK_TEXT, edited, write_pack

CANDID = "To prove this, let Facts be submitted to a candid world."


def test_the_second_pack_loads_with_its_figures() -> None:
    dataset = load_dataset(SECOND_PACK)
    assert dataset.pack_id == "doi-declaration-of-independence"
    assert dataset.article.title_lt == "", "title_lt may be left out"
    assert dataset.article.references == (), "so may references"
    assert dataset.periods == [], "and periods"
    figures = dict(pack_figures(dataset).lines())
    assert figures == {
        "sections": "3",
        "paragraphs": "3",
        "sentences": "9",
        "references": "0",
        "events": "1",
        "periods": "0",
        "cards": "10 (6 basic, 4 cloze)",
    }
    assert shared_ids(dataset, load_dataset(dataset_path())) == []


def _line_of(text: str, needle: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


# name: (edit, item, the text on the line the error must point at, words of the reason)
MISTAKES: dict[str, tuple[tuple[str, str], str, str, str]] = {
    "quote-typo": (
        (
            f'quote = "{CANDID}"',
            'quote = "To prove this, let facts be submitted to a candid world."',
        ),
        "card 'doi-candid'",
        'quote = "To prove this, let facts',
        f"nearest sentence: {CANDID!r} (they differ after 'To prove this, let ')",
    ),
    "quote-part-of-a-sentence": (
        ('quote = "IN CONGRESS, July 4, 1776."\nevents', 'quote = "July 4, 1776."\nevents'),
        "card 'doi-dated'",
        'quote = "July 4, 1776."',
        "quote the whole sentence: 'IN CONGRESS, July 4, 1776.'",
    ),
    "cloze-two-gaps": (
        ("a {{candid}} world.", "a {{candid}} {{world}}."),
        "card 'doi-candid'",
        "{{candid}} {{world}}",
        "cloze text must have exactly one {{gap}}, not 2",
    ),
    "unknown-field": (
        (
            'kind = "basic"\nfront = "What date',
            'kind = "basic"\nquestion = "x"\nfront = "What date',
        ),
        "card 'doi-dated'",
        'question = "x"',
        "unknown field 'question'",
    ),
    "bad-date": (
        ('date = "1776-07-04"', 'date = "1776-07-40"'),
        "event 'doi-dated-in-congress'",
        'date = "1776-07-40"',
        "bad date in 'date': '1776-07-40' has day 40, but that month has 31 days",
    ),
    "unknown-event": (
        ('events = ["doi-dated-in-congress"]', 'events = ["doi-signed"]'),
        "card 'doi-dated'",
        'events = ["doi-signed"]',
        "names event 'doi-signed', which the dataset does not have",
    ),
    "duplicate-id": (
        ('id = "doi-consent"', 'id = "doi-rights"'),
        "card 'doi-rights'",
        None,  # the second of the two: checked below
        "duplicate id",
    ),
    "asks-two-things": (
        (
            'front = "From what do Governments derive their just powers, by the Declaration?"',
            'front = "Where and from what do Governments derive their just powers?"',
        ),
        "card 'doi-consent'",
        'front = "Where and from what',
        "it asks two questions joined by 'and' (two-questions); reword it",
    ),
    "bad-id": (
        ('id = "doi-pledge"', 'id = "DOI pledge"'),
        "card 'DOI pledge'",
        'id = "DOI pledge"',
        "id must be lowercase letters, digits and '-'",
    ),
}


@pytest.mark.parametrize(("edit", "item", "on_line", "reason"), MISTAKES.values(), ids=MISTAKES)
def test_a_mistake_names_its_line_item_and_reason(
    tmp_path: Path, edit: tuple[str, str], item: str, on_line: str | None, reason: str
) -> None:
    text = edited(SECOND_PACK_TEXT, edit)
    path = write_pack(tmp_path, text)
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    error = caught.value
    assert error.item == item
    assert reason in error.reason
    if on_line is None:
        lines = [n for n, line in enumerate(text.splitlines(), 1) if line == f'id = "{item[6:-1]}"']
        assert error.line == lines[1], "the second of two tables sharing an id"
    else:
        assert error.line == _line_of(text, on_line)
    line_text = text.splitlines()[error.line - 1]
    assert error.column is not None and line_text[error.column - 1] in "\"'[{tf0123456789"
    assert str(error) == f"{path}:{error.line}:{error.column}: {item}: {error.reason}"


def test_a_syntax_error_names_its_line_and_column(tmp_path: Path) -> None:
    text = edited(SECOND_PACK_TEXT, ('heading = "Preamble"', 'heading = "Preamble'))
    path = write_pack(tmp_path, text)
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    error = caught.value
    assert (error.item, error.line) == ("syntax", _line_of(text, 'heading = "Preamble'))
    assert error.column is not None
    assert str(error).startswith(f"{path}:{error.line}:{error.column}: syntax: ")


def test_a_section_without_passages_points_at_its_header(tmp_path: Path) -> None:
    start = SECOND_PACK_TEXT.index('[[article.sections.passages]]\nid = "doi-independence-1"')
    end = SECOND_PACK_TEXT.index("# The one date")
    text = SECOND_PACK_TEXT[:start] + SECOND_PACK_TEXT[end:]
    path = write_pack(tmp_path, text)
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    error = caught.value
    assert error.item == "section 'doi-independence'"
    assert "has no passages" in error.reason
    assert error.line == _line_of(text, 'id = "doi-independence"')


def test_a_pack_that_reuses_the_builtin_packs_ids_is_found_without_a_database(
    tmp_path: Path,
) -> None:
    text = SECOND_PACK_TEXT.replace('id = "doi-dated"', 'id = "parties"')
    found = shared_ids(load_dataset(write_pack(tmp_path, text)), load_dataset(dataset_path()))
    assert [shared.label for shared in found] == ["card 'parties'"]


GUIDE = Path(__file__).resolve().parents[2] / "resources" / "PACK_FORMAT.md"


def test_the_documented_minimal_pack_is_valid_and_its_documented_error_is_the_real_one(
    tmp_path: Path,
) -> None:
    """An author can start from the page alone: its example loads, and the message the page
    shows for a mistake in it is the one --validate-pack prints."""
    guide = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"## A minimal complete pack\n\n```toml\n(.*?)```", guide, re.S)
    assert match is not None
    example = match.group(1)
    dataset = load_dataset(write_pack(tmp_path, example, "my-pack.toml"))
    assert (len(dataset.article.sections), len(dataset.events), len(dataset.cards)) == (1, 1, 2)
    assert shared_ids(dataset, load_dataset(dataset_path())) == []
    shown = re.search(r"it would\nprint:\n\n```\n(.*?)\n(.*?)\n```", guide, re.S)
    assert shown is not None
    typo = edited(
        example,
        (
            'quote = "IN CONGRESS, July 4, 1776."\nevents',
            'quote = "In Congress, July 4, 1776."\nevents',
        ),
    )
    folder = tmp_path / "typo"
    write_pack(folder, typo, "my-pack.toml")
    run = subprocess.run(
        [sys.executable, "-m", "studyapp", "--validate-pack", "my-pack.toml"],
        capture_output=True, text=True, cwd=folder, check=False,
        env={**os.environ, "PYTHONPATH": str(GUIDE.parents[1])},
    )  # fmt: skip
    assert run.returncode == 1
    first, second = run.stderr.splitlines()
    assert first == shown.group(1)
    assert second.replace(str(GUIDE.parent), "…") == shown.group(2)
