"""Round-2 time rules: weekday cues, clock + date combinations, holidays, halves, weeks, fractions.

Sentences are invented; the publication date is a Monday, 2000-04-03, unless a test says otherwise."""

from __future__ import annotations

from datetime import date

import pytest
from time_helpers import time_pipeline, times_of

from sayso.timex import _easter, duration_value, holiday_date, normalise


@pytest.fixture(scope="module")
def nlp():
    """The English model with the time component only (one load per module)."""
    return time_pipeline()


def test_weekday_after_as_soon_as_or_until_is_the_next_one(nlp):
    got = times_of(nlp, "Mayor Ilse Varga could reach Brenford as soon as Tuesday, her office said.")
    assert got["Tuesday"] == ("DATE", "2000-04-04")
    got = times_of(nlp, "The Corlan ferry was postponed until Thursday, the operator said.")
    assert got["Thursday"] == ("DATE", "2000-04-06")
    # without a cue a past clause still takes the last such day
    got = times_of(nlp, "The Corlan ferry sailed on Thursday, the operator said.")
    assert got["Thursday"] == ("DATE", "2000-03-30")


def test_clock_with_zone_and_day(nlp):
    got = times_of(nlp, "Officials extended the offer until 9 a.m. EST Tuesday.")
    assert got["9 a.m. EST Tuesday"] == ("TIME", "2000-04-04T09:00")
    got = times_of(nlp, "The Halvard index stood 2% lower at 16:00 UTC today.")
    assert got["16:00 UTC today"] == ("TIME", "2000-04-03T16:00Z")
    got = times_of(nlp, "The bid expires at 5 p.m. EST Nov. 9, the board said.", published="1989-11-02")
    assert got["5 p.m. EST Nov. 9"] == ("TIME", "1989-11-09T17:00")


def test_cue_words_fix_the_year_of_a_month_day(nlp):
    got = times_of(nlp, "Net income fell in the year ended March 31.", published="1989-10-31")
    assert got["March 31"] == ("DATE", "1989-03-31")
    got = times_of(nlp, "Ottmar Kell was named chairman, effective Feb. 1.", published="1989-10-26")
    assert got["Feb. 1"] == ("DATE", "1990-02-01")


def test_month_with_a_relative_year(nlp):
    got = times_of(nlp, "In June last year, the Brenford council closed the bridge.", published="1998-02-19")
    assert got["June last year"] == ("DATE", "1997-06")


@pytest.mark.parametrize(
    ("text", "dct", "value"),
    [
        ("the first two quarters of 1990", date(1989, 10, 26), "1990-H1"),
        ("the last half of 1989", date(1989, 10, 26), "1989-H2"),
        ("the week of March 6", date(2000, 2, 24), "2000-W10"),
        ("Thanksgiving Day", date(1999, 12, 3), "1999-11-25"),
        ("last Christmas", date(2000, 4, 3), "1999-12-25"),
        ("Easter week", date(2000, 4, 17), "2000-W16"),
        ("Monday, Oct. 26", date(1998, 10, 25), "1998-10-26"),
        ("mid-afternoon yesterday", date(1989, 11, 2), "1989-11-01TAF"),
        ("2 1/2 years", date(1998, 2, 27), "P2Y6M"),
        ("about 5 1/2 hours", date(1998, 8, 17), "PT5H30M"),
        ("a minute and a half", date(1998, 1, 14), "PT1M30S"),
        ("two and a half years", date(1998, 1, 14), "P2Y6M"),
    ],
)
def test_normalise_round2_expressions(text, dct, value):
    res = normalise(text, dct)
    assert res is not None and res.value == value


def test_fractional_durations_use_the_next_unit_down():
    assert duration_value(1.5, "D") == "P1DT12H"
    assert duration_value(0.5, "Y") == "P6M"
    assert duration_value(2.5, "M") == "P2.5M"  # half a month has no exact smaller unit


def test_holiday_dates():
    assert [_easter(y) for y in (1999, 2000, 2024)] == [date(1999, 4, 4), date(2000, 4, 23), date(2024, 3, 31)]
    assert holiday_date("Election Day", 1998) == date(1998, 11, 3)
    assert holiday_date("Memorial Day", 2024) == date(2024, 5, 27)
    assert holiday_date("Labor Day", 2024) == date(2024, 9, 2)
