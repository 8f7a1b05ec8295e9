"""Long and odd input: texts longer than spaCy's ``max_length`` are parsed in pieces joined into one Doc,
and every offset in the report still points into the whole article (:mod:`sayso.chunking`).

The pieces are made small here (a low piece limit, or a low ``nlp.max_length``) so that the tests stay
fast; reading real texts of 1 to 10 MB is measured by ``sayso bench --scaling``, not tested here."""

from __future__ import annotations

import gc
import json

import pytest
from typer.testing import CliRunner

from sayso.analysis import analyse_article
from sayso.bench import generate_news
from sayso.chunking import PARALLEL_CHARS, PIECE_CHARS, can_fork, parse, piece_bounds, piece_limit, split_pipeline
from sayso.cli import _register, app
from sayso.intervals import Intervals
from sayso.pipeline import load_pipeline
from sayso.schema import Article, Report

SPEECH = (
    "“We are 300,000 soldiers short, and everything is ready,” one source in the Defense Ministry told "
    "Reuters on Friday, speaking on condition of anonymity.\n\n"
    "The minister said the plan to hire 12,000 workers in Kharkiv would go ahead by March 25, despite a "
    "budget gap of $40 million.\n\n"
    "“Nobody wants to say it out loud,” the source added.\n\n"
)


@pytest.fixture(scope="module")
def nlp():
    """The rules-only pipeline, as ``sayso read --fast`` loads it."""
    return load_pipeline(fast=True)


def _check_offsets(report: Report, text: str) -> None:
    """Every span of ``report`` is the text at its offsets; ids are numbered in order without gaps."""
    for kind, prefix in (("quantities", "q"), ("times", "t"), ("places", "p"), ("attributions", "a")):
        items = getattr(report, kind)
        assert [item.id for item in items] == [f"{prefix}{k + 1}" for k in range(len(items))], kind
    for item in [*report.quantities, *report.times, *report.places]:
        assert text[item.start : item.end] == item.text
    starts = [q.start for q in report.quantities]
    assert starts == sorted(starts)
    for att in report.attributions:
        for span in (att.content, att.cue, att.source_span, *att.content_parts):
            if span is not None:
                assert text[span.start : span.end] == span.text
    for source in report.sources:
        for span in source.mentions:
            assert text[span.start : span.end] == span.text


# -- cutting ------------------------------------------------------------------------------------------


def test_pieces_cover_the_text_and_prefer_paragraph_breaks():
    text = SPEECH * 20
    bounds = piece_bounds(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a < b <= a + 1000 for a, b in bounds)
    assert all(b == a2 for (_, b), (a2, _) in zip(bounds, bounds[1:], strict=False))
    assert "".join(text[a:b] for a, b in bounds) == text
    # every cut falls right after a blank line: each piece but the last ends with one
    assert all(text[:b].endswith("\n\n") for _, b in bounds[:-1])


def test_cut_points_without_paragraphs():
    lines = "".join(f"ok {i}\n" for i in range(500))  # line breaks only
    assert all(lines[b - 1] == "\n" for _, b in piece_bounds(lines, 300)[:-1])
    sentences = "The plan would go ahead. " * 100  # one paragraph, one line
    assert all(sentences[a:b].endswith(". ") for a, b in piece_bounds(sentences, 300)[:-1])
    words = "word " * 500  # no punctuation at all: cut at spaces
    bounds = piece_bounds(words, 333)
    assert all(words[b - 1] == " " and words[b] != " " for _, b in bounds[:-1])
    blob = "x" * 1000  # no whitespace: cut anywhere, still covering the text
    assert piece_bounds(blob, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


def test_a_short_text_is_one_piece():
    assert piece_bounds(SPEECH) == [(0, len(SPEECH))]
    assert piece_bounds("") == [(0, 0)]
    with pytest.raises(ValueError):
        piece_bounds("abc", 1)


def test_intervals():
    iv = Intervals([(30, 35), (10, 20), (12, 14), (50, 50)])
    assert iv.overlaps(19, 21) and not iv.overlaps(20, 30) and not iv.overlaps(0, 10)
    assert iv.covers(10, 20) and iv.covers(31, 34) and not iv.covers(15, 25) and not iv.covers(36, 40)
    assert not Intervals([]).overlaps(0, 10) and not Intervals([]).covers(0, 0)


# -- the joined Doc ------------------------------------------------------------------------------------


def test_joined_doc_is_the_whole_text_with_its_parse(nlp):
    text = SPEECH * 6
    doc = parse(nlp, text, limit=400)
    assert doc.text == text
    assert len(piece_bounds(text, 400)) > 5
    assert doc.has_annotation("DEP") and doc.has_annotation("TAG") and doc.has_annotation("ENT_IOB")
    # each piece starts a sentence; sentences never run across a paragraph break
    for a, _ in piece_bounds(text, 400):
        assert doc.char_span(a, a + 1, alignment_mode="expand")[0].is_sent_start
    for sent in doc.sents:
        assert "\n\n" not in sent.text.strip()
    assert {e.text for e in doc.ents} >= {"Reuters", "Friday", "Kharkiv"}
    assert doc._.sayso_quotes and doc._.sayso_attributions  # sayso's components ran on the joined Doc


def test_pieces_give_the_report_one_parse_gives(nlp):
    text = SPEECH * 6
    whole = analyse_article(Article(text=text), nlp)
    pieces = analyse_article(Article(text=text), nlp, piece_chars=400)
    _check_offsets(pieces, text)
    assert len(pieces.attributions) == len(whole.attributions) == 18
    assert [a.content.text for a in pieces.attributions] == [a.content.text for a in whole.attributions]
    assert [q.text for q in pieces.quantities] == [q.text for q in whole.quantities]
    assert [t.text for t in pieces.times] == [t.text for t in whole.times]
    assert [p.name for p in pieces.places] == [p.name for p in whole.places]
    # sources merge over the whole article, not per piece
    assert sorted(s.name for s in pieces.sources) == sorted(s.name for s in whole.sources)


def test_text_longer_than_max_length(nlp):
    text = generate_news(30_000, seed=3)
    old = nlp.max_length
    nlp.max_length = 10_000  # spaCy would refuse the text: [E088]
    try:
        report = analyse_article(Article(text=text), nlp)
    finally:
        nlp.max_length = old
    assert len(text) > 10_000 and len(piece_bounds(text, 10_000)) >= 3
    _check_offsets(report, text)
    assert len(report.attributions) > 50 and len(report.quantities) > 50 and len(report.places) > 50
    # a quotation in the last piece, with its speaker resolved among all the article's sources
    last = report.attributions[-1]
    assert last.content.start > 20_000 and last.source is not None


def test_read_cli_with_a_text_over_max_length(nlp, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(SPEECH * 40, encoding="utf-8")
    old = nlp.max_length
    nlp.max_length = 2_000
    try:
        _register()
        result = CliRunner().invoke(app, ["read", str(path), "--fast", "--format", "json"])
    finally:
        nlp.max_length = old
    assert result.exit_code == 0, result.output
    report = Report.model_validate(json.loads(result.stdout))
    _check_offsets(report, report.article.text)
    assert len(report.attributions) == 120


def test_a_list_of_numbers(nlp):
    # "ok 0", "ok 1", ...: each bare number is a count, and never both a count and a time
    text = "".join(f"ok {i}\n" for i in range(600))
    for piece_chars in (None, 1_000):
        report = analyse_article(Article(text=text), nlp, piece_chars=piece_chars)
        _check_offsets(report, text)
        assert 500 <= len(report.quantities) <= 600
        for q in report.quantities:
            assert q.kind == "count" and q.value == float(q.text) and text[q.start - 3 : q.start] == "ok "
        assert not {(t.start, t.end) for t in report.times} & {(q.start, q.end) for q in report.quantities}


def test_piece_limit_defaults():
    assert 10_000 <= PIECE_CHARS < 1_000_000


def test_no_doc_is_kept_alive(nlp):
    # the components' look-up tables hold Spans, which hold their Doc: analysing must let the Doc go
    from spacy.tokens import Doc

    def live_docs() -> int:
        gc.collect()
        return sum(type(o) is Doc for o in gc.get_objects())

    before = live_docs()
    for piece_chars in (None, 400):
        analyse_article(Article(text=SPEECH * 3), nlp, piece_chars=piece_chars)
    assert live_docs() == before


def test_bare_numbers_are_not_times(nlp):
    # spaCy's NER calls some bare four-digit numbers dates; only the year patterns decide on a bare number
    text = "".join(f"ok {i}\n" for i in range(5000, 5400))
    report = analyse_article(Article(text=text), nlp)
    assert report.times == []
    dated = analyse_article(Article(text="The plant opened in 1998 and closed in March 2011."), nlp)
    assert [t.text for t in dated.times] == ["1998", "March 2011"]


# -- the neural pipeline and several processes --------------------------------------------------------


@pytest.fixture(scope="module")
def neural_nlp():
    """The default pipeline, as ``sayso read`` loads it (the neural tagger first, overlapping the parse)."""
    return load_pipeline()


def test_pieces_with_the_neural_tagger_first(neural_nlp):
    # the tagger stands before the model's components; the model's still run per piece, sayso's on the whole
    model, late = split_pipeline(neural_nlp)
    assert neural_nlp.pipe_names[0] == "sayso_neural_roles"
    assert "sayso_neural_roles" not in model and {"tok2vec", "parser", "ner"} <= set(model)
    assert late[0] == "sayso_neural_roles" and all(name.startswith("sayso_") for name in late)
    text = SPEECH * 6
    whole = analyse_article(Article(text=text), neural_nlp)
    pieces = analyse_article(Article(text=text), neural_nlp, piece_chars=400)
    _check_offsets(pieces, text)
    assert len(pieces.attributions) == len(whole.attributions) >= 12
    assert [a.content.text for a in pieces.attributions] == [a.content.text for a in whole.attributions]


def test_piece_sizes_for_several_processes():
    assert piece_limit(90_000, 100_000, 2) < 60_000
    assert piece_limit(90_000, 100_000, 1) == 100_000
    assert piece_limit(PARALLEL_CHARS - 1, 100_000, 2) == 100_000  # too short to be worth the processes
    assert piece_limit(9_000_000, 100_000, 2) == 100_000


@pytest.mark.skipif(not can_fork(), reason="parsing on several processes needs fork (POSIX)")
@pytest.mark.parametrize("fast", [True, False])
def test_several_processes_give_the_report_one_process_gives(nlp, neural_nlp, monkeypatch, fast):
    import sayso.chunking

    monkeypatch.setattr(sayso.chunking, "PARALLEL_CHARS", 1_000)  # small pieces keep the test quick
    pipeline = nlp if fast else neural_nlp
    text = SPEECH * 8
    one = analyse_article(Article(text=text), pipeline, piece_chars=800)
    two = analyse_article(Article(text=text), pipeline, piece_chars=800, processes=2)
    _check_offsets(two, text)
    assert len(piece_bounds(text, 800)) > 2
    assert two.model_dump() == one.model_dump()
    assert len(two.attributions) == 24


@pytest.mark.skipif(not can_fork(), reason="parsing on several processes needs fork (POSIX)")
def test_a_failed_fork_falls_back_to_one_process(nlp, monkeypatch):
    import sayso.chunking

    def refuse(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(sayso.chunking, "PARALLEL_CHARS", 1_000)
    monkeypatch.setattr(sayso.chunking, "_ForkedParse", refuse)
    text = SPEECH * 8
    report = analyse_article(Article(text=text), nlp, piece_chars=800, processes=2)
    _check_offsets(report, text)
    assert len(report.attributions) == 24
