"""Training the role tagger on PolNeAR (``sayso train attribution``).

Steps: parse PolNeAR train and dev with the base English model and convert the annotations to BIO role
tags (:mod:`sayso.training.data`; cached as DocBin + JSON in ``cache_dir`` so later runs skip parsing);
build the tagger from ``config.cfg``; train with spaCy's ``nlp.update`` on whole articles (batches of
``batch_size`` articles, Adam with spaCy's defaults, dropout ``dropout``), seed ``seed``; after each
epoch score dev and keep the best model by the mean of the three roles' exact span F1. Stops after
``max_epochs`` epochs, after ``patience`` epochs without improvement, or when ``max_minutes`` have passed.

Dev scores are token accuracy and exact span P/R/F1 per role, a predicted span (a BIO run) counting only
if its role, first and last token all match a gold run (the converted gold: see the overlap rule in
:mod:`sayso.training.data`).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from thinc.api import Config

from ..evaluation.cofenet import count_spans, prf
from ..role_tagger import PIPE_NAME, predict_tags
from .data import convert_split, reference_doc

log = logging.getLogger(__name__)

#: The model configuration shipped with the package.
CONFIG_PATH = Path(__file__).parent / "config.cfg"

ROLES = ("source", "cue", "content")


def load_config(
    width: int | None = None,
    depth: int | None = None,
    window: int | None = None,
    path: str | Path | None = None,
) -> Config:
    """The tagger config from ``path`` (default :data:`CONFIG_PATH`), with ``[vars]`` overridden where a
    value is given."""
    cfg = Config().from_disk(path or CONFIG_PATH, interpolate=False)
    for key, value in (("width", width), ("depth", depth), ("window", window)):
        if value is not None:
            cfg["vars"][key] = value
    return cfg.interpolate()


def prepare_split(
    data_dir: str | Path, split: str, cache_dir: str | Path | None, vocab_nlp: Language | None = None
) -> tuple[list[Doc], list[list[str]]]:
    """Parsed docs and BIO tags for one split, from ``cache_dir`` if it holds them, else converted
    (and then cached there). ``vocab_nlp``: the base pipeline, loaded when needed and not given."""
    from ..pipeline import load_base_model

    cache = Path(cache_dir) / split if cache_dir else None
    if cache and (cache / "docs.spacy").exists() and (cache / "tags.json").exists():
        nlp = vocab_nlp or spacy.blank("en")
        docs = list(DocBin().from_disk(cache / "docs.spacy").get_docs(nlp.vocab))
        tags = json.loads((cache / "tags.json").read_text())
        return docs, tags
    nlp = vocab_nlp or load_base_model()
    docs, tags, stats = convert_split(nlp, data_dir, split)
    log.info(
        "%s: %d articles, %d fragments, %d dropped (overlap)",
        split,
        stats.articles,
        stats.fragments,
        stats.dropped,
    )
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(
            attrs=[
                "ORTH",
                "SPACY",
                "TAG",
                "POS",
                "DEP",
                "HEAD",
                "ENT_IOB",
                "ENT_TYPE",
                "LEMMA",
                "SENT_START",
            ],
            docs=docs,
        ).to_disk(cache / "docs.spacy")
        (cache / "tags.json").write_text(json.dumps(tags))
    return docs, tags


def span_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Token accuracy and exact span P/R/F1 (percent) per role.

    ``gold``, ``pred``: BIO tags, one sequence per document (same lengths). Returns
    ``{"token_accuracy": ..., "source": {"p", "r", "f1", "gold", "pred", "tp"}, ...}``."""
    correct = total = 0
    counts = {r: [0, 0, 0] for r in ROLES}  # tp, pred, gold
    for g, p in zip(gold, pred, strict=True):
        correct += sum(a == b for a, b in zip(g, p, strict=True))
        total += len(g)
        count_spans(list(g), list(p), counts)
    out: dict[str, Any] = {"token_accuracy": round(100 * correct / max(total, 1), 2)}
    for r, (tp, np_, ng) in counts.items():
        out[r] = prf(tp, np_, ng)
    out["mean_f1"] = round(sum(out[r]["f1"] for r in ROLES) / 3, 2)
    return out


def _batches(items: list, size: int, rng: random.Random) -> list[list]:
    items = items[:]
    rng.shuffle(items)
    return [items[i : i + size] for i in range(0, len(items), size)]


def train_attribution(
    data_dir: str | Path,
    out_dir: str | Path,
    *,
    seed: int = 0,
    max_minutes: float = 170.0,
    max_epochs: int = 40,
    patience: int = 6,
    width: int | None = None,
    depth: int | None = None,
    window: int | None = None,
    batch_size: int = 4,
    dropout: float = 0.1,
    cache_dir: str | Path | None = None,
    limit: int | None = None,
    config_path: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Train the role tagger and write the best model (by dev) plus ``training-record.json`` to ``out_dir``.

    ``data_dir``: PolNeAR's ``data`` folder; ``out_dir``: model folder to write; ``seed``: random seed;
    ``max_minutes``: wall-clock budget for training (parsing excluded); ``max_epochs``/``patience``:
    stopping rules; ``width``/``depth``/``window``: override the config's ``[vars]``; ``batch_size``:
    articles per update; ``dropout``: dropout rate; ``cache_dir``: where parsed data is cached (default
    ``<tmp>/sayso-role-cache``); ``limit``: use only the first N training articles;
    ``config_path``: another config file;
    ``progress``: called with one line per epoch. Returns the training record."""
    t_start = time.time()
    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    cache = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / "sayso-role-cache"
    from ..pipeline import load_base_model

    base = load_base_model()
    train_docs, train_tags = prepare_split(data_dir, "train", cache, base)
    dev_docs, dev_tags = prepare_split(data_dir, "dev", cache, base)
    if limit:
        train_docs, train_tags = train_docs[:limit], train_tags[:limit]
    t_prepared = time.time()

    config = load_config(width, depth, window, config_path)
    # Share the base pipeline's vocab: the docs (and, at inference, the host pipeline) use its strings.
    nlp = spacy.util.load_model_from_config(config, vocab=base.vocab, auto_fill=True, validate=True)
    examples = [Example(d, reference_doc(d, t)) for d, t in zip(train_docs, train_tags, strict=True)]
    optimizer = nlp.initialize(lambda: examples[:200])
    pipe = nlp.get_pipe(PIPE_NAME)

    best: dict[str, Any] | None = None
    history = []
    bad = 0
    t_train = time.time()
    for epoch in range(1, max_epochs + 1):
        losses: dict[str, float] = {}
        for batch in _batches(examples, batch_size, rng):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        with pipe.model.use_params(optimizer.averages or {}):
            pred, _ = predict_tags(nlp, dev_docs)
        scores = span_scores(dev_tags, pred)
        elapsed = (time.time() - t_train) / 60
        history.append(
            {
                "epoch": epoch,
                "loss": round(losses.get(PIPE_NAME, 0.0), 1),
                "minutes": round(elapsed, 1),
                "dev": scores,
            }
        )
        line = (
            f"epoch {epoch}: loss {losses.get(PIPE_NAME, 0.0):.0f} acc {scores['token_accuracy']} "
            f"F1 source {scores['source']['f1']} cue {scores['cue']['f1']} content {scores['content']['f1']}"
            f" ({elapsed:.1f} min)"
        )
        if progress:
            progress(line)
        if best is None or scores["mean_f1"] > best["mean_f1"]:
            best = {**scores, "epoch": epoch}
            bad = 0
            with pipe.model.use_params(optimizer.averages or {}):
                nlp.to_disk(out_dir)
        else:
            bad += 1
        if bad >= patience or elapsed + elapsed / epoch > max_minutes:
            break

    record = {
        "seed": seed,
        "spacy_version": spacy.__version__,
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "vars": dict(config["vars"]),
        "batch_size": batch_size,
        "dropout": dropout,
        "train_articles": len(train_docs),
        "dev_articles": len(dev_docs),
        "epochs_run": len(history),
        "best_epoch": best["epoch"] if best else None,
        "prepare_seconds": round(t_prepared - t_start, 1),
        "train_seconds": round(time.time() - t_train, 1),
        "wall_seconds": round(time.time() - t_start, 1),
        "dev": best,
        "history": history,
    }
    (out_dir / "training-record.json").write_text(json.dumps(record, indent=2) + "\n")
    return record
