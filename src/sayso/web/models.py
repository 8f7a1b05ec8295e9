"""The JSON shapes of the API, as pydantic models: they make ``/openapi.json`` and check what the API returns.

The report (``/api/articles/{id}``) is :class:`sayso.schema.Report` itself, and a story's ledger
(``/api/stories/{id}/claims``) mirrors :meth:`sayso.claims.Claim.as_dict`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: A date as the store keeps it.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Out):
    """What every failed request returns."""

    status: int = Field(description="The HTTP status code.")
    message: str = Field(description="What went wrong, in one line.")


class ArticleItem(Out):
    """An article in a list."""

    id: int
    title: str | None
    outlet: str | None
    published: str | None = Field(description="YYYY-MM-DD, or null.")
    url: str | None
    story_id: int | None = Field(description="The story it is linked into (null while not linked).")


class ArticleList(Out):
    """A page of articles, newest first."""

    items: list[ArticleItem]
    total: int
    limit: int
    offset: int


class StoryItem(Out):
    """A story in a list: ``title``, ``outlet`` and ``published`` of its earliest original."""

    id: int
    title: str | None
    outlet: str | None
    published: str | None = Field(description="First publication date of its articles.")
    last: str | None = Field(description="Last publication date of its articles.")
    articles: int
    originals: int
    copies: int
    outlets: list[str]


class StoryMember(ArticleItem):
    """An article of a story; ``original_id``: the article it copies (null for an original)."""

    original_id: int | None


class StoryOut(StoryItem):
    """A story with its articles, by date."""

    members: list[StoryMember]


class StoryList(Out):
    """A page of stories, largest first."""

    items: list[StoryItem]
    total: int
    limit: int
    offset: int


class SourceAttribution(Out):
    """One claim made by the source, in one article."""

    article: ArticleItem
    source_id: int = Field(description="The source's id in that article (for /api/sources/{id}).")
    attribution: str = Field(description="The attribution's id in the article's report.")
    kind: str
    cue: str | None
    content: str
    chain: list[str] = Field(description="Source names from the article's outlet to the speaker.")
    copy_of: int | None = Field(description="The article this one copies (null for an original).")


class OutletUse(Out):
    """How often an outlet cites an anonymous source with this description."""

    outlet: str | None
    sources: int
    articles: int
    attributions: int


class SourceOut(Out):
    """A source of one article, with every claim made under its name (or, for an anonymous source, its
    description) across the archive."""

    id: int
    name: str
    type: str
    anonymous: bool
    descriptor: str | None
    affiliation: str | None
    role: str | None
    reason: str | None
    closeness: str | None
    number: str | None
    article: ArticleItem = Field(description="The article this source record belongs to.")
    total: int = Field(description="How many claims are made under this name across the archive.")
    attributions: list[SourceAttribution] = Field(description="The first of them, newest article first.")
    outlets: list[OutletUse] = Field(description="For an anonymous source: the outlets using its description.")


class SearchHitOut(Out):
    """One article found, with a snippet; ``highlights`` are [start, end) offsets of the matches in it."""

    article_id: int
    title: str | None
    outlet: str | None
    published: str | None
    story_id: int | None
    field: Literal["title", "text", "claim", "source"]
    snippet: str
    highlights: list[list[int]]


class SearchOut(Out):
    """The articles matching a query."""

    query: str
    terms: list[str] = Field(description="The words and phrases searched for.")
    total: int
    limit: int
    offset: int
    hits: list[SearchHitOut]


class SpanOut(Out):
    start: int
    end: int


class ClaimReportOut(Out):
    """One report of a claim (see ``sayso claims --format json``)."""

    article_id: int
    article: str
    title: str | None = None
    outlet: str | None
    published: str | None
    attribution: str | None
    content: str
    span: SpanOut
    speaker: str | None
    speaker_type: str | None
    via: list[str]
    stance: Literal["asserts", "denies", "relays", "mentions"]
    speaker_stance: Literal["asserts", "denies"]
    hedged: bool
    confirmation: bool
    origins: list[str]
    copy_of: int | None


class OriginOut(Out):
    key: str
    label: str


class ClaimOut(Out):
    """A claim of the ledger with its provenance."""

    id: str
    statement: str
    first_report: ClaimReportOut
    origins: list[OriginOut]
    independent_origins: int
    confirmations: list[ClaimReportOut]
    denials: list[ClaimReportOut]
    hedged_relays: list[ClaimReportOut]
    timeline: list[ClaimReportOut]


class StoryLedgerOut(Out):
    """A story's claim ledger, as ``sayso claims --format json`` prints it."""

    story: int
    title: str | None
    claims: list[ClaimOut]


class IngestIn(Out):
    """An article to read and store: a ``url`` to fetch, or its ``text`` (plain text or Markdown), with
    optional metadata that overrides what is read."""

    url: str | None = Field(None, max_length=4096, description="An http(s) URL to fetch.")
    text: str | None = Field(None, description="The article as plain text or Markdown.")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY-MM-DD")


class IngestOut(Out):
    """What an ingest did."""

    id: int = Field(description="The article's id.")
    status: Literal["stored", "replaced", "unchanged"]
    story_id: int | None
    url: str = Field(description="Where its report is: /api/articles/{id}.")
