"""Invented news articles, and archives, dumps and feeds made of them, for the ingest tests.

Every text here is made up for sayso's tests: invented towns, people and organisations, several sentences
with direct and reported speech ("said") in each article.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import random
from html import escape
from pathlib import Path

_SYL = "ka lo mi ra ten vor bel quin dar sel mor tal ven ris hal bro nek sti gar lun pel dov mar fen".split()
_ORGS = ("Water Board", "Harbour Authority", "Teachers' Union", "Rail Council", "Farmers' Association")
_TOPICS = (
    "a new ferry line",
    "the school budget",
    "repairs to the old bridge",
    "a ban on night flights",
    "a second reservoir",
    "the closure of the rail depot",
    "higher parking fees",
)


def _name(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(n)).title()


def invented_article(i: int) -> dict[str, object]:
    """Invented article number ``i``: title, url, date, authors, outlet domain and body paragraphs."""
    rng = random.Random(1000 + i)
    town = _name(rng, 2) + rng.choice(("", "port", "field", "by"))
    person = f"{_name(rng, 1)} {_name(rng, 3)}"
    other = f"{_name(rng, 2)} {_name(rng, 2)}"
    org = f"{town} {rng.choice(_ORGS)}"
    topic = rng.choice(_TOPICS)
    n = rng.randint(120, 4000)
    day = dt.date(2025, 3, 1) + dt.timedelta(days=i % 40)
    paragraphs = [
        f"{town} — The {org} said on Tuesday that it would vote next month on {topic}, after {n} residents "
        f"signed a petition asking for a public hearing in case number {i}.",
        f"“We have listened to every objection, and the plan is better for it,” said {person}, who chairs the "
        f"{org}. {person} said the vote would take place on {day.strftime('%B')} {day.day + 1}.",
        f"{other}, who organised the petition, said the council had ignored the harbour district for years. "
        f"“Nobody asked us before the drawings were made,” {other.split()[0]} told reporters outside the hall.",
        f"According to a report by the {org}, the work would cost about {rng.randint(2, 90)} million euros and "
        f"take {rng.randint(2, 6)} years. Officials said a final decision was not expected before the summer.",
    ]
    slug = "-".join(f"{town} {topic}".lower().replace("'", "").split())
    return {
        "title": f"{town} to vote on {topic}",
        "url": f"https://news.example-herald.org/{day.isoformat()}/{slug}-{i}",
        "date": day.isoformat(),
        "authors": [f"{_name(rng, 2)} {_name(rng, 2)}"],
        "domain": "example-herald.org",
        "paragraphs": paragraphs,
        "text": "\n\n".join(paragraphs),
    }


def article_html(a: dict[str, object]) -> str:
    """An HTML page of the invented article ``a``."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in a["paragraphs"])  # type: ignore[union-attr]
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(str(a['title']))}</title>"
        f"<meta name='author' content='{escape(a['authors'][0])}'>"  # type: ignore[index]
        f"<meta property='article:published_time' content='{a['date']}'></head>"
        f"<body><nav><a href='/'>Home</a> <a href='/local'>Local</a></nav><article><h1>{escape(str(a['title']))}</h1>"
        f"{body}</article><footer>Example Herald, all rights reserved.</footer></body></html>"
    )


def write_warc(path: Path, n: int = 50, *, truncate_at: float | None = None, extras: bool = True) -> list[dict]:
    """A gzip-compressed WARC at ``path`` with ``n`` HTML response records of invented articles (plus a
    request record, an image and a 404 page when ``extras``), cut to ``truncate_at`` of its bytes when given.
    Returns the articles."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    articles = [invented_article(i) for i in range(n)]
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)

    def response(uri: str, body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> None:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2025-03-02T08:15:00Z"},
        )
        writer.write_record(rec)

    for i, a in enumerate(articles):
        if extras and i == 1:
            req = writer.create_warc_record(str(a["url"]), "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(req)
            response("https://news.example-herald.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), ctype="image/png")
            response("https://news.example-herald.org/gone", b"<html>gone</html>", status="404 Not Found")
        response(str(a["url"]), article_html(a).encode("utf-8"))
    data = buf.getvalue()
    if truncate_at is not None:
        data = data[: int(len(data) * truncate_at)]
    path.write_bytes(data)
    return articles


def write_jsonl(path: Path, n: int = 50, *, bad_lines: bool = False, key: str = "maintext") -> list[dict]:
    """A news-please style JSON Lines file of ``n`` invented articles (body under ``key``); with
    ``bad_lines``, also a line of broken JSON and a record without text. Returns the articles."""
    articles = [invented_article(i) for i in range(n)]
    lines = []
    for a in articles:
        lines.append(
            json.dumps(
                {
                    "url": a["url"],
                    "title": a["title"],
                    "date_publish": f"{a['date']} 09:30:00",
                    key: a["text"],
                    "authors": a["authors"],
                    "source_domain": a["domain"],
                    "language": "en",
                }
            )
        )
    if bad_lines:
        lines.insert(3, '{"url": "https://news.example-herald.org/broken", "title": "Cut off')
        lines.insert(7, json.dumps({"url": "https://news.example-herald.org/empty", "title": "Empty"}))
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return articles


def rss_feed(articles: list[dict], *, full_content: bool = True, link_base: str | None = None) -> str:
    """An RSS 2.0 feed of ``articles``: each item with its full text in ``content:encoded`` when
    ``full_content``, else only a one-line description (its page must be fetched from ``link_base``)."""
    items = []
    for i, a in enumerate(articles):
        link = f"{link_base}/article/{i}" if link_base else a["url"]
        content = ""
        if full_content:
            html = "".join(f"<p>{escape(p)}</p>" for p in a["paragraphs"])
            content = f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        pub = dt.date.fromisoformat(str(a["date"]))
        items.append(
            f"<item><title>{escape(str(a['title']))}</title><link>{escape(str(link))}</link>"
            f"<guid isPermaLink='false'>herald-{i}</guid>"
            f"<pubDate>{pub.strftime('%a, %d %b %Y')} 09:30:00 +0000</pubDate>"
            f"<dc:creator>{escape(a['authors'][0])}</dc:creator>"
            f"<description>{escape(str(a['paragraphs'][0])[:80])}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>Example Herald</title><link>https://news.example-herald.org/</link>"
        "<description>Invented local news</description>" + "\n".join(items) + "</channel></rss>\n"
    )


def write_rss(path: Path, n: int = 20, *, start: int = 0, **kwargs) -> list[dict]:
    """An RSS file at ``path`` of ``n`` invented articles from number ``start`` (see :func:`rss_feed`)."""
    articles = [invented_article(i) for i in range(start, start + n)]
    path.write_text(rss_feed(articles, **kwargs), encoding="utf-8")
    return articles
