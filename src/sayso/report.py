"""Building the report, once, from a Doc that sayso's components have annotated."""

from __future__ import annotations

from spacy.tokens import Doc

from . import __version__
from .schema import Article, Attribution, Report


def _inside(start: int, end: int, outer_start: int, outer_end: int) -> bool:
    return outer_start <= start and end <= outer_end


def link_items(attributions: list[Attribution], times, quantities, places) -> None:
    """Attach to each attribution the ids of the times, quantities and places inside its content."""
    for att in attributions:
        c = att.content
        att.times = [t.id for t in times if _inside(t.start, t.end, c.start, c.end)]
        att.quantities = [q.id for q in quantities if _inside(q.start, q.end, c.start, c.end)]
        att.places = [p.id for p in places if p.caption is None and _inside(p.start, p.end, c.start, c.end)]


def build_report(doc: Doc, article: Article | None = None) -> Report:
    """Collect what the components wrote to ``doc`` into one :class:`~sayso.schema.Report`.

    ``article`` defaults to ``doc._.sayso_article`` (or a bare article holding ``doc.text``)."""
    art = article or doc._.sayso_article or Article(text=doc.text)
    sources = list(doc._.sayso_sources or [])
    root = next((s for s in sources if s.is_article_outlet), None)
    if root is not None and art.outlet and root.name != art.outlet:
        # the outlet's name as the article itself writes it ("The Harbour Ledger" for harbourledger.example)
        art = art.model_copy(update={"outlet": root.name})
    times = list(doc._.sayso_times or [])
    quantities = list(doc._.sayso_quantities or [])
    places = list(doc._.sayso_places or [])
    attributions = [a.model_copy(deep=True) for a in (doc._.sayso_attributions or [])]
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
