"""Train sayso's two stance models (:mod:`sayso.stance`) and measure them by grouped cross-validation.

``train_stance(data, out)`` reads ``DATA/fnc-1/train_{stances,bodies}.csv`` and
``DATA/emergent/emergent-lite-train.csv`` and writes ``OUT/fnc1/``, ``OUT/emergent/`` and
``OUT/training-record.json``. The Emergent model sees no FNC-1 data (FNC-1 reuses Emergent's claims).

Cross-validation is grouped so that no claim or text is on both sides of a split: FNC-1 pairs are grouped
by the connected components of the related (agree/disagree/discuss) headline-body graph (an unrelated pair
goes with its body), which keeps both a body and the claim its related headlines make in one fold, as in the
competition test set (new bodies, mostly new claims); EmergentLite pairs are grouped by ``claimId``. The
TF-IDF vocabulary (and the linear model's frame vocabulary) is refitted inside each fold. Out-of-fold
probabilities also tune per-class probability multipliers (a small grid search) that the shipped models
apply at prediction time; the record reports them "cross-fitted" too (each fold scored with multipliers
tuned on the other folds only), which is the honest estimate.

Recipes (:data:`FEATURE_OPTIONS`, :data:`LINEAR`): FNC-1 reads the base features plus the focus features
(refuting and negating cues near the claim's words, per-word cue columns); Emergent reads the base
features plus the MiniLM vector of the headline's frame (the headline with the claim's words taken out),
and averages LightGBM with a logistic regression over frame terms and the base features (fitted with
scikit-learn at training time only; shipped as JSON weights)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..evaluation.stance import emergent_summary, fnc_summary, load_emergent, load_fnc1
from ..stance import EMERGENT_LABELS, FNC_LABELS, LinearModel, StanceModel, TfIdf, frame_terms, pair_features

LGB_PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "verbose": -1,
    "deterministic": True,
    "force_row_wise": True,
}
ROUNDS = {"fnc1": 300, "emergent": 300}
#: The :func:`sayso.stance.pair_features` options of each model.
FEATURE_OPTIONS = {"fnc1": {"focus": True}, "emergent": {"frame_embed": True}}
#: Whether a model averages in a logistic regression (:class:`sayso.stance.LinearModel`).
LINEAR = {"fnc1": False, "emergent": True}
#: The logistic regression's inverse regularisation, frame-term minimum document frequency, how many
#: leading (base) feature columns it reads, and the booster's weight in the average.
LINEAR_C = 0.1
LINEAR_MIN_DF = 3
LINEAR_DENSE = 46
BLEND = 0.5
SCALE_GRID = (0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0)


class CachedEncoder:
    """MiniLM encoder with an on-disk cache (one ``.npz`` in ``folder``) so that repeated folds and runs embed
    each distinct string once; ``folder=None`` keeps the cache in memory only."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "minilm-cache.npz" if folder else None
        self.vectors: dict[str, np.ndarray] = {}
        if self.path and self.path.is_file():
            data = np.load(self.path)
            self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length MiniLM vectors for ``texts``, shape ``(len(texts), 384)``."""
        from ..embeddings import encode

        keys = [self._key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items())
        if missing:
            vecs = encode([t for _, t in missing])
            self.vectors.update({k: v for (k, _), v in zip(missing, vecs, strict=True)})
            self.save()
        return np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)

    def save(self) -> None:
        """Write the cache file (if this cache has a folder)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.vectors)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))


def fnc_groups(pairs: Sequence[tuple[str, str]], labels: Sequence[str], body_ids: Sequence[str]) -> list[str]:
    """A group id per FNC-1 pair: the connected component, over related pairs, of its body (headlines and
    bodies joined by related edges share a group; ``pairs``, ``labels``, ``body_ids`` as from
    :func:`sayso.evaluation.stance.load_fnc1`)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (headline, _), label, body in zip(pairs, labels, body_ids, strict=True):
        find("b:" + body)
        if label != "unrelated":
            a, b = find("h:" + headline), find("b:" + body)
            if a != b:
                parent[a] = b
    return [find("b:" + body) for body in body_ids]


def group_folds(groups: Sequence[str], k: int, seed: int) -> list[np.ndarray]:
    """Split row indices into ``k`` folds so that each group lies in one fold; groups are shuffled with
    ``seed`` and dealt largest first to the currently smallest fold. Returns the test indices of each fold."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    names = sorted(by_group)
    random.Random(seed).shuffle(names)
    names.sort(key=lambda g: -len(by_group[g]))
    folds: list[list[int]] = [[] for _ in range(k)]
    for g in names:
        min(folds, key=len).extend(by_group[g])
    return [np.array(sorted(f)) for f in folds]


def fit_booster(x: np.ndarray, y: np.ndarray, n_classes: int, rounds: int, seed: int) -> Any:
    """Train a LightGBM multiclass booster on features ``x`` and class indices ``y`` for ``rounds`` rounds."""
    import lightgbm as lgb

    params = dict(LGB_PARAMS, num_class=n_classes, seed=seed)
    return lgb.train(params, lgb.Dataset(x, label=y), num_boost_round=rounds)


def fit_linear(pairs: Sequence[tuple[str, str]], features: np.ndarray, y: np.ndarray, seed: int) -> LinearModel:
    """Fit the logistic regression of :class:`sayso.stance.LinearModel` (scikit-learn, L2, C =
    :data:`LINEAR_C`) on ``pairs``, their ``features`` and class indices ``y``: frame terms seen in at least
    :data:`LINEAR_MIN_DF` pairs plus the first :data:`LINEAR_DENSE` feature columns, standardised. Returns
    the model as plain weights."""
    from sklearn.linear_model import LogisticRegression

    df: dict[str, int] = {}
    for c, t in pairs:
        for term in frame_terms(c, t):
            df[term] = df.get(term, 0) + 1
    terms = sorted(t for t, n in df.items() if n >= LINEAR_MIN_DF)
    dense = features[:, :LINEAR_DENSE].astype(np.float64)
    mean, std = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    n_classes = int(y.max()) + 1
    model = LinearModel(terms, LINEAR_DENSE, mean, std, np.zeros((n_classes, 1)), np.zeros(n_classes))
    lr = LogisticRegression(C=LINEAR_C, max_iter=3000, random_state=seed)
    lr.fit(model.design(pairs, features), y)
    model.coef, model.intercept = lr.coef_, lr.intercept_
    return model


def tune_scales(
    proba: np.ndarray, gold: Sequence[str], labels: Sequence[str], objective: Callable[[list[str], list[str]], float]
) -> np.ndarray:
    """Per-class multipliers for ``proba`` (rows: out-of-fold class probabilities in ``labels`` order) that
    maximise ``objective(gold, predicted labels)``, by coordinate ascent over :data:`SCALE_GRID` (two passes;
    the first class stays 1). Returns the multipliers."""
    scales = np.ones(len(labels))
    gold = list(gold)

    def value(s: np.ndarray) -> float:
        return objective(gold, [labels[i] for i in (proba * s).argmax(axis=1)])

    best = value(scales)
    for _ in range(2):
        for c in range(1, len(labels)):
            for v in SCALE_GRID:
                trial = scales.copy()
                trial[c] = v
                score = value(trial)
                if score > best + 1e-9:
                    best, scales = score, trial
    return scales


def fnc_objective(gold: list[str], pred: list[str]) -> float:
    """What the FNC-1 class scales maximise: the score percentage plus the macro-F1 (percent)."""
    s = fnc_summary(gold, pred)
    return s["score_pct"] + s["macro_f1"]


def emergent_objective(gold: list[str], pred: list[str]) -> float:
    """What the Emergent class scales maximise: accuracy plus half the macro-F1 (percent)."""
    s = emergent_summary(gold, pred)
    return s["accuracy"] + 0.5 * s["macro_f1"]


def crossfit_predictions(
    proba: np.ndarray,
    gold: Sequence[str],
    labels: Sequence[str],
    fold_tests: Sequence[np.ndarray],
    objective: Callable[[list[str], list[str]], float],
) -> tuple[list[str], list[list[float]]]:
    """Honest scaled predictions from out-of-fold ``proba``: each fold (``fold_tests``: its row indices) is
    decided with class scales tuned (:func:`tune_scales`) on the other folds' rows only. Returns the
    predicted labels (rows in ``proba`` order) and each fold's scales."""
    pred = [""] * len(gold)
    all_scales = []
    everything = np.arange(len(gold))
    for test in fold_tests:
        rest = np.setdiff1d(everything, test)
        scales = tune_scales(proba[rest], [gold[i] for i in rest], labels, objective)
        all_scales.append([float(x) for x in scales])
        for i, k in zip(test, (proba[test] * scales).argmax(axis=1), strict=True):
            pred[i] = labels[k]
    return pred, all_scales


def cross_validate(
    kind: str,
    pairs: Sequence[tuple[str, str]],
    labels: Sequence[str],
    groups: Sequence[str],
    encoder: CachedEncoder,
    *,
    folds: int,
    seed: int,
    progress: Callable[[str], None],
) -> tuple[np.ndarray, list[dict[str, Any]], list[np.ndarray], dict[str, np.ndarray]]:
    """Grouped ``folds``-fold cross-validation of a ``kind`` ("fnc1" or "emergent") model. Returns the
    out-of-fold probabilities of the shipped blend (rows in ``pairs`` order), the per-fold scores (unscaled
    argmax), each fold's test rows, and the out-of-fold probabilities of each part ("booster", and "linear"
    when the recipe has one)."""
    label_set = FNC_LABELS if kind == "fnc1" else EMERGENT_LABELS
    summary = fnc_summary if kind == "fnc1" else emergent_summary
    y = np.array([label_set.index(lab) for lab in labels])
    parts = {"booster": np.zeros((len(pairs), len(label_set)))}
    if LINEAR[kind]:
        parts["linear"] = np.zeros((len(pairs), len(label_set)))
    per_fold = []
    tests = group_folds(groups, folds, seed)
    for n, test in enumerate(tests):
        train = np.setdiff1d(np.arange(len(pairs)), test)
        train_pairs, test_pairs = [pairs[i] for i in train], [pairs[i] for i in test]
        tfidf = _fit_tfidf(train_pairs)
        x_train = pair_features(train_pairs, tfidf, encoder, **FEATURE_OPTIONS[kind])
        x_test = pair_features(test_pairs, tfidf, encoder, **FEATURE_OPTIONS[kind])
        booster = fit_booster(x_train, y[train], len(label_set), ROUNDS[kind], seed)
        parts["booster"][test] = booster.predict(x_test, num_threads=1)
        if LINEAR[kind]:
            parts["linear"][test] = fit_linear(train_pairs, x_train, y[train], seed).proba(test_pairs, x_test)
        oof = _blend(parts)
        pred = [label_set[i] for i in oof[test].argmax(axis=1)]
        scores = summary([labels[i] for i in test], pred)
        per_fold.append({k: scores[k] for k in ("score_pct", "accuracy", "macro_f1") if k in scores})
        progress(f"{kind} fold {n + 1}/{folds}: {per_fold[-1]}")
    return _blend(parts), per_fold, tests, parts


def _blend(parts: dict[str, np.ndarray]) -> np.ndarray:
    """The booster's probabilities, averaged with the linear model's (weight :data:`BLEND`) if present."""
    if "linear" not in parts:
        return parts["booster"]
    return BLEND * parts["booster"] + (1.0 - BLEND) * parts["linear"]


def _fit_tfidf(pairs: Sequence[tuple[str, str]]) -> TfIdf:
    """TF-IDF vocabulary fitted on the distinct claims and texts of ``pairs``."""
    return TfIdf.fit(sorted({c for c, _ in pairs} | {t for _, t in pairs}))


def train_one(
    kind: str,
    pairs: Sequence[tuple[str, str]],
    labels: Sequence[str],
    groups: Sequence[str],
    out: Path,
    encoder: CachedEncoder,
    *,
    folds: int,
    seed: int,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    """Cross-validate, tune class scales on the out-of-fold predictions, fit the final ``kind`` model on all of
    ``pairs`` and save it to ``out/kind``. Returns this model's part of the training record."""
    label_set = FNC_LABELS if kind == "fnc1" else EMERGENT_LABELS
    summary = fnc_summary if kind == "fnc1" else emergent_summary
    objective = fnc_objective if kind == "fnc1" else emergent_objective
    start = time.perf_counter()
    record: dict[str, Any] = {"pairs": len(pairs), "groups": len(set(groups)), "folds": folds}
    scales = np.ones(len(label_set))
    if folds > 1:
        oof, per_fold, tests, parts = cross_validate(
            kind, pairs, labels, groups, encoder, folds=folds, seed=seed, progress=progress
        )
        unscaled = summary(list(labels), [label_set[i] for i in oof.argmax(axis=1)])
        scales = tune_scales(oof, labels, label_set, objective)
        scaled = summary(list(labels), [label_set[i] for i in (oof * scales).argmax(axis=1)])
        crossfit, fold_scales = crossfit_predictions(oof, labels, label_set, tests, objective)
        record["cv_per_fold"] = per_fold
        record["cv_unscaled"] = unscaled
        record["cv_crossfit_scaled"] = summary(list(labels), crossfit)
        record["cv_crossfit_scales"] = fold_scales
        record["cv_scaled"] = scaled
        if len(parts) > 1:
            record["cv_parts_unscaled"] = {
                name: _pick(summary(list(labels), [label_set[i] for i in p.argmax(axis=1)]))
                for name, p in parts.items()
            }
        record["cv_note"] = (
            "cv_crossfit_scaled scores each fold with class scales tuned on the other folds (honest); "
            "cv_scaled tunes them on all out-of-fold predictions (optimistic)"
        )
        progress(
            f"{kind} CV unscaled: {_short(unscaled)}; crossfit: {_short(record['cv_crossfit_scaled'])}; "
            f"scaled {scales.tolist()}: {_short(scaled)}"
        )
    tfidf = _fit_tfidf(pairs)
    y = np.array([label_set.index(lab) for lab in labels])
    x = pair_features(pairs, tfidf, encoder, **FEATURE_OPTIONS[kind])
    booster = fit_booster(x, y, len(label_set), ROUNDS[kind], seed)
    linear = fit_linear(pairs, x, y, seed) if LINEAR[kind] else None
    config: dict[str, Any] = {
        "kind": kind,
        "rounds": ROUNDS[kind],
        **FEATURE_OPTIONS[kind],
        "lightgbm_params": dict(LGB_PARAMS),
        "seed": seed,
    }
    if linear is not None:
        config.update(blend=BLEND, linear_c=LINEAR_C, linear_min_df=LINEAR_MIN_DF)
    StanceModel(label_set, tfidf, booster, scales, config, linear).save(out / kind)
    record["class_scale"] = scales.tolist()
    record["seconds"] = round(time.perf_counter() - start, 1)
    return record


def _pick(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: summary[k] for k in ("score_pct", "accuracy", "macro_f1", "f1") if k in summary}


def _short(summary: dict[str, Any]) -> str:
    return ", ".join(f"{k}={summary[k]}" for k in ("score_pct", "accuracy", "macro_f1") if k in summary)


def train_stance(
    data: Path,
    out: Path,
    *,
    seed: int = 0,
    folds: int = 5,
    cache_dir: Path | None = None,
    only: str | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Train the FNC-1 and Emergent stance models from ``data`` (the ``stance`` folder holding ``fnc-1/`` and
    ``emergent/``) into ``out``. ``seed``: fold and LightGBM seed; ``folds``: cross-validation folds (1: none);
    ``cache_dir``: where MiniLM vectors are cached between runs; ``only``: "fnc1" or "emergent" to train one.
    Writes ``out/training-record.json`` and returns the record."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    start = time.perf_counter()
    encoder = CachedEncoder(cache_dir)
    record: dict[str, Any] = {
        "command": "sayso " + " ".join(sys.argv[1:]) if sys.argv and "sayso" in sys.argv[0] else None,
        "seed": seed,
        "folds": folds,
        "data": str(data),
        "python": platform.python_version(),
        "cores_used": 1,
        "models": {},
    }
    try:
        import lightgbm

        record["lightgbm"] = lightgbm.__version__
    except ImportError:  # pragma: no cover - lightgbm is required to train
        pass
    if only in (None, "emergent"):
        pairs, labels, claim_ids = load_emergent(data / "emergent" / "emergent-lite-train.csv")
        record["models"]["emergent"] = train_one(
            "emergent", pairs, labels, claim_ids, out, encoder, folds=folds, seed=seed, progress=progress
        )
    if only in (None, "fnc1"):
        pairs, labels, body_ids = load_fnc1(data / "fnc-1" / "train_stances.csv", data / "fnc-1" / "train_bodies.csv")
        groups = fnc_groups(pairs, labels, body_ids)
        record["models"]["fnc1"] = train_one(
            "fnc1", pairs, labels, groups, out, encoder, folds=folds, seed=seed, progress=progress
        )
    record["wall_seconds"] = round(time.perf_counter() - start, 1)
    old = out / "training-record.json"
    if only and old.is_file():
        previous = json.loads(old.read_text(encoding="utf-8"))
        previous.get("models", {}).update(record["models"])
        record["models"] = previous.get("models", record["models"])
    out.mkdir(parents=True, exist_ok=True)
    old.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record
