"""The sayso_quantities component: counts, percentages, money and measures."""

from __future__ import annotations

from importlib import resources

import pytest

import sayso
from sayso.extensions import get_quantities
from sayso.numbers import parse_number
from sayso.pipeline import _register_factories, load_base_model
from sayso.schema import Article

DCT = "2024-03-22"


@pytest.fixture(scope="module")
def example_quantities():
    """Quantities of the example article through the full pipeline (``sayso.analyse``)."""
    text = resources.files("sayso").joinpath("data/example.txt").read_text(encoding="utf-8")
    report = sayso.analyse(Article(text=text, published=DCT))
    for q in report.quantities:
        assert text[q.start : q.end] == q.text
    return report.quantities


@pytest.fixture(scope="module")
def nlp():
    """The English model with only sayso's time and quantity components (fast, one load per module)."""
    _register_factories()
    model = load_base_model()
    model.add_pipe("sayso_times")
    model.add_pipe("sayso_quantities")
    return model


def quantities_of(nlp, text: str) -> dict[str, tuple]:
    """Tag ``text`` and map each quantity's text to (value, unit, qualifier, upper, kind)."""
    doc = nlp.make_doc(text)
    doc._.sayso_article = Article(text=text, published=DCT)
    doc = nlp(doc)
    out = {}
    for q in get_quantities(doc):
        assert text[q.start : q.end] == q.text
        out[q.text] = (q.value, q.unit, q.qualifier, q.upper, q.kind)
    return out


# ----------------------------------------------------------------------------------- example article


def test_example_counts(example_quantities):
    units = [(q.value, q.unit) for q in example_quantities if q.kind == "count"]
    assert (300000, "soldiers") in units
    assert (300000, "reservists") in units
    assert (300000, "snouts") in units
    assert [q.id for q in example_quantities] == [f"q{i + 1}" for i in range(len(example_quantities))]


def test_example_percent(example_quantities):
    q = next(q for q in example_quantities if q.kind == "percent")
    assert (q.text, q.value, q.unit, q.qualifier) == ("over 87%", 87, "percent", "lower_bound")


def test_example_thousands_of_russians(example_quantities):
    q = next(q for q in example_quantities if q.text == "thousands")
    assert (q.value, q.unit, q.qualifier) == (1000, "Russians", "lower_bound")


def test_example_no_dates_or_names(example_quantities):
    texts = " ".join(q.text for q in example_quantities)
    for not_a_quantity in ("2024", "2022", "25", "15", "2.0", "22"):
        assert not_a_quantity not in texts.split(), texts


# ----------------------------------------------------------------------------------- constructions


@pytest.mark.parametrize(
    ("sentence", "text", "expected"),
    [
        (
            "Since 2014, more than 10,000 people have died.",
            "more than 10,000",
            (10000, "people", "lower_bound"),
        ),
        ("Over 300 000 people signed the petition.", "Over 300 000", (300000, "people", "lower_bound")),
        ("Up to 40 vessels were seized.", "Up to 40", (40, "vessels", "upper_bound")),
        ("About 500 protesters marched.", "about 500", None),
        ("Nearly 2,000 homes lost power.", "Nearly 2,000", (2000, "homes", "approximate")),
        ("Two million people lost power.", "Two million", (2000000, "people", None)),
        ("A dozen officers were deployed.", "A dozen", (12, "officers", None)),
        ("Three hundred thousand troops were deployed.", "Three hundred thousand", (300000, "troops", None)),
        ("Thousands of Russians fled.", "Thousands", (1000, "Russians", "lower_bound")),
        ("Some 40 of the reservists returned.", "Some 40", (40, "reservists", "approximate")),
    ],
)
def test_counts(nlp, sentence, text, expected):
    found = quantities_of(nlp, sentence)
    key = next((k for k in found if k.lower() == text.lower()), None)
    assert key is not None, found
    value, unit, qualifier, _, kind = found[key]
    assert kind == "count"
    if expected:
        assert (value, unit, qualifier) == expected


def test_ranges(nlp):
    found = quantities_of(nlp, "Between 10 and 20 people were detained, and 30-40 journalists were expelled.")
    assert found["Between 10 and 20"][:4] == (10, "people", None, 20)
    assert found["30-40"][:4] == (30, "journalists", None, 40)


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("The ministry allocated $5 million to the project.", "$5 million", 5_000_000, "USD"),
        ("Each volunteer received €20 for lunch.", "€20", 20, "EUR"),
        ("The budget includes 10 billion rubles for defense.", "10 billion rubles", 10_000_000_000, "RUB"),
        ("Roads will get USD 3.5 billion next year.", "USD 3.5 billion", 3_500_000_000, "USD"),
        ("The club paid £2.5m for the striker.", "£2.5m", 2_500_000, "GBP"),
    ],
)
def test_money(nlp, sentence, text, value, unit):
    found = quantities_of(nlp, sentence)
    assert found[text][0] == value
    assert found[text][1] == unit
    assert found[text][4] == "money"


def test_percent_and_measure(nlp):
    found = quantities_of(nlp, "Turnout was 77.5 percent; the convoy travelled 120 kilometers with 40 tons of aid.")
    assert found["77.5 percent"][:2] == (77.5, "percent")
    assert found["120 kilometers"][1] == "km" and found["120 kilometers"][4] == "measure"
    assert found["40 tons"][1] == "t"
    found = quantities_of(nlp, "Support fell by less than 3 percentage points.")
    assert found["less than 3 percentage points"][1:3] == ("percentage points", "upper_bound")


@pytest.mark.parametrize(
    "sentence",
    [
        "The vote was held on March 25, 2024 at 10 a.m.",
        "Call +7 495 123-45-67 or visit 12 Tverskaya Street for details.",
        "The F-16 jets and Su-34 bombers flew during COVID-19.",
        "Officials prepared a 'mobilization 2.0' under Article 5.",
        "He finished 3rd, the second time this year.",
        "The factory closed three days ago, a month later than planned.",
        "One Kremlin source spoke in 2022.",
    ],
)
def test_not_quantities(nlp, sentence):
    assert quantities_of(nlp, sentence) == {}


def test_parse_number():
    assert parse_number("300,000") == 300000
    assert parse_number("300 000") == 300000
    assert parse_number("three hundred thousand") == 300000
    assert parse_number("twenty-five") == 25
    assert parse_number("a dozen") == 12
    assert parse_number("half a million") == 500000
    assert parse_number("5bn") == 5_000_000_000
    assert parse_number("soldiers") is None


def test_and_joins_numbers_only_after_hundred_or_thousand():
    """'between one and two thousand' is a range scaled by 'thousand', not the number 3000."""
    from sayso import analyse
    from sayso.schema import Article

    report = analyse(Article(text="Between one and two thousand troops crossed the Veltan river."))
    (q,) = report.quantities
    assert (q.value, q.upper, q.unit) == (1000, 2000, "troops")
    report = analyse(Article(text="One hundred and twenty people were hurt in Port Aldern."))
    assert [(q.value, q.unit) for q in report.quantities] == [(120, "people")]
