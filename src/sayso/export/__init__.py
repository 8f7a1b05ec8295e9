"""Exports of the store for the tools others use: CSV and NDJSON of attributions (spreadsheets, pandas, jq),
GraphML of a story's provenance graph (Gephi, networkx), brat standoff ``.txt`` + ``.ann`` per article (brat,
Label Studio's brat import, sayso's own :mod:`sayso.evaluation.brat`) and schema.org ClaimReview JSON-LD drafts,
one per ledger claim (the rating is left to the fact-checker).

Every export is built by :func:`export` from an open :class:`~sayso.store.Store`; ``story`` restricts it to one
story (GraphML and ClaimReview without one: every story of two or more articles).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The export formats, as ``sayso export --format`` and ``/api/export?format=`` name them.
FORMATS = ("csv", "ndjson", "graphml", "brat", "claimreview")
#: Media types of the exports (brat is a zip of files over HTTP, a folder on the command line).
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "graphml": "application/graphml+xml",
    "brat": "application/zip",
    "claimreview": "application/ld+json",
}
#: File name suffixes of the exports.
SUFFIXES = {"csv": ".csv", "ndjson": ".ndjson", "graphml": ".graphml", "brat": ".zip", "claimreview": ".jsonld"}


@dataclass(frozen=True)
class Export:
    """An export: ``text`` for the one-file formats, or ``files`` (name -> text) for brat."""

    fmt: str
    text: str = ""
    files: dict[str, str] = field(default_factory=dict)


def article_ids(store, story: int | None = None) -> list[int]:
    """Ids of the articles to export: every stored article, or those of story ``story``, in id order. Raises
    InputNotFound for an unknown story."""
    from ..errors import InputNotFound

    if story is None:
        return [r[0] for r in store.connection.execute("SELECT id FROM articles ORDER BY id")]
    ids = [
        r[0]
        for r in store.connection.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (story,)
        )
    ]
    if not ids:
        raise InputNotFound(f"no story {story}")
    return ids


def story_ids(store, story: int | None = None, min_size: int = 2) -> list[int]:
    """``[story]`` when given (InputNotFound when unknown), else every story of at least ``min_size`` articles,
    largest first."""
    from ..ledgers import stories, story_info

    if story is not None:
        return [story_info(store, story).id]
    return [s.id for s in stories(store, min_size=min_size)]


def export(store, fmt: str, story: int | None = None) -> Export:
    """The export of ``store`` in ``fmt`` (one of :data:`FORMATS`), of story ``story`` or of everything.

    Raises ValueError for an unknown format and InputNotFound for an unknown story."""
    if fmt == "csv":
        from .rows import attribution_rows, to_csv

        return Export(fmt, text=to_csv(attribution_rows(store, article_ids(store, story))))
    if fmt == "ndjson":
        from .rows import attribution_records, to_ndjson

        return Export(fmt, text=to_ndjson(attribution_records(store, article_ids(store, story))))
    if fmt == "graphml":
        from .graphml import provenance_graphml

        return Export(fmt, text=provenance_graphml(store, story_ids(store, story)))
    if fmt == "brat":
        from .brat import brat_files

        return Export(fmt, files=brat_files(store, article_ids(store, story)))
    if fmt == "claimreview":
        import json

        from .claimreview import claim_reviews

        drafts = claim_reviews(store, story_ids(store, story))
        return Export(fmt, text=json.dumps(drafts, ensure_ascii=False, indent=2) + "\n")
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def zip_files(files: dict[str, str]) -> bytes:
    """``files`` (name -> UTF-8 text) as the bytes of a zip archive, in name order."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name].encode("utf-8"))
    return buf.getvalue()
