"""Attributions as rows: flat for CSV (one column per field, chains joined with ' → ') and nested for NDJSON
(spans as objects, chains as lists), one row per attribution, article by article."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from ..schema import Report, Span

#: The CSV columns, in order.
CSV_COLUMNS = (
    "article_id",
    "story_id",
    "title",
    "outlet",
    "published",
    "url",
    "attribution",
    "kind",
    "source",
    "source_type",
    "anonymous",
    "descriptor",
    "affiliation",
    "role",
    "chain",
    "via",
    "told_to",
    "hops",
    "nested_in",
    "hedges",
    "source_start",
    "source_end",
    "source_text",
    "cue_start",
    "cue_end",
    "cue",
    "content_start",
    "content_end",
    "content",
    "content_parts",
)
#: A cell starting with one of these is read as a formula by spreadsheets: it gets a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _stories(store, ids: list[int]) -> dict[int, int]:
    rows = store.connection.execute("SELECT article_id, story_id FROM story_articles").fetchall()
    wanted = set(ids)
    return {a: s for a, s in rows if a in wanted}


def _reports(store, ids: Iterable[int]) -> Iterator[tuple[int, Report]]:
    for article_id in ids:
        yield article_id, store.report(article_id)


def _span(span: Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def attribution_records(store, ids: list[int]) -> Iterator[dict]:
    """One nested record per attribution of the articles ``ids``: ``article`` (id, story_id, title, outlet,
    published, url), ``attribution`` (its id in the report), ``kind``, ``source`` (name, type, anonymous,
    descriptor, affiliation, role; null when sourceless), ``chain`` and ``via`` (source names, the article's
    outlet first), ``told_to``, ``hops``, ``nested_in``, ``hedges`` and ``spans`` (source, cue, content, each
    start/end/text or null, and content_parts)."""
    story_of = _stories(store, ids)
    for article_id, report in _reports(store, ids):
        sources = {s.id: s for s in report.sources}
        art = report.article

        def name(key: str | None, sources=sources) -> str | None:
            return sources[key].name if key in sources else key

        for att in report.attributions:
            src = sources.get(att.source or "")
            yield {
                "article": {
                    "id": article_id,
                    "story_id": story_of.get(article_id),
                    "title": art.title,
                    "outlet": art.outlet,
                    "published": art.published,
                    "url": art.url,
                },
                "attribution": att.id,
                "kind": att.kind,
                "source": None
                if src is None
                else {
                    "name": src.name,
                    "type": src.type,
                    "anonymous": src.anonymous,
                    "descriptor": src.descriptor,
                    "affiliation": src.affiliation,
                    "role": src.role,
                },
                "chain": [name(k) for k in att.chain],
                "via": [name(k) for k in att.via],
                "told_to": name(att.to),
                "hops": att.hops,
                "nested_in": att.nested_in,
                "hedges": list(att.hedges),
                "spans": {
                    "source": _span(att.source_span),
                    "cue": _span(att.cue),
                    "content": _span(att.content),
                    "content_parts": [_span(p) for p in att.content_parts],
                },
            }


def attribution_rows(store, ids: list[int]) -> Iterator[dict]:
    """One flat row per attribution of the articles ``ids``, with the :data:`CSV_COLUMNS` (``content_parts`` as
    'start-end' pairs joined by ';', hedges by '; ')."""
    for rec in attribution_records(store, ids):
        src = rec["source"] or {}
        spans = rec["spans"]
        row = {
            "article_id": rec["article"]["id"],
            "story_id": rec["article"]["story_id"],
            "title": rec["article"]["title"],
            "outlet": rec["article"]["outlet"],
            "published": rec["article"]["published"],
            "url": rec["article"]["url"],
            "attribution": rec["attribution"],
            "kind": rec["kind"],
            "source": src.get("name"),
            "source_type": src.get("type"),
            "anonymous": src.get("anonymous"),
            "descriptor": src.get("descriptor"),
            "affiliation": src.get("affiliation"),
            "role": src.get("role"),
            "chain": " → ".join(n or "" for n in rec["chain"]),
            "via": " → ".join(n or "" for n in rec["via"]),
            "told_to": rec["told_to"],
            "hops": rec["hops"],
            "nested_in": rec["nested_in"],
            "hedges": "; ".join(rec["hedges"]),
            "content_parts": ";".join(f"{p['start']}-{p['end']}" for p in spans["content_parts"]),
        }
        for role in ("source", "cue", "content"):
            span = spans[role] or {}
            row[f"{role}_start"] = span.get("start")
            row[f"{role}_end"] = span.get("end")
            row["source_text" if role == "source" else role] = span.get("text")
        yield row


def _cell(value: object) -> object:
    """A value for a CSV cell: None as empty, booleans as true/false, text starting like a formula ('=', '+',
    '-', '@') prefixed with an apostrophe so that a spreadsheet shows it instead of running it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict]) -> str:
    """``rows`` as CSV text with a header of :data:`CSV_COLUMNS` (RFC 4180 quoting, '\\r\\n' line ends)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
    return buf.getvalue()


def to_ndjson(records: Iterable[dict]) -> str:
    """``records`` as newline-delimited JSON, one object a line."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
