"""Full-text search (migration m0008_search, sayso.search): the FTS5 indexes follow every save, replacement and
deletion; words, phrases, filters; the user's query never reaches FTS5's syntax."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sayso.schema import Article, Attribution, Report, Source, Span
from sayso.search import fts_expression, parse_query, search
from sayso.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"


def _report(
    text: str,
    *,
    title: str,
    outlet: str,
    published: str,
    source: str,
    anonymous: bool = False,
    content: str | None = None,
) -> Report:
    content = content or text.split(" said ")[0]
    start = text.index(content)
    return Report(
        article=Article(
            text=text, title=title, outlet=outlet, published=published, url=f"https://{outlet}.example/{title}"
        ),
        sources=[
            Source(
                id="s1",
                name=source,
                type="anonymous" if anonymous else "person",
                anonymous=anonymous,
                descriptor=source if anonymous else None,
            )
        ],
        attributions=[
            Attribution(
                id="a1",
                source="s1",
                cue=None,
                content=Span(start=start, end=start + len(content), text=content),
                kind="indirect",
            )
        ],
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as st:
        st.save(
            _report(
                "The bridge over the Marrow River will reopen in May, the mayor said on Friday.",
                title="Bridge to reopen",
                outlet="Courier",
                published="2024-03-01",
                source="Tilda Verhoeven",
                content="The bridge over the Marrow River will reopen in May",
            )
        )
        st.save(
            _report(
                "Repairs to the old bridge are late again, a source close to the council said.",
                title="Repairs late",
                outlet="Herald",
                published="2024-05-20",
                source="a source close to the council",
                anonymous=True,
                content="Repairs to the old bridge are late again",
            )
        )
        yield st


def _ids(results) -> list[int]:
    return [h.article_id for h in results.hits]


def test_parse_query_words_and_phrases():
    assert parse_query('bridge "Marrow River" may') == ["bridge", "Marrow River", "may"]
    assert parse_query('"unclosed phrase here') == ["unclosed phrase here"]
    assert parse_query('  -- "" * ') == []
    assert fts_expression(['say "hi"', "NOT"]) == '"say ""hi""" AND "NOT"'


def test_words_phrases_and_where_they_match(store):
    assert search(store.connection, "bridge").total == 2
    hit = search(store.connection, '"Marrow River"').hits[0]
    assert hit.title == "Bridge to reopen" and hit.field in ("text", "title")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Marrow River"]  # a phrase is marked whole
    assert search(store.connection, '"River Marrow"').total == 0  # a phrase keeps its order
    assert search(store.connection, "Verhoeven").hits[0].field == "source"  # only a source carries the name
    assert search(store.connection, "VERHOEVEN bridge").total == 1


def test_filters(store):
    assert _ids(search(store.connection, "bridge", outlet="Herald")) == [2]
    assert _ids(search(store.connection, "bridge", date_from="2024-04-01")) == [2]
    assert _ids(search(store.connection, "bridge", date_to="2024-04-01")) == [1]
    assert _ids(search(store.connection, "bridge", anonymous=True)) == [2]
    page = search(store.connection, "bridge", limit=1, offset=1)
    assert page.total == 2 and len(page.hits) == 1
    assert search(store.connection, "bridge", limit=1, offset=5).total == 2


def test_query_syntax_is_plain_text(store):
    for query in (
        "NOT bridge",
        "bridge OR",
        '"',
        "content_text:bridge",
        "bri*",
        "(bridge",
        "NEAR(bridge may)",
        "^bridge",
    ):
        search(store.connection, query)  # never an FTS5 syntax error
    assert search(store.connection, "bri*").total == 0  # no prefix query: '*' is not a word character
    assert search(store.connection, "title:Repairs").total == 0  # the phrase 'title repairs', not a column filter
    assert search(store.connection, "Repairs: (late)").total == 1  # punctuation is no syntax


def test_indexes_follow_updates_and_deletion(store):
    conn = store.connection
    conn.execute("UPDATE articles SET text = replace(text, 'May', 'July'), title = 'Bridge opens in July' WHERE id = 1")
    assert _ids(search(conn, "July")) == [1]
    assert [h.field for h in search(conn, '"reopen in May"').hits] == ["claim"]  # only the claim still says it
    store.save(
        _report(
            "The ferry will run again in June, the harbour master said.",
            title="Ferry",
            outlet="Courier",
            published="2024-06-01",
            source="Ines Volk",
            content="The ferry will run again in June",
        )
    )
    assert search(conn, "ferry June").total == 1
    conn.execute("DELETE FROM articles WHERE id = 2")  # its sources and attributions go with it
    assert search(conn, "council").total == 0 and search(conn, "Repairs").total == 0
    for table in ("_search_articles", "_search_attributions", "_search_sources"):
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")  # raises when out of step


def test_store_replacing_an_extraction_reindexes(store):
    conn = store.connection
    row = conn.execute("SELECT id FROM articles WHERE title = 'Bridge to reopen'").fetchone()
    report = store.report(row[0])
    report.sources[0].name = "Mayor Tilda Verhoeven-Smit"
    assert store.save_report(report).status == "replaced"
    assert search(conn, "Smit").total == 1
    for table in ("_search_articles", "_search_attributions", "_search_sources"):
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")


def test_migration_indexes_existing_rows(tmp_path):
    """A store written before the search migration gets its rows indexed when it is opened."""
    from sayso.migrations import all_migrations
    from sayso.store import _statements

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    search_version = next(m.version for m in all_migrations() if m.name == "search")
    for m in all_migrations():
        if m.version >= search_version:
            break
        for statement in _statements(m.sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (m.version, m.name))
        conn.execute(f"PRAGMA user_version = {m.version}")
    conn.commit()
    conn.execute(
        "INSERT INTO articles (text, title, content_hash, report_hash, ingested_at) VALUES (?, ?, 'h', 'r', 'now')",
        ("Harbour cranes were sold to a Baltic buyer.", "Cranes sold"),
    )
    conn.commit()
    conn.close()
    with Store(path) as st:
        assert st.schema_version == len(all_migrations())
        assert search(st.connection, "Baltic cranes").total == 1


def test_control_characters_in_a_query_are_spaces():
    from sayso.search import parse_query

    assert all("\x00" not in t for t in parse_query("\x00_"))
    assert parse_query("harbour\x00fees") == ["harbour", "fees"]
