"""``sayso train attribution --data DIR --out DIR [--seed 0] [--max-minutes N]``: train the role tagger.

Rebuilds the attribution role model (:mod:`sayso.training.train`) from PolNeAR and writes it, with
``training-record.json`` (seed, wall time, cores, spaCy version, dev scores), to ``--out``. To ship it,
copy the folder's contents to ``src/sayso/data/models/attribution``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from . import app

train_app = typer.Typer(help="Train sayso's statistical components.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("attribution")
def attribution(
    data: Annotated[Path, typer.Option("--data", help="PolNeAR 'data' folder (train/, dev/).")] = Path(
        "../shared/data/polnear/data"
    ),
    out: Annotated[Path, typer.Option("--out", help="Folder to write the trained model to.")] = Path(
        "attribution-model"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    max_minutes: Annotated[
        float, typer.Option("--max-minutes", help="Training time budget in minutes (parsing excluded).")
    ] = 170.0,
    max_epochs: Annotated[int, typer.Option("--max-epochs", help="Most passes over the training set.")] = 40,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Folder caching the parsed corpus (default: <tmp>/sayso-role-cache)."),
    ] = None,
) -> None:
    """Train the attribution role tagger on PolNeAR train, keeping the best model on dev."""
    from ..errors import MissingResource
    from ..training.train import train_attribution

    if not (data / "train").is_dir() or not (data / "dev").is_dir():
        raise MissingResource(f"PolNeAR data not found: expected {data}/train and {data}/dev")
    record = train_attribution(
        data,
        out,
        seed=seed,
        max_minutes=max_minutes,
        max_epochs=max_epochs,
        cache_dir=cache,
        progress=lambda line: typer.echo(line, err=True),
    )
    typer.echo(json.dumps({k: v for k, v in record.items() if k != "history"}, indent=2))
