"""The canonical demo: every fact the foundation issue lists for the bundled example article, read through
the same path as ``sayso read`` (loading, one parse, report)."""

from __future__ import annotations

from importlib import resources

import pytest

from sayso import analyse
from sayso.loading import load
from sayso.pipeline import load_pipeline


@pytest.fixture(scope="module")
def report():
    path = resources.files("sayso") / "data" / "example.txt"
    return analyse(load(str(path)), nlp=load_pipeline())


def att(report, fragment):
    found = [a for a in report.attributions if fragment in a.content.text and a.nested_in is None]
    assert found, f"no attribution containing {fragment!r}"
    return found[0]


def src(report, sid):
    return next(s for s in report.sources if s.id == sid)


def named(report, name):
    return next(s for s in report.sources if s.name == name)


def test_metadata(report):
    a = report.article
    assert a.title == "Kremlin Planning New Mobilization for Kharkiv Offensive – Vyorstka"
    assert a.published == "2024-03-22"
    assert a.outlet == "The Moscow Times"
    assert a.url.startswith("https://www.themoscowtimes.com/2024/03/22/kremlin-planning-new-mobilization")
    assert a.captions[0].credit == "Ivan Noyabrev / TASS"
    assert "Donetsk region" not in a.text  # the caption is kept apart from the body
    assert a.notes == ["Updated with comments from source close to Russia's Defense Ministry."]


def test_offsets_point_into_the_text(report):
    text = report.article.text
    for a in report.attributions:
        for span in (a.content, a.cue, a.source_span, *a.content_parts):
            if span is not None:
                assert text[span.start : span.end] == span.text
    for item in [*report.times, *report.quantities, *(p for p in report.places if p.caption is None)]:
        assert text[item.start : item.end] == item.text


def test_kremlin_source_quotes_relayed_via_vyorstka(report):
    vyorstka = named(report, "Vyorstka")
    snouts = att(report, "300,000 snouts short")
    next_on_plan = att(report, "Kharkiv is next on the plan")
    assert snouts.source == next_on_plan.source
    s = src(report, snouts.source)
    assert s.anonymous and s.number == "1" and s.affiliation == "Kremlin"
    for a in (snouts, next_on_plan):
        assert a.kind == "direct"
        assert a.via == [vyorstka.id] and a.hops == 2


def test_recruitment_claim_is_vyorstkas_citing_sources(report):
    vyorstka = named(report, "Vyorstka")
    assert vyorstka.type == "outlet"
    claim = att(report, "recruit 300,000 soldiers")
    assert claim.source == vyorstka.id and claim.via == [] and claim.hops == 1
    nested = [a for a in report.attributions if a.nested_in == claim.id]
    assert len(nested) == 1
    origin = src(report, nested[0].source)
    assert origin.anonymous and origin.number == "several"
    assert "Kremlin" in origin.affiliation and "Defense Ministry" in origin.affiliation
    assert nested[0].via == [vyorstka.id]
    assert origin.id in claim.origins


def test_grashchenkov(report):
    vyorstka = named(report, "Vyorstka")
    a = att(report, "It was indiscriminate and harsh")
    s = src(report, a.source)
    assert s.name == "Ilya Grashchenkov" and s.type == "person" and s.role == "political scientist"
    assert a.via == [vyorstka.id] and a.to == vyorstka.id
    later = att(report, "carte blanche")
    assert later.source == s.id and later.via == [vyorstka.id]


def test_source_close_to_defense_ministry_told_the_moscow_times(report):
    root = next(s for s in report.sources if s.is_article_outlet)
    assert root.name == "The Moscow Times"
    general = att(report, "In general, it [a second mobilization] is needed")
    pushed = att(report, "pushed aside")
    assert general.source == pushed.source
    s = src(report, general.source)
    assert s.anonymous and s.closeness == "close to" and s.affiliation == "Russia’s Defense Ministry"
    assert s.reason == "they are not authorized to talk to the press"
    for a in (general, pushed):
        assert a.to == root.id and a.via == [] and a.hops == 1


def test_putin_buffer_zone_and_kyiv(report):
    a = att(report, "buffer zone")
    putin = src(report, a.source)
    assert putin.name == "Vladimir Putin" and putin.role == "President"
    kyiv = att(report, "seeking to escalate the war")
    assert src(report, kyiv.source).name == "Kyiv"


def test_times(report):
    values = {t.text: (t.value, t.end_value) for t in report.times}
    assert values["Friday"] == ("2024-03-22", None)
    assert values["March 25"] == ("2024-03-25", None)
    assert values["September 2022"] == ("2022-09", None)
    assert values["March 15-17"] == ("2024-03-15", "2024-03-17")
    assert values["Sunday"] == ("2024-03-17", None)
    assert values["a month later"][0] == "2022-10"
    assert not any("87" in t.text for t in report.times)


def test_quantities(report):
    soldiers = next(q for q in report.quantities if q.unit == "soldiers")
    assert soldiers.value == 300000 and soldiers.text == "300,000"
    votes = next(q for q in report.quantities if q.unit == "percent")
    assert votes.value == 87 and votes.qualifier == "lower_bound"


def test_places(report):
    kharkiv = next(p for p in report.places if p.text == "Kharkiv")
    assert kharkiv.country == "UA" and abs(kharkiv.lat - 49.99) < 0.1 and abs(kharkiv.lon - 36.23) < 0.1
    assert next(p for p in report.places if p.text == "Mariupol").country == "UA"
    donetsk = next(p for p in report.places if p.text == "Donetsk region")
    assert donetsk.feature == "admin1" and donetsk.country == "UA" and donetsk.caption == 0
    assert next(p for p in report.places if p.text == "Kyiv").metonymy
