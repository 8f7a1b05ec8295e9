"""Crashes the property tests (``tests/test_fuzz_*.py``, ``make fuzz``) found, each kept as a plain test."""

from __future__ import annotations

import pytest

import sayso
from sayso.numbers import parse_digits, parse_number, parse_words
from sayso.quantities import _number_value
from sayso.schema import Article, Report


def test_hundred_hundred_does_not_overflow():
    # OverflowError: int too large to convert to float (155 times 'hundred': an int of 311 digits)
    assert parse_words("hundred " * 155) is None
    assert parse_number("hundred " * 155) is None
    assert parse_words("dozen " * 300) is None
    assert parse_words("three hundred hundred") == 30000.0  # a few stay numbers


def test_too_many_digits_is_no_number():
    # 309 nines read as inf: the report's JSON then said "value": null, which the schema and the store refuse
    assert parse_digits("9" * 309) is None
    assert parse_number("9" * 309) is None
    assert parse_digits("9" * 308) is not None


def test_a_huge_number_with_a_scale_is_no_number():
    # '999...9bn' (300 digits) read as inf
    assert parse_number("9" * 300 + "bn") is None
    assert _number_value("9" * 300 + "bn") == (None, False)
    assert _number_value("2.5bn") == (2.5e9, False)


@pytest.mark.parametrize(
    "text",
    [
        "They counted " + "hundred " * 155 + "sheep, officials said.",  # OverflowError in the quantity tagger
        "The debt is " + "9" * 309 + " dollars, officials said.",  # a quantity of inf: its JSON did not read back
    ],
)
def test_analyse_reports_huge_numbers_readably(text):
    report = sayso.analyse(Article(text=text))
    assert Report.model_validate_json(report.model_dump_json()) == report


@pytest.mark.parametrize(
    ("published", "text"),
    [
        ("0001-01-01", "yesterday "),  # OverflowError: date value out of range (timex, 'yesterday')
        ("9999-12-31", "The mayor said tomorrow night that next year, a week later, things would change."),
    ],
)
def test_times_at_the_ends_of_the_calendar(published, text):
    report = sayso.analyse(Article(text=text, published=published))
    assert all(t.value is None or t.value[:1].isdigit() or t.value[:1] in "PX" for t in report.times)
