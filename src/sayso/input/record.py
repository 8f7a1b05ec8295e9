"""One record of an input: a page, an article or a URL, with what is known of it before it is parsed.

A :class:`Record` is what every reader in :mod:`sayso.input` yields: plain data (picklable, so it can go to a
worker process or a Spark executor), turned into an :class:`~sayso.schema.Article` by :func:`record_article`.
A record that could not be read (a truncated archive, broken XML, an invalid JSON line) carries its
``error`` instead and is counted as bad.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..errors import BadInput, SaysoError
from ..schema import Article

#: How a record becomes an article: 'bytes' (a page or file to extract, in ``data``), 'article' (read
#: already, in ``article``), 'url' (to fetch from ``url``), 'bad' (unreadable: see ``error``).
RecordKind = Literal["bytes", "article", "url", "bad"]
#: The most bytes one record may hold (the largest article :func:`sayso.loading.load` accepts).
MAX_RECORD_BYTES = 10_000_000


@dataclass
class Record:
    """A record read from an input, not parsed yet.

    ``input``: where it came from, for messages and the Article's ``input`` (a path, a URL, or
    ``path#line``); ``kind``: see :data:`RecordKind`; ``data``: the raw page ('bytes'); ``name``: the name
    the page is read under (a file name ending in .html is HTML); ``content_type``/``charset``: as declared
    with the page; ``url``: the page's URL (fetched, or archived under); ``article``: the article ('article')
    or what is known of it beforehand (title, date, authors from a feed or sitemap: filled in where the page
    says nothing); ``meta``: other metadata as strings (``target_uri``, ``warc_date``, ``guid``, ``feed``,
    ``lastmod``...); ``identity``: the bytes that identify the raw record (hashed into its input hash; None:
    read it every time); ``html``: whether ``identity`` is read as HTML; ``error``: why a bad record is bad;
    ``position``: bytes of its input consumed once the record was read (for progress)."""

    input: str
    kind: RecordKind
    data: bytes | None = None
    name: str | None = None
    content_type: str | None = None
    charset: str | None = None
    url: str | None = None
    article: Article | None = None
    meta: dict[str, str] = field(default_factory=dict)
    identity: bytes | None = None
    html: bool = False
    error: SaysoError | None = None
    position: int = 0

    def digest(self, mode: str = "") -> str | None:
        """The :func:`~sayso.store.input_hash` of this record in analysis ``mode`` (None: no identity, read
        it every time)."""
        if self.identity is None:
            return None
        from ..store import input_hash

        return input_hash(self.identity, html=self.html, mode=mode)


def bad_record(input: str, message: str, position: int = 0, error: SaysoError | None = None) -> Record:
    """A bad record from ``input``: ``message`` says why (a BadInput unless ``error`` is given)."""
    return Record(input=input, kind="bad", error=error or BadInput(message), position=position)


def _fill(article: Article, hints: Article | None, url: str | None, input: str) -> Article:
    """``article`` with what it lacks taken from ``hints`` (title, date, authors, outlet from a feed or a
    sitemap) and ``url``, and its ``input`` set to ``input``."""
    from ..outlets import outlet_for_url

    updates: dict[str, object] = {"input": input}
    if hints is not None:
        for name in ("title", "published", "outlet", "url"):
            if getattr(article, name) is None and getattr(hints, name) is not None:
                updates[name] = getattr(hints, name)
        if not article.authors and hints.authors:
            updates["authors"] = list(hints.authors)
    if article.url is None and "url" not in updates and url:
        updates["url"] = url
    if article.outlet is None and "outlet" not in updates:
        updates["outlet"] = outlet_for_url(str(updates.get("url") or article.url or url or "") or None)
    return article.model_copy(update=updates)


def record_article(record: Record, *, allow_private: bool = False, timeout: float | None = 30.0) -> Article:
    """The Article of ``record``: extracted from its bytes, fetched from its URL (under the rules of
    :mod:`sayso.fetch`: no private or loopback address unless ``allow_private``; ``timeout`` seconds in all),
    or the article it holds; metadata known beforehand fills what the page leaves out.

    Raises the record's own error for a bad record, BadInput (no article text, undecodable, too large) or
    NetworkError (URL refused, unreachable, too slow)."""
    from ..loading import article_from_bytes, guess_language, load

    if record.kind == "bad":
        raise record.error or BadInput(f"{record.input}: unreadable record")
    if record.kind == "article":
        if record.article is None or not record.article.text.strip():
            raise BadInput(f"no article text in {record.input}")
        article = record.article
        if article.language is None:
            article = article.model_copy(update={"language": guess_language(article.text)})
        return _fill(article, None, record.url, record.input)
    if record.kind == "url":
        if not record.url:
            raise BadInput(f"{record.input}: no URL to fetch")
        article = load(record.url, allow_private=allow_private, max_bytes=MAX_RECORD_BYTES, timeout=timeout)
        return _fill(article, record.article, record.url, record.input)
    if record.data is None:
        raise BadInput(f"{record.input}: no content")
    article = article_from_bytes(
        record.data,
        record.name or record.input,
        source=record.input,
        url=record.url,
        content_type=record.content_type,
        charset=record.charset,
    )
    return _fill(article, record.article, record.url, record.input)
