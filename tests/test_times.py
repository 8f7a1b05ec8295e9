"""The sayso_times component: TIMEX3 types and values on the example article and on own sentences."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

import sayso
from sayso.extensions import get_times
from sayso.pipeline import _register_factories, load_base_model
from sayso.schema import Article
from sayso.timex import Point, normalise

DCT = "2024-03-22"  # a Friday


@pytest.fixture(scope="module")
def example_times():
    """Times of the example article through the full pipeline (``sayso.analyse``)."""
    text = resources.files("sayso").joinpath("data/example.txt").read_text(encoding="utf-8")
    report = sayso.analyse(Article(text=text, published=DCT))
    for t in report.times:
        assert text[t.start : t.end] == t.text
    return report.times


@pytest.fixture(scope="module")
def nlp():
    """The English model with only sayso's time and quantity components (fast, one load per module)."""
    _register_factories()
    model = load_base_model()
    model.add_pipe("sayso_times")
    model.add_pipe("sayso_quantities")
    return model


def times_of(nlp, text: str, published: str | None = DCT) -> dict[str, tuple]:
    """Tag ``text`` and map each expression's text to (type, value, end_value, anchor)."""
    doc = nlp.make_doc(text)
    doc._.sayso_article = Article(text=text, published=published)
    doc = nlp(doc)
    out = {}
    for t in get_times(doc):
        assert text[t.start : t.end] == t.text
        out[t.text] = (t.type, t.value, t.end_value, t.anchor)
    return out


def by_text(times, text):
    return next(t for t in times if t.text == text)


# ----------------------------------------------------------------------------------- example article


def test_example_ids_in_text_order(example_times):
    assert [t.id for t in example_times] == [f"t{i + 1}" for i in range(len(example_times))]
    assert [t.start for t in example_times] == sorted(t.start for t in example_times)


@pytest.mark.parametrize(
    ("text", "type_", "value"),
    [
        ("March 22, 2024", "DATE", "2024-03-22"),
        ("Friday", "DATE", "2024-03-22"),
        ("March 25", "DATE", "2024-03-25"),
        ("September 2022", "DATE", "2022-09"),
        ("This year", "DATE", "2024"),
        ("Sunday", "DATE", "2024-03-17"),
        ("2022", "DATE", "2022"),
    ],
)
def test_example_values(example_times, text, type_, value):
    t = by_text(example_times, text)
    assert (t.type, t.value) == (type_, value)


def test_example_month_later_is_anchored_on_september_2022(example_times):
    sept = by_text(example_times, "September 2022")
    later = by_text(example_times, "a month later")
    assert later.value == "2022-10"
    assert later.anchor == sept.id


def test_example_election_range(example_times):
    t = by_text(example_times, "March 15-17")
    assert (t.value, t.end_value) == ("2024-03-15", "2024-03-17")


def test_example_several_months_after_is_a_duration(example_times):
    t = next(t for t in example_times if t.text.startswith("several months"))
    assert (t.type, t.value) == ("DURATION", "PXM")


def test_example_no_year_from_numbers_or_url(example_times):
    texts = [t.text for t in example_times]
    assert not any("300" in x or "87" in x or "2.0" in x for x in texts)
    assert not any(t.start > 0 and "themoscowtimes" in t.text for t in example_times)
    assert all(t.value != "2024" or t.text == "This year" for t in example_times)


# ----------------------------------------------------------------------------------- constructions


@pytest.mark.parametrize(
    ("sentence", "text", "expected"),
    [
        ("The minister resigned yesterday.", "yesterday", ("DATE", "2024-03-21")),
        ("The agency said today that it agreed.", "today", ("DATE", "2024-03-22")),
        ("He will leave office tomorrow.", "tomorrow", ("DATE", "2024-03-23")),
        ("Prices rose last week.", "last week", ("DATE", "2024-W11")),
        ("Prices will fall next month.", "next month", ("DATE", "2024-04")),
        ("Sales dropped last year.", "last year", ("DATE", "2023")),
        ("Talks will resume in the coming weeks.", "the coming weeks", ("DATE", "FUTURE_REF")),
        ("The company recently cut jobs.", "recently", ("DATE", "PAST_REF")),
        ("The firm now plans to hire.", "now", ("DATE", "PRESENT_REF")),
        # up to two weeks back TimeBank and MEANTIME give the day; further back, the week
        ("The factory closed two weeks ago.", "two weeks ago", ("DATE", "2024-03-08")),
        ("The factory closed five weeks ago.", "five weeks ago", ("DATE", "2024-W07")),
        ("It ran for three days without power.", "three days", ("DURATION", "P3D")),
        ("The group has operated there since 2014.", "2014", ("DATE", "2014")),
        ("Protesters gathered last summer.", "last summer", ("DATE", "2023-SU")),
        ("Growth will pick up in the third quarter.", "the third quarter", ("DATE", "2024-Q3")),
        ("Growth slowed in the third quarter.", "the third quarter", ("DATE", "2023-Q3")),
        ("Music of the 1990s dominated.", "the 1990s", ("DATE", "199")),
        ("The meeting starts at 10 a.m. sharp.", "10 a.m.", ("TIME", "2024-03-22T10:00")),
        ("The committee meets every week.", "every week", ("SET", "P1W")),
        ("The decree was signed on 2024-03-01.", "2024-03-01", ("DATE", "2024-03-01")),
        ("Attacks increased over the past two weeks.", "the past two weeks", ("DURATION", "P2W")),
        ("She spoke Friday morning.", "Friday morning", ("TIME", "2024-03-22TMO")),
        ("Inflation peaked in the first half of 2023.", "the first half of 2023", ("DATE", "2023-H1")),
        ("The report is issued twice a year.", "twice a year", ("SET", "P1Y")),
        ("Borders were redrawn in the 20th century.", "the 20th century", ("DATE", "19")),
        ("The firm earned $5 million a year.", "a year", ("SET", "P1Y")),
        ("The treaty covered 2014-2016 in detail.", "2014-2016", ("DATE", "2014")),
    ],
)
def test_constructions(nlp, sentence, text, expected):
    found = times_of(nlp, sentence)
    assert text in found, found
    assert found[text][:2] == expected


def test_weekday_tense(nlp):
    # published on a Wednesday: a past 'Friday' is the one before, a future 'Friday' the one after
    assert times_of(nlp, "The governor visited the city on Friday.", "2024-03-20")["Friday"][1] == "2024-03-15"
    assert times_of(nlp, "The governor will visit the city on Friday.", "2024-03-20")["Friday"][1] == "2024-03-22"


def test_month_without_year_takes_the_narrative_year(nlp):
    found = times_of(nlp, "In 2019, the mayor was elected. On June 3 he resigned, and the next day he left.")
    assert found["June 3"][1] == "2019-06-03"
    assert found["the next day"][1] == "2019-06-04"


def test_month_day_nearest_year():
    # late December seen from early January belongs to the previous year
    assert normalise("December 30", date(2024, 1, 3)).value == "2023-12-30"
    assert normalise("March 25", date(2024, 3, 22)).value == "2024-03-25"


def test_relative_to_reference_time():
    ref = Point(date(2022, 9, 1), "month")
    r = normalise("a month later", date(2024, 3, 22), ref=ref)
    assert (r.type, r.value, r.anchor) == ("DATE", "2022-10", "ref")


def test_clock_time_on_a_weekday(nlp):
    found = times_of(nlp, "The summit will take place next Friday at 3 p.m.", "2024-03-20")
    assert found["next Friday at 3 p.m."][:2] == ("TIME", "2024-03-22T15:00")


def test_may_the_modal_is_not_a_month(nlp):
    found = times_of(nlp, "The plan was discussed in May, but it may change.")
    assert list(found) == ["May"]
    assert found["May"][1] == "2023-05"


def test_no_publication_date_gives_underspecified_values(nlp):
    found = times_of(nlp, "The vote was held on March 25 and results came Friday.", published=None)
    assert found["March 25"][1] == "XXXX-03-25"
    assert found["Friday"][1] == "XXXX-WXX-5"


def test_numbers_are_not_times(nlp):
    found = times_of(nlp, "Over 87% of 300,000 voters backed 'mobilization 2.0' and a second round.")
    assert found == {}
