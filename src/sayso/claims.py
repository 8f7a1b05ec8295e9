"""The claim ledger: which propositions a story's reports carry, who asserts, relays or denies each, and how many
independent origins stand behind it.

Input is one story's articles (see :mod:`sayso.stories`) with their reports. Every attribution is a *report* of a
claim: its speaker (the source, with the reporting chain that reached it), the article's outlet that passes it on,
and a stance at both levels. Reports of one proposition are merged into a :class:`Claim` when their contents say the
same thing: numbers are compared as values ("300,000" = "300 000" = "three hundred thousand"), places by what they
resolve to, names by a spelling-folded key, and the rest by MiniLM sentence similarity (:mod:`sayso.embeddings`).

Provenance follows the chains across reports: a report that cites an outlet whose own report of the claim is in the
story inherits that report's origins, and a copy of a wire story inherits its original's. Origins are keyed by the
outlet that reached an anonymous source plus its descriptor, or by a named source's folded name, so ten relays of
one anonymous source count once.

>>> from sayso.claims import fold_name
>>> fold_name("The Kessby Post’s"), fold_name("Kesby Post")
('kesby post', 'kesby post')
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

import numpy as np

from .numbers import DIGITS_RE, parse_number
from .schema import CLAIM_KINDS, Attribution, Report, Source
from .story_entities import (
    StoryEntity,
    entity_index,
    is_description,
    is_speaker,
    known_outlets,
    org_key,
    spokesperson_of,
    story_entities,
)

Stance = Literal["asserts", "denies", "relays", "mentions"]

#: Cue words by which a speaker denies or contradicts what the content says.
DENIAL_CUES = frozenset(
    """deny denies denied denying reject rejects rejected rejecting dismiss dismisses dismissed dismissing refute
    refutes refuted dispute disputes disputed rebut rebutted contradict contradicted contradicts""".split()
)
#: Cue words by which a speaker confirms a claim.
CONFIRMATION_CUES = frozenset("confirm confirms confirmed confirming corroborate corroborated verified".split())
#: Words in a content that contradict the claim it is linked to ("the plan has been shelved", "it is untrue").
CONTRADICTION_MARKERS = re.compile(
    r"\b(?:pushed aside|shelved|scrapped|abandoned|not true|untrue|false|fabricated|baseless|nonsense|groundless)\b",
    re.I,
)
#: Plain negation in a content: a denial only of a claim the story also carries in positive form ("there was no
#: plan to buy 120 tanks" against "plans to buy 120 tanks"); else a negative proposition its speaker asserts
#: ("there is no evidence linking the cases").
NEGATION_MARKERS = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|without)\b|n[’']t\b",
    re.I,
)
#: A content that only names a claim under a condition ("the report, if accurate, showed ..."): a mention.
CONDITIONAL = re.compile(r"\bif (?:true|accurate|confirmed|correct|so|verified)\b|^(?:if|whether)\b", re.I)
#: Hedges by which an outlet relays without endorsing.
RELAY_HEDGES = frozenset("reportedly allegedly purportedly supposedly apparently".split())

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_WORD_NUMBER = (
    rf"(?:(?:{_NUMBER_WORDS}|a|an)[\s-]+)?(?:hundred|thousand|million|billion|dozen)"
    rf"(?:(?:[\s-]+and)?[\s-]+(?:{_NUMBER_WORDS}|hundred|thousand|million|billion))*"
)
_NUMBER = re.compile(rf"\b(?:{DIGITS_RE}(?:\s*(?:million|billion|thousand|bn|m))?|{_WORD_NUMBER})\b", re.I)
_STOP = frozenset(
    """the a an of to in on for and or that this these those with by from at as is are was were be been has have had
    will would could may might its their his her it they he she said says say told according citing reported report
    reports about over more than also which who""".split()
)


def fold_name(name: str | None) -> str:
    """A name in a form where spelling variants meet: accents dropped, lower case, a leading "the" and a
    possessive removed, doubled letters single ("Kessby" and "Kesby" give "kesby"). Returns "" for None."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("’", "'")
    text = re.sub(r"'s\b|s'$", "", text)
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"([a-z])\1+", r"\1", text)


def numbers_in(text: str) -> set[float]:
    """The numbers a text states, as values: "300,000", "300 000" and "three hundred thousand" all give 300000."""
    out: set[float] = set()
    for m in _NUMBER.finditer(text):
        value = parse_number(m.group(0))
        if value is not None and not (1900 <= value <= 2100 and "," not in m.group(0)):
            out.add(value)
    return out


def normalised_text(text: str, replacements: Sequence[tuple[int, int, str]] = ()) -> str:
    """``text`` with ``replacements`` ((start, end, new) in ``text``'s offsets, e.g. places by their gazetteer
    name) applied and every number written in digits without separators, for comparing contents."""
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]

    def digits(m: re.Match) -> str:
        value = parse_number(m.group(0))
        if value is None or value >= 1e15:
            return m.group(0)
        return str(int(value)) if value.is_integer() else f"{value:g}"

    return " ".join(_NUMBER.sub(digits, text).split())


_ANAPHORIC = re.compile(
    r"^(?:that\s+)?(?:(?:this|that|these|those|such|the)\s+(?:\w+\s+){0,2}?"
    r"(?:report|reports|claim|claims|story|stories|plan|plans|demand|idea|proposal|allegation|allegations|"
    r"suggestion|rumou?rs?|account|accounts)\b|it\b|they\b)",
    re.I,
)


def is_anaphoric(content: str) -> bool:
    """Whether a content points back at a claim made elsewhere instead of stating one ("the report",
    "this demand from the military is being pushed aside", "it was fiction")."""
    text = content.strip(" “”\"'")
    text = re.sub(r"^(?:therefore|however|but|and|so)\b,?\s*", "", text, flags=re.I)
    return bool(_ANAPHORIC.match(text))


#: Words that make a short content a statement: auxiliaries, modals, negations and common irregular verbs.
_VERBISH = frozenset(
    """is are was were be been being am has have had having do does did done will would shall should can could
    may might must said says say told tells think thinks thought know knows knew made make makes took take
    takes went go goes came come comes ate eat eats found find finds gave give gives got get gets left leave
    saw see sees became become began begin brought bought caught fell felt held keep keeps kept led lost
    meant met paid put sent set sat spent stood won wrote hit cut let shut hid ran run runs want wants need
    needs seem seems remain remains appear appears show shows mean means no not never""".split()
)


def is_proposition(content: str, max_topic_words: int = 8) -> bool:
    """Whether a content states something rather than naming a topic: longer than ``max_topic_words``
    words, quoted, or holding a verb-like word (an auxiliary, a modal, a negation, a common verb or a word in
    -ed or -ing). "Three cases of plague" and "a potential plague outbreak" are topics."""
    words = re.findall(r"[^\W\d_][\w'’-]*", content.lower())
    if len(words) > max_topic_words or any(q in content for q in '“”"'):
        return True
    for w in words:
        w = w.replace("’", "'")
        if w in _VERBISH or w.endswith(("n't", "'s", "'re", "'ll", "'ve", "'d")):
            return True
        if len(w) > 4 and w.endswith(("ed", "ing")):
            return True
    return False


def content_words(text: str) -> set[str]:
    """Folded content words of a text (no stop words, at least four letters), for overlap tests."""
    return {fold_name(w) for w in re.findall(r"[^\W\d_]{4,}", text) if w.lower() not in _STOP}


# ------------------------------------------------------------------------------------------------ model


@dataclass(frozen=True)
class StoryArticle:
    """One article of a story: ``article_id`` in the store, its ``report``, ``original_id`` (the article it
    copies, None for an original) and ``name`` (how the ledger refers to it: file, URL or title)."""

    article_id: int
    report: Report
    original_id: int | None = None
    name: str = ""


@dataclass
class ClaimReport:
    """One report of a claim: the attribution ``attribution_id`` of article ``article_id`` (published by
    ``outlet`` on ``published``), said by ``speaker`` (relayed through ``via``), with the speaker's stance
    (``speaker_stance``: asserts or denies) and the report's (``stance``: asserts, denies, relays or
    mentions). ``origins`` are the origin keys it traces back to, ``copy_of`` the original article of a
    copy; ``confirmation`` marks a speaker who confirms."""

    article_id: int
    article: str
    outlet: str | None
    published: str | None
    attribution_id: str | None
    content: str
    start: int
    end: int
    speaker: str | None
    speaker_type: str | None
    via: list[str]
    stance: Stance
    speaker_stance: Literal["asserts", "denies"]
    hedged: bool
    confirmation: bool = False
    origins: list[str] = field(default_factory=list)
    origin_labels: dict[str, str] = field(default_factory=dict)
    copy_of: int | None = None
    title: str | None = None
    negated: bool = False


@dataclass
class Claim:
    """A proposition carried by one or more reports of a story, with its provenance.

    ``statement``: the wording of its first report; ``first_report``: that report; ``origins``: origin key ->
    a readable label; ``independent_origins``: how many distinct origins support it (copies and relays of
    one origin count once; denials don't count); ``confirmations``, ``denials``, ``hedged_relays``: the
    reports of each kind; ``timeline``: all reports by publication date."""

    id: str
    statement: str
    reports: list[ClaimReport]
    first_report: ClaimReport
    origins: dict[str, str]
    independent_origins: int
    confirmations: list[ClaimReport]
    denials: list[ClaimReport]
    hedged_relays: list[ClaimReport]
    timeline: list[ClaimReport]

    def as_dict(self) -> dict:
        """The claim as JSON-ready values."""

        def rep(r: ClaimReport) -> dict:
            return {
                "article_id": r.article_id,
                "article": r.article,
                "title": r.title,
                "outlet": r.outlet,
                "published": r.published,
                "attribution": r.attribution_id,
                "content": r.content,
                "span": {"start": r.start, "end": r.end},
                "speaker": r.speaker,
                "speaker_type": r.speaker_type,
                "via": r.via,
                "stance": r.stance,
                "speaker_stance": r.speaker_stance,
                "hedged": r.hedged,
                "confirmation": r.confirmation,
                "origins": [r.origin_labels.get(k, k) for k in r.origins],
                "copy_of": r.copy_of,
            }

        return {
            "id": self.id,
            "statement": self.statement,
            "first_report": rep(self.first_report),
            "origins": [{"key": k, "label": v} for k, v in self.origins.items()],
            "independent_origins": self.independent_origins,
            "confirmations": [rep(r) for r in self.confirmations],
            "denials": [rep(r) for r in self.denials],
            "hedged_relays": [rep(r) for r in self.hedged_relays],
            "timeline": [rep(r) for r in self.timeline],
        }


# ------------------------------------------------------------------------------------------------ reports


def _cue_words(att: Attribution) -> set[str]:
    return set(re.findall(r"[a-z]+", att.cue.text.lower())) if att.cue else set()


def _content_text(att: Attribution) -> str:
    if att.content_parts:
        return " … ".join(p.text for p in att.content_parts)
    return att.content.text


def _anonymous_head(src: Source) -> str:
    """The noun an anonymous source is described by, singular: "officials in the ministry", "defence ministry
    officials" and "one of the officials" all give "official"."""
    words = re.findall(r"[a-z]+", (src.descriptor or src.name).lower())
    cut = next((k for k, w in enumerate(words) if w in _DESCRIPTOR_BREAKS), len(words))
    before = [w for w in words[:cut] if w not in _DESCRIPTOR_SKIP]
    if not before and cut < len(words) and words[cut] == "of":
        before = [w for w in words[cut + 1 :] if w not in _DESCRIPTOR_SKIP][:1]
    head = before[-1] if before else (words[-1] if words else "source")
    return _singular(head)


_DESCRIPTOR_BREAKS = frozenset("in at of close familiar with from to for who briefed knowledgeable".split())
_DESCRIPTOR_SKIP = frozenset("one two three four five several some a an the senior other another second first".split())


def _origin(
    src: Source, relay: Source | None, outlet: str | None, entity: StoryEntity | None = None
) -> tuple[str, str] | None:
    """The origin key and label of a source reached through ``relay`` (the outlet that spoke to it), or None
    for a non-speaker ("The agreement", see :func:`sayso.story_entities.is_speaker`).

    An anonymous source is keyed by that outlet, its head noun and the last word of its affiliation, so the
    article's "two officials in the defence ministry", "the officials" and "one of the officials" are one
    origin; a spokesperson of a named body by that body ("a WeWork spokesperson" is WeWork); a named source by
    its story-level ``entity`` (:mod:`sayso.story_entities`), else its folded name without what follows a
    comma."""
    if not is_speaker(src):
        return None
    body = spokesperson_of(src)
    if body is not None:
        return f"named:{org_key(body)}", f"{body} (spokesperson)"
    if src.anonymous or is_description(src):
        through = relay.name if relay is not None else outlet
        desc = src.descriptor or src.name
        affil = fold_name(src.affiliation).split()[-1:] if src.affiliation else []
        key = f"anon:{org_key(through or '')}:{_anonymous_head(src)}:{''.join(affil)}"
        return key, f"{desc} (via {through})" if through else desc
    if entity is not None:
        return entity.key, entity.label
    name = src.name.split(",")[0].strip() or src.name
    if src.type == "outlet":
        return f"outlet:{org_key(name)}", name
    return f"named:{fold_name(name)}", name


#: Head nouns of official descriptions that name one kind of source ("officials", "the authorities", "health
#: chiefs", "health bosses").
_OFFICIAL_HEADS = frozenset("official authority chief boss administrator government officer".split())
#: Heads of descriptions that may stand for a named body of the story with the same head noun.
_DESCRIPTION_HEADS = _OFFICIAL_HEADS | frozenset("commission ministry department agency committee council".split())


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _head_class(head: str) -> str:
    return "official" if head in _OFFICIAL_HEADS else head


def same_origin(a: str, b: str) -> bool:
    """Whether origin keys ``a`` and ``b`` name one origin: equal, or anonymous sources reached through the
    same outlet, described by the same noun, where one lacks the other's affiliation."""
    if a == b:
        return True
    if a.startswith("anon:") and b.startswith("anon:"):
        pa, pb = a.split(":"), b.split(":")
        if pa[1:3] == pb[1:3] and (not pa[3] or not pb[3]):
            return True
        # "officials" (via one outlet) and "China's health chiefs" (via another), one of them with no body of its
        # own: nothing sets them apart as independent sources of one claim
        return _head_class(pa[2]) == _head_class(pb[2]) == "official" and (not pa[3] or not pb[3])
    if a.startswith("anon:") != b.startswith("anon:") and "named:" in (a[:6], b[:6]):
        # "health authorities" and "the Inner Mongolia health authority": the description of a named body
        anon, named = (a, b) if a.startswith("anon:") else (b, a)
        last = named[6:].split()[-1:] or [""]
        head = anon.split(":")[2]
        return head in _DESCRIPTION_HEADS and _head_class(_singular(last[0])) == _head_class(head)
    if a.startswith("named:") and b.startswith("named:"):
        # "Bohdan Lysak" and "Bogdan Lysak": one surname, first names spelt alike
        wa, wb = a[6:].split(), b[6:].split()
        if len(wa) == len(wb) >= 2 and wa[-1] == wb[-1]:
            return SequenceMatcher(None, " ".join(wa[:-1]), " ".join(wb[:-1])).ratio() >= 0.75
    return False


_WIRE_CREDIT = re.compile(r"^\W{0,3}(?:[A-Z][\w .,'’-]{0,60}?\s)?\(([A-Z][\w .&-]{1,40})\)\s*[—–-]")


def wire_credit(text: str) -> str | None:
    """The wire agency a story opens with ("(Reuters) — ...", "WASHINGTON (AP) - ..."), when it is a known
    outlet: the article carries the wire's reporting, so its anonymous sources are the wire's. None otherwise.

    >>> wire_credit("(Reuters) — The attorney general is investigating"), wire_credit("Kharkiv (Ukraine) - no")
    ('Reuters', None)
    """
    m = _WIRE_CREDIT.match(text[:120])
    if m and org_key(m.group(1)) in known_outlets():
        return m.group(1).strip()
    return None


def article_reports(
    art: StoryArticle, min_words: int = 4, entities: dict[tuple[int, str], StoryEntity] | None = None
) -> list[ClaimReport]:
    """The reports of claims in one article: one per attribution whose content has at least ``min_words``
    words, with both stance levels and the origin keys its own chain gives (see the module docstring).
    ``entities``: the story's entities by (article id, source id), from :func:`story_entities`."""
    entities = entities or {}
    report = art.report
    sources = {s.id: s for s in report.sources}
    outlet = report.article.outlet
    identified = delayed_identifications(report)
    wire = wire_credit(report.article.text)  # "(Reuters) —": the wire's sources, not the site's
    out: list[ClaimReport] = []
    for att in report.attributions:
        if att.kind not in CLAIM_KINDS:
            continue  # beliefs, topics and acts state no claim (sayso.reader.scope)
        content = _content_text(att)
        src = sources.get(att.source) if att.source else None
        src = _named_before_relative(report, att, src) or src
        cues = _cue_words(att)
        if len(content.split()) < min_words and not (cues & DENIAL_CUES and is_anaphoric(content)):
            continue  # too short to state a claim, unless it denies one ("denied the report")
        if not (cues & (DENIAL_CUES | CONFIRMATION_CUES)) and not is_proposition(content):
            continue  # "three cases of plague", "a potential outbreak": a topic, not a statement (unless confirmed)
        denies = bool(cues & DENIAL_CUES) or bool(CONTRADICTION_MARKERS.search(content))
        negated = not denies and bool(NEGATION_MARKERS.search(content))
        via = [sources[v] for v in att.via if v in sources]
        entity = entities.get((art.article_id, src.id)) if src is not None else None
        own_outlet = org_key(outlet or "")
        other_outlet = (
            src is not None
            and not src.is_article_outlet
            and (src.type == "outlet" or (entity is not None and entity.key.startswith("outlet:")))
            and (entity is None or entity.key != f"outlet:{own_outlet}")
        ) or (entity is not None and entity.outlet is not None and entity.outlet != own_outlet)
        told = sources.get(att.to) if att.to else None
        if told is not None and not told.is_article_outlet:
            # "an insider told a magazine", "told Reuters": passed on from another outlet's interview
            told_entity = entities.get((art.article_id, told.id))
            other_outlet = other_outlet or (
                (told.type == "outlet" or (told_entity is not None and told_entity.key.startswith("outlet:")))
                and org_key(told.name) != own_outlet
            )
        # an outlet distances itself with "reportedly", "allegedly"; "according to Reuters" is a relay
        hedged = bool(set(att.hedges) & RELAY_HEDGES) or att.kind == "hedged"
        if denies:
            stance: Stance = "denies"
        elif CONDITIONAL.search(content.strip(" “”\"'")) or re.search(
            r",\s*if (?:true|accurate|confirmed)\b", content, re.I
        ):
            stance = "mentions"
        elif hedged or via or other_outlet:
            stance = "relays"  # another outlet's report, or passed on without endorsing it
        else:
            stance = "asserts"  # the outlet's own voice, or its own source speaking to it
        origins: dict[str, str] = {}
        origin_sources = [sources[o] for o in att.origins if o in sources] or ([src] if src is not None else [])
        for o in origin_sources:
            o = identified.get(o.id, o)
            if o is not src and src is not None and src.type in ("outlet", "organization"):
                relay = src  # "X reported, citing officials": X spoke to them
            else:
                relay = via[-1] if via else None
            if o.is_article_outlet:
                origins[f"outlet:{org_key(o.name)}"] = o.name
                continue
            found = _origin(o, relay if o is not relay else None, wire or outlet, entities.get((art.article_id, o.id)))
            if found is not None:
                origins[found[0]] = found[1]
        out.append(
            ClaimReport(
                article_id=art.article_id,
                article=art.name or str(art.article_id),
                outlet=outlet,
                published=report.article.published,
                attribution_id=att.id,
                content=" ".join(content.split()),
                start=att.content.start,
                end=att.content.end,
                speaker=src.name if src else None,
                speaker_type=src.type if src else None,
                via=[v.name for v in via],
                stance=stance,
                speaker_stance="denies" if denies else "asserts",
                hedged=hedged,
                confirmation=bool(cues & CONFIRMATION_CUES),
                origins=list(origins),
                origin_labels=origins,
                copy_of=art.original_id,
                title=report.article.title,
                negated=negated,
            )
        )
    return out


_SAID_WHO = re.compile(r"\s*([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3}),\s+(?:who|whose)\b")


def _named_before_relative(report: Report, att: Attribution, src: Source | None) -> Source | None:
    """The person a cue is followed by when the attribution's source is an organisation named in that person's
    relative clause ("..., said Horobets, who belongs to the opposition Civic Union party": Horobets, not the
    party); None when that is not the case."""
    if att.cue is None or src is None or src.type == "person":
        return None
    m = _SAID_WHO.match(report.article.text, att.cue.end)
    if not m or not any(att.cue.end < mention.start for mention in src.mentions):
        return None
    surname = m.group(1).split()[-1]
    people = [s for s in report.sources if s.type == "person" and s.name.split(",")[0].split()[-1:] == [surname]]
    return people[0] if len(people) == 1 else None


#: Role nouns a story's lead uses for a person it names in the next sentence ("A senior lawmaker has confirmed
#: ... Ivanna Horobets, deputy chair of the defence committee, told ...").
_LEAD_ROLES = frozenset(
    """lawmaker legislator official executive minister diplomat officer spokesman spokeswoman spokesperson adviser
    aide analyst expert economist member senator deputy mayor governor commander general lawyer""".split()
)


def delayed_identifications(report: Report, window: int = 400) -> dict[str, Source]:
    """Anonymous-looking sources the article names right after ("delayed identification" in a story's lead):
    a single unnamed source described by a role noun, with no reason for anonymity, whose attribution is
    followed within ``window`` characters by an attribution of a named person. Returns source id -> that
    person."""
    sources = {s.id: s for s in report.sources}
    atts = sorted(report.attributions, key=lambda a: a.content.start)
    out: dict[str, Source] = {}
    for k, att in enumerate(atts):
        src = sources.get(att.source) if att.source else None
        if src is None or not src.anonymous or src.reason or src.closeness or src.number not in (None, "1"):
            continue
        if _anonymous_head(src) not in _LEAD_ROLES or not src.mentions:
            continue
        first = min(m.start for m in src.mentions)
        for nxt in atts[k + 1 :]:
            person = sources.get(nxt.source) if nxt.source else None
            if person is None or person.id == src.id:
                continue
            starts = [m.start for m in person.mentions if m.start > first]
            if person.type == "person" and starts and min(starts) - first <= window:
                if min(m.start for m in person.mentions) > first:  # named only after the lead
                    out[src.id] = person
            break
    return out


def _place_replacements(report: Report, start: int, end: int) -> list[tuple[int, int, str]]:
    """Places inside ``start:end`` of ``report``'s text, by their gazetteer name (offsets relative to start)."""
    out = []
    for p in report.places:
        if p.caption is None and start <= p.start and p.end <= end and p.name:
            out.append((p.start - start, p.end - start, p.name))
    return out


# ------------------------------------------------------------------------------------------------ merging


Encoder = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class MergeSettings:
    """Thresholds for merging reports into claims (cosines of MiniLM embeddings of the normalised contents).

    ``paraphrase``: enough on its own; ``same_speaker``: enough, with ``speaker_words`` shared content words,
    for two reports of one speaker (an origin in common: the quote and another outlet's paraphrase of it);
    ``anchored``: enough when both state the same number (other than a year); ``cohesion``: the least mean
    similarity to a claim's reports a new report needs, so that claims do not chain from one topic to the
    next. Two reports of different speakers on one topic reach 0.6 to 0.67 with MiniLM; the same statement
    in two outlets' words 0.7 and more."""

    paraphrase: float = 0.70
    same_speaker: float = 0.60
    speaker_words: int = 3
    anchored: float = 0.36
    cohesion: float = 0.42


Amount = tuple[float, str]


def amounts(report: Report, start: int, end: int, text: str) -> set[Amount]:
    """The amounts stated in ``text`` (``report``'s text from ``start`` to ``end``): (value, unit word) for each
    quantity the pipeline found there ("120 main battle tanks" -> (120, "tank")), and (value, "") for other
    numbers the text writes; years are left out."""
    out: set[Amount] = set()
    covered: set[float] = set()
    for q in report.quantities:
        if start <= q.start and q.end <= end and not (1900 <= q.value <= 2100 and q.unit is None):
            unit = fold_name(q.unit).split()[-1:] if q.unit else []
            word = unit[0] if unit else ""
            word = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
            out.add((q.value, word))
            covered.add(q.value)
    for value in numbers_in(text):
        if value not in covered and not (1900 <= value <= 2100):
            out.add((value, ""))
    return out


def same_amount(a: set[Amount], b: set[Amount]) -> bool:
    """Whether two sets of amounts share one: the same value with the same unit, with a unit on one side only,
    or a value of 1,000 or more (distinctive enough: "300,000 soldiers" and "the 300,000 recruitment target")."""
    return any(va == vb and (ua == ub or not ua or not ub or va >= 1000) for va, ua in a for vb, ub in b)


def _link_score(
    i: int,
    j: int,
    sims: np.ndarray,
    nums: list[set[Amount]],
    words: list[set[str]],
    settings: MergeSettings,
    origins: list[set[str]] | None = None,
    echoes: list[set[str]] | None = None,
    outlets: list[set[str]] | None = None,
    articles: list[int] | None = None,
    responds: list[bool] | None = None,
) -> bool:
    """Whether reports ``i`` and ``j`` state the same proposition (see :class:`MergeSettings`); ``origins``:
    each report's origin keys; ``echoes``: the outlets each relays (origin keys 'outlet:…'); ``outlets``:
    the key of each report's own outlet, as a set; ``articles``: each report's article id; ``responds``:
    whether each report confirms, denies or negates (may answer another report's claim)."""
    s = float(sims[i, j])
    shared = same_amount(nums[i], nums[j])
    if nums[i] and nums[j] and not shared:
        return False  # both state amounts and none agree: different claims
    if s >= settings.paraphrase:
        return True
    if origins is None:
        return shared and s >= settings.anchored
    one_speaker = bool(origins[i] & origins[j])
    same_article = outlets is not None and articles is not None and articles[i] == articles[j]
    responding = responds is not None and (responds[i] or responds[j])
    if shared and s >= settings.anchored and (one_speaker or not same_article or responding):
        return True  # within one article, two speakers giving one number make two statements unless one answers
    if echoes is not None and (echoes[i] & outlets[j] or echoes[j] & outlets[i]):
        # one relays the outlet whose own article carries the other ("Harwick News reported")
        return s >= settings.same_speaker and len(words[i] & words[j]) >= 2
    return one_speaker and s >= settings.same_speaker and len(words[i] & words[j]) >= settings.speaker_words


def build_ledger(
    articles: Sequence[StoryArticle],
    encoder: Encoder | None = None,
    settings: MergeSettings | None = None,
    min_reports: int = 1,
) -> list[Claim]:
    """The claims of one story's ``articles``, most independently sourced first.

    Reports are taken in publication order; each joins the claim it states the same proposition as (a link
    with one of the claim's reports, see :func:`_link_score`, and enough similarity to all of them) or starts a
    new claim. A denial that also links to a second claim (it denies the cost as well as the purchase) is
    counted in both.

    ``encoder``: embeds texts as unit vectors (default: :func:`sayso.embeddings.encode`); ``settings``: the
    merge thresholds; ``min_reports``: leave out claims with fewer reports (copies included)."""
    settings = settings or MergeSettings()
    if encoder is None:
        from .embeddings import encode as encoder  # noqa: N813
    by_id = {a.article_id: a for a in articles}
    index = entity_index(story_entities(articles))
    reports: list[ClaimReport] = []
    normalised: list[str] = []
    nums: list[set[Amount]] = []
    for art in articles:
        for r in article_reports(art, entities=index):
            reports.append(r)
            text = art.report.article.text[r.start : r.end]
            normalised.append(normalised_text(text, _place_replacements(art.report, r.start, r.end)))
            nums.append(amounts(art.report, r.start, r.end, text))
    if not reports:
        return []
    vectors = encoder(normalised)
    sims = vectors @ vectors.T
    words = [content_words(t) for t in normalised]
    origin_sets = [set(r.origins) for r in reports]
    echoes = [{k for k in r.origins if k.startswith("outlet:")} for r in reports]
    article_ids = [r.article_id for r in reports]
    responds = [r.confirmation or r.speaker_stance == "denies" or r.negated for r in reports]
    own = [{f"outlet:{org_key(r.outlet)}"} if r.outlet else set() for r in reports]
    order = sorted(range(len(reports)), key=lambda k: _order(reports[k]))
    groups: list[list[int]] = []
    for i in order:
        scored = []
        for g, members in enumerate(groups):
            if not any(
                _link_score(i, j, sims, nums, words, settings, origin_sets, echoes, own, article_ids, responds)
                for j in members
            ):
                continue
            cohesion = float(np.mean([sims[i, j] for j in members]))
            if cohesion >= settings.cohesion or any(same_amount(nums[i], nums[j]) for j in members):
                scored.append((cohesion, g))
        if not scored and groups and reports[i].speaker_stance == "denies" and is_anaphoric(reports[i].content):
            # "denied the report", "this demand is being pushed aside": the denial points back at the story's
            # main claim, the one reported most so far
            best = max(range(len(groups)), key=lambda g: (len(groups[g]), -g))
            groups[best].append(i)
            continue
        if not scored:
            groups.append([i])
            continue
        scored.sort(reverse=True)
        groups[scored[0][1]].append(i)
        if reports[i].speaker_stance == "denies":
            for _, g in scored[1:]:
                if any(same_amount(nums[i], nums[j]) for j in groups[g]):
                    groups[g].append(i)
    for g in groups:
        for k in g:
            r = reports[k]
            if r.negated and r.speaker_stance == "asserts" and _negates_another(k, g, reports, words, nums):
                r.speaker_stance, r.stance = "denies", "denies"
    claims = [_claim(sorted(g, key=lambda k: _order(reports[k])), reports, by_id) for g in groups]
    claims = [c for c in claims if len(c.reports) >= min_reports]
    claims.sort(key=lambda c: (-c.independent_origins, -len(c.reports), _order(c.first_report)))
    for n, c in enumerate(claims, 1):
        c.id = f"c{n}"
    return claims


def _negates_another(
    k: int, group: list[int], reports: list[ClaimReport], words: list[set[str]], nums: list[set[Amount]]
) -> bool:
    """Whether negated report ``k`` denies a claim ``group`` also carries in positive form: another report of
    the group, without negation, shares an amount or half its content words (two at least), and the negation
    comes before
    the first of them ("there was no plan to buy 120 tanks" against "plans to buy 120 tanks"; not "28 people
    were quarantined and showed no symptoms" against "28 people were quarantined")."""
    content = reports[k].content
    neg = NEGATION_MARKERS.search(content)
    if neg is None:
        return False
    for j in group:
        if j == k or reports[j].negated or reports[j].speaker_stance != "asserts":
            continue
        values = {v for v, _ in nums[k] if v >= 10} & {v for v, _ in nums[j]}  # "two cases" is no anchor
        shared = words[k] & words[j]
        if not values and len(shared) < max(2, 0.5 * len(words[k])):
            continue  # a topic in common ("plague", "Beijing") is not the negated proposition
        first = min(
            [m.start() for m in re.finditer(r"[^\W\d_]{4,}", content) if fold_name(m.group(0)) in shared]
            + [m.start() for m in _NUMBER.finditer(content) if parse_number(m.group(0)) in values]
            + [len(content)]
        )
        if neg.start() < first:
            return True
    return False


def _order(r: ClaimReport) -> tuple[str, int, int]:
    return (r.published or "9999", r.article_id, r.start)


def _claim(idx: list[int], reports: list[ClaimReport], by_id: dict[int, StoryArticle]) -> Claim:
    reps = [reports[k] for k in idx]
    # a copy inherits its original's origins; an outlet cited as origin hands on its own report's origins
    by_outlet: dict[str, list[ClaimReport]] = {}
    for r in reps:
        if r.outlet and r.copy_of is None:
            by_outlet.setdefault(f"outlet:{org_key(r.outlet)}", []).append(r)
    originals = {r.article_id: r for r in reps if r.copy_of is None}
    for r in reps:
        if r.copy_of is not None and r.copy_of in originals:
            r.origins = list(originals[r.copy_of].origins)
            r.origin_labels = dict(originals[r.copy_of].origin_labels)

    def resolve(key: str, seen: frozenset[str]) -> dict[str, str]:
        kind, _, name = key.partition(":")
        own = [x for x in by_outlet.get(f"outlet:{name}", []) if x.stance == "asserts"]
        if key in seen or kind not in ("outlet", "named") or not own:
            return {}
        out: dict[str, str] = {}
        for x in own:
            for k in x.origins:
                if k == key:
                    out[k] = x.origin_labels.get(k, k)
                else:
                    out.update(resolve(k, seen | {key}) or {k: x.origin_labels.get(k, k)})
        return out

    for r in reps:
        resolved: dict[str, str] = {}
        for k in r.origins:
            inherited = resolve(k, frozenset()) if k.partition(":")[2] != org_key(r.outlet or "") else {}
            resolved.update(inherited or {k: r.origin_labels.get(k, k)})
        r.origins, r.origin_labels = list(resolved), resolved
    # one key per origin: anonymous descriptions of one group at one outlet meet (see same_origin)
    canon: list[str] = []
    for r in reps:
        for k in r.origins:
            if not any(same_origin(k, c) for c in canon):
                canon.append(k)
    for r in reps:
        mapped: dict[str, str] = {}
        for k in r.origins:
            c = next(c for c in canon if same_origin(k, c))
            mapped.setdefault(c, r.origin_labels.get(k, k))
        r.origins, r.origin_labels = list(mapped), mapped
    first = next((r for r in reps if r.speaker_stance == "asserts" and r.copy_of is None), reps[0])
    supporting = [r for r in reps if r.speaker_stance == "asserts" and r.stance != "mentions"]
    origins: dict[str, str] = {}
    for r in supporting:
        for k in r.origins:
            origins.setdefault(k, r.origin_labels.get(k, k))
    # a confirmation brings an origin no earlier report had (an echo of an earlier confirmation is none)
    seen = set(first.origins)
    confirmations = []
    for r in sorted(supporting, key=_order):
        if r is not first and r.copy_of is None and r.origins and not set(r.origins) <= seen:
            confirmations.append(r)
        seen |= set(r.origins)
    denials = [r for r in reps if r.speaker_stance == "denies" and r.copy_of is None]
    hedged = [r for r in reps if r.stance == "relays" and r.copy_of is None and r.speaker_stance == "asserts"]
    return Claim(
        id="",
        statement=first.content,
        reports=reps,
        first_report=first,
        origins=origins,
        independent_origins=len(origins),
        confirmations=confirmations,
        denials=denials,
        hedged_relays=hedged,
        timeline=sorted(reps, key=_order),
    )


# ------------------------------------------------------------------------------------------------ store


def article_name(url: str | None, source_input: str | None, title: str | None, article_id: int) -> str:
    """How the ledger names an article: the file name it was read from, else its URL, else its title."""
    if source_input and source_input != "-" and "://" not in source_input:
        return re.split(r"[\\/]", source_input)[-1]
    return url or source_input or title or f"article {article_id}"


def story_articles(store, story_id: int) -> list[StoryArticle]:
    """The articles of story ``story_id`` in ``store`` (a :class:`~sayso.store.Store` linked by
    :class:`~sayso.stories.StoryLinker`), with their reports and copy links, oldest first."""
    rows = store.connection.execute(
        "SELECT sa.article_id, sa.original_id, ar.url, ar.input, ar.title FROM story_articles AS sa "
        "JOIN articles AS ar ON ar.id = sa.article_id WHERE sa.story_id = ? "
        "ORDER BY COALESCE(ar.published, '9999'), sa.article_id",
        (story_id,),
    ).fetchall()
    return [
        StoryArticle(
            article_id=r[0],
            report=store.report(r[0]),
            original_id=r[1],
            name=article_name(r[2], r[3], r[4], r[0]),
        )
        for r in rows
    ]


def lexical_encoder(texts: Sequence[str], dim: int = 4096) -> np.ndarray:
    """Unit vectors of hashed word and word-pair counts: a fast, model-free stand-in for MiniLM where only a
    rough grouping is needed (the top claims of ``sayso stories``). ``dim``: the number of hash buckets."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        words = [fold_name(w) for w in re.findall(r"\w+", text) if w.lower() not in _STOP]
        for term in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
            out[row, zlib.crc32(term.encode()) % dim] += 1.0
        norm = float(np.linalg.norm(out[row]))
        if norm:
            out[row] /= norm
    return out


def top_claims(store, story_id: int, limit: int = 3) -> list[tuple[str | None, str, int]]:
    """The claims of story ``story_id`` carried by the most original articles, as (speaker of the first report,
    statement, number of original articles): from the stored ledger when it is current, else from a quick
    ledger with :func:`lexical_encoder`."""
    from .ledger import is_current

    if is_current(store, story_id):  # the stored ledger, when up to date
        claims = read_ledger(store, story_id)
    else:
        claims = build_ledger(story_articles(store, story_id), encoder=lexical_encoder)
    ranked = sorted(
        claims,
        key=lambda c: (-len({r.article_id for r in c.reports if r.copy_of is None}), -c.independent_origins),
    )
    return [
        (c.first_report.speaker, c.statement, len({r.article_id for r in c.reports if r.copy_of is None}))
        for c in ranked[:limit]
    ]


def read_ledger(store, story_id: int) -> list[Claim]:
    """The stored claim ledger of story ``story_id`` in ``store`` (see :func:`sayso.ledger.read_ledger`)."""
    from .ledger import read_ledger as read

    return read(store, story_id)


def update_ledger(store, story_ids: Sequence[int] | None = None, rebuild: bool = False) -> list[int]:
    """Bring the stored claim ledger of ``store`` up to date: recompute the stories (all, or ``story_ids``)
    whose articles changed since, or every one with ``rebuild`` (see :func:`sayso.ledger.update_ledger`).
    Returns the ids of the stories recomputed."""
    from .ledger import update_ledger as update

    return update(store, story_ids, rebuild=rebuild)
