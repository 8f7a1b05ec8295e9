"""``sayso eval realnews [--data DIR] [--split dev] [--model neural|fast] [--json] [--failures FILE]``: who said
what on real news pages annotated by hand, scored with the data set's own rules
(:mod:`sayso.evaluation.realnews`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from . import eval_app
from .eval import MODEL_CHOICES, check_model


@eval_app.command("realnews")
def realnews(
    data: Annotated[
        Path, typer.Option("--data", help="The realnews folder (holds pages/ and the split's gold files).")
    ] = Path("../shared/data/realnews"),
    split: Annotated[str, typer.Option("--split", metavar="NAME", help="The folder of gold files to score.")] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    failures: Annotated[
        Path | None, typer.Option("--failures", help="Write every miss (missed, spurious, wrong source) here as JSON.")
    ] = None,
    model: Annotated[
        str,
        typer.Option("--model", metavar=MODEL_CHOICES, help="neural (the default pipeline) or fast (rules only)."),
    ] = "neural",
) -> None:
    """Score attributions on real news pages: recall, source right, both right, precision and entity merge.

    Each page is read as `sayso read page.html` reads it; gold contents are found in sayso's text by their words.
    Needs the realnews data set (not shipped with sayso).

    Example: `sayso eval realnews --data ../shared/data/realnews --json`
    """
    from ..evaluation.realnews import evaluate_realnews
    from ..pipeline import load_pipeline

    model = check_model(model)
    result = evaluate_realnews(data, split=split, nlp=load_pipeline(fast=model == "fast"), fast=model == "fast")
    if failures is not None:
        failures.write_text(json.dumps(result["failures"], indent=1, ensure_ascii=False), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps({k: v for k, v in result.items() if k != "failures"}))
    else:
        print_realnews(result)


def print_realnews(result: dict[str, Any]) -> None:
    """Print the scores and the failure counts as Rich tables; article strings are escaped."""
    from rich.console import Console
    from rich.table import Table

    from ..render import safe_text

    def pct(v: float | None) -> str:
        return "–" if v is None else f"{v:.1f}%"

    table = Table(title=f"realnews {result['split']}: {len(result['pages'])} pages, {result['gold']} gold attributions")
    for col in ("page", "gold", "pred", "matched", "right", "both right", "precision"):
        table.add_column(col, justify="left" if col == "page" else "right")
    for p in result["pages"]:
        table.add_row(
            safe_text(p["id"]),
            str(p["gold"]),
            str(p["predicted"]),
            str(p["matched"]),
            str(p["right"]),
            pct(p["both_right"]),
            pct(p["precision"]),
        )
    console = Console()
    console.print(table)
    console.print(
        f"recall {pct(result['recall'])} · source right {pct(result['source_right'])} · both right "
        f"{pct(result['both_right'])} · precision {pct(result['precision'])} · entity merge "
        f"{pct(result['entity_merge'])} ({result['merged']}/{result['merge_eligible']})"
    )
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result["failure_counts"].items()))
    console.print(f"failures: {counts or 'none'}; {result['seconds']:.1f} s")
