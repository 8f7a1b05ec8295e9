"""Neural role spans → attributions, merged with the rules' attributions.

The neural tagger (:mod:`sayso.reader.neural`) marks source, cue and content spans but does not say which
belong together; the rules (:mod:`sayso.attribution`) know the structure (who told whom, relays, citations,
nesting, continued quotes) but draw weaker boundaries. This module:

1. links the spans of each paragraph into attributions (:func:`neural_attributions`): every content goes to
   the nearest cue of its paragraph (fewest tokens between them; the same sentence first), every cue takes
   the nearest source of its sentence; a cue without content is dropped;
2. merges them with the rules' attributions (:func:`merge`): where a rule attribution and a neural one share
   their cue (or, cue-less, most of their content), the rule attribution keeps its structure and takes the
   neural spans as its boundaries; neural attributions that no rule found are added; rule attributions the
   tagger did not confirm are kept when nested inside another (PolNeAR's tagger only knows outermost ones) or
   when ``keep_unconfirmed`` says so.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate

from spacy.tokens import Doc, Span, Token

from ..attribution import _hedges, _indexed, _kind, _quote_at, _trim_chars
from ..cues import CUE_VERBS
from ..extensions import doc_text
from ..intervals import Intervals
from ..quotes import Quote
from .raw import RawAttribution

ROLES_KEY = "sayso_roles"
_OPENING = {"\u201c", '"', "\u00ab", "``", "'", "\u2018"}


def _gap(a: Span, b: Span) -> int:
    """Tokens strictly between two spans (0 when adjacent or overlapping)."""
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _para_of(text: str, pos: int, starts: list[int]) -> int:
    import bisect

    return bisect.bisect_right(starts, pos) - 1


def _flanking(cue: Span, contents: list[Span], sources: list[Span], src_tokens: set[int] | None = None) -> list[Span]:
    """The content fragments that belong to ``cue``: the nearest one before it and the nearest one after it,
    each only if it reaches into the cue's sentence or is separated from the cue by source words alone
    ("“A,” the minister said, “B.”" gives two fragments; a content two sentences away is not the cue's).
    ``src_tokens``: the tokens of ``sources`` (computed when not given)."""
    sent = cue.sent
    if src_tokens is None:
        src_tokens = {i for s in sources for i in range(s.start, s.end)}

    def near(c: Span) -> bool:
        if c.start < sent.end and c.end > sent.start:
            return True
        lo, hi = (c.end, cue.start) if c.end <= cue.start else (cue.end, c.start)
        gap = sum(1 for i in range(lo, hi) if i not in src_tokens)
        # "“A,” he said last month. “B.”": a quotation resumed right after the cue's sentence
        opens = c.doc[c.start].text in _OPENING or (c.start > 0 and c.doc[c.start - 1].text in _OPENING)
        resumed = c.start >= cue.end and opens and gap <= 6
        return gap <= 2 or resumed

    before = [c for c in contents if c.start < cue.start and near(c)]
    after = [c for c in contents if c.start >= cue.start and near(c)]
    out = []
    if before:
        out.append(max(before, key=lambda c: c.end))
    if after:
        out.append(min(after, key=lambda c: c.start))
    return out


#: Marks a source mention never ends on.
_SOURCE_TAIL = frozenset({",", ";", ":", "-", "\u2013", "\u2014", "."})


def _trim_source(source: Span) -> Span | None:
    """A source mention without a trailing relative pronoun or comma ("a neighbour, who" → "a neighbour"); a
    relative clause the tagger cut short is read to its end ("The person, who was not authorised to" →
    "The person, who was not authorised to discuss the case")."""
    end = source.end
    for t in source[1:-1]:
        if t.tag_ in ("WP", "WDT", "WP$") and source.doc[t.i - 1].text == "," and t.head.dep_ == "relcl":
            clause_end = t.head.right_edge.i + 1
            if clause_end > end and t.head.head.i < t.i:  # the clause of a noun in the mention
                end = clause_end
            break
    if end != source.end:
        source = source.doc[source.start : end]
    while end > source.start and (
        source.doc[end - 1].text in _SOURCE_TAIL or source.doc[end - 1].tag_ in ("WP", "WDT")
    ):
        end -= 1
    if end == source.start:
        # a lone relative pronoun ("workers who have demanded"): it stands for the noun it follows
        lone = source.doc[source.start]
        return source.doc[source.start : source.start + 1] if lone.lower_ in ("who", "whom") else None
    return source.doc[source.start : end] if end != source.end else source


def _trim_cue(cue: Span) -> Span:
    """A cue without the date or time words the tagger sometimes adds ("reported Friday" → "reported")."""
    end = cue.end
    while end - cue.start > 1 and cue.doc[end - 1].ent_type_ in ("DATE", "TIME"):
        end -= 1
    return cue.doc[cue.start : end] if end != cue.end else cue


#: Parts of speech a content never ends on ("the recruitment target to" ends at "target").
_TAIL_POS = frozenset({"ADP", "CCONJ", "SCONJ", "DET", "PART"})


def _trim_function_tail(span: Span) -> Span:
    end = span.end
    while end > span.start and (span.doc[end - 1].pos_ in _TAIL_POS or span.doc[end - 1].is_space):
        end -= 1
    return span.doc[span.start : end] if end != span.end else span


#: Nouns of intention: "Ostrevia's plan to buy tanks" reports no statement by Ostrevia.
INTENTION_NOUNS = frozenset(
    "plan plans intention intentions bid effort efforts attempt decision move push goal aim desire wish order".split()
)


#: Raising verbs: "the plan appears to be in limbo" reports nothing the plan said.
RAISING_VERBS = frozenset({"appear", "seem"})


def _debris(span: Span) -> bool:
    """Whether a content fragment holds nothing said: only pronouns, function words and forms of cue verbs
    ("“...,” the agency quoted him as saying": "him as saying" is the attribution's tail, not content)."""
    return all(
        t.is_punct or t.is_space or t.is_stop or t.pos_ in ("PRON", "ADP", "DET") or t.lemma_.lower() in CUE_VERBS
        for t in span
    )


def _conjunct_subject(verb: Token, content_tokens: set[int] = frozenset()) -> Token | None:
    """The subject a cue verb without a subject of its own shares with the verb it is conjoined to ("Vietnam
    is … and has accused Beijing"): a proper name. None when the verb has a subject of its own, the one found
    is no name, or the verb it is joined to lies in a content (``content_tokens``: "said the deaths were caused
    by gunshots and called on …" is no coordination with "caused")."""
    v = verb
    for _ in range(3):
        subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subs:
            sub = subs[0]
            return None if v is verb or sub.pos_ != "PROPN" else sub
        if v.dep_ != "conj" or v.head.pos_ not in ("VERB", "AUX"):
            return None
        if not any(t.dep_ == "cc" and t.head == v.head for t in v.doc[v.head.i + 1 : v.i]):
            return None  # no "and"/"but" between them: the parser's guess, not a coordination
        if v.head.i in content_tokens:
            return None
        v = v.head
    return None


def _names_someone(span: Span) -> bool:
    """Whether ``span`` holds a proper name or a personal pronoun."""
    return any(t.pos_ == "PROPN" or (t.pos_ == "PRON" and t.lower_ not in ("who", "which", "that")) for t in span)


def _noun_phrase(head: Token) -> Span:
    """``head`` with the words before it that modify it ("activist tech workers")."""
    return head.doc[head.left_edge.i : head.i + 1]


def _speaker_after(fragment: Span, cue: Span, quotes: list[Quote]) -> bool:
    """Whether a "content" fragment right after ``cue`` is its speaker: a noun phrase without a verb, outside
    quotation marks, that follows the cue at once and holds a name ("..., said the executive chair Marcelo
    Claure")."""
    if fragment.start != cue.end or any(t.pos_ in ("VERB", "AUX") for t in fragment):
        return False
    q = _quote_at(quotes, fragment.start_char)
    if q is not None and q.inner_start <= fragment.start_char < q.inner_end:
        return False
    return any(t.pos_ == "PROPN" for t in fragment) and fragment.root.pos_ in ("PROPN", "NOUN")


def _clip_at_closing_quote(
    text: str, content: tuple[int, int], marks: list[tuple[int, int]], quotes: list[Quote]
) -> tuple[int, int]:
    """``content`` cut at the end of the quotation it opens with when the words after that quotation hold, or
    run up to, the attribution's own source or cue (``marks``: their character spans): "“We acted at once,”
    agency director Mirela Kovač" → "We acted at once". Unchanged otherwise."""
    a, b = content
    candidates: list[Quote] = quotes
    if _indexed(quotes):  # quotations in order, never overlapping: at most two open within a character of a
        k = bisect_left(quotes.inner_starts, a - 1)  # type: ignore[attr-defined]
        candidates = quotes[k : k + 2]
    for q in candidates:
        if q.inner_start > a + 1:
            break
        if q.inner_start >= a - 1 and q.inner_end < b and any(q.end <= m0 <= b + 1 for m0, _ in marks):
            return _trim_chars(text, a, q.inner_end)
    return content


def _intention(cue: Span) -> bool:
    """Whether ``cue`` names an intention or a raising verb rather than an act of saying or believing."""
    if any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in INTENTION_NOUNS for t in cue):
        return True
    return len(cue) == 1 and cue.root.lemma_.lower() in RAISING_VERBS


def neural_attributions(doc: Doc, quotes: list[Quote], drop_intentions: bool = True) -> list[RawAttribution]:
    """Attributions linked from ``doc.spans["sayso_roles"]`` (see the module docstring), in text order.

    ``drop_intentions``: leave out cues that are nouns of intention (:data:`INTENTION_NOUNS`)."""
    if ROLES_KEY not in doc.spans:
        return []
    text = doc_text(doc)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    by_para: dict[int, list[Span]] = defaultdict(list)
    for s in doc.spans[ROLES_KEY]:
        by_para[_para_of(text, s.start_char, starts)].append(s)
    out: list[RawAttribution] = []
    for spans in by_para.values():
        cues = [_trim_cue(s) for s in spans if s.label_ == "cue"]
        if drop_intentions:
            cues = [c for c in cues if not _intention(c)]
        if not cues:
            continue
        contents: dict[int, list[Span]] = defaultdict(list)
        cue_starts = [c.start for c in cues]  # (role spans never overlap: in order, by start and by end)
        for c in (s for s in spans if s.label_ == "content"):
            best = min(_cues_near(cues, cue_starts, c), key=lambda k: (cues[k].sent != c.sent, _gap(cues[k], c), k))
            contents[best].append(c)
        sources = [s for s in spans if s.label_ == "source"]
        src_tokens = {i for s in sources for i in range(s.start, s.end)}
        content_tokens = {i for s in spans if s.label_ == "content" for i in range(s.start, s.end)}
        by_sent: dict[tuple[int, int], list[Span]] = defaultdict(list)
        for s in sources:
            by_sent[(s.sent.start, s.sent.end)].append(s)
        for k, cue in enumerate(cues):
            parts_spans = _flanking(cue, contents.get(k, []), sources, src_tokens)
            if not parts_spans:
                continue
            parts_spans = [_trim_function_tail(s) for s in parts_spans]
            named_after = None
            if len(parts_spans) > 1:
                parts_spans = [s for s in parts_spans if not _debris(s)] or parts_spans[:1]
            if len(parts_spans) > 1 and _speaker_after(parts_spans[-1], cue, quotes):
                # "Job cuts will come, said the executive chair Marcelo Claure": the name after the cue speaks
                named_after = parts_spans.pop()
            parts = [_trim_chars(text, s.start_char, s.end_char) for s in parts_spans if len(s)]
            parts = [p for p in parts if p[1] - p[0] > 1]
            if not parts:
                continue
            sent = cue.sent
            in_sent = by_sent.get((sent.start, sent.end)) or [
                s for p in parts_spans for s in by_sent.get((p.sent.start, p.sent.end), ())
            ]
            source = min(in_sent, key=lambda s: (_gap(s, cue), s.start)) if in_sent else None
            if named_after is not None and (source is None or _gap(source, cue) > 0):
                source = named_after
            if source is not None:
                source = _trim_source(source)
            subject = _conjunct_subject(cue.root, content_tokens)
            if (
                subject is not None
                and (source is None or not source.start <= subject.i < source.end)
                and (source is None or _gap(source, cue) > 0)  # a source right beside its cue stays
                # a shared subject only overrules a tagged source that names nobody ("the region's")
                and (source is None or not _names_someone(source))
            ):
                # "Vietnam is one of the region's critics and has accused Beijing": the verb shares the
                # subject of the verb it is joined to; "workers who have demanded": the relative's antecedent
                holding = [s for s in in_sent if s.start <= subject.i < s.end]
                source = _trim_source(holding[0]) if holding else _noun_phrase(subject)
            marks = [(cue.start_char, cue.end_char)] + ([(source.start_char, source.end_char)] if source else [])
            parts = [_clip_at_closing_quote(text, p, marks, quotes) for p in parts]
            content = (parts[0][0], parts[-1][1])
            kinds = {_kind(text, p, quotes) for p in parts}
            out.append(
                RawAttribution(
                    content=content,
                    cue=(cue.start_char, cue.end_char),
                    kind=kinds.pop() if len(kinds) == 1 else "mixed",
                    source_tokens=(source.start, source.end) if source is not None else None,
                    cue_token=cue.root.i,
                    hedges=_hedges(text, [(cue.start_char, cue.end_char), *parts]),
                    parts=parts if len(parts) > 1 else [],
                )
            )
    out.sort(key=lambda r: r.content[0])
    return out


def _cues_near(cues: list[Span], starts: list[int], c: Span) -> list[int]:
    """Indices of the cues that can be nearest to content ``c`` (``cues`` in order, ``starts`` their first
    tokens): the last starting before it, those starting inside it, the first after it, and those starting in
    its sentence. Ordered by index, as a pass over all cues would meet them."""
    lo = bisect_left(starts, c.start)
    hi = bisect_left(starts, c.end)
    near = set(range(max(0, lo - 1), min(len(cues), hi + 1)))
    sent = c.sent
    near.update(range(bisect_left(starts, sent.start), bisect_left(starts, sent.end)))
    return sorted(near)


class _SpanIndex:
    """(start, end) spans with a value each, found by overlap without a pass over all of them: sorted by start,
    with the furthest end reached so far, so a search walks back only while an earlier span can still reach."""

    def __init__(self, items: Iterable[tuple[tuple[int, int], int]]) -> None:
        self.items = sorted(items)
        self.starts = [span[0] for span, _ in self.items]
        self.reach = list(accumulate((span[1] for span, _ in self.items), max))

    def overlapping(self, span: tuple[int, int]) -> list[int]:
        """The values of the spans sharing at least one character with ``span``, in increasing order."""
        a, b = span
        out = []
        k = bisect_left(self.starts, b) - 1
        while k >= 0 and self.reach[k] > a:
            (s, e), value = self.items[k]
            if _overlap((s, e), span) > 0:
                out.append(value)
            k -= 1
        return sorted(out)


def _takes_source(doc: Doc, r: RawAttribution, n: RawAttribution) -> bool:
    """Whether the rule attribution ``r`` takes the neural source of ``n``: not when the rules know more
    about who speaks — a hedge with no source ("the fund reportedly plans"), a source inherited through a
    conjunction, a relay ("the agency quoted him as saying"), or a mention the neural one lies inside ("a senior
    official, who was not authorised to speak")."""
    if r.inherit_from is not None or r.relay_tokens is not None or r.kind == "hedged":
        return False
    if r.source_tokens is not None and n.source_tokens is not None:
        (ra, rb), (na, nb) = r.source_tokens, n.source_tokens
        if ra <= na and nb <= rb and (ra, rb) != (na, nb):
            return False
    return True


def _runs_into_source(doc: Doc, n: RawAttribution, r: RawAttribution) -> bool:
    """Whether the neural content ``n`` runs on past the end of the rules' quotation ``r`` into the source the
    rules found after it ("“We acted at once,” agency director Mirela Kovač")."""
    if r.source_tokens is None:
        return False
    source_start = doc[r.source_tokens[0]].idx
    return n.content[0] <= r.content[0] and r.content[1] <= source_start < n.content[1]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def merge(
    doc: Doc,
    rules: list[RawAttribution],
    neural: list[RawAttribution],
    quotes: list[Quote],
    keep_unconfirmed: bool = True,
    take_source: bool = True,
    take_content: bool = True,
    add_unmatched: bool = True,
    neural_wins: bool = False,
    keep_rule_quotes: bool = True,
) -> list[RawAttribution]:
    """The rules' attributions with neural boundaries where both agree on the cue, plus the neural ones no
    rule found (see the module docstring). ``take_source``/``take_content``: a matched attribution takes the
    neural source span (when the tagger marked one) / content spans; ``add_unmatched``: add the neural
    attributions no rule found; ``neural_wins``: an unmatched neural attribution replaces the unconfirmed rule
    attribution it overlaps; ``keep_rule_quotes``: where both read a direct quotation, the rules' boundaries
    (the quotation marks) stay. Measured on PolNeAR dev (exact F1): the defaults are the best combination.
    Returns attributions in text order."""
    text = doc_text(doc)
    used: set[int] = set()
    out: list[RawAttribution] = []
    unconfirmed: list[RawAttribution] = []
    by_cue = _SpanIndex((n.cue, k) for k, n in enumerate(neural) if n.cue)
    by_content = _SpanIndex((n.content, k) for k, n in enumerate(neural))
    cueless = any(not n.cue for n in neural)
    for r in rules:
        match = None
        if r.cue is not None:
            cands = [k for k in by_cue.overlapping(r.cue) if k not in used]
            if cands:
                match = max(cands, key=lambda k: _overlap(neural[k].content, r.content))
        if match is None and (r.cue is None or cueless):
            cands = [
                k
                for k in by_content.overlapping(r.content)
                if k not in used
                and _overlap(neural[k].content, r.content)
                > 0.5 * min(neural[k].content[1] - neural[k].content[0], r.content[1] - r.content[0])
                and (r.cue is None or neural[k].cue is None)
            ]
            if cands:
                match = max(cands, key=lambda k: _overlap(neural[k].content, r.content))
        if match is None:
            if keep_unconfirmed or r.nested_in is not None or r.continuation:
                unconfirmed.append(r)
                out.append(r)
            continue
        used.add(match)
        n = neural[match]
        # both read a quotation, or the rules found one the tagger did not see (a colon lead-in's quote in the
        # next paragraph): the quotation marks are the better boundary
        rule_quote = (
            keep_rule_quotes
            and r.kind == "direct"
            and (n.kind == "direct" or not _overlap(r.content, n.content) or _runs_into_source(doc, n, r))
        )
        # a hedged report ("the minister reportedly plans to resign") is the whole clause, as the rules read it
        if r.nested_in is None and take_content and not rule_quote and r.kind != "hedged":
            r.content = n.content
            r.parts = list(n.parts)
            if r.kind in ("direct", "mixed", "indirect"):  # "according_to" and "hedged" are the rules' to say
                r.kind = n.kind
            r.hedges = _hedges(text, [*([r.cue] if r.cue else []), *(r.parts or [r.content])])
        if r.nested_in is None:
            if take_source and n.source_tokens is not None and _takes_source(doc, r, n):
                r.source_tokens = n.source_tokens
            if n.cue is not None and r.kind != "hedged":
                r.cue = n.cue
        out.append(r)
    # a kept attribution's parent (nested in, source inherited from) stays too
    kept = {id(r) for r in out}
    for r in list(out):
        for parent in (r.nested_in, r.inherit_from):
            while parent is not None and id(parent) not in kept:
                out.append(parent)
                kept.add(id(parent))
                parent = parent.nested_in
    extra = [n for k, n in enumerate(neural) if add_unmatched and k not in used]
    if neural_wins:
        # an unmatched neural attribution beats an unconfirmed, outermost rule attribution it overlaps
        parents = {id(r.nested_in) for r in out if r.nested_in is not None}
        parents |= {id(r.inherit_from) for r in out if r.inherit_from is not None}
        losers = {
            id(r)
            for r in unconfirmed
            if r.nested_in is None
            and not r.continuation
            and id(r) not in parents
            and any(_overlap(n.content, r.content) > 0 for n in extra)
        }
        out = [r for r in out if id(r) not in losers]
    # (an empty content overlaps nothing)
    taken = Intervals(r.content for r in out if r.content[1] > r.content[0])
    added: list[tuple[int, int]] = []  # the contents added below, by start (they never overlap)
    for n in extra:
        a, b = n.content
        if b > a:
            k = bisect_left(added, (a, b))
            if taken.overlaps(a, b) or (k and added[k - 1][1] > a) or (k < len(added) and added[k][0] < b):
                continue
            insort(added, (a, b))
        out.append(n)
    out.sort(key=lambda r: (r.content[0], r.nested_in is not None))
    return out
