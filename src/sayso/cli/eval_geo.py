"""``sayso eval geo --dataset gwn|trnews|lgl|geovirus [--data FILE] [--limit N] [--errors FILE] [--json]``.

Scores place recognition and toponym resolution (accuracy within 161 km given the gold spans, exact
GeoNames ids, mean error, recognition P/R/F1, end-to-end accuracy); see :mod:`sayso.evaluation.geo`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from . import eval_app


@eval_app.command("geo")
def geo(
    dataset: Annotated[
        Literal["gwn", "trnews", "lgl", "geovirus"],
        typer.Option("--dataset", help="The data set: GeoWebNews, TR-News, LGL or GeoVirus."),
    ],
    data: Annotated[
        Path | None,
        typer.Option("--data", help="The data set's XML file (default: its file under ../shared/data/geo)."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N articles.")] = None,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Write each span resolved more than 161 km off as a JSON line.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
) -> None:
    """Score toponym resolution (acc@161 km given gold spans) and place recognition on a geoparsing set.

    Reports accuracy within 161 km given the gold spans, exact GeoNames ids, mean error, recognition
    P/R/F1 and end-to-end accuracy. The data sets are not shipped with sayso.

    Example: `sayso eval geo --dataset gwn --data geowebnews.xml`
    """
    from ..evaluation.geo import DATASETS, DEFAULT_FILES, evaluate_geo

    if dataset not in DATASETS:
        raise typer.BadParameter(f"expected one of {', '.join(DATASETS)}", param_hint="--dataset")
    path = data or DEFAULT_FILES[dataset]
    records: list[dict] | None = [] if errors is not None else None
    result = evaluate_geo(dataset, path, limit=limit, errors=records)
    if errors is not None and records is not None:
        with errors.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        result["errors_written"] = len(records)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        print_geo_table(result)


def print_geo_table(result: dict[str, Any]) -> None:
    """Print geo scores as a Rich table on stdout; ``result``: the dict of
    :func:`sayso.evaluation.geo.evaluate_geo`."""
    from rich.console import Console
    from rich.table import Table

    rec = result["recognition"]
    table = Table(title=f"sayso geo ({result['dataset']}): {result['articles']} articles")
    table.add_column("score")
    table.add_column("value", justify="right")
    table.add_column("over", justify="right")
    table.add_row("acc@161 km (gold spans)", f"{result['acc161']:.2f} %", str(result["resolved_total"]))
    table.add_row("exact GeoNames id", f"{result['exact']:.2f} %", str(result["exact_total"]))
    table.add_row("mean error", f"{result['mean_km']:.1f} km", str(result["resolved_total"]))
    table.add_row("end-to-end acc@161 km", f"{result['end_to_end_acc161']:.2f} %", str(result["resolved_total"]))
    table.add_row(
        "recognition P / R / F1",
        f"{rec['p']:.1f} / {rec['r']:.1f} / {rec['f1']:.1f}",
        f"{rec['gold']} gold, {rec['pred']} predicted",
    )
    console = Console()
    console.print(table)
    console.print(f"{result.get('seconds', 0):.1f} s; {result.get('unresolved', 0)} spans left unresolved")
