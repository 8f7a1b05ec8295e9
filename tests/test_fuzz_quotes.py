"""Property tests of :func:`sayso.quotes.find_quotes`: on any text it raises nothing, its quotations are in
order, do not overlap, lie within the text and start and end at quote marks."""

from __future__ import annotations

from fuzz_helpers import any_text, fuzz
from hypothesis import given

from sayso.quotes import DOUBLE_PAIRS, SINGLE_PAIRS, find_quotes

OPENING = set(DOUBLE_PAIRS) | set(SINGLE_PAIRS) | {"`"}
#: Closing marks; "``" reads as “, which closes a „low-high“ quotation, so a backtick may end one too.
CLOSING = {c for closers in (*DOUBLE_PAIRS.values(), *SINGLE_PAIRS.values()) for c in closers} | {"`"}


@fuzz(200)
@given(text=any_text(80))
def test_quotes_lie_at_their_marks(text):
    quotes = find_quotes(text)
    assert find_quotes(text) == quotes
    previous_end = 0
    for q in quotes:
        assert previous_end <= q.start < q.inner_start <= q.inner_end <= q.end <= len(text), (q, text)
        previous_end = q.end
        assert text[q.start] in OPENING, (q, text)
        if not q.open_ended:
            assert text[q.end - 1] in CLOSING, (q, text)
        else:
            assert "\n\n" not in text[q.start : q.end].replace(" ", "")
