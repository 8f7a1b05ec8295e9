"""Round-3 time rules: tense from the parse (past perfect, 'is to', 'would', bare participles), anaphoric
weekdays, plural weekdays as sets, 'the same month a year ago', 'the day' of a market, 'the past year',
'the last week of March', military clock times.

Sentences are invented; the publication date is a Monday, 2000-04-03, unless a test says otherwise."""

from __future__ import annotations

import pytest
from time_helpers import time_pipeline, times_of


@pytest.fixture(scope="module")
def nlp():
    """The English model with the time component only (one load per module)."""
    return time_pipeline()


def test_past_perfect_keeps_a_weekday_in_the_past(nlp):
    got = times_of(nlp, "Until Thursday, the Varnholt police had not named a suspect.")
    assert got["Thursday"] == ("DATE", "2000-03-30")
    got = times_of(nlp, "The Orlen offer had been due to expire Friday.")
    assert got["Friday"] == ("DATE", "2000-03-31")
    # without the past perfect 'until' still points ahead
    got = times_of(nlp, "The Corlan ferry was postponed until Thursday.")
    assert got["Thursday"] == ("DATE", "2000-04-06")


def test_is_to_and_would_point_ahead(nlp):
    got = times_of(nlp, "Brask Holdings stock is to resume trading in Velden Tuesday.")
    assert got["Tuesday"] == ("DATE", "2000-04-04")
    got = times_of(nlp, "Mira Olsen said she would fly to Brenford Thursday.")
    assert got["Thursday"] == ("DATE", "2000-04-06")


def test_bare_past_participle_is_past(nlp):
    got = times_of(nlp, "Dividends on the Tarn shares issued July 1 will be partial.", published="1989-10-27")
    assert got["July 1"] == ("DATE", "1989-07-01")


def test_future_clause_ignores_an_earlier_written_year(nlp):
    text = "Ostrevia, invited in July 1997, will join the pact on March 12 in Velden."
    got = times_of(nlp, text, published="1999-02-27")
    assert got["March 12"] == ("DATE", "1999-03-12")


def test_the_previous_friday_counts_from_the_narrative_day(nlp):
    got = times_of(nlp, "The Kessa index closed at 210 on Friday, down 4% from the previous Friday.")
    assert got["Friday"] == ("DATE", "2000-03-31")
    assert got["the previous Friday"] == ("DATE", "2000-03-24")


def test_plural_weekdays_are_sets(nlp):
    got = times_of(nlp, "Ferries to Velden leave on Tuesday nights and the market opens on Mondays.")
    assert got["Tuesday nights"] == ("SET", "XXXX-WXX-2TNI")
    assert got["Mondays"] == ("SET", "XXXX-WXX-1")


def test_the_same_period_a_year_ago(nlp):
    text = "Brask car sales fell 35% in January, compared to the same month a year ago."
    got = times_of(nlp, text, published="2009-02-03")
    assert got["the same month a year ago"] == ("DATE", "2008-01")


def test_weeks_ago_up_to_two_is_a_day(nlp):
    got = times_of(nlp, "The Tarn plant closed a week ago.")
    assert got["a week ago"] == ("DATE", "2000-03-27")


def test_the_day_of_a_market_report(nlp):
    got = times_of(nlp, "The Halvard index rose 2% on Friday to end the day at 5,210.")
    assert got["the day"] == ("DATE", "2000-03-31")
    got = times_of(nlp, "Kessa shares fell in morning trading before recovering later in the day.")
    assert got["the day"] == ("DATE", "2000-04-03")


def test_the_past_year_is_the_year_before(nlp):
    got = times_of(nlp, "Membership of the Orlen clubs grew over the past year.", published="1998-03-03")
    assert got["the past year"] == ("DATE", "1997")
    got = times_of(nlp, "Workers lost ground to inflation in the last decade.", published="1998-02-06")
    assert got["the last decade"] == ("DATE", "198")


def test_the_last_week_of_a_month(nlp):
    got = times_of(nlp, "Brask sales rebounded in the last week of March.", published="2009-04-01")
    assert got["the last week of March"] == ("DATE", "2009-W13")


def test_military_time_and_midday(nlp):
    got = times_of(nlp, "At 0800 UTC the Velden central bank cut its rate.", published="2008-09-18")
    assert got["0800 UTC"] == ("TIME", "2008-09-18T08:00Z")
    got = times_of(nlp, "Mira Olsen appeared before a judge at midday.")
    assert got["midday"] == ("TIME", "2000-04-03T12:00")
