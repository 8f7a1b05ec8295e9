"""The ``sayso_times`` component: time expressions with TIMEX3 types and values.

Expressions come from sayso's own patterns (:func:`sayso.timex.scan`), checked against the parse (a bare
'2014' counts as a year only after a temporal preposition or inside spaCy's DATE entity; 'daily' only as an
adverb), plus spaCy's DATE/TIME entities the patterns miss (kept with ``value=None``).

Values are resolved in text order: deictic expressions against the publication date ('Friday',
'yesterday', 'last week'), relational ones against the narrative reference time, the last dated expression
('a month later' after 'September 2022' -> 2022-10). ``TimeExpression.anchor`` says which: ``"DCT"`` for
the publication date, or the id of the anchoring expression ('t4'); None for absolute values.

Weekday names take the most recent such day on or before the publication date, unless the clause is in
the future tense ('will', 'would', 'is to resume', 'plans to') or a word before points ahead ('as soon as
Tuesday', 'until Friday': the next such day), and the past perfect overrides the word ('Until Thursday, they
had not ...');
a month-day without a year takes the year of a year written out in the same sentence, or in the previous
one when it framed that sentence ('In 2019, ...'), when that differs from the publication year; else the
year the clause's tense implies, else the year that puts it nearest the publication date.
A fiscal quarter named in the last :data:`QUARTER_WINDOW` sentences anchors 'a year ago' and 'the year-earlier
quarter' (earnings reports: 1988-Q3).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .extensions import PARSE_REQUIRES, doc_text, plain_list, publication_date, require_parse
from .intervals import Intervals
from .schema import TimeExpression
from .timex import MONTH_PREPOSITIONS, Candidate, Context, Point, Resolved, Tense, resolve, scan

#: spaCy entity labels whose spans are taken as time expressions.
TIME_LABELS = ("DATE", "TIME")

#: A URL; a bare domain with a path only from the start of its run of non-spaces (where any such match
#: starts): trying every position of a long run again would be quadratic.
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)\S+\.(?:com|org|net|ru|uk)/\S*")
TIME_WORD = re.compile(
    r"\b(?:day|week|month|year|decade|century|centuries|hour|minute|morning|afternoon|evening|night|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|spring|summer|autumn|winter|"
    r"ago|\d{4})s?\b",
    re.IGNORECASE,
)
#: After an entity: it is an age ('a 6-year-old', '44 years old'), not a time.
_AGE = re.compile(r"(?:-|\s+)old\b")
_RATE_BEFORE = re.compile(
    r"(?:\d|%|percent|million|billion|thousand|hundred|dollars|euros|rubles|times|once|twice)\s*$",
    re.IGNORECASE,
)
#: Words that introduce a time framing the whole sentence ('In 2019, the mayor was elected.').
_FRAMING = frozenset({"in", "on", "during", "by", "until"})
#: How many sentences back a named quarter still anchors 'a year ago' ('the year-earlier quarter').
QUARTER_WINDOW = 2
#: How many steps up the parse :func:`governing_verb` walks from a time expression to find its verb.
WALK_LIMIT = 12
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "gon", "would"})
#: Words right before a weekday that put it after the DCT whatever the tense ('as soon as Tuesday',
#: 'postponed until Friday'): HeidelTime's future signals for weekday names.
_FORWARD = re.compile(r"\b(?:as\s+(?:soon|early)\s+as|until|till|no\s+later\s+than)\s+(?:on\s+)?$", re.IGNORECASE)
#: Words right before a calendar date that fix its direction from the DCT whatever the clause's tense:
#: 'the quarter ended Sept. 30' lies before it, 'effective Feb. 1' and 'payable Jan. 2' after it.
_DATE_CUES: tuple[tuple[re.Pattern, Tense], ...] = (
    (re.compile(r"\b(?:ended|ending)\s+$", re.IGNORECASE), "past"),
    (re.compile(r"\b(?:effective|payable|expires?|expiring|due|until|till)\s+(?:on\s+)?$", re.IGNORECASE), "future"),
)
#: The rules whose year :data:`_DATE_CUES` may decide.
_CUED_RULES = frozenset({"mdy", "dmy", "month", "md_range", "dm_range"})
_FUTURE_VERBS = frozenset({"plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "prepare"})


def _parse_dct(value: str | None) -> date | None:
    """The publication date as a ``date``; ``value`` is 'YYYY-MM-DD' (longer strings are cut)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def governing_verb(span: Span) -> Token | None:
    """The first verb (or auxiliary) at or above ``span``'s root in the parse, or None."""
    tok = span.root
    for _ in range(WALK_LIMIT):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _has_had(tok: Token) -> bool:
    """Whether ``tok`` (or the copula it completes: 'had been due') is in the past perfect."""
    for t in (tok, tok.head) if tok.dep_ in ("acomp", "attr") else (tok,):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in t.children):
            return True
    return False


def past_perfect(span: Span) -> bool:
    """Whether the clause governing ``span`` is in the past perfect ('Until Thursday, they had not called
    him a suspect'): its time lies before the DCT whatever a cue word says."""
    tok = governing_verb(span)
    return tok is not None and _has_had(tok)


def clause_tense(span: Span) -> Tense | None:
    """The tense of the clause governing ``span``: 'past', 'present', 'future', or None when unclear.

    Walks up from the span's root to the first verb and reads its tag and auxiliaries; 'is to resume' and
    'plans to meet' are future, 'had been due to expire' past."""
    tok = governing_verb(span)
    if tok is None:
        return None
    tense = _verb_tense(tok)
    if tense is None and tok.tag_ == "VBN" and tok.dep_ == "acl" and tok.lemma_ not in _FUTURE_VERBS:
        # a bare past participle names a done event: 'shares issued July 1', 'products introduced in April'
        return "past"
    return tense


def _verb_tense(tok: Token) -> Tense | None:
    """The tense a verb token's tag and auxiliaries give (see :func:`clause_tense`), or None."""
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX or ("going" in lowers and "to" in lowers):
        return "future"
    if tok.tag_ == "VB" and "to" in lowers:
        gov = tok.head
        if gov.lemma_ in _FUTURE_VERBS:
            return "past" if _has_had(gov) else "future"
        if gov.lemma_ == "be" and gov.tag_ in ("VBZ", "VBP") and tok.dep_ == "xcomp":
            return "future"  # 'the stock is to resume trading Tuesday'
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if tok.tag_ == "VBN" and lowers & {"has", "have", "had"}:
        return "past"
    if tok.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def _cued_tense(cand: Candidate, text: str) -> Tense | None:
    """The direction a cue word before a month-day gives it ('ended Sept. 30': 'past'), or None.

    ``cand``: the candidate; ``text``: the document text."""
    if cand.rule not in _CUED_RULES:
        return None
    before = text[max(0, cand.start - 20) : cand.start]
    for rx, tense in _DATE_CUES:
        if rx.search(before):
            return tense
    return None


def _contradicts(year: int, dct: date, tense: Tense | None) -> bool:
    """Whether a clause's tense rules out ``year`` for a month-day in it: a future clause cannot lie in a
    year before the DCT's, nor a past one in a year after it."""
    return (tense == "future" and year < dct.year) or (tense == "past" and year > dct.year)


def _word_before(text: str, start: int) -> str:
    words = re.findall(r"[\w'-]+", text[max(0, start - 20) : start])
    return words[-1].lower() if words else ""


class TimeTagger:
    """Finds and normalises time expressions; writes ``doc._.sayso_times`` (their plain dicts)."""

    def __call__(self, doc: Doc) -> Doc:
        """Tag ``doc`` (a parsed Doc) and return it with ``doc._.sayso_times`` set."""
        doc._.sayso_times = plain_list(self.tag(doc))
        return doc

    def _accept(self, cand: Candidate, doc: Doc, ents: list[Span], ent_starts: list[int] | None = None) -> bool:
        """Whether a pattern match is a time expression in this sentence. ``ents``: the doc's DATE and TIME
        entities in order; ``ent_starts``: their first tokens' indices (computed when not given)."""
        text = doc_text(doc)
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            return False
        if cand.rule == "year" and not cand.match["edge"]:
            prev = _word_before(text, cand.start)
            if ent_starts is None:
                ent_starts = [e.start for e in ents]
            k = bisect_right(ent_starts, span.start) - 1  # entities never overlap: only this one can hold it
            in_date_ent = k >= 0 and ents[k].label_ in TIME_LABELS and span.start < ents[k].end
            nxt = text[cand.end : cand.end + 2]
            if not (prev in MONTH_PREPOSITIONS or in_date_ent or nxt.startswith("'s")):
                return False
        if cand.rule == "set_adverb" and span[0].pos_ != "ADV" and span[0].lower_ not in ("annually", "yearly"):
            return False
        return True

    def tag(self, doc: Doc) -> list[TimeExpression]:
        """The time expressions of ``doc`` in text order, with ids 't1', 't2', ..."""
        text = doc_text(doc)
        dct = _parse_dct(publication_date(doc))
        urls = Intervals(m.span() for m in _URL.finditer(text))
        ents = [e for e in doc.ents if e.label_ in TIME_LABELS]
        ent_starts = [e.start for e in ents]

        items: list[tuple[int, int, Candidate | None, str]] = []
        for cand in scan(text):
            if not urls.covers(cand.start, cand.end) and self._accept(cand, doc, ents, ent_starts):
                items.append((cand.start, cand.end, cand, ""))
        # entities never overlap each other: checking them against the pattern matches is enough
        found = Intervals((a, b) for a, b, _, _ in items)
        for ent in ents:
            s, e = ent.start_char, ent.end_char
            if urls.covers(s, e) or found.overlaps(s, e):
                continue
            if ent.text.isdigit():  # a bare number: the year patterns above had their say ('ok 5428')
                continue
            if TIME_WORD.search(ent.text) and not _AGE.match(text, e) and "-old" not in ent.text:
                items.append((s, e, None, ent.label_))
        items.sort(key=lambda t: t[0])

        out: list[TimeExpression] = []
        ref: Point | None = None
        ref_id: str | None = None
        ref_sent = -10
        ref_explicit = False
        ref_framing = False  # the reference time frames its sentence ('In 2019, ...')
        quarter: Point | None = None  # the last quarter named, and its sentence
        quarter_sent = -10
        sent_starts = [s.start_char for s in doc.sents]

        def sent_index(char: int) -> int:
            return max(0, bisect_right(sent_starts, char) - 1)

        for start, end, cand, label in items:
            tid = f"t{len(out) + 1}"
            si = sent_index(start)
            if cand is None:
                out.append(TimeExpression(id=tid, start=start, end=end, text=text[start:end], value=None, type=label))
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            recent_year = None
            if (
                ref is not None
                and ref_explicit
                and (si == ref_sent or (si - ref_sent == 1 and ref_framing))
                and (dct is None or ref.day.year != dct.year)
            ):
                recent_year = ref.day.year
            same_day = ref if (ref is not None and ref_sent == si and ref.gran in ("day", "time")) else None
            tense = _cued_tense(cand, text) or (clause_tense(span) if span is not None else None)
            if recent_year is not None and dct is not None and _contradicts(recent_year, dct, tense):
                recent_year = None  # 'joined in July 1997 and will join NATO on March 12': not 1997
            ctx = Context(
                dct=dct,
                ref=ref,
                tense=tense,
                recent_year=recent_year,
                day=Point(same_day.day, "day") if same_day else None,
                quarter=quarter if si - quarter_sent <= QUARTER_WINDOW else None,
                forward=_FORWARD.search(text[max(0, start - 25) : start]) is not None
                and not (span is not None and past_perfect(span)),
            )
            res: Resolved | None = resolve(cand, ctx)
            if res is None:
                continue
            if res.type == "DURATION" and _RATE_BEFORE.search(text[max(0, start - 16) : start]):
                if re.match(r"(?:a|an|per)\s", cand.text, re.IGNORECASE):
                    # '$5 million a year', '300 people per day': a rate, i.e. a SET
                    res = Resolved("SET", res.value)
            anchor = None
            if res.anchor == "dct":
                anchor = "DCT" if dct is not None else None
            elif res.anchor == "ref":
                anchor = ref_id if (ref is not None and ref_id) else ("DCT" if dct is not None else None)
            out.append(
                TimeExpression(
                    id=tid,
                    start=start,
                    end=end,
                    text=text[start:end],
                    value=res.value,
                    type=res.type,
                    end_value=res.end_value,
                    anchor=anchor,
                )
            )
            if res.point is not None and res.point.gran == "quarter":
                quarter, quarter_sent = res.point, si
            if res.point is not None and res.type in ("DATE", "TIME"):
                ref_explicit = res.explicit_year or (res.anchor == "ref" and ref_explicit)
                ref_framing = _word_before(text, start) in _FRAMING and start - sent_starts[si] < 12
                ref, ref_id, ref_sent = res.point, tid, si
        return out


@Language.factory("sayso_times", assigns=["doc._.sayso_times"], requires=PARSE_REQUIRES)
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    """spaCy factory for :class:`TimeTagger` (``nlp``, ``name``: given by spaCy); ``nlp`` must parse."""
    require_parse(nlp, name)
    return TimeTagger()
