"""Anki's collection file as a package carries it: the schema 11 tables and the JSON of the
collection row (configuration, note types, decks, deck presets).

Schema 11 (`collection.anki2`) is what every Anki since 2.1 imports, and what Anki itself
writes for older versions; the JSON holds the keys Anki requires of it (rslib's
notetype/schema11.rs, decks/schema11.rs, deckconfig/schema11.rs), checked by tests that
import our packages with Anki's own library.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 11
# Our note types' ids never change, so a second export updates the notes of the first.
BASIC_NOTETYPE_ID = 1926092801
CLOZE_NOTETYPE_ID = 1926092802
DEFAULT_DECK_ID = 1
DEFAULT_PRESET_ID = 1
STUDYAPP_PRESET_ID = 1926092803
FIELD_SEPARATOR = "\x1f"

BASIC_FIELDS = ("Front", "Back", "Source", "Article")
CLOZE_FIELDS = ("Text", "Back Extra", "Source", "Article")  # Anki's Cloze, and our two

TABLES = """
CREATE TABLE col (
  id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
  conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
  tags text NOT NULL
);
CREATE TABLE notes (
  id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
  csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
  id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
  due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
  lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
  id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
"""
# Only the index Anki's importer reads by (the cards of its notes): a package is carried, not
# studied in. Anki's sync, scheduling and duplicate indexes, and the revlog's (read whole by
# the importer), are built by the collection that takes the cards.
INDEXES = """
CREATE INDEX ix_cards_nid ON cards (nid);
"""

CSS = """\
.card {
  font-family: arial;
  font-size: 20px;
  text-align: center;
  color: black;
  background-color: white;
}
.cloze {
  font-weight: bold;
  color: blue;
}
.nightMode .cloze {
  color: lightblue;
}
.source {
  margin-top: 1em;
  font-size: 16px;
  font-style: italic;
  opacity: 0.75;
}
"""

SOURCE_BLOCK = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'


@dataclass(frozen=True)
class Deck:
    id: int
    name: str  # "Article::Section"
    description: str = ""


def deck_id(name: str) -> int:
    """A deck's id from its name: the same deck gets the same id in every export."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return 2_000_000_000 + int.from_bytes(digest[:5], "big")


def _field(name: str, ord_: int) -> dict[str, Any]:
    return {
        "name": name,
        "ord": ord_,
        "sticky": False,
        "rtl": False,
        "font": "Arial",
        "size": 20,
        "description": "",
    }


def _template(name: str, qfmt: str, afmt: str) -> dict[str, Any]:
    return {
        "name": name,
        "ord": 0,
        "qfmt": qfmt,
        "afmt": afmt,
        "bqfmt": "",
        "bafmt": "",
        "did": None,
    }


def _notetype(
    id_: int, name: str, kind: int, fields: tuple[str, ...], qfmt: str, afmt: str, mod: int
) -> dict[str, Any]:
    return {
        "id": id_,
        "name": name,
        "type": kind,  # 0 standard, 1 cloze
        "mod": mod,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [_template("Cloze" if kind else "Card 1", qfmt, afmt)],
        "flds": [_field(field, index) for index, field in enumerate(fields)],
        "css": CSS,
        "latexPre": "",
        "latexPost": "",
        "latexsvg": False,
        "req": [[0, "any", [0]]],
        "tags": [],
        "vers": [],
    }


def notetypes(mod: int) -> dict[str, Any]:
    """Our two note types: a basic one with the card's source and article beside its sides,
    and Anki's Cloze (its template and styling) with the same two fields added."""
    basic = _notetype(
        BASIC_NOTETYPE_ID,
        "StudyApp Basic",
        0,
        BASIC_FIELDS,
        "{{Front}}",
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n" + SOURCE_BLOCK,
        mod,
    )
    cloze = _notetype(
        CLOZE_NOTETYPE_ID,
        "StudyApp Cloze",
        1,
        CLOZE_FIELDS,
        "{{cloze:Text}}",
        "{{cloze:Text}}<br>\n{{Back Extra}}\n" + SOURCE_BLOCK,
        mod,
    )
    return {str(BASIC_NOTETYPE_ID): basic, str(CLOZE_NOTETYPE_ID): cloze}


def _deck(deck: Deck, mod: int, preset: int) -> dict[str, Any]:
    return {
        "id": deck.id,
        "name": deck.name,
        "mod": mod,
        "usn": -1,
        "desc": deck.description,
        "collapsed": False,
        "browserCollapsed": False,
        "dyn": 0,
        "conf": preset,
        "extendNew": 0,
        "extendRev": 0,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    }


def decks(chosen: list[Deck], mod: int) -> dict[str, Any]:
    everything = [Deck(DEFAULT_DECK_ID, "Default"), *chosen]
    return {
        str(deck.id): _deck(deck, mod, DEFAULT_PRESET_ID if deck.id == 1 else STUDYAPP_PRESET_ID)
        for deck in everything
    }


@dataclass(frozen=True)
class Preset:
    """The study settings Anki's deck preset takes from ours."""

    new_per_day: int
    reviews_per_day: int
    desired_retention: float
    learning_steps_minutes: tuple[float, ...]
    relearning_steps_minutes: tuple[float, ...]
    maximum_interval_days: int
    bury_new: bool
    bury_reviews: bool


def _preset(id_: int, name: str, preset: Preset, mod: int) -> dict[str, Any]:
    return {
        "id": id_,
        "mod": mod,
        "name": name,
        "usn": -1,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "dyn": False,
        "new": {
            "bury": preset.bury_new,
            "delays": list(preset.learning_steps_minutes),
            "initialFactor": 2500,
            "ints": [1, 4, 0],
            "order": 1,
            "perDay": preset.new_per_day,
        },
        "rev": {
            "bury": preset.bury_reviews,
            "ease4": 1.3,
            "ivlFct": 1.0,
            "maxIvl": preset.maximum_interval_days,
            "perDay": preset.reviews_per_day,
            "hardFactor": 1.2,
        },
        "lapse": {
            "delays": list(preset.relearning_steps_minutes),
            "leechAction": 1,
            "leechFails": 8,
            "minInt": 1,
            "mult": 0.0,
        },
        "desiredRetention": preset.desired_retention,
    }


def presets(preset: Preset, mod: int) -> dict[str, Any]:
    """Anki's Default preset (every collection has one) and "StudyApp", our decks' preset,
    which Anki takes when its import is asked to bring deck presets."""
    return {
        str(DEFAULT_PRESET_ID): _preset(DEFAULT_PRESET_ID, "Default", preset, mod),
        str(STUDYAPP_PRESET_ID): _preset(STUDYAPP_PRESET_ID, "StudyApp", preset, mod),
    }


def configuration(rollover_hour: int, creation_minutes_west: int, next_position: int) -> str:
    """The collection's configuration. schedVer 2 matters: a package that does not say so is
    taken for the 2018 scheduler, and Anki's upgrade from it rewrites learning answers' ease
    in the review log (Good would become Easy)."""
    return json.dumps(
        {
            "schedVer": 2,
            "rollover": rollover_hour,
            "creationOffset": creation_minutes_west,
            "nextPos": next_position,
            "curDeck": DEFAULT_DECK_ID,
            "activeDecks": [DEFAULT_DECK_ID],
            "curModel": BASIC_NOTETYPE_ID,
            "newSpread": 0,
            "collapseTime": 1200,
            "timeLim": 0,
            "estTimes": True,
            "dueCounts": True,
            "sortType": "noteFld",
            "sortBackwards": False,
            "addToCur": True,
        }
    )
