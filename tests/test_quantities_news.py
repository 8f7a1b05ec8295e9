"""Quantity rules tuned on news copy (MEANTIME dev set): names that hold numbers, cents, data units, index
points, negative values, lists of numbers, and references that are not counts."""

from __future__ import annotations

import pytest

from sayso.extensions import get_quantities
from sayso.pipeline import _register_factories, load_base_model
from sayso.schema import Article


@pytest.fixture(scope="module")
def nlp():
    """The English model with sayso's time and quantity components (one load per module)."""
    _register_factories()
    model = load_base_model()
    model.add_pipe("sayso_times")
    model.add_pipe("sayso_quantities")
    return model


def quantities(nlp, text: str) -> dict[str, tuple]:
    """Map each quantity's text to (value, unit, kind, upper)."""
    doc = nlp.make_doc(text)
    doc._.sayso_article = Article(text=text, published="2009-03-04")
    doc = nlp(doc)
    out = {}
    for q in get_quantities(doc):
        assert text[q.start : q.end] == q.text
        out[q.text] = (q.value, q.unit, q.kind, q.upper)
    return out


@pytest.mark.parametrize(
    "sentence",
    [
        "Veltan Air will fly the Corvin 737 on the route.",
        "Dalmor's 787, the rival jet, was delayed.",
        "The plane has four Trent 900 engines.",  # 'four' stays, '900' is a name
        "Refunds go to iFone 4 owners.",
        "Talix became the No. 1 music seller.",
        "The Corvin 737-800 has the best reliability.",
        "A bailout for the Big Three failed.",
        "Talks between the two companies resumed.",
        "Trading opened at 0800 UTC.",
        "Shares fell to their lowest level since '82.",
        "The event was held on 7/8/07 in Port Aldern.",
        "It had, at one point, set a record.",
    ],
)
def test_names_and_references_are_not_counts(nlp, sentence):
    found = quantities(nlp, sentence)
    found.pop("four", None)  # 'four Trent 900 engines' counts four engines
    assert found == {}


def test_a_model_named_once_is_a_name_everywhere(nlp):
    found = quantities(nlp, "Dalmor unveiled the 797 today. The Dalmor 797 seats 300 passengers.")
    assert list(found) == ["300"]


def test_reporting_verb_object_keeps_the_count(nlp):
    found = quantities(nlp, "Police told Reuters 40 people died.")
    assert found["40"][:3] == (40, "people", "count")


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "kind"),
    [
        ("Shares rose 26 cents to $4.10.", "26 cents", 0.26, "USD", "money"),
        ("The grant is AU$52.5 million.", "AU$52.5 million", 52_500_000, "AUD", "money"),
        ("Sales reached US$7.2 bn last year.", "US$7.2 bn", 7_200_000_000, "USD", "money"),
        ("It holds billions of dollars in cash.", "billions", 1_000_000_000, "USD", "money"),
        ("The player comes with 160GB of storage.", "160GB", 160, "GB", "measure"),
        ("The chip runs at 2 GHz.", "2 GHz", 2, "GHz", "measure"),
        ("It has a 3.5-inch screen.", "3.5-inch", 3.5, "in", "measure"),
        ("The index fell 366.94 points.", "366.94 points", 366.94, "points", "measure"),
        ("The market closed at -36 points.", "-36 points", -36, "points", "measure"),
        ("Rates fell by half a percent.", "half a percent", 0.5, "percent", "percent"),
        ("The airline ordered a score of jets.", "a score", 20, "jets", "count"),
    ],
)
def test_units(nlp, sentence, text, value, unit, kind):
    found = quantities(nlp, sentence)
    assert text in found, found
    got_value, got_unit, got_kind, _ = found[text]
    assert got_value == pytest.approx(value) and (got_unit, got_kind) == (unit, kind)


def test_numbers_joined_by_and_are_each_found(nlp):
    found = quantities(nlp, "The models hold 500 and 1,000 songs and cost $199 and $249 USD.")
    assert found["500"][:3] == (500, "songs", "count")
    assert found["1,000"][0] == 1000
    assert found["$199"][:3] == (199, "USD", "money")
    assert found["$249 USD"][:3] == (249, "USD", "money")
