"""JSON Lines dumps of articles (news-please and most scrapers): one JSON object a line.

The fields read by default are news-please's: ``maintext`` (the body), ``title``, ``url``, ``date_publish``,
``authors`` and ``source_domain``, with ``text``, ``published`` and ``outlet`` as fall-backs. Other names are
mapped with :func:`parse_field_map` (``--field text=body``). Blank lines are passed over; a line that is not
a JSON object, or has no body text, is a bad record. Read as a stream: one line in memory at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import BadInput
from ..schema import Article
from .detect import open_maybe_gzip
from .record import MAX_RECORD_BYTES, Record, bad_record

#: sayso's article fields → the keys looked for, in order.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("maintext", "text"),
    "title": ("title",),
    "url": ("url",),
    "published": ("date_publish", "published"),
    "authors": ("authors",),
    "outlet": ("source_domain", "outlet"),
    "language": ("language",),
}
_DATE_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def parse_field_map(specs: list[str] | None) -> dict[str, str]:
    """``['text=body', 'published=date']`` as {sayso field: JSON key}. A key may be a dotted path into
    nested objects (``text=content.body``). Raises BadInput for a spec that is not FIELD=KEY or names a
    field sayso does not have."""
    out: dict[str, str] = {}
    for spec in specs or []:
        field, sep, key = spec.partition("=")
        field, key = field.strip(), key.strip()
        if not sep or not field or not key:
            raise BadInput(f"--field {spec!r}: expected FIELD=KEY, e.g. --field text=body")
        if field not in DEFAULT_FIELDS:
            raise BadInput(f"--field {spec!r}: unknown field {field!r} (one of {', '.join(DEFAULT_FIELDS)})")
        out[field] = key
    return out


def _get(obj: Mapping[str, Any], path: str) -> Any:
    value: Any = obj
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _string(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from a date or date-time string ('2024-03-22 10:31:00', '2024-03-22T10:31Z') or a Unix
    timestamp in seconds; None when it is none of these."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return None


def _authors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [a for a in (_string(v) for v in value) if a]
    text = _string(value)
    return [a.strip() for a in re.split(r";|\band\b", text) if a.strip()] if text else []


def article_from_object(obj: Mapping[str, Any], fields: Mapping[str, str] | None = None) -> Article:
    """The Article in the JSON object ``obj`` (news-please field names unless ``fields`` maps sayso fields to
    other keys). Raises BadInput when it has no body text."""
    from ..outlets import outlet_for_domain, outlet_for_url

    fields = fields or {}

    def pick(name: str) -> Any:
        keys = (fields[name],) if name in fields else DEFAULT_FIELDS[name]
        for key in keys:
            value = _get(obj, key)
            if value not in (None, "", []):
                return value
        return None

    raw_text = pick("text")
    text = raw_text.strip() if isinstance(raw_text, str) else ""
    if not text:
        key = fields.get("text") or "maintext"
        raise BadInput(f"no article text (no {key!r} field, or it is empty; map another with --field text=KEY)")
    url = _string(pick("url"))
    outlet = _string(pick("outlet"))
    if outlet and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", outlet, re.I):
        outlet = outlet_for_domain(outlet)  # news-please's source_domain: 'reuters.com' -> 'Reuters'
    return Article(
        title=_string(pick("title")),
        outlet=outlet or outlet_for_url(url),
        published=iso_date(pick("published")),
        url=url,
        text=text,
        authors=_authors(pick("authors")),
        language=_string(pick("language")),
    )


def read_jsonl(path: str | Path, fields: Mapping[str, str] | None = None) -> Iterator[Record]:
    """The records of the JSON Lines file at ``path`` (gzip-compressed or not), one per non-blank line, in
    order (``fields``: see :func:`article_from_object`). Yields Records of kind 'article' (input
    ``path#LINE``), and a bad record for each line that is not a JSON object with body text."""
    path = Path(path)
    spec = json.dumps(dict(sorted((fields or {}).items()))).encode()
    with open_maybe_gzip(path) as fh:
        raw = getattr(fh, "fileobj", None) or fh  # the compressed file, for progress
        number = 0
        while True:
            try:
                line = fh.readline(MAX_RECORD_BYTES + 1)
            except (OSError, EOFError) as err:  # a truncated or corrupt .gz
                yield bad_record(str(path), f"{path}: truncated or corrupt after line {number} ({err})", _tell(raw))
                return
            if not line:
                return
            number += 1
            where = f"{path}#{number}"
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                while (rest := fh.readline(MAX_RECORD_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield bad_record(where, f"{where}: line longer than {MAX_RECORD_BYTES:,} bytes", _tell(raw))
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                yield bad_record(where, f"{where}: not valid JSON ({err.__class__.__name__}: {err})", _tell(raw))
                continue
            if not isinstance(obj, dict):
                yield bad_record(where, f"{where}: not a JSON object", _tell(raw))
                continue
            try:
                article = article_from_object(obj, fields)
            except BadInput as err:
                yield bad_record(where, f"{where}: {err.message}", _tell(raw))
                continue
            yield Record(
                input=where,
                kind="article",
                article=article,
                url=article.url,
                meta={"line": str(number)},
                identity=b"jsonl\x00" + spec + b"\x00" + line.strip(),
                html=False,
                position=_tell(raw),
            )


def _tell(fh: Any) -> int:
    try:
        return int(fh.tell())
    except (OSError, ValueError, AttributeError):
        return 0
