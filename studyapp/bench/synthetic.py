"""A synthetic collection for benchmarks at scale: many cards, a long review log, many events.

It lives in its own data dir and says so three times: the article is titled "SYNTHETIC
benchmark collection", the settings hold "synthetic": true, and the folder holds SYNTHETIC.txt.
The schema comes from the app's own migrations (open_database); the rows are then written with
sqlite3's executemany inside one transaction, so 500,000 review rows take seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from random import Random
from typing import Any

from studyapp.bench.history import CardHistory, simulate_card
from studyapp.bench.synthetic_text import (
    SYNTHETIC_LICENCE,
    SYNTHETIC_PACK,
    SYNTHETIC_SOURCE,
    SYNTHETIC_TITLE,
    Sentence,
    random_words,
    write_article,
    write_events,
)
from studyapp.clock import utc_now
from studyapp.content.loader import load_dataset
from studyapp.paths import database_path, dataset_path
from studyapp.storage.database import open_database
from studyapp.storage.files import connect_readonly
from studyapp.storage.positions import POSITION_STEP
from studyapp.storage.search_index import register_functions
from studyapp.storage.times import to_microseconds

SYNTHETIC_KEY = "synthetic"
MARKER_FILE = "SYNTHETIC.txt"
REVIEWED_SHARE = 0.9  # the rest are new cards, the end of the deck in reading order
SUSPENDED_SHARE = 0.02
LEFT_LEARNING_SHARE = 0.002  # of reviewed cards: left mid-session, now in (re)learning
CARDS_PER_PASSAGE = 500


@dataclass(frozen=True)
class Sizes:
    cards: int = 50_000
    reviews: int = 500_000
    events: int = 10_000
    import_rows: int = 10_000  # the CSV file the import figure reads (not generated here)

    def describe(self) -> str:
        return f"{self.cards:,} cards, {self.reviews:,} reviews, {self.events:,} events"


def is_synthetic(data_dir: Path) -> bool:
    """True if data_dir holds a collection this module generated."""
    path = database_path(data_dir)
    if not path.is_file():
        return False
    with connect_readonly(path) as connection:
        try:
            row = connection.execute(
                "SELECT value FROM settings WHERE key = ?", (SYNTHETIC_KEY,)
            ).fetchone()
        except sqlite3.DatabaseError:
            return False
    return row is not None and json.loads(row[0]) is True


def keep_up_with_dataset(data_dir: Path) -> None:
    """Raise a reused synthetic collection's built-in pack version to the app's current one.

    The synthetic pack stands in for the built-in one; otherwise, after a dataset update, the
    app would install the pact beside the synthetic content.
    """
    version = load_dataset(dataset_path()).version
    with sqlite3.connect(database_path(data_dir)) as connection:
        connection.execute(
            "UPDATE packs SET version = ? WHERE builtin = 1 AND version < ?", (version, version)
        )


def generate(
    data_dir: Path, sizes: Sizes, seed: int = 1926, now: dt.datetime | None = None
) -> float:
    """Write a synthetic collection into an empty data dir; return the seconds it took."""
    started = time.perf_counter()
    if database_path(data_dir).exists():
        raise FileExistsError(f"{data_dir} already holds a database; use an empty data dir")
    database = open_database(data_dir)  # creates the file and migrates it to the head schema
    database.close()
    now = (now or utc_now()).astimezone(dt.UTC)
    rng = Random(seed)
    dataset = load_dataset(dataset_path())
    vocabulary = re.findall(r"[^\W\d_]{3,}", " ".join(p.text for p in dataset.article.passages()))
    connection = sqlite3.connect(database_path(data_dir), isolation_level=None)
    register_functions(connection)  # the search index's triggers fold each card's text
    try:
        connection.execute("PRAGMA journal_mode = DELETE")  # one big write: no WAL growth
        connection.execute("PRAGMA synchronous = OFF")  # regenerable data; the app sets FULL
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA cache_size = -131072")
        connection.execute("BEGIN")
        passages = max(3, sizes.cards // CARDS_PER_PASSAGE)
        about = f"Synthetic collection: {sizes.describe()}."
        stamp = to_microseconds(now)
        # Marked built-in at the shipped dataset's version: the app then installs no pact.
        connection.execute(
            "INSERT INTO packs (id, title, version, source, licence, attribution, builtin, "
            "installed_at, updated_at, hidden) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 0)",
            (
                SYNTHETIC_PACK,
                SYNTHETIC_TITLE,
                dataset.version,
                SYNTHETIC_SOURCE,
                SYNTHETIC_LICENCE,
                about,
                stamp,
                stamp,
            ),
        )
        sentences = write_article(connection, rng, vocabulary, passages, about)
        event_ids = write_events(connection, rng, vocabulary, sentences, sizes.events)
        _write_cards(connection, rng, vocabulary, sentences, event_ids, sizes, now)
        settings: dict[str, Any] = {
            SYNTHETIC_KEY: True,
            "synthetic_sizes": asdict(sizes),
            "synthetic_generated_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        connection.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [(key, json.dumps(value)) for key, value in settings.items()],
        )
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    (data_dir / MARKER_FILE).write_text(
        f"This data dir holds a SYNTHETIC collection generated by `python -m studyapp.bench` "
        f"({sizes.describe()}, seed {seed}). It is benchmark data, not anyone's progress.\n",
        encoding="utf-8",
    )
    return time.perf_counter() - started


def _review_counts(rng: Random, sizes: Sizes) -> list[int]:
    """Reviews per card: the first 90% (reading order) reviewed, hard cards more often."""
    reviewed = min(sizes.cards, sizes.reviews, round(sizes.cards * REVIEWED_SHARE))
    counts = [1] * reviewed + [0] * (sizes.cards - reviewed)
    if reviewed:
        weights = [rng.lognormvariate(0, 0.6) for _ in range(reviewed)]
        for index in rng.choices(range(reviewed), weights=weights, k=sizes.reviews - reviewed):
            counts[index] += 1
    return counts


def _card_row(
    n: int, rng: Random, vocabulary: list[str], source: Sentence, kind: str, history: CardHistory
) -> tuple[Any, ...]:
    cloze = None
    if kind == "cloze":
        tokens = source.text.split(" ")
        gap = rng.randrange(len(tokens))
        cloze = " ".join(w if i != gap else "{{" + w + "}}" for i, w in enumerate(tokens))
        front = " ".join(w if i != gap else "[…]" for i, w in enumerate(tokens))
        back = source.text
    else:
        front = f"Synthetic question {n + 1}: {random_words(rng, vocabulary, 4, 14)}?"
        back = random_words(rng, vocabulary, 2, 12).capitalize() + "."
    suspended = history.reviews > 0 and rng.random() < SUSPENDED_SHARE
    return (
        n + 1,
        f"syn-card-{n:05d}",
        (n + 1) * POSITION_STEP,
        kind,
        front,
        back,
        cloze,
        source.passage_id,
        source.index,
        source.text,
        int(suspended),
        *history.card_state,
    )


def _write_cards(
    connection: sqlite3.Connection,
    rng: Random,
    vocabulary: list[str],
    sentences: list[Sentence],
    event_ids: list[str],
    sizes: Sizes,
    now: dt.datetime,
) -> None:
    card_rows, link_rows, log_rows = [], [], []
    counts = _review_counts(rng, sizes)
    for n, reviews in enumerate(counts):
        card_id = f"syn-card-{n:05d}"
        # Cards follow the article: neighbours in reading order share a passage.
        source = sentences[n * len(sentences) // len(counts)]
        roll = rng.random()
        kind = (
            "chronology"
            if roll < 0.1 and len(event_ids) >= 2
            else "cloze"
            if roll < 0.4
            else "basic"
        )
        left_learning = rng.random() < LEFT_LEARNING_SHARE
        history = simulate_card(rng, n + 1, reviews, now, left_learning)
        card_rows.append(_card_row(n, rng, vocabulary, source, kind, history))
        log_rows += history.log_rows
        linked = 2 if kind == "chronology" else 1 if event_ids and rng.random() < 0.6 else 0
        link_rows += [(card_id, event_id) for event_id in rng.sample(event_ids, linked)]
    connection.executemany(
        "INSERT INTO cards (number, id, position, kind, front, back, cloze, passage_id, "
        "sentence_index, quote, retired, suspended, buried_until, state, step, stability, "
        "difficulty, due, last_review, pack_id, article_id, flag) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?, ?, ?, ?, ?, "
        f"'{SYNTHETIC_PACK}', '{SYNTHETIC_PACK}', 0)",
        card_rows,
    )
    connection.executemany("INSERT INTO card_events (card_id, event_id) VALUES (?, ?)", link_rows)
    connection.executemany(
        "INSERT INTO review_log (card_number, rating, reviewed_at, duration_ms, state_before, "
        "due_before, last_review_before, state_after, step_after, stability_after, "
        "difficulty_after, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _unique_times(log_rows),
    )


def _unique_times(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The log rows in time order, each answer's time (the log's key) unique: one sharing its
    microsecond with another card's answer moves on a microsecond, as the app saves them."""
    rows.sort(key=lambda row: row[2])
    previous = None
    for index, row in enumerate(rows):
        if previous is not None and row[2] <= previous:
            rows[index] = (*row[:2], previous + 1, *row[3:])
        previous = rows[index][2]
    return rows
