"""The ``sayso_quantities`` component: counts, percentages, money and measures.

A pattern over the text finds a number (digits, '300 000', number words, 'a dozen', '5 million', '5bn',
vague plurals such as 'thousands') with what stands around it: a qualifier before it ('over', 'about',
'up to'), a currency ('$', '€', 'rubles', 'USD'), a percent sign or word, a unit of measure, or a second
number making a range ('10-20', 'between 10 and 20'). The parse then supplies the counted object: the noun
the number modifies (``nummod``), with the compounds between them ('300,000 recruitment target' ->
'recruitment target'), or the object of 'of' ('thousands of Russians' -> 'Russians').

Choices:

* Vague plurals are lower bounds at their scale: 'thousands of Russians' -> value 1000,
  qualifier ``lower_bound``; 'hundreds of thousands' -> 100000 ``lower_bound``; 'dozens' -> 12.
* A bare 'one' (or 'a') is not a quantity ('one Kremlin source'); 'one million' is.
* Not quantities: anything inside a time expression (``doc._.sayso_times``) or a spaCy DATE/TIME entity
  holding a time word (spaCy also calls 'between 10 and 20' a DATE),
  bare years, ordinals ('3rd'), phone numbers, street numbers, URLs, numbers glued to letters ('F-16',
  'COVID-19') and labels that follow their noun ('mobilization 2.0', 'Article 5').
* ``text`` covers the qualifier, currency, number and unit symbol or word ('over 87%', '$5 million',
  '10 billion rubles', '50 km') but not the counted noun; ``unit`` holds it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .extensions import PARSE_REQUIRES, doc_text, plain_list, require_parse
from .intervals import Intervals
from .numbers import DIGITS_RE, SCALES, UNITS, VAGUE_PLURALS, finite, parse_number
from .schema import Quantity
from .times import TIME_WORD

QUALIFIERS: dict[str, str] = {
    **dict.fromkeys(
        "over|more than|at least|upwards of|in excess of|no fewer than|no less than|not less than|above|"
        "exceeding|greater than|a minimum of|north of|over and above|well over|just over|more then".split("|"),
        "lower_bound",
    ),
    **dict.fromkeys(
        "under|up to|less than|fewer than|at most|no more than|not more than|below|as many as|as much as|"
        "a maximum of|just under|barely|only".split("|"),
        "upper_bound",
    ),
    **dict.fromkeys(
        "about|around|nearly|almost|some|roughly|approximately|an estimated|estimated|close to|circa|approx.|"
        "more or less|an approximate|~|around about|just about|upward of".split("|"),
        "approximate",
    ),
}

#: Currency symbols and words -> ISO 4217 code.
CURRENCY_SYMBOLS = {
    "us$": "USD",
    "au$": "AUD",
    "a$": "AUD",
    "ca$": "CAD",
    "c$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₽": "RUB",
    "₴": "UAH",
    "₹": "INR",
}
CURRENCY_WORDS = {
    "dollar": "USD",
    "us dollar": "USD",
    "euro": "EUR",
    "ruble": "RUB",
    "rouble": "RUB",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "hryvnas": "UAH",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "rupee": "INR",
    "pound sterling": "GBP",
    "pounds sterling": "GBP",
    "swiss franc": "CHF",
    "lira": "TRY",
    "lire": "TRY",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "hong kong dollar": "HKD",
}
CURRENCY_CODES = ("USD", "EUR", "RUB", "GBP", "CNY", "JPY", "UAH", "INR", "CHF", "TRY", "CAD", "AUD", "HKD")

#: Units of measure -> the short name stored as ``unit``.
MEASURE_UNITS = {
    "km": "km",
    "kilometer": "km",
    "kilometre": "km",
    "square kilometer": "km2",
    "square kilometre": "km2",
    "sq km": "km2",
    "km2": "km2",
    "mile": "mi",
    "square mile": "mi2",
    "meter": "m",
    "metre": "m",
    "cubic meter": "m3",
    "cubic metre": "m3",
    "bcm": "bcm",
    "cm": "cm",
    "centimeter": "cm",
    "centimetre": "cm",
    "mm": "mm",
    "millimeter": "mm",
    "millimetre": "mm",
    "foot": "ft",
    "feet": "ft",
    "inch": "in",
    "inches": "in",
    "kg": "kg",
    "kilogram": "kg",
    "kilo": "kg",
    "gram": "g",
    "ton": "t",
    "tonne": "t",
    "metric ton": "t",
    "pound": "lb",
    "lb": "lb",
    "lbs": "lb",
    "liter": "l",
    "litre": "l",
    "gallon": "gal",
    "barrel": "barrel",
    "hectare": "ha",
    "acre": "acre",
    "degree": "degree",
    "degrees celsius": "°C",
    "degrees fahrenheit": "°F",
    "°c": "°C",
    "°f": "°F",
    "mph": "mph",
    "km/h": "km/h",
    "kph": "km/h",
    "mw": "MW",
    "megawatt": "MW",
    "gw": "GW",
    "gigawatt": "GW",
    "kwh": "kWh",
    "twh": "TWh",
    "kb": "KB",
    "mb": "MB",
    "gb": "GB",
    "tb": "TB",
    "mhz": "MHz",
    "ghz": "GHz",
    "point": "points",
}
#: Words for a hundredth of the currency: '26 cents' is 0.26 of the article's (last named) currency.
CENT_WORDS = ("cent", "cents")
PERCENT_WORDS = {"%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent"}
PERCENT_WORDS.update({"percentage point": "percentage points", "percentage points": "percentage points"})


def _alt(words) -> str:
    """Regex alternation of ``words`` (longest first), each allowing a plural 's'."""
    return "|".join(re.escape(w) + ("s?" if w[-1].isalpha() else "") for w in sorted(words, key=len, reverse=True))


_QUAL = rf"(?P<qual>(?:{'|'.join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))})\s+)"
_CUR_PRE = r"(?:(?:US|AU|A|CA|C|NZ|HK|S)?\$|€|£|¥|₽|₴|₹|(?-i:USD|EUR|RUB|GBP|CNY|JPY|UAH|INR|CHF))\s?"
_WORD_NUM = "|".join(
    sorted(list(UNITS) + ["hundred", "thousand", "million", "billion", "trillion"], key=len, reverse=True)
)
_WORDS = (
    # "and" only after hundred/thousand ("one hundred and twenty"), never between two numbers ("one and two")
    rf"(?:(?:{_WORD_NUM})(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)(?:{_WORD_NUM}))*"
    r"|a\s+dozen|a\s+score(?=\s+of\b)|half\s+a\s+(?:million|billion|dozen)|half\s+a(?=\s+per\s?cent)"
    r"|a\s+(?:hundred|thousand|million|billion|trillion)(?:\s+(?:million|billion))?)"
)
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:k|m|\s?(?:mn|mln|bn|bln|tn|trn)\b)\b)"
_VAGUE = r"(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds|thousands|millions|billions)"
_NUMX = rf"(?:{DIGITS_RE}{_SCALE}?|{_WORDS}|{_VAGUE})"
_UNIT = (
    rf"(?P<unit>\s*%|\s+(?:{_alt(PERCENT_WORDS)})\b|(?:\s*|-)(?:{_alt(MEASURE_UNITS)})\b(?!-)"
    rf"|\s+(?:{_alt(CURRENCY_WORDS)}|cents?)\b|\s*(?-i:{'|'.join(CURRENCY_CODES)})\b)"
)
_PATTERN = re.compile(
    rf"(?<![\w/.\-–$€£¥₽₴₹]){_QUAL}?(?P<between>between\s+|from\s+)?(?P<cur>{_CUR_PRE})?(?P<neg>-(?=\d))?(?P<num>{_NUMX})"
    rf"(?:(?P<sep>\s*[-–]\s*|\s+to\s+|\s+and\s+)(?P<cur2>{_CUR_PRE})?(?P<num2>{_NUMX}))?{_UNIT}?(?![\w]|/\d)",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{2,4}(?:[\s.-]\d{2})?")
#: A URL; a bare domain with a path only from the start of its run of non-spaces (where any such match
#: starts): trying every position of a long run again would be quadratic.
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)\S+\.(?:com|org|net|ru|uk)/\S*")
_ADDRESS = re.compile(
    r"\d+[A-Za-z]?\s+(?:[A-Z][\w'-]+\s+){1,3}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|Square|"
    r"Prospekt|Drive|Highway|Way|Place|Embankment|Ulitsa|Alley)\b"
)
#: Words after which a number is a rank or name ('No. 1', 'number 10', 'Flight 200').
_LABEL_WORDS = {"no.", "nos.", "number", "#", "flight", "model", "version", "route", "channel", "gate", "platform"}
#: Determiners that make a small number word refer back to known things ('the two companies').
_ANAPHORIC_DETS = {"the", "these", "those", "both"}
_COUNTED_DEPS = {"nummod", "compound", "quantmod", "amod", "nmod", "dep", "npadvmod"}


def _number_value(text: str) -> tuple[float | None, bool]:
    """The value of one number text and whether it is a vague plural ('thousands')."""
    t = " ".join(text.lower().split())
    if t in VAGUE_PLURALS:
        return VAGUE_PLURALS[t], True
    m = re.fullmatch(rf"({DIGITS_RE})\s*([a-z]+)", t)
    if m and m.group(2) in SCALES:
        base = parse_number(m.group(1))
        return (finite(base * SCALES[m.group(2)]) if base is not None else None), False
    return parse_number(t), False


def _currency(cur: str | None, unit_word: str | None, before: str) -> str | None:
    """ISO currency code from a prefix symbol/code, a currency word/code after the number, or None.

    ``before``: text just before the quantity (for 'Canadian dollars' split by the number, unused)."""
    if cur:
        c = cur.strip().lower()
        if c.upper() in CURRENCY_CODES:
            return c.upper()
        return CURRENCY_SYMBOLS.get(c)
    if unit_word:
        w = " ".join(unit_word.lower().split())
        if w.upper() in CURRENCY_CODES:
            return w.upper()
        for key in (w, w.rstrip("s")):
            if key in CURRENCY_WORDS:
                return CURRENCY_WORDS[key]
    return None


def _measure(unit_word: str) -> str | None:
    w = " ".join(unit_word.lower().split())
    for key in (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w):
        if key in MEASURE_UNITS:
            return MEASURE_UNITS[key]
    return None


def _noun_phrase(head: Token, after: int) -> str:
    """The counted noun ``head`` with its compound modifiers that stand after token index ``after``."""
    comps = [c for c in head.lefts if c.dep_ == "compound" and c.i > after]
    start = comps[0].i if comps else head.i
    return head.doc[start : head.i + 1].text


def counted_object(span: Span) -> str | None:
    """The noun a number span counts: its ``nummod`` head to the right ('300,000 soldiers'), or the object
    of 'of' ('thousands of Russians', '300,000 of the reservists'). ``span``: the number's tokens."""
    last = span[-1].i
    for tok in span:
        head = tok.head
        if head.i > last and head.pos_ in ("NOUN", "PROPN") and tok.dep_ in _COUNTED_DEPS:
            if head.ent_type_ in ("DATE", "TIME"):
                return None
            return _noun_phrase(head, last)
    doc = span.doc
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN"):
                return _noun_phrase(child, nxt.i)
    if nxt is not None and nxt.pos_ in ("NOUN",) and nxt.tag_ in ("NNS", "NN") and nxt.head.i >= nxt.i:
        return nxt.text
    return None


def _counts_next(span: Span) -> bool:
    """Whether the number ``span`` directly precedes a plural noun it counts ('40 states', '91 aircraft')."""
    doc = span.doc
    nxt = doc[span[-1].i + 1] if span[-1].i + 1 < len(doc) else None
    return nxt is not None and nxt.tag_ in ("NNS", "NNPS") and any(t.head.i >= nxt.i for t in span)


def _is_label(span: Span) -> bool:
    """A number naming something after its noun ('mobilization 2.0', 'Article 5', 'Windows 10', 'Boeing 737',
    'Boeing's 787', 'No. 1', 'the Big Three'), not counting what follows it ('told Reuters 40 people')."""
    first = span[0]
    if first.i == 0:
        return False
    doc = span.doc
    prev = doc[first.i - 1]
    if prev.lower_ in _LABEL_WORDS:
        return True
    if re.search(r"(?:\b(?:No|Nos|[Nn]umber)\.?|#)\s*$", doc_text(doc)[max(0, first.idx - 8) : first.idx]):
        return True  # 'No. 1', 'number 10'
    if prev.is_punct:
        return False
    integer = bool(re.fullmatch(r"\d+", span.text))
    name_before = prev.pos_ == "PROPN" and any(c.isupper() for c in prev.text)  # 'Boeing', 'iPhone'

    if prev.tag_ == "POS" and first.i >= 2:  # 'Boeing's 787', "Standard & Poor's 500"
        name_before = doc[first.i - 2].pos_ == "PROPN"
        if name_before and not _counts_next(span) and (integer or span.text[:1].isupper()):
            return True
    elif name_before and (integer or (span.text[:1].isupper() and not first.is_sent_start)):
        # 'Boeing 737', 'iPhone 4 owners', 'Trent 900 engines', 'the Big Three'; not 'told Reuters 40 people'
        if prev.head == first.head or prev.head in span or not _counts_next(span):
            return True
    last = span[-1]
    if (
        re.fullmatch(r"[1-9]\d{1,2}[1-9]", span.text)  # round numbers ('the 5000 mark') are amounts
        and last.dep_ == "nummod"
        and last.head.tag_ in ("NN", "NNP")
        and prev.pos_ not in ("VERB", "AUX", "ADP", "NUM")
    ):
        return True  # 'their 737 narrowbody airliner': a model number before a singular noun
    if prev.pos_ not in ("NOUN", "PROPN"):
        return False
    heads_left = all(t.head.i < first.i or t.head in span for t in span)
    return heads_left or bool(re.fullmatch(r"\d+\.\d+", span.text))


class QuantityTagger:
    """Finds quantities; writes ``doc._.sayso_quantities`` (their plain dicts)."""

    def __call__(self, doc: Doc) -> Doc:
        """Tag ``doc`` (parsed, ideally after ``sayso_times``) and return it."""
        doc._.sayso_quantities = plain_list(self.tag(doc))
        return doc

    def tag(self, doc: Doc) -> list[Quantity]:
        """The quantities of ``doc`` in text order, with ids 'q1', 'q2', ..."""
        text = doc_text(doc)
        spans: list[tuple[int, int]] = [(t["start"], t["end"]) for t in (doc._.sayso_times or ())]
        spans += [
            (e.start_char, e.end_char)
            for e in doc.ents
            if e.label_ == "ORDINAL" or (e.label_ in ("DATE", "TIME") and TIME_WORD.search(e.text))
        ]
        spans += [m.span() for rx in (_URL, _PHONE, _ADDRESS) for m in rx.finditer(text)]
        blocked = Intervals(spans)
        found: list[tuple[Quantity, bool]] = []
        labels: set[str] = set()
        currency = "USD"
        pos = 0
        while (m := _PATTERN.search(text, pos)) is not None:
            q = self._build(doc, m, blocked, currency, labels)
            if q is None:
                pos = m.end("num")
                continue
            pos = q.end  # a rejected range's second number is matched again on its own
            if q.kind == "money" and q.unit and q.unit.isupper():
                currency = q.unit
            bare = q.text == m["num"] and q.kind == "count" and q.upper is None
            found.append((q, bare))
        out: list[Quantity] = []
        for q, bare in found:
            # a number that names a product elsewhere ('Boeing 737') names it when bare ('the 737 jet')
            if bare and q.text in labels:
                span = doc.char_span(q.start, q.end, alignment_mode="expand")
                if span is not None and not _counts_next(span):
                    continue
            q.id = f"q{len(out) + 1}"
            out.append(q)
        return out

    def _build(self, doc: Doc, m: re.Match, blocked: Intervals, currency_now: str, labels: set[str]) -> Quantity | None:
        """The quantity of match ``m`` or None. ``blocked``: char spans that hold no quantity;
        ``currency_now``: the last currency named (for cents); ``labels``: gets numbers used as names."""
        text = doc_text(doc)
        num_s, num_e = m.span("num")
        end = m.end()
        upper = None
        sep = (m["sep"] or "").strip().lower()
        value, vague = _number_value(m["num"])
        if value is None:
            return None
        if m["num2"]:
            upper, vague2 = _number_value(m["num2"])
            valid = upper is not None and upper > value and not vague2
            if sep == "and" and not m["between"]:
                valid = False
            if not valid:
                # not a range: keep the first number alone (and its unit if it directly follows)
                end = num_e
                upper = None
        unit_word = m["unit"].strip().lstrip("-") if m["unit"] and end == m.end() else None
        # 'million' after a range's first number scales both ('5 to 10 million')
        if upper is not None and re.search(r"(?:million|billion|thousand|bn|m)$", m["num2"], re.I):
            if not re.search(r"(?:million|billion|thousand|bn|m)$", m["num"], re.I):
                base_text = re.sub(r"[\s-]*(?:million|billion|thousand|bn|m)$", "", m["num2"], flags=re.I)
                digits = re.match(DIGITS_RE, base_text)
                base = parse_number(digits.group(0)) if digits else _number_value(base_text)[0]
                if base:
                    value *= upper / base
        start = m.start()
        if blocked.overlaps(num_s, end):
            return None
        currency = _currency(m["cur"] or m["cur2"], unit_word, text[max(0, start - 20) : start])
        span = doc.char_span(num_s, (m.end("num2") if upper is not None else num_e), alignment_mode="expand")
        if span is None:
            return None
        plain = m["num"].strip().lower()
        if plain in ("one", "a", "an") and (unit_word or "").lower() in ("point", "points"):
            return None  # 'at one point'
        if upper is not None and unit_word is None and re.fullmatch(r"\d+-\d+", text[num_s : m.end("num2")]):
            first = doc.char_span(num_s, num_e, alignment_mode="expand")
            if m["num"] in labels or (first is not None and _is_label(first)):
                labels.add(m["num"])
                return None  # 'Boeing 737-800': a model and its variant
        if m["neg"]:  # '-36 points'
            value = -value
        if currency is None and unit_word is None and upper is None:
            if plain in ("one", "a", "an"):
                return None
            if re.fullmatch(r"1[6-9]\d\d|20\d\d", plain) and not m["qual"]:
                return None  # a year
            if _is_label(span):
                if re.fullmatch(r"\d+", plain):
                    labels.add(m["num"])
                return None
            if re.fullmatch(r"\d{1,3}", plain) and text[end : end + 1] in ("-",):
                return None
            if re.fullmatch(r"0\d+", plain):  # '0800 UTC', codes
                return None
            if re.fullmatch(r"\d\d", plain) and text[num_s - 1 : num_s] in ("'", "’"):  # "since '82"
                return None
            if (
                m["num"].isalpha()
                and (parse_number(plain) or 0) <= 12
                and span[0].i > 0
                and doc[span[0].i - 1].lower_ in _ANAPHORIC_DETS
            ):
                return None  # 'the two companies': a reference back, not a count
        qualifier = QUALIFIERS.get(" ".join(m["qual"].lower().split())) if m["qual"] else None
        if vague and qualifier is None:
            qualifier = "lower_bound"
        if currency:
            kind, unit = "money", currency
        elif unit_word and unit_word.lower() in CENT_WORDS:
            kind, unit, value = "money", currency_now, value / 100
        elif unit_word and unit_word.lower() in PERCENT_WORDS or (unit_word or "").lower().rstrip("s") in PERCENT_WORDS:
            kind, unit = "percent", PERCENT_WORDS.get(unit_word.lower(), "percent")
        elif unit_word and _measure(unit_word):
            kind, unit = "measure", _measure(unit_word)
        else:
            kind, unit = "count", counted_object(span)
            if unit is not None and unit.lower() in ("%", "percent"):
                kind, unit = "percent", "percent"
            elif unit is not None and _currency(None, unit, ""):  # 'billions of dollars'
                kind, unit = "money", _currency(None, unit, "")
        return Quantity(
            id="",
            start=start,
            end=end,
            text=text[start:end],
            value=value,
            unit=unit,
            qualifier=qualifier,
            upper=upper,
            kind=kind,
        )


@Language.factory(
    "sayso_quantities", assigns=["doc._.sayso_quantities"], requires=[*PARSE_REQUIRES, "doc._.sayso_times"]
)
def make_quantity_tagger(nlp: Language, name: str) -> QuantityTagger:
    """spaCy factory for :class:`QuantityTagger` (``nlp``, ``name``: given by spaCy); ``nlp`` must parse."""
    require_parse(nlp, name)
    return QuantityTagger()
