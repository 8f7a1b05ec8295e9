"""What counts as a claim: the scope rules that tell a statement from a belief, a topic or an event.

A reader that finds attribution spans (the rules, the neural tagger trained on PolNeAR) finds more than a
journalist lists as "who said what": mental states and plans ("Microsoft plans to cut its emissions", "Li hopes
that …"), speech acts that name a topic but state nothing ("apologized for his tardiness", "declined to say
when", "claimed victory"), and events that aren't speech at all ("the instrument detected hundreds of bursts",
"the telescope, also known as Tianyan"). This module sorts each raw attribution into:

* ``keep`` — a statement: quoted, reported with a speech verb, ``according to`` …;
* ``belief`` — a mental state or plan (kind ``belief`` in the report: kept for research use, never a claim);
* ``topic`` — a speech act whose complement is a topic, a question or an unstated matter (kind ``topic``);
* ``act`` — an act or event reported of someone, with no speech or belief word in the cue and no quotation
  ("offered a deal", "the instrument detected hundreds of bursts"; kind ``act``): PolNeAR's broad notion of
  attribution counts many of these, a journalist's list of claims none;
* ``drop`` — not an attribution: an all-capitals headline or teaser read as speech, or the outlet's own
  first-person voice ("We rate the statement …").

The lexicons are general English (the cue lexicons of :mod:`sayso.cues` and the lists below), not tuned to any
page: see ``sayso eval realnews`` (journalist's scope) and ``sayso eval polnear`` (PolNeAR's broader scope,
which counts every kind) for what the rules cost and buy.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from ..cues import CUE_VERBS
from ..extensions import doc_text
from .raw import RawAttribution

#: Mental states and plans: the cue reports what someone thinks or intends, not what they said.
BELIEF_LEMMAS = frozenset(
    """
    hope expect plan want intend believe think know feel fear worry wonder seek aim bet decide eager consider
    doubt suspect understand assume anticipate wish prefer try learn need intention plan desire determine
    """.split()
)

#: Speech-act nouns and other cue words that introduce a statement.
SPEECH_NOUNS = frozenset(
    """
    statement according report claim comment remark testimony interview release announcement letter post tweet
    message speech filing lawsuit complaint accusation allegation warning email memo document
    """.split()
)

#: Speech verbs beyond :data:`sayso.cues.CUE_VERBS` that news uses to report statements.
EXTRA_SPEECH = frozenset(
    """
    say tell write testify rule order demand vow pledge promise urge warn accuse deny insist charge contend
    counter retort concede acknowledge admit confirm announce declare describe call label brand dub
    characterize characterise attribute caution reiterate stress add note explain argue estimate calculate
    project forecast predict recommend advise ask plead propose suggest question assert claim allege speak talk
    discuss reference refer express swear credit invoke address rail
    """.split()
)

#: Verbs whose plain noun-phrase object is what a journalist counts as the content ("denied the report",
#: "accused China of …", "urged Congress to act", "called it a hoax").
OBJECT_CONTENT = frozenset(
    """
    deny accuse urge call describe confirm blame dispute defend characterize characterise charge warn order
    demand
    """.split()
)

#: Verbs whose to-infinitive is a statement's content ("vowed to fight", "urged them to leave").
INFINITIVE_CONTENT = frozenset(
    """
    promise vow pledge threaten urge warn call ask order demand say tell agree claim insist appeal plead
    """.split()
)

#: Verbs that turn any complement into a non-statement ("declined to say when", "refused to comment").
REFUSALS = frozenset({"decline", "refuse"})

#: Question words: a complement they open asks or names a matter, it states nothing ("did not say how many").
QUESTION_WORDS = frozenset({"how", "when", "what", "why", "where", "whether", "if", "who", "whom", "which"})

#: A content that only asks for anonymity ("asked not to be named", "requested anonymity").
ANONYMITY_REQUEST = re.compile(
    r"\s*(?:not to be (?:named|identified|quoted)|anonymity|to remain anonymous|that (?:his|her|their) names?"
    r" not be (?:used|published))\b",
    re.I,
)

#: A cue that says its speaker said nothing ("had no comment", "did not respond to a request for comment").
NO_COMMENT = re.compile(
    r"(?:(?:had|has|have|offered|gave|made) no (?:immediate )?comments?|no comment"
    r"|(?:declined|refused|did not|didn['’]t|would not|wouldn['’]t) (?:immediately )?(?:to )?"
    r"(?:comment|respond|reply|return)|could not be reached|couldn['’]t be reached)\b",
    re.I,
)

FIRST_PERSON = frozenset({"we", "i", "us", "our"})

#: Copulas and auxiliaries, never the cue's main word.
_AUX = frozenset({"be", "have", "do", "will", "would", "shall", "should", "can", "could", "may", "might", "must"})


def _tokens(doc: Doc, span: tuple[int, int] | None) -> list[Token]:
    if span is None:
        return []
    s = doc.char_span(span[0], span[1], alignment_mode="expand")
    return list(s) if s is not None else []


_KNOWN = BELIEF_LEMMAS | SPEECH_NOUNS | EXTRA_SPEECH | CUE_VERBS


def _lemma(t: Token) -> str:
    """The token's lemma, or a known cue word its form comes from when the tagger's lemma is not one
    ("hopes" → "hop" is a known mistake of the small English model: "hope" is taken)."""
    lemma = t.lemma_.lower()
    if lemma in _KNOWN:
        return lemma
    w = t.lower_
    for form in (w, w[:-1], w[:-2], w[:-1] if w.endswith("ed") else "", w[:-3], w[:-3] + "e"):
        if form and form in _KNOWN:
            return form
    return lemma


def cue_lemmas(doc: Doc, raw: RawAttribution) -> list[str]:
    """The content words of the cue, as lower-case lemmas ("did not immediately provide" → ["provide"],
    "according to" → ["according"]), the cue's own token first when the finder recorded it. A noun counts
    only when it names a speech act (:data:`SPEECH_NOUNS`): "a call for proposals" is no cue."""
    toks = _tokens(doc, raw.cue)
    if raw.cue_token is not None and 0 <= raw.cue_token < len(doc):
        toks = [doc[raw.cue_token], *[t for t in toks if t.i != raw.cue_token]]
    out: list[str] = []
    for t in toks:
        lemma = _lemma(t)
        if t.is_punct or t.is_stop and lemma not in ("say", "call", "according", "tell") or lemma in _AUX:
            continue
        if t.pos_ in ("NOUN", "PROPN") and lemma not in SPEECH_NOUNS and lemma not in BELIEF_LEMMAS:
            continue
        out.append(lemma)
    return out


def _is_speech(lemmas: Iterable[str]) -> bool:
    return any(lemma in CUE_VERBS or lemma in EXTRA_SPEECH or lemma in SPEECH_NOUNS for lemma in lemmas)


def _content_tokens(doc: Doc, raw: RawAttribution) -> list[Token]:
    return [t for t in _tokens(doc, raw.content) if not t.is_space]


_HEADLINE_RE = re.compile(r"^[^\n:“”\"]{2,80}:\s+\S[^\n]*$")


_VISIBLE = re.compile(r"\S")


def _first_line_start(text: str) -> int:
    """Where the text's first non-blank line starts (found from the start: no copy of the text)."""
    m = _VISIBLE.search(text)
    return text.rfind("\n", 0, m.start()) + 1 if m else len(text)


def _headline_line(text: str, pos: int) -> bool:
    """Whether ``pos`` lies on a line written as a headline, with no sentence end and at most 16 words: of
    the form "X: Y" ("Julian Assange: Sweden drops rape investigation"), or the text's first line ("NASA adds
    five companies to commercial lunar lander program" above the body)."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    line = text[a : b if b >= 0 else len(text)].strip()
    if _RELATED_LINK.match(line):
        return True  # "Also on rt.com Journalists … threatened with sedition arrests": a link to another story
    if not line or line[-1] in ".?!”’\"':" or len(line.split()) > 16:
        return False
    return bool(_HEADLINE_RE.match(line)) or _first_line_start(text) >= a


#: A line that links to another story: "Also on rt.com …", "Read more: …", "RELATED: …", "See also …".
_RELATED_LINK = re.compile(
    r"(?:also on [\w.-]+\.[a-z]{2,}|read more|related(?: stories| articles| coverage)?|see also|also read|"
    r"more on this|recommended|watch)\b\s*:?\s",
    re.I,
)


def _comparative(cue: Token) -> bool:
    """Whether the cue verb heads a comparison clause ("than McKinley suggests")."""
    return any(c.dep_ == "mark" and c.lower_ == "than" for c in cue.children) or (
        cue.dep_ == "advcl" and any(t.lower_ == "than" for t in cue.doc[max(0, cue.i - 4) : cue.i])
    )


def on_headline(text: str, raw: RawAttribution) -> bool:
    """Whether the attribution's content or cue sits on a headline line (:func:`_headline_line`)."""
    return _headline_line(text, raw.content[0]) or (raw.cue is not None and _headline_line(text, raw.cue[0]))


_TIME_ADVERBS = frozenset("later earlier afterwards meanwhile then now today yesterday tonight".split())


def _only_when(doc: Doc, raw: RawAttribution) -> bool:
    """Whether the content is only a time ("Later in the day", "on Tuesday"): words of DATE or TIME entities
    and function words."""
    toks = [t for t in _content_tokens(doc, raw) if not t.is_punct]
    return (
        bool(toks)
        and all(t.ent_type_ in ("DATE", "TIME") or t.is_stop or t.lower_ in _TIME_ADVERBS for t in toks)
        and any(t.ent_type_ in ("DATE", "TIME") for t in toks)
    )


def _all_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and not any(c.islower() for c in letters)


def _source_words(doc: Doc, raw: RawAttribution) -> list[str]:
    if raw.source_tokens is None:
        return []
    i, j = raw.source_tokens
    return [t.lower_ for t in doc[i:j]]


def _is_clause(doc: Doc, content: tuple[int, int], first: Token) -> bool:
    """Whether the content is a clause ("that his wife had suffered …", "the official way … is by pounds")
    rather than a noun phrase ("his decision to pull out", "sedition arrests as Bolivia purges …"): its head
    is a verb, or it holds a sentence's main verb with its subject."""
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if span is None:
        return first.pos_ in ("VERB", "AUX")
    if span.root.pos_ in ("VERB", "AUX"):
        return True
    return any(
        t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.dep_ == "ROOT" and span.start <= t.head.i < span.end
        for t in span
    )


def classify(doc: Doc, raw: RawAttribution, in_quote: bool, unknown_cue: str = "act", own_voice: str = "drop") -> str:
    """``keep``, ``belief``, ``topic``, ``act`` or ``drop`` for one raw attribution (see the module docstring).

    Args:
        doc: the parsed article.
        raw: the attribution, spans as character offsets into ``doc.text``.
        in_quote: whether the source mention sits inside a quotation (a quoted "we" is a speaker's, not the
            outlet's, voice).
        unknown_cue: the verdict for a cue with no speech or belief word (``act``: kept as a non-claim; or
            ``drop``).
        own_voice: the verdict for a first-person source outside quotations (``drop`` or ``keep``).
    """
    text = doc_text(doc)
    content_text = text[raw.content[0] : raw.content[1]]
    cue_text = text[raw.cue[0] : raw.cue[1]] if raw.cue else ""
    if _all_capitals(content_text) or (cue_text and _all_capitals(cue_text + " " + content_text)):
        return "drop"  # a headline or teaser in capitals: "LAUREN ALAINA SAYS 'DWTS' HAS HELPED HER …"
    if on_headline(text, raw):
        return "drop"  # "Minister Erik Dahl: We will not give in", a kicker or headline, not speech
    if raw.kind in ("direct", "mixed") and raw.cue and NO_COMMENT.match(text, raw.cue[0], raw.cue[1] + 40):
        return "drop"  # "“...” The attorney general's office had no comment.": the quotation is not theirs
    if raw.kind in ("direct", "hedged", "according_to"):
        return "keep"
    if _only_when(doc, raw):
        return "act"  # "Later in the day, Kurt Volker ... testified": when it happened, nothing said
    if ANONYMITY_REQUEST.match(content_text):
        return "drop"  # "who asked not to be named": part of an anonymous source's description
    if raw.cue_token is not None and 0 <= raw.cue_token < len(doc) and _comparative(doc[raw.cue_token]):
        return "drop"  # "It's more complicated than McKinley suggests": a comparison, not a report
    source = _source_words(doc, raw)
    if len(source) == 1 and source[0] in FIRST_PERSON and not in_quote:
        return own_voice  # the outlet's own voice: "We rate the statement Mostly True"
    lemmas = cue_lemmas(doc, raw)
    if not lemmas:
        return "keep" if raw.cue is None and (raw.inherit_from is not None or raw.kind == "mixed") else unknown_cue
    if any(lemma in REFUSALS for lemma in lemmas):
        return "topic"
    speech = _is_speech(lemmas)
    main = lemmas[0]
    if main in BELIEF_LEMMAS or (not speech and any(lemma in BELIEF_LEMMAS for lemma in lemmas)):
        return "belief"
    if not speech:
        return unknown_cue
    if raw.source_tokens is None and raw.inherit_from is None and raw.relay_tokens is None:
        # nobody says it: "the app tells them that …", "a forum called XDA Developers"
        return "act"
    if raw.kind == "mixed":
        return "keep"  # a quotation inside: its words are the speaker's whatever the complement's shape
    toks = _content_tokens(doc, raw)
    first = next((t for t in toks if not t.is_punct), None)
    if first is None:
        return unknown_cue
    if first.lower_ in QUESTION_WORDS:
        return "topic"
    if first.lower_ == "to" and first.tag_ == "TO":
        return "keep" if any(lemma in INFINITIVE_CONTENT for lemma in lemmas) else "belief"
    fronted = raw.cue is not None and raw.content[1] <= raw.cue[0]  # "…, a spokesman told us": a whole sentence
    if not fronted and not _is_clause(doc, raw.content, first):
        if any(lemma in OBJECT_CONTENT for lemma in lemmas):
            return "keep"
        return "topic"  # "claimed victory", "announced a multi-year deal", "apologized for his tardiness"
    return "keep"


def apply_scope(
    doc: Doc,
    raws: list[RawAttribution],
    quote_spans: list[tuple[int, int]],
    unknown_cue: str = "act",
    own_voice: str = "drop",
) -> list[RawAttribution]:
    """Sort ``raws`` by :func:`classify`: beliefs, topics and acts get kinds ``belief``, ``topic`` and
    ``act``, the dropped ones are removed (attributions nested in a dropped one are un-nested). Returns the
    kept raws, in order.

    ``quote_spans``: the article's quotations as character offsets (for the first-person test);
    ``unknown_cue``: see :func:`classify`."""

    spans = sorted(quote_spans)
    starts = [a for a, _ in spans]

    def in_quote(raw: RawAttribution) -> bool:
        if raw.source_tokens is None:
            return False
        at = doc[raw.source_tokens[0]].idx
        k = bisect_right(starts, at) - 1  # quotations never overlap: only the last one starting before can hold it
        return k >= 0 and at < spans[k][1]

    verdicts = [classify(doc, r, in_quote(r), unknown_cue, own_voice) for r in raws]
    kept: list[RawAttribution] = []
    dropped: set[int] = set()
    for r, verdict in zip(raws, verdicts, strict=True):
        if verdict == "drop":
            dropped.add(id(r))
            continue
        if verdict in ("belief", "topic", "act"):
            r.kind = verdict
        kept.append(r)
    if dropped:
        for r in kept:
            if r.nested_in is not None and id(r.nested_in) in dropped:
                r.nested_in = None
            if r.inherit_from is not None and id(r.inherit_from) in dropped:
                r.inherit_from = None  # a headline's or the outlet's own words lend no speaker
    return kept
