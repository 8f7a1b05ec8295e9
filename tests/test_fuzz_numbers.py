"""Property tests of number reading (:mod:`sayso.numbers`, the quantity tagger's number values): on any
text they raise nothing and give None or a finite, non-negative value."""

from __future__ import annotations

import math

from fuzz_helpers import any_text, fuzz
from hypothesis import given
from hypothesis import strategies as st

from sayso.numbers import parse_digits, parse_number, parse_words
from sayso.quantities import _number_value

_NUMBER_WORDS = """a an and half dozen score one two three ten eleven twelve nineteen twenty thirty ninety hundred
thousand million billion trillion k m bn mn tn hundreds thousands millions tens of""".split()
number_texts = st.one_of(
    st.from_regex(r"\d{1,400}(?:[,.  ]\d{1,4}){0,4}(?: ?(?:k|m|bn|million|billion|trillion))?", fullmatch=True),
    st.lists(st.sampled_from(_NUMBER_WORDS), min_size=1, max_size=12).map(" ".join),
    st.lists(st.sampled_from(_NUMBER_WORDS), min_size=1, max_size=6).map("-".join),
    st.tuples(st.integers(1, 400), st.sampled_from(["9", "hundred ", "dozen ", "1,000"])).map(lambda t: t[1] * t[0]),
    st.tuples(st.integers(290, 320), st.sampled_from(["", "bn", " million", "k", " trillion"])).map(
        lambda t: "9" * t[0] + t[1]
    ),
    any_text(10),
)


def _ok(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and value >= 0)


@fuzz(300)
@given(text=number_texts)
def test_numbers_are_finite_or_none(text):
    for parse in (parse_digits, parse_words, parse_number):
        value = parse(text)
        assert _ok(value), (parse.__name__, text, value)
        assert parse(text) == value
    value, vague = _number_value(text)
    assert _ok(value) and isinstance(vague, bool), (text, value)
