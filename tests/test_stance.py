"""Stance: cue lexicons, TF-IDF, FNC-1 scoring, grouped folds, the shipped models and the eval commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sayso.errors import BadInput, InputNotFound
from sayso.evaluation.stance import emergent_summary, fnc_score, fnc_summary, load_fnc1, read_csv
from sayso.stance import (
    STANCES,
    LinearModel,
    StanceClassifier,
    TfIdf,
    all_feature_names,
    content_stems,
    cue_counts,
    focus_feature_names,
    focus_features,
    frame_terms,
    frame_text,
    frame_words,
    near_cues,
    pair_features,
    sentences,
    words,
)
from sayso.training.stance import crossfit_predictions, fnc_groups, group_folds, tune_scales

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stance"

CLAIM = "The Dunmore Viaduct collapsed during the storm on Tuesday night."
ASSERTS = (
    "The Dunmore Viaduct collapsed during Tuesday night's storm, the county engineer Hal Vesper confirmed. "
    "Photos from the Weyland Courier show the central span lying in the river. "
    "Vesper said the viaduct collapsed shortly after midnight as the storm peaked."
)
DENIES = (
    "County officials denied on Wednesday that the Dunmore Viaduct collapsed in the storm, calling the "
    "viral photos a hoax. 'The viaduct did not collapse; it is standing and open to traffic,' said the "
    "engineer Hal Vesper. The pictures were fake, doctored from an old image, he added."
)
UNRELATED = (
    "The Pellham Rovers beat Ostry Athletic 3-1 on Saturday, with two late goals from the striker Nico Brandt. "
    "The coach Mara Lindqvist praised the defence after the match."
)


@pytest.fixture(scope="module")
def fnc_classifier() -> StanceClassifier:
    return StanceClassifier("fnc1")


@pytest.fixture(scope="module")
def emergent_classifier() -> StanceClassifier:
    return StanceClassifier("emergent")


def test_cue_counts_find_refuting_hedging_and_negation_cues() -> None:
    counts = cue_counts("Officials deny the report, which they say is not true and allegedly a hoax.")
    assert counts["refute"] >= 3  # deny, not true, hoax
    assert counts["hedge"] >= 2  # report, allegedly, say
    assert counts["neg"] >= 1
    assert cue_counts("The mayor opened the new library on Friday.")["refute"] == 0


def test_sentences_split_on_end_punctuation_and_newlines() -> None:
    assert sentences("One thing happened. Then another!\nA third? Yes.") == [
        "One thing happened.",
        "Then another!",
        "A third?",
        "Yes.",
    ]


def test_tfidf_round_trips_through_json() -> None:
    texts = ["the bridge collapsed", "the bridge stood firm", "a storm hit the bridge", "storm damage"]
    tfidf = TfIdf.fit(texts, min_df=1)
    again = TfIdf.from_json(json.loads(json.dumps(tfidf.to_json())))
    a = tfidf.matrix(["bridge collapsed in storm"]).toarray()
    b = again.matrix(["bridge collapsed in storm"]).toarray()
    assert np.allclose(a, b, atol=1e-4)
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5


def test_fnc_score_matches_the_official_rules() -> None:
    gold = ["unrelated", "agree", "disagree", "discuss", "unrelated"]
    pred = ["unrelated", "agree", "discuss", "unrelated", "agree"]
    score, best, null = fnc_score(gold, pred)
    # 0.25 (unrelated right) + 1.0 (agree exact) + 0.25 (disagree called related) + 0 + 0
    assert score == pytest.approx(1.5)
    assert best == pytest.approx(0.5 + 3)
    assert null == pytest.approx(0.5)
    summary = fnc_summary(gold, pred)
    assert summary["score_pct"] == pytest.approx(round(100 * 1.5 / 3.5, 2))
    assert summary["confusion"][2][2] == 0 and summary["confusion"][2][1] == 0


def test_emergent_summary_accuracy_and_macro_f1() -> None:
    result = emergent_summary(["for", "against", "observing", "for"], ["for", "against", "for", "for"])
    assert result["accuracy"] == 75.0
    assert result["f1"]["observing"] == 0.0
    assert result["macro_f1"] == pytest.approx(round(100 * (0.8 + 1.0 + 0.0) / 3, 2))


def test_groups_join_related_headlines_and_bodies_and_folds_keep_them_whole() -> None:
    pairs = [("h1", "b"), ("h1", "b"), ("h2", "b"), ("h3", "b"), ("h3", "b")]
    labels = ["agree", "discuss", "agree", "unrelated", "discuss"]
    bodies = ["1", "2", "2", "1", "3"]
    groups = fnc_groups(pairs, labels, bodies)
    # h1 joins bodies 1 and 2, h2 joins body 2; h3-body3 is related, h3-body1 unrelated follows body 1
    assert groups[0] == groups[1] == groups[2] == groups[3]
    assert groups[4] != groups[0]
    folds = group_folds(["a", "a", "b", "c", "c", "c", "d"], 2, seed=1)
    members = [set(f.tolist()) for f in folds]
    assert sorted(i for f in members for i in f) == list(range(7))
    assert any({3, 4, 5} <= f for f in members) and any({0, 1} <= f for f in members)


def test_tune_scales_can_favour_a_rare_class() -> None:
    proba = np.array([[0.7, 0.3], [0.55, 0.45], [0.9, 0.1], [0.8, 0.2]])
    gold = ["x", "y", "x", "x"]
    scales = tune_scales(proba, gold, ("x", "y"), lambda g, p: sum(a == b for a, b in zip(g, p, strict=True)))
    assert scales[0] == 1.0 and scales[1] >= 1.5


def test_read_csv_errors_have_their_exit_classes(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        read_csv(tmp_path / "absent.csv", ["Headline"])
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Title,Body\nx,y\n", encoding="utf-8")
    with pytest.raises(BadInput, match="missing column"):
        read_csv(wrong, ["Headline", "Body ID", "Stance"])
    empty = tmp_path / "empty.csv"
    empty.write_text("Headline,Body ID,Stance\n", encoding="utf-8")
    with pytest.raises(BadInput, match="no data rows"):
        read_csv(empty, ["Headline", "Body ID", "Stance"])


def _write_fnc(tmp_path: Path) -> tuple[Path, Path]:
    bodies = tmp_path / "bodies.csv"
    stances = tmp_path / "stances.csv"
    with bodies.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        w.writerows([["1", ASSERTS], ["2", DENIES], ["3", UNRELATED]])
    with stances.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows([[CLAIM, "1", "agree"], [CLAIM, "2", "disagree"], [CLAIM, "3", "unrelated"]])
    return stances, bodies


def test_load_fnc1_reads_pairs_in_order(tmp_path: Path) -> None:
    stances, bodies = _write_fnc(tmp_path)
    pairs, labels, ids = load_fnc1(stances, bodies)
    assert labels == ["agree", "disagree", "unrelated"] and ids == ["1", "2", "3"]
    assert pairs[1] == (CLAIM, DENIES)


def test_fnc_model_separates_unrelated_and_ranks_the_denial(fnc_classifier: StanceClassifier) -> None:
    results = fnc_classifier.predict_many([(CLAIM, ASSERTS), (CLAIM, DENIES), (CLAIM, UNRELATED)])
    for label, probs in results:
        assert label in STANCES
        assert sum(probs.values()) == pytest.approx(1.0)
    (a_label, a_probs), (d_label, d_probs), (u_label, _) = results
    assert u_label == "mentions"
    assert a_label != "mentions" and d_label != "mentions"
    assert d_probs["denies"] > a_probs["denies"]


def test_emergent_model_reads_headlines(emergent_classifier: StanceClassifier) -> None:
    claim = "A farmer in Brelloc grew a pumpkin weighing two tonnes."
    label_hedged, probs = emergent_classifier.predict(claim, "Did a Brelloc farmer really grow a two-tonne pumpkin?")
    assert probs["mentions"] == 0.0
    assert label_hedged in ("relays", "asserts", "denies")
    _, denial = emergent_classifier.predict(claim, "Two-tonne pumpkin story is a hoax, Brelloc officials say")
    _, plain = emergent_classifier.predict(claim, "Brelloc farmer grows two-tonne pumpkin")
    assert denial["denies"] > plain["denies"]


def _cli():
    from sayso.cli import app
    from sayso.cli import eval_stance as _eval_stance  # noqa: F401  (registers the commands)

    return app


def test_eval_fnc1_cli_json_and_errors(tmp_path: Path) -> None:
    stances, bodies = _write_fnc(tmp_path)
    runner = CliRunner()
    result = runner.invoke(_cli(), ["eval", "fnc1", "--stances", str(stances), "--bodies", str(bodies), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"score_pct", "macro_f1"} and 0.0 <= data["score_pct"] <= 100.0
    missing = runner.invoke(_cli(), ["eval", "fnc1", "--stances", str(tmp_path / "x.csv"), "--bodies", str(bodies)])
    assert isinstance(missing.exception, InputNotFound) and missing.exception.exit_code == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("claim,text\na,b\n", encoding="utf-8")
    wrong = runner.invoke(_cli(), ["eval", "emergent", "--data", str(bad)])
    assert isinstance(wrong.exception, BadInput) and wrong.exception.exit_code == 4


@pytest.mark.skipif(not (DATA / "emergent" / "emergent-lite-train.csv").is_file(), reason="../shared/data absent")
def test_eval_emergent_cli_runs_on_real_rows(tmp_path: Path) -> None:
    source = DATA / "emergent" / "emergent-lite-train.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    sample = tmp_path / "sample.csv"
    sample.write_text("".join(lines[:41]), encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["eval", "emergent", "--data", str(sample), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pairs"] == 40 and set(data) >= {"accuracy", "macro_f1"}


def test_near_cues_count_negations_and_denials_next_to_the_claims_words() -> None:
    claim_stems = set(content_stems("The Dunmore Viaduct collapsed"))
    neg, ref = near_cues(words("The viaduct has not collapsed, officials denied."), claim_stems)
    assert neg == 1 and ref == 1  # "not" and "denied" lie within four words of viaduct / collapse
    far = words("The viaduct stands. " + "It rained all week in the hills and then " * 2 + "nothing was fake.")
    assert near_cues(far, claim_stems) == (0, 0)


def test_frame_words_take_the_claims_words_out() -> None:
    claim = "Anonymous artist Cobble was arrested in Farrow"
    frame = frame_words(claim, "Farrow police deny reports of Cobble arrest")
    assert frame == ["_", "police", "deny", "reports", "of", "_"]
    assert frame_text(claim, "Farrow police deny reports of Cobble arrest") == "police deny reports of"
    assert "police deny" in frame_terms(claim, "Farrow police deny reports of Cobble arrest")


def test_focus_features_see_a_denial_in_the_sentences_about_the_claim() -> None:
    pairs = [(CLAIM, ASSERTS), (CLAIM, DENIES)]
    x = focus_features(pairs, encoder=_toy_encoder)
    names = focus_feature_names()
    assert x.shape == (2, len(names))
    col = {n: i for i, n in enumerate(names)}
    assert x[1, col["neg_near_all"]] >= 1 and x[0, col["neg_near_all"]] == 0
    assert x[1, col["word_hoax"]] > 0 and x[0, col["word_hoax"]] == 0
    full = pair_features(pairs, TfIdf.fit([CLAIM, ASSERTS, DENIES], min_df=1), _toy_encoder, focus=True)
    assert full.shape[1] == len(all_feature_names(focus=True))


def _toy_encoder(texts: list[str]) -> np.ndarray:
    """A deterministic stand-in for MiniLM: hashed bag of words, unit length."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, text in enumerate(texts):
        for w in words(text):
            out[i, sum(map(ord, w)) % 384] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_linear_model_round_trips_and_predicts_probabilities() -> None:
    pairs = [("Cobble was arrested", "Police deny Cobble arrest"), ("Cobble was arrested", "Cobble arrested")]
    features = np.array([[1.0, 0.0], [0.0, 1.0]])
    model = LinearModel(
        ["deny", "_"], 2, np.zeros(2), np.ones(2), np.array([[0.0, 1.0, 0.0, 2.0], [3.0, 0.0, 1.0, 0.0]]), np.zeros(2)
    )
    p = model.proba(pairs, features)
    assert p.shape == (2, 2) and np.allclose(p.sum(axis=1), 1.0)
    assert p[0, 1] > 0.9 and p[1, 0] > 0.9  # "deny" pushes the first pair to class 1
    again = LinearModel.from_json(json.loads(json.dumps(model.to_json())))
    assert np.allclose(again.proba(pairs, features), p)


def test_crossfit_predictions_tune_each_fold_on_the_others_only() -> None:
    proba = np.array([[0.7, 0.3], [0.62, 0.38], [0.9, 0.1], [0.65, 0.35], [0.8, 0.2], [0.58, 0.42]])
    gold = ["x", "y", "x", "y", "x", "y"]
    tests = [np.array([0, 1]), np.array([2, 3]), np.array([4, 5])]
    pred, scales = crossfit_predictions(
        proba, gold, ("x", "y"), tests, lambda g, p: sum(a == b for a, b in zip(g, p, strict=True))
    )
    assert len(scales) == 3 and all(s[0] == 1.0 for s in scales)
    assert pred == gold  # scaling up "y" (tuned elsewhere) recovers every fold's y rows
