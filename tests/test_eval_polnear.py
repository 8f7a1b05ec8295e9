"""PolNeAR evaluation: the brat reader, the matching rules, the scorer and ``sayso eval polnear``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from sayso.cli import _register, app
from sayso.errors import MissingResource
from sayso.evaluation.brat import annotation_files, gold_attributions, parse_ann, read_ann
from sayso.evaluation.polnear import (
    Scorer,
    evaluate_polnear,
    load_split,
    match_exact,
    match_overlap,
    normalise,
)
from sayso.schema import Attribution, Span

FIXTURE = Path(__file__).parent / "fixtures" / "polnear" / "data"
ALPHA_ANN = FIXTURE / "dev" / "attributions" / "alpha_1a2b.ann"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "data"


def span(text: str, needle: str, nth: int = 1) -> Span:
    """The ``nth`` occurrence of ``needle`` in ``text`` as a Span."""
    i = -1
    for _ in range(nth):
        i = text.index(needle, i + 1)
    return Span(start=i, end=i + len(needle), text=needle)


def att(text: str, source: str | None, cue: str | None, content: str, **kw) -> Attribution:
    """A predicted attribution built from substrings of ``text``."""
    return Attribution(
        id=kw.pop("id", "a1"),
        source=None,
        source_span=span(text, source) if source else None,
        cue=span(text, cue) if cue else None,
        content=span(text, content),
        kind="indirect",
        **kw,
    )


@pytest.fixture(scope="module")
def alpha() -> str:
    return (FIXTURE / "dev" / "text" / "alpha.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def alpha_gold():
    return read_ann(ALPHA_ANN)


# ------------------------------------------------------------------------------------------------ brat


def test_brat_reads_textbounds_events_and_skips_the_rest():
    doc = parse_ann(ALPHA_ANN.read_text(encoding="utf-8"))
    assert doc.textbounds["T7"].fragments == ((108, 127), (169, 200))  # sorted though written reversed
    assert doc.textbounds["T13"].label == "Discard"
    assert doc.textbounds["T14"].label == "Discuss"
    assert [e.id for e in doc.events] == ["E1", "E2", "E3"]
    assert doc.events[2].args == (("Cue", "T9"), ("Content", "T10"), ("Content2", "T12"))
    assert doc.skipped_lines == 1  # the broken continuation line; the note line is ignored silently


def test_gold_attributions_roles(alpha, alpha_gold):
    said, told, faced = alpha_gold
    assert alpha[said.source[0][0] : said.source[0][1]] == "Mayor Tilda Verhoeven"
    assert alpha[said.cue[0][0] : said.cue[0][1]] == "said"
    assert len(told.content) == 2  # discontinuous content around the cue
    assert faced.source is None  # Attribution-no-source
    # Content and Content2 merged into one fragment set, in text order
    assert [alpha[a:b] for a, b in faced.content] == ["The repairs", "their cost"]


def test_gold_attributions_tolerates_dangling_arguments():
    doc = parse_ann("T1\tCue 0 4\tsaid\nE1\tAttribution:T9 Cue:T1 Source:T7 Content:T8\nE2\tbroken\n")
    (only,) = gold_attributions(doc)
    assert only.cue == ((0, 4),) and only.source is None and only.content is None
    assert doc.skipped_lines == 1


def test_annotation_files_takes_first_annotator_alphabetically():
    files = annotation_files(FIXTURE / "dev" / "attributions")
    assert sorted(files) == ["alpha", "beta"]
    assert files["alpha"].name == "alpha_1a2b.ann"


# ------------------------------------------------------------------------------------------- matching


def test_normalise_strips_quotes_punctuation_and_whitespace():
    text = ' "We are confident," she said: yes.'
    quoted = normalise(text, ((0, 20),))
    bare = normalise(text, ((2, 18),))
    assert quoted == bare
    assert "".join(text[i] for i in sorted(bare)) == "Weareconfident"
    colon = text.index(":")
    assert normalise(text, ((colon, colon + 1),)) == frozenset({colon})  # would be empty: kept as is
    assert normalise(text, ((0, 1),)) is None  # whitespace only


def test_overlap_matching_is_one_to_one():
    gold = [frozenset(range(0, 10)), frozenset(range(12, 20))]
    big = [frozenset(range(0, 20))]
    assert match_overlap(big, gold) == [(0, 0)]  # best Jaccard wins, the other gold stays unmatched
    assert match_exact(big, gold) == []
    two = [frozenset(range(0, 10)), frozenset(range(5, 15))]
    assert sorted(match_overlap(two, gold)) == [(0, 0), (1, 1)]


def test_exact_match_after_normalisation_and_discontinuous_gold(alpha, alpha_gold):
    s = Scorer()
    preds = [
        att(alpha, "Mayor Tilda Verhoeven ", " said", "the bridge over the Marrow River would reopen in May."),
        # contiguous content covering the discontinuous gold (cue included): overlap only
        att(
            alpha,
            "the spokesman",
            "told",
            '"We are confident," the spokesman told the Glenford Courier, "that',
        ),
    ]
    s.add_article(alpha, alpha_gold, preds)
    r = s.result()
    assert r["source"]["exact"] == {"p": 100.0, "r": 100.0, "f1": 100.0, "tp": 2, "pred": 2, "gold": 2}
    assert (r["cue"]["exact"]["tp"], r["cue"]["exact"]["pred"], r["cue"]["exact"]["gold"]) == (2, 2, 3)
    assert r["content"]["exact"]["tp"] == 1
    assert r["content"]["overlap"]["tp"] == 2
    assert r["triple"]["exact"]["tp"] == 1 and r["triple"]["overlap"]["tp"] == 2
    assert r["triple"]["exact"]["gold"] == 3
    assert r["cue"]["exact"]["r"] == pytest.approx(66.67)
    assert r["cue"]["exact"]["f1"] == pytest.approx(80.0)


def test_absent_source_matches_only_when_absent_on_both_sides(alpha, alpha_gold):
    faced = alpha_gold[2]
    content = "The repairs have faced criticism over their cost"
    # gold content is "The repairs" + "their cost": overlap, not exact
    without = Scorer()
    without.add_article(alpha, [faced], [att(alpha, None, "faced criticism over", content)])
    assert without.result()["triple"]["overlap"]["tp"] == 1
    assert without.result()["source"]["exact"]["gold"] == 0  # no source span from this gold
    assert without.result()["source"]["exact"]["pred"] == 0
    with_source = Scorer()
    with_source.add_article(alpha, [faced], [att(alpha, "The repairs", "faced criticism over", content)])
    r = with_source.result()
    assert r["triple"]["overlap"]["tp"] == 0
    assert r["source"]["exact"]["pred"] == 1 and r["source"]["exact"]["p"] == 0.0


def test_duplicates_count_once_and_nested_are_skipped(alpha, alpha_gold):
    s = Scorer()
    said = att(alpha, "Mayor Tilda Verhoeven", "said", "the bridge over the Marrow River would reopen in May")
    nested = att(alpha, "the Glenford Courier", "told", "that the work is on schedule", id="a3", nested_in="a1")
    s.add_article(alpha, alpha_gold, [said, said.model_copy(update={"id": "a2"}), nested])
    r = s.result()
    assert r["predicted_attributions"] == 2  # the nested one is skipped
    for role in ("source", "cue", "content", "triple"):
        assert r[role]["exact"]["pred"] == 1 and r[role]["exact"]["tp"] == 1
    assert r["source"]["exact"]["p"] == 100.0 and r["source"]["exact"]["r"] == 50.0


# ------------------------------------------------------------------------------------- corpus + runs


def test_load_split_reads_text_gold_and_metadata():
    arts = load_split(FIXTURE, "dev")
    assert [a.id for a in arts] == ["alpha", "beta"]
    assert arts[0].published == "2016-05-02" and arts[0].outlet == "The New York Times"
    assert len(arts[0].gold) == 3 and len(arts[1].gold) == 1
    assert [a.id for a in load_split(FIXTURE, "dev", limit=1)] == ["alpha"]


def test_missing_data_dir_says_which_path_and_how_to_fix(tmp_path):
    with pytest.raises(MissingResource) as err:
        load_split(tmp_path / "nowhere", "dev")
    assert str(tmp_path / "nowhere" / "dev" / "text") in err.value.message
    assert "--data" in err.value.message


@pytest.fixture(scope="module")
def oracle_nlp() -> Language:
    """A blank English pipeline whose component predicts fixed attributions for the fixture texts."""
    if not Language.has_factory("test_polnear_oracle"):

        @Language.factory("test_polnear_oracle")
        def make_oracle(nlp, name):
            def oracle(doc):
                text = doc.text
                preds = []
                if "Tilda" in text:
                    preds.append(att(text, "Tilda Verhoeven", "said", "the bridge over the Marrow River"))
                    preds.append(att(text, "the Glenford Courier", "told", "that the work is on schedule"))
                if "council members" in text:
                    preds.append(
                        att(
                            text,
                            "two council members",
                            "According to",
                            "the vote on the budget will be delayed",
                        )
                    )
                assert doc._.sayso_article is not None and doc._.sayso_article["text"] == text
                doc._.sayso_attributions = [p.model_dump() for p in preds]
                return doc

            return oracle

    nlp = spacy.blank("en")
    nlp.add_pipe("test_polnear_oracle")
    return nlp


def test_evaluate_polnear_end_to_end_with_errors_file(oracle_nlp, tmp_path):
    errors = tmp_path / "errors.jsonl"
    r = evaluate_polnear(FIXTURE, "dev", nlp=oracle_nlp, errors_path=errors)
    assert r["articles"] == 2 and r["gold_attributions"] == 4 and r["predicted_attributions"] == 3
    # sources: "Tilda Verhoeven" overlaps the mayor, "two council members" exact; the Courier is wrong
    assert (r["source"]["exact"]["tp"], r["source"]["overlap"]["tp"], r["source"]["exact"]["gold"]) == (
        1,
        2,
        3,
    )
    assert (r["cue"]["exact"]["tp"], r["cue"]["exact"]["pred"], r["cue"]["exact"]["gold"]) == (3, 3, 4)
    assert r["content"]["exact"]["tp"] == 0 and r["content"]["overlap"]["tp"] == 3
    assert r["triple"]["exact"]["tp"] == 0 and r["triple"]["overlap"]["tp"] == 2
    assert r["seconds"] >= 0 and r["split"] == "dev"
    records = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert r["errors_written"] == len(records)
    fp_source = [x for x in records if x["role"] == "source" and x["type"] == "fp"]
    assert {x["text"] for x in fp_source} == {"Tilda Verhoeven", "the Glenford Courier"}
    tilda = next(x for x in fp_source if x["text"] == "Tilda Verhoeven")
    assert tilda["overlap_match"] and tilda["best_overlap"] == "Mayor Tilda Verhoeven"
    assert tilda["sentence"].startswith("Mayor Tilda Verhoeven said") and tilda["article"] == "alpha"
    fn_cue = [x for x in records if x["role"] == "cue" and x["type"] == "fn"]
    assert [x["text"] for x in fn_cue] == ["faced criticism over"]
    fn_content = next(x for x in records if x["role"] == "content" and x["text"].startswith("We are"))
    assert fn_content["text"] == "We are confident … that the work is on schedule"
    triples = [x for x in records if x["role"] == "triple"]
    assert {(x["type"], x["source"]) for x in triples} == {
        ("fp", "the Glenford Courier"),
        ("fn", "the spokesman"),
        ("fn", None),
    }


def test_cli_json_prints_one_object(monkeypatch):
    monkeypatch.setattr("sayso.pipeline.load_pipeline", lambda model=None, fast=False: spacy.blank("en"))
    _register()
    result = CliRunner().invoke(app, ["eval", "polnear", "--data", str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for role in ("source", "cue", "content", "triple"):
        for mode in ("exact", "overlap"):
            assert set(out[role][mode]) >= {"p", "r", "f1"}
    assert out["cue"]["exact"]["gold"] == 4


def test_cli_table_and_missing_data(monkeypatch, tmp_path):
    monkeypatch.setattr("sayso.pipeline.load_pipeline", lambda model=None, fast=False: spacy.blank("en"))
    _register()
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "polnear", "--data", str(FIXTURE)])
    assert result.exit_code == 0 and "content" in result.stdout and "PolNeAR dev" in result.stdout
    result = runner.invoke(app, ["eval", "polnear", "--data", str(tmp_path)])
    assert isinstance(result.exception, MissingResource)


# -------------------------------------------------------------------------------------------- real data


@pytest.mark.skipif(not (REAL / "dev").is_dir(), reason=f"PolNeAR dev data not found at {REAL}")
def test_real_dev_gold_counts_match_the_corpus_description():
    arts = load_split(REAL, "dev")
    gold = [g for a in arts for g in a.gold]
    assert len(arts) == 84 and len(gold) == 2193
    assert sum(g.source is None for g in gold) == 128


@pytest.mark.skipif(not (REAL / "dev").is_dir(), reason=f"PolNeAR dev data not found at {REAL}")
def test_real_dev_runs_the_full_pipeline_on_a_few_articles():
    r = evaluate_polnear(REAL, "dev", limit=2)
    assert r["articles"] == 2 and r["gold_attributions"] > 0
    assert r["cue"]["exact"]["gold"] > 0 and 0.0 <= r["cue"]["exact"]["f1"] <= 100.0
