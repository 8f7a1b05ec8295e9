"""RSS and Atom feeds (feedparser): one record per item.

An item that carries its full text (RSS ``content:encoded``, Atom ``<content>``) is read from the feed itself;
any other item's page is fetched from its link later, under :mod:`sayso.fetch`'s rules (no private or
loopback address unless allowed). The item's title, date and authors fill in what the page leaves out.

A feed that is not well-formed XML still gives the items feedparser could recover, plus one bad record
saying so; a feed with no item at all that is broken is one bad record.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator

from ..schema import Article
from .record import Record, bad_record

#: Fewer words than this in an item's content means the item is a teaser: its page is fetched instead.
MIN_CONTENT_WORDS = 20
#: The largest feed read (bytes).
MAX_FEED_BYTES = 50_000_000
_BLOCKS = "p div li blockquote h1 h2 h3 h4 h5 h6 pre tr section article figure header footer dd dt".split()


def html_to_text(fragment: str) -> str:
    """The text of the HTML ``fragment`` (an item's content): one paragraph per block element, separated by
    blank lines, whitespace inside a paragraph collapsed; scripts, styles and figure captions left out."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(fragment.split())
    for bad in root.xpath("//script|//style|//noscript|//figcaption|//iframe"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
        if el.text:
            el.text = "\n\n" + el.text
    text = root.text_content()
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
            except (ValueError, AttributeError):
                continue
    return None


def _authors(entry: dict) -> list[str]:
    names = [str(a.get("name") or "").strip() for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and entry.get("author"):
        names = [a.strip() for a in re.split(r";|\band\b|,", str(entry["author"])) if a.strip()]
    return names


def _content(entry: dict) -> str:
    """The longest full content of ``entry`` as text ('' when it carries none)."""
    best = ""
    for part in entry.get("content") or []:
        value = str(part.get("value") or "")
        kind = str(part.get("type") or "text/html")
        text = (
            html_to_text(value)
            if "html" in kind
            else "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", value) if p.strip())
        )
        if len(text) > len(best):
            best = text
    return best


def feed_records(data: bytes, name: str, *, position: int = 0) -> Iterator[Record]:
    """The items of the feed whose raw bytes are ``data`` (``name`` names it in messages and in each
    record's input, ``position``: the bytes of the input consumed once it is read).

    Yields one Record per item: kind 'article' for an item with full content, 'url' for one whose page is to
    be fetched, a bad record for an item with neither; then a bad record when the feed is malformed."""
    import feedparser

    with warnings.catch_warnings():  # feedparser warns of its own 'updated' fall-back on every read of it
        warnings.simplefilter("ignore", DeprecationWarning)
        yield from _feed_records(
            feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False), name, position
        )


def _feed_records(parsed, name: str, position: int) -> Iterator[Record]:
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and "CharacterEncodingOverride" in type(problem).__name__:
        problem = None  # a wrong encoding declaration feedparser worked around: nothing is lost
    if not entries and problem is None and not parsed.get("version"):
        yield bad_record(name, f"{name} is not an RSS or Atom feed", position)
        return
    feed_link = str(parsed.get("feed", {}).get("link") or "") or None
    for index, entry in enumerate(entries, start=1):
        link = str(entry.get("link") or "").strip() or None
        guid = str(entry.get("id") or link or "").strip()
        title = " ".join(str(entry.get("title") or "").split()) or None
        published = _date(entry)
        authors = _authors(entry)
        where = f"{name}#item{index}"
        text = _content(entry)
        meta = {"feed": name, "guid": guid, "link": link or ""}
        if feed_link:
            meta["feed_link"] = feed_link
        if len(text.split()) >= MIN_CONTENT_WORDS:
            article = Article(title=title, published=published, url=link, authors=authors, text=text)
            identity = "\x00".join(("feed", guid, title or "", published or "", text)).encode("utf-8")
            yield Record(
                input=link or where,
                kind="article",
                article=article,
                url=link,
                meta=meta,
                identity=identity,
                html=True,
                position=position,
            )
        elif link:
            hints = Article(title=title, published=published, url=None, authors=authors, text="")
            updated = str(entry.get("updated") or entry.get("published") or "")
            identity = "\x00".join(("url", link, updated)).encode("utf-8")
            yield Record(
                input=link,
                kind="url",
                url=link,
                article=hints,
                meta=meta,
                identity=identity,
                html=True,
                position=position,
            )
        else:
            yield bad_record(where, f"{where}: an item with neither its text nor a link", position)
    if problem is not None:
        reason = " ".join(str(problem).split()) or type(problem).__name__
        got = f"; read {len(entries)} item{'s' if len(entries) > 1 else ''} anyway" if entries else ""
        yield bad_record(name, f"{name} is malformed XML ({reason}){got}", position)
