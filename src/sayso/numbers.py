"""Reading numbers written in digits or in words: '300,000', '300 000', '2.5', 'two million',
'three hundred thousand', 'a dozen', 'thousands'.

Shared by the time tagger ('three days', 'a month later') and the quantity tagger.

>>> parse_number("three hundred thousand")
300000.0
>>> parse_number("300 000")
300000.0
>>> parse_number("2.5 million")
2500000.0
"""

from __future__ import annotations

import math
import re

#: Number words below a hundred.
UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

#: Multipliers, with the short forms news copy uses ('5bn', '$3m').
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "mln": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "b": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
}

#: Words naming a fixed number ('a dozen', 'a score of', 'half a million').
SPECIAL: dict[str, float] = {"dozen": 12, "score": 20, "half": 0.5, "couple": 2, "pair": 2}

#: Plural scale nouns that mean "at least this many" ('thousands of Russians' -> >= 1000).
VAGUE_PLURALS: dict[str, float] = {
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "tens of thousands": 10_000,
    "hundreds of thousands": 100_000,
    "millions": 1_000_000,
    "tens of millions": 10_000_000,
    "hundreds of millions": 100_000_000,
    "billions": 1_000_000_000,
}

#: Vague quantity words used by durations ('several months', 'a few days').
VAGUE_WORDS = ("several", "a few", "few", "many", "some", "a couple of", "a number of")

_NUM_WORD_ALT = "|".join(sorted(list(UNITS) + ["hundred", "thousand", "million", "billion"], key=len, reverse=True))

#: Regex fragment for a number in words ('twenty-five', 'three hundred thousand', 'a dozen', 'a').
NUMBER_WORDS_RE = (
    rf"(?:(?:{_NUM_WORD_ALT})(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)(?:{_NUM_WORD_ALT})){{0,9}}"
    r"|a\s+dozen|an?|half\s+an?)"
)  # "and" only after hundred/thousand ("one hundred and twenty"), not between numbers ("one and two thousand");
# at most ten words ("one hundred and twenty-three thousand four hundred and fifty-six" has nine): a run of number
# words with no end ("one two three ...") would otherwise be matched again from each of its words

#: Regex fragment for a number in digits: '300,000', '300 000', '2.5', '12'.
DIGITS_RE = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]\d)|\d+(?:\.\d+)?)"

_DIGITS_FULL = re.compile(rf"^{DIGITS_RE}$")


def parse_digits(text: str) -> float | None:
    """Read a number written in digits, with ',' or a (narrow) space as thousands separator.

    ``text``: e.g. '300,000', '300 000', '2.5'. Returns the value, or None when ``text`` is not one number
    (or one too large for a float: 309 digits and more)."""
    text = text.strip()
    if not _DIGITS_FULL.match(text):
        return None
    try:
        return finite(float(re.sub(r"[,\s\u00a0\u202f]", "", text)))
    except ValueError:
        return None


def finite(value: float | None) -> float | None:
    """``value``, or None when it is infinite or NaN (a number too large for a float has no value to report)."""
    return value if value is None or math.isfinite(value) else None


def parse_words(text: str) -> float | None:
    """Read a number written in words ('three hundred thousand', 'twenty-five', 'a dozen', 'half a million').

    ``text``: the words. Returns the value, or None when a word is not a number word (or the value is too
    large for a float: 'hundred hundred ...')."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1:
        words = words[1:]
    elif words == ["a"] or words == ["an"]:
        return 1.0
    total = 0.0
    current = 0.0
    seen = False
    for i, w in enumerate(words):
        if w in UNITS:
            current += UNITS[w]
        elif w == "hundred":
            current = (current or 1.0) * 100  # floats: "hundred hundred ..." ends in inf, not a huge int
        elif w in ("thousand", "million", "billion", "trillion"):
            total += (current or 1.0) * SCALES[w]
            current = 0.0
        elif w in SPECIAL:
            if w == "half":
                # 'half a million', 'half an hour'
                rest = parse_words(" ".join(words[i + 1 :])) if i + 1 < len(words) else None
                return finite(0.5 * (rest if rest is not None else 1.0))
            current = (current or 1.0) * SPECIAL[w]
        else:
            return None
        seen = True
    return finite(total + current) if seen else None


def parse_number(text: str) -> float | None:
    """Read a number in digits, words, or digits with a scale word ('2.5 million', '5bn', '$3m' without '$').

    ``text``: the number text. Returns the value, or None when ``text`` is not a number."""
    text = text.strip()
    value = parse_digits(text)
    if value is not None:
        return value
    m = re.match(rf"^({DIGITS_RE})\s*([a-zA-Z]+)$", text)
    if m and m.group(2).lower() in SCALES:
        base = parse_digits(m.group(1))
        if base is not None:
            return finite(base * SCALES[m.group(2).lower()])
    return parse_words(text)
