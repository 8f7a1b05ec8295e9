"""Searching the store: SQLite FTS5 over article titles and text, attribution contents and source names.

A query is words and "quoted phrases" (:func:`parse_query`); every word and phrase must occur (AND) in the
indexed texts of an article, each in any of them. The user's query never reaches FTS5's query syntax as it is:
each word or phrase becomes one FTS5 string (:func:`fts_expression`), so ``NOT``, ``*``, ``:`` or a stray quote
are plain words. Hits are articles, best first (bm25), each with a snippet and the offsets of the matched words
in it; the snippet comes from the article's title or text where they match, else from a claim's content, else
from a source's name. Filters restrict hits to an outlet, a publication-date range, or articles that cite an
anonymous source. The store keeps the indexes (migration ``m0008_search``).

>>> parse_query('tanks "two billion crowns" Zhalkiv')
['tanks', 'two billion crowns', 'Zhalkiv']
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from .errors import StoreError

#: Characters marking a match in FTS5 snippets (private-use code points: never in the indexed text's output).
_OPEN, _CLOSE = "\ue000", "\ue001"
#: Tokens of context a snippet shows around the matches.
SNIPPET_TOKENS = 24
_QUERY_RE = re.compile(r'"([^"]*)"?|(\S+)')
_WORD_RE = re.compile(r"\w", re.UNICODE)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse_query(query: str) -> list[str]:
    """The words and phrases of ``query``: a stretch in double quotes is one phrase (an unclosed quote runs to
    the end), everything else splits on whitespace; parts without a letter or digit are dropped (FTS5 would
    find no token in them). Returns them in order."""
    out: list[str] = []
    query = _CONTROL_RE.sub(" ", query or "")  # a NUL or other control character is no part of a word
    for m in _QUERY_RE.finditer(query):
        part = " ".join((m.group(1) if m.group(1) is not None else m.group(2)).split())
        if part and _WORD_RE.search(part):
            out.append(part)
    return out


def fts_expression(terms: list[str], operator: str = "AND") -> str:
    """An FTS5 query matching every one (``operator`` 'AND') or any (``'OR'``) of ``terms`` (each a word or
    phrase), each as an FTS5 string with its double quotes doubled, so no query syntax can come from the user."""
    return f" {operator} ".join('"' + term.replace('"', '""') + '"' for term in terms)


@dataclass(frozen=True)
class SearchHit:
    """One article found: its ``article_id``, ``title``, ``outlet``, ``published``, ``story_id`` (None when not
    linked), ``field`` (where the best match is: 'title', 'text', 'claim' or 'source'), ``snippet`` (plain text)
    and ``highlights``: (start, end) offsets of the matched words in ``snippet``."""

    article_id: int
    title: str | None
    outlet: str | None
    published: str | None
    story_id: int | None
    field: str
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The hit as JSON-ready values (``highlights`` as [start, end] pairs)."""
        return {
            "article_id": self.article_id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "story_id": self.story_id,
            "field": self.field,
            "snippet": self.snippet,
            "highlights": [[a, b] for a, b in self.highlights],
        }


@dataclass(frozen=True)
class SearchResults:
    """``total`` articles matched; ``hits``: the page of them asked for; ``terms``: the words and phrases
    searched for."""

    total: int
    hits: list[SearchHit]
    terms: list[str]


def split_snippet(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet with FTS5's match markers as plain text and the (start, end) offsets of the marked stretches."""
    text, spans, start = [], [], None
    pos = 0
    for ch in marked:
        if ch == _OPEN:
            start = pos
        elif ch == _CLOSE:
            if start is not None and start < pos:
                spans.append((start, pos))
            start = None
        else:
            text.append(ch)
            pos += 1
    return "".join(text), spans


#: The articles in which the term ``:t{i}`` occurs: in the title or text, a claim's content or a source's name.
_TERM_SQL = """ar.id IN (
    SELECT rowid FROM _search_articles WHERE _search_articles MATCH :t{i}
    UNION SELECT a.article_id FROM _search_attributions JOIN attributions AS a ON a.id = _search_attributions.rowid
          WHERE _search_attributions MATCH :t{i}
    UNION SELECT s.article_id FROM _search_sources JOIN sources AS s ON s.id = _search_sources.rowid
          WHERE _search_sources MATCH :t{i})"""

_HITS_SQL = f"""
WITH matched AS (
    SELECT rowid AS article_id, bm25(_search_articles, 4.0, 1.0) AS score,
           'article' AS field,
           snippet(_search_articles, -1, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}) AS snippet
    FROM _search_articles WHERE _search_articles MATCH :q
    UNION ALL
    SELECT a.article_id, bm25(_search_attributions), 'claim',
           snippet(_search_attributions, 0, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS})
    FROM _search_attributions JOIN attributions AS a ON a.id = _search_attributions.rowid
    WHERE _search_attributions MATCH :q
    UNION ALL
    SELECT s.article_id, bm25(_search_sources), 'source',
           snippet(_search_sources, -1, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS})
    FROM _search_sources JOIN sources AS s ON s.id = _search_sources.rowid
    WHERE _search_sources MATCH :q
),
best AS (
    SELECT article_id, field, snippet, MIN(score) OVER (PARTITION BY article_id) AS score,
           ROW_NUMBER() OVER (PARTITION BY article_id
                              ORDER BY CASE field WHEN 'source' THEN 2 WHEN 'claim' THEN 1 ELSE 0 END, score) AS n
    FROM matched
)
SELECT ar.id, ar.title, ar.outlet, ar.published, sa.story_id, b.field, b.snippet, b.score,
       COUNT(*) OVER () AS total
FROM best AS b
JOIN articles AS ar ON ar.id = b.article_id
LEFT JOIN story_articles AS sa ON sa.article_id = ar.id
WHERE b.n = 1
  AND (:outlet IS NULL OR ar.outlet = :outlet)
  AND (:date_from IS NULL OR ar.published >= :date_from)
  AND (:date_to IS NULL OR ar.published <= :date_to)
  AND {{terms}}
  AND (:anonymous = 0 OR EXISTS (
        SELECT 1 FROM attributions AS a2 JOIN sources AS s2 ON s2.id = a2.source_id
        WHERE a2.article_id = ar.id AND s2.anonymous = 1))
ORDER BY b.score, ar.id
LIMIT :limit OFFSET :offset
"""


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    anonymous: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Search the store behind ``conn`` for ``query`` (words and "quoted phrases", all required).

    ``outlet``: only articles of this outlet (exactly as stored); ``date_from``/``date_to``: only articles
    published on or after / on or before these dates (YYYY-MM-DD; undated articles are left out when either is
    given); ``anonymous``: only articles with a claim attributed to an anonymous source; ``limit`` and
    ``offset``: the page of hits. Returns :class:`SearchResults` (no hits for a query without words). Raises
    StoreError when the database cannot be read."""
    if type(conn).__module__.startswith("sayso.db"):
        raise StoreError("full-text search needs an SQLite store (FTS5): PostgreSQL stores have no search index")
    terms = parse_query(query)
    if not terms:
        return SearchResults(0, [], terms)
    # Each term must occur somewhere in the article (not necessarily all in one text); the snippet and the rank
    # come from the texts matching any of them.
    sql = _HITS_SQL.replace("{terms}", " AND ".join(_TERM_SQL.format(i=i) for i in range(len(terms))))
    params = {
        **{f"t{i}": fts_expression([term]) for i, term in enumerate(terms)},
        "q": fts_expression(terms, "OR"),
        "outlet": outlet or None,
        "date_from": date_from or None,
        "date_to": date_to or None,
        "anonymous": 1 if anonymous else 0,
        "limit": max(0, int(limit)),
        "offset": max(0, int(offset)),
    }
    try:
        rows = conn.execute(sql, params).fetchall()
        total = rows[0][8] if rows else 0
        if not rows and params["offset"]:  # past the last page: the total still counts
            total = conn.execute(
                f"SELECT COUNT(*) FROM ({sql.rsplit('LIMIT', 1)[0]})",
                {k: v for k, v in params.items() if k not in ("limit", "offset")},
            ).fetchone()[0]
    except sqlite3.Error as err:
        raise StoreError(f"cannot search the database: {' '.join(str(err).split())}") from None
    hits = []
    for r in rows:
        text, spans = split_snippet(r[6] or "")
        where = r[5] if r[5] != "article" else ("title" if text == (r[1] or "") else "text")
        hits.append(SearchHit(r[0], r[1], r[2], r[3], r[4], where, text, spans))
    return SearchResults(int(total), hits, terms)
