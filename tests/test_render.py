"""The renderers on hand-built reports: the example article's perfect report and an injection report."""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from sayso.render import ROOT_ID, chain_tree, full_chain, render, trim
from sayso.render.html import CSP, CSS, JS, render_html
from sayso.render.jsonout import render_json
from sayso.render.markdown import md_escape, render_markdown
from sayso.render.tree import render_tree, render_tree_text
from sayso.schema import Article, Attribution, Place, Report, Source, Span, TimeExpression

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
ANSI = re.compile(r"\x1b\[")


def _builder():
    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder():
    return _builder()


@pytest.fixture(scope="module")
def example() -> Report:
    return Report.model_validate_json((FIXTURES / "example.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def injection() -> Report:
    return Report.model_validate_json((FIXTURES / "injection.json").read_text(encoding="utf-8"))


def _spans(report: Report):
    for s in report.sources:
        yield from s.mentions
    for a in report.attributions:
        yield from (sp for sp in (a.source_span, a.cue, a.content) if sp is not None)
    yield from report.times
    yield from report.quantities
    yield from report.places


# --- the fixtures themselves -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["example", "injection"])
def test_fixture_files_are_what_the_builder_builds(builder, name):
    built = builder.FIXTURES[f"{name}.json"]()
    assert (FIXTURES / f"{name}.json").read_text(encoding="utf-8") == builder.dump(built), (
        "fixture out of date: run .venv/bin/python tests/fixtures/reports/build_fixtures.py"
    )


@pytest.mark.parametrize("name", ["example", "injection"])
def test_fixture_offsets_point_at_their_text(name, request):
    report = request.getfixturevalue(name)
    text = report.article.text
    spans = list(_spans(report))
    assert len(spans) > 10
    for sp in spans:
        assert text[sp.start : sp.end] == sp.text


def test_example_fixture_is_the_loaders_article(example):
    loading = pytest.importorskip("sayso.loading")
    root = Path(__file__).resolve().parents[1]
    article = loading.load(str(root / "src" / "sayso" / "data" / "example.txt"))
    assert article.model_dump(exclude={"input"}) == example.article.model_dump(exclude={"input"})


def test_example_fixture_content(example):
    by_id = {s.id: s for s in example.sources}
    assert by_id["s0"].is_article_outlet and by_id["s0"].name == "The Moscow Times"
    close = by_id["s7"]
    assert close.anonymous and close.reason == "they are not authorized to talk to the press"
    told_mt = [a for a in example.attributions if a.to == "s0"]
    assert told_mt and all(a.source == "s7" and a.chain == ["s0", "s7"] for a in told_mt)
    nested = next(a for a in example.attributions if a.nested_in)
    assert nested.via == ["s1"] and nested.chain == ["s0", "s1", "s2"] and nested.hops == 2
    march25 = next(a for a in example.attributions if a.cue and a.cue.text == "suggested")
    assert [t.value for t in example.times if t.id in march25.times] == ["2024-03-25"]


# --- shared helpers ----------------------------------------------------------------------------------


def test_chain_tree_nests_relays(example):
    root = chain_tree(example)
    assert root.source_id == "s0"
    assert list(root.children) == ["s1", "s5", "s7", "s8"]
    vyorstka = root.children["s1"]
    assert [a.id for a in vyorstka.claims] == ["a1", "a10"]
    assert list(vyorstka.children) == ["s2", "s3", "s4", "s6"]
    assert [a.id for a in vyorstka.children["s2"].claims] == ["a2"]
    assert [a.id for a in root.claims] == ["a12"]  # the sourceless hedged claim hangs on the outlet
    placed = [a.id for _, node in root.walk() for a in node.claims]
    assert sorted(placed) == sorted(a.id for a in example.attributions)


def test_full_chain_without_chain_field():
    att = Attribution(id="a1", source="s3", cue=None, content=Span(start=0, end=1, text="x"), kind="direct", via=["s2"])
    assert full_chain(att, "s0") == ["s0", "s2", "s3"]
    assert full_chain(att.model_copy(update={"chain": ["s2", "s3"]}), "s0") == ["s0", "s2", "s3"]
    assert full_chain(att.model_copy(update={"source": None, "via": []}), "s0") == ["s0"]


def test_report_without_outlet_source_gets_a_root():
    text = "Ana Bell said the dam broke."
    report = Report(
        article=Article(text=text, outlet="The Valley Post"),
        sources=[Source(id="s1", name="Ana Bell", type="person")],
        attributions=[
            Attribution(
                id="a1",
                source="s1",
                cue=Span(start=9, end=13, text="said"),
                content=Span(start=14, end=27, text="the dam broke"),
                kind="indirect",
            )
        ],
    )
    root = chain_tree(report)
    assert root.source_id == ROOT_ID and list(root.children) == ["s1"]
    assert "The Valley Post" in render_tree_text(report)
    assert "The Valley Post" in render_html(report)


def test_trim():
    assert trim("short  text\n here") == "short text here"
    long = "word " * 100
    cut = trim(long, 50)
    assert len(cut) <= 50 and cut.endswith("…") and not cut.endswith(" …")


# --- tree ---------------------------------------------------------------------------------------------


def test_tree_plain_text(example):
    out = render_tree_text(example, width=100)
    lines = out.splitlines()
    assert not ANSI.search(out)
    assert max(len(line) for line in lines) <= 100
    assert all(line == line.rstrip() for line in lines)
    assert lines[0] == "Kremlin Planning New Mobilization for Kharkiv Offensive – Vyorstka"
    assert "The Moscow Times · 2024-03-22" in out
    assert "Note: Updated with comments from source close" in out
    # Relay with the sources it relays beneath it: deeper indentation than the relay.
    relay = next(line for line in lines if "Vyorstka  (outlet" in line)
    kremlin = next(line for line in lines if "one Kremlin source" in line and "anonymous" in line)
    assert kremlin.index("⚠") > relay.index("Vyorstka")
    assert "⚠ anonymous source close to Russia’s Defense Ministry" in out
    assert "not authorized to talk to the press" in out.replace("\n│   ", " ")
    assert "told The Moscow Times" in out
    assert "told Vyorstka" in out
    assert "(inside a1)" in out
    # Items inline with their values; brackets from the article shown, not eaten as Rich markup.
    assert "March 25 = 2024-03-25" in out
    assert "300,000 soldiers = 300,000 soldiers" in out
    assert "Kharkiv, UA" in out
    assert "[the intention to]" in out
    for title in ("Times", "Quantities", "Places"):
        assert any(line.strip() == title for line in lines)
    assert "2024-03-15 … 2024-03-17" in out


def test_tree_long_content_is_trimmed(example):
    out = render_tree_text(example, width=300)
    long = next(a for a in example.attributions if len(a.content.text) > 200)
    assert long.content.text not in out
    assert trim(long.content.text) in out


def test_tree_colour_only_on_terminals(example):
    buf = io.StringIO()
    render_tree(example, Console(file=buf, width=100, force_terminal=True, color_system="truecolor"))
    coloured = buf.getvalue()
    assert ANSI.search(coloured)
    buf = io.StringIO()
    render_tree(example, Console(file=buf, width=100))  # a StringIO is not a terminal
    assert not ANSI.search(buf.getvalue())


def test_tree_shows_injection_strings_literally(injection):
    out = render_tree_text(injection)
    assert "<script>alert(1)</script>" in out
    assert "<b>Déjà Vu</b>" in out


# --- HTML ---------------------------------------------------------------------------------------------


class _Collector(HTMLParser):
    """Collects tags, attributes and the article element's text, and checks nesting."""

    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.article: list[str] = []
        self.in_article = 0
        self.data: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "article":
            self.in_article += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag == "article":
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_article:
            self.article.append(data)
        if self.stack:
            self.data.setdefault(self.stack[-1], []).append(data)


def _parse(page: str) -> _Collector:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed tags: {parser.stack}"
    return parser


def test_html_article_text_survives_highlighting(example):
    page = render_html(example)
    parsed = _parse(page)
    assert "".join(parsed.article) == example.article.text


def test_html_links_every_claim_both_ways(example):
    parsed = _parse(render_html(example))
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    hrefs = {attrs.get("href") for tag, attrs in parsed.tags if tag == "a"}
    for att in example.attributions:
        assert f"att-{att.id}" in ids and f"txt-{att.id}" in ids
        assert f"#att-{att.id}" in hrefs and f"#txt-{att.id}" in hrefs
    # a1 and the nested a2 share their content: pieces of it belong to both.
    shared = [a for t, a in parsed.tags if a.get("data-att") == "a1 a2"]
    assert shared and all("l-content" in a["class"] for a in shared)


def test_html_highlights_with_tooltips(example):
    parsed = _parse(render_html(example))
    pieces = [a for t, a in parsed.tags if t in ("a", "span") and "m" in a.get("class", "").split()]
    march25 = [a for a in pieces if "l-time" in a["class"] and "2024-03-25" in a["title"]]
    assert march25 and "l-content" in march25[0]["class"]
    assert any("l-quantity" in a["class"] and "300,000 soldiers" in a["title"] for a in pieces)
    assert any("l-place" in a["class"] and "Kharkiv, UA" in a["title"] for a in pieces)
    assert any("l-anon" in a["class"] and "one Kremlin source" in a["title"] for a in pieces)
    assert any("l-cue" in a["class"] for a in pieces)
    assert any("l-source" in a["class"] for a in pieces)
    legend = "".join(parsed.data.get("span", []))
    assert "anonymous source" in legend and "attribution cue" in legend


def test_html_side_panel_chains(example):
    page = render_html(example)
    aside = page[page.index("<aside>") : page.index("</aside>")]
    assert aside.index("The Moscow Times") < aside.index("Vyorstka") < aside.index("one Kremlin source")
    assert "⚠ anonymous" in aside
    assert "reason for anonymity: they are not authorized to talk to the press" in aside
    assert "told The Moscow Times" in aside


def test_html_loads_nothing(example, injection):
    for report in (example, injection):
        page = render_html(report)
        parsed = _parse(page)
        csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
        assert csp == CSP and "default-src 'none'" in csp
        for block in (CSS, JS):
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp
        assert not [t for t, a in parsed.tags if "src" in a or t in ("link", "img", "iframe", "object")]
        assert "url(" not in CSS and "@import" not in CSS and "http" not in CSS + JS
        for _tag, attrs in parsed.tags:
            href = attrs.get("href")
            if href is not None:
                assert href.startswith("#") or href == report.article.url


def test_html_escapes_every_injection(injection, builder):
    page = render_html(injection)
    for raw in (builder.INJECT_SCRIPT, builder.INJECT_IMG, "<b>Déjà Vu</b>", '<i>"Gazette"</i>', "R&D"):
        assert raw not in page
    assert html.escape(builder.INJECT_SCRIPT, quote=True) in page
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("script") == 1 and "img" not in tags and "b" not in tags and "i" not in tags
    assert not [k for _, attrs in parsed.tags for k in attrs if k.startswith("on")]
    # A URL with quotes or angle brackets is shown as text, never made a link.
    assert not [a for t, a in parsed.tags if t == "a" and "example.org" in (a.get("href") or "")]
    assert "".join(parsed.article) == injection.article.text
    assert "Łódź" in page and "Kręglewska-Øster" in page


def test_html_javascript_url_is_not_linked(example):
    report = example.model_copy(deep=True)
    report.article.url = "javascript:alert(1)"
    parsed = _parse(render_html(report))
    assert not [a for t, a in parsed.tags if t == "a" and "javascript" in (a.get("href") or "")]


def test_html_crossing_and_nested_spans():
    text = "Mira Holt said that rents in Cobb rose sharply last spring."
    content = Span(start=20, end=58, text=text[20:58])
    spring, cobb = text.index("last spring"), text.index("Cobb")
    report = Report(
        article=Article(text=text, outlet="The Lantern"),
        sources=[
            Source(id="s0", name="The Lantern", type="outlet", is_article_outlet=True),
            Source(id="s1", name="Mira Holt", type="person", mentions=[Span(start=0, end=9, text="Mira Holt")]),
        ],
        attributions=[
            Attribution(
                id="a1",
                source="s1",
                source_span=Span(start=0, end=9, text="Mira Holt"),
                cue=Span(start=10, end=24, text=text[10:24]),  # 'said that rent' crosses the content's start
                content=content,
                kind="indirect",
                chain=["s0", "s1"],
            )
        ],
        times=[TimeExpression(id="t1", start=spring, end=spring + 11, text="last spring", value="2023-SP")],
        places=[Place(id="p1", start=cobb, end=cobb + 4, text="Cobb", name="Cobb", country="US", lat=None, lon=None)],
    )
    assert content.text == "rents in Cobb rose sharply last spring"
    parsed = _parse(render_html(report))
    assert "".join(parsed.article) == text
    pieces = [a for t, a in parsed.tags if "m" in a.get("class", "").split()]
    both = [a for a in pieces if "l-cue" in a["class"] and "l-content" in a["class"]]
    assert len(both) == 1  # 'rent': inside both the cue and the content
    assert any("l-place" in a["class"] and "l-content" in a["class"] for a in pieces)
    assert any("2023-SP" in a["title"] for a in pieces)


# --- Markdown -----------------------------------------------------------------------------------------


def test_markdown_brief(example):
    md = render_markdown(example)
    assert md.startswith("# Kremlin Planning New Mobilization for Kharkiv Offensive – Vyorstka\n")
    assert "- **Outlet:** The Moscow Times" in md and "- **Published:** 2024-03-22" in md
    assert "### The Moscow Times → Vyorstka → ⚠ one Kremlin source" in md
    assert "### The Moscow Times → ⚠ source close to Russia’s Defense Ministry" in md
    assert "> Therefore, this demand from the military is being pushed aside," in md
    assert "| s7 | source close to Russia’s Defense Ministry | ⚠ anonymous |" in md
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert rendered.count("<blockquote>") == len(example.attributions)
    assert "[the intention to]" in rendered
    for title in ("Sources", "Times", "Quantities", "Places"):
        assert f"<h2>{title}</h2>" in rendered
    rows = re.findall(r"<tr>(.*?)</tr>", rendered, re.S)
    assert len(rows) == 4 + len(example.sources) + len(example.times) + len(example.quantities) + len(example.places)


def test_markdown_escapes_injection(injection):
    md = render_markdown(injection)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    # Pipes inside cells do not split them: every row of a table has as many cells as its header.
    for tbl in re.findall(r"<table>(.*?)</table>", rendered, re.S):
        width = len(re.findall(r"<th>", tbl))
        for row in re.findall(r"<tr>(.*?)</tr>", tbl, re.S)[1:]:
            assert len(re.findall(r"<td>", row)) == width
    assert "minister &quot;&gt;&lt;img src=x onerror=alert(2)&gt; | R&amp;D" in rendered


def test_md_escape_line_starts():
    rendered = MarkdownIt("commonmark").render(md_escape("# not a heading\n1. not a list\n> no quote"))
    assert "<h1>" not in rendered and "<ol>" not in rendered and "<blockquote>" not in rendered


# --- JSON and dispatch --------------------------------------------------------------------------------


def test_json_round_trip(example):
    out = render_json(example)
    assert Report.model_validate_json(out) == example
    assert json.loads(out)["article"]["outlet"] == "The Moscow Times"


def test_render_dispatch(example):
    assert render(example, "tree") == render_tree_text(example)
    assert render(example, "html").startswith("<!DOCTYPE html>")
    assert render(example, "markdown") == render_markdown(example)
    assert render(example, "json") == render_json(example)
    with pytest.raises(ValueError, match="unknown format"):
        render(example, "pdf")


def test_empty_report_renders_everywhere():
    report = Report(article=Article(text="Nothing was said here."))
    assert "no attributed claims found" in render_tree_text(report)
    assert "no attributed claims found" in render_html(report)
    assert "No attributed claims found." in render_markdown(report)
    assert "".join(_parse(render_html(report)).article) == "Nothing was said here."
