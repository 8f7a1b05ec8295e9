"""Source entities: who a mention of a speaker refers to, merged within the article.

A mention ("political scientist Ilya Grashchenkov", "Grashchenkov", "one Kremlin source", "the source",
"they", "the outlet") is analysed by :func:`describe_mention` and resolved by :class:`SourceRegistry` to a
:class:`~sayso.schema.Source`:

- named people (spaCy PERSON) merge by surname, keeping role/title from pre-modifiers and appositives;
- organisations, governments and outlets merge by normalised name; outlets are recognised from a table of
  well-known outlets, from outlet nouns ("the investigative news outlet Vyorstka") and from the article's
  own outlet;
- anonymous sources ("sources", "a source close to X", "two officials") get descriptor, affiliation,
  closeness, number and the stated reason for anonymity; an indefinite description starts a new source, a
  definite one ("the source", "the official") or a pronoun ("they") refers back to the latest fitting one.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .cues import (
    ANONYMITY_MARKERS,
    ANONYMOUS_HEADS,
    CLOSENESS_MARKERS,
    GOVERNMENT_NAMES,
    GOVERNMENT_WORDS,
    OUTLET_NAME_WORDS,
    OUTLET_NOUNS,
    TITLE_WORDS,
)
from .extensions import doc_cache, doc_text
from .names import PRONOUN_GENDER, Gender, agrees, name_gender
from .schema import Source
from .schema import Span as SpanModel

KNOWN_OUTLETS = frozenset(
    """
    reuters|associated press|ap|afp|agence france-presse|bloomberg|tass|ria novosti|interfax|bbc|cnn|
    the new york times|new york times|the washington post|washington post|the guardian|the times|
    the wall street journal|wall street journal|financial times|the financial times|politico|axios|nbc|
    nbc news|cbs|cbs news|abc news|fox news|msnbc|npr|al jazeera|the moscow times|meduza|novaya gazeta|
    kommersant|vedomosti|rbc|izvestia|vyorstka|verstka|the insider|the economist|der spiegel|le monde|
    usa today|los angeles times|the atlantic|the hill|buzzfeed news|huffpost|breitbart|vox|the intercept|
    kyiv independent|ukrainska pravda|new york post|the new york post|daily mail|the telegraph|xinhua|
    yonhap|kyodo|dpa|efe|ansa|euronews|deutsche welle|dw|radio free europe|rfe/rl|voice of america|
    sky news|channel 4|itv|cnbc|the independent|western journal|the western journal|politifact
    """.replace("\n", "").split("|")
)

PRONOUNS_PERSON = {"he", "him", "she", "her"}
ORG_NOUNS = frozenset(
    """
    company firm bank group authority agency office board union federation association club council committee
    court prosecutor prosecutors regulator institute university hospital foundation party campaign
    """.split()
)
PRONOUNS_PLURAL = {"they", "them"}
PRONOUNS_SPEAKER = {"i", "we", "me", "us"}
_REASON_START = re.compile(r"\b(because|as|since|given that|due to|for fear)\b", re.I)
_UNINFORMATIVE_AFFILIATION = {
    "matter",
    "situation",
    "plans",
    "plan",
    "talks",
    "discussions",
    "negotiations",
    "issue",
    "thinking",
    "case",
    "investigation",
    "deliberations",
    "decision",
    "process",
}
_NUMBER_WORDS = {
    "a": "1",
    "an": "1",
    "one": "1",
    "another": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "several": "several",
    "some": "several",
    "many": "several",
    "multiple": "several",
    "numerous": "several",
    "few": "several",
}


def _compact(s: str) -> str:
    """A name without "the", case, spaces and punctuation: "The Harbour Ledger" -> "harbourledger"."""
    return re.sub(r"[^0-9a-z]", "", _norm(s))


def _norm(s: str) -> str:
    s = s.replace("’", "'").strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^(the)\s+", "", s, flags=re.I)
    return re.sub(r"\s+", " ", s).lower()


#: Words that end a name without telling two bearers apart: "James P. Kennedy Jr." is "Kennedy",
#: "Microsoft Corp" is "Microsoft".
_NAME_TAILS = frozenset(
    "jr sr ii iii iv corp corporation inc incorporated ltd limited co llc plc ag sa nv gmbh".split()
)


def _key_words(name: str) -> list[str]:
    """The words of a name that identify its bearer: normalised, punctuation dropped, trailing suffixes
    (:data:`_NAME_TAILS`) removed."""
    words = [w.strip(".,") for w in _norm(name).split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1] in _NAME_TAILS:
        words.pop()
    return words


@dataclass
class Mention:
    """What a source mention says about its source. ``kind`` is one of: person, organization, government,
    outlet, anonymous, pronoun, definite, unknown."""

    span: tuple[int, int]  # token range
    kind: str
    name: str
    head: str = ""
    role: str | None = None
    descriptor: str | None = None
    affiliation: str | None = None
    closeness: str | None = None
    number: str | None = None
    reason: str | None = None
    plural: bool = False
    extra: dict = field(default_factory=dict)


def _strip_det(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].pos_ in ("DET", "PUNCT") or tokens[0].is_space or tokens[0].like_num):
        tokens = tokens[1:]
    return tokens


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)].strip()


def _head_of(span: Span) -> Token:
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head is t:
            return t
    return span.root


_SELF_EXPLAINING = ("not authorized", "not authorised", "not allowed", "not permitted", "fear of")


def _reason(span: Span, doc: Doc) -> str | None:
    """The stated reason for anonymity in the mention's relative clause (or its sentence): the clause after
    "because"/"as"/"since" ("they are not authorized to talk to the press"), or a phrase that explains itself
    ("not authorised to speak publicly", "fear of reprisals"). A bare request ("spoke on condition of
    anonymity", "asked not to be named") states no reason: None."""
    sent = span.sent
    for region in (span, sent):
        low = region.text.lower()
        for marker in ANONYMITY_MARKERS:
            k = low.find(marker)
            if k < 0:
                continue
            rest = region.text[k:]
            m = _REASON_START.search(rest)
            if m and m.start() < 80:
                reason = rest[m.end() :].strip()
                if m.group(1).lower() == "for fear":
                    reason = "fear " + reason
            elif marker in _SELF_EXPLAINING or any(w in rest.lower()[:40] for w in _SELF_EXPLAINING):
                reason = rest.strip()
            else:
                return None
            reason = re.split(r",\s*(?:later\s+)?(?:told|said|says|added)\b|[,;.](?:\s|$)", reason)[0]
            return reason.strip(" ,.;") or None
    return None


def person_entities(doc: Doc) -> list[Span]:
    """PERSON entities, plus names the small model mislabels but a title gives away ("Councillor Henrik
    Saal" tagged ORG): the title is cut off and the rest kept as a person's name."""
    cache = doc_cache(doc)
    cached = cache.get("person_ents")
    if cached is not None:
        return cached
    out: list[Span] = []
    for e in doc.ents:
        if e.label_ == "PERSON":
            out.append(e)
        elif e.label_ in ("ORG", "GPE", "NORP") and len(e) >= 2 and e[0].lower_ in TITLE_WORDS:
            k = 1
            while k < len(e) - 1 and e[k].lower_ in TITLE_WORDS:
                k += 1
            if all(t.pos_ == "PROPN" for t in e[k:]):
                out.append(doc[e.start + k : e.end])
    cache["person_ents"] = out
    return out


# -- spans looked up by position: built once per Doc, so that a mention never scans the whole article ------


class _Spans:
    """Spans in text order that do not overlap (so their ends are in order too), looked up by token."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = list(spans)
        self.starts = array("q", (s.start for s in self.spans))
        self.ends = array("q", (s.end for s in self.spans))

    def within(self, i: int, j: int) -> list[Span]:
        """The spans inside tokens ``i .. j-1``, in order."""
        out = []
        for k in range(bisect_left(self.starts, i), len(self.spans)):
            span = self.spans[k]
            if span.start >= j:
                break
            if span.end <= j:
                out.append(span)
        return out

    def last_before(self, pos: int) -> Span | None:
        """The last span ending at or before token ``pos``."""
        k = bisect_right(self.ends, pos)
        return self.spans[k - 1] if k else None

    def latest_before(self, pos: int, pred: Callable[[Span], bool], limit: int | None = None) -> Span | None:
        """The last span ending at or before token ``pos`` for which ``pred`` holds, looking at no more than
        ``limit`` spans back (None: all)."""
        last = bisect_right(self.ends, pos) - 1
        stop = -1 if limit is None else max(-1, last - limit)
        for k in range(last, stop, -1):
            if pred(self.spans[k]):
                return self.spans[k]
        return None


def _spans(doc: Doc, key: Hashable, build: Callable[[], Iterable[Span]]) -> _Spans:
    """The :class:`_Spans` of ``doc`` cached under ``key``, made from ``build()`` on first use."""
    cache = doc_cache(doc)
    found = cache.get(("sayso_spans", key))
    if found is None:
        found = cache[("sayso_spans", key)] = _Spans(build())
    return found


def drop_lookup_tables(doc: Doc) -> None:
    """Free the look-up tables of names, entities and noun chunks that resolving ``doc``'s sources built (they
    hold Spans of the whole Doc: for a long article, much memory)."""
    cache = doc_cache(doc)
    for key in [k for k in cache if isinstance(k, tuple) and k and k[0] in ("sayso_spans", "sayso_span_groups")]:
        del cache[key]


def _span_groups(doc: Doc, key: Hashable, build: Callable[[], Iterable[tuple[str, Span]]]) -> dict[str, _Spans]:
    """Spans of ``doc`` grouped by a word, each group a :class:`_Spans`, cached under ``key``; ``build()``
    gives (word, span) pairs in text order."""
    cache = doc_cache(doc)
    found = cache.get(("sayso_span_groups", key))
    if found is None:
        groups: dict[str, list[Span]] = {}
        for word, span in build():
            groups.setdefault(word, []).append(span)
        found = cache[("sayso_span_groups", key)] = {w: _Spans(spans) for w, spans in groups.items()}
    return found


def _ents(doc: Doc) -> _Spans:
    """The named entities of ``doc`` (``doc.ents`` builds them all afresh on every access)."""
    return _spans(doc, "ents", lambda: doc.ents)


_DASHES = frozenset({"—", "–", "--", "-", "―"})


def after_dateline(doc: Doc, i: int, j: int) -> int:
    """Where a mention starts once a dateline in front of it is cut off ("HANOI, Vietnam (AP) — U.S. Defense
    Secretary Mark Esper", "HONOLULU, Hawaii (HawaiiNewsNow) - NASA scientists"): after the dash that
    follows a parenthesised credit; ``i`` when there is none."""
    for k in range(i + 1, min(j, i + 16)):
        if doc[k].text in _DASHES and doc[k - 1].text == ")":
            return k + 1
    return i


def _looks_like_person(e: Span) -> bool:
    """Whether an entity the tagger did not call a person still reads as a person's name: two or three
    capitalised words, none of them an organisation's, government's or outlet's word ("Eyamba Sowers")."""
    words = [t for t in e if not t.is_punct]
    if not 2 <= len(words) <= 3 or not all(t.is_title and t.pos_ == "PROPN" for t in words):
        return False
    low = {t.lower_ for t in words}
    return not low & (ORG_NOUNS | GOVERNMENT_WORDS | OUTLET_NAME_WORDS | _ORG_NAME_WORDS)


#: Words that make a capitalised phrase an organisation's name.
_ORG_NAME_WORDS = frozenset(
    "inc corp co ltd llc plc group bank university college institute association foundation council committee "
    "party league union club fund trust center centre hospital school academy agency department ministry "
    "company corporation partners holdings systems technologies airlines".split()
)


def describe_mention(doc: Doc, i: int, j: int, outlet_names: set[str]) -> Mention:
    """Analyse the mention in tokens ``i .. j-1`` (see :class:`Mention`)."""
    span = doc[i:j]
    head = _head_of(span)
    hl = head.lower_
    toks = list(span)
    # cut relative clauses and appositives off the core noun phrase
    # (an anonymous source keeps its participle: "officials briefed on the negotiations")
    cut = ("relcl",) if head.lemma_.lower() in ANONYMOUS_HEADS or hl in ANONYMOUS_HEADS else ("relcl", "acl")

    def clause(a: Token) -> bool:
        # a restrictive participle stays ("officials briefed on the talks"), one after a comma goes
        return a.dep_ in cut or (a.dep_ == "acl" and a.left_edge.i > 0 and doc[a.left_edge.i - 1].text == ",")

    core = [t for t in toks if not any(clause(a) and a.i != head.i for a in [t, *t.ancestors] if i <= a.i < j)]
    core = [t for t in core if not (t.is_punct and t.text == ",")] or toks
    # "The company flat-out denied": an adverb of the verb that the span took in is no part of the name
    core = [t for t in core if not (t.dep_ == "advmod" and not i <= t.head.i < j and t.i > head.i)] or core
    name_text = _text(core)

    if head.lemma_.lower() in _DOCUMENT_NOUNS:
        # "figures published by the statistics office", "a report by the Safety Inspectorate": the author
        for t in span:
            if t.lower_ == "by" and t.dep_ in ("agent", "prep"):
                objs = [c for c in t.children if c.dep_ == "pobj"]
                if objs:
                    lo, hi = objs[0].left_edge.i, min(objs[0].right_edge.i + 1, j)
                    if lo >= i and hi > lo:
                        return describe_mention(doc, lo, hi, outlet_names)

    if head.pos_ == "PRON" and len(toks) <= 2:
        if hl in PRONOUNS_SPEAKER:
            return Mention((i, j), "unknown", name_text, head=hl)
        return Mention((i, j), "pronoun", name_text, head=hl, plural=hl in PRONOUNS_PLURAL)

    # names inside a relative clause or appositive participle are not the speaker's ("Claure, who is also an
    # executive at SoftBank")
    in_core = {t.i for t in core}
    persons = [p for p in _spans(doc, "persons", lambda: person_entities(doc)).within(i, j) if p.root.i in in_core]
    orgs = [
        e
        for e in _ents(doc).within(i, j)
        if e.label_ in ("ORG", "GPE", "NORP", "FAC")
        and e.root.i in in_core
        and not any(p.start < e.end and e.start < p.end for p in persons)
    ]
    if head.text[:1].islower() and head.lemma_.lower() in GOVERNMENT_WORDS | ORG_NOUNS:
        # "Kessby's port authority", "Velmora's defence ministry": the owner in front, not the speaker
        persons = [
            p
            for p in persons
            if not (p.end <= head.i and head in p.root.ancestors and p.root.dep_ in ("poss", "compound"))
        ]
    det = next((t for t in span if t.dep_ == "det" and t.head == head), None)
    nummod = next((t for t in span if t.dep_ == "nummod" and t.head == head), None)
    definite = det is not None and det.lower_ in ("the", "this", "that", "these", "those")

    # ---- outlets by name
    full_norm = _norm(name_text)
    propn = [t for t in core if t.pos_ == "PROPN" or (t.is_title and t.i > i)]
    if propn and head.pos_ == "PROPN" and any(t.lower_ in OUTLET_NAME_WORDS for t in propn):
        if not any(t.lower_ in GOVERNMENT_WORDS for t in propn):
            return Mention(
                (i, j), "outlet", re.sub(r"^the\s+|['’]s$", "", _text(_strip_det(propn)), flags=re.I), head=hl
            )
    for e in orgs + persons:
        if _norm(e.text) in outlet_names or _norm(e.text) in KNOWN_OUTLETS:
            role = _text(_strip_det([t for t in core if t.i < e.start])) or None
            return Mention((i, j), "outlet", re.sub(r"['’]s$", "", e.text), head=hl, role=role)
    if full_norm in outlet_names or full_norm in KNOWN_OUTLETS:
        return Mention((i, j), "outlet", name_text, head=hl)

    # ---- "the harbour master, Petra Olund": a role noun with a proper-name appositive is a person
    appos_names = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and i <= c.i < j]
    # "Kelmar's foreign minister, Ana Petrova": a name owning the role noun is not the speaker
    owners = [p for p in persons if p.end <= head.i and head in p.root.ancestors and p.root.dep_ == "poss"]
    if head.pos_ == "NOUN" and appos_names and len(owners) == len(persons) and head.lemma_.lower() not in OUTLET_NOUNS:
        c = appos_names[0]
        name = _text([t for t in c.subtree if not t.is_punct])
        role = _text(_strip_det([t for t in core if t.i < c.left_edge.i and not t.is_punct])) or None
        if _norm(name) not in KNOWN_OUTLETS:
            return Mention((i, j), "person", re.sub(r"['’]s$", "", name), head=hl, role=role)

    # ---- "One of them, a Western envoy who declined to be identified,": the appositive describes the source
    if hl == "one":
        appos = [c for c in head.children if c.dep_ == "appos" and i <= c.i < j]
        if appos:
            lo = max(i, appos[0].left_edge.i)
            return describe_mention(doc, lo, min(j, appos[0].right_edge.i + 1), outlet_names)

    # ---- "one of the people", "some of the officials": members of an anonymous group mentioned before
    if hl in ("one", "some", "another", "two", "three", "both", "each", "either", "neither", "many", "several"):
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None and pobj.lemma_.lower() in ANONYMOUS_HEADS | {"people", "person"}:
            if any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in pobj.children):
                return Mention((i, j), "definite", name_text, head=pobj.lemma_.lower())

    # ---- anonymous sources (a head noun like "source" and no name heading it)
    named_appos = [
        p
        for p in persons
        if p.root.dep_ == "appos"
        and (
            p.root.head == head
            # "The former chief financial officer of Corvane Telecom, Piet Janssen": the parser hangs the name
            # on the organisation; a name closing the mention still names the role's holder
            or (p.root.head.i > head.i and head in p.root.head.ancestors and all(t.is_punct for t in doc[p.end : j]))
        )
    ]
    if named_appos and head.pos_ == "NOUN":
        # "His lawyer, Britt Moen", "The region's chief medical officer, Dr Sanna Lund": a named person
        p = named_appos[0]
        name = re.sub(r"^(?:dr|mr|mrs|ms|prof)\.?\s+", "", p.text, flags=re.I)
        role = _text(_strip_det([t for t in core if t.i < p.start and not t.is_punct and t.pos_ != "PRON"])) or None
        return Mention((i, j), "person", re.sub(r"['’]s$", "", name), head=hl, role=role)
    if (
        hl == "figures"
        and not persons
        and not any(
            t.head == head and t.dep_ in ("amod", "compound") and t.lower_ in _PERSON_FIGURE_WORDS for t in span
        )
    ):
        # "government figures show ...": statistics, not people ("senior political figures" are people)
        return Mention((i, j), "document", re.sub(r"^the\s+", "", _text(_strip_det(core)), flags=re.I), head=hl)
    if head.lemma_.lower() in ANONYMOUS_HEADS or hl in ANONYMOUS_HEADS:
        if not any(p.root == head for p in persons):
            if definite and not any(t.dep_ in ("compound", "amod", "prep") and t.head == head for t in span):
                # "The officials, who spoke on condition of anonymity because ...": the reason may come now
                return Mention((i, j), "definite", name_text, head=head.lemma_.lower(), reason=_reason(span, doc))
            return _anonymous(doc, span, head, core, det, nummod)

    # ---- definite descriptions: "the outlet", "the ministry", "the Russian leader"
    if definite and head.pos_ == "NOUN" and not persons:
        return Mention((i, j), "definite", name_text, head=head.lemma_.lower(), plural=head.tag_ == "NNS")

    # ---- people
    if persons:
        e = max(persons, key=lambda e: len(e))
        # "Per Ostrand" where the tagger took only "Ostrand": a capitalised given name glued in front
        lo = e.start
        while (
            lo - 1 >= i
            and doc[lo - 1].pos_ == "PROPN"
            and doc[lo - 1].is_title
            and doc[lo - 1].lower_ not in TITLE_WORDS
            and doc[lo - 1].lower_ not in PERSON_ROLES
            # "Secretary of State Mike Pompeo": "State" ends a role, it is no given name
            and not (lo - 2 >= 0 and doc[lo - 2].lower_ in ("of", "for", "and", "&"))
        ):
            lo -= 1
        if lo < e.start:
            e = doc[lo : e.end]
        name = re.sub(r"['’]s$", "", e.text).strip()
        pre = _strip_det([t for t in core if t.i < e.start and not t.is_punct])
        role = _text(pre) or None
        appos = [t for t in span if t.dep_ == "appos" and t.head.i >= e.start and t.head.i < e.end]
        if appos:
            role = _text(_strip_det(list(appos[0].subtree))) or role
        return Mention((i, j), "person", name, head=hl, role=role)

    # ---- "Estmark's fisheries ministry", "Kessby police": an organisation named by a common noun with its
    # place or owner in front keeps the whole phrase as its name
    if head.text[:1].islower() and (head.lemma_.lower() in GOVERNMENT_WORDS or head.lemma_.lower() in ORG_NOUNS):
        front = [t for t in core if t.i < head.i and t.dep_ in ("compound", "poss", "amod", "nmod", "case")]
        if front and any(t.pos_ == "PROPN" for t in front):
            name = _text(_strip_det([t for t in core if t.i <= head.i]))
            name = re.sub(r"['’]s\b", "", name).replace("  ", " ")
            kind = "government" if head.lemma_.lower() in GOVERNMENT_WORDS else "organization"
            return Mention((i, j), kind, name, head=hl)
        owner = next((t for t in core if t.i < head.i and t.lower_ == "its" and t.dep_ == "poss"), None)
        if owner is not None:
            # "Its transport agency" after "Norrvik ...": the owner is the place or body named last
            gpe_org = _spans(doc, "gpe_org", lambda: [e for e in doc.ents if e.label_ in ("GPE", "ORG")])
            named = gpe_org.last_before(i)
            if named is not None:
                rest = _text([t for t in core if owner.i < t.i <= head.i])
                name = re.sub(r"['’]s$", "", named.text) + " " + rest
                kind = "government" if head.lemma_.lower() in GOVERNMENT_WORDS else "organization"
                return Mention((i, j), kind, re.sub(r"^the\s+", "", name, flags=re.I), head=hl)

    # ---- "a nurse at Ormsund children's clinic", "a spokesman for the ministry": an unnamed person
    # described by a role at a named organisation
    if (
        head.pos_ == "NOUN"
        and orgs
        and not any(e.start <= head.i < e.end for e in orgs)
        and head.lemma_.lower() not in ORG_NOUNS | GOVERNMENT_WORDS | OUTLET_NOUNS
    ):
        return _anonymous(doc, span, head, core, det, nummod)

    # ---- "economist Marta Veskova of Halden Bank": a name heading the phrase, the organisation after "of"
    if head.pos_ == "PROPN" and not any(e.start <= head.i < e.end and e.label_ == "ORG" for e in orgs):
        lo = head.i
        while lo - 1 >= i and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ == "compound":
            lo -= 1
        # a lowercase role noun right before the name ("economist Marta Veskova"), not an organisation word
        role_words = [
            t
            for t in core
            if t.i == lo - 1
            and t.pos_ == "NOUN"
            and t.text[:1].islower()
            and t.lemma_.lower() not in ORG_NOUNS | GOVERNMENT_WORDS | OUTLET_NOUNS
        ]
        if role_words or doc[lo].lower_ in TITLE_WORDS:
            name = doc[lo : head.i + 1].text
            role = _text(_strip_det([t for t in core if t.i < lo and not t.is_punct])) or None
            return Mention((i, j), "person", re.sub(r"['’]s$", "", name), head=hl, role=role)

    # ---- "Ivanna Horobets, deputy chair of the defence committee": a name with a person's role in apposition
    if head.pos_ == "PROPN":
        role_appos = next(
            (c for c in head.children if c.dep_ == "appos" and c.i > head.i and c.lemma_.lower() in PERSON_ROLES),
            None,
        )
        if role_appos is not None and not any(e.start <= head.i < e.end and e.label_ in ("GPE", "NORP") for e in orgs):
            lo = head.i
            while lo - 1 >= i and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ == "compound":
                lo -= 1
            name = doc[lo : head.i + 1].text
            if len(name.split()) >= 2 and _norm(name) not in outlet_names:
                role = _text([t for t in role_appos.subtree if not t.is_punct and i <= t.i < j]) or None
                return Mention((i, j), "person", re.sub(r"['’]s$", "", name), head=hl, role=role)

    # ---- organisations, governments
    if orgs or head.pos_ == "PROPN":
        name = re.sub(r"['’]s$", "", _text(_strip_det(core))) if not orgs else orgs[-1].text
        if orgs and head.pos_ == "NOUN" and not any(e.start <= head.i < e.end for e in orgs):
            # "Education advocacy groups": the entity is a modifier, the phrase is the speaker
            name = re.sub(r"['’]s$", "", _text(_strip_det(core)))
        if orgs and len(orgs) == 1 and orgs[0].root == head:
            name = orgs[0].text
        name = re.sub(r"^the\s+", "", name, flags=re.I) if not name.lower().startswith("the moscow") else name
        low = name.lower()
        is_gpe = any(e.label_ == "GPE" for e in orgs)
        if (
            low in GOVERNMENT_NAMES
            or is_gpe
            or any(w in GOVERNMENT_WORDS for w in low.split())
            or (head.lemma_.lower() in GOVERNMENT_WORDS)
        ):
            return Mention((i, j), "government", name, head=hl)
        if any(w.lemma_.lower() in OUTLET_NOUNS for w in span):
            return Mention((i, j), "outlet", name, head=hl)
        return Mention((i, j), "organization", name, head=hl)

    if head.lemma_.lower() in GOVERNMENT_WORDS:
        return Mention((i, j), "government", _text(_strip_det(core)), head=hl)
    return Mention((i, j), "unknown", _text(_strip_det(core)) or name_text, head=hl)


def _anonymous(doc: Doc, span: Span, head: Token, core: list[Token], det, nummod) -> Mention:
    text_low = span.text.lower()
    closeness = None
    affiliation = None
    for marker in CLOSENESS_MARKERS:
        k = text_low.find(marker)
        if k >= 0:
            closeness = marker
            after = span.text[k + len(marker) :]
            after = re.split(r",|\bwho\b|\bwhich\b|\bthat\b", after)[0].strip()
            affiliation = after or None
            break
    if affiliation is None:
        # "Kremlin source", "Defense Ministry source", "White House officials"
        mods = [t for t in span if t.head == head and t.dep_ in ("compound", "nmod") and t.i < head.i]
        # "cybersecurity investigator" names a field, "army officer" / "Kremlin source" an organisation
        mods = [t for t in mods if t.pos_ == "PROPN" or t.lemma_.lower() in _INSTITUTION_WORDS]
        if mods:
            lo = min(t.left_edge.i for t in mods)
            affiliation = doc[lo : max(t.i for t in mods) + 1].text
        else:
            for p in (
                t
                for t in span
                if t.head == head and t.dep_ == "prep" and t.lower_ in ("in", "at", "from", "within", "inside")
            ):
                pobj = [c for c in p.children if c.dep_ == "pobj"]
                if pobj:
                    affiliation = doc[pobj[0].left_edge.i : pobj[0].right_edge.i + 1].text
                    break
        if affiliation is None:
            # the parser sometimes hangs "at the defence ministry" elsewhere: read it off the text
            after = doc[head.i + 1 : span.end].text
            m = re.match(r"\s*(?:in|at|from|within|inside)\s+(?:the\s+)?([^,]+)", after)
            if m:
                affiliation = m.group(1)
        if affiliation is None:
            amods = [t for t in span if t.head == head and t.dep_ == "amod" and t.ent_type_ in ("NORP", "GPE")]
            if amods:
                affiliation = amods[0].text
    if affiliation:
        affiliation = re.split(r",\s*(?=who\b|which\b|that\b|speaking\b|declined\b|asked\b|requested\b)", affiliation)[
            0
        ]
        affiliation = re.sub(r"^the\s+", "", affiliation, flags=re.I).strip(" ,")
        affiliation = re.sub(
            r"^((anonymous|unnamed|senior|top|high-ranking|former|current|one|two|a|an)\s+)+",
            "",
            affiliation,
            flags=re.I,
        )
        affiliation = _named_affiliation(doc, span, affiliation, closeness)
    if affiliation:
        if affiliation.split()[-1].lower() in _UNINFORMATIVE_AFFILIATION:
            affiliation = None
    plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in ("people", "sources", "officials")
    if nummod is not None:
        number = _NUMBER_WORDS.get(nummod.lower_, nummod.text)
    elif det is not None and det.lower_ in _NUMBER_WORDS:
        number = _NUMBER_WORDS[det.lower_]
    else:
        number = "several" if plural else "1"
    # descriptor: the core noun phrase without determiners, numbers and relative clauses
    core_toks = [t for t in core if not (t.dep_ in ("det",) and t.head == head) and t != nummod]
    while core_toks and core_toks[0].lower_ in _NUMBER_WORDS and core_toks[0].i < head.i:
        core_toks = core_toks[1:]  # "several diplomats" -> "diplomats" (the number is kept apart)
    descriptor = _text(core_toks)
    descriptor = re.sub(r"^(anonymous|unnamed)\s+", lambda m: m.group(0), descriptor)
    reason = _reason(span, doc)
    return Mention(
        (span.start, span.end),
        "anonymous",
        descriptor,
        head=head.lemma_.lower(),
        descriptor=descriptor,
        affiliation=affiliation,
        closeness=closeness,
        number=number,
        reason=reason,
        plural=plural,
    )


#: Modifiers that make "figures" people ("senior political figures", "opposition figures").
_PERSON_FIGURE_WORDS = frozenset(
    "senior political prominent leading key public opposition party military religious business community "
    "establishment important influential top".split()
)
_DOCUMENT_NOUNS = frozenset(
    "report figure figures data statement study survey poll analysis document documents letter filing audit review"
    " estimate estimates forecast assessment".split()
)
_TOPIC_CLOSENESS = (
    "familiar with",
    "with knowledge of",
    "with direct knowledge of",
    "briefed on",
    "knowledgeable about",
)
_PLACE_WORDS = frozenset({"capital", "city", "town", "region", "country", "area", "village", "province"})
_INSTITUTION_WORDS = (
    ORG_NOUNS
    | GOVERNMENT_WORDS
    | frozenset(
        "plant clinic palace army navy air force ministry embassy firm operator station mine refinery port".split()
    )
)
_GENERIC_ORG = frozenset({"company", "firm", "operator", "group", "bank", "club", "carrier", "airline", "insurer"})
#: Definite mentions of a document that stand for whoever issued it ("the statement said").
_STATEMENT_NOUNS = frozenset({"statement", "release", "communique", "communiqué", "filing", "notice"})
#: Heads that stand for any business named by a descriptor before ("the company" for "operator Transvald").
_GENERIC_ORG_NOUNS = frozenset({"company", "firm", "group", "business", "organisation", "organization"})
_BUSINESS_NOUNS = frozenset(
    {"company", "firm", "group", "operator", "maker", "manufacturer", "developer", "carrier", "lender", "insurer"}
    | {"retailer", "producer", "supplier", "utility", "conglomerate", "chain", "startup", "airline", "bank"}
)


def described_name_before(doc: Doc, pos: int, h: str, exclude=lambda name: False, sentences: int = 8) -> str | None:
    """The name given to an organisation by a descriptor noun in the ``sentences`` sentences up to token ``pos``,
    for a definite mention headed by ``h``: "FK Port Aldern" (from "Football club FK Port Aldern") for "the club",
    "Transvald" (from "the pipeline operator Transvald") for "the company" or "the operator", "Ironbridge city
    council" (from "an Ironbridge city council inquiry") for "the council". The latest such name wins; names
    for which ``exclude(name)`` holds are skipped. Returns None when there is none."""
    if not len(doc):
        return None
    sent = doc[min(pos, len(doc) - 1)].sent
    lo = sent.start
    for _ in range(sentences - 1):
        if lo == 0:
            break
        lo = doc[lo - 1].sent.start
    heads = {h} | (_BUSINESS_NOUNS if h in _GENERIC_ORG_NOUNS else set())
    best: str | None = None
    for t in doc[lo:pos]:
        if t.lemma_.lower() not in heads or not t.text[:1].islower():
            continue
        # the name right after the descriptor ("club FK Port Aldern", "operator Transvald")
        k = t.i + 1
        while k < pos and doc[k].pos_ == "PROPN":
            k += 1
        if k > t.i + 1 and not exclude(doc[t.i + 1 : k].text):
            best = doc[t.i + 1 : k].text
            continue
        # the place or owner in front ("an Ironbridge city council inquiry"), when the noun modifies another
        front = [c for c in t.lefts if c.dep_ in ("compound", "amod", "nmod")]
        if t.dep_ == "compound" and front and any(x.pos_ == "PROPN" for c in front for x in c.subtree):
            best = doc[min(c.left_edge.i for c in front) : t.i + 1].text
    return re.sub(r"['’]s$", "", best) if best else None


def _named_affiliation(doc: Doc, span: Span, affiliation: str, closeness: str | None) -> str | None:
    """Make an anonymous source's affiliation say which organisation it is: "the company" / "federation" /
    "the plant" become the organisation named last before the mention ("Grenholm Shipping", "Valdorian
    Football Federation", "Sorvik nuclear plant"); a topic ("familiar with the deal") or a place ("in the
    Valdorian capital") is no affiliation."""
    words = affiliation.split()
    low = [w.lower().strip(",.") for w in words]
    has_name = any(w[:1].isupper() for w in words)
    if closeness in _TOPIC_CLOSENESS and not has_name and not (set(low) & _INSTITUTION_WORDS):
        return None
    if low[-1] in _PLACE_WORDS:
        return None
    if has_name or low[-1] not in _INSTITUTION_WORDS:
        if has_name and len(words) == 1:
            # "close to Arkvik" after "Arkvik Capital": the full name said before
            # the last ORG of two or more words starting with that word
            by_first = _span_groups(
                doc,
                "org_first_word",
                lambda: ((e.text.split()[0], e) for e in doc.ents if e.label_ == "ORG" and len(e) > 1),
            )
            e = by_first[words[0]].last_before(span.start) if words[0] in by_first else None
            if e is not None:
                return re.sub(r"^the\s+", "", e.text, flags=re.I)
        return affiliation
    head = low[-1]
    # "the hospital" after "the Ormsund hospital", "army" after "the Valdorian army": the last such chunk
    named_chunks = _span_groups(
        doc,
        "named_chunks",
        lambda: (
            (c.root.lemma_.lower(), c)
            for c in doc.noun_chunks
            if any(t.pos_ == "PROPN" or (t.is_title and t.i != c.start) for t in c)
        ),
    )
    chunk = named_chunks[head].last_before(span.start) if head in named_chunks else None
    if chunk is not None:
        toks = [t for t in chunk if t.dep_ != "det"]
        return re.sub(r"['’]s\b", "", doc[toks[0].i : chunk.end].text)
    described = described_name_before(doc, span.start, head)
    if described is not None:
        return described
    # the last organisation, facility or place (not a news outlet: "executives at the company" after "the
    # Estbury Chronicle reported") whose name holds the word, or any organisation for a generic word
    by_word = _span_groups(doc, "org_words", lambda: _organisation_words(doc))
    found = [g.last_before(span.start) for g in (by_word.get(head), head in _GENERIC_ORG and by_word.get("\0ORG")) if g]
    found = [e for e in found if e is not None]
    if found:
        return re.sub(r"^the\s+|['’]s$", "", max(found, key=lambda e: e.start).text, flags=re.I)
    # "the Ormsund hospital" may be written "Ormsund's hospital" or with the place before: place + noun
    return affiliation


def _organisation_words(doc: Doc) -> Iterator[tuple[str, Span]]:
    """(word, entity) for the ORG, FAC and GPE entities of ``doc`` that are not news outlets: each word of
    the entity's lower-cased name, and "\\0ORG" for an ORG."""
    for e in doc.ents:
        if e.label_ not in ("ORG", "FAC", "GPE"):
            continue
        words = e.text.lower().split()
        if any(w in OUTLET_NAME_WORDS for w in words) or _norm(e.text) in KNOWN_OUTLETS:
            continue
        for w in dict.fromkeys(words):
            yield w, e
        if e.label_ == "ORG":
            yield "\0ORG", e


def find_outlet_names(doc: Doc, article_outlet: str | None) -> set[str]:
    """Names used as outlets in this article: "the investigative news outlet Vyorstka", "the newspaper X",
    "X newspaper", plus the article's own outlet."""
    names: set[str] = set()
    if article_outlet:
        names.add(_norm(article_outlet))
    for t in doc:
        if t.lemma_.lower() not in OUTLET_NOUNS or t.pos_ not in ("NOUN", "ADJ"):
            continue
        # NAME follows: "outlet Vyorstka", "the newspaper Kommersant"
        k = t.i + 1
        name = []
        while k < len(doc) and doc[k].pos_ == "PROPN":
            name.append(doc[k].text)
            k += 1
        if name:
            names.add(_norm(" ".join(name)))
            continue
        # NAME precedes: "Kommersant newspaper", "the Novaya Gazeta website"
        k = t.i - 1
        while k >= 0 and doc[k].pos_ == "ADJ":
            k -= 1
        name = []
        while k >= 0 and doc[k].pos_ == "PROPN":
            name.insert(0, doc[k].text)
            k -= 1
        if name:
            names.add(_norm(" ".join(name)))
            continue
        # "the Brodsk Lantern, an investigative website": an appositive outlet noun names what it follows
        if t.dep_ == "appos" and t.head.pos_ == "PROPN" and t.head.i < t.i:
            head = t.head
            lo = min([c.i for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [head.i])
            names.add(_norm(doc[lo : head.i + 1].text))
    return names


#: Nouns that describe one person in news ("the actor", "the real estate agent", "the 42-year-old"): a definite
#: description headed by one of them is the person the text is about.
PERSON_NOUNS = frozenset(
    """actor actress singer rapper musician star celebrity player athlete coach agent author writer novelist
    artist director producer host presenter comedian model designer chef entrepreneur businessman businesswoman
    billionaire investor banker trader broker doctor physician surgeon nurse teacher student pastor priest
    officer detective sheriff deputy firefighter soldier veteran pilot driver farmer worker victim suspect
    defendant plaintiff witness survivor mother father wife husband son daughter woman man girl boy
    congressman congresswoman senator candidate nominee incumbent challenger """.split()
)
#: Gender of person nouns that state one.
DESCRIPTION_GENDER = {
    w: g
    for g, words in (
        ("f", "actress businesswoman mother wife daughter woman girl congresswoman spokeswoman chairwoman"),
        ("m", "businessman father husband son man boy congressman spokesman chairman"),
    )
    for w in words.split()
}

#: Nouns of a person's role, in apposition after a name ("X, deputy chair of ...", "X, a lawyer for ...").
PERSON_ROLES = frozenset(
    """chair chairman chairwoman chairperson deputy minister director spokesman spokeswoman spokesperson lawyer
    attorney analyst economist professor president leader head member official secretary executive founder editor
    adviser advisor governor mayor senator lawmaker legislator researcher scientist expert commander general
    ambassador envoy judge prosecutor manager owner partner candidate activist coach captain chief""".split()
)


#: How many of the sources used last a definite mention or a pronoun may refer back to.
RECENT_SOURCES = 200
#: How far (characters) a lead's description may precede the name that identifies it.
LEAD_WINDOW = 600
#: Anonymous heads that name a group, never one person "he" or "she" could be.
_GROUP_HEADS = frozenset({"sources", "officials", "people", "members", "staff", "aides", "insiders", "employees"})


def _given_names(doc: Doc) -> dict[str, list[int]]:
    """Token indices ``k`` of a proper noun after a capitalised proper noun that is no title ("Per
    Ostrand": the index of "Ostrand"), by lower-cased word, in order (computed once per Doc)."""
    cache = doc_cache(doc)
    found = cache.get("sayso_given_names")
    if found is None:
        found = cache["sayso_given_names"] = {}
        for k in range(1, len(doc)):
            t, first = doc[k], doc[k - 1]
            if t.pos_ == "PROPN" and first.pos_ == "PROPN" and first.is_title and first.lower_ not in TITLE_WORDS:
                found.setdefault(t.lower_, []).append(k)
    return found


def _name_suffixes(doc: Doc) -> dict[str, tuple[list[int], list[tuple[Span, str]]]]:
    """For each tail ``n`` of the normalised name of an entity or person ("ostrand" of "per ostrand"), the
    spans whose name ends with " " + ``n``, with that name, ordered by end token (then start), and their
    end tokens. Entities of other labels than PERSON, ORG, GPE, NORP and FAC count only as people."""
    people = person_entities(doc)
    people_spans = {(e.start, e.end) for e in people}
    rows: dict[str, list[tuple[int, int, int, Span, str]]] = {}
    for order, e in enumerate([*doc.ents, *people]):
        if e.label_ not in ("PERSON", "ORG", "GPE", "NORP", "FAC") and (e.start, e.end) not in people_spans:
            continue
        full = re.sub(r"^the\s+|['’]s$", "", e.text.strip(), flags=re.I)
        nf = _norm(full)
        for k, ch in enumerate(nf):
            if ch == " ":
                rows.setdefault(nf[k + 1 :], []).append((e.end, e.start, order, e, full))
    out = {}
    for tail, found in rows.items():
        # the latest start wins (the first listed on a tie): sort so that it comes last among equal ends
        found.sort(key=lambda r: (r[0], r[1], -r[2]))
        out[tail] = ([r[0] for r in found], [(r[3], r[4]) for r in found])
    return out


def _relative_antecedent(doc: Doc, i: int, j: int) -> tuple[int, int] | None:
    """The tokens of the noun phrase a lone relative "who" (tokens ``i .. j-1``) stands for, without its
    clause ("Both companies came under fire from activist tech workers who …" → "activist tech workers");
    None for any other mention."""
    if j - i != 1 or doc[i].lower_ not in ("who", "whom"):
        return None
    clause = doc[i].head
    if clause.dep_ != "relcl" or clause.head.pos_ not in ("NOUN", "PROPN") or clause.head.i >= i:
        return None
    noun = clause.head
    start = noun.left_edge.i
    end = noun.i + 1
    while end < i and doc[end].dep_ in ("compound", "flat", "appos") and doc[end].head.i == noun.i:
        end += 1
    return start, end


class SourceRegistry:
    """Resolves mentions to merged :class:`~sayso.schema.Source` entities, in text order.

    ``doc``: the parsed article; ``article_outlet``: the publishing outlet's name (root of every chain)."""

    def __init__(self, doc: Doc, article_outlet: str | None) -> None:
        self.doc = doc
        self.sources: list[Source] = []
        self._last_use: dict[str, int] = {}
        self._heads: dict[str, str] = {}
        self._by_id: dict[str, Source] = {}
        self._order: dict[str, int] = {}  # source id -> index in self.sources
        # ids by time of last use, the latest last (mentions are resolved in text order); never used: apart
        self._recency: dict[str, None] = {}
        self._never_used: dict[str, None] = {}
        # sources by the last word of their normalised name (a name matches only one with the same last word)
        self._by_last_word: dict[str, list[Source]] = {}
        self._indexed_word: dict[str, str] = {}
        self._suffixes: dict[str, tuple[list[int], list[tuple[Span, str]]]] | None = None
        self._filtered_ents: dict[Hashable, _Spans] = {}
        self._mention_starts: dict[str, set[int]] = {}  # source id -> where its mentions start
        self._genders: dict[str, Gender | None] = {}
        self.outlet_names = find_outlet_names(doc, article_outlet)
        self.article_outlet_id: str | None = None
        if article_outlet:
            src = self._new("outlet", article_outlet)
            src.is_article_outlet = True
            self.article_outlet_id = src.id
            self._use(src, -1)

    # ------------------------------------------------------------------ internals
    def _new(self, type_: str, name: str, **fields) -> Source:
        src = Source(id=f"s{len(self.sources) + 1}", name=name, type=type_, anonymous=type_ == "anonymous", **fields)
        self._order[src.id] = len(self.sources)
        self._by_id[src.id] = src
        self.sources.append(src)
        self._never_used[src.id] = None
        self._index_name(src)
        return src

    def _use(self, src: Source, pos: int) -> None:
        """Record that ``src`` was mentioned at token ``pos``."""
        self._last_use[src.id] = pos
        self._never_used.pop(src.id, None)
        self._recency.pop(src.id, None)
        self._recency[src.id] = None

    def _index_name(self, src: Source) -> None:
        """File ``src`` under the last word of its (possibly changed) name, in the order the sources were
        created (anonymous sources are never found by name: not filed)."""
        if src.anonymous:
            return
        words = _key_words(src.name)
        word = words[-1] if words else ""
        old = self._indexed_word.get(src.id)
        if old == word:
            return
        if old is not None:
            self._by_last_word[old].remove(src)
        insort(self._by_last_word.setdefault(word, []), src, key=lambda x: self._order[x.id])
        self._indexed_word[src.id] = word

    def _rename(self, src: Source, name: str) -> None:
        src.name = name
        self._index_name(src)

    def _find_named(self, type_: str, name: str) -> Source | None:
        n = _norm(name)
        key = _key_words(name)
        last = key[-1] if key else n
        # every test below but the article outlet's compact name needs the same last word
        candidates = self._by_last_word.get(last, [])
        if self.article_outlet_id is not None:
            outlet = self._by_id[self.article_outlet_id]
            if outlet not in candidates:
                candidates = sorted([*candidates, outlet], key=lambda x: self._order[x.id])
        for s in candidates:
            if s.anonymous:
                continue
            sn = _norm(s.name)
            if sn == n:
                return s
            skey = _key_words(s.name)
            if skey == key and s.type == type_ or (skey == key and len(key) > 1):
                return s  # "Microsoft Corp" and "Microsoft"; "James P. Kennedy Jr." and "James P. Kennedy"
            if s.is_article_outlet and _compact(s.name) == _compact(name) and len(_compact(name)) >= 4:
                # the outlet was named after its domain ("Harbourledger"): take the name the text uses
                if " " not in s.name.strip() and " " in name.strip():
                    self._rename(s, re.sub(r"['’]s$", "", name.strip()))
                return s
            if type_ == "person" and s.type == "person":
                if skey[-1:] == [last]:
                    return s
            if s.type == "person" and len(key) == 1 and skey[-1:] == key:
                return s  # "Hallin" after "Oskar Hallin", whatever the tagger made of it
            if s.type == "outlet" and len(n) >= 4 and sn.endswith(" " + n):
                return s  # "the Courier" for "The Norrland Courier"
        return None

    def _recent(self, pos: int, pred) -> Source | None:
        """The source used last (at or before token ``pos``) for which ``pred`` holds, among the
        :data:`RECENT_SOURCES` used last; of several used at the same token, the first created."""
        best: Source | None = None
        best_use = 0
        for looked, sid in enumerate(reversed(self._recency)):
            use = self._last_use[sid]
            if best is not None and use != best_use:
                return best
            if best is None and looked >= RECENT_SOURCES:
                return None
            s = self._by_id[sid]
            if use <= pos and pred(s) and (best is None or self._order[sid] < self._order[best.id]):
                best, best_use = s, use
        if best is not None:
            return best
        return next((s for s in map(self._by_id.get, self._never_used) if s is not None and pred(s)), None)

    def _longer_name_before(self, pos: int, name: str) -> tuple[str, str] | None:
        """A longer name written before token ``pos`` that ends with ``name`` ("Per Ostrand" for "Ostrand"),
        with the kind it implies (person, outlet or organization)."""
        n = _norm(name)
        if len(n) < 3:
            return None
        if len(n.split()) == 1:
            # a capitalised name written in full before ("Per Ostrand"), whatever the tagger made of it: the
            # last such pair before ``pos``, unless it lies in an organisation's or place's name
            ks = _given_names(self.doc).get(n, [])
            at = bisect_right(ks, min(pos, len(self.doc)) - 1)
            if at:
                k = ks[at - 1]
                if self.doc[k].ent_type_ not in ("ORG", "GPE"):
                    return f"{self.doc[k - 1].text} {self.doc[k].text}", "person"
        # the entity (or person's name) ending last before ``pos`` whose name ends with " " + n
        if self._suffixes is None:
            self._suffixes = _name_suffixes(self.doc)
        ends, names = self._suffixes.get(n, ([], []))
        at = bisect_right(ends, pos)
        if not at:
            return None
        e, full = names[at - 1]
        people = _spans(self.doc, "persons", lambda: person_entities(self.doc))
        if e.label_ == "PERSON" or any(p.start == e.start and p.end == e.end for p in people.within(e.start, e.end)):
            kind = "person"
        elif self._is_outlet_name(full):
            kind = "outlet"
        else:
            kind = "organization"
        return full, kind

    def _chunk_before(self, pos: int, head: str) -> Span | None:
        """The last noun phrase before token ``pos`` headed by ``head`` and naming something ("the Ironbridge
        city council", "the Valdorian medicines agency"), without its determiner."""
        doc = self.doc

        def named() -> Iterator[tuple[str, Span]]:
            for chunk in doc.noun_chunks:
                if any(t.pos_ == "PROPN" or (t.is_title and t.i > chunk.start and t.dep_ != "det") for t in chunk):
                    toks = [t for t in chunk if t.dep_ != "det"]
                    if toks:
                        yield chunk.root.lemma_.lower(), doc[toks[0].i : chunk.end]

        groups = _span_groups(doc, "chunk_before", named)
        return groups[head].last_before(pos) if head in groups else None

    def _described_name_before(self, pos: int, h: str) -> str | None:
        """See :func:`described_name_before`; outlets are not organisations here."""
        return described_name_before(self.doc, pos, h, exclude=self._is_outlet_name)

    def _is_outlet_name(self, name: str) -> bool:
        n = _norm(name)
        return n in self.outlet_names or n in KNOWN_OUTLETS or any(w in OUTLET_NAME_WORDS for w in n.split())

    def _entity_before(self, pos: int, pred, key: Hashable = None) -> Span | None:
        """The last named entity ending before token ``pos`` that satisfies ``pred``. ``key``: names ``pred``
        (the same key, the same test), so that the entities passing it are found once per article."""
        if key is None:
            return _ents(self.doc).latest_before(pos, pred)
        passing = self._filtered_ents.get(key)
        if passing is None:
            passing = self._filtered_ents[key] = _Spans(e for e in _ents(self.doc).spans if pred(e))
        return passing.last_before(pos)

    def _mention_span(self, i: int, j: int) -> SpanModel:
        a, b = self.doc[i].idx, self.doc[j - 1].idx + len(self.doc[j - 1].text)
        return SpanModel(start=a, end=b, text=doc_text(self.doc)[a:b])

    def _named_gender(self, name: str, end: int) -> Gender | None:
        """The gender of a person named ``name`` (ending at token ``end``): its own, else that of the full
        name written before it."""
        g = name_gender(name)
        if g is None and len(name.split()) == 1:
            full = self._longer_name_before(max(0, end - 1), name)
            g = name_gender(full[0]) if full is not None else None
        return g

    def _gender(self, src: Source) -> Gender | None:
        """The gender ``src``'s name or a titled mention of it implies (None: unknown)."""
        if src.id not in self._genders:
            g = name_gender(src.name)
            if g is None:
                g = next((x for x in (name_gender(mn.text) for mn in src.mentions) if x), None)
            if g is None or src.mentions:  # a later mention may still tell: only cache what the name tells
                self._genders[src.id] = g
            return g
        return self._genders[src.id]

    def _subject_person_before(self, pos_tok: int, pronoun: str, sentences: int = 3) -> str | None:
        """The person a description such as "the real estate agent" or "the actor" takes up: among the people
        who are grammatical subjects in the ``sentences`` sentences before token ``pos_tok`` (named people,
        or names that look like a person's even if the tagger called them an organisation), agreeing with
        ``pronoun``: a main clause's subject first, then the one the text has named most often, then the
        latest ("Eyamba Sowers didn't know Patrick was coming … The real estate agent said …" → Sowers)."""
        doc = self.doc
        start = doc[pos_tok].sent.start
        for _ in range(sentences - 1):
            if start == 0:
                break
            start = doc[start - 1].sent.start
        people = _spans(doc, "persons", lambda: person_entities(doc)).within(start, pos_tok)
        names = [e for e in _ents(doc).within(start, pos_tok) if e.label_ == "ORG" and _looks_like_person(e)]
        best: tuple[int, int, int] | None = None
        chosen: str | None = None
        text = doc_text(doc)
        here = doc[pos_tok].idx
        for e in [*people, *names]:
            if e.root.dep_ not in ("nsubj", "nsubjpass") or _norm(e.text) in self.outlet_names:
                continue
            name = re.sub(r"['’]s$", "", e.text)
            if len(name.split()) == 1:
                full = self._longer_name_before(e.start, name)
                if full is not None and full[1] == "person":
                    name = full[0]
            if not agrees(pronoun, name_gender(name)):
                continue
            surname = name.split()[-1]
            mentions = text.count(surname, max(0, here - 20_000), here)
            key = (int(e.root.head.dep_ == "ROOT"), mentions, e.start)
            if best is None or key > best:
                best, chosen = key, name
        return chosen

    def _person_before(self, pos_tok: int, pronoun: str | None = None, with_position: bool = False):
        """The person named last before token ``pos_tok`` (its full name when written before), agreeing with
        ``pronoun`` when given; with ``with_position``, ``(name, token where it ends)``. None if nobody."""
        people = _spans(self.doc, "persons", lambda: person_entities(self.doc))

        def fits(e: Span) -> bool:
            if _norm(e.text) in self.outlet_names:
                return False
            if e.root.dep_ == "compound" and e.root.head.pos_ == "NOUN" and e.root.head.i >= e.end:
                return False  # a name that modifies a common noun ("Border agents", "the Trump team") is no one
            if pronoun is None:
                return True
            g = name_gender(e.text)
            if g is None and len(e.text.split()) == 1:
                full = self._longer_name_before(e.start, e.text)
                g = name_gender(full[0]) if full is not None else None
            return agrees(pronoun, g)

        best = people.latest_before(pos_tok, fits, limit=RECENT_SOURCES)
        if best is None:
            return None
        name = re.sub(r"['’]s$", "", best.text)
        if len(name.split()) == 1:
            # "she" after "Dahlberg herself", itself after "Karin Dahlberg": the full name
            full = self._longer_name_before(best.start, name)
            if full is not None and full[1] == "person":
                name = full[0]
        return (name, best.end) if with_position else name

    def _lead_description(self, pos: int, m: Mention) -> Source | None:
        """A person named with a role right after a lead that described them ("A federal judge said …" then
        "U.S. District Judge Maria Keller wrote …"; "A California transit chief says …" then "Interim BART
        Police Chief Ed Alvarez told reporters"): the described source, now named. Only a single unnamed
        person described with "a"/"an", no reason for anonymity given, mentioned once, within
        :data:`LEAD_WINDOW` characters before, whose head noun is a word of the new role."""
        if self._find_named("person", m.name) is not None:
            return None
        role_words = set(_norm(m.role or "").split())
        here = self.doc[pos].idx
        for sid in reversed(self._recency):
            src = self._by_id[sid]
            if not src.mentions or len(src.mentions) > 1:
                continue
            first = src.mentions[0]
            if here - first.start > LEAD_WINDOW or first.start >= here:
                continue
            if src.type not in ("anonymous", "unknown") or src.reason or src.closeness or src.number not in (None, "1"):
                continue
            words = _norm(first.text).split()
            if len(words) < 2 or words[0] not in ("a", "an") or words[-1] not in role_words:
                continue
            src.type = "person"
            src.anonymous = False  # before renaming: anonymous sources are not filed by name
            self._rename(src, m.name)
            src.role = m.role
            src.descriptor = src.affiliation = src.number = None
            self._heads.pop(src.id, None)
            return src
        return None

    # ------------------------------------------------------------------ API
    def resolve(self, i: int, j: int, *, role: str = "source") -> str | None:
        """Resolve the mention in tokens ``i .. j-1`` to a source id (creating or merging a source).

        ``role`` is "source", "recipient" or "relay": a recipient or relay "the outlet" means an outlet."""
        i = after_dateline(self.doc, i, j)
        if j <= i:
            return None
        antecedent = _relative_antecedent(self.doc, i, j)
        if antecedent is not None:
            # "activist tech workers who have demanded …": "who" is the workers
            i, j = antecedent
        m = describe_mention(self.doc, i, j, self.outlet_names)
        src = self._resolve_mention(m, i)
        if src is None:
            return None
        self._use(src, i)
        span = self._mention_span(i, j)
        starts = self._mention_starts.get(src.id)
        if starts is None:
            starts = self._mention_starts[src.id] = {x.start for x in src.mentions}
        if span.start not in starts:
            src.mentions.append(span)
            starts.add(span.start)
        return src.id

    def _resolve_mention(self, m: Mention, pos: int) -> Source | None:
        if m.kind == "pronoun":
            if m.head in PRONOUNS_PERSON:
                # the latest person who can be "he"/"she" (a name the lexicon or a title genders otherwise is
                # passed over: "she said" after "Joe Biden" goes back to "Jennifer Williams")
                src = self._recent(
                    pos,
                    lambda s: (
                        (s.type == "person" and agrees(m.head, self._gender(s)))
                        # "According to a senior lawmaker who asked not to be named ... he said": one unnamed person
                        or (s.anonymous and s.number in (None, "1") and self._heads.get(s.id) not in _GROUP_HEADS)
                    ),
                )
                named = self._person_before(pos, m.head, with_position=True)
                if (
                    named is not None
                    and src is not None
                    and not src.anonymous
                    and PRONOUN_GENDER.get(m.head) is not None
                    and self._gender(src) == PRONOUN_GENDER.get(m.head)
                    and self._named_gender(named[0], named[1]) is None
                ):
                    # "she" after the speaker Ivanna Horobets and a place the tagger took for a name
                    # ("Zhalkiv"): a known woman beats a name of unknown gender
                    named = None
                if named is not None:
                    name, at = named
                    later = src is None or (src.anonymous and at > self._last_use.get(src.id, -1))
                    if later or (not src.anonymous and _norm(name).split()[-1] not in _norm(src.name)):
                        return self._find_named("person", name) or self._new("person", name)
                return src
            if m.head in PRONOUNS_PLURAL:
                return self._recent(pos, lambda s: s.anonymous) or self._recent(pos, lambda s: not s.is_article_outlet)
            return self._recent(
                pos, lambda s: s.type in ("organization", "outlet", "government") and not s.is_article_outlet
            )
        if m.kind == "definite":
            h = m.head
            if h in OUTLET_NOUNS and h in ("agency", "service", "network", "station"):
                # "the agency" after "The Valdorian medicines agency": that body, unless an outlet was named since
                chunk = self._chunk_before(pos, h)
                if chunk is not None and not self._is_outlet_name(chunk.text):
                    named = self._entity_before(pos, lambda e: self._is_outlet_name(e.text), "outlet")
                    if named is None or named.start < chunk.start:
                        name = re.sub(r"^the\s+|['’]s$", "", chunk.text, flags=re.I)
                        return self._find_named("organization", name) or self._new("organization", name)
            if h in OUTLET_NOUNS:
                # "the outlet", "the newspaper": the outlet named last before it (as a source or not)
                src = self._recent(pos, lambda s: s.type == "outlet" and not s.is_article_outlet)
                named = self._entity_before(pos, lambda e: self._is_outlet_name(e.text), "outlet")
                if named is not None and (src is None or named.start > self._last_use.get(src.id, -1)):
                    name = re.sub(r"['’]s$", "", named.text)
                    return self._find_named("outlet", name) or self._new("outlet", name)
                return src or self._recent(pos, lambda s: s.type == "outlet")
            if h in ANONYMOUS_HEADS or h.rstrip("s") in ANONYMOUS_HEADS:
                same = self._recent(pos, lambda s: s.anonymous and self._heads.get(s.id) == h)
                src = (
                    same
                    or self._recent(pos, lambda s: s.anonymous)
                    or self._new("anonymous", m.name, descriptor=m.name, number="1")
                )
                if m.reason and not src.reason:
                    src.reason = m.reason
                return src
            words = set(m.name.lower().split())
            if h in _STATEMENT_NOUNS:
                # "the statement said": whoever issued it, the last source named before
                src = self._recent(pos, lambda s: not s.is_article_outlet and not s.anonymous)
                if src is not None:
                    return src
            described = self._described_name_before(pos, h)
            if described is not None:
                # "Football club FK Port Aldern ..., the club said", "The pipeline operator Transvald ..., the
                # company said"
                return self._find_named("organization", described) or self._new("organization", described)
            src = self._recent(
                pos,
                lambda s: (
                    (s.role and h in s.role.lower())
                    or (h in s.name.lower())
                    or (s.type == "person" and h in ("leader", "president", "minister", "official"))
                ),
            )
            if src is not None:
                return src
            if h in PERSON_NOUNS or h in PERSON_ROLES:
                # "The real estate agent said", "said the actor": the person the text is about, as "he"/"she"
                pronoun = {"f": "she", "m": "he"}.get(DESCRIPTION_GENDER.get(h, ""), "they")
                subject = self._subject_person_before(pos, pronoun)
                if subject is not None:
                    found = self._find_named("person", subject)
                    if found is not None and found.type in ("organization", "unknown"):
                        found.type = "person"  # a description of a person just took it up
                    return found or self._new("person", subject)
                src = self._recent(pos, lambda s: s.type == "person" and agrees(pronoun, self._gender(s)))
                if src is not None:
                    return src
            # "the ministry", "the company": the organisation named last before it
            generic = h in ("company", "firm", "group", "bank", "operator", "organisation", "organization", "agency")
            named = self._entity_before(
                pos,
                lambda e: e.label_ == "ORG" and (generic or h in e.text.lower()) and not self._is_outlet_name(e.text),
                ("organisation", generic, h),
            )
            if named is None:
                # "the council" after "the Ironbridge city council" (a phrase the tagger did not call an ORG)
                named = self._chunk_before(pos, h)
            if named is not None:
                name = re.sub(r"^the\s+|['’]s$", "", named.text, flags=re.I)
                name = re.sub(r"['’]s\b", "", name)
                kind = "government" if words & GOVERNMENT_WORDS else "organization"
                if h in _DOCUMENT_NOUNS:
                    kind = "document"  # "the Mueller report": the document speaks
                return self._find_named(kind, name) or self._new(kind, name)
            if h in _DOCUMENT_NOUNS:
                # "the report found": no issuer written, so the document is the speaker
                return self._find_named("document", m.name) or self._new("document", m.name)
            gov = words & GOVERNMENT_WORDS
            if gov:
                return self._new("government", m.name)
            return self._new("unknown", m.name)
        if m.kind == "anonymous":
            src = self._new(
                "anonymous",
                m.descriptor or m.name,
                descriptor=m.descriptor,
                affiliation=m.affiliation,
                closeness=m.closeness,
                number=m.number,
                reason=m.reason,
            )
            self._heads[src.id] = m.head
            return src
        if m.kind == "unknown" and not m.name:
            return None
        if len(m.name.split()) <= 2:
            # "Ostrand" after "Per Ostrand", "the Herald" after "the Estmark Herald": the full name said before
            full = self._longer_name_before(pos, m.name)
            if full is not None:
                name, kind = full
                m = Mention(
                    m.span,
                    kind if m.kind in ("unknown", "organization", "government", "person") else m.kind,
                    name,
                    head=m.head,
                    role=m.role,
                )
        if m.kind == "person" and m.role:
            lead = self._lead_description(pos, m)
            if lead is not None:
                return lead
        found = self._find_named(m.kind, m.name)
        if found is not None:
            if m.role and not found.role:
                found.role = m.role
            if len(m.name) > len(found.name) and m.kind == "person":
                self._rename(found, m.name)
            if found.type in ("unknown", "organization") and m.kind in ("outlet", "government"):
                found.type = m.kind
            return found
        return self._new(m.kind if m.kind != "unknown" else "unknown", m.name, role=m.role)
