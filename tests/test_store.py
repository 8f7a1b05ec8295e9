"""The SQLite store, with reports built by hand (no pipeline): migrations, idempotent saves, replacement,
views, round trips, and failures that must leave stored data alone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sayso.errors import StoreError
from sayso.migrations import all_migrations
from sayso.schema import Article, Attribution, Place, Quantity, Report, Source, Span, TimeExpression
from sayso.store import Store

EXAMPLE_REPORT = Path(__file__).parent / "fixtures" / "reports" / "example.json"

TEXT = (
    "The Harbourside Gazette reported on Monday that the Marlow Bay port will close for 30 days, "
    "citing two officials in the port authority.\n\n"
    "“We have no choice,” harbour master Evelyn Strand told the Gazette."
)


def span(needle: str, text: str = TEXT) -> Span:
    start = text.index(needle)
    return Span(start=start, end=start + len(needle), text=needle)


def make_report(*, url: str = "https://harbourside-gazette.example/port", text: str = TEXT, kind="indirect") -> Report:
    article = Article(
        title="Marlow Bay Port to Close for a Month",
        outlet="Bayside Times",
        published="2023-05-02",
        url=url,
        text=text,
        authors=["Ana Ruiz"],
        notes=["Updated with the harbour master's comment."],
        related=["Ferry Fares Rise Again"],
        input="port.txt",
    )
    outlet = Source(id="s1", name="Bayside Times", type="outlet", is_article_outlet=True)
    gazette = Source(id="s2", name="The Harbourside Gazette", type="outlet", mentions=[span("The Harbourside Gazette")])
    officials = Source(
        id="s3",
        name="two officials in the port authority",
        type="anonymous",
        anonymous=True,
        descriptor="two officials in the port authority",
        affiliation="port authority",
        number="2",
        mentions=[span("two officials in the port authority")],
    )
    strand = Source(
        id="s4", name="Evelyn Strand", type="person", role="harbour master", mentions=[span("Evelyn Strand")]
    )
    content = span("the Marlow Bay port will close for 30 days")
    attributions = [
        Attribution(
            id="a1",
            source="s2",
            source_span=span("The Harbourside Gazette"),
            cue=span("reported"),
            content=content,
            kind=kind,
            chain=["s1", "s2"],
            times=["t1"],
            quantities=["q1"],
            places=["p1"],
        ),
        Attribution(
            id="a2",
            source="s3",
            cue=span("citing"),
            content=content,
            kind="according_to",
            via=["s2"],
            hops=2,
            chain=["s1", "s2", "s3"],
            nested_in="a1",
            hedges=["citing"],
        ),
        Attribution(
            id="a3",
            source="s4",
            source_span=span("Evelyn Strand"),
            cue=span("told"),
            content=span("We have no choice"),
            kind="direct",
            to="s2",
            chain=["s1", "s4"],
        ),
    ]
    return Report(
        sayso_version="0.1.0",
        article=article,
        sources=[outlet, gazette, officials, strand],
        attributions=attributions,
        times=[TimeExpression(id="t1", **span("Monday").model_dump(), value="2023-05-01")],
        quantities=[Quantity(id="q1", **span("30 days").model_dump(), value=30, unit="days", kind="measure")],
        places=[
            Place(
                id="p1",
                **span("Marlow Bay").model_dump(),
                name="Marlow Bay",
                country=None,
                lat=None,
                lon=None,
            )
        ],
        warnings=["made by hand"],
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "test.db") as st:
        yield st


def count(store: Store, table: str) -> int:
    return store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_migrations_are_recorded(tmp_path):
    path = tmp_path / "m.db"
    with Store(path) as st:
        assert st.schema_version == len(all_migrations()) >= 6
        rows = st.connection.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [tuple(r) for r in rows][:6] == [
            (1, "tables"),
            (2, "views"),
            (3, "content_parts"),
            (4, "stories"),
            (5, "store_hardening"),
            (6, "claim_kinds"),
        ]
        assert st.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with Store(path) as st:  # reopening applies nothing twice
        assert count(st, "schema_migrations") == len(all_migrations())


def test_store_of_version_5_upgrades_with_every_row_kept(tmp_path, monkeypatch):
    """Migration 6 rebuilds the attributions table (a wider CHECK on kind): rows, their links and the views
    survive, foreign keys are enforced again afterwards, and the new kinds can be stored."""
    import sayso.store as store_module

    path = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "all_migrations", lambda: all_migrations()[:5])
    with Store(path) as st:
        st.save(make_report())
        before = {t: count(st, t) for t in ("attributions", "attribution_via", "attribution_chain", "claims")}
        assert st.schema_version == 5
    monkeypatch.undo()
    with Store(path) as st:
        assert st.schema_version == len(all_migrations())
        assert {t: count(st, t) for t in before} == before
        assert st.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert st.connection.execute("PRAGMA foreign_key_check").fetchall() == []
        aid = st.articles()[0].id
        assert st.report(aid).attributions == make_report().attributions
        belief = make_report(url="https://harbourside-gazette.example/plan", kind="belief")
        new_id = st.save(belief)
        assert [a.kind for a in st.report(new_id).attributions][0] == "belief"
        # the claims view keeps to claims
        kinds = {r[0] for r in st.connection.execute("SELECT kind FROM claims")}
        assert "belief" not in kinds and kinds


def test_save_is_idempotent(store):
    report = make_report()
    first = store.save_report(report)
    assert first.status == "stored"
    tables = ("articles", "sources", "source_mentions", "attributions", "attribution_via", "times", "places")
    before = {t: count(store, t) for t in tables}
    again = store.save_report(report.model_copy(update={"sayso_version": "9.9"}))
    assert again.status == "unchanged" and again.article_id == first.article_id
    assert {t: count(store, t) for t in tables} == before
    assert before == {
        "articles": 1,
        "sources": 4,
        "source_mentions": 3,
        "attributions": 3,
        "attribution_via": 1,
        "times": 1,
        "places": 1,
    }


def test_different_extraction_replaces_the_rows(store):
    article_id = store.save(make_report())
    changed = make_report(kind="mixed")
    changed.attributions = changed.attributions[:1]
    result = store.save_report(changed)
    assert result.status == "replaced" and result.article_id == article_id
    assert count(store, "articles") == 1
    assert count(store, "attributions") == 1
    assert store.connection.execute("SELECT kind FROM attributions").fetchone()[0] == "mixed"
    assert count(store, "attribution_via") == 0  # went with the replaced attributions


def test_a_different_text_is_a_different_article(store):
    store.save(make_report())
    store.save(make_report(text=TEXT.replace("30 days", "30 days, officials said")))
    assert len(store.articles()) == 2


def test_round_trip(store):
    report = make_report()
    article_id = store.save(report)
    assert store.report(article_id) == report
    [stored] = store.articles()
    assert stored.id == article_id and stored.article == report.article


def test_round_trip_of_the_example_report(store):
    if not EXAMPLE_REPORT.exists():
        pytest.skip(f"{EXAMPLE_REPORT} is not there")
    report = Report.model_validate(json.loads(EXAMPLE_REPORT.read_text(encoding="utf-8")))
    assert store.report(store.save(report)) == report


def test_views(store):
    store.save(make_report())
    c = store.connection
    quotes = c.execute(
        "SELECT source_name, source_type, anonymous, kind, quote, article_title, outlet, published "
        "FROM quotes_by_source WHERE source_name = ?",
        ("Evelyn Strand",),
    ).fetchall()
    assert [tuple(r) for r in quotes] == [
        (
            "Evelyn Strand",
            "person",
            0,
            "direct",
            "We have no choice",
            "Marlow Bay Port to Close for a Month",
            "Bayside Times",
            "2023-05-02",
        )
    ]
    anon = c.execute("SELECT * FROM anonymous_sources_by_outlet").fetchall()
    assert [dict(r) for r in anon] == [
        {
            "outlet": "Bayside Times",
            "descriptor": "two officials in the port authority",
            "affiliation": "port authority",
            "reason": None,
            "count": 1,
            "articles": 1,
            "attributions": 1,
        }
    ]
    chains = {r["source_name"]: r for r in c.execute("SELECT * FROM reporting_chains")}
    assert chains["two officials in the port authority"]["chain"] == (
        "Bayside Times → The Harbourside Gazette → two officials in the port authority"
    )
    assert chains["two officials in the port authority"]["via"] == "The Harbourside Gazette"
    claim = c.execute("SELECT * FROM claims WHERE source_name = 'two officials in the port authority'").fetchone()
    assert claim["via"] == "The Harbourside Gazette"
    assert claim["nested_in_content"] == "the Marlow Bay port will close for 30 days"
    assert json.loads(claim["hedges"]) == ["citing"]
    told = c.execute("SELECT told_to FROM claims WHERE source_name = 'Evelyn Strand'").fetchone()[0]
    assert told == "The Harbourside Gazette"


def test_values_are_parameters_not_sql(store):
    nasty = "Bobby'); DROP TABLE articles; --"
    report = make_report()
    report.article.title = nasty
    report.sources[3].name = nasty
    store.save(report)
    assert store.articles()[0].article.title == nasty
    assert (
        store.connection.execute("SELECT source_name FROM quotes_by_source WHERE kind = 'direct'").fetchone()[0]
        == nasty
    )


def test_deleting_an_article_cascades(store):
    article_id = store.save(make_report())
    store.connection.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    for table in (
        "sources",
        "source_mentions",
        "attributions",
        "attribution_chain",
        "times",
        "attribution_places",
    ):
        assert count(store, table) == 0, table


def test_failed_save_loses_nothing(store):
    good = make_report()
    store.save(good)
    broken = make_report(url="https://harbourside-gazette.example/other")
    broken.attributions[2].to = "s99"  # an id the report does not define: fails after rows were written
    with pytest.raises(StoreError, match="unknown source 's99'"):
        store.save(broken)
    assert len(store.articles()) == 1
    assert count(store, "attributions") == 3
    assert store.report(store.articles()[0].id) == good
    # and a failed replacement keeps the old rows
    broken_same = make_report(kind="mixed")
    broken_same.sources.append(broken_same.sources[0])  # duplicate source id
    with pytest.raises(StoreError, match="defined twice"):
        store.save(broken_same)
    assert store.report(store.articles()[0].id) == good


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="is not an SQLite database"):
        Store(path)


def test_someone_elses_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a sayso store"):
        Store(path)


def test_newer_database(tmp_path):
    path = tmp_path / "new.db"
    with Store(path) as st:
        st.connection.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2099-01-01')")
    with pytest.raises(StoreError, match="newer sayso"):
        Store(path)


def test_unwritable_locations(tmp_path):
    with pytest.raises(StoreError, match="it is a folder"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "x.db")


def test_read_only_database(tmp_path):
    path = tmp_path / "ro.db"
    Store(path).close()
    with Store(path) as st:
        st.connection.execute("PRAGMA query_only = ON")  # what a read-only file gives, even as root
        with pytest.raises(StoreError, match="cannot write to database"):
            st.save(make_report())
        assert st.articles() == []
