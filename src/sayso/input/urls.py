"""Lists of URLs (``sayso ingest --urls FILE``): one http(s) URL a line; blank lines and lines starting
with ``#`` are passed over. Each URL is a record to fetch, identified by the URL itself, so a URL stored
before is not fetched again (unless ``--force``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .record import Record, bad_record

_URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)


def read_url_list(path: str | Path) -> Iterator[Record]:
    """The URLs listed in the text file at ``path``, as Records of kind 'url' (input: the URL), streamed;
    a line that is not an http(s) URL is a bad record."""
    path = Path(path)
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.decode("utf-8", "replace").strip()
            if not line or line.startswith("#"):
                continue
            if not _URL_RE.match(line):
                yield bad_record(f"{path}#{number}", f"{path}#{number}: not an http(s) URL", fh.tell())
                continue
            yield Record(
                input=line,
                kind="url",
                url=line,
                meta={"list": str(path), "line": str(number)},
                identity=b"url\x00" + line.encode("utf-8") + b"\x00",
                html=True,
                position=fh.tell(),
            )
