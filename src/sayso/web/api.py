"""The JSON API: ``/api/articles``, ``/api/articles/{id}``, ``/api/sources/{id}``, ``/api/stories``,
``/api/stories/{id}``, ``/api/stories/{id}/claims``, ``/api/search``, ``/api/export`` and ``POST /api/articles``.

``/api/articles/{id}`` answers the report exactly as ``sayso read --format json`` prints it (the same bytes),
``/api/stories/{id}/claims`` the ledger as ``sayso claims --story ID --format json`` does.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..schema import Report
from .app import send, send_json, state_of
from .models import (
    DATE_PATTERN,
    ArticleItem,
    ArticleList,
    ErrorOut,
    IngestIn,
    IngestOut,
    SearchOut,
    SourceOut,
    StoryItem,
    StoryLedgerOut,
    StoryList,
    StoryOut,
)

#: The largest id SQLite stores (64-bit signed integers).
MAX_ID = 2**63 - 1
ERRORS = {
    400: {"model": ErrorOut, "description": "Bad request"},
    404: {"model": ErrorOut, "description": "Not found"},
    422: {"model": ErrorOut, "description": "Invalid parameters"},
}
router = APIRouter(prefix="/api", responses={422: ERRORS[422]})
bearer = HTTPBearer(auto_error=False, description="The token `sayso serve --token` was started with.")

ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="An article id.")]
Limit = Annotated[int, Query(ge=1, le=200, description="How many items at most.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip.")]


@router.get("/articles", response_model=ArticleList, summary="Articles, newest first")
def list_articles(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    outlet: Annotated[str | None, Query(max_length=1000, description="Only this outlet's articles.")] = None,
) -> Response:
    from .data import list_articles as query

    items, total = query(state_of(request).store(), limit=limit, offset=offset, outlet=outlet)
    return send_json(request, ArticleList(items=items, total=total, limit=limit, offset=offset))


@router.get(
    "/articles/{article_id}",
    response_model=Report,
    responses={404: ERRORS[404]},
    summary="An article's report, as `sayso read --format json` prints it",
)
def get_article(request: Request, article_id: ArticleId) -> Response:
    from ..errors import InputNotFound
    from ..render.jsonout import render_json

    try:
        report = state_of(request).store().report(article_id)
    except KeyError:
        raise InputNotFound(f"no article {article_id}") from None
    return send(request, render_json(report).encode("utf-8"), "application/json")


@router.post(
    "/articles",
    response_model=IngestOut,
    status_code=201,
    responses={
        200: {"model": IngestOut, "description": "Stored before: unchanged, or its extraction replaced"},
        400: ERRORS[400],
        401: {"model": ErrorOut, "description": "No token given"},
        403: {"model": ErrorOut, "description": "Wrong token, or the server is read-only"},
        413: {"model": ErrorOut, "description": "Body too large"},
        502: {"model": ErrorOut, "description": "The URL could not be fetched"},
    },
    summary="Read an article (a URL or its text), store it and link it into its story",
)
def post_article(
    request: Request,
    body: IngestIn,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Response:
    from .ingest import read_article

    state = state_of(request)
    state.check_token(credentials.credentials if credentials else None)
    result, story_id = read_article(
        state, url=body.url, text=body.text, title=body.title, outlet=body.outlet, published=body.published
    )
    out = IngestOut(
        id=result.article_id, status=result.status, story_id=story_id, url=f"/api/articles/{result.article_id}"
    )
    return send_json(request, out, status=201 if result.status == "stored" else 200)


@router.get("/sources/{source_id}", response_model=SourceOut, responses={404: ERRORS[404]}, summary="A source")
def get_source(
    request: Request,
    source_id: Annotated[int, Path(ge=1, le=MAX_ID, description="A source id (of one article's source).")],
    limit: Annotated[int, Query(ge=1, le=500, description="How many of its claims at most.")] = 100,
) -> Response:
    from .data import source_page

    return send_json(request, SourceOut(**source_page(state_of(request).store(), source_id, limit)))


@router.get("/stories", response_model=StoryList, summary="Stories, largest first")
def list_stories(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    min_size: Annotated[int, Query(ge=1, le=MAX_ID, description="Only stories with this many articles.")] = 1,
) -> Response:
    from ..ledgers import count_stories, stories

    store = state_of(request).store()
    items = [StoryItem(**_story_item(s)) for s in stories(store, limit=limit, offset=offset, min_size=min_size)]
    total = count_stories(store, min_size)
    return send_json(request, StoryList(items=items, total=total, limit=limit, offset=offset))


def _story_item(s) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "published": s.first,
        "last": s.last,
        "articles": s.articles,
        "originals": s.originals,
        "copies": s.copies,
        "outlets": s.outlets,
    }


@router.get("/stories/{story_id}", response_model=StoryOut, responses={404: ERRORS[404]}, summary="A story")
def get_story(request: Request, story_id: Annotated[int, Path(ge=1, le=MAX_ID, description="A story id.")]) -> Response:
    from ..ledgers import story_info
    from .data import story_members

    store = state_of(request).store()
    info = story_info(store, story_id)
    return send_json(request, StoryOut(**_story_item(info), members=story_members(store, story_id)))


@router.get(
    "/stories/{story_id}/claims",
    response_model=list[StoryLedgerOut],
    responses={404: ERRORS[404]},
    summary="A story's claim ledger, as `sayso claims --story ID --format json` prints it",
)
def story_claims(
    request: Request, story_id: Annotated[int, Path(ge=1, le=MAX_ID, description="A story id.")]
) -> Response:
    from ..ledgers import story_info

    state = state_of(request)
    info = story_info(state.store(), story_id)
    data = [{"story": info.id, "title": info.title, "claims": [c.as_dict() for c in state.ledger(story_id)]}]
    return send_json(request, data, indent=2)


@router.get("/search", response_model=SearchOut, summary='Search articles, claims and sources (words or "a phrase")')
def api_search(
    request: Request,
    q: Annotated[str, Query(max_length=1000, description='Words (all must occur) or "quoted phrases".')],
    outlet: Annotated[str | None, Query(max_length=1000, description="Only this outlet's articles.")] = None,
    date_from: Annotated[
        str | None, Query(alias="from", pattern=DATE_PATTERN, description="Published on or after (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", pattern=DATE_PATTERN, description="Published on or before (YYYY-MM-DD).")
    ] = None,
    anonymous: Annotated[bool, Query(description="Only articles citing an anonymous source.")] = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    from ..search import search

    found = search(
        state_of(request).store().connection,
        q,
        outlet=outlet,
        date_from=date_from,
        date_to=date_to,
        anonymous=anonymous,
        limit=limit,
        offset=offset,
    )
    out = SearchOut(
        query=q,
        terms=found.terms,
        total=found.total,
        limit=limit,
        offset=offset,
        hits=[h.as_dict() for h in found.hits],
    )
    return send_json(request, out)


@router.get(
    "/export",
    responses={
        200: {
            "description": "The export: CSV, NDJSON, GraphML, a zip of brat files, or ClaimReview JSON-LD.",
            "content": {
                "text/csv": {},
                "application/x-ndjson": {},
                "application/graphml+xml": {},
                "application/zip": {},
                "application/ld+json": {},
            },
        },
        404: ERRORS[404],
    },
    summary="Export attributions (csv, ndjson), provenance (graphml), brat files or ClaimReview drafts",
)
def api_export(
    request: Request,
    fmt: Annotated[Literal["csv", "ndjson", "graphml", "brat", "claimreview"], Query(alias="format")],
    story: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this story.")] = None,
) -> Response:
    from ..export import MEDIA_TYPES, SUFFIXES, export, zip_files

    result = export(state_of(request).store(), fmt, story)
    body = zip_files(result.files) if fmt == "brat" else result.text.encode("utf-8")
    name = f"sayso{'-story-' + str(story) if story is not None else ''}{SUFFIXES[fmt]}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return send(request, body, MEDIA_TYPES[fmt], headers=headers)


__all__ = ["router", "ArticleItem"]
