"""Scoring role tagging on CofeNet's PolNeAR BIO files (Wang et al., COLING 2022), with their protocol.

The file holds JSON lines ``{"tokens": [...], "labels": [...], ...}`` with BIO tags
``B/I-source|cue|content``. The tokens are given: a predictor receives each line's tokens and returns one
BIO tag per token. A predicted span (a BIO run, see :func:`sayso.reader.neural.bio_runs`) counts only if its
role, first and last token all match a gold span; precision, recall and F1 are micro-averaged over
lines, per role, in percent (two decimals).

>>> from sayso.evaluation.cofenet import evaluate_cofenet, neural_predictor
>>> path = "../shared/data/polnear/cofenet-bio/valid.txt"
>>> evaluate_cofenet(path, neural_predictor())  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..reader.neural import bio_runs

#: The roles scored.
ROLES = ("source", "cue", "content")

#: A predictor: a batch of token lists → one BIO tag list per token list.
Predictor = Callable[[list[list[str]]], list[list[str]]]


def read_bio(path: str | Path) -> Iterator[tuple[list[str], list[str]]]:
    """``(tokens, labels)`` for each non-empty JSON line of a CofeNet BIO file."""
    for tokens, labels, _ in read_bio_lines(path):
        yield tokens, labels


def read_bio_lines(path: str | Path) -> Iterator[tuple[list[str], list[str], str | None]]:
    """``(tokens, labels, id)`` for each non-empty JSON line (``id`` names the article, or None)."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                yield item["tokens"], item["labels"], item.get("id")


def _batches(items: list, batch_size: int, by_article: bool) -> Iterator[list]:
    if not by_article:
        for i in range(0, len(items), batch_size):
            yield items[i : i + batch_size]
        return
    batch: list = []
    for item in items:
        if batch and item[2] != batch[-1][2]:
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def evaluate_cofenet(
    path: str | Path, predict: Predictor, batch_size: int = 256, by_article: bool = False
) -> dict[str, Any]:
    """Score ``predict`` on the BIO file at ``path``.

    ``predict``: takes a list of token lists and returns, for each, one BIO tag per token;
    ``batch_size``: lines passed per call; ``by_article``: pass each article's consecutive lines (same
    ``id``) together instead, so a predictor can read them in context. Returns ``{"lines", "tokens",
    "token_accuracy", "source": {"p", "r", "f1", "tp", "pred", "gold"}, "cue": ..., "content": ...}``.
    Raises ``ValueError`` when a prediction has the wrong length."""
    items = list(read_bio_lines(path))
    counts = {r: [0, 0, 0] for r in ROLES}  # tp, predicted, gold
    correct = total = 0
    for batch in _batches(items, batch_size, by_article):
        preds = predict([toks for toks, _, _ in batch])
        for (toks, gold, _), pred in zip(batch, preds, strict=True):
            if len(pred) != len(toks):
                raise ValueError(f"prediction has {len(pred)} tags for {len(toks)} tokens")
            correct += sum(g == p for g, p in zip(gold, pred, strict=True))
            total += len(gold)
            count_spans(gold, pred, counts)
    out: dict[str, Any] = {
        "lines": len(items),
        "tokens": total,
        "token_accuracy": round(100 * correct / total, 2) if total else 0.0,
    }
    for r, (tp, n_pred, n_gold) in counts.items():
        out[r] = prf(tp, n_pred, n_gold)
    return out


def count_spans(gold: list[str], pred: list[str], counts: dict[str, list[int]]) -> None:
    """Add one sequence's exact span matches to ``counts`` ({role: [tp, predicted, gold]})."""
    gs, ps = set(bio_runs(gold)), set(bio_runs(pred))
    for r in ROLES:
        g_r = {s for s in gs if s[2] == r}
        p_r = {s for s in ps if s[2] == r}
        counts[r][0] += len(g_r & p_r)
        counts[r][1] += len(p_r)
        counts[r][2] += len(g_r)


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall and F1 in percent (two decimals) with the counts behind them."""
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "p": round(100 * prec, 2),
        "r": round(100 * rec, 2),
        "f1": round(100 * f1, 2),
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


def neural_predictor(model_dir: str | Path | None = None) -> Predictor:
    """A predictor running the neural attribution tagger (:mod:`sayso.reader.neural`) on the given tokens,
    each token list as one unit, decoded with constrained Viterbi."""
    from ..reader.neural import onnx_logits, tag_units

    run = onnx_logits(str(model_dir) if model_dir else None)

    def predict(batch: list[list[str]]) -> list[list[str]]:
        return tag_units(run, batch)[0]

    return predict


def rules_predictor() -> Predictor:
    """A predictor running sayso's rule-based attribution on one article's lines at a time (pass
    ``by_article=True``): contents, sources and cues projected onto the given tokens."""
    from ..evaluation.bio import label_units
    from ..pipeline import load_pipeline

    nlp = load_pipeline(fast=True)

    def predict(batch: list[list[str]]) -> list[list[str]]:
        return label_units(batch, nlp)

    return predict
