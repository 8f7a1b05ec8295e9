"""``sayso eval fnc1 --stances FILE --bodies FILE [--json]`` and ``sayso eval emergent --data FILE [--json]``.

Score the shipped stance models (:mod:`sayso.stance`): FNC-1's official score as a percentage of the best
possible, and macro-F1 over agree / disagree / discuss / unrelated; EmergentLite accuracy and macro-F1 over
for / against / observing. See :mod:`sayso.evaluation.stance`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from . import eval_app

_FNC = Path("../shared/data/stance/fnc-1")


@eval_app.command("fnc1")
def fnc1(
    stances: Annotated[Path, typer.Option("--stances", help="FNC-1 stances CSV (Headline, Body ID, Stance).")] = _FNC
    / "competition_test_stances.csv",
    bodies: Annotated[Path, typer.Option("--bodies", help="FNC-1 bodies CSV (Body ID, articleBody).")] = _FNC
    / "competition_test_bodies.csv",
    model: Annotated[
        Path | None, typer.Option("--model", help="Folder of an FNC-1 stance model (default: the shipped one).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print one JSON object {"score_pct", "macro_f1", ...}.')
    ] = False,
) -> None:
    """Score stance detection on FNC-1: official score (% of max) and macro-F1 over the four classes.

    The classes: agree, disagree, discuss, unrelated. The FNC-1 data set is not shipped with sayso.

    Example: `sayso eval fnc1 --stances test_stances.csv --bodies test_bodies.csv`
    """
    from ..evaluation.stance import evaluate_fnc1

    result = evaluate_fnc1(stances, bodies, model)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        _print_table(f"sayso stance on FNC-1: {result['pairs']} pairs", result, ("score_pct", "macro_f1", "accuracy"))


@eval_app.command("emergent")
def emergent(
    data: Annotated[
        Path,
        typer.Option(
            "--data", help="EmergentLite CSV (claimHeadline, articleHeadline, articleHeadlineStance, claimId)."
        ),
    ] = Path("../shared/data/stance/emergent/emergent-lite-test.csv"),
    model: Annotated[
        Path | None, typer.Option("--model", help="Folder of an Emergent stance model (default: the shipped one).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print one JSON object {"accuracy", "macro_f1", ...}.')
    ] = False,
) -> None:
    """Score stance detection on EmergentLite: accuracy and macro-F1 over for / against / observing.

    The EmergentLite data set is not shipped with sayso.

    Example: `sayso eval emergent --data emergent-lite-test.csv --json`
    """
    from ..evaluation.stance import evaluate_emergent

    result = evaluate_emergent(data, model)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        _print_table(f"sayso stance on EmergentLite: {result['pairs']} pairs", result, ("accuracy", "macro_f1"))


def _print_table(title: str, result: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Print ``result``'s headline scores (``keys``), per-class F1 and confusion matrix as Rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=title)
    table.add_column("score")
    table.add_column("value", justify="right")
    for key in keys:
        table.add_row(key, f"{result[key]:.2f} %")
    for label, f1 in result["f1"].items():
        table.add_row(f"F1 {label}", f"{f1:.2f} %")
    console.print(table)
    cm = Table(title="confusion (rows gold, columns predicted)")
    cm.add_column("")
    for label in result["labels"]:
        cm.add_column(label, justify="right")
    for label, row in zip(result["labels"], result["confusion"], strict=True):
        cm.add_row(label, *(str(n) for n in row))
    console.print(cm)
    console.print(f"{result.get('seconds', 0):.1f} s")
