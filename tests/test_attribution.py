"""Attribution, sources and reporting chains on sentences written for these tests (invented people,
outlets and places)."""

from __future__ import annotations

import pytest

from sayso import analyse
from sayso.extensions import get_attributions
from sayso.pipeline import load_pipeline
from sayso.quotes import find_quotes
from sayso.schema import Article, Report

OUTLET = "The Harbour Ledger"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def run(nlp, text: str, outlet: str | None = OUTLET) -> Report:
    return analyse(Article(text=text, outlet=outlet, published="2025-06-13"), nlp=nlp)


def by_content(report: Report, fragment: str):
    found = [a for a in report.attributions if fragment in a.content.text and a.nested_in is None]
    assert found, f"no attribution with content containing {fragment!r}: " + repr(
        [a.content.text for a in report.attributions]
    )
    return found[0]


def source(report: Report, sid: str | None):
    return next(s for s in report.sources if s.id == sid)


def check_offsets(report: Report) -> None:
    text = report.article.text
    for a in report.attributions:
        for span in (a.content, a.cue, a.source_span):
            if span is not None:
                assert text[span.start : span.end] == span.text


# ----------------------------------------------------------------------------------------- kinds


def test_indirect_speech_with_that_clause(nlp):
    r = run(nlp, "Mayor Tomas Erdvik said that the Port Aldern bridge would reopen in May.")
    a = by_content(r, "bridge would reopen")
    assert a.kind == "indirect"
    assert a.cue.text == "said"
    s = source(r, a.source)
    assert s.name == "Tomas Erdvik" and s.type == "person" and s.role == "Mayor"
    check_offsets(r)


def test_direct_quote_speaker_after(nlp):
    r = run(nlp, "“The bridge is safe and we will prove it,” Erdvik told reporters on Monday.")
    a = by_content(r, "The bridge is safe")
    assert a.kind == "direct"
    assert a.cue.text == "told"
    assert source(r, a.source).name == "Erdvik"


def test_multi_sentence_quote_gets_whole_quote(nlp):
    r = run(
        nlp,
        "“We waited four years. Nobody listened to the fishermen. Now they will,” the union leader Ana Brisk said.",
    )
    a = by_content(r, "We waited four years")
    assert "Now they will" in a.content.text
    assert source(r, a.source).name == "Ana Brisk"


def test_mixed_quote(nlp):
    r = run(nlp, "Brisk said the council had acted in “complete bad faith” over the harbour fees.")
    a = by_content(r, "bad faith")
    assert a.kind == "mixed"


def test_according_to(nlp):
    r = run(nlp, "According to the Kestrel Daily, the harbour authority lost 4 million crowns last year.")
    a = by_content(r, "harbour authority lost")
    assert a.kind == "according_to"
    assert a.cue.text == "According to"
    assert source(r, a.source).name == "Kestrel Daily"


def test_reportedly_is_hedged_and_sourceless(nlp):
    r = run(nlp, "The minister reportedly plans to resign before the summer.")
    a = by_content(r, "plans to resign")
    assert a.kind == "hedged" and a.source is None
    assert "reportedly" in a.hedges


def test_is_said_to_is_hedged(nlp):
    r = run(nlp, "Governor Iver Lund was said to have secured over 70% of the vote in Norrvik.")
    a = by_content(r, "secured over 70%")
    assert a.kind == "hedged" and a.source is None


# ------------------------------------------------------------------------------ speakers across sentences


def test_colon_lead_in_paragraph(nlp):
    text = (
        "The harbour master, Petra Olund, described the night of the storm:\n\n"
        "“The waves came over the wall twice and the cranes were swinging like toys.”"
    )
    r = run(nlp, text)
    a = by_content(r, "waves came over the wall")
    assert source(r, a.source).name == "Petra Olund"


def test_they_added_resolves_to_anonymous_source(nlp):
    text = (
        "A source close to the harbour authority, who spoke on condition of anonymity because they were not "
        "authorised to speak to the media, told The Harbour Ledger that the fees would double.\n\n"
        "“The board has already voted,” the source said.\n\n"
        "“Nobody will admit it before the election,” they added."
    )
    r = run(nlp, text)
    first = by_content(r, "fees would double")
    voted = by_content(r, "board has already voted")
    added = by_content(r, "Nobody will admit it")
    assert first.source == voted.source == added.source
    s = source(r, first.source)
    assert s.anonymous and s.type == "anonymous"
    assert s.closeness == "close to"
    assert s.affiliation == "harbour authority"
    assert s.number == "1"
    assert s.reason == "they were not authorised to speak to the media"
    assert added.cue.text == "added"


def test_continuation_quote_paragraph(nlp):
    text = (
        "“We will appeal,” said Olof Brenner, the lawyer for the fishermen.\n\n"
        "“This ruling ignores every document we filed with the court in March.”"
    )
    r = run(nlp, text)
    a = by_content(r, "This ruling ignores")
    assert source(r, a.source).name == "Olof Brenner"


def test_named_person_role_and_surname_merge(nlp):
    text = (
        "Economist Marta Veskova said the port would lose half its trade.\n\n"
        "Veskova added that smaller harbours would suffer first."
    )
    r = run(nlp, text)
    a1 = by_content(r, "lose half its trade")
    a2 = by_content(r, "smaller harbours")
    assert a1.source == a2.source
    s = source(r, a1.source)
    assert s.name == "Marta Veskova" and s.role == "Economist"


def test_pronoun_he_resolves_to_person(nlp):
    text = "Councillor Henrik Saal opened the meeting. He said the budget was balanced."
    r = run(nlp, text)
    a = by_content(r, "budget was balanced")
    assert source(r, a.source).name == "Henrik Saal"


def test_numbered_anonymous_officials(nlp):
    r = run(nlp, "Two officials in the Norrvik finance ministry said the tender had been cancelled.")
    s = source(r, by_content(r, "tender had been cancelled").source)
    assert s.anonymous and s.number == "2"
    assert "finance ministry" in s.affiliation


def test_plural_sources_are_several(nlp):
    r = run(nlp, "Sources in the Norrvik cabinet said the vote would be delayed.")
    s = source(r, by_content(r, "vote would be delayed").source)
    assert s.anonymous and s.number == "several"


# ------------------------------------------------------------------------------------ chains


def test_relay_outlet_citing_sources(nlp):
    text = (
        "The port will be sold to a private fund, the business weekly Kestrel Daily reported Tuesday, citing "
        "sources in the harbour authority and the city council."
    )
    r = run(nlp, text)
    outer = by_content(r, "port will be sold")
    relay = source(r, outer.source)
    assert relay.name == "Kestrel Daily" and relay.type == "outlet"
    assert outer.via == [] and outer.hops == 1
    nested = [a for a in r.attributions if a.nested_in == outer.id]
    assert len(nested) == 1
    origin = source(r, nested[0].source)
    assert origin.anonymous and origin.number == "several"
    assert nested[0].via == [relay.id] and nested[0].hops == 2
    assert origin.id in outer.origins


def test_quoted_by_the_outlet_puts_quote_under_relay(nlp):
    text = (
        "The fund plans to cut 300 jobs, the business weekly Kestrel Daily reported.\n\n"
        "“Nobody in the harbour will keep their job,” one council source was quoted as saying by the outlet.\n\n"
        "“The decision is final,” the source said."
    )
    r = run(nlp, text)
    relay = next(s for s in r.sources if s.name == "Kestrel Daily")
    q1 = by_content(r, "Nobody in the harbour")
    q2 = by_content(r, "decision is final")
    assert q1.via == [relay.id] and q1.hops == 2
    assert q2.source == q1.source and q2.via == [relay.id]
    assert source(r, q1.source).anonymous


def test_told_the_outlet_and_told_the_article_outlet(nlp):
    text = (
        "The business weekly Kestrel Daily reported that the fund had hired new lawyers.\n\n"
        "“It was a rushed decision,” analyst Jonas Fell told the outlet.\n\n"
        "A harbour official later told The Harbour Ledger that the sale was on hold."
    )
    r = run(nlp, text)
    relay = next(s for s in r.sources if s.name == "Kestrel Daily")
    root = next(s for s in r.sources if s.is_article_outlet)
    fell = by_content(r, "rushed decision")
    assert fell.via == [relay.id] and fell.to == relay.id
    hold = by_content(r, "sale was on hold")
    assert hold.via == [] and hold.to == root.id and hold.hops == 1
    assert hold.chain == [root.id, hold.source]


def test_nested_cues_inside_content_are_not_separate_attributions(nlp):
    r = run(nlp, "Kestrel Daily reported that the minister is planning to sell the port.")
    cues = [a.cue.text for a in r.attributions if a.cue and a.nested_in is None]
    assert cues == ["reported"]


# ------------------------------------------------------------------------------- quote marks


@pytest.mark.parametrize(
    "text",
    [
        "«Nous resterons ici», said the mayor of Port Aldern.",
        "„We stay here“, said the mayor of Port Aldern.",
        '"We stay here and we fight," said the mayor of Port Aldern.',
        "‘We stay here and we fight,’ said the mayor of Port Aldern.",
        "“We stay here, said the mayor of Port Aldern.",
        "We stay here,” said the mayor ” of “ Port Aldern '\" «.",
        "“",
        "”“”“",
    ],
)
def test_any_quote_marks_never_crash(nlp, text):
    r = run(nlp, text)
    check_offsets(r)


def test_find_quotes_pairs_and_skips_apostrophes():
    text = "“We’re ready for ‘plan B’,” she said. He said 'it’s fine and we will see' later."
    qs = find_quotes(text)
    assert text[qs[0].inner_start : qs[0].inner_end] == "We’re ready for ‘plan B’,"
    assert len(qs) == 1  # the single-quoted phrase is inside a paragraph with double quotes


def test_straight_quotes_pair():
    text = 'He said "the harbour is closed" and left.'
    qs = find_quotes(text)
    assert [text[q.inner_start : q.inner_end] for q in qs] == ["the harbour is closed"]


def test_the_official_resolves_to_the_anonymous_official(nlp):
    text = (
        "A senior official in the Norrvik transport ministry said the tender would be repeated.\n\n"
        "Economist Marta Veskova said the delay would cost millions.\n\n"
        "The official added that the ministry had received no valid bids."
    )
    r = run(nlp, text)
    first = by_content(r, "tender would be repeated")
    later = by_content(r, "no valid bids")
    assert later.source == first.source
    assert source(r, first.source).anonymous


def test_told_a_relay_outlet_by_name(nlp):
    text = (
        "Kestrel Daily reported that the harbour fees would double.\n\n"
        "“The board has no choice,” a harbour authority official told Kestrel Daily."
    )
    r = run(nlp, text)
    relay = next(s for s in r.sources if s.name == "Kestrel Daily")
    a = by_content(r, "board has no choice")
    assert a.via == [relay.id] and a.to == relay.id and a.hops == 2
    assert a.chain[0] == next(s.id for s in r.sources if s.is_article_outlet)


def test_noun_cue_with_possessive_source(nlp):
    doc = nlp(
        "The mayor repeated that the harbour was safe. "
        "Councillor Brin Talvo's claim that the fund was empty upset voters."
    )
    atts = get_attributions(doc)
    texts = {a.content.text: a for a in atts}
    assert any(t.startswith("that the fund was empty") for t in texts)


def test_called_for_takes_the_object_of_for(nlp):
    doc = nlp("Senator Ilka Morrow called for an inquiry into the port contracts on Tuesday.")
    att = get_attributions(doc)[0]
    assert att.content.text.startswith("an inquiry into the port contracts")
    assert att.cue.text == "called for"


def test_stranded_conjunct_is_reported_too(nlp):
    doc = nlp('His lawyer, Tomas Vell, said his client was "disappointed" and was considering an appeal.')
    att = get_attributions(doc)[0]
    assert att.content.text.endswith("was considering an appeal")
