"""``sayso spark``: a PySpark job in local[2] mode writes Parquet tables with the store's schema, holding what
``sayso ingest`` stores from the same file; ``sayso spark-stories`` links them as
``sayso ingest`` does. Skipped (with the reason) where pyspark, pyarrow or Java 17+ are missing."""

from __future__ import annotations

import io
import json
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from spark_helpers import article_record, write_jsonl
from typer.testing import CliRunner

from sayso.cli import _register, app
from sayso.errors import MissingResource, SaysoError

_register()


def _spark_missing() -> str | None:
    from sayso.spark import check_requirements

    try:
        check_requirements()
    except MissingResource as err:
        return err.message
    return None


pytestmark = pytest.mark.skipif(_spark_missing() is not None, reason=f"no Spark here: {_spark_missing()}")


def status(result) -> tuple[int, str]:
    """(exit status, what the user sees) of a CliRunner result; a SaysoError is what main() turns into
    its exit status and one line."""
    if isinstance(result.exception, SaysoError):
        return result.exception.exit_code, result.exception.message
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory, runner):
    """20 good records, one repeated, one broken line and one without text; analysed by `sayso spark` in
    local[2] mode and linked by `sayso spark-stories`."""
    folder = tmp_path_factory.mktemp("spark")
    jsonl = folder / "news.jsonl"
    records = write_jsonl(jsonl, 20)
    with jsonl.open("a", encoding="utf-8") as out:
        out.write(json.dumps(records[3]) + "\n")  # the same article again
        out.write('{"url": "https://broken.example/a", "title": \n')  # truncated
        out.write(json.dumps({"url": "https://empty.example/b", "title": "No body"}) + "\n")
    output = folder / "tables"
    args = ["spark", "--input", str(jsonl), "--output", str(output), "--master", "local[2]", "--fast", "--json"]
    result = runner.invoke(app, args)
    linked = runner.invoke(app, ["spark-stories", str(output), "--json"])
    return {"folder": folder, "jsonl": jsonl, "records": records, "output": output, "result": result, "linked": linked}


@pytest.fixture(scope="module")
def ingested(spark_run, runner):
    """The same JSONL file ingested by `sayso ingest` (fast pipeline) into a SQLite store: what the Parquet
    tables must hold. Returns the database and ingest's summary line."""
    db = spark_run["folder"] / "ingest.db"
    result = runner.invoke(app, ["ingest", str(spark_run["jsonl"]), "--db", str(db), "--fast"])
    assert result.exit_code == 4, result.output  # the two bad lines: counted, not fatal
    return db, result.stderr


def _table(output: Path, name: str):
    import pyarrow.parquet as pq

    return pq.read_table(output / name)


def test_spark_job_summary(spark_run):
    result = spark_run["result"]
    assert result.exit_code == 4, result.output  # two bad records: listed, not fatal
    summary = json.loads(result.stdout)
    assert summary["articles"] == 20
    assert summary["duplicates"] == 1
    assert summary["failed"] == 2
    reasons = sorted(r for _, r in summary["failures"])
    assert any("not JSON" in r for r in reasons) and any("no article text" in r for r in reasons)
    assert "stored 20 articles" in result.stderr
    failures = _table(spark_run["output"], "_failures")
    assert failures.num_rows == 2


def test_counts_equal_those_of_the_store(spark_run, ingested):
    db, summary = ingested
    assert "stored 20," in summary and "failed 2" in summary, summary
    output = spark_run["output"]
    with sqlite3.connect(db) as conn:
        for table in ("articles", "sources", "attributions", "times", "quantities", "places", "attribution_chain"):
            stored = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            assert _table(output, table).num_rows == stored, table
        assert conn.execute("SELECT COUNT(*) FROM attributions").fetchone()[0] > 20


def _attributions_by_article(rows_of_articles, rows_of_sources, rows_of_attributions) -> dict[str, list[tuple]]:
    """{content_hash: sorted (source name, cue, content, kind, hops)} from plain row dicts."""
    hashes = {a["id"]: a["content_hash"] for a in rows_of_articles}
    names = {s["id"]: s["name"] for s in rows_of_sources}
    out: dict[str, list[tuple]] = defaultdict(list)
    for a in rows_of_attributions:
        item = (names.get(a["source_id"]), a["cue_text"], a["content_text"], a["content_start"], a["kind"], a["hops"])
        out[hashes[a["article_id"]]].append(item)
    return {k: sorted(v, key=repr) for k, v in out.items()}


def test_same_attributions_for_every_article(spark_run, ingested):
    db, _ = ingested
    output = spark_run["output"]
    parquet = _attributions_by_article(
        *(_table(output, t).to_pylist() for t in ("articles", "sources", "attributions"))
    )
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        stored = _attributions_by_article(
            *([dict(r) for r in conn.execute(f"SELECT * FROM {t}")] for t in ("articles", "sources", "attributions"))
        )
    assert parquet.keys() == stored.keys()
    sample = sorted(stored)[7]
    assert parquet[sample] == stored[sample] and len(stored[sample]) >= 3
    assert parquet == stored


def test_columns_are_the_store_schema_and_every_reader_reads_them(spark_run, ingested):
    import duckdb
    import pandas as pd
    from pyspark.sql import SparkSession

    db, _ = ingested
    output = spark_run["output"]
    with sqlite3.connect(db) as conn:
        for table in ("articles", "sources", "attributions", "times", "quantities", "places"):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            assert _table(output, table).column_names == columns, table
    frame = pd.read_parquet(output / "attributions")
    assert len(frame) == _table(output, "attributions").num_rows
    count = (
        duckdb.connect()
        .execute(
            f"SELECT COUNT(*) FROM read_parquet('{output}/attributions/*.parquet') AS a "
            f"JOIN read_parquet('{output}/articles/*.parquet') AS ar ON ar.id = a.article_id"
        )
        .fetchone()[0]
    )
    assert count == len(frame)
    spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        assert spark.read.parquet(str(output / "articles")).count() == 20
        types = dict(spark.read.parquet(str(output / "quantities")).dtypes)
        assert types["value"] == "double" and types["start"] == "bigint" and types["text"] == "string"
    finally:
        spark.stop()


def test_story_linking_groups_as_the_store_does(spark_run, ingested):
    linked = spark_run["linked"]
    assert linked.exit_code == 0, linked.output
    summary = json.loads(linked.stdout)
    assert summary["articles"] == 20
    db, _ = ingested
    output = spark_run["output"]
    hashes = {a["id"]: a["content_hash"] for a in _table(output, "articles").to_pylist()}

    def groups(rows, key) -> set[frozenset[str]]:
        out: dict[int, set[str]] = defaultdict(set)
        for article, group in rows:
            out[group].add(key(article))
        return {frozenset(g) for g in out.values()}

    story_rows = _table(output, "story_articles").to_pylist()
    parquet_stories = groups([(r["article_id"], r["story_id"]) for r in story_rows], hashes.__getitem__)
    parquet_copies = groups([(r["article_id"], r["dup_group"]) for r in story_rows], hashes.__getitem__)
    with sqlite3.connect(db) as conn:
        own = dict(conn.execute("SELECT id, content_hash FROM articles"))
        rows = conn.execute("SELECT article_id, story_id, dup_group FROM story_articles").fetchall()
    assert parquet_stories == groups([(a, s) for a, s, _ in rows], own.__getitem__)
    assert parquet_copies == groups([(a, d) for a, _, d in rows], own.__getitem__)
    assert _table(output, "stories").num_rows == summary["stories"]


def test_existing_output_is_refused_without_overwrite(spark_run, runner):
    args = ["spark", "--input", str(spark_run["jsonl"]), "--output", str(spark_run["output"]), "--fast"]
    code, text = status(runner.invoke(app, args))
    assert code == 2
    assert "already holds sayso tables" in text


def test_warc_input(tmp_path, runner):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as raw:
        writer = WARCWriter(raw, gzip=True)
        for i in range(3):
            rec = article_record(i)
            paragraphs = "".join(f"<p>{p}</p>" for p in rec["maintext"].split("\n\n"))
            head = f"<head><title>{rec['title']}</title></head>"
            html = f"<html>{head}<body><article>{paragraphs}</article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                rec["url"],
                "response",
                payload=io.BytesIO(html.encode()),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"},
            )
            writer.write_record(record)
        menu = "<html><body><nav>Home</nav></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/menu", "response", payload=io.BytesIO(menu.encode()), http_headers=headers
            )
        )
    output = tmp_path / "tables"
    args = ["spark", "-i", str(path), "-o", str(output), "--master", "local[2]", "--fast", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 4, result.output  # the menu page is no article
    summary = json.loads(result.stdout)
    assert summary["articles"] == 3 and summary["failed"] == 1
    articles = {a["url"]: a for a in _table(output, "articles").to_pylist()}
    assert set(articles) == {article_record(i)["url"] for i in range(3)}
    assert {a["published"] for a in articles.values()} == {"2024-03-05"}  # from the WARC record
    assert summary["attributions"] >= 6


def test_no_java_or_no_pyspark_exits_7(tmp_path, runner, monkeypatch):
    jsonl = tmp_path / "a.jsonl"
    write_jsonl(jsonl, 1)
    args = ["spark", "--input", str(jsonl), "--output", str(tmp_path / "out")]
    code, text = status(runner.invoke(app, args, env={"JAVA_HOME": str(tmp_path / "no-java")}))
    assert code == 7
    assert "Java 17 or newer" in text
    import sayso.spark

    monkeypatch.setattr(sayso.spark, "_importable", lambda name: name != "pyspark")
    code, text = status(runner.invoke(app, args))
    assert code == 7
    assert "pip install 'sayso[spark]'" in text


def test_missing_input_and_unknown_format(tmp_path, runner):
    args = ["spark", "--input", str(tmp_path / "none*.jsonl"), "--output", str(tmp_path / "o")]
    assert status(runner.invoke(app, args))[0] == 3
    (tmp_path / "a.txt").write_text("x")
    args = ["spark", "--input", str(tmp_path / "a.txt"), "--output", str(tmp_path / "o")]
    code, text = status(runner.invoke(app, args))
    assert code == 4
    assert "--format" in text
