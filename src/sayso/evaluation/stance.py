"""Stance evaluation: FNC-1 (official score, ported from the challenge's ``scorer.py``) and EmergentLite.

FNC-1 score: +0.25 for each pair whose related/unrelated split is right (a gold unrelated pair predicted
unrelated, or a gold related pair predicted as any related label), +0.75 more for each related pair given
its exact label (agree, disagree, discuss); reported as a percentage of the best possible score. Macro-F1 is
the unweighted mean of the four per-class F1 scores. EmergentLite: accuracy and macro-F1 over for /
against / observing."""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import BadInput, InputNotFound
from ..stance import EMERGENT_LABELS, FNC_LABELS

FNC_RELATED = ("agree", "disagree", "discuss")
STANCE_COLUMNS = ("Headline", "Body ID", "Stance")
BODY_COLUMNS = ("Body ID", "articleBody")
EMERGENT_COLUMNS = ("claimHeadline", "articleHeadline", "articleHeadlineStance", "claimId")


def read_csv(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    """Rows of the CSV file at ``path`` as dicts; ``required``: columns it must have. Raises
    :class:`InputNotFound` when the file is missing and :class:`BadInput` when it cannot be read, lacks a
    column or holds no rows."""
    if not path.is_file():
        raise InputNotFound(f"file not found: {path}")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip().lstrip("\ufeff") for c in (reader.fieldnames or [])]
            missing = [c for c in required if c not in columns]
            if missing:
                raise BadInput(
                    f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(columns) or 'none'})"
                )
            reader.fieldnames = columns
            rows = list(reader)
    except UnicodeDecodeError as err:
        raise BadInput(f"{path}: not UTF-8 text ({err.reason})") from err
    except csv.Error as err:
        raise BadInput(f"{path}: not a readable CSV file ({err})") from err
    if not rows:
        raise BadInput(f"{path}: no data rows")
    return rows


def load_fnc1(stances: Path, bodies: Path) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Read an FNC-1 stances file (Headline, Body ID, Stance) and bodies file (Body ID, articleBody).
    Returns ``(pairs, labels, body_ids)``: (headline, body text) pairs, gold labels and each pair's body id,
    in the stances file's order. Raises :class:`BadInput` for an unknown label or body id."""
    stance_rows = read_csv(stances, STANCE_COLUMNS)
    body_rows = read_csv(bodies, BODY_COLUMNS)
    text = {r["Body ID"].strip(): r["articleBody"] for r in body_rows}
    pairs, labels, ids = [], [], []
    for n, row in enumerate(stance_rows, start=2):
        body_id = row["Body ID"].strip()
        label = (row["Stance"] or "").strip()
        if body_id not in text:
            raise BadInput(f"{stances}: line {n}: Body ID {body_id} is not in {bodies}")
        if label not in FNC_LABELS:
            raise BadInput(f"{stances}: line {n}: unknown stance {label!r} (expected one of {', '.join(FNC_LABELS)})")
        pairs.append((row["Headline"], text[body_id]))
        labels.append(label)
        ids.append(body_id)
    return pairs, labels, ids


def load_emergent(path: Path) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Read an EmergentLite CSV (claimHeadline, articleHeadline, articleHeadlineStance, claimId). Returns
    ``(pairs, labels, claim_ids)``: (claim, article headline) pairs, gold labels and claim ids. Raises
    :class:`BadInput` for an unknown label."""
    rows = read_csv(path, EMERGENT_COLUMNS)
    pairs, labels, ids = [], [], []
    for n, row in enumerate(rows, start=2):
        label = (row["articleHeadlineStance"] or "").strip()
        if label not in EMERGENT_LABELS:
            raise BadInput(f"{path}: line {n}: unknown stance {label!r} (expected one of {', '.join(EMERGENT_LABELS)})")
        pairs.append((row["claimHeadline"], row["articleHeadline"]))
        labels.append(label)
        ids.append(row["claimId"])
    return pairs, labels, ids


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    """The official FNC-1 score of ``pred`` against ``gold`` (label lists of equal length). Returns
    ``(score, max_score, null_score)``: the raw score, the best possible one and the all-unrelated one."""
    score = 0.0
    for g, t in zip(gold, pred, strict=True):
        if g == t:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in FNC_RELATED and t in FNC_RELATED:
            score += 0.25
    unrelated = sum(1 for g in gold if g == "unrelated")
    null = 0.25 * unrelated
    return score, null + (len(gold) - unrelated), null


def per_class_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    """F1 (0..1) of each label in ``labels`` for ``pred`` against ``gold``."""
    out = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        n_pred = sum(1 for p in pred if p == label)
        n_gold = sum(1 for g in gold if g == label)
        out[label] = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean over ``labels`` of the per-class F1, as a fraction (0..1)."""
    f1 = per_class_f1(gold, pred, labels)
    return sum(f1.values()) / len(labels)


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Confusion matrix: ``[i][j]`` counts gold ``labels[i]`` predicted as ``labels[j]``."""
    index = {label: i for i, label in enumerate(labels)}
    cm = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        cm[index[g]][index[p]] += 1
    return cm


def fnc_summary(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """FNC-1 scores of ``pred`` against ``gold``: ``score_pct`` and ``macro_f1`` (both percent), plus the raw
    and max scores, per-class F1 (percent), accuracy and the confusion matrix (rows gold, FNC label order)."""
    score, best, null = fnc_score(gold, pred)
    f1 = per_class_f1(gold, pred, FNC_LABELS)
    return {
        "score_pct": round(100 * score / best, 2) if best else 0.0,
        "macro_f1": round(100 * sum(f1.values()) / len(FNC_LABELS), 2),
        "score": score,
        "max_score": best,
        "null_score": null,
        "accuracy": round(100 * sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 2),
        "f1": {k: round(100 * v, 2) for k, v in f1.items()},
        "labels": list(FNC_LABELS),
        "confusion": confusion(gold, pred, FNC_LABELS),
        "pairs": len(gold),
    }


def emergent_summary(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """EmergentLite scores of ``pred`` against ``gold``: ``accuracy`` and ``macro_f1`` (percent), per-class F1
    and the confusion matrix (rows gold, for/against/observing)."""
    f1 = per_class_f1(gold, pred, EMERGENT_LABELS)
    return {
        "accuracy": round(100 * sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 2),
        "macro_f1": round(100 * sum(f1.values()) / len(EMERGENT_LABELS), 2),
        "f1": {k: round(100 * v, 2) for k, v in f1.items()},
        "labels": list(EMERGENT_LABELS),
        "confusion": confusion(gold, pred, EMERGENT_LABELS),
        "pairs": len(gold),
    }


def evaluate_fnc1(stances: Path, bodies: Path, model_dir: Path | None = None) -> dict[str, Any]:
    """Classify every pair of an FNC-1 stances/bodies file pair with the FNC-1 stance model (the shipped one,
    or the one in ``model_dir``) and score it (:func:`fnc_summary`, plus ``seconds``)."""
    from ..stance import load_model

    start = time.perf_counter()
    pairs, gold, _ = load_fnc1(stances, bodies)
    model = load_model("fnc1", str(model_dir) if model_dir else None)
    result = fnc_summary(gold, model.predict_pairs(pairs))
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result


def evaluate_emergent(data: Path, model_dir: Path | None = None) -> dict[str, Any]:
    """Classify every row of an EmergentLite CSV with the Emergent-only stance model (the shipped one, or the
    one in ``model_dir``) and score it (:func:`emergent_summary`, plus ``seconds``)."""
    from ..stance import load_model

    start = time.perf_counter()
    pairs, gold, _ = load_emergent(data)
    model = load_model("emergent", str(model_dir) if model_dir else None)
    result = emergent_summary(gold, model.predict_pairs(pairs))
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result
