"""``sayso bench [--corpus DIR] [--json]``: throughput of the full pipeline against a bare spaCy parse;
``sayso bench --linking N [--linking N ...] [--batch B] [--json]``: the cost of linking articles into stories;
``sayso bench --scaling [--sizes 10k,100k,1m,10m] [--fast] [--json]``: time and memory against article length;
``sayso bench --serve [--articles N] [--requests N] [--json]``: requests/s and latency of ``sayso serve``;
``sayso bench --spark N [--fast] [--json]``: ``sayso spark`` in local[1] and local[2] mode on N generated articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from . import app


@app.command("bench")
def bench(
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Folder of .txt articles (default: the bundled example article)."),
    ] = None,
    min_seconds: Annotated[
        float, typer.Option("--min-seconds", help="Least timed work per pipeline; small corpora repeat.")
    ] = 3.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    linking: Annotated[
        list[int] | None,
        typer.Option(
            "--linking",
            min=1,
            help="Instead: store and link N generated articles into stories and report the time per article "
            "and peak memory (repeat for several N, e.g. --linking 1000 --linking 100000).",
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="With --linking: articles saved and linked per transaction.")
    ] = 100,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="With --linking: a PostgreSQL database to store into instead of a temporary SQLite file "
            "(its public schema is emptied first).",
        ),
    ] = None,
    scaling: Annotated[
        bool,
        typer.Option(
            "--scaling",
            help="Instead: read generated news-like articles of growing length (see --sizes) and report the "
            "seconds per MB of each and its peak memory (measured in a fresh process).",
        ),
    ] = False,
    sizes: Annotated[
        str,
        typer.Option("--sizes", metavar="SIZES", help="With --scaling: article sizes in bytes, comma-separated."),
    ] = "10k,100k,1m,10m",
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Instead: serve --articles generated articles with `sayso serve` on loopback and report requests/s "
            "and p50/p95 latency of the article page and /api/articles/{id} over --requests requests each.",
        ),
    ] = False,
    articles: Annotated[
        int | None,
        typer.Option(
            "--articles",
            min=1,
            help="With --serve: articles stored (default 1000); with --ingest and no --corpus: generated articles "
            "to ingest (default 48).",
        ),
    ] = None,
    requests: Annotated[int, typer.Option("--requests", min=1, help="With --serve: requests per route.")] = 500,
    spark: Annotated[
        int | None,
        typer.Option(
            "--spark",
            min=1,
            metavar="N",
            help="Instead: run `sayso spark` on N generated articles in local[1] and local[2] mode and report "
            "articles/s, the speedup and peak memory (needs sayso[spark] and Java 17+).",
        ),
    ] = None,
    ingest: Annotated[
        bool,
        typer.Option(
            "--ingest",
            help="Instead: ingest the same articles (--corpus, else --articles generated ones) into a fresh "
            "store with 1 and with 2 worker processes (or each --workers N) and report articles per second "
            "and the speedup.",
        ),
    ] = False,
    workers: Annotated[
        list[int] | None,
        typer.Option("--workers", min=1, max=64, help="With --ingest: worker counts to time (default 1 and 2)."),
    ] = None,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help="Time only the rules-only pipeline (no neural attribution tagger) against the bare parse; with "
            "--scaling, read with it.",
        ),
    ] = False,
) -> None:
    """Measure how fast sayso reads articles, or how fast it links them into stories.

    By default, times the full sayso pipeline (ratio), the rules-only --fast pipeline (fast_ratio) and a bare
    spaCy parse (en_core_web_sm) on the same texts, each against the bare parse in the same run. With
    --linking N, stores and links N generated articles into stories (no spaCy) and reports the time per
    article and the peak memory. With --scaling, reads one generated news-like article per size in --sizes
    (the pipeline loaded once) and reports the seconds per MB of each and the peak memory of reading it in a
    fresh process: these should stay about the same per MB from 10 kB to 10 MB.

    With --serve, stores --articles generated articles, serves them with `sayso serve` on loopback and times
    --requests sequential requests each of random article pages and /api/articles/{id} (requests/s, p50/p95).


    With --ingest, ingests the same articles into a fresh store with 1 and then 2 worker processes (after
    starting them and loading their pipelines, not timed) and reports articles_per_s_1, articles_per_s_2 and
    speedup (their ratio), the start-up time and peak memory of each, and the load average before and after.


    Example: `sayso bench --linking 1000 --linking 10000`, `sayso bench --scaling --sizes 10k,1m --fast`,
    `sayso bench --serve`, `sayso bench --ingest --json`
    """
    from rich.console import Console
    from rich.table import Table

    from ..bench import load_corpus, run_bench

    if linking:
        _linking(linking, batch, as_json, db)
        return
    if scaling:
        _scaling(sizes, fast, as_json)
        return
    if serve:
        _serve(articles or 1000, requests, as_json)
        return
    if spark:
        _spark(spark, fast, as_json)
        return
    if ingest:
        _ingest(corpus, articles or 48, workers or [1, 2], fast, as_json)
        return

    texts = load_corpus(corpus)
    with Console(stderr=True).status(f"benchmarking (at least {min_seconds:g} s per pipeline)..."):
        if fast:
            from ..pipeline import load_pipeline

            result = run_bench(texts, nlp=load_pipeline(fast=True), fast_nlp=False, min_seconds=min_seconds)
        else:
            result = run_bench(texts, min_seconds=min_seconds)
    if as_json:
        typer.echo(json.dumps(result))
        return
    table = Table(title=f"sayso bench: {result['articles']} articles, {result['words']} words")
    table.add_column("pipeline")
    table.add_column("articles/s", justify="right")
    table.add_column("words/s", justify="right")
    table.add_column("passes", justify="right")
    table.add_row(
        "sayso (full)",
        f"{result['articles_per_s']:.2f}",
        f"{result['words_per_s']:.0f}",
        str(result["passes"]),
    )
    table.add_row(
        "spaCy (bare)",
        f"{result['bare_articles_per_s']:.2f}",
        f"{result['bare_words_per_s']:.0f}",
        str(result["bare_passes"]),
    )
    console = Console()
    if "fast_ratio" in result:
        table.add_row(
            "sayso --fast (rules only)", f"{result['fast_articles_per_s']:.2f}", "", str(result["fast_passes"])
        )
    console.print(table)
    console.print(
        f"ratio (full ÷ bare time): {result['ratio']:.2f}; --fast: {result.get('fast_ratio', float('nan')):.2f}; "
        f"peak RSS {result['peak_rss_mb']:.0f} MB"
    )


def _linking(sizes: list[int], batch: int, as_json: bool, db: str | None = None) -> None:
    """Run and print the linking benchmark for each N in ``sizes`` (``batch`` articles per transaction; ``db``:
    a PostgreSQL URL instead of a temporary SQLite file)."""
    from rich.console import Console
    from rich.table import Table

    from ..bench import run_linking_benches

    with Console(stderr=True).status(f"linking {', '.join(f'{n:,}' for n in sizes)} generated articles..."):
        results = run_linking_benches(sizes, batch=batch, db=db)
    if as_json:
        typer.echo(json.dumps(results))
        return
    table = Table(title=f"sayso bench --linking (generated articles, batches of {batch})")
    columns = ("N", "ms/art", "save", "link", "last 10%", "CPU", "stories", "copies", "pair P/R", "DB MB", "RSS MB")
    for column in columns:
        table.add_column(column, justify="right")
    for r in results:
        table.add_row(
            f"{r['articles']:,}",
            f"{r['ms_per_article']:.3f}",
            f"{r['save_ms_per_article']:.3f}",
            f"{r['link_ms_per_article']:.3f}",
            f"{r['last10_ms_per_article']:.3f}",
            f"{r['cpu_ms_per_article']:.3f}",
            f"{r['stories_found']:,}/{r['stories_true']:,}",
            f"{r['copies_found']:,}/{r['copies_true']:,}",
            f"{r['pair_precision']:.2f}/{r['pair_recall']:.2f}",
            f"{r['db_mb']:.0f}",
            f"{r['peak_rss_mb']:.0f}",
        )
    console = Console()
    if not console.is_terminal:  # piped or redirected: room for every column
        console = Console(width=130)
    console.print(table)
    console.print("ms per article (wall clock; save + link; CPU: process time); stories, copies: found/generated")
    if len(results) > 1:
        first, last = results[0], results[-1]
        console.print(
            f"time per article at {last['articles']:,} ÷ at {first['articles']:,}: "
            f"{last['ms_per_article'] / first['ms_per_article']:.2f}"
        )


def _scaling(sizes: str, fast: bool, as_json: bool) -> None:
    """Run and print the scaling benchmark for the comma-separated ``sizes`` (``fast``: rules only)."""
    from rich.console import Console
    from rich.table import Table

    from ..bench import parse_size, run_scaling_bench
    from ..errors import BadInput

    try:
        wanted = [parse_size(s) for s in sizes.split(",") if s.strip()]
    except BadInput as err:
        raise typer.BadParameter(err.message, param_hint="'--sizes'") from err
    if not wanted:
        raise typer.BadParameter("no sizes given", param_hint="'--sizes'")
    with Console(stderr=True).status(f"reading generated articles of {sizes} bytes..."):
        result = run_scaling_bench(wanted, fast=fast)
    if as_json:
        typer.echo(json.dumps(result))
        return
    pipeline = "rules only (--fast)" if fast else "with the neural tagger"
    table = Table(
        title=f"sayso bench --scaling: one generated article per size, {pipeline}, "
        f"parsed on up to {result['processes']} processes"
    )
    columns = ("bytes", "seconds", "s per MB", "CPU s per MB", "peak RSS MB", "attributions", "quantities")
    for column in (*columns, "times", "places"):
        table.add_column(column, justify="right")
    for r in result["sizes"]:
        table.add_row(
            f"{r['bytes']:,}",
            f"{r['seconds']:.2f}",
            f"{r['seconds_per_mb']:.1f}",
            f"{r['cpu_seconds_per_mb']:.1f}",
            f"{r['peak_rss_mb']:.0f}",
            f"{r['attributions']:,}",
            f"{r['quantities']:,}",
            f"{r['times']:,}",
            f"{r['places']:,}",
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=130)
    console.print(table)
    console.print(
        f"seconds per MB, largest ÷ smallest: {result['seconds_per_mb_ratio']:.2f} "
        f"(CPU: {result['cpu_seconds_per_mb_ratio']:.2f}; 1.00: linear); peak RSS: the whole process, model included"
    )
    forked = [r.get("children_peak_rss_mb") or 0 for r in result["sizes"]]
    if any(forked):
        sizes_mb = ", ".join(f"{r['bytes']:,} B: {mb:.0f} MB" for r, mb in zip(result["sizes"], forked, strict=True))
        console.print(f"largest forked parser's peak RSS (pages shared with the reader included): {sizes_mb}")


def _serve(articles: int, requests: int, as_json: bool) -> None:
    """Run and print the web app benchmark (``articles`` stored, ``requests`` per route)."""
    from rich.console import Console
    from rich.table import Table

    from ..bench_serve import run_serve_bench

    with Console(stderr=True).status(f"serving {articles:,} generated articles, {requests:,} requests per route..."):
        result = run_serve_bench(articles, requests)
    if as_json:
        typer.echo(json.dumps(result))
        return
    table = Table(title=f"sayso bench --serve: {result['articles']:,} articles, {requests:,} sequential requests")
    for column in ("route", "requests/s", "p50 ms", "p95 ms", "max ms", "errors"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for name, r in result["routes"].items():
        table.add_row(
            f"{name} ({r['path']})",
            f"{r['requests_per_s']:.1f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['max_ms']:.1f}",
            str(r["errors"]),
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=110)
    console.print(table)
    console.print("latency measured by the client on loopback, one keep-alive connection, after a warm-up")


def _spark(n: int, fast: bool, as_json: bool) -> None:
    """Run and print the Spark benchmark on ``n`` generated articles (``fast``: rules only)."""
    from rich.console import Console
    from rich.table import Table

    from ..spark import run_spark_bench

    with Console(stderr=True).status(f"sayso spark on {n:,} generated articles, local[1] then local[2]..."):
        result = run_spark_bench(n, fast=fast)
    if as_json:
        typer.echo(json.dumps(result))
        return
    pipeline = "rules only (--fast)" if fast else "with the neural tagger"
    table = Table(title=f"sayso bench --spark: {n:,} generated articles, {pipeline}")
    for column in ("master", "seconds", "articles/s", "attributions", "peak RSS MB"):
        table.add_column(column, justify="right")
    for r in result["runs"]:
        row = (r["master"], f"{r['seconds']:.1f}", f"{r['articles_per_s']:.2f}", f"{r['attributions']:,}")
        table.add_row(*row, f"{r['peak_rss_mb']:.0f}")
    console = Console()
    console.print(table)
    console.print(
        f"speedup local[2] ÷ local[1]: {result.get('speedup', float('nan')):.2f} (peak RSS: driver, JVM, workers)"
    )


def _ingest(corpus: Path | None, articles: int, workers: list[int], fast: bool, as_json: bool) -> None:
    """Run and print the ingest benchmark: ``corpus`` texts (else ``articles`` generated ones) ingested with
    each worker count in ``workers``."""
    from rich.console import Console
    from rich.table import Table

    from ..bench import ingest_texts, load_corpus, run_ingest_bench

    texts = load_corpus(corpus) if corpus is not None else ingest_texts(articles)
    counts = ", ".join(map(str, workers))
    with Console(stderr=True).status(f"ingesting {len(texts)} articles with {counts} workers..."):
        result = run_ingest_bench(texts, workers=workers, fast=fast)
    if as_json:
        typer.echo(json.dumps(result))
        return
    pipeline = "rules only (--fast)" if fast else "with the neural tagger"
    table = Table(title=f"sayso bench --ingest: {result['articles']} articles, {result['words']:,} words, {pipeline}")
    for column in ("workers", "articles/s", "ms/article", "seconds", "start-up s", "peak RSS MB"):
        table.add_column(column, justify="right")
    for n in workers:
        rss = f"{result[f'peak_rss_mb_{n}']:.0f}"
        if f"worker_peak_rss_mb_{n}" in result:
            rss += " + " + " + ".join(f"{r:.0f}" for r in result[f"worker_peak_rss_mb_{n}"])
        table.add_row(
            str(n),
            f"{result[f'articles_per_s_{n}']:.2f}",
            f"{result[f'ms_per_article_{n}']:.0f}",
            f"{result[f'seconds_{n}']:.1f}",
            f"{result[f'startup_s_{n}']:.1f}",
            rss,
        )
    console = Console()
    console.print(table)
    if "speedup" in result:
        console.print(
            f"speedup {workers[1]} ÷ {workers[0]} workers: {result['speedup']:.2f} "
            f"({result['cpus']} CPUs; load average {result['load_before']} before, {result['load_after']} after)"
        )
    if result.get("cpu_bound_speedup"):
        console.print(
            f"CPU per article: {result[f'cpu_ms_per_article_{workers[0]}']:.0f} ms with {workers[0]}, "
            f"{result[f'cpu_ms_per_article_{workers[1]}']:.0f} ms with {workers[1]} (all processes): "
            f"speedup with a free core per worker ≈ {result['cpu_bound_speedup']:.2f}"
        )
