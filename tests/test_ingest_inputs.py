"""``sayso ingest`` of web archives, JSON Lines dumps, feeds, sitemaps and URL lists: counts, metadata, bad
records counted (exit 4) with everything good stored, and re-ingesting skipping every record unparsed."""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ingest_helpers import article_html, invented_article, rss_feed, write_jsonl, write_rss, write_warc
from typer.testing import CliRunner

import sayso.workers
from sayso.cli import _register, app
from sayso.errors import BadInput
from sayso.input import iter_articles, read_records
from sayso.input.detect import kind_of_bytes
from sayso.input.feeds import html_to_text
from sayso.input.jsonl import parse_field_map

_register()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def count(db: Path, table: str = "articles") -> int:
    return rows(db, f"SELECT COUNT(*) FROM {table}")[0][0]


def ingest(runner: CliRunner, *args: str):
    return runner.invoke(app, ["ingest", *args, "--fast"])


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row that matters of the store (not the times rows were written at)."""
    return {
        "articles": rows(
            db,
            "SELECT id, url, title, outlet, published, input, text, authors, input_hash, report_hash "
            "FROM articles ORDER BY id",
        ),
        "attributions": rows(db, "SELECT * FROM attributions ORDER BY id"),
        "sources": rows(db, "SELECT * FROM sources ORDER BY id"),
        "stories": rows(db, "SELECT article_id, story_id, original_id, dup_group FROM story_articles ORDER BY 1"),
    }


class Server:
    """A local HTTP server of fixed pages (path -> (content type, body)); ``hits`` counts requests per path."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.hits: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                found = outer.pages.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                ctype, body = found
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    pages = {
        f"/article/{i}": ("text/html; charset=utf-8", article_html(invented_article(i)).encode()) for i in range(60)
    }
    srv = Server(pages)
    yield srv
    srv.close()


# --- kinds ---------------------------------------------------------------------------------------------


def test_kinds_by_name_and_content():
    assert kind_of_bytes("a.xml", b'<?xml version="1.0"?>\n<!-- x --><rss version="2.0">') == "feed"
    assert kind_of_bytes("a.xml", b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert kind_of_bytes("a.xml", b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>") == "sitemap"
    assert kind_of_bytes("a.xml", b"<sitemapindex>") == "sitemap"
    assert kind_of_bytes("dump.ndjson", b'{"url": "x"}\n') == "jsonl"
    assert kind_of_bytes("crawl.warc.gz", b"WARC/1.1\r\nWARC-Type: warcinfo") == "warc"
    assert kind_of_bytes("story.html", b"<html><body>x</body></html>") == "page"
    assert kind_of_bytes("noext", b"WARC/1.0\r\n") == "warc"  # no telling name: the content decides
    assert kind_of_bytes("noext", b"<rss version='2.0'>") == "feed"
    for name, data in (("a.xml", b"<html><body/></html>"), ("a.warc", b"hello"), ("a.jsonl", b"[1, 2]")):
        with pytest.raises(BadInput):
            kind_of_bytes(name, data)


def test_field_map_and_html_to_text():
    assert parse_field_map(["text=body", "published=meta.date"]) == {"text": "body", "published": "meta.date"}
    for bad in (["text"], ["colour=red"], ["=body"]):
        with pytest.raises(BadInput):
            parse_field_map(bad)
    text = html_to_text("<p>One <b>two</b>.</p><script>x()</script><p>Three<br>four.</p>")
    assert text == "One two.\n\nThree four."


# --- WARC ----------------------------------------------------------------------------------------------


def test_warc_gz_with_50_pages(runner, tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    articles = write_warc(warc, 50)
    records = list(read_records(str(warc)))
    assert len(records) == 50 and all(r.kind == "bytes" for r in records)  # request, image and 404 passed over
    assert records[0].meta["warc_date"] == "2025-03-02T08:15:00Z"
    assert records[0].meta["target_uri"] == articles[0]["url"]
    db = tmp_path / "s.db"
    result = ingest(runner, str(warc), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "stored 50, unchanged 0, failed 0" in result.stderr
    stored = {r[0]: r for r in rows(db, "SELECT url, title, published, input, outlet FROM articles")}
    for a in articles:
        url, title, published, source, outlet = stored[a["url"]]
        assert (title, published, source, outlet) == (a["title"], a["date"], a["url"], "Example Herald")
    assert count(db, "attributions") >= 100  # every invented article quotes two people


def test_truncated_warc_counts_the_bad_record_and_keeps_the_rest(runner, tmp_path):
    warc = tmp_path / "cut.warc.gz"
    write_warc(warc, 50, truncate_at=0.6)
    whole = sum(r.kind == "bytes" for r in read_records(str(warc)))
    assert 20 < whole < 50
    db = tmp_path / "s.db"
    result = ingest(runner, str(warc), "--db", str(db))
    assert result.exit_code == 4, result.output
    failed = [line for line in result.stderr.splitlines() if line.startswith("sayso: failed:")]
    assert len(failed) == 1 and "truncated or corrupt" in failed[0]
    assert f"stored {whole}, unchanged 0, failed 1" in result.stderr
    assert count(db) == whole


# --- JSON Lines ----------------------------------------------------------------------------------------


def test_jsonl_with_50_records(runner, tmp_path):
    dump_file = tmp_path / "news.jsonl"
    articles = write_jsonl(dump_file, 50)
    db = tmp_path / "s.db"
    result = ingest(runner, str(dump_file), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "stored 50, unchanged 0, failed 0" in result.stderr
    got = rows(db, "SELECT url, title, published, authors, outlet, input, text FROM articles ORDER BY id")
    assert len(got) == 50
    for i, (a, row) in enumerate(zip(articles, got, strict=True)):
        assert row[:6] == (
            a["url"],
            a["title"],
            a["date"],
            json.dumps(a["authors"]),
            "Example Herald",
            f"{dump_file}#{i + 1}",
        )
        assert row[6] == a["text"]


def test_jsonl_field_mapping_and_bad_lines(runner, tmp_path):
    dump_file = tmp_path / "news.ndjson.gz"
    write_jsonl(dump_file, 12, key="body", bad_lines=True)
    db = tmp_path / "s.db"
    unmapped = ingest(runner, str(dump_file), "--db", str(db))
    assert unmapped.exit_code == 4  # every line failed the same way: unusable input
    assert count(db) == 0 and "--field text=KEY" in unmapped.stderr
    result = ingest(runner, str(dump_file), "--db", str(db), "--field", "text=body")
    assert result.exit_code == 4, result.output
    failed = [line for line in result.stderr.splitlines() if line.startswith("sayso: failed:")]
    assert len(failed) == 2
    assert any("#4: not valid JSON" in line for line in failed)
    assert any("#8: no article text" in line for line in failed)
    assert "stored 12, unchanged 0, failed 2" in result.stderr
    bad = runner.invoke(app, ["ingest", str(dump_file), "--db", str(db), "--field", "colour=red"])
    assert bad.exit_code == 2 and "unknown field" in bad.output


# --- feeds ---------------------------------------------------------------------------------------------


def test_rss_with_20_full_items_is_read_without_fetching(runner, tmp_path):
    feed = tmp_path / "herald.xml"
    articles = write_rss(feed, 20)  # links on example-herald.org: a fetch would fail the run
    db = tmp_path / "s.db"
    result = ingest(runner, str(feed), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "stored 20, unchanged 0, failed 0" in result.stderr
    got = rows(db, "SELECT url, title, published, authors, text FROM articles ORDER BY id")
    for a, (url, title, published, authors, text) in zip(articles, got, strict=True):
        assert (url, title, published, json.loads(authors)) == (a["url"], a["title"], a["date"], a["authors"])
        assert text == a["text"]


def test_broken_feed_counts_a_bad_record_and_stores_the_items_before(runner, tmp_path):
    good = tmp_path / "herald.rss"
    write_rss(good, 20)
    broken = tmp_path / "broken.rss"
    text = good.read_text(encoding="utf-8")
    cut = text.index("<item>", text.index("<item>", len(text) // 2) + 1)
    broken.write_text(text[:cut] + "<item><title>Cut off <b>here", encoding="utf-8")
    complete = text[:cut].count("<item>")
    db = tmp_path / "s.db"
    result = ingest(runner, str(broken), "--db", str(db))
    assert result.exit_code == 4, result.output
    assert "malformed XML" in result.stderr
    assert count(db) == complete
    assert "stored 0" not in result.stderr and f"stored {complete}," in result.stderr


def test_feed_items_without_content_are_fetched(runner, tmp_path, server):
    feed = tmp_path / "teasers.xml"
    feed.write_text(rss_feed([invented_article(i) for i in range(5)], full_content=False, link_base=server.base))
    db = tmp_path / "s.db"
    refused = ingest(runner, str(feed), "--db", str(db))
    assert refused.exit_code == 5 and "loopback" in refused.stderr  # private addresses: refused by default
    assert server.hits == {}
    result = ingest(runner, str(feed), "--db", str(db), "--allow-private")
    assert result.exit_code == 0, result.output
    assert count(db) == 5 and sum(server.hits.values()) == 5
    titles = [r[0] for r in rows(db, "SELECT title FROM articles ORDER BY id")]
    assert titles == [invented_article(i)["title"] for i in range(5)]
    again = ingest(runner, str(feed), "--db", str(db), "--allow-private")
    assert again.exit_code == 0 and "skipped 5" in again.stderr
    assert sum(server.hits.values()) == 5  # seen items are not fetched again


def test_feed_and_sitemap_urls_and_url_lists(runner, tmp_path, server):
    server.pages["/feed"] = ("application/rss+xml", rss_feed([invented_article(i) for i in range(3)]).encode())
    urlset = "".join(
        f"<url><loc>{server.base}/article/{i}</loc><lastmod>2025-03-0{i % 9 + 1}</lastmod></url>" for i in range(10, 14)
    )
    server.pages["/sitemap.xml"] = (
        "application/xml",
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>'.encode(),
    )
    index = tmp_path / "index.xml"
    index.write_text(f"<sitemapindex><sitemap><loc>{server.base}/sitemap.xml</loc></sitemap></sitemapindex>")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# a few pages\n{server.base}/article/20\n\nnot a url\n{server.base}/article/21\n")
    db = tmp_path / "s.db"
    result = ingest(
        runner, f"{server.base}/feed", str(index), "--urls", str(listing), "--db", str(db), "--allow-private"
    )
    assert result.exit_code == 4, result.output
    assert "not an http(s) URL" in result.stderr
    assert "stored 9, unchanged 0, failed 1" in result.stderr  # 3 feed items, 4 sitemap pages, 2 listed URLs
    assert server.hits["/sitemap.xml"] == 1 and server.hits["/article/21"] == 1


# --- re-ingesting ---------------------------------------------------------------------------------------


def test_reingesting_archives_dumps_and_feeds_changes_nothing_and_parses_nothing(runner, tmp_path, monkeypatch):
    warc, dump_file, feed = tmp_path / "c.warc.gz", tmp_path / "d.jsonl", tmp_path / "f.rss"
    write_warc(warc, 12)
    write_jsonl(dump_file, 12)
    write_rss(feed, 6, start=30)
    db = tmp_path / "s.db"
    first = ingest(runner, str(warc), str(dump_file), str(feed), "--db", str(db))
    assert first.exit_code == 0, first.output
    before = dump(db)
    assert len(before["articles"]) == 18  # the dump's articles are the archive's (same URL and text)

    def no_pipeline(fast: bool = False):
        raise AssertionError("the pipeline was loaded to re-read unchanged inputs")

    monkeypatch.setattr(sayso.workers, "_load", no_pipeline)
    again = ingest(runner, str(warc), str(dump_file), str(feed), "--db", str(db))
    assert again.exit_code == 0, again.output
    assert "stored 0, unchanged 30, failed 0" in again.stderr and "skipped 30 unchanged inputs" in again.stderr
    assert dump(db) == before


def test_a_changed_record_is_read_again(runner, tmp_path):
    dump_file = tmp_path / "d.jsonl"
    write_jsonl(dump_file, 4)
    db = tmp_path / "s.db"
    assert ingest(runner, str(dump_file), "--db", str(db)).exit_code == 0
    lines = dump_file.read_text().splitlines()
    record = json.loads(lines[2])
    record["maintext"] += "\n\nA spokesman for the council said later that the vote had been postponed."
    lines[2] = json.dumps(record)
    dump_file.write_text("\n".join(lines) + "\n")
    result = ingest(runner, str(dump_file), "--db", str(db))
    assert "stored 1, unchanged 3, failed 0" in result.stderr and "skipped 3" in result.stderr
    assert count(db) == 5  # another text is another article


def test_gzip_jsonl_truncated(runner, tmp_path):
    dump_file = tmp_path / "d.jsonl.gz"
    write_jsonl(dump_file, 10)
    data = dump_file.read_bytes()
    dump_file.write_bytes(data[: int(len(data) * 0.7)])
    kinds = [r.kind for r in read_records(str(dump_file))]
    assert kinds[-1] == "bad" and 0 < kinds.count("article") < 10
    assert gzip.decompress(data).count(b"\n") == 10


def test_iter_articles_for_other_jobs(tmp_path):
    """The plain-function reader a Spark job calls per file: (Article, metadata) pairs, bad records aside."""
    dump_file = tmp_path / "d.jsonl"
    articles = write_jsonl(dump_file, 10, bad_lines=True)
    errors: list = []
    got = list(iter_articles(str(dump_file), errors=errors))
    assert [a.url for a, _ in got] == [a["url"] for a in articles]
    assert got[0][1] == {"line": "1"} and len(errors) == 2
    warc = tmp_path / "c.warc.gz"
    write_warc(warc, 3)
    pairs = list(iter_articles(str(warc)))
    assert [meta["target_uri"] for _, meta in pairs] == [a.url for a, _ in pairs] == [a["url"] for a in articles[:3]]


def test_a_page_url_is_fetched_again_but_parsed_only_when_it_changed(runner, tmp_path, server):
    db = tmp_path / "s.db"
    url = f"{server.base}/article/30"
    assert ingest(runner, url, "--db", str(db), "--allow-private").exit_code == 0
    again = ingest(runner, url, "--db", str(db), "--allow-private")
    assert again.exit_code == 0 and "skipped 1 unchanged" in again.stderr and server.hits["/article/30"] == 2
    server.pages["/article/30"] = ("text/html", article_html(invented_article(31)).encode())
    changed = ingest(runner, url, "--db", str(db), "--allow-private")
    assert "stored 1," in changed.stderr and count(db) == 2


def test_spark_reads_records_as_ingest_does(tmp_path):
    # `sayso spark` hands each WARC file and JSONL line to the readers `sayso ingest` uses: the same articles
    from sayso.input.jsonl import read_jsonl
    from sayso.input.record import record_article
    from sayso.input.warc import read_warc
    from sayso.spark import jsonl_article, warc_articles

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, 6, truncate_at=0.8)

    def seen(found) -> str:
        return f"bad: {found.message}" if isinstance(found, BadInput) else f"{found.url} {found.text[:60]}"

    by_ingest = []
    for record in read_warc(warc):
        try:
            by_ingest.append(seen(record_article(record)))
        except BadInput as err:
            by_ingest.append(seen(err))
    by_spark = [seen(found) for found in warc_articles(warc.read_bytes(), str(warc))]
    assert by_spark == by_ingest
    assert sum(not s.startswith("bad") for s in by_spark) >= 3 and any(s.startswith("bad") for s in by_spark)

    jsonl = tmp_path / "news.jsonl"
    write_jsonl(jsonl, 5, bad_lines=True)
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    ingest_texts = [record_article(r).text for r in read_jsonl(jsonl) if r.kind == "article"]
    spark_texts = []
    for n, line in enumerate(lines, 1):
        try:
            article = jsonl_article(line, f"{jsonl}#{n}")
        except BadInput:
            continue
        if article is not None:
            spark_texts.append(article.text)
    assert spark_texts == ingest_texts and len(spark_texts) == 5
