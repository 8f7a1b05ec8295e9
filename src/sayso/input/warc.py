"""Web archives: the HTML pages in a WARC or WARC.gz file (warcio), one record at a time.

>>> from sayso.input.warc import read_warc
>>> for record in read_warc("crawl.warc.gz"):  # doctest: +SKIP
...     print(record.url, record.meta["warc_date"])

Each ``response`` record holding an HTML page with HTTP status 200 (or a ``resource`` record of an HTML page)
becomes a :class:`~sayso.input.record.Record` of its raw page, with the record's ``WARC-Target-URI`` as its
URL and ``WARC-Date`` as metadata (and as the article's date when the page gives none). Requests, metadata,
revisits, redirects, error pages and non-HTML responses (images, scripts) are passed over: they are not
articles. A truncated or corrupt archive ends with one bad record saying where; what came before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..schema import Article
from .record import MAX_RECORD_BYTES, Record, bad_record

#: Media types read as pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")
_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T")


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not header:
        return None, None
    parts = [p.strip() for p in header.split(";")]
    charset = next((p.split("=", 1)[1].strip(" \"'") for p in parts[1:] if p.lower().startswith("charset=")), None)
    return parts[0].lower() or None, charset or None


def read_warc(path: str | Path, *, skipped: list[str] | None = None, data: bytes | None = None) -> Iterator[Record]:
    """The HTML page records of the WARC (or WARC.gz) file at ``path``, in order, streamed (one record in
    memory at a time).

    ``skipped``: when given, one word per record passed over is appended to it ('request', 'image/png',
    'status 404'...); ``data``: the file's bytes, already read (Spark's binary files: ``path`` then only names
    it). Yields Records of kind 'bytes' (metadata ``target_uri``, ``warc_date``, ``record_id``), and a bad
    record for a page too large, or where the archive is truncated or corrupt (then stops)."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    path = Path(path)
    size = len(data) if data is not None else path.stat().st_size
    with io.BytesIO(data) if data is not None else open(path, "rb") as fh:
        archive = ArchiveIterator(fh, check_digests=False)
        iterator = iter(archive)
        index = 0
        while True:
            try:
                rec = next(iterator)
            except StopIteration:
                last = getattr(archive, "member_info", None)  # (offset, length) of the last whole record
                end = sum(last) if isinstance(last, tuple) and index else int(getattr(archive, "offset", 0) or 0)
                left = size - end
                if left > 4:  # more than the blank lines after the last record: a record cut short
                    yield bad_record(
                        str(path),
                        f"{path} after record {index}: truncated or corrupt archive ({left:,} bytes at its end "
                        "are not a whole record)",
                        size,
                    )
                return
            except Exception as err:  # warcio, gzip and zlib raise assorted errors on damaged archives
                where = f"{path} after record {index}" if index else str(path)
                yield bad_record(
                    str(path),
                    f"{where}: truncated or corrupt archive ({type(err).__name__}: {' '.join(str(err).split())})",
                    fh.tell(),
                )
                return
            index += 1
            try:
                record = _page_record(path, rec, index, fh.tell(), skipped)
            except Exception as err:  # a record cut short inside its payload
                what = str(err) if isinstance(err, TruncatedRecord) else f"{type(err).__name__}: {err}"
                yield bad_record(
                    f"{path}#{index}",
                    f"{path}: record {index} is truncated or corrupt ({what}); the archive ends there",
                    fh.tell(),
                )
                return
            if record is not None:
                yield record


class TruncatedRecord(Exception):
    """A record whose content ends before its declared Content-Length: the archive was cut short."""


def _check_whole(rec) -> None:
    """Raise TruncatedRecord when the content of ``rec`` (read to its end) was shorter than declared."""
    missing = getattr(rec.raw_stream, "limit", 0)
    if isinstance(missing, int) and missing > 0:
        raise TruncatedRecord(f"{missing:,} bytes of its content missing")


def _page_record(path: Path, rec, index: int, position: int, skipped: list[str] | None) -> Record | None:
    """The Record of WARC record ``rec`` (the ``index``-th of ``path``), or None when it is no page."""
    kind = rec.rec_type
    headers = rec.rec_headers
    uri = headers.get_header("WARC-Target-URI") or ""
    if kind == "response" and rec.http_headers is not None:
        status = rec.http_headers.get_statuscode()
        media, charset = _media_type(rec.http_headers.get_header("Content-Type"))
        if status != "200":
            reason = f"status {status}"
        else:
            reason = "" if media in HTML_TYPES else (media or "no content type")
    elif kind == "resource":
        media, charset = _media_type(headers.get_header("Content-Type"))
        reason = "" if media in HTML_TYPES else (media or "no content type")
    else:
        media = charset = None
        reason = kind or "unknown"
    if reason:
        while rec.content_stream().read(1 << 16):  # consumed, to see that the record is whole
            pass
        _check_whole(rec)
        if skipped is not None:
            skipped.append(reason)
        return None
    data = rec.content_stream().read(MAX_RECORD_BYTES + 1)
    name = uri or f"{path}#{index}"
    if len(data) > MAX_RECORD_BYTES:
        return bad_record(name, f"{name} in {path} is too large (more than {MAX_RECORD_BYTES:,} bytes)", position)
    _check_whole(rec)
    warc_date = headers.get_header("WARC-Date") or ""
    meta = {"target_uri": uri, "warc_date": warc_date, "record_id": headers.get_header("WARC-Record-ID") or ""}
    m = _DATE_RE.match(warc_date)
    hints = Article(text="", url=uri or None, published=m.group(1) if m else None)
    return Record(
        input=name,
        kind="bytes",
        data=data,
        name=name,
        content_type=media,
        charset=charset,
        url=uri or None,
        article=hints,
        meta=meta,
        identity=b"warc\x00" + uri.encode("utf-8", "replace") + b"\x00" + data,
        html=True,
        position=position,
    )
