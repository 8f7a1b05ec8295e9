"""``sayso train stance --data DIR --out DIR [--seed 0] [--folds 5] [--only fnc1|emergent] [--cache DIR]``.

Trains the two stance models (:mod:`sayso.training.stance`): one on FNC-1 train, one on EmergentLite train
only, with grouped cross-validation scores in ``training-record.json``. To ship them, copy the folder's
contents to ``src/sayso/data/models/stance``."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Annotated, Literal

import typer

from .train import train_app

#: The one line `sayso train stance` prints (exit status 7) when scikit-learn is missing.
TRAIN_EXTRA_HINT = "install the train extra: pip install 'sayso[train]'"


@train_app.command("stance")
def stance(
    data: Annotated[Path, typer.Option("--data", help="The stance data folder (fnc-1/ and emergent/ inside).")] = Path(
        "../shared/data/stance"
    ),
    out: Annotated[Path, typer.Option("--out", help="Folder to write the trained models to.")] = Path("stance-model"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed (folds and LightGBM).")] = 0,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds (1: skip cross-validation).")] = 5,
    only: Annotated[
        Literal["fnc1", "emergent"] | None, typer.Option("--only", help="Train only this model (default: both).")
    ] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Folder caching MiniLM vectors between runs.")] = None,
) -> None:
    """Train the FNC-1 and Emergent stance models and report their grouped cross-validation scores.

    Needs the train extra (`pip install 'sayso[train]'`) and the FNC-1 and EmergentLite training sets, which
    are not shipped with sayso. To ship the models, copy the --out folder's contents to
    src/sayso/data/models/stance.

    Example: `sayso train stance --data stance/ --out stance-model --folds 5`
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from ..errors import MissingResource

    if importlib.util.find_spec("sklearn") is None:  # scikit-learn: only in the train extra
        raise MissingResource(TRAIN_EXTRA_HINT)
    from ..training.stance import train_stance

    if only not in (None, "fnc1", "emergent"):
        raise typer.BadParameter("expected 'fnc1' or 'emergent'", param_hint="--only")
    needed = [data / "fnc-1" / "train_stances.csv", data / "fnc-1" / "train_bodies.csv"]
    needed += [data / "emergent" / "emergent-lite-train.csv"]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise MissingResource(f"stance training data not found: {', '.join(missing)}")
    record = train_stance(
        data, out, seed=seed, folds=folds, cache_dir=cache, only=only, progress=lambda line: typer.echo(line, err=True)
    )
    typer.echo(json.dumps(record, indent=1))
