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

The readers of the inputs (:func:`jsonl_article`, :func:`warc_articles`) are each one function, so that a
fuller reader can take their place.
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
_UNANALYSED = "_unanalysed"  # rows of FAILURES for articles read but not analysed
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
    """The article in one JSONL record (news-please fields: ``url``, ``title``, ``date_publish``,
    ``maintext``, ``authors``, ``source_domain``, ``language``), or None for a blank line. ``name``
    (file and line) goes into ``Article.input`` and messages. Raises BadInput for a record that is not a
    JSON object or has no ``maintext``."""
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise BadInput(f"{name}: not JSON ({err.msg})") from None
    if not isinstance(record, dict):
        raise BadInput(f"{name}: not a JSON object")
    text = record.get("maintext") or record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput(f"{name}: no maintext")
    from .loading import _iso_date
    from .outlets import outlet_for_url

    url = record.get("url") if isinstance(record.get("url"), str) else None
    published = record.get("date_publish")
    published = _iso_date(published[:10]) if isinstance(published, str) else None
    authors = record.get("authors")
    authors = [a for a in authors if isinstance(a, str)] if isinstance(authors, list) else []
    domain = record.get("source_domain") if isinstance(record.get("source_domain"), str) else None
    title = record.get("title") if isinstance(record.get("title"), str) else None
    language = record.get("language") if isinstance(record.get("language"), str) else None
    return Article(
        title=" ".join(title.split()) if title else None,
        outlet=outlet_for_url(url) or outlet_for_url(f"https://{domain}/" if domain else None) or domain,
        published=published,
        url=url,
        text=text.strip(),
        authors=authors,
        language=language,
        input=name,
    )


def warc_articles(data: bytes, name: str) -> Iterator[Article | BadInput]:
    """The articles in the HTML response records of the WARC (or WARC.gz) file ``data`` named ``name``:
    each as :func:`sayso.loading.article_from_html` reads the page, its URL the record's target URI and,
    when the page names no date, its date the record's. A record that is no article yields a BadInput; a
    truncated file yields one for what could not be read."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    from .loading import article_from_html, decode

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{name}#{uri}"
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            status = record.http_headers.get_statuscode()
            if status != "200":
                yield BadInput(f"{where}: HTTP status {status}")
                continue
            try:
                html = decode(record.content_stream().read(), where)
                article = article_from_html(html, where, url=uri)
            except BadInput as err:
                yield err
                continue
            if article.published is None:
                date = (record.rec_headers.get_header("WARC-Date") or "")[:10]
                article = article.model_copy(update={"published": date or None})
            yield article.model_copy(update={"input": where})
    except Exception as err:  # warcio raises assorted errors on a truncated or corrupt archive
        yield BadInput(f"{name}: unreadable WARC data ({type(err).__name__}: {err})")


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


def _read_jsonl_rows(rows: Iterable[Any]) -> Iterator[tuple]:
    """Partition function: (line, file) rows → ('ok', content hash, article JSON) or ('bad', input, reason)."""
    from .store import content_hash

    for row in rows:
        name = row[1]
        try:
            article = jsonl_article(row[0], name)
        except BadInput as err:
            yield ("bad", name, err.message)
            continue
        if article is not None:
            yield ("ok", content_hash(article), article.model_dump_json())


def _read_warc_file(item: tuple[str, bytes]) -> Iterator[tuple]:
    """(path, bytes) of one WARC file → ('ok', content hash, article JSON) or ('bad', input, reason)."""
    from .store import content_hash

    path, data = item
    for found in warc_articles(data, path):
        if isinstance(found, BadInput):
            yield ("bad", path, found.message)
        else:
            yield ("ok", content_hash(found), found.model_dump_json())


def _analyse_partition(articles: Iterable[str], fast: bool, columns: dict[str, list[tuple[str, str]]]) -> Iterator:
    """Partition function: article JSON → (table, values) rows of its report; a failure → a
    :data:`FAILURES` row (input, reason)."""
    from .analysis import analyse_article
    from .rows import BadReport

    nlp = None
    for text in articles:
        article = Article.model_validate_json(text)
        if nlp is None:
            nlp = _pipeline(fast)
        try:
            report = analyse_article(article, nlp)
            rows = report_table_rows(report, columns, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        except (BadReport, ValueError, RuntimeError) as err:
            yield (_UNANALYSED, (article.input, f"cannot analyse: {type(err).__name__}: {err}"))
            continue
        yield from rows


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


def check_output(output: str, overwrite: bool) -> None:
    """Raise UnwritableOutput when the local folder ``output`` already holds sayso tables (unless
    ``overwrite``), is a file, or cannot be created."""
    if _SCHEME_RE.match(output) and not output.startswith("file://"):
        return
    path = Path(output.removeprefix("file://"))
    if path.exists() and not path.is_dir():
        raise UnwritableOutput(f"cannot write to {output}: it is a file, not a folder")
    if path.is_dir() and not overwrite and any((path / t).exists() for t in (*TABLES, FAILURES)):
        raise UnwritableOutput(f"{output} already holds sayso tables: choose another folder or pass --overwrite")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UnwritableOutput(f"cannot create folder {output}: {err.strerror}") from None


def run_job(
    spark: Any,
    inputs: list[str],
    output: str,
    fmt: str,
    *,
    fast: bool = False,
    partitions: int | None = None,
    overwrite: bool = False,
) -> JobSummary:
    """Analyse the records of ``inputs`` (paths, globs or URIs Spark reads, all in format ``fmt``:
    'jsonl' or 'warc') and write the tables under ``output``. ``fast``: the rules-only pipeline;
    ``partitions``: partitions to analyse in (default: twice Spark's default parallelism); ``overwrite``:
    replace tables written before. Returns the summary."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    columns = table_columns()
    if fmt == "jsonl":
        frame = spark.read.text(inputs).withColumn("file", F.input_file_name())
        parsed = frame.rdd.mapPartitions(_read_jsonl_rows)
    else:
        parsed = sc.union([sc.binaryFiles(p) for p in inputs]).flatMap(_read_warc_file)
    parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK)
    n = partitions or 2 * sc.defaultParallelism
    good = parsed.filter(lambda t: t[0] == "ok").map(lambda t: (t[1], t[2]))
    unique = good.reduceByKey(min, numPartitions=n).values()  # the store keeps one article per content hash
    bad = parsed.filter(lambda t: t[0] == "bad").map(lambda t: (FAILURES, (t[1], t[2])))
    analysed = unique.mapPartitions(lambda part: _analyse_partition(part, fast, columns))
    rows = analysed.union(bad).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts = dict(rows.map(lambda t: t[0]).countByValue())
        records = good.count()
        mode = "overwrite" if overwrite else "errorifexists"
        schemas = {t: columns[t] for t in TABLES}
        schemas[FAILURES] = [("input", "TEXT"), ("reason", "TEXT")]
        for table, cols in schemas.items():
            names = (FAILURES, _UNANALYSED) if table == FAILURES else (table,)
            subset = rows.filter(lambda t, names=names: t[0] in names).map(lambda t: t[1])
            frame = spark.createDataFrame(subset, spark_schema(cols))
            if table == "articles":
                frame = frame.orderBy("id")
            frame.write.mode(mode).parquet(f"{output.rstrip('/')}/{table}")
        failures = rows.filter(lambda t: t[0] in (FAILURES, _UNANALYSED)).map(lambda t: t[1]).take(20)
    finally:
        rows.unpersist()
        parsed.unpersist()
    summary = JobSummary(output=output, rows={t: int(counts.get(t, 0)) for t in TABLES})
    summary.failures = [tuple(f) for f in failures]
    summary.failed = int(counts.get(FAILURES, 0)) + int(counts.get(_UNANALYSED, 0))
    summary.duplicates = records - summary.rows["articles"] - int(counts.get(_UNANALYSED, 0))
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


def _dataset(output: str, table: str) -> Any:
    import pyarrow.dataset as ds

    return ds.dataset(f"{output.rstrip('/')}/{table}", format="parquet")


def link_stories(output: str, batch: int = 500) -> LinkSummary:
    """Link the articles of a ``sayso spark`` output folder ``output`` into stories and copy groups with
    :class:`sayso.stories.StoryLinker` (the same rules as ``sayso ingest``), on this machine: their
    articles, sources and places are loaded into a temporary SQLite store (on disk, read in record
    batches), linked, and ``story_articles/`` and ``stories/`` (the store's table and view) are written
    as Parquet under ``output`` (replacing those of a run before). ``batch``: articles per transaction.

    Raises InputNotFound when ``output`` holds no ``articles`` table and UnwritableOutput when the
    tables cannot be written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .store import Store
    from .stories import StoryLinker

    local = not (_SCHEME_RE.match(output) and not output.startswith("file://"))
    base = output.removeprefix("file://")
    if local and not (Path(base) / "articles").is_dir():
        raise InputNotFound(f"no articles table in {output} (write one with `sayso spark --output {output}`)")
    columns = table_columns((*TABLES, "story_articles"))
    with tempfile.TemporaryDirectory(prefix="sayso-stories-") as tmp, Store(Path(tmp) / "link.db") as store:
        conn = store.connection
        for table in ("articles", "sources", "places"):
            names = [c for c, _ in columns[table]]
            try:
                dataset = _dataset(output, table)
            except (OSError, ValueError) as err:
                raise InputNotFound(f"cannot read the {table} table in {output}: {err}") from None
            present = [c for c in names if c in dataset.schema.names]
            sql = f"INSERT INTO {table} ({', '.join(present)}) VALUES ({', '.join('?' for _ in present)})"
            conn.execute("BEGIN")
            for record_batch in dataset.to_batches(columns=present, batch_size=2000):
                conn.executemany(sql, zip(*(record_batch.column(c).to_pylist() for c in present), strict=True))
            conn.execute("COMMIT")
        linker = StoryLinker(store)
        linked = linker.link_pending(batch=batch)
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
            target = f"{output.rstrip('/')}/{table}"
            try:
                if local:
                    shutil.rmtree(Path(base) / table, ignore_errors=True)
                    (Path(base) / table).mkdir(parents=True)
                    target = str(Path(base) / table / "part-00000.parquet")
                    writer = pq.ParquetWriter(target, schema)
                else:
                    import pyarrow.fs as pafs

                    fs, path = pafs.FileSystem.from_uri(target)
                    fs.delete_dir_contents(path, missing_dir_ok=True)
                    writer = pq.ParquetWriter(f"{path}/part-00000.parquet", schema, filesystem=fs)
            except OSError as err:
                raise UnwritableOutput(f"cannot write {target}: {err}") from None
            with writer:
                cursor = conn.execute(sql)
                while chunk := cursor.fetchmany(5000):
                    data = [list(col) for col in zip(*chunk, strict=True)]
                    writer.write_table(pa.table(data, schema=schema))
        stories, multi = conn.execute("SELECT COUNT(*), COALESCE(SUM(articles > 1), 0) FROM stories").fetchone()
        copies = conn.execute("SELECT COUNT(*) FROM story_articles WHERE original_id IS NOT NULL").fetchone()[0]
    return LinkSummary(output, linked, int(stories), int(multi), int(copies))
