"""Storing reports in SQLite (or PostgreSQL): one row per article, per source, per attribution, per time,
quantity and place.

>>> from sayso.store import Store
>>> with Store(":memory:") as store:
...     store.schema_version
9

The schema is built by numbered migrations (:mod:`sayso.migrations`), each applied once, in order, in its
own transaction, and recorded in ``schema_migrations`` and ``PRAGMA user_version``. Every row belongs to
an article and goes with it (``ON DELETE CASCADE``). Views for reading: ``quotes_by_source``,
``anonymous_sources_by_outlet``, ``reporting_chains`` and ``claims`` (the first, third and fourth with the
article's ``story_id``).

An article is identified by the hash of its URL and text (``content_hash``). Saving the same article
again changes nothing when the extraction is the same, and replaces all of that article's rows (keeping
its id) when it differs. Each save is one transaction: a failure leaves the store as it was. The raw input
an article was read from is remembered too (``input_hash``, see :func:`input_hash`), so that an unchanged
file can be skipped before it is parsed (:meth:`Store.article_for_input`).

A database file is put in WAL mode when opened, so readers (Datasette, ``sqlite3``, ``sayso stories``)
can read while ``sayso ingest`` writes; every connection waits up to :data:`BUSY_TIMEOUT` seconds for a
lock instead of failing with "database is locked". Tables not meant for reading are hidden from Datasette
(:data:`INTERNAL_TABLES`, :func:`datasette_metadata`).

``Store("postgresql://user@host/db")`` stores into PostgreSQL instead, with the same schema, migrations,
views and SQL, translated by :mod:`sayso.db`; there every writing transaction takes an advisory lock, so
that ingests on several machines take turns to write, as on SQLite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .db import connect, is_postgres, redact
from .errors import MissingResource, StoreError
from .migrations import Migration, all_migrations
from .rows import ARTICLE, BadReport, Ref, article_values, report_rows
from .schema import (
    Article,
    Attribution,
    Caption,
    Place,
    Quantity,
    Report,
    Source,
    Span,
    TimeExpression,
)

SaveStatus = Literal["stored", "replaced", "unchanged"]

#: Tables holding an article's extracted rows, deleted (with what hangs off them) when it is replaced.
_ARTICLE_CHILD_TABLES = ("attributions", "source_mentions", "sources", "times", "quantities", "places")
#: Seconds a connection waits for another one's lock before giving up ("database is locked").
BUSY_TIMEOUT = 10.0
#: Tables that are bookkeeping, not data to read: hidden from Datasette. A leading ``_`` hides a table in
#: Datasette 1.0; :func:`datasette_metadata` hides them all (``"hidden": true``) in Datasette 0.6x and 1.0.
INTERNAL_TABLES = (
    "schema_migrations",
    "_story_groups",
    "_story_lsh",
    "_story_terms",
    "_article_inputs",
    # the full-text indexes (migration m0008_search) and FTS5's own tables behind them
    *(
        f"_search_{index}{part}"
        for index in ("articles", "attributions", "sources")
        for part in ("", "_data", "_idx", "_docsize", "_config")
    ),
)


@dataclass(frozen=True)
class SaveResult:
    """What :meth:`Store.save_report` did: ``article_id`` of the row and ``status``: 'stored' (new),
    'replaced' (same article, different extraction) or 'unchanged'."""

    article_id: int
    status: SaveStatus


@dataclass(frozen=True)
class StoredArticle:
    """An article in the store: its row ``id``, ``content_hash``, ``ingested_at`` (UTC) and the Article."""

    id: int
    content_hash: str
    ingested_at: str
    article: Article


class _BadReport(ValueError):
    """The report refers to an id it does not define."""


def content_hash(article: Article) -> str:
    """The identity of ``article``: sha256 of its URL and body text."""
    return hashlib.sha256(f"{article.url or ''}\x00{article.text}".encode()).hexdigest()


def input_hash(data: bytes, *, html: bool, mode: str = "") -> str:
    """The identity of a raw input: sha256 of its bytes ``data``, whether they are read as HTML (``html``,
    from the file name), the analysis ``mode`` (e.g. 'fast') and the sayso version, so that a new sayso or
    another mode reads every input again."""
    from . import __version__

    kind = "html" if html else "text"
    digest = hashlib.sha256(f"sayso {__version__}\x00{kind}\x00{mode}\x00".encode())
    digest.update(data)
    return digest.hexdigest()


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette metadata hiding :data:`INTERNAL_TABLES` of the database at ``db_path`` (Datasette names a
    database after its file name without the suffix): pass it with ``datasette sayso.db -m
    sayso.metadata.json`` (0.6x and 1.0; 1.0 also takes it as ``-c``)."""
    tables = {name: {"hidden": True} for name in INTERNAL_TABLES}
    return {"databases": {Path(db_path).stem: {"tables": tables}}}


def datasette_metadata_path(db_path: str | Path) -> Path:
    """Where :func:`write_datasette_metadata` writes: beside the database, ``sayso.db`` ->
    ``sayso.metadata.json``."""
    p = Path(db_path)
    return p.with_name(f"{p.stem}.metadata.json")


def write_datasette_metadata(db_path: str | Path) -> Path | None:
    """Write (or update) :func:`datasette_metadata_path` so that Datasette hides the internal tables.

    An existing file keeps everything else in it; one that is not a JSON object is left alone. Returns the
    path when the file was written, None when it was already up to date, was left alone or cannot be
    written (hiding tables is a convenience, never a reason to fail an ingest)."""
    path = datasette_metadata_path(db_path)
    wanted = datasette_metadata(db_path)
    try:
        current: Any = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(current, dict):
        return None
    merged = json.loads(json.dumps(current))
    for db_name, db_meta in wanted["databases"].items():
        databases = merged.setdefault("databases", {})
        if not isinstance(databases, dict) or not isinstance(databases.setdefault(db_name, {}), dict):
            return None
        tables = databases[db_name].setdefault("tables", {})
        if not isinstance(tables, dict):
            return None
        for table, settings in db_meta["tables"].items():
            if not isinstance(tables.setdefault(table, {}), dict):
                return None
            tables[table].update(settings)
    if merged == current and path.exists():
        return None
    try:
        path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path


def report_hash(report: Report) -> str:
    """sha256 of everything extracted from the article (not the sayso version or the input path)."""
    payload = report.model_dump_json(exclude={"sayso_version": True, "article": {"input"}})
    return hashlib.sha256(payload.encode()).hexdigest()


def _statements(sql: str) -> Iterator[str]:
    """The complete SQL statements in ``sql`` (``executescript`` would commit the open transaction)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip() and not all(ln.strip().startswith("--") for ln in buffer.strip().splitlines()):
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:80]!r}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """A sayso SQLite database at ``path`` (created and migrated on open; ``':memory:'`` for a throwaway).

    Raises :class:`StoreError` when the file cannot be opened, is not an SQLite database, is another
    program's database, or was written by a newer sayso."""

    def __init__(self, path: str | Path = "sayso.db") -> None:
        self.postgres = is_postgres(path)
        self.path = redact(str(path)) if self.postgres else str(path)
        if self.path != ":memory:" and not self.postgres:
            p = Path(self.path)
            if p.is_dir():
                raise StoreError(f"cannot open database {p}: it is a folder")
            if not p.parent.exists():
                raise StoreError(f"cannot open database {p}: folder {p.parent} does not exist")
        try:
            self._conn: Any = connect(str(path), timeout=BUSY_TIMEOUT)
        except sqlite3.Error as err:
            raise StoreError(self._describe(err, "open")) from None
        except ImportError:
            raise MissingResource("PostgreSQL needs psycopg: pip install 'sayso[postgres]' (psycopg[binary])") from None
        if not self.postgres:
            self._conn.row_factory = sqlite3.Row
        try:
            if self.postgres:
                self._conn.ensure_compat()
            else:
                self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
                self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            self._use_wal()
        except sqlite3.Error as err:
            self._conn.close()
            raise StoreError(self._describe(err, "open")) from None
        except StoreError:
            self._conn.close()
            raise

    # --- plumbing ----------------------------------------------------------------------------------

    @property
    def connection(self) -> Any:
        """The underlying connection, for queries on the views: an :class:`sqlite3.Connection` (rows as
        :class:`sqlite3.Row`), or for PostgreSQL a :class:`sayso.db.PgConnection` that takes the same calls
        and SQL (see :mod:`sayso.db`)."""
        return self._conn

    def close(self) -> None:
        """Close the database."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _describe(self, err: sqlite3.Error, action: str) -> str:
        text = " ".join(str(err).split()) or type(err).__name__
        if "file is not a database" in text:
            return f"{self.path} is not an SQLite database ({text})"
        return f"cannot {action} database {self.path}: {text}"

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _use_wal(self) -> None:
        """Put the database in WAL mode (it stays so): readers then never wait for a writer, nor a writer
        for readers. Left as it is when another connection holds a lock (the next writer sets it)."""
        if self.path == ":memory:" or self.postgres:
            return
        try:
            self._conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise

    @property
    def journal_mode(self) -> str:
        """The database's journal mode: 'wal' for a file (see the module's docstring), 'memory' in memory,
        'postgresql' on PostgreSQL (which has its own write-ahead log)."""
        if self.postgres:
            return "postgresql"
        return str(self._conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()

    @property
    def schema_version(self) -> int:
        """The schema version of the database (``PRAGMA user_version``; on PostgreSQL the newest migration
        applied)."""
        if self.postgres:
            row = self._conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            return int(row[0] or 0)
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _tables(self) -> set[str]:
        """The names of the database's tables (on PostgreSQL: those of the connection's current schema)."""
        if self.postgres:
            sql = (
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE'"
            )
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return {r[0] for r in self._conn.execute(sql)}

    def _migrate(self) -> None:
        """Apply the migrations this database lacks, each in its own transaction."""
        migrations = all_migrations()
        conn = self._conn
        tables = self._tables()
        if tables and "schema_migrations" not in tables:
            kind = "a PostgreSQL schema" if self.postgres else "an SQLite database"
            raise StoreError(f"{self.path} is {kind} but not a sayso store (no schema_migrations table)")
        if tables and self.schema_version == migrations[-1].version:
            newest = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
            if newest == migrations[-1].version:
                return  # up to date: no write lock taken, so a reader opens while an ingest writes
        for migration in migrations:
            if migration.foreign_keys_off:
                conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before BEGIN
            try:
                self._apply(migration, migrations[-1].version)
            finally:
                if migration.foreign_keys_off:
                    conn.execute("PRAGMA foreign_keys = ON")

    def _apply(self, migration: Migration, latest: int) -> None:
        """Apply ``migration`` in its own transaction unless the database has it already."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            applied = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
            newest = max(applied, default=0)
            if newest > latest:
                raise StoreError(
                    f"{self.path} was written by a newer sayso (schema version {newest}, this "
                    f"sayso knows up to {latest}): upgrade sayso"
                )
            if migration.version in applied:
                conn.execute("COMMIT")
                return
            sql = migration.postgres_sql if self.postgres and migration.postgres_sql is not None else migration.sql
            for statement in _statements(sql):
                conn.execute(statement)
            if migration.foreign_keys_off and not self.postgres and conn.execute("PRAGMA foreign_key_check").fetchone():
                raise StoreError(f"migration {migration.version} ({migration.name}) broke a foreign key")
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, _now()),
            )
            # PRAGMA takes no parameters; the value is the migration's own integer version.
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    # --- writing -----------------------------------------------------------------------------------

    def save(self, report: Report) -> int:
        """Store ``report`` (see :meth:`save_report`) and return its article's id."""
        return self.save_report(report).article_id

    def save_report(self, report: Report, *, input_hash: str | None = None) -> SaveResult:
        """Store ``report`` in one transaction and say what happened.

        The same article (same URL and text) with the same extraction changes nothing ('unchanged'); with a
        different extraction its rows are replaced ('replaced'); otherwise it is added ('stored').
        ``input_hash``: :func:`input_hash` of the raw input the report was read from, remembered for
        :meth:`article_for_input` (None: not known). Raises StoreError (nothing written) when the database
        cannot be written or the report refers to ids it does not define."""
        return self.save_reports([report], None if input_hash is None else [input_hash])[0]

    def save_reports(
        self, reports: Sequence[Report], input_hashes: Sequence[str | None] | None = None
    ) -> list[SaveResult]:
        """Store ``reports`` in one transaction (each as :meth:`save_report` would, with the matching one of
        ``input_hashes``) and say what happened to each, in order. Faster than one save per report when many
        arrive at once; a failure stores none of them. Raises StoreError like :meth:`save_report`."""
        if input_hashes is not None and len(input_hashes) != len(reports):
            raise ValueError(f"{len(reports)} reports but {len(input_hashes)} input hashes")
        results: list[SaveResult] = []
        report: Report | None = None
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            for i, report in enumerate(reports):
                results.append(self._save_one(report, None if input_hashes is None else input_hashes[i]))
            self._conn.execute("COMMIT")
        except _BadReport as err:
            self._rollback()
            name = (report.article.input or report.article.title) if report is not None else None
            raise StoreError(f"cannot store {name or 'article'}: {err}") from None
        except sqlite3.Error as err:
            self._rollback()
            raise StoreError(self._describe(err, "write to")) from None
        except BaseException:
            self._rollback()
            raise
        return results

    def _save_one(self, report: Report, ihash: str | None) -> SaveResult:
        """Save one report inside the open transaction."""
        chash, rhash = content_hash(report.article), report_hash(report)
        row = self._conn.execute("SELECT id, report_hash FROM articles WHERE content_hash = ?", (chash,)).fetchone()
        if row is not None and row["report_hash"] == rhash:
            article_id = int(row["id"])
            if ihash is not None:
                self._claim_input(article_id, ihash)
            return SaveResult(article_id, "unchanged")
        if row is not None:
            article_id = int(row["id"])
            for table in _ARTICLE_CHILD_TABLES:  # fixed names, not values
                self._conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            self._write_article(report, chash, rhash, article_id)
            status: SaveStatus = "replaced"
        else:
            article_id = self._write_article(report, chash, rhash, None)
            status = "stored"
        self._claim_input(article_id, ihash)
        self._write_items(article_id, report)
        return SaveResult(article_id, status)

    def _claim_input(self, article_id: int, ihash: str | None) -> None:
        """Record that input ``ihash`` reads as article ``article_id`` (and no longer as any other); None: the
        article's input is not known."""
        q = self._conn.execute
        if ihash is not None:
            q("UPDATE articles SET input_hash = NULL WHERE input_hash = ? AND id != ?", (ihash, article_id))
            q(
                "INSERT INTO _article_inputs (input_hash, article_id) VALUES (?, ?) "
                "ON CONFLICT (input_hash) DO UPDATE SET article_id = excluded.article_id",
                (ihash, article_id),
            )
        q("UPDATE articles SET input_hash = ? WHERE id = ? AND input_hash IS NOT ?", (ihash, article_id, ihash))

    def article_for_input(self, ihash: str) -> int | None:
        """The id of the article read from the input with :func:`input_hash` ``ihash`` (this input or any
        other an article was read from), when it is stored and linked into its story (so that reading the input
        again would change nothing); else None.

        Raises StoreError when the database cannot be read."""
        try:
            row = self._conn.execute(
                "SELECT ai.article_id FROM _article_inputs AS ai "
                "JOIN story_articles AS sa ON sa.article_id = ai.article_id WHERE ai.input_hash = ?",
                (ihash,),
            ).fetchone()
        except sqlite3.Error as err:
            raise StoreError(self._describe(err, "read")) from None
        return None if row is None else int(row[0])

    def _write_article(self, report: Report, chash: str, rhash: str, article_id: int | None) -> int:
        values = article_values(report, chash, rhash, _now())
        columns = list(values)  # fixed column names; every value goes through a parameter
        if article_id is None:
            return self._insert("articles", values)
        sql = f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"
        self._conn.execute(sql, [*values.values(), article_id])
        return article_id

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        columns = list(values)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        return int(self._conn.execute(sql, list(values.values())).lastrowid or 0)

    def _write_items(self, article_id: int, report: Report) -> None:
        """Insert the rows of :func:`~sayso.rows.report_rows`, each :class:`~sayso.rows.Ref` replaced by the
        id its row got (a reference to a row inserted later is set once that row exists)."""
        try:
            rows = report_rows(report)
        except BadReport as err:
            raise _BadReport(str(err)) from None
        ids: dict[Ref, int] = {ARTICLE: article_id}
        later: list[tuple[str, int, str, Ref]] = []
        for row in rows:
            values, pending = {}, []
            for column, value in row.values.items():
                if isinstance(value, Ref):
                    if value not in ids:  # a row inserted later (an attribution nested in a later one)
                        pending.append((column, value))
                    value = ids.get(value)
                values[column] = value
            new_id = self._insert(row.table, values)
            if row.key is not None:
                ids[Ref(row.table, row.key)] = new_id
            later.extend((row.table, new_id, column, value) for column, value in pending)
        for table, row_id, column, value in later:  # fixed table and column names; values as parameters
            self._conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (ids[value], row_id))

    # --- reading -----------------------------------------------------------------------------------

    def _article_from_row(self, row: sqlite3.Row) -> Article:
        return Article(
            title=row["title"],
            outlet=row["outlet"],
            published=row["published"],
            url=row["url"],
            text=row["text"],
            authors=json.loads(row["authors"]),
            notes=json.loads(row["notes"]),
            captions=[Caption(**c) for c in json.loads(row["captions"])],
            related=json.loads(row["related"]),
            language=row["language"],
            input=row["input"],
        )

    def articles(self) -> list[StoredArticle]:
        """Every stored article, oldest first."""
        try:
            rows = self._conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
        except sqlite3.Error as err:
            raise StoreError(self._describe(err, "read")) from None
        return [StoredArticle(r["id"], r["content_hash"], r["ingested_at"], self._article_from_row(r)) for r in rows]

    def report(self, article_id: int) -> Report:
        """The report stored for article ``article_id`` (as saved); raises KeyError when there is none."""
        try:
            return self._read_report(article_id)
        except sqlite3.Error as err:
            raise StoreError(self._describe(err, "read")) from None

    def _read_report(self, article_id: int) -> Report:
        q = self._conn.execute
        row = q("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        source_keys: dict[int, str] = {}
        sources: list[Source] = []
        for s in q("SELECT * FROM sources WHERE article_id = ? ORDER BY id", (article_id,)):
            source_keys[s["id"]] = s["key"]
            mentions = [
                Span(start=m["start"], end=m["end"], text=m["text"])
                for m in q("SELECT * FROM source_mentions WHERE source_id = ? ORDER BY position", (s["id"],))
            ]
            fields = {k: s[k] for k in s.keys() if k not in ("id", "article_id", "key")}
            fields["anonymous"] = bool(fields["anonymous"])
            fields["is_article_outlet"] = bool(fields["is_article_outlet"])
            sources.append(Source(id=s["key"], mentions=mentions, **fields))

        def items(table: str, model: type) -> tuple[list, dict[int, str]]:
            out, keys = [], {}
            for r in q(f"SELECT * FROM {table} WHERE article_id = ? ORDER BY id", (article_id,)):
                keys[r["id"]] = r["key"]
                fields = {k: r[k] for k in r.keys() if k not in ("id", "article_id", "key")}
                if "metonymy" in fields:
                    fields["metonymy"] = bool(fields["metonymy"])
                out.append(model(id=r["key"], **fields))
            return out, keys

        times, time_keys = items("times", TimeExpression)
        quantities, quantity_keys = items("quantities", Quantity)
        places, place_keys = items("places", Place)

        att_rows = q("SELECT * FROM attributions WHERE article_id = ? ORDER BY id", (article_id,)).fetchall()
        att_keys = {a["id"]: a["key"] for a in att_rows}

        def ordered(table: str, att_id: int) -> list[str]:
            rows = q(f"SELECT source_id FROM {table} WHERE attribution_id = ? ORDER BY position", (att_id,))
            return [source_keys[r[0]] for r in rows]

        def linked(table: str, column: str, keys: dict[int, str], att_id: int) -> list[str]:
            rows = q(f"SELECT {column} FROM {table} WHERE attribution_id = ?", (att_id,))
            return sorted((keys[r[0]] for r in rows), key=list(keys.values()).index)

        def span(a: sqlite3.Row, prefix: str) -> Span | None:
            if a[f"{prefix}_start"] is None:
                return None
            return Span(start=a[f"{prefix}_start"], end=a[f"{prefix}_end"], text=a[f"{prefix}_text"])

        attributions = [
            Attribution(
                id=a["key"],
                source=source_keys.get(a["source_id"]),
                source_span=span(a, "source"),
                cue=span(a, "cue"),
                content=Span(start=a["content_start"], end=a["content_end"], text=a["content_text"]),
                content_parts=[Span(**p) for p in json.loads(a["content_parts"])],
                kind=a["kind"],
                via=ordered("attribution_via", a["id"]),
                to=source_keys.get(a["to_source_id"]),
                hops=a["hops"],
                chain=ordered("attribution_chain", a["id"]),
                nested_in=att_keys.get(a["nested_in"]),
                origins=ordered("attribution_origins", a["id"]),
                hedges=json.loads(a["hedges"]),
                times=linked("attribution_times", "time_id", time_keys, a["id"]),
                quantities=linked("attribution_quantities", "quantity_id", quantity_keys, a["id"]),
                places=linked("attribution_places", "place_id", place_keys, a["id"]),
            )
            for a in att_rows
        ]
        return Report(
            schema_version=row["schema_version"],
            sayso_version=row["sayso_version"],
            article=self._article_from_row(row),
            sources=sources,
            attributions=attributions,
            times=times,
            quantities=quantities,
            places=places,
            warnings=json.loads(row["warnings"]),
        )


def open_existing(path: str | Path) -> Store:
    """Open a store that ``sayso ingest`` wrote, for commands that read one (``stories``, ``claims``).

    Raises :class:`~sayso.errors.InputNotFound` when ``path`` does not exist and :class:`StoreError` when it is
    empty (SQLite would silently turn it into a new database) or not a sayso store. A PostgreSQL URL is
    opened as it is (see :class:`Store`)."""
    from .errors import InputNotFound

    if is_postgres(path):
        return Store(path)
    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"no such database: {p} (create it with `sayso ingest ... --db {p}`)")
    if p.is_file() and p.stat().st_size == 0:
        raise StoreError(f"{p} is empty, not a sayso database (create one with `sayso ingest ... --db {p}`)")
    return Store(p)
