"""``sayso spark --input PATH_OR_GLOB --output DIR [--format warc|jsonl]`` and ``sayso spark-stories DIR``:
an archive analysed with PySpark into Parquet tables with the store's schema (:mod:`sayso.spark`), then
linked into stories.

Exit status (see :mod:`sayso.errors`): 0 every record stored; 2 the output folder cannot be written or
already holds tables (without --overwrite); 3 no input matches; 4 some records failed (listed in
``_failures/``) while the others were stored, or the format cannot be told from the file name; 7 pyspark,
pyarrow or Java 17+ missing.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import BadInput, InputNotFound, SaysoError
from . import app


class SparkFormat(StrEnum):
    """What ``sayso spark`` reads."""

    jsonl = "jsonl"
    warc = "warc"


def _one_line(text: str) -> str:
    from ..render import safe_text

    return safe_text(" ".join(str(text).split()), newlines=False)


@app.command("spark")
def spark(
    inputs: Annotated[
        list[str],
        typer.Option(
            "--input",
            "-i",
            metavar="PATH_OR_GLOB",
            help="JSONL or WARC files: a path, a folder, a glob ('dumps/*.jsonl.gz') or a URI Spark reads "
            "(hdfs://, s3a://). Repeat for more.",
        ),
    ],
    output: Annotated[str, typer.Option("--output", "-o", metavar="DIR", help="Folder for the Parquet tables.")],
    fmt: Annotated[
        SparkFormat | None,
        typer.Option("--format", "-f", help="Input format (default: from the file names)."),
    ] = None,
    fast: Annotated[
        bool,
        typer.Option("--fast", help="Rules only, without the neural attribution tagger: quicker, less accurate."),
    ] = False,
    master: Annotated[
        str | None,
        typer.Option(
            "--master", metavar="URL", help="Spark master, e.g. local[2] (default: spark-submit's, else local[*])."
        ),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Partitions to analyse in (default: 2 × Spark's parallelism)."),
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace tables written before in DIR.")] = False,
    link: Annotated[bool, typer.Option("--link", help="Link the articles into stories afterwards.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
) -> None:
    """Analyse JSONL dumps or WARC archives with PySpark into Parquet tables that have the store's schema.

    One folder per table under DIR (articles/, sources/, attributions/, times/, quantities/, places/, ...),
    readable by pandas, pyarrow, DuckDB and Spark; records that could not be read go to _failures/. Repeated
    articles (same URL and text) are kept once. Needs `pip install 'sayso[spark]'` and Java 17 or newer.

    Exit status: 0 all stored; 2 DIR cannot be written or holds tables already; 3 no input found; 4 some
    records failed; 7 pyspark or Java missing.

    Example: `sayso spark --input 'news/*.jsonl' --output tables/ --master local[4] --link`
    """
    from ..errors import MissingResource
    from ..spark import (
        _importable,
        check_requirements,
        detect_format,
        local_matches,
        prepare_output,
        run_job,
        spark_session,
    )

    check_requirements()
    patterns: list[str] = []
    for pattern in inputs:
        matches = local_matches(pattern)
        if matches is not None and not matches:
            raise InputNotFound(f"no input matches {pattern}")
        patterns.append(pattern)
    if fmt is None:
        found = {detect_format(p) for p in patterns}
        if None in found or len(found) != 1:
            raise BadInput("cannot tell the input format from the file names: pass --format jsonl or --format warc")
        chosen = found.pop()
    else:
        chosen = fmt.value
    if chosen == "warc" and not _importable("warcio"):
        raise MissingResource("sayso spark --format warc needs warcio: pip install 'sayso[spark]'")
    prepare_output(output, overwrite)
    session = spark_session(master)
    try:
        summary = run_job(session, patterns, output, str(chosen), fast=fast, partitions=partitions)
    except SaysoError:
        raise
    except Exception as err:  # Py4J / Spark errors: one line
        message = _one_line(str(err).splitlines()[0] if str(err) else type(err).__name__)
        raise SaysoError(f"the Spark job failed: {message}") from None
    finally:
        session.stop()
    result = summary.as_dict()
    if link:
        from ..spark import link_stories

        result["stories"] = link_stories(output).as_dict()
    err_line = (
        f"sayso: spark: stored {summary.rows['articles']} articles ({summary.rows['attributions']} attributions), "
        f"{summary.duplicates} repeated records dropped, failed {summary.failed} into {output}"
    )
    typer.echo(_one_line(err_line), err=True)
    for item, reason in summary.failures:
        text = reason if item and item in reason else f"{item}: {reason}"
        typer.echo(f"sayso: failed: {_one_line(text)}", err=True)
    if summary.failed > len(summary.failures):
        typer.echo(f"sayso: ... {summary.failed - len(summary.failures)} more in {output}/_failures", err=True)
    if link:
        s = result["stories"]
        line = f"sayso: linked {s['articles']} articles into {s['stories']} stories ({s['copies']} copies)"
        typer.echo(line, err=True)
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    if summary.failed:
        raise typer.Exit(4)


@app.command("spark-stories")
def spark_stories(
    output: Annotated[Path, typer.Argument(metavar="DIR", help="Folder written by `sayso spark`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
) -> None:
    """Link the articles of a `sayso spark` output into stories and copies (as `sayso ingest` does).

    Writes story_articles/ and stories/ beside the other tables (replacing those of an earlier run). Runs
    on this machine, without Spark: needs pyarrow. Exit status: 0; 3 DIR holds no articles table; 2 the
    tables cannot be written; 7 pyarrow missing.

    Example: `sayso spark-stories tables/`
    """
    from ..errors import MissingResource
    from ..spark import _importable, link_stories

    if not _importable("pyarrow"):
        raise MissingResource("sayso spark-stories needs pyarrow: pip install 'sayso[spark]'")
    summary = link_stories(str(output))
    typer.echo(
        _one_line(
            f"sayso: linked {summary.articles} articles into {summary.stories} stories "
            f"({summary.multi} with 2 or more articles, {summary.copies} copies) in {output}"
        ),
        err=True,
    )
    if as_json:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "\n")
