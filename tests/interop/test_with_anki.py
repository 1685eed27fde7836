"""Anki itself reads what we export: our .apkg imported with scheduling by Anki's own library
(headless, its Rust backend), and our .csv by Anki's CSV importer.

The `anki` package is in the test extra. Where it cannot be installed these tests fail and say
so: they are how we know a learner's progress really reaches Anki.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studyapp.clock import FakeClock, utc_now
from studyapp.collection import CardSource, CardText, Collection, NewCard
from studyapp.collection.export_rows import CardSelection
from studyapp.content.model import CardKind
from studyapp.interop.csv_import import import_file
from studyapp.interop.exporting import export_file
from studyapp.storage.models import STATE_LEARNING, STATE_RELEARNING, STATE_REVIEW
from studyapp.study.day import study_day

ARTICLE = "soviet-lithuanian-non-aggression-pact"
PACT = "Soviet–Lithuanian Non-Aggression Pact"
DIACRITICS_FRONT = "Kas pasirašė sutartį Maskvoje? (ąčęėįšųūž) <b> & </b>"
DIACRITICS_BACK = "Juozas Balutis ir Georgijus Čičerinas"


def _anki() -> Any:
    try:
        import anki.collection
    except ImportError as error:  # pragma: no cover - the failure these tests exist to show
        pytest.fail(
            f"Anki's library (the `anki` package of the test extra) cannot be imported here "
            f"({error}); install it with pip install -e '.[test]'. Without it nothing checks "
            "that Anki can read our exports."
        )
    return anki.collection


@pytest.fixture
def anki_collection(tmp_path: Path) -> Iterator[Any]:
    module = _anki()
    folder = tmp_path / "anki"
    folder.mkdir()
    col = module.Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def _import_package(col: Any, path: Path) -> Any:
    module = _anki()
    request = module.ImportAnkiPackageRequest(
        package_path=str(path),
        options=module.ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
    )
    return col.import_anki_package(request)


@pytest.fixture
def studied(data_dir: Path) -> Iterator[tuple[Collection, FakeClock]]:
    """The pact collection after a month of study, with the learner's own cards, flags, a
    mark and a suspension; its clock back at the real time for the export."""
    now = utc_now()
    clock = FakeClock(now - dt.timedelta(days=30))
    collection = Collection.open(data_dir, clock.now)
    collection.add_card(NewCard(CardText(CardKind.BASIC, DIACRITICS_FRONT, DIACRITICS_BACK)))
    collection.add_card(
        NewCard(
            CardText(
                CardKind.CLOZE,
                cloze="The pact was signed in {{Moscow}} on September 28, 1926.",
            )
        )
    )
    for number in range(60):  # answers across the month: cards reach review, some lapse
        card = collection.next_card()
        if card is None:
            clock.advance(days=1)
            continue
        collection.answer(card.id, 1 if number % 7 == 0 else 3, 4200)
        clock.advance(hours=7)
    # Minutes before the export: a new card starts learning, a review card lapses.
    clock.set(now - dt.timedelta(minutes=3))
    reviewed = [c.id for c in collection.export_cards(CardSelection()) if c.state == STATE_REVIEW]
    new = collection.next_card()
    assert new is not None and len(reviewed) > 2
    collection.answer(new.id, 3, 5000)
    collection.answer(reviewed[0], 1, 6000)
    collection.set_flag(1, "parties")
    collection.set_marked(True, "parties")
    collection.suspend("isolation-why")
    clock.set(now)
    yield collection, clock
    collection.close()


def _shown(rendered: str) -> str:
    """The text a card shows: after its style sheet, without markup."""
    return re.sub(r"<[^>]+>", "", rendered.split("</style>")[-1]).strip()


def _note(col: Any, guid: str) -> Any:
    (nid,) = col.db.list("select id from notes where guid = ?", guid)
    return col.get_note(nid)


def _days_from_today(when: dt.datetime, now: dt.datetime, hour: int) -> int:
    return (study_day(when, hour).start.date() - study_day(now, hour).start.date()).days


def test_anki_imports_our_package_with_progress(
    studied: tuple[Collection, FakeClock], anki_collection: Any, tmp_path: Path
) -> None:
    collection, clock = studied
    path = tmp_path / "pact.apkg"
    result = export_file(collection, path, CardSelection(), with_progress=True)
    cards = list(collection.export_cards(CardSelection()))
    our_reviews = collection.review_count()
    assert result.cards == len(cards) and result.reviews == our_reviews > 0

    col = anki_collection
    _import_package(col, path)

    # Every card is one note with one card, in its article's section deck.
    assert col.note_count() == len(cards) == col.card_count()
    decks = {deck.name for deck in col.decks.all_names_and_ids()}
    assert {
        PACT,
        f"{PACT}::Overview",
        f"{PACT}::Negotiations",
        f"{PACT}::Ratification, extensions and end",
        "StudyApp",  # the learner's cards of no article
    } <= decks
    # Anki's review log holds every answer, with its button and kind (learn, review, relearn).
    assert col.db.scalar("select count() from revlog") == our_reviews
    answers = list(collection.export_reviews(CardSelection()))
    kinds = {0: 0, 1: 0, 2: 1, 3: 2}  # our state before the answer -> Anki's revlog type
    anki_answers = Counter(tuple(row) for row in col.db.all("select ease, type from revlog"))
    assert anki_answers == Counter((a.rating, kinds[a.state_before]) for a in answers)

    by_guid = {col.get_note(nid).guid: nid for nid in col.find_notes("")}
    hour = collection.settings.day_start_hour
    checked = {STATE_REVIEW: 0, STATE_LEARNING: 0, STATE_RELEARNING: 0}
    for card in cards:
        note = col.get_note(by_guid[f"studyapp:{card.id}"])
        (anki_card,) = note.cards()
        assert anki_card.reps == card.reps and anki_card.lapses == card.lapses
        assert anki_card.flags == card.flag
        if card.state == STATE_REVIEW and not card.suspended and not card.buried:
            assert card.due is not None and card.last_review is not None
            assert anki_card.type == 2 and anki_card.queue == 2
            assert anki_card.due - col.sched.today == _days_from_today(card.due, clock.now(), hour)
            interval = (card.due - card.last_review) / dt.timedelta(days=1)
            assert anki_card.ivl == max(1, round(interval))
        elif card.state in (STATE_LEARNING, STATE_RELEARNING) and not card.buried:
            assert card.due is not None
            assert anki_card.type == card.state and anki_card.queue in (1, 3)
            if anki_card.queue == 1:
                assert anki_card.due == int(card.due.timestamp())
        if card.state in checked and card.stability is not None:
            state = anki_card.memory_state
            assert state is not None
            assert state.stability == pytest.approx(card.stability, abs=1e-3)
            assert state.difficulty == pytest.approx(card.difficulty, abs=1e-2)
            assert anki_card.desired_retention == pytest.approx(
                collection.settings.desired_retention
            )
            checked[card.state] += 1
    assert checked[STATE_REVIEW] > 0 and checked[STATE_LEARNING] + checked[STATE_RELEARNING] > 0

    parties = col.get_note(by_guid["studyapp:parties"])
    assert "marked" in parties.tags and "StudyApp::Flag::Red" in parties.tags
    assert "StudyApp::Section::Overview" in parties.tags
    assert "StudyApp::Origin::Pack" in parties.tags
    (suspended,) = col.get_note(by_guid["studyapp:isolation-why"]).cards()
    assert suspended.queue == -1


def test_anki_sees_our_text_and_renders_cloze_gaps(
    studied: tuple[Collection, FakeClock], anki_collection: Any, tmp_path: Path
) -> None:
    collection, _ = studied
    path = tmp_path / "pact.apkg"
    export_file(collection, path, CardSelection(), with_progress=False)
    col = anki_collection
    _import_package(col, path)

    mine = col.find_notes('"Front:*ąčęėįšųūž*"')
    assert len(mine) == 1
    note = col.get_note(mine[0])
    assert note.note_type()["name"] == "StudyApp Basic"
    assert list(note.keys()) == ["Front", "Back", "Source", "Article"]
    assert note["Front"] == "Kas pasirašė sutartį Maskvoje? (ąčęėįšųūž) &lt;b&gt; &amp; &lt;/b&gt;"
    assert note["Back"] == DIACRITICS_BACK
    assert "StudyApp::Origin::Mine" in note.tags

    (cloze_id,) = col.find_notes('"Text:*{{c1::Moscow}}*"')
    cloze = col.get_note(cloze_id)
    assert cloze.note_type()["name"] == "StudyApp Cloze"
    assert cloze.note_type()["type"] == 1  # Anki's cloze kind
    (card,) = cloze.cards()
    question, answer = _shown(card.question()), _shown(card.answer())
    assert question == "The pact was signed in [...] on September 28, 1926."
    assert answer.startswith("The pact was signed in Moscow on September 28, 1926.")

    # A pack cloze card: its gap renders, and its cited sentence shows with the answer.
    name = _note(col, "studyapp:lithuanian-name")
    (card,) = name.cards()
    gap = "Lietuvos–TSRS nepuolimo sutartis"
    assert "[...]" in _shown(card.question()) and gap not in _shown(card.question())
    assert gap in _shown(card.answer()) and name["Source"] in _shown(card.answer())
    # Without progress every card arrives new and Anki holds no review log.
    assert col.db.scalar("select count() from revlog") == 0
    assert col.db.scalar("select count() from cards where type != 0") == 0


def test_exporting_again_updates_the_notes_in_anki_instead_of_duplicating_them(
    studied: tuple[Collection, FakeClock], anki_collection: Any, tmp_path: Path
) -> None:
    collection, clock = studied
    first = tmp_path / "first.apkg"
    export_file(collection, first, CardSelection(), with_progress=True)
    col = anki_collection
    _import_package(col, first)
    notes = col.note_count()

    clock.advance(minutes=5)
    collection.edit_card("parties", CardText(CardKind.BASIC, "Who signed the pact?", "Two states."))
    second = tmp_path / "second.apkg"
    export_file(collection, second, CardSelection(), with_progress=True)
    log = _import_package(col, second).log

    assert col.note_count() == notes  # the same notes, by their GUIDs
    assert len(log.updated) == 1
    assert _note(col, "studyapp:parties")["Front"] == "Who signed the pact?"


def test_anki_imports_our_csv_with_its_own_csv_importer(
    data_dir: Path, anki_collection: Any, tmp_path: Path
) -> None:
    module = _anki()
    collection = Collection.open(data_dir)
    try:
        collection.add_card(
            NewCard(
                CardText(CardKind.BASIC, DIACRITICS_FRONT, DIACRITICS_BACK + ',\n"quoted"'),
                CardSource("overview-1", 0),
            )
        )
        collection.set_marked(True, "parties")
        path = tmp_path / "pact.csv"
        result = export_file(collection, path, CardSelection())
    finally:
        collection.close()

    col = anki_collection
    metadata = col.get_csv_metadata(str(path), None)
    assert metadata.delimiter == module.Delimiter.COMMA
    col.import_csv(module.ImportCsvRequest(path=str(path), metadata=metadata))

    assert col.note_count() == result.cards
    kinds = {col.get_note(nid).note_type()["name"] for nid in col.find_notes("")}
    assert kinds == {"Basic", "Cloze"}  # Anki's stock note types: every collection has them
    assert f"{PACT}::Overview" in {deck.name for deck in col.decks.all_names_and_ids()}
    (mine,) = col.find_notes('"Front:*ąčęėįšųūž*"')
    note = col.get_note(mine)
    assert note["Front"] == "Kas pasirašė sutartį Maskvoje? (ąčęėįšųūž) &lt;b&gt; &amp; &lt;/b&gt;"
    # Anki escapes plain text itself (#html:false): the line break and the quotes survive.
    assert note["Back"] == DIACRITICS_BACK + ",<br>&quot;quoted&quot;"
    assert note.guid.startswith("studyapp:mine:")
    assert "marked" in _note(col, "studyapp:parties").tags
    (cloze,) = col.find_notes('"Text:*{{c1::Lietuvos–TSRS nepuolimo sutartis}}*"')
    (card,) = col.get_note(cloze).cards()
    assert "[...]" in _shown(card.question()) and "TSRS" not in _shown(card.question())
    assert "Lietuvos–TSRS nepuolimo sutartis" in _shown(card.answer())


def test_ankis_own_text_export_comes_back_in(
    studied: tuple[Collection, FakeClock], anki_collection: Any, tmp_path: Path
) -> None:
    """Cards edited and added in Anki, exported by Anki as "Notes in Plain Text", import into
    StudyApp: the edited card is updated by its GUID, Anki's own note is added, the rest are
    duplicates."""
    collection, _ = studied
    package = tmp_path / "pact.apkg"
    exported = export_file(collection, package, CardSelection(), with_progress=True)
    col = anki_collection
    _import_package(col, package)
    parties = _note(col, "studyapp:parties")
    parties["Back"] = "Lithuania &amp; the <b>USSR</b>"
    col.update_note(parties)
    basic = col.models.by_name("Basic")
    added = col.new_note(basic)
    added["Front"] = "Where is Kaunas?"
    added["Back"] = "On the Nemunas&nbsp;river"
    added.tags = ["geography"]
    col.add_note(added, col.decks.id("Anki only"))
    notes = tmp_path / "notes.txt"
    col.export_note_csv(
        out_path=str(notes),
        limit=None,
        with_html=True,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=True,
    )

    summary = import_file(collection, notes, ARTICLE)
    assert summary.description == "CSV with Anki's header lines"
    assert (summary.added, summary.updated, summary.rejected) == (1, 1, ())
    assert len(summary.duplicates) == exported.cards - 1
    assert collection.card("parties").back == "Lithuania & the USSR"
    assert summary.changes is not None
    (new_id,) = summary.changes.added_ids
    new = collection.card(new_id)
    assert (new.front, new.back) == ("Where is Kaunas?", "On the Nemunas river")
    assert new.tags == ("geography",)
