"""Shared settings and strategies for the property tests (``tests/test_fuzz_*.py``).

In a normal test run each property tries a few examples, the same ones every run (derandomised), so
``make test`` stays fast and repeatable. ``make fuzz`` (``scripts/fuzz.py``) sets ``SAYSO_FUZZ_EXAMPLES``:
then every property tries that many random examples (the slow ones a tenth as many), and failing examples
are kept in ``.hypothesis/`` and tried first next time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per property under ``make fuzz`` (0: a normal test run).
FUZZ_EXAMPLES = int(os.environ.get("SAYSO_FUZZ_EXAMPLES") or 0)

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def fuzz(examples: int, *, slow: bool = False) -> settings:
    """Hypothesis settings for a property: ``examples`` in a normal run; ``SAYSO_FUZZ_EXAMPLES`` random ones
    (a tenth for a ``slow`` property) under ``make fuzz``. No deadline: the machine may be busy."""
    if FUZZ_EXAMPLES:
        n = max(examples, FUZZ_EXAMPLES // 10 if slow else FUZZ_EXAMPLES)
        return settings(max_examples=n, deadline=None, suppress_health_check=_QUIET, print_blob=True)
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, suppress_health_check=_QUIET)


#: Pieces of news text: names, reporting verbs, quote marks, dates, times, numbers, units, Markdown.
NEWS_TOKENS = """
said says told according to the a an of in on at by for with that who was is will would had has not
President Anna Kowalski Reuters officials two three sources familiar matter spokesperson ministry police
Kyiv Moscow Paris London Ukraine Russia France Washington Texas Kharkiv Donetsk Berlin China
Monday Tuesday Friday Sunday weekend last next this that week month year day days weeks months years ago later
earlier previous following same coming past recent early mid late since until before after during between
January March May June September December Jan. Sept. 5 22 31 1st 3rd 15th 2024 2023 1999 2000 1990s '90s 90s
Q1 Q3 H2 fiscal quarter half spring summer autumn winter Easter Christmas decade century
yesterday today tomorrow tonight morning afternoon evening night noon midnight 10:30 9 a.m. p.m. BST GMT ET
every daily weekly annually hour hours minutes seconds
$ € £ ¥ ₽ US$ USD EUR 3.5 300,000 1,200,000 12 100 0.5 -4 7 million billion bn m k mn tn thousand hundred dozen
twenty-five one two ten eleven hundreds thousands tens percent per cent % pct percentage point points
km miles kg tonnes metres barrels troops people soldiers residents cents No. Flight 737 Boeing
" “ ” ‘ ’ ' « » „ `` '' ( ) [ ] — – - , . ; : ! ? / … \n \n\n
# ## ** * > --- By Photo: Updated: Correction: Related: https://example.com/news/a?utm_source=x www.x.org
""".split()
NEWS_TOKENS += ["\n", "\n\n", "  ", "\t", "\u00a0", "\u202f", "\r\n", "9" * 310, "1" + "0" * 300]


def news_text(max_tokens: int = 40) -> st.SearchStrategy[str]:
    """Text mixing news words, marks, numbers and dates with short random strings, joined by spaces,
    nothing, or line breaks."""
    token = st.one_of(st.sampled_from(NEWS_TOKENS), st.sampled_from(NEWS_TOKENS), st.text(max_size=4))
    sep = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", ", "])
    return st.lists(st.tuples(token, sep), max_size=max_tokens).map(lambda xs: "".join(t + s for t, s in xs))


def any_text(max_tokens: int = 40) -> st.SearchStrategy[str]:
    """News-like text or arbitrary Unicode."""
    return st.one_of(news_text(max_tokens), st.text(max_size=max_tokens * 3))
