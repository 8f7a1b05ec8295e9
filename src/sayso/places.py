"""Places: the ``sayso_places`` spaCy component.

It finds place names, resolves each to a gazetteer entry (:mod:`sayso.gazetteer`) and writes
``doc._.sayso_places``: a list of :class:`~sayso.schema.Place` (as plain dicts) with ids ``p1``, ``p2``, ... in
text order.

How
    * Candidates: runs of capitalised tokens whose text is a gazetteer name (longest first), plus the
      entities spaCy tags GPE or LOC. A candidate that only the gazetteer supports must be a country, a
      large region or a city of at least :data:`MIN_CITY_POP` people, or be part of a construction below.
    * Constructions: "X region", "the X region", "X oblast", "X province", "X state" (also "region of X")
      resolve to the first-level region X (the span covers "X region"); "X County" is the county (a
      second-level region, tagged only with its county word); "Lafayette, Ind." tags the news-style
      abbreviation as the state and keeps only Lafayettes in Indiana; "Russia’s" gives the span
      "Russia"; "eastern Ukraine" gives "Ukraine"; "Paris, Texas" keeps only the places of Texas.
    * Not places: a name inside a person's name ("Vladimir Putin") or an organisation's name
      ("The Moscow Times", "Kyiv Post", "Moscow State University"; but "Russia’s Defense Ministry" keeps
      "Russia").
    * Disambiguation: each entry scores log10(population) plus a prior by feature (country > city >
      region for a bare name), bonuses for capitals, for the article's focus country (the country most
      mentioned by unambiguous places) and for the countries and regions of the other places mentioned,
      most for those in the same or the next sentence.
    * Where the article comes from (``doc._.sayso_article.url``): entries in the outlet's country
      (:func:`sayso.outlets.country_for_url`: ccTLD or a small table) score :data:`HOME_COUNTRY_BONUS`
      unless the article's own focus country already scores; a town the domain is named for
      ("edmontonjournal.com") and the dateline's place ("LONDON, Ontario (AP) —") weigh extra in the
      focus region below.
    * Second pass (:meth:`PlaceTagger._discourse`): an entry gains up to :data:`FOCUS_REGION_MAX` for the
      other places named within :data:`FOCUS_RADIUS_KM` of it (weighted by mention count), then all
      mentions of one name take one sense (highest score summed over its mentions, per kind).
    * Given spans (:meth:`PlaceTagger.resolve_spans`, used by ``sayso eval geo``): gold toponym spans are
      resolved with the same scoring, the places found elsewhere in the document as context; demonyms,
      news-style abbreviations ("Ind.", "B.C.") and continents are understood there, and an unknown name
      (a street, a building, "X County") is placed at the nearest, most specific place resolved nearby.
    * Metonymy: a country or capital that is the subject of a speech or action verb ("Kyiv slammed the
      comments", "Moscow seeks to avoid") gets ``metonymy=True``; it is still resolved.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .cues import TITLE_WORDS
from .extensions import PARSE_REQUIRES, article_data, doc_cache, doc_text, plain_list, require_parse
from .gazetteer import (
    REGION_ABBREVIATIONS,
    REGION_WORDS,
    Entry,
    Gazetteer,
    demonym_continent,
    demonym_country,
    load_gazetteer,
    normalize,
)
from .outlets import country_for_url, domain_of, registered_domain
from .schema import Place

#: A city that only the gazetteer (not spaCy's NER) supports needs at least this population.
MIN_CITY_POP = 100_000
#: Same for a first-level region.
MIN_REGION_POP = 1_000_000
#: Score taken off a town matched by one of its alternate names rather than its own.
ALT_NAME_PENALTY = 1.0
#: Longest place name tried, in tokens.
MAX_TOKENS = 5

#: Capitalised words after a place name that make it part of an organisation's name.
ORG_HEADS = frozenset(
    """times post news herald tribune journal gazette daily telegraph observer chronicle mirror express
    standard review magazine radio tv television broadcasting agency press university college institute
    academy school ministry council administration government parliament assembly duma rada court bank
    exchange airlines airways airport railway railways club fc united city-fc committee commission
    department office service services company corporation corp inc ltd group party police prosecutor
    prosecutors army navy fleet command brigade regiment battalion division embassy consulate museum
    theatre theater orchestra zoo hospital clinic stadium arena""".split()
)
#: Words joining the capitalised parts of a name ("Rostov-on-Don", "Bosnia and Herzegovina").
CONNECTORS = frozenset({"of", "on", "de", "del", "la", "le", "du", "des", "and", "-", "upon", "am", "an"})
#: Capitalised words never taken as a place on the gazetteer's word alone.
NEVER_ALONE = frozenset(
    """january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday eastern western northern southern central north
    south east west new university president minister""".split()
)
#: Verbs whose subject, when a country or capital, stands for its government.
ACTION_VERBS = frozenset(
    """say tell slam warn seek accuse announce deny claim insist reject condemn threaten demand respond urge
    call criticise criticize blame vow pledge refuse agree sign impose launch attack send deploy order ban
    recognise recognize expel summon sanction protest dismiss welcome praise hail confirm state declare argue
    want plan hope try push decide approve retaliate offer propose ask maintain denounce accept
    negotiate invade annex strike shell bomb target retaliate withdraw suspend halt resume cut boost
    insist vow veto oppose support back recall lodge issue""".split()
)
_NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
_FEATURE_PRIOR = {"continent": 3.0, "country": 3.0, "city": 1.0, "admin1": 0.0, "admin2": -0.5}
#: Last words of a given span that make it a facility or street inside a town, not a town.
FACILITY_WORDS = frozenset(
    """street st avenue ave road rd boulevard blvd lane drive highway freeway bridge square plaza park garden
    gardens fields church cathedral chapel mosque temple hospital museum center centre library school college
    university airport station stadium arena hall house palace castle tower building hotel mall market court
    prison base camp tunnel canal pier wharf harbour harbor port club theatre theater cemetery farm ranch""".split()
)
#: Score added to the feature (region or town) that a name's neighbours in a list have.
SIBLING_BONUS = 2.5
#: Words after a name that make it a state or province ("New York Gov.", "the Alberta legislature").
STATE_GOVERNMENT_WORDS = frozenset(
    {"gov.", "gov", "governor", "legislature", "legislator", "legislators", "premier", "lawmakers", "statehouse"}
)
#: Score added to entries in the country the outlet publishes for (:func:`sayso.outlets.country_for_url`).
HOME_COUNTRY_BONUS = 1.5
#: Radius of the article's focus region, km: towns this close to the other places named count as near.
FOCUS_RADIUS_KM = 300.0
#: Score per doubling of the weight of other places within :data:`FOCUS_RADIUS_KM` of an entry.
FOCUS_REGION_BONUS = 1.0
#: Cap on that score.
FOCUS_REGION_MAX = 2.0
#: Weight of the dateline's place and of the town an outlet is named for in the focus region (a mention
#: in the text weighs 1).
DATELINE_WEIGHT = 3.0
OUTLET_PLACE_WEIGHT = 2.0
#: Words that outlets put around a town's name in their domain ("edmontonjournal", "enfield-today").
OUTLET_WORDS = frozenset(
    """news journal times star press today online herald express post tribune gazette daily leader sentinel
    monitor extra chronicle courier record register citizen bee observer standard sun telegraph examiner
    dispatch live now mail guardian independent voice weekly review globe reporter inquirer democrat
    republican free province report argus enquirer bulletin beacon banner advocate patriot statesman eagle
    messenger mirror signal pioneer transcript courant item union pilot progress clarion ledger media
    insider blade call capital watch magazine recorder reflector tv radio info""".split()
)
#: Words before a town's name in an outlet's domain ("thenews", "mycity", "eparis").
OUTLET_PREFIXES = ("the", "my", "your", "e")
#: A dateline: a name in capitals at the very start, maybe a region, maybe an agency, then a dash
#: ("LONDON, Ontario (AP) —", "EDMONTON —", "COLUMBIA, Ky. (WBKO) -").
_DATELINE = re.compile(
    r"\A\s*(?P<name>[A-Z][A-Z.'’\- ]{1,40}?[A-Z.])(?:,\s*[A-Z][\w.'’ ]{1,30}?)?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:—|–|--|-|:)\s"
)
#: Last words of a given span that make it a second-level division ("Metcalfe County").
COUNTY_WORDS = frozenset({"county", "parish", "borough", "district", "township", "shire"})


@dataclass
class _Candidate:
    """A place mention being resolved: token span, the entries it may be, and how it was found."""

    start: int  # token index
    end: int  # token index (exclusive)
    entries: list[Entry]
    ner: bool = False
    region: bool = False  # "X region" construction: entries are regions only
    within: list[Entry] = field(default_factory=list)  # "Paris, Texas": the container(s)
    choice: Entry | None = None
    scores: dict[int, float] = field(default_factory=dict)  # entry id -> disambiguation score


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and any(ch.isalpha() for ch in tok.text)


def _ent_label(tok: Token) -> str:
    return tok.ent_type_ or ""


def _org_context(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] is part of an organisation's name ("The Moscow Times", "Kyiv Post")."""
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and _capitalised(nxt) and nxt.lower_ in ORG_HEADS:
        return True
    # "Moscow State University": a region word then an organisation word.
    if nxt is not None and nxt.lower_ in REGION_WORDS and end + 1 < len(doc):
        after = doc[end + 1]
        if _capitalised(after) and after.lower_ in ORG_HEADS:
            return True
    ent = doc[start].ent_type_
    if ent == "ORG":
        span = _entity_of(doc[start])
        if span is not None and len(span) > end - start:
            if nxt is not None and nxt.lower_ in {"'s", "’s", "'"}:
                return False  # "Russia's Defense Ministry": the country is a place
            # "The Moscow Times", "Moscow City Duma": the place is inside an organisation's name.
            return span[0].lower_ == "the" or (end < span.end and doc[span.end - 1].lower_ in ORG_HEADS)
    return False


def _entity_of(tok: Token) -> Span | None:
    """The named entity containing ``tok`` (entities indexed once per Doc)."""
    doc = tok.doc
    cache = doc_cache(doc)
    index = cache.get("ent_index")
    if index is None:
        index = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                index[i] = ent
        cache["ent_index"] = index
    return index.get(tok.i)


def _inside_longer_name(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] is glued to more proper-noun words that the gazetteer did not take with it:
    part of a longer name that is not a place we know."""

    def namey(t: Token | None) -> bool:
        return (
            t is not None
            and t.pos_ in ("PROPN", "NOUN", "ADJ", "X")
            and t.is_alpha
            and _capitalised(t)
            and t.lower_ not in TITLE_WORDS
            and t.lower_ not in REGION_WORDS
            and not t.is_sent_start
        )

    before = doc[start - 1] if start > 0 and not doc[start].is_sent_start else None
    after = doc[end] if end < len(doc) else None
    return namey(before) or namey(after)


def _in_person_name(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] lies inside a multi-token person entity ("Vladimir Putin")."""
    span = _entity_of(doc[start])
    return span is not None and span.label_ == "PERSON" and len(span) > end - start


class PlaceTagger:
    """The ``sayso_places`` component: tags, resolves and writes ``doc._.sayso_places``.

    ``gazetteer``: the :class:`~sayso.gazetteer.Gazetteer` to use (default: the shipped one, loaded on
    first call)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer
        self._outlet_places: dict[tuple[str, str | None], Entry | None] = {}

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, loaded lazily."""
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        """Tag ``doc`` and return it with ``doc._.sayso_places`` set."""
        cands = self._candidates(doc)
        self._containers(doc, cands)
        self._resolve(doc, cands)
        places: list[Place] = []
        for cand in cands:
            if cand.choice is not None:
                places.append(self._place(doc, cand, cand.choice, f"p{len(places) + 1}"))
        doc._.sayso_places = plain_list(places)
        doc_cache(doc).pop("ent_index", None)  # a Span per entity token: not kept while later components run
        return doc

    def _place(self, doc: Doc, cand: _Candidate, e: Entry, pid: str, start: int | None = None,
               end: int | None = None) -> Place:  # fmt: skip
        """The :class:`Place` for candidate ``cand`` resolved to ``e`` (``start``/``end``: character offsets
        to report instead of the candidate's token span)."""
        span = doc[cand.start : cand.end]
        start = span.start_char if start is None else start
        end = span.end_char if end is None else end
        return Place(
            id=pid,
            start=start,
            end=end,
            text=doc_text(doc)[start:end],
            name=e.name,
            country=e.country or None,
            lat=round(e.lat, 5),
            lon=round(e.lon, 5),
            geonameid=e.geonameid,
            feature=e.feature,
            metonymy=self._metonymy(doc, cand, e),
        )

    # -- resolving given spans -----------------------------------------------------------------------

    def resolve_spans(self, doc: Doc, spans: Sequence[tuple[int, int]]) -> list[Place | None]:
        """Resolve the given character spans of ``doc`` (gold toponyms) with the pipeline's scoring.

        ``doc``: a parsed Doc (tagger, parser and NER run); ``spans``: (start, end) character offsets of
        place mentions, in any order. The context is the whole document: the places the component itself
        finds elsewhere, the other given spans, the focus country, population and feature. A span the
        gazetteer does not know is tried as a demonym ("Turkish" -> Turkey), then by its longest known
        part ("Kharkiv city council" -> Kharkiv), and otherwise placed at the nearest place resolved in the
        document (a street or building lies in the town the article is about).
        Returns one :class:`Place` per span (ids ``g1``, ``g2``, ...), None when nothing could be placed."""
        given: list[_Candidate | None] = []
        for start, end in spans:
            span = doc.char_span(start, end, alignment_mode="expand")
            given.append(None if span is None or len(span) == 0 else self._given_candidate(doc, span))
        taken = {i for c in given if c is not None for i in range(c.start, c.end)}
        found = [c for c in self._candidates(doc) if not any(i in taken for i in range(c.start, c.end))]
        known = [c for c in given if c is not None and c.entries]
        cands = sorted({id(c): c for c in found + known}.values(), key=lambda c: (c.start, c.end))
        self._containers(doc, cands)
        self._resolve(doc, cands)
        resolved = [c for c in cands if c.choice is not None]
        sent_of = _SentenceIndex(doc)
        out: list[Place | None] = []
        for k, ((start, end), cand) in enumerate(zip(spans, given, strict=True)):
            if cand is None:
                out.append(None)
                continue
            entry = cand.choice
            if entry is None:
                entry = _nearest_entry(cand, resolved, sent_of)
                if entry is not None and doc[cand.end - 1].lower_ in COUNTY_WORDS and cand.end - cand.start > 1:
                    entry = self._county_seat(doc[cand.start : cand.end - 1].text, entry) or entry
            out.append(None if entry is None else self._place(doc, cand, entry, f"g{k + 1}", start, end))
        return out

    def _given_candidate(self, doc: Doc, span: Span) -> _Candidate:
        """A candidate for a given place span, with the entries its text may be (possibly none: it is then
        placed by its context, see :meth:`resolve_spans`)."""
        g = self.gazetteer
        text = span.text.strip()
        cand = _Candidate(span.start, span.end, [])
        abbreviation = g.abbreviation(text)
        code = demonym_country(text)
        continent = demonym_continent(text)
        if abbreviation is not None:
            cand.entries = [abbreviation]
        elif code is not None and g.country(code) is not None:
            cand.entries = [g.country(code)]  # type: ignore[list-item]
        elif continent is not None:
            cand.entries = g.lookup(continent, feature="continent")
        last = span[-1].lower_.rstrip(".")
        if not cand.entries and last in COUNTY_WORDS and len(span) > 1:
            cand.entries = g.lookup(text, feature="admin2")  # "Black Hawk County"
        if not cand.entries and last not in COUNTY_WORDS:
            cand.entries = g.lookup(text)
            if last in FACILITY_WORDS and len(span) > 1:
                # "White House", "Union Station": a building, unless a large town bears the name.
                key = normalize(text)
                cand.entries = [
                    e
                    for e in cand.entries
                    if e.feature != "city" or (e.population >= MIN_CITY_POP and normalize(e.name) == key)
                ]
        if not cand.entries and last not in FACILITY_WORDS | COUNTY_WORDS:
            cand.entries = self._longest_known_part(span)
        if cand.entries:
            if last in REGION_WORDS and len(span) > 1:
                cand.entries = [e for e in cand.entries if e.feature == "admin1"] or cand.entries
            cand.region = all(e.feature == "admin1" for e in cand.entries)
        return cand

    def _county_seat(self, name: str, near: Entry) -> Entry | None:
        """A town called ``name`` in the region of ``near`` ("Metcalfe County" near Edmonton, Kentucky ->
        the town of Metcalfe in Kentucky, if there is one), else None."""
        if not near.country:
            return None
        towns = self.gazetteer.lookup(name, feature="city", country=near.country)
        if near.feature != "country":
            towns = [t for t in towns if t.admin1 == near.admin1]
        return towns[0] if towns else None

    def _longest_known_part(self, span: Span) -> list[Entry]:
        """Entries of the longest run of capitalised tokens inside ``span`` that the gazetteer knows."""
        g = self.gazetteer
        n = len(span)
        for size in range(n - 1, 0, -1):
            for i in range(0, n - size + 1):
                part = span[i : i + size]
                if not all(_capitalised(t) or t.lower_ in CONNECTORS for t in part):
                    continue
                if not _capitalised(part[0]) or not _capitalised(part[-1]):
                    continue
                if size == 1 and (part[0].lower_ in NEVER_ALONE or part[0].lower_ in REGION_WORDS):
                    continue
                entries = g.lookup(part.text)
                if entries:
                    return entries
        return []

    # -- finding ------------------------------------------------------------------------------------

    def _candidates(self, doc: Doc) -> list[_Candidate]:
        g = self.gazetteer
        ner_tokens = {t.i for ent in doc.ents if ent.label_ in ("GPE", "LOC") for t in ent}
        out: list[_Candidate] = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if not _capitalised(tok) or tok.is_punct:
                i += 1
                continue
            found = None
            for j in range(min(len(doc), i + MAX_TOKENS), i, -1):
                last = doc[j - 1]
                if not _capitalised(last):
                    continue
                inner = doc[i:j]
                if any(not (_capitalised(t) or t.lower_ in CONNECTORS) for t in inner):
                    continue
                if any(t.whitespace_ == "" and t.i < j - 1 and doc[t.i + 1].text not in "-" and t.text != "-"
                       for t in inner):  # fmt: skip
                    continue  # glued tokens such as "Kyiv[" are not one name
                if inner[0].lower_ == "the" and not g.has_key(normalize(inner.text)):
                    continue  # "The Illinois governor": the article is no part of the name
                entries = g.lookup(inner.text) if len(inner.text) > 1 else []
                if entries:
                    found = (j, entries)
                    break
            if found is None:
                abbreviation = self._abbreviation_after(doc, i, out)
                if abbreviation is not None:
                    out.append(abbreviation)
                    i = abbreviation.end
                else:
                    i += 1
                continue
            j, entries = found
            cand = _Candidate(i, j, entries, ner=any(t.i in ner_tokens for t in doc[i:j]))
            self._region_construction(doc, cand)
            if self._accept(doc, cand):
                out.append(cand)
                i = cand.end
            elif _in_person_name(doc, cand.start, cand.end) or _org_context(doc, cand.start, cand.end):
                i = j  # skip the rest of the person's or organisation's name ("Moscow City Duma")
                while i < len(doc) and _capitalised(doc[i]) and not doc[i].is_sent_start:
                    i += 1
            else:
                i = j
        return out

    def _abbreviation_after(self, doc: Doc, i: int, found: list[_Candidate]) -> _Candidate | None:
        """A news-style state or province abbreviation at token ``i`` right after a place and a comma
        ("Lafayette, Ind.", "Paris, Ky.", "Surrey, B.C."), as a region candidate, else None.

        ``found``: the candidates found so far (the last must end just before the comma)."""
        if i < 2 or doc[i - 1].text != "," or not found or found[-1].end != i - 1:
            return None
        for size in (2, 1):  # "W. Va." is two tokens
            if i + size > len(doc):
                continue
            text = doc[i : i + size].text
            if text in REGION_ABBREVIATIONS:
                entry = self.gazetteer.abbreviation(text)
                if entry is not None:
                    return _Candidate(i, i + size, [entry], region=True)
        return None

    def _region_construction(self, doc: Doc, cand: _Candidate) -> None:
        """Turn "X region" / "X Oblast" / "region of X" into the first-level region X."""
        g = self.gazetteer
        name = doc[cand.start : cand.end].text
        nxt = doc[cand.end] if cand.end < len(doc) else None
        before = doc[cand.start - 2 : cand.start] if cand.start >= 2 else None
        if nxt is not None and nxt.lower_ in REGION_WORDS and nxt.tag_ != "NNS":
            regions = g.regions(name)
            if regions:
                cand.entries, cand.end, cand.region = regions, cand.end + 1, True
                return
        if before is not None and before[1].lower_ == "of" and before[0].lower_ in REGION_WORDS:
            regions = g.regions(name)
            if regions:
                cand.entries, cand.region = regions, True
                return
        if all(e.feature == "admin1" for e in cand.entries):
            cand.region = True

    def _accept(self, doc: Doc, cand: _Candidate) -> bool:
        """Whether the candidate is a place mention at all."""
        span = doc[cand.start : cand.end]
        if _in_person_name(doc, cand.start, cand.end) or _org_context(doc, cand.start, cand.end):
            return False
        if _ent_label(span[0]) in _NOT_PLACE_LABELS:
            return False  # "March" in "March 25"
        if cand.region and cand.end - cand.start > 1 and doc[cand.end - 1].lower_ in REGION_WORDS:
            return True
        if _inside_longer_name(doc, cand.start, cand.end):
            return False  # "Port" in "Port Aldern", "Capital" in "Greywater Capital"
        if cand.ner and span[-1].tag_ in ("NNP", "NNPS"):
            return True
        if len(span) == 1 and span[0].lower_ in NEVER_ALONE:
            return False
        best = max(cand.entries, key=_base_score)
        if best.feature in ("country", "continent"):
            return True
        if best.feature == "admin2":
            return len(span) > 1 and span[-1].lower_ in COUNTY_WORDS  # "Black Hawk County", not a bare "Kent"
        if best.feature == "admin1":
            return best.population >= MIN_REGION_POP
        return best.population >= MIN_CITY_POP

    def _containers(self, doc: Doc, cands: list[_Candidate]) -> None:
        """ "Paris, Texas", "Springfield, Illinois", "Kharkiv, Ukraine": the second name contains the
        first, so the first keeps only entries inside it."""
        for k, (a, b) in enumerate(zip(cands, cands[1:], strict=False)):
            after = cands[k + 2] if k + 2 < len(cands) else None
            if after is not None and _listed(doc, b, after) and max(b.entries, key=_base_score).feature == "city":
                continue  # "Washington, New York and Boston": a list of towns, not a town and its state
            if b.start == a.end + 1 and doc[a.end].text == ",":
                pairs = [
                    (e, c)
                    for e in a.entries
                    for c in b.entries
                    if c.feature in ("country", "admin1")
                    and e.country == c.country
                    and (c.feature == "country" or e.admin1 == c.admin1)
                    and e.id != c.id
                ]
                if pairs:
                    a.entries = list({e.id: e for e, _ in pairs}.values())
                    b.entries = list({c.id: c for _, c in pairs}.values())
                    a.within = b.entries

    # -- resolving ----------------------------------------------------------------------------------

    def _resolve(self, doc: Doc, cands: list[_Candidate]) -> None:
        home = self._home(doc)
        for cand in cands:
            if cand.region:
                cand.entries = [e for e in cand.entries if e.feature == "admin1"] or cand.entries
        # First pass: names that are (nearly) unambiguous.
        sure: list[tuple[_Candidate, Entry]] = []
        for cand in cands:
            ranked = sorted(cand.entries, key=_base_score, reverse=True)
            countries = {e.country for e in cand.entries}
            if len(countries) == 1 or len(ranked) == 1 or _base_score(ranked[0]) - _base_score(ranked[1]) >= 2:
                sure.append((cand, ranked[0]))
        focus_counts = Counter(e.country for _, e in sure if e.country)
        focus = focus_counts.most_common(1)[0][0] if focus_counts else None
        sent_of = _SentenceIndex(doc)
        context = _SureContext([(e, sent_of.get(c.start, 0)) for c, e in sure])
        own_entry = {id(c): e for c, e in sure}
        for cand in cands:
            my_sent = sent_of.get(cand.start, 0)
            own = own_entry.get(id(cand))

            key = normalize(doc[cand.start : cand.end].text)

            def score(e: Entry, cand: _Candidate = cand, my_sent: int = my_sent, own=own, key: str = key) -> float:
                s = _base_score(e)
                main = normalize(e.name)
                if (
                    e.feature == "city"
                    and not main.startswith(key)
                    and any(normalize(x.name).startswith(key) for x in cand.entries)
                ):
                    # "Salisbury" is rather the English town than Harare's old name; but "Kharkov", an old
                    # name of both Kharkiv and its oblast, stays the city
                    s -= ALT_NAME_PENALTY
                if e.feature == "admin1" and cand.region:
                    s += 2.0
                if focus is not None and e.country == focus:
                    s += 2.0  # the outlet's country adds nothing to the article's own focus country
                elif home.country is not None and e.country == home.country:
                    s += HOME_COUNTRY_BONUS
                return s + context.bonus(e, my_sent, own)

            cand.choice = max(cand.entries, key=lambda e: (score(e), -e.id))
            cand.scores = {e.id: score(e) for e in cand.entries}
        self._feature_agreement(doc, cands)
        self._discourse(doc, cands, home)

    # -- the outlet, the dateline and the article's focus region --------------------------------------

    def _home(self, doc: Doc) -> _Home:
        """Where the article comes from: the outlet's country and the town it is named for (from
        ``doc._.sayso_article.url``), and the token span of the dateline's place name."""
        url = article_data(doc).get("url")
        country = country_for_url(url)
        place = self.outlet_place(url, country) if url else None
        if country is None and place is not None:
            country = place.country
        dateline = None
        m = _DATELINE.match(doc_text(doc)[:200])
        if m is not None:
            span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
            if span is not None:
                dateline = (span.start, span.end)
        return _Home(country, place, dateline)

    def outlet_place(self, url: str | None, country: str | None = None) -> Entry | None:
        """The town or region an outlet's domain is named for ("edmontonjournal.com" -> Edmonton,
        "enfield-today.co.uk" -> Enfield), or None.

        ``url``: the article's URL or host; ``country``: the outlet's country if known (a name is then
        looked up there only). The domain's first label, hyphens dropped, must be a gazetteer name (a town
        of at least 5,000 people or a region), possibly with one space inserted ("newyork"), wrapped in
        words from :data:`OUTLET_WORDS` or :data:`OUTLET_PREFIXES` ("the", "my") and nothing else."""
        host = domain_of(url) if url else None
        if not host or "." not in host:
            return None
        label = registered_domain(host).split(".")[0].replace("-", "")
        key = (label, country)
        if key not in self._outlet_places:
            self._outlet_places[key] = self._outlet_place(label, country)
        return self._outlet_places[key]

    def _outlet_place(self, label: str, country: str | None) -> Entry | None:
        g = self.gazetteer
        heads = [label] + [label[len(p) :] for p in OUTLET_PREFIXES if label.startswith(p)]
        for head in heads:
            for cut in range(len(head), 3, -1):
                if not _outlet_words(head[cut:]):
                    continue
                stem = head[:cut]
                for name in [stem] + [f"{stem[:k]} {stem[k:]}" for k in range(2, len(stem) - 1)]:
                    found = [
                        e
                        for e in g.lookup(name, country=country)
                        if ((e.feature == "city" and e.population >= 5_000) or e.feature == "admin1")
                        and normalize(e.name).replace(" ", "").startswith(stem)
                        and (len(stem) >= 5 or e.population >= 50_000)
                    ]
                    if not found or (country is None and len({e.country for e in found}) > 1):
                        continue  # "eparisextra": Paris, France or Paris, Texas?
                    towns = [e for e in found if e.feature == "city"]
                    regions = [e for e in found if e.feature == "admin1"]
                    if regions and (not towns or max(t.population for t in towns) < MIN_CITY_POP):
                        return regions[0]
                    return max(towns, key=lambda e: e.population)
        return None

    def _discourse(self, doc: Doc, cands: list[_Candidate], home: _Home) -> None:
        """Second pass over the resolved candidates: the article's focus region and one sense per
        discourse.

        An entry gains :data:`FOCUS_REGION_BONUS` per doubling of the weight of the other places named
        within :data:`FOCUS_RADIUS_KM` of it (each mention weighs 1, the dateline's place and the town the
        outlet is named for more); then every mention of a name takes, among the entries of the kind
        (town or region) it was resolved to, the one scoring highest summed over all its mentions."""
        keys = [normalize(doc[c.start : c.end].text) for c in cands]
        points: list[tuple[str | None, Entry, float]] = []
        for cand, key in zip(cands, keys, strict=True):
            e = cand.choice
            if e is None or e.feature not in ("city", "admin1", "admin2"):
                continue
            weight = 1.0
            if home.dateline is not None and cand.start < home.dateline[1] and cand.end > home.dateline[0]:
                weight += DATELINE_WEIGHT - 1.0
            points.append((key, e, weight))
        if home.place is not None:
            points.append((None, home.place, OUTLET_PLACE_WEIGHT))
        nearby = _NearbyWeights(points)
        adjusted: list[dict[int, float]] = []
        for cand, key in zip(cands, keys, strict=True):
            scores = dict(cand.scores)
            if len(cand.entries) > 1 and points:
                for e in cand.entries:
                    if e.feature not in ("city", "admin1", "admin2"):
                        continue
                    near = nearby.weight(e, key)
                    if near:
                        bonus = min(FOCUS_REGION_MAX, FOCUS_REGION_BONUS * math.log2(1.0 + near))
                        scores[e.id] = scores.get(e.id, 0.0) + bonus
            adjusted.append(scores)
        totals: dict[str, dict[int, float]] = {}
        for key, scores in zip(keys, adjusted, strict=True):
            bucket = totals.setdefault(key, {})
            for eid, sc in scores.items():
                bucket[eid] = bucket.get(eid, 0.0) + sc
        for cand, key in zip(cands, keys, strict=True):
            if cand.choice is None or len(cand.entries) < 2:
                continue
            kind = cand.choice.feature
            same_kind = [e for e in cand.entries if e.feature == kind]
            if len(same_kind) < 2:
                continue
            bucket = totals[key]
            cand.choice = max(same_kind, key=lambda e, b=bucket: (b.get(e.id, 0.0), -e.id))

    def _feature_agreement(self, doc: Doc, cands: list[_Candidate]) -> None:
        """Names that may be regions or towns take one kind across a list: the kind whose best entries
        score highest summed over the list ("Montana and Wyoming": the states; "Washington, New York and
        Boston": the cities). A name before a word of state government ("New York Gov.", "the Alberta
        legislature") is a region."""
        groups: list[list[_Candidate]] = []
        for k, cand in enumerate(cands):
            prev = cands[k - 1] if k > 0 else None
            if prev is not None and groups and prev in groups[-1] and _listed(doc, prev, cand) and not cand.within \
                    and not prev.within:  # fmt: skip
                groups[-1].append(cand)
            else:
                groups.append([cand])
        for group in groups:
            totals = {
                f: sum(
                    max((m.scores.get(e.id, 0.0) for e in m.entries if e.feature == f), default=-5.0) for m in group
                )  # fmt: skip
                for f in ("admin1", "city")
            }
            kind = max(totals, key=lambda f: totals[f]) if len(group) > 1 else None
            for cand in group:
                if not {"admin1", "city"} <= {e.feature for e in cand.entries} or cand.region or cand.within:
                    continue
                bonus = {kind: SIBLING_BONUS} if kind else {}
                nxt = doc[cand.end] if cand.end < len(doc) else None
                if nxt is not None and nxt.lower_ in STATE_GOVERNMENT_WORDS:
                    bonus["admin1"] = bonus.get("admin1", 0.0) + SIBLING_BONUS
                if bonus:
                    cand.choice = max(
                        cand.entries,
                        key=lambda e, c=cand, b=bonus: (c.scores.get(e.id, 0.0) + b.get(e.feature, 0.0), -e.id),
                    )

    # -- metonymy -----------------------------------------------------------------------------------

    def _metonymy(self, doc: Doc, cand: _Candidate, entry: Entry) -> bool:
        """Whether a country or capital name stands for its government acting or speaking."""
        if not (entry.feature == "country" or entry.capital) or cand.region:
            return False
        head = doc[cand.end - 1]
        if head.dep_ in ("nsubj", "nsubjpass") and _action_verb(head.head):
            return True
        # Parses broken by markup ("Kyiv [slammed](#) ..."): the next word is a finite action verb.
        k = cand.end
        while k < len(doc) and (doc[k].is_punct or doc[k].text in {"[", "]", "(", ")"}):
            k += 1
        if k < len(doc) and doc[k].tag_ in ("VBD", "VBZ", "VBP") and _action_verb(doc[k]):
            first = doc[cand.start]
            return first.is_sent_start or first.i == 0 or doc[first.i - 1].is_punct
        return False


@dataclass
class _Home:
    """Where an article comes from: the outlet's country (ISO alpha-2), the town or region the outlet is
    named for, and the token span (start, end) of the dateline's place name; each possibly None."""

    country: str | None = None
    place: Entry | None = None
    dateline: tuple[int, int] | None = None


def _outlet_words(rest: str) -> bool:
    """Whether ``rest`` (part of a domain label) is empty or a run of :data:`OUTLET_WORDS`."""
    if not rest:
        return True
    return any(rest.startswith(w) and _outlet_words(rest[len(w) :]) for w in OUTLET_WORDS)


def _km(a: Entry, b: Entry) -> float:
    """Great-circle distance in km between two entries' points."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


class _SentenceIndex:
    """The sentence index of a token (``get(i, default)``, as a dict from token to sentence would give it)
    by binary search over the sentences' first tokens: no entry per token of a long article."""

    def __init__(self, doc: Doc) -> None:
        self.starts = array("q", (s.start for s in doc.sents) if doc.has_annotation("SENT_START") else ())
        self.length = len(doc)

    def get(self, i: int, default: int = 0) -> int:
        """The index of the sentence holding token ``i``; ``default`` when there is none."""
        if not self.starts or not 0 <= i < self.length:
            return default
        return bisect_right(self.starts, i) - 1


class _SureContext:
    """The (nearly) unambiguous places of an article, counted so that :meth:`bonus` is one look-up instead of
    a pass over all of them for every entry of every candidate. ``sure``: (entry, sentence index) pairs."""

    def __init__(self, sure: list[tuple[Entry, int]]) -> None:
        self.regions: Counter = Counter()  # (country, admin1) of first-level regions
        self.region_sents: Counter = Counter()  # (country, admin1, sentence)
        self.countries: Counter = Counter()  # country of any entry
        self.country_sents: Counter = Counter()  # (country, sentence)
        for e, sent in sure:
            if e.feature == "admin1":
                self.regions[(e.country, e.admin1)] += 1
                self.region_sents[(e.country, e.admin1, sent)] += 1
            self.countries[e.country] += 1
            self.country_sents[(e.country, sent)] += 1

    def bonus(self, e: Entry, sent: int, own: Entry | None) -> float:
        """The context bonus of entry ``e`` for a mention in sentence ``sent`` whose own sure entry (left
        out of its context) is ``own``: 3.0 for a sure region holding ``e`` within a sentence, 1.5 for a
        sure place in its country within a sentence, 1.0 and 0.5 for such places further away, else 0."""
        window = (sent - 1, sent, sent + 1)
        regions_near = sum(self.region_sents[(e.country, e.admin1, s)] for s in window)
        regions = self.regions[(e.country, e.admin1)]
        country_near = sum(self.country_sents[(e.country, s)] for s in window)
        country = self.countries[e.country]
        if own is not None:  # the mention's own entry is no context of itself (it lies in its own sentence)
            if own.feature == "admin1" and own.country == e.country and own.admin1 == e.admin1:
                regions_near, regions = regions_near - 1, regions - 1
            if own.country == e.country:
                country_near, country = country_near - 1, country - 1
        if regions_near > 0:
            return 3.0
        if e.country and country_near - regions_near > 0:
            return 1.5
        if regions > 0:
            return 1.0
        if e.country and country - regions > 0:
            return 0.5
        return 0.0


class _NearbyWeights:
    """The weighted place mentions of an article (``points``: (name key, entry, weight)), indexed by
    latitude and by region so that the weight near an entry sums only the mentions that can be near it."""

    def __init__(self, points: list[tuple[str | None, Entry, float]]) -> None:
        self.total: dict[int, float] = {}
        self.by_key: dict[tuple[int, str | None], float] = {}
        entries: dict[int, Entry] = {}
        for key, p, w in points:
            entries[p.id] = p
            self.total[p.id] = self.total.get(p.id, 0.0) + w
            self.by_key[(p.id, key)] = self.by_key.get((p.id, key), 0.0) + w
        self.entries = sorted(entries.values(), key=lambda p: p.lat)
        self.lats = [p.lat for p in self.entries]
        self.regions: dict[tuple[str | None, str | None], list[Entry]] = {}
        for p in self.entries:
            if p.admin1 is not None:
                self.regions.setdefault((p.country, p.admin1), []).append(p)
        self.near_ids: dict[int, list[int]] = {}

    def _near_ids(self, e: Entry) -> list[int]:
        ids = self.near_ids.get(e.id)
        if ids is None:
            band = math.degrees(FOCUS_RADIUS_KM / 6371.0) + 1e-6  # no point further in latitude is near
            lo, hi = bisect_left(self.lats, e.lat - band), bisect_right(self.lats, e.lat + band)
            maybe = {p.id: p for p in self.entries[lo:hi]}
            maybe.update((p.id, p) for p in self.regions.get((e.country, e.admin1), ()))
            ids = self.near_ids[e.id] = [pid for pid, p in maybe.items() if _near(e, p)]
        return ids

    def weight(self, e: Entry, key: str | None) -> float:
        """The summed weight of the mentions near ``e`` (:func:`_near`) whose name key is not ``key``."""
        return sum(self.total[pid] - self.by_key.get((pid, key), 0.0) for pid in self._near_ids(e))


def _near(e: Entry, other: Entry) -> bool:
    """Whether ``other`` lies in the focus region of ``e``: within :data:`FOCUS_RADIUS_KM` of it, or one
    of them is a first-level region holding the other."""
    if e.country == other.country and e.admin1 is not None and e.admin1 == other.admin1:
        if "admin1" in (e.feature, other.feature):
            return True
    return _km(e, other) <= FOCUS_RADIUS_KM


def _listed(doc: Doc, a: _Candidate, b: _Candidate) -> bool:
    """Whether candidates ``a`` and ``b`` are neighbours in a list ("A, B", "A and B", "A, B, or C")."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = [t.lower_ for t in doc[first.end : second.start]]
    return 0 < len(between) <= 2 and all(w in {",", "and", "or", "&"} for w in between)


def _nearest_entry(cand: _Candidate, resolved: list[_Candidate], sent_of: _SentenceIndex) -> Entry | None:
    """The entry of the resolved candidate nearest to ``cand``, preferring those within two sentences and
    then towns over regions over countries (the most specific place the passage is about).

    ``sent_of``: sentence index per token index."""
    rank = {"city": 0, "admin2": 1, "admin1": 2, "country": 3, "continent": 4}
    here = sent_of.get(cand.start, 0)
    best: tuple[int, int, int] | None = None
    choice: Entry | None = None
    for other in resolved:
        if other is cand or other.choice is None:
            continue
        far = int(abs(sent_of.get(other.start, 0) - here) > 2)
        key = (far, rank.get(other.choice.feature, 4), abs(other.start - cand.start))
        if best is None or key < best:
            best, choice = key, other.choice
    return choice


def _action_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if lemma not in ACTION_VERBS and normalize(tok.text) not in ACTION_VERBS:
        return False
    return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")


def _base_score(e: Entry) -> float:
    return math.log10(e.population + 10) + _FEATURE_PRIOR[e.feature] + (0.5 if e.capital else 0.0)


@Language.factory("sayso_places", assigns=["doc._.sayso_places"], requires=PARSE_REQUIRES)
def make_place_tagger(nlp: Language, name: str) -> PlaceTagger:
    """spaCy factory for :class:`PlaceTagger` (``nlp.add_pipe("sayso_places")``); ``nlp`` must parse."""
    require_parse(nlp, name)
    return PlaceTagger()
