"""The XSS payload corpus of the HTML report (tests/fixtures/reports: injection.json and its builder's payloads),
and more, in every string of stored reports, rendered through every page of sayso serve: nothing can run."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import Tags

from sayso.schema import Article, Attribution, Caption, Place, Report, Source, Span
from sayso.store import Store
from sayso.stories import StoryLinker
from sayso.web.app import create_app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"


def _builder():
    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()
#: The report tests' payloads and more: tags, attribute break-outs, URLs, template syntax, a title break-out.
PAYLOADS = [
    BUILDER.INJECT_SCRIPT,
    BUILDER.INJECT_IMG,
    "<svg onload=alert(3)>",
    "</title><script>alert(5)</script>",
    "<iframe src=//evil.example/x></iframe>",
    '\'"><a href="javascript:alert(6)">x</a>',
    "<style>body{display:none}</style>",
    "{{ 7*7 }}{% raw %}",
    "</textarea><base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
]
ALLOWED_TAGS_WITH_URLS = {"a", "link", "script", "form"}


def _payload_report() -> Report:
    """A report whose every string carries a payload, with offsets that point into its text."""
    text, spans = "", {}
    for key, piece in (
        ("src", f"Mira {PAYLOADS[2]} Holt"),
        ("mid", " said that "),
        ("content", f"the port {PAYLOADS[3]} will close {PAYLOADS[4]}"),
        ("mid2", ". An official "),
        ("anon", f"close to {PAYLOADS[5]}"),
        ("mid3", " told reporters "),
        ("content2", f"it was {PAYLOADS[6]} fine {PAYLOADS[7]}"),
        ("place", f"Port {PAYLOADS[8]}"),
        ("end", f". {PAYLOADS[9]}\n"),
    ):
        spans[key] = (len(text), len(text) + len(piece))
        text += piece

    def span(key: str) -> Span:
        a, b = spans[key]
        return Span(start=a, end=b, text=text[a:b])

    return Report(
        sayso_version=PAYLOADS[0],
        article=Article(
            title=f"Port {PAYLOADS[0]} closes {PAYLOADS[7]}",
            outlet=f"The {PAYLOADS[1]} Post",
            published="2024-02-02",
            url="javascript:alert(4)",
            text=text,
            authors=[PAYLOADS[5]],
            notes=[PAYLOADS[3]],
            captions=[Caption(text=f"Photo {PAYLOADS[2]}", credit=PAYLOADS[6])],
            language=PAYLOADS[1],
            input=PAYLOADS[0],
        ),
        sources=[
            Source(id="s0", name=f"The {PAYLOADS[1]} Post", type="outlet", is_article_outlet=True),
            Source(id="s1", name=f"Mira {PAYLOADS[2]} Holt", type="person", role=PAYLOADS[3], mentions=[span("src")]),
            Source(
                id="s2",
                name=f"official {PAYLOADS[5]}",
                type="anonymous",
                anonymous=True,
                descriptor=f"official close to {PAYLOADS[5]}",
                affiliation=PAYLOADS[4],
                reason=PAYLOADS[6],
                closeness=PAYLOADS[8],
                mentions=[span("anon")],
            ),
        ],
        attributions=[
            Attribution(
                id="a1",
                source="s1",
                source_span=span("src"),
                cue=span("mid"),
                content=span("content"),
                kind="indirect",
                chain=["s0", "s1"],
                hedges=[PAYLOADS[9]],
                places=["p1"],
            ),
            Attribution(
                id="a2",
                source="s2",
                source_span=span("anon"),
                cue=span("mid3"),
                content=span("content2"),
                kind="indirect",
                chain=["s0", "s2"],
            ),
        ],
        places=[
            Place(
                id="p1",
                start=spans["place"][0],
                end=spans["place"][1],
                text=text[slice(*spans["place"])],
                name=f"Port {PAYLOADS[8]}",
                country="NO",
                lat=60.0,
                lon=5.0,
                feature="city",
            )
        ],
        warnings=[PAYLOADS[4]],
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("xss") / "xss.db"
    injection = Report.model_validate_json((FIXTURES / "injection.json").read_text(encoding="utf-8"))
    payload = _payload_report()
    copy = payload.model_copy(deep=True)
    copy.article.url = "https://copies.example/port"  # a second article of the same story (a copy)
    with Store(db) as store:
        linker = StoryLinker(store)
        for report in (injection, payload, copy):
            linker.link(store.save(report), report)
    return TestClient(create_app(db, token="t"))


def _pages(client) -> list[str]:
    with Store(client.app.state.sayso.db) as store:
        q = store.connection.execute
        articles = [r[0] for r in q("SELECT id FROM articles")]
        sources = [r[0] for r in q("SELECT id FROM sources")]
        stories = [r[0] for r in q("SELECT DISTINCT story_id FROM story_articles")]
        outlets = [r[0] for r in q("SELECT DISTINCT outlet FROM articles")]
    paths = [
        "/",
        "/articles",
        "/search?q=port",
        "/search?q=alert",
        "/search?q=script",
        "/nope/<script>alert(1)</script>",
    ]
    paths += (
        [f"/articles/{i}" for i in articles] + [f"/sources/{i}" for i in sources] + [f"/stories/{i}" for i in stories]
    )
    for outlet in outlets:
        paths += [("/articles", {"outlet": outlet}), ("/search", {"q": "port", "outlet": outlet})]
    paths += [("/search", {"q": p}) for p in PAYLOADS]
    return paths


def test_no_payload_runs_on_any_page(client):
    pages = 0
    for path in _pages(client):
        r = client.get(path[0], params=path[1]) if isinstance(path, tuple) else client.get(path)
        assert r.status_code in (200, 404), path
        page = r.text
        for payload in PAYLOADS:
            for raw in (
                "<script",
                "<svg onload",
                "<iframe",
                "<style",
                "<base",
                "<meta http-equiv",
                '<a href="javascript',
            ):
                if raw in payload:
                    assert payload not in page, (path, payload)
        tags = Tags(page)
        assert [a for t, a in tags.tags if t == "script"] == [{"src": "/static/app.js", "defer": None}], path
        assert not tags.script_text, path
        names = {t for t, _ in tags.tags}
        assert not names & {"img", "iframe", "style", "base", "object", "embed", "textarea"} - (
            {"textarea"} if path == "/" else set()
        ), path
        assert [a for t, a in tags.tags if t == "meta"] == [
            {"charset": "utf-8"},
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "referrer", "content": "no-referrer"},
        ], path
        for tag, attrs in tags.tags:
            assert not [k for k in attrs if k.startswith("on")], (path, tag, attrs)
            for key in ("href", "src", "action", "formaction", "xlink:href"):
                value = (attrs.get(key) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "//")), (path, tag, attrs)
                if "://" in value:
                    assert tag == "a" and value.startswith(("http://", "https://")), (path, tag, attrs)
        pages += 1
    assert pages > 20


def test_payloads_are_shown_as_text(client):
    with Store(client.app.state.sayso.db) as store:
        article = store.connection.execute("SELECT id FROM articles WHERE url = 'javascript:alert(4)'").fetchone()[0]
    page = client.get(f"/articles/{article}").text
    assert html.escape(PAYLOADS[0], quote=True) in page and "{{ 7*7 }}" in page
    assert 'href="javascript' not in page
    tags = Tags(page)
    text_of = "".join(t for t in tags.script_text)
    assert text_of == ""
    search = client.get("/search", params={"q": "alert"}).text
    assert "<mark>alert</mark>" in search


def test_error_pages_escape_the_path(client):
    r = client.get("/articles/<script>alert(1)</script>")
    assert r.status_code in (404, 422) and "<script>alert(1)" not in r.text
