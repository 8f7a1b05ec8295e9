"""An invented wire-style report (tests/fixtures/articles/harbour-sale.txt) read end to end: a relay outlet
citing a group of anonymous people, a member of the group quoted, a spokeswoman's statement, a source
talking to the article's own outlet, a hedged claim, and names that must not become places."""

from __future__ import annotations

from pathlib import Path

import pytest

from sayso import analyse
from sayso.loading import load
from sayso.pipeline import load_pipeline

ARTICLE = Path(__file__).parent / "fixtures" / "articles" / "harbour-sale.txt"


@pytest.fixture(scope="module")
def report():
    return analyse(load(str(ARTICLE)), nlp=load_pipeline())


def att(report, fragment):
    return next(a for a in report.attributions if fragment in a.content.text and a.nested_in is None)


def src(report, sid):
    return next(s for s in report.sources if s.id == sid)


def test_outlet_name_comes_from_the_text_not_the_domain(report):
    assert report.article.outlet == "Harbour Ledger"
    root = next(s for s in report.sources if s.is_article_outlet)
    assert root.name == "Harbour Ledger"
    assert not [s for s in report.sources if s.name == "Harbour Ledger" and not s.is_article_outlet]


def test_relay_cites_a_group_and_a_member_is_quoted(report):
    claim = att(report, "preparing to sell the Port Aldern harbour")
    kestrel = src(report, claim.source)
    assert kestrel.name == "Kestrel Daily" and kestrel.type == "outlet"
    nested = next(a for a in report.attributions if a.nested_in == claim.id)
    group = src(report, nested.source)
    assert group.anonymous and group.number == "2" and group.closeness == "familiar with"
    quote = att(report, "The deal is done in all but name")
    assert quote.source == group.id and quote.via == [kestrel.id]
    assert [p.text for p in quote.content_parts] == [
        "The deal is done in all but name",
        "Only the signature is missing.",
    ]


def test_spokeswoman_statement_and_according_to(report):
    holm = att(report, "no decision has been taken")
    s = src(report, holm.source)
    assert s.name == "Katrin Holm" and s.role == "ministry spokeswoman"
    acc = att(report, "would also take over 1,200 harbour workers")
    assert acc.kind == "according_to" and src(report, acc.source).name == "Kestrel Daily"
    assert acc.content.text.startswith("the fund, Greywater Capital")


def test_sources_talking_to_the_article_outlet(report):
    root = next(s for s in report.sources if s.is_article_outlet)
    brisk = att(report, "workers had not been consulted")
    newspaper = att(report, "We read about our own future")
    assert brisk.source == newspaper.source and brisk.to == newspaper.to == root.id
    official = att(report, "could be announced as early as next week")
    s = src(report, official.source)
    assert s.anonymous and s.reason == "the talks are confidential" and official.to == root.id
    # "who asked not to be named" describes the source: no attribution of its own
    assert not any(a.cue and a.cue.text == "asked" for a in report.attributions)


def test_hedged_claim_and_times(report):
    fees = att(report, "double the harbour fees")
    assert fees.kind == "hedged" and fees.source is None
    values = {t.text: t.value for t in report.times}
    assert values["Thursday"] == "2025-06-12" and values["Friday"] == "2025-06-13"


def test_invented_names_are_not_places(report):
    assert not [p for p in report.places if p.caption is None]
