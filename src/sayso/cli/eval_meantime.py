"""``sayso eval meantime-values [--data DIR] [--limit N] [--errors FILE] [--json]``: score quantities against
MEANTIME's VALUE markables (MONEY, PERCENT, QUANTITY); matching rules in :mod:`sayso.evaluation.meantime`.

Reference points on another corpus (NewsQuant, value F1): CQE (EMNLP 2023) 92.0, quantulum3 73.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from . import eval_app


@eval_app.command("meantime-values")
def meantime_values(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="Data root holding timeml/meantime-en/intra-doc_annotation, or a folder of MEANTIME CAT .xml files.",
        ),
    ] = Path("../shared/data"),
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N documents.")] = None,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Write false positives/negatives and mismatches as JSON lines.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
) -> None:
    """Score quantity extents (overlap and exact), values and types against MEANTIME VALUE annotations.

    Quantities are money, percentages and other amounts (MEANTIME's MONEY, PERCENT and QUANTITY values).
    The MEANTIME corpus is not shipped with sayso.

    Example: `sayso eval meantime-values --data ../shared/data --errors errors.jsonl`
    """
    from ..evaluation.meantime import default_meantime_dir, evaluate_meantime_values, read_meantime

    read_meantime(default_meantime_dir(data))  # fail fast (exit 3 / 4) before loading the model
    records: list[dict] | None = [] if errors else None
    result = evaluate_meantime_values(data, limit=limit, errors=records)
    if errors and records is not None:
        with errors.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        result["errors_written"] = len(records)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        print_values_table(result)


def print_values_table(result: dict[str, Any]) -> None:
    """Print MEANTIME value scores as a Rich table on stdout.

    ``result``: the dict returned by :func:`sayso.evaluation.meantime.evaluate_meantime_values`."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"MEANTIME VALUE: {result['documents']} documents")
    table.add_column("score")
    table.add_column("P", justify="right")
    table.add_column("R", justify="right")
    table.add_column("F1", justify="right")
    table.add_column("pred", justify="right")
    table.add_column("gold", justify="right")
    rows = [
        ("extent (overlap)", result["extent"]),
        ("extent (exact)", result["extent_strict"]),
        ("value", result["value"]),
        ("type", result["type"]),
        *((f"  {t} (overlap)", s) for t, s in result["by_type"].items()),
    ]
    for name, s in rows:
        table.add_row(name, f"{s['p']:.1f}", f"{s['r']:.1f}", f"{s['f1']:.1f}", str(s["pred"]), str(s["gold"]))
    console = Console()
    console.print(table)
    extra = f"{result.get('seconds', 0):.1f} s"
    if "errors_written" in result:
        extra += f"; {result['errors_written']} error records written"
    console.print(extra)
