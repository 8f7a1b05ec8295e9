"""Finding attributions: who (source) says (cue) what (content), with rules over spaCy's parse.

The ``sayso_attribution`` component reads the parse and the quotations found by ``sayso_quotes`` and writes
``doc._.sayso_sources`` and ``doc._.sayso_attributions``. It works in three steps:

1. :func:`find_raw_attributions` finds cues (reporting verbs, "according to", hedges such as "reportedly"
   and "is said to") and, for each, the token spans of its source and content, its recipient ("told X"),
   its relay ("was quoted as saying by X") and attributions nested in it ("..., citing sources in X");
   quotations without a cue in their sentence get their speaker from a colon lead-in ("X said:") or from the
   speaker of the quotation just before (a quote paragraph continuing).
2. :mod:`sayso.sources` turns source mentions into merged source entities (names, roles, anonymous sources
   with descriptor, affiliation, closeness, number and reason; pronouns and "the source" resolved).
3. :mod:`sayso.chains` computes each attribution's reporting chain from the article's outlet.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc, Token

from .cues import (
    ANONYMOUS_HEADS,
    CLAUSE_VERBS,
    CUE_VERBS,
    HEDGE_ADVERBS,
    HEDGE_PASSIVES,
    INFINITIVE_VERBS,
    MODALITY_WORDS,
    OBJECT_VERBS,
)
from .extensions import PARSE_REQUIRES, doc_cache, doc_text, plain_list, require_parse
from .intervals import Intervals
from .quotes import Quote, doc_quotes, find_quotes
from .reader.raw import RawAttribution
from .sources import drop_lookup_tables

PUNCT_EDGE = set(",.;:!?—–-()[]{}\"'“”‘’«»„ \n\t")
QUOTE_CHARS = set("\"'“”‘’«»„‹›")


# RawAttribution lives in its own module so that chains.py can use it without importing this one.
__all__ = ["AttributionFinder", "RawAttribution", "find_raw_attributions", "make_attribution_finder"]


# --------------------------------------------------------------------------------------------- helpers


_CLOSERS = {")": "(", "]": "[", "”": "“", "’": "‘", "»": "«", '"': '"'}


def _trim_chars(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and edge punctuation, but keep a closing bracket or quote mark whose opener is
    inside the span ("ready for ‘mobilization 2.0’", "it [a second mobilization]")."""
    while start < end and text[start] in PUNCT_EDGE and text[start] not in "[(":
        start += 1
    while end > start and text[end - 1] in PUNCT_EDGE:
        ch = text[end - 1]
        if ch in "?!":
            break  # a question or exclamation keeps its mark
        opener = _CLOSERS.get(ch)
        if opener is not None:
            inner = text[start : end - 1]
            closers = sum(
                1
                for k, c in enumerate(inner)
                if c == ch and not (0 < k < len(inner) - 1 and inner[k - 1].isalpha() and inner[k + 1].isalpha())
            )
            if (opener == ch and closers % 2 == 1) or (opener != ch and inner.count(opener) > closers):
                break
        end -= 1
    return start, end


def _tok_chars(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Character span of tokens ``i .. j-1``."""
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


class QuoteList(list):
    """Quotations with their offsets kept for binary search. :func:`~sayso.quotes.find_quotes` gives them in
    text order, never overlapping; then each look-up by position (:func:`_quote_at`, :func:`_kind`, ...) is
    a binary search instead of a pass over all the article's quotations. A list not in that order is still
    read, by scanning (``ordered`` is False)."""

    def __init__(self, quotes: Iterable[Quote] = ()) -> None:
        super().__init__(quotes)
        self.starts = [q.start for q in self]
        self.ends = [q.end for q in self]
        self.inner_starts = [q.inner_start for q in self]
        self.inner_ends = [q.inner_end for q in self]
        self.ordered = all(q.start <= q.inner_start <= q.inner_end <= q.end for q in self) and all(
            a.end <= b.start for a, b in zip(self, self[1:], strict=False)
        )


def _indexed(quotes: list[Quote]) -> bool:
    """Whether ``quotes`` can be searched by offset (a :class:`QuoteList` in order and not changed since)."""
    return isinstance(quotes, QuoteList) and quotes.ordered and len(quotes.starts) == len(quotes)


def _quote_at(quotes: list[Quote], pos: int) -> Quote | None:
    if _indexed(quotes):
        k = bisect_right(quotes.starts, pos) - 1  # type: ignore[attr-defined]
        return quotes[k] if k >= 0 and pos < quotes[k].end else None
    for q in quotes:
        if q.start <= pos < q.end:
            return q
    return None


def _inner_overlapping(quotes: list[Quote], a: int, b: int) -> list[Quote]:
    """The quotations whose inner text overlaps ``a``..``b``, in order."""
    if _indexed(quotes):
        lo = bisect_right(quotes.inner_ends, a)  # type: ignore[attr-defined]
        hi = bisect_left(quotes.inner_starts, b)  # type: ignore[attr-defined]
        return quotes[lo:hi] if lo < hi else []
    return [q for q in quotes if q.inner_start < b and q.inner_end > a]


def _in_quote(quotes: list[Quote], tok: Token) -> bool:
    q = _quote_at(quotes, tok.idx)
    return q is not None and q.inner_start <= tok.idx < q.inner_end


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n\n", 0, pos)
    b = text.find("\n\n", pos)
    return (0 if a < 0 else a + 2), (len(text) if b < 0 else b)


def _breaks(doc: Doc) -> list[int]:
    """Where "\\n\\n" occurs in the text of ``doc`` (overlapping occurrences too), computed once per Doc."""
    cache = doc_cache(doc)
    found = cache.get("sayso_breaks")
    if found is None:
        found = cache["sayso_breaks"] = [m.start() for m in _BREAK.finditer(doc_text(doc))]
    return found


_BREAK = re.compile(r"(?=\n\n)")


def _paragraph_start(doc: Doc, pos: int) -> int:
    """The start of the paragraph holding character ``pos``: :func:`_paragraph_bounds`' first value, found
    by binary search instead of a scan back through a long paragraph."""
    breaks = _breaks(doc)
    k = bisect_right(breaks, pos - 2) - 1
    return breaks[k] + 2 if k >= 0 else 0


def _two_breaks(doc: Doc, a: int, b: int) -> bool:
    """Whether ``doc_text(doc)[a:b].count("\\n\\n") > 1``."""
    breaks = _breaks(doc)
    k = bisect_left(breaks, a)
    if k >= len(breaks) or breaks[k] + 2 > b:
        return False
    k2 = bisect_left(breaks, breaks[k] + 2)
    return k2 < len(breaks) and breaks[k2] + 2 <= b


def _last_visible(text: str, lo: int, pos: int) -> int:
    """The end of ``text[lo:pos]`` without its trailing whitespace."""
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    return pos


def _ends_with_colon(text: str, lo: int, pos: int) -> bool:
    """Whether ``text[lo:pos].rstrip().endswith(":")``."""
    end = _last_visible(text, lo, pos)
    return end > lo and text[end - 1] == ":"


def _np_left_of(doc: Doc, v: Token, lo: int) -> tuple[int, int] | None:
    """The noun phrase written just before ``v`` ("..., the investigative news outlet Vyorstka reported")."""
    j = v.i
    k = j - 1
    while k >= lo and (doc[k].pos_ in ("ADV", "AUX", "PART") or doc[k].is_space):
        k -= 1
    end = k + 1
    i = k
    while i >= lo:
        t = doc[i]
        if t.is_punct and t.text not in ("’s", "'s", "-", "."):
            break
        if t.pos_ == "VERB" and t.dep_ == "acl" and t.tag_ == "VBN":
            i -= 1  # "three executives briefed on the tender told ...": a participle inside the phrase
            continue
        if (
            t.is_space
            or t.text in QUOTE_CHARS
            or t.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ")
            or t.lower_
            in (
                "that",
                "as",
            )
        ):
            break
        i -= 1
    start = i + 1
    if start >= end:
        return None
    if not any(doc[x].pos_ in ("NOUN", "PROPN", "PRON") for x in range(start, end)):
        return None
    return start, end


def _np_right_of(doc: Doc, v: Token, hi: int) -> tuple[int, int] | None:
    """The noun phrase just after ``v`` in an inverted attribution ("..., said Ivan Petrov, a lawyer")."""
    i = v.i + 1
    while i < hi and doc[i].is_space:
        i += 1
    j = i
    while j < hi and not doc[j].is_punct and doc[j].pos_ in ("DET", "PROPN", "NOUN", "ADJ", "NUM", "PRON"):
        j += 1
    if j == i or not any(doc[x].pos_ in ("NOUN", "PROPN", "PRON") for x in range(i, j)):
        return None
    return i, j


def _clip_to_paragraph(doc: Doc, span: tuple[int, int], v: Token) -> tuple[int, int]:
    """Cut a token range at paragraph breaks, keeping the side nearest to ``v``."""
    i, j = span
    for k in range(i, j):
        if doc[k].is_space and "\n" in doc[k].text:
            if k < v.i:
                i = k + 1
            else:
                j = k
                break
    return i, j


def _subject(v: Token, quotes: list[Quote]) -> Token | None:
    subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and not _in_quote(quotes, c)]
    if not subs:
        return None
    # nearest subject to the verb
    return min(subs, key=lambda c: abs(c.i - v.i))


def _source_range(doc: Doc, subj: Token, v: Token, quotes: list[Quote]) -> tuple[int, int]:
    """The source mention headed by ``subj``, as annotators mark it: the noun phrase with its appositives
    ("Patrick Lee, a law professor at Norrvik University") but without relative or participial clauses
    ("..., who has worked on the case"), leading adverbs and conjunctions ("Even", "But") or the cue."""
    i, j = _subtree_range(subj)
    # never let the source run into the cue or a quotation
    if i < v.i < j:
        j = v.i
    anonymous = subj.lemma_.lower() in ANONYMOUS_HEADS or subj.lower_ in ANONYMOUS_HEADS
    for c in subj.children:
        # keep "officials briefed on the talks" (it says who they are), cut "a poll released in August"
        restrictive = c.left_edge.i > 0 and doc[c.left_edge.i - 1].text != ","
        if c.dep_ in ("relcl", "acl") and c.i > subj.i and c.left_edge.i < j:
            if not (anonymous and c.dep_ == "acl" and restrictive):
                j = min(j, c.left_edge.i)
    for c in subj.children:
        if c.dep_ in ("advmod", "cc", "preconj") and c.i < subj.i and c.i == i:
            i = c.right_edge.i + 1
    while i < j and (_in_quote(quotes, doc[i]) or doc[i].is_punct or doc[i].is_space):
        i += 1
    while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space):
        if doc[j - 1].text == ")" and any(doc[k].text == "(" for k in range(i, j - 1)):
            break
        j -= 1
    return i, j


def _is_passive(v: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)


_AUDIENCES = frozenset(
    "reporter journalist audience crowd supporter lawmaker student press media viewer listener people".split()
)


def _recipient(v: Token, content_toks: set[int]) -> tuple[int, int] | None:
    """ "told X", "told the outlet", "confirmed ... to X", "said to X" (not an unnamed audience: "told
    reporters")."""
    found = _recipient_tokens(v, content_toks)
    if found is not None:
        head = v.doc[found[0] : found[1]].root
        if head.lemma_.lower() in _AUDIENCES and head.tag_ == "NNS" and head.pos_ != "PROPN":
            return None
    return found


def _recipient_tokens(v: Token, content_toks: set[int]) -> tuple[int, int] | None:
    for c in v.children:
        if c.i in content_toks:
            continue
        if c.dep_ == "dative" or (c.dep_ == "dobj" and v.lemma_ == "tell"):
            if c.pos_ in ("NOUN", "PROPN", "PRON"):
                lo, hi = _subtree_range(c)
                doc = v.doc
                # "told the court of appeal": the parser hangs "of appeal" on the verb
                if (
                    c.lemma_.lower() in _INSTITUTION_RECIPIENTS
                    and hi + 1 < len(doc)
                    and doc[hi].lower_ == "of"
                    and doc[hi].head == v
                    and doc[hi + 1].pos_ == "NOUN"
                    and doc[hi + 1].dep_ == "pobj"
                ):
                    hi += 2
                return lo, hi
        if c.dep_ == "prep" and c.lower_ == "to" and v.lemma_ != "according":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs and objs[0].pos_ in ("NOUN", "PROPN", "PRON"):
                return _subtree_range(objs[0])
    # "said in an interview with X", "in a written reply to X", "in a statement to X" (also when the parser
    # hangs the phrase on the reported clause: "said she would resign ..., in an interview with X")
    near = [c for c in v.subtree if c.i > v.i and c.i - v.i <= 8]
    later = [c for c in v.sent if c.i > v.i and c.lower_ == "interview"]
    for c in near + later:
        if c.lemma_.lower() in _CHANNEL_NOUNS and c.head.dep_ == "prep":
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("with", "to"):
                    objs = [g for g in p.children if g.dep_ == "pobj" and g.pos_ in ("PROPN", "NOUN")]
                    if objs:
                        return _subtree_range(objs[0])
    return None


_INSTITUTION_RECIPIENTS = frozenset({"court", "committee", "commission", "tribunal", "board", "council", "house"})
_CHANNEL_NOUNS = frozenset({"interview", "reply", "statement", "letter", "email", "message", "comments", "remarks"})


def _relay(v: Token) -> tuple[int, int] | None:
    """ "was quoted (as saying) by X" → X relays the quote."""
    stack = [v]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in ("agent", "prep") and c.lower_ == "by":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return _subtree_range(objs[0])
            if c.dep_ in ("prep", "pcomp", "advcl", "xcomp") and c.lower_ in ("as", "saying"):
                stack.append(c)
    return None


#: A content that is a complementizer and a quotation: reported speech in the quoted words ('mixed').
_THAT_QUOTE = re.compile(r"that\s+[\"“«‘']")


def _kind(text: str, content: tuple[int, int], quotes: list[Quote]) -> str:
    a, b = content
    inside = _inner_overlapping(quotes, a, b)
    if not inside:
        return "indirect"
    quoted = sum(min(b, q.inner_end) - max(a, q.inner_start) for q in inside)
    unquoted_words = len(text[a:b].split()) - sum(len(text[q.inner_start : q.inner_end].split()) for q in inside)
    if _THAT_QUOTE.match(text, a, b):  # 'told the Courier that “all options are on the table”': reported
        return "mixed"
    if quoted >= (b - a) - 3 or unquoted_words <= 1:
        return "direct"
    return "mixed"


def _hedges(text: str, spans: list[tuple[int, int]]) -> list[str]:
    found: list[str] = []
    for a, b in spans:
        for w in text[a:b].lower().replace("’", "'").split():
            w = w.strip(".,;:!?\"'“”")
            if w in MODALITY_WORDS and w not in found:
                found.append(w)
    return found


# ------------------------------------------------------------------------------------------ cue rules


def _extend_to_quotes(span: tuple[int, int], quotes: list[Quote]) -> tuple[int, int]:
    """Grow a content span so that a quotation it touches is included whole (multi-sentence quotes)."""
    a, b = span
    # (in text order, a quotation after the first one touched never reaches back over the grown span)
    for q in _inner_overlapping(quotes, a, b):
        a, b = min(a, q.inner_start), max(b, q.inner_end)
    return a, b


def _adjacent_quote(doc: Doc, v: Token, src: tuple[int, int] | None, quotes: list[Quote]) -> Quote | None:
    """A quotation that ends right before "SOURCE CUE" / "CUE SOURCE", or starts right after "CUE:"."""
    text = doc_text(doc)
    left = min(v.idx, doc[src[0]].idx if src else v.idx)
    right_tok = max(v.i, (src[1] - 1) if src else v.i)
    right = doc[right_tok].idx + len(doc[right_tok].text)
    para_a = _paragraph_start(doc, v.idx)
    if not _indexed(quotes):
        quotes = QuoteList(quotes)
        if not quotes.ordered:  # type: ignore[attr-defined]
            return _adjacent_quote_scan(text, quotes, left, right, para_a)
    # Only the last quotation ending before the frame can be right before it (another one would lie in
    # the gap), and only the first starting after it can follow it.
    best = None
    k = bisect_right(quotes.ends, left) - 1  # type: ignore[attr-defined]
    if k >= 0:
        q = quotes[k]
        if q.end >= para_a and left - q.end <= 4 and all(ch in ", \n—–-" for ch in text[q.end : left]):
            best = q
    k = bisect_left(quotes.starts, right)  # type: ignore[attr-defined]
    if k < len(quotes):
        q = quotes[k]
        if q.start - right <= 3 and all(ch in ",: \n—–-" for ch in text[right : q.start]):
            return best or q
        # "X said:" at a paragraph's end, quotation in the next paragraph
        if _COLON_GAP.match(text, right, q.start):
            return best or q
    return best


def _adjacent_quote_scan(text: str, quotes: list[Quote], left: int, right: int, para_a: int) -> Quote | None:
    """:func:`_adjacent_quote` for quotations not in text order: a pass over all of them."""
    best = None
    for q in quotes:
        if q.end <= left and q.end >= para_a:
            gap = text[q.end : left]
            if len(gap) <= 4 and all(ch in ", \n—–-" for ch in gap):
                best = q
        elif q.start >= right:
            gap = text[right : q.start]
            if len(gap) <= 3 and all(ch in ",: \n—–-" for ch in gap):
                return best or q
            if gap.strip() == ":" or (gap.lstrip().startswith(":") and not gap.strip(": \n")):
                return best or q
    return best


#: A gap that is a colon with whitespace, or colons, spaces and line breaks holding a colon.
_COLON_GAP = re.compile(r"\s*:\s*\Z|[ \n]*:[: \n]*\Z")


CUE_PREFIX_DEPS = ("aux", "auxpass", "neg", "advmod")


def _cue_span(doc: Doc, v: Token) -> tuple[int, int]:
    """The cue as annotators mark it: the verb with the auxiliaries, negation and adverbs written right
    before it ("has also said", "is expected", "did not say") and a particle after it ("pointed out")."""
    lo = v.i
    k = v.i - 1
    while k >= v.sent.start and doc[k].head == v and doc[k].dep_ in CUE_PREFIX_DEPS and not doc[k].is_punct:
        if doc[k].dep_ == "advmod" and doc[k].lower_ in ("when", "how", "where", "why", "as", "so", "then"):
            break
        lo = k
        k -= 1
    hi = v.i + 1
    if hi < len(doc) and doc[hi].dep_ == "prt" and doc[hi].head == v:
        hi += 1
    elif hi < len(doc) and _prep_object(v) is not None and doc[hi].head == v:
        hi += 1  # "called for", "pointed to"
    return _tok_chars(doc, lo, hi)


#: verbs whose content is the object of a preposition: "called for a ban", "pointed to the figures"
PREP_CUES = {
    "call": ("for",),
    "point": ("to",),
    "warn": ("of", "against"),
    "speak": ("of", "about", "against"),
    "talk": ("about",),
    "complain": ("about",),
    "rail": ("against",),
    "refer": ("to",),
    "lash": ("out",),
}


def _prep_object(v: Token) -> Token | None:
    """The object of the preposition a verb of :data:`PREP_CUES` takes right after it, or None."""
    preps = PREP_CUES.get(v.lemma_.lower())
    if not preps or v.i + 1 >= len(v.doc):
        return None
    p = v.doc[v.i + 1]
    if p.lower_ not in preps or p.head != v or p.dep_ not in ("prep", "dative"):
        return None
    return next((c for c in p.children if c.dep_ in ("pobj", "pcomp")), None)


def _inverted_after_comma(doc: Doc, v: Token, src: tuple[int, int]) -> bool:
    """ "..., SOURCE said [on Tuesday]." : the source follows a comma, the cue follows the source, and
    nothing but adverbials, a recipient or a time follows the cue to the end of the sentence."""
    i, j = src
    sent = v.sent
    if i <= sent.start or doc[i - 1].text != "," or not (j <= v.i <= j + 2) or i - sent.start < 4:
        return False
    if any(t.text in QUOTE_CHARS for t in doc[sent.start : i - 1]):
        return False  # a quotation before: handled as a quote
    for t in doc[v.i + 1 : sent.end]:
        if t.dep_ in ("ccomp", "xcomp", "dobj") and t.head == v and not (v.lemma_ == "tell" and t.dep_ == "dobj"):
            return False
    return True


def _following_quote(text: str, pos: int, quotes: list[Quote]) -> Quote | None:
    """A quotation that continues right after the attribution frame: '“A,” he said, “B.”'."""
    if _indexed(quotes):
        k = bisect_left(quotes.starts, pos)  # type: ignore[attr-defined]
        candidates = quotes[k : k + 1]
    else:
        candidates = [q for q in quotes if q.start >= pos][:1]
    for q in candidates:
        if q.start >= pos:
            if q.start - pos > 3:
                return None
            gap = text[pos : q.start]
            if len(gap) <= 3 and gap.strip() in (",", ":", ";", "") and "\n" not in gap:
                return q
            return None
    return None


def _content_from_head(doc: Doc, v: Token, src: tuple[int, int] | None) -> tuple[int, int] | None:
    """Inverted attributions: "CONTENT, SOURCE reported" and "as SOURCE reports, CONTENT"."""
    head = v.head
    if head is v:
        return None
    v_lo, v_hi = _subtree_range(v)
    if src:
        v_lo = min(v_lo, src[0])
        v_hi = max(v_hi, src[1])
    h_lo, h_hi = _subtree_range(head)
    sent = v.sent
    lo, hi = max(h_lo, sent.start), min(h_hi, sent.end)
    # the caller splits the covering span around the source and cue
    if hi - lo < 2:
        return None
    return lo, hi


def _clause_content(doc: Doc, v: Token, exclude: set[int]) -> tuple[int, int] | None:
    for c in v.children:
        if c.dep_ == "ccomp" and c.i > v.i and c.i not in exclude:
            return _with_stranded_conjunct(doc, v, _subtree_range(c))
    for c in v.children:
        if c.dep_ == "ccomp" and c.i not in exclude:
            return _subtree_range(c)
    return None


def _with_stranded_conjunct(doc: Doc, v: Token, span: tuple[int, int]) -> tuple[int, int]:
    """Extend a reported clause over a subjectless verb phrase the parser hung on the cue verb: in "said his
    client was disappointed and was considering an appeal", "was considering an appeal" is reported too."""
    lo, hi = span
    if hi + 2 < len(doc) and doc[hi].text == "," and doc[hi + 1].dep_ == "cc":
        hi += 1
    if hi + 1 >= len(doc) or doc[hi].dep_ != "cc" or doc[hi].head != v or doc[hi].lower_ not in ("and", "but"):
        return span
    conj = next((c for c in v.children if c.dep_ == "conj" and c.i > hi), None)
    if conj is None or conj.pos_ not in ("VERB", "AUX") or conj.lemma_.lower() in CUE_VERBS:
        return span
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children):
        return span
    finite = conj.tag_ in ("VBD", "VBZ", "VBP")
    if not finite and not any(c.dep_ == "aux" and c.lower_ in _STRANDED_AUX for c in conj.children):
        return span
    return lo, min(conj.right_edge.i + 1, v.sent.end)


#: auxiliaries that mark a conjunct as continuing the reported clause ("... and was considering an appeal")
_STRANDED_AUX = frozenset({"was", "were", "would", "could", "had", "might", "will", "is", "are", "has", "have"})


def _object_content(doc: Doc, v: Token, recipient: tuple[int, int] | None) -> tuple[int, int] | None:
    objs = [c for c in v.children if c.dep_ in ("dobj", "oprd") and c.i > v.i]
    if not objs:
        objs = [c for c in v.children if c.dep_ in ("npadvmod", "attr") and c.i > v.i and c.pos_ in ("PROPN", "NOUN")]
    if not objs:
        return None
    lo = objs[0].left_edge.i
    hi = objs[0].right_edge.i + 1
    for c in v.children:
        if c.i < hi or c.dep_ in ("conj", "cc", "punct") or c.is_space:
            continue
        if recipient and recipient[0] <= c.i < recipient[1] + 1:
            continue
        if c.dep_ == "prep" and c.lower_ == "to":
            continue
        if c.dep_ == "advcl" and c.lemma_.lower() in CUE_VERBS:
            break  # "..., saying ...": a second attribution, not part of this content
        if c.dep_ in ("prep", "oprd", "xcomp", "advcl", "ccomp") and c.lower_ not in (
            "without",
            "in",
            "on",
            "after",
        ):
            hi = max(hi, c.right_edge.i + 1)
        else:
            break
    if recipient and lo <= recipient[0] < hi:
        hi = recipient[0]
        while hi > lo and doc[hi - 1].lower_ in ("to",):
            hi -= 1
    return lo, hi


def _infinitive_content(v: Token) -> tuple[int, int] | None:
    for c in v.children:
        if c.dep_ == "xcomp" and c.i > v.i:
            lo, hi = _subtree_range(c)
            return lo, hi
    return None


def _is_cue_verb(v: Token, quotes: list[Quote]) -> bool:
    if v.pos_ not in ("VERB", "AUX"):
        return False
    if v.lemma_.lower() not in CUE_VERBS and _prep_object(v) is None:
        return False
    return not _in_quote(quotes, v)


#: nouns that report what someone said, claimed or promised
NOUN_CUES = frozenset(
    """
    claim allegation accusation assertion comment remark statement warning promise pledge vow threat demand
    denial suggestion proposal criticism complaint argument insistence prediction admission contention
    announcement call
    """.split()
)
_NOUN_CONTENT_PREPS = frozenset({"of", "about", "for", "against", "on"})


def _noun_attribution(doc: Doc, n: Token, quotes: list[Quote]) -> RawAttribution | None:
    """An attribution cued by a noun of :data:`NOUN_CUES`, or None. The source is a possessive ("Trump's
    claim", "his comments") or a "by"/"from" phrase ("a warning from the ministry"); the content is a
    "that" clause, a to-infinitive ("a pledge to cut taxes") or, for the noun with its preposition as cue,
    the object of "of/about/for/against/on" ("comments about the banks")."""
    text = doc_text(doc)
    src: tuple[int, int] | None = None
    for c in n.children:
        if c.dep_ == "poss" and c.i < n.i:
            src = (c.left_edge.i, c.i + 1)
            if c.i + 1 < len(doc) and doc[c.i + 1].dep_ == "case":
                src = (src[0], c.i + 2)
        elif c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i > n.i and src is None:
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs and objs[0].pos_ in ("PROPN", "NOUN", "PRON"):
                src = _subtree_range(objs[0])
    if src is None:
        return None
    cue_lo = n.i
    while cue_lo - 1 >= n.sent.start and doc[cue_lo - 1].dep_ == "amod" and doc[cue_lo - 1].head == n:
        cue_lo -= 1
    cue_hi = n.i + 1
    content: tuple[int, int] | None = None
    for c in n.children:
        if c.i <= n.i or (src[0] <= c.i < src[1]):
            continue
        if c.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            content = _subtree_range(c)
            break
        if c.dep_ in ("acl", "xcomp") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            content = _subtree_range(c)
            break
        if c.dep_ == "prep" and c.lower_ in _NOUN_CONTENT_PREPS and c.i == n.i + 1:
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                content = _subtree_range(objs[0])
                cue_hi = c.i + 1
                break
    if content is None or content[1] - content[0] < 1:
        return None
    content = (max(content[0], n.sent.start), min(content[1], n.sent.end))
    cs = _extend_to_quotes(_tok_chars(doc, *content), quotes)
    return RawAttribution(
        content=cs,
        cue=_tok_chars(doc, cue_lo, cue_hi),
        kind=_kind(text, cs, quotes),
        source_tokens=src,
        cue_token=n.i,
        hedges=_hedges(text, [cs]),
    )


def find_raw_attributions(
    doc: Doc, quotes: list[Quote] | None = None, model_cues: dict[int, tuple[int, int]] | None = None
) -> list[RawAttribution]:
    """All attributions in ``doc``, in text order, before source merging (see :class:`RawAttribution`).

    ``model_cues``: verbs the trained role tagger marks as cues (token index -> the cue's character span);
    they count as cue verbs even when the lexicons in :mod:`sayso.cues` miss them, every kind of content
    (clause, infinitive, object) is tried for them, and the tagger's span is their cue."""
    model_cues = model_cues or {}
    text = doc_text(doc)
    quotes = find_quotes(text) if quotes is None else quotes
    if not isinstance(quotes, QuoteList):
        quotes = QuoteList(quotes)
    raws: list[RawAttribution] = []
    by_cue: dict[int, RawAttribution] = {}

    def add(raw: RawAttribution) -> RawAttribution | None:
        a, b = _trim_chars(text, *raw.content)
        if b - a < 2:
            return None
        raw.content = (a, b)
        raws.append(raw)
        if raw.cue_token is not None:
            by_cue[raw.cue_token] = raw
        return raw

    for sent in doc.sents:
        for v in sent:
            lemma = v.lemma_.lower()
            # ---- "according to X"
            if v.lower_ == "according" and v.i + 1 < len(doc) and doc[v.i + 1].lower_ == "to":
                to = doc[v.i + 1]
                objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in v.children if c.dep_ == "pobj"]
                if not objs:
                    continue
                src = _subtree_range(objs[0])
                whole_end = src[1]
                # "According to Kestrel Daily, the fund, ...": the source ends at the first comma
                comma = next((k for k in range(objs[0].i, src[1]) if doc[k].text == ","), None)
                if comma is not None:
                    src = (src[0], comma)
                k = src[1]
                if k < sent.end and doc[k].text == "," and objs[0].pos_ == "NOUN":
                    # "according to its chair, Leena Aho.": the name after the role noun
                    m = k + 1
                    while m < sent.end and doc[m].pos_ == "PROPN":
                        m += 1
                    if m > k + 1 and (m >= sent.end or doc[m].is_punct):
                        src = (src[0], m)
                        whole_end = max(whole_end, m)
                # "X plans ..., according to two people briefed on the plan, who asked not to be named ...":
                # the relative clause is no content
                rel = any(c.dep_ == "relcl" for c in objs[0].children)
                acc_lo, acc_hi = v.i, max(whole_end if rel else src[1], v.i + 2)
                left = (sent.start, acc_lo)
                right = (acc_hi, sent.end)
                content = left if (left[1] - left[0]) >= (right[1] - right[0]) else right
                if content[1] - content[0] < 2:
                    continue
                cs = _extend_to_quotes(_tok_chars(doc, *content), quotes)
                add(
                    RawAttribution(
                        content=cs,
                        cue=_tok_chars(doc, v.i, v.i + 2),
                        kind="according_to",
                        source_tokens=src,
                        cue_token=v.i,
                    )
                )
                continue
            # ---- "reportedly", "allegedly"
            if v.lower_ in HEDGE_ADVERBS and v.head is not v:
                head = v.head
                lo, hi = _subtree_range(head)
                lo, hi = max(lo, sent.start), min(hi, sent.end)
                add(
                    RawAttribution(
                        content=_tok_chars(doc, lo, hi),
                        cue=_tok_chars(doc, v.i, v.i + 1),
                        kind="hedged",
                        cue_token=v.i,
                        hedges=[v.lower_],
                    )
                )
                continue
            # ---- noun cues: "Trump's claim that ...", "his comments about ...", "a warning by X that ..."
            if v.pos_ == "NOUN" and lemma in NOUN_CUES and not _in_quote(quotes, v):
                noun = _noun_attribution(doc, v, quotes)
                if noun is not None:
                    add(noun)
                continue
            if not _is_cue_verb(v, quotes) and not (v.i in model_cues and not _in_quote(quotes, v)):
                continue
            extra = v.i in model_cues and lemma not in CUE_VERBS
            if v.dep_ == "relcl" and re.match(
                r"(?:not\s+to\s+be\s+(?:named|identified)|to\s+remain\s+anonymous|anonymity)",
                text[v.idx + len(v.text) :].lstrip(),
            ):
                continue  # "who asked not to be named": says why the source is anonymous, not what it claims
            if v.dep_ == "relcl" and v.head.head.lemma_.lower() in RELAY_VERBS:
                continue  # "citing the weekly Z, which quoted two officials": a second-level citation
            if v.dep_ in ("relcl", "acl") and v.head.dep_ in ("nsubj", "nsubjpass", "appos"):
                # "a senior official, who asked not to be named, told ...": describes the source
                if any(a.lemma_.lower() in CUE_VERBS for a in v.head.ancestors):
                    continue
            # ---- passive hedges: "is said to", "was reported to" (no agent)
            if lemma in HEDGE_PASSIVES and _is_passive(v) and not _relay(v):
                xc = [c for c in v.children if c.dep_ == "xcomp"]
                subj = _subject(v, quotes)
                if xc and subj is not None and lemma != "quote":
                    lo = min(subj.left_edge.i, xc[0].left_edge.i)
                    hi = xc[0].right_edge.i + 1
                    aux = [c.i for c in v.children if c.dep_ == "auxpass"]
                    cue_lo = min(aux + [v.i])
                    add(
                        RawAttribution(
                            content=_tok_chars(doc, lo, hi),
                            cue=_tok_chars(doc, cue_lo, v.i + 1),
                            kind="hedged",
                            cue_token=v.i,
                            hedges=[f"{doc[cue_lo].lower_} {v.lower_} to"],
                        )
                    )
                    continue
            if (
                lemma == "call"
                and not extra
                and (
                    v.dep_ in ("acl", "amod")
                    or not (
                        _prep_object(v) is not None or any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in v.children)
                    )
                )
            ):
                continue  # "a stream called Miracle Run", "called a meeting": naming or convening, not saying
            if lemma in RELAY_VERBS and v.tag_ == "VBG" and any(a.lemma_.lower() in CUE_VERBS for a in v.ancestors):
                continue  # "X reported, citing sources": handled as a nested attribution of X's report
            subj = _subject(v, quotes)
            src: tuple[int, int] | None = None
            inherit: RawAttribution | None = None
            inverted = False
            if subj is not None and subj.lower_ not in ("which", "that", "what") and subj.pos_ != "DET":
                src = _source_range(doc, subj, v, quotes)
            if src is None:
                # "..., the investigative news outlet Vyorstka reported Friday"
                left = _np_left_of(doc, v, sent.start)
                if left is not None and left[0] > sent.start and doc[left[0] - 1].is_punct:
                    src, inverted = left, True
            if src is None and v.dep_ in ("conj", "advcl", "xcomp") and v.head.i in by_cue and v.head.i < v.i:
                inherit = by_cue[v.head.i]
            elif src is None and v.dep_ in ("conj", "advcl") and v.head.i < v.i:
                # participle or coordinated verb: shares the head's subject
                hs = _subject(v.head, quotes)
                if hs is not None and v.head.lemma_.lower() in CUE_VERBS:
                    src = _source_range(doc, hs, v.head, quotes)
            if src is None and inherit is None:
                left = _np_left_of(doc, v, sent.start)
                if left is not None and left[0] == sent.start:
                    src = left
            if src is None and inherit is None and v.i > sent.start and doc[v.i - 1].is_punct:
                src, inverted = _np_right_of(doc, v, sent.end), True
            if src is None and inherit is None:
                continue
            if src is not None:
                src = _clip_to_paragraph(doc, src, v)
                if src[0] <= v.i < src[1] or src[1] <= src[0]:
                    continue

            relay = _relay(v) if lemma in ("quote", "cite", "say") else None
            if lemma == "quote" and not _is_passive(v) and src is not None:
                # "the agency quoted him as saying": the quoted one speaks, the subject relays
                quoted = [c for c in v.children if c.dep_ == "dobj" and c.i > v.i]
                if quoted and any(c.lower_ == "as" for c in v.subtree):
                    relay, src = src, _subtree_range(quoted[0])
            exclude = set(range(*src)) if src else set()
            content: tuple[int, int] | None = None
            from_head = False
            q = _adjacent_quote(doc, v, src, quotes)
            clause = _clause_content(doc, v, exclude)
            if q is not None:
                content = (q.inner_start, q.inner_end)
                if clause is not None:
                    cs = _tok_chars(doc, *clause)
                    if cs[0] < q.inner_start or cs[1] > q.inner_end:
                        # the quote is part of a clause (mixed) only when the clause holds it
                        if cs[0] <= q.inner_start and cs[1] >= q.inner_end:
                            content = cs
            elif clause is not None:
                content = _extend_to_quotes(_tok_chars(doc, *clause), quotes)
            if content is None:
                # "X reported, citing Y, that Z": the parser often hangs Z on "citing"
                for c in v.children:
                    if c.lemma_.lower() in RELAY_VERBS and c.tag_ == "VBG" and content is None:
                        cc = [g for g in c.children if g.dep_ == "ccomp" and g.i > c.i]
                        if cc:
                            content = _extend_to_quotes(_tok_chars(doc, *_subtree_range(cc[0])), quotes)
            if content is None and (lemma in CLAUSE_VERBS or extra):
                # "said in a statement that ...", "said on Twitter that ...": the clause hangs off the noun
                mark = next((t for t in v.subtree if t.i > v.i and t.lower_ == "that" and t.dep_ == "mark"), None)
                if mark is not None and mark.i - v.i <= 8:
                    hi = min(v.right_edge.i + 1, v.sent.end)
                    content = _extend_to_quotes(_tok_chars(doc, mark.i, hi), quotes)
            if content is None and (lemma in INFINITIVE_VERBS or extra):
                inf = _infinitive_content(v)
                if inf:
                    content = _tok_chars(doc, *inf)
            recipient = _recipient(v, set())
            if content is None and _prep_object(v) is not None:
                pobj = _prep_object(v)
                content = _extend_to_quotes(_tok_chars(doc, *_subtree_range(pobj)), quotes)
            if content is None and (lemma in OBJECT_VERBS or extra):
                obj = _object_content(doc, v, recipient)
                if obj:
                    content = _extend_to_quotes(_tok_chars(doc, *obj), quotes)
            if (
                content is None
                and (lemma in CLAUSE_VERBS | OBJECT_VERBS or extra)
                and (
                    inverted
                    or v.dep_ in ("parataxis", "advcl")
                    # "X plans to buy howitzers, Defence Minister Ilse Varga said on Tuesday."
                    or (
                        v.dep_ in ("ccomp", "conj")
                        and src is not None
                        and v.head.i < src[0]
                        and src[0] > v.sent.start
                        and doc[src[0] - 1].text == ","
                    )
                )
            ):
                ch = _content_from_head(doc, v, src)
                if ch:
                    content = _extend_to_quotes(_tok_chars(doc, *ch), quotes)
                    from_head = True
            if src is not None and (lemma in CLAUSE_VERBS or extra) and _inverted_after_comma(doc, v, src):
                # "CONTENT, SOURCE said on Tuesday." — everything before the comma, whatever the parser made
                # of it (it often mistakes the content's subject for the verb's)
                before = _trim_chars(text, doc[v.sent.start].idx, doc[src[0] - 1].idx)
                if before[1] - before[0] > 10 and (content is None or from_head or content[1] <= doc[src[0]].idx):
                    content = _extend_to_quotes(before, quotes)
                    from_head = False
            if content is None:
                continue
            # the cue and source must not sit inside the content: split it around them ("A, he said, B")
            parts: list[tuple[int, int]] = []
            frame_lo, frame_hi = v.idx, v.idx + len(v.text)
            if src:
                frame_lo = min(frame_lo, doc[src[0]].idx)
                frame_hi = max(frame_hi, doc[src[1] - 1].idx + len(doc[src[1] - 1].text))
            if from_head:
                v_lo, v_hi = _subtree_range(v)
                v_lo, v_hi = max(v_lo, v.sent.start), min(v_hi, v.sent.end)
                frame_lo = min(frame_lo, doc[v_lo].idx)
                frame_hi = max(frame_hi, doc[v_hi - 1].idx + len(doc[v_hi - 1].text))
            if recipient and abs(recipient[0] - v.i) <= 3:
                frame_hi = max(frame_hi, doc[recipient[1] - 1].idx + len(doc[recipient[1] - 1].text))
            if q is not None and content == (q.inner_start, q.inner_end):
                q2 = _following_quote(text, frame_hi, quotes)
                if q2 is not None:
                    content = (q.inner_start, q2.inner_end)
            if content[0] < frame_hi and frame_lo < content[1]:
                left = _trim_chars(text, content[0], frame_lo)
                right = _trim_chars(text, frame_hi, content[1])
                lw = len(text[left[0] : left[1]].split())
                rw = len(text[right[0] : right[1]].split())
                if lw >= 2 and rw >= 2 and left[1] > left[0] and right[1] > right[0]:
                    parts = [left, right]
                    content = (left[0], right[1])
                elif lw >= rw and left[1] > left[0]:
                    content = left
                elif right[1] > right[0]:
                    content = right
                else:
                    continue
            if recipient:
                r_a = doc[recipient[0]].idx
                if content[0] <= r_a < content[1] and r_a - content[0] > 10 and not parts:
                    content = (content[0], r_a)
            cue_span = model_cues[v.i] if extra else _cue_span(doc, v)
            kind = _kind(text, content, quotes)
            if parts:
                kinds = {_kind(text, p, quotes) for p in parts}
                kind = "direct" if kinds == {"direct"} else ("indirect" if kinds == {"indirect"} else "mixed")
            outer = add(
                RawAttribution(
                    content=content,
                    cue=cue_span,
                    kind=kind,
                    source_tokens=src,
                    recipient_tokens=recipient,
                    relay_tokens=relay,
                    inherit_from=inherit,
                    cue_token=v.i,
                    hedges=_hedges(text, [cue_span, *(parts or [content])]),
                    parts=parts,
                )
            )
            # ---- nested: "X reported, citing sources in Y, that ...", "X, quoting a source close to Y, said"
            if outer is not None:
                _add_citations(doc, v, outer, add)
    _relayed_statements(doc, raws, by_cue)
    raws = _outermost(raws, doc)
    _colon_attributions(doc, raws)
    _dash_attributions(doc, quotes, raws)
    _attach_unclaimed_quotes(doc, quotes, raws)
    for r in raws:
        if not r.parts and r.kind in ("direct", "mixed"):
            r.content = _with_np_before_quote(doc, r.content)
    for r in raws:
        # modality anywhere in the cue or the content ("reportedly ... is considering", "allegedly")
        spans = [*([r.cue] if r.cue else []), *(r.parts or [r.content])]
        if r.inherit_from is not None and r.inherit_from.cue and not r.continuation:
            spans.append(r.inherit_from.cue)  # "denied the claims, saying ...": the denial frames this too
        for h in _hedges(text, spans):
            if h not in r.hedges and not any(h in x.split() for x in r.hedges):
                r.hedges.append(h)
    raws.sort(key=lambda r: (r.content[0], r.nested_in is not None))
    return raws


def _relayed_statements(doc: Doc, raws: list[RawAttribution], by_cue: dict[int, RawAttribution]) -> None:
    """ "There is no evidence, the health commission said, according to Reuters": Reuters relays what the
    commission said. An "according to" that hangs on another cue verb with a source of its own becomes the
    outer attribution of that statement (same content), the statement nested in it, so that the chain reads
    commission ← Reuters."""
    for r in raws:
        if r.kind != "according_to" or r.cue_token is None or r.nested_in is not None:
            continue
        head = doc[r.cue_token].head
        inner = by_cue.get(head.i)
        if inner is None or inner is r or inner.nested_in is not None or inner.source_tokens is None:
            continue
        if inner.kind not in ("direct", "indirect", "mixed"):
            continue
        inner.nested_in = r
        r.content, r.parts = inner.content, list(inner.parts)


RELAY_VERBS = frozenset({"cite", "quote"})
_SOURCE_PREPS = ("in", "at", "from", "within", "inside", "close", "familiar", "with", "on", "briefed", "of")


def _citation_source(doc: Doc, c: Token) -> tuple[int, int] | None:
    """The cited source of "citing/quoting X": X with the prepositional phrases that describe it
    ("two officials at the defence ministry", even when the parser hangs them on the verb), without a
    relative clause ("the weekly Norrvik Courier, which quoted ...")."""
    objs = [g for g in c.children if g.dep_ in ("dobj", "pobj", "attr") and g.i > c.i]
    if not objs:
        return None
    obj = objs[0]
    lo, hi = _subtree_range(obj)
    for g in obj.children:
        if g.dep_ in ("relcl", "acl") and g.i > obj.i:
            hi = min(hi, g.left_edge.i)
    for g in c.children:
        if g.i >= hi and g.dep_ in ("prep", "amod", "acomp") and g.lower_ in _SOURCE_PREPS and g.i == hi:
            hi = g.right_edge.i + 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return (lo, hi) if hi > lo else None


def _add_citations(doc: Doc, v: Token, outer: RawAttribution, add) -> None:
    """Attributions nested in ``outer``: the sources its source cites ("..., citing two officials") or
    quotes ("X, quoting a source close to Y, said"), and a second level ("citing the weekly Z, which quoted
    two officials"). The citation phrase is cut out of the outer content when the content starts with it."""
    text = doc_text(doc)
    for c in v.sent:
        if c.lemma_.lower() not in RELAY_VERBS or c.tag_ != "VBG" or c is v:
            continue
        if not (c.head is v or v.is_ancestor(c)):
            continue
        src = _citation_source(doc, c)
        if src is None:
            continue
        cite_end = doc[c.right_edge.i].idx + len(doc[c.right_edge.i].text)
        a, b = outer.content
        if a <= c.idx < b and c.idx - a <= 3:
            # "..., citing sources in Y, that Z": the content is Z
            rest = _trim_chars(text, cite_end, b)
            if rest[1] - rest[0] > 3:
                outer.content = rest
        elif a <= c.idx < b:
            outer.content = _trim_chars(text, a, c.idx)
        first = add(
            RawAttribution(
                content=outer.content,
                cue=_tok_chars(doc, c.i, c.i + 1),
                kind=outer.kind,
                source_tokens=src,
                nested_in=outer,
                cue_token=c.i,
                hedges=list(outer.hedges),
            )
        )
        if first is None:
            continue
        obj = doc[src[0] : src[1]].root
        for g in obj.children:
            if g.dep_ == "relcl" and g.lemma_.lower() in RELAY_VERBS | {"say", "report"}:
                inner = _citation_source(doc, g)
                if inner is not None:
                    add(
                        RawAttribution(
                            content=outer.content,
                            cue=_tok_chars(doc, g.i, g.i + 1),
                            kind=outer.kind,
                            source_tokens=inner,
                            nested_in=first,
                            cue_token=g.i,
                            hedges=list(outer.hedges),
                        )
                    )


def _outermost(raws: list[RawAttribution], doc: Doc | None = None) -> list[RawAttribution]:
    """Drop attributions whose cue lies inside another attribution's content: "Vyorstka reported that
    Russia is planning ..." reports Vyorstka's claim, not one by Russia (nested ones marked with
    ``nested_in`` are kept)."""
    outer = [r for r in raws if r.nested_in is None]
    keep = []

    def inside(r: RawAttribution, o: RawAttribution) -> bool:
        return r.cue is not None and o.content[0] <= r.cue[0] < o.content[1]

    # a cue inside another attribution's source ("a senior official, who asked not to be named, told ...")
    # describes the source, it is not an attribution of its own
    source_tokens = Intervals(o.source_tokens for o in outer if o.source_tokens is not None)
    raws = [r for r in raws if r.cue_token is None or not source_tokens.overlaps(r.cue_token, r.cue_token + 1)]

    # the contents holding a cue: walk back from the last content starting before it while an earlier
    # content still reaches past it (``reach``: the furthest end so far)
    by_start = sorted(outer, key=lambda o: o.content[0])
    starts = [o.content[0] for o in by_start]
    reach = list(accumulate((o.content[1] for o in by_start), max))
    for r in raws:
        if r.nested_in is None and r.cue is not None:
            dominated = False
            k = bisect_right(starts, r.cue[0]) - 1
            while k >= 0 and reach[k] > r.cue[0] and not dominated:
                o = by_start[k]
                k -= 1
                if o is r or not inside(r, o):
                    continue
                if inside(o, r):
                    # each cue sits in the other's content: the syntactically higher cue wins
                    if o.cue_token is not None and r.cue_token is not None and doc is not None:
                        if doc[o.cue_token].is_ancestor(doc[r.cue_token]):
                            dominated = True
                    continue
                dominated = True
            if dominated:
                continue
        keep.append(r)
    kept = {id(r) for r in keep}
    return [r for r in keep if r.nested_in is None or id(r.nested_in) in kept]


_COLON_LEAD = re.compile(r"[\"“”']?[ \t]*([A-Z][^:\n]{0,60}?)[ \t]*:[ \t]+(?=\S)")
_NOT_SPEAKERS = frozenset(
    """related article updated update note editor's editors photo photos read more see also original url source
    sources credit caption watch listen video update: correction clarification disclosure transcript
    """.split()
)


def _colon_attributions(doc: Doc, raws: list[RawAttribution]) -> None:
    """Headlines and transcripts: "Pence: Flowers Won't Be at Debate", "WALLACE: Let's start ...".

    The part before the colon must be a short name-like phrase (no verb) at the start of a paragraph."""
    text = doc_text(doc)
    claimed = Intervals(r.content for r in raws)  # (what this adds never reaches a later paragraph)
    for m in re.finditer(r"(?:^|\n\s*\n)", text):
        start = m.end()
        lead = _COLON_LEAD.match(text, start)
        if not lead:
            continue
        name_a, name_b = lead.span(1)
        words = text[name_a:name_b].split()
        if not 1 <= len(words) <= 5 or text[name_a:name_b].lower().strip(" *") in _NOT_SPEAKERS:
            continue
        if any(w.lower().strip("*") in _NOT_SPEAKERS for w in words[:1]):
            continue
        span = doc.char_span(name_a, name_b, alignment_mode="expand")
        if span is None or any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ") for t in span):
            continue
        if not all(t.is_title or t.is_upper or t.pos_ in ("PROPN", "PUNCT") for t in span if t.is_alpha):
            continue
        end = text.find("\n\n", lead.end())
        end = len(text) if end < 0 else end
        content = _trim_chars(text, lead.end(), end)
        if content[1] - content[0] < 3 or claimed.overlaps(lead.end(), lead.end() + 1):
            continue
        colon = text.index(":", name_b)
        raws.append(
            RawAttribution(
                content=content,
                cue=(colon, colon + 1),
                kind="direct",
                source_tokens=(span.start, span.end),
                hedges=_hedges(text, [content]),
            )
        )


_DASH_SOURCE = re.compile(r"\s*[―—]\s*([A-Z][\w.'’\- ]{1,50}?)\s*(?=$|\n|[“\"]|[―—])")


def _dash_attributions(doc: Doc, quotes: list[Quote], raws: list[RawAttribution]) -> None:
    """Epigraph-style attributions: '“Quotation.” ― Jane Doe'."""
    text = doc_text(doc)
    claimed = Intervals(r.content for r in raws)
    for q in quotes:
        if claimed.overlaps(q.inner_start, q.inner_end):
            continue
        m = _DASH_SOURCE.match(text, q.end)
        if not m:
            continue
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None or len(span) > 6 or not any(t.pos_ == "PROPN" for t in span):
            continue
        dash = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        raws.append(
            RawAttribution(
                content=(q.inner_start, q.inner_end),
                cue=(dash, dash + 1),
                kind="direct",
                source_tokens=(span.start, span.end),
                hedges=_hedges(text, [(q.inner_start, q.inner_end)]),
            )
        )


def _with_np_before_quote(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """A quotation that is part of a noun phrase takes the phrase's words before it: 'called it the “nuclear
    option”' reports 'the “nuclear option”', 'Trump's “birther” claim' reports 'Trump's “birther” claim'."""
    s, e = span
    inner = doc.char_span(s, e, alignment_mode="expand")
    if inner is None or inner.start < 2 or not doc[inner.start - 1].is_quote:
        return span
    lo = inner.start - 1
    while lo - 1 >= 0:
        t = doc[lo - 1]
        if t.dep_ not in ("det", "poss", "amod", "compound", "nummod", "case") or t.is_punct:
            break
        h, steps = t.head, 0
        while not (inner.start <= h.i < inner.end) and h.i < inner.start and h != h.head and steps < 3:
            h, steps = h.head, steps + 1
        if not inner.start <= h.i < inner.end:
            break
        lo -= 1
    if lo == inner.start - 1:
        return span
    return doc[lo].idx, e


def _frame_end(doc: Doc, r: RawAttribution) -> int:
    end = r.content[1]
    if r.cue:
        end = max(end, r.cue[1])
    for toks in (r.source_tokens, r.relay_tokens, r.recipient_tokens):
        if toks:
            t = doc[toks[1] - 1]
            end = max(end, t.idx + len(t.text))
    return end


#: How far before a quotation (in characters) the content of an attribution it continues may start, in a
#: paragraph longer than that: a quotation continues an attribution in its paragraph, the start of a long
#: paragraph is not searched.
CONTINUATION_CHARS = 5000


class _Hosts:
    """The attributions of ``raws`` a later quotation may continue (direct or mixed, not nested), by the
    start of their content, and where all cues start (see :func:`_continued_by`)."""

    def __init__(self, raws: list[RawAttribution]) -> None:
        self.raws = raws
        self.keys: list[tuple[int, int]] = []  # (content start, index in raws)
        for k in range(len(raws)):
            self.add(k)
        self.cues = sorted(r.cue[0] for r in raws if r.cue)

    def add(self, k: int) -> None:
        """Take in ``raws[k]`` (the attributions added later have no cue)."""
        r = self.raws[k]
        if r.nested_in is None and r.kind in ("direct", "mixed"):
            insort(self.keys, (r.content[0], k))

    def starting(self, lo: int, hi: int) -> list[tuple[int, RawAttribution]]:
        """(index, attribution) for the contents starting from ``lo`` to ``hi``."""
        a, b = bisect_left(self.keys, (lo, -1)), bisect_right(self.keys, (hi, len(self.raws)))
        return [(k, self.raws[k]) for _, k in self.keys[a:b]]

    def cues_between(self, a: int, b: int) -> int:
        """How many cues start from ``a`` up to ``b`` (excluded)."""
        return bisect_left(self.cues, b) - bisect_left(self.cues, a)


def _continued_by(
    doc: Doc, raws: list[RawAttribution], q: Quote, para_a: int, hosts: _Hosts | None = None
) -> RawAttribution | None:
    """The attribution quotation ``q`` (in the paragraph starting at ``para_a``) continues, or None.
    ``hosts``: ``raws`` indexed (then only contents starting :data:`CONTINUATION_CHARS` before ``q`` count)."""
    text = doc_text(doc)
    best = None
    if hosts is None:
        for r in raws:
            if r.nested_in is not None or r.kind not in ("direct", "mixed") or r.content[0] < para_a:
                continue
            end = _frame_end(doc, r)
            if end <= q.start and (best is None or end > _frame_end(doc, best)):
                best = r
    else:
        best_end, best_k = -1, -1
        for k, r in hosts.starting(max(para_a, q.start - CONTINUATION_CHARS), q.start):
            end = _frame_end(doc, r)
            if end <= q.start and (best is None or end > best_end or (end == best_end and k < best_k)):
                best, best_end, best_k = r, end, k
    if best is None:
        return None
    gap = text[_frame_end(doc, best) : q.start]
    if len(gap) <= 4 and "\n" not in gap and all(ch in ".,;: " for ch in gap):
        return best
    # '“A,” Judge X said in her ruling. “B.”', '“A,” said X, who has run the utility since 2021, “but B.”':
    # the rest of the attribution's sentence is circumstance (no other quote, cue or line break)
    gap_a = _frame_end(doc, best)
    if (
        best.content[1] <= (best.cue or best.content)[0]
        and "\n" not in gap
        and not any(ch in gap for ch in '"“”«»„')
        and len(gap.split()) <= 12
        and gap.rstrip()[-1:] in (".", ",")
        and not _cue_between(raws, best, gap_a, q.start, hosts)
    ):
        return best
    return None


def _cue_between(raws: list[RawAttribution], best: RawAttribution, a: int, b: int, hosts: _Hosts | None) -> bool:
    """Whether an attribution other than ``best`` has its cue starting from ``a`` up to ``b``."""
    if hosts is None:
        return any(r is not best and r.cue and a <= r.cue[0] < b for r in raws)
    own = 1 if best.cue and a <= best.cue[0] < b else 0
    return hosts.cues_between(a, b) > own


def _attach_unclaimed_quotes(doc: Doc, quotes: list[Quote], raws: list[RawAttribution]) -> None:
    """Quotations no cue claimed: a colon lead-in ("X said:") or the previous quotation's speaker."""
    text = doc_text(doc)
    # What is claimed before the loop is all that matters: what the loop claims (a quotation, in text
    # order) never reaches a later quotation.
    covered = Intervals((a, b + 1) for a, b in (r.content for r in raws))
    claimed = Intervals(r.content for r in raws)
    hosts = _Hosts(raws)
    # attributions with a speaker, by the end of their content (on a tie the first listed comes last)
    speakers: list[tuple[int, int]] = sorted(
        (r.content[1], -k) for k, r in enumerate(raws) if r.source_tokens or r.inherit_from is not None
    )

    def moved(k: int, old_end: int) -> None:
        """``raws[k]``'s content now ends elsewhere: re-file it among the speakers."""
        at = bisect_left(speakers, (old_end, -k))
        if at < len(speakers) and speakers[at] == (old_end, -k):
            del speakers[at]
            insort(speakers, (raws[k].content[1], -k))

    index = {id(r): k for k, r in enumerate(raws)}
    for q in quotes:
        if covered.covers(q.inner_start, q.inner_end) or claimed.overlaps(q.inner_start, q.inner_end):
            continue
        if len(text[q.inner_start : q.inner_end].split()) < 4:
            continue  # scare quotes and titles are not attributions
        para_a = _paragraph_start(doc, q.start)
        # '“A,” X said. “B.”': a quotation right after a quoted attribution in the same paragraph continues it
        host = _continued_by(doc, raws, q, para_a, hosts)
        if host is not None:
            old_end = host.content[1]
            host.parts = (host.parts or [host.content]) + [(q.inner_start, q.inner_end)]
            host.content = (host.content[0], q.inner_end)
            moved(index[id(host)], old_end)
            continue
        # the quotation must be its own sentence(s): nothing but the quote in its paragraph
        before_end = _last_visible(text, para_a, q.start)
        if before_end > para_a and text[before_end - 1] != ":":
            continue
        at = bisect_right(speakers, (q.start, 1))
        if not at:
            continue
        last = raws[-speakers[at - 1][1]]
        if _two_breaks(doc, last.content[1], q.start) and not _ends_with_colon(text, last.content[1], q.start):
            continue
        raws.append(
            RawAttribution(
                content=(q.inner_start, q.inner_end),
                cue=None,
                kind="direct",
                inherit_from=last,
                continuation=True,
                hedges=_hedges(text, [(q.inner_start, q.inner_end)]),
            )
        )
        k = len(raws) - 1
        index[id(raws[k])] = k
        hosts.add(k)
        insort(speakers, (q.inner_end, -k))


#: Words that pick one member out of a group mentioned before ("the second official", "the other source").
_MEMBER_WORDS = frozenset({"first", "second", "third", "other", "another", "one", "both", "latter", "former"})


def cite_group_members(doc: Doc, raws: list[RawAttribution], paragraphs: int = 3) -> None:
    """Chain a member of a cited group through whoever cited the group: "The Daily Courier reported that two
    officials at the port authority had seen a draft … The second official said …" — the second official is
    one of the Courier's two, so their statement is nested in the Courier's report (the chain becomes
    outlet → Courier → official). Looks back at most ``paragraphs`` paragraph breaks; changes ``raws`` in
    place (``nested_in``)."""
    text = doc_text(doc)
    ordered = sorted(raws, key=lambda r: r.content[0])
    for k, r in enumerate(ordered):
        if r.source_tokens is None or r.nested_in is not None or r.relay_tokens is not None:
            continue
        span = doc[r.source_tokens[0] : r.source_tokens[1]]
        if not len(span):
            continue
        head = span.root
        lemma = head.lemma_.lower()
        if lemma not in ANONYMOUS_HEADS or not any(
            t.lower_ in _MEMBER_WORDS or (t.dep_ == "det" and t.lower_ == "the") for t in span if t.i < head.i
        ):
            continue
        at = span.start_char
        for prev in reversed(ordered[:k]):
            if text.count("\n\n", prev.content[1], at) > paragraphs:
                break
            if prev.source_tokens is None or prev.content[1] > at:
                continue
            inside = doc.char_span(prev.content[0], prev.content[1], alignment_mode="expand")
            if inside is None:
                continue
            group = [
                t
                for t in inside
                if t.lemma_.lower() == lemma
                and t.pos_ == "NOUN"
                and (t.tag_ == "NNS" or any(c.dep_ == "nummod" for c in t.children))
            ]
            if group:
                r.nested_in = prev
                break


def clip_to_paragraphs(doc: Doc, raws: list[RawAttribution], quotes: list[Quote]) -> list[RawAttribution]:
    """Keep each content inside its paragraph (the cue's, or the content's own when there is no cue), unless a
    quotation runs on across the break: a reported clause never takes in the next paragraph. Contents left
    empty are dropped. Returns the raws kept (changed in place)."""
    text = doc_text(doc)
    kept = []
    for r in raws:
        anchor = r.cue[0] if r.cue is not None else r.content[0]
        lo, hi = _paragraph_bounds(text, anchor)
        a, b = r.content
        if r.kind == "direct" or (a >= lo and b <= hi):
            kept.append(r)
            continue
        if any(q.start < hi < q.end or q.start < lo < q.end for q in _inner_overlapping(quotes, a - 1, b + 1)):
            kept.append(r)  # a quotation goes on over the paragraph break
            continue
        if text[lo:hi].rstrip().endswith(":"):
            kept.append(r)  # "… described the night of the storm:" and the next paragraph says what
            continue
        na, nb = _trim_chars(text, max(a, lo), min(b, hi))
        if nb - na < 2:
            continue
        r.content = (na, nb)
        if r.parts:
            r.parts = [(max(x, na), min(y, nb)) for x, y in r.parts if min(y, nb) > max(x, na)]
        kept.append(r)
    present = {id(r) for r in kept}
    for r in kept:  # nothing nests in, or inherits from, an attribution that is gone
        if r.nested_in is not None and id(r.nested_in) not in present:
            r.nested_in = None
        if r.inherit_from is not None and id(r.inherit_from) not in present:
            r.inherit_from = None
    return kept


def attach_orphan_quotes(doc: Doc, raws: list[RawAttribution], quotes: list[Quote]) -> list[RawAttribution]:
    """Give quotations the reader left without a speaker to the speaker the text implies.

    * A quotation that goes on in the same paragraph after its attribution's cue and a long aside ("“A,” said
      Ruffin, who owns a consulting firm and headed out …. “B.”") is a further part of that attribution, when
      nothing else is attributed in between.
    * A quotation with no cue and no source (a quoted post set off as its own paragraph) is the speaker's
      whose attribution closes the paragraph before ("… Van Der Beek noted there should be “zero shame”." then
      "“@Vanderkimberly and I have been through …”").

    Changes ``raws`` in place and returns them."""
    text = doc_text(doc)
    ordered = sorted(raws, key=lambda r: r.content[0])
    spans = sorted((a, b) for r in raws for (a, b) in (r.parts or [r.content]))
    starts = [a for a, _ in spans]

    def covered(a: int, b: int) -> bool:
        k = bisect_right(starts, b) - 1
        while k >= 0 and spans[k][1] > a - 1:
            if spans[k][0] < b and spans[k][1] > a:
                return True
            k -= 1
        return False

    present = {id(r) for r in raws}

    def said(r: RawAttribution | None) -> bool:
        for _ in range(20):  # a source of its own, or one inherited ("…, and added") from a kept attribution
            if r is None or id(r) not in present:
                return False
            if r.source_tokens is not None:
                return True
            r = r.inherit_from
        return False

    content_starts = [r.content[0] for r in ordered]
    for q in quotes:
        a, b = q.inner_start, q.inner_end
        if b - a < 2 or covered(a, b):
            continue
        k = bisect_left(content_starts, a) - 1
        if k < 0:
            continue
        r = ordered[k]
        if r.kind not in ("direct", "mixed") or not said(r) or r.content[1] > a or r.nested_in is not None:
            continue
        if "\n" in text[r.content[1] : a]:
            continue  # another paragraph: a new attribution's business
        r.parts = [*(r.parts or [r.content]), (a, b)]
        r.content = (r.content[0], b)
    for k, r in enumerate(ordered):
        if r.kind != "direct" or r.source_tokens is not None or r.cue is not None or r.nested_in is not None:
            continue
        lender = r.inherit_from if said(r) else None
        for prev in reversed(ordered[:k]):
            if prev is lender or prev.content[1] > r.content[0]:
                break
            if text.count("\n\n", prev.content[1], r.content[0]) > 1:
                break
            if said(prev) and prev.kind in ("direct", "indirect", "mixed"):
                # the nearest statement before, unless the quote already continues one at least as near
                r.inherit_from = prev
                r.continuation = True
                break
    return raws


class AttributionFinder:
    """spaCy component ``sayso_attribution``: finds attributions, merges their sources and computes the
    reporting chains. Writes ``doc._.sayso_sources`` (list of :class:`~sayso.schema.Source`) and
    ``doc._.sayso_attributions`` (list of :class:`~sayso.schema.Attribution`), both as plain dicts.

    The article's outlet (the chains' root) comes from ``doc._.sayso_article["outlet"]`` when set.
    ``use_model``: when the neural tagger (``sayso_neural_roles``) ran before this one, take its span
    boundaries and add the attributions it finds and the rules miss (:mod:`sayso.reader.linking`)."""

    def __init__(self, use_model: bool = True) -> None:
        self.use_model = use_model
        #: keyword arguments for :func:`sayso.reader.linking.merge` (for ablations)
        self.merge_options: dict = {}
        #: sort mental states, plans, topics and non-speech out of the claims (:mod:`sayso.reader.scope`)
        self.scope = True
        self.scope_options: dict = {}

    def __call__(self, doc: Doc) -> Doc:
        from .chains import build_attributions

        if self.use_model:
            from .reader.neural import finish_roles

            finish_roles(doc)  # an overlapped neural tagger's spans, when it is still running

        quotes = QuoteList(doc_quotes(doc))  # indexed for look-ups by offset
        model_cues: dict[int, tuple[int, int]] = {}
        if self.use_model and "sayso_roles" in doc.spans:
            model_cues = {
                s.root.i: (s.start_char, s.end_char)
                for s in doc.spans["sayso_roles"]
                if s.label_ == "cue" and s.root.pos_ in ("VERB", "AUX")
            }
        raws = find_raw_attributions(doc, quotes, model_cues)
        if self.use_model and "sayso_roles" in doc.spans:
            from .reader.linking import merge, neural_attributions

            neural = neural_attributions(doc, quotes)
            if self.scope:
                from .reader.scope import on_headline

                # a headline read as speech must not take the place of the body's attributions it overlaps
                text = doc_text(doc)
                neural = clip_to_paragraphs(doc, [n for n in neural if not on_headline(text, n)], quotes)
                raws = clip_to_paragraphs(doc, [r for r in raws if not on_headline(text, r)], quotes)
            raws = merge(doc, raws, neural, quotes, **self.merge_options)
            del neural
        if self.scope:
            from .reader.scope import apply_scope

            raws = apply_scope(doc, raws, [(q.start, q.end) for q in quotes], **self.scope_options)
        raws = clip_to_paragraphs(doc, raws, quotes)
        cite_group_members(doc, raws)
        attach_orphan_quotes(doc, raws, quotes)
        sources, attributions = build_attributions(doc, raws, quotes)
        # (memory, for a long article: what is no longer needed goes before the plain values are made)
        del raws
        drop_lookup_tables(doc)
        doc._.sayso_attributions = plain_list(attributions)
        del attributions
        doc._.sayso_sources = plain_list(sources)
        return doc


@Language.factory(
    "sayso_attribution",
    default_config={"use_model": True},
    assigns=["doc._.sayso_sources", "doc._.sayso_attributions"],
    requires=PARSE_REQUIRES,
)
def make_attribution_finder(nlp: Language, name: str, use_model: bool) -> AttributionFinder:
    """Factory for :class:`AttributionFinder` (``nlp.add_pipe("sayso_attribution")``); ``nlp`` must parse."""
    require_parse(nlp, name)
    return AttributionFinder(use_model=use_model)
