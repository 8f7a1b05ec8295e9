"""Reading an article from a path, a URL or stdin into an :class:`~sayso.schema.Article`.

>>> from sayso.loading import load
>>> article = load("src/sayso/data/example.txt")
>>> article.outlet, article.published
('The Moscow Times', '2024-03-22')

Plain text and Markdown go through :mod:`sayso.layout`; HTML pages through trafilatura. Every problem a
user can cause raises one of :mod:`sayso.errors`' classes with a one-line message.
"""

from __future__ import annotations

import codecs
import errno
import logging
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path
from typing import BinaryIO

from .errors import BadInput, InputNotFound
from .outlets import outlet_for_url
from .schema import Article

log = logging.getLogger(__name__)

#: File suffixes read as HTML (anything else is sniffed, then read as plain text / Markdown).
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
#: Fewer words than this in an HTML page's main text means no article was found (menus, log-in pages).
MIN_HTML_WORDS = 20
#: Loggers of the HTML extraction libraries: below ERROR they only say things like 'discarding data: None'
#: on odd pages (deeply nested divs), which mean nothing to a user.
EXTRACTION_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")
_URL_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HTML_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def load(
    source: str, *, allow_private: bool = False, max_bytes: int = 10_000_000, timeout: float | None = 30.0
) -> Article:
    """Read the article at ``source``: a path to plain text, Markdown or HTML, an http(s) URL, or ``-`` for
    stdin.

    ``allow_private`` lets URLs point at private and loopback addresses; ``max_bytes`` is the largest input
    accepted; ``timeout`` the seconds fetching a URL may take in all (None: no limit). Returns the Article
    (``input`` set to ``source``, ``language`` to a guessed language code). Raises InputNotFound (missing
    path), BadInput (empty, binary, not UTF-8, too large, not a regular file, no article text) or
    NetworkError (URL refused, unreachable or too slow)."""
    content_type: str | None = None
    charset: str | None = None
    url: str | None = None
    if source == "-":
        name = "stdin"
        data = _read_capped(sys.stdin.buffer, name, max_bytes)
    elif _URL_SCHEME_RE.match(source):
        from .fetch import fetch

        fetched = fetch(source, allow_private=allow_private, max_bytes=max_bytes, deadline=timeout)
        name, data, url = source, fetched.content, fetched.url
        content_type, charset = fetched.content_type, fetched.charset
    else:
        name = source
        data = read_path(Path(source).expanduser(), max_bytes)
    return article_from_bytes(data, name, source=source, url=url, content_type=content_type, charset=charset)


def article_from_bytes(
    data: bytes,
    name: str,
    *,
    source: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    charset: str | None = None,
) -> Article:
    """The article in the raw bytes ``data`` of a file, a fetched page or an archived one (what :func:`load`
    does once it has the bytes).

    ``name`` names the input in messages (a file name ending in .html is read as HTML); ``source`` is set as
    the Article's ``input`` (default ``name``); ``url``: where the page was fetched from (then HTML-ness comes
    from ``content_type`` and the bytes, not the name); ``content_type`` and ``charset``: the media type and
    charset declared with the page, if any. Returns the Article with ``language`` guessed. Raises BadInput
    (empty, binary, not decodable, no article text)."""
    as_html = _is_html_source(name if url is None else "", content_type, data)
    if as_html and charset is None:
        m = _META_CHARSET_RE.search(data[:4096])
        charset = m.group(1).decode("ascii") if m else None
    text = decode(data, name, declared=charset)
    as_html = as_html or (content_type is None and bool(_HTML_START_RE.match(text[:2000])))
    article = article_from_html(text, name, url=url) if as_html else article_from_text(text, name)

    if url is not None:
        updates: dict[str, str | None] = {}
        if not article.url:
            updates["url"] = url
        if not article.outlet:
            updates["outlet"] = outlet_for_url(article.url or url)
        article = article.model_copy(update=updates)
    language = guess_language(article.text)
    if language and language != "en":
        log.warning(
            "%s looks like %s (%s), not English: sayso's models are English-only and will miss most of it",
            name,
            LANGUAGE_NAMES.get(language, language),
            language,
        )
    return article.model_copy(update={"language": language, "input": name if source is None else source})


#: What a file that is not a regular file is, by its ``stat`` mode test.
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def path_problem(path: Path, max_bytes: int | None = None) -> InputNotFound | BadInput | None:
    """Why the file at ``path`` cannot be read as an article, found with ``stat`` alone (nothing is opened,
    so a FIFO or a device cannot block): missing or a dangling link (InputNotFound), a symbolic-link loop,
    a folder, a FIFO, a device or a socket, unreadable, or larger than ``max_bytes`` (BadInput); None for a
    regular file that may be read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return InputNotFound(f"{path} is a broken symbolic link (its target does not exist); fix or remove it")
        return InputNotFound(f"no such file: {path}")
    except OSError as err:
        if err.errno == errno.ELOOP:
            return BadInput(f"{path} is a symbolic link loop (ELOOP); point the link at a real file")
        return BadInput(f"cannot read {path}: {err.strerror or err}")
    if stat.S_ISDIR(info.st_mode):
        return BadInput(f"{path} is a folder, not a file ('sayso ingest' reads folders)")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(info.st_mode)), "not a regular file")
        return BadInput(f"{path} is {kind}, not a regular file; save the article to a file, or pipe it to '-'")
    if max_bytes is not None and info.st_size > max_bytes:
        return BadInput(f"{path} is too large ({info.st_size:,} bytes; the limit is {max_bytes:,})")
    return None


def read_path(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, refusing (BadInput) one larger than ``max_bytes``, a
    folder, a FIFO, a device or a socket before opening it (:func:`path_problem`). Raises InputNotFound
    when ``path`` does not exist."""
    if problem := path_problem(path, max_bytes):
        raise problem
    try:
        # O_NONBLOCK: should the path have been swapped for a FIFO since the check, opening cannot block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise BadInput(f"cannot read {path}: {err.strerror or err}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadInput(f"{path} is not a regular file; save the article to a file, or pipe it to '-'")
        try:
            return _read_capped(fh, str(path), max_bytes)
        except OSError as err:
            raise BadInput(f"cannot read {path}: {err.strerror or err}") from None


def _read_capped(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BadInput(f"{name} is too large (more than {max_bytes:,} bytes)")
    return data


def _is_html_source(name: str, content_type: str | None, data: bytes) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    return Path(name).suffix.lower() in HTML_SUFFIXES


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1b")
    return bad / len(sample)


def decode(data: bytes, name: str, *, declared: str | None = None) -> str:
    """``data`` decoded to text: UTF-8 (with or without a BOM), UTF-16 with a BOM, the ``declared`` charset
    (from HTTP or an HTML meta tag) when it decodes cleanly, else Windows-1252 when that decodes cleanly
    and the result is plain text (with a logged warning).

    ``name`` names the input in messages. Raises BadInput for empty, whitespace-only, binary or
    undecodable input."""
    if not data:
        raise BadInput(f"{name} is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInput(f"{name} is not valid UTF-16 although it starts with a UTF-16 byte-order mark") from None
        return _checked_text(text, name)
    if b"\x00" in data[:65536]:
        raise BadInput(f"{name} looks like a binary file (it contains NUL bytes), not text")
    if data.startswith(b"%PDF-"):
        raise BadInput(f"{name} is a PDF file; sayso reads plain text, Markdown or HTML")
    codec = _codec(declared) if declared else None
    if codec not in (None, "utf-8"):
        try:
            return _checked_text(data.decode(codec), name)
        except (UnicodeError, LookupError, ValueError):  # a text codec may still refuse these bytes
            pass
    try:
        return _checked_text(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as err:
        first_bad = err.start
    ascii_share = sum(1 for b in data[:65536] if b < 0x80) / min(len(data), 65536)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and ascii_share >= 0.8 and _control_ratio(text) == 0:
        log.warning("%s is not valid UTF-8; read it as Windows-1252 (cp1252): check its quotes and accents", name)
        return _checked_text(text, name)
    if ascii_share < 0.7 or (text is not None and _control_ratio(text) > 0.01):
        raise BadInput(f"{name} looks like a binary file, not text")
    raise BadInput(f"{name} is not valid UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}); save it as UTF-8")


def _codec(charset: str) -> str | None:
    """The name of the text encoding ``charset`` names, or None when it names none: unknown names, and
    codecs that are not text encodings (hex, base64, rot13, zlib, bz2, uu, quopri…), which a page may
    declare but which cannot decode it."""
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError, TypeError):
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _checked_text(text: str, name: str) -> str:
    if not text.strip():
        raise BadInput(f"{name} is empty (only whitespace)")
    if _control_ratio(text) > 0.01:
        raise BadInput(f"{name} looks like a binary file (many control characters), not text")
    return text


def article_from_text(text: str, name: str) -> Article:
    """The Article in plain-text or Markdown ``text`` (see :mod:`sayso.layout`); ``name`` names the input
    in messages. Raises BadInput when there is no body text."""
    from .layout import parse_layout  # (its date patterns take a while to compile: only when needed)

    article = parse_layout(text)
    if not article.text.strip():
        raise BadInput(f"no article text in {name} (only a title, date or links)")
    return article


def article_from_html(html: str, name: str, *, url: str | None = None) -> Article:
    """The Article in the HTML page ``html``, extracted with trafilatura: main text (paragraphs joined by a
    blank line), title, authors, date, outlet (site name, else from the domain) and canonical URL.

    ``name`` names the input in messages; ``url`` is where the page was fetched from, if anywhere.
    Raises BadInput when the page holds no article text."""
    import trafilatura

    quiet_extraction_logs()

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception as err:  # trafilatura raises assorted lxml/parser errors on malformed pages
        raise BadInput(f"cannot parse the HTML of {name}: {type(err).__name__}: {err}") from None
    raw = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    title = " ".join((getattr(doc, "title", None) or "").split())
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the page's <h1> repeats the title
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_HTML_WORDS:
        found = f" (only {words} words of page furniture)" if words else ""
        raise BadInput(f"no article text found in the HTML of {name}{found}")
    page_url = getattr(doc, "url", None) or url
    sitename = (getattr(doc, "sitename", None) or "").strip()
    if sitename and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", sitename, re.I):
        sitename = ""  # a bare domain, not a name: use the table
    outlet = sitename or outlet_for_url(page_url)
    authors = [a.strip() for a in re.split(r";|\band\b", getattr(doc, "author", None) or "") if a.strip()]
    return Article(
        title=_strip_site_suffix(getattr(doc, "title", None), outlet),
        outlet=outlet,
        published=_iso_date(getattr(doc, "date", None)),
        url=page_url,
        text="\n\n".join(paragraphs),
        authors=authors,
    )


def quiet_extraction_logs() -> None:
    """Show only errors from the extraction libraries' loggers (:data:`EXTRACTION_LOGGERS`), unless a level
    was set for one of them already (by whoever configured logging)."""
    for name in EXTRACTION_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.ERROR)


def _strip_site_suffix(title: str | None, outlet: str | None) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    if outlet:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            if title.endswith(sep + outlet):
                return title[: -len(sep + outlet)].strip()
    return title


def _iso_date(value: str | None) -> str | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    return None


# --- language guess -------------------------------------------------------------------------------

#: Language code → English name, for messages.
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "tr": "Turkish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "Hindi",
    "th": "Thai",
}

_STOPWORDS = {
    "en": "the of and to in a is that for on it with as was he said by at from his an be have are has but "
    "not this they were which who will their",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
    "werden aus er hat dass sie nach wird bei",
    "fr": "le la les de des et en un une du est que qui dans pour pas au sur ne se par il plus avec sont cette ont aux",
    "es": "de la que el en y los se del las un por con no una su para es al lo como más pero sus le ha fue este",
    "it": "di e il la che in un per è non una del della le si da con sono al lo dei gli ha anche nel alla",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als bij door worden maar om",
    "pl": "i w nie na się z do to że jest o jak ale po co tak za od już przez jego są",
    "sv": "och i att det som en på är av för med till den inte om har de ett var jag",
    "tr": "ve bir bu da de için ile olarak daha çok gibi en olan ama ne kadar sonra",
    "ru": "и в не на что с он как по это к но из у за от о же так все его для был она",
    "uk": "і в не на що з він як по це до але із у за від та її його для був вона є",
}
_STOPWORD_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_SCRIPT_LANGS = {
    "ARABIC": "ar",
    "HANGUL": "ko",
    "GREEK": "el",
    "HEBREW": "he",
    "DEVANAGARI": "hi",
    "THAI": "th",
    "CJK": "zh",
}


def guess_language(text: str) -> str | None:
    """A cheap guess of the language of ``text``: the dominant script, then the share of common function
    words per language. Returns an ISO 639-1 code ('en', 'de', ...) or None when the text is too short or
    matches no language well."""
    sample = text[:20000]
    scripts: dict[str, int] = {}
    for ch in sample:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            scripts[script] = scripts.get(script, 0) + 1
    if not scripts:
        return None
    script = max(scripts, key=scripts.__getitem__)
    if script in ("HIRAGANA", "KATAKANA") or (script == "CJK" and scripts.get("HIRAGANA", 0) > 0):
        return "ja"
    if script in _SCRIPT_LANGS:
        return _SCRIPT_LANGS[script]
    words = re.findall(r"[^\W\d_]+", sample.lower())
    if len(words) < 5:
        return None
    candidates = ("ru", "uk") if script == "CYRILLIC" else tuple(k for k in _STOPWORD_SETS if k not in ("ru", "uk"))
    scores = {lang: sum(w in _STOPWORD_SETS[lang] for w in words) / len(words) for lang in candidates}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 0.05 else None
