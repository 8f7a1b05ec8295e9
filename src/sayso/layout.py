"""Parsing plain-text and Markdown-ish articles into an :class:`~sayso.schema.Article`.

The layout understood is the one of ``src/sayso/data/example.txt`` (a news page saved as Markdown)::

    # Title
    March 22, 2024
    Photo caption. **Photographer / Agency**
    *Updated with comments from ...*
    Body paragraph with a [link](#) ...
    **Related article:** [Another story](#)
    Body paragraph ...
    Original url:
    <https://www.example.com/story>

Every part but the body is optional, so plain text without this layout comes out as body only (a first
``# X`` line is still the title, a ``By X`` line before the body gives the authors). The body keeps the
source's characters, paragraphs are joined by a blank line (``"\\n\\n"``), Markdown links are reduced to their
text and emphasis markers are dropped. A paragraph break is never repaired, even where it splits a sentence:
what the page shows as two paragraphs stays two.
"""

from __future__ import annotations

import datetime as dt
import re

from .outlets import outlet_for_url
from .schema import Article, Caption
from .timex import MONTHS

_MONTHS = MONTHS
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DATE_PREFIX = r"(?:(?:published|posted|date|dated)\s*:?\s*)?"
_TIME_TAIL = r"(?:\s*[,|·–—-]?\s*(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?"
_DATE_RES = [
    re.compile(rf"^{_DATE_PREFIX}{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME_TAIL}$", re.I),
    re.compile(rf"^{_DATE_PREFIX}{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME_TAIL}$", re.I),
    re.compile(
        rf"^{_DATE_PREFIX}(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?:[T ]\d{{2}}:\d{{2}}\S*)?$",
        re.I,
    ),
]

_LINK_RE = re.compile(r"(?<!!)\[([^\[\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_IMAGE_RE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", re.S)
_ITALIC_RE = re.compile(
    r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])|(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)", re.S
)
_CODE_RE = re.compile(r"`([^`\n]+)`")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")

_TITLE_RE = re.compile(r"^#(?!#)\s+(.+?)\s*#*\s*$")
_HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.S)
_RULE_RE = re.compile(r"^(?:[-*_]\s*){3,}$")
_URL_MARKER_RE = re.compile(
    r"^(?:original\s+url|original\s+article|source\s+url|canonical\s+url|url)\s*:\s*(?P<rest>.*)$",
    re.I | re.S,
)
_URL_RE = re.compile(r"^<?(?P<url>https?://[^\s<>]+)>?$", re.I)
_RELATED_RE = re.compile(
    r"^\*\*\s*(?:related(?:\s+(?:articles?|stories|story|content|reading))?|read\s+more|see\s+also|"
    r"more\s+on\s+this(?:\s+story)?)\s*:?\s*\*\*\s*:?\s*(?P<rest>.*)$",
    re.I | re.S,
)
_CAPTION_RE = re.compile(r"^(?P<text>[^\n]*?\S)\s*\*\*(?P<credit>[^*\n]{1,120})\*\*\s*$")
_NOTE_RE = re.compile(r"^(?:\*(?!\*)(?P<a>.+?)(?<!\*)\*|_(?!_)(?P<b>.+?)(?<!_)_)$", re.S)
_NOTE_WORDS_RE = re.compile(
    r"^(?:updated?|correction|corrected|clarification|editor[’']s\s+note|this\s+(?:article|story)\s+"
    r"(?:has\s+been|was))\b",
    re.I,
)
_BYLINE_RE = re.compile(r"^(?:written\s+)?by\s+(?P<names>\S.{0,150})$", re.I)
_NAME_RE = re.compile(r"^(?:[A-Z][\w.’'-]*|van|von|de|der|da|del|la|le|bin|al|el)(?:\s+\S+){0,4}$")
_ROLE_RE = re.compile(r"\b(?:writer|correspondent|reporter|editor|staff|contributor|columnist)s?\b", re.I)


def clean_inline(text: str) -> str:
    """``text`` with Markdown inline syntax removed: links reduced to their text, images dropped,
    autolinks to their URL, emphasis and code markers removed, backslash escapes resolved.

    Every other character is kept as it is (curly quotes, bracketed insertions such as ``[sic]``)."""
    text = _IMAGE_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        text = _BOLD_RE.sub(lambda m: m.group(1) or m.group(2), text)
        text = _ITALIC_RE.sub(lambda m: m.group(1) or m.group(2), text)
    return _ESCAPE_RE.sub(r"\1", text)


def parse_date(line: str) -> str | None:
    """``line`` as an ISO date (``'March 22, 2024'`` → ``'2024-03-22'``) when the whole line is a date,
    optionally with a weekday, a 'Published:' prefix or a trailing time; else None."""
    line = clean_inline(line.strip())
    for rx in _DATE_RES:
        m = rx.match(line)
        if not m:
            continue
        month = m.group("month")
        month_no = int(month) if month.isdigit() else _MONTHS[month.lower()]
        try:
            return dt.date(int(m.group("year")), month_no, int(m.group("day"))).isoformat()
        except ValueError:
            return None
    return None


def parse_byline(line: str) -> list[str]:
    """The author names of a ``By X`` line (``'By Ann Lee and Bo Park'`` → ``['Ann Lee', 'Bo Park']``),
    or an empty list when ``line`` is not a byline."""
    m = _BYLINE_RE.match(clean_inline(line.strip()))
    if not m:
        return []
    names = re.split(r"\s+(?:in|for|at)\s+(?=[A-Z])|\s*[|·]\s*", m.group("names"))[0]
    parts = [p.strip(" .") for p in re.split(r"\s*(?:,|;|\band\b|&)\s*", names)]
    authors = [p for p in parts if p and _NAME_RE.match(p) and not _ROLE_RE.search(p)]
    return authors if authors and all(p[0].isupper() for p in authors) else []


def _blocks(text: str) -> list[str]:
    """The non-empty blocks of ``text`` separated by blank lines, each stripped."""
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _related_titles(rest: str) -> list[str]:
    links = _LINK_RE.findall(rest)
    if links:
        return [clean_inline(t).strip() for t in links if t.strip()]
    rest = clean_inline(rest).strip()
    return [rest] if rest else []


def parse_layout(text: str) -> Article:
    """Parse ``text`` (plain text or the Markdown-ish news layout) into an Article.

    ``text`` is the decoded file content. Returns an Article whose ``text`` is the body (possibly empty
    when the input holds no body paragraph); ``outlet`` comes from the URL's domain when a URL is given."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = _blocks(text)
    title: str | None = None
    if blocks:
        lines = blocks[0].split("\n")
        first = _TITLE_RE.match(lines[0])
        setext = len(lines) >= 2 and re.fullmatch(r"=+\s*", lines[1])
        if first or setext:
            title = clean_inline(first.group(1) if first else lines[0].strip()).strip()
            rest = "\n".join(lines[2:] if setext and not first else lines[1:]).strip()
            blocks = ([rest] if rest else []) + blocks[1:]

    published: str | None = None
    url: str | None = None
    authors: list[str] = []
    notes: list[str] = []
    captions: list[Caption] = []
    related: list[str] = []
    body: list[str] = []
    url_pending = False

    for block in blocks:
        single_line = "\n" not in block
        if url_pending:
            m = _URL_RE.match(block)
            url_pending = False
            if m and url is None:
                url = m.group("url")
                continue
        if m := _URL_MARKER_RE.match(block):
            rest = m.group("rest").strip()
            m_url = _URL_RE.match(rest)
            if m_url or not rest:
                if m_url and url is None:
                    url = m_url.group("url")
                url_pending = not rest
                continue
        if m := _RELATED_RE.match(block):
            related.extend(_related_titles(m.group("rest")))
            continue
        if _RULE_RE.match(block) or not _IMAGE_RE.sub("", block).strip():
            continue  # horizontal rule or image-only block
        if not body and single_line:
            if published is None and (date := parse_date(block)):
                published = date
                continue
            if not authors and (names := parse_byline(block)):
                authors = names
                continue
        if single_line and (m := _CAPTION_RE.match(block)) and "**" not in m.group("text"):
            caption_text = clean_inline(m.group("text")).strip()
            if len(caption_text) <= 400:
                captions.append(Caption(text=caption_text, credit=clean_inline(m.group("credit")).strip()))
                continue
        if m := _NOTE_RE.match(block):
            note = clean_inline(m.group("a") or m.group("b")).strip()
            if not body or _NOTE_WORDS_RE.match(note):
                notes.append(note)
                continue
        if m := _HEADING_RE.match(block):
            block = m.group(1)
        paragraph = clean_inline(block).strip()
        if paragraph:
            body.append(paragraph)

    return Article(
        title=title or None,
        outlet=outlet_for_url(url),
        published=published,
        url=url,
        text="\n\n".join(body),
        authors=authors,
        notes=notes,
        captions=captions,
        related=related,
    )
