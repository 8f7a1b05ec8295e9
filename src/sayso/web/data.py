"""What the pages and the API read from the store: lists of articles, a source across the archive, a story's
members and map. Every query takes its values as parameters."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..errors import InputNotFound
from ..schema import Article, Report

#: The most claims a source page lists.
SOURCE_CLAIMS = 500

_ARTICLE_COLUMNS = "ar.id, ar.title, ar.outlet, ar.published, ar.url, sa.story_id"


def _item(row: sqlite3.Row | tuple) -> dict[str, Any]:
    return {
        "id": row[0],
        "title": row[1],
        "outlet": row[2],
        "published": row[3],
        "url": row[4],
        "story_id": row[5],
    }


def list_articles(store, *, limit: int, offset: int, outlet: str | None = None) -> tuple[list[dict], int]:
    """A page of articles, newest first (by publication date, then id), with the total count; ``outlet``:
    only that outlet's."""
    q = store.connection.execute
    where, params = ("WHERE ar.outlet = ?", [outlet]) if outlet else ("", [])
    rows = q(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles AS ar LEFT JOIN story_articles AS sa ON sa.article_id = ar.id "
        f"{where} ORDER BY COALESCE(ar.published, '') DESC, ar.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    total = q(f"SELECT COUNT(*) FROM articles AS ar {where}", params).fetchone()[0]
    return [_item(r) for r in rows], int(total)


def article_item(store, article_id: int) -> dict[str, Any]:
    """The list item of article ``article_id``; raises InputNotFound when there is none."""
    row = store.connection.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles AS ar LEFT JOIN story_articles AS sa ON sa.article_id = ar.id "
        "WHERE ar.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        raise InputNotFound(f"no article {article_id}")
    return _item(row)


def article_links(store, article_id: int) -> dict[str, Any]:
    """For the article page: ``sources`` (report key -> the source's row id), ``original`` (the item of the
    article it copies, or None) and ``copies`` (items of the articles copying it)."""
    q = store.connection.execute
    sources = {r[1]: r[0] for r in q("SELECT id, key FROM sources WHERE article_id = ?", (article_id,))}
    row = q("SELECT original_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    original = article_item(store, row[0]) if row and row[0] is not None else None
    copies = [
        _item(r)
        for r in q(
            f"SELECT {_ARTICLE_COLUMNS} FROM story_articles AS sa JOIN articles AS ar ON ar.id = sa.article_id "
            "WHERE sa.original_id = ? ORDER BY ar.id",
            (article_id,),
        )
    ]
    return {"sources": sources, "original": original, "copies": copies}


def outlets(store) -> list[str]:
    """Every outlet named in the store, alphabetically."""
    return [
        r[0]
        for r in store.connection.execute(
            "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet COLLATE NOCASE"
        )
    ]


def source_page(store, source_id: int, limit: int = SOURCE_CLAIMS) -> dict[str, Any]:
    """Source ``source_id`` (a row of ``sources``) with every claim made under its name across the archive (an
    anonymous source: under its description; a claim in a copy of an article carries ``copy_of``), newest
    first, at most ``limit``, their ``total``, and for an anonymous source the outlets that use its
    description. Raises InputNotFound for an unknown id."""
    q = store.connection.execute
    src = q("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
    if src is None:
        raise InputNotFound(f"no source {source_id}")
    anonymous = bool(src["anonymous"])
    if anonymous:
        match = "s.anonymous = 1 AND COALESCE(s.descriptor, s.name) = ?"
        key = src["descriptor"] or src["name"]
    else:
        match = "s.anonymous = 0 AND s.name = ?"
        key = src["name"]
    rows = q(
        f"SELECT {_ARTICLE_COLUMNS}, s.id AS sid, a.id AS aid, a.key, a.kind, a.cue_text, a.content_text, "
        "sa.original_id AS copy_of "
        "FROM attributions AS a JOIN sources AS s ON s.id = a.source_id "
        "JOIN articles AS ar ON ar.id = a.article_id LEFT JOIN story_articles AS sa ON sa.article_id = ar.id "
        f"WHERE {match} ORDER BY COALESCE(ar.published, '') DESC, ar.id DESC, a.id LIMIT ?",
        (key, limit),
    ).fetchall()
    total = q(f"SELECT COUNT(*) FROM attributions AS a JOIN sources AS s ON s.id = a.source_id WHERE {match}", (key,))
    chains: dict[int, list[str]] = {}
    ids = [r["aid"] for r in rows]
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        for att, name in q(
            "SELECT c.attribution_id, cs.name FROM attribution_chain AS c JOIN sources AS cs ON cs.id = c.source_id "
            f"WHERE c.attribution_id IN ({', '.join('?' for _ in part)}) ORDER BY c.attribution_id, c.position",
            part,
        ):
            chains.setdefault(att, []).append(name)
    claims = [
        {
            "article": _item(r),
            "source_id": r["sid"],
            "attribution": r["key"],
            "kind": r["kind"],
            "cue": r["cue_text"],
            "content": r["content_text"],
            "chain": chains.get(r["aid"], []),
            "copy_of": r["copy_of"],
        }
        for r in rows
    ]
    uses = []
    if anonymous:
        uses = [
            {"outlet": r[0], "sources": r[1], "articles": r[2], "attributions": r[3]}
            for r in q(
                "SELECT outlet, SUM(count), SUM(articles), SUM(attributions) FROM anonymous_sources_by_outlet "
                "WHERE descriptor = ? GROUP BY outlet ORDER BY SUM(attributions) DESC, outlet",
                (key,),
            )
        ]
    fields = ("name", "type", "descriptor", "affiliation", "role", "reason", "closeness", "number")
    return {
        "id": src["id"],
        **{f: src[f] for f in fields},
        "anonymous": anonymous,
        "article": article_item(store, src["article_id"]),
        "total": int(total.fetchone()[0]),
        "attributions": claims,
        "outlets": uses,
    }


def story_members(store, story_id: int) -> list[dict[str, Any]]:
    """The articles of story ``story_id`` by date, each item with ``original_id`` (the article it copies)."""
    rows = store.connection.execute(
        f"SELECT {_ARTICLE_COLUMNS}, sa.original_id FROM story_articles AS sa "
        "JOIN articles AS ar ON ar.id = sa.article_id WHERE sa.story_id = ? "
        "ORDER BY COALESCE(ar.published, '9999'), ar.id",
        (story_id,),
    ).fetchall()
    return [{**_item(r), "original_id": r[6]} for r in rows]


def story_places_report(store, story_id: int) -> tuple[Report, dict[str, int]]:
    """A report holding every place named in the text of the story's articles (ids made unique), for its map,
    and which article each place id comes from."""
    from ..schema import Place

    places, article_of = [], {}
    for row in store.connection.execute(
        "SELECT p.article_id, p.key, p.start, p.end, p.text, p.name, p.country, p.lat, p.lon, p.geonameid, "
        "p.feature, p.metonymy FROM places AS p JOIN story_articles AS sa ON sa.article_id = p.article_id "
        "WHERE sa.story_id = ? AND p.caption IS NULL ORDER BY p.article_id, p.id",
        (story_id,),
    ):
        pid = f"a{row[0]}-{row[1]}"
        article_of[pid] = row[0]
        places.append(
            Place(
                id=pid,
                start=row[2],
                end=row[3],
                text=row[4],
                name=row[5],
                country=row[6],
                lat=row[7],
                lon=row[8],
                geonameid=row[9],
                feature=row[10],
                metonymy=bool(row[11]),
            )
        )
    return Report(article=Article(text=""), places=places), article_of
