"""Property tests of time normalisation (:mod:`sayso.timex`): on any text, publication date and narrative
context, scanning and resolving raise nothing, candidates lie within the text without overlapping, and
values are TIMEX3-shaped."""

from __future__ import annotations

import re
from datetime import date

from fuzz_helpers import any_text, fuzz
from hypothesis import example, given
from hypothesis import strategies as st

from sayso.timex import GRANULARITY, PART_OF_DAY, Context, Point, normalise, resolve, scan

TYPES = {"DATE", "TIME", "DURATION", "SET"}
#: Every shape a TIMEX3 value of sayso takes (see the module's docstring), loosely.
VALUE_RE = re.compile(r"^(?:PAST_REF|PRESENT_REF|FUTURE_REF|P[0-9.XT][0-9A-Z.]*|[0-9X]{1,4}[-0-9A-Z:TX]*)$")

dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
points = st.builds(
    Point,
    day=dates,
    gran=st.sampled_from(sorted(GRANULARITY)),
    clock=st.one_of(st.none(), st.sampled_from(["10:00", "23:59", *PART_OF_DAY.values()])),
)
contexts = st.builds(
    Context,
    dct=st.one_of(st.none(), dates),
    ref=st.one_of(st.none(), points),
    tense=st.sampled_from([None, "past", "present", "future"]),
    recent_year=st.one_of(st.none(), st.integers(1, 9999)),
    day=st.one_of(st.none(), points),
    quarter=st.one_of(st.none(), points),
    forward=st.booleans(),
)


@fuzz(150)
@given(text=any_text(40), ctx=contexts)
@example(text="yesterday", ctx=Context(dct=date(1, 1, 1)))  # OverflowError: date value out of range
@example(text="tomorrow night, next year", ctx=Context(dct=date(9999, 12, 31)))
def test_scan_and_resolve(text, ctx):
    cands = scan(text)
    previous_end = 0
    for cand in cands:
        assert previous_end <= cand.start < cand.end <= len(text), (cand, text)
        previous_end = cand.end
        assert cand.text == text[cand.start : cand.end]
        resolved = resolve(cand, ctx)
        if resolved is None:
            continue
        assert resolved.type in TYPES, resolved
        for value in (resolved.value, resolved.end_value):
            assert value is None or VALUE_RE.match(value), (cand.text, resolved)
        assert resolve(cand, ctx) == resolved


@fuzz(100)
@given(text=any_text(12), dct=st.one_of(st.none(), dates))
def test_normalise_one_expression(text, dct):
    resolved = normalise(text, dct)
    assert resolved is None or resolved.type in TYPES
