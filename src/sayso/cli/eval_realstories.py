"""``sayso eval realstories --data DIR [--split dev] [--model neural|fast] [--json]``: the claim ledger scored on
real multi-outlet stories annotated claim by claim (see :mod:`sayso.evaluation.realstories` for the rules).

Exit status: 0; 3 when DIR is not a realstories folder (no dev/, pages/ or texts/); 4 when a gold file is
malformed; 7 when a model is missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from . import eval_app
from .eval import MODEL_CHOICES, check_model

#: The headline scores, in the order the table shows them.
HEADLINE = (
    "merge_precision",
    "merge_recall",
    "merge_recall_mapped",
    "not_merge_violated",
    "origin_accuracy",
    "origin_accuracy_cross_article",
    "origin_mean_abs_error",
    "first_report_accuracy",
    "stance_accuracy",
    "stance_accuracy_coarse",
    "grouping_recall",
    "member_mapping_recall",
)


@eval_app.command("realstories")
def realstories(
    data: Annotated[
        Path, typer.Option("--data", help="realstories folder (dev/<story>.json, pages/, texts/; see its LOADING.md).")
    ] = Path("../shared/data/realstories"),
    split: Annotated[
        str, typer.Option("--split", metavar="FOLDER", help="Folder of annotated stories inside --data.")
    ] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    model: Annotated[
        str, typer.Option("--model", metavar=MODEL_CHOICES, help="neural (the default pipeline) or fast (rules only).")
    ] = "neural",
) -> None:
    """Score story grouping and the claim ledger on real multi-outlet stories annotated claim by claim.

    Each story's pages are ingested into a fresh temporary store; scores: merge precision and recall of
    same-claim pairs across articles, must-not-merge violations, independent-origin and first-report
    accuracy, stance accuracy and grouping recall. The data set is not shipped with sayso.

    Example: `sayso eval realstories --data ../shared/data/realstories --json`
    """
    from rich.console import Console

    from ..evaluation.realstories import check_data, evaluate_realstories
    from ..pipeline import load_pipeline

    model = check_model(model)
    check_data(data)  # fail before loading the pipeline
    err = Console(stderr=True, highlight=False)
    result = evaluate_realstories(
        data, split, nlp=load_pipeline(fast=model == "fast"), progress=lambda line: err.print(line, markup=False)
    )
    result["model"] = model
    if as_json:
        typer.echo(json.dumps(result))
    else:
        print_table(result)


def print_table(result: dict[str, Any]) -> None:
    """Print the headline scores, overall and per story, as a Rich table on stdout.

    ``result``: the dict returned by :func:`sayso.evaluation.realstories.evaluate_realstories`."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    stories = result["stories"]
    table = Table(title=f"realstories {result['split']}: {len(stories)} stories, {result['pages']} pages")
    table.add_column("score")
    table.add_column("all", justify="right")
    for s in stories:
        table.add_column(Text(s["story"]), justify="right")

    def cell(value: Any) -> str:
        return "–" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))

    for key in HEADLINE:
        table.add_row(key, cell(result[key]), *(cell(s["scores"][key]) for s in stories))
    console = Console()
    console.print(table)
    console.print(f"{result.get('seconds', 0):.1f} s")
