"""What kind of input a file is, by its name and its first bytes.

>>> kind_of_bytes("feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel>')
'feed'

Kinds: ``'warc'`` (a web archive, .warc or .warc.gz, starting ``WARC/``), ``'feed'`` (RSS or Atom: an XML file
whose root element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``), ``'sitemap'`` (``<urlset>`` or
``<sitemapindex>``), ``'jsonl'`` (a dump of JSON objects, one a line: .jsonl or .ndjson, optionally .gz),
``'page'`` (one article: plain text, Markdown or HTML). The name says what a file claims to be; its bytes must
agree, or :func:`kind_of` raises BadInput. A file with another name is recognised by its bytes alone, and read
as one article when they say nothing else.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path
from typing import Literal

from ..errors import BadInput

InputKind = Literal["warc", "feed", "sitemap", "jsonl", "page"]

#: Name endings of each kind (lower case); .xml is a feed or a sitemap, by its root element.
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
FEED_SUFFIXES = (".rss", ".atom", ".rdf")
XML_SUFFIXES = (".xml", ".xml.gz", *FEED_SUFFIXES)
PAGE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".shtml")
#: Every name ending a folder is walked for.
ALL_SUFFIXES = (*PAGE_SUFFIXES, *WARC_SUFFIXES, *JSONL_SUFFIXES, *XML_SUFFIXES)
#: Bytes looked at to recognise a file.
SNIFF_BYTES = 8192

_ROOT_RE = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*<\s*(?:[\w.-]+:)?([\w.-]+)",
    re.S | re.I,
)
_FEED_ROOTS = {"rss", "feed", "rdf"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}


def suffix_of(name: str) -> str:
    """The lower-case name ending that says the kind: '.warc.gz', '.jsonl', '.xml', '.html'... ('' if none)."""
    lower = name.lower()
    for suffix in sorted(ALL_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    return Path(lower).suffix


def head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of the file at ``path``, decompressed when it is gzip (a truncated gzip gives
    what could be decompressed). Raises OSError when it cannot be read."""
    with open(path, "rb") as fh:
        raw = fh.read(size)
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, size)
    except zlib.error:
        return b""


def xml_root(data: bytes) -> str | None:
    """The local name of the root element of the XML starting with ``data`` (lower case), or None."""
    text = data.lstrip(b"\xef\xbb\xbf")
    m = _ROOT_RE.match(text)
    return m.group(1).decode("ascii", "replace").lower() if m else None


def kind_of_bytes(name: str, data: bytes) -> InputKind:
    """The kind of the input called ``name`` whose first bytes (decompressed) are ``data``.

    Raises BadInput when the name claims a kind the bytes do not have (a .warc that is not a WARC file, a
    .jsonl not starting with a JSON object, a .xml that is neither a feed nor a sitemap)."""
    suffix = suffix_of(name)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    root = xml_root(data) if stripped.startswith(b"<") else None
    if suffix in WARC_SUFFIXES:
        if not stripped.startswith(b"WARC/"):
            raise BadInput(f"{name} is not a WARC file (it does not start with a WARC record)")
        return "warc"
    if suffix in JSONL_SUFFIXES:
        if stripped and not stripped.startswith(b"{"):
            raise BadInput(f"{name} is not a JSON Lines file (its first line is not a JSON object)")
        return "jsonl"
    if suffix in XML_SUFFIXES:
        if root in _FEED_ROOTS:
            return "feed"
        if root in _SITEMAP_ROOTS:
            return "sitemap"
        what = f"its root element is <{root}>" if root else "no XML root element found"
        raise BadInput(f"{name} is neither an RSS/Atom feed nor a sitemap ({what})")
    if suffix in PAGE_SUFFIXES:
        return "page"
    if stripped.startswith(b"WARC/"):
        return "warc"
    if root in _FEED_ROOTS:
        return "feed"
    if root in _SITEMAP_ROOTS:
        return "sitemap"
    if stripped.startswith(b"{") and b"\n" in stripped and stripped.split(b"\n", 1)[0].rstrip().endswith(b"}"):
        return "jsonl"
    return "page"


def kind_of(path: Path) -> InputKind:
    """The kind of the file at ``path`` (see :func:`kind_of_bytes`). Raises BadInput when its name and its
    bytes disagree or it cannot be read."""
    try:
        data = head(path)
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror or err}") from None
    return kind_of_bytes(str(path), data)


def is_gzip(path: Path) -> bool:
    """Whether the file at ``path`` starts with the gzip magic bytes."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def open_maybe_gzip(path: Path):
    """``path`` opened for reading bytes, decompressed on the fly when it is gzip."""
    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")
