"""``sayso bench [--corpus DIR] [--json]``: throughput of the full pipeline against a bare spaCy parse."""

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
) -> None:
    """Time the full sayso pipeline and a bare en_core_web_sm parse on the same texts."""
    from rich.console import Console
    from rich.table import Table

    from ..bench import load_corpus, run_bench

    texts = load_corpus(corpus)
    with Console(stderr=True).status(f"benchmarking (at least {min_seconds:g} s per pipeline)..."):
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
    console.print(table)
    console.print(f"ratio (full ÷ bare time): {result['ratio']:.2f}; peak RSS {result['peak_rss_mb']:.0f} MB")
