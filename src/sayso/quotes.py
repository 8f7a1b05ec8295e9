"""Finding quotations by their quote marks: the ``sayso_quotes`` component.

Real pages mix “curly”, "straight", «guillemets», „low-high“ and ‘single’ quotes, use apostrophes that look
like closing single quotes, continue a quotation over several paragraphs (no closing mark at the end of a
paragraph when the next one opens again) and contain stray unpaired marks. :func:`find_quotes` pairs marks
within each paragraph and never raises on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import doc_text, plain_list

#: opening mark -> closing marks accepted for it
DOUBLE_PAIRS: dict[str, str] = {
    "“": '”“"',  # some sites close with “ by mistake
    "„": '“”"',
    "«": "»",
    "»": "«",  # Danish/German style »...«
    '"': '"”',
    "”": "”",  # Swedish/Finnish style ”...”
}
SINGLE_PAIRS: dict[str, str] = {"‘": "’'", "'": "'’", "‹": "›"}
MAX_OPEN_ENDED = 1200
_PARA = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` include the marks, ``inner_start``/``inner_end`` exclude them.
    ``open_ended`` is True when the quotation runs to the end of its paragraph without a closing mark
    (the multi-paragraph convention)."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    open_ended: bool = False

    def words(self, text: str) -> int:
        return len(text[self.inner_start : self.inner_end].split())


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _is_opening(text: str, i: int) -> bool:
    """A mark opens when it follows start/space/opening punctuation and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


def _is_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not _WORD.match(after))


def _pair_marks(text: str, a: int, b: int, pairs: dict[str, str], strict_single: bool) -> list[Quote]:
    quotes: list[Quote] = []
    open_pos: int | None = None
    open_mark = ""
    for i in range(a, b):
        ch = text[i]
        if open_pos is None:
            if ch in pairs and _is_opening(text, i):
                open_pos, open_mark = i, ch
        elif ch in pairs[open_mark] and _is_closing(text, i):
            if strict_single and i > 0 and text[i - 1].isalpha() and i + 1 < b and text[i + 1].isalpha():
                continue  # apostrophe inside a word (We’re)
            quotes.append(Quote(open_pos, i + 1, open_pos + 1, i))
            open_pos = None
        elif ch in pairs and _is_opening(text, i) and ch == open_mark and ch not in pairs[open_mark]:
            open_pos = i  # a second opener: the first was stray
    if open_pos is not None:
        end = b
        while end > open_pos + 1 and text[end - 1].isspace():
            end -= 1
        if end - open_pos > 1:
            quotes.append(Quote(open_pos, end, open_pos + 1, end, open_ended=True))
    return quotes


_PAD = "\u2063"  # stands in for the second character of a two-character mark


def _fold_double_apostrophes(text: str) -> str:
    """Typewriter-style ``''quotes''`` and ````quotes''``: fold each two-character mark into a one-character
    mark plus a placeholder, keeping every offset."""
    if "''" not in text and "``" not in text:
        return text
    return text.replace("``", "“" + _PAD).replace("''", '"' + _PAD)


def _unpad(text: str, q: Quote) -> Quote:
    inner_start, end, inner_end = q.inner_start, q.end, q.inner_end
    if inner_start < len(text) and text[inner_start] == _PAD:
        inner_start += 1
    if end < len(text) and text[end] == _PAD and not q.open_ended:
        end += 1
    while inner_end > inner_start and text[inner_end - 1] == _PAD:
        inner_end -= 1
    return Quote(q.start, end, inner_start, inner_end, q.open_ended)


def find_quotes(text: str) -> list[Quote]:
    """All top-level quotations in ``text``, in order; double marks first, single marks where a paragraph
    has no double-quoted text (some outlets quote with single marks). Never raises."""
    folded = _fold_double_apostrophes(text)
    out: list[Quote] = []
    for a, b in _paragraphs(folded):
        qs = _pair_marks(folded, a, b, DOUBLE_PAIRS, strict_single=False)
        # an open-ended quote is only trusted when it is long (a quotation continued in the next paragraph)
        # (and at most MAX_OPEN_ENDED characters long: an unpaired mark in a long paragraph is a stray one)
        qs = [q for q in qs if not q.open_ended or 6 <= q.words(folded) and q.end - q.start <= MAX_OPEN_ENDED]
        if not qs:
            qs = [q for q in _pair_marks(folded, a, b, SINGLE_PAIRS, strict_single=True) if not q.open_ended]
            # single-quoted scare quotes are common: keep only sentence-like single quotes
            qs = [q for q in qs if q.words(folded) >= 4]
        out.extend(_unpad(folded, q) for q in qs)
    return out


class QuoteFinder:
    """spaCy component: writes the quotations of ``doc.text`` to ``doc._.sayso_quotes``
    (a list of :class:`Quote` as plain dicts; :func:`doc_quotes` gives them back as Quotes)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sayso_quotes = plain_list(find_quotes(doc_text(doc)))
        return doc


def doc_quotes(doc: Doc) -> list[Quote]:
    """The quotations of ``doc`` as :class:`Quote` objects: those ``sayso_quotes`` wrote to
    ``doc._.sayso_quotes``, or found afresh when it did not run."""
    stored = doc._.sayso_quotes
    if stored is None:
        return find_quotes(doc_text(doc))
    return [Quote(**q) for q in stored]


@Language.factory("sayso_quotes", assigns=["doc._.sayso_quotes"])
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    """Factory for :class:`QuoteFinder` (``nlp.add_pipe("sayso_quotes")``)."""
    return QuoteFinder()
