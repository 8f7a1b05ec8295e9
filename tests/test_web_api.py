"""sayso serve through the ASGI test client, on a store ingested from the repository's fixtures: every page and
route answers, the API gives what the CLI gives, search finds phrases, writes need the token, bodies are bounded,
private URLs are refused, responses carry ETags, a CSP and JSON errors."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient
from web_helpers import EXAMPLE, STORY, Tags

from sayso.cli import main
from sayso.store import Store
from sayso.web.app import CSP, create_app


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(web_db))


@pytest.fixture(scope="module")
def ids(web_db):
    """Article ids by input file name, the tank story's id and a named and an anonymous source id."""
    with Store(web_db) as store:
        q = store.connection.execute
        by_file = {r[1].rsplit("/", 1)[-1]: r[0] for r in q("SELECT id, input FROM articles")}
        tank_story = q(
            "SELECT story_id FROM story_articles WHERE article_id = ?",
            (by_file["01-brodsk-lantern-ostrevia-tanks-zhalkiv.md"],),
        ).fetchone()[0]
        named = q("SELECT id FROM sources WHERE name LIKE '%Horobets%' LIMIT 1").fetchone()[0]
        anonymous = q(
            "SELECT id FROM sources WHERE anonymous = 1 AND article_id = ? LIMIT 1",
            (by_file["01-brodsk-lantern-ostrevia-tanks-zhalkiv.md"],),
        ).fetchone()[0]
    return {"files": by_file, "story": tank_story, "named": named, "anonymous": anonymous}


def _cli_json(capsys, *args: str):
    capsys.readouterr()
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None)
    return capsys.readouterr().out


def test_every_page_and_route_answers(client, ids):
    article = ids["files"]["example.txt"]
    paths = [
        "/",
        "/articles",
        f"/articles/{article}",
        f"/sources/{ids['named']}",
        f"/sources/{ids['anonymous']}",
        f"/stories/{ids['story']}",
        "/search?q=tanks",
        "/api/articles",
        f"/api/articles/{article}",
        f"/api/sources/{ids['named']}",
        "/api/stories",
        f"/api/stories/{ids['story']}",
        f"/api/stories/{ids['story']}/claims",
        "/api/search?q=tanks",
        "/openapi.json",
        "/static/app.css",
        "/static/app.js",
        "/static/report.css",
        "/static/favicon.svg",
    ] + [f"/api/export?format={f}&story={ids['story']}" for f in ("csv", "ndjson", "graphml", "brat", "claimreview")]
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:200])
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"


def test_article_json_is_what_sayso_read_prints(client, ids, capsys):
    for name, path in (
        ("example.txt", EXAMPLE),
        ("04-midmark-tribune-ostrevia-tanks-zhalkov.md", STORY / "04-midmark-tribune-ostrevia-tanks-zhalkov.md"),
    ):
        expected = _cli_json(capsys, "read", str(path), "--format", "json")
        r = client.get(f"/api/articles/{ids['files'][name]}")
        assert r.headers["content-type"] == "application/json"
        assert r.text == expected


def test_story_claims_are_what_sayso_claims_prints(client, ids, web_db, capsys):
    expected = json.loads(
        _cli_json(capsys, "claims", "--db", str(web_db), "--story", str(ids["story"]), "--format", "json")
    )
    got = client.get(f"/api/stories/{ids['story']}/claims").json()
    assert got == expected
    assert got[0]["story"] == ids["story"] and len(got[0]["claims"]) >= 3


def test_lists_carry_id_title_outlet_published(client, ids):
    page = client.get("/api/articles", params={"limit": 5}).json()
    assert page["total"] == len(ids["files"]) and len(page["items"]) == 5 and page["limit"] == 5
    for item in page["items"]:
        assert {"id", "title", "outlet", "published"} <= set(item)
    dates = [i["published"] or "" for i in page["items"]]
    assert dates == sorted(dates, reverse=True)
    rest = client.get("/api/articles", params={"limit": 200, "offset": 5}).json()["items"]
    assert len(rest) == len(ids["files"]) - 5 and not {i["id"] for i in rest} & {i["id"] for i in page["items"]}
    stories = client.get("/api/stories").json()
    tank = next(s for s in stories["items"] if s["id"] == ids["story"])
    assert isinstance(tank["id"], int) and tank["articles"] == 12 and tank["copies"] == 3
    assert "120 Tanks" in tank["title"] and tank["outlet"] in tank["outlets"] and "Brodsk Lantern" in tank["outlets"]
    assert tank["published"] == "2025-03-03"
    detail = client.get(f"/api/stories/{ids['story']}").json()
    assert {k: v for k, v in detail.items() if k != "members"} == tank and len(detail["members"]) == 12
    copies = [m for m in detail["members"] if m["original_id"] is not None]
    assert len(copies) == 3 and all({"id", "title", "outlet", "published"} <= set(m) for m in detail["members"])
    only = client.get("/api/articles", params={"outlet": "Radio Kessby"}).json()
    assert only["total"] == 2 and {i["outlet"] for i in only["items"]} == {"Radio Kessby"}


def test_search_finds_a_quoted_phrase(client, ids):
    r = client.get("/api/search", params={"q": '"two billion crowns"'}).json()
    assert r["terms"] == ["two billion crowns"] and r["total"] >= 1
    for hit in r["hits"]:
        assert {"article_id", "title", "snippet"} <= set(hit)
        marked = " ".join(hit["snippet"][a:b] for a, b in hit["highlights"]).lower()
        assert "two" in marked and "billion" in marked and "crowns" in marked
    # the words apart match more articles than the phrase
    loose = client.get("/api/search", params={"q": "two billion crowns"}).json()
    assert loose["total"] >= r["total"]
    # a name only a source carries, an outlet filter, a date range, anonymous sources only
    assert client.get("/api/search", params={"q": "Horobets"}).json()["total"] >= 1
    kessby = client.get("/api/search", params={"q": "tanks", "outlet": "Radio Kessby"}).json()
    assert kessby["total"] == 1 and kessby["hits"][0]["outlet"] == "Radio Kessby"
    late = client.get("/api/search", params={"q": "tanks", "from": "2025-03-10", "to": "2025-03-31"}).json()
    assert late["total"] >= 1 and all("2025-03-10" <= h["published"] <= "2025-03-31" for h in late["hits"])
    anon = client.get("/api/search", params={"q": "tanks", "anonymous": "true"}).json()
    assert 1 <= anon["total"] <= client.get("/api/search", params={"q": "tanks"}).json()["total"]
    # the HTML page marks the matches
    page = client.get("/search", params={"q": '"two billion crowns"'}).text
    assert "<mark>two</mark>" in page.lower() or "<mark>two billion crowns</mark>" in page.lower()


def test_source_page_spans_the_archive(client, ids):
    named = client.get(f"/api/sources/{ids['named']}").json()
    assert "Horobets" in named["name"] and named["total"] >= 1 and not named["anonymous"]
    assert all("Horobets" in c["chain"][-1] for c in named["attributions"])
    anon = client.get(f"/api/sources/{ids['anonymous']}").json()
    assert anon["anonymous"] and anon["outlets"] and anon["outlets"][0]["attributions"] >= 1
    page = client.get(f"/sources/{ids['anonymous']}").text
    assert "Outlets citing" in page and "Brodsk Lantern" in page


def test_pages_link_article_to_source_to_story(client, ids):
    article = ids["files"]["01-brodsk-lantern-ostrevia-tanks-zhalkiv.md"]
    links = Tags(client.get(f"/articles/{article}").text).links()
    assert f"/stories/{ids['story']}" in links
    source_link = next(href for href in links if href.startswith("/sources/"))
    source_links = Tags(client.get(source_link).text).links()
    assert f"/stories/{ids['story']}" in source_links
    story = client.get(f"/stories/{ids['story']}").text
    assert "Claim ledger" in story and 'class="prov"' in story and 'class="timeline"' in story
    assert "Independent origins: 2" in story


def test_errors_are_json_with_a_message(client):
    for path, status in (
        ("/api/articles/999999", 404),
        ("/api/stories/999999/claims", 404),
        ("/api/nothing", 404),
        ("/api/articles?limit=0", 422),
        ("/api/search", 422),
        ("/api/export?format=pdf", 422),
        ("/api/sources/0", 422),
        ("/api/articles/99999999999999999999", 422),
    ):
        r = client.get(path)
        assert r.status_code == status, path
        body = r.json()
        assert body["status"] == status and body["message"], path
    page = client.get("/articles/999999")
    assert (
        page.status_code == 404
        and "no article 999999" in page.text
        and page.headers["content-type"].startswith("text/html")
    )


def test_etags_answer_304(client, ids):
    path = f"/api/articles/{ids['files']['example.txt']}"
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    page = client.get("/")
    assert client.get("/", headers={"If-None-Match": page.headers["etag"]}).status_code == 304


def test_pages_have_no_inline_script_or_style(client, ids):
    for path in (
        "/",
        f"/articles/{ids['files']['example.txt']}",
        f"/stories/{ids['story']}",
        "/search?q=tanks",
        f"/sources/{ids['anonymous']}",
    ):
        tags = Tags(client.get(path).text)
        scripts = [a for t, a in tags.tags if t == "script"]
        assert scripts == [{"src": "/static/app.js", "defer": None}] and not tags.script_text
        assert not [t for t, _ in tags.tags if t == "style"]
        assert not [a for _, a in tags.tags if "style" in a or any(k.startswith("on") for k in a)]
        for _, attrs in tags.tags:  # nothing loaded from elsewhere
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                assert not value.startswith("//") and ("://" not in value or key == "href"), value


def test_openapi_lists_the_routes(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/sources/{source_id}",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/claims",
        "/api/search",
        "/api/export",
    }
    assert "post" in spec["paths"]["/api/articles"] and "get" in spec["paths"]["/api/articles"]


# --- writes ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def writable(web_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("writable") / "copy.db"
    with Store(web_db) as store:  # a consistent copy (the WAL folded in)
        store.connection.execute("VACUUM INTO ?", (str(db),))
    return TestClient(create_app(db, token="s3cret", max_body=20_000))


TEXT = (
    "# Ferry service to Hallow Island resumes\n\nMarch 14, 2025\n\n"
    "The ferry to Hallow Island will run again from Monday, harbour master Ines Volk said on Friday. "
    "“The new pier is safe,” Volk told the Coast Courier.\n"
)


def test_write_needs_the_token(writable, client):
    body = {"text": TEXT, "outlet": "Coast Courier"}
    assert writable.post("/api/articles", json=body).status_code == 401
    assert writable.post("/api/articles", json=body).headers["www-authenticate"] == "Bearer"
    wrong = writable.post("/api/articles", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.json()["message"] == "wrong token"
    read_only = client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret"})
    assert read_only.status_code == 403 and "read-only" in read_only.json()["message"]
    form = writable.post("/articles", data={"text": TEXT, "token": "nope"})
    assert form.status_code == 403


def test_write_with_the_token_stores_and_links(writable):
    before = writable.get("/api/articles").json()["total"]
    r = writable.post(
        "/api/articles", json={"text": TEXT, "outlet": "Coast Courier"}, headers={"Authorization": "Bearer s3cret"}
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "stored" and out["url"] == f"/api/articles/{out['id']}" and out["story_id"] is not None
    report = writable.get(out["url"]).json()
    assert report["article"]["outlet"] == "Coast Courier" and report["article"]["title"].startswith("Ferry service")
    assert any(s["name"] == "Ines Volk" for s in report["sources"])
    assert writable.get("/api/articles").json()["total"] == before + 1
    assert writable.get("/api/search", params={"q": '"Hallow Island"'}).json()["hits"][0]["article_id"] == out["id"]
    again = writable.post(
        "/api/articles", json={"text": TEXT, "outlet": "Coast Courier"}, headers={"Authorization": "Bearer s3cret"}
    )
    assert again.status_code == 200 and again.json()["status"] == "unchanged" and again.json()["id"] == out["id"]
    # the home page's form: redirected to the new article's page
    form = writable.post(
        "/articles", data={"text": TEXT.replace("Monday", "Tuesday"), "token": "s3cret"}, follow_redirects=False
    )
    assert form.status_code == 303 and form.headers["location"].startswith("/articles/")


def test_bad_writes_are_refused_with_a_message(writable):
    auth = {"Authorization": "Bearer s3cret"}
    for body, status in (
        ({}, 400),
        ({"url": "https://a.example/x", "text": TEXT}, 400),
        ({"url": "file:///etc/passwd"}, 400),
        ({"url": "/etc/passwd"}, 400),
        ({"text": TEXT, "published": "March"}, 422),
        ({"text": TEXT, "extra": 1}, 422),
    ):
        r = writable.post("/api/articles", json=body, headers=auth)
        assert r.status_code == status, (body, r.text)
        assert r.json()["message"]
    private = writable.post("/api/articles", json={"url": "http://127.0.0.1:9/admin"}, headers=auth)
    message = private.json()["message"].lower()
    assert private.status_code == 502 and ("private" in message or "loopback" in message), message


def test_request_body_is_bounded(writable):
    auth = {"Authorization": "Bearer s3cret"}
    big = writable.post("/api/articles", json={"text": "word " * 10_000}, headers=auth)
    assert big.status_code == 413 and "larger than" in big.json()["message"]

    def chunks():
        for _ in range(30):
            yield b"x" * 1000

    streamed = writable.post("/api/articles", content=chunks(), headers={**auth, "Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_serve_refuses_a_bad_database(tmp_path, capsys):
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SystemExit) as done:
        main(["serve", "--db", str(bad), "--port", "8765"])
    assert done.value.code == 6
    assert "not an SQLite database" in capsys.readouterr().err
    shutil.rmtree(tmp_path)


def test_a_bug_is_a_json_500_without_traceback(web_db, monkeypatch):
    app = create_app(web_db)
    broken = TestClient(app, raise_server_exceptions=False)

    class Broken:
        def report(self, article_id):
            raise ValueError("secret internals")

    monkeypatch.setattr(app.state.sayso, "store", lambda: Broken())
    r = broken.get("/api/articles/1")
    assert r.status_code == 500 and r.json() == {
        "status": 500,
        "message": "internal error: ValueError (please report it)",
    }
    assert r.headers["content-security-policy"] == CSP
    page = broken.get("/articles/1")
    assert page.status_code == 500 and "secret internals" not in page.text and "Traceback" not in page.text
