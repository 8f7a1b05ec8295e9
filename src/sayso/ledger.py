"""The claim ledger in the store: computed per story by :func:`sayso.claims.build_ledger`, kept in the
``ledger_*`` tables (the ``ledger`` migration) with stable claim ids, and read back without recomputation.

A story's stored ledger carries the *fingerprint* of what it was computed from: the story's articles, their
extractions (``articles.report_hash``), their copy links and :data:`LEDGER_VERSION`. :func:`update_ledger`
recomputes only the stories whose fingerprint changed (``sayso ingest`` calls it after storing; ``sayso claims
--update`` rebuilds every story). A recomputed claim keeps the id of the stored claim it shares most reports
with, so ids stay stable while a story grows; a story merged into another hands its claims' ids on.

Cross-report entities (:func:`sayso.claims.story_entities`) go to ``ledger_entities`` and
``ledger_entity_sources``; the articles' own rows are never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from .claims import Claim, ClaimReport, Encoder, build_ledger, story_articles, story_entities
from .errors import SaysoError, StoreError

_LOG = logging.getLogger(__name__)

#: Changes whenever the ledger's algorithm changes, so that stored ledgers become stale.
LEDGER_VERSION = "2"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def fingerprints(store, story_ids: Sequence[int] | None = None) -> dict[int, str]:
    """The current fingerprint of every story of ``store`` (or of ``story_ids``): sha256 of the ledger's
    version and of each article's id, extraction hash and original, in article order."""
    sql = (
        "SELECT sa.story_id, sa.article_id, sa.original_id, ar.report_hash FROM story_articles AS sa "
        "JOIN articles AS ar ON ar.id = sa.article_id"
    )
    params: list[int] = []
    if story_ids is not None:
        ids = sorted(set(story_ids))
        if not ids:
            return {}
        sql += f" WHERE sa.story_id IN ({', '.join('?' for _ in ids)})"
        params = ids
    parts: dict[int, list[str]] = defaultdict(list)
    for story_id, article_id, original_id, rhash in store.connection.execute(
        sql + " ORDER BY sa.story_id, sa.article_id", params
    ):
        parts[story_id].append(f"{article_id}:{original_id or ''}:{rhash}")
    return {sid: hashlib.sha256("\n".join([LEDGER_VERSION, *rows]).encode()).hexdigest() for sid, rows in parts.items()}


def stale_stories(store, story_ids: Sequence[int] | None = None) -> list[int]:
    """The stories (of ``story_ids``, or all) whose stored ledger is missing or out of date."""
    current = fingerprints(store, story_ids)
    stored = dict(store.connection.execute("SELECT story_id, fingerprint FROM ledger_stories").fetchall())
    return sorted(sid for sid, fp in current.items() if stored.get(sid) != fp)


def update_ledger(
    store, story_ids: Sequence[int] | None = None, rebuild: bool = False, encoder: Encoder | None = None
) -> list[int]:
    """Recompute and store the ledger of every stale story of ``store`` (or of ``story_ids``; all of them with
    ``rebuild``), one transaction per story, and drop the ledgers of stories that no longer exist (merged into
    another). ``encoder``: see :func:`sayso.claims.build_ledger`. Returns the recomputed story ids; a story
    whose computation fails on a bug is logged as a warning and left stale. Raises StoreError when the database
    fails, MissingResource when the sentence model is missing."""
    try:
        current = fingerprints(store, story_ids)
        todo = sorted(current) if rebuild else stale_stories(store, story_ids)
        done = []
        for sid in todo:
            articles = story_articles(store, sid)
            try:
                claims = build_ledger(articles, encoder=encoder)
                entities = story_entities(articles)
            except (SaysoError, MemoryError):
                raise
            except Exception as err:  # a bug on one story must not stop the others: it stays stale
                _LOG.warning("story %s: claim ledger not updated: %s: %s", sid, type(err).__name__, err)
                continue
            _write(store, sid, current[sid], claims, entities)
            done.append(sid)
        if story_ids is None:
            _drop_gone(store)
        return done
    except sqlite3.Error as err:
        raise StoreError(f"cannot update the claim ledger in {store.path}: {' '.join(str(err).split())}") from None


def _drop_gone(store) -> None:
    """Delete the stored ledgers of stories that have no articles any more."""
    conn = store.connection
    gone = [
        r[0]
        for r in conn.execute(
            "SELECT ls.story_id FROM ledger_stories AS ls WHERE NOT EXISTS "
            "(SELECT 1 FROM story_articles AS sa WHERE sa.story_id = ls.story_id)"
        )
    ]
    if not gone:
        return
    marks = ", ".join("?" for _ in gone)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DELETE FROM ledger_claims WHERE story_id IN ({marks})", gone)
        conn.execute(f"DELETE FROM ledger_entities WHERE story_id IN ({marks})", gone)
        conn.execute(f"DELETE FROM ledger_stories WHERE story_id IN ({marks})", gone)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _member_key(r: ClaimReport) -> tuple[int, int, int]:
    return (r.article_id, r.start, r.end)


def _stable_ids(conn, article_ids: list[int], claims: list[Claim]) -> dict[int, int]:
    """Claim index -> the stored claim id it keeps: the stored claims holding reports of these articles are
    matched greedily by the number of reports they share (largest overlaps first, each used once)."""
    if not article_ids:
        return {}
    marks = ", ".join("?" for _ in article_ids)
    old: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    for claim_id, article_id, start, end in conn.execute(
        f"SELECT claim_id, article_id, start, end FROM ledger_members WHERE article_id IN ({marks})", article_ids
    ):
        old[claim_id].add((article_id, start, end))
    pairs = []
    for k, c in enumerate(claims):
        keys = {_member_key(r) for r in c.reports}
        for claim_id, members in old.items():
            shared = len(keys & members)
            if shared:
                pairs.append((-shared, claim_id, k))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, claim_id, k in pairs:
        if k not in out and claim_id not in used:
            out[k] = claim_id
            used.add(claim_id)
    return out


def _write(store, story_id: int, fingerprint: str, claims: list[Claim], entities: list) -> None:
    """Replace the stored ledger of ``story_id`` with ``claims`` and ``entities``, in one transaction."""
    conn = store.connection
    article_ids = [r[0] for r in conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (story_id,))]
    conn.execute("BEGIN IMMEDIATE")
    try:
        keep = _stable_ids(conn, article_ids, claims)
        # new claims get ids above every id used so far, so a vanished claim's id is not handed to another
        top = conn.execute("SELECT MAX(id) FROM ledger_claims").fetchone()[0] or 0
        for k in range(len(claims)):
            if k not in keep:
                top += 1
                keep[k] = top
        marks = ", ".join("?" for _ in article_ids)
        if article_ids:  # this story's claims, and those of stories merged into it
            conn.execute(
                f"DELETE FROM ledger_claims WHERE story_id = ? OR id IN "
                f"(SELECT claim_id FROM ledger_members WHERE article_id IN ({marks}))",
                [story_id, *article_ids],
            )
        conn.execute("DELETE FROM ledger_entities WHERE story_id = ?", (story_id,))
        for rank, (k, claim) in enumerate(enumerate(claims), 1):
            first = claim.first_report
            row = (
                keep[k],
                story_id,
                rank,
                claim.statement,
                claim.independent_origins,
                len(claim.reports),
                len({r.article_id for r in claim.reports}),
                len(claim.denials),
                first.article_id,
                first.published,
            )
            claim_id = keep[k]
            conn.execute(
                "INSERT INTO ledger_claims (id, story_id, rank, statement, independent_origins, reports, articles, "
                "denials, first_article_id, first_published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            claim.id = f"c{claim_id}"
            confirmations = {id(r) for r in claim.confirmations}
            denials = {id(r) for r in claim.denials}
            hedged = {id(r) for r in claim.hedged_relays}
            conn.executemany(
                "INSERT INTO ledger_members (claim_id, position, article_id, attribution_key, content, start, end, "
                "speaker, speaker_type, via, stance, speaker_stance, hedged, confirmation, is_first, confirms, "
                "denies, hedged_relay, copy_of, origins, origin_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        claim_id,
                        pos,
                        r.article_id,
                        r.attribution_id,
                        r.content,
                        r.start,
                        r.end,
                        r.speaker,
                        r.speaker_type,
                        json.dumps(r.via, ensure_ascii=False),
                        r.stance,
                        r.speaker_stance,
                        int(r.hedged),
                        int(r.confirmation),
                        int(r is first),
                        int(id(r) in confirmations),
                        int(id(r) in denials),
                        int(id(r) in hedged),
                        r.copy_of,
                        json.dumps([r.origin_labels.get(o, o) for o in r.origins], ensure_ascii=False),
                        json.dumps(list(r.origins), ensure_ascii=False),
                    )
                    for pos, r in enumerate(claim.timeline)
                ],
            )
            conn.executemany(
                "INSERT INTO ledger_origins (claim_id, position, key, label) VALUES (?, ?, ?, ?)",
                [(claim_id, pos, key, label) for pos, (key, label) in enumerate(claim.origins.items())],
            )
        source_ids = _source_ids(conn, article_ids)
        for entity in entities:
            entity_id = conn.execute(
                "INSERT INTO ledger_entities (story_id, key, label, type) VALUES (?, ?, ?, ?)",
                (story_id, entity.key, entity.label, entity.type),
            ).lastrowid
            rows = {(entity_id, source_ids[m]) for m in entity.sources if m in source_ids}
            conn.executemany("INSERT INTO ledger_entity_sources (entity_id, source_id) VALUES (?, ?)", sorted(rows))
        conn.execute("DELETE FROM ledger_stories WHERE story_id = ?", (story_id,))
        conn.execute(
            "INSERT INTO ledger_stories (story_id, fingerprint, claims, computed_at) VALUES (?, ?, ?, ?)",
            (story_id, fingerprint, len(claims), _now()),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _source_ids(conn, article_ids: list[int]) -> dict[tuple[int, str], int]:
    """(article id, the report's source id such as 's3') -> ``sources.id``, for ``article_ids``."""
    if not article_ids:
        return {}
    marks = ", ".join("?" for _ in article_ids)
    return {
        (a, k): i
        for i, a, k in conn.execute(
            f"SELECT id, article_id, key FROM sources WHERE article_id IN ({marks})", article_ids
        )
    }


def current_ledgers(store, story_ids: Sequence[int]) -> list[list[Claim]]:
    """The up-to-date ledgers of ``story_ids``, in that order: stale ones are recomputed and stored first;
    when the store cannot be written (a read-only copy), they are computed without storing."""
    try:
        update_ledger(store, story_ids)
    except StoreError:
        stale = set(stale_stories(store, story_ids))
        return [
            build_ledger(story_articles(store, sid)) if sid in stale else read_ledger(store, sid) for sid in story_ids
        ]
    return [read_ledger(store, sid) for sid in story_ids]


def is_current(store, story_id: int) -> bool:
    """Whether the stored ledger of ``story_id`` is up to date."""
    return not stale_stories(store, [story_id])


def read_ledger(store, story_id: int) -> list[Claim]:
    """The stored ledger of story ``story_id``, claims in rank order, read from the tables (nothing is
    recomputed; an unknown or never computed story gives []). Raises StoreError when the database fails."""
    conn = store.connection
    try:
        claims_rows = conn.execute(
            "SELECT id, statement, independent_origins FROM ledger_claims WHERE story_id = ? ORDER BY rank, id",
            (story_id,),
        ).fetchall()
        if not claims_rows:
            return []
        marks = ", ".join("?" for _ in claims_rows)
        ids = [r[0] for r in claims_rows]
        articles = {
            r[0]: r
            for r in conn.execute(
                "SELECT ar.id, ar.url, ar.input, ar.title, ar.outlet, ar.published FROM articles AS ar WHERE ar.id IN "
                f"(SELECT DISTINCT article_id FROM ledger_members WHERE claim_id IN ({marks}))",
                ids,
            )
        }
        members: dict[int, list] = defaultdict(list)
        for m in conn.execute(
            f"SELECT * FROM ledger_members WHERE claim_id IN ({marks}) ORDER BY claim_id, position", ids
        ):
            members[m["claim_id"]].append(m)
        origins: dict[int, dict[str, str]] = defaultdict(dict)
        for claim_id, key, label in conn.execute(
            f"SELECT claim_id, key, label FROM ledger_origins WHERE claim_id IN ({marks}) ORDER BY claim_id, position",
            ids,
        ):
            origins[claim_id][key] = label
    except sqlite3.Error as err:
        raise StoreError(f"cannot read the claim ledger in {store.path}: {' '.join(str(err).split())}") from None
    from .claims import article_name

    out = []
    for claim_id, statement, independent in claims_rows:
        timeline: list[ClaimReport] = []
        roles: dict[str, list[ClaimReport]] = {"first": [], "confirms": [], "denies": [], "hedged_relay": []}
        for m in members[claim_id]:
            art = articles[m["article_id"]]
            labels = json.loads(m["origins"])
            keys = json.loads(m["origin_keys"])
            r = ClaimReport(
                article_id=m["article_id"],
                article=article_name(art["url"], art["input"], art["title"], art["id"]),
                outlet=art["outlet"],
                published=art["published"],
                attribution_id=m["attribution_key"],
                content=m["content"],
                start=m["start"],
                end=m["end"],
                speaker=m["speaker"],
                speaker_type=m["speaker_type"],
                via=json.loads(m["via"]),
                stance=m["stance"],
                speaker_stance=m["speaker_stance"],
                hedged=bool(m["hedged"]),
                confirmation=bool(m["confirmation"]),
                origins=keys,
                origin_labels=dict(zip(keys, labels, strict=True)),
                copy_of=m["copy_of"],
                title=art["title"],
            )
            timeline.append(r)
            for role in roles:
                if m["is_first" if role == "first" else role]:
                    roles[role].append(r)
        if not timeline:
            continue
        out.append(
            Claim(
                id=f"c{claim_id}",
                statement=statement,
                reports=timeline,
                first_report=(roles["first"] or timeline)[0],
                origins=origins[claim_id],
                independent_origins=independent,
                confirmations=roles["confirms"],
                denials=roles["denies"],
                hedged_relays=roles["hedged_relay"],
                timeline=timeline,
            )
        )
    return out
