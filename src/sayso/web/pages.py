"""The HTML pages: home (``/``), the article list (``/articles``), an article (``/articles/{id}``), a source
(``/sources/{id}``), a story (``/stories/{id}``) and search (``/search``), and the form that reads a new article
(``POST /articles``).

Every article string reaches the page either through a Jinja2 template (autoescaped) or through sayso's HTML
renderers (:mod:`sayso.render.html`, :mod:`sayso.render.claims`, :mod:`sayso.render.map`), which escape it;
only their output is marked safe.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

from ..errors import BadInput, InputNotFound
from .api import MAX_ID
from .app import send, state_of

router = APIRouter(include_in_schema=False)
#: Items per page of the article list and of search results.
PAGE = 25
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _page_links(request: Request, offset: int, limit: int, total: int) -> dict[str, str | None]:
    """Links (path and query) to the previous and next pages (None at either end), keeping the other query
    parameters."""

    def at(value: int) -> str:
        return request.url.path + "?" + urlencode({**dict(request.query_params), "offset": value})

    return {
        "prev": at(max(0, offset - limit)) if offset > 0 else None,
        "next": at(offset + limit) if offset + limit < total else None,
    }


@router.get("/static/report.css")
def report_css(request: Request) -> Response:
    """The report page's stylesheet, as ``sayso read --format html`` inlines it."""
    from ..render.html import CSS

    return send(request, CSS.encode("utf-8"), "text/css; charset=utf-8")


@router.get("/")
def home(request: Request) -> Response:
    from ..ledgers import count_stories, stories
    from .data import list_articles

    store = state_of(request).store()
    articles, total = list_articles(store, limit=15, offset=0)
    return state_of(request).render(
        request,
        "home.html",
        articles=articles,
        total=total,
        stories=stories(store, limit=10),
        story_total=count_stories(store),
    )


@router.get("/articles")
def article_list(
    request: Request,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    outlet: Annotated[str | None, Query(max_length=1000)] = None,
) -> Response:
    from .data import list_articles

    articles, total = list_articles(state_of(request).store(), limit=PAGE, offset=offset, outlet=outlet or None)
    return state_of(request).render(
        request,
        "articles.html",
        articles=articles,
        total=total,
        offset=offset,
        outlet=outlet,
        pages=_page_links(request, offset, PAGE, total),
    )


@router.post("/articles")
def read_form(
    request: Request,
    token: Annotated[str, Form(max_length=1000)] = "",
    url: Annotated[str, Form(max_length=4096)] = "",
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    outlet: Annotated[str, Form(max_length=1000)] = "",
    published: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    from .ingest import read_article

    state = state_of(request)
    state.check_token(token or None)
    result, _story = read_article(
        state, url=url or None, text=text or None, title=title, outlet=outlet, published=published or None
    )
    return RedirectResponse(f"/articles/{result.article_id}", status_code=303)


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    from ..render import Index, chain_tree, source_details
    from ..render.html import header_html, highlight, map_html, node_html, tables_html
    from .data import article_item, article_links

    state = state_of(request)
    store = state.store()
    try:
        report = store.report(article_id)
    except KeyError:
        raise InputNotFound(f"no article {article_id}") from None
    index = Index.of(report)
    figure, pin_of = map_html(report)
    links = article_links(store, article_id)
    claims_by: dict[str, int] = {}
    for att in report.attributions:
        if att.source:
            claims_by[att.source] = claims_by.get(att.source, 0) + 1
    sources = [
        {
            "row": links["sources"].get(s.id),
            "name": s.name,
            "anonymous": s.anonymous,
            "outlet": s.is_article_outlet,
            "details": "; ".join(source_details(s)),
            "claims": claims_by.get(s.id, 0),
        }
        for s in report.sources
    ]
    return state.render(
        request,
        "article.html",
        item=article_item(store, article_id),
        report=report,
        header_html=Markup(header_html(report)),
        text_html=Markup(highlight(report, index, pin_of)),
        chains_html=Markup(node_html(chain_tree(report), index, report)),
        tables_html=Markup(tables_html(report, index)),
        map_html=Markup(figure),
        sources=sources,
        original=links["original"],
        copies=links["copies"],
    )


@router.get("/sources/{source_id}")
def source_page(request: Request, source_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    from .data import source_page as query

    return state_of(request).render(request, "source.html", source=query(state_of(request).store(), source_id))


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    from ..ledgers import story_info
    from ..render.claims import STANCE_COLOURS, provenance_svg, timeline_svg
    from ..render.map import map_svg
    from .data import story_members, story_places_report

    state = state_of(request)
    store = state.store()
    info = story_info(store, story_id)
    ledger = state.ledger(story_id)
    places, article_of = story_places_report(store, story_id)
    story_map = map_svg(places, lambda p: f"/articles/{article_of[p.id]}#place-{p.id.split('-', 1)[1]}")
    claims = [
        {
            "claim": c,
            "graph": Markup(provenance_svg(c)),
            "timeline": Markup(timeline_svg(c)),
        }
        for c in ledger
    ]
    return state.render(
        request,
        "story.html",
        info=info,
        members=story_members(store, story_id),
        claims=claims,
        stances=list(STANCE_COLOURS),
        map_svg=Markup(story_map),
        place_names=sorted({p.name for p in places.places}),
    )


def _snippet_html(text: str, highlights: list[tuple[int, int]]) -> Markup:
    """A search snippet with its matches in ``<mark>``, every piece escaped."""
    out, pos = [], 0
    for start, end in highlights:
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


@router.get("/search")
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=1000)] = "",
    outlet: Annotated[str, Query(max_length=1000)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    anonymous: Annotated[str, Query(max_length=10)] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Response:
    from ..search import search
    from .data import outlets

    for name, value in (("from", date_from), ("to", date_to)):
        if value and not _DATE.match(value):
            raise BadInput(f"'{name}' must be a date as YYYY-MM-DD")
    store = state_of(request).store()
    found = None
    hits = []
    if q.strip():
        found = search(
            store.connection,
            q,
            outlet=outlet or None,
            date_from=date_from or None,
            date_to=date_to or None,
            anonymous=anonymous not in ("", "0", "false", "off"),
            limit=PAGE,
            offset=offset,
        )
        hits = [{"hit": h, "snippet": _snippet_html(h.snippet, h.highlights)} for h in found.hits]
    return state_of(request).render(
        request,
        "search.html",
        q=q,
        outlet=outlet,
        date_from=date_from,
        date_to=date_to,
        anonymous=anonymous not in ("", "0", "false", "off"),
        outlets=outlets(store),
        found=found,
        hits=hits,
        offset=offset,
        pages=_page_links(request, offset, PAGE, found.total) if found else {"prev": None, "next": None},
    )
