"""A report as the rows of the store's tables: what :class:`sayso.store.Store` writes into SQLite or
PostgreSQL and what ``sayso spark`` writes as Parquet, built in one place.

Rows refer to each other by :class:`Ref` (table and the report's own id, e.g. ``Ref("sources", "s2")``;
``ARTICLE`` for the article's row) rather than by database ids, which only the writer knows: the store
resolves them to the ids its inserts return, the Spark job to ids hashed from the article's content hash.

>>> from sayso.schema import Article, Report, Source
>>> rows = report_rows(Report(article=Article(text="x"), sources=[Source(id="s1", name="Ann", type="person")]))
>>> [(r.table, r.key, r.values["name"], r.values["anonymous"]) for r in rows]
[('sources', 's1', 'Ann', 0)]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .schema import Attribution, Report


class BadReport(ValueError):
    """The report refers to an id it does not define, or defines one twice."""


@dataclass(frozen=True)
class Ref:
    """A reference to the row of ``table`` that the report calls ``key`` (``ARTICLE``: the article)."""

    table: str
    key: str


#: The article's own row (every other row's ``article_id``).
ARTICLE = Ref("articles", "")


@dataclass(frozen=True)
class Row:
    """One row to insert into ``table``: ``values`` by column (a :class:`Ref` stands for another row's id)
    and ``key``, the name other rows refer to it by (None for rows nothing refers to and that have no
    ``id`` column: the link tables)."""

    table: str
    values: dict[str, Any]
    key: str | None = None


def to_json(value: Any) -> str:
    """``value`` as the JSON text stored in a TEXT column (non-ASCII kept as is)."""
    return json.dumps(value, ensure_ascii=False)


def article_values(report: Report, content_hash: str, report_hash: str, ingested_at: str) -> dict[str, Any]:
    """The ``articles`` row of ``report`` (without ``id`` and ``input_hash``): ``content_hash`` and
    ``report_hash`` as :mod:`sayso.store` computes them, ``ingested_at`` an ISO 8601 UTC time."""
    art = report.article
    return {
        "url": art.url,
        "title": art.title,
        "outlet": art.outlet,
        "published": art.published,
        "language": art.language,
        "input": art.input,
        "text": art.text,
        "authors": to_json(art.authors),
        "notes": to_json(art.notes),
        "captions": to_json([c.model_dump() for c in art.captions]),
        "related": to_json(art.related),
        "warnings": to_json(report.warnings),
        "content_hash": content_hash,
        "report_hash": report_hash,
        "schema_version": report.schema_version,
        "sayso_version": report.sayso_version,
        "ingested_at": ingested_at,
    }


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with booleans as 0/1 (the tables store flags as INTEGER)."""
    return {k: int(v) if isinstance(v, bool) else v for k, v in row.items()}


def report_rows(report: Report) -> list[Row]:
    """Every row of ``report`` below its article, in the order the store inserts them: sources (each
    followed by its mentions), times, quantities, places, attributions, then each attribution's relays,
    chain, origins and linked times, quantities and places.

    Raises :class:`BadReport` when an id is defined twice or an attribution refers to an unknown one."""
    rows: list[Row] = []
    source_keys: set[str] = set()
    for src in report.sources:
        if src.id in source_keys:
            raise BadReport(f"source id {src.id!r} is defined twice")
        source_keys.add(src.id)
        fields = _plain(src.model_dump(exclude={"id", "mentions"}))
        rows.append(Row("sources", {"article_id": ARTICLE, "key": src.id, **fields}, src.id))
        for pos, m in enumerate(src.mentions):
            values = {"article_id": ARTICLE, "source_id": Ref("sources", src.id), "position": pos}
            rows.append(
                Row("source_mentions", values | {"start": m.start, "end": m.end, "text": m.text}, f"{src.id}/{pos}")
            )
    item_keys: dict[str, set[str]] = {"times": set(), "quantities": set(), "places": set()}
    for table, collection in (("times", report.times), ("quantities", report.quantities), ("places", report.places)):
        for item in collection:
            if item.id in item_keys[table]:
                raise BadReport(f"{table} id {item.id!r} is defined twice")
            item_keys[table].add(item.id)
            fields = _plain(item.model_dump(exclude={"id"}))
            rows.append(Row(table, {"article_id": ARTICLE, "key": item.id, **fields}, item.id))

    def ref(table: str, keys: set[str], key: str | None, what: str, att: Attribution) -> Ref | None:
        if key is None:
            return None
        if key not in keys:
            raise BadReport(f"attribution {att.id!r} refers to unknown {what} {key!r}")
        return Ref(table, key)

    att_keys: set[str] = set()
    for att in report.attributions:
        if att.id in att_keys:
            raise BadReport(f"attribution id {att.id!r} is defined twice")
        att_keys.add(att.id)
    for att in report.attributions:
        rows.append(
            Row(
                "attributions",
                {
                    "article_id": ARTICLE,
                    "key": att.id,
                    "source_id": ref("sources", source_keys, att.source, "source", att),
                    "source_start": att.source_span.start if att.source_span else None,
                    "source_end": att.source_span.end if att.source_span else None,
                    "source_text": att.source_span.text if att.source_span else None,
                    "cue_start": att.cue.start if att.cue else None,
                    "cue_end": att.cue.end if att.cue else None,
                    "cue_text": att.cue.text if att.cue else None,
                    "content_start": att.content.start,
                    "content_end": att.content.end,
                    "content_text": att.content.text,
                    "content_parts": to_json([p.model_dump() for p in att.content_parts]),
                    "kind": att.kind,
                    "to_source_id": ref("sources", source_keys, att.to, "source", att),
                    "hops": att.hops,
                    "hedges": to_json(att.hedges),
                    "nested_in": ref("attributions", att_keys, att.nested_in, "attribution", att),
                },
                att.id,
            )
        )
    for att in report.attributions:
        this = Ref("attributions", att.id)
        for table, keys in (
            ("attribution_via", att.via),
            ("attribution_chain", att.chain),
            ("attribution_origins", att.origins),
        ):
            for pos, key in enumerate(keys):
                source = ref("sources", source_keys, key, "source", att)
                rows.append(Row(table, {"attribution_id": this, "position": pos, "source_id": source}))
        for table, column, kind, what, keys in (
            ("attribution_times", "time_id", "times", "time", att.times),
            ("attribution_quantities", "quantity_id", "quantities", "quantity", att.quantities),
            ("attribution_places", "place_id", "places", "place", att.places),
        ):
            for key in dict.fromkeys(keys):
                rows.append(Row(table, {"attribution_id": this, column: ref(kind, item_keys[kind], key, what, att)}))
    return rows
