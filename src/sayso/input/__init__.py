"""Reading inputs as a stream of records: article files, web archives, feeds, JSON Lines dumps, sitemaps,
URL lists and URLs.

>>> from sayso.input import iter_articles
>>> for article, meta in iter_articles("dump.jsonl"):  # doctest: +SKIP
...     print(article.title, meta)

:func:`read_records` yields the :class:`~sayso.input.record.Record` s of one input, recognised by
:func:`~sayso.input.detect.kind_of` (name and content), streamed; :func:`~sayso.input.record.record_article`
turns a record into an Article (extracting, or fetching, it); :func:`iter_articles` does both and passes
over bad records. These are plain functions of a path, so a Spark job can call them per file on its
executors. Readers of one format: :func:`~sayso.input.warc.read_warc`,
:func:`~sayso.input.feeds.feed_records`, :func:`~sayso.input.jsonl.read_jsonl`,
:func:`~sayso.input.sitemaps.sitemap_records`, :func:`~sayso.input.urls.read_url_list`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import BadInput, SaysoError
from ..schema import Article
from .detect import InputKind, kind_of, kind_of_bytes, open_maybe_gzip
from .record import MAX_RECORD_BYTES, Record, bad_record, record_article

__all__ = [
    "InputKind",
    "Record",
    "bad_record",
    "iter_articles",
    "kind_of",
    "read_records",
    "read_url_records",
    "record_article",
]

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_TYPES = ("application/xml", "text/xml", *_FEED_TYPES)


def read_records(
    item: str,
    *,
    fields: Mapping[str, str] | None = None,
    allow_private: bool = False,
    timeout: float | None = 30.0,
    kind: InputKind | None = None,
) -> Iterator[Record]:
    """The records of input ``item``: a file (its kind from :func:`~sayso.input.detect.kind_of` unless
    ``kind`` is given), an http(s) URL (a page, a feed or a sitemap, by what comes back) or '-' (stdin, one
    article).

    ``fields``: JSON Lines field names (:func:`~sayso.input.jsonl.parse_field_map`); ``allow_private`` and
    ``timeout``: for what is fetched here (a URL, a sitemap index's sitemaps). A file that cannot be read
    (missing: InputNotFound; a folder, a FIFO, its name and content disagreeing: BadInput) or a URL that
    cannot be fetched is one bad record carrying that error; never raises for a bad input."""
    if item == "-":
        from ..loading import load

        try:
            article = load("-")
        except SaysoError as err:
            yield bad_record("-", err.message, error=err)
            return
        yield Record(input="-", kind="article", article=article)
        return
    if _URL_RE.match(item):
        yield from read_url_records(item, allow_private=allow_private, timeout=timeout)
        return
    from ..loading import path_problem

    path = Path(item).expanduser()
    if problem := path_problem(path):
        yield bad_record(item, problem.message, error=problem)
        return
    try:
        found = kind or kind_of(path)
    except BadInput as err:
        yield bad_record(item, err.message, error=err)
        return
    if found == "warc":
        from .warc import read_warc

        yield from read_warc(path)
    elif found == "jsonl":
        from .jsonl import read_jsonl

        yield from read_jsonl(path, fields)
    elif found == "feed":
        from .feeds import MAX_FEED_BYTES, feed_records

        try:
            with open_maybe_gzip(path) as fh:
                data = fh.read(MAX_FEED_BYTES + 1)
        except (OSError, EOFError) as err:
            yield bad_record(item, f"cannot read {item}: {err}")
            return
        if len(data) > MAX_FEED_BYTES:
            yield bad_record(item, f"{item} is too large for a feed (more than {MAX_FEED_BYTES:,} bytes)")
            return
        yield from feed_records(data, item, position=path.stat().st_size)
    elif found == "sitemap":
        from .sitemaps import sitemap_records

        with open_maybe_gzip(path) as fh:
            yield from sitemap_records(fh, item, allow_private=allow_private, timeout=timeout)
    else:
        yield from _page_records(item, path)


def _page_records(item: str, path: Path) -> Iterator[Record]:
    """The one record of an article file (text, Markdown or HTML), identified by its bytes as before."""
    from ..loading import HTML_SUFFIXES, read_path

    try:
        data = read_path(path, MAX_RECORD_BYTES)
    except SaysoError as err:
        yield bad_record(item, err.message, error=err)
        return
    yield Record(
        input=item,
        kind="bytes",
        data=data,
        name=item,
        identity=data,
        html=path.suffix.lower() in HTML_SUFFIXES,
        position=len(data),
    )


def read_url_records(url: str, *, allow_private: bool = False, timeout: float | None = 30.0) -> Iterator[Record]:
    """The records at ``url``: the items of a feed, the pages of a sitemap, or the page itself, by what the
    server sends (its content type, else its first bytes); the page is identified by its URL and bytes, so
    the same bytes are not parsed twice. A URL that cannot be fetched is one bad record with its
    NetworkError (or BadInput: too large)."""
    from ..fetch import fetch

    try:
        fetched = fetch(url, allow_private=allow_private, max_bytes=MAX_RECORD_BYTES * 5, deadline=timeout)
    except SaysoError as err:
        yield bad_record(url, err.message, error=err)
        return
    data = fetched.content
    kind = _fetched_kind(fetched.content_type, data)
    if kind == "feed":
        from .feeds import feed_records

        yield from feed_records(data, url, position=len(data))
    elif kind == "sitemap":
        from .sitemaps import _gunzip, sitemap_records

        yield from sitemap_records(io.BytesIO(_gunzip(data)), url, allow_private=allow_private, timeout=timeout)
    elif len(data) > MAX_RECORD_BYTES:
        yield bad_record(url, f"{url} is too large (more than {MAX_RECORD_BYTES:,} bytes)")
    else:
        yield Record(
            input=url,
            kind="bytes",
            data=data,
            name=url,
            url=fetched.url,
            content_type=fetched.content_type,
            charset=fetched.charset,
            identity=b"page\x00" + fetched.url.encode("utf-8", "replace") + b"\x00" + data,
            html=True,
            position=len(data),
        )


def _fetched_kind(content_type: str | None, data: bytes) -> InputKind:
    """'feed', 'sitemap' or 'page' for a fetched body."""
    from .detect import xml_root
    from .sitemaps import _gunzip

    body = _gunzip(data[:65536]) if data[:2] == b"\x1f\x8b" else data[:8192]
    if content_type in _FEED_TYPES:
        return "feed"
    if content_type in _XML_TYPES or content_type in (None, "application/octet-stream", "application/x-gzip"):
        try:
            found = kind_of_bytes("fetched", body)
        except BadInput:
            return "page"
        return found if found in ("feed", "sitemap") else "page"
    if content_type == "text/plain" and xml_root(body) in ("rss", "feed", "urlset", "sitemapindex"):
        return "feed" if xml_root(body) in ("rss", "feed") else "sitemap"
    return "page"


def iter_articles(
    item: str,
    *,
    fields: Mapping[str, str] | None = None,
    allow_private: bool = False,
    timeout: float | None = 30.0,
    errors: list[tuple[str, SaysoError]] | None = None,
) -> Iterator[tuple[Article, dict[str, str]]]:
    """The articles of input ``item`` with each record's metadata (see :func:`read_records`), bad records
    passed over (and appended to ``errors`` as (input, error) when it is given)."""
    for record in read_records(item, fields=fields, allow_private=allow_private, timeout=timeout):
        try:
            article = record_article(record, allow_private=allow_private, timeout=timeout)
        except SaysoError as err:
            if errors is not None:
                errors.append((record.input, err))
            continue
        yield article, dict(record.meta)
