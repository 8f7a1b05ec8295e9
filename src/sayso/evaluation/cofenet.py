"""Scoring role tagging on CofeNet's PolNeAR BIO files (Wang et al., COLING 2022), with their protocol.

The file holds JSON lines ``{"tokens": [...], "labels": [...], ...}`` with BIO tags
``B/I-source|cue|content``. The tokens are given: a predictor receives each line's tokens and returns one
BIO tag per token. A predicted span (a BIO run, see :func:`sayso.role_tagger.bio_runs`) counts only if its
role, first and last token all match a gold span; precision, recall and F1 are micro-averaged over
lines, per role, in percent (two decimals).

>>> from sayso.evaluation.cofenet import evaluate_cofenet, role_tagger_predictor
>>> path = "../shared/data/polnear/cofenet-bio/valid.txt"
>>> evaluate_cofenet(path, role_tagger_predictor())  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..role_tagger import bio_runs

#: The roles scored.
ROLES = ("source", "cue", "content")

#: A predictor: a batch of token lists → one BIO tag list per token list.
Predictor = Callable[[list[list[str]]], list[list[str]]]


def read_bio(path: str | Path) -> Iterator[tuple[list[str], list[str]]]:
    """``(tokens, labels)`` for each non-empty JSON line of a CofeNet BIO file."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                yield item["tokens"], item["labels"]


def evaluate_cofenet(path: str | Path, predict: Predictor, batch_size: int = 256) -> dict[str, Any]:
    """Score ``predict`` on the BIO file at ``path``.

    ``predict``: takes a list of token lists and returns, for each, one BIO tag per token;
    ``batch_size``: lines passed per call. Returns ``{"lines", "tokens", "token_accuracy",
    "source": {"p", "r", "f1", "tp", "pred", "gold"}, "cue": ..., "content": ...}``.
    Raises ``ValueError`` when a prediction has the wrong length."""
    items = list(read_bio(path))
    counts = {r: [0, 0, 0] for r in ROLES}  # tp, predicted, gold
    correct = total = 0
    for i in range(0, len(items), batch_size):
        batch = items[i : i + batch_size]
        preds = predict([toks for toks, _ in batch])
        for (toks, gold), pred in zip(batch, preds, strict=True):
            if len(pred) != len(toks):
                raise ValueError(f"prediction has {len(pred)} tags for {len(toks)} tokens")
            correct += sum(g == p for g, p in zip(gold, pred, strict=True))
            total += len(gold)
            gs, ps = set(bio_runs(gold)), set(bio_runs(pred))
            for r in ROLES:
                g_r = {s for s in gs if s[2] == r}
                p_r = {s for s in ps if s[2] == r}
                counts[r][0] += len(g_r & p_r)
                counts[r][1] += len(p_r)
                counts[r][2] += len(g_r)
    out: dict[str, Any] = {
        "lines": len(items),
        "tokens": total,
        "token_accuracy": round(100 * correct / total, 2) if total else 0.0,
    }
    for r, (tp, n_pred, n_gold) in counts.items():
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[r] = {
            "p": round(100 * prec, 2),
            "r": round(100 * rec, 2),
            "f1": round(100 * f1, 2),
            "tp": tp,
            "pred": n_pred,
            "gold": n_gold,
        }
    return out


def role_tagger_predictor(model_dir: str | Path | None = None) -> Predictor:
    """A predictor running the base English pipeline and the role tagger on given tokens.

    Each token list becomes ``Doc(vocab, words=tokens)`` (so tokenisation is CofeNet's), is parsed by
    :func:`sayso.pipeline.load_base_model`, then tagged by the role model in ``model_dir`` (default:
    the shipped one)."""
    from spacy.tokens import Doc

    from ..pipeline import load_base_model
    from ..role_tagger import RoleTagger, predict_tags

    nlp = load_base_model()
    tagger = RoleTagger(nlp, model_dir=str(model_dir) if model_dir else None)

    def predict(batch: list[list[str]]) -> list[list[str]]:
        docs = [Doc(nlp.vocab, words=toks) for toks in batch]
        docs = list(nlp.pipe(docs))
        nonempty = [d for d in docs if len(d)]
        tags, _ = predict_tags(tagger.model, nonempty) if nonempty else ([], [])
        it = iter(tags)
        return [next(it) if len(d) else [] for d in docs]

    return predict
