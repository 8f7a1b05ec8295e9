"""schema.org ClaimReview drafts, one per claim of a story's ledger, for a fact-checker to complete.

Each draft names the claim (``claimReviewed``) and the ``Claim`` it reviews: its ``author`` (the speaker of the
first report), ``firstAppearance`` (the first article that carried it) and ``appearance`` (every article that
reports it, by date: asserting, relaying or denying it). No ``reviewRating``, ``author`` or ``datePublished``
of the review: those are the fact-checker's to give, and nothing is invented for them.
"""

from __future__ import annotations

from ..claims import Claim, ClaimReport

CONTEXT = "https://schema.org"
_ORGANIZATION_TYPES = {"organization", "government", "outlet"}


def _author(report: ClaimReport) -> dict | None:
    if not report.speaker:
        return None
    kind = "Organization" if report.speaker_type in _ORGANIZATION_TYPES else "Person"
    return {"@type": kind, "name": report.speaker}


def _appearance(report: ClaimReport, urls: dict[int, tuple[str | None, str | None]]) -> dict:
    url, title = urls.get(report.article_id, (None, None))
    out: dict = {"@type": "NewsArticle"}
    if url:
        out["url"] = url
    if title:
        out["headline"] = title
    if report.published:
        out["datePublished"] = report.published
    if report.outlet:
        out["publisher"] = {"@type": "Organization", "name": report.outlet}
    return out


def claim_review(claim: Claim, story_id: int, urls: dict[int, tuple[str | None, str | None]]) -> dict:
    """The ClaimReview draft of ``claim`` (of story ``story_id``); ``urls``: article id -> (url, title)."""
    first = claim.first_report
    item: dict = {"@type": "Claim"}
    author = _author(first)
    if author:
        item["author"] = author
    if first.published:
        item["datePublished"] = first.published
    item["firstAppearance"] = _appearance(first, urls)
    seen: set[int] = set()
    appearances = []
    for r in claim.timeline:
        if r.article_id not in seen:
            seen.add(r.article_id)
            appearances.append(_appearance(r, urls))
    item["appearance"] = appearances
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": f"sayso:story-{story_id}:{claim.id}",
        "claimReviewed": claim.statement,
        "itemReviewed": item,
    }


def claim_reviews(store, story_ids: list[int]) -> list[dict]:
    """ClaimReview drafts of every ledger claim of the stories ``story_ids`` in ``store``, story by story."""
    from ..ledgers import story_ledger

    urls = {r[0]: (r[1], r[2]) for r in store.connection.execute("SELECT id, url, title FROM articles")}
    return [claim_review(c, sid, urls) for sid in story_ids for c in story_ledger(store, sid)]
