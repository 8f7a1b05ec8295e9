"""Grouping stored articles into stories, and syndicated or re-posted copies onto their original.

Linking is incremental: :meth:`StoryLinker.link` places one new article among those already linked,
using only index look-ups (no scan of earlier articles), so its cost does not grow with the store.

* **Copies.** Two articles are copies when their canonical URLs are equal (tracking parameters, ``www.``,
  ``m.``/``amp.`` hosts, AMP paths, the scheme and a trailing slash aside), when the MinHash estimate of
  the Jaccard similarity of their bodies' 5-word shingles reaches ``copy_jaccard`` (candidates from a
  locality-sensitive hash of 16 bands of 5 of 128 MinHash values, stored in ``_story_lsh``), or when
  their normalised titles are equal ('Opinion | X - Site' = 'X') within ``title_days`` and they come
  from the same outlet or their bodies overlap (``title_jaccard``). A copy group's original is its
  earliest published member (same day: the shortest body, then the shortest URL; see :func:`_sort_key`);
  every other member points at it.
* **Stories.** Besides copies, two articles share a story when they share at least ``min_shared_keys``
  blocking keys (their rarest-looking named entities, places, else title words; ``_story_terms``) within
  ``window_days`` of each other, and the cosine of their weighted entity, title-word and topic-word features
  reaches ``story_threshold``. Stories are the connected components of these links, merged union-find style
  when a new article links two of them.

Every test is symmetric and depends on the two articles alone (feature weights are fixed per kind of
term, not learnt from the store), so the grouping does not depend on the order articles arrive in, as
long as no candidate list is cut at ``max_candidates``. The MinHash is this module's own (numpy,
multiply-shift hashing); no extra package is needed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import sqlite3
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np

from .errors import StoreError
from .schema import Article, Report
from .store import Store, content_hash

#: Words per shingle, MinHash values per signature, LSH bands and MinHash values per band (the bands use
#: the first BANDS * BAND_ROWS values; all NUM_PERM estimate the Jaccard similarity).
SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 16
BAND_ROWS = 5
#: Bodies with fewer words than this get no signature (too short to call a copy by text).
MIN_SIGNATURE_WORDS = 25
#: The ``day`` of an undated article.
UNDATED = -1_000_000

_TRACKING_PARAMS = frozenset(
    """fbclid gclid dclid msclkid yclid igshid mc_cid mc_eid ref ref_src ref_url referrer cmpid cmp src
    source smid ito _ga _gl ocid outputtype amp at_medium at_campaign s_cid taid
    guccounter""".split()
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "__")
_MOBILE_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "amp-")
#: Section labels dropped from titles ('Opinion | X', 'UPDATE: X'); '_' stands for a space.
_TITLE_LABELS = frozenset(
    w.replace("_", " ")
    for w in """opinion analysis update updated updates breaking breaking_news live live_updates exclusive watch
    video editorial comment commentary review explainer news world photos in_pictures podcast op_ed perspective
    fact_check factcheck""".split()
)
_LABEL_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z -]{1,20})\s*[:|]\s+")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    """a an the and or but nor of to in on at by for from with without as is are was were be been being has have
    had do does did will would shall should can could may might must not no yes it its this that these those
    there here he she they we you i his her their our your my me him them us who whom whose which what when
    where why how than then so if into over under after before about against between through during amid
    says said say tells told new more most less up down out off again also just now only very all any each
    both few other some such own same too per via vs amid upon while until since year years day days week
    weeks month months time times first last next one two three four five six seven eight nine ten""".split()
)
_CAPITAL_PHRASE = re.compile(
    r"(?<![\w'’])((?:[A-Z][\w'’.-]*[A-Za-z0-9])(?:\s+(?:of|de|van|von|al|bin|la|del)?\s*[A-Z][\w'’.-]*[A-Za-z0-9])*)"
)
_ENTITY_STOP = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december mr mrs ms dr sir the a an but and or in on at for as it he she
    they we i this that these those his her their our after before when while if update updated reporting
    editing photo file said says according""".split()
)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")

#: Weights of a feature by kind: multi-word entity, one-word entity, title word.
WEIGHT_ENTITY = 3.0
WEIGHT_NAME = 2.0
WEIGHT_TITLE = 1.0
#: Weight of the body's most repeated content word; the others weigh by the square root of their share of it.
WEIGHT_TOPIC = 3.0
#: How many of a body's most repeated content words are topic words, and how often one must occur.
TOPIC_WORDS = 12
TOPIC_MIN_COUNT = 2
#: Words frequent in any news text, never topic words.
_NEWS_WORDS = frozenset(
    """people according statement told added including including reported report reports spokesperson
    spokesman spokeswoman official officials company government country countries percent million billion
    statement monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december week weeks year years today yesterday tomorrow news
    told tells asked would could should might also still many much like well even just make made being
    there their them they what which while where when whom whose this that these those with from into
    over under about after before other another since because however although though during""".split()
)


# --- URLs and titles -------------------------------------------------------------------------------


def canonical_url(url: str | None) -> str | None:
    """``url`` reduced to what identifies the page: no scheme, no ``www.``/``m.``/``amp.`` host prefix, no
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``ref``, ...), no AMP path, fragment, default
    port or trailing slash; remaining parameters sorted. ``None`` (or an unparsable URL) gives ``None``.

    >>> canonical_url("https://www.example.org/news/a-b/?utm_source=x&id=3#top")
    'example.org/news/a-b?id=3'
    """
    if not url or not url.strip():
        return None
    raw = url.strip()
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    changed = True
    while changed:
        changed = False
        for prefix in _MOBILE_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix) :]
                changed = True
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = re.sub(r"(?:/amp|\.amp|/amp\.html)/?$", "", path, flags=re.I)
    path = re.sub(r"^/amp/", "/", path, flags=re.I)
    path = re.sub(r"/index\.(?:html?|php)$", "", path, flags=re.I)
    path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    query.sort()
    return host + path + (f"?{urlencode(query)}" if query else "")


def url_host(url: str | None) -> str | None:
    """The host of ``url`` as :func:`canonical_url` writes it ('example.org'), or ``None``."""
    canonical = canonical_url(url)
    return canonical.split("/", 1)[0] if canonical else None


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = text.lower()
    text = text.replace("’", "'").replace("'s ", " ")
    return " ".join(_WORD_RE.findall(text))


def normalize_title(title: str | None, outlet: str | None = None) -> str | None:
    """The title without section labels and site names, folded: 'Opinion | X - Site', 'X | Site', 'X — Site',
    'UPDATE: X' and 'x.' all give 'x'. ``outlet``: the publishing outlet, dropped wherever it is a part.
    Returns ``None`` for an empty title.

    >>> normalize_title("Opinion | Quillby Ferry Returns - The Harbour Gazette")
    'quillby ferry returns'
    """
    if not title or not title.strip():
        return None
    text = " ".join(title.split())
    while True:  # leading labels: 'UPDATE: ', 'Opinion | '
        m = _LABEL_PREFIX.match(text)
        if not m or _fold(m.group(1)) not in _TITLE_LABELS:
            break
        text = text[m.end() :]
    parts = [p for p in re.split(r"\s+[|\-–—•·]\s+|\s*[|•·]\s*", text) if p and p.strip()]
    outlet_key = _fold(outlet) if outlet else None
    kept = [p for p in parts if _fold(p) not in _TITLE_LABELS and (outlet_key is None or _fold(p) != outlet_key)]
    if len(kept) > 1:
        longest = max(kept, key=lambda p: len(p.split()))
        # A short trailing part after the headline is a site name ('X - Site', 'X | Site').
        while len(kept) > 1 and kept[-1] is not longest and len(kept[-1].split()) <= 4:
            kept.pop()
    folded = _fold(" ".join(kept) if kept else text)
    return folded or None


# --- MinHash ---------------------------------------------------------------------------------------

_RNG = np.random.default_rng(20240322)
_PERM_A = _RNG.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_PERM_B = _RNG.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)


def words(text: str) -> list[str]:
    """The folded words of ``text`` (lower case, no punctuation or accents)."""
    return _fold(text).split()


def shingles(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """CRC32 hashes (uint64 array) of the distinct ``size``-word shingles of ``text``."""
    ws = words(text)
    if len(ws) < size:
        grams = [" ".join(ws)] if ws else []
    else:
        grams = [" ".join(ws[i : i + size]) for i in range(len(ws) - size + 1)]
    return np.unique(np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams)))


def minhash(text: str) -> np.ndarray | None:
    """The MinHash signature (``NUM_PERM`` uint32 values) of ``text``'s word shingles, or ``None`` when it
    has fewer than ``MIN_SIGNATURE_WORDS`` words. Each value is the least multiply-shift hash
    ``(a·x + b mod 2⁶⁴) >> 32`` over the shingles ``x``."""
    if len(_WORD_RE.findall(text)) < MIN_SIGNATURE_WORDS:
        return None
    values = shingles(text)
    hashed = (np.outer(values, _PERM_A) + _PERM_B) >> np.uint64(32)
    return hashed.min(axis=0).astype(np.uint32)


def jaccard_estimate(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """The share of equal values in two MinHash signatures (0 when either is missing)."""
    if a is None or b is None:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def band_buckets(signature: np.ndarray, bands: int = BANDS, rows: int = BAND_ROWS) -> list[int]:
    """One signed 64-bit bucket per band of ``rows`` values of ``signature`` (``bands`` of them): a hash of
    the band's number and values. Two signatures share a bucket with probability 1 - (1 - J^rows)^bands
    (J: their Jaccard similarity): 0.95 at J = 0.7, 0.04 at J = 0.3 for 16 bands of 5."""
    out = []
    for band in range(bands):
        chunk = signature[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


# --- features for story similarity ------------------------------------------------------------------


def _entity_key(name: str) -> str | None:
    """``name`` folded, leading articles and titles dropped ('The Quillby Port Authority' -> 'quillby port
    authority'); None when nothing specific is left (a weekday, 'Mr', a word under 3 letters)."""
    folded = _fold(name)
    tokens = [t for t in folded.split() if t]
    while tokens and tokens[0] in _ENTITY_STOP:
        tokens.pop(0)
    if not tokens or (len(tokens) == 1 and (tokens[0] in _ENTITY_STOP or len(tokens[0]) < 3)):
        return None
    return " ".join(tokens)


def capitalised_phrases(text: str) -> list[str]:
    """Runs of capitalised words in ``text`` ('Ansel Morrow', 'Port of Quillby'), a cheap stand-in for named
    entities; a single capitalised word that starts a sentence is skipped."""
    out = []
    for m in _CAPITAL_PHRASE.finditer(text):
        phrase = m.group(1)
        if " " not in phrase and _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
            continue
        out.append(phrase)
    return out


def _stem(word: str) -> str:
    """``word`` without a plural 's' ('repairs' -> 'repair'; 'press' stays)."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def article_features(
    title: str | None,
    text: str,
    entities: Iterable[str] = (),
    places: Iterable[str] = (),
    lead_chars: int = 1500,
) -> dict[str, float]:
    """The weighted terms an article is compared on: named entities ``entities`` (source names) and
    ``places`` (place names) from its report, capitalised phrases of its title and the first
    ``lead_chars`` characters of ``text`` (all as ``'e:name'``: 3.0 for several words, 2.0 for one),
    the title's content words (``'t:word'``, 1.0) and the body's topic words (:func:`topic_words`,
    ``'w:word'``, up to 3.0: pages of one event from different outlets share few names but repeat the same
    words). A title in Title Case gives no names. Returns {term: weight}."""
    feats: dict[str, float] = {}
    title_words = [w for w in (title or "").split() if len(w) >= 4]
    title_case = sum(w[0].isupper() for w in title_words) > 0.6 * len(title_words)
    title_names = [] if title_case else capitalised_phrases(title or "")  # 'Ferry Service to Resume' is no name
    names = [*entities, *places, *title_names, *capitalised_phrases(text[:lead_chars])]
    for name in names:
        key = _entity_key(name)
        if key:
            weight = WEIGHT_ENTITY if " " in key else WEIGHT_NAME
            feats[f"e:{key}"] = max(feats.get(f"e:{key}", 0.0), weight)
    for word in (normalize_title(title) or "").split():
        if len(word) >= 3 and word not in _STOPWORDS and not word.isdigit():
            feats.setdefault(f"t:{_stem(word)}", WEIGHT_TITLE)
    topics = topic_words(text)
    for word, n in topics:  # the most repeated word weighs as much as a multi-word name
        feats.setdefault(f"w:{word}", round(WEIGHT_TOPIC * math.sqrt(n / topics[0][1]), 3))
    return feats


def topic_words(text: str, limit: int = TOPIC_WORDS, min_count: int = TOPIC_MIN_COUNT) -> list[tuple[str, int]]:
    """The content words ``text`` repeats most (folded, plural 's' dropped, at least 4 letters, no stop or
    common news words), at most ``limit`` of them occurring at least ``min_count`` times, as (word, count),
    most frequent first (ties by the word). They carry an article's topic where names do not ('plague',
    'rabbit')."""
    counts: dict[str, int] = {}
    for word in words(text):
        if len(word) >= 4 and word not in _STOPWORDS and word not in _NEWS_WORDS and not word.isdigit():
            key = _stem(word)
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted(((w, n) for w, n in counts.items() if n >= min_count), key=lambda x: (-x[1], x[0]))
    return ranked[:limit]


def blocking_keys(features: dict[str, float], max_keys: int = 24, min_entities: int = 4) -> list[str]:
    """The terms an article is indexed and looked up by: its entities (heaviest first, then by name, at
    most ``max_keys``), padded with title words when it has fewer than ``min_entities`` entities."""
    ents = sorted((t for t in features if t.startswith("e:")), key=lambda t: (-features[t], t))
    keys = ents[:max_keys]
    if len(keys) < min_entities:
        keys += sorted(t for t in features if t.startswith("t:"))[: min_entities - len(keys)]
    return keys


def term_hash(term: str) -> int:
    """A stable signed 63-bit hash of ``term`` (the ``_story_terms.term`` column)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little") >> 1


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two weighted feature sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def day_number(published: str | None) -> int:
    """Days since 1970-01-01 of a 'YYYY-MM-DD' date (``UNDATED`` when missing or not a date)."""
    if not published:
        return UNDATED
    try:
        return (dt.date.fromisoformat(published[:10]) - dt.date(1970, 1, 1)).days
    except ValueError:
        return UNDATED


# --- the linker -----------------------------------------------------------------------------------


def _sort_key(article: Article, canonical: str | None, chash: str) -> str:
    """What decides a copy group's original: the earliest published; on the same day the shortest body
    (a syndicating site adds credits and footers), then the shortest URL (no tracking parameters), then
    the canonical URL and the content hash (so that any arrival order picks the same one)."""
    published = (article.published or "9999-99-99")[:10]
    return f"{published}\x00{len(article.text):09d}\x00{len(article.url or ''):05d}\x00{canonical or ''}\x00{chash}"


@dataclass(frozen=True)
class LinkerSettings:
    """Thresholds of :class:`StoryLinker` (see the module docstring for what each one decides)."""

    copy_jaccard: float = 0.7
    title_jaccard: float = 0.3
    title_days: int = 3
    story_threshold: float = 0.26
    window_days: int = 7
    min_shared_keys: int = 2
    max_keys: int = 24
    max_candidates: int = 200


@dataclass(frozen=True)
class LinkResult:
    """Where :meth:`StoryLinker.link` put an article: ``story_id``, ``original_id`` (``None`` for an
    original), and ``new`` (False when it was linked before and left alone)."""

    article_id: int
    story_id: int
    original_id: int | None
    new: bool = True


@dataclass
class _Record:
    article_id: int
    canonical_url: str | None
    title_key: str | None
    outlet_key: str | None
    day: int
    sort_key: str
    signature: np.ndarray | None
    features: dict[str, float]
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TopClaim:
    """A claim made in a story: ``source`` (name, or None), ``content``, and ``articles``: how many of the
    story's originals carry it."""

    source: str | None
    content: str
    articles: int


@dataclass(frozen=True)
class StorySummary:
    """One story for ``sayso stories``: ``id``, ``articles`` (originals + copies), ``originals``, ``copies``,
    ``first``/``last`` publication dates, ``outlets``, ``title`` (of its earliest original) and
    ``top_claims``."""

    id: int
    articles: int
    originals: int
    copies: int
    first: str | None
    last: str | None
    outlets: list[str]
    title: str | None
    top_claims: list[TopClaim]

    def as_dict(self) -> dict:
        """The summary as plain JSON-ready values."""
        return {
            "id": self.id,
            "articles": self.articles,
            "originals": self.originals,
            "copies": self.copies,
            "first": self.first,
            "last": self.last,
            "outlets": self.outlets,
            "title": self.title,
            "top_claims": [c.__dict__ for c in self.top_claims],
        }


def _placeholders(n: int) -> str:
    """'?, ?, ...': ``n`` SQL parameter marks."""
    return ", ".join("?" for _ in range(n))


class StoryLinker:
    """Links the articles of ``store`` into stories and copy groups, one article at a time.

    ``store``: an open :class:`~sayso.store.Store` (migrated to version 5 or later); ``settings``: the
    thresholds. Database failures raise :class:`~sayso.errors.StoreError`."""

    def __init__(self, store: Store, settings: LinkerSettings | None = None) -> None:
        self.store = store
        self.settings = settings or LinkerSettings()
        self._conn = store.connection

    # --- building a record ---------------------------------------------------------------------------

    def _record(self, article_id: int, report: Report | None) -> _Record:
        q = self._conn.execute
        if report is not None:
            art = report.article
            entities = [
                s.name
                for s in report.sources
                if not s.anonymous and not s.is_article_outlet and s.type in ("person", "organization", "government")
            ]
            places = [p.name for p in report.places if p.caption is None]
            chash = content_hash(art)
        else:
            row = q("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise KeyError(article_id)
            art = Article(
                title=row["title"], outlet=row["outlet"], published=row["published"], url=row["url"], text=row["text"]
            )
            chash = row["content_hash"]
            entities = [
                r[0]
                for r in q(
                    "SELECT name FROM sources WHERE article_id = ? AND anonymous = 0 AND is_article_outlet = 0 "
                    "AND type IN ('person', 'organization', 'government') ORDER BY id",
                    (article_id,),
                )
            ]
            places = [
                r[0] for r in q("SELECT name FROM places WHERE article_id = ? AND caption IS NULL", (article_id,))
            ]
        canonical = canonical_url(art.url)
        outlet_key = _fold(art.outlet) if art.outlet else url_host(art.url)
        features = article_features(art.title, art.text, entities, places)
        own = _entity_key(art.outlet) if art.outlet else None
        features.pop(f"e:{own}", None)  # the outlet's own name ('Reporting by ... for The X Times')
        return _Record(
            article_id=article_id,
            canonical_url=canonical,
            title_key=normalize_title(art.title, art.outlet),
            outlet_key=outlet_key or None,
            day=day_number(art.published),
            sort_key=_sort_key(art, canonical, chash),
            signature=minhash(art.text),
            features=features,
            keys=blocking_keys(features, self.settings.max_keys),
        )

    # --- candidates ----------------------------------------------------------------------------------

    def _copy_edges(self, rec: _Record, buckets: list[int]) -> dict[int, str]:
        """Already-linked articles ``rec`` is a copy of (or that copy it): {article_id: 'url'|'text'|'title'}."""
        q = self._conn.execute
        cfg = self.settings
        edges: dict[int, str] = {}
        if rec.canonical_url and ("/" in rec.canonical_url or "?" in rec.canonical_url):  # not a bare host
            rows = q(
                "SELECT article_id FROM story_articles WHERE canonical_url = ? LIMIT ?",
                (rec.canonical_url, cfg.max_candidates),
            )
            for (other,) in rows:
                edges[other] = "url"
        if rec.signature is not None and buckets:
            rows = q(
                f"SELECT sa.article_id, sa.signature FROM story_articles AS sa WHERE sa.article_id IN ("
                f"SELECT DISTINCT article_id FROM _story_lsh WHERE bucket IN ({_placeholders(len(buckets))}) "
                f"LIMIT {int(cfg.max_candidates)})",
                buckets,
            ).fetchall()
            for other, blob in rows:
                if other in edges or blob is None:
                    continue
                sig = np.frombuffer(blob, dtype=np.uint32)
                if jaccard_estimate(rec.signature, sig) >= cfg.copy_jaccard:
                    edges[other] = "text"
        if rec.title_key and len(rec.title_key.split()) >= 3:
            rows = q(
                "SELECT article_id, day, outlet_key, signature FROM story_articles WHERE title_key = ? LIMIT ?",
                (rec.title_key, cfg.max_candidates),
            ).fetchall()
            for other, day, outlet_key, blob in rows:
                if other in edges:
                    continue
                if day != UNDATED and rec.day != UNDATED and abs(day - rec.day) > cfg.title_days:
                    continue
                same_outlet = outlet_key is not None and outlet_key == rec.outlet_key
                sig = np.frombuffer(blob, dtype=np.uint32) if blob is not None else None
                if same_outlet or jaccard_estimate(rec.signature, sig) >= cfg.title_jaccard:
                    edges[other] = "title"
        return edges

    def _story_edges(self, rec: _Record) -> list[int]:
        """Already-linked articles that share ``rec``'s story (by blocking keys and feature similarity)."""
        cfg = self.settings
        if not rec.keys:
            return []
        hashes = [term_hash(k) for k in rec.keys]
        marks = _placeholders(len(hashes))
        if rec.day == UNDATED:
            where, params = f"term IN ({marks})", [*hashes]
        else:
            where = f"((term IN ({marks}) AND day BETWEEN ? AND ?) OR (term IN ({marks}) AND day = ?))"
            params = [*hashes, rec.day - cfg.window_days, rec.day + cfg.window_days, *hashes, UNDATED]
        rows = self._conn.execute(
            f"SELECT st.article_id, sa.features FROM ("
            f"SELECT article_id, SUM(weight) AS w FROM _story_terms WHERE {where} GROUP BY article_id "
            f"HAVING COUNT(*) >= ? ORDER BY w DESC, article_id LIMIT ?) AS st "
            f"JOIN story_articles AS sa ON sa.article_id = st.article_id",
            [*params, cfg.min_shared_keys, cfg.max_candidates],
        ).fetchall()
        return [other for other, feats in rows if similarity(rec.features, json.loads(feats)) >= cfg.story_threshold]

    # --- writing -------------------------------------------------------------------------------------

    def link(self, article_id: int, report: Report | None = None, refresh: bool = False) -> LinkResult:
        """Link stored article ``article_id`` into its story and copy group, in one transaction.

        ``report``: its report when at hand (else read from the store); ``refresh``: link again an article
        linked before (after its extraction was replaced: new links are added, none removed). Returns
        where it went. Raises KeyError when there is no such article, StoreError when the database fails."""
        return self.link_many([(article_id, report)], refresh)[0]

    def link_many(self, articles: Iterable[tuple[int, Report | None]], refresh: bool = False) -> list[LinkResult]:
        """Link several stored articles, in order, in one transaction (each sees those before it): what
        :meth:`link` does for each (``articles``: (article id, report or None) pairs), with one commit.
        Returns their results in order."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            results = [self._link(article_id, report, refresh) for article_id, report in articles]
            self._conn.execute("COMMIT")
            return results
        except sqlite3.Error as err:
            self._rollback()
            raise StoreError(f"cannot link stories in {self.store.path}: {' '.join(str(err).split())}") from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _link(self, article_id: int, report: Report | None, refresh: bool) -> LinkResult:
        q = self._conn.execute
        existing = q("SELECT story_id, original_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        if existing is not None and not refresh:
            return LinkResult(article_id, existing[0], existing[1], new=False)
        rec = self._record(article_id, report)
        buckets = band_buckets(rec.signature) if rec.signature is not None else []
        copies = self._copy_edges(rec, buckets)
        related = self._story_edges(rec)
        copies.pop(article_id, None)
        related = [r for r in related if r != article_id]
        signature = rec.signature.tobytes() if rec.signature is not None else None
        if existing is None:
            story_id = int(q("INSERT INTO _story_groups (size) VALUES (1)").lastrowid or 0)
            q(
                "INSERT INTO story_articles (article_id, story_id, dup_group, canonical_url, title_key, outlet_key, "
                "day, sort_key, signature, features, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    story_id,
                    article_id,
                    rec.canonical_url,
                    rec.title_key,
                    rec.outlet_key,
                    rec.day,
                    rec.sort_key,
                    signature,
                    json.dumps(rec.features, ensure_ascii=False, separators=(",", ":")),
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
        else:
            story_id = existing[0]
            old = q("SELECT features, day FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
            old_keys = blocking_keys(json.loads(old[0]), self.settings.max_keys)
            self._conn.executemany(
                "DELETE FROM _story_terms WHERE term = ? AND day = ? AND article_id = ?",
                [(term_hash(k), old[1], article_id) for k in old_keys],
            )
            q(
                "UPDATE story_articles SET features = ?, signature = ?, day = ? WHERE article_id = ?",
                (json.dumps(rec.features, separators=(",", ":")), signature, rec.day, article_id),
            )
        q_many = self._conn.executemany
        q_many(
            "INSERT OR IGNORE INTO _story_lsh (bucket, article_id) VALUES (?, ?)", [(b, article_id) for b in buckets]
        )
        q_many(
            "INSERT OR IGNORE INTO _story_terms (term, day, article_id, weight) VALUES (?, ?, ?, ?)",
            [(term_hash(k), rec.day, article_id, rec.features[k]) for k in rec.keys],
        )
        original = self._merge_copies(article_id, copies)
        story_id = self._merge_stories(story_id, [*copies, *related])
        return LinkResult(article_id, story_id, original)

    def _merge_copies(self, article_id: int, copies: dict[int, str]) -> int | None:
        """Join ``article_id``'s copy group with those of ``copies``; reset the group's original. Returns the
        article's original (None when it is the original)."""
        q = self._conn.execute
        if not copies:
            row = q("SELECT original_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
            return row[0]
        ids = [article_id, *copies]
        groups = sorted(
            {
                r[0]
                for r in q(f"SELECT dup_group FROM story_articles WHERE article_id IN ({_placeholders(len(ids))})", ids)
            }
        )
        group = groups[0]
        if len(groups) > 1:
            q(
                f"UPDATE story_articles SET dup_group = ? WHERE dup_group IN ({_placeholders(len(groups) - 1)})",
                [group, *groups[1:]],
            )
        best = min(copies.values(), key=("url", "text", "title").index)
        q("UPDATE story_articles SET duplicate_via = ? WHERE article_id = ?", (best, article_id))
        for other, via in copies.items():
            q(
                "UPDATE story_articles SET duplicate_via = ? WHERE article_id = ? AND duplicate_via IS NULL",
                (via, other),
            )
        members = q("SELECT article_id, sort_key FROM story_articles WHERE dup_group = ?", (group,)).fetchall()
        original = min(members, key=lambda r: r[1])[0]
        q(
            "UPDATE story_articles SET original_id = CASE WHEN article_id = ? THEN NULL ELSE ? END WHERE dup_group = ?",
            (original, original, group),
        )
        return None if original == article_id else original

    def _merge_stories(self, story_id: int, neighbours: Sequence[int]) -> int:
        """Join story ``story_id`` with the stories of ``neighbours`` (the largest keeps its id)."""
        q = self._conn.execute
        if not neighbours:
            return story_id
        ids = sorted(set(neighbours))
        stories = {
            r[0] for r in q(f"SELECT story_id FROM story_articles WHERE article_id IN ({_placeholders(len(ids))})", ids)
        }
        stories.add(story_id)
        if len(stories) == 1:
            return story_id
        ordered = sorted(stories)
        sizes = dict(
            q(f"SELECT id, size FROM _story_groups WHERE id IN ({_placeholders(len(ordered))})", ordered).fetchall()
        )
        survivor = min(ordered, key=lambda s: (-sizes.get(s, 0), s))
        others = [s for s in ordered if s != survivor]
        marks = _placeholders(len(others))
        q(f"UPDATE story_articles SET story_id = ? WHERE story_id IN ({marks})", [survivor, *others])
        q("UPDATE _story_groups SET size = ? WHERE id = ?", (sum(sizes.get(s, 0) for s in ordered), survivor))
        q(f"DELETE FROM _story_groups WHERE id IN ({marks})", others)
        return survivor

    def link_pending(self, batch: int = 200) -> int:
        """Link every stored article not linked yet (e.g. ingested before stories existed), oldest first.
        ``batch``: articles per transaction. Returns how many were linked."""
        done = 0
        while True:
            try:
                ids = [
                    r[0]
                    for r in self._conn.execute(
                        "SELECT a.id FROM articles AS a LEFT JOIN story_articles AS sa ON sa.article_id = a.id "
                        "WHERE sa.article_id IS NULL ORDER BY a.id LIMIT ?",
                        (batch,),
                    )
                ]
            except sqlite3.Error as err:
                raise StoreError(f"cannot read {self.store.path}: {' '.join(str(err).split())}") from None
            if not ids:
                return done
            self.link_many([(article_id, None) for article_id in ids])
            done += len(ids)

    # --- reading -------------------------------------------------------------------------------------

    def story_of(self, article_id: int) -> LinkResult | None:
        """Where ``article_id`` was linked, or None when it is not linked."""
        row = self._conn.execute(
            "SELECT story_id, original_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else LinkResult(article_id, row[0], row[1], new=False)

    def top_claims(self, story_id: int, limit: int = 3) -> list[TopClaim]:
        """The claims carried by most of story ``story_id``'s original articles (copies are not counted twice),
        from a quick claim ledger (:func:`sayso.claims.top_claims`). ``limit``: how many."""
        from .claims import top_claims as ledger_top_claims

        try:
            return [TopClaim(src, text, n) for src, text, n in ledger_top_claims(self.store, story_id, limit)]
        except sqlite3.Error as err:
            raise StoreError(f"cannot read {self.store.path}: {' '.join(str(err).split())}") from None

    def stories(self, limit: int | None = 20, min_size: int = 1, claims: int = 3) -> list[StorySummary]:
        """The largest stories (most articles, then latest), at most ``limit`` (None: all) with at least
        ``min_size`` articles, each with its ``claims`` top claims."""
        q = self._conn.execute
        try:
            sql = "SELECT * FROM stories WHERE articles >= ? ORDER BY articles DESC, last_published DESC, story_id"
            params: list[int] = [min_size]
            if limit is not None:  # (no LIMIT -1 for "all": PostgreSQL refuses it)
                sql, params = sql + " LIMIT ?", [min_size, limit]
            rows = q(sql, params).fetchall()
            out = []
            for r in rows:
                outlets = [
                    o[0]
                    for o in q(
                        "SELECT DISTINCT ar.outlet FROM story_articles AS sa "
                        "JOIN articles AS ar ON ar.id = sa.article_id "
                        "WHERE sa.story_id = ? AND ar.outlet IS NOT NULL ORDER BY ar.outlet",
                        (r["story_id"],),
                    )
                ]
                title = q(
                    "SELECT ar.title FROM story_articles AS sa JOIN articles AS ar ON ar.id = sa.article_id "
                    "WHERE sa.story_id = ? AND sa.original_id IS NULL ORDER BY sa.sort_key LIMIT 1",
                    (r["story_id"],),
                ).fetchone()
                out.append(
                    StorySummary(
                        id=r["story_id"],
                        articles=r["articles"],
                        originals=r["originals"],
                        copies=r["copies"],
                        first=r["first_published"],
                        last=r["last_published"],
                        outlets=outlets,
                        title=title[0] if title else None,
                        top_claims=self.top_claims(r["story_id"], claims) if claims else [],
                    )
                )
            return out
        except sqlite3.Error as err:
            raise StoreError(f"cannot read {self.store.path}: {' '.join(str(err).split())}") from None


def top_claims(store: Store, story_id: int, limit: int = 3) -> list[TopClaim]:
    """The most repeated claims of story ``story_id`` in ``store`` (see :meth:`StoryLinker.top_claims`);
    the boundary a later claims module replaces."""
    return StoryLinker(store).top_claims(story_id, limit)
