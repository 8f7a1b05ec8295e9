"""Property tests of reading input: byte decoding, the plain-text / Markdown layout, HTML extraction and
:func:`sayso.loading.load` on arbitrary files. They raise nothing but sayso's errors (``BadInput`` and
``InputNotFound``, both :class:`~sayso.errors.SaysoError`) and give the same result every time."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fuzz_helpers import any_text, fuzz, news_text
from hypothesis import given
from hypothesis import strategies as st

from sayso.errors import BadInput, SaysoError
from sayso.layout import clean_inline, parse_byline, parse_date, parse_layout
from sayso.loading import article_from_html, article_from_text, decode, guess_language, load
from sayso.schema import Article

#: Charsets as pages and servers declare them, real, misspelt, and codecs that are not text encodings.
CHARSETS = """utf-8 UTF8 utf_8_sig latin-1 iso-8859-1 ISO-8859-15 cp1252 windows-1251 windows-1256 utf-16 utf-16-le
utf-16be utf-32 utf-7 shift_jis euc-jp gb2312 gbk big5 koi8-r mac-roman ascii us-ascii x-unknown none rot13 base64
hex zlib bz2 uu quopri idna punycode unicode_escape raw_unicode_escape undefined mbcs charmap""".split()
declared_charsets = st.one_of(
    st.none(), st.sampled_from(CHARSETS), st.from_regex(r"[A-Za-z0-9_:.-]{1,16}", fullmatch=True)
)
raw_bytes = st.one_of(
    st.binary(max_size=300),
    any_text().map(lambda t: t.encode("utf-8")),
    any_text().map(lambda t: t.encode("cp1252", errors="ignore")),
    any_text().map(lambda t: t.encode("utf-16")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"%PDF-", b""]), st.binary(max_size=60)).map(
        b"".join
    ),
)
#: Text that is not blank and holds no control characters: valid UTF-8 of it must decode to itself.
clean_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200).filter(
    lambda t: t.strip() and not t.startswith("%PDF-")
)


@fuzz(80)
@given(data=raw_bytes, declared=declared_charsets)
def test_decode_raises_only_bad_input(data, declared):
    try:
        text = decode(data, "input", declared=declared)
    except BadInput as err:
        assert "input" in err.message
        return
    assert isinstance(text, str) and text.strip()
    assert decode(data, "input", declared=declared) == text


@fuzz(40)
@given(text=clean_text)
def test_valid_utf8_decodes_to_itself(text):
    expected = text[1:] if text.startswith("\ufeff") else text
    if not expected.strip():
        return
    assert decode(text.encode("utf-8"), "input") == expected


def _check_article(article: Article) -> None:
    assert "\r" not in article.text
    paragraphs = article.text.split("\n\n") if article.text else []
    assert all(p.strip() for p in paragraphs), article.text


@fuzz(80)
@given(text=any_text(60))
def test_layout_never_fails_and_is_deterministic(text):
    article = parse_layout(text)
    _check_article(article)
    assert parse_layout(text) == article
    for line in text.splitlines()[:5]:
        clean_inline(line)
        parse_date(line)
        parse_byline(line)
    guess_language(text)
    try:
        assert article_from_text(text, "input").text == article.text
    except BadInput:
        assert not article.text.strip()


_TAGS = ["p", "div", "article", "main", "section", "h1", "h2", "span", "a", "em", "b", "li", "ul", "blockquote"]
_VOID = [
    "<br>",
    "<hr>",
    '<img src="x.jpg" alt="a">',
    '<meta charset="utf-8">',
    '<meta property="og:site_name" content="The Daily">',
    '<meta name="author" content="Anna Kowalski">',
    '<meta property="article:published_time" content="2024-03-22T10:00:00Z">',
    '<link rel="canonical" href="https://example.com/a/b">',
    "<!-- c -->",
    "<![CDATA[x]]>",
    "<",
    ">",
    "&amp;",
    "&#x0;",
    "&#1114112;",
    "&nosuch;",
    "</p>",
    "<p",
    '<a href="',
    "<script>var x = '</p>';</script>",
    "<style>p { }</style>",
    "<title>Title | The Daily</title>",
]


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(_TAGS), st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
    )


html_pages = st.recursive(
    st.one_of(news_text(30), st.sampled_from(_VOID), st.text(max_size=10)), _element, max_leaves=25
).map(lambda body: f"<html><head><title>News</title></head><body>{body}</body></html>")


@fuzz(30)
@given(html=st.one_of(html_pages, any_text(40), st.sampled_from(_VOID)))
def test_html_extraction_raises_only_bad_input(html):
    try:
        article = article_from_html(html, "page.html")
    except BadInput as err:
        assert "page.html" in err.message
        return
    _check_article(article)
    assert article.text.strip()
    assert article_from_html(html, "page.html") == article


@fuzz(40)
@given(
    data=st.one_of(raw_bytes, html_pages.map(str.encode), news_text(60).map(str.encode)),
    suffix=st.sampled_from([".txt", ".md", ".html", ".htm", ".xhtml", ""]),
)
def test_load_any_file(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            article = load(str(path))
        except SaysoError as err:
            assert err.exit_code in (3, 4)
            return
        assert article.input == str(path) and article.text.strip()
        _check_article(article)
        assert load(str(path)) == article
