"""The store under real use: WAL mode (readers while an ingest writes), unchanged files skipped before they
are parsed, ``story_id`` in the views, and internal tables hidden from Datasette.

The ingest tests replace the analysis by a stub that counts its calls (no spaCy model needed)."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sayso.analysis
import sayso.cli.ingest
import sayso.loading
import sayso.store
import sayso.workers
from sayso.cli import _register, app
from sayso.schema import Report
from sayso.store import (
    INTERNAL_TABLES,
    Store,
    datasette_metadata,
    datasette_metadata_path,
    input_hash,
    open_existing,
    write_datasette_metadata,
)
from sayso.stories import StoryLinker

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_REPORT = FIXTURES / "reports" / "example.json"
STORY_FILES = sorted((FIXTURES / "story" / "reports").glob("0[1-3]-*.md"))

_register()


# --- WAL and readers ------------------------------------------------------------------------------


def test_a_database_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        assert store.journal_mode == "wal"
    conn = sqlite3.connect(path)  # persistent: any later connection sees it
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Store(":memory:") as store:
        assert store.journal_mode == "memory"


def test_readers_read_while_a_writer_holds_its_transaction(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    monkeypatch.setattr(sayso.store, "BUSY_TIMEOUT", 0.2)  # fail fast if anything waits for the writer
    with Store(path) as writer:
        writer.save(Report.model_validate_json(EXAMPLE_REPORT.read_text(encoding="utf-8")))
        writer.connection.execute("BEGIN IMMEDIATE")
        writer.connection.execute("UPDATE articles SET title = 'being rewritten'")
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0)  # as Datasette opens it
        assert reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
        assert reader.execute("SELECT title FROM articles").fetchone()[0] != "being rewritten"
        reader.close()
        with open_existing(path) as store:  # `sayso stories` / `claims`: no write lock needed to open
            assert len(store.articles()) == 1
        writer.connection.execute("ROLLBACK")


def test_connections_wait_for_locks(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.connection.execute("PRAGMA busy_timeout").fetchone()[0] == int(sayso.store.BUSY_TIMEOUT * 1000)


# --- skipping unchanged inputs --------------------------------------------------------------------


class Calls:
    """Counts the calls of the loader and the analysis during an ingest."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loaded: list[str] = []
        self.analysed = 0
        self.models = 0
        real_extract = sayso.loading.article_from_bytes

        def extract(data, name, **kwargs):
            self.loaded.append(Path(name).name)
            return real_extract(data, name, **kwargs)

        def analyse_article(article, nlp=None):
            self.analysed += 1
            return Report(sayso_version=sayso.__version__, article=article)

        def load_nlp(fast=False):
            self.models += 1
            return object()

        monkeypatch.setattr(sayso.loading, "article_from_bytes", extract)
        monkeypatch.setattr(sayso.analysis, "analyse_article", analyse_article)
        monkeypatch.setattr(sayso.workers, "_load", load_nlp)

    def reset(self) -> None:
        self.loaded, self.analysed, self.models = [], 0, 0


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "corpus"
    target.mkdir()
    for f in STORY_FILES:
        shutil.copy(f, target / f.name)
    return target


def ingest(folder: Path, db: Path, *extra: str):
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_reingest_skips_unchanged_files_without_parsing(folder, tmp_path, monkeypatch):
    calls = Calls(monkeypatch)
    db = tmp_path / "s.db"
    first = ingest(folder, db)
    assert calls.analysed == 3 and len(calls.loaded) == 3 and calls.models == 1
    assert "stored 3, unchanged 0, failed 0" in first.stderr
    calls.reset()
    again = ingest(folder, db)
    assert calls.loaded == [] and calls.analysed == 0 and calls.models == 0  # not even the model is loaded
    assert "stored 0, unchanged 3, failed 0" in again.stderr
    assert "skipped 3 unchanged inputs without parsing them" in again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles WHERE input_hash IS NOT NULL").fetchone()[0] == 3


def test_a_changed_file_is_read_again(folder, tmp_path, monkeypatch):
    calls = Calls(monkeypatch)
    db = tmp_path / "s.db"
    ingest(folder, db)
    changed = folder / STORY_FILES[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more paragraph, added later.\n", encoding="utf-8")
    calls.reset()
    result = ingest(folder, db)
    assert calls.loaded == [changed.name] and calls.analysed == 1
    assert "stored 1, unchanged 2, failed 0" in result.stderr and "skipped 2 unchanged" in result.stderr
    calls.reset()
    ingest(folder, db)  # and now it is stored as it is
    assert calls.loaded == []


def test_other_bytes_of_the_same_article_are_read_once(folder, tmp_path, monkeypatch):
    calls = Calls(monkeypatch)
    db = tmp_path / "s.db"
    ingest(folder, db)
    first = folder / STORY_FILES[0].name
    first.write_text(first.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")  # other bytes
    calls.reset()
    result = ingest(folder, db)
    assert calls.analysed == 1 and "stored 0, unchanged 3, failed 0" in result.stderr  # same article
    calls.reset()
    ingest(folder, db)
    assert calls.analysed == 0  # the new bytes are remembered


def test_stored_but_unlinked_is_read_again(folder, tmp_path, monkeypatch):
    """A crash between saving an article and linking it into its story: the next run must link it."""
    calls = Calls(monkeypatch)
    db = tmp_path / "s.db"
    ingest(folder, db)
    with Store(db) as store:
        store.connection.execute("DELETE FROM story_articles WHERE article_id = (SELECT MIN(id) FROM articles)")
    calls.reset()
    ingest(folder, db)
    assert calls.analysed == 1
    with Store(db) as store:
        assert StoryLinker(store).link_pending() == 0  # linked again, nothing pending
        assert store.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3


def test_force_reads_everything_again(folder, tmp_path, monkeypatch):
    calls = Calls(monkeypatch)
    db = tmp_path / "s.db"
    ingest(folder, db)
    calls.reset()
    result = ingest(folder, db, "--force")
    assert calls.analysed == 3 and "stored 0, unchanged 3, failed 0" in result.stderr
    assert "skipped" not in result.stderr


def test_input_hash_depends_on_bytes_reading_and_mode():
    data = b"# Title\n\nBody."
    assert input_hash(data, html=False) == input_hash(data, html=False)
    assert input_hash(data, html=False) != input_hash(data + b" ", html=False)
    assert input_hash(data, html=False) != input_hash(data, html=True)
    assert input_hash(data, html=False) != input_hash(data, html=False, mode="fast")


def test_save_report_remembers_every_input_hash_of_an_article(tmp_path):
    report = Report.model_validate_json(EXAMPLE_REPORT.read_text(encoding="utf-8"))
    with Store(tmp_path / "s.db") as store:
        article_id = store.save_report(report, input_hash="a" * 64).article_id
        assert store.article_for_input("a" * 64) is None  # stored but not linked yet
        StoryLinker(store).link(article_id, report)
        assert store.article_for_input("a" * 64) == article_id
        assert store.save_report(report, input_hash="b" * 64).status == "unchanged"  # same article, new bytes
        # both inputs read as this article (a feed item and its archived page): neither is parsed again
        assert store.article_for_input("b" * 64) == article_id and store.article_for_input("a" * 64) == article_id
        latest = store.connection.execute("SELECT input_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        assert latest[0] == "b" * 64
        other = report.model_copy(update={"article": report.article.model_copy(update={"text": "Other text."})})
        other_id = store.save_report(other, input_hash="b" * 64).article_id  # the bytes now read differently
        StoryLinker(store).link(other_id, other)
        assert store.article_for_input("b" * 64) == other_id


# --- views ----------------------------------------------------------------------------------------


def test_views_have_the_story_id(tmp_path):
    report = Report.model_validate_json(EXAMPLE_REPORT.read_text(encoding="utf-8"))
    with Store(tmp_path / "s.db") as store:
        article_id = store.save(report)
        c = store.connection
        for view in ("quotes_by_source", "reporting_chains", "claims"):
            columns = [r[1] for r in c.execute(f"PRAGMA table_info({view})")]
            assert columns[-1] == "story_id", view
            assert {r[0] for r in c.execute(f"SELECT story_id FROM {view}")} == {None}  # not linked yet
        story = StoryLinker(store).link(article_id, report).story_id
        for view in ("quotes_by_source", "reporting_chains", "claims"):
            rows = c.execute(f"SELECT story_id, article_id FROM {view}").fetchall()
            assert rows and all(tuple(r) == (story, article_id) for r in rows), view


# --- hidden from Datasette ------------------------------------------------------------------------


def test_internal_tables_are_underscored_or_listed(tmp_path):
    with Store(tmp_path / "s.db") as store:
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(INTERNAL_TABLES) <= tables
    assert {"_story_lsh", "_story_terms", "_story_groups"} <= set(INTERNAL_TABLES)
    assert not {"story_lsh", "story_terms", "story_groups"} & tables
    assert {t for t in tables if t.startswith("_")} <= set(INTERNAL_TABLES)
    assert all(t.startswith("_") for t in INTERNAL_TABLES if t != "schema_migrations")


def test_ingest_writes_the_datasette_metadata(folder, tmp_path, monkeypatch):
    Calls(monkeypatch)
    db = tmp_path / "news.db"
    ingest(folder, db)
    path = tmp_path / "news.metadata.json"
    assert datasette_metadata_path(db) == path
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta == datasette_metadata(db)
    assert meta["databases"]["news"]["tables"]["_story_lsh"] == {"hidden": True}
    assert set(meta["databases"]["news"]["tables"]) == set(INTERNAL_TABLES)


def test_datasette_metadata_keeps_what_is_there(tmp_path):
    db = tmp_path / "news.db"
    path = datasette_metadata_path(db)
    path.write_text(
        json.dumps({"title": "Our news", "databases": {"news": {"tables": {"articles": {"sort_desc": "published"}}}}}),
        encoding="utf-8",
    )
    assert write_datasette_metadata(db) == path
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta["title"] == "Our news"
    assert meta["databases"]["news"]["tables"]["articles"] == {"sort_desc": "published"}
    assert meta["databases"]["news"]["tables"]["_story_terms"] == {"hidden": True}
    assert write_datasette_metadata(db) is None  # up to date: not written again
    path.write_text("not JSON", encoding="utf-8")
    assert write_datasette_metadata(db) is None and path.read_text(encoding="utf-8") == "not JSON"


def test_datasette_hides_the_internal_tables(tmp_path):
    """With Datasette installed (it is not a dependency): what it lists as hidden."""
    datasette_app = pytest.importorskip("datasette.app")
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.save(Report.model_validate_json(EXAMPLE_REPORT.read_text(encoding="utf-8")))
    write_datasette_metadata(db)
    metadata = json.loads(datasette_metadata_path(db).read_text(encoding="utf-8"))
    ds = datasette_app.Datasette([str(db)], metadata=metadata)

    async def hidden() -> tuple[set[str], set[str]]:
        await ds.invoke_startup()
        database = ds.get_database("news")
        return set(await database.hidden_table_names()), set(await database.table_names())

    hidden_tables, all_tables = asyncio.run(hidden())
    assert set(INTERNAL_TABLES) <= hidden_tables
    assert {"articles", "sources", "attributions", "story_articles"} <= all_tables - hidden_tables
