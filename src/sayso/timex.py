"""Finding and normalising time expressions to TIMEX3 values, without spaCy.

:func:`scan` finds candidate expressions in a text with sayso's own patterns; :func:`resolve` turns one
candidate into a TIMEX3 ``type`` and ``value`` given a :class:`Context`: the publication date (DCT), the
narrative reference time, and the tense of the clause. :func:`normalise` does both for one expression.

Conventions (TIMEX3 / TempEval-3):

* DATE values: ``2024-03-22``, ``2024-03``, ``2024``, ``2024-W11`` (ISO week), ``2024-W11-WE``, ``2024-Q3``,
  ``2024-H1``, ``2023-SU`` (season by the year it starts in; winter starts in December), ``199`` (the 1990s),
  ``19`` (the 20th century), ``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``; ``XXXX-03-25`` when no DCT.
* TIME values: ``2024-03-22T10:00``, ``2024-03-22TMO`` (morning; TAF, TEV, TNI).
* DURATION values: ``P3D``, ``P2W``, ``P1M``, ``P5Y``, ``PT3H``, ``PXM`` (an unspecified number of months).
* SET values: ``P1W`` (every week), ``XXXX-WXX-1`` (every Monday).

Anchoring: deictic expressions ('yesterday', 'last week', 'Friday', 'two weeks ago', 'this year') are
resolved against the DCT; relational ones ('a month later', 'the next day', 'that year') against the
narrative reference time, the last dated expression before them (``anchor="ref"``).

>>> from datetime import date
>>> normalise("a month later", date(2024, 3, 22), ref=Point(date(2022, 9, 1), "month")).value
'2022-10'
>>> normalise("last summer", date(2024, 3, 22)).value
'2023-SU'
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .numbers import DIGITS_RE, NUMBER_WORDS_RE, parse_number

Tense = Literal["past", "present", "future"]

# --------------------------------------------------------------------------------------------------
# Points in time at a granularity

#: Granularities from finest to coarsest.
GRANULARITY = {
    "time": 0,
    "day": 1,
    "week": 2,
    "weekend": 2,
    "month": 3,
    "quarter": 4,
    "season": 4,
    "half": 5,
    "year": 6,
    "decade": 7,
    "century": 8,
}

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}


@dataclass(frozen=True)
class Point:
    """A point in time: the first day of a period and the period's granularity.

    ``day``: first day of the period; ``gran``: a key of :data:`GRANULARITY`; ``clock``: for ``gran="time"``,
    the part after 'T' in the value ('10:00', 'MO')."""

    day: date
    gran: str
    clock: str | None = None

    @property
    def value(self) -> str:
        """The TIMEX3 value of this point ('2024-03-22', '2024-W11', '2023-SU', ...)."""
        d, g = self.day, self.gran
        if g == "time":
            return f"{d.isoformat()}T{self.clock}"
        if g == "day":
            return d.isoformat()
        if g in ("week", "weekend"):
            iy, iw, _ = d.isocalendar()
            return f"{iy:04d}-W{iw:02d}" + ("-WE" if g == "weekend" else "")
        if g == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if g == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g == "half":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if g == "season":
            code = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}[d.month]
            return f"{d.year:04d}-{code}"
        if g == "year":
            return f"{d.year:04d}"
        if g == "decade":
            return f"{d.year:04d}"[:3]
        return f"{d.year:04d}"[:2]


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months (day clipped to the month's length)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def truncate(d: date, gran: str) -> date:
    """The first day of the period of granularity ``gran`` that contains ``d``."""
    if gran in ("week", "weekend"):
        return d - timedelta(days=d.weekday())
    if gran == "month":
        return d.replace(day=1)
    if gran == "quarter":
        return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    if gran == "half":
        return date(d.year, 1 if d.month <= 6 else 7, 1)
    if gran == "season":
        if d.month <= 2:
            return date(d.year - 1, 12, 1)
        return date(d.year, (d.month - 3) // 3 * 3 + 3, 1)
    if gran == "year":
        return date(d.year, 1, 1)
    if gran == "decade":
        return date(d.year // 10 * 10, 1, 1)
    if gran == "century":
        return date(d.year // 100 * 100, 1, 1)
    return d


def shift(p: Point, n: int, unit: str, keep: bool = False) -> Point:
    """``p`` moved by ``n`` units ('day', 'week', 'month', 'quarter', 'season', 'year', 'decade',
    'century'); the result has the coarser of ``unit`` and ``p``'s granularity, or ``p``'s own when
    ``keep`` ('a year earlier' after 'the third quarter' is that quarter a year before)."""
    d = p.day
    if unit == "day":
        d = d + timedelta(days=n)
    elif unit in ("week", "weekend"):
        d = d + timedelta(weeks=n)
    else:
        months = {
            "month": 1,
            "quarter": 3,
            "season": 3,
            "half": 6,
            "year": 12,
            "decade": 120,
            "century": 1200,
        }
        d = add_months(d, n * months[unit])
    gran = unit if GRANULARITY[unit] >= GRANULARITY[p.gran] and not keep else p.gran
    if gran == "time":
        gran = "day"
    return Point(truncate(d, gran), gran)


# --------------------------------------------------------------------------------------------------
# Context and results


@dataclass
class Context:
    """What a relative expression is resolved against.

    ``dct``: the publication date or None; ``ref``: the narrative reference time (last dated expression);
    ``tense``: tense of the clause holding the expression; ``recent_year``: a year written out in the
    last sentences (for 'March 25' after 'In 2022, ...'); ``day``: a day-granular date in the same
    sentence (for a clock time); ``quarter``: a fiscal quarter named in the last sentences (for 'a year ago'
    and 'the year-earlier quarter' in earnings reports); ``forward``: a word before the expression points
    ahead of the DCT ('as soon as Tuesday', 'until Friday'), so a bare weekday is the next one."""

    dct: date | None = None
    ref: Point | None = None
    tense: Tense | None = None
    recent_year: int | None = None
    day: Point | None = None
    quarter: Point | None = None
    forward: bool = False


@dataclass
class Resolved:
    """A normalised expression: TIMEX3 ``type`` and ``value`` (None when unknown), ``end_value`` for a
    range, ``anchor`` ('dct', 'ref' or None when absolute) and ``point`` (for dated expressions; becomes the
    next reference time)."""

    type: str
    value: str | None
    end_value: str | None = None
    anchor: Literal["dct", "ref"] | None = None
    point: Point | None = None
    explicit_year: bool = False


@dataclass
class Candidate:
    """A stretch of text one of the patterns matched: ``rule`` names the pattern, ``match`` its groups."""

    start: int
    end: int
    rule: str
    match: re.Match = field(repr=False)

    @property
    def text(self) -> str:
        return self.match.string[self.start : self.end]


# --------------------------------------------------------------------------------------------------
# Vocabulary

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "last": -1,
    "final": -1,
}
UNIT_WORDS = {
    "second": "S",
    "minute": "MIN",
    "hour": "H",
    "day": "D",
    "night": "D",
    "week": "W",
    "fortnight": "FN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
}
UNIT_GRAN = {"D": "day", "W": "week", "FN": "week", "M": "month", "Q": "quarter", "Y": "year", "DE": "decade"}
UNIT_GRAN["CE"] = "century"

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d%]|[,.]\d|\s*(?:%|percent|per\s+cent))"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|\s*(?:%|percent|a\.m|p\.m|am\b|pm\b))"
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur(?:y|ie))s?"
_NUM = rf"(?:{DIGITS_RE}|{NUMBER_WORDS_RE})"
_VAGUE = r"(?:several|a\s+few|few|many|a\s+couple\s+of|a\s+number\s+of|some)"
_APPROX = (
    r"(?:(?:about|around|roughly|nearly|almost|some|approximately|more\s+than|over|less\s+than|at\s+least"
    r"|barely|just)\s+)?"
)
_EDGE = r"(?:(?:early|late|mid-?|the\s+(?:end|beginning|start|middle)\s+of)\s*)?"
_CLOCK = (
    r"(?:(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)"
    r"|noon|midday|midnight|(?:[01]\d|2[0-3])[0-5]\d(?=\s*(?:GMT|UTC)\b))"
)
#: A time zone after a clock time ('5 p.m. EST', '16:00 UTC'); UTC and GMT give the value a 'Z'.
_TZ = (
    r"(?:\s*(?P<tzp>\()?(?P<tz>(?-i:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST))\b"
    r"(?P<tzoff>\s*[+-]\s*\d{1,2}(?::?\d\d)?)?(?(tzp)\)))?"
)
#: 'and a half' / '1/2' after a count ('two and a half years', '2 1/2 years').
_HALF = r"(?P<half>\s+and\s+a\s+half|-and-a-half|\s+1/2|\s*½)?"
#: Holidays with a fixed or computable date (US and Christian calendars, as in HeidelTime's resources).
_HOLIDAY = (
    r"(?:Christmas(?:\s+Day|\s+Eve)?|New\s+Year's(?:\s+Day|\s+Eve)|Thanksgiving(?:\s+Day)?|Independence\s+Day"
    r"|Fourth\s+of\s+July|July\s+Fourth|Labor\s+Day|Memorial\s+Day|Election\s+Day|Veterans\s+Day"
    r"|Easter(?:\s+Sunday)?|Good\s+Friday|Halloween|Valentine's\s+Day|Boxing\s+Day)\b"
)
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
#: A year in words as read out on air: 'nineteen ninety-six', 'nineteen oh five', 'two thousand (and) one'.
_SPELLED_YEAR = (
    rf"(?:(?:nineteen|eighteen)[\s-](?:hundred|(?:{_TEENS})|(?:{_TENS})(?:[\s-](?:{_ONES}))?|oh[\s-](?:{_ONES}))"
    rf"|two\s+thousand(?:\s+(?:and\s+)?(?:{_ONES}|{_TEENS}))?)"
)
_POD = r"(?:morning|afternoon|evening|night)"
#: Words that introduce a bare month name or year as a time ('in May', 'since 2014').
MONTH_PREPOSITIONS = frozenset(
    "in since by until till before after from of during through throughout to between and or early late "
    "mid last next this since around circa for".split()
)
_ORDINAL_WORD = "|".join(sorted(ORDINALS, key=len, reverse=True))

# --------------------------------------------------------------------------------------------------
# Patterns: (rule name, regex). Case-insensitive except where (?-i:...) keeps month and weekday names
# capitalised ('may', 'march' and 'sun' are common words).


def _cap(p: str) -> str:
    return f"(?-i:{p})"


PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::\d{2})?)?\b"),
    ("numeric", r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})\b"),
    (
        "md_range",
        rf"\b(?P<mon>{_cap(_MONTH)})\s+(?P<d1>{_DAY})\s*(?:-|–|—|to|through|until)\s*(?P<d2>{_DAY})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "dm_range",
        rf"\b(?P<d1>{_DAY})\s*(?:-|–|—|to)\s*(?P<d2>{_DAY})\s+(?P<mon>{_cap(_MONTH)})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "mdy",
        rf"(?:\b(?P<wd>{_cap(_WEEKDAY)}),?\s+)?\b(?P<mon>{_cap(_MONTH)})\s+(?P<d>{_DAY})\b"
        rf"(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "dmy",
        rf"(?:\b(?P<wd>{_cap(_WEEKDAY)}),?\s+)?\b(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_cap(_MONTH)})\b"
        rf"(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    ("my", rf"\b(?P<edge>{_EDGE})(?P<mon>{_cap(_MONTH_FULL)})\s+(?:of\s+)?(?P<y>{_YEAR})"),
    (
        "month_rel",
        rf"\b(?P<rel>last|next|this|early\s+last|late\s+last|earlier\s+this|later\s+this)\s+"
        rf"(?P<mon>{_cap(_MONTH_FULL)})\b",
    ),
    ("month", rf"\b(?P<edge>{_EDGE})(?P<mon>{_cap(_MONTH_FULL)})\b(?!\s+\d)"),
    ("year_range", rf"\b(?P<y1>{_YEAR})\s*(?:-|–|—)\s*(?P<y2>\d{{4}}|\d{{2}})\b(?![\d%])"),
    (
        "decade",
        r"\b(?P<the>the\s+)?(?P<edge>(?:early|late|mid-?)\s*)?(?:(?P<y>1[6-9]\d0|20\d0)|'(?P<yy>\d0))'?s\b",
    ),
    (
        "century",
        rf"\b(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_ORDINAL_WORD}))[\s-]+century\b",
    ),
    (
        "quarter",
        rf"\b(?:(?P<rel2>this|last|next)\s+year's\s+|(?:the\s+)?(?P<y0>{_YEAR})\s+|the\s+)?(?:fiscal\s+)?"
        r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+quarter\b"
        rf"(?:\s+of\s+(?:(?P<y>{_YEAR})|(?P<rel>this|last|next)\s+year|the\s+year))?",
    ),
    ("quarter_q", rf"\bQ(?P<q>[1-4])(?:\s+(?P<y>{_YEAR}))?\b"),
    (
        "half",
        rf"\b(?:the\s+)?(?P<h>first|second|1st|2nd|last|latter)\s+(?:half|two\s+quarters)\s+of\s+"
        rf"(?:(?P<y>{_YEAR})|(?P<rel>this|last|next)\s+year|the\s+year)\b",
    ),
    ("month_rel_year", rf"\b(?P<mon>{_cap(_MONTH_FULL)})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b"),
    (
        "holiday",
        rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<h>{_cap(_HOLIDAY)})(?P<wk>\s+week\b)?(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "week_of_month",
        rf"\b(?:the\s+)?(?P<n>first|second|third|fourth|last|final)\s+week\s+of\s+(?P<mon>{_cap(_MONTH_FULL)})\b"
        rf"(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "week_of",
        rf"\b(?:the\s+)?week\s+of\s+(?P<mon>{_cap(_MONTH)})\s+(?P<d>{_DAY})\b(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "season",
        rf"\b(?:(?P<rel>last|this|next|early|late|earlier\s+this|later\s+this)\s+|(?P<the>the\s+))?"
        r"(?P<s>spring|summer|autumn|fall|winter)\b"
        rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?",
    ),
    (
        "clock_weekday",
        rf"\b(?P<clock>{_CLOCK}){_TZ},?\s+(?:on\s+)?(?:(?:(?P<rel>last|next|this)\s+)?(?P<wd>{_cap(_WEEKDAY)})\b"
        rf"|(?P<mon>{_cap(_MONTH)})\s+(?P<d>{_DAY})\b(?:,?\s+(?P<y>{_YEAR}))?"
        r"|(?P<deic>today|tomorrow|yesterday)\b)",
    ),
    (
        "weekday_clock",
        rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<wd>{_cap(_WEEKDAY)})\s+(?:at\s+)?(?P<clock>{_CLOCK}){_TZ}",
    ),
    (
        "weekday",
        rf"\b(?:(?P<rel>last|next|this|past|coming|the\s+(?:previous|preceding|prior|following|next))\s+)?"
        rf"(?P<wd>{_cap(_WEEKDAY)})(?P<pl>s)?\b(?:\s+(?P<pod>{_POD})(?P<pl2>s)?\b)?",
    ),
    (
        "deictic",
        r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight"
        r"|last\s+night)\b(?:\s+(?P<pod>morning|afternoon|evening|night))?",
    ),
    ("this_pod", rf"\b(?P<rel>this|earlier\s+this|later\s+this)\s+(?P<pod>{_POD})\b"),
    (
        "pod",
        rf"\b(?:(?P<edge>early|mid-?|late)\s*(?P<pod>{_POD})|(?P<the>the)\s+(?P<pod2>morning|afternoon|evening))\b"
        r"(?:\s+(?P<deic>yesterday|today|tomorrow)\b)?",
    ),
    ("clock", rf"(?<![\d:.])\b(?P<clock>{_CLOCK}){_TZ}"),
    (
        "ref",
        r"\b(?P<w>now|currently|at\s+present|nowadays|recently|lately|in\s+the\s+past(?!\s+(?:\d|"
        + NUMBER_WORDS_RE
        + r"|few|several|week|month|year|day|decade))|in\s+the\s+(?:near\s+)?future|recent\s+years"
        r"|(?:in\s+|over\s+)?the\s+coming\s+(?:days|weeks|months|years)"
        r"|the\s+past(?!\s+(?:\d|few|several|week|month|year|day|decade|quarter|"
        + NUMBER_WORDS_RE
        + r"))|the\s+future)\b",
    ),
    ("recent", r"\brecent\s+(?P<u>days|weeks|months|decades)\b"),
    (
        "ago",
        rf"\b{_APPROX}(?P<n>{_NUM}|{_VAGUE})?\s*(?P<u>{_UNIT})(?:\s+or\s+so)?\s+ago\b",
    ),
    (
        "later",
        rf"\b{_APPROX}(?P<n>{_NUM}|{_VAGUE})\s+(?P<u>{_UNIT})\s+(?P<dir>later|earlier|after|before|afterwards|"
        r"afterward|prior|on)\b(?P<obj>\s+(?:the|a|an|his|her|its|their|this|that|[a-z]+ing|\w+))?",
    ),
    (
        "year_ago",
        r"\b(?:the\s+)?(?:(?:comparable|corresponding|same)\s+)?year[-\s](?:ago|earlier)(?![\w-])"
        r"(?:\s+(?:(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+)?(?P<u>quarter|period))?"
        rf"|\bthe\s+(?P<y>{_YEAR})\s+(?P<u2>quarter|period)\b",
    ),
    (
        "the_day",
        r"\b(?:(?:end|ends|ended|ending|finish|finished|finishing|close|closed|closing|start|started|starting|began"
        r"|begin|beginning)\s+(?P<td>the\s+day)|(?:later|earlier|late|early)\s+in\s+(?P<td2>the\s+day)"
        r"|for\s+(?P<td3>the\s+day)(?=\s*[,.;])|(?P<td4>the\s+(?:start|end|beginning|rest)\s+of\s+the\s+day))\b",
    ),
    (
        "same_ago",
        r"\bthe\s+same\s+(?P<u>period|month|quarter|week|day|season)\s+(?:of\s+)?"
        r"(?:a\s+year\s+(?:ago|earlier|before)|(?:the\s+)?(?:last|previous|prior)\s+year)\b",
    ),
    (
        "anaphor",
        r"\b(?P<rel>the\s+next|the\s+following|the\s+previous|the\s+preceding|the\s+same|that|the\s+prior)\s+"
        r"(?P<u>day|week|weekend|month|year|decade|morning|afternoon|evening|night)\b"
        r"|\b(?P<rel2>the)\s+(?P<u2>year|quarter)\b(?!'s|\s+(?:before|after|earlier|later|of|ago|in|when))",
    ),
    (
        "rel_unit",
        rf"\b(?P<rel>last|next|this|the\s+current|the\s+end\s+of\s+(?:the|this|last|next)|earlier\s+this|later\s+this"
        r"|early\s+this|late\s+this|early\s+next|late\s+last|early\s+last|late\s+next|the\s+latest|the\s+last"
        rf"|the\s+past)\s+(?P<u>week|weekend|month|quarter|year|decade|century)\b(?!\s+of\s+{_cap(_MONTH_FULL)})",
    ),
    (
        "the_weekend",
        r"\b(?P<rel>over\s+the|the|this\s+past|this|last|next|on\s+the)\s+weekend\b",
    ),
    (
        "duration",
        rf"\b(?:(?P<for>for)\s+)?(?:(?P<the>the)\s+)?(?:(?P<dir>past|last|next|coming|first|previous|following|"
        rf"final)\s+)?{_APPROX}(?:(?P<n>{_NUM}|{_VAGUE}){_HALF}(?P<sep>\s+|-))?(?P<u>{_UNIT})(?P<long>-long)?\b(?!-old)"
        r"(?P<half2>\s+and\s+a\s+half\b)?",
    ),
    (
        "set",
        rf"\b(?:(?:every|each)\s+(?P<other>other\s+)?(?:(?P<n>{_NUM})\s+)?(?P<u>{_UNIT}|(?P<wd>{_cap(_WEEKDAY)})|"
        rf"(?P<mon>{_cap(_MONTH_FULL)})|(?P<pod>{_POD}))"
        rf"|(?:once|twice|(?:{_NUM})\s+times)\s+(?:a|an|per|every|each)\s+(?P<u2>{_UNIT}))\b",
    ),
    ("set_adverb", r"\b(?P<w>daily|weekly|monthly|annually|yearly|hourly|quarterly)\b"),
    ("year", rf"\b(?P<edge>{_EDGE})(?<![$€£¥₽,.\d])(?P<y>{_YEAR})\b"),
    (
        "spelled_year",
        rf"\b(?:(?P<the>the\s+year)\s+|(?P<mon>{_cap(_MONTH_FULL)})\s+|(?:the\s+)?(?P<s>spring|summer|autumn|fall|winter)"
        rf"\s+of\s+)?(?P<w>{_SPELLED_YEAR})\b",
    ),
]

_COMPILED: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in PATTERNS]


#: Words after a duration that make it a signal of a relation to an event ('two days after the vote').
_SIGNAL_DIRS = frozenset({"after", "before", "prior", "on"})
_LEAD = re.compile(r"(?:in|over|for|on)\s+", re.IGNORECASE)


def scan(text: str) -> list[Candidate]:
    """All non-overlapping candidate time expressions in ``text``, in text order.

    Where patterns overlap the longest match wins (then the earliest, then the first pattern)."""
    found: list[tuple[int, int, int, Candidate]] = []
    for order, (name, rx) in enumerate(_COMPILED):
        for m in rx.finditer(text):
            s, e = m.span()
            # trailing whitespace or punctuation is never part of an expression
            while e > s and text[e - 1] in " \t\n,;":
                e -= 1
            if e > s:
                found.append((-(e - s), s, order, Candidate(s, e, name, m)))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    taken: list[Candidate] = []
    # what is taken, by start: taken expressions never overlap, so only the one before a candidate and those
    # starting inside it can overlap it
    starts: list[int] = []
    by_start: list[Candidate] = []

    def free(cand: Candidate) -> bool:
        k = bisect_left(starts, cand.start)
        if k and not (cand.end <= by_start[k - 1].start or cand.start >= by_start[k - 1].end):
            return False
        while k < len(by_start) and by_start[k].start < cand.end:
            t = by_start[k]
            if not (cand.end <= t.start or cand.start >= t.end):
                return False
            k += 1
        return True

    for *_, cand in found:
        if free(cand):
            m = cand.match
            if cand.rule == "later" and m["dir"].lower() in _SIGNAL_DIRS:
                # 'two days after the attack', 'a year before': the preposition is a signal, not part of it
                cand.end = m.end("u")
            elif cand.rule == "later" and m["obj"]:
                cand.end = m.start("obj")
            if cand.rule == "the_day":
                # 'ended the day', 'later in the day': the verb or preposition is no part of the timex
                g = next(g for g in ("td", "td2", "td3", "td4") if m[g])
                cand.start, cand.end = m.start(g), m.end(g)
            if cand.rule == "duration" and m["the"] and m["sep"] == "-" and not m["dir"]:
                # 'the 30-day deadline': TimeML tags the adjective '30-day' only
                cand.start = m.start("n")
            lead = _LEAD.match(text, cand.start, cand.end)
            if lead and lead.end() < cand.end:
                # 'in the coming weeks', 'for years': the preposition is a signal, not part of the timex
                cand.start = lead.end()
            taken.append(cand)
            k = bisect_right(starts, cand.start)
            starts.insert(k, cand.start)
            by_start.insert(k, cand)
    return sorted(taken, key=lambda c: c.start)


# --------------------------------------------------------------------------------------------------
# Resolution helpers


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _day(word: str) -> int:
    return int(re.match(r"\d+", word).group(0))


def _unit_code(word: str) -> str:
    w = word.lower().rstrip("s")
    if w == "centurie":
        w = "century"
    return UNIT_WORDS[w]


def _count(word: str | None) -> float | None:
    """A count from digits or words; None for a vague word ('several')."""
    if word is None:
        return 1.0
    w = " ".join(word.lower().split())
    if re.fullmatch(_VAGUE, w, re.IGNORECASE):
        return None
    return parse_number(w)


#: The next unit down and how many of it make one: for fractional durations.
_SUBUNIT = {"Y": ("M", 12), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration for ``n`` ``unit``s ('P3D', 'PT2H', 'P10Y'); ``n=None`` gives 'PXD', 'PXM', ..."""
    if unit == "DE":
        n, unit = (None if n is None else n * 10), "Y"
    elif unit == "CE":
        n, unit = (None if n is None else n * 100), "Y"
    elif unit == "FN":
        n, unit = (None if n is None else n * 2), "W"
    if n is not None and not float(n).is_integer() and unit in _SUBUNIT:
        # '2 1/2 years' -> P2Y6M, '5 1/2 hours' -> PT5H30M (TimeML writes fractions in the next unit down)
        sub, factor = _SUBUNIT[unit]
        rest = (n - int(n)) * factor
        if float(rest).is_integer():
            whole = duration_value(int(n), unit) if int(n) else ""
            part = duration_value(rest, sub)
            if not whole:
                return part
            if "T" in part:
                return whole + ("" if "T" in whole else "T") + part.split("T", 1)[1]
            return whole + part[1:]
    num = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    if unit in ("H", "MIN", "S"):
        return f"PT{num}{'M' if unit == 'MIN' else unit}"
    return f"P{num}{unit}"


def _nearest_year(month: int, day: int, dct: date) -> int:
    """The year that puts month/day nearest to the DCT."""
    best = None
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            cand = date(y, month, day)
        except ValueError:
            continue
        dist = abs((cand - dct).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else dct.year


def _year_for_month(month: int, ctx: Context) -> int | None:
    """The year of a bare month name: the recent written year, else by tense, else the nearest."""
    if ctx.recent_year is not None:
        return ctx.recent_year
    if ctx.dct is None:
        return None
    if ctx.tense == "past":
        return ctx.dct.year if month <= ctx.dct.month else ctx.dct.year - 1
    if ctx.tense == "future":
        return ctx.dct.year if month >= ctx.dct.month else ctx.dct.year + 1
    return _nearest_year(month, 15, ctx.dct)


#: How far after the DCT a month-day in a past-tense clause may lie and still be in the DCT's year.
PAST_GRACE_DAYS = 60


def _year_for_day(month: int, day: int, ctx: Context) -> int | None:
    """The year of a month-day without one: the recent written year, else by tense (on or before the DCT
    in a past-tense clause, or up to :data:`PAST_GRACE_DAYS` after; on or after it in a future one), else the
    nearest."""
    if ctx.recent_year is not None:
        return ctx.recent_year
    if ctx.dct is None:
        return None
    y = ctx.dct.year
    try:
        this = date(y, month, day)
    except ValueError:
        return _nearest_year(month, day, ctx.dct)
    if ctx.tense == "past":
        # a past clause may still set a near deadline ('set Nov. 10 as the deadline', 'payable Dec. 7')
        return y if this <= ctx.dct + timedelta(days=PAST_GRACE_DAYS) else y - 1
    if ctx.tense == "future":
        return y if this >= ctx.dct else y + 1
    return _nearest_year(month, day, ctx.dct)


def _weekday_date(wd: int, rel: str | None, ctx: Context) -> date | None:
    """The date of a weekday name: the most recent on/before the DCT unless the tense is future or
    ``ctx.forward`` ('as soon as Tuesday': the next on/after the DCT); 'last'/'next'/'this' as said."""
    dct = ctx.dct
    if dct is None:
        return None
    back = (dct.weekday() - wd) % 7
    fwd = (wd - dct.weekday()) % 7
    rel = (rel or "").lower()
    if rel in ("last", "past"):
        return dct - timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return dct + timedelta(days=fwd or 7)
    if rel == "this":
        return dct - timedelta(days=dct.weekday()) + timedelta(days=wd)
    if ctx.forward:
        return dct + timedelta(days=fwd)
    if ctx.tense == "future":
        return dct + timedelta(days=fwd or 7)
    return dct - timedelta(days=back)


def _clock(text: str) -> str | None:
    """'10 a.m.' -> '10:00', '7:15 p.m.' -> '19:15', 'noon' -> '12:00'."""
    t = text.lower().replace(" ", "")
    if t in ("noon", "midday"):
        return "12:00"
    if re.fullmatch(r"[012]\d[0-5]\d", t):
        return f"{t[:2]}:{t[2:]}"  # military time before a zone: '0800 UTC'

    if t == "midnight":
        return "24:00"
    m = re.match(r"(\d{1,2})(?::(\d{2}))?(a\.?m\.?|p\.?m\.?)?$", t)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    ampm = (m.group(3) or "").replace(".", "")
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


def _date_value(y: int | None, m: int, d: int | None = None) -> tuple[str, Point | None]:
    if y is None:
        return (f"XXXX-{m:02d}" + (f"-{d:02d}" if d else "")), None
    try:
        p = Point(date(y, m, d or 1), "day" if d else "month")
    except ValueError:
        return f"{y:04d}-{m:02d}", None
    return p.value, p


def _dct_point(ctx: Context, gran: str) -> Point | None:
    return Point(truncate(ctx.dct, gran), gran) if ctx.dct else None


def _rel_shift(rel: str) -> int | None:
    rel = " ".join(rel.lower().split())
    if rel.endswith("last") or rel in ("the previous", "the preceding", "the prior"):
        return -1
    if rel.endswith("next") or rel == "the following":
        return 1
    if rel.endswith("this") or rel.endswith("the current") or rel in ("the same", "that", "the latest"):
        return 0
    if rel.startswith("the end of"):
        return {"the": 0, "this": 0, "last": -1, "next": 1}[rel.split()[-1]]
    return None


# --------------------------------------------------------------------------------------------------
# Resolution, one function per rule


def _r_iso(m: re.Match, ctx: Context) -> Resolved | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["hh"]:
        p = Point(d, "time", f"{m['hh']}:{m['mm']}")
        return Resolved("TIME", p.value, point=p, explicit_year=True)
    p = Point(d, "day")
    return Resolved("DATE", p.value, point=p, explicit_year=True)


def _r_numeric(m: re.Match, ctx: Context) -> Resolved | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    mo, d = (a, b) if a <= 12 else (b, a)  # US month/day unless the first cannot be a month
    try:
        p = Point(date(y, mo, d), "day")
    except ValueError:
        return None
    return Resolved("DATE", p.value, point=p, explicit_year=True)


def _r_md(m: re.Match, ctx: Context) -> Resolved | None:
    mon, d = _month(m["mon"]), _day(m["d"])
    y = int(m["y"]) if m["y"] else _year_for_day(mon, d, ctx)
    value, p = _date_value(y, mon, d)
    anchor = None if m["y"] else ("ref" if ctx.recent_year is not None else "dct")
    return Resolved("DATE", value, anchor=anchor, point=p, explicit_year=bool(m["y"]))


def _r_range(m: re.Match, ctx: Context) -> Resolved | None:
    mon, d1, d2 = _month(m["mon"]), _day(m["d1"]), _day(m["d2"])
    if d2 <= d1:
        return None
    if m["y"]:
        y = int(m["y"])
    elif ctx.recent_year is not None:
        y = ctx.recent_year
    elif ctx.dct:
        y = _nearest_year(mon, d1, ctx.dct)
    else:
        y = None
    v1, p1 = _date_value(y, mon, d1)
    v2, _ = _date_value(y, mon, d2)
    anchor = None if m["y"] else ("ref" if ctx.recent_year is not None else "dct")
    return Resolved("DATE", v1, end_value=v2, anchor=anchor, point=p1)


def _r_my(m: re.Match, ctx: Context) -> Resolved | None:
    value, p = _date_value(int(m["y"]), _month(m["mon"]))
    return Resolved("DATE", value, point=p, explicit_year=True)


def _r_month(m: re.Match, ctx: Context) -> Resolved | None:
    word = m["mon"]
    before = m.string[max(0, m.start() - 12) : m.start()].lower().split()
    if word == "May" and not m["edge"] and (not before or before[-1] not in MONTH_PREPOSITIONS):
        return None  # 'May' alone is the modal verb unless a preposition introduces it
    mon = _month(word)
    y = _year_for_month(mon, ctx)
    value, p = _date_value(y, mon)
    return Resolved("DATE", value, anchor="dct", point=p)


def _r_month_rel(m: re.Match, ctx: Context) -> Resolved | None:
    mon = _month(m["mon"])
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{mon:02d}")
    rel = m["rel"].lower().split()[-1]
    y = ctx.dct.year
    if rel == "last":
        y = y if mon < ctx.dct.month else y - 1
    elif rel == "next":
        y = y if mon > ctx.dct.month else y + 1
    value, p = _date_value(y, mon)
    return Resolved("DATE", value, anchor="dct", point=p)


def _r_year_range(m: re.Match, ctx: Context) -> Resolved | None:
    y1 = int(m["y1"])
    y2s = m["y2"]
    y2 = int(y2s) if len(y2s) == 4 else y1 // 100 * 100 + int(y2s)
    if y2 <= y1 or y2 - y1 > 100:
        return None
    p = Point(date(y1, 1, 1), "year")
    return Resolved("DATE", f"{y1:04d}", end_value=f"{y2:04d}", point=p, explicit_year=True)


def _r_decade(m: re.Match, ctx: Context) -> Resolved | None:
    if m["y"]:
        y = int(m["y"])
    else:
        yy = int(m["yy"])
        y = (1900 if yy >= 30 else 2000) + yy
    p = Point(date(y, 1, 1), "decade")
    return Resolved("DATE", p.value, point=p)


def _r_century(m: re.Match, ctx: Context) -> Resolved | None:
    n = int(m["n"]) if m["n"] else ORDINALS.get(m["w"].lower())
    if not n or n < 1:
        return None
    return Resolved("DATE", f"{n - 1:02d}")


def _year_of(m: re.Match, ctx: Context, rel_group: str = "rel") -> tuple[int | None, bool]:
    """The year named in a match ('of 2023', 'of last year') or implied by the DCT; and whether explicit."""
    groups = m.groupdict()
    if groups.get("y"):
        return int(m["y"]), True
    if groups.get("y0"):
        return int(m["y0"]), True
    for g in (rel_group, "rel2"):
        rel = groups.get(g)
        if rel:
            if ctx.dct is None:
                return None, False
            return ctx.dct.year + {"this": 0, "last": -1, "next": 1}[rel.lower()], False
    if ctx.recent_year is not None:
        return ctx.recent_year, False
    return (ctx.dct.year if ctx.dct else None), False


_QUARTERS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}
_QUARTERS.update({"1": 1, "2": 2, "3": 3, "4": 4})


def _r_quarter(m: re.Match, ctx: Context) -> Resolved | None:
    q = _QUARTERS[m["q"].lower()]
    # a quarter without a year is the publication year's (earnings reports), whatever year was named before
    y, explicit = _year_of(m, Context(dct=ctx.dct))
    if y is None:
        return Resolved("DATE", f"XXXX-Q{q}")
    if not explicit and ctx.dct and not m.groupdict().get("rel") and not m.groupdict().get("rel2"):
        current = (ctx.dct.month - 1) // 3 + 1
        if ctx.tense == "past" and q > current:
            y -= 1
    p = Point(date(y, 3 * q - 2, 1), "quarter")
    return Resolved("DATE", p.value, anchor=None if explicit else "dct", point=p, explicit_year=explicit)


def _r_half(m: re.Match, ctx: Context) -> Resolved | None:
    h = 1 if m["h"].lower() in ("first", "1st") else 2  # 'second', 'last', 'latter' half (or two quarters)
    y, explicit = _year_of(m, ctx)
    if y is None:
        return Resolved("DATE", f"XXXX-H{h}")
    p = Point(date(y, 1 if h == 1 else 7, 1), "half")
    return Resolved("DATE", p.value, anchor=None if explicit else "dct", point=p, explicit_year=explicit)


def _r_season(m: re.Match, ctx: Context) -> Resolved | None:
    word = m["s"].lower()
    code = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}[word]
    rel = " ".join((m["rel"] or "").lower().split())
    if word == "fall" and not (m["y"] or rel or m["the"]):
        return None
    start = SEASON_START[code]
    if m["y"]:
        p = Point(date(int(m["y"]), start, 1), "season")
        return Resolved("DATE", p.value, point=p, explicit_year=True)
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{code}")
    current = truncate(ctx.dct, "season")
    this = date(current.year, start, 1)
    if start == 12 and ctx.dct.month <= 2:
        this = date(ctx.dct.year - 1, 12, 1)
    if rel.endswith("last"):
        day = this if this < current else date(this.year - 1, start, 1)
    elif rel == "next":
        day = this if this > current else date(this.year + 1, start, 1)
    elif rel.endswith("this") or rel in ("early", "late") or m["the"]:
        if rel in ("", "early", "late") and ctx.tense == "past" and this > current:
            day = date(this.year - 1, start, 1)
        else:
            day = this
    else:
        return None
    p = Point(day, "season")
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _r_weekday(m: re.Match, ctx: Context) -> Resolved | None:
    """A weekday name: 'Friday', 'last Tuesday', 'Sunday night', 'the previous Friday' (before the narrative's
    day), 'Mondays' and 'Tuesday nights' (a SET)."""
    wd = WEEKDAYS[m["wd"].lower()]
    pod = m["pod"]
    if m["pl"] or m["pl2"]:
        return Resolved("SET", f"XXXX-WXX-{wd + 1}" + (f"T{PART_OF_DAY[pod.lower()]}" if pod else ""))
    rel = " ".join((m["rel"] or "").lower().split())
    if rel.startswith("the "):
        return _anaphoric_weekday(wd, rel, pod, ctx)
    d = _weekday_date(wd, m["rel"], ctx)
    if d is None:
        return Resolved("TIME" if pod else "DATE", f"XXXX-WXX-{wd + 1}")
    if pod:
        p = Point(d, "time", PART_OF_DAY[pod.lower()])
        return Resolved("TIME", p.value, anchor="dct", point=p)
    p = Point(d, "day")
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _anaphoric_weekday(wd: int, rel: str, pod: str | None, ctx: Context) -> Resolved | None:
    """'the previous Friday', 'the following Monday': that weekday before or after the narrative's day (the
    reference time when it is a day, else the DCT)."""
    if ctx.ref is not None and ctx.ref.gran in ("day", "time"):
        base, anchor = ctx.ref.day, "ref"
    elif ctx.dct is not None:
        base, anchor = ctx.dct, "dct"
    else:
        return Resolved("TIME" if pod else "DATE", f"XXXX-WXX-{wd + 1}")
    if rel.endswith(("following", "next")):
        d = base + timedelta(days=(wd - base.weekday()) % 7 or 7)
    else:
        d = base - timedelta(days=(base.weekday() - wd) % 7 or 7)
    p = Point(d, "time", PART_OF_DAY[pod.lower()]) if pod else Point(d, "day")
    return Resolved("TIME" if pod else "DATE", p.value, anchor=anchor, point=p)


def _tz_clock(m: re.Match) -> str | None:
    """The clock part of a TIME value from a match's ``clock`` and optional ``tz`` groups ('16:00Z' for
    '16:00 UTC'; other zones are not converted)."""
    clock = _clock(m["clock"])
    if clock is not None and (m["tz"] or "").upper() in ("UTC", "GMT") and not m["tzoff"]:
        clock += "Z"
    return clock


def _r_clock_weekday(m: re.Match, ctx: Context) -> Resolved | None:
    """A clock time with its day: '9 a.m. Tuesday', 'Monday at 10 a.m.', '5 p.m. EST Nov. 9',
    '16:00 UTC today'."""
    clock = _tz_clock(m)
    if clock is None:
        return None
    groups = m.groupdict()
    if groups.get("deic"):
        if ctx.dct is None:
            return Resolved("TIME", None)
        d = ctx.dct + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[m["deic"].lower()])
    elif groups.get("mon"):
        mon, day = _month(m["mon"]), _day(m["d"])
        y = int(m["y"]) if m["y"] else _year_for_day(mon, day, ctx)
        try:
            d = date(y, mon, day) if y is not None else None
        except ValueError:
            return None
        if d is None:
            return Resolved("TIME", f"XXXX-{mon:02d}-{day:02d}T{clock}")
    else:
        wd = WEEKDAYS[m["wd"].lower()]
        d = _weekday_date(wd, m["rel"], ctx)
        if d is None:
            return Resolved("TIME", f"XXXX-WXX-{wd + 1}T{clock}")
    p = Point(d, "time", clock)
    return Resolved("TIME", p.value, anchor=None if groups.get("y") else "dct", point=p)


def _r_pod(m: re.Match, ctx: Context) -> Resolved | None:
    """A part of the day: 'mid-afternoon', 'early morning', 'the evening', 'late night yesterday'. Its
    day is the deictic word after it, else a date named in the same sentence, else (for 'the morning') the
    narrative's last day, else (without 'the') the DCT."""
    code = PART_OF_DAY[(m["pod"] or m["pod2"]).lower()]
    if m["deic"] and ctx.dct is not None:
        d = ctx.dct + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[m["deic"].lower()])
        anchor = "dct"
    elif ctx.day is not None:
        d, anchor = ctx.day.day, "ref"
    elif m["the"] and ctx.ref is not None and ctx.ref.gran in ("day", "time"):
        d, anchor = ctx.ref.day, "ref"  # 'the morning' after 'on Friday': that Friday's morning
    elif ctx.dct is not None and not m["the"]:
        d, anchor = ctx.dct, "dct"
    else:
        return Resolved("TIME", None)
    p = Point(d, "time", code)
    return Resolved("TIME", p.value, anchor=anchor, point=p)


def _r_month_rel_year(m: re.Match, ctx: Context) -> Resolved | None:
    """'January this year', 'June last year', 'October of next year'."""
    mon = _month(m["mon"])
    if ctx.dct is None:
        return Resolved("DATE", f"XXXX-{mon:02d}")
    y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    value, p = _date_value(y, mon)
    return Resolved("DATE", value, anchor="dct", point=p)


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    """The ``n``-th weekday ``wd`` (0 = Monday) of a month; ``n=-1`` for the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - wd) % 7)


def _easter(year: int) -> date:
    """Western Easter Sunday of ``year`` (the Meeus/Jones/Butcher Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lw) // 451
    n = h + lw - 7 * m + 114
    return date(year, n // 31, n % 31 + 1)


def holiday_date(name: str, year: int) -> date | None:
    """The date of holiday ``name`` (as :data:`_HOLIDAY` matches it) in ``year``, or None if unknown."""
    key = " ".join(name.lower().split())
    fixed = {
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "christmas eve": (12, 24),
        "new year's day": (1, 1),
        "new year's eve": (12, 31),
        "independence day": (7, 4),
        "fourth of july": (7, 4),
        "july fourth": (7, 4),
        "veterans day": (11, 11),
        "halloween": (10, 31),
        "valentine's day": (2, 14),
        "boxing day": (12, 26),
    }
    if key in fixed:
        return date(year, *fixed[key])
    if key.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if key == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    if key == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if key == "election day":
        return _nth_weekday(year, 11, 0, 1) + timedelta(days=1)
    if key.startswith("easter"):
        return _easter(year)
    if key == "good friday":
        return _easter(year) - timedelta(days=2)
    return None


def _r_holiday(m: re.Match, ctx: Context) -> Resolved | None:
    """'Thanksgiving Day', 'last Christmas', 'Easter 1998': the holiday's date in the year named, else in
    the year that 'last'/'next' or the clause's tense gives (as for a month-day); 'Easter week': its week."""
    name, rel = m["h"], (m["rel"] or "").lower()
    if m["y"]:
        d = holiday_date(name, int(m["y"]))
        p = (Point(truncate(d, "week"), "week") if m["wk"] else Point(d, "day")) if d else None
        return Resolved("DATE", p.value if p else None, point=p, explicit_year=True)
    if ctx.dct is None:
        return Resolved("DATE", None)
    this = holiday_date(name, ctx.dct.year)
    if this is None:
        return None
    if rel == "last":
        y = ctx.dct.year if this < ctx.dct else ctx.dct.year - 1
    elif rel == "next":
        y = ctx.dct.year if this > ctx.dct else ctx.dct.year + 1
    elif rel == "this":
        y = ctx.dct.year
    else:
        y = _year_for_day(this.month, this.day, ctx) or ctx.dct.year
    d = holiday_date(name, y)
    p = Point(truncate(d, "week"), "week") if m["wk"] else Point(d, "day")
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _r_week_of_month(m: re.Match, ctx: Context) -> Resolved | None:
    """'the last week of March', 'the first week of May 2009': the ISO week holding most of that week (the
    first holds the 4th of the month, the last the 4th day from the end)."""
    mon = _month(m["mon"])
    y = int(m["y"]) if m["y"] else _year_for_month(mon, ctx)
    if y is None:
        return Resolved("DATE", None)
    n = ORDINALS[m["n"].lower()]
    if n > 0:
        d = date(y, mon, 4) + timedelta(weeks=n - 1)
    else:
        d = date(y, mon, calendar.monthrange(y, mon)[1]) - timedelta(days=3)
    p = Point(truncate(d, "week"), "week")
    return Resolved("DATE", p.value, anchor=None if m["y"] else "dct", point=p, explicit_year=bool(m["y"]))


def _r_week_of(m: re.Match, ctx: Context) -> Resolved | None:
    """'the week of March 6': the ISO week holding that day."""
    mon, d = _month(m["mon"]), _day(m["d"])
    y = int(m["y"]) if m["y"] else _year_for_day(mon, d, ctx)
    if y is None:
        return Resolved("DATE", None)
    try:
        p = Point(date(y, mon, d), "week")
    except ValueError:
        return None
    return Resolved("DATE", p.value, anchor=None if m["y"] else "dct", point=p, explicit_year=bool(m["y"]))


def _r_deictic(m: re.Match, ctx: Context) -> Resolved | None:
    w = " ".join(m["w"].lower().split())
    offset = {
        "today": 0,
        "tonight": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "last night": -1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }[w]
    pod = m["pod"]
    pod_code = PART_OF_DAY[pod.lower()] if pod else ("NI" if w in ("tonight", "last night") else None)
    if ctx.dct is None:
        return Resolved("TIME" if pod_code else "DATE", None)
    d = ctx.dct + timedelta(days=offset)
    if pod_code:
        p = Point(d, "time", pod_code)
        return Resolved("TIME", p.value, anchor="dct", point=p)
    p = Point(d, "day")
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _r_this_pod(m: re.Match, ctx: Context) -> Resolved | None:
    code = PART_OF_DAY[m["pod"].lower()]
    if ctx.dct is None:
        return Resolved("TIME", None)
    p = Point(ctx.dct, "time", code)
    return Resolved("TIME", p.value, anchor="dct", point=p)


def _r_clock(m: re.Match, ctx: Context) -> Resolved | None:
    text = m["clock"]
    if re.fullmatch(r"\d{1,2}:?\d{2}", text.strip()) is None and not re.search(r"[ap]\.?m|noon|mid", text, re.I):
        return None
    clock = _tz_clock(m)
    if clock is None:
        return None
    base = ctx.day or (Point(ctx.dct, "day") if ctx.dct else None)
    if base is None:
        return Resolved("TIME", f"XXXX-XX-XXT{clock}")
    p = Point(base.day, "time", clock)
    return Resolved("TIME", p.value, anchor="ref" if ctx.day else "dct", point=p)


def _r_the_day(m: re.Match, ctx: Context) -> Resolved | None:
    """'the day' of a market or a narrative ('ended the day', 'later in the day', 'for the day'): the
    narrative's day (the reference time when it is a day), else the publication date."""
    if ctx.ref is not None and ctx.ref.gran in ("day", "time"):
        p = Point(ctx.ref.day, "day")
        return Resolved("DATE", p.value, anchor="ref")
    if ctx.dct is None:
        return Resolved("DATE", None)
    p = Point(ctx.dct, "day")
    return Resolved("DATE", p.value, anchor="dct")


def _r_ref(m: re.Match, ctx: Context) -> Resolved | None:
    w = " ".join(m["w"].lower().split())
    if w in ("now", "currently", "at present", "nowadays"):
        return Resolved("DATE", "PRESENT_REF", anchor="dct")
    if w in ("recently", "lately", "previously", "in the past", "the past", "recent years"):
        return Resolved("DATE", "PAST_REF", anchor="dct")
    return Resolved("DATE", "FUTURE_REF", anchor="dct")


def _r_recent(m: re.Match, ctx: Context) -> Resolved | None:
    return Resolved("DURATION", duration_value(None, _unit_code(m["u"])))


def _r_ago(m: re.Match, ctx: Context) -> Resolved | None:
    unit = _unit_code(m["u"])
    n = _count(m["n"]) if m["n"] else None
    if m["n"] is None and not m["u"].lower().endswith("s"):
        return None  # 'day ago' is not English
    if unit in ("H", "MIN", "S") or n is None or ctx.dct is None:
        if n is None:
            return Resolved("DATE", "PAST_REF", anchor="dct")
        return Resolved("DATE", None, anchor="dct")
    gran = UNIT_GRAN[unit]
    steps = int(n) if float(n).is_integer() else None
    if steps is None:
        return Resolved("DATE", None, anchor="dct")
    quarter = _last_quarter(ctx)
    if unit == "Y" and quarter is not None:
        # 'profit rose from $5 million a year ago' after 'third-quarter': the same quarter a year before
        return Resolved("DATE", shift(quarter, -steps, "year", keep=True).value, anchor="ref")
    mult = {"FN": 2, "Q": 1}.get(unit, 1)
    unit_name = "week" if unit == "FN" else gran
    if unit in ("W", "FN") and steps * mult <= 2:
        # 'a week ago', 'two weeks ago': the day that many weeks back (TimeBank, MEANTIME), not its week
        p = Point(ctx.dct - timedelta(weeks=steps * mult), "day")
        return Resolved("DATE", p.value, anchor="dct", point=p)
    p = shift(Point(ctx.dct, "day"), -steps * mult, unit_name)
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _r_later(m: re.Match, ctx: Context) -> Resolved | None:
    unit = _unit_code(m["u"])
    n = _count(m["n"])
    direction = m["dir"].lower()
    if direction in _SIGNAL_DIRS:
        # 'several months after ordering the invasion': a distance from an event, not from a time
        return Resolved("DURATION", duration_value(n, unit))
    sign = 1 if direction in ("later", "after", "afterwards", "afterward") else -1
    base = ctx.ref or (Point(ctx.dct, "day") if ctx.dct else None)
    if n is None or base is None or unit in ("H", "MIN", "S") or not float(n).is_integer():
        return Resolved("DURATION", duration_value(n, unit))
    gran = UNIT_GRAN[unit]
    mult = 2 if unit == "FN" else 1
    keep = unit == "Y" and ctx.ref is not None and GRANULARITY[ctx.ref.gran] < GRANULARITY["year"]
    p = shift(base, sign * int(n) * mult, gran, keep=keep)
    if keep and p.gran == "quarter":
        # 'a year earlier' in an earnings report compares, it does not move the narrative
        return Resolved("DATE", p.value, anchor="ref")
    return Resolved("DATE", p.value, anchor="ref" if ctx.ref else "dct", point=p)


def _last_quarter(ctx: Context) -> Point | None:
    """The quarter the narrative is about: the reference time or a recently named quarter, else None."""
    if ctx.ref is not None and ctx.ref.gran == "quarter":
        return ctx.ref
    return ctx.quarter


def _previous_quarter(ctx: Context) -> Point | None:
    """The last complete quarter before the publication date (what 'the latest quarter' reports on)."""
    if ctx.dct is None:
        return None
    return shift(Point(truncate(ctx.dct, "quarter"), "quarter"), -1, "quarter")


def _r_year_ago(m: re.Match, ctx: Context) -> Resolved | None:
    if m["y"]:
        # 'the 1988 quarter': the quarter under discussion, in 1988
        y = int(m["y"])
        q = _last_quarter(ctx) or _previous_quarter(ctx)
        if q is None or m["u2"].lower() == "period" and _last_quarter(ctx) is None:
            return Resolved("DATE", f"{y:04d}", explicit_year=True)
        p = Point(date(y, q.day.month, 1), "quarter")
        return Resolved("DATE", p.value, anchor="ref")
    if m["q"]:
        if ctx.dct is None:
            return Resolved("DATE", None)
        n = _QUARTERS[m["q"].lower()]
        p = Point(date(ctx.dct.year - 1, 3 * n - 2, 1), "quarter")
        return Resolved("DATE", p.value, anchor="dct")
    q = _last_quarter(ctx) or _previous_quarter(ctx)
    if q is not None:
        return Resolved("DATE", shift(q, -1, "year", keep=True).value, anchor="ref")
    return Resolved("DATE", None)


def _r_same_ago(m: re.Match, ctx: Context) -> Resolved | None:
    """'the same month a year ago', 'the same period last year': the narrative's period (its reference time
    at the unit named; for 'period', at the reference time's own granularity) a year before. A comparison:
    it does not move the narrative (no ``point``)."""
    u = m["u"].lower()
    base = ctx.ref
    if base is None or GRANULARITY[base.gran] >= GRANULARITY["year"]:
        base = _previous_quarter(ctx) if u in ("period", "quarter") else _dct_point(ctx, u)
        if base is None:
            return Resolved("DATE", None)
    elif u != "period" and GRANULARITY[base.gran] < GRANULARITY[u]:
        base = Point(truncate(base.day, u), u)
    if u == "period" and GRANULARITY[base.gran] < GRANULARITY["month"]:
        base = Point(truncate(base.day, "quarter"), "quarter")  # 'the same period' is no single day
    elif base.gran == "time":
        base = Point(base.day, "day")
    return Resolved("DATE", shift(base, -1, "year", keep=True).value, anchor="ref")


def _r_anaphor(m: re.Match, ctx: Context) -> Resolved | None:
    rel = " ".join((m["rel"] or "the same").lower().split())
    u = (m["u"] or m["u2"]).lower()
    step = _rel_shift(rel)
    base = ctx.ref or (Point(ctx.dct, "day") if ctx.dct else None)
    if base is None or step is None:
        return None
    if u == "quarter" and step == 0 and (ctx.ref is None or ctx.ref.gran != "quarter"):
        # 'the quarter' with no quarter named before: the last complete one (earnings reports)
        p = _previous_quarter(ctx)
        return Resolved("DATE", p.value if p else None, anchor="dct", point=p)
    if u in PART_OF_DAY:
        if GRANULARITY[base.gran] > GRANULARITY["day"]:
            return Resolved("TIME", None, anchor="ref")
        d = base.day + timedelta(days=step)
        p = Point(d, "time", PART_OF_DAY[u])
        return Resolved("TIME", p.value, anchor="ref" if ctx.ref else "dct", point=p)
    if GRANULARITY[base.gran] > GRANULARITY[u] and step == 0:
        return Resolved("DATE", base.value, anchor="ref" if ctx.ref else "dct", point=base)
    p = shift(Point(truncate(base.day, u), u), step, u)
    if GRANULARITY[base.gran] > GRANULARITY[u]:
        p = Point(truncate(p.day, base.gran), base.gran)
    return Resolved("DATE", p.value, anchor="ref" if ctx.ref else "dct", point=p)


def _r_rel_unit(m: re.Match, ctx: Context) -> Resolved | None:
    rel = " ".join(m["rel"].lower().split())
    u = m["u"].lower()
    if rel in ("the last", "the past"):
        if u == "weekend":
            return Resolved("DURATION", "P2D")
        if ctx.dct is None:
            return Resolved("DATE", None)
        # 'over the past year' (1997), 'in the last decade' (198): the unit before the DCT's, as TimeBank and
        # MEANTIME annotate it; 'for the last week' is the DCT's week
        base = Point(truncate(ctx.dct, u), u)
        p = base if u == "week" else shift(base, -1, u)
        return Resolved("DATE", p.value, anchor="dct", point=p)
    step = _rel_shift(rel)
    if step is None:
        return None
    if ctx.dct is None:
        return Resolved("DATE", None)
    if u == "quarter" and rel == "the latest":
        step = -1  # 'the latest quarter' is the last one reported, not the one under way
    base = Point(truncate(ctx.dct, u), u)
    p = shift(base, step, u) if step else base
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _r_the_weekend(m: re.Match, ctx: Context) -> Resolved | None:
    rel = " ".join(m["rel"].lower().split())
    if ctx.dct is None:
        return Resolved("DATE", None)
    step = {"last": -1, "next": 1, "this past": -1}.get(rel, 0)
    if rel in ("the", "over the", "on the", "this") and ctx.tense == "past" and ctx.dct.weekday() < 5:
        step = -1
    p = shift(Point(truncate(ctx.dct, "week"), "weekend"), step, "weekend")
    return Resolved("DATE", p.value, anchor="dct", point=p)


def _r_duration(m: re.Match, ctx: Context) -> Resolved | None:
    unit = _unit_code(m["u"])
    plural = m["u"].lower().endswith("s")
    if m["n"] is None:
        if m["dir"] and not plural:
            return None  # 'the past week' is handled as rel_unit; 'next day' as anaphor
        if not plural or not (m["for"] or m["dir"]):
            return None  # a bare 'day' or 'years' is not a time expression
        return Resolved("DURATION", duration_value(None, unit))
    n = _count(m["n"])
    if n is not None and (m["half"] or m["half2"]):
        n += 0.5  # 'two and a half years', '2 1/2 years', 'a minute and a half'
    if unit == "S" and not plural:
        return None  # 'a second mobilization', 'one second': ordinal or too vague
    if n is not None and n > 10000:
        return None
    return Resolved("DURATION", duration_value(n, unit))


def _r_set(m: re.Match, ctx: Context) -> Resolved | None:
    if m["wd"]:
        return Resolved("SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()] + 1}")
    if m["mon"]:
        return Resolved("SET", f"XXXX-{_month(m['mon']):02d}")
    if m["pod"]:
        return Resolved("SET", "P1D")
    unit = _unit_code(m["u"] or m["u2"])
    n = _count(m["n"]) if m["n"] else 1.0
    if m["other"]:
        n = 2.0
    return Resolved("SET", duration_value(n, unit))


def _r_set_adverb(m: re.Match, ctx: Context) -> Resolved | None:
    w = m["w"].lower()
    value = {
        "daily": "P1D",
        "weekly": "P1W",
        "monthly": "P1M",
        "annually": "P1Y",
        "yearly": "P1Y",
        "hourly": "PT1H",
        "quarterly": "P3M",
    }[w]
    return Resolved("SET", value)


def _r_year(m: re.Match, ctx: Context) -> Resolved | None:
    y = int(m["y"])
    p = Point(date(y, 1, 1), "year")
    return Resolved("DATE", p.value, point=p, explicit_year=True)


_WORD_VALUES = {w: i + 1 for i, w in enumerate(_ONES.split("|"))}
_WORD_VALUES |= {w: i + 10 for i, w in enumerate(_TEENS.split("|"))}
_WORD_VALUES |= {w: 10 * (i + 2) for i, w in enumerate(_TENS.split("|"))}
_WORD_VALUES |= {"oh": 0, "hundred": 0}


def spelled_year(text: str) -> int | None:
    """The year a spelled-out year names ('nineteen ninety-six' -> 1996, 'two thousand one' -> 2001)."""
    words = re.split(r"[\s-]+", text.lower().replace(" and ", " "))
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(_WORD_VALUES.get(w, 0) for w in words[2:])
    if words[0] not in ("nineteen", "eighteen"):
        return None
    return 100 * _WORD_VALUES[words[0]] + sum(_WORD_VALUES.get(w, 0) for w in words[1:])


def _r_spelled_year(m: re.Match, ctx: Context) -> Resolved | None:
    y = spelled_year(m["w"])
    if y is None:
        return None
    if m["w"].lower().startswith("two") and not (m["the"] or m["mon"] or m["s"]):
        return None  # 'two thousand' alone is a number
    if m["mon"]:
        value, p = _date_value(y, _month(m["mon"]))
        return Resolved("DATE", value, point=p, explicit_year=True)
    if m["s"]:
        code = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}[m["s"].lower()]
        p = Point(date(y, SEASON_START[code], 1), "season")
        return Resolved("DATE", p.value, point=p, explicit_year=True)
    p = Point(date(y, 1, 1), "year")
    return Resolved("DATE", p.value, point=p, explicit_year=True)


RESOLVERS: dict[str, Callable[[re.Match, Context], Resolved | None]] = {
    "iso": _r_iso,
    "numeric": _r_numeric,
    "md_range": _r_range,
    "dm_range": _r_range,
    "mdy": _r_md,
    "dmy": _r_md,
    "my": _r_my,
    "month": _r_month,
    "month_rel": _r_month_rel,
    "year_range": _r_year_range,
    "decade": _r_decade,
    "century": _r_century,
    "quarter": _r_quarter,
    "quarter_q": _r_quarter,
    "half": _r_half,
    "season": _r_season,
    "weekday": _r_weekday,
    "clock_weekday": _r_clock_weekday,
    "weekday_clock": _r_clock_weekday,
    "pod": _r_pod,
    "week_of_month": _r_week_of_month,
    "week_of": _r_week_of,
    "holiday": _r_holiday,
    "month_rel_year": _r_month_rel_year,
    "deictic": _r_deictic,
    "this_pod": _r_this_pod,
    "clock": _r_clock,
    "ref": _r_ref,
    "recent": _r_recent,
    "ago": _r_ago,
    "later": _r_later,
    "year_ago": _r_year_ago,
    "the_day": _r_the_day,
    "same_ago": _r_same_ago,
    "anaphor": _r_anaphor,
    "rel_unit": _r_rel_unit,
    "the_weekend": _r_the_weekend,
    "duration": _r_duration,
    "set": _r_set,
    "set_adverb": _r_set_adverb,
    "year": _r_year,
    "spelled_year": _r_spelled_year,
}


def resolve(cand: Candidate, ctx: Context) -> Resolved | None:
    """Normalise one candidate in ``ctx``; None when the match turns out not to be a time expression, or
    when its date falls outside the years 1 to 9999 (a publication date of 0001-01-01 and 'yesterday')."""
    try:
        return RESOLVERS[cand.rule](cand.match, ctx)
    except OverflowError:  # date + timedelta beyond the calendar
        return None
    except ValueError as err:  # date(10000, 1, 1), date(2023, 2, 30): no such day
        if "out of range" in str(err):
            return None
        raise


def normalise(
    text: str,
    dct: date | None,
    *,
    ref: Point | None = None,
    tense: Tense | None = None,
) -> Resolved | None:
    """Normalise one whole expression (e.g. a gold TIMEX3 span).

    ``text``: the expression; ``dct``: publication date; ``ref``: narrative reference time (defaults to
    none, so relational expressions fall back on the DCT); ``tense``: tense of its clause.
    Returns the longest candidate's resolution, or None when no pattern matches."""
    cands = scan(text)
    if not cands:
        return None
    best = max(cands, key=lambda c: c.end - c.start)
    return resolve(best, Context(dct=dct, ref=ref, tense=tense))
