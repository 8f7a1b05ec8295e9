"""``sayso eval ...``: evaluation commands.

``sayso eval polnear [--data DIR] [--split dev|test] [--limit N] [--errors FILE] [--json]`` scores the
attributions against PolNeAR (see :mod:`sayso.evaluation.polnear` for the matching rules).

``sayso eval chains [--data PATH] [--json] [--failures FILE]`` scores source chains, anonymous-source fields,
kinds and modality on sayso's own test set (see :mod:`sayso.evaluation.chains`).

``sayso eval cofenet-bio [--data FILE] [--model neural|fast] [--json]`` labels the given tokens of a
CofeNet BIO file and scores exact spans per role with CofeNet's protocol (:mod:`sayso.evaluation.cofenet`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from . import eval_app

#: The pipelines an evaluation can run; ``rules`` is another name for ``fast``.
MODELS = ("neural", "fast", "rules")
RETIRED_MODELS = ("hybrid", "tagger")
#: How --help shows --model's choices (a plain str option, so that check_model can explain retired names).
MODEL_CHOICES = "<neural|fast>"


def check_model(model: str) -> str:
    """``model`` normalised (``rules`` → ``fast``); a retired or unknown name exits 2 with one line."""
    if model in RETIRED_MODELS:
        raise typer.BadParameter(
            f"'{model}' was retired with the CNN role tagger: use neural (the default) or fast", param_hint="--model"
        )
    if model not in MODELS:
        raise typer.BadParameter(f"expected one of {', '.join(MODELS)}", param_hint="--model")
    return "fast" if model == "rules" else model


@eval_app.command("polnear")
def polnear(
    data: Annotated[
        Path, typer.Option("--data", help="PolNeAR 'data' folder (holds {split}/text, {split}/attributions).")
    ] = Path("../shared/data/polnear/data"),
    split: Annotated[Literal["dev", "test", "train"], typer.Option("--split", help="Split to score.")] = "dev",
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N articles.")] = None,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Write false positives/negatives as JSON lines here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            metavar=MODEL_CHOICES,
            help="neural (the default pipeline: rules and the neural tagger) or fast (rules only).",
        ),
    ] = "neural",
) -> None:
    """Score source, cue and content spans (exact and overlap) and whole triples against PolNeAR.

    Needs the PolNeAR data set (not shipped with sayso): point --data at its 'data' folder.

    Example: `sayso eval polnear --data ../shared/data/polnear/data --split dev --model fast`
    """
    from ..evaluation.polnear import SPLITS, evaluate_polnear
    from ..pipeline import load_pipeline

    if split not in SPLITS:
        raise typer.BadParameter(f"expected one of {', '.join(SPLITS)}", param_hint="--split")
    model = check_model(model)
    nlp = load_pipeline(fast=model == "fast")
    result = evaluate_polnear(data, split, nlp=nlp, limit=limit, errors_path=errors, progress=True)
    result["model"] = model
    if as_json:
        typer.echo(json.dumps(result))
    else:
        print_table(result)


def print_table(result: dict[str, Any]) -> None:
    """Print scores as a Rich table on stdout.

    ``result``: the dict returned by :func:`sayso.evaluation.polnear.evaluate_polnear`."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"PolNeAR {result.get('split', '')}: {result.get('articles', 0)} articles")
    table.add_column("role")
    table.add_column("exact P / R / F1", justify="right")
    table.add_column("overlap P / R / F1", justify="right")
    table.add_column("pred", justify="right")
    table.add_column("gold", justify="right")
    for role in ("source", "cue", "content", "triple"):
        ex, ov = result[role]["exact"], result[role]["overlap"]
        cells = [" / ".join(f"{s[k]:5.1f}" for k in ("p", "r", "f1")) for s in (ex, ov)]
        table.add_row(role, *cells, str(ex["pred"]), str(ex["gold"]))
    console = Console()
    console.print(table)
    extra = f"{result.get('seconds', 0):.1f} s"
    if "errors_written" in result:
        extra += f"; {result['errors_written']} error records written"
    console.print(extra)


@eval_app.command("chains")
def chains(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="A chains *.jsonl file or a folder of them (default: the test set)."),
    ] = None,
    failures: Annotated[
        Path | None, typer.Option("--failures", help="Write each failed expectation as a JSON line here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object, not a table.")] = False,
    model: Annotated[
        str, typer.Option("--model", metavar=MODEL_CHOICES, help="neural (the default pipeline) or fast (rules only).")
    ] = "neural",
) -> None:
    """Score source chains (source, via, to), anonymous-source fields, kinds and modality words.

    By default on sayso's own annotated passages (70 invented news-style passages shipped with sayso).

    Example: `sayso eval chains --json --failures failures.jsonl`
    """
    from ..evaluation.chains import DEFAULT_DATA_DIR, evaluate_chains
    from ..pipeline import load_pipeline

    model = check_model(model)
    result = evaluate_chains(data or DEFAULT_DATA_DIR, failures_path=failures, nlp=load_pipeline(fast=model == "fast"))
    result["model"] = model
    if not result["passages"]:
        from ..errors import BadInput

        raise BadInput(
            f"{data or DEFAULT_DATA_DIR} holds no passages (expected JSON lines, see sayso.evaluation.chains)"
        )
    result.pop("failures", None)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        print_chains_table(result)


def print_chains_table(result: dict[str, Any]) -> None:
    """Print chain scores as a Rich table on stdout.

    ``result``: the dict returned by :func:`sayso.evaluation.chains.evaluate_chains`."""
    from rich.console import Console
    from rich.table import Table

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:5.1f}"

    table = Table(title=f"sayso chains: {result['passages']} passages, {result['expected']} expected")
    table.add_column("score")
    table.add_column("%", justify="right")
    table.add_column("correct", justify="right")
    table.add_column("total", justify="right")
    rows: list[tuple[str, dict[str, Any]]] = [
        (name, result[name]) for name in ("chains", "found", "source", "via", "to", "kind")
    ]
    rows.append(("anonymous fields", result["anonymous_fields"]))
    rows += [(f"  {name}", c) for name, c in result["anonymous_fields"]["per_field"].items() if c["total"]]
    rows.append(("modality (recall)", result["modality"]))
    for name, c in rows:
        value = c.get("accuracy", c.get("recall"))
        table.add_row(name, pct(value), str(c["correct"]), str(c["total"]))
    console = Console()
    console.print(table)
    extra = f"{result.get('seconds', 0):.1f} s"
    if result.get("skipped"):
        extra += f"; {result['skipped']} expectations skipped (content not in text)"
    if "failures_written" in result:
        extra += f"; {result['failures_written']} failure records written"
    console.print(extra)


@eval_app.command("cofenet-bio")
def cofenet_bio(
    data: Annotated[
        Path, typer.Option("--data", help="A CofeNet BIO file (JSON lines with tokens and labels).")
    ] = Path("../shared/data/polnear/cofenet-bio/valid.txt"),
    model: Annotated[
        str,
        typer.Option(
            "--model",
            metavar=MODEL_CHOICES,
            help="neural (the neural tagger on the given tokens) or fast (rules only).",
        ),
    ] = "neural",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
) -> None:
    """Label the given tokens of a CofeNet-format BIO file and score exact spans per role, as CofeNet does.

    Example: `sayso eval cofenet-bio --data ../shared/data/polnear/cofenet-bio/valid.txt --model fast`
    """
    import time

    from ..errors import BadInput, InputNotFound
    from ..evaluation.cofenet import evaluate_cofenet, neural_predictor, rules_predictor

    model = check_model(model)
    if not data.is_file():
        raise InputNotFound(f"CofeNet BIO file not found: {data} (pass --data FILE)")
    predictor = {"neural": neural_predictor, "fast": rules_predictor}[model]()
    started = time.perf_counter()
    try:
        result = evaluate_cofenet(data, predictor, by_article=True)
    except (ValueError, KeyError) as err:
        raise BadInput(f"{data} is not a CofeNet BIO file: {err}") from err
    if not result["lines"]:
        raise BadInput(f"{data} holds no CofeNet BIO lines")
    result["model"] = model
    result["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        typer.echo(json.dumps(result))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"CofeNet BIO exact spans ({model}, {result['lines']} lines)")
    for col in ("role", "P", "R", "F1", "gold"):
        table.add_column(col, justify="right" if col != "role" else "left")
    for role in ("source", "cue", "content"):
        r = result[role]
        table.add_row(role, f"{r['p']:.1f}", f"{r['r']:.1f}", f"{r['f1']:.1f}", str(r["gold"]))
    Console().print(table)
