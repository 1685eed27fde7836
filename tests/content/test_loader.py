"""Bad dataset files fail with one DatasetError naming the file, the item and the reason.

Each bad file is the real dataset with one targeted edit, so every other part stays valid and
the error can only come from that edit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.content.loader import DatasetError, load_dataset
from studyapp.paths import dataset_path

PACT_TEXT = dataset_path().read_text(encoding="utf-8")
VERSION_LINE = next(
    f"{line}\n" for line in PACT_TEXT.splitlines() if line.startswith("dataset_version =")
)

SIGNED_QUOTE = (
    "Soviet–Lithuanian Non-Aggression Pact (Lithuanian: Lietuvos–TSRS nepuolimo sutartis) was a "
    "non-aggression pact, signed between the Soviet Union and Lithuania on September 28, 1926."
)
OCCUPATION_QUOTE = "The pact was broken when on June 15, 1940 Soviet Union occupied Lithuania."
SIGNED_WHEN = (
    '[[cards]]\nid = "signed-when"\nkind = "basic"\n'
    'front = "When was the pact signed?"\n'
    'back = "September 28, 1926."\n'
    f'quote = "{SIGNED_QUOTE}"\n'
    'events = ["pact-signed"]\n'
)
PACT_SIGNED_DATE = 'id = "pact-signed"\ndate = "1926-09-28"\ndate_text = "September 28, 1926"\n'
COUP_DATE = 'id = "military-coup"\ndate = "1926-12"\ndate_text = "December 1926"\n'
COUP_CHRONOLOGY = 'events = ["military-coup", "league-registration"]\nearliest = "military-coup"'
EFFECTIVE_CHRONOLOGY = (
    'events = ["ratifications-exchanged", "military-coup"]\nearliest = "ratifications-exchanged"'
)
INITIATED_QUOTE = (
    'quote = "The pact was initiated by Lithuanians who sought a new direction in the foreign '
    'policy after the [...] Kaunas on his way to Moscow."'
)
FIRST_EXTENSION_TERM = 'id = "first-extension-term"\nstart = "1931-05-06"\nopen_end = true\n'
IN_FORCE_DERIVED = 'end = "1940-06-15"\nderived = true\n'
LITHUANIAN_NAME_ALLOW = 'allow = { sibling-answer = "'


def edited(*replacements: tuple[str, str]) -> str:
    """The real dataset text with each (old, new) applied; each old must occur exactly once."""
    text = PACT_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, f"edit target must occur once, not {text.count(old)}: {old!r}"
        changed = text.replace(old, new)
        assert changed != text
        text = changed
    return text


def moved_card(card_id: str, before_card_id: str | None) -> str:
    """The real dataset with one [[cards]] block moved before another card (None: to the end)."""
    blocks = PACT_TEXT.split("\n[[cards]]\n")
    head, cards = blocks[0], blocks[1:]
    index = next(i for i, block in enumerate(cards) if block.startswith(f'id = "{card_id}"\n'))
    block = cards.pop(index)
    if before_card_id is None:
        cards.append(block.rstrip("\n") + "\n")
    else:
        target = next(i for i, b in enumerate(cards) if b.startswith(f'id = "{before_card_id}"\n'))
        cards.insert(target, block)
    text = "\n[[cards]]\n".join([head, *cards])
    assert text != PACT_TEXT
    return text


def load_error(path: Path) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    error = caught.value
    assert error.path == path
    assert str(error) == f"{error.location()}: {error.item}: {error.reason}"
    assert error.location().startswith(str(path))
    return error


_HEADERS = {"card": "[[cards]]", "event": "[[events]]", "period": "[[periods]]"}
_HEADERS |= {"section": "[[article.sections]]", "passage": "[[article.sections.passages]]"}


def block_lines(text: str, item: str) -> set[int]:
    """The lines (1-based) of the tables an item such as "card 'signed-when'" names in text
    (two tables, where the fault is that they share an id)."""
    kind, _, quoted = item.partition(" '")
    lines = text.splitlines()
    wanted = f'id = "{quoted.rstrip(chr(39))}"'
    found: set[int] = set()
    for number, line in enumerate(lines):
        if line.strip() == _HEADERS[kind] and lines[number + 1].strip() == wanted:
            end = next(
                (n for n in range(number + 1, len(lines)) if lines[n].startswith("[")), len(lines)
            )
            found.update(range(number + 1, end + 1))
    assert found, f"no table for {item} in the text"
    return found


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pact.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_unedited_copy_loads(tmp_path: Path) -> None:
    """The baseline for every case below: a copy of the real file is valid where it is written."""
    dataset = load_dataset(write(tmp_path, PACT_TEXT))
    assert dataset.path == tmp_path / "pact.toml"
    assert len(dataset.cards) == PACT_TEXT.count("\n[[cards]]\n")


BAD_EDITS: dict[str, tuple[list[tuple[str, str]], str, str]] = {
    # name: (edits, item, expected words of the reason)
    "missing-field": (
        [('front = "When was the pact signed?"\n', "")],
        "card 'signed-when'",
        "missing field 'front'",
    ),
    "missing-event-quote": (
        [
            (
                f'description = "The Soviet Union and Lithuania sign the non-aggression pact."\n'
                f'quote = "{SIGNED_QUOTE}"\n',
                'description = "Signed."\n',
            )
        ],
        "event 'pact-signed'",
        "missing field 'quote'",
    ),
    "missing-top-level-table": (
        [(VERSION_LINE, "")],
        "file",
        "missing field 'dataset_version'",
    ),
    "version-as-text": (
        [(VERSION_LINE, 'dataset_version = "1"\n')],
        "file",
        "field 'dataset_version' must be an integer, not '1'",
    ),
    "version-as-bool": (
        [(VERSION_LINE, "dataset_version = true\n")],
        "file",
        "field 'dataset_version' must be an integer, not True",
    ),
    "version-zero": (
        [(VERSION_LINE, "dataset_version = 0\n")],
        "file",
        "dataset_version must be 1 or more, not 0",
    ),
    "date-as-integer": (
        [('id = "zeligowski-mutiny"\ndate = "1920"', 'id = "zeligowski-mutiny"\ndate = 1920')],
        "event 'zeligowski-mutiny'",
        "field 'date' must be text, not 1920",
    ),
    "events-as-text": (
        [('events = ["pact-signed"]\n', 'events = "pact-signed"\n')],
        "card 'signed-when'",
        "field 'events' must be a list",
    ),
    "events-of-numbers": (
        [('events = ["pact-signed"]\n', "events = [1]\n")],
        "card 'signed-when'",
        "field 'events' must be a list of event ids",
    ),
    "editorial-heading-as-text": (
        [
            (
                'heading = "Overview"\neditorial_heading = true',
                'heading = "Overview"\neditorial_heading = "yes"',
            )
        ],
        "section 'overview'",
        "field 'editorial_heading' must be true or false",
    ),
    "empty-string": (
        [('back = "September 28, 1926."\n', 'back = "   "\n')],
        "card 'signed-when'",
        "field 'back' is empty",
    ),
    "empty-title": (
        [('title = "Pact signed"\n', 'title = ""\n')],
        "event 'pact-signed'",
        "field 'title' is empty",
    ),
    "quote-not-in-article": (
        [(SIGNED_WHEN, SIGNED_WHEN.replace('September 28, 1926."\n', 'September 29, 1926."\n'))],
        "card 'signed-when'",
        "quote not found verbatim in the article",
    ),
    "quote-with-source-damage-filled-in": (
        [
            (
                f'back = "Lithuanians."\n{INITIATED_QUOTE}',
                f'back = "Lithuanians."\n{INITIATED_QUOTE.replace("[...] ", "")}',
            )
        ],
        "card 'initiated-by'",
        "quote not found verbatim in the article",
    ),
    "quote-only-part-of-a-sentence": (
        [
            (
                'quote = "It also recognized Lithuania\'s interests in the Klaipėda Region."',
                'quote = "It also recognized Lithuania\'s interests"',
            )
        ],
        "card 'klaipeda-interests'",
        "quote is part of a sentence, not a whole one",
    ),
    "quote-with-footnote-marker": (
        [
            (
                f'quote = "{OCCUPATION_QUOTE}"\n\n# Periods',
                f'quote = "{OCCUPATION_QUOTE}[8]"\n\n# Periods',
            )
        ],
        "event 'soviet-occupation'",
        "quote not found verbatim in the article",
    ),
    "duplicate-card-id": (
        [('id = "lithuanian-name"', 'id = "signed-when"')],
        "card 'signed-when'",
        "duplicate id",
    ),
    "duplicate-event-id": (
        [('id = "zeligowski-mutiny"', 'id = "peace-treaty-1920"')],
        "event 'peace-treaty-1920'",
        "duplicate id",
    ),
    "period-id-same-as-event-id": (
        [('id = "in-force"', 'id = "pact-signed"')],
        "period 'pact-signed'",
        "duplicate id",
    ),
    "bad-id": (
        [('id = "signed-when"', 'id = "Signed When"')],
        "card 'Signed When'",
        "id must be lowercase letters, digits and '-'",
    ),
    "month-13": (
        [(PACT_SIGNED_DATE, PACT_SIGNED_DATE.replace("1926-09-28", "1926-13-01"))],
        "event 'pact-signed'",
        "bad date in 'date': '1926-13-01' has month 13",
    ),
    "february-30": (
        [(PACT_SIGNED_DATE, PACT_SIGNED_DATE.replace("1926-09-28", "1926-02-30"))],
        "event 'pact-signed'",
        "bad date in 'date': '1926-02-30' has day 30, but that month has 28 days",
    ),
    "written-date-in-date": (
        [(COUP_DATE, COUP_DATE.replace('date = "1926-12"', 'date = "Sept 1926"'))],
        "event 'military-coup'",
        "bad date in 'date': 'Sept 1926' is not a date of the form",
    ),
    "abbreviated-date-text": (
        [(COUP_DATE, COUP_DATE.replace('date_text = "December 1926"', 'date_text = "Sept 1926"'))],
        "event 'military-coup'",
        "bad date in 'date_text': 'Sept 1926' is not a written date",
    ),
    "bad-period-date": (
        [('start = "1934-04-04"', 'start = "1934-04-31"')],
        "period 'second-extension-term'",
        "bad date in 'start': '1934-04-31' has day 31, but that month has 30 days",
    ),
    "period-ends-before-it-starts": (
        [('start = "1934-04-04"\nend = "1944-12-31"', 'start = "1945-01-01"\nend = "1944-12-31"')],
        "period 'second-extension-term'",
        "ends (1944-12-31) before it starts (1945-01-01)",
    ),
    "date-text-other-day": (
        [(PACT_SIGNED_DATE, PACT_SIGNED_DATE.replace("1926-09-28", "1926-09-27"))],
        "event 'pact-signed'",
        "date_text 'September 28, 1926' does not match date '1926-09-27'",
    ),
    "date-more-precise-than-date-text": (
        [(COUP_DATE, COUP_DATE.replace('date = "1926-12"', 'date = "1926-12-01"'))],
        "event 'military-coup'",
        "date_text 'December 1926' does not match date '1926-12-01'",
    ),
    "date-text-not-in-quote": (
        [
            (
                'quote = "As one of the protests was dispersed by force, it is cited as one of the '
                'reasons for the military coup in December 1926."\n\n[[events]]',
                'quote = "It also recognized Lithuania\'s interests in the Klaipėda Region."'
                "\n\n[[events]]",
            )
        ],
        "event 'military-coup'",
        "date_text 'December 1926' does not occur in its quote",
    ),
    "unknown-event-field": (
        [
            (
                'quote = "Ratifications were exchanged in Kaunas on November 9, 1926, and the pact '
                'became effective on the same day."\n\n[[events]]',
                'qoute = "Ratifications were exchanged in Kaunas on November 9, 1926, and the pact '
                'became effective on the same day."\n\n[[events]]',
            )
        ],
        "event 'ratifications-exchanged'",
        "unknown field 'qoute'",
    ),
    "unknown-card-field": (
        [('back = "September 28, 1926."\n', 'bakc = "September 28, 1926."\n')],
        "card 'signed-when'",
        "unknown field 'bakc'",
    ),
    "unknown-top-level-field": (
        [(VERSION_LINE, VERSION_LINE + "dataset_verison = 2\n")],
        "file",
        "unknown field 'dataset_verison'",
    ),
    "earliest-on-a-basic-card": (
        [('events = ["pact-signed"]\n', 'events = ["pact-signed"]\nearliest = "pact-signed"\n')],
        "card 'signed-when'",
        "unknown field 'earliest'",
    ),
    "unknown-card-kind": (
        [('id = "signed-when"\nkind = "basic"', 'id = "signed-when"\nkind = "flash"')],
        "card 'signed-when'",
        "kind 'flash' is not one of: basic, cloze, chronology",
    ),
    "cloze-without-gap": (
        [("{{March 4, 1927}}", "March 4, 1927")],
        "card 'registered-when'",
        "cloze text must have exactly one {{gap}}, not 0",
    ),
    "cloze-with-two-gaps": (
        [
            (
                "The original pact was set to expire in {{five years}}",
                "The {{original}} pact was set to expire in {{five years}}",
            )
        ],
        "card 'original-term'",
        "cloze text must have exactly one {{gap}}, not 2",
    ),
    "cloze-answer-not-in-quote": (
        [("{{March 4, 1927}}", "{{March 5, 1927}}")],
        "card 'registered-when'",
        "cloze text, filled in, does not occur in its quote",
    ),
    "chronology-earliest-wrong": (
        [
            (
                COUP_CHRONOLOGY,
                COUP_CHRONOLOGY.replace(
                    'earliest = "military-coup"', 'earliest = "league-registration"'
                ),
            )
        ],
        "card 'coup-before-registration'",
        "event 'league-registration' is not certainly earlier than 'military-coup'",
    ),
    "chronology-same-year": (
        [
            (
                COUP_CHRONOLOGY,
                'events = ["peace-treaty-1920", "zeligowski-mutiny"]\n'
                'earliest = "peace-treaty-1920"',
            )
        ],
        "card 'coup-before-registration'",
        "event 'peace-treaty-1920' is not certainly earlier than 'zeligowski-mutiny'",
    ),
    "chronology-same-day": (
        [
            (
                EFFECTIVE_CHRONOLOGY,
                'events = ["ratifications-exchanged", "in-force"]\n'
                'earliest = "ratifications-exchanged"',
            )
        ],
        "card 'effective-before-coup'",
        "event 'ratifications-exchanged' is not certainly earlier than 'in-force'",
    ),
    # A month is not certainly before a day inside it, though the month's first day is.
    "chronology-month-overlapping-a-day": (
        [
            ('id = "in-force"\nstart = "1926-11-09"', 'id = "in-force"\nstart = "1926-11"'),
            (
                EFFECTIVE_CHRONOLOGY,
                'events = ["in-force", "ratifications-exchanged"]\nearliest = "in-force"',
            ),
        ],
        "card 'effective-before-coup'",
        "event 'in-force' is not certainly earlier than 'ratifications-exchanged'",
    ),
    "chronology-earliest-not-among-events": (
        [
            (
                COUP_CHRONOLOGY,
                COUP_CHRONOLOGY.replace('earliest = "military-coup"', 'earliest = "pact-signed"'),
            )
        ],
        "card 'coup-before-registration'",
        "'earliest' is 'pact-signed', which is not among its events",
    ),
    "chronology-missing-earliest": (
        [(COUP_CHRONOLOGY, 'events = ["military-coup", "league-registration"]')],
        "card 'coup-before-registration'",
        "missing field 'earliest'",
    ),
    "chronology-one-event": (
        [(COUP_CHRONOLOGY, 'events = ["military-coup"]\nearliest = "military-coup"')],
        "card 'coup-before-registration'",
        "a chronology card must name at least two events",
    ),
    "card-names-missing-event": (
        [('events = ["pact-signed"]\n', 'events = ["pact-signd"]\n')],
        "card 'signed-when'",
        "names event 'pact-signd', which the dataset does not have",
    ),
    "footnote-without-reference": (
        [("Soviet Union occupied Lithuania.[8]", "Soviet Union occupied Lithuania.[9]")],
        "passage 'ratification-1'",
        "footnote [9] has no reference 9",
    ),
    "references-misnumbered": (
        [("number = 4\n", "number = 5\n")],
        "reference #4",
        "number is 5; references are numbered 1, 2, 3",
    ),
    "reference-with-text-and-no-text": (
        [("number = 6\nno_text = true", 'number = 6\nno_text = true\ntext = "Invented."')],
        "reference #6",
        "has both 'text' and 'no_text = true'",
    ),
    # Periods show only what their sentence states.
    "period-date-not-in-its-quote": (
        [('end = "1944-12-31"', 'end = "1944-12-30"')],
        "period 'second-extension-term'",
        "date 'December 30, 1944' is not in its quote",
    ),
    "period-joining-two-sentences-not-flagged-derived": (
        [(IN_FORCE_DERIVED, 'end = "1940-06-15"\n'), ("derivation = ", "# derivation = ")],
        "period 'in-force'",
        "date 'November 9, 1926' is not in its quote; a period whose dates are not all stated",
    ),
    "derived-period-without-its-derivation": (
        [("derivation = ", "# derivation = ")],
        "period 'in-force'",
        "missing field 'derivation'",
    ),
    "derivation-on-a-period-not-derived": (
        [(IN_FORCE_DERIVED, 'end = "1940-06-15"\n')],
        "period 'in-force'",
        "has a 'derivation' but is not 'derived = true'",
    ),
    "derived-as-text": (
        [(IN_FORCE_DERIVED, 'end = "1940-06-15"\nderived = "yes"\n')],
        "period 'in-force'",
        "field 'derived' must be true or false",
    ),
    "period-with-an-end-and-open-end": (
        [(FIRST_EXTENSION_TERM, FIRST_EXTENSION_TERM + 'end = "1936-05-06"\n')],
        "period 'first-extension-term'",
        "needs either 'end' or 'open_end = true'",
    ),
    "period-with-no-end-nor-open-end": (
        [(FIRST_EXTENSION_TERM, FIRST_EXTENSION_TERM.replace("open_end = true\n", ""))],
        "period 'first-extension-term'",
        "needs either 'end' or 'open_end = true'",
    ),
    # Cards teach one fact, and no question gives an answer away (card_checks.py).
    "question-names-its-own-answer": (
        [
            (
                'front = "Between which two states was the pact signed?"',
                'front = "Between which two states was the Soviet–Lithuanian pact signed?"',
            )
        ],
        "card 'parties'",
        "its question holds its own answer 'lithuania' (own-answer)",
    ),
    "question-holds-an-answer-of-the-same-sentence": (
        [
            (
                'front = "What is cited as one of the reasons for the military coup?"',
                'front = "What is cited as one of the reasons for the military coup of '
                'December 1926?"',
            )
        ],
        "card 'coup-reason'",
        "holds 'december 1926', the answer of card 'coup-when', which cites the same sentence",
    ),
    "two-questions-joined-by-and": (
        [
            (
                'front = "Which body ratified the pact in Lithuania?"',
                'front = "Which body ratified the pact in Lithuania, and when?"',
            )
        ],
        "card 'seimas-ratified'",
        "it asks two questions joined by 'and' (two-questions)",
    ),
    "allowed-check-removed": (
        [(LITHUANIAN_NAME_ALLOW, '# allow = { sibling-answer = "')],
        "card 'lithuanian-name'",
        "the answer of card 'parties', which cites the same sentence (sibling-answer)",
    ),
    "allow-names-an-unknown-check": (
        [(LITHUANIAN_NAME_ALLOW, 'allow = { sibling-answers = "')],
        "card 'lithuanian-name'",
        "'allow' names check 'sibling-answers' (checks: own-answer, sibling-answer, two-questions)",
    ),
    "allow-without-a-reason": (
        [
            (
                LITHUANIAN_NAME_ALLOW,
                'allow = { sibling-answer = " " }\n# allow = { sibling-answer = "',
            )
        ],
        "card 'lithuanian-name'",
        "'allow.sibling-answer' must give the reason as text",
    ),
    "allow-that-nothing-needs": (
        [
            (
                'events = ["pact-signed"]\n',
                'events = ["pact-signed"]\nallow = { own-answer = "x" }\n',
            )
        ],
        "card 'signed-when'",
        "allows 'own-answer', but that check finds nothing",
    ),
}


@pytest.mark.parametrize(("edits", "item", "reason"), list(BAD_EDITS.values()), ids=list(BAD_EDITS))
def test_bad_dataset_names_file_item_and_reason(
    tmp_path: Path, edits: list[tuple[str, str]], item: str, reason: str
) -> None:
    text = edited(*edits)
    path = write(tmp_path, text)
    error = load_error(path)
    assert error.item == item
    assert reason in error.reason
    assert str(error).startswith(f"{error.location()}: {item}: ")
    if item.split(" ")[0] in _HEADERS and "'" in item:
        # The line and column point into that item's own table, at the field at fault.
        assert error.line in block_lines(text, item), (
            error.line,
            text.splitlines()[error.line - 1],
        )
        assert error.column is not None and error.column >= 1


@pytest.mark.parametrize(
    ("card_id", "before", "late_card"),
    [
        # A card of the first passage moved to the end of the file.
        ("parties", None, "parties"),
        # Within one passage: a later sentence's card moved before an earlier sentence's card.
        ("isolation-why", "klaipeda-interests", "klaipeda-interests"),
    ],
)
def test_cards_out_of_reading_order(
    tmp_path: Path, card_id: str, before: str | None, late_card: str
) -> None:
    path = write(tmp_path, moved_card(card_id, before))
    error = load_error(path)
    assert error.item == f"card '{late_card}'"
    assert error.reason == "is out of reading order: its sentence comes earlier"


def test_cards_of_the_same_sentence_may_come_in_any_order(tmp_path: Path) -> None:
    path = write(tmp_path, moved_card("signed-when", "parties"))
    dataset = load_dataset(path)
    assert [card.id for card in dataset.cards[:2]] == ["signed-when", "parties"]


def test_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    line = PACT_TEXT.splitlines().index('title_lt = "Lietuvos–TSRS nepuolimo sutartis"') + 1
    path = write(tmp_path, edited(('title_lt = "', 'title_lt = = "')))
    error = load_error(path)
    assert error.item == "syntax"
    assert (error.line, error.column) == (line, 12)
    assert str(error).startswith(f"{path}:{line}:12: syntax: ")
    assert "line" not in error.reason, "the position is said once, in the location"


def test_non_utf8_file(tmp_path: Path) -> None:
    # As a Baltic Windows editor would save it.
    path = tmp_path / "pact.toml"
    path.write_bytes(PACT_TEXT.encode("cp1257"))
    error = load_error(path)
    assert error.item == "file"
    assert error.reason.startswith("is not UTF-8 text")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    error = load_error(path)
    assert error.item == "file"
    assert error.reason.startswith("cannot be read")
    assert "No such file" in error.reason


def test_directory_instead_of_file(tmp_path: Path) -> None:
    error = load_error(tmp_path)
    assert error.item == "file"
    assert error.reason.startswith("cannot be read")


def test_whitespace_in_quotes_and_passages_is_normalised(tmp_path: Path) -> None:
    """A quote wrapped over lines in the TOML file still matches its one-line sentence."""
    wrapped = SIGNED_QUOTE.replace(" was a ", " was\n   a ")
    path = write(
        tmp_path,
        edited(
            (
                SIGNED_WHEN,
                SIGNED_WHEN.replace(f'quote = "{SIGNED_QUOTE}"', f'quote = """{wrapped}"""'),
            )
        ),
    )
    card = next(card for card in load_dataset(path).cards if card.id == "signed-when")
    assert card.source.quote == SIGNED_QUOTE
    assert (card.source.passage_id, card.source.sentence_index) == ("overview-1", 0)


def test_chronology_with_the_same_event_twice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        edited(
            (COUP_CHRONOLOGY, 'events = ["pact-signed", "pact-signed"]\nearliest = "pact-signed"')
        ),
    )
    error = load_error(path)
    assert error.item == "card 'coup-before-registration'"


def test_year_zero_is_a_dataset_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        edited(('id = "in-force"\nstart = "1926-11-09"', 'id = "in-force"\nstart = "0000-11-09"')),
    )
    error = load_error(path)
    assert error.item == "period 'in-force'"


def test_content_layer_imports_no_qt() -> None:
    """content must stay usable without a display: importing it pulls in no PySide6."""
    code = (
        "import sys, studyapp.content.loader, studyapp.content.text, studyapp.content.dates\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == ""


def test_peek_dataset_version_reads_only_the_version_line(tmp_path: Path) -> None:
    from studyapp.content.loader import peek_dataset_version
    from studyapp.paths import dataset_path

    assert peek_dataset_version(dataset_path()) == load_dataset(dataset_path()).version
    broken = tmp_path / "broken.toml"
    broken.write_text("# comment\ndataset_version = 7  # bumped\n[article\n", encoding="utf-8")
    assert peek_dataset_version(broken) == 7
    assert peek_dataset_version(tmp_path / "missing.toml") == 0
