"""HistoricalDate and parse_written_date: dates only as precise as the article gives them."""

from __future__ import annotations

import datetime as dt

import pytest

from studyapp.content.dates import HistoricalDate, Precision, parse_written_date


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("1920", HistoricalDate(1920), Precision.YEAR),
        ("1926-12", HistoricalDate(1926, 12), Precision.MONTH),
        ("1926-09-28", HistoricalDate(1926, 9, 28), Precision.DAY),
        ("  1931-05-06\n", HistoricalDate(1931, 5, 6), Precision.DAY),
        ("1928-02-29", HistoricalDate(1928, 2, 29), Precision.DAY),  # a leap year
        ("2000-02-29", HistoricalDate(2000, 2, 29), Precision.DAY),  # divisible by 400
    ],
)
def test_parse_gives_the_date_and_its_precision(
    text: str, expected: HistoricalDate, precision: Precision
) -> None:
    parsed = HistoricalDate.parse(text)
    assert parsed == expected
    assert parsed.precision is precision


@pytest.mark.parametrize("text", ["1920", "1926-12", "1926-09-28", "0800-01-01"])
def test_iso_round_trips(text: str) -> None:
    assert HistoricalDate.parse(text).iso() == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1926-13-01", "month 13"),
        ("1926-13", "month 13"),
        ("1926-00", "month 0"),
        ("1926-02-30", "day 30, but that month has 28 days"),
        ("1927-02-29", "day 29, but that month has 28 days"),  # not a leap year
        ("1900-02-29", "day 29, but that month has 28 days"),  # century, not a leap year
        ("1926-04-31", "day 31, but that month has 30 days"),
        ("1926-12-00", "day 0"),
        ("Sept 1926", "not a date of the form"),
        ("September 28, 1926", "not a date of the form"),
        ("1926-9-28", "not a date of the form"),
        ("26-09-28", "not a date of the form"),
        ("1926/09/28", "not a date of the form"),
        ("1926-09-28T00:00", "not a date of the form"),
        ("", "not a date of the form"),
    ],
)
def test_parse_rejects_bad_dates_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        HistoricalDate.parse(text)
    assert reason in str(caught.value)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("date", "first", "last"),
    [
        (HistoricalDate(1920), dt.date(1920, 1, 1), dt.date(1920, 12, 31)),
        (HistoricalDate(1926, 12), dt.date(1926, 12, 1), dt.date(1926, 12, 31)),
        (HistoricalDate(1926, 11), dt.date(1926, 11, 1), dt.date(1926, 11, 30)),
        (HistoricalDate(1926, 2), dt.date(1926, 2, 1), dt.date(1926, 2, 28)),
        (HistoricalDate(1928, 2), dt.date(1928, 2, 1), dt.date(1928, 2, 29)),
        (HistoricalDate(1926, 9, 28), dt.date(1926, 9, 28), dt.date(1926, 9, 28)),
    ],
)
def test_first_and_last_day_span_what_the_date_could_mean(
    date: HistoricalDate, first: dt.date, last: dt.date
) -> None:
    assert date.first_day() == first
    assert date.last_day() == last


@pytest.mark.parametrize(
    ("date", "long", "short"),
    [
        (HistoricalDate(1926, 9, 28), "September 28, 1926", "Sep 28, 1926"),
        (HistoricalDate(1926, 11, 5), "November 5, 1926", "Nov 5, 1926"),  # no zero padding
        (HistoricalDate(1926, 12), "December 1926", "Dec 1926"),
        (HistoricalDate(1934, 5), "May 1934", "May 1934"),
        (HistoricalDate(1920), "1920", "1920"),
    ],
)
def test_labels(date: HistoricalDate, long: str, short: str) -> None:
    assert date.long_label() == long
    assert date.short_label() == short


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("September 28, 1926", HistoricalDate(1926, 9, 28)),
        ("November 5, 1926", HistoricalDate(1926, 11, 5)),
        ("December 31, 1944", HistoricalDate(1944, 12, 31)),
        ("December 1926", HistoricalDate(1926, 12)),
        ("1920", HistoricalDate(1920)),
        # A date broken over lines in the TOML source reads the same.
        ("November 5,\n   1926", HistoricalDate(1926, 11, 5)),
        ("  March  4, 1927 ", HistoricalDate(1927, 3, 4)),
    ],
)
def test_parse_written_date(text: str, expected: HistoricalDate) -> None:
    parsed = parse_written_date(text)
    assert parsed == expected
    assert parsed.precision is expected.precision


@pytest.mark.parametrize(
    "text",
    [
        "Sept 1926",
        "Sep 28, 1926",
        "28 September 1926",
        "September 31, 1926",
        "February 29, 1927",
        "1926-09-28",
        "September 28 1926",
        "926",
        "the 1920s",
        "",
    ],
)
def test_parse_written_date_rejects_other_forms(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_written_date(text)
    assert "is not a written date" in str(caught.value)


@pytest.mark.parametrize(
    "date", [HistoricalDate(1926, 9, 28), HistoricalDate(1926, 12), HistoricalDate(1920)]
)
def test_long_label_parses_back(date: HistoricalDate) -> None:
    parsed = parse_written_date(date.long_label())
    assert parsed == date
    assert parsed.precision is date.precision


def test_precision_is_part_of_equality() -> None:
    # "December 1926" is not the same fact as "December 1, 1926", nor "1926".
    assert HistoricalDate(1926, 12) != HistoricalDate(1926, 12, 1)
    assert HistoricalDate(1926) != HistoricalDate(1926, 1)
    assert HistoricalDate.parse("1926-12") == parse_written_date("December 1926")
