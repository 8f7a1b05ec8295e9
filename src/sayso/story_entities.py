"""Who is who across a story's articles: the sources of several reports resolved into one entity.

Each article's report names its sources its own way: "Kristi Noem", "Noem" and "Gov. Noem"; "James P. Kennedy
Jr." and "James Kennedy Jr."; "Bloomberg News" and "Bloomberg"; "Reuters" typed as an organisation in one article
and as an outlet in another. :func:`story_entities` resolves them over a whole story:

* **People** by first and last name once titles and roles ("Gov.", "Secretary of State"), suffixes ("Jr.", "III")
  and middle initials are split off; a surname alone joins the one person of the story with that surname; first
  names spelt alike ("Bohdan"/"Bogdan") with one surname meet.
* **Organisations and outlets** by their folded name without generic words ("News", "Agency", "Inc"), an acronym
  by the one name of the story with those initials ("WHO" = "World Health Organization"); a name that is a known
  outlet (:data:`sayso.outlets.OUTLETS`) or one of the story's own outlets is an outlet.
* **Spokespeople** speak for the body they are affiliated with: "a WeWork spokesperson" is WeWork.
* **Non-speakers** ("The agreement", "case of plague", a bare "the") are no entity and no origin.

Nothing here changes an article's own report: the links are kept beside it (``ledger_entities``).

>>> person_key("Secretary of State Mike Pompeo"), person_key("James P. Kennedy Jr.")
('mike pompeo', 'james kennedy')
>>> org_key("Bloomberg News"), org_key("The Xinhua News Agency")
('bloomberg', 'xinhua')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .schema import Source

#: Words before a person's name that are titles or roles, not part of it.
TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister brother gov governor
    sen senator rep representative congressman congresswoman president vice secretary minister prime premier
    chancellor chief ceo cfo coo cto chair chairman chairwoman chairperson director general gen lt col colonel
    capt captain sgt sergeant maj major adm admiral cmdr commander judge justice mayor deputy acting former
    state attorney ambassador spokesman spokeswoman spokesperson dean king queen prince princess pope cardinal
    bishop rabbi imam sheikh officer detective inspector superintendent commissioner founder executive
    assistant associate regional national federal u s us uk of the for and defense defence foreign interior
    health home treasury finance justice energy homeland security education labor labour agriculture""".split()
)
#: Name endings that are no part of the key.
SUFFIXES = frozenset("jr jnr sr snr ii iii iv v phd md esq".split())
#: Words of an organisation's or outlet's name that don't tell it apart ("Bloomberg News" = "Bloomberg").
GENERIC_ORG_WORDS = frozenset(
    "the news agency inc incorporated corp corporation co company ltd llc plc group newspaper magazine media "
    "online com daily network wire service services".split()
)
#: Head nouns of descriptions that can speak (anonymous or not).
SPEAKER_NOUNS = frozenset(
    """official officials source sources person people spokesperson spokesman spokeswoman spokespeople
    representative representatives aide aides adviser advisers advisor advisors insider insiders executive
    executives employee employees worker workers member members resident residents witness witnesses expert
    experts analyst analysts doctor doctors scientist scientists researcher researchers officer officers
    diplomat diplomats lawmaker lawmakers legislator legislators leader leaders authority authorities
    government ministry department agency commission committee council office police prosecutor prosecutors
    court board company firm group coalition union spokesperson's investigator investigators bosses chiefs
    chief boss user users commenter commenters critic critics official's family friend friends neighbour
    neighbor neighbours neighbors student students teacher teachers parent parents lawyer lawyers attorney
    attorneys relative relatives director manager managers owner owners organizer organizers activist
    activists protester protesters survivor survivors victim victims patient patients man men woman women boy
    boys girl girls child children hunter hunters farmer farmers father mother husband wife son daughter
    reporter reporters journalist journalists correspondent editor""".split()
)
#: Head nouns of documents and data that state things ("the report found", "data from MarketAxess").
DOCUMENT_NOUNS = frozenset(
    """report reports statement statements study studies survey surveys data figures record records document
    documents filing filings letter letters email emails memo memos presentation presentations analysis
    release post posts tweet tweets message messages note notes complaint lawsuit indictment ruling order
    poll polls census estimate estimates audit review investigation findings website notice""".split()
)
_DETERMINERS = frozenset("the a an this that these those its their his her our my your another other some".split())
_SPOKES = frozenset("spokesperson spokesman spokeswoman spokespeople representative press secretary".split())
_GENERIC_AFFILIATIONS = frozenset("company firm ministry government department agency office group".split())


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("’", "'")
    text = re.sub(r"'s\b|s'(?=\s|$)", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _single(text: str) -> str:
    """Doubled letters single ('Kessby' = 'Kesby'), as :func:`sayso.claims.fold_name` does."""
    return re.sub(r"([a-z])\1+", r"\1", text)


def person_key(name: str) -> str:
    """A person's name as first and last name, folded: titles and roles before it, what follows a comma,
    suffixes and middle initials dropped ("Gov. Kristi Noem" -> "kristi noem"; "Noem" -> "noem")."""
    words = _fold(name.split(",")[0]).split()
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    core = [w for k, w in enumerate(words) if len(w) > 1 or k == 0]
    if len(core) > 2:
        core = [core[0], core[-1]]
    return _single(" ".join(core))


def org_key(name: str) -> str:
    """An organisation's or outlet's name folded without generic words ("The Xinhua News Agency" ->
    "xinhua"); the folded name itself when nothing else is left ("News Corp" stays)."""
    words = _fold(name).split()
    kept = [w for w in words if w not in GENERIC_ORG_WORDS]
    return _single(" ".join(kept or words))


#: Wire agencies by the short names datelines and credits use ("(AP)"), beside :data:`sayso.outlets.OUTLETS`.
_WIRE_SHORT_NAMES = frozenset({"ap", "upi", "pti", "kyodo", "yonhap"})


@lru_cache(maxsize=1)
def known_outlets() -> frozenset[str]:
    """:func:`org_key` of every outlet sayso knows by name (:data:`sayso.outlets.OUTLETS`)."""
    from .outlets import OUTLETS

    return frozenset(k for k in (org_key(v) for v in OUTLETS.values()) if k) | _WIRE_SHORT_NAMES


def outlet_named_in(name: str, outlets: Iterable[str] = ()) -> str | None:
    """The outlet a source's name names, as an :func:`org_key`: the whole name ("Reuters", "Bloomberg News"),
    or an outlet it belongs to ("Alex Horton of the Washington Post", "NPR's Feng"). ``outlets``: more outlet
    keys (the story's own). None when it names none."""
    known = known_outlets() | frozenset(outlets)
    whole = org_key(name)
    if whole in known:
        return whole
    m = re.search(r"\b(?:of|at|for|from|with)\s+(?:the\s+)?(.+)$|^(.+?)['’]s?\s", name)
    if m:
        part = org_key(m.group(1) or m.group(2))
        if part in known:
            return part
    return None


def initials(name: str) -> str:
    """The initials of a name's words, small words skipped ("World Health Organization" -> "who", "Centers for
    Disease Control" -> "cdc")."""
    return "".join(w[0] for w in _fold(name).split() if w not in _SMALL_WORDS)


_SMALL_WORDS = frozenset("of for and the on in at to".split())


def is_speaker(src: Source) -> bool:
    """Whether ``src`` can say something: a name (a capitalised word that is not a determiner), an anonymous
    description, or a description headed by a noun for people, bodies or documents. "The agreement", "case of
    plague", "bacteria" and a bare "the" are not."""
    if src.anonymous:
        return True
    words = re.findall(r"[^\W_][\w'’.-]*", src.name)
    content = [w for w in words if w.lower() not in _DETERMINERS]
    if not content:
        return False
    if any(w[0].isupper() for w in content) or any(ch.isdigit() for ch in src.name):
        return True
    lowered = [w.lower().strip("'’") for w in content]
    cut = lowered.index("of") if "of" in lowered else len(lowered)
    head = lowered[cut - 1] if cut else lowered[-1]
    return head in SPEAKER_NOUNS or head in DOCUMENT_NOUNS


def is_description(src: Source) -> bool:
    """Whether a source that is not marked anonymous is a description all the same: no capitalised word but
    its first, headed by a noun for people or bodies ("Health authorities", "The health commission", "Health
    bosses"); such a source is keyed like an anonymous one."""
    if src.anonymous:
        return False
    words = [w for w in re.findall(r"[^\W_][\w'’.-]*", src.name) if w.lower() not in _DETERMINERS]
    if not words or any(w[0].isupper() for w in words[1:]) or any(ch.isdigit() for ch in src.name):
        return False
    lowered = [w.lower() for w in words]
    cut = lowered.index("of") if "of" in lowered else len(lowered)
    return cut > 0 and lowered[cut - 1] in SPEAKER_NOUNS


def spokesperson_of(src: Source) -> str | None:
    """The named body a spokesperson speaks for: its affiliation ("a company spokesperson", affiliation
    "WeWork"), else the name in its description ("a spokeswoman for the Tessaly Transport Agency", "a WeWork
    spokesperson"); None for anyone else or a body not named ("a company spokesperson" alone)."""
    text = src.descriptor or src.name
    words = set(_fold(text).split()) | set(_fold(src.role or "").split())
    if not words & _SPOKES:
        return None
    candidates = [src.affiliation or ""]
    after = re.search(rf"\b(?:for|of|at)\s+(?:the\s+)?({_NAME})", text)
    before = re.search(rf"({_NAME})['’]?s?\s+(?:press\s+)?(?:spokes\w+|representative)", text)
    candidates += [m.group(1) for m in (after, before) if m]
    for body in candidates:
        body = body.strip()
        if body and _fold(body) not in _GENERIC_AFFILIATIONS and any(w[:1].isupper() for w in body.split()):
            return body
    return None


_NAME = r"[A-Z][\w’'.&-]*(?:\s+(?:of\s+|and\s+|for\s+|the\s+)*[A-Z][\w’'.&-]*)*"


@dataclass
class StoryEntity:
    """One speaker across a story: ``key`` (the origin key its reports share: 'named:kristi noem',
    'outlet:reuters'), ``label`` (its fullest name), ``type`` and ``sources`` ((article id, source id in that
    article's report) pairs)."""

    key: str
    label: str
    type: str | None
    sources: list[tuple[int, str]] = field(default_factory=list)
    outlet: str | None = None  # the outlet (an org_key) a journalist reports for ("NPR's Feng")


def _entity_kind(src: Source, outlets: frozenset[str]) -> tuple[str, str] | None:
    """(kind, name key) of a named source before story-level resolution; None for anonymous or non-speakers."""
    if src.anonymous or src.type == "anonymous" or not is_speaker(src) or is_description(src):
        return None
    if src.type == "outlet" or src.is_article_outlet:
        return "outlet", org_key(src.name.split(",")[0])
    outlet = outlet_named_in(src.name, outlets) if src.type in ("organization", "unknown", "government") else None
    if outlet:
        return "outlet", outlet
    if src.type == "person":
        return "person", person_key(src.name)
    return "named", org_key(src.name.split(",")[0])


def story_entities(articles: Sequence) -> list[StoryEntity]:
    """The entities of a story's ``articles`` (:class:`sayso.claims.StoryArticle`), resolved across them (see
    the module docstring), in order of first appearance. Each named source of each article belongs to one."""
    outlets = frozenset(org_key(a.report.article.outlet) for a in articles if a.report.article.outlet)
    raw: list[tuple[int, Source, str, str]] = []
    for art in articles:
        for src in art.report.sources:
            kind = _entity_kind(src, outlets)
            if kind is not None and kind[1]:
                raw.append((art.article_id, src, *kind))
    # people: full names first, then surnames alone onto the one full name with that surname
    fulls: dict[str, str] = {}  # person key -> canonical key
    by_surname: dict[str, list[str]] = {}
    for _, _, kind, key in raw:
        if kind == "person" and " " in key and key not in fulls:
            same = next(
                (
                    c
                    for c in fulls.values()
                    if c.split()[-1] == key.split()[-1]
                    and SequenceMatcher(None, c.split()[0], key.split()[0]).ratio() >= 0.75
                ),
                None,
            )
            fulls[key] = same or key
            if same is None:
                by_surname.setdefault(key.split()[-1], []).append(key)
    # acronyms: "WHO" is the story's "World Health Organization", "NYT" its "New York Times"
    by_initials: dict[str, set[tuple[str, str]]] = {}
    for _, src, kind, key in raw:
        if kind != "person" and len(key.split()) >= 2:
            by_initials.setdefault(initials(src.name), set()).add((kind, key))
    resolved = []
    for article_id, src, kind, key in raw:
        name = src.name.strip()
        if kind != "person" and name.isupper() and 2 <= len(name) <= 6 and name.isalpha():
            found = by_initials.get(name.lower(), set())
            if len(found) == 1:
                kind, key = next(iter(found))
        resolved.append((article_id, src, kind, key))
    raw = resolved
    named_orgs = {key for _, _, kind, key in raw if kind == "named"}
    entities: dict[str, StoryEntity] = {}
    for article_id, src, kind, key in raw:
        if kind == "person":
            if " " in key:
                key = fulls[key]
            elif len(by_surname.get(key, [])) == 1:
                key = by_surname[key][0]
            elif (
                any(k.split()[0] == key for k in fulls)
                and len({v for k, v in fulls.items() if k.split()[0] == key}) == 1
            ):
                key = next(v for k, v in fulls.items() if k.split()[0] == key)
            ekey = f"named:{key}"
        elif key in outlets or key in known_outlets() or (kind == "outlet" and key not in named_orgs):
            ekey = f"outlet:{key}"  # one name typed outlet in one article, organisation in another: by the name
        else:
            ekey = f"named:{key}"
        entity = entities.setdefault(ekey, StoryEntity(ekey, src.name, src.type))
        entity.sources.append((article_id, src.id))
        if len(src.name.split(",")[0]) > len(entity.label) and kind != "outlet":
            entity.label = src.name.split(",")[0].strip()
        elif kind == "outlet" and len(src.name) < len(entity.label):
            entity.label = src.name
    # journalists: "NPR's Feng" or "Alex Horton of the Washington Post" make the story's Feng or Horton a reporter
    # of that outlet, whose reports are relays
    for _, src, kind, key in raw:
        if kind != "outlet" or org_key(src.name) == key:
            continue
        rest = re.sub(r"\b(?:of|at|for|from|with)\s+(?:the\s+)?.+$|^.+?['’]s?\s+", "", src.name).strip()
        surname = person_key(rest).split()[-1:] if rest else []
        for entity in entities.values():
            if surname and entity.key.startswith("named:") and entity.key.split()[-1] == surname[0]:
                entity.outlet = key
    return list(entities.values())


def entity_index(entities: Sequence[StoryEntity]) -> dict[tuple[int, str], StoryEntity]:
    """(article id, source id) -> its entity."""
    return {member: e for e in entities for member in e.sources}
