"""Building the report, once, from a Doc that sayso's components have annotated.

The components leave plain data on the Doc (:mod:`sayso.extensions`); here it becomes the typed models of
:mod:`sayso.schema`. A Doc restored with ``Doc.from_bytes`` or from a ``DocBin`` gives the same report."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc

from . import __version__
from .extensions import get_article, get_attributions, get_places, get_quantities, get_sources, get_times
from .schema import Article, Attribution, Report


def _inside(start: int, end: int, outer_start: int, outer_end: int) -> bool:
    return outer_start <= start and end <= outer_end


def _ids_inside(items, start: int, end: int, starts: list[int]) -> list[str]:
    """Ids of ``items`` (sorted by start, ``starts`` their starts) lying within ``start``..``end``."""
    lo, hi = bisect_left(starts, start), bisect_right(starts, end)
    return [it.id for it in items[lo:hi] if _inside(it.start, it.end, start, end)]


def link_items(attributions: list[Attribution], times, quantities, places) -> None:
    """Attach to each attribution the ids of the times, quantities and places inside its content (in text
    order; each content looks only at the items that start inside it)."""
    kinds = []
    for items in (times, quantities, [p for p in places if p.caption is None]):
        items = sorted(items, key=lambda it: it.start)
        kinds.append((items, [it.start for it in items]))
    (t_items, t_starts), (q_items, q_starts), (p_items, p_starts) = kinds
    for att in attributions:
        c = att.content
        att.times = _ids_inside(t_items, c.start, c.end, t_starts)
        att.quantities = _ids_inside(q_items, c.start, c.end, q_starts)
        att.places = _ids_inside(p_items, c.start, c.end, p_starts)


def build_report(doc: Doc, article: Article | None = None) -> Report:
    """Collect what the components wrote to ``doc`` into one :class:`~sayso.schema.Report`.

    ``article`` defaults to ``doc._.sayso_article`` (or a bare article holding ``doc.text``)."""
    art = article or get_article(doc) or Article(text=doc.text)
    sources = get_sources(doc)
    root = next((s for s in sources if s.is_article_outlet), None)
    if root is not None and art.outlet and root.name != art.outlet:
        # the outlet's name as the article itself writes it ("The Harbour Ledger" for harbourledger.example)
        art = art.model_copy(update={"outlet": root.name})
    times = get_times(doc)
    quantities = get_quantities(doc)
    places = get_places(doc)
    attributions = get_attributions(doc)
    link_items(attributions, times, quantities, places)
    return Report(
        sayso_version=__version__,
        article=art,
        sources=sources,
        attributions=attributions,
        times=times,
        quantities=quantities,
        places=places,
    )
