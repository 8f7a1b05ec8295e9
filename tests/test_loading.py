"""Reading articles: the news layout, plain text, HTML, and every kind of bad input."""

from __future__ import annotations

import io
import logging
import sys
import tracemalloc
from pathlib import Path

import pytest

from sayso.errors import BadInput, InputNotFound
from sayso.layout import clean_inline, parse_byline, parse_date, parse_layout
from sayso.loading import decode, guess_language, load
from sayso.outlets import outlet_for_url

FIXTURES = Path(__file__).parent / "fixtures" / "input"
EXAMPLE = Path(__file__).parents[1] / "src" / "sayso" / "data" / "example.txt"


# --- the layout ---------------------------------------------------------------------------------------


def test_example_article_layout():
    article = load(str(EXAMPLE))
    assert article.title == "Kremlin Planning New Mobilization for Kharkiv Offensive – Vyorstka"
    assert article.published == "2024-03-22"
    assert article.url == (
        "https://www.themoscowtimes.com/2024/03/22/kremlin-planning-new-mobilization-for-kharkiv-offensive-vyorstka-a84571"
    )
    assert article.outlet == "The Moscow Times"
    assert article.notes == ["Updated with comments from source close to Russia's Defense Ministry."]
    assert [(c.text, c.credit) for c in article.captions] == [
        ("Mobilized Russian servicemen in eastern Ukraine's Donetsk region.", "Ivan Noyabrev / TASS")
    ]
    assert article.related == ["Russia Attacks Ukraine With Deadly Barrage, Zelensky Appeals for Aid"]
    assert article.language == "en"
    assert article.input == str(EXAMPLE)
    text = article.text
    assert text.startswith("Russia is planning to recruit 300,000 soldiers")
    assert text.endswith("as a sign that he was seeking to escalate the war.")
    assert "Vyorstka reported Friday" in text  # '[reported](#)' reduced to its text
    assert "“We’re 300,000 snouts short" in text  # curly quotes kept
    assert "[the intention to]" in text  # a bracketed insertion is not a link
    assert "recruitment target to\n\nVyorstka and suggested" in text  # the page's odd break is kept
    for furniture in ("Related article", "Original url", "**", "](#)", "TASS", "Updated with"):
        assert furniture not in text
    assert text.count("\n\n") == 15  # 16 body paragraphs, the split one counted twice


def test_made_up_article_in_the_same_layout():
    article = load(str(FIXTURES / "harbour_layout.txt"))
    assert article.title == "Port Authority Weighs New Ferry Route to Kessling Island – Tidewatch"
    assert article.published == "2023-04-03"
    assert article.url == "https://www.reuters.com/world/port-authority-weighs-new-ferry-route-2023-04-03/"
    assert article.outlet == "Reuters"
    assert article.notes == ["Updated with a response from the Kessling Island council."]
    assert article.captions[0].text == "Passengers board a ferry at the old pier in Marlow Bay."
    assert article.captions[0].credit == "Dana Whitcombe / Coastline Photo"
    assert article.related == ["Marlow Bay Votes to Extend Harbour Wall"]
    paragraphs = article.text.split("\n\n")
    assert paragraphs == [
        "The Marlow Bay Port Authority is studying a second ferry route to Kessling Island, the local news "
        "site Tidewatch reported Monday, citing two officials familiar with the plan.",
        "“We’re about 40 crossings a day short, and everyone knows it,” one official was quoted as saying by the site.",
        "A council spokesperson confirmed the study to",
        "Tidewatch and said a decision was expected by June.",
        "Harbour master Evelyn Strand told the Bay Courier that the pier “can take two more boats, not ten.”",
        "Residents criticised the plan as too timid.",
    ]


def test_plain_text_with_title_and_byline():
    article = load(str(FIXTURES / "plain_byline.md"))
    assert article.title == "Orchard Growers Report Record Pear Harvest"
    assert article.authors == ["Tomasz Wirecki", "Lena Abernathy"]
    assert article.text.startswith("Growers in the Pellham valley")
    assert article.text.endswith("cooperative chair Ruth Okonkwo said.")
    assert article.outlet is None and article.url is None and article.published is None


def test_plain_text_without_layout_is_all_body():
    raw = (FIXTURES / "plain_nolayout.txt").read_text(encoding="utf-8")
    article = load(str(FIXTURES / "plain_nolayout.txt"))
    assert article.title is None
    assert article.text == raw.strip()


def test_layout_pieces():
    assert parse_date("March 22, 2024") == "2024-03-22"
    assert parse_date("Friday, 3 Sept. 2021 | 10:05 am") == "2021-09-03"
    assert parse_date("Published: 2020-02-29") == "2020-02-29"
    assert parse_date("March 32, 2024") is None
    assert parse_date("March 2024 was warm.") is None
    assert parse_byline("By Ann Lee, Staff Writer") == ["Ann Lee"]
    assert parse_byline("By contrast, prices rose") == []
    assert clean_inline("a **bold** and _it_ [link](https://x.example/a_(b)) keep_snake_case 3*4") == (
        "a bold and it link keep_snake_case 3*4"
    )
    # A body paragraph that starts with 'By' stays in the body once the body has begun.
    art = parse_layout("# T\n\nFirst paragraph here.\n\nBy Tuesday the river had risen.")
    assert art.authors == [] and art.text.endswith("By Tuesday the river had risen.")
    # Windows line ends and a Setext title.
    art = parse_layout("Budget Passes\r\n=============\r\n\r\nThe council voted yes.\r\n")
    assert art.title == "Budget Passes" and art.text == "The council voted yes."


def test_outlets_from_the_table_and_guessed():
    assert outlet_for_url("https://www.themoscowtimes.com/2024/03/22/x") == "The Moscow Times"
    assert outlet_for_url("https://edition.cnn.com/2024/01/01/x") == "CNN"
    assert outlet_for_url("https://news.bbc.co.uk/x") == "BBC"
    assert outlet_for_url("https://www.pellham-ledger.co.uk/x") == "Pellham Ledger"
    assert outlet_for_url("http://127.0.0.1/x") is None


# --- HTML ---------------------------------------------------------------------------------------------


def test_html_page():
    article = load(str(FIXTURES / "article.html"))
    assert article.title == "Valley Council Approves Bridge Repairs"
    assert article.outlet == "The Pellham Ledger"
    assert article.authors == ["Marisol Fenwick"]
    assert article.published == "2023-10-17"
    assert article.url == "https://www.pellham-ledger.example/news/2023/10/17/bridge-repairs"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("The Pellham valley council on Tuesday approved")
    assert len(paragraphs) == 4
    assert "council leader Oswin Tarrant told reporters" in article.text
    for furniture in ("Home", "Sport", "All rights reserved", "tracking"):
        assert furniture not in article.text


def test_html_without_article_text():
    with pytest.raises(BadInput, match="no article text found"):
        load(str(FIXTURES / "no_article.html"))


def test_html_sniffed_in_a_txt_file(tmp_path):
    page = tmp_path / "saved_page.txt"
    page.write_bytes((FIXTURES / "article.html").read_bytes())
    assert load(str(page)).outlet == "The Pellham Ledger"


# --- bad input ----------------------------------------------------------------------------------------


def test_missing_path():
    with pytest.raises(InputNotFound, match="no such file"):
        load("tests/fixtures/input/does-not-exist.txt")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(BadInput, match="is a folder"):
        load(str(tmp_path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t\n   \n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(128, 256)) * 40, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"The mayor said \x81\x8d the vote was close.", "not valid UTF-8"),
        (b"# Only A Title\n", "no article text"),
    ],
)
def test_bad_inputs(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=message) as info:
        load(str(path))
    assert "\n" not in str(info.value)


def test_cp1252_fallback_warns(tmp_path, caplog):
    path = tmp_path / "windows.txt"
    path.write_bytes("The mayor said \u201cthe caf\u00e9 stays open\u201d on Monday.".encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="sayso.loading"):
        article = load(str(path))
    assert article.text == "The mayor said “the café stays open” on Monday."
    assert "not valid UTF-8" in caplog.text and "cp1252" in caplog.text


def test_utf8_bom_and_utf16_are_fine(tmp_path):
    text = "The harbour reopened on Friday, officials said."
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load(str(bom)).text == text
    assert decode(text.encode("utf-16"), "x") == text


def test_too_large_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        with pytest.raises(BadInput, match="too large"):
            load(str(big))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000


def test_stdin(monkeypatch):
    data = "# Wharf Reopens\n\nThe wharf reopened on Monday after repairs, the harbour board said.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    article = load("-")
    assert article.title == "Wharf Reopens" and article.input == "-"


def test_stdin_over_the_limit(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"word " * 1000)))
    with pytest.raises(BadInput, match="too large"):
        load("-", max_bytes=1000)


# --- language -----------------------------------------------------------------------------------------


def test_non_english_article_warns_and_sets_language(caplog):
    with caplog.at_level(logging.WARNING, logger="sayso.loading"):
        article = load(str(FIXTURES / "german.txt"))
    assert article.language == "de"
    assert "German" in caplog.text


def test_guess_language():
    assert guess_language("The council said on Monday that the bridge would be closed for a month.") == "en"
    assert guess_language("Le conseil a dit que le pont sera fermé pendant un mois pour des travaux.") == "fr"
    assert guess_language("Совет заявил, что мост будет закрыт на месяц, и это не первый раз.") == "ru"
    assert guess_language("议会周一表示，这座桥将关闭一个月。") == "zh"
    assert guess_language("42 17") is None
