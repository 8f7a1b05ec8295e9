"""``sayso train attribution``: fine-tune the neural attribution tagger (needs the ``train`` extra).

Rebuilds the shipped model (:mod:`sayso.training.neural`) from PolNeAR and writes ``model.onnx`` with
``training-record.json`` to ``--out``. To ship it, copy both files to ``src/sayso/data/models/neural``."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Literal

import typer

from . import app

train_app = typer.Typer(
    help="Train sayso's statistical components (needs the train extra: pip install 'sayso[train]').",
    epilog="Example: `sayso train stance --out stance-model`",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(train_app, name="train")


@train_app.command("attribution")
def attribution(
    data: Annotated[Path, typer.Option("--data", help="PolNeAR 'data' folder (holds train/).")] = Path(
        "../shared/data/polnear/data"
    ),
    dev: Annotated[
        Path, typer.Option("--dev", help="CofeNet BIO file scored after every epoch (the best epoch is kept).")
    ] = Path("../shared/data/polnear/cofenet-bio/valid.txt"),
    out: Annotated[Path, typer.Option("--out", help="Folder to write model.onnx and training-record.json to.")] = Path(
        "attribution-model"
    ),
    device: Annotated[Literal["cpu", "cuda"], typer.Option("--device", help="Where to train.")] = "cpu",
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    epochs: Annotated[int, typer.Option("--epochs", help="Passes over the training set.")] = 7,
    lr: Annotated[float, typer.Option("--lr", help="Peak learning rate.")] = 8e-5,
    threads: Annotated[int | None, typer.Option("--threads", help="CPU threads for torch.")] = None,
    max_minutes: Annotated[
        float | None, typer.Option("--max-minutes", help="Stop after the epoch that passes this many minutes.")
    ] = None,
) -> None:
    """Fine-tune MiniLM-L6 on PolNeAR train as the attribution tagger and export it as int8 ONNX.

    Needs the train extra (`pip install 'sayso[train]'`) and the PolNeAR data set, which is not shipped with
    sayso. To ship the model, copy the --out folder's files to src/sayso/data/models/neural.

    Example: `sayso train attribution --out /tmp/model --device cpu --seed 0`
    """
    from ..errors import MissingResource

    if not (data / "train").is_dir():
        raise MissingResource(f"PolNeAR data not found: expected {data}/train (pass --data DIR)")
    if not dev.is_file():
        raise MissingResource(f"dev file not found: {dev} (pass --dev FILE)")
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as err:
        raise MissingResource("training needs the train extra: pip install 'sayso[train]'") from err
    from ..training.neural import train

    logging.getLogger().setLevel(logging.INFO)
    record = train(
        data, dev, out, seed=seed, epochs=epochs, lr=lr, device=device, threads=threads, max_minutes=max_minutes
    )
    typer.echo(json.dumps({k: v for k, v in record.items() if k != "history"}, indent=2))
