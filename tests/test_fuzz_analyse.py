"""Property test of the whole analysis (:func:`sayso.analyse`) on random short articles: it raises nothing
but sayso's errors, every span lies within the text and holds the text it points at, the report validates
against the JSON Schema, goes into the store and comes back the same, and a second run gives the same
report. Slow (the full pipeline), so only a few examples in a normal test run."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from fuzz_helpers import any_text, fuzz, news_text
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import sayso
from sayso.errors import SaysoError
from sayso.pipeline import load_pipeline
from sayso.schema import Article, Caption, Report, Span
from sayso.store import Store

SCHEMA = json.loads((Path(__file__).parents[1] / "schema" / "report.schema.json").read_text(encoding="utf-8"))

articles = st.builds(
    Article,
    text=st.one_of(news_text(50), any_text(30)),
    title=st.one_of(st.none(), news_text(8)),
    published=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
    url=st.sampled_from([None, "https://www.reuters.com/world/x-2024-03-22/", "https://example.com/a"]),
    captions=st.lists(st.builds(Caption, text=news_text(12), credit=st.just("AP")), max_size=2),
)


@functools.cache
def _nlp():
    return load_pipeline()


def _spans(report: Report):
    for src in report.sources:
        yield from src.mentions
    for att in report.attributions:
        yield from (s for s in (att.source_span, att.cue, att.content) if s is not None)
        yield from att.content_parts
    for item in (*report.times, *report.quantities, *report.places):
        if getattr(item, "caption", None) is None:
            yield Span(start=item.start, end=item.end, text=item.text)


def _check(article: Article, report: Report) -> None:
    text = article.text
    for span in _spans(report):
        assert 0 <= span.start <= span.end <= len(text), (span, text)
        assert text[span.start : span.end] == span.text, (span, text)
    for place in report.places:
        if place.caption is not None:
            caption = article.captions[place.caption].text
            assert caption[place.start : place.end] == place.text, (place, caption)
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(json.loads(report.model_dump_json())), key=str)
    assert not errors, (errors[0].message, text)
    with Store(":memory:") as store:
        article_id = store.save(report)
        assert store.report(article_id) == report


@fuzz(10, slow=True)
@given(article=articles)
def test_analyse_random_articles(article):
    try:
        report = sayso.analyse(article, _nlp())
    except SaysoError:
        return
    _check(article, report)
    assert sayso.analyse(article, _nlp()) == report
