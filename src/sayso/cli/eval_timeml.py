"""``sayso eval timeml --data DIR [--format auto|timeml|meantime] [--json] [--limit N] [--errors FILE]``:
TempEval-3 scores for time expressions.

Reads every ``*.tml`` file under ``--data`` (recursively; or, with no ``.tml`` file there or
``--format meantime``, every MEANTIME CAT ``*.xml`` file, scoring only its annotated first sentences),
tags its text with the ``sayso_times`` component using the file's DCT as publication date, and prints strict
and relaxed extent P/R/F1 and type and value F1 with TempEval-3's definitions (see :mod:`sayso.evaluation.timeml`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from . import eval_app


@eval_app.command("timeml")
def timeml(
    data: Annotated[
        Path,
        typer.Option(
            "--data", help="Folder of TimeML .tml or MEANTIME CAT .xml files, searched recursively (or one file)."
        ),
    ] = Path("../shared/data/timeml/tbaq"),
    fmt: Annotated[
        Literal["auto", "timeml", "meantime"],
        typer.Option("--format", help="auto (by file extension: .tml, else CAT .xml), timeml or meantime."),
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N files.")] = None,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Write missed, spurious and wrong expressions as JSON lines.")
    ] = None,
) -> None:
    """Score time expressions (extent, type, value) against TimeML or MEANTIME files with TempEval-3's metric.

    Reads every .tml file under --data (or, with none there or --format meantime, every MEANTIME CAT .xml
    file), tags its text using the file's document date as the publication date, and prints strict and
    relaxed extent P/R/F1 and type and value F1. The corpora are not shipped with sayso.

    Example: `sayso eval timeml --data tbaq/ --json`
    """
    from ..evaluation.timeml import evaluate_timeml, find_documents

    find_documents(data, fmt)  # a missing folder or one without documents fails before the model loads
    result = evaluate_timeml(data, limit=limit, errors_path=errors, progress=not as_json, fmt=fmt)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        print_table(result)


def print_table(result: dict[str, Any]) -> None:
    """Print TempEval-3 scores as a Rich table on stdout.

    ``result``: the dict returned by :func:`sayso.evaluation.timeml.evaluate_timeml`."""
    from rich.console import Console
    from rich.table import Table

    name = {"meantime": "MEANTIME"}.get(result.get("format", ""), "TimeML")
    table = Table(title=f"{name}: {result['documents']} documents, {result['gold']} gold, {result['pred']} found")
    table.add_column("score")
    for col in ("P", "R", "F1"):
        table.add_column(col, justify="right")
    for key in ("strict", "relaxed"):
        s = result[key]
        table.add_row(f"{key} extent", f"{s['p']:.2f}", f"{s['r']:.2f}", f"{s['f1']:.2f}")
    for key in ("type", "value"):
        table.add_row(f"{key} (accuracy {result[key]['accuracy']:.2f})", "", "", f"{result[key]['f1']:.2f}")
    console = Console()
    console.print(table)
    console.print(f"{result['seconds']:.1f} s")
