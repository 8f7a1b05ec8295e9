"""The one schema of sayso: typed models from which the JSON output, the JSON Schema file
(``schema/report.schema.json``), the SQL tables and the API derive.

Every extracted item carries character offsets into ``Article.text`` (``start`` inclusive, ``end``
exclusive) so a reader can check it against the text: ``article.text[start:end] == text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

#: ``document``: a text that speaks ("the report found", "the study says") when no author is named.
SourceType = Literal["person", "organization", "government", "outlet", "anonymous", "unknown", "document"]
#: Claims: ``direct``, ``indirect``, ``mixed``, ``according_to``, ``hedged``. Not claims (kept for research use;
#: the ledger and the journalist's views leave them out, :mod:`sayso.reader.scope`): ``belief``, a mental state
#: or plan ("hopes that", "plans to"); ``topic``, a speech act that names a matter but states nothing ("declined
#: to say when", "claimed victory"); ``act``, an act or event with no speech or belief word ("offered a deal").
AttributionKind = Literal["direct", "indirect", "mixed", "according_to", "hedged", "belief", "topic", "act"]
#: The kinds that state a claim.
CLAIM_KINDS = frozenset({"direct", "indirect", "mixed", "according_to", "hedged"})
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Model):
    """A stretch of the article text: ``article.text[start:end] == text``."""

    start: int = Field(description="Character offset of the first character (inclusive).")
    end: int = Field(description="Character offset after the last character (exclusive).")
    text: str = Field(description="The text of the span, exactly as in the article.")


class Caption(Model):
    """A photo caption with its credit, kept apart from the body text."""

    text: str
    credit: str | None = None


class Article(Model):
    """The article as read: metadata plus the body text that every offset points into."""

    title: str | None = None
    outlet: str | None = Field(None, description="Publishing outlet, e.g. 'The Moscow Times'.")
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD, or null.")
    url: str | None = None
    text: str = Field(description="The body text; all offsets in the report point into it.")
    authors: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Update and correction notes.")
    captions: list[Caption] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list, description="Related-article titles.")
    language: str | None = None
    input: str | None = Field(None, description="Where the article came from: a path, URL or '-'.")


class Source(Model):
    """Who says something: a person, organisation, government, outlet or anonymous source,
    merged over all its mentions in the article."""

    id: str
    name: str = Field(description="Canonical name, or the descriptor for an anonymous source.")
    type: SourceType
    anonymous: bool = False
    descriptor: str | None = Field(None, description="How the text describes it ('source close to ...').")
    affiliation: str | None = Field(None, description="Organisation it belongs to or is close to.")
    role: str | None = Field(None, description="Role or title ('political scientist', 'President').")
    reason: str | None = Field(None, description="Stated reason for anonymity.")
    closeness: str | None = Field(None, description="'close to', 'familiar with', ... for anonymous sources.")
    number: str | None = Field(
        None, description="How many: '1', '2', ... or 'several' for an unnumbered plural ('sources')."
    )
    is_article_outlet: bool = Field(False, description="True for the outlet that published the article.")
    mentions: list[Span] = Field(default_factory=list)


class Attribution(Model):
    """One act of attribution: SOURCE (via CUE) says CONTENT."""

    id: str
    source: str | None = Field(description="Source id, or null for sourceless/hedged attributions.")
    source_span: Span | None = Field(None, description="The mention of the source in this attribution.")
    cue: Span | None
    content: Span = Field(description="What is attributed; for split content, from the first part to the last.")
    content_parts: list[Span] = Field(
        default_factory=list,
        description="The pieces of a content interrupted by its cue ('“A,” he said, “B.”'); empty when whole.",
    )
    kind: AttributionKind
    via: list[str] = Field(
        default_factory=list,
        description="Relay source ids between the article's outlet and the source, outermost first.",
    )
    to: str | None = Field(None, description="Recipient source id ('told The Moscow Times').")
    hops: int = Field(1, description="Number of reporting hops from the article to the source.")
    chain: list[str] = Field(
        default_factory=list, description="Full chain of source ids: article outlet, relays..., source."
    )
    nested_in: str | None = Field(
        None, description="Id of the attribution this one is reported inside ('citing sources ...')."
    )
    origins: list[str] = Field(default_factory=list, description="Source ids cited as this claim's origin.")
    hedges: list[str] = Field(default_factory=list, description="Hedge or modality words in cue/content.")
    times: list[str] = Field(default_factory=list, description="Ids of times inside the content.")
    quantities: list[str] = Field(default_factory=list, description="Ids of quantities inside the content.")
    places: list[str] = Field(default_factory=list, description="Ids of places inside the content.")


class TimeExpression(Model):
    id: str
    start: int
    end: int
    text: str
    value: str | None = Field(description="TIMEX3 value: '2024-03-22', '2022-09', 'P1M', ...")
    type: TimeType = "DATE"
    end_value: str | None = Field(None, description="For ranges: the value of the range's end.")
    anchor: str | None = Field(None, description="The reference time the value was resolved against.")


class Quantity(Model):
    id: str
    start: int
    end: int
    text: str
    value: float
    unit: str | None = Field(description="Unit or counted object: 'soldiers', 'percent', 'USD'.")
    qualifier: str | None = Field(None, description="'lower_bound', 'upper_bound', 'approximate', ...")
    upper: float | None = Field(None, description="Upper value of a range.")
    kind: str | None = Field(None, description="'count', 'percent', 'money', 'measure'.")


class Place(Model):
    id: str
    start: int
    end: int
    text: str
    name: str
    country: str | None = Field(description="ISO 3166-1 alpha-2 code.")
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    feature: str | None = Field(None, description="'country', 'admin1', 'city', ...")
    metonymy: bool = Field(False, description="True when the name stands for a government acting.")
    caption: int | None = Field(
        None,
        description="Index into article.captions when the place is named in a photo caption; start/end then "
        "point into that caption's text instead of article.text.",
    )


class Report(Model):
    """Everything sayso extracted from one article."""

    schema_version: str = SCHEMA_VERSION
    sayso_version: str | None = None
    article: Article
    sources: list[Source] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def json_schema() -> dict:
    """The JSON Schema of a report, as checked into ``schema/report.schema.json``."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sayso report"
    return schema
