"""TimeML conventions the time component follows (tuned on TempEval-3 TBAQ): own sentences, invented names."""

from __future__ import annotations

from datetime import date

import pytest

from sayso.extensions import get_times
from sayso.pipeline import _register_factories, load_base_model
from sayso.schema import Article
from sayso.timex import normalise, spelled_year

DCT = "1997-10-28"  # a Tuesday in the fourth quarter


@pytest.fixture(scope="module")
def nlp():
    """The English model with only the time component (one load per module)."""
    _register_factories()
    model = load_base_model()
    model.add_pipe("sayso_times")
    return model


def times_of(nlp, text: str, published: str = DCT) -> dict[str, tuple[str, str | None]]:
    """Tag ``text``; map each expression's text to (type, value)."""
    doc = nlp.make_doc(text)
    doc._.sayso_article = Article(text=text, published=published)
    doc = nlp(doc)
    return {t.text: (t.type, t.value) for t in get_times(doc)}


def test_year_ago_in_an_earnings_report_is_the_same_quarter(nlp):
    found = times_of(
        nlp,
        "Pellworth Mills said third-quarter profit rose to $4 million from $3 million a year ago. "
        "Sales in the year-earlier quarter were flat.",
    )
    assert found["third-quarter"] == ("DATE", "1997-Q3")
    assert found["a year ago"] == ("DATE", "1996-Q3")
    assert found["the year-earlier quarter"] == ("DATE", "1996-Q3")


def test_latest_quarter_is_the_last_complete_one(nlp):
    found = times_of(nlp, "Orvane Corp. said revenue grew 8% in the latest quarter.")
    assert found["the latest quarter"] == ("DATE", "1997-Q3")


def test_duration_before_after_is_a_signal_not_part_of_the_timex(nlp):
    found = times_of(nlp, "The Kessel plant closed two days after the vote.")
    assert found == {"two days": ("DURATION", "P2D")}


def test_ages_are_not_times(nlp):
    found = times_of(nlp, "A 6-year-old girl and her 44-year-old father were rescued on Monday.")
    assert list(found) == ["Monday"]


def test_adjectival_duration_drops_the(nlp):
    found = times_of(nlp, "The union accepted the 30-day extension.")
    assert found == {"30-day": ("DURATION", "P30D")}


def test_quarter_durations_keep_the_quarter_unit():
    assert normalise("the past two quarters", date(1997, 10, 28)).value == "P2Q"


def test_near_deadline_in_a_past_clause_stays_in_the_publication_year(nlp):
    found = times_of(nlp, "Dravo Holdings set Nov. 10 as the deadline. It sold the unit on Oct. 20.")
    assert found["Nov. 10"] == ("DATE", "1997-11-10")
    assert found["Oct. 20"] == ("DATE", "1997-10-20")


def test_a_past_month_day_far_after_the_dct_is_last_year(nlp):
    found = times_of(nlp, "The Halvard fund was closed on March 31.", published="1997-11-01")
    assert found["March 31"] == ("DATE", "1997-03-31")


def test_year_named_with_since_does_not_set_the_year_of_later_dates(nlp):
    found = times_of(nlp, "Tolland has made boilers since 1974. Its offer expires Feb. 1.")
    assert found["Feb. 1"] == ("DATE", "1998-02-01")


def test_spelled_out_years():
    assert spelled_year("nineteen ninety-six") == 1996
    assert spelled_year("two thousand and one") == 2001
    assert normalise("January nineteen ninety-seven", date(1998, 2, 1)).value == "1997-01"
    assert normalise("the year two thousand", date(1998, 2, 1)).value == "2000"
    assert normalise("the winter of nineteen ninety-four", date(1998, 2, 1)).value == "1994-WI"


def test_two_thousand_alone_is_a_number(nlp):
    assert times_of(nlp, "Some two thousand people marched in Castelbrook.") == {}


def test_previously_and_soon_are_not_tagged(nlp):
    assert times_of(nlp, "The Ardmore firm had previously said it would soon hire staff.") == {}


def test_the_next_few_days_is_a_duration(nlp):
    found = times_of(nlp, "Officials in Verlind expect rain over the next few days.")
    assert found["the next few days"] == ("DURATION", "PXD")
