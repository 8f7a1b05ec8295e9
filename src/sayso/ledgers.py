"""Reading a story's claim ledger and summary for the web app and the exports: the one place they ask for it.

The ledger is kept in SQL tables (:mod:`sayso.ledger`); :func:`story_ledger` reads it, recomputing a stale
story first, exactly as ``sayso claims`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from .claims import Claim
from .errors import InputNotFound


@dataclass(frozen=True)
class StoryInfo:
    """A story of the store: ``id``, ``title`` (of its earliest original), ``outlet`` of that original,
    ``first``/``last`` publication dates, ``articles``, ``originals``, ``copies`` and its ``outlets``."""

    id: int
    title: str | None
    outlet: str | None
    first: str | None
    last: str | None
    articles: int
    originals: int
    copies: int
    outlets: list[str]


def story_ledger(store, story_id: int) -> list[Claim]:
    """The claim ledger of story ``story_id`` in ``store`` (a :class:`~sayso.store.Store`), as ``sayso claims``
    gives it: read from the ledger tables (:mod:`sayso.ledger`), recomputed and stored first only when stale."""
    from .ledger import current_ledgers

    return current_ledgers(store, [story_id])[0]


def ledger_json(store, story_id: int) -> list[dict]:
    """The ledger of story ``story_id`` exactly as ``sayso claims --story ID --format json`` prints it: a list
    holding one ``{"story", "title", "claims"}`` object. Raises InputNotFound for an unknown story."""
    info = story_info(store, story_id)
    return [{"story": info.id, "title": info.title, "claims": [c.as_dict() for c in story_ledger(store, story_id)]}]


def story_info(store, story_id: int) -> StoryInfo:
    """The summary of story ``story_id``; raises InputNotFound when the store has no such story."""
    infos = stories(store, story_ids=[story_id])
    if not infos:
        raise InputNotFound(f"no story {story_id}")
    return infos[0]


def stories(
    store, *, limit: int | None = None, offset: int = 0, min_size: int = 1, story_ids: list[int] | None = None
) -> list[StoryInfo]:
    """Stories of ``store`` with at least ``min_size`` articles, largest first (then latest, then by id), from
    ``offset``, at most ``limit`` (None: all); ``story_ids``: only these."""
    q = store.connection.execute
    where, params = "WHERE articles >= ?", [min_size]
    if story_ids is not None:
        where += f" AND story_id IN ({', '.join('?' for _ in story_ids)})"
        params += list(story_ids)
    rows = q(
        f"SELECT * FROM stories {where} ORDER BY articles DESC, last_published DESC, story_id LIMIT ? OFFSET ?",
        [*params, -1 if limit is None else limit, offset],
    ).fetchall()
    out = []
    for r in rows:
        outlets = [
            o[0]
            for o in q(
                "SELECT DISTINCT ar.outlet FROM story_articles AS sa JOIN articles AS ar ON ar.id = sa.article_id "
                "WHERE sa.story_id = ? AND ar.outlet IS NOT NULL ORDER BY ar.outlet",
                (r["story_id"],),
            )
        ]
        first = q(
            "SELECT ar.title, ar.outlet FROM story_articles AS sa JOIN articles AS ar ON ar.id = sa.article_id "
            "WHERE sa.story_id = ? AND sa.original_id IS NULL ORDER BY sa.sort_key LIMIT 1",
            (r["story_id"],),
        ).fetchone()
        out.append(
            StoryInfo(
                id=r["story_id"],
                title=first[0] if first else None,
                outlet=first[1] if first else None,
                first=r["first_published"],
                last=r["last_published"],
                articles=r["articles"],
                originals=r["originals"],
                copies=r["copies"],
                outlets=outlets,
            )
        )
    return out


def count_stories(store, min_size: int = 1) -> int:
    """How many stories ``store`` holds with at least ``min_size`` articles."""
    return int(store.connection.execute("SELECT COUNT(*) FROM stories WHERE articles >= ?", (min_size,)).fetchone()[0])
