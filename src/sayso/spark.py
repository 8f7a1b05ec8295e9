"""``sayso spark``: analyse an archive with PySpark into Parquet tables that have the store's schema.

The job reads JSONL dumps (one news-please style record a line) or WARC files, drops repeated articles
(same content hash, as the store does), analyses each partition with one spaCy pipeline
(``mapPartitions``; a Python worker that Spark reuses keeps its pipeline) and writes one Parquet folder per
table of the store under the output folder: ``articles/``, ``sources/``, ``source_mentions/``,
``attributions/``, ``attribution_via/``, ``attribution_chain/``, ``attribution_origins/``, ``times/``,
``quantities/``, ``places/``, ``attribution_times/``, ``attribution_quantities/``, ``attribution_places/``
(columns and types those of the SQLite tables, :func:`table_columns`), plus ``_failures/`` (input, reason)
for records that could not be read or analysed. pandas, pyarrow, DuckDB and Spark read them as they are.

Rows are built by :func:`sayso.rows.report_rows`, like the store's; ids are 63-bit hashes of the article's
content hash, the table and the report's own id (:func:`row_id`), so they are unique across partitions and
the same on every run. :func:`link_stories` links the articles of such an output into stories with
:class:`sayso.stories.StoryLinker` (second step, on the driver) and writes ``story_articles/`` and
``stories/`` beside them.

The inputs are read as ``sayso ingest`` reads them (:mod:`sayso.input`): :func:`jsonl_article` and
:func:`warc_articles` hand each record to the same readers, so that both give the same articles.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BadInput, InputNotFound, MissingResource, UnwritableOutput
from .rows import Ref, article_values, report_rows
from .schema import Article, Report

#: The store's tables written by the job, in the store's order.
TABLES = (
    "articles",
    "sources",
    "source_mentions",
    "attributions",
    "attribution_via",
    "attribution_chain",
    "attribution_origins",
    "times",
    "quantities",
    "places",
    "attribution_times",
    "attribution_quantities",
    "attribution_places",
)
#: Records that could not be read or analysed: (input, reason).
FAILURES = "_failures"
#: Tables written by :func:`link_stories`.
STORY_TABLES = ("story_articles", "stories")
#: The oldest Java the pinned PySpark runs on.
MIN_JAVA = 17
#: Input formats and the file names that pick them.
FORMATS = {"jsonl": (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"), "warc": (".warc", ".warc.gz")}
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_JAVA_VERSION_RE = re.compile(r'version "(\d+)(?:\.(\d+))?')


# --- requirements ----------------------------------------------------------------------------------


def java_version(java: str | None = None) -> int | None:
    """The major version of the Java that Spark would start (``$JAVA_HOME/bin/java``, else ``java`` on
    the PATH; ``java``: that program instead), or None when there is none or it does not run."""
    if java is None:
        home = os.environ.get("JAVA_HOME")
        java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        return None
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    m = _JAVA_VERSION_RE.search(done.stderr + done.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major  # 'version "1.8.0_392"' is Java 8


def check_requirements() -> None:
    """Raise :class:`MissingResource` (exit 7) with one line when pyspark or pyarrow is not installed or
    no Java of version :data:`MIN_JAVA` or newer can be started."""
    missing = [name for name in ("pyspark", "pyarrow") if not _importable(name)]
    if missing:
        raise MissingResource(
            f"sayso spark needs {' and '.join(missing)}: pip install 'sayso[spark]' (pyspark, pyarrow)"
        )
    version = java_version()
    if version is None:
        raise MissingResource(
            f"sayso spark needs Java {MIN_JAVA} or newer (none found in JAVA_HOME or on the PATH): "
            "install e.g. Debian's openjdk-17-jre-headless"
        )
    if version < MIN_JAVA:
        raise MissingResource(f"sayso spark needs Java {MIN_JAVA} or newer, found Java {version}")


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


# --- the schema ------------------------------------------------------------------------------------


def table_columns(tables: Iterable[str] = TABLES) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, SQLite type), ...]} of the store's ``tables``, read from a fresh store's schema
    (so that the Parquet tables follow every migration). The type is 'INTEGER', 'REAL', 'TEXT' or 'BLOB'."""
    from .store import Store

    with Store(":memory:") as store:
        out = {}
        for table in tables:
            info = store.connection.execute("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", (table,))
            out[table] = [(name, (kind or "TEXT").upper()) for name, kind in info]
    return out


def arrow_schema(columns: list[tuple[str, str]]) -> Any:
    """The pyarrow schema of a table with ``columns`` (as :func:`table_columns` gives them)."""
    import pyarrow as pa

    types = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string(), "BLOB": pa.binary()}
    return pa.schema([(name, types.get(kind, pa.string())) for name, kind in columns])


def spark_schema(columns: list[tuple[str, str]]) -> Any:
    """The Spark SQL schema of a table with ``columns`` (as :func:`table_columns` gives them)."""
    from pyspark.sql import types as T

    kinds = {"INTEGER": T.LongType(), "REAL": T.DoubleType(), "TEXT": T.StringType(), "BLOB": T.BinaryType()}
    return T.StructType([T.StructField(name, kinds.get(kind, T.StringType()), True) for name, kind in columns])


def row_id(content_hash: str, table: str, key: str) -> int:
    """The id of the row ``key`` of ``table`` in the article with ``content_hash`` (``table`` 'articles'
    and key '' for the article itself): a non-negative 63-bit hash."""
    digest = hashlib.blake2b(f"{content_hash}\x00{table}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def _coerce(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "INTEGER":
        return int(value)
    if kind == "REAL":
        return float(value)
    return value


def report_table_rows(
    report: Report, columns: dict[str, list[tuple[str, str]]], ingested_at: str
) -> list[tuple[str, tuple]]:
    """``report`` as (table, values) pairs, values in the order of ``columns[table]``: the article's row and
    those of :func:`sayso.rows.report_rows`, references replaced by :func:`row_id` ids. Raises
    :class:`sayso.rows.BadReport` for a report that refers to ids it does not define."""
    from .store import content_hash, report_hash

    chash = content_hash(report.article)
    article = article_values(report, chash, report_hash(report), ingested_at)
    article["id"] = row_id(chash, "articles", "")

    def resolve(value: Any) -> Any:
        return row_id(chash, value.table, value.key) if isinstance(value, Ref) else value

    out = [("articles", tuple(_coerce(article.get(c), k) for c, k in columns["articles"]))]
    for row in report_rows(report):
        values = {c: resolve(v) for c, v in row.values.items()}
        if row.key is not None:
            values["id"] = row_id(chash, row.table, row.key)
        out.append((row.table, tuple(_coerce(values.get(c), k) for c, k in columns[row.table])))
    return out


# --- readers ---------------------------------------------------------------------------------------


def jsonl_article(line: str, name: str) -> Article | None:
    """The article in one JSONL record, read as ``sayso ingest`` reads it (:func:`sayso.input.jsonl.
    article_from_object`: news-please fields ``url``, ``title``, ``date_publish``, ``maintext``, ``authors``,
    ``source_domain``, ``language``), or None for a blank line. ``name`` (where the record comes from: its file
    and line) goes into ``Article.input`` and messages. Raises BadInput for a record that is not a JSON
    object or has no body text."""
    from .input.jsonl import article_from_object
    from .input.record import Record, record_article

    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise BadInput(f"{name}: not JSON ({err.msg})") from None
    if not isinstance(obj, dict):
        raise BadInput(f"{name}: not a JSON object")
    try:
        article = article_from_object(obj)
    except BadInput as err:
        raise BadInput(f"{name}: {err.message}") from None
    return record_article(Record(input=name, kind="article", article=article, url=article.url))


def warc_articles(data: bytes, name: str) -> Iterator[Article | BadInput]:
    """The articles in the HTML page records of the WARC (or WARC.gz) file ``data`` named ``name``, read as
    ``sayso ingest`` reads them (:func:`sayso.input.warc.read_warc`, then
    :func:`sayso.input.record.record_article`: the record's target URI as the URL, its date where the page
    names none). A record that is no article yields a BadInput; a truncated file one for what could not be
    read."""
    from .errors import SaysoError
    from .input.record import record_article
    from .input.warc import read_warc

    for record in read_warc(name, data=data):
        try:
            yield record_article(record)
        except SaysoError as err:
            yield err if isinstance(err, BadInput) else BadInput(f"{record.input}: {err.message}")


def detect_format(pattern: str) -> str | None:
    """'jsonl' or 'warc' from the suffix of ``pattern`` (a path or glob), or None."""
    lowered = pattern.lower()
    for fmt, suffixes in FORMATS.items():
        if lowered.endswith(suffixes):
            return fmt
    return None


def local_matches(pattern: str) -> list[str] | None:
    """The local files a path or glob names (None for a URI such as ``hdfs://`` or ``s3a://``, which only
    Spark can list). A folder stands for the files in it."""
    if _SCHEME_RE.match(pattern) and not pattern.startswith("file://"):
        return None
    path = pattern.removeprefix("file://")
    if Path(path).is_dir():
        return sorted(str(p) for p in Path(path).iterdir() if p.is_file() and not p.name.startswith((".", "_")))
    return sorted(p for p in glob.glob(path) if Path(p).is_file())


# --- the job ---------------------------------------------------------------------------------------

_PIPELINES: dict[bool, Any] = {}


def _pipeline(fast: bool) -> Any:
    """The spaCy pipeline of this Python worker (loaded once, kept while Spark reuses the worker)."""
    if fast not in _PIPELINES:
        from .pipeline import load_pipeline

        _PIPELINES[fast] = load_pipeline(fast=fast)
    return _PIPELINES[fast]


def _bad(name: str, reason: str) -> tuple[str, tuple[int, str]]:
    """A record that could not be read, keyed so that it passes the de-duplication on its own."""
    return (f"\x00bad\x00{name}\x00{reason}", (1, json.dumps([name, reason])))


def _read_jsonl_rows(rows: Iterable[Any]) -> Iterator[tuple[str, tuple[int, str]]]:
    """Partition function: (line, file) rows → (content hash, (1, article JSON)), or a :func:`_bad` record."""
    from .store import content_hash

    for row in rows:
        name = row[1]
        try:
            article = jsonl_article(row[0], name)
        except BadInput as err:
            yield _bad(name, err.message)
            continue
        if article is not None:
            yield (content_hash(article), (1, article.model_dump_json()))


def _read_warc_file(item: tuple[str, bytes]) -> Iterator[tuple[str, tuple[int, str]]]:
    """(path, bytes) of one WARC file → (content hash, (1, article JSON)), or a :func:`_bad` record each."""
    from .store import content_hash

    path, data = item
    for found in warc_articles(data, path):
        if isinstance(found, BadInput):
            yield _bad(path, found.message)
        else:
            yield (content_hash(found), (1, found.model_dump_json()))


def _keep_one(a: tuple[int, str], b: tuple[int, str]) -> tuple[int, str]:
    """Two records of one article: how many records, and the least JSON (the same one whatever the order)."""
    return (a[0] + b[0], min(a[1], b[1]))


def filesystem(output: str) -> tuple[Any, str]:
    """(pyarrow filesystem, path in it) of a local folder or a URI pyarrow opens (``s3://`` — also written
    ``s3a://`` as Spark does —, ``gs://``, ``hdfs://``, ``file://``)."""
    import pyarrow.fs as pafs

    if _SCHEME_RE.match(output):
        uri = re.sub(r"^s3[an]://", "s3://", output)
        fs, path = pafs.FileSystem.from_uri(uri)
        return fs, path.rstrip("/")
    return pafs.LocalFileSystem(), str(Path(output).resolve())


class _PartWriter:
    """Writes one partition's rows of every table as ``TABLE/part-NNNNN.parquet`` under ``base`` on ``fs``:
    in batches of ``batch`` rows (memory stays bounded), to a hidden temporary file renamed once complete,
    so a retried task replaces its own files and readers never see half a file."""

    def __init__(self, fs: Any, base: str, index: int, attempt: int, schemas: dict[str, Any], batch: int = 2000):
        self.fs, self.base, self.index, self.attempt = fs, base, index, attempt
        self.schemas, self.batch = schemas, batch
        self.buffers: dict[str, list[tuple]] = {}
        self.writers: dict[str, Any] = {}

    def _tmp(self, table: str) -> str:
        return f"{self.base}/{table}/.part-{self.index:05d}.{self.attempt}.tmp"

    def add(self, table: str, values: tuple) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(values)
        if len(buffer) >= self.batch:
            self._flush(table)

    def _flush(self, table: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = self.buffers.pop(table, [])
        if not rows:
            return
        schema = self.schemas[table]
        if table not in self.writers:
            self.writers[table] = pq.ParquetWriter(self._tmp(table), schema, filesystem=self.fs)
        arrays = [pa.array(list(col), type=f.type) for col, f in zip(zip(*rows, strict=True), schema, strict=True)]
        self.writers[table].write_table(pa.Table.from_arrays(arrays, schema=schema))

    def close(self) -> None:
        for table in list(self.buffers):
            self._flush(table)
        for table, writer in self.writers.items():
            writer.close()
            self.fs.move(self._tmp(table), f"{self.base}/{table}/part-{self.index:05d}.parquet")


def _analyse_and_write(
    index: int,
    items: Iterable[tuple[str, tuple[int, str]]],
    *,
    fast: bool,
    columns: dict[str, list[tuple[str, str]]],
    output: str,
) -> Iterator[dict[str, Any]]:
    """Partition function: analyse each article (one pipeline for the partition), write its rows and the
    failures with :class:`_PartWriter`; yields one summary: ``counts`` by table, ``duplicates``, a sample
    of ``failures``."""
    from pyspark import TaskContext

    from .analysis import analyse_article
    from .rows import BadReport

    context = TaskContext.get()
    fs, base = filesystem(output)
    schemas = {t: arrow_schema(cols) for t, cols in columns.items()}
    writer = _PartWriter(fs, base, index, context.attemptNumber() if context else 0, schemas)
    counts: dict[str, int] = {}
    failures: list[list[str]] = []
    duplicates = 0

    def fail(name: str | None, reason: str, n: int = 1) -> None:
        for _ in range(n):
            writer.add(FAILURES, (name, reason))
        counts[FAILURES] = counts.get(FAILURES, 0) + n
        if len(failures) < 20:
            failures.append([name or "", reason])

    nlp = None
    for key, (n, payload) in items:
        if key.startswith("\x00bad\x00"):
            fail(*json.loads(payload), n=n)
            continue
        duplicates += n - 1
        article = Article.model_validate_json(payload)
        if nlp is None:
            nlp = _pipeline(fast)
        try:
            report = analyse_article(article, nlp)
            rows = report_table_rows(report, columns, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        except Exception as err:  # one article that breaks the pipeline must not fail the whole job
            what = "bad report" if isinstance(err, BadReport) else "internal error"
            fail(article.input, f"cannot analyse ({what}): {type(err).__name__}: {err}")
            continue
        for table, values in rows:
            writer.add(table, values)
            counts[table] = counts.get(table, 0) + 1
    writer.close()
    yield {"counts": counts, "duplicates": duplicates, "failures": failures}


@dataclass
class JobSummary:
    """What :func:`run_job` wrote: ``rows`` per table, ``failures`` (input, reason) (the first 20),
    ``failed`` (all of them), ``duplicates`` (records dropped as repeats of an article)."""

    output: str
    rows: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: output, articles, attributions, rows, failed, failures, duplicates."""
        return {
            "output": self.output,
            "articles": self.rows.get("articles", 0),
            "attributions": self.rows.get("attributions", 0),
            "rows": self.rows,
            "failed": self.failed,
            "failures": [list(f) for f in self.failures],
            "duplicates": self.duplicates,
        }


def spark_session(master: str | None, app_name: str = "sayso") -> Any:
    """The active Spark session, or a new one on ``master`` (None: what ``spark-submit`` set, else
    ``local[*]``). Python workers run this interpreter unless ``PYSPARK_PYTHON`` says otherwise."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    conf = SparkConf()
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not conf.contains("spark.master"):
        builder = builder.master("local[*]")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if not conf.contains("spark.ui.enabled"):
        builder = builder.config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def prepare_output(output: str, overwrite: bool) -> None:
    """Make the folder ``output`` (local or a URI, see :func:`filesystem`) with an empty folder per table.
    Raises UnwritableOutput when it already holds sayso tables (unless ``overwrite``: they are removed), is
    a file, or cannot be written."""
    import pyarrow.fs as pafs

    try:
        fs, base = filesystem(output)
        info = fs.get_file_info(base)
        if info.type == pafs.FileType.File:
            raise UnwritableOutput(f"cannot write to {output}: it is a file, not a folder")
        for table in (*TABLES, FAILURES, *STORY_TABLES):
            path = f"{base}/{table}"
            if fs.get_file_info(path).type != pafs.FileType.NotFound:
                if not overwrite:
                    raise UnwritableOutput(
                        f"{output} already holds sayso tables: choose another folder or pass --overwrite"
                    )
                fs.delete_dir(path)
        for table in (*TABLES, FAILURES):
            fs.create_dir(f"{base}/{table}", recursive=True)
    except (OSError, ValueError) as err:
        raise UnwritableOutput(f"cannot write to {output}: {err}") from None


def _write_empty(output: str, table: str, columns: list[tuple[str, str]]) -> None:
    """An empty Parquet file with the table's schema, so that readers of an empty table still see its columns."""
    import pyarrow.parquet as pq

    fs, base = filesystem(output)
    schema = arrow_schema(columns)
    pq.write_table(schema.empty_table(), f"{base}/{table}/part-empty.parquet", filesystem=fs)


def run_job(
    spark: Any,
    inputs: list[str],
    output: str,
    fmt: str,
    *,
    fast: bool = False,
    partitions: int | None = None,
) -> JobSummary:
    """Analyse the records of ``inputs`` (paths, globs or URIs Spark reads, all in format ``fmt``:
    'jsonl' or 'warc') and write the tables under ``output`` (a local folder in local mode; on a cluster
    a URI every executor can write, see :func:`filesystem`). ``fast``: the rules-only pipeline;
    ``partitions``: partitions to analyse in (default: twice Spark's default parallelism). The folder must
    have been made by :func:`prepare_output`. One Spark job: read, drop repeated articles (one shuffle), analyse and
    write each partition's rows. Returns the summary."""
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    columns = table_columns()
    columns[FAILURES] = [("input", "TEXT"), ("reason", "TEXT")]
    if fmt == "jsonl":
        frame = spark.read.text(inputs).withColumn("file", F.input_file_name())
        parsed = frame.rdd.mapPartitions(_read_jsonl_rows)
    else:
        parsed = sc.union([sc.binaryFiles(p) for p in inputs]).flatMap(_read_warc_file)
    n = partitions or 2 * sc.defaultParallelism
    unique = parsed.reduceByKey(_keep_one, numPartitions=n)  # the store keeps one article per content hash

    def work(index: int, items: Iterable) -> Iterator[dict[str, Any]]:
        return _analyse_and_write(index, items, fast=fast, columns=columns, output=output)

    parts = unique.mapPartitionsWithIndex(work).collect()
    summary = JobSummary(output=output, rows={t: 0 for t in TABLES})
    for part in parts:
        for table, count in part["counts"].items():
            if table in summary.rows:
                summary.rows[table] += count
        summary.failed += part["counts"].get(FAILURES, 0)
        summary.duplicates += part["duplicates"]
        summary.failures.extend(tuple(f) for f in part["failures"])
    summary.failures = summary.failures[:20]
    for table in (*TABLES, FAILURES):
        if not (summary.rows.get(table) if table != FAILURES else summary.failed):
            _write_empty(output, table, columns[table])
    return summary


# --- story linking over the output -------------------------------------------------------------------


@dataclass
class LinkSummary:
    """What :func:`link_stories` wrote: ``articles`` linked, ``stories`` (all), ``multi`` (stories of 2+
    articles), ``copies`` (articles linked onto an original)."""

    output: str
    articles: int
    stories: int
    multi: int
    copies: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: output, articles, stories, multi_article_stories, copies."""
        return {
            "output": self.output,
            "articles": self.articles,
            "stories": self.stories,
            "multi_article_stories": self.multi,
            "copies": self.copies,
        }


def link_stories(output: str, batch: int = 500) -> LinkSummary:
    """Link the articles of a ``sayso spark`` output folder ``output`` into stories and copy groups with
    :class:`sayso.stories.StoryLinker` (the same rules as ``sayso ingest``), on this machine: their
    articles, sources and places are loaded into a temporary SQLite store (on disk, read in record
    batches), linked, and ``story_articles/`` and ``stories/`` (the store's table and view) are written
    as Parquet under ``output`` (replacing those of a run before). ``batch``: articles per transaction.

    Raises InputNotFound when ``output`` holds no ``articles`` table and UnwritableOutput when the
    tables cannot be written."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    from .store import Store
    from .stories import StoryLinker

    try:
        fs, base = filesystem(output)
        found = fs.get_file_info(f"{base}/articles").type == pafs.FileType.Directory
    except (OSError, ValueError) as err:
        raise InputNotFound(f"cannot read {output}: {err}") from None
    if not found:
        raise InputNotFound(f"no articles table in {output} (write one with `sayso spark --output {output}`)")
    columns = table_columns((*TABLES, "story_articles"))
    with tempfile.TemporaryDirectory(prefix="sayso-stories-") as tmp, Store(Path(tmp) / "link.db") as store:
        conn = store.connection
        for table in ("articles", "sources", "places"):
            names = [c for c, _ in columns[table]]
            try:
                dataset = ds.dataset(f"{base}/{table}", format="parquet", filesystem=fs)
            except (OSError, ValueError) as err:
                raise InputNotFound(f"cannot read the {table} table in {output}: {err}") from None
            present = [c for c in names if c in dataset.schema.names]
            sql = f"INSERT INTO {table} ({', '.join(present)}) VALUES ({', '.join('?' for _ in present)})"
            conn.execute("BEGIN")
            for record_batch in dataset.to_batches(columns=present, batch_size=2000):
                conn.executemany(sql, zip(*(record_batch.column(c).to_pylist() for c in present), strict=True))
            conn.execute("COMMIT")
        linked = StoryLinker(store).link_pending(batch=batch)
        story_cols = columns["story_articles"]
        view_cols = [
            ("story_id", "INTEGER"),
            ("articles", "INTEGER"),
            ("originals", "INTEGER"),
            ("copies", "INTEGER"),
            ("first_published", "TEXT"),
            ("last_published", "TEXT"),
            ("outlets", "INTEGER"),
        ]
        for table, cols, sql in (
            ("story_articles", story_cols, f"SELECT {', '.join(c for c, _ in story_cols)} FROM story_articles"),
            ("stories", view_cols, f"SELECT {', '.join(c for c, _ in view_cols)} FROM stories ORDER BY story_id"),
        ):
            schema = arrow_schema(cols)
            target = f"{base}/{table}"
            try:
                if fs.get_file_info(target).type != pafs.FileType.NotFound:
                    fs.delete_dir(target)
                fs.create_dir(target, recursive=True)
                writer = pq.ParquetWriter(f"{target}/part-00000.parquet", schema, filesystem=fs)
            except OSError as err:
                raise UnwritableOutput(f"cannot write {output}/{table}: {err}") from None
            with writer:
                cursor = conn.execute(sql)
                while chunk := cursor.fetchmany(5000):
                    data = [list(col) for col in zip(*chunk, strict=True)]
                    writer.write_table(pa.table(data, schema=schema))
        stories, multi = conn.execute("SELECT COUNT(*), COALESCE(SUM(articles > 1), 0) FROM stories").fetchone()
        copies = conn.execute("SELECT COUNT(*) FROM story_articles WHERE original_id IS NOT NULL").fetchone()[0]
    return LinkSummary(output, linked, int(stories), int(multi), int(copies))


# --- benchmark -----------------------------------------------------------------------------------------


def _tree_rss_mb(root: int) -> float:
    """Resident memory (MiB) of process ``root`` and all its descendants, from ``/proc`` (0 elsewhere)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 2**20


class _PeakSampler:
    """Samples the resident memory of this process tree (the driver, the JVM, Spark's Python workers)
    every ``interval`` seconds in a thread; ``peak_mb`` is the largest sum seen."""

    def __init__(self, interval: float = 0.5) -> None:
        import threading

        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> _PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, _tree_rss_mb(os.getpid()))


def write_generated_jsonl(path: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` generated articles (:func:`sayso.bench.generate_articles`) to ``path`` as news-please
    JSONL records; returns how many distinct articles (by content hash) they hold."""
    from urllib.parse import urlsplit

    from .bench import generate_articles
    from .store import content_hash

    hashes = set()
    with path.open("w", encoding="utf-8") as out:
        for item in generate_articles(n, seed):
            art = item.report.article
            hashes.add(content_hash(art.model_copy(update={"text": art.text.strip()})))
            record = {
                "url": art.url,
                "title": art.title,
                "date_publish": f"{art.published} 08:00:00",
                "maintext": art.text,
                "authors": [],
                "source_domain": urlsplit(art.url or "").hostname,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(hashes)


def run_spark_bench(
    n: int, fast: bool = False, masters: tuple[str, ...] = ("local[1]", "local[2]"), partitions: int = 8
) -> dict[str, Any]:
    """Time ``sayso spark`` on the same ``n`` generated articles (JSONL) under each of ``masters``, in
    ``partitions`` partitions, the Spark session started before the clock starts (each run loads its
    pipelines in its workers, as a real run does). Returns ``articles``, ``fast``, and per master
    ``articles_per_s``, ``seconds`` and ``peak_rss_mb`` (this process, the JVM and the Python workers), plus
    ``speedup``: the second master's rate over the first's."""
    import time

    check_requirements()
    out: dict[str, Any] = {"articles": n, "fast": fast, "partitions": partitions, "runs": []}
    with tempfile.TemporaryDirectory(prefix="sayso-spark-bench-") as tmp:
        jsonl = Path(tmp) / "generated.jsonl"
        distinct = write_generated_jsonl(jsonl, n)
        out["distinct_articles"] = distinct
        for master in masters:
            spark = spark_session(master, "sayso-bench")
            prepare_output(str(Path(tmp) / master), overwrite=True)
            try:
                with _PeakSampler() as sampler:
                    start = time.perf_counter()
                    summary = run_job(
                        spark, [str(jsonl)], str(Path(tmp) / master), "jsonl", fast=fast, partitions=partitions
                    )
                    seconds = time.perf_counter() - start
            finally:
                spark.stop()
            out["runs"].append(
                {
                    "master": master,
                    "seconds": round(seconds, 2),
                    "articles_stored": summary.rows["articles"],
                    "attributions": summary.rows["attributions"],
                    "articles_per_s": round(summary.rows["articles"] / seconds, 2),
                    "peak_rss_mb": round(sampler.peak_mb, 1),
                }
            )
    if len(out["runs"]) >= 2:
        out["speedup"] = round(out["runs"][1]["articles_per_s"] / out["runs"][0]["articles_per_s"], 2)
    return out
