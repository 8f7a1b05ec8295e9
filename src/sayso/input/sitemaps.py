"""Sitemaps: the pages listed in a ``<urlset>``, and the sitemaps listed in a ``<sitemapindex>``.

Each ``<url>`` becomes a record of its ``<loc>`` to fetch, with its ``<lastmod>`` (a page modified since is
read again) and Google News' ``<news:title>`` and ``<news:publication_date>`` as metadata. A sitemap index's
sitemaps are fetched in turn (at most :data:`MAX_DEPTH` levels deep, under :mod:`sayso.fetch`'s rules). The
XML is parsed as a stream (lxml ``iterparse``, no entities, no network), so a sitemap of any size takes
little memory; broken XML ends with one bad record, after the pages read before the break.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import SaysoError
from ..schema import Article
from .jsonl import iso_date
from .record import Record, bad_record

#: Levels of sitemap indexes followed.
MAX_DEPTH = 2
#: The largest sitemap fetched (bytes).
MAX_SITEMAP_BYTES = 50_000_000


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, name: str) -> str | None:
    for child in el.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def sitemap_records(
    stream: BinaryIO,
    name: str,
    *,
    allow_private: bool = False,
    timeout: float | None = 30.0,
    depth: int = 0,
) -> Iterator[Record]:
    """The page records of the sitemap read from ``stream`` (``name`` names it in messages); the sitemaps a
    sitemap index lists are fetched (``allow_private``, ``timeout``: as for any fetch) and read in turn.

    Yields Records of kind 'url', and bad records for a broken sitemap, one that cannot be fetched, or an
    index nested too deep."""
    from lxml import etree

    parser = etree.iterparse(
        stream, events=("end",), resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    nested: list[str] = []
    try:
        for _, el in parser:
            tag = _local(el.tag)
            if tag == "url":
                loc = _child_text(el, "loc")
                if loc:
                    yield _url_record(loc, el, name)
                el.clear()
            elif tag == "sitemap":
                loc = _child_text(el, "loc")
                if loc:
                    nested.append(loc)
                el.clear()
    except etree.XMLSyntaxError as err:
        yield bad_record(name, f"{name} is malformed XML ({' '.join(str(err).split())})")
    for loc in nested:
        if depth + 1 > MAX_DEPTH:
            yield bad_record(loc, f"{loc}: sitemap index nested more than {MAX_DEPTH} levels deep; not read")
            continue
        try:
            data = fetch_bytes(loc, allow_private=allow_private, timeout=timeout, max_bytes=MAX_SITEMAP_BYTES)
        except SaysoError as err:
            yield bad_record(loc, err.message, error=err)
            continue
        yield from sitemap_records(
            io.BytesIO(_gunzip(data)), loc, allow_private=allow_private, timeout=timeout, depth=depth + 1
        )


def _gunzip(data: bytes) -> bytes:
    if data[:2] != b"\x1f\x8b":
        return data
    import gzip

    try:
        return gzip.decompress(data)
    except (OSError, EOFError):
        return b""


def fetch_bytes(url: str, *, allow_private: bool, timeout: float | None, max_bytes: int) -> bytes:
    """The body at ``url``, fetched under :mod:`sayso.fetch`'s rules. Raises NetworkError or BadInput."""
    from ..fetch import fetch

    return fetch(url, allow_private=allow_private, max_bytes=max_bytes, deadline=timeout).content


def _url_record(loc: str, el, name: str) -> Record:
    lastmod = _child_text(el, "lastmod") or ""
    title = _child_text(el, "title")
    published = iso_date(_child_text(el, "publication_date") or "")
    hints = Article(text="", title=" ".join(title.split()) if title else None, published=published)
    return Record(
        input=loc,
        kind="url",
        url=loc,
        article=hints,
        meta={"sitemap": name, "lastmod": lastmod},
        identity="\x00".join(("url", loc, lastmod)).encode("utf-8"),
        html=True,
    )
